//! What the figures say about time: parse and bind steps of the extended protocol, and input
//! that gives no durations at all.

mod support;

use dbwise_workload::Options;
use support::{analyze, shape};

#[test]
fn parse_and_bind_time_is_added_to_the_shape_without_counting_calls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postgresql.log");
    std::fs::write(
        &path,
        "2026-11-27 10:00:00.000 UTC [41] LOG:  duration: 0.250 ms  parse <unnamed>: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.001 UTC [41] LOG:  duration: 0.125 ms  bind <unnamed>: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.001 UTC [41] DETAIL:  parameters: $1 = '7'\n\
         2026-11-27 10:00:00.002 UTC [41] LOG:  duration: 1.000 ms  execute <unnamed>: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.003 UTC [41] DETAIL:  parameters: $1 = '7'\n\
         2026-11-27 10:00:00.004 UTC [41] LOG:  duration: 0.500 ms  bind S_1: SELECT name FROM customers WHERE id = $1\n\
         2026-11-27 10:00:00.005 UTC [41] LOG:  duration: 2.000 ms  execute S_1: SELECT name FROM customers WHERE id = $1\n",
    )
    .unwrap();
    let workload = analyze(&path, Options::default());
    let lookup = shape(&workload, "SELECT name FROM customers WHERE id = $1");
    assert_eq!((lookup.calls, lookup.timed_calls), (2, 2));
    assert_eq!(lookup.total_ms, Some(3.875));
    assert_eq!(workload.total_ms, Some(3.875));
    assert_eq!(workload.prepare_ms, 0.875);
    assert_eq!(workload.queries.len(), 1);
}

#[test]
fn statement_logging_without_durations_has_no_time_rather_than_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postgresql.log");
    std::fs::write(
        &path,
        "2026-11-27 10:00:00.000 UTC [41] LOG:  statement: SELECT 1\n\
         2026-11-27 10:00:00.001 UTC [41] LOG:  statement: SELECT 2\n",
    )
    .unwrap();
    let workload = analyze(&path, Options::default());
    assert_eq!((workload.total_calls, workload.timed_calls), (2, 0));
    assert_eq!(workload.total_ms, None);
    let select = shape(&workload, "SELECT $1");
    assert_eq!(
        (select.total_ms, select.share, select.mean_ms),
        (None, None, None)
    );
}
