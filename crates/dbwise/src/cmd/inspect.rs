//! `dbwise inspect`: a live database, read-only. Its schema is read as DDL and replayed like a
//! migration history, so every design rule runs on it unchanged, with the real row counts as
//! table sizes; its statistics, sessions and replication go to the live rules. Findings are
//! located at the object they are about (`public.orders.customer_id`), not a line.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::{Finding, SourceFile};
use dbwise_lint::{Check, OptionValue, Settings, Unit, UnitInfo, size};
use dbwise_report::Summary;

use crate::cmd::lint::{self, LintOptions, Listing};
use crate::config::{self, Config};

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
    crate::output::emit_with(|out| lint::render(&findings, &summary, options.format, out))?;
    Ok(lint::exit_code(&findings, config, options))
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
