//! `dbwise migrate trace` end to end: the real binary on migration folders, each run starting
//! its own throwaway PostgreSQL cluster (or using one the test starts, for `--database-url`).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn dbwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dbwise")
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The statements of every file, in order.
fn statements(report: &Value) -> Vec<&Value> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["statements"].as_array().unwrap())
        .collect()
}

fn locks_on<'a>(statement: &'a Value, relation: &str) -> Vec<&'a str> {
    statement["locks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["relation"] == relation)
        .map(|l| l["mode"].as_str().unwrap())
        .collect()
}

fn names(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn diesel_project(root: &Path) {
    write(
        root,
        "migrations/2024-01-01-000000_create/up.sql",
        "CREATE TABLE customers (id int PRIMARY KEY);\n\
         CREATE TABLE orders (id int NOT NULL, customer_id int, note text);\n\
         INSERT INTO customers VALUES (1);\n\
         INSERT INTO orders VALUES (1, 1, 'first');\n",
    );
    write(
        root,
        "migrations/2024-01-01-000000_create/down.sql",
        "DROP TABLE orders;\nDROP TABLE customers;\n",
    );
    write(
        root,
        "migrations/2024-02-01-000000_constrain/up.sql",
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk\n    FOREIGN KEY (customer_id) REFERENCES customers (id);\n\
         ALTER TABLE orders ALTER COLUMN id TYPE bigint;\n",
    );
}

#[test]
fn trace_reports_locks_rewrites_and_scans_per_statement() {
    let dir = tempfile::tempdir().unwrap();
    diesel_project(dir.path());
    let migrations = dir.path().join("migrations");
    let output = dbwise(&[
        "migrate",
        "trace",
        migrations.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    assert!(
        report["server_version"]
            .as_str()
            .unwrap()
            .starts_with(char::is_numeric)
    );
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "down.sql is not traced");
    assert!(
        files[1]["path"]
            .as_str()
            .unwrap()
            .ends_with("2024-02-01-000000_constrain/up.sql")
    );

    let steps = statements(&report);
    assert_eq!(steps.len(), 6);
    let fk = steps[4];
    assert_eq!(fk["line"], 1);
    assert_eq!(fk["outcome"]["status"], "ok");
    assert!(
        locks_on(fk, "orders").contains(&"SHARE ROW EXCLUSIVE"),
        "{fk}"
    );
    assert!(
        locks_on(fk, "customers").contains(&"SHARE ROW EXCLUSIVE"),
        "{fk}"
    );
    let blocking: Vec<(&str, bool, bool)> = fk["locks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["mode"] == "SHARE ROW EXCLUSIVE")
        .map(|l| {
            (
                l["relation"].as_str().unwrap(),
                l["blocks_reads"].as_bool().unwrap(),
                l["blocks_writes"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        blocking,
        [("customers", false, true), ("orders", false, true)]
    );
    assert!(names(&fk["scanned"]).contains(&"orders"));
    assert!(names(&fk["rewritten"]).is_empty());

    let retype = steps[5];
    assert_eq!(retype["line"], 3);
    assert!(locks_on(retype, "orders").contains(&"ACCESS EXCLUSIVE"));
    assert_eq!(names(&retype["rewritten"]), ["orders"]);
    // Diesel wraps each migration in a transaction: both statements ran inside one.
    assert_eq!(retype["in_transaction"], true);
}

#[test]
fn concurrently_fails_inside_a_wrapping_framework_and_is_probed_when_run_as_written() {
    let dir = tempfile::tempdir().unwrap();
    diesel_project(dir.path());
    write(
        dir.path(),
        "migrations/2024-03-01-000000_index/up.sql",
        "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n",
    );
    let migrations = dir.path().join("migrations");
    let wrapped = dbwise(&[
        "migrate",
        "trace",
        migrations.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        wrapped.status.code(),
        Some(1),
        "a failed statement exits with 1"
    );
    let report = json(&wrapped);
    let last = *statements(&report).last().unwrap();
    assert_eq!(last["outcome"]["status"], "failed");
    assert_eq!(last["outcome"]["sqlstate"], "25001");

    let as_written = dbwise(&[
        "migrate",
        "trace",
        migrations.to_str().unwrap(),
        "--transaction",
        "as-written",
        "--format",
        "json",
    ]);
    assert_eq!(
        as_written.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&as_written.stderr)
    );
    let report = json(&as_written);
    let last = *statements(&report).last().unwrap();
    assert_eq!(last["observed_by"], "blocking-probe");
    assert_eq!(last["in_transaction"], false);
    assert_eq!(locks_on(last, "orders"), ["SHARE UPDATE EXCLUSIVE"]);
}

#[test]
fn a_syntax_error_names_file_and_line_and_the_other_files_still_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "1_good.sql", "CREATE TABLE t (id int);\n");
    write(
        dir.path(),
        "2_bad.sql",
        "ALTER TABLE t ADD COLUMN a int;\n\nALTER TABLE t ADD COLUMNN b int;\n",
    );
    let good = dir.path().join("1_good.sql");
    let bad = dir.path().join("2_bad.sql");
    let output = dbwise(&[
        "migrate",
        "trace",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("{}:3:", bad.display())),
        "{stdout}"
    );
    assert!(stdout.contains("(file not run)"), "{stdout}");
    assert!(stdout.contains("new: t"), "the good file ran: {stdout}");
}

#[test]
fn unreadable_input_is_reported_and_exits_2() {
    let output = dbwise(&["migrate", "trace", "/nonexistent/migration.sql"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/migration.sql"));
}

#[test]
fn human_output_is_a_table_naming_what_each_lock_blocks() {
    let dir = tempfile::tempdir().unwrap();
    diesel_project(dir.path());
    let migrations = dir.path().join("migrations");
    let output = dbwise(&["migrate", "trace", migrations.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("LINE  TIME"), "{stdout}");
    assert!(
        stdout.contains("orders: SHARE ROW EXCLUSIVE (blocks writes)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("orders: ACCESS EXCLUSIVE (blocks reads and writes)"),
        "{stdout}"
    );
    assert!(stdout.contains("6 statements: 0 failed"), "{stdout}");
}

#[test]
fn database_url_runs_everything_in_one_transaction_that_is_rolled_back() {
    let cluster = dbwise_pg::TempCluster::start(dbwise_pg::TempClusterOptions::default()).unwrap();
    let mut client = cluster.create_database("scratch").unwrap();
    client
        .batch_execute("CREATE TABLE accounts (id int NOT NULL); INSERT INTO accounts VALUES (1);")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "change.sql",
        "BEGIN;\nALTER TABLE accounts ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY accounts_id_idx ON accounts (id);\nCOMMIT;\n",
    );
    let file = dir.path().join("change.sql");
    let url = cluster.connection_string("scratch");
    let output = dbwise(&[
        "migrate",
        "trace",
        file.to_str().unwrap(),
        "--database-url",
        &url,
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    assert_eq!(report["target"], "rollback-all");
    let steps = statements(&report);
    assert_eq!(steps[0]["outcome"]["status"], "skipped");
    assert_eq!(locks_on(steps[1], "accounts"), ["ACCESS EXCLUSIVE"]);
    assert_eq!(steps[2]["outcome"]["status"], "skipped");
    let columns: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(columns, 0, "the scratch database was left unchanged");
}

#[test]
fn documenso_prisma_history_traces_without_failures() {
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/documenso/packages/prisma/migrations");
    if !migrations.is_dir() {
        println!("skipped: {} is absent", migrations.display());
        return;
    }
    let output = dbwise(&[
        "migrate",
        "trace",
        migrations.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    let steps = statements(&report);
    assert!(steps.len() > 500, "only {} statements", steps.len());
    assert!(steps.iter().all(|s| s["outcome"]["status"] == "ok"));
    // Prisma sends each migration as one script: a foreign key added to an existing table shows
    // SHARE ROW EXCLUSIVE on both tables.
    let fk = steps
        .iter()
        .find(|s| {
            let sql = s["sql"].as_str().unwrap();
            sql.starts_with("ALTER TABLE")
                && sql.contains("FOREIGN KEY")
                && !s["locks"].as_array().unwrap().is_empty()
        })
        .expect("an ALTER TABLE ... FOREIGN KEY statement");
    let modes: Vec<&str> = fk["locks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["created"] == false)
        .map(|l| l["mode"].as_str().unwrap())
        .collect();
    assert!(modes.contains(&"SHARE ROW EXCLUSIVE"), "{fk}");
}
