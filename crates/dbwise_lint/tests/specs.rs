//! Rule fixtures: `tests/specs/<category>/<rule-id>/<case>.sql`.
//!
//! A fixture starts with `-- expect: none`, `-- expect: <rule-id>` (at least one finding) or
//! `-- expect: <rule-id> x<N>` (exactly N). `-- file: <name>` lines split it into files replayed
//! in order as separate migrations; `-- transaction: wrapped|none|implicit` (before the first
//! `-- file:` or inside one) says how the framework runs that migration; `-- pg-version: <major>`
//! sets the PostgreSQL version the rules assume (16 when absent), and `-- rows: <table>=<n>, ...`
//! the table sizes, as `[tables] sizes` of dbwise.toml does. Findings that matter only on a
//! large table, on tables whose size nothing shows, are counted as the command line counts
//! them by default, and `expect` counts the listed ones. Only the fixture's own rule
//! runs, and its rendered output is kept as an insta snapshot. A fixture whose SQL does not parse
//! fails (the syntax-error rule's own fixtures aside): a typo must not make `expect: none` pass.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dbwise_catalog::migrations::TransactionMode;
use dbwise_diagnostics::SourceFile;
use dbwise_lint::{Settings, Unit, UnitInfo, lint, rules};
use dbwise_report::{Summary, render_human};

fn specs_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs")
}

fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for category in std::fs::read_dir(specs_root()).unwrap() {
        for rule in std::fs::read_dir(category.unwrap().path()).unwrap() {
            let rule = rule.unwrap().path();
            let id = rule.file_name().unwrap().to_string_lossy().into_owned();
            for case in std::fs::read_dir(&rule).unwrap() {
                let case = case.unwrap().path();
                if case.extension().is_some_and(|e| e == "sql") {
                    out.push((id.clone(), case));
                }
            }
        }
    }
    out.sort();
    out
}

enum Expect {
    None,
    AtLeastOne,
    Exactly(usize),
}

fn parse_expect(text: &str, rule: &str, path: &Path) -> Expect {
    let line = text.lines().next().unwrap_or_default();
    let value = line
        .strip_prefix("-- expect:")
        .unwrap_or_else(|| panic!("{}: first line must be `-- expect: ...`", path.display()))
        .trim();
    if value == "none" {
        return Expect::None;
    }
    let (id, count) = value.split_once(" x").map_or((value, None), |(id, n)| {
        (id, Some(n.trim().parse::<usize>().unwrap()))
    });
    assert_eq!(
        id,
        rule,
        "{}: expects another rule than its folder",
        path.display()
    );
    count.map_or(Expect::AtLeastOne, Expect::Exactly)
}

/// The fixture's `-- pg-version:` directive, or 16.
fn pg_version_of(text: &str, path: &Path) -> u32 {
    text.lines()
        .find_map(|l| l.strip_prefix("-- pg-version:"))
        .map_or(16, |v| {
            v.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{}: bad pg-version {v:?}", path.display()))
        })
}

/// `-- rows: orders=2000000, users=500`: the table sizes a fixture configures, as
/// `[tables] sizes` of dbwise.toml does.
fn rows_of(text: &str, path: &Path) -> BTreeMap<String, u64> {
    text.lines()
        .filter_map(|l| l.strip_prefix("-- rows:"))
        .flat_map(|l| l.split(','))
        .map(|pair| {
            let (table, rows) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("{}: bad rows entry {pair:?}", path.display()));
            let rows = rows
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{}: bad row count {rows:?}", path.display()));
            (table.trim().to_owned(), rows)
        })
        .collect()
}

fn transaction_of(text: &str) -> TransactionMode {
    match text
        .lines()
        .find_map(|l| l.strip_prefix("-- transaction:"))
        .map(str::trim)
    {
        Some("wrapped") => TransactionMode::Wrapped,
        Some("implicit") => TransactionMode::ImplicitWhenMultiStatement,
        _ => TransactionMode::None,
    }
}

/// Split a fixture into its files; byte offsets are kept by padding each part with blank lines.
fn units(path: &Path, text: &str) -> Vec<Unit> {
    let default_tx = transaction_of(text.split("\n-- file:").next().unwrap_or_default());
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("-- file:") {
            parts.push((name.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = parts.last_mut() {
            body.push_str(line);
        } else {
            parts.push((String::new(), line.to_owned()));
        }
    }
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    parts
        .into_iter()
        .filter(|(name, body)| {
            !name.is_empty()
                || body
                    .lines()
                    .any(|l| !l.starts_with("--") && !l.trim().is_empty())
        })
        .enumerate()
        .map(|(index, (name, body))| {
            let label = if name.is_empty() {
                format!("{stem}.sql")
            } else {
                format!("{stem}/{name}")
            };
            let transaction = if body.contains("-- transaction:") {
                transaction_of(&body)
            } else {
                default_tx
            };
            Unit {
                parsed: dbwise_syntax::parse(&SourceFile::new(label, body)),
                info: UnitInfo {
                    index,
                    framework: None,
                    transaction,
                    scratch: false,
                    day: dbwise_catalog::migrations::migration_day(&name),
                },
            }
        })
        .collect()
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for (rule, path) in fixtures() {
        assert!(
            rules::find(&rule).is_some(),
            "{}: folder names no rule",
            path.display()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = parse_expect(&text, &rule, &path);
        let units = units(&path, &text);
        if rule != "syntax-error" {
            for unit in &units {
                for error in &unit.parsed.errors {
                    let line = unit.parsed.source.line_of(error.span.start) + 1;
                    failures.push(format!(
                        "{}: {} line {line}: {}",
                        path.display(),
                        unit.parsed.source.path(),
                        error.message
                    ));
                }
            }
        }
        let settings = Settings {
            select: vec![rule.clone()],
            pg_version: pg_version_of(&text, &path),
            table_rows: rows_of(&text, &path),
            ..Settings::default()
        };
        let mut outcome = lint(units, &settings);
        // As the command line does by default: findings that matter only on a large table, on
        // tables whose size nothing shows, are counted.
        let unknown_sizes = dbwise_lint::size::fold(&mut outcome.findings);
        let found = outcome.findings.iter().filter(|f| f.rule == rule).count();
        let ok = match expect {
            Expect::None => found == 0,
            Expect::AtLeastOne => found > 0,
            Expect::Exactly(n) => found == n,
        };
        if !ok {
            failures.push(format!("{}: {found} findings of {rule}", path.display()));
        }
        let rendered = render_human(
            &outcome.findings,
            &Summary {
                files: outcome.files,
                statements: outcome.statements,
                unknown_sizes,
                ..Summary::default()
            },
            false,
        );
        let name = format!("{rule}__{}", path.file_stem().unwrap().to_string_lossy());
        insta::with_settings!({ snapshot_path => path.parent().unwrap().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
    assert!(
        failures.is_empty(),
        "fixtures whose expectation failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_positive_and_negative_fixtures() {
    let all = fixtures();
    for rule in rules::ALL.iter().filter(|r| {
        !matches!(
            r.check,
            dbwise_lint::Check::Driver | dbwise_lint::Check::Live(_)
        )
    }) {
        let mut positive = false;
        let mut negative = false;
        for (id, path) in all.iter().filter(|(id, _)| id == rule.meta.id) {
            match parse_expect(&std::fs::read_to_string(path).unwrap(), id, path) {
                Expect::None => negative = true,
                _ => positive = true,
            }
        }
        assert!(
            positive && negative,
            "{} needs fixtures that fire and that stay quiet",
            rule.meta.id
        );
    }
}
