//! `dbwise workload` end to end: JSON shape, human summary, skipped lines, exit codes.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use support::peak_memory;

fn dbwise(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run dbwise")
}

const SQL: &str = "-- calls: 300\nSELECT * FROM orders WHERE customer_id = 42;\n-- calls: 2\nDELETE FROM sessions;\n";
const PGSS: &str = "userid,dbid,queryid,query,calls,total_exec_time,min_exec_time,max_exec_time,rows\n\
10,5,11,\"SELECT name FROM customers WHERE id = $1\",1000,250.5,0.1,3.0,1000\n\
10,5,12,\"UPDATE customers SET seen = now() WHERE id = $1\",10,900.0,50.0,150.0,10\n";
const LOG: &str = "2026-11-27 10:00:00.000 UTC [41] LOG:  duration: 2.500 ms  statement: SELECT name FROM customers WHERE id = 7\n\
2026-11-27 10:00:00.010 UTC [41] LOG:  duration: 1.500 ms  statement: SELECT name\n\
\t  FROM customers WHERE id = 8\n\
this line was written by something else\n\
2026-11-27 10:00:00.020 UTC [41] LOG:  duration: 0.5";

/// `dbwise` with `args` in `dir`, which must succeed: its standard output.
fn succeeding(args: &[&str], dir: &Path) -> Vec<u8> {
    let out = dbwise(args, dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn write_inputs(dir: &Path) {
    std::fs::write(dir.join("queries.sql"), SQL).unwrap();
    std::fs::write(dir.join("pgss.csv"), PGSS).unwrap();
    std::fs::write(dir.join("postgresql.log"), LOG).unwrap();
}

#[test]
fn json_output_has_the_documented_fields_sorted_by_total_time() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let out = dbwise(
        &[
            "workload",
            "--format",
            "json",
            "queries.sql",
            "pgss.csv",
            "postgresql.log",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");

    let queries = json["queries"].as_array().unwrap();
    // Timed shapes first, by total time; the SQL file's shape has no timings: null, not 0.
    let totals: Vec<Option<f64>> = queries.iter().map(|q| q["total_ms"].as_f64()).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    assert_eq!(json["totals"]["timed_calls"], 1012);
    // The export and the log may hold the same executions: the report says so.
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].as_str().unwrap().contains("counted twice"),
        "{warnings:?}"
    );
    assert_eq!(json["totals"]["calls"], 1314);
    let first = &queries[0];
    assert_eq!(
        first["query"],
        "UPDATE customers SET seen = now() WHERE id = $1"
    );
    assert_eq!(first["calls"], 10);
    assert_eq!(first["mean_ms"], 90.0);
    assert_eq!(first["tables"], serde_json::json!(["customers"]));
    assert_eq!(first["fingerprint"].as_str().unwrap().len(), 16);
    assert!(
        first["p95_ms"].is_null(),
        "exports carry no per-call durations"
    );

    // The export and the log lines (one of them multi-line) fall into one shape.
    let lookup = queries
        .iter()
        .find(|q| q["query"] == "SELECT name FROM customers WHERE id = $1")
        .unwrap();
    assert_eq!(lookup["calls"], 1002);
    assert_eq!(lookup["total_ms"], 254.5);

    let star = queries
        .iter()
        .find(|q| q["query"] == "SELECT * FROM orders WHERE customer_id = $1")
        .unwrap();
    assert_eq!(star["calls"], 300);
    assert_eq!(
        (&star["timed_calls"], &star["total_ms"], &star["share"]),
        (&serde_json::json!(0), &Value::Null, &Value::Null)
    );

    let findings = json["findings"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["select-star", "unbounded-delete-or-update"]);
    for finding in findings {
        for key in ["severity", "message", "why", "help", "file", "line"] {
            assert!(!finding[key].is_null(), "finding without {key}: {finding}");
        }
        assert_eq!(finding["category"], "query");
    }
    assert_eq!(findings[1]["file"], "queries.sql");
    assert_eq!(findings[1]["line"], 4);

    let input = &json["input"];
    assert_eq!(input["files"], 3);
    assert_eq!(input["bytes"], (SQL.len() + PGSS.len() + LOG.len()) as u64);
    assert_eq!(input["skipped_lines"], 1);
    assert!(input["lines"].as_u64().unwrap() >= 12);
}

#[test]
fn human_summary_shows_shares_findings_and_skipped_lines_with_hints() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let out = dbwise(
        &["workload", "pgss.csv", "postgresql.log", "queries.sql"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Top query shapes by total time"), "{text}");
    assert!(
        text.contains("78.0%"),
        "share of the UPDATE: 900 of 1154.5 ms\n{text}"
    );
    assert!(
        text.contains("warning[unbounded-delete-or-update]"),
        "{text}"
    );
    assert!(text.contains("--> queries.sql:4:13"), "{text}");
    assert!(
        text.contains("postgresql.log:4: line does not match the log_line_prefix"),
        "{text}"
    );
    assert!(text.contains("hint: "), "{text}");
}

#[test]
fn exit_codes_follow_the_failure_threshold_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let ok = dbwise(&["workload", "queries.sql"], dir.path());
    assert_eq!(ok.status.code(), Some(0));
    let failing = dbwise(
        &["workload", "--fail-on", "warning", "queries.sql"],
        dir.path(),
    );
    assert_eq!(failing.status.code(), Some(1));

    let missing = dbwise(
        &["workload", "--format", "json", "nope.log", "queries.sql"],
        dir.path(),
    );
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("nope.log: cannot open"), "{stderr}");
    assert_eq!(
        stderr.matches("No such file").count(),
        1,
        "the cause once: {stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&missing.stdout).expect("the other file is still reported");
    assert_eq!(json["input"]["files"], 1);

    let bad_prefix = dbwise(
        &["workload", "--log-line-prefix", "%m %z", "postgresql.log"],
        dir.path(),
    );
    assert_eq!(bad_prefix.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad_prefix.stderr);
    assert_eq!(
        stderr.matches("unknown escape `%z`").count(),
        1,
        "the cause once: {stderr}"
    );
}

#[test]
fn a_gzip_bomb_and_a_100_mb_line_stay_within_200_mb() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // 400 MB of log text without a line end, a few hundred KB compressed.
    let mut bomb = flate2::write::GzEncoder::new(
        std::fs::File::create(dir.path().join("bomb.log.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    let block = vec![b'a'; 1 << 20];
    for _ in 0..400 {
        bomb.write_all(&block).unwrap();
    }
    bomb.finish().unwrap();
    // A 100 MB statement on one line of a log.
    let mut line = std::fs::File::create(dir.path().join("long.log")).unwrap();
    line.write_all(
        b"2026-11-27 10:00:00.000 UTC [41] LOG:  duration: 2.500 ms  statement: SELECT ",
    )
    .unwrap();
    for _ in 0..100 {
        line.write_all(&block).unwrap();
    }
    line.write_all(b"\n").unwrap();
    drop(line);
    // A SQL file larger than a SQL file may be, compressed.
    let mut sql = flate2::write::GzEncoder::new(
        std::fs::File::create(dir.path().join("big.sql.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    for _ in 0..40 {
        sql.write_all(&block).unwrap();
    }
    sql.finish().unwrap();
    for input in ["bomb.log.gz", "long.log", "big.sql.gz"] {
        let (output, mib) = peak_memory(&["workload", "--format", "json", input], dir.path());
        assert!(mib < 200, "{input}: peak memory {mib} MiB");
        assert!(
            output.status.code().is_some(),
            "{input}: killed by a signal"
        );
        let errors = String::from_utf8_lossy(&output.stderr);
        assert!(!errors.contains("panicked"), "{input}: {errors}");
        if input == "big.sql.gz" {
            assert_eq!(output.status.code(), Some(2));
            assert!(errors.contains("at most 32 MiB"), "{errors}");
        } else {
            let report: serde_json::Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("{input}: {e}: {errors}"));
            let skipped = report["input"]["skipped_lines"].as_u64().unwrap_or(0);
            assert!(
                skipped > 0,
                "{input}: the cut lines must be reported: {report}"
            );
        }
    }
}

/// A log of 30,000 statements that each select a column of their own (a shape apiece) and one
/// heavy statement run 300 times.
fn many_shapes_log() -> String {
    let mut log = String::new();
    for i in 0..30_000u32 {
        let column: String = format!("{i:x}")
            .chars()
            .map(|c| (b'g' + c.to_digit(16).unwrap() as u8) as char)
            .collect();
        log.push_str(&format!(
            "2026-11-27 10:00:00.000 UTC [{}] LOG:  duration: 0.100 ms  statement: SELECT c_{column} FROM wide WHERE id = {i}\n",
            100 + i % 7
        ));
        if i % 100 == 0 {
            log.push_str("2026-11-27 10:00:00.000 UTC [99] LOG:  duration: 40.000 ms  statement: SELECT sum(total) FROM orders WHERE placed_at > now() - interval '1 day'\n");
        }
    }
    log
}

#[test]
fn past_the_memory_budget_light_shapes_fold_into_one_row_and_totals_stay_exact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.log"), many_shapes_log()).unwrap();
    let run = |budget: &str, format: &str| {
        let args = [
            "workload",
            "--memory-budget",
            budget,
            "--format",
            format,
            "many.log",
        ];
        String::from_utf8(succeeding(&args, dir.path())).unwrap()
    };
    let exact: serde_json::Value = serde_json::from_str(&run("1GB", "json")).unwrap();
    let folded: serde_json::Value = serde_json::from_str(&run("4MB", "json")).unwrap();
    assert!(exact["totals"].get("folded").is_none());
    assert_eq!(exact["totals"]["shapes"], 30_001);
    assert_eq!(
        exact["queries"].as_array().unwrap().len(),
        1_000,
        "JSON lists the top 1,000"
    );
    let other = &folded["totals"]["folded"];
    assert!(other["shapes"].as_u64().unwrap() > 10_000, "{other}");
    assert_eq!(folded["totals"]["calls"], exact["totals"]["calls"]);
    let (a, b) = (
        exact["totals"]["total_ms"].as_f64().unwrap(),
        folded["totals"]["total_ms"].as_f64().unwrap(),
    );
    assert!((a - b).abs() < 1e-6 * a, "{a} {b}");
    let heavy = &folded["queries"][0];
    assert_eq!(heavy["query"], exact["queries"][0]["query"]);
    assert_eq!(heavy["calls"], 300);
    assert_eq!(heavy["total_ms"], 12_000.0);
    let human = run("4MB", "human");
    assert!(human.contains("other shapes: "), "{human}");
    assert!(
        human.contains("folded to stay within --memory-budget"),
        "{human}"
    );
    assert!(human.contains("the totals are exact"), "{human}");
}

#[test]
fn two_threads_write_the_same_report_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.log"), many_shapes_log()).unwrap();
    let run = |threads: &str| {
        let args = [
            "workload",
            "--threads",
            threads,
            "--memory-budget",
            "4MB",
            "--format",
            "json",
            "many.log",
        ];
        succeeding(&args, dir.path())
    };
    let one = run("1");
    assert!(String::from_utf8_lossy(&one).contains("\"folded\""));
    assert!(one == run("2"), "--threads 2 wrote another report");
}

#[test]
fn schema_files_place_unqualified_columns_and_a_broken_one_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("schema.sql"),
        "CREATE TABLE customers (customer_no int PRIMARY KEY, email text);\n\
         CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text);\n",
    )
    .unwrap();
    // `status` is a column of orders only: with the schema, nothing links customers.
    std::fs::write(
        dir.path().join("queries.sql"),
        "SELECT o.id, c.email FROM orders o, customers c WHERE status = 'new';\n",
    )
    .unwrap();
    let rules = |args: &[&str]| -> Vec<String> {
        let out = dbwise(args, dir.path());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        !rules(&["workload", "--format", "json", "queries.sql"])
            .contains(&"cartesian-join".to_owned())
    );
    assert!(
        rules(&[
            "workload",
            "--format",
            "json",
            "--schema",
            "schema.sql",
            "queries.sql"
        ])
        .contains(&"cartesian-join".to_owned())
    );

    std::fs::write(
        dir.path().join("broken.sql"),
        "CREATE TABLE a (id int);\nCREATE TABLE b (id int,;\n",
    )
    .unwrap();
    let out = dbwise(
        &["workload", "--schema", "broken.sql", "queries.sql"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.sql:2: schema does not parse"),
        "{stderr}"
    );
}

#[test]
fn input_without_durations_says_no_timings_and_ranks_by_calls() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("queries.sql"), SQL).unwrap();
    let human = dbwise(&["workload", "queries.sql"], dir.path());
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("302 calls, no timings"), "{text}");
    assert!(text.contains("Top query shapes by calls"), "{text}");
    assert!(!text.contains("by total time"), "{text}");
    assert!(!text.contains(" ms in total"), "{text}");

    let out = dbwise(&["workload", "--format", "json", "queries.sql"], dir.path());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["totals"]["total_ms"], Value::Null);
    assert_eq!(json["warnings"], serde_json::json!([]));
    assert_eq!(json["totals"]["timed_calls"], 0);
    let calls: Vec<u64> = json["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["calls"].as_u64().unwrap())
        .collect();
    assert_eq!(calls, [300, 2]);
    for finding in json["findings"].as_array().unwrap() {
        assert_eq!(finding["total_ms"], Value::Null, "{finding}");
    }
}
