//! Every SQL suggestion dbwise makes must run. A schema that triggers each design rule with a
//! suggestion is created on a throwaway PostgreSQL; each non-template suggestion is then applied
//! to a fresh copy of that database, in one transaction when it says it can run in one and
//! statement by statement otherwise. The same holds on the real migration histories of
//! `../shared/corpus` (skipped with a notice when it is absent).

mod support;

use std::collections::BTreeSet;

use dbwise_catalog::migrations::{self, Framework, TransactionMode};

use dbwise_pg::{TempCluster, TempClusterOptions};
use support::{dbwise, stderr, stdout, write};

const SCHEMA: &str = "\
CREATE TABLE customers (
    id serial PRIMARY KEY, name text NOT NULL, vip boolean DEFAULT false, news boolean DEFAULT true
);
CREATE TABLE categories (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    category_id bigint,
    placed_at timestamp NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'new'
);
CREATE TABLE refunds (id bigint PRIMARY KEY, category_id bigint REFERENCES categories (id));
CREATE INDEX refunds_category_idx ON refunds (category_id);
CREATE TABLE payments (id bigint PRIMARY KEY, category_id bigint REFERENCES categories (id));
CREATE INDEX payments_category_idx ON payments (category_id);
CREATE INDEX orders_placed_idx ON orders (placed_at);
CREATE INDEX orders_placed_status_idx ON orders (placed_at, status);
CREATE TABLE events (id bigint, customer_id integer REFERENCES customers (id), at timestamptz NOT NULL)
    PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE visits (id bigint PRIMARY KEY, seen_at timestamp(3), logged_at timestamptz);
-- The sequence keeps its first name through the rename.
CREATE TABLE old_tickets (id serial PRIMARY KEY);
ALTER TABLE old_tickets RENAME TO tickets;
";

#[test]
fn every_suggestion_runs_on_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schema.sql", SCHEMA);
    let out = lint_everything(dir.path(), &["schema.sql"]);
    let suggestions = runnable_suggestions(&out);
    let rules: BTreeSet<&str> = suggestions
        .iter()
        .map(|(rule, _, _)| rule.as_str())
        .collect();
    for expected in [
        "foreign-key-without-index",
        "missing-foreign-key",
        "nullable-boolean",
        "int-primary-key",
        "timestamp-without-time-zone",
        "redundant-index",
    ] {
        assert!(
            rules.contains(expected),
            "no runnable suggestion from {expected}: {rules:?}"
        );
    }

    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    cluster
        .create_database("base")
        .unwrap()
        .batch_execute(SCHEMA)
        .unwrap();
    let mut admin = cluster.connect("postgres").unwrap();
    for (i, (rule, transaction, sql)) in suggestions.iter().enumerate() {
        let copy = format!("copy{i}");
        admin
            .batch_execute(&format!("CREATE DATABASE {copy} TEMPLATE base"))
            .unwrap();
        let mut client = cluster.connect(&copy).unwrap();
        let applied = if *transaction {
            client.batch_execute(&format!("BEGIN; {} COMMIT;", sql.join(" ")))
        } else {
            sql.iter()
                .try_for_each(|statement| client.batch_execute(statement))
        };
        if let Err(error) = applied {
            panic!("{rule}: {sql:?} failed on PostgreSQL: {error:?}");
        }
    }
    eprintln!("{} suggestions applied on PostgreSQL", suggestions.len());
}

/// The non-template suggestions of a `lint --format json` run: (rule, transaction, statements).
fn runnable_suggestions(out: &std::process::Output) -> Vec<(String, bool, Vec<String>)> {
    let report: serde_json::Value =
        serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["suggestion"]["template"] == false)
        .map(|d| {
            let s = &d["suggestion"];
            let sql = s["sql"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q.as_str().unwrap().to_owned())
                .collect();
            (
                d["rule"].as_str().unwrap().to_owned(),
                s["transaction"].as_bool().unwrap(),
                sql,
            )
        })
        .collect()
}

/// Replay a corpus history on a throwaway server as its framework runs it, lint it, and apply
/// every runnable suggestion to the result: the ones that run in a transaction are rolled back
/// afterwards, so each meets the schema the history left; the others (CREATE INDEX
/// CONCURRENTLY) stay, after all of the former. Returns how many applied.
fn apply_on_history(relative: &str, framework: Framework) -> Option<usize> {
    let dir = support::corpus_folder(relative)?;
    let set = migrations::discover(&dir, Some(framework)).unwrap();
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut client = cluster.create_database("history").unwrap();
    // A history that goes on with SQL this server does not accept (lemmy's later migrations
    // need PostgreSQL 16) is replayed and linted up to there.
    let mut replayed: Vec<String> = Vec::new();
    for migration in &set.migrations {
        let path = &migration.up.path;
        let text = migration.up.select(std::fs::read_to_string(path).unwrap());
        let script = match migration.transaction {
            TransactionMode::Wrapped => format!("BEGIN;\n{text}\n;COMMIT;"),
            TransactionMode::ImplicitWhenMultiStatement | TransactionMode::None => text,
        };
        if let Err(error) = client.batch_execute(&script) {
            println!(
                "{relative}: replayed {} of {} migrations; {} fails on this server: {error}",
                replayed.len(),
                set.migrations.len(),
                path.display()
            );
            client.batch_execute("ROLLBACK").unwrap();
            break;
        }
        replayed.push(path.display().to_string());
    }
    assert!(
        replayed.len() * 2 > set.migrations.len(),
        "{relative}: most of the history replays"
    );
    let files: Vec<&str> = replayed.iter().map(String::as_str).collect();
    let out = lint_everything(&dir, &files);
    let suggestions = runnable_suggestions(&out);
    let (in_transaction, outside): (Vec<_>, Vec<_>) = suggestions
        .iter()
        .partition(|(_, transaction, _)| *transaction);
    for (rule, _, sql) in &in_transaction {
        if let Err(error) = client.batch_execute(&format!("BEGIN; {} ROLLBACK;", sql.join(" "))) {
            panic!("{relative}: {rule}: {sql:?} failed on PostgreSQL: {error:?}");
        }
    }
    for (rule, _, sql) in &outside {
        if let Err(error) = sql
            .iter()
            .try_for_each(|statement| client.batch_execute(statement))
        {
            panic!("{relative}: {rule}: {sql:?} failed on PostgreSQL: {error:?}");
        }
    }
    println!(
        "{relative}: {} suggestions applied on PostgreSQL ({} in a transaction, {} outside one)",
        suggestions.len(),
        in_transaction.len(),
        outside.len()
    );
    Some(suggestions.len())
}

#[test]
fn suggestions_on_the_lemmy_history_run() {
    if let Some(applied) = apply_on_history("lemmy/migrations", Framework::Diesel) {
        assert!(applied > 0, "lemmy's history gives suggestions to apply");
    }
}

#[test]
fn suggestions_on_the_documenso_history_run() {
    if let Some(applied) =
        apply_on_history("documenso/packages/prisma/migrations", Framework::Prisma)
    {
        assert!(
            applied > 0,
            "documenso's history gives suggestions to apply"
        );
    }
}

/// `dbwise lint` in JSON on `files`, with every rule on and every finding listed, including
/// those on tables whose size nothing shows: each suggestion must run.
fn lint_everything(dir: &std::path::Path, files: &[&str]) -> std::process::Output {
    let enable = opt_in();
    let mut args = vec![
        "lint",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--unknown-sizes",
        "list",
        "--conventions",
        "list",
        "--enable",
        &enable,
    ];
    args.extend(files);
    dbwise(dir, &args)
}

/// The rules that are off by default, whose suggestions must run too.
fn opt_in() -> String {
    dbwise_lint::rules::OPT_IN.join(",")
}
