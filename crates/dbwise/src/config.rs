//! `dbwise.toml`: found by walking up from the current directory, or given with `--config`.
//! Unknown keys are errors that name the key and the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use dbwise_catalog::migrations::Framework;
use dbwise_diagnostics::{Severity, escape_control};
use dbwise_lint::{OptionKind, OptionValue, Settings};
use serde::Deserialize;

pub const FILE_NAME: &str = "dbwise.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    postgres: Option<PostgresSection>,
    lint: Option<toml::Table>,
    migrations: Option<MigrationsSection>,
    tables: Option<TablesSection>,
    review: Option<ReviewSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PostgresSection {
    version: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MigrationsSection {
    path: Option<PathBuf>,
    framework: Option<String>,
    /// Explicit order of migration ids, for histories whose names do not sort.
    order: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TablesSection {
    sizes: Option<BTreeMap<String, u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSection {
    /// What `dbwise review` runs, in order: "lint", "inspect", "workload", "choose", "impact".
    pub run: Option<Vec<String>>,
    /// Inputs for the workload and impact steps (logs, pg_stat_statements exports, SQL files).
    pub workload: Option<Vec<PathBuf>>,
    /// The design brief for the choose step.
    pub brief: Option<PathBuf>,
}

/// The configuration after resolving paths against the file's folder.
#[derive(Debug, Default)]
pub struct Config {
    pub settings: Settings,
    pub fail_on: Option<Severity>,
    pub migrations_path: Option<PathBuf>,
    pub framework: Option<Framework>,
    pub order: Option<Vec<String>>,
    pub table_sizes: BTreeMap<String, u64>,
    pub review: ReviewSection,
}

/// Find `dbwise.toml` in `start` or a parent folder. A file that someone else could have put
/// there or changed (see [`untrusted`]) is passed over with a warning, as git does with a
/// repository in a folder it does not trust: its `[migrations] path` would make `migrate
/// trace` run another user's SQL.
pub fn discover(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if !candidate.is_file() {
            continue;
        }
        match untrusted(&candidate) {
            None => return Some(candidate),
            Some(reason) => eprintln!(
                "dbwise: warning: ignoring {} because {reason}; name it with --config to use it anyway",
                escape_control(&candidate.display().to_string())
            ),
        }
    }
    None
}

/// Why a configuration file found by walking up cannot be trusted: it or its folder belongs to
/// another user (root excepted), it is writable by others, or its folder is writable by others
/// without the sticky bit that keeps them from replacing it.
fn untrusted(file: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    let folder = file.parent().unwrap_or(Path::new("."));
    for (what, path) in [("the file", file), ("its folder", folder)] {
        let Ok(meta) = std::fs::metadata(path) else {
            return Some(format!("{what} cannot be examined"));
        };
        if meta.uid() != me && meta.uid() != 0 {
            return Some(format!(
                "{what} belongs to another user (uid {})",
                meta.uid()
            ));
        }
        let others_write = meta.mode() & 0o022 != 0;
        let sticky_folder = meta.is_dir() && meta.mode() & 0o1000 != 0;
        if others_write && !sticky_folder {
            return Some(format!("{what} is writable by other users"));
        }
    }
    None
}

pub fn load(path: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the configuration", path.display()))?;
    parse(&text, path)
}

/// The configuration named with `--config`, else the one [`discover`] finds from the current
/// folder, else the defaults.
pub fn load_or_default(explicit: Option<&Path>) -> anyhow::Result<Config> {
    match explicit {
        Some(path) => load(path),
        None => match discover(&std::env::current_dir()?) {
            Some(path) => load(&path),
            None => Ok(Config::default()),
        },
    }
}

/// The steps `[review] run` may name.
const REVIEW_STEPS: [&str; 5] = ["lint", "inspect", "workload", "choose", "impact"];

/// The 1-based line where the key at `path` (`["lint", "severity", "rule-id"]`) is written, from
/// the spans of a format-preserving parse; 1 when the file does not hold that key.
fn line_of(text: &str, path: &[&str]) -> usize {
    let Ok(document) = toml_edit::ImDocument::parse(text) else {
        return 1;
    };
    let mut table: &dyn toml_edit::TableLike = document.as_table();
    let mut span = None;
    for (depth, name) in path.iter().enumerate() {
        let Some((key, item)) = table.get_key_value(name) else {
            return 1;
        };
        span = key.span();
        if depth + 1 < path.len() {
            let Some(inner) = item.as_table_like() else {
                return 1;
            };
            table = inner;
        }
    }
    span.and_then(|s| text.get(..s.start))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

pub fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
    let raw: RawConfig = toml::from_str(text)
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.to_string().trim_end()))?;
    let base = path.parent().unwrap_or(Path::new(".")).to_owned();
    let mut config = Config::default();
    if let Some(version) = raw.postgres.and_then(|p| p.version) {
        config.settings.pg_version = check_pg_version(version)
            .with_context(|| format!("{}: [postgres] version", path.display()))?;
    }
    if let Some(lint) = raw.lint {
        apply_lint_section(&mut config, &lint, text, path)?;
    }
    if let Some(m) = raw.migrations {
        config.migrations_path = m.path.map(|p| base.join(p));
        if let Some(name) = m.framework {
            config.framework = Some(
                parse_framework(&name)
                    .with_context(|| format!("{}: [migrations] framework", path.display()))?,
            );
        }
        config.order = m.order;
    }
    config.table_sizes = raw.tables.and_then(|t| t.sizes).unwrap_or_default();
    config.settings.table_rows.clone_from(&config.table_sizes);
    if let Some(mut review) = raw.review {
        if let Some(run) = &review.run
            && let Some(bad) = run.iter().find(|r| !REVIEW_STEPS.contains(&r.as_str()))
        {
            bail!(
                "{}:{}: [review] run has unknown step `{bad}`; the steps are {}",
                path.display(),
                line_of(text, &["review", "run"]),
                REVIEW_STEPS.map(|s| format!("\"{s}\"")).join(", ")
            );
        }
        review.workload = review
            .workload
            .map(|w| w.into_iter().map(|p| base.join(p)).collect());
        review.brief = review.brief.map(|b| base.join(b));
        config.review = review;
    }
    Ok(config)
}

/// Read the row estimates of a live database (`--database-url`, read-only) into `table_rows`,
/// the `[tables] sizes` of dbwise.toml, which win for the tables they name; and return what was
/// read.
pub fn add_database_rows(
    table_rows: &mut BTreeMap<String, u64>,
    url: &str,
) -> anyhow::Result<Vec<dbwise_pg::TableRows>> {
    let tables = dbwise_pg::read_table_rows(url).map_err(|error| {
        anyhow::anyhow!(
            "cannot read table sizes from {}: {}; check the URL (--database-url or DBWISE_DATABASE_URL) and that the server accepts connections, or lint without it",
            dbwise_pg::redact(url),
            pg_cause(&error)
        )
    })?;
    merge_database_rows(table_rows, &tables);
    Ok(tables)
}

/// What went wrong talking to a server, on one line: the error's own text includes its direct
/// source; the deeper ones say why (refused, the server's FATAL message, ...). The server's
/// DETAIL and HINT lines join the one line.
pub fn pg_cause(error: &dbwise_pg::PgError) -> String {
    let mut cause = error.to_string();
    let mut source = std::error::Error::source(error).and_then(std::error::Error::source);
    while let Some(inner) = source {
        cause = format!("{cause}: {inner}");
        source = inner.source();
    }
    cause.lines().collect::<Vec<_>>().join(" ")
}

/// Add `tables` to `table_rows`, keyed `schema.name`. A table `table_rows` already sizes, as
/// `schema.name` or, in `public`, by its bare name, keeps that size.
pub fn merge_database_rows(
    table_rows: &mut BTreeMap<String, u64>,
    tables: &[dbwise_pg::TableRows],
) {
    for table in tables {
        let key = format!("{}.{}", table.schema, table.name);
        let configured = table_rows.contains_key(&key)
            || (table.schema == "public" && table_rows.contains_key(&table.name));
        if !configured {
            table_rows.insert(key, table.rows);
        }
    }
}

pub fn check_pg_version(version: u32) -> anyhow::Result<u32> {
    if !(11..=18).contains(&version) {
        bail!("PostgreSQL {version} is not supported; use a major version from 11 to 18");
    }
    Ok(version)
}

pub fn parse_framework(name: &str) -> anyhow::Result<Framework> {
    Framework::parse(name).with_context(|| {
        let names: Vec<&str> = Framework::ALL.iter().map(|(n, _)| *n).collect();
        format!(
            "unknown framework `{name}`; use one of: {}",
            names.join(", ")
        )
    })
}

fn string_list(value: &toml::Value, what: &str) -> anyhow::Result<Vec<String>> {
    value
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .with_context(|| format!("{what} must be a list of strings"))
}

fn apply_lint_section(
    config: &mut Config,
    lint: &toml::Table,
    text: &str,
    path: &Path,
) -> anyhow::Result<()> {
    let at = |keys: &[&str]| {
        let mut full = vec!["lint"];
        full.extend_from_slice(keys);
        format!("{}:{}", path.display(), line_of(text, &full))
    };
    for (key, value) in lint {
        match key.as_str() {
            "select" | "enable" | "ignore" => {
                let ids =
                    string_list(value, &format!("[lint] {key}")).with_context(|| at(&[key]))?;
                check_rule_ids(&ids).with_context(|| at(&[key]))?;
                match key.as_str() {
                    "select" => config.settings.select = ids,
                    "enable" => config.settings.enable = ids,
                    _ => config.settings.ignore = ids,
                }
            }
            "severity" => {
                let table = value.as_table().with_context(|| {
                    format!(
                        "{}: [lint.severity] must be a table of rule = \"level\"",
                        at(&[key])
                    )
                })?;
                for (rule, level) in table {
                    check_rule_ids(std::slice::from_ref(rule))
                        .with_context(|| at(&["severity", rule]))?;
                    let severity = level.as_str().and_then(Severity::parse).with_context(|| {
                        format!(
                            "{}: severity of `{rule}` must be \"error\", \"warning\" or \"info\"",
                            at(&["severity", rule])
                        )
                    })?;
                    config.settings.severity.insert(rule.clone(), severity);
                }
            }
            "fail-on" => {
                config.fail_on =
                    Some(value.as_str().and_then(Severity::parse).with_context(|| {
                        format!(
                            "{}: fail-on must be \"error\", \"warning\" or \"info\"",
                            at(&[key])
                        )
                    })?);
            }
            "include-down" => {
                config.settings.include_down = value.as_bool().with_context(|| {
                    format!("{}: include-down must be true or false", at(&[key]))
                })?;
            }
            rule_id => apply_rule_options(config, rule_id, value, &at)?,
        }
    }
    Ok(())
}

fn apply_rule_options(
    config: &mut Config,
    rule_id: &str,
    value: &toml::Value,
    at: &dyn Fn(&[&str]) -> String,
) -> anyhow::Result<()> {
    let at_rule = at(&[rule_id]);
    let Some(rule) = dbwise_lint::rules::find(rule_id) else {
        let at = at_rule;
        bail!(
            "{at}: unknown key `{rule_id}` in [lint]; expected select, enable, ignore, severity, fail-on, include-down or a rule id with options"
        );
    };
    let table = value
        .as_table()
        .with_context(|| format!("{at_rule}: [lint.{rule_id}] must be a table of options"))?;
    for (name, v) in table {
        let Some(option) = rule.meta.options.iter().find(|o| o.name == name) else {
            let known: Vec<&str> = rule.meta.options.iter().map(|o| o.name).collect();
            let expected = if known.is_empty() {
                "it has no options".to_owned()
            } else {
                format!("its options are: {}", known.join(", "))
            };
            bail!(
                "{}: unknown key `{name}` in [lint.{rule_id}]; {expected}",
                at(&[rule_id, name])
            );
        };
        let parsed = match option.kind {
            OptionKind::Integer => OptionValue::Integer(v.as_integer().with_context(|| {
                format!(
                    "{}: [lint.{rule_id}] {name} must be an integer",
                    at(&[rule_id, name])
                )
            })?),
            OptionKind::StringList => OptionValue::Words(
                string_list(v, &format!("[lint.{rule_id}] {name}"))
                    .with_context(|| at(&[rule_id, name]))?,
            ),
        };
        config
            .settings
            .options
            .insert((rule_id.to_owned(), name.clone()), parsed);
    }
    Ok(())
}

pub fn check_rule_ids(ids: &[String]) -> anyhow::Result<()> {
    for id in ids {
        if dbwise_lint::rules::find(id).is_none() {
            bail!("unknown rule `{id}`; `dbwise rules` lists them");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_section() {
        let text = r#"
[postgres]
version = 14

[lint]
ignore = ["timestamp-without-time-zone"]
fail-on = "warning"
[lint.severity]
foreign-key-without-index = "error"

[migrations]
path = "db/migrations"
framework = "diesel"

[tables]
sizes = { orders = 5000000 }

[review]
run = ["lint", "inspect"]
"#;
        let config = parse(text, Path::new("/p/dbwise.toml")).unwrap();
        assert_eq!(
            config.review.run,
            Some(vec!["lint".into(), "inspect".into()])
        );
        assert_eq!(config.settings.pg_version, 14);
        assert_eq!(config.settings.ignore, vec!["timestamp-without-time-zone"]);
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert_eq!(
            config.settings.severity["foreign-key-without-index"],
            Severity::Error
        );
        assert_eq!(
            config.migrations_path,
            Some(PathBuf::from("/p/db/migrations"))
        );
        assert_eq!(config.framework, Some(Framework::Diesel));
        assert_eq!(config.table_sizes["orders"], 5_000_000);
    }

    #[test]
    fn unknown_keys_name_the_key_and_the_file() {
        let err = parse("[postgres]\nversoin = 15\n", Path::new("x/dbwise.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x/dbwise.toml") && err.contains("versoin"),
            "{err}"
        );
        let err = format!(
            "{:#}",
            parse("[lint]\nselct = []\n", Path::new("x/dbwise.toml")).unwrap_err()
        );
        assert!(
            err.contains("x/dbwise.toml:2") && err.contains("selct"),
            "{err}"
        );
        let err = format!(
            "{:#}",
            parse("[lint]\nignore = [\"no-such-rule\"]\n", Path::new("d.toml")).unwrap_err()
        );
        assert!(err.contains("no-such-rule"), "{err}");
        let err = format!(
            "{:#}",
            parse("[lint.syntax-error]\nmax = 3\n", Path::new("d.toml")).unwrap_err()
        );
        assert!(
            err.contains("unknown key `max`") && err.contains("no options"),
            "{err}"
        );
    }

    #[test]
    fn errors_point_at_the_line_of_their_key() {
        // A rule id written twice, as a table and as a key: each
        // error names the line of the key it is about, not the first line that mentions it.
        let text = "[lint.select-star]\n\n[lint.severity]\nselect-star = \"loud\"\n";
        let err = format!("{:#}", parse(text, Path::new("d.toml")).unwrap_err());
        assert!(
            err.contains("d.toml:4:") && err.contains("select-star"),
            "{err}"
        );
        let text = "[lint.severity]\noffset-pagination = \"warning\"\n\n[lint.offset-pagination]\nthreshold = 10\nlimit = 3\n";
        let err = format!("{:#}", parse(text, Path::new("d.toml")).unwrap_err());
        assert!(
            err.contains("d.toml:6:") && err.contains("`limit`"),
            "{err}"
        );
        let text = "# run the lint only\n[review]\nrun = [\"lint\", \"deploy\"]\n";
        let err = format!("{:#}", parse(text, Path::new("d.toml")).unwrap_err());
        assert!(err.contains("d.toml:3:") && err.contains("deploy"), "{err}");
    }

    #[test]
    fn configured_sizes_win_over_the_database() {
        let config = parse(
            "[tables]\nsizes = { orders = 50, \"billing.invoices\" = 7 }\n",
            Path::new("d.toml"),
        )
        .unwrap();
        let mut rows = config.settings.table_rows;
        let table = |schema: &str, name: &str, rows: u64| dbwise_pg::TableRows {
            schema: schema.to_owned(),
            name: name.to_owned(),
            rows,
            bytes: None,
        };
        merge_database_rows(
            &mut rows,
            &[
                table("public", "orders", 2_000_000),
                table("public", "users", 300),
                table("billing", "invoices", 90_000),
                table("billing", "orders", 40),
            ],
        );
        let settings = Settings {
            table_rows: rows,
            ..Settings::default()
        };
        assert_eq!(settings.rows_of("public", "orders"), Some(50));
        assert_eq!(settings.rows_of("public", "users"), Some(300));
        assert_eq!(settings.rows_of("billing", "invoices"), Some(7));
        assert_eq!(settings.rows_of("billing", "orders"), Some(40));
    }

    #[test]
    fn rejects_unsupported_versions_and_frameworks() {
        assert!(parse("[postgres]\nversion = 9\n", Path::new("d.toml")).is_err());
        assert!(parse("[migrations]\nframework = \"rails\"\n", Path::new("d.toml")).is_err());
    }
}
