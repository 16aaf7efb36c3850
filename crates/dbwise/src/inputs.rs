//! Reading the SQL to analyse: migration folders expanded into their scripts in replay order,
//! every file read as UTF-8 with template placeholders read as names, and the warnings about
//! what a folder leaves out.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use dbwise_catalog::migrations::{self, Framework, MigrationSet, Script, TransactionMode};
use dbwise_catalog::templates::{Filled, fill_placeholders};
use dbwise_diagnostics::{SourceFile, escape_control};
use dbwise_lint::{Input, UnitInfo, earlier};
use rayon::prelude::*;

/// Warn that the named files of a migration folder were left out of the replay: `what` is one
/// of them (`.sql file`), and `why` says what they are and that they were not replayed, given
/// whether there is one.
fn warn_not_replayed(root: &str, names: &[String], what: &str, why: impl Fn(bool) -> String) {
    if names.is_empty() {
        return;
    }
    let one = names.len() == 1;
    eprintln!(
        "dbwise: warning: {} {what}{} in {root} {} {}: {}",
        names.len(),
        if one { "" } else { "s" },
        if one { "is" } else { "are" },
        why(one),
        names.join(", ")
    );
}

pub struct Gathered {
    pub inputs: Vec<Input>,
    /// Unreadable inputs, one line each.
    pub errors: Vec<String>,
    /// The paths of the scripts of every folder's migrations but its newest
    /// [`earlier::RECENT_MIGRATIONS`], in replay order.
    pub earlier: Vec<String>,
    /// The paths of the scripts of every folder's migrations but its newest, in replay order.
    pub shipped: Vec<String>,
    /// Where the code that runs a folder's migrations sets a lock_timeout (`path:line`).
    pub lock_timeout_set_by: Option<String>,
}

/// Expand folders into migration sets and read every file. Unreadable inputs become error
/// lines; everything else is still returned.
pub fn gather(
    paths: &[PathBuf],
    framework: Option<Framework>,
    order: Option<&[String]>,
    include_down: bool,
) -> Gathered {
    // Each script with how it runs; the texts are read in parallel afterwards.
    let mut planned: Vec<(Script, UnitInfo)> = Vec::new();
    let mut errors = Vec::new();
    let mut earlier = Vec::new();
    let mut shipped = Vec::new();
    let mut lock_timeout_set_by = None;
    for path in paths {
        if path.is_dir() {
            match migrations::discover_in_project(path, framework) {
                Ok(mut set) => {
                    apply_order(&mut set, order);
                    eprintln!(
                        "dbwise: {}: {} {} migrations, replayed in {} order; --framework names another layout",
                        escape_control(&set.root.display().to_string()),
                        set.migrations.len(),
                        set.framework.name(),
                        match (order, set.framework) {
                            (Some(_), _) => "the configured",
                            (None, Framework::Drizzle) => "journal",
                            (None, Framework::Extension) => "update-path",
                            (None, Framework::Sqitch) => "plan",
                            (None, _) => "version",
                        },
                    );
                    if set.other_engines > 0 {
                        eprintln!(
                            "dbwise: {}: {} .sql files for other database engines (x.mysql.up.sql, or x.up.sql where x.postgres.up.sql exists) were left out",
                            escape_control(&set.root.display().to_string()),
                            set.other_engines,
                        );
                    }
                    let root = escape_control(&set.root.display().to_string()).into_owned();
                    if !set.passed_over.is_empty() {
                        let others: Vec<String> = set
                            .passed_over
                            .iter()
                            .map(|p| escape_control(&p.display().to_string()).into_owned())
                            .collect();
                        eprintln!(
                            "dbwise: {root} holds five times the migrations of every other migration folder under {}, so it was taken as the project's history; not linted: {}; name a folder to lint it",
                            escape_control(&path.display().to_string()),
                            others.join(", "),
                        );
                    }
                    let file_names: Vec<String> = set
                        .code_migrations
                        .iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| escape_control(&n.to_string_lossy()).into_owned())
                        .collect();
                    warn_not_replayed(&root, &file_names, "goose migration", |one| {
                        format!(
                            "Go code, not SQL, and {} not replayed, so the schema changes {} make are unknown to the rules",
                            if one { "was" } else { "were" },
                            if one { "it" } else { "they" },
                        )
                    });
                    let paths: Vec<String> = set
                        .skipped
                        .iter()
                        .map(|p| escape_control(&p.display().to_string()).into_owned())
                        .collect();
                    warn_not_replayed(&root, &paths, ".sql file", |one| {
                        format!(
                            "no {} migration and {} not replayed",
                            set.framework.name(),
                            if one { "was" } else { "were" },
                        )
                    });
                    if lock_timeout_set_by.is_none() {
                        lock_timeout_set_by = runner_lock_timeout(&set.root);
                    }
                    let recent_from = set
                        .migrations
                        .len()
                        .saturating_sub(earlier::RECENT_MIGRATIONS);
                    let scripts = |m: &migrations::Migration| {
                        std::iter::once(&m.up)
                            .chain(&m.down)
                            .map(|s| s.path.display().to_string())
                            .collect::<Vec<_>>()
                    };
                    let newest = set.migrations.len().saturating_sub(1);
                    for (i, m) in set.migrations[..newest].iter().enumerate() {
                        if i < recent_from {
                            earlier.extend(scripts(m));
                        }
                        shipped.extend(scripts(m));
                    }
                    for m in &set.migrations {
                        let input = |scratch| UnitInfo {
                            index: 0,
                            framework: Some(set.framework),
                            transaction: m.transaction,
                            scratch,
                            day: migrations::migration_day(&m.id),
                        };
                        planned.push((m.up.clone(), input(false)));
                        if include_down && let Some(down) = &m.down {
                            planned.push((down.clone(), input(true)));
                        }
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        } else {
            planned.push((
                Script::whole(path.clone()),
                UnitInfo {
                    index: 0,
                    framework: None,
                    transaction: TransactionMode::None,
                    scratch: false,
                    day: None,
                },
            ));
        }
    }
    let read: Vec<Result<(Input, Option<Filled>), String>> = planned
        .into_par_iter()
        .map(|(script, info)| {
            read_filled(&script).map(|(source, filled)| (Input { source, info }, filled))
        })
        .collect();
    let mut inputs = Vec::new();
    let mut templates: Vec<Filled> = Vec::new();
    for r in read {
        match r {
            Ok((input, filled)) => {
                inputs.push(input);
                templates.extend(filled);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(first) = templates.first() {
        eprintln!(
            "dbwise: {} files hold template placeholders ({} in all); each was read as the name it holds, \
             e.g. {} as {}",
            templates.len(),
            templates.iter().map(|f| f.actions).sum::<usize>(),
            escape_control(&first.first),
            if first.first_name.is_empty() {
                "nothing"
            } else {
                &first.first_name
            },
        );
    }
    Gathered {
        inputs,
        errors,
        earlier,
        shipped,
        lock_timeout_set_by,
    }
}

/// How deep, through how many files and folders, and how many bytes of a file the search for
/// a migration runner's lock_timeout reads at most: enough for a large repository, bounded on
/// a huge one.
const RUNNER_SEARCH_DEPTH: usize = 12;
const RUNNER_SEARCH_ENTRIES: usize = 25_000;
const RUNNER_FILE_BYTES: u64 = 512 << 10;

/// Files at the root of a project, one per ecosystem.
const PROJECT_MARKERS: [&str; 9] = [
    "go.mod",
    "Cargo.toml",
    "package.json",
    "pom.xml",
    "build.gradle",
    "pyproject.toml",
    "Gemfile",
    "composer.json",
    "mix.exs",
];

/// The first place (`path:line`) in the repository around a migration folder where a file
/// with `migrat` in its path, outside the folder itself, sets a lock_timeout: the code that
/// runs the migrations (`migrate/migrate.go` running `set lock_timeout = 15000`). The
/// repository is the nearest parent holding `.git`, or else a build file of a language
/// ([`PROJECT_MARKERS`]); without either, nothing is searched.
fn runner_lock_timeout(folder: &Path) -> Option<String> {
    let folder = &folder.canonicalize().ok()?;
    let root = folder
        .ancestors()
        .take(10)
        .find(|dir| dir.join(".git").exists())
        .or_else(|| {
            folder.ancestors().take(10).find(|dir| {
                PROJECT_MARKERS
                    .iter()
                    .any(|marker| dir.join(marker).is_file())
            })
        })?;
    let mut found = None;
    migrations::walk(root, RUNNER_SEARCH_DEPTH, RUNNER_SEARCH_ENTRIES, |entry| {
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(&path);
        // Neither prose (a migration guide for operators) nor SQL (another history) is the
        // code that runs the migrations.
        let not_code = path.extension().is_some_and(|e| {
            ["md", "markdown", "rst", "txt", "adoc", "html", "sql"]
                .contains(&e.to_string_lossy().to_lowercase().as_str())
        });
        if not_code
            || path.starts_with(folder)
            || !entry.file_type().is_ok_and(|t| t.is_file())
            || !relative.to_string_lossy().to_lowercase().contains("migrat")
            || entry
                .metadata()
                .map_or(true, |m| m.len() > RUNNER_FILE_BYTES)
        {
            return ControlFlow::Continue(());
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            return ControlFlow::Continue(());
        };
        match text.lines().position(sets_lock_timeout) {
            Some(line) => {
                found = Some(format!("{}:{}", relative.display(), line + 1));
                ControlFlow::Break(())
            }
            None => ControlFlow::Continue(()),
        }
    });
    found
}

/// A line that sets lock_timeout to a limit: `SET lock_timeout = ...`, `set local lock_timeout
/// to ...`, or a connection option `lock_timeout=...`; not to 0, which turns the limit off, and
/// not in a comment line, which may only describe a setting.
fn sets_lock_timeout(line: &str) -> bool {
    if ["//", "/*", "*", "#", "--"]
        .iter()
        .any(|mark| line.trim_start().starts_with(mark))
    {
        return false;
    }
    let line = line.to_lowercase();
    line.match_indices("lock_timeout").any(|(at, word)| {
        let before = line[..at].trim_end();
        let after = line[at + word.len()..].trim_start();
        let value = after
            .strip_prefix('=')
            .or_else(|| after.strip_prefix("to "))
            .map(|v| v.trim_start().trim_start_matches(['\'', '"', '`']));
        let off = value.is_some_and(|v| {
            v.starts_with('0') && !v[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.')
        });
        let setting = before.ends_with("set")
            || before.ends_with("set local")
            || before.ends_with("set session")
            || value.is_some();
        setting && !off
    })
}

fn apply_order(set: &mut MigrationSet, order: Option<&[String]>) {
    if let Some(order) = order {
        set.migrations.sort_by_key(|m| {
            order
                .iter()
                .position(|id| *id == m.id)
                .unwrap_or(usize::MAX)
        });
    }
}

/// Read schema files and migrations folders (their up scripts, in replay order), in the order
/// given: what `choose --infer` and `model` replay.
pub fn read_schema(paths: &[PathBuf]) -> anyhow::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for path in paths {
        let scripts: Vec<Script> = if path.is_dir() {
            let set = migrations::discover_in_project(path, None)?;
            set.migrations
                .into_iter()
                .map(|migration| migration.up)
                .collect()
        } else {
            vec![Script::whole(path.clone())]
        };
        for script in &scripts {
            files.push(read_script(script).map_err(anyhow::Error::msg)?);
        }
    }
    Ok(files)
}

/// Read the part of a migration file that runs: the up or down section of a goose or dbmate
/// file, else the whole file. Errors name the path and what to do.
pub fn read_script(script: &Script) -> Result<SourceFile, String> {
    read_filled(script).map(|(source, _)| source)
}

/// [`read_script`], saying which template placeholders (`{{ .Schema }}`, `${schema}`) were read
/// as names.
fn read_filled(script: &Script) -> Result<(SourceFile, Option<Filled>), String> {
    let mut text = script.select(read_text(&script.path)?);
    let filled = fill_placeholders(&mut text);
    let source = SourceFile::new(script.path.display().to_string(), text);
    Ok((source, filled))
}

/// Read a file as UTF-8, with an error that names the path (and the byte offset for bad bytes).
fn read_text(path: &Path) -> Result<String, String> {
    let display = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{display}: cannot read: {e}"))?;
    if !meta.is_file() {
        // A FIFO or a device would block or never end.
        return Err(format!(
            "{display}: not a regular file; name SQL files or migration folders"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{display}: cannot read: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{display}: not valid UTF-8 at byte offset {}; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::sets_lock_timeout;

    #[test]
    fn a_lock_timeout_is_set_by_a_limit_and_not_by_zero() {
        for line in [
            "\t_, err = conn.Exec(ctx, `set lock_timeout = 15000`)",
            "SET LOCAL lock_timeout TO '5s';",
            "options=-c lock_timeout=3s",
            "cursor.execute(\"SET lock_timeout = '0.5s'\")",
        ] {
            assert!(sets_lock_timeout(line), "{line}");
        }
        for line in [
            "case e.Code == \"55P03\": // lock_timeout",
            "SET lock_timeout = 0;",
            "SET lock_timeout TO '0s';",
            "SHOW lock_timeout;",
            "   * The SQL phase leaves `lock_timeout = '5s'` on this session",
            "# lock_timeout = '5s' is set by the deploy job",
        ] {
            assert!(!sets_lock_timeout(line), "{line}");
        }
    }
}
