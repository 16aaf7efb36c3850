//! Every SQL suggestion dbwise makes must run. A schema that triggers each design rule with a
//! suggestion is created on a throwaway PostgreSQL; each non-template suggestion is then applied
//! to a fresh copy of that database, in one transaction when it says it can run in one and
//! statement by statement otherwise.

mod support;

use std::collections::BTreeSet;

use dbwise_pg::{TempCluster, TempClusterOptions};
use support::{dbwise, stderr, stdout, write};

const SCHEMA: &str = "\
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, vip boolean DEFAULT false);
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
CREATE TABLE visits (id bigint PRIMARY KEY, seen_at timestamp(3));
";

#[test]
fn every_suggestion_runs_on_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schema.sql", SCHEMA);
    let out = dbwise(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--fail-on",
            "never",
            "schema.sql",
        ],
    );
    let report: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let suggestions: Vec<(String, bool, Vec<String>)> = report["diagnostics"]
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
        .collect();
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
