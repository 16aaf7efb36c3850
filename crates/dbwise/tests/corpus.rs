//! The real-world corpus in `../shared/corpus` (other projects' SQL, test input only): every
//! PostgreSQL file goes through the front-end and the linter without a panic and without a
//! `syntax-error` on SQL that PostgreSQL accepts, and the migration histories replay into the
//! catalog with no object lost. Skipped, with a notice, when the corpus is not there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dbwise_catalog::migrations::{self, TransactionMode};
use dbwise_catalog::{Catalog, Origin};
use dbwise_diagnostics::SourceFile;
use dbwise_lint::{Settings, Unit, UnitInfo};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: {} not found; corpus tests skipped", dir.display());
        None
    }
}

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "mysql-sakila-db") {
                sql_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

fn source(path: &Path) -> SourceFile {
    SourceFile::new(
        path.display().to_string(),
        std::fs::read_to_string(path).unwrap(),
    )
}

#[test]
fn every_postgres_file_parses_and_lints_without_syntax_errors() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    sql_files(&dir, &mut files);
    files.sort();
    assert!(
        files.len() > 800,
        "expected the whole corpus, found {} files",
        files.len()
    );
    let units: Vec<Unit> = files
        .iter()
        .enumerate()
        .map(|(index, path)| Unit {
            parsed: dbwise_syntax::parse(&source(path)),
            info: UnitInfo {
                index,
                framework: None,
                transaction: TransactionMode::None,
                scratch: false,
                day: None,
            },
        })
        .collect();
    let outcome = dbwise_lint::lint(units, &Settings::default());
    let syntax: Vec<String> = outcome
        .findings
        .iter()
        .filter(|f| f.rule == "syntax-error")
        .map(|f| format!("{}:{} {}", f.path(), f.span.start, f.message))
        .collect();
    assert!(
        syntax.is_empty(),
        "syntax errors on SQL PostgreSQL accepts:\n{}",
        syntax.join("\n")
    );
    assert!(
        outcome.statements > 10_000,
        "only {} statements parsed",
        outcome.statements
    );
}

/// Replay files in order and fail when a statement refers to an object the history created
/// and never removed but the catalog no longer knows, or when a created object is missing at
/// the end.
fn replay_without_loss(files: &[PathBuf]) -> Catalog {
    let mut catalog = Catalog::new();
    let mut alive: BTreeSet<String> = BTreeSet::new();
    let mut lost = Vec::new();
    let mut statement = 0;
    for (index, path) in files.iter().enumerate() {
        let parsed = dbwise_syntax::parse(&source(path));
        assert!(
            parsed.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.errors
        );
        for s in &parsed.statements {
            let origin = Origin::new(parsed.source.clone(), s.span, Some(index), statement);
            statement += 1;
            let applied = catalog.apply(&s.stmt, &origin);
            for name in &applied.unresolved {
                if alive.contains(name) {
                    lost.push(format!(
                        "{}: {name} was created earlier but is gone",
                        path.display()
                    ));
                }
            }
            for name in &applied.removed {
                alive.remove(name);
            }
            alive.extend(applied.created.iter().cloned());
        }
    }
    for name in &alive {
        let (kind, qualified) = name.split_once(' ').unwrap();
        let key = match qualified.split_once('.') {
            Some((schema, object)) => {
                dbwise_catalog::ObjectName::new(schema.trim_matches('"'), object.trim_matches('"'))
            }
            None => dbwise_catalog::ObjectName::new("public", qualified.trim_matches('"')),
        };
        let present = match kind {
            "table" => catalog.tables.contains_key(&key),
            "index" => catalog.indexes.contains_key(&key),
            "view" => catalog.views.contains_key(&key),
            "type" => catalog.types.contains_key(&key),
            "sequence" => catalog.sequences.contains_key(&key),
            "schema" => catalog.schemas.contains_key(qualified),
            _ => true,
        };
        if !present {
            lost.push(format!("{name} is missing after the replay"));
        }
    }
    assert!(
        lost.is_empty(),
        "objects lost in replay:\n{}",
        lost.join("\n")
    );
    catalog
}

fn history(dir: &Path) -> Vec<PathBuf> {
    migrations::discover(dir, None)
        .unwrap()
        .migrations
        .into_iter()
        .map(|m| m.up.path)
        .collect()
}

#[test]
fn lemmy_history_replays_without_loss() {
    let Some(dir) = corpus() else { return };
    let catalog = replay_without_loss(&history(&dir.join("lemmy/migrations")));
    assert!(catalog.tables.len() > 50, "{} tables", catalog.tables.len());
}

#[test]
fn documenso_history_replays_without_loss() {
    let Some(dir) = corpus() else { return };
    let catalog = replay_without_loss(&history(&dir.join("documenso/packages/prisma/migrations")));
    assert!(
        catalog
            .tables
            .contains_key(&dbwise_catalog::ObjectName::new("public", "User"))
            && catalog.tables.len() > 20
    );
}

#[test]
fn musicbrainz_schema_replays_without_loss() {
    let Some(dir) = corpus() else { return };
    let sql = dir.join("musicbrainz/admin/sql");
    let order = [
        "Extensions.sql",
        "CreateCollations.sql",
        "CreateSearchConfiguration.sql",
        "CreateTypes.sql",
        "CreateTables.sql",
        "CreateFunctions.sql",
        "CreatePrimaryKeys.sql",
        "CreateIndexes.sql",
        "CreateSearchIndexes.sql",
        "CreateFKConstraints.sql",
        "CreateConstraints.sql",
        "CreateViews.sql",
        "CreateTriggers.sql",
    ];
    let catalog = replay_without_loss(&order.iter().map(|f| sql.join(f)).collect::<Vec<_>>());
    let external = catalog.tables.values().filter(|t| t.external).count();
    assert!(
        catalog.tables.len() > 200 && external == 0,
        "{} tables, {external} external",
        catalog.tables.len()
    );
}

#[test]
fn openstreetmap_structure_replays_without_loss() {
    let Some(dir) = corpus() else { return };
    let catalog = replay_without_loss(&[dir.join("openstreetmap/db/structure.sql")]);
    let external: Vec<String> = catalog
        .tables
        .values()
        .filter(|t| t.external)
        .map(|t| t.name.to_string())
        .collect();
    assert!(
        external.is_empty(),
        "tables referenced but never created: {external:?}"
    );
}
