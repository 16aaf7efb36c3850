//! Every row of the lock model that applies to the installed PostgreSQL is checked against the
//! real server: one fixture per row under `tests/lock_model/<row-id>.sql`, traced on a throwaway
//! cluster, compared with `dbwise_locks` (locks per relation, rewrites, scans, transaction use).
//!
//! Fixture format: `-- roles: role=relation ...` names the relation that plays each role of the
//! row; the statements before `-- check` set the scene (each committed on its own); the one
//! statement after it is traced. `-- then-in-same-transaction-fails: SQL` names a statement that
//! must fail when run right after the checked one in the same transaction. `-- unobservable: role`
//! marks a role whose lock the blocking probe cannot see (taken after the probe's last look); for
//! it the server must not show a lock stronger than the model's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use dbwise_diagnostics::SourceFile;
use dbwise_locks::{LockLevel, ModelError, RelationRole, Row, TransactionUse};
use dbwise_pg::{
    FileTransaction, Observation, Outcome, ProbeConnections, StatementTrace, Target, TempCluster,
    TempClusterOptions, Tracer,
};

struct Fixture {
    id: String,
    roles: BTreeMap<RelationRole, String>,
    unobservable: BTreeSet<RelationRole>,
    setup: String,
    check: String,
    fails_after: Option<String>,
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lock_model")
}

fn read_fixture(path: &Path) -> Fixture {
    let text = fs::read_to_string(path).unwrap();
    let id = path.file_stem().unwrap().to_str().unwrap().to_owned();
    let (setup, check) = text
        .split_once("\n-- check\n")
        .unwrap_or_else(|| panic!("{id}: no `-- check` line"));
    let mut roles = BTreeMap::new();
    let mut fails_after = None;
    let mut unobservable = BTreeSet::new();
    for line in setup.lines() {
        if let Some(rest) = line.strip_prefix("-- unobservable:") {
            let role = rest.split_whitespace().next().unwrap_or_default();
            unobservable.insert(
                RelationRole::parse(role).unwrap_or_else(|| panic!("{id}: unknown role `{role}`")),
            );
        }
        if let Some(list) = line.strip_prefix("-- roles:") {
            for pair in list.split_whitespace() {
                let (role, relation) = pair
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{id}: bad role `{pair}`"));
                let role = RelationRole::parse(role)
                    .unwrap_or_else(|| panic!("{id}: unknown role `{role}`"));
                roles.insert(role, relation.to_owned());
            }
        }
        if let Some(sql) = line.strip_prefix("-- then-in-same-transaction-fails:") {
            fails_after = Some(sql.trim().to_owned());
        }
    }
    Fixture {
        id,
        roles,
        unobservable,
        setup: setup.to_owned(),
        check: check.to_owned(),
        fails_after,
    }
}

fn trace(tracer: &mut Tracer, path: &str, text: &str) -> Vec<StatementTrace> {
    let parsed = dbwise_syntax::parse(&SourceFile::new(path, text));
    let trace = tracer
        .trace_file(&parsed, FileTransaction::AsWritten)
        .unwrap();
    assert!(
        trace.syntax_errors.is_empty(),
        "{path}: {:?}",
        trace.syntax_errors
    );
    trace.statements
}

/// Everything in which the server and the model disagree for one row.
fn compare(row: &Row, fixture: &Fixture, step: &StatementTrace) -> Vec<String> {
    let mut problems = Vec::new();
    if step.outcome != Outcome::Ok {
        return vec![format!(
            "the checked statement did not succeed: {:?}",
            step.outcome
        )];
    }
    let expected_observation = match row.transaction {
        TransactionUse::OutsideTransactionBlock => Observation::BlockingProbe,
        TransactionUse::Any | TransactionUse::UnusableUntilCommit => Observation::InTransaction,
    };
    if step.observed_by != expected_observation {
        problems.push(format!(
            "observed by {:?}, expected {expected_observation:?}",
            step.observed_by
        ));
    }
    // Locks: the strongest mode seen on each role's relation equals the model's.
    let mut strongest: BTreeMap<&str, LockLevel> = BTreeMap::new();
    for lock in step.locks.iter().filter(|l| !l.created) {
        let entry = strongest.entry(lock.relation.as_str()).or_insert(lock.mode);
        *entry = (*entry).max(lock.mode);
    }
    for &(role, level) in row.locks {
        let Some(name) = fixture.roles.get(&role) else {
            problems.push(format!("the fixture names no relation for role {role:?}"));
            continue;
        };
        let unobservable = fixture.unobservable.contains(&role);
        match strongest.get(name.as_str()) {
            Some(seen) if *seen == level || (unobservable && *seen < level) => {}
            None if unobservable => {}
            Some(seen) => problems.push(format!(
                "{name} ({role:?}): server took {seen}, model says {level}"
            )),
            None => problems.push(format!(
                "{name} ({role:?}): server took no lock, model says {level}"
            )),
        }
    }
    // No lock stronger than ACCESS SHARE on an existing relation the model does not mention.
    let modelled: BTreeSet<&str> = row
        .locks
        .iter()
        .filter_map(|(role, _)| fixture.roles.get(role).map(String::as_str))
        .collect();
    for (name, seen) in &strongest {
        if *seen > LockLevel::AccessShare && !modelled.contains(name) {
            problems.push(format!(
                "{name}: server took {seen}, the model mentions no lock on it"
            ));
        }
    }
    // Storage: a relation of a role gets new storage exactly when the model says so.
    for (role, name) in &fixture.roles {
        let expected = row.rewrites.contains(role) || (row.empties && *role == RelationRole::Table);
        let seen = step.rewritten.contains(name);
        if seen != expected {
            problems.push(format!(
                "{name} ({role:?}): new storage {seen}, model says {expected}"
            ));
        }
    }
    // Scans: checked where nothing is rewritten (a rewrite may read through an index).
    if row.rewrites.is_empty() {
        let Some(scanned) = &step.scanned else {
            problems.push("the server could not report scans".to_owned());
            return problems;
        };
        for (role, name) in &fixture.roles {
            if matches!(role, RelationRole::Index) {
                continue;
            }
            let expected = row.scans.contains(role);
            let seen = scanned.contains(name);
            if seen != expected {
                problems.push(format!(
                    "{name} ({role:?}): scanned {seen}, model says {expected}"
                ));
            }
        }
    }
    problems
}

#[test]
fn lock_model_matches_server() {
    let cluster =
        TempCluster::start(TempClusterOptions::default()).expect("start a throwaway cluster");
    let mut fixtures: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    fixtures.sort();

    let pg_major = {
        let tracer =
            Tracer::new(cluster.connect("postgres").unwrap(), None, Target::Scratch).unwrap();
        tracer.pg_major()
    };
    let ids_for_version: BTreeSet<&str> = dbwise_locks::rows()
        .iter()
        .filter(|r| r.versions.contains(pg_major))
        .map(|r| r.id)
        .collect();
    let fixture_ids: BTreeSet<String> = fixtures
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    let missing: Vec<&&str> = ids_for_version
        .iter()
        .filter(|id| !fixture_ids.contains(**id))
        .collect();
    assert!(
        missing.is_empty(),
        "lock-model rows for PostgreSQL {pg_major} without a fixture: {missing:?}"
    );

    let mut failures = Vec::new();
    for (n, path) in fixtures.iter().enumerate() {
        let fixture = read_fixture(path);
        let row = match dbwise_locks::row(&fixture.id, pg_major) {
            Ok(row) => row,
            Err(ModelError::NotAvailable { since, .. }) => {
                println!("{:<40} skipped: exists from PostgreSQL {since}", fixture.id);
                continue;
            }
            Err(error) => panic!("fixture {} has no model row: {error}", fixture.id),
        };
        let database = format!("fixture_{n}");
        let main = cluster.create_database(&database).unwrap();
        let probe = ProbeConnections {
            observer: cluster.connect(&database).unwrap(),
            blocker: cluster.connect(&database).unwrap(),
        };
        let mut tracer = Tracer::new(main, Some(probe), Target::Scratch).unwrap();
        for step in trace(&mut tracer, "setup.sql", &fixture.setup) {
            assert_eq!(
                step.outcome,
                Outcome::Ok,
                "{}: setup statement `{}` failed",
                fixture.id,
                step.sql
            );
        }
        let steps = trace(&mut tracer, "check.sql", &fixture.check);
        assert_eq!(
            steps.len(),
            1,
            "{}: the check part must hold one statement",
            fixture.id
        );
        let mut problems = compare(row, &fixture, &steps[0]);
        if fixture.id == "create-index" {
            // The comparison must notice a wrong model: CREATE INDEX is not the CONCURRENTLY form.
            let wrong = dbwise_locks::row("create-index-concurrently", pg_major).unwrap();
            assert!(
                !compare(wrong, &fixture, &steps[0]).is_empty(),
                "comparing CREATE INDEX with the CONCURRENTLY row found no difference"
            );
        }
        if let Some(follow_up) = &fixture.fails_after {
            let mut client = cluster.connect(&database).unwrap();
            let sql = format!(
                "BEGIN; {}; {follow_up}",
                fixture.check.trim().trim_end_matches(';')
            );
            if client.batch_execute(&sql).is_ok() {
                problems.push(format!("`{follow_up}` succeeded in the same transaction"));
            }
        }
        if row.transaction == TransactionUse::OutsideTransactionBlock {
            let mut client = cluster.connect(&database).unwrap();
            let refused = client.batch_execute(&format!("BEGIN; {}", fixture.check.trim()));
            let code = refused
                .as_ref()
                .err()
                .and_then(|e| e.code())
                .map(|c| c.code().to_owned());
            if code.as_deref() != Some("25001") {
                problems.push(format!(
                    "the server did not refuse it inside a transaction block: {refused:?}"
                ));
            }
        }
        println!(
            "{:<40} {}",
            fixture.id,
            if problems.is_empty() {
                "ok".to_owned()
            } else {
                problems.join("; ")
            }
        );
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n    {}\n    trace: {:?}",
                fixture.id,
                problems.join("\n    "),
                steps[0]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "lock model and PostgreSQL {pg_major} disagree:\n{}",
        failures.join("\n")
    );
}
