//! `dbwise inspect`: a live database, read-only. Its schema is read as DDL and replayed like a
//! migration history, so every design rule runs on it unchanged, with the real row counts as
//! table sizes; its statistics, sessions and replication go to the live rules. Findings are
//! located at the object they are about (`public.orders.customer_id`), not a line. When the
//! database has pg_stat_statements, its heaviest statements, read in the same read-only
//! transaction, make the report `dbwise workload` makes of an export.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::{Finding, SourceFile};
use dbwise_lint::{Check, OptionValue, Settings, Unit, UnitInfo, size};
use dbwise_report::Summary;

use dbwise_report::workload::{render_human, render_json};
use dbwise_workload::{Analyzer, InputFormat, Options, Workload};

use crate::cmd::lint::{self, LintOptions, Listing};
use crate::cmd::workload::{HUMAN_TOP, JSON_TOP};
use crate::config::{self, Config};
use crate::output::Format;

#[derive(clap::Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub common: LintOptions,
    #[command(flatten)]
    pub live: LiveOptions,
}

/// How `dbwise inspect` reads a live database (also used by `review`).
#[derive(clap::Args, Clone)]
pub struct LiveOptions {
    /// The longest any one of inspect's queries may run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub statement_timeout: u64,
    /// The longest a query may wait for a lock, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    pub lock_timeout: u64,
    /// How many days the index statistics must cover before unused-index judges (default
    /// `[lint.unused-index] min-age-days`, 7).
    #[arg(long, value_name = "DAYS")]
    pub stats_min_age: Option<i64>,
    /// Do not read pg_stat_statements: no workload report.
    #[arg(long)]
    pub no_workload: bool,
    /// How many statements of pg_stat_statements the workload report reads, the heaviest by
    /// total time.
    #[arg(long, value_name = "N", default_value_t = dbwise_pg::DEFAULT_STATEMENTS)]
    pub workload_statements: usize,
}

pub fn run(args: InspectArgs) -> anyhow::Result<ExitCode> {
    let config = config::load_or_default(args.common.config.as_deref())?;
    run_inspect(&config, &args.common, &args.live)
}

/// Inspect the database of `options.database_url`, print the findings and return the exit
/// code, as lint does.
pub fn run_inspect(
    config: &Config,
    options: &LintOptions,
    live_options: &LiveOptions,
) -> anyhow::Result<ExitCode> {
    let report = inspect_report(config, options, live_options)?;
    print(
        &report.findings,
        &report.summary,
        report.workload.as_ref(),
        options.format,
    )?;
    Ok(lint::exit_code(&report.findings, config, options))
}

/// What inspect found: findings, the size of the schema read, and the workload of
/// pg_stat_statements when it was read.
pub struct InspectReport {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub workload: Option<Workload>,
}

/// Inspect the database of `options.database_url` (its notes go to stderr).
pub fn inspect_report(
    config: &Config,
    options: &LintOptions,
    live_options: &LiveOptions,
) -> anyhow::Result<InspectReport> {
    let url = options
        .database_url
        .as_deref()
        .context("name the database: --database-url URL or DBWISE_DATABASE_URL")?;
    let mut settings = lint::resolve_settings(config, options)?;
    if let Some(days) = live_options.stats_min_age {
        settings.options.insert(
            (
                dbwise_lint::rules::live::unused_index::RULE
                    .meta
                    .id
                    .to_owned(),
                "min-age-days".to_owned(),
            ),
            OptionValue::Integer(days),
        );
    }
    let read = dbwise_pg::InspectOptions {
        statement_timeout: Duration::from_secs(live_options.statement_timeout),
        lock_timeout: Duration::from_secs(live_options.lock_timeout),
        statements: (!live_options.no_workload).then_some(live_options.workload_statements),
        ..dbwise_pg::InspectOptions::default()
    };
    let inspection = dbwise_pg::inspect(url, &read).map_err(|error| {
        let hint = match error {
            dbwise_pg::PgError::Connect(_) | dbwise_pg::PgError::ConnectTimeout { .. } => {
                "; check the URL (--database-url or DBWISE_DATABASE_URL) and that the server accepts connections"
            }
            _ => "",
        };
        anyhow::anyhow!(
            "cannot inspect {}: {}{hint}",
            dbwise_pg::redact(url),
            config::pg_cause(&error)
        )
    })?;
    let live = &inspection.live;
    if options.pg_version.is_none() {
        settings.pg_version = (live.server_version / 10000).clamp(11, 18);
    }
    let sizes: Vec<dbwise_pg::TableRows> = live
        .tables
        .iter()
        .filter_map(|t| {
            Some(dbwise_pg::TableRows {
                schema: t.schema.clone(),
                name: t.name.clone(),
                rows: t.rows?,
                bytes: None,
            })
        })
        .collect();
    config::merge_database_rows(&mut settings.table_rows, &sizes);
    eprintln!(
        "dbwise: {}: PostgreSQL {}.{}{}, {} tables, {} indexes, {} sequences",
        dbwise_pg::redact(url),
        live.server_version / 10000,
        live.server_version % 10000,
        if live.standby { " standby" } else { "" },
        live.tables.len(),
        live.indexes.len(),
        live.sequences.len()
    );
    let (mut findings, statements) = design_findings(&inspection.schema, &settings);
    let outcome = dbwise_lint::lint_live(live, &settings);
    findings.extend(outcome.findings);
    for note in live.unreadable.iter().chain(&outcome.notes) {
        eprintln!("dbwise: note: {note}");
    }
    let conventions = if options.conventions == Listing::Count {
        size::fold_conventions(&mut findings)
    } else {
        None
    };
    let summary = Summary {
        files: 1,
        statements,
        conventions,
        ..Summary::default()
    };
    let workload = match &inspection.statements {
        Some(statements) => Some(workload(statements, options.format)?),
        None => None,
    };
    Ok(InspectReport {
        findings,
        summary,
        workload,
    })
}

/// Print the findings in `format`, and the workload report after them (human) or as the
/// `workload` member (JSON).
pub fn print(
    findings: &[Finding],
    summary: &Summary,
    workload: Option<&Workload>,
    format: Format,
) -> anyhow::Result<()> {
    crate::output::emit_with(|out| match (workload, format) {
        (Some(workload), Format::Json) => {
            let workload = render_json(workload, Some(JSON_TOP));
            dbwise_report::render_json_with(findings, summary, &[("workload", &workload)], out)
        }
        (Some(workload), Format::Human) => {
            lint::render(findings, summary, format, out)?;
            writeln!(out, "\nWorkload (pg_stat_statements)\n")?;
            out.write_all(render_human(workload, HUMAN_TOP).as_bytes())
        }
        _ => lint::render(findings, summary, format, out),
    })
}

/// The workload report of the statements read from pg_stat_statements, as `dbwise workload`
/// makes it from an export.
fn workload(statements: &dbwise_pg::Statements, format: Format) -> anyhow::Result<Workload> {
    if statements.total > statements.limit as u64 {
        eprintln!(
            "dbwise: note: pg_stat_statements holds {} statements of this database; the workload report reads the {} heaviest by total time (--workload-statements)",
            statements.total, statements.limit
        );
    }
    if !matches!(format, Format::Human | Format::Json) {
        eprintln!(
            "dbwise: note: the workload report of pg_stat_statements comes with --format human or json"
        );
    }
    let mut analyzer = Analyzer::new(Options {
        format: Some(InputFormat::PgStatStatements),
        report_limit: Some(if format == Format::Json {
            JSON_TOP
        } else {
            HUMAN_TOP
        }),
        ..Options::default()
    })?;
    analyzer.add_pg_stat_statements("pg_stat_statements", statements.csv.as_slice())?;
    Ok(analyzer.finish())
}

/// The design rules' findings on the live schema, each located at the object whose
/// declaration it points into, and the number of statements the schema took.
fn design_findings(schema: &dbwise_pg::LiveSchema, settings: &Settings) -> (Vec<Finding>, usize) {
    // Only the rules that judge the finished catalog: the statements are not migrations.
    let design = Settings {
        select: dbwise_lint::rules::ALL
            .iter()
            .filter(|r| matches!(r.check, Check::Catalog(_)) && settings.is_enabled(r.meta.id))
            .map(|r| r.meta.id.to_owned())
            .collect(),
        enable: Vec::new(),
        ..settings.clone()
    };
    if design.select.is_empty() {
        return (Vec::new(), 0);
    }
    let source = SourceFile::new("live schema".to_owned(), schema.ddl.clone());
    let parsed = dbwise_syntax::parse(&source);
    let statements = parsed.statements.len();
    let unit = Unit {
        parsed,
        info: UnitInfo {
            index: 0,
            framework: None,
            transaction: TransactionMode::None,
            scratch: false,
            day: None,
        },
    };
    let mut findings: Vec<Finding> = dbwise_lint::lint([unit], &design)
        .findings
        .into_iter()
        .map(|finding| {
            let object = schema
                .object_at(finding.span.start as usize)
                .unwrap_or("schema")
                .to_owned();
            // Fixes edit the generated text, which is nobody's file.
            Finding {
                fix: None,
                ..finding
            }
            .on(object)
        })
        .collect();
    findings.sort_by(|a, b| (&a.object, a.rule).cmp(&(&b.object, b.rule)));
    (findings, statements)
}
