//! `dbwise review` with a database URL: lint's findings on the migration history and inspect's
//! on the live database (a throwaway cluster) in one report, a finding both make listed once,
//! the live one, with the history's place.

mod support;

use std::process::Command;

use dbwise_pg::{TempCluster, TempClusterOptions};
use serde_json::Value;
use support::{stderr, stdout, write};

const HISTORY: &str = "CREATE TABLE tickets (id serial PRIMARY KEY, note text NOT NULL);
CREATE TABLE page_views (page_id bigint NOT NULL, viewed_at timestamptz NOT NULL);
";

#[test]
fn review_merges_the_live_findings_with_the_history() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    cluster
        .create_database("shop")
        .unwrap()
        .batch_execute(&format!(
            "{HISTORY}
             SELECT setval('tickets_id_seq', 1997159792);
             INSERT INTO tickets (note) VALUES ('one');
             ANALYZE;"
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "migrations/0001_init.sql", HISTORY);
    write(
        dir.path(),
        "dbwise.toml",
        "[migrations]\npath = \"migrations\"\n",
    );
    let review = |url: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dbwise"));
        command
            .args(["review", "--format", "json", "--no-workload"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("DBWISE_DATABASE_URL");
        if let Some(url) = url {
            command.args(["--database-url", url]);
        }
        let output = command.output().unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!("not JSON ({e}):\n{}\n{}", stdout(&output), stderr(&output))
        });
        let diagnostics = report["diagnostics"].as_array().unwrap().clone();
        (output, diagnostics)
    };
    let of = |diagnostics: &[Value], rule: &str| -> Vec<Value> {
        diagnostics
            .iter()
            .filter(|d| d["rule"] == rule)
            .cloned()
            .collect()
    };

    // The history alone: the table without a key, at its line; nothing of the sequence.
    let (output, history) = review(None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let keyless = of(&history, "missing-primary-key");
    assert_eq!(keyless.len(), 1, "{history:?}");
    assert_eq!(keyless[0]["line"], 2, "{keyless:?}");
    assert!(of(&history, "sequence-near-exhaustion").is_empty());

    let (output, merged) = review(Some(&cluster.url("shop")));
    // The sequence at 93% is an error only the live database shows.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sequence = of(&merged, "sequence-near-exhaustion");
    assert_eq!(sequence.len(), 1, "{merged:?}");
    assert_eq!(sequence[0]["object"], "public.tickets_id_seq");
    // The table without a key, found by both, once: the live finding, with the history's place.
    let keyless = of(&merged, "missing-primary-key");
    assert_eq!(keyless.len(), 1, "{merged:?}");
    assert_eq!(keyless[0]["object"], "public.page_views", "{keyless:?}");
    let why = keyless[0]["why"].as_str().unwrap();
    assert!(
        why.contains(" The migration history declares it at ")
            && why.ends_with("/migrations/0001_init.sql:2."),
        "{why}"
    );
    let password = {
        let text = cluster.connection_string("x");
        let at = text.find("password=").unwrap() + "password=".len();
        text[at..].split(' ').next().unwrap().to_owned()
    };
    assert!(!stdout(&output).contains(&password));
    assert!(!stderr(&output).contains(&password));
}
