//! N+1 detection on logs of a real PostgreSQL driven like an application would.

mod support;

use dbwise_workload::Options;
use support::{analyze, collect_logs, shape, start};

const PARENT: &str = "SELECT id FROM orders WHERE customer_id = $1 ORDER BY id";
const CHILD: &str = "SELECT sku, quantity FROM order_items WHERE order_id = $1";

fn schema(client: &mut postgres::Client) {
    client
        .batch_execute(
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int);
             CREATE TABLE order_items (order_id int, sku text, quantity int);
             INSERT INTO orders SELECT g, 7 FROM generate_series(1, 30) g;
             INSERT INTO order_items SELECT g, 'sku-' || g, 1 FROM generate_series(1, 30) g;",
        )
        .unwrap();
}

#[test]
fn a_parent_query_followed_by_thirty_child_queries_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start("%m [%p] ");
    let mut app = cluster.connect("postgres").unwrap();
    schema(&mut app);

    // Extended protocol inside a transaction, as an ORM does.
    let mut tx = app.transaction().unwrap();
    let orders = tx.query(PARENT, &[&7i32]).unwrap();
    for order in &orders {
        let id: i32 = order.get(0);
        tx.query(CHILD, &[&id]).unwrap();
    }
    tx.commit().unwrap();

    // Simple protocol with literals, in autocommit: the session (split at idle gaps) is the unit.
    app.simple_query("SELECT id FROM orders WHERE customer_id = 7 ORDER BY id")
        .unwrap();
    for id in 1..=30 {
        app.simple_query(&format!(
            "SELECT sku, quantity FROM order_items WHERE order_id = {id}"
        ))
        .unwrap();
    }

    let [stderr, csv, json] = collect_logs(&cluster, dir.path());
    drop(cluster);
    for log in [stderr, csv, json] {
        let workload = analyze(&log, Options::default());
        let found: Vec<_> = workload
            .findings
            .iter()
            .filter(|f| f.finding.rule == "n-plus-one")
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{:#?}",
            found.iter().map(|f| &f.finding.message).collect::<Vec<_>>()
        );
        let n_plus_one = found[0];
        assert_eq!(
            n_plus_one.fingerprint.as_deref(),
            Some(shape(&workload, CHILD).fingerprint.as_str())
        );
        assert_eq!(
            n_plus_one.parent_fingerprint.as_deref(),
            Some(shape(&workload, PARENT).fingerprint.as_str())
        );
        assert_eq!(
            n_plus_one.calls,
            Some(60),
            "30 children in each of the two loops"
        );
        assert!(
            n_plus_one.finding.message.contains("in 2 unit(s) of work"),
            "{}",
            n_plus_one.finding.message
        );
        assert!(
            n_plus_one.finding.help.contains("order_id = ANY($1)"),
            "{}",
            n_plus_one.finding.help
        );
        assert_eq!(n_plus_one.examples.len(), 2);
        assert!(
            n_plus_one.examples[0].contains("30 executions"),
            "{:?}",
            n_plus_one.examples
        );
    }
}

#[test]
fn the_same_query_spread_over_unrelated_sessions_is_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start("%m [%p] ");
    schema(&mut cluster.connect("postgres").unwrap());
    let mut sessions: Vec<postgres::Client> = (0..30)
        .map(|_| cluster.connect("postgres").unwrap())
        .collect();
    // Every session runs the parent once and one child, interleaved with the others.
    for session in sessions.iter_mut() {
        session.query(PARENT, &[&7i32]).unwrap();
    }
    for (i, session) in sessions.iter_mut().enumerate() {
        session.query(CHILD, &[&(i as i32 + 1)]).unwrap();
    }
    drop(sessions);

    let [stderr, csv, _] = collect_logs(&cluster, dir.path());
    drop(cluster);
    for log in [stderr, csv] {
        let workload = analyze(&log, Options::default());
        assert_eq!(shape(&workload, CHILD).calls, 30);
        assert!(
            workload
                .findings
                .iter()
                .all(|f| f.finding.rule != "n-plus-one"),
            "{:#?}",
            workload
                .findings
                .iter()
                .map(|f| &f.finding.message)
                .collect::<Vec<_>>()
        );
    }
}
