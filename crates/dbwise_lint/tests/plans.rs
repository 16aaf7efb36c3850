//! Plan snapshots, and proof that plans run: every statement of every generated step parses
//! with libpg_query, and the steps apply cleanly, in order, on a throwaway PostgreSQL cluster
//! after the fixture's history.
//!
//! A fixture `tests/plans/<case>.sql` is split by `-- file: <name>` lines; the last file is the
//! migration that is planned, the files before it are its history (they may insert rows, so that
//! validations and backfills have data to work on). A `-- value: <sql>` line stands for the user:
//! it is written where a plan asks for `<value>` (a value only the application knows). `-- after:
//! <sql>` lines run once every step has: the application's statements, which must still work.

use std::path::{Path, PathBuf};

use dbwise_diagnostics::SourceFile;
use dbwise_lint::plan::{Plan, plan_file};
use dbwise_pg::{TempCluster, TempClusterOptions};
use dbwise_syntax::ParsedFile;
use dbwise_syntax::tree::Tree;

/// The version of the cluster the plans are applied to.
const PG_MAJOR: u32 = 15;

struct Case {
    name: String,
    history: Vec<ParsedFile>,
    migration: ParsedFile,
    value: Option<String>,
    after: Vec<String>,
}

impl Case {
    /// The SQL of a step with the fixture's value written in place of `<value>`.
    fn filled(&self, sql: &str) -> String {
        match &self.value {
            Some(value) => sql.replace("<value>", value),
            None => {
                assert!(
                    !sql.contains("<value>"),
                    "{}: the plan asks for a value; give one with `-- value:`",
                    self.name
                );
                sql.to_owned()
            }
        }
    }
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plans");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let value = text
                .lines()
                .find_map(|line| line.strip_prefix("-- value: "))
                .map(str::to_owned);
            let after = text
                .lines()
                .filter_map(|line| line.strip_prefix("-- after: "))
                .map(str::to_owned)
                .collect();
            let mut files: Vec<ParsedFile> = text
                .split("-- file: ")
                .filter(|part| !part.trim().is_empty())
                .map(|part| {
                    let (file, body) = part.split_once('\n').unwrap();
                    let parsed = dbwise_syntax::parse(&SourceFile::new(
                        format!("{name}/{}", file.trim()),
                        body,
                    ));
                    assert!(
                        parsed.errors.is_empty(),
                        "{name}/{file}: {:?}",
                        parsed.errors
                    );
                    parsed
                })
                .collect();
            let migration = files.pop().expect("a fixture names at least one file");
            Case {
                name,
                history: files,
                migration,
                value,
                after,
            }
        })
        .collect()
}

fn plan_of(case: &Case) -> Plan {
    plan_file(&case.history, &case.migration, PG_MAJOR)
}

#[test]
fn plan_snapshots() {
    for case in cases() {
        let plan = plan_of(&case);
        insta::with_settings!({ snapshot_path => "plans/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(case.name.clone(), dbwise_report::plan::render_human(&plan, None));
        });
    }
}

#[test]
fn every_plan_statement_parses() {
    for case in cases() {
        for (i, step) in plan_of(&case).steps.iter().enumerate() {
            let parsed = Tree::parse(&case.filled(&step.sql))
                .unwrap_or_else(|e| panic!("{} step {}: {e}\n{}", case.name, i + 1, step.sql));
            assert!(
                parsed.statement_count() > 0,
                "{} step {} has no statement",
                case.name,
                i + 1
            );
        }
    }
}

#[test]
fn plans_apply_in_order_on_a_real_cluster() {
    let cluster = TempCluster::start(TempClusterOptions::default()).expect("throwaway cluster");
    for case in cases() {
        let database = format!("plan_{}", case.name);
        let mut client = cluster.create_database(&database).unwrap();
        for file in &case.history {
            client
                .batch_execute(file.source.text())
                .unwrap_or_else(|e| panic!("{}: history {}: {e}", case.name, file.source.path()));
        }
        let plan = plan_of(&case);
        assert!(!plan.steps.is_empty(), "{}: empty plan", case.name);
        for (i, step) in plan.steps.iter().enumerate() {
            let sql = case.filled(&step.sql);
            let result = if step.no_transaction {
                client.batch_execute(&sql)
            } else {
                client.batch_execute(&format!("BEGIN;\n{sql}\nCOMMIT;"))
            };
            if let Err(e) = result {
                panic!(
                    "{} step {} ({}) failed: {e:?}\n{}",
                    case.name,
                    i + 1,
                    step.title,
                    sql
                );
            }
            if step.repeat {
                // A batch runs until it updates nothing; it must get there, not loop for ever.
                let converged = (0..100).any(|_| client.execute(sql.as_str(), &[]).unwrap() == 0);
                assert!(
                    converged,
                    "{} step {}: the batch does not converge",
                    case.name,
                    i + 1
                );
            }
        }
        for sql in &case.after {
            client
                .batch_execute(sql)
                .unwrap_or_else(|e| panic!("{}: after the plan, {sql}: {e:?}", case.name));
        }
    }
    cluster.stop().unwrap();
}
