use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::{Finding, Severity, escape_control};
use dbwise_lint::Input;
use dbwise_lint::{earlier, size};
use dbwise_report::{RuleDescriptor, Summary};

use crate::config::{self, Config};
use crate::inputs::{self, Gathered};
use crate::output::{FailOn, Format, use_color};

#[derive(clap::Args)]
pub struct LintArgs {
    /// SQL files (replayed in the order given) and migration folders (framework detected).
    /// Defaults to `[migrations] path` of dbwise.toml.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: LintOptions,
}

/// Options shared by `lint` and `review`.
#[derive(clap::Args)]
pub struct LintOptions {
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit with 1 when a finding reaches this severity ("never" to always exit 0).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Configuration file; by default dbwise.toml is searched from the current folder upwards.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// PostgreSQL major version the migrations run on (11 to 18).
    #[arg(long)]
    pub pg_version: Option<u32>,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Also run these rules that are off by default (comma-separated ids; `dbwise rules`
    /// marks them).
    #[arg(long, value_delimiter = ',')]
    pub enable: Vec<String>,
    /// Skip these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Migration framework of folder inputs, instead of detecting it.
    #[arg(long)]
    pub framework: Option<String>,
    /// Also lint down migrations (down.sql, *.down.sql).
    #[arg(long)]
    pub include_down: bool,
    /// Replay everything, but report only findings in files that differ from this git revision
    /// (committed since, staged or not) or are new: the migrations a pull request adds or edits.
    #[arg(long, value_name = "GIT_REF")]
    pub since: Option<String>,
    /// Print the files in the order they are replayed, with the transaction each runs in, on
    /// stderr.
    #[arg(long)]
    pub explain_order: bool,
    /// Which migrations of a folder get their migration findings listed one by one: the newest
    /// ten ("recent", the others are counted per rule in one note) or "all".
    #[arg(long, value_enum, default_value = "recent")]
    pub history: History,
    /// Findings that matter only on a large table (a missing or redundant index, a lock held
    /// while a table is read or rewritten), on tables whose size nothing shows: counted in one
    /// note ("count") or listed ("list"). `--database-url` or `[tables] sizes` gives the sizes;
    /// `--since` lists them.
    #[arg(long, value_enum, default_value = "count")]
    pub unknown_sizes: Listing,
    /// Notes on a choice the whole schema makes (naive timestamps or 32-bit keys everywhere):
    /// counted in one line ("count") or listed ("list").
    #[arg(long, value_enum, default_value = "count")]
    pub conventions: Listing,
    /// Read the estimated row count of every table from this PostgreSQL database (read-only),
    /// so migration findings scale with the size of the table they lock. Sizes in `[tables]
    /// sizes` of dbwise.toml win for the tables they name.
    #[arg(
        long,
        value_name = "URL",
        env = "DBWISE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Server logs or pg_stat_statements exports (repeat for several): each finding on a
    /// statement that blocks queries of this workload says what `dbwise migrate impact` does
    /// (the shapes it blocks, their rate, the queries that would queue, the verdict).
    #[arg(long, value_name = "FILE")]
    pub workload: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Listing {
    Count,
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum History {
    Recent,
    All,
}

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let config = config::load_or_default(args.common.config.as_deref())?;
    let paths = if args.paths.is_empty() {
        vec![config.migrations_path.clone().context(
            "no input: name SQL files or folders, or set [migrations] path in dbwise.toml",
        )?]
    } else {
        args.paths
    };
    run_lint(&paths, &config, &args.common)
}

/// Lint `paths` with `config` overridden by the command line, print the result, and return the
/// exit code.
pub fn run_lint(
    paths: &[PathBuf],
    config: &Config,
    options: &LintOptions,
) -> anyhow::Result<ExitCode> {
    let report = lint_report(paths, config, options)?;
    crate::output::emit_with(|out| render(&report.findings, &report.summary, options.format, out))?;
    Ok(report.exit_code(config, options))
}

/// What lint found, and whether an input could not be read.
pub struct LintReport {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub unreadable_inputs: bool,
}

impl LintReport {
    /// 2 when an input could not be read, else [`exit_code`].
    pub fn exit_code(&self, config: &Config, options: &LintOptions) -> ExitCode {
        if self.unreadable_inputs {
            ExitCode::from(2)
        } else {
            exit_code(&self.findings, config, options)
        }
    }
}

/// Lint `paths` with `config` overridden by the command line (unreadable inputs are named on
/// stderr).
pub fn lint_report(
    paths: &[PathBuf],
    config: &Config,
    options: &LintOptions,
) -> anyhow::Result<LintReport> {
    let mut settings = resolve_settings(config, options)?;
    if let Some(url) = &options.database_url {
        config::add_database_rows(&mut settings.table_rows, url)?;
    }
    let framework = match &options.framework {
        Some(name) => Some(config::parse_framework(name)?),
        None => config.framework,
    };
    let Gathered {
        inputs,
        errors: input_errors,
        earlier,
        shipped,
        lock_timeout_set_by,
    } = inputs::gather(
        paths,
        framework,
        config.order.as_deref(),
        settings.include_down,
    );
    for error in &input_errors {
        eprintln!("dbwise: error: {error}");
    }
    if let Some(place) = &lock_timeout_set_by {
        eprintln!(
            "dbwise: {} sets a lock_timeout where the migrations are run; missing-lock-timeout takes that as the setting",
            escape_control(place)
        );
    }
    settings.lock_timeout_set_by = lock_timeout_set_by;
    let count_unsized = options.unknown_sizes == Listing::Count && options.since.is_none();
    settings.unsized_counted = count_unsized;
    if options.explain_order {
        explain_order(&inputs);
    }
    let mut outcome = dbwise_lint::lint_inputs(&inputs, &settings);
    let earlier = if options.history == History::Recent && options.since.is_none() {
        earlier::fold(&mut outcome.findings, &earlier, &shipped)
    } else {
        None
    };
    let unknown_sizes = if count_unsized {
        size::fold(&mut outcome.findings)
    } else {
        None
    };
    let conventions = if options.conventions == Listing::Count && options.since.is_none() {
        size::fold_conventions(&mut outcome.findings)
    } else {
        None
    };
    if let Some(rev) = &options.since {
        let changed = changed_since(rev)?;
        let before = outcome.findings.len();
        outcome.findings.retain(|f| {
            f.file.is_none()
                || Path::new(f.path())
                    .canonicalize()
                    .is_ok_and(|p| changed.contains(&p))
        });
        eprintln!(
            "dbwise: --since {}: {} of {before} findings are in files changed since then",
            escape_control(rev),
            outcome.findings.len()
        );
    }
    if !options.workload.is_empty() {
        let data = super::migrate::ImpactData::read(
            config,
            options.database_url.as_deref(),
            &options.workload,
            None,
        )?;
        add_impact_notes(
            &mut outcome.findings,
            &inputs,
            &data.inputs(settings.pg_version),
        );
    }
    Ok(LintReport {
        summary: Summary {
            files: outcome.files,
            statements: outcome.statements,
            earlier,
            unknown_sizes,
            conventions,
        },
        findings: outcome.findings,
        unreadable_inputs: !input_errors.is_empty(),
    })
}

/// Add to the `why` of each finding on a statement of a migration what `migrate impact` says of
/// that statement with the workload of `data`, each migration judged after those before it.
fn add_impact_notes(findings: &mut [Finding], inputs: &[Input], data: &dbwise_impact::Inputs<'_>) {
    let in_file = |f: &Finding, path: &str| f.file.as_ref().is_some_and(|s| s.path() == path);
    let Some(last) = inputs
        .iter()
        .rposition(|i| findings.iter().any(|f| in_file(f, i.source.path())))
    else {
        return;
    };
    let parsed: Vec<_> = inputs[..=last]
        .iter()
        .map(|i| dbwise_syntax::parse(&i.source))
        .collect();
    for (index, input) in inputs[..=last].iter().enumerate() {
        let path = input.source.path();
        if !findings.iter().any(|f| in_file(f, path)) {
            continue;
        }
        let impact = dbwise_impact::impact(&parsed[..index], &parsed[index], data);
        for finding in findings.iter_mut().filter(|f| in_file(f, path)) {
            if let Some(note) = impact.note_at(finding.span.start) {
                finding.why = format!("{}\n{note}", finding.why);
            }
        }
    }
}

/// The lint settings of `config` with the command line's overrides (version, rule selection,
/// down migrations).
pub fn resolve_settings(
    config: &Config,
    options: &LintOptions,
) -> anyhow::Result<dbwise_lint::Settings> {
    let mut settings = config.settings.clone();
    if let Some(version) = options.pg_version {
        settings.pg_version = config::check_pg_version(version)?;
    }
    if !options.select.is_empty() {
        config::check_rule_ids(&options.select)?;
        settings.select.clone_from(&options.select);
    }
    if !options.enable.is_empty() {
        config::check_rule_ids(&options.enable)?;
        settings.enable.extend(options.enable.iter().cloned());
    }
    if !options.ignore.is_empty() {
        config::check_rule_ids(&options.ignore)?;
        settings.ignore.extend(options.ignore.iter().cloned());
    }
    settings.include_down |= options.include_down;
    Ok(settings)
}

/// 1 when a finding reaches `--fail-on` (or dbwise.toml's `fail_on`, error by default), else 0.
pub fn exit_code(findings: &[Finding], config: &Config, options: &LintOptions) -> ExitCode {
    let fail_on = match options.fail_on {
        Some(fail_on) => fail_on.threshold(),
        None => Some(config.fail_on.unwrap_or(Severity::Error)),
    };
    if fail_on.is_some_and(|level| findings.iter().any(|f| f.severity >= level)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The replay order on stderr: each file with the transaction its framework runs it in.
fn explain_order(inputs: &[Input]) {
    eprintln!("dbwise: replay order:");
    for (i, input) in inputs.iter().enumerate() {
        let transaction = match input.info.transaction {
            TransactionMode::Wrapped => "in one transaction",
            TransactionMode::ImplicitWhenMultiStatement => {
                "as one query (an implicit transaction when it holds several statements)"
            }
            TransactionMode::None => "with no transaction added",
        };
        eprintln!(
            "  {:>4}. {}{} {transaction}",
            i + 1,
            escape_control(input.source.path()),
            if input.info.scratch {
                " (down, on a scratch copy)"
            } else {
                ""
            },
        );
    }
}

/// The files that differ from the git revision `rev` (committed since, staged or not) and the
/// new untracked files of the repository around the working directory, as canonical paths.
fn changed_since(rev: &str) -> anyhow::Result<std::collections::HashSet<PathBuf>> {
    use std::os::unix::ffi::OsStrExt;
    if rev.starts_with('-') {
        anyhow::bail!("--since {rev}: a revision cannot start with '-'");
    }
    let root = PathBuf::from(
        String::from_utf8_lossy(&git(&["rev-parse", "--show-toplevel"])?)
            .trim_end_matches(['\n', '\r']),
    );
    let mut changed = std::collections::HashSet::new();
    let diff = git(&["diff", "--name-only", "--no-ext-diff", "--no-textconv", "-z", rev, "--"])
        .with_context(|| format!("--since {rev}: is it a revision of this repository? (a shallow clone needs fetch-depth 0)"))?;
    let untracked = git(&[
        "ls-files",
        "--others",
        "--exclude-standard",
        "--full-name",
        "-z",
    ])?;
    for name in diff.split(|&b| b == 0).chain(untracked.split(|&b| b == 0)) {
        if name.is_empty() {
            continue;
        }
        if let Ok(path) = root.join(std::ffi::OsStr::from_bytes(name)).canonicalize() {
            changed.insert(path);
        }
    }
    Ok(changed)
}

/// Run git in the working directory with the repository's hooks and command-running settings
/// turned off, and return its standard output.
fn git(args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = std::process::Command::new("git")
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.untrackedCache=false",
        ])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .context("--since needs git on the PATH")?;
    if !output.status.success() {
        anyhow::bail!(
            "git {}: {}",
            args.join(" "),
            escape_control(String::from_utf8_lossy(&output.stderr).trim())
        );
    }
    Ok(output.stdout)
}

/// Write the findings in `format` to `out`. JSON is written as it is serialized, so a large
/// result is never held whole in memory.
pub fn render(
    findings: &[Finding],
    summary: &Summary,
    format: Format,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Json => return dbwise_report::render_json(findings, summary, out),
        Format::Human => dbwise_report::render_human(findings, summary, use_color()),
        Format::Github => dbwise_report::render_github(findings),
        Format::Markdown => dbwise_report::render_markdown(findings, summary),
        Format::Gitlab => dbwise_report::render_gitlab(findings),
        Format::Sarif => {
            dbwise_report::render_sarif(findings, &rule_descriptors(), env!("CARGO_PKG_VERSION"))
        }
    };
    out.write_all(text.as_bytes())
}

pub fn rule_descriptors() -> Vec<RuleDescriptor> {
    dbwise_lint::rules::ALL
        .iter()
        .map(|r| RuleDescriptor {
            id: r.meta.id,
            summary: r.meta.summary,
            doc: r.meta.doc,
            severity: r.meta.severity,
            category: r.meta.category.as_str(),
        })
        .collect()
}
