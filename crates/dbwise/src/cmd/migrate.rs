//! `dbwise migrate`: migration tools that need a real PostgreSQL.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use clap::ValueEnum;
use dbwise_catalog::migrations::{self, Framework, Script, TransactionMode};
use dbwise_diagnostics::escape_control;
use dbwise_impact::{Sizes, TableSize};
use dbwise_locks::Throughput;
use dbwise_pg::{FileTransaction, StopHandle, TraceError, TraceOn, TraceOptions, redact};

use crate::config;
use crate::inputs::read_script;
use crate::output::{ReportFormat, emit, emit_with};

#[derive(clap::Subcommand)]
pub enum MigrateCommand {
    /// Run migrations statement by statement on a throwaway PostgreSQL and report, for each
    /// statement, the locks it took, the tables it rewrote or scanned, and how long it ran.
    ///
    /// This EXECUTES the SQL it is given. On the throwaway cluster it runs as an ordinary role
    /// that owns the scratch database (not a superuser), in a private folder with password
    /// authentication; with --database-url everything is rolled back.
    Trace(TraceArgs),
    /// Print a migration as ordered safe steps, each one a separate migration file's SQL, marking
    /// the steps that need an application deploy first.
    Plan(PlanArgs),
    /// Which queries of a workload a migration will block, for how long, and when to run it:
    /// per statement its locks and how long they are held (from table sizes and measured
    /// throughput), the query shapes they block with their rate and the queries expected to
    /// queue, a verdict (safe, schedule, rewrite as a plan); the quietest hour and a
    /// lock_timeout.
    Impact(ImpactArgs),
}

#[derive(clap::Args)]
pub struct ImpactArgs {
    /// Earlier migrations (SQL files and migration folders, replayed in order), then the
    /// migration judged. A folder alone: its last migration is judged after the others. A file
    /// alone: the migrations before it in its folder are replayed first.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// The traffic the migration runs beside: server logs (stderr, csvlog, jsonlog) or
    /// pg_stat_statements exports. Repeat for several files. Log timestamps give the rates per
    /// hour and the window.
    #[arg(long, value_name = "FILE", required = true)]
    pub workload: Vec<PathBuf>,
    /// Read the tables' row counts and sizes from this database (read-only); `[tables] sizes`
    /// of dbwise.toml win for the tables they name.
    #[arg(
        long,
        value_name = "URL",
        env = "DBWISE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// The server's log_line_prefix (`SHOW log_line_prefix`); detected from the common ones when omitted.
    #[arg(long, value_name = "PREFIX")]
    pub log_line_prefix: Option<String>,
    #[command(flatten)]
    pub common: StaticArgs,
}

#[derive(clap::Args)]
pub struct PlanArgs {
    /// The migration file to plan.
    pub file: PathBuf,
    /// SQL files and migration folders replayed first, so the plan knows the tables and column
    /// types. By default, when the file belongs to a migration folder, the migrations before it.
    #[arg(long, value_name = "PATH")]
    pub after: Vec<PathBuf>,
    #[command(flatten)]
    pub common: StaticArgs,
}

/// What `plan` and `impact` are told besides their inputs.
#[derive(clap::Args)]
pub struct StaticArgs {
    /// PostgreSQL major version the migration runs on (11 to 18).
    #[arg(long)]
    pub pg_version: Option<u32>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Migration framework of folder inputs, instead of detecting it.
    #[arg(long)]
    pub framework: Option<String>,
    /// Configuration file; by default dbwise.toml is searched from the current folder upwards.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

impl StaticArgs {
    /// The configuration, and the PostgreSQL version and framework it gives or these override.
    fn resolve(&self) -> anyhow::Result<(config::Config, u32, Option<Framework>)> {
        let config = config::load_or_default(self.config.as_deref())?;
        let pg_version = match self.pg_version {
            Some(version) => config::check_pg_version(version)?,
            None => config.settings.pg_version,
        };
        let framework = match &self.framework {
            Some(name) => Some(config::parse_framework(name)?),
            None => config.framework,
        };
        Ok((config, pg_version, framework))
    }
}

#[derive(clap::Args)]
pub struct TraceArgs {
    /// SQL files (run in the order given) and migration folders (framework detected, run in
    /// migration order). Defaults to `[migrations] path` of dbwise.toml.
    pub paths: Vec<PathBuf>,
    /// Trace on this scratch database instead of a throwaway cluster. Everything runs in one
    /// transaction that is rolled back, one statement per round trip; statements that refuse
    /// transaction blocks, transaction control and session changes are skipped.
    #[arg(
        long,
        value_name = "URL",
        env = "DBWISE_TRACE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Run the traced SQL as the throwaway cluster's superuser instead of an ordinary role that
    /// owns the scratch database (for migrations that create roles or untrusted languages).
    /// The SQL can then run programs on this machine as the server's OS user.
    #[arg(long, conflicts_with = "database_url")]
    pub superuser: bool,
    /// statement_timeout of each traced statement (PostgreSQL units: 30s, 5min; 0 for none).
    #[arg(long, value_name = "DURATION", default_value = "5min")]
    pub statement_timeout: String,
    /// lock_timeout of each traced statement. Default: 0 (none) on the throwaway cluster, where
    /// the blocking probe makes statements wait on purpose, and 5s with --database-url.
    #[arg(long, value_name = "DURATION")]
    pub lock_timeout: Option<String>,
    /// application_name of dbwise's connections, as other sessions see it in pg_stat_activity.
    #[arg(long, value_name = "NAME", default_value = "dbwise")]
    pub application_name: String,
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Instead of tracing files, time a validation scan, an index build and a rewrite of a
    /// generated table of this size (such as 256MB) on a throwaway cluster, and store the
    /// figures for `migrate impact` (in $DBWISE_THROUGHPUT_FILE, or dbwise/throughput.json in
    /// $XDG_DATA_HOME or ~/.local/share).
    #[arg(long, value_name = "SIZE", value_parser = super::parse_size, conflicts_with_all = ["paths", "database_url"])]
    pub measure_throughput: Option<u64>,
    /// How each file's statements are grouped into transactions: `framework` runs migration
    /// folders as their framework does and plain files as written.
    #[arg(long, value_enum, default_value = "framework")]
    pub transaction: TransactionArg,
    /// Migration framework of folder inputs, instead of detecting it.
    #[arg(long)]
    pub framework: Option<String>,
    /// Directory holding initdb, postgres and pg_ctl for the throwaway cluster (default:
    /// $DBWISE_PG_BIN, then the newest /usr/lib/postgresql/*/bin, then $PATH).
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
    /// Configuration file; by default dbwise.toml is searched from the current folder upwards.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransactionArg {
    /// As the migration framework runs each file (plain files: as written).
    Framework,
    /// Each file in one transaction.
    Wrapped,
    /// Honour the file's own BEGIN/COMMIT; every other statement commits on its own.
    AsWritten,
}

pub fn run(command: MigrateCommand) -> anyhow::Result<ExitCode> {
    match command {
        MigrateCommand::Trace(args) => trace(args),
        MigrateCommand::Plan(args) => plan(args),
        MigrateCommand::Impact(args) => impact(args),
    }
}

/// The cluster a signal handler stops, once there is one.
static RUNNING_CLUSTER: Mutex<Option<StopHandle>> = Mutex::new(None);

/// Stop the throwaway cluster (if one is running) on SIGINT, SIGTERM or SIGHUP. Installed
/// before anything starts; a signal that kills dbwise outright (SIGKILL) is covered by the
/// cluster itself, which shuts down and is removed when dbwise is gone.
fn install_signal_handler() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        let running = RUNNING_CLUSTER
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(handle) = running {
            let _ = handle.stop();
            eprintln!("dbwise: interrupted; the throwaway cluster was stopped and removed");
        }
        std::process::exit(130);
    })
    .context("cannot install the signal handler")
}

fn trace(args: TraceArgs) -> anyhow::Result<ExitCode> {
    if let Some(bytes) = args.measure_throughput {
        return measure(bytes, args.pg_bin);
    }
    install_signal_handler()?;
    let config = config::load_or_default(args.config.as_deref())?;
    let paths = if args.paths.is_empty() {
        vec![config.migrations_path.clone().context(
            "no input: name SQL files or folders, or set [migrations] path in dbwise.toml",
        )?]
    } else {
        args.paths.clone()
    };
    let framework = match &args.framework {
        Some(name) => Some(config::parse_framework(name)?),
        None => config.framework,
    };

    let mut input_errors = Vec::new();
    let mut planned: Vec<(Script, FileTransaction)> = Vec::new();
    for path in &paths {
        if path.is_dir() {
            match migrations::discover_in_project(path, framework) {
                Ok(set) => planned.extend(
                    set.migrations
                        .into_iter()
                        .map(|m| (m.up, grouping(args.transaction, Some(m.transaction)))),
                ),
                Err(error) => input_errors.push(error.to_string()),
            }
        } else {
            planned.push((
                Script::whole(path.clone()),
                grouping(args.transaction, None),
            ));
        }
    }
    let mut files = Vec::new();
    for (script, group) in planned {
        match read_script(&script) {
            Ok(source) => files.push((dbwise_syntax::parse(&source), group)),
            Err(error) => input_errors.push(error),
        }
    }
    for error in &input_errors {
        eprintln!("dbwise: error: {error}");
    }
    if files.is_empty() {
        anyhow::bail!("nothing to trace");
    }

    let options = TraceOptions {
        on: match &args.database_url {
            Some(url) => TraceOn::Database {
                url: url.clone(),
                application_name: args.application_name.clone(),
            },
            None => TraceOn::Throwaway {
                bin_dir: args.pg_bin.clone(),
                superuser: args.superuser,
            },
        },
        statement_timeout: args.statement_timeout.clone(),
        lock_timeout: args.lock_timeout.clone(),
    };
    let report = dbwise_pg::trace_files(&files, &options, &mut |running| {
        *RUNNING_CLUSTER
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = running;
    })
    .map_err(|error| match error {
        TraceError::Connect(source) => anyhow::Error::new(source).context(format!(
            "cannot connect to --database-url {}",
            redact(args.database_url.as_deref().unwrap_or_default())
        )),
        TraceError::Start(source) => {
            anyhow::Error::new(source).context("cannot start a throwaway PostgreSQL cluster")
        }
        TraceError::Run(source) => source.into(),
    })?;
    match args.format {
        ReportFormat::Human => emit(&dbwise_report::trace::render_human(&report))?,
        ReportFormat::Json => emit_with(|out| {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            std::io::Write::write_all(out, b"\n")
        })?,
    }
    let syntax_errors = report.files.iter().any(|f| !f.syntax_errors.is_empty());
    let failed = report
        .files
        .iter()
        .any(|f| f.failed_statements() > 0 || f.note.is_some());
    Ok(if !input_errors.is_empty() || syntax_errors {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plan(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let (_, pg_version, framework) = args.common.resolve()?;
    let (history_paths, framework) = if args.after.is_empty() {
        match earlier_migrations(&args.file, framework) {
            Some(history) => {
                eprintln!(
                    "dbwise: history: the {} earlier migrations of {} ({}) are replayed first; name other history with --after",
                    history.paths.len(),
                    escape_control(&history.folder.display().to_string()),
                    history.framework.name()
                );
                (history.paths, Some(history.framework))
            }
            None => {
                eprintln!(
                    "dbwise: history: none (the file is not in a migration folder); name earlier migrations with --after"
                );
                (Vec::new(), framework)
            }
        }
    } else {
        let mut framework = framework;
        (expand(&args.after, &mut framework, "--after")?, framework)
    };
    let history = parse_all(&history_paths)?;
    let parsed = parse_judged(&Script::whole(args.file.clone()), "plan")?;
    let plan = dbwise_lint::plan::plan_file(&history, &parsed, pg_version);
    match args.common.format {
        ReportFormat::Human => emit(&dbwise_report::plan::render_human(&plan, framework))?,
        ReportFormat::Json => emit_with(|out| {
            serde_json::to_writer_pretty(&mut *out, &plan)?;
            std::io::Write::write_all(out, b"\n")
        })?,
    }
    Ok(if parsed.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Where `migrate trace --measure-throughput` stores its figures and `migrate impact` reads them.
fn throughput_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DBWISE_THROUGHPUT_FILE") {
        return Some(PathBuf::from(path));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("dbwise").join("throughput.json"))
}

/// The stored throughput figures and where they come from, or the defaults when none are stored.
fn load_throughput() -> anyhow::Result<(Throughput, String)> {
    let Some(path) = throughput_file() else {
        return Ok((
            Throughput::DEFAULT,
            "defaults: no place to store measurements (HOME is not set)".to_string(),
        ));
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let stored: StoredThroughput = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{}: not a throughput file written by `dbwise migrate trace --measure-throughput`; measure again or remove it",
                    path.display()
                )
            })?;
            Ok((
                stored.throughput,
                format!(
                    "measured by migrate trace on a {} MB table, PostgreSQL {}, stored in {}",
                    stored.table_bytes / 1_000_000,
                    stored.server_version,
                    path.display()
                ),
            ))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok((
            Throughput::DEFAULT,
            format!(
                "defaults: nothing measured on this machine; `dbwise migrate trace --measure-throughput 256MB` stores figures in {}",
                path.display()
            ),
        )),
        Err(error) => {
            Err(anyhow::Error::new(error).context(format!("cannot read {}", path.display())))
        }
    }
}

/// The throughput figures as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredThroughput {
    #[serde(flatten)]
    throughput: Throughput,
    table_bytes: u64,
    server_version: String,
}

fn measure(bytes: u64, pg_bin: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = throughput_file().context(
        "no place to store the figures: set HOME, XDG_DATA_HOME or DBWISE_THROUGHPUT_FILE",
    )?;
    let measured = dbwise_pg::measure_throughput(pg_bin, bytes)
        .context("cannot measure throughput on a throwaway PostgreSQL cluster")?;
    let stored = StoredThroughput {
        throughput: measured.throughput,
        table_bytes: measured.table_bytes,
        server_version: measured.server_version,
    };
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    std::fs::write(&path, serde_json::to_string_pretty(&stored)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    emit(&format!(
        "PostgreSQL {} on a {} MB table: {}\nstored in {}\n",
        stored.server_version,
        stored.table_bytes / 1_000_000,
        stored.throughput.describe(),
        escape_control(&path.display().to_string())
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn impact(args: ImpactArgs) -> anyhow::Result<ExitCode> {
    let (config, pg_version, mut framework) = args.common.resolve()?;
    let mut scripts = Vec::new();
    if let [file] = args.paths.as_slice()
        && !file.is_dir()
        && let Some(history) = earlier_migrations(file, framework)
    {
        framework = Some(history.framework);
        scripts.extend(history.paths);
    }
    scripts.extend(expand(&args.paths, &mut framework, "a migration path")?);
    let judged = scripts
        .pop()
        .context("no migration to judge: the folder holds no migrations")?;
    let history = parse_all(&scripts)?;
    let migration = parse_judged(&judged, "impact")?;

    let data = ImpactData::read(
        &config,
        args.database_url.as_deref(),
        &args.workload,
        args.log_line_prefix.as_deref(),
    )?;
    let inputs = data.inputs(pg_version);
    let impact = dbwise_impact::impact(&history, &migration, &inputs);
    match args.common.format {
        ReportFormat::Human => emit(&dbwise_report::impact::render_human(
            &impact,
            migration.source.path(),
            framework,
        ))?,
        ReportFormat::Json => emit_with(|out| {
            serde_json::to_writer_pretty(&mut *out, &impact)?;
            std::io::Write::write_all(out, b"\n")
        })?,
    }
    Ok(if data.failed > 0 || !migration.errors.is_empty() {
        ExitCode::from(2)
    } else if impact.verdict == dbwise_impact::Verdict::Safe {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What `migrate impact` (and `lint --workload`) judge a migration against: the workload, the
/// table sizes and the throughput figures, each with where it comes from.
pub(crate) struct ImpactData {
    workload: dbwise_workload::Workload,
    sizes: Sizes,
    sizes_from: String,
    throughput: Throughput,
    throughput_from: String,
    /// Workload files that could not be read (named on stderr).
    pub failed: usize,
}

impl ImpactData {
    /// Read the workload `files`, the sizes of `[tables] sizes` and of the database at `url`,
    /// and the stored throughput figures.
    pub(crate) fn read(
        config: &config::Config,
        url: Option<&str>,
        files: &[PathBuf],
        log_line_prefix: Option<&str>,
    ) -> anyhow::Result<ImpactData> {
        let mut rows = config.table_sizes.clone();
        let mut sizes_from = Vec::new();
        if !rows.is_empty() {
            sizes_from.push("rows from [tables] sizes of dbwise.toml".to_string());
        }
        let mut bytes = std::collections::BTreeMap::new();
        if let Some(url) = url {
            let configured = rows.clone();
            for table in config::add_database_rows(&mut rows, url)? {
                let key = format!("{}.{}", table.schema, table.name);
                if let Some(size) = table.bytes
                    && !configured.contains_key(&key)
                {
                    bytes.insert(key, size);
                }
            }
            sizes_from.push(format!("rows and bytes from {}", dbwise_pg::redact(url)));
        }
        if sizes_from.is_empty() {
            sizes_from
                .push("none given ([tables] sizes in dbwise.toml, or --database-url)".to_string());
        }
        let sizes: Sizes = rows
            .into_iter()
            .map(|(name, rows)| {
                let size = TableSize {
                    rows: Some(rows),
                    bytes: bytes.get(&name).copied(),
                };
                (name, size)
            })
            .collect();

        let options = dbwise_workload::Options {
            log_line_prefix: log_line_prefix.map(str::to_owned),
            hourly: true,
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            ..dbwise_workload::Options::default()
        };
        let mut analyzer = dbwise_workload::Analyzer::new(options)?;
        let failed = super::workload::read_files(&mut analyzer, files, true);
        if failed == files.len() {
            anyhow::bail!(
                "no workload could be read: name server logs or pg_stat_statements exports with --workload"
            );
        }
        let (throughput, throughput_from) = load_throughput()?;
        Ok(ImpactData {
            workload: analyzer.finish(),
            sizes,
            sizes_from: sizes_from.join("; "),
            throughput,
            throughput_from,
            failed,
        })
    }

    pub(crate) fn inputs(&self, pg_major: u32) -> dbwise_impact::Inputs<'_> {
        dbwise_impact::Inputs {
            workload: &self.workload,
            sizes: &self.sizes,
            sizes_from: &self.sizes_from,
            throughput: &self.throughput,
            throughput_from: &self.throughput_from,
            pg_major,
        }
    }
}

/// The scripts of `paths` in order: a folder's up migrations (its framework detected unless
/// `framework` names one, and then kept there), a file as it is. `what` names the paths in errors.
fn expand(
    paths: &[PathBuf],
    framework: &mut Option<Framework>,
    what: &str,
) -> anyhow::Result<Vec<Script>> {
    let mut scripts = Vec::new();
    for path in paths {
        if path.is_dir() {
            let set = migrations::discover_in_project(path, *framework)
                .with_context(|| format!("{}: {what}", path.display()))?;
            framework.get_or_insert(set.framework);
            scripts.extend(set.migrations.into_iter().map(|m| m.up));
        } else {
            scripts.push(Script::whole(path.clone()));
        }
    }
    Ok(scripts)
}

/// Read and parse history scripts.
fn parse_all(scripts: &[Script]) -> anyhow::Result<Vec<dbwise_syntax::ParsedFile>> {
    scripts
        .iter()
        .map(|s| {
            Ok(dbwise_syntax::parse(
                &read_script(s).map_err(anyhow::Error::msg)?,
            ))
        })
        .collect()
}

/// Read and parse the migration a command judges, reporting each statement that does not parse
/// (left out of the `command`'s result).
fn parse_judged(script: &Script, command: &str) -> anyhow::Result<dbwise_syntax::ParsedFile> {
    let parsed = dbwise_syntax::parse(&read_script(script).map_err(anyhow::Error::msg)?);
    for error in &parsed.errors {
        let at = parsed.source.line_col(error.span.start);
        eprintln!(
            "dbwise: error: {}:{}:{}: {} (statement left out of the {command}; fix it and run again)",
            parsed.source.path(),
            at.line,
            at.column,
            error.message
        );
    }
    Ok(parsed)
}

/// The migrations a plan replays before its file.
struct History {
    folder: PathBuf,
    framework: Framework,
    paths: Vec<Script>,
}

/// The up migrations before `file`, when the file belongs to a migration folder (its own folder
/// for flat layouts, the parent folder for one-folder-per-migration layouts). A folder of plain
/// `.sql` files with no migration layout counts only when the framework is named: otherwise a
/// file in a folder of unrelated scripts would replay all of them.
fn earlier_migrations(file: &std::path::Path, framework: Option<Framework>) -> Option<History> {
    let file = file.canonicalize().ok()?;
    let folders: Vec<&std::path::Path> = file.ancestors().skip(1).take(2).collect();
    // The one-folder-per-migration layout first: its own folder would look like a set of one.
    for dir in folders.into_iter().rev() {
        let Ok(set) = migrations::discover(dir, framework) else {
            continue;
        };
        if set.framework == Framework::Plain && framework.is_none() {
            continue;
        }
        let ups: Vec<Script> = set.migrations.into_iter().map(|m| m.up).collect();
        if let Some(position) = ups
            .iter()
            .position(|up| up.path.canonicalize().is_ok_and(|up| up == file))
        {
            return Some(History {
                folder: dir.to_path_buf(),
                framework: set.framework,
                paths: ups[..position].to_vec(),
            });
        }
    }
    None
}

fn grouping(arg: TransactionArg, framework: Option<TransactionMode>) -> FileTransaction {
    match (arg, framework) {
        (TransactionArg::Wrapped, _) => FileTransaction::Wrapped,
        (TransactionArg::AsWritten, _) => FileTransaction::AsWritten,
        (TransactionArg::Framework, Some(TransactionMode::Wrapped)) => FileTransaction::Wrapped,
        (TransactionArg::Framework, Some(TransactionMode::ImplicitWhenMultiStatement)) => {
            FileTransaction::OneScript
        }
        (TransactionArg::Framework, Some(TransactionMode::None) | None) => {
            FileTransaction::AsWritten
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_transactions_map_to_file_grouping() {
        assert_eq!(
            grouping(TransactionArg::Framework, Some(TransactionMode::Wrapped)),
            FileTransaction::Wrapped
        );
        assert_eq!(
            grouping(TransactionArg::Framework, Some(TransactionMode::None)),
            FileTransaction::AsWritten
        );
        assert_eq!(
            grouping(
                TransactionArg::Framework,
                Some(TransactionMode::ImplicitWhenMultiStatement)
            ),
            FileTransaction::OneScript
        );
        assert_eq!(
            grouping(TransactionArg::Framework, None),
            FileTransaction::AsWritten
        );
        assert_eq!(
            grouping(TransactionArg::AsWritten, Some(TransactionMode::Wrapped)),
            FileTransaction::AsWritten
        );
    }
}
