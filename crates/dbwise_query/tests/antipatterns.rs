//! Every query anti-pattern has a positive and a negative fixture under
//! `tests/specs/query/<rule>/`, starting with `-- expect: <rule>` or `-- expect: none`. The
//! findings are rendered and kept as insta snapshots.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use dbwise_catalog::Catalog;
use dbwise_diagnostics::SourceFile;
use dbwise_query::Schema;
use dbwise_query::antipatterns::{self, Options, Rule};

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
        let found = antipatterns::check_sql(&text, &Options::default(), None)
            .expect("fixture parses")
            .found;
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

/// A catalog replayed from `ddl`.
fn schema(ddl: &str) -> Catalog {
    let mut catalog = Catalog::new();
    let errors = catalog.replay_file(&SourceFile::new("schema.sql", ddl), None);
    assert!(errors.is_empty(), "{errors:?}");
    catalog
}

fn rules(sql: &str, schema: Option<&dyn Schema>) -> Vec<Rule> {
    antipatterns::check_sql(sql, &Options::default(), schema)
        .expect("parses")
        .found
        .iter()
        .map(|f| f.rule)
        .collect()
}

const SHOP: &str = "CREATE TABLE customers (customer_no int PRIMARY KEY, email text, region text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text, email text);
CREATE TABLE users (id int PRIMARY KEY, login text);
CREATE INDEX ON customers (lower(email));";

#[test]
fn an_expression_index_silences_function_on_column_of_its_own_table() {
    let catalog = schema(SHOP);
    let of_customers = "SELECT region FROM customers WHERE lower(email) = 'ann@example.com'";
    assert_eq!(rules(of_customers, None), [Rule::FunctionOnColumnInWhere]);
    assert_eq!(rules(of_customers, Some(&catalog)), []);
    // The same expression on a table without that index still hides the column.
    let of_orders = "SELECT id FROM orders WHERE lower(email) = 'ann@example.com'";
    assert_eq!(
        rules(of_orders, Some(&catalog)),
        [Rule::FunctionOnColumnInWhere]
    );
    let other_function = "SELECT region FROM customers WHERE upper(email) = 'ANN@EXAMPLE.COM'";
    assert_eq!(
        rules(other_function, Some(&catalog)),
        [Rule::FunctionOnColumnInWhere]
    );
}

#[test]
fn the_schema_places_an_unqualified_column_for_the_expression_index_and_the_help() {
    let catalog = schema(SHOP);
    // `login` is only a column of users: the index on customers does not serve it.
    let sql = "SELECT u.id FROM users u JOIN customers c ON c.customer_no = u.id \
               WHERE lower(login) = $1";
    let without = antipatterns::check_sql(sql, &Options::default(), None)
        .unwrap()
        .found;
    assert!(
        without[0]
            .help
            .contains("CREATE INDEX ON <table> (lower(login))")
    );
    let with = antipatterns::check_sql(sql, &Options::default(), Some(&catalog))
        .unwrap()
        .found;
    assert_eq!(with.len(), 1);
    assert!(
        with[0]
            .help
            .contains("CREATE INDEX ON users (lower(login))"),
        "{}",
        with[0].help
    );
    // Of the two relations, only customers has `email`, and its index serves `lower(email)`.
    let served = "SELECT u.id FROM users u JOIN customers c ON c.customer_no = u.id \
                  WHERE lower(email) = $1";
    assert_eq!(rules(served, None), [Rule::FunctionOnColumnInWhere]);
    assert_eq!(rules(served, Some(&catalog)), []);
}

#[test]
fn the_schema_tells_whether_an_unqualified_condition_links_the_relations_in_from() {
    let catalog = schema(SHOP);
    // `status` is a column of orders only: nothing links customers to orders.
    let unlinked = "SELECT o.id FROM orders o, customers c WHERE status = 'paid'";
    assert_eq!(rules(unlinked, None), []);
    assert_eq!(rules(unlinked, Some(&catalog)), [Rule::CartesianJoin]);
    // `customer_id` is orders' and `customer_no` customers': the condition joins them.
    let linked = "SELECT o.id FROM orders o, customers c WHERE customer_id = customer_no";
    assert_eq!(rules(linked, None), []);
    assert_eq!(rules(linked, Some(&catalog)), []);
    // A table the schema does not know may hold the column: stay quiet.
    let unknown = "SELECT o.id FROM orders o, archive a WHERE kind = 'x'";
    assert_eq!(rules(unknown, Some(&catalog)), []);
    // Checked without a schema, the first says that one could change its findings; a
    // qualified condition needs none.
    let may_change = |sql| {
        antipatterns::check_sql(sql, &Options::default(), None)
            .unwrap()
            .schema_may_change
    };
    assert!(may_change(unlinked));
    assert!(!may_change(
        "SELECT o.id FROM orders o, customers c WHERE o.status = 'paid'"
    ));
}

#[test]
fn offset_threshold_is_configurable() {
    let sql = "SELECT id FROM posts ORDER BY id LIMIT 10 OFFSET 200";
    assert!(
        antipatterns::check_sql(sql, &Options::default(), None)
            .unwrap()
            .found
            .is_empty()
    );
    let strict = Options {
        offset_threshold: 100,
    };
    let found = antipatterns::check_sql(sql, &strict, None).unwrap().found;
    assert_eq!(
        found.iter().map(|f| f.rule).collect::<Vec<_>>(),
        vec![Rule::OffsetPagination]
    );
}
