//! Every query anti-pattern has a positive and a negative fixture under
//! `tests/specs/query/<rule>/`, starting with `-- expect: <rule>` or `-- expect: none`. The
//! findings are rendered and kept as insta snapshots.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use dbwise_diagnostics::SourceFile;
use dbwise_query::antipatterns::{self, ExpressionIndex, Options, Rule};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/query");
    let mut files = Vec::new();
    for rule in std::fs::read_dir(&root).expect("fixture directory") {
        for file in std::fs::read_dir(rule.expect("entry").path()).expect("rule directory") {
            files.push(file.expect("entry").path());
        }
    }
    files.sort();
    files
}

fn render(source: &SourceFile, found: &[antipatterns::AntiPattern]) -> String {
    let mut out = String::new();
    for item in found {
        let at = source.line_col(item.location as u32);
        let _ = writeln!(
            out,
            "{}:{}: {}: {}",
            at.line, at.column, item.rule, item.message
        );
        let _ = writeln!(out, "    help: {}", item.help);
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

#[test]
fn every_rule_has_a_positive_and_a_negative_fixture() {
    let files = fixtures();
    for rule in Rule::ALL {
        for kind in ["positive.sql", "negative.sql"] {
            let wanted = Path::new(rule.id()).join(kind);
            assert!(
                files.iter().any(|f| f.ends_with(&wanted)),
                "missing fixture {}",
                wanted.display()
            );
        }
    }
}

#[test]
fn fixtures_match_their_expectations_and_snapshots() {
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-- expect:"))
            .unwrap_or_else(|| panic!("{} must start with `-- expect:`", path.display()))
            .trim()
            .to_string();
        let found = antipatterns::check_sql(&text, &Options::default()).expect("fixture parses");
        let rules: Vec<&str> = found.iter().map(|f| f.rule.id()).collect();
        if expect == "none" {
            assert!(
                found.is_empty(),
                "{}: expected no findings, got {rules:?}",
                path.display()
            );
        } else {
            assert!(
                !found.is_empty(),
                "{}: expected {expect}, got nothing",
                path.display()
            );
            assert!(
                rules.iter().all(|r| *r == expect),
                "{}: expected only {expect}, got {rules:?}",
                path.display()
            );
            // Every statement of a positive fixture is an instance of the pattern.
            let statements = text.matches(';').count();
            assert_eq!(
                found.len(),
                statements,
                "{}: one finding per statement, got {rules:?}",
                path.display()
            );
        }
        let rule = path
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let kind = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = SourceFile::new(path.display().to_string(), text.clone());
        insta::assert_snapshot!(format!("{rule}__{kind}"), render(&source, &found));
    }
}

#[test]
fn an_expression_index_silences_function_on_column() {
    let sql = "SELECT id FROM users WHERE lower(email) = 'ann@example.com'";
    let indexes = ExpressionIndex::from_sql("CREATE TABLE users (id int, email text);\nCREATE INDEX users_email_lower ON users (lower(email));")
        .expect("schema parses");
    assert_eq!(
        indexes,
        vec![ExpressionIndex {
            table: "users".into(),
            function: "lower".into(),
            column: "email".into()
        }]
    );
    let with_index = Options {
        expression_indexes: indexes,
        ..Options::default()
    };
    assert!(
        antipatterns::check_sql(sql, &with_index)
            .unwrap()
            .is_empty()
    );
    let other_index = Options {
        expression_indexes: ExpressionIndex::from_sql("CREATE INDEX ON users (upper(email))")
            .unwrap(),
        ..Options::default()
    };
    assert_eq!(antipatterns::check_sql(sql, &other_index).unwrap().len(), 1);
}

#[test]
fn offset_threshold_is_configurable() {
    let sql = "SELECT id FROM posts ORDER BY id LIMIT 10 OFFSET 200";
    assert!(
        antipatterns::check_sql(sql, &Options::default())
            .unwrap()
            .is_empty()
    );
    let strict = Options {
        offset_threshold: 100,
        ..Options::default()
    };
    let found = antipatterns::check_sql(sql, &strict).unwrap();
    assert_eq!(
        found.iter().map(|f| f.rule).collect::<Vec<_>>(),
        vec![Rule::OffsetPagination]
    );
}
