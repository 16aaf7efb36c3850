//! The list of built-in functions that a column default may call without giving each row its
//! own value is the one a PostgreSQL 15 server reports.

use dbwise_lint::lockmap::NON_VOLATILE_BUILTINS;
use dbwise_pg::{TempCluster, TempClusterOptions};

#[test]
fn the_built_in_non_volatile_functions_are_those_of_the_server() {
    let cluster = TempCluster::start(TempClusterOptions::default()).expect("throwaway cluster");
    let mut client = cluster.connect("postgres").unwrap();
    let rows = client
        .query(
            "SELECT proname::text FROM pg_proc WHERE prokind = 'f' GROUP BY proname \
             HAVING bool_and(provolatile <> 'v') ORDER BY proname COLLATE \"C\"",
            &[],
        )
        .unwrap();
    let server: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    let listed: Vec<&str> = NON_VOLATILE_BUILTINS.lines().collect();
    assert!(server.iter().any(|name| name == "now"));
    assert!(!server.iter().any(|name| name == "random"));
    assert_eq!(listed, server);
}
