//! `dbwise choose`: rank database engines for a design brief and explain the choice.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use dbwise_choose::{
    Brief, Inferred, InferredChoice, Key, KnowledgeBase, NO_ENGINE, ObservedQuery, Value, choose,
    explain, infer_brief, signals_from_sql,
};
use dbwise_diagnostics::SourceFile;
use dbwise_report::choose::{
    render_engines, render_explanation, render_human, render_inferred, render_json,
};

use crate::inputs::read_schema;
use crate::output::ReportFormat;

#[derive(clap::Args)]
pub struct ChooseArgs {
    /// The design brief (TOML; every key optional, see docs/brief.md).
    #[arg(value_name = "BRIEF", conflicts_with = "infer")]
    brief: Option<PathBuf>,
    /// Derive the brief from a SQL schema file or a migrations folder, print it, and rank engines for it.
    /// Repeat it (or list several paths) to replay several files in the order given.
    #[arg(long, value_name = "SCHEMA_OR_MIGRATIONS", num_args = 1..)]
    infer: Vec<PathBuf>,
    /// With --infer: server logs (stderr, csvlog, jsonlog, gzip or not) or pg_stat_statements
    /// exports whose queries give the read/write mix and rates, joins, aggregations and key lookups.
    #[arg(long, value_name = "LOGS", num_args = 1.., requires = "infer")]
    workload: Vec<PathBuf>,
    /// Show the full trace for one engine: constraints, every weighted criterion, the gap to the top choice.
    #[arg(long, value_name = "ENGINE")]
    explain: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    format: ReportFormat,
    /// List the engines in the knowledge base and exit.
    #[arg(long)]
    list_engines: bool,
}

pub fn run(args: ChooseArgs) -> anyhow::Result<ExitCode> {
    let kb = KnowledgeBase::embedded().context("the built-in knowledge base is invalid")?;
    if args.list_engines {
        crate::output::emit(&render_engines(&kb))?;
        return Ok(ExitCode::SUCCESS);
    }
    let (brief, inferred) = match (&args.brief, &args.infer[..]) {
        (_, [_, ..]) => {
            let inferred = infer_from(&args.infer, &args.workload)?;
            (inferred.brief.clone(), Some(inferred))
        }
        (Some(path), []) => match read_brief(path)? {
            Ok(brief) => (brief, None),
            Err(code) => return Ok(code),
        },
        (None, []) => anyhow::bail!(
            "missing the design brief: run `dbwise choose BRIEF.toml` or `dbwise choose --infer SCHEMA.sql` (see docs/brief.md)"
        ),
    };
    if let Some(id) = args.explain {
        let Some(explanation) = explain(&brief, &kb, &id.to_lowercase()) else {
            anyhow::bail!(
                "unknown engine `{id}`; known engines: {}",
                kb.ids().join(", ")
            );
        };
        crate::output::emit(&match args.format {
            ReportFormat::Human => render_explanation(&explanation, &brief),
            ReportFormat::Json => render_json(&explanation),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let choice = choose(&brief, &kb);
    let out = match (args.format, &inferred) {
        (ReportFormat::Human, Some(inferred)) => {
            render_inferred(&display(&args.infer), inferred, &choice, &brief)
        }
        (ReportFormat::Human, None) => render_human(&choice, &brief),
        (ReportFormat::Json, Some(inferred)) => render_json(&InferredChoice {
            inferred_brief: inferred.to_toml(),
            choice: &choice,
        }),
        (ReportFormat::Json, None) => render_json(&choice),
    };
    crate::output::emit(&out)?;
    let nothing_fits = choice
        .warnings
        .iter()
        .any(|warning| warning.rule == NO_ENGINE);
    Ok(if nothing_fits {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Read and check a brief; on invalid input print every problem and return exit code 2.
fn read_brief(path: &Path) -> anyhow::Result<Result<Brief, ExitCode>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read brief {}", path.display()))?;
    let file = SourceFile::new(path.display().to_string(), text);
    match Brief::parse(&file) {
        Ok(brief) => Ok(Ok(brief)),
        Err(errors) => {
            for error in &errors.0 {
                eprintln!("dbwise: error: {error}");
            }
            eprintln!(
                "dbwise: the brief has {} error(s); nothing was ranked",
                errors.0.len()
            );
            Ok(Err(ExitCode::from(2)))
        }
    }
}

/// The paths as the user named them, comma-separated.
fn display(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    names.join(", ")
}

/// Replay schema files and migrations folders, in the order given, and infer a brief from
/// what they show.
fn infer_from(paths: &[PathBuf], logs: &[PathBuf]) -> anyhow::Result<Inferred> {
    let files = read_schema(paths)?;
    let queries = observed_queries(logs)?;
    let evidence = signals_from_sql(&files, &queries);
    for skipped in &evidence.skipped {
        eprintln!(
            "dbwise: warning: {}:{}: statement skipped, it does not parse: {}",
            skipped.path, skipped.line, skipped.message
        );
    }
    if evidence.unparsed_queries > 0 {
        eprintln!(
            "dbwise: warning: {} workload query shapes do not parse and were left out",
            evidence.unparsed_queries
        );
    }
    if !logs.is_empty() && evidence.observed_seconds.is_none() {
        eprintln!(
            "dbwise: warning: the workload has no usable timestamps, so read and write rates are not inferred"
        );
    }
    if evidence.statements == 0 {
        anyhow::bail!(
            "{}: no SQL statements to infer a brief from",
            display(paths)
        );
    }
    let mut inferred = infer_brief(&evidence.signals);
    let name = format!("inferred from {}", display(paths));
    inferred
        .brief
        .set(Key::Name, Value::Text(name))
        .map_err(anyhow::Error::msg)?;
    Ok(inferred)
}

/// The query shapes of the given logs or exports, through the workload analyser.
fn observed_queries(logs: &[PathBuf]) -> anyhow::Result<Vec<ObservedQuery>> {
    if logs.is_empty() {
        return Ok(Vec::new());
    }
    let mut analyzer = dbwise_workload::Analyzer::new(dbwise_workload::Options::default())?;
    for log in logs {
        analyzer.add_file(log, &mut |_| {})?;
    }
    let workload = analyzer.finish();
    for file in workload.files.iter().filter(|file| file.skipped_lines > 0) {
        eprintln!(
            "dbwise: warning: {}: {} lines could not be read as log records and were skipped",
            file.path, file.skipped_lines
        );
    }
    Ok(workload
        .queries
        .into_iter()
        .map(|query| ObservedQuery {
            text: query.query,
            calls: query.calls,
            first_seen: query.first_seen,
            last_seen: query.last_seen,
        })
        .collect())
}
