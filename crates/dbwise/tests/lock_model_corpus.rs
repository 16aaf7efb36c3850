//! The static lock predictions (the lint's statement-to-form mapping plus the lock model) against
//! what PostgreSQL really does, statement by statement, on real migration histories from
//! `../shared/corpus`: the lock on each table, and whether the table got new storage. Each statement runs in its own transaction so its locks are all its own.
//! Skipped with a notice when the corpus is absent.

mod support;

use std::collections::BTreeMap;

use dbwise_catalog::migrations::{self, Framework};
use dbwise_catalog::{Catalog, Origin};
use dbwise_diagnostics::SourceFile;
use dbwise_locks::{LockLevel, RelationRole};
use dbwise_pg::{
    FileTransaction, Outcome, ProbeConnections, Target, TempCluster, TempClusterOptions, Tracer,
};
use dbwise_syntax::ast::Stmt;

struct Tally {
    compared: usize,
    rewrites_compared: usize,
    /// Predicted locks on a relation the server showed no lock on (named differently, or a
    /// statement that did not get that far).
    unmatched: Vec<String>,
    disagreements: Vec<String>,
}

fn check_history(relative: &str, framework: Framework) -> Option<Tally> {
    let dir = support::corpus_folder(relative)?;
    let set = migrations::discover(&dir, Some(framework)).unwrap();
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let main = cluster.create_database("history").unwrap();
    let probe = ProbeConnections {
        observer: cluster.connect("history").unwrap(),
        blocker: cluster.connect("history").unwrap(),
    };
    let mut tracer = Tracer::new(main, Some(probe), Target::Scratch).unwrap();
    let pg_major = tracer.pg_major();
    let mut catalog = Catalog::new();
    let mut tally = Tally {
        compared: 0,
        rewrites_compared: 0,
        unmatched: Vec::new(),
        disagreements: Vec::new(),
    };
    let mut statement_number = 0;
    for (index, migration) in set.migrations.iter().enumerate() {
        let text = std::fs::read_to_string(&migration.up.path).unwrap();
        let parsed = dbwise_syntax::parse(&SourceFile::new(
            migration.up.path.display().to_string(),
            text,
        ));
        let trace = tracer
            .trace_file(&parsed, FileTransaction::AsWritten)
            .unwrap();
        // The session time zone is UTC after a `SET timezone` to UTC in the file, as the lint
        // driver tracks it (a timestamp to timestamptz change then keeps its storage).
        let mut utc_session = false;
        for (statement, step) in parsed.statements.iter().zip(&trace.statements) {
            if let Stmt::Set { name, value, .. } = &statement.stmt
                && name == "timezone"
            {
                utc_session = value.as_deref().is_some_and(dbwise_lint::lockmap::is_utc);
            }
            let operations =
                dbwise_lint::lockmap::operations(statement, &catalog, pg_major, utc_session);
            let mut expected: BTreeMap<String, LockLevel> = BTreeMap::new();
            let mut new_storage: BTreeMap<String, bool> = BTreeMap::new();
            for op in &operations {
                let (Some(effect), Some(table)) = (&op.effect, op.locked_table(&catalog)) else {
                    continue;
                };
                // After a rename the server shows the lock under the new name; a table that
                // references itself is created by the statement, and locks on new relations are
                // not compared.
                if matches!(op.form, dbwise_locks::DdlForm::RenameTable)
                    || (matches!(op.form, dbwise_locks::DdlForm::CreateTableWithForeignKey)
                        && step
                            .locks
                            .iter()
                            .any(|l| l.created && l.relation == table.name))
                {
                    continue;
                }
                let role = match op.form {
                    dbwise_locks::DdlForm::RefreshMatView { .. } => RelationRole::MaterializedView,
                    dbwise_locks::DdlForm::CreateTableWithForeignKey => {
                        RelationRole::ReferencedTable
                    }
                    _ => RelationRole::Table,
                };
                if let Some(level) = effect.lock_on(role) {
                    // The trace names relations unquoted, schema-qualified unless public.
                    let name = if table.schema == "public" {
                        table.name.to_string()
                    } else {
                        format!("{}.{}", table.schema, table.name)
                    };
                    let row = dbwise_locks::row(effect.row, pg_major).unwrap();
                    *new_storage.entry(name.clone()).or_default() |= row.rewrites.contains(&role)
                        || (row.empties && role == RelationRole::Table);
                    let entry = expected.entry(name).or_insert(level);
                    *entry = (*entry).max(level);
                }
            }
            if step.outcome == Outcome::Ok && step.in_transaction {
                for (table, level) in &expected {
                    let seen = step
                        .locks
                        .iter()
                        .filter(|l| !l.created && same_relation(&l.relation, table))
                        .map(|l| l.mode)
                        .max();
                    let Some(seen) = seen else {
                        tally.unmatched.push(format!(
                            "{}:{}: {table}: model {level}, server none",
                            trace.path, step.line
                        ));
                        continue;
                    };
                    tally.compared += 1;
                    if seen != *level {
                        tally.disagreements.push(format!(
                            "{}:{}: {table}: model {level}, server {seen}: {}",
                            trace.path,
                            step.line,
                            step.sql.lines().next().unwrap_or_default()
                        ));
                    }
                }
            }
            if step.outcome == Outcome::Ok {
                for (table, expected) in &new_storage {
                    let seen = step.rewritten.iter().any(|r| same_relation(r, table));
                    tally.rewrites_compared += 1;
                    if seen != *expected {
                        tally.disagreements.push(format!(
                            "{}:{}: {table}: model says new storage {expected}, server {seen}: {}",
                            trace.path,
                            step.line,
                            step.sql.lines().next().unwrap_or_default()
                        ));
                    }
                }
            }
            let origin = Origin::new(
                parsed.source.clone(),
                statement.span,
                Some(index),
                statement_number,
            );
            catalog.apply(&statement.stmt, &origin);
            statement_number += 1;
        }
    }
    Some(tally)
}

/// The trace's name of a relation against the catalog's: temporary tables live in the session's
/// `pg_temp_N` schema, which the catalog does not track.
fn same_relation(traced: &str, modelled: &str) -> bool {
    traced == modelled
        || traced
            .strip_prefix("pg_temp_")
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(_, name)| name == modelled)
}

/// Every prediction found its relation in the trace and agreed with the server's lock.
fn assert_agrees(history: &str, tally: &Tally) {
    println!(
        "{history}: {} locks and {} rewrites compared",
        tally.compared, tally.rewrites_compared
    );
    assert!(
        tally.compared > 50,
        "{history}: only {} locks compared",
        tally.compared
    );
    assert!(
        tally.unmatched.is_empty(),
        "{history}:\n{}",
        tally.unmatched.join("\n")
    );
    assert!(
        tally.disagreements.is_empty(),
        "{history}:\n{}",
        tally.disagreements.join("\n")
    );
}

#[test]
fn static_lock_predictions_match_the_server_on_documenso() {
    if let Some(tally) = check_history("documenso/packages/prisma/migrations", Framework::Prisma) {
        assert_agrees("documenso", &tally);
    }
}

#[test]
fn static_lock_predictions_match_the_server_on_lemmy() {
    if let Some(tally) = check_history("lemmy/migrations", Framework::Diesel) {
        assert_agrees("lemmy", &tally);
    }
}
