//! `dbwise indexes`: the indexes to create and to drop for a workload, costed on a live
//! PostgreSQL with HypoPG, under a storage budget.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::ValueEnum;
use dbwise_indexes::{Options, WorkloadQuery};
use dbwise_pg::redact;
use dbwise_report::indexes;
use dbwise_workload::Analyzer;

use super::parse_size;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndexFormat {
    Human,
    Json,
    /// A migration: each CREATE / DROP INDEX CONCURRENTLY on its own, with a lock_timeout.
    Sql,
}

#[derive(clap::Args)]
pub struct IndexesArgs {
    /// The database to advise on; only read, in a READ ONLY transaction.
    #[arg(
        long,
        value_name = "URL",
        env = "DBWISE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: String,
    /// Server logs, pg_stat_statements CSV exports or .sql files (weighted by `-- calls: N`).
    /// Without it, the database's own pg_stat_statements is read when it is installed.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    workload: Vec<PathBuf>,
    /// Storage the new indexes may take (HypoPG's estimate): 500MB, 1.5GB, 300MiB, bytes.
    #[arg(long, value_name = "SIZE", default_value = "500MB", value_parser = parse_size)]
    budget: u64,
    /// At most this many new indexes.
    #[arg(long, value_name = "N")]
    max_indexes: Option<usize>,
    /// Rank candidates by heuristics without HypoPG; the result is marked as not costed.
    #[arg(long)]
    offline: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: IndexFormat,
    /// Never show the progress line.
    #[arg(long)]
    no_progress: bool,
}

pub fn run(args: IndexesArgs) -> anyhow::Result<ExitCode> {
    let mut client = dbwise_pg::connect(&args.database_url, "dbwise indexes")
        .with_context(|| format!("cannot connect to {}", redact(&args.database_url)))?;
    let workload = if args.workload.is_empty() {
        dbwise_indexes::read_pg_stat_statements(&mut client)?.context(
            "no --workload given and pg_stat_statements is not installed in this database",
        )?
    } else {
        read_workload(&args.workload)?
    };
    let options = Options {
        budget_bytes: args.budget,
        max_indexes: args.max_indexes,
        offline: args.offline,
    };
    let started = Instant::now();
    let show = !args.no_progress && std::io::stderr().is_terminal();
    let mut shown = false;
    let mut progress = |what: &str| {
        if show && started.elapsed() > Duration::from_secs(1) {
            eprint!("\r\x1b[K{what} ({:.0} s)", started.elapsed().as_secs_f64());
            shown = true;
        }
    };
    let advice = dbwise_indexes::advise(&mut client, &workload, &options, &mut progress);
    if shown {
        eprint!("\r\x1b[K");
    }
    let advice = advice?;
    let text = match args.format {
        IndexFormat::Human => indexes::render_human(&advice),
        IndexFormat::Json => indexes::render_json(&advice),
        IndexFormat::Sql => indexes::render_sql(&advice),
    };
    crate::output::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn read_workload(files: &[PathBuf]) -> anyhow::Result<Vec<WorkloadQuery>> {
    let mut analyzer = Analyzer::new(dbwise_workload::Options::default())?;
    for path in files {
        analyzer.add_file(path, &mut |_| {})?;
    }
    Ok(analyzer
        .finish()
        .queries
        .into_iter()
        .map(|q| WorkloadQuery {
            fingerprint: q.fingerprint,
            query: q.query,
            text: q.sample,
            calls: q.calls,
        })
        .collect())
}
