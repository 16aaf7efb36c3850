//! `dbwise workload`: query shapes, N+1 patterns, anti-patterns and lock waits from PostgreSQL
//! logs, pg_stat_statements exports and SQL files.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use dbwise_catalog::Catalog;
use dbwise_diagnostics::SourceFile;
use dbwise_report::workload::{render_human, render_json};
use dbwise_workload::{Analyzer, InputFormat, Options};

use super::parse_size;
use crate::output::{FailOn, ReportFormat};

#[derive(clap::Args)]
pub struct WorkloadArgs {
    /// Server logs (stderr, csvlog, jsonlog; .gz read transparently), pg_stat_statements CSV
    /// exports, or .sql files (one statement each, optionally weighted by `-- calls: N`).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: ReportFormat,
    /// The server's log_line_prefix (`SHOW log_line_prefix`); detected from the common ones when omitted.
    #[arg(long, value_name = "PREFIX")]
    log_line_prefix: Option<String>,
    /// Read every file as this format instead of detecting it: stderr, csvlog, jsonlog, pg-stat-statements, sql.
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    input_format: Option<InputFormat>,
    /// Query shapes to show (human output: 20 by default; JSON: 1,000 by default).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    top: Option<usize>,
    /// List every query shape kept (JSON), not only the top 1,000.
    #[arg(long)]
    all: bool,
    /// Memory the query shapes may take, such as 256MB or 1GB; past it the lightest shapes
    /// are folded into one "other shapes" total, and the report says how far off any listed
    /// figure may be.
    #[arg(long, value_name = "SIZE", default_value = "256MB", value_parser = parse_size)]
    memory_budget: u64,
    /// Consecutive executions of one shape, with distinct parameters, that make an N+1.
    #[arg(long, value_name = "N", default_value_t = 5)]
    n_plus_one_min_repeats: u32,
    /// Summed duration below which an N+1 run is not reported.
    #[arg(long, value_name = "MS", default_value_t = 0.0)]
    n_plus_one_min_ms: f64,
    /// Idle time that ends a unit of work in a session without transactions or trace ids.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    session_gap_ms: i64,
    /// A constant OFFSET above this is reported as offset pagination.
    #[arg(long, value_name = "ROWS", default_value_t = 1000)]
    offset_threshold: i64,
    /// Schema files (DDL, replayed in order): they tell which table an unqualified column of a
    /// join belongs to, and their indexes on expressions silence function-on-column-in-where.
    #[arg(long, value_name = "FILE")]
    schema: Vec<PathBuf>,
    /// Exit with status 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Parse and fingerprint every distinct statement text with libpg_query, instead of every
    /// distinct text after replacing literals (slower; a check of the fast path).
    #[arg(long)]
    exact_fingerprints: bool,
    /// Threads to read server logs with: 2 or more read, fingerprint and fold a log in a
    /// pipeline of three threads, which keeps two cores busy (more add nothing); 1 reads on
    /// one. The report is the same. Default: the available parallelism.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Never draw the progress bar.
    #[arg(long)]
    no_progress: bool,
}

/// Query shapes the reports list unless told otherwise.
pub(crate) const HUMAN_TOP: usize = 20;
pub(crate) const JSON_TOP: usize = 1_000;

fn parse_input_format(name: &str) -> Result<InputFormat, String> {
    InputFormat::parse(name).ok_or_else(|| {
        format!(
            "unknown input format `{name}`; use stderr, csvlog, jsonlog, pg-stat-statements or sql"
        )
    })
}

pub fn run(args: WorkloadArgs) -> anyhow::Result<ExitCode> {
    let shown = match args.format {
        ReportFormat::Human => Some(args.top.unwrap_or(HUMAN_TOP)),
        ReportFormat::Json => (!args.all).then_some(args.top.unwrap_or(JSON_TOP)),
    };
    let mut options = Options {
        log_line_prefix: args.log_line_prefix.clone(),
        format: args.input_format,
        exact_fingerprints: args.exact_fingerprints,
        memory_budget: Some(args.memory_budget),
        report_limit: shown,
        threads: args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        ..Options::default()
    };
    options.n_plus_one.min_repeats = args.n_plus_one_min_repeats;
    options.n_plus_one.min_total_ms = args.n_plus_one_min_ms;
    options.n_plus_one.session_gap_ms = args.session_gap_ms;
    options.antipatterns.offset_threshold = args.offset_threshold;
    if !args.schema.is_empty() {
        let mut catalog = Catalog::new();
        for (index, path) in args.schema.iter().enumerate() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read schema {}", path.display()))?;
            let file = SourceFile::new(path.display().to_string(), text);
            if let Some(error) = catalog.replay_file(&file, Some(index)).first() {
                anyhow::bail!(
                    "{}:{}: schema does not parse: {}",
                    path.display(),
                    file.line_col(error.span.start).line,
                    error.message
                );
            }
        }
        options.schema = Some(Arc::new(catalog));
    }
    let mut analyzer = Analyzer::new(options)?;

    let failed = read_files(&mut analyzer, &args.files, !args.no_progress);
    let workload = analyzer.finish();

    let text = match args.format {
        ReportFormat::Human => render_human(&workload, shown.unwrap_or(HUMAN_TOP)),
        ReportFormat::Json => render_json(&workload, shown),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => crate::output::emit(&text)?,
    }

    if failed > 0 {
        return Ok(ExitCode::from(2));
    }
    let threshold = args.fail_on.threshold();
    let failing =
        threshold.is_some_and(|t| workload.findings.iter().any(|f| f.finding.severity >= t));
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Read `files` into `analyzer`, with a progress bar on stderr when `progress` and it is a
/// terminal; files that cannot be read are reported on stderr and counted.
pub(crate) fn read_files(analyzer: &mut Analyzer, files: &[PathBuf], progress: bool) -> usize {
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut progress = Progress::new(total, progress && std::io::stderr().is_terminal());
    let mut failed = 0;
    for path in files {
        let before = progress.done;
        let outcome = analyzer.add_file(path, &mut |read| progress.update(before + read));
        progress.done = before + std::fs::metadata(path).map_or(0, |m| m.len());
        if let Err(error) = outcome {
            progress.clear();
            eprintln!("dbwise: error: {error}");
            failed += 1;
        }
    }
    progress.clear();
    failed
}

/// A progress bar on stderr, drawn only for runs that take more than a second.
struct Progress {
    total: u64,
    done: u64,
    enabled: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    fn new(total: u64, enabled: bool) -> Progress {
        Progress {
            total,
            done: 0,
            enabled,
            started: Instant::now(),
            drawn: None,
        }
    }

    fn update(&mut self, done: u64) {
        if !self.enabled || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        if self
            .drawn
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.drawn = Some(Instant::now());
        let fraction = if self.total == 0 {
            0.0
        } else {
            (done as f64 / self.total as f64).min(1.0)
        };
        let width = 30;
        let filled = (fraction * width as f64) as usize;
        let rate = done as f64 / 1e6 / self.started.elapsed().as_secs_f64();
        eprint!(
            "\r[{}{}] {:>3.0}%  {:.0}/{:.0} MB as stored  {:.0} MB/s ",
            "#".repeat(filled),
            ".".repeat(width - filled),
            fraction * 100.0,
            done as f64 / 1e6,
            self.total as f64 / 1e6,
            rate
        );
    }

    fn clear(&mut self) {
        if self.drawn.take().is_some() {
            eprint!("\r{}\r", " ".repeat(80));
        }
    }
}
