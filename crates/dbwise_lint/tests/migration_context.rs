//! Migration rules against the replay context: table sizes from `[tables] sizes` scale the
//! severity, and PostgreSQL versions change what is reported.

use std::collections::BTreeMap;

use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::{Severity, SourceFile};
use dbwise_lint::{Settings, Unit, UnitInfo, lint};

fn units(files: &[(&str, TransactionMode)]) -> Vec<Unit> {
    files
        .iter()
        .enumerate()
        .map(|(index, (sql, transaction))| Unit {
            parsed: dbwise_syntax::parse(&SourceFile::new(format!("{index}.sql"), *sql)),
            info: UnitInfo {
                index,
                framework: None,
                transaction: *transaction,
                scratch: false,
                day: None,
            },
        })
        .collect()
}

fn severities(rule: &str, rows: Option<u64>, files: &[(&str, TransactionMode)]) -> Vec<Severity> {
    let settings = Settings {
        select: vec![rule.to_owned()],
        table_rows: rows
            .map(|n| BTreeMap::from([("orders".to_owned(), n)]))
            .unwrap_or_default(),
        ..Settings::default()
    };
    lint(units(files), &settings)
        .findings
        .iter()
        .map(|f| f.severity)
        .collect()
}

const HISTORY: &str = "CREATE TABLE orders (id bigint PRIMARY KEY, total integer);";

#[test]
fn severity_scales_with_the_known_table_size() {
    let files = [
        (HISTORY, TransactionMode::None),
        (
            "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);",
            TransactionMode::None,
        ),
    ];
    let rule = "alter-column-type-rewrite";
    assert_eq!(severities(rule, None, &files), [Severity::Warning]);
    assert_eq!(severities(rule, Some(50), &files), [Severity::Info]);
    assert_eq!(severities(rule, Some(500_000), &files), [Severity::Warning]);
    assert_eq!(
        severities(rule, Some(10_000_000), &files),
        [Severity::Error]
    );
}

#[test]
fn a_quick_lock_stays_a_warning_on_a_huge_table() {
    let files = [
        (HISTORY, TransactionMode::None),
        (
            "ALTER TABLE orders DROP COLUMN total;",
            TransactionMode::None,
        ),
    ];
    assert_eq!(
        severities("drop-column", Some(10_000_000), &files),
        [Severity::Warning]
    );
}

#[test]
fn a_slow_statement_after_an_exclusive_lock_in_the_same_transaction_says_so() {
    let files = [
        (HISTORY, TransactionMode::None),
        (
            "ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_total_idx ON orders (total);",
            TransactionMode::Wrapped,
        ),
    ];
    let settings = Settings {
        select: vec!["create-index-non-concurrently".to_owned()],
        ..Settings::default()
    };
    let outcome = lint(units(&files), &settings);
    assert_eq!(outcome.findings.len(), 1);
    assert!(
        outcome.findings[0]
            .why
            .contains("(line 1) took ACCESS EXCLUSIVE on orders"),
        "{}",
        outcome.findings[0].why
    );
}

#[test]
fn enum_values_follow_the_version() {
    let files = [
        ("CREATE TYPE mood AS ENUM ('ok');", TransactionMode::None),
        (
            "ALTER TYPE mood ADD VALUE 'great';",
            TransactionMode::Wrapped,
        ),
    ];
    let on = |pg_version: u32| {
        let settings = Settings {
            select: vec!["enum-value-in-transaction".to_owned()],
            pg_version,
            ..Settings::default()
        };
        lint(units(&files), &settings).findings.len()
    };
    assert_eq!(
        on(11),
        1,
        "PostgreSQL 11 refuses ADD VALUE in a transaction"
    );
    assert_eq!(
        on(12),
        0,
        "from 12 it runs; the value is not used before commit"
    );
}

#[test]
fn set_not_null_on_11_has_no_check_shortcut() {
    let files = [
        (
            "CREATE TABLE orders (id bigint, c int);\nALTER TABLE orders ADD CONSTRAINT c_nn CHECK (c IS NOT NULL);",
            TransactionMode::None,
        ),
        (
            "ALTER TABLE orders ALTER COLUMN c SET NOT NULL;",
            TransactionMode::None,
        ),
    ];
    let on = |pg_version: u32| {
        let settings = Settings {
            select: vec!["set-not-null-scans-table".to_owned()],
            pg_version,
            ..Settings::default()
        };
        lint(units(&files), &settings).findings.len()
    };
    assert_eq!(on(11), 1);
    assert_eq!(on(12), 0);
}
