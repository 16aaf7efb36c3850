//! End-to-end tests of `dbwise lint`, `rules`, `explain` and `review` through the binary:
//! renderer snapshots, exit codes, input errors, configuration.

mod support;

use support::{dbwise, peak_memory, stderr, stdout, write};

use std::collections::BTreeSet;
use std::path::Path;

/// A two-migration diesel history with one finding of each severity class we can produce.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "migrations/2023-06-01-000000_init/up.sql",
        "CREATE TABLE customers (id bigint PRIMARY KEY, created_at timestamp, updated_at timestamptz);\n\
         CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n",
    );
    write(
        tmp.path(),
        "migrations/2023-06-01-000000_init/down.sql",
        "DROP TABLE orders;\nDROP TABLE customers;\n",
    );
    write(
        tmp.path(),
        "migrations/2024-02-01-000000_index/up.sql",
        "\\set ON_ERROR_STOP 1\nCREATE INDEX orders_id_idx ON orders (id, customer_id);\nCREATE TABEL x (id int);\n",
    );
    tmp
}

#[test]
fn human_output_snapshot() {
    let p = project();
    let out = dbwise(p.path(), &["lint", "migrations"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a syntax error is an error-level finding"
    );
    let text = stdout(&out);
    assert!(
        !text.contains('\x1b'),
        "no colour when NO_COLOR is set or stdout is not a terminal"
    );
    insta::assert_snapshot!("human", text);
}

#[test]
fn json_output_snapshot_and_shape() {
    let p = project();
    let out = dbwise(p.path(), &["lint", "migrations", "--format", "json"]);
    let text = stdout(&out);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for d in value["diagnostics"].as_array().unwrap() {
        for key in [
            "rule",
            "category",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "why",
            "help",
        ] {
            assert!(d.get(key).is_some(), "diagnostic without {key}: {d}");
        }
    }
    assert_eq!(value["summary"]["files"], 2);
    assert_eq!(value["summary"]["errors"], 1);
    insta::assert_snapshot!("json", text);
}

#[test]
fn github_output_snapshot() {
    let p = project();
    let text = stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "github"],
    ));
    assert!(
        text.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "{text}"
    );
    insta::assert_snapshot!("github", text);
}

#[test]
fn sarif_output_snapshot_validates_against_the_schema() {
    let p = project();
    let text = stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "sarif"],
    ));
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            >= 6
    );
    let mut redacted = log.clone();
    redacted["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    // Rule metadata is the registry's docs, checked by the docs test; keep only the ids here.
    let ids: Vec<serde_json::Value> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    redacted["runs"][0]["tool"]["driver"]["rules"] = ids.into();
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&redacted).unwrap());
    match std::env::var_os("DBWISE_SARIF_SCHEMA") {
        Some(schema_path) => {
            // The published schema's `run.language` pattern has a stray `]` that Rust's regex
            // engine rejects when compiling the schema; dbwise never emits `language`.
            let text = std::fs::read_to_string(schema_path)
                .unwrap()
                .replace("{2}-[a-zA-Z]{2}]?$", "{2}-[a-zA-Z]{2}$");
            let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
            let validator = jsonschema::validator_for(&schema).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&log)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "SARIF output does not match the 2.1.0 schema:\n{}",
                errors.join("\n")
            );
        }
        None => eprintln!(
            "notice: DBWISE_SARIF_SCHEMA is not set; schema validation skipped (scripts/test sets it)"
        ),
    }
}

#[test]
fn fail_on_decides_the_exit_code() {
    let p = project();
    write(
        p.path(),
        "clean.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz);\n",
    );
    write(
        p.path(),
        "warn.sql",
        "CREATE TABLE t (at timestamptz, note text);\n",
    );
    assert_eq!(
        dbwise(p.path(), &["lint", "clean.sql"]).status.code(),
        Some(0)
    );
    assert_eq!(
        dbwise(p.path(), &["lint", "warn.sql"]).status.code(),
        Some(0),
        "warnings do not fail by default"
    );
    assert_eq!(
        dbwise(p.path(), &["lint", "warn.sql", "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        dbwise(p.path(), &["lint", "migrations", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn unreadable_inputs_are_named_and_the_rest_is_still_linted() {
    let p = project();
    std::fs::write(
        p.path().join("latin1.sql"),
        b"CREATE TABLE caf\xe9 (id int);",
    )
    .unwrap();
    std::fs::create_dir_all(p.path().join("empty")).unwrap();
    write(
        p.path(),
        "warn.sql",
        "CREATE TABLE t (at timestamptz, note text);\n",
    );
    let out = dbwise(
        p.path(),
        &["lint", "missing.sql", "latin1.sql", "empty", "warn.sql"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("missing.sql: cannot read"), "{err}");
    assert!(
        err.contains("latin1.sql: not valid UTF-8 at byte offset 16"),
        "{err}"
    );
    assert!(err.contains("empty: no SQL migrations found"), "{err}");
    assert!(
        stdout(&out).contains("missing-primary-key"),
        "the readable file is still linted"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let p = project();
    let out = dbwise(
        p.path(),
        &["lint", "migrations", "--select", "no-such-rule"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown rule `no-such-rule`"));
    assert_eq!(
        dbwise(p.path(), &["lint", "--format", "xml", "migrations"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        dbwise(p.path(), &["lint"]).status.code(),
        Some(2),
        "no input and no configuration"
    );
}

#[test]
fn configuration_is_found_upwards_and_unknown_keys_are_errors() {
    let p = project();
    write(
        p.path(),
        "dbwise.toml",
        "[migrations]\npath = \"migrations\"\n[lint]\nignore = [\"syntax-error\"]\n",
    );
    std::fs::create_dir_all(p.path().join("sub/dir")).unwrap();
    let out = dbwise(&p.path().join("sub/dir"), &["lint", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"syntax-error") && rules.contains(&"foreign-key-without-index"),
        "{rules:?}"
    );
    write(
        p.path(),
        "dbwise.toml",
        "[migrations]\npaht = \"migrations\"\n",
    );
    let out = dbwise(p.path(), &["lint"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("dbwise.toml") && stderr(&out).contains("paht"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn down_migrations_only_with_include_down() {
    let p = project();
    write(
        p.path(),
        "migrations/2024-02-01-000000_index/down.sql",
        "CREATE INDEX orders_customer_idx ON orders (customer_id);\n",
    );
    let without = stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "json"],
    ));
    let with = stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "json", "--include-down"],
    ));
    assert!(!without.contains("down.sql"));
    assert!(with.contains("down.sql"), "{with}");
}

/// Rule ids of a JSON report, with the line of each finding.
fn rules_at(json: &str) -> Vec<(String, u64)> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn liquibase_changesets_and_drizzle_journals_lint_as_their_tools_run_them() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "liquibase/changelog.sql",
        "--liquibase formatted sql\n\
         --changeset ann:1\n\
         CREATE TABLE t (id bigint PRIMARY KEY, x int, y int);\n\
         --rollback DROP TABLE t;\n\
         --changeset ann:2 runInTransaction:false\n\
         CREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n\
         --rollback DROP INDEX t_x_idx;\n\
         --changeset ann:3\n\
         CREATE INDEX t_y_idx ON t (y);\n",
    );
    let out = dbwise(
        tmp.path(),
        &[
            "lint",
            "liquibase",
            "--format",
            "json",
            "--unknown-sizes",
            "list",
        ],
    );
    let found = rules_at(&stdout(&out));
    // Changeset 1 created t; changeset 3 is a later migration, so its index locks a table that
    // exists; the rollback lines never run, and changeset 2 runs outside a transaction.
    assert!(
        found.contains(&("create-index-non-concurrently".to_owned(), 9)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .all(|(rule, _)| !rule.starts_with("drop-") && rule != "concurrently-in-transaction"),
        "{found:?}"
    );
    assert!(
        stderr(&out).contains("3 liquibase migrations"),
        "{}",
        stderr(&out)
    );

    write(
        tmp.path(),
        "drizzle/meta/_journal.json",
        r#"{"entries":[{"idx":0,"tag":"0000_init"},{"idx":1,"tag":"0001_index"}]}"#,
    );
    write(
        tmp.path(),
        "drizzle/0000_init.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, x int);\n",
    );
    write(
        tmp.path(),
        "drizzle/0001_index.sql",
        "CREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n",
    );
    // Pointed at the project root, dbwise finds drizzle/ and knows its migrator runs each file
    // in a transaction, where CONCURRENTLY fails.
    let out = dbwise(tmp.path(), &["lint", ".", "--format", "json"]);
    let found = rules_at(&stdout(&out));
    assert!(
        found.contains(&("concurrently-in-transaction".to_owned(), 1)),
        "{found:?} {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("drizzle migrations, replayed in journal order"),
        "{}",
        stderr(&out)
    );
}

/// `dbwise lint m` in `dir` with one rule selected and `extra` arguments, as parsed JSON.
fn lint_rule_json(dir: &Path, rule: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "lint",
        "m",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--select",
        rule,
    ];
    args.extend(extra);
    serde_json::from_str(&stdout(&dbwise(dir, &args))).unwrap()
}

#[test]
fn findings_on_tables_of_unknown_size_are_counted_until_sizes_or_a_flag_list_them() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "m/0001_init.sql",
        "CREATE TABLE boards (id bigint PRIMARY KEY, slug text);\n\
         CREATE TABLE page_visits (id bigint PRIMARY KEY, path text);\n",
    );
    write(
        tmp.path(),
        "m/0002_boards.sql",
        "SET lock_timeout = '2s';\nCREATE INDEX boards_slug_idx ON boards (slug);\n",
    );
    write(
        tmp.path(),
        "m/0003_visits.sql",
        "SET lock_timeout = '2s';\nCREATE INDEX page_visits_path_idx ON page_visits (path);\n",
    );
    let lint = |extra: &[&str]| lint_rule_json(tmp.path(), "create-index-non-concurrently", extra);
    let files = |value: &serde_json::Value| {
        let mut files: Vec<String> = value["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        files.sort();
        files
    };
    // boards' size shows nowhere; page_visits holds records that grow with use.
    let counted = lint(&[]);
    assert_eq!(files(&counted), ["0003_visits.sql"], "{counted}");
    let unknown = &counted["summary"]["unknown_sizes"];
    assert_eq!(unknown["findings"], 1, "{counted}");
    assert_eq!(unknown["tables"], 1, "{counted}");
    assert_eq!(unknown["by_rule"]["create-index-non-concurrently"], 1);
    let human = stdout(&dbwise(
        tmp.path(),
        &["lint", "m", "--select", "create-index-non-concurrently"],
    ));
    assert!(
        human.contains(
            "Not listed: 1 finding that matters only on a large table, on 1 table whose size \
             nothing shows (create-index-non-concurrently 1)"
        ),
        "{human}"
    );
    // Listed on request, with nothing counted.
    let listed = lint(&["--unknown-sizes", "list"]);
    assert_eq!(files(&listed), ["0002_boards.sql", "0003_visits.sql"]);
    assert!(listed["summary"].get("unknown_sizes").is_none(), "{listed}");
    // A configured size decides: a large boards is listed, a small one is a note.
    for (rows, severity) in [("500000", "warning"), ("300", "info")] {
        write(
            tmp.path(),
            "dbwise.toml",
            &format!("[tables]\nsizes = {{ boards = {rows} }}\n"),
        );
        let sized = lint(&[]);
        assert_eq!(
            files(&sized),
            ["0002_boards.sql", "0003_visits.sql"],
            "{sized}"
        );
        assert_eq!(sized["diagnostics"][0]["severity"], severity, "{sized}");
        assert!(sized["summary"].get("unknown_sizes").is_none(), "{sized}");
    }
}

#[test]
fn notes_on_schema_wide_conventions_are_counted_until_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    // Naive timestamps throughout: a convention, not a slip.
    write(
        tmp.path(),
        "m/0001_init.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamp NOT NULL, seen_at timestamp);\n\
         CREATE TABLE posts (id bigint PRIMARY KEY, created_at timestamp NOT NULL, edited_at timestamp);\n",
    );
    let lint = |extra: &[&str]| lint_rule_json(tmp.path(), "timestamp-without-time-zone", extra);
    let counted = lint(&[]);
    assert_eq!(
        counted["diagnostics"].as_array().unwrap().len(),
        0,
        "{counted}"
    );
    assert_eq!(
        counted["summary"]["conventions"]["findings"], 1,
        "{counted}"
    );
    assert_eq!(
        counted["summary"]["conventions"]["by_rule"]["timestamp-without-time-zone"],
        1
    );
    let human = stdout(&dbwise(
        tmp.path(),
        &["lint", "m", "--select", "timestamp-without-time-zone"],
    ));
    assert!(
        human.contains(
            "Not listed: 1 note on a choice the whole schema makes (timestamp-without-time-zone 1)"
        ),
        "{human}"
    );
    let listed = lint(&["--conventions", "list"]);
    let diagnostics = listed["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{listed}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("a convention of this schema"),
        "{listed}"
    );
    assert!(listed["summary"].get("conventions").is_none(), "{listed}");
}

#[test]
fn a_runner_that_sets_lock_timeout_answers_missing_lock_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    write(
        tmp.path(),
        "migrate/migrations/0001_init.sql",
        "CREATE TABLE events (id bigint PRIMARY KEY, note text);\n",
    );
    write(
        tmp.path(),
        "migrate/migrations/0002_note.sql",
        "ALTER TABLE events ALTER COLUMN note SET DEFAULT '';\n",
    );
    // Application code that sets a lock_timeout for its own queries, and a guide for people,
    // are no evidence.
    write(
        tmp.path(),
        "engine/lock.go",
        "package engine\nconst q = `SET lock_timeout = 8000`\n",
    );
    write(
        tmp.path(),
        "docs/migrations.md",
        "Run `SET lock_timeout = '5s';` first.\n",
    );
    let lint = || {
        let out = dbwise(
            tmp.path(),
            &[
                "lint",
                ".",
                "--format",
                "json",
                "--select",
                "missing-lock-timeout",
            ],
        );
        (rules_at(&stdout(&out)), stderr(&out))
    };
    let (found, _) = lint();
    assert_eq!(found, [("missing-lock-timeout".to_owned(), 1)]);
    write(
        tmp.path(),
        "migrate/migrate.go",
        "package migrate\n\nfunc run() {\n\tconn.Exec(ctx, `set lock_timeout = 15000`)\n}\n",
    );
    let (found, err) = lint();
    assert!(found.is_empty(), "{found:?}");
    assert!(
        err.contains("migrate/migrate.go:4 sets a lock_timeout where the migrations are run"),
        "{err}"
    );
}

#[test]
fn earlier_migrations_of_a_long_history_are_counted_in_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "history/0001_init.sql",
        "CREATE TABLE events (id bigint PRIMARY KEY, a int, b int, c int, d int, e int);\n",
    );
    // Fourteen migrations after it, each building an index on the existing table (a table of
    // events, which grows with use): the first four are earlier migrations, the newest ten are
    // reported one by one.
    for n in 2..=15 {
        write(
            tmp.path(),
            &format!("history/{n:04}_index.sql"),
            &format!("SET lock_timeout = '2s';\nCREATE INDEX t_{n} ON events (a);\n"),
        );
    }
    // Two of the earlier ones also drop a column: still one note, counting both rules. So is
    // the drop in a recent migration that is not the newest, which has run already; the drop
    // in the newest is listed.
    write(
        tmp.path(),
        "history/0016_drop.sql",
        "SET lock_timeout = '2s';\nALTER TABLE events DROP COLUMN e;\n",
    );
    for (n, column) in [(3, "b"), (4, "c"), (15, "d")] {
        write(
            tmp.path(),
            &format!("history/{n:04}_index.sql"),
            &format!(
                "SET lock_timeout = '2s';\nCREATE INDEX t_{n} ON events (a);\nALTER TABLE events DROP COLUMN {column};\n"
            ),
        );
    }
    let json = |args: &[&str]| {
        let mut all = vec!["lint", "history", "--format", "json", "--fail-on", "never"];
        all.extend(args);
        let out = dbwise(tmp.path(), &all);
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let rules = |value: &serde_json::Value| {
        value["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_owned(),
                    d["file"].as_str().unwrap().to_owned(),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let output = json(&[]);
    let recent = rules(&output);
    let listed = recent
        .iter()
        .filter(|(rule, _, _)| rule == "create-index-non-concurrently")
        .count();
    assert_eq!(listed, 9, "{recent:?}");
    let dropped: Vec<&str> = recent
        .iter()
        .filter(|(rule, _, _)| rule == "drop-column")
        .map(|(_, file, _)| file.as_str())
        .collect();
    assert_eq!(dropped, ["history/0016_drop.sql"], "{recent:?}");
    let earlier = &output["summary"]["earlier_migrations"];
    assert_eq!(earlier["findings"], 8, "{output}");
    assert_eq!(earlier["migrations"], 6, "{output}");
    assert_eq!(earlier["by_rule"]["create-index-non-concurrently"], 5);
    assert_eq!(earlier["by_rule"]["drop-column"], 3);
    assert!(
        earlier["newest"]["file"]
            .as_str()
            .unwrap()
            .ends_with("0015_index.sql"),
        "the summary points at the newest: {earlier}"
    );
    let human = stdout(&dbwise(
        tmp.path(),
        &["lint", "history", "--fail-on", "never"],
    ));
    assert!(
        human.contains(
            "Not listed: 8 migration findings in 6 earlier migrations, which have run already \
             (create-index-non-concurrently 5, drop-column 3)"
        ),
        "{human}"
    );
    // Every finding on request, and with --since (where all changed files count).
    let output = json(&["--history", "all"]);
    let all = rules(&output);
    assert_eq!(
        all.iter()
            .filter(|(rule, _, _)| rule == "create-index-non-concurrently")
            .count(),
        14
    );
    assert_eq!(
        all.iter()
            .filter(|(rule, _, _)| rule == "drop-column")
            .count(),
        4
    );
    assert!(output["summary"].get("earlier_migrations").is_none());
}

#[test]
fn goose_and_dbmate_files_lint_their_up_section_only() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "goose/00001_init.sql",
        "-- +goose Up\nCREATE TABLE t (id bigint PRIMARY KEY, x int, y int);\n\n-- +goose Down\nDROP TABLE t;\n",
    );
    write(
        tmp.path(),
        "goose/00002_index.sql",
        "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n\n-- +goose Down\nDROP INDEX t_x_idx;\n",
    );
    write(
        tmp.path(),
        "goose/00003_drop.sql",
        "-- +goose Up\nSELECT 1;\n-- +goose Down\nALTER TABLE t DROP COLUMN y;\n",
    );
    write(
        tmp.path(),
        "dbmate/20240101000000_init.sql",
        "-- migrate:up\nCREATE TABLE t (id bigint PRIMARY KEY, x int);\n\n-- migrate:down\nDROP TABLE t;\n",
    );
    write(
        tmp.path(),
        "dbmate/20240102000000_index.sql",
        "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n\n-- migrate:down\nDROP INDEX t_x_idx;\n",
    );
    for (folder, layout) in [("goose", "goose"), ("dbmate", "dbmate")] {
        let out = dbwise(tmp.path(), &["lint", folder, "--format", "json"]);
        let found = rules_at(&stdout(&out));
        assert!(
            found.iter().all(
                |(rule, _)| !rule.starts_with("drop-") && rule != "concurrently-in-transaction"
            ),
            "{folder}: the down sections and no-transaction markers are honoured: {found:?}"
        );
        assert!(
            stderr(&out).contains(&format!("{layout} migrations")),
            "the layout is stated: {}",
            stderr(&out)
        );
    }
    let order = stderr(&dbwise(tmp.path(), &["lint", "goose", "--explain-order"]));
    let first = order.find("00001_init.sql").unwrap();
    let second = order.find("00002_index.sql").unwrap();
    let third = order.find("00003_drop.sql").unwrap();
    assert!(first < second && second < third, "{order}");
    assert!(
        order.contains("00002_index.sql with no transaction added"),
        "{order}"
    );
    let with_down = dbwise(
        tmp.path(),
        &["lint", "goose", "--format", "json", "--include-down"],
    );
    let found = rules_at(&stdout(&with_down));
    assert!(
        found.contains(&("drop-column".to_string(), 4)),
        "a down section is linted where it stands in the file: {found:?}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=dbwise",
            "-c",
            "user.email=dbwise@localhost",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn since_reports_only_files_changed_since_the_revision() {
    let p = project();
    git(p.path(), &["init", "-q"]);
    git(p.path(), &["add", "."]);
    git(p.path(), &["commit", "-q", "-m", "history"]);
    write(
        p.path(),
        "migrations/2024-03-01-000000_drop/up.sql",
        "ALTER TABLE orders DROP COLUMN customer_id;\n",
    );
    let all = rules_at(&stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "json"],
    )));
    let out = dbwise(
        p.path(),
        &["lint", "migrations", "--format", "json", "--since", "HEAD"],
    );
    let since = rules_at(&stdout(&out));
    assert!(all.len() > since.len(), "{all:?} {since:?}");
    assert!(
        since.contains(&("drop-column".to_string(), 1)),
        "{since:?} {}",
        stderr(&out)
    );
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for d in value["diagnostics"].as_array().unwrap() {
        assert!(d["file"].as_str().unwrap().ends_with("_drop/up.sql"), "{d}");
    }
    assert!(stderr(&out).contains("--since HEAD"), "{}", stderr(&out));
    let bad = dbwise(p.path(), &["lint", "migrations", "--since", "no-such-ref"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("no-such-ref"), "{}", stderr(&bad));
}

#[test]
fn gitlab_and_markdown_formats() {
    let p = project();
    let out = stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "gitlab"],
    ));
    let issues: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(!issues.is_empty());
    let mut fingerprints = BTreeSet::new();
    for issue in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert!(
            issue["location"]["path"]
                .as_str()
                .unwrap()
                .ends_with(".sql")
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_string()));
    }
    let markdown = stdout(&dbwise(
        p.path(),
        &["lint", "migrations", "--format", "markdown"],
    ));
    assert!(markdown.starts_with("## dbwise lint\n"), "{markdown}");
    assert!(
        markdown.contains("| rule | severity | findings |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("```sql\nCREATE INDEX orders_id_idx"),
        "{markdown}"
    );
}

/// The small version of bench/lint-dump: a generated 10 MB `pg_dump --schema-only`-style file is
/// linted whole, and the peak memory stays within a bound proportional to it (a quadratic rule
/// or a copy per statement would break it long before the 200 MB the bench uses).
#[test]
fn dump_scale() {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/lint-dump/generate.py");
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.sql");
    let generated = std::process::Command::new("python3")
        .arg(&generator)
        .arg("10")
        .stdout(std::fs::File::create(&dump).unwrap())
        .status();
    if !generated.is_ok_and(|s| s.success()) {
        eprintln!(
            "dump_scale skipped: python3 {} did not run",
            generator.display()
        );
        return;
    }
    let size_mib = std::fs::metadata(&dump).unwrap().len() / (1 << 20);
    let (out, peak_mib) = peak_memory(
        &["lint", "--format", "json", "--fail-on", "never", "dump.sql"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(value["summary"]["statements"].as_u64().unwrap() > 50_000);
    assert!(
        peak_mib < 30 * size_mib,
        "peak {peak_mib} MiB for a {size_mib} MiB dump"
    );
}

#[test]
fn a_million_element_in_list_is_noted_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let values: Vec<String> = (0..1_000_000).map(|i| i.to_string()).collect();
    write(
        dir.path(),
        "big.sql",
        &format!(
            "CREATE TABLE t (id bigint PRIMARY KEY);\nDELETE FROM t WHERE id IN ({});\n",
            values.join(",")
        ),
    );
    let (out, peak_mib) = peak_memory(&["lint", "--fail-on", "never", "big.sql"], dir.path());
    let text = stdout(&out);
    assert!(
        text.contains("info[query-too-large]"),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert!(
        text.lines().all(|l| l.chars().count() < 400),
        "the source line is shown as a window, not whole"
    );
    assert!(peak_mib < 250, "peak {peak_mib} MiB for a 7 MB statement");
}

#[test]
fn query_rules_judge_application_sql_not_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let sql = "CREATE TABLE t (id bigint PRIMARY KEY, note text);\nSELECT * FROM t WHERE note LIKE '%x';\n";
    write(dir.path(), "migrations/0001_init.sql", sql);
    write(dir.path(), "queries.sql", sql);
    let migration = rules_at(&stdout(&dbwise(
        dir.path(),
        &["lint", "migrations", "--format", "json"],
    )));
    assert!(
        migration
            .iter()
            .all(|(rule, _)| rule != "select-star" && rule != "leading-wildcard-like"),
        "{migration:?}"
    );
    let queries = rules_at(&stdout(&dbwise(
        dir.path(),
        &["lint", "queries.sql", "--format", "json"],
    )));
    assert!(
        queries.contains(&("select-star".to_string(), 2)),
        "{queries:?}"
    );
}

#[test]
fn rules_and_explain_print_from_the_registry() {
    let p = project();
    let list = stdout(&dbwise(p.path(), &["rules"]));
    for id in [
        "foreign-key-without-index",
        "create-index-non-concurrently",
        "timestamp-without-time-zone",
        "syntax-error",
    ] {
        assert!(
            list.lines().any(|l| l.starts_with(id)),
            "{id} missing from:\n{list}"
        );
    }
    let doc = stdout(&dbwise(p.path(), &["explain", "foreign-key-without-index"]));
    assert!(
        doc.starts_with("# foreign-key-without-index") && doc.contains("## Use instead"),
        "{doc}"
    );
    assert_eq!(
        dbwise(p.path(), &["explain", "nope"]).status.code(),
        Some(2)
    );
}

#[test]
fn review_runs_the_example_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = dbwise(&root, &["review", "examples/shop", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // One JSON document per review step, in the order dbwise.toml lists them.
    let text = stdout(&out);
    let documents: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(documents.len(), 3, "lint, workload and choose");
    let rules: BTreeSet<&str> = documents[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    for id in [
        "foreign-key-without-index",
        "create-index-non-concurrently",
        "timestamp-without-time-zone",
    ] {
        assert!(rules.contains(id), "{id} not shown by review: {rules:?}");
    }
    let workload_rules: BTreeSet<&str> = documents[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        workload_rules.contains("offset-pagination") && workload_rules.contains("select-star"),
        "{workload_rules:?}"
    );
    assert_eq!(documents[2]["ranking"][0]["engine"], "postgresql");
}

#[test]
fn a_configuration_others_could_write_is_ignored_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("shared");
    // The configuration would switch every rule off.
    write(
        &project,
        "dbwise.toml",
        "[lint]\nselect = [\"wide-table\"]\n",
    );
    write(&project, "schema.sql", "CREATE TABLE t (id int);\n");
    let lint = |dir: &std::path::Path| dbwise(dir, &["lint", "--format", "json", "schema.sql"]);
    let trusted = lint(&project);
    assert!(
        !stdout(&trusted).contains("missing-primary-key"),
        "{}",
        stdout(&trusted)
    );

    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o777)).unwrap();
    let open_folder = lint(&project);
    assert!(
        stderr(&open_folder).contains("is writable by other users"),
        "{}",
        stderr(&open_folder)
    );
    assert!(stdout(&open_folder).contains("missing-primary-key"));

    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(project.join("dbwise.toml"), Some(65534), None).unwrap();
        let foreign = lint(&project);
        assert!(
            stderr(&foreign).contains("belongs to another user"),
            "{}",
            stderr(&foreign)
        );
        assert!(stdout(&foreign).contains("missing-primary-key"));
        // Named explicitly, it is used.
        let named = dbwise(
            &project,
            &[
                "lint",
                "--format",
                "json",
                "--config",
                "dbwise.toml",
                "schema.sql",
            ],
        );
        assert!(!stdout(&named).contains("missing-primary-key"));
    } else {
        eprintln!("notice: not root; the file-owned-by-another-user case needs root to set up");
    }
}

#[test]
fn a_fifo_or_device_is_not_read_and_the_other_inputs_still_are() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "schema.sql", "CREATE TABLE t (id int);\n");
    let fifo = tmp.path().join("pipe.sql");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    for odd in ["pipe.sql", "/dev/zero"] {
        let out = dbwise(tmp.path(), &["lint", "--format", "json", odd, "schema.sql"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
        assert!(
            stdout(&out).contains("missing-primary-key"),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn names_cannot_inject_terminal_escapes_or_ci_commands() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "schema.sql",
        "CREATE TABLE \"evil\u{1b}[31m\n::error file=x::forged\" (id int);\n",
    );
    for format in ["human", "github"] {
        let out = dbwise(tmp.path(), &["lint", "--format", format, "schema.sql"]);
        let text = stdout(&out);
        assert!(text.contains("missing-primary-key"), "{text}");
        assert!(!text.contains('\u{1b}'), "{format}: raw escape in {text:?}");
        assert!(
            !text.lines().any(|l| l.starts_with("::error file=x")),
            "{format}: a forged command line in {text}"
        );
    }
}

/// docs/output.md names every member the JSON and GitLab renderers write.
#[test]
fn output_doc_names_every_json_member() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/output.md"))
            .unwrap();
    let p = project();
    let mut keys = BTreeSet::new();
    fn collect(value: &serde_json::Value, keys: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    keys.insert(key.clone());
                    collect(inner, keys);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, keys)),
            _ => {}
        }
    }
    for format in ["json", "gitlab"] {
        let out = stdout(&dbwise(
            p.path(),
            &["lint", "migrations", "--format", format],
        ));
        collect(&serde_json::from_str(&out).unwrap(), &mut keys);
    }
    assert!(
        keys.contains("suggestion") && keys.contains("fingerprint"),
        "{keys:?}"
    );
    for key in keys {
        let named = [
            format!("`{key}`"),
            format!(".{key}`"),
            format!("`{key}."),
            format!(".{key}."),
        ];
        assert!(
            named.iter().any(|form| doc.contains(form.as_str())),
            "docs/output.md does not name `{key}`"
        );
    }
}

#[test]
fn go_template_placeholders_are_read_as_names() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "migrations/00_init.up.sql",
        "CREATE TABLE {{ index .Options \"Namespace\" }}.users (id bigint PRIMARY KEY, email text);\n\
         SELECT '{{1,2},{3,4}}'::int[];\n",
    );
    write(
        tmp.path(),
        "migrations/01_index.up.sql",
        "CREATE INDEX users_email_idx ON \"{{ index .Options \"Namespace\" }}\".users (email);\n",
    );
    let out = dbwise(
        tmp.path(),
        &[
            "lint",
            "migrations",
            "--format",
            "json",
            "--unknown-sizes",
            "list",
        ],
    );
    let json = stdout(&out);
    let found = rules_at(&json);
    // No statement is a syntax error: the placeholder reads as the schema `namespace`, and the
    // second file's index is on the table the first created.
    assert!(
        found.contains(&("create-index-non-concurrently".to_owned(), 1))
            && found.iter().all(|(rule, _)| rule != "syntax-error"),
        "{json} {}",
        stderr(&out)
    );
    assert!(json.contains("on existing table namespace.users"), "{json}");
    assert!(
        stderr(&out).contains(
            "2 files hold template placeholders (2 in all); each was read as the name it holds, \
             e.g. {{ index .Options \"Namespace\" }} as namespace"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn design_help_in_a_prisma_history_says_to_change_schema_prisma() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "prisma/migrations/20240101000000_init/migration.sql",
        "CREATE TABLE \"Team\" (id bigint PRIMARY KEY);\n\
         CREATE TABLE \"Doc\" (id bigint PRIMARY KEY, \"teamId\" bigint NOT NULL REFERENCES \"Team\" (id));\n\
         CREATE TABLE \"Tag\" (id bigint PRIMARY KEY, name text NOT NULL, CHECK (length(name) > 0));\n\
         CREATE INDEX \"Tag_id_idx\" ON \"Tag\" (id);\n",
    );
    let out = dbwise(
        tmp.path(),
        &[
            "lint",
            "prisma/migrations",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--unknown-sizes",
            "list",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let finding = |rule: &str| {
        value["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {value}"))
            .clone()
    };
    let unindexed = finding("foreign-key-without-index");
    let help = unindexed["help"].as_str().unwrap();
    assert!(
        help.starts_with(
            "Prisma Migrate writes these migrations from schema.prisma: add `@@index([<field>])`"
        ) && help.contains("CREATE INDEX CONCURRENTLY \"Doc_teamId_idx\""),
        "{help}"
    );
    // The SQL itself is still given, apart from the prose.
    assert_eq!(
        unindexed["suggestion"]["sql"][0],
        "CREATE INDEX CONCURRENTLY \"Doc_teamId_idx\" ON \"Doc\" (\"teamId\");"
    );
    let redundant = finding("redundant-index");
    assert!(
        redundant["help"]
            .as_str()
            .unwrap()
            .contains("remove the `@@index` or `@unique`"),
        "{redundant}"
    );
}
