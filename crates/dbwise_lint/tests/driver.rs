//! Driver behaviour across rules: suppressions, configuration, transactions and down files.

use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::{Severity, SourceFile};
use dbwise_lint::{Settings, Unit, UnitInfo, lint};

fn unit(index: usize, name: &str, sql: &str) -> Unit {
    Unit {
        parsed: dbwise_syntax::parse(&SourceFile::new(name, sql)),
        info: UnitInfo {
            index,
            framework: None,
            transaction: TransactionMode::None,
            scratch: false,
            day: None,
        },
    }
}

fn rules_found(units: Vec<Unit>, settings: &Settings) -> Vec<&'static str> {
    lint(units, settings)
        .findings
        .iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn a_suppression_hides_its_finding_and_a_stale_one_is_reported() {
    let sql = "-- dbwise-ignore timestamp-without-time-zone: nothing to hide here
CREATE TABLE b (id bigint PRIMARY KEY, at timestamptz);
-- dbwise-ignore timestamp-without-time-zone: legacy column, fixed in #12
CREATE TABLE a (id bigint PRIMARY KEY, at timestamp, seen timestamptz);
";
    let found = rules_found(vec![unit(0, "a.sql", sql)], &Settings::default());
    assert_eq!(found, vec!["unused-suppression"]);
}

#[test]
fn file_wide_suppression_covers_every_statement() {
    let sql = "CREATE TABLE a (id bigint PRIMARY KEY, at timestamp, seen timestamptz);\n-- dbwise-ignore-file timestamp-without-time-zone\nCREATE TABLE b (id bigint PRIMARY KEY, at timestamp, seen timestamptz);\n";
    assert!(rules_found(vec![unit(0, "a.sql", sql)], &Settings::default()).is_empty());
}

#[test]
fn select_ignore_and_severity_overrides_apply() {
    let units = [unit(
        0,
        "a.sql",
        "CREATE TABLE p (id bigint PRIMARY KEY);\nCREATE TABLE c (id bigint PRIMARY KEY, at timestamp, seen timestamptz, p_id bigint REFERENCES p);",
    )];
    let mut settings = Settings {
        ignore: vec!["timestamp-without-time-zone".into()],
        ..Settings::default()
    };
    settings
        .severity
        .insert("foreign-key-without-index".into(), Severity::Error);
    let outcome = lint(units.clone(), &settings);
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(outcome.findings[0].rule, "foreign-key-without-index");
    assert_eq!(outcome.findings[0].severity, Severity::Error);
    let only = Settings {
        select: vec!["timestamp-without-time-zone".into()],
        ..Settings::default()
    };
    assert_eq!(
        rules_found(units.to_vec(), &only),
        vec!["timestamp-without-time-zone"]
    );
}

#[test]
fn findings_of_earlier_files_stay_with_their_file() {
    let units = [
        unit(
            0,
            "001.sql",
            "CREATE TABLE t (id bigint PRIMARY KEY, at timestamp, seen timestamptz);",
        ),
        unit(1, "002.sql", "CREATE INDEX t_at ON t (at);"),
    ];
    let settings = Settings {
        select: vec![
            "timestamp-without-time-zone".into(),
            "create-index-non-concurrently".into(),
        ],
        ..Settings::default()
    };
    let outcome = lint(units, &settings);
    let places: Vec<(&str, &str)> = outcome
        .findings
        .iter()
        .map(|f| (f.path(), f.rule))
        .collect();
    assert_eq!(
        places,
        vec![
            ("001.sql", "timestamp-without-time-zone"),
            ("002.sql", "create-index-non-concurrently")
        ]
    );
    assert_eq!(outcome.statements, 2);
}

#[test]
fn a_down_migration_does_not_change_the_schema_for_later_files() {
    let mut down = unit(1, "001.down.sql", "DROP TABLE t;");
    down.info.scratch = true;
    let units = [
        unit(0, "001.sql", "CREATE TABLE t (id int);"),
        down,
        unit(2, "002.sql", "CREATE INDEX t_id ON t (id);"),
    ];
    let outcome = lint(units, &Settings::default());
    assert!(
        outcome
            .catalog
            .table(&dbwise_syntax::ast::QualifiedName::new(None, "t"))
            .is_some_and(|t| !t.external)
    );
}

#[test]
fn a_file_replayed_in_parts_is_judged_as_the_whole_file() {
    let history = unit(
        0,
        "001.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, n int, a int, b int, c int);",
    );
    let sql = "BEGIN;
SET LOCAL lock_timeout = '2s';
-- safety-assured:start
CREATE INDEX t_a ON t (a);
ALTER TABLE t ADD CONSTRAINT t_n CHECK (n > 0);
-- safety-assured:end
-- dbwise-ignore create-index-non-concurrently: the table is new in production
CREATE INDEX t_b ON t (b);
CREATE INDEX t_c ON t (c);
ALTER TABLE t ADD CONSTRAINT t_n2 CHECK (n > 1);
COMMIT;
";
    let source = SourceFile::new("002.sql", sql);
    let findings = |parts: Vec<Unit>| -> Vec<(&'static str, String)> {
        lint(
            std::iter::once(history.clone()).chain(parts),
            &Settings::default(),
        )
        .findings
        .iter()
        .map(|f| (f.rule, source.slice(f.span).to_owned()))
        .collect()
    };
    let whole = findings(vec![unit(1, "002.sql", sql)]);
    let in_parts = findings(
        dbwise_syntax::parse_in_parts(&source, 1)
            .map(|parsed| Unit {
                parsed,
                info: history.info.clone(),
            })
            .map(|mut u| {
                u.info.index = 1;
                u
            })
            .collect(),
    );
    let rules: Vec<&str> = whole.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(
        rules,
        [
            "create-index-non-concurrently",
            "add-check-constraint-validating"
        ],
        "{whole:?}"
    );
    assert_eq!(in_parts, whole);
}

#[test]
fn other_linters_ignore_comments_silence_the_same_hazard() {
    let history = unit(
        0,
        "001.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int);",
    );
    let judged = |sql: &str| -> Vec<&'static str> {
        let mut migration = unit(1, "002.sql", sql);
        migration.info.framework = Some(dbwise_catalog::migrations::Framework::GolangMigrate);
        rules_found(vec![history.clone(), migration], &Settings::default())
            .into_iter()
            .filter(|r| *r != "missing-lock-timeout")
            .collect()
    };
    assert_eq!(
        judged("CREATE INDEX t_a ON t (a);"),
        ["create-index-non-concurrently"]
    );
    for sql in [
        "-- squawk-ignore require-concurrent-index-creation\nCREATE INDEX t_a ON t (a);",
        "-- atlas:nolint PG101\nCREATE INDEX t_a ON t (a);",
        "-- atlas:nolint concurrent_index\nCREATE INDEX t_a ON t (a);",
        "-- atlas:nolint\nCREATE INDEX t_a ON t (a);",
        "-- eugene: ignore E6\nCREATE INDEX t_a ON t (a);",
        "-- squawk-ignore-file\nCREATE TABLE n (id bigint PRIMARY KEY);\nCREATE INDEX t_a ON t (a);",
    ] {
        assert!(judged(sql).is_empty(), "{sql}: {:?}", judged(sql));
    }
    // Another hazard, or another statement, stays reported; a foreign comment that silences
    // nothing is that tool's business, not an unused dbwise suppression.
    assert_eq!(
        judged("-- atlas:nolint DS103\nCREATE INDEX t_a ON t (a);"),
        ["create-index-non-concurrently"]
    );
    assert_eq!(
        judged(
            "-- squawk-ignore ban-drop-column\nCREATE TABLE n (id bigint PRIMARY KEY);\nCREATE INDEX t_a ON t (a);"
        ),
        ["create-index-non-concurrently"]
    );
}

#[test]
fn a_project_that_never_sets_lock_timeout_gets_one_finding_about_it() {
    let only = Settings {
        select: vec!["missing-lock-timeout".into()],
        ..Settings::default()
    };
    let history = |third: &str| {
        vec![
            unit(
                0,
                "001.sql",
                "CREATE TABLE t (id bigint PRIMARY KEY, a int);",
            ),
            unit(1, "002.sql", "ALTER TABLE t ADD COLUMN b int;"),
            unit(2, "003.sql", "ALTER TABLE t ADD COLUMN c int;"),
            unit(3, "004.sql", third),
        ]
    };
    let never = lint(history("ALTER TABLE t ADD COLUMN d int;"), &only).findings;
    assert_eq!(never.len(), 1, "{never:?}");
    assert_eq!(never[0].path(), "004.sql");
    assert!(
        never[0].message.starts_with("3 migrations"),
        "{}",
        never[0].message
    );
    assert!(never[0].help.contains("ALTER ROLE"));
    // A project that sets it somewhere forgot it in the others: each is reported.
    let sometimes = lint(
        history("SET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN d int;"),
        &only,
    )
    .findings;
    let files: Vec<&str> = sometimes.iter().map(|f| f.path()).collect();
    assert_eq!(files, ["002.sql", "003.sql"]);
}

#[test]
fn folded_index_builds_keep_every_edit() {
    let units = [
        unit(
            0,
            "001.sql",
            "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int);",
        ),
        unit(
            1,
            "002.sql",
            "CREATE INDEX t_a ON t (a);\nCREATE INDEX t_b ON t (b);",
        ),
    ];
    let settings = Settings {
        select: vec!["create-index-non-concurrently".into()],
        ..Settings::default()
    };
    let outcome = lint(units, &settings);
    let [finding] = outcome.findings.as_slice() else {
        panic!("one folded finding: {:?}", outcome.findings);
    };
    assert!(
        finding.message.ends_with("at line 2"),
        "{}",
        finding.message
    );
    // Each build's CONCURRENTLY edit is kept, the second at its own statement.
    let edits = &finding.fix.as_ref().expect("a fix").edits;
    assert_eq!(edits.len(), 2, "{edits:?}");
    assert!(
        edits[1].span.start as usize > "CREATE INDEX t_a ON t (a);".len(),
        "{edits:?}"
    );
}
