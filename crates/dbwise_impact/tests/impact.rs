//! `impact` on workloads read by `dbwise_workload`: a log whose tables have no known size, and a
//! pg_stat_statements export, which has no time.

use dbwise_diagnostics::SourceFile;
use dbwise_impact::{Impact, Inputs, Sizes, Verdict, impact};
use dbwise_locks::{Hold, Throughput};
use dbwise_syntax::ParsedFile;
use dbwise_workload::{Analyzer, Options, Workload};

const HISTORY: &str = "CREATE TABLE customers (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total integer);";
const MIGRATION: &str = "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE customers ADD COLUMN note text;";

fn parse(name: &str, sql: &str) -> ParsedFile {
    dbwise_syntax::parse(&SourceFile::new(name, sql.to_string()))
}

fn run(workload: &Workload) -> Impact {
    let inputs = Inputs {
        workload,
        sizes: &Sizes::new(),
        sizes_from: "none given",
        throughput: &Throughput::DEFAULT,
        throughput_from: "defaults",
        pg_major: 15,
    };
    impact(
        &[parse("history.sql", HISTORY)],
        &parse("migration.sql", MIGRATION),
        &inputs,
    )
}

/// Reads of orders: `quiet` a second from 01:00 to 02:00, `busy` a second from 02:00 to 03:00.
fn log(quiet: u32, busy: u32) -> Workload {
    let mut text = String::new();
    for (hour, rate) in [(1, quiet), (2, busy)] {
        for i in 0..3600 * rate {
            let ms = i * 1000 / rate;
            text.push_str(&format!(
                "2024-01-08 {hour:02}:{:02}:{:02}.{:03} UTC [7] LOG:  duration: 0.050 ms  statement: SELECT total FROM orders WHERE id = 1\n",
                ms / 60_000,
                ms / 1000 % 60,
                ms % 1000
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postgresql.log");
    std::fs::write(&path, text).unwrap();
    let mut analyzer = Analyzer::new(Options {
        log_line_prefix: Some("%m [%p] ".into()),
        hourly: true,
        ..Options::default()
    })
    .unwrap();
    analyzer.add_file(&path, &mut |_| {}).unwrap();
    analyzer.finish()
}

#[test]
fn without_sizes_the_quiet_hour_is_still_chosen_and_the_queue_is_unknown() {
    for (quiet, busy, start) in [(1, 5, "01:00"), (5, 1, "02:00")] {
        let impact = run(&log(quiet, busy));
        let window = impact.window.as_ref().unwrap();
        assert_eq!(window.start, start);
        assert_eq!(window.queued, None);
        let rewrite = &impact.statements[0];
        assert_eq!(rewrite.locks[0].hold, Hold::Rewrite);
        assert_eq!(rewrite.locks[0].seconds, None);
        let blocked = &rewrite.blocked[0];
        assert!((blocked.per_second.unwrap() - 1.0).abs() < 0.01);
        assert_eq!(blocked.queued, None);
        assert_eq!(rewrite.verdict, Verdict::Rewrite);
        assert!(!rewrite.plan.is_empty());
        assert_eq!(impact.statements[1].verdict, Verdict::Safe);
        assert!(
            impact
                .assumptions
                .iter()
                .any(|a| a.starts_with("no size known for orders")),
            "{:?}",
            impact.assumptions
        );
    }
}

#[test]
fn a_pg_stat_statements_export_gives_no_rates_and_no_window() {
    let mut analyzer = Analyzer::new(Options {
        hourly: true,
        ..Options::default()
    })
    .unwrap();
    analyzer
        .add_pg_stat_statements(
            "pg_stat_statements.csv",
            "query,calls,total_exec_time\n\"SELECT name FROM customers WHERE id = $1\",5000,12.5\n"
                .as_bytes(),
        )
        .unwrap();
    let impact = run(&analyzer.finish());
    assert!(impact.window.is_none());
    let add_column = &impact.statements[1];
    assert_eq!(add_column.blocked.len(), 1);
    assert_eq!(add_column.blocked[0].per_second, None);
    // A catalog change is over in an instant, whatever the traffic.
    assert_eq!(add_column.verdict, Verdict::Safe);
    assert_eq!(impact.statements[0].verdict, Verdict::Safe);
    assert_eq!(impact.lock_timeout, "5000ms");
}
