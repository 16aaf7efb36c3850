//! End-to-end tests of `dbwise choose`: the real binary on real brief files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/briefs")
        .join(name)
}

fn dbwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(args)
        .output()
        .expect("the dbwise binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn names_from_the_brief_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let brief = dir.path().join("brief.toml");
    let text = std::fs::read_to_string(example("internal-tool.toml")).unwrap();
    let text = format!(
        "name = \"evil\\u001b[2J\\r::error::forged\"\n{}",
        text.lines()
            .filter(|l| !l.starts_with("name"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    std::fs::write(&brief, text).unwrap();
    let output = dbwise(&["choose", brief.to_str().unwrap()]);
    let out = stdout(&output);
    assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out}");
    assert!(out.contains("evil\\u{1b}[2J\\u{d}::error::forged"), "{out}");
}

#[test]
fn ranks_the_catalogue_brief_and_proposes_an_architecture() {
    let brief = example("product-catalogue.toml");
    let output = dbwise(&["choose", brief.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "Decision path",
        "Need ACID transactions + complex joins? yes",
        "Ranking (score out of 100)",
        "   1. postgresql",
        "Eliminated",
        "cassandra      Apache Cassandra does not offer multi-record ACID transactions.",
        "search     elasticsearch",
        "Sensitivity",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(
        text.contains("(line 13)"),
        "reasons point at brief lines:\n{text}"
    );
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let brief = example("social-feed.toml");
    let first = dbwise(&["choose", brief.to_str().unwrap(), "--format", "json"]);
    let second = dbwise(&["choose", brief.to_str().unwrap(), "--format", "json"]);
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(first.stdout, second.stdout);
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(json["ranking"][0]["engine"], "cosmosdb");
    assert_eq!(json["architecture"][1]["role"], "cache");
    assert!(
        json["ranking"][0]["reasons"][0]["facts"][0]["source"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}

#[test]
fn explain_shows_the_full_trace_of_one_engine() {
    let brief = example("product-catalogue.toml");
    let output = dbwise(&["choose", "--explain", "dynamodb", brief.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("dynamodb (Amazon DynamoDB)"), "{text}");
    assert!(text.contains("top choice postgresql"), "{text}");
    assert!(text.contains("fact dynamodb/query-model:"), "{text}");
    assert!(
        text.contains("Against the top choice (postgresql)"),
        "{text}"
    );

    let eliminated = dbwise(&[
        "choose",
        "--explain",
        "cassandra",
        brief.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&eliminated.stdout).unwrap();
    assert!(json["rank"].is_null());
    assert!(
        !json["assessment"]["eliminated_by"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_unknown_key_is_a_usage_error_naming_file_line_and_allowed_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.toml");
    std::fs::write(&path, "[data]\nshape = \"graph\"\n\n[traffic]\nreads_per_second = 10\nwrites_per_sec = \"many\"\n").unwrap();
    let output = dbwise(&["choose", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("brief.toml:5:1: unknown key `traffic.reads_per_second`"),
        "{err}"
    );
    assert!(
        err.contains("allowed keys in [traffic]: reads_per_sec, writes_per_sec, p99_latency_ms"),
        "{err}"
    );
    assert!(
        err.contains("brief.toml:6:1: `traffic.writes_per_sec` must be a number"),
        "{err}"
    );
    assert!(
        stdout(&output).is_empty(),
        "nothing is ranked from a broken brief"
    );
}

#[test]
fn a_brief_no_engine_can_meet_exits_with_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("impossible.toml");
    std::fs::write(
        &path,
        "[consistency]\nmulti_record_transactions = true\n[availability]\nmulti_region_writes = true\n[operations]\nembedded = true\n",
    )
    .unwrap();
    let output = dbwise(&["choose", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("error[no-engine-fits]"), "{text}");
    assert!(
        text.contains("no engine meets every hard constraint"),
        "{text}"
    );
}

#[test]
fn unknown_engines_and_missing_files_are_usage_errors() {
    let brief = example("product-catalogue.toml");
    let output = dbwise(&["choose", "--explain", "oracle", brief.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("known engines: cassandra, clickhouse"),
        "{}",
        stderr(&output)
    );

    let missing = dbwise(&["choose", "no/such/brief.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read brief no/such/brief.toml"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn list_engines_prints_the_knowledge_base() {
    let output = dbwise(&["choose", "--list-engines"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 17);
    assert!(
        text.contains("memcached      Memcached              cache"),
        "{text}"
    );
}

#[test]
fn infer_reads_a_migrations_folder_prints_the_brief_and_ranks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("001_devices.sql"),
        "create table devices (id bigint primary key, name text not null);\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("002_readings.sql"),
        "create table readings (device_id bigint references devices (id), at timestamptz not null, value float8, primary key (device_id, at));\n\
         create table alerts (device_id bigint references devices (id), at timestamptz not null, level text, primary key (device_id, at));\n\
         create tabel oops (x int);\n",
    )
    .unwrap();
    let output = dbwise(&["choose", "--infer", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("# Brief inferred from"), "{text}");
    assert!(
        text.contains("shape = \"time-series\"  # 2 of 3 tables are append-only and time-stamped"),
        "{text}"
    );
    assert!(text.contains("Ranking (score out of 100)"), "{text}");
    let err = stderr(&output);
    assert!(
        err.contains("002_readings.sql:3: statement skipped"),
        "{err}"
    );

    let json = dbwise(&[
        "choose",
        "--infer",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let brief = value["inferred_brief"].as_str().unwrap();
    assert!(brief.contains("time_range_scans = true"), "{brief}");
    assert!(
        value["ranking"]
            .as_array()
            .is_some_and(|ranking| !ranking.is_empty())
    );
}

#[test]
fn the_inferred_brief_can_be_saved_and_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(
        &schema,
        "create table customers (id bigint primary key, prefs jsonb);\n\
         create table orders (id bigint primary key, customer_id bigint references customers (id));\n",
    )
    .unwrap();
    let inferred = dbwise(&[
        "choose",
        "--infer",
        schema.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&inferred.stdout).unwrap();
    let saved = dir.path().join("brief.toml");
    std::fs::write(&saved, value["inferred_brief"].as_str().unwrap()).unwrap();
    let rerun = dbwise(&["choose", saved.to_str().unwrap(), "--format", "json"]);
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    let again: serde_json::Value = serde_json::from_slice(&rerun.stdout).unwrap();
    assert_eq!(again["ranking"], value["ranking"]);
}

/// The shared real-world corpus, when this checkout sits next to it.
fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/corpus is not present");
        None
    }
}

#[test]
fn infer_on_real_schemas_reads_them_as_relational_postgresql_workloads() {
    let Some(corpus) = corpus() else { return };
    let pagila = corpus.join("pagila/pagila-schema.sql");
    let lemmy = corpus.join("lemmy/migrations");
    for (path, search) in [(pagila, true), (lemmy, false)] {
        let output = dbwise(&[
            "choose",
            "--infer",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            stderr(&output)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let brief = json["inferred_brief"].as_str().unwrap();
        assert!(brief.contains("shape = \"relational\""), "{brief}");
        assert!(brief.contains("relationships = \"many\""), "{brief}");
        assert!(
            brief.contains(&format!("full_text_search = {search}")),
            "{brief}"
        );
        assert_eq!(
            json["ranking"][0]["engine"],
            "postgresql",
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_workload_log_adds_the_read_write_mix_and_rates_to_the_inferred_brief() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(
        &schema,
        "create table customers (id bigint primary key, name text);\n\
         create table orders (id bigint primary key, customer_id bigint references customers (id));\n",
    )
    .unwrap();
    // 100 s of log: 400 key lookups, 100 inserts, 100 joined aggregates.
    let mut log = String::new();
    for i in 0..100 {
        let at = format!(
            "2026-01-01 10:{:02}:{:02}.000 UTC [{}]",
            i / 60,
            i % 60,
            100 + i % 3
        );
        for k in 0..4 {
            log.push_str(&format!(
                "{at} LOG:  duration: 0.100 ms  statement: SELECT name FROM customers WHERE id = {}\n",
                i * 4 + k
            ));
        }
        log.push_str(&format!(
            "{at} LOG:  duration: 0.200 ms  statement: INSERT INTO orders (id, customer_id) VALUES ({i}, 1)\n"
        ));
        log.push_str(&format!(
            "{at} LOG:  duration: 3.000 ms  statement: SELECT c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name\n"
        ));
    }
    let log_path = dir.path().join("postgresql.log");
    std::fs::write(&log_path, log).unwrap();
    let output = dbwise(&[
        "choose",
        "--infer",
        schema.to_str().unwrap(),
        "--workload",
        log_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let brief = json["inferred_brief"].as_str().unwrap();
    assert!(brief.contains("key_lookup_share = 0.8  #"), "{brief}");
    assert!(
        brief.contains("aggregations = \"light\"  # 20% of read queries aggregate"),
        "{brief}"
    );
    assert!(
        brief.contains("joins = \"simple\"  # the widest read in the workload has 1 joins"),
        "{brief}"
    );
    // 500 reads and 100 writes between 10:00:00 and 10:01:39.
    assert!(brief.contains("reads_per_sec = 5.1  #"), "{brief}");
    assert!(brief.contains("writes_per_sec = 1  #"), "{brief}");

    let without_infer = dbwise(&["choose", "--workload", log_path.to_str().unwrap()]);
    assert_eq!(
        without_infer.status.code(),
        Some(2),
        "--workload needs --infer"
    );
}

#[test]
fn a_dynamodb_choice_points_to_dbwise_model_and_others_do_not() {
    let brief = example("serverless-orders.toml");
    let output = dbwise(&["choose", brief.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("   1. dynamodb"), "{text}");
    assert!(
        text.contains("Next step\n  derive the single-table design"),
        "{text}"
    );
    assert!(text.contains("`dbwise model dynamodb --schema"), "{text}");
    let output = dbwise(&["choose", brief.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        json["next_step"]
            .as_str()
            .unwrap()
            .contains("dbwise model dynamodb")
    );
    let other = dbwise(&[
        "choose",
        example("product-catalogue.toml").to_str().unwrap(),
    ]);
    assert!(!stdout(&other).contains("Next step"));
}
