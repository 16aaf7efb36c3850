//! End-to-end tests of `dbwise migrate plan` and of `[tables] sizes` reaching the migration
//! rules, through the binary.

mod support;

use support::{dbwise, stdout, write};

/// A diesel history: the first migration creates the tables, the second changes them.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "migrations/2024-01-01-000000_init/up.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n\
         CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total integer);\n",
    );
    write(
        tmp.path(),
        "migrations/2024-01-01-000000_init/down.sql",
        "DROP TABLE orders;\nDROP TABLE users;\n",
    );
    write(
        tmp.path(),
        "migrations/2024-02-01-000000_change/up.sql",
        "ALTER TABLE users RENAME COLUMN name TO full_name;\n\
         CREATE INDEX orders_user_idx ON orders (user_id);\n\
         ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);\n",
    );
    write(
        tmp.path(),
        "migrations/2024-02-01-000000_change/down.sql",
        "DROP INDEX orders_user_idx;\n",
    );
    tmp
}

#[test]
fn plan_uses_the_earlier_migrations_of_its_folder() {
    let tmp = project();
    let out = dbwise(
        tmp.path(),
        &[
            "migrate",
            "plan",
            "migrations/2024-02-01-000000_change/up.sql",
        ],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // The column's type comes from the first migration.
    assert!(
        text.contains("ALTER TABLE users ADD COLUMN full_name text;"),
        "{text}"
    );
    assert!(
        text.contains("-- DEPLOY FIRST: the application writes both name and full_name"),
        "{text}"
    );
    assert!(
        text.contains("CREATE INDEX CONCURRENTLY orders_user_idx ON orders USING btree (user_id);"),
        "{text}"
    );
    assert!(
        text.contains("ALTER TABLE orders ADD COLUMN total_new numeric(12,2);"),
        "{text}"
    );
    assert!(
        text.contains("-- run outside a transaction: a migration of its own with run_in_transaction = false in its metadata.toml"),
        "{text}"
    );
    let steps = text.lines().filter(|l| l.starts_with("-- step ")).count();
    assert_eq!(steps, 7, "{text}");
}

#[test]
fn plan_without_history_keeps_what_it_cannot_rewrite() {
    let tmp = project();
    write(
        tmp.path(),
        "loose.sql",
        "ALTER TABLE accounts RENAME COLUMN name TO full_name;\n",
    );
    let out = dbwise(
        tmp.path(),
        &["migrate", "plan", "loose.sql", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = plan["steps"].as_array().unwrap();
    // No history: the column's type is unknown, so no expand/contract can be written.
    assert_eq!(steps.len(), 1);
    assert_eq!(
        steps[0]["sql"],
        "SET lock_timeout = '5s';\nALTER TABLE accounts RENAME COLUMN name TO full_name;"
    );
    assert_eq!(steps[0]["no_transaction"], false);
    assert!(steps[0]["deploy_first"].is_null());
}

#[test]
fn plan_reports_a_syntax_error_with_its_position() {
    let tmp = project();
    write(
        tmp.path(),
        "broken.sql",
        "CREATE INDEX a_idx ON orders (user_id);\nALTER TABLE orders ADD COLUMN;\n",
    );
    let out = dbwise(
        tmp.path(),
        &["migrate", "plan", "broken.sql", "--after", "migrations"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(err.contains("broken.sql:2:"), "{err}");
    assert!(stdout(&out).contains("CREATE INDEX CONCURRENTLY a_idx"));
}

#[test]
fn plan_splits_an_alter_table_with_several_risky_sub_commands() {
    let tmp = project();
    write(
        tmp.path(),
        "several.sql",
        "ALTER TABLE orders\n    ADD COLUMN note text NOT NULL DEFAULT '',\n    \
         ALTER COLUMN total TYPE bigint,\n    \
         ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),\n    \
         ADD CONSTRAINT orders_user_key UNIQUE (user_id);\n",
    );
    let out = dbwise(
        tmp.path(),
        &[
            "migrate",
            "plan",
            "several.sql",
            "--after",
            "migrations",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sql: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sql"].as_str().unwrap())
        .collect();
    let position = |needle: &str| {
        sql.iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle}: {sql:#?}"))
    };
    // The safe sub-command stays an ALTER TABLE of its own, first.
    assert_eq!(
        sql[0],
        "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT '';"
    );
    // The unique key is built before the foreign key; nothing that needs no deploy waits for one.
    assert!(position("CREATE UNIQUE INDEX CONCURRENTLY") < position("UNIQUE USING INDEX"));
    assert!(position("UNIQUE USING INDEX") < position("FOREIGN KEY (user_id)"));
    assert!(position("NOT VALID") < position("VALIDATE CONSTRAINT orders_user_fk"));
    assert!(position("VALIDATE CONSTRAINT orders_user_fk") < position("SET total_new"));
    assert!(position("SET total_new") < position("DROP COLUMN total"));
    assert_eq!(sql.len(), 8, "{sql:#?}");
}

#[test]
fn table_sizes_scale_migration_severities() {
    let tmp = project();
    write(
        tmp.path(),
        "dbwise.toml",
        "[tables]\nsizes = { orders = 20000000, users = 40 }\n",
    );
    let out = dbwise(
        tmp.path(),
        &[
            "lint",
            "migrations",
            "--format",
            "json",
            "--select",
            "alter-column-type-rewrite,rename-column,create-index-non-concurrently",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let severity = |rule: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .map(|d| d["severity"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        severity("alter-column-type-rewrite").as_deref(),
        Some("error")
    );
    assert_eq!(
        severity("create-index-non-concurrently").as_deref(),
        Some("error")
    );
    assert_eq!(severity("rename-column").as_deref(), Some("info"));
    assert_eq!(out.status.code(), Some(1), "errors fail the run");
}

#[test]
fn a_file_among_unrelated_scripts_replays_nothing_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    // Scripts beside the file are not a migration history.
    write(
        tmp.path(),
        "scripts/a_setup.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n",
    );
    write(tmp.path(), "scripts/zz_cleanup.sql", "DROP TABLE users;\n");
    write(
        tmp.path(),
        "scripts/m_change.sql",
        "ALTER TABLE users RENAME COLUMN name TO full_name;\n",
    );
    let out = dbwise(tmp.path(), &["migrate", "plan", "scripts/m_change.sql"]);
    assert_eq!(out.status.code(), Some(0));
    let note = support::stderr(&out);
    assert!(note.contains("history: none"), "{note}");
    // Without the history the column's type is unknown: the plan says so instead of using the
    // sibling script's `text`.
    assert!(!stdout(&out).contains("full_name text"), "{}", stdout(&out));

    let named = dbwise(
        tmp.path(),
        &[
            "migrate",
            "plan",
            "scripts/m_change.sql",
            "--framework",
            "plain",
        ],
    );
    let note = support::stderr(&named);
    assert!(note.contains("the 1 earlier migrations of"), "{note}");
    assert!(
        stdout(&named).contains("full_name text"),
        "{}",
        stdout(&named)
    );
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    let tmp = project();
    for command in [
        &[
            "migrate",
            "plan",
            "migrations/2024-02-01-000000_change/up.sql",
        ][..],
        &[
            "migrate",
            "plan",
            "--format",
            "json",
            "migrations/2024-02-01-000000_change/up.sql",
        ][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dbwise"))
            .args(command)
            .current_dir(tmp.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Like `| head -0`: the reader is gone before anything is written.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let errors = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{errors}");
        assert!(!errors.contains("panicked"), "{errors}");
    }
}
