//! `dbwise lint --database-url`: row estimates read from a live PostgreSQL (a throwaway cluster
//! here) scale the severity of migration findings as `[tables] sizes` does; dbwise.toml's sizes
//! win for the tables they name, and a server that cannot be reached is a usage error.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use dbwise_pg::{TempCluster, TempClusterOptions};
use serde_json::Value;
use support::{stderr, stdout, write};

/// Run dbwise in `dir` with `DBWISE_DATABASE_URL` set to `env_url`, or unset.
fn dbwise(dir: &Path, args: &[&str], env_url: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dbwise"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    match env_url {
        Some(url) => command.env("DBWISE_DATABASE_URL", url),
        None => command.env_remove("DBWISE_DATABASE_URL"),
    };
    command.output().unwrap()
}

/// A throwaway cluster whose database `shop` ran `sql`, and the database's URL (the unix socket
/// directory as a percent-encoded host).
fn database(sql: &str) -> (TempCluster, String) {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    cluster
        .create_database("shop")
        .unwrap()
        .batch_execute(sql)
        .unwrap();
    let url = cluster.url("shop");
    (cluster, url)
}

const HISTORY: &str = "CREATE TABLE orders (id bigint PRIMARY KEY, total integer);
CREATE TABLE settings (id integer PRIMARY KEY, value integer);
";

/// Each table rewritten under ACCESS EXCLUSIVE, in a migration of its own (a second rewrite in
/// the same transaction would be a warning at least, as the first one's lock stays held).
const REWRITE_ORDERS: &str = "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);\n";
const REWRITE_SETTINGS: &str = "ALTER TABLE settings ALTER COLUMN value TYPE numeric(12,2);\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "migrations/0001_init.sql", HISTORY);
    write(dir.path(), "migrations/0002_orders.sql", REWRITE_ORDERS);
    write(dir.path(), "migrations/0003_settings.sql", REWRITE_SETTINGS);
    dir
}

/// (migration file, severity, message) of every finding of the rewrite rule.
fn findings(output: &Output) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(output), stderr(output)));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "alter-column-type-rewrite")
        .map(|d| {
            (
                Path::new(d["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn severities(output: &Output) -> Vec<(String, String)> {
    findings(output)
        .into_iter()
        .map(|(file, severity, _)| (file, severity))
        .collect()
}

/// The expected severities of the `orders` and the `settings` rewrite.
fn expect(orders: &str, settings: &str) -> [(String, String); 2] {
    [
        ("0002_orders.sql".to_owned(), orders.to_owned()),
        ("0003_settings.sql".to_owned(), settings.to_owned()),
    ]
}

const LINT: [&str; 6] = [
    "lint",
    "--format",
    "json",
    "--select",
    "alter-column-type-rewrite",
    "migrations",
];

#[test]
fn database_sizes_scale_the_severity() {
    let (_cluster, url) = database(
        "CREATE TABLE orders (id bigint PRIMARY KEY, total integer);
         CREATE TABLE settings (id integer PRIMARY KEY, value integer);
         INSERT INTO orders SELECT g, g FROM generate_series(1, 1200000) g;
         INSERT INTO settings SELECT g, g FROM generate_series(1, 50) g;
         ANALYZE;",
    );
    let dir = project();

    // Without sizes, orders (records that grow with use) is listed at the rule's severity and
    // the rewrite of settings, whose size nothing shows, is counted.
    let without = dbwise(dir.path(), &LINT, None);
    assert_eq!(without.status.code(), Some(0), "{}", stderr(&without));
    assert_eq!(severities(&without), expect("warning", "warning")[..1]);
    let summary: Value = serde_json::from_slice(&without.stdout).unwrap();
    assert_eq!(
        summary["summary"]["unknown_sizes"]["by_rule"]["alter-column-type-rewrite"],
        1
    );

    let mut args = LINT.to_vec();
    args.extend(["--database-url", &url]);
    let with = dbwise(dir.path(), &args, None);
    assert_eq!(with.status.code(), Some(1), "{}", stderr(&with));
    let found = findings(&with);
    assert_eq!(severities(&with), expect("error", "info"));
    assert!(found[0].2.contains("1200000 rows"), "{}", found[0].2);
    assert!(found[1].2.contains("50 rows"), "{}", found[1].2);
}

#[test]
fn configured_sizes_win_and_review_takes_the_url_from_the_environment() {
    let (cluster, url) = database(
        "CREATE TABLE orders (id bigint PRIMARY KEY, total integer);
         CREATE TABLE settings (id integer PRIMARY KEY, value integer);
         INSERT INTO orders SELECT g, g FROM generate_series(1, 50) g;
         INSERT INTO settings SELECT g, g FROM generate_series(1, 50) g;
         ANALYZE;",
    );
    let dir = project();
    write(
        dir.path(),
        "dbwise.toml",
        "[migrations]\npath = \"migrations\"\n\n[tables]\nsizes = { settings = 5000000 }\n",
    );
    // orders: 50 rows from the database; settings: dbwise.toml's 5 million over the database's 50.
    let expected = expect("info", "error");

    let mut args = LINT.to_vec();
    args.extend(["--database-url", &url]);
    let lint = dbwise(dir.path(), &args, None);
    assert_eq!(lint.status.code(), Some(1), "{}", stderr(&lint));
    assert_eq!(severities(&lint), expected);

    // A libpq key=value string works as well as a URL.
    let review = dbwise(
        dir.path(),
        &[
            "review",
            "--format",
            "json",
            "--select",
            "alter-column-type-rewrite",
        ],
        Some(&cluster.connection_string("shop")),
    );
    assert_eq!(review.status.code(), Some(1), "{}", stderr(&review));
    assert_eq!(severities(&review), expected);
}

#[test]
fn an_unreachable_database_is_a_usage_error_with_the_password_hidden() {
    let dir = project();
    let mut args = LINT.to_vec();
    args.extend(["--database-url", "postgresql://app:s3cret@127.0.0.1:1/shop"]);
    let output = dbwise(dir.path(), &args, None);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with(
            "dbwise: error: cannot read table sizes from postgresql://app:***@127.0.0.1:1/shop: "
        ),
        "{message}"
    );
    assert!(message.contains("--database-url"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}
