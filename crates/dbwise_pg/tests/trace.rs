//! The tracer's transaction handling and the throwaway cluster's options, on a real server.

use dbwise_diagnostics::SourceFile;
use dbwise_pg::{
    FileTrace, FileTransaction, Outcome, ProbeConnections, Target, TempCluster, TempClusterOptions,
    Tracer,
};

fn tracer(cluster: &TempCluster, database: &str) -> Tracer {
    let main = cluster.create_database(database).unwrap();
    let probe = ProbeConnections {
        observer: cluster.connect(database).unwrap(),
        blocker: cluster.connect(database).unwrap(),
    };
    Tracer::new(main, Some(probe), Target::Scratch).unwrap()
}

fn run(tracer: &mut Tracer, text: &str, grouping: FileTransaction) -> FileTrace {
    let parsed = dbwise_syntax::parse(&SourceFile::new("migration.sql", text));
    tracer.trace_file(&parsed, grouping).unwrap()
}

fn status(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => "ok",
        Outcome::Failed { .. } => "failed",
        Outcome::Skipped { .. } => "skipped",
    }
}

#[test]
fn a_wrapped_file_stops_at_the_first_error_and_rolls_back() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut tracer = tracer(&cluster, "wrapped");
    let trace = run(
        &mut tracer,
        "CREATE TABLE a (id int);\nINSERT INTO missing VALUES (1);\nCREATE TABLE b (id int);\n",
        FileTransaction::Wrapped,
    );
    let statuses: Vec<&str> = trace
        .statements
        .iter()
        .map(|s| status(&s.outcome))
        .collect();
    assert_eq!(statuses, ["ok", "failed", "skipped"]);
    let Outcome::Failed { sqlstate, line, .. } = &trace.statements[1].outcome else {
        unreachable!()
    };
    assert_eq!(sqlstate, "42P01");
    assert_eq!(
        *line,
        Some(2),
        "the error position maps back to the file's line"
    );
    // The rollback undid the first statement too.
    let again = run(
        &mut tracer,
        "CREATE TABLE a (id int);\n",
        FileTransaction::Wrapped,
    );
    assert_eq!(again.statements[0].outcome, Outcome::Ok);
}

#[test]
fn locks_already_held_in_the_transaction_are_not_repeated() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut tracer = tracer(&cluster, "repeat");
    run(
        &mut tracer,
        "CREATE TABLE t (id int, a int);\n",
        FileTransaction::AsWritten,
    );
    let trace = run(
        &mut tracer,
        "ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD COLUMN c int;\n",
        FileTransaction::Wrapped,
    );
    assert!(trace.statements.iter().all(|s| s.in_transaction));
    assert!(
        trace.statements[0]
            .locks
            .iter()
            .any(|l| l.relation == "t" && !l.created)
    );
    assert!(
        !trace.statements[1].locks.iter().any(|l| l.relation == "t"),
        "the second ALTER reuses the ACCESS EXCLUSIVE lock of the first: {:?}",
        trace.statements[1].locks
    );
}

#[test]
fn explicit_transactions_are_honoured_and_other_statements_commit_alone() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut tracer = tracer(&cluster, "written");
    let trace = run(
        &mut tracer,
        "CREATE TABLE t (id int);\nBEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nBEGIN;\n",
        FileTransaction::Wrapped,
    );
    let in_tx: Vec<bool> = trace.statements.iter().map(|s| s.in_transaction).collect();
    assert_eq!(in_tx, [true, false, true, true, false, false]);
    assert!(
        trace.statements.iter().all(|s| s.outcome == Outcome::Ok),
        "{:?}",
        trace.statements
    );
    assert_eq!(
        trace.note.as_deref(),
        Some("the file left a transaction open; dbwise rolled it back")
    );
}

#[test]
fn syntax_errors_keep_the_whole_file_from_running() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut tracer = tracer(&cluster, "syntax");
    let trace = run(
        &mut tracer,
        "CREATE TABLE t (id int);\nCREATE TABEL u (id int);\n",
        FileTransaction::Wrapped,
    );
    assert!(trace.statements.is_empty());
    assert_eq!(trace.syntax_errors.len(), 1);
    assert_eq!(trace.syntax_errors[0].line, 2);
}

#[test]
fn rollback_all_leaves_the_database_unchanged() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut setup = cluster.create_database("keep").unwrap();
    setup.batch_execute("CREATE TABLE t (id int)").unwrap();
    let mut tracer =
        Tracer::new(cluster.connect("keep").unwrap(), None, Target::RollbackAll).unwrap();
    let trace = run(
        &mut tracer,
        "ALTER TABLE t ADD COLUMN a int;\nINSERT INTO nowhere VALUES (1);\nDROP TABLE t;\nVACUUM FULL t;\n",
        FileTransaction::Wrapped,
    );
    let statuses: Vec<&str> = trace
        .statements
        .iter()
        .map(|s| status(&s.outcome))
        .collect();
    assert_eq!(
        statuses,
        ["ok", "failed", "ok", "skipped"],
        "a failure does not stop the rest"
    );
    tracer.finish().unwrap();
    let tables: i64 = setup
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 't'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
}

#[test]
fn extra_settings_reach_the_server_and_logs_land_in_the_log_dir() {
    let options = TempClusterOptions::default()
        .setting("log_min_duration_statement", "0")
        .setting("logging_collector", "on")
        .setting("log_filename", "statements.log");
    let cluster = TempCluster::start(options).unwrap();
    let mut client = cluster.connect("postgres").unwrap();
    let value: String = client
        .query_one("SHOW log_min_duration_statement", &[])
        .unwrap()
        .get(0);
    assert_eq!(value, "0");
    client.batch_execute("SELECT 'dbwise-log-marker'").unwrap();
    drop(client);
    let log_dir = cluster.log_dir();
    let root = cluster.root().to_owned();
    let found = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        cluster.log_files().unwrap().iter().any(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .contains("dbwise-log-marker")
        })
    });
    assert!(
        found,
        "no log file in {} mentions the statement",
        log_dir.display()
    );
    cluster.stop().unwrap();
    assert!(!root.exists(), "stopping removes the temporary directory");
}

#[test]
fn a_one_script_file_is_one_transaction_only_when_it_holds_several_statements() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut tracer = tracer(&cluster, "script");
    run(
        &mut tracer,
        "CREATE TABLE t (id int, a int);\n",
        FileTransaction::OneScript,
    );
    let lone = run(
        &mut tracer,
        "CREATE INDEX CONCURRENTLY t_id ON t (id);\n",
        FileTransaction::OneScript,
    );
    assert_eq!(lone.statements[0].outcome, Outcome::Ok);
    assert!(!lone.statements[0].in_transaction);
    let two = run(
        &mut tracer,
        "ALTER TABLE t ADD COLUMN b int;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n",
        FileTransaction::OneScript,
    );
    let statuses: Vec<&str> = two.statements.iter().map(|s| status(&s.outcome)).collect();
    assert_eq!(statuses, ["ok", "failed"]);
}
