//! `dbwise migrate impact` end to end: the real binary on a migration folder and a log of a
//! real PostgreSQL 15 (a throwaway cluster), and `migrate trace --measure-throughput` storing
//! the figures impact then uses.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use dbwise_pg::{TempCluster, TempClusterOptions};
use serde_json::Value;
use support::{stderr, stdout, write};

const PREFIX: &str = "%m [%p] ";

/// Run dbwise in `dir` with the throughput figures stored in `dir` (none unless a test measures
/// them), never those of the developer's machine.
fn dbwise(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DBWISE_THROUGHPUT_FILE", dir.join("throughput.json"))
        .env_remove("DBWISE_DATABASE_URL")
        .output()
        .unwrap()
}

/// `dbwise migrate impact ARGS` on the workload `postgresql.log` of `dir`.
fn impact(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "migrate",
        "impact",
        "--workload",
        "postgresql.log",
        "--log-line-prefix",
        PREFIX,
    ];
    all.extend(args);
    dbwise(dir, &all)
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(output), stderr(output)))
}

/// The statements a server logs for the workload: reads and writes of `orders`, reads of
/// `customers`, one line each, as `(template line, calls per second in the quiet hour, in the
/// busy hour)`.
const TRAFFIC: [(&str, f64, f64); 3] = [
    ("SELECT total FROM orders WHERE id = 7", 2.0, 20.0),
    ("UPDATE orders SET total = total + 1 WHERE id = 7", 0.5, 8.0),
    ("SELECT name FROM customers WHERE id = 3", 1.0, 10.0),
];

/// Run the statements of [`TRAFFIC`] on a throwaway PostgreSQL that logs every statement with
/// its duration, and return each one's log line as the server wrote it.
fn real_log_lines() -> Vec<String> {
    let cluster = TempCluster::start(
        TempClusterOptions::default()
            .setting("logging_collector", "on")
            .setting("log_filename", "postgresql.log")
            .setting("log_min_duration_statement", "0")
            .setting("log_line_prefix", PREFIX)
            .setting("lc_messages", "C"),
    )
    .expect("start a throwaway PostgreSQL (PostgreSQL 15 server binaries are required)");
    let mut client = cluster.connect("postgres").unwrap();
    client
        .batch_execute(
            "CREATE TABLE customers (id bigint PRIMARY KEY, name text);
             CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total integer);
             INSERT INTO customers VALUES (3, 'ann');
             INSERT INTO orders VALUES (7, 3, 10);",
        )
        .unwrap();
    for (sql, _, _) in TRAFFIC {
        client.simple_query(sql).unwrap();
    }
    let log = cluster.log_dir().join("postgresql.log");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<String> = TRAFFIC
            .iter()
            .filter_map(|(sql, _, _)| {
                text.lines()
                    .find(|l| l.ends_with(&format!("statement: {sql}")))
                    .map(str::to_owned)
            })
            .collect();
        if lines.len() == TRAFFIC.len() {
            return lines;
        }
        assert!(Instant::now() < deadline, "the server did not log:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A two-hour log in the server's own format: running a real busy hour is impossible in a test,
/// so the real server's lines are repeated with synthetic timestamps (the `%m` part of the
/// prefix, `2024-01-08 02:00:00.000 UTC`), each statement at a steady rate: the quiet rate from
/// 02:00 to 03:00 and the busy rate from 03:00 to 04:00.
fn two_hour_log(lines: &[String]) -> String {
    let mut events: Vec<(u64, &str)> = Vec::new();
    for (line, (_, quiet, busy)) in lines.iter().zip(TRAFFIC) {
        // The line after its timestamp: ` UTC [pid] LOG:  duration: ... statement: ...`.
        let rest = &line["2024-01-08 02:00:00.000".len()..];
        for (hour, rate) in [(2, quiet), (3, busy)] {
            let calls = (rate * 3600.0) as u64;
            for i in 0..calls {
                events.push((hour * 3_600_000 + i * 3_600_000 / calls, rest));
            }
        }
    }
    events.sort();
    let mut out = String::new();
    for (ms, rest) in events {
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        out.push_str(&format!(
            "2024-01-08 {h:02}:{m:02}:{s:02}.{milli:03}{rest}\n"
        ));
    }
    out
}

fn project(dir: &Path) {
    write(
        dir,
        "migrations/0001_init.sql",
        "CREATE TABLE customers (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total integer);
",
    );
    write(
        dir,
        "migrations/0002_change.sql",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE customers ADD COLUMN note text;
",
    );
    write(
        dir,
        "dbwise.toml",
        "[tables]\nsizes = { orders = 10000000, customers = 20000 }\n",
    );
}

#[test]
fn a_rewrite_blocks_the_logged_shapes_at_their_rates_and_the_quiet_hour_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    write(
        dir.path(),
        "postgresql.log",
        &two_hour_log(&real_log_lines()),
    );

    let output = impact(dir.path(), &["migrations", "--format", "json"]);
    let report = json(&output);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let statements = report["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 2, "{report:#}");

    let rewrite = &statements[0];
    assert_eq!(
        rewrite["statement"],
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)"
    );
    let lock = &rewrite["locks"][0];
    assert_eq!(lock["table"], "orders");
    assert_eq!(lock["mode"], "ACCESS EXCLUSIVE");
    assert_eq!(lock["hold"], "rewrite");
    assert!(lock["seconds"].as_f64().unwrap() > 1.0, "{lock}");
    // Both shapes on orders are blocked, at their quiet-hour rates (the recommended window).
    let blocked: Vec<(&str, f64, f64)> = rewrite["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["query"].as_str().unwrap(),
                b["per_second"].as_f64().unwrap(),
                b["queued"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(blocked.len(), 2, "{blocked:?}");
    for (query, expected) in [
        ("SELECT total FROM orders WHERE id = $1", TRAFFIC[0].1),
        (
            "UPDATE orders SET total = total + $1 WHERE id = $2",
            TRAFFIC[1].1,
        ),
    ] {
        let (_, rate, queued) = blocked
            .iter()
            .find(|b| b.0 == query)
            .unwrap_or_else(|| panic!("{query} not blocked: {blocked:?}"));
        assert!(
            (rate - expected).abs() <= 0.05 * expected,
            "{query}: {rate}/s, the log has {expected}/s"
        );
        assert!(*queued >= 1.0, "{query}: {queued}");
    }
    assert_eq!(rewrite["verdict"], "rewrite");

    let add_column = &statements[1];
    assert_eq!(add_column["locks"][0]["table"], "customers");
    assert_eq!(add_column["locks"][0]["hold"], "instant");
    assert_eq!(add_column["locks"][0]["seconds"], 0.0);
    assert_eq!(
        add_column["blocked"][0]["query"],
        "SELECT name FROM customers WHERE id = $1"
    );
    assert_eq!(add_column["verdict"], "safe");

    assert_eq!(report["window"]["start"], "02:00", "{report:#}");
    assert_eq!(report["window"]["end"], "03:00");
    assert!(report["window"]["queued"].as_f64().unwrap() >= 1.0);
    let assumptions: Vec<&str> = report["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        assumptions
            .iter()
            .any(|a| a.starts_with("throughput: ") && a.contains("defaults")),
        "{assumptions:#?}"
    );

    // The human report says the same.
    let text = stdout(&impact(dir.path(), &["migrations"]));
    assert!(text.contains("verdict: rewrite"), "{text}");
    assert!(text.contains("when: 02:00-03:00"), "{text}");
    assert!(text.contains("2.00/s"), "{text}");
}

#[test]
fn measured_throughput_is_stored_and_then_used() {
    let dir = tempfile::tempdir().unwrap();
    let output = dbwise(
        dir.path(),
        &["migrate", "trace", "--measure-throughput", "4MB"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let stored: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("throughput.json")).unwrap())
            .unwrap();
    for figure in ["rewrite_mb_per_s", "index_build_mb_per_s", "scan_mb_per_s"] {
        assert!(stored[figure].as_f64().unwrap() > 0.0, "{stored}");
    }

    project(dir.path());
    write(
        dir.path(),
        "postgresql.log",
        "2024-01-08 02:00:00.000 UTC [1] LOG:  duration: 0.050 ms  statement: SELECT 1\n",
    );
    let output = impact(
        dir.path(),
        &[
            "migrations/0001_init.sql",
            "migrations/0002_change.sql",
            "--format",
            "json",
        ],
    );
    let report = json(&output);
    let throughput = report["assumptions"][0].as_str().unwrap();
    assert!(
        throughput.contains("measured by migrate trace"),
        "{throughput}"
    );
    // Nothing in the log touches the tables: every statement is safe.
    assert_eq!(output.status.code(), Some(0), "{report:#}");

    // A damaged file is named, with what to do.
    write(dir.path(), "throughput.json", "{");
    let output = impact(dir.path(), &["migrations"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("throughput.json") && message.contains("measure again"),
        "{message}"
    );
}

#[test]
fn review_runs_impact_on_the_last_migration_with_the_configured_workload() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    write(
        dir.path(),
        "dbwise.toml",
        "[migrations]\npath = \"migrations\"\n[tables]\nsizes = { orders = 10000000 }\n\
         [review]\nrun = [\"impact\"]\nworkload = [\"postgresql.log\"]\n",
    );
    // Reads of orders at one a second for ten minutes, in the format of the log above.
    let log: String = (0..600)
        .map(|i| {
            format!(
                "2024-01-08 02:{:02}:{:02}.000 UTC [7] LOG:  duration: 0.050 ms  statement: SELECT total FROM orders WHERE id = {i}\n",
                i / 60,
                i % 60
            )
        })
        .collect();
    write(dir.path(), "postgresql.log", &log);
    let output = dbwise(dir.path(), &["review", "--format", "json"]);
    let report = json(&output);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let blocked = &report["statements"][0]["blocked"][0];
    assert_eq!(blocked["query"], "SELECT total FROM orders WHERE id = $1");
    let rate = blocked["per_second"].as_f64().unwrap();
    assert!((rate - 1.0).abs() < 0.05, "{rate}");
    assert_eq!(report["window"]["start"], "02:00");
}

#[test]
fn database_sizes_give_the_bytes_a_lock_is_held_for() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    write(dir.path(), "dbwise.toml", "");
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    cluster
        .create_database("shop")
        .unwrap()
        .batch_execute(
            "CREATE TABLE customers (id bigint PRIMARY KEY, name text);
             CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total integer);
             INSERT INTO orders SELECT i, i, i FROM generate_series(1, 20000) AS i;
             ANALYZE orders;",
        )
        .unwrap();
    let url = cluster.url("shop");
    write(
        dir.path(),
        "postgresql.log",
        "2024-01-08 02:00:00.000 UTC [1] LOG:  duration: 0.050 ms  statement: SELECT total FROM orders WHERE id = 1\n",
    );
    let output = impact(
        dir.path(),
        &["migrations", "--database-url", &url, "--format", "json"],
    );
    let report = json(&output);
    let lock = &report["statements"][0]["locks"][0];
    // 20,000 rows of 52 bytes (a 48-byte tuple and its line pointer) are at least 1 MB of
    // pages, rewritten at the default 60 MB/s.
    let bytes = 20_000.0 * 52.0;
    let seconds = lock["seconds"].as_f64().unwrap();
    assert!(
        seconds > bytes / 60e6 && seconds < 2.0 * bytes / 60e6 + 0.01,
        "{lock}"
    );
    assert!(
        report["assumptions"][1]
            .as_str()
            .unwrap()
            .contains("rows and bytes from"),
        "{report:#}"
    );
    drop(cluster);
}

#[test]
fn lint_with_a_workload_puts_the_impact_in_the_findings_of_the_statement() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    write(
        dir.path(),
        "postgresql.log",
        "2024-01-08 02:00:00.000 UTC [7] LOG:  duration: 0.050 ms  statement: SELECT total FROM orders WHERE id = 1\n\
         2024-01-08 02:00:10.000 UTC [7] LOG:  duration: 0.050 ms  statement: SELECT total FROM orders WHERE id = 2\n",
    );
    let lint = |extra: &[&str]| {
        let mut args = vec!["lint", "migrations", "--format", "json"];
        args.extend(extra);
        json(&dbwise(dir.path(), &args))
    };
    let why_of_rewrite = |report: &Value| -> String {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "alter-column-type-rewrite")
            .map(|d| d["why"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{report:#}"))
    };
    let plain = why_of_rewrite(&lint(&[]));
    let with_workload = why_of_rewrite(&lint(&["--workload", "postgresql.log"]));
    assert!(!plain.contains("workload"), "{plain}");
    assert!(
        with_workload.starts_with(&plain)
            && with_workload.contains("it blocks 1 query shape running 0.2 times a second")
            && with_workload.contains("verdict: rewrite"),
        "{with_workload}"
    );
    // review's lint step takes the workload dbwise.toml configures.
    write(
        dir.path(),
        "dbwise.toml",
        "[tables]\nsizes = { orders = 10000000, customers = 20000 }\n[migrations]\npath = \"migrations\"\n\
         [review]\nrun = [\"lint\"]\nworkload = [\"postgresql.log\"]\n",
    );
    let reviewed = why_of_rewrite(&json(&dbwise(dir.path(), &["review", "--format", "json"])));
    assert_eq!(reviewed, with_workload);
}

#[test]
fn a_long_transaction_on_the_table_is_what_the_migration_waits_for() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    // Quick reads of orders once a second, and one session that keeps a transaction open on
    // orders for 40 seconds, as a report or a forgotten psql would.
    let mut log = String::new();
    for i in 0..120 {
        log.push_str(&format!(
            "2024-01-08 02:00:{:02}.000 UTC [7] LOG:  duration: 0.050 ms  statement: SELECT total FROM orders WHERE id = {i}\n",
            i % 60
        ));
    }
    for (second, statement) in [
        (5, "BEGIN"),
        (6, "SELECT sum(total) FROM orders"),
        (45, "COMMIT"),
    ] {
        log.push_str(&format!(
            "2024-01-08 02:00:{second:02}.000 UTC [9] LOG:  duration: 0.100 ms  statement: {statement}\n"
        ));
    }
    write(dir.path(), "postgresql.log", &log);
    let report = json(&impact(dir.path(), &["migrations", "--format", "json"]));
    // The rewrite of orders waits for the 40-second transaction, not for a 0.05 ms read.
    let wait = report["statements"][0]["wait_seconds"].as_f64().unwrap();
    assert!((wait - 40.0).abs() < 40.0 * 0.04, "{wait}\n{report:#}");
    // The catalog-only change on customers conflicts with no transaction that touched it.
    let other = report["statements"][1]["wait_seconds"].as_f64().unwrap();
    assert!(other < 1.0, "{report:#}");
}
