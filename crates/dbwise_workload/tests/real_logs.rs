//! Readers on logs written by a real PostgreSQL 15 in a throwaway cluster: stderr with two
//! different prefixes, csvlog and jsonlog of the same events, lock waits, deadlocks, timeouts;
//! and short logs of our own for what the figures say about time.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use dbwise_workload::{InputFormat, Options, Workload};
use support::{analyze, collect_logs, shape, start, start_with};

const PGBADGER_PREFIX: &str = "%t [%p]: user=%u,db=%d,app=%a,client=%h ";

/// Statements in simple and extended protocol, a multi-line statement, an error and a
/// statement timeout.
fn run_workload(client: &mut postgres::Client) {
    client
        .batch_execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance int)")
        .unwrap();
    client
        .simple_query(
            "INSERT INTO accounts VALUES\n  (1, 'ann', 10),\n  (2, 'bob', 20),\n  (3, 'cy''s', 30)",
        )
        .unwrap();
    for id in 1..=3 {
        client
            .simple_query(&format!("SELECT balance FROM accounts WHERE id = {id}"))
            .unwrap();
    }
    for id in [2i32, 3] {
        client
            .query("SELECT owner FROM accounts WHERE id = $1", &[&id])
            .unwrap();
    }
    client
        .simple_query("SELECT id,\n       owner\n  FROM accounts\n WHERE balance > 15")
        .unwrap();
    assert!(client.simple_query("SELECT * FROM no_such_table").is_err());
    client.batch_execute("SET statement_timeout = 50").unwrap();
    assert!(client.simple_query("SELECT pg_sleep(2)").is_err());
    client.batch_execute("RESET statement_timeout").unwrap();
}

fn check_workload(workload: &Workload, label: &str) {
    let skipped: u64 = workload.files.iter().map(|f| f.skipped_lines).sum();
    assert_eq!(
        skipped, 0,
        "{label}: skipped {:#?}",
        workload.files[0].skipped
    );
    let by_literal = shape(workload, "SELECT balance FROM accounts WHERE id = $1");
    assert_eq!(by_literal.calls, 3, "{label}");
    assert_eq!(by_literal.tables, vec!["accounts".to_string()], "{label}");
    assert!(
        by_literal.p95_ms.is_some() && by_literal.total_ms.is_some_and(|ms| ms > 0.0),
        "{label}"
    );
    assert_eq!(by_literal.users, vec!["postgres".to_string()], "{label}");
    assert_eq!(
        by_literal.databases,
        vec!["postgres".to_string()],
        "{label}"
    );
    let extended = shape(workload, "SELECT owner FROM accounts WHERE id = $1");
    assert_eq!(
        extended.calls, 2,
        "{label}: execute lines count once each, parse and bind not at all"
    );
    let multi_line = shape(
        workload,
        "SELECT id, owner FROM accounts WHERE balance > $1",
    );
    assert_eq!(multi_line.calls, 1, "{label}");
    let insert = shape(
        workload,
        "INSERT INTO accounts VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)",
    );
    assert_eq!(
        insert.tables_written,
        vec!["accounts".to_string()],
        "{label}"
    );
    assert!(
        workload
            .errors
            .iter()
            .any(|e| e.name == "relation \"no_such_table\" does not exist"),
        "{label}: {:?}",
        workload.errors
    );
    let timeouts = workload
        .waits
        .iter()
        .find(|w| w.kind == "statement-timeout")
        .expect("statement timeout counted");
    assert_eq!(timeouts.count, 1, "{label}");
    assert_eq!(timeouts.queries[0].query, "SELECT pg_sleep($1)", "{label}");
    // Queries are sorted by total time, descending.
    assert!(
        workload
            .queries
            .windows(2)
            .all(|w| w[0].total_ms >= w[1].total_ms),
        "{label}"
    );
}

fn calls_by_fingerprint(workload: &Workload) -> BTreeMap<String, u64> {
    workload
        .queries
        .iter()
        .map(|q| (q.fingerprint.clone(), q.calls))
        .collect()
}

#[test]
fn stderr_csvlog_and_jsonlog_of_one_server_agree() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start(PGBADGER_PREFIX);
    run_workload(&mut cluster.connect("postgres").unwrap());
    let [stderr, csv, json] = collect_logs(&cluster, dir.path());
    drop(cluster);

    let from_stderr = analyze(&stderr, Options::default());
    assert_eq!(from_stderr.files[0].format, InputFormat::Stderr);
    assert_eq!(
        from_stderr.files[0].log_line_prefix.as_deref(),
        Some(PGBADGER_PREFIX)
    );
    check_workload(&from_stderr, "stderr");
    let from_csv = analyze(&csv, Options::default());
    assert_eq!(from_csv.files[0].format, InputFormat::Csvlog);
    check_workload(&from_csv, "csvlog");
    let from_json = analyze(&json, Options::default());
    assert_eq!(from_json.files[0].format, InputFormat::Jsonlog);
    check_workload(&from_json, "jsonlog");

    assert_eq!(
        calls_by_fingerprint(&from_stderr),
        calls_by_fingerprint(&from_csv)
    );
    assert_eq!(
        calls_by_fingerprint(&from_stderr),
        calls_by_fingerprint(&from_json)
    );
}

#[test]
fn the_default_prefix_is_detected_and_a_wrong_one_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start("%m [%p] ");
    run_workload(&mut cluster.connect("postgres").unwrap());
    let [stderr, ..] = collect_logs(&cluster, dir.path());
    drop(cluster);

    let workload = analyze(&stderr, Options::default());
    assert_eq!(
        workload.files[0].log_line_prefix.as_deref(),
        Some("%m [%p] ")
    );
    assert_eq!(
        shape(&workload, "SELECT balance FROM accounts WHERE id = $1").calls,
        3
    );
    assert_eq!(
        shape(&workload, "SELECT owner FROM accounts WHERE id = $1").calls,
        2
    );

    // Told the wrong prefix, every line is skipped, counted, and the first few are shown with a hint.
    let wrong = analyze(
        &stderr,
        Options {
            log_line_prefix: Some(PGBADGER_PREFIX.into()),
            ..Options::default()
        },
    );
    let file = &wrong.files[0];
    assert!(wrong.queries.is_empty());
    assert_eq!(file.skipped_lines, file.lines);
    assert_eq!(file.skipped.len(), 5);
    assert_eq!(file.skipped[0].line, 1);
    assert!(
        file.skipped[0].hint.contains("--log-line-prefix"),
        "{:?}",
        file.skipped[0]
    );
}

/// Check `done` every 10 ms until it holds; after 30 seconds the test fails.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn lock_waits_and_deadlocks_are_counted_per_shape_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start(PGBADGER_PREFIX);
    let mut a = cluster.connect("postgres").unwrap();
    let mut b = cluster.connect("postgres").unwrap();
    let mut observer = cluster.connect("postgres").unwrap();
    let mut waiting_sessions = || -> i64 {
        observer
            .query_one(
                "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted",
                &[],
            )
            .unwrap()
            .get(0)
    };
    // The waits the server has logged so far, counted in its stderr log (each is also written
    // to the csv and json logs).
    let logged_waits = || -> usize {
        cluster
            .log_files()
            .unwrap()
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "log"))
            .map(|f| {
                std::fs::read_to_string(f)
                    .unwrap_or_default()
                    .matches("still waiting for")
                    .count()
            })
            .sum()
    };
    a.batch_execute(
        "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)",
    )
    .unwrap();

    // A lock wait: b waits for a's row lock longer than deadlock_timeout.
    a.batch_execute("BEGIN; UPDATE t SET v = v + 1 WHERE id = 1")
        .unwrap();
    let waiter = std::thread::spawn(move || {
        b.batch_execute("UPDATE t SET v = v + 1 WHERE id = 1")
            .unwrap();
        b
    });
    // Past deadlock_timeout the server logs the wait: then a lets b go.
    wait_until("the logged lock wait", || logged_waits() > 0);
    a.batch_execute("COMMIT").unwrap();
    let mut b = waiter.join().unwrap();

    // A deadlock: a holds 1 and wants 2, b holds 2 and wants 1.
    a.batch_execute("BEGIN; UPDATE t SET v = v + 1 WHERE id = 1")
        .unwrap();
    b.batch_execute("BEGIN; UPDATE t SET v = v + 1 WHERE id = 2")
        .unwrap();
    let crossing = std::thread::spawn(move || {
        let outcome = a.batch_execute("UPDATE t SET v = v + 1 WHERE id = 2");
        let _ = a.batch_execute(if outcome.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        });
        outcome.is_ok()
    });
    // a's wait is logged as a lock wait before b closes the cycle.
    wait_until("a waiting for row 2", || {
        waiting_sessions() > 0 && logged_waits() > 1
    });
    let b_ok = b
        .batch_execute("UPDATE t SET v = v + 1 WHERE id = 1")
        .is_ok();
    let _ = b.batch_execute(if b_ok { "COMMIT" } else { "ROLLBACK" });
    let a_ok = crossing.join().unwrap();
    assert!(
        a_ok != b_ok,
        "exactly one side of the deadlock is cancelled"
    );

    // A lock timeout: b gives up waiting for the row a holds.
    let mut a = cluster.connect("postgres").unwrap();
    a.batch_execute("BEGIN; UPDATE t SET v = v + 1 WHERE id = 2")
        .unwrap();
    b.batch_execute("SET lock_timeout = 50").unwrap();
    assert!(b.batch_execute("DELETE FROM t WHERE id = 2").is_err());
    a.batch_execute("COMMIT").unwrap();

    let [stderr, csv, _] = collect_logs(&cluster, dir.path());
    drop(cluster);
    for log in [stderr, csv] {
        let workload = analyze(&log, Options::default());
        let timeout = workload
            .waits
            .iter()
            .find(|w| w.kind == "lock-timeout")
            .expect("lock timeout counted");
        assert_eq!(timeout.count, 1);
        assert_eq!(timeout.queries[0].query, "DELETE FROM t WHERE id = $1");
        assert_eq!(timeout.tables[0].name, "t");
        let wait = |kind: &str| {
            workload
                .waits
                .iter()
                .find(|w| w.kind == kind)
                .unwrap_or_else(|| panic!("no {kind} in {:#?}", workload.waits))
        };
        let lock_wait = wait("lock-wait");
        assert!(
            lock_wait.count >= 2,
            "the blocked update and the deadlocked ones waited: {lock_wait:#?}"
        );
        assert!(
            lock_wait.wait_ms >= 100.0 * lock_wait.count as f64 * 0.9,
            "{lock_wait:#?}"
        );
        assert_eq!(lock_wait.tables[0].name, "t");
        let deadlock = wait("deadlock");
        assert_eq!(deadlock.count, 1);
        assert_eq!(
            deadlock.queries[0].query,
            "UPDATE t SET v = v + $1 WHERE id = $2"
        );
        assert_eq!(deadlock.tables[0].name, "t");
    }
}

#[test]
fn log_statement_all_with_and_without_log_duration() {
    let dir = tempfile::tempdir().unwrap();
    let settings = [
        ("log_min_duration_statement", "-1"),
        ("log_statement", "all"),
        ("log_duration", "on"),
    ];
    let cluster = start_with("%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", &settings);
    run_workload(&mut cluster.connect("postgres").unwrap());
    let [stderr, csv, json] = collect_logs(&cluster, dir.path());
    drop(cluster);
    for log in [stderr, csv, json] {
        let workload = analyze(&log, Options::default());
        assert_eq!(
            workload.files[0].skipped_lines, 0,
            "{:?}",
            workload.files[0].skipped
        );
        let by_literal = shape(&workload, "SELECT balance FROM accounts WHERE id = $1");
        assert_eq!(by_literal.calls, 3);
        assert!(
            by_literal.mean_ms.is_some(),
            "the separate duration lines are attached to their statements"
        );
        let extended = shape(&workload, "SELECT owner FROM accounts WHERE id = $1");
        assert_eq!(extended.calls, 2);
    }

    let cluster = start_with(
        "%m [%p] ",
        &[
            ("log_min_duration_statement", "-1"),
            ("log_statement", "all"),
        ],
    );
    run_workload(&mut cluster.connect("postgres").unwrap());
    let [stderr, ..] = collect_logs(&cluster, dir.path());
    drop(cluster);
    let workload = analyze(&stderr, Options::default());
    let by_literal = shape(&workload, "SELECT balance FROM accounts WHERE id = $1");
    assert_eq!(
        (by_literal.calls, by_literal.mean_ms, by_literal.total_ms),
        (3, None, None)
    );
    assert_eq!((workload.timed_calls, workload.total_ms), (0, None));
}

#[test]
fn parse_and_bind_time_is_added_to_the_shape_without_counting_calls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postgresql.log");
    std::fs::write(
        &path,
        "2026-11-27 10:00:00.000 UTC [41] LOG:  duration: 0.250 ms  parse <unnamed>: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.001 UTC [41] LOG:  duration: 0.125 ms  bind <unnamed>: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.001 UTC [41] DETAIL:  parameters: $1 = '7'\n\
         2026-11-27 10:00:00.002 UTC [41] LOG:  duration: 1.000 ms  execute <unnamed>: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.003 UTC [41] DETAIL:  parameters: $1 = '7'\n\
         2026-11-27 10:00:00.004 UTC [41] LOG:  duration: 0.500 ms  bind S_1: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.005 UTC [41] LOG:  duration: 2.000 ms  execute S_1: SELECT name FROM customers WHERE id = $1\n",
    )
    .unwrap();
    let workload = analyze(&path, Options::default());
    let lookup = shape(&workload, "SELECT name FROM customers WHERE id = $1");
    assert_eq!((lookup.calls, lookup.timed_calls), (2, 2));
    assert_eq!(lookup.total_ms, Some(3.875));
    assert_eq!(workload.total_ms, Some(3.875));
    assert_eq!(workload.prepare_ms, 0.875);
    assert_eq!(workload.queries.len(), 1);
}

#[test]
fn statement_logging_without_durations_has_no_time_rather_than_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postgresql.log");
    std::fs::write(
        &path,
        "2026-11-27 10:00:00.000 UTC [41] LOG:  statement: SELECT 1\n\
         2026-11-27 10:00:00.001 UTC [41] LOG:  statement: SELECT 2\n",
    )
    .unwrap();
    let workload = analyze(&path, Options::default());
    assert_eq!((workload.total_calls, workload.timed_calls), (2, 0));
    assert_eq!(workload.total_ms, None);
    let select = shape(&workload, "SELECT $1");
    assert_eq!(
        (select.total_ms, select.share, select.mean_ms),
        (None, None, None)
    );
}
