//! A throwaway PostgreSQL (dbwise_pg's `TempCluster`, run as the `postgres` OS user when the
//! tests run as root) that logs every statement in stderr, csvlog and jsonlog at once, and a
//! way to collect those logs once they are complete.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dbwise_pg::{TempCluster, TempClusterOptions};
use dbwise_workload::{Analyzer, Options, Workload};

pub const MARKER: &str = "dbwise-end-of-test-marker";

pub fn start(log_line_prefix: &str) -> TempCluster {
    start_with(log_line_prefix, &[])
}

/// Like [`start`], with more `postgresql.conf` settings (they win over the defaults above).
pub fn start_with(log_line_prefix: &str, settings: &[(&str, &str)]) -> TempCluster {
    let mut options = TempClusterOptions::default()
        .setting("logging_collector", "on")
        .setting("log_destination", "stderr,csvlog,jsonlog")
        .setting("log_filename", "postgresql.log")
        .setting("log_rotation_size", "0")
        .setting("log_min_duration_statement", "0")
        .setting("log_line_prefix", log_line_prefix)
        .setting("log_connections", "on")
        .setting("log_disconnections", "on")
        .setting("log_lock_waits", "on")
        .setting("deadlock_timeout", "100ms")
        .setting("lc_messages", "C");
    for (name, value) in settings {
        options = options.setting(*name, *value);
    }
    TempCluster::start(options)
        .expect("start a throwaway PostgreSQL (PostgreSQL 15 server binaries are required)")
}

/// Log a marker statement, wait until every log file holds it, and copy the logs into `into`.
/// Returns the paths of the stderr, csvlog and jsonlog copies.
pub fn collect_logs(cluster: &TempCluster, into: &Path) -> [PathBuf; 3] {
    let mut client = cluster.connect("postgres").expect("connect");
    client
        .simple_query(&format!("SELECT '{MARKER}'"))
        .expect("marker");
    let names = ["postgresql.log", "postgresql.csv", "postgresql.json"];
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let complete = names.iter().all(|name| {
            std::fs::read(cluster.log_dir().join(name))
                .map(|bytes| bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()))
                .unwrap_or(false)
        });
        if complete {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not write the marker to all its logs"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    names.map(|name| {
        let copy = into.join(name);
        std::fs::copy(cluster.log_dir().join(name), &copy).expect("copy log");
        copy
    })
}

pub fn analyze(path: &Path, options: Options) -> Workload {
    let mut analyzer = Analyzer::new(options).expect("options");
    analyzer.add_file(path, &mut |_| {}).expect("read log");
    analyzer.finish()
}

/// The shape whose normalised text is `query`.
pub fn shape<'a>(workload: &'a Workload, query: &str) -> &'a dbwise_workload::QueryReport {
    workload
        .queries
        .iter()
        .find(|q| q.query == query)
        .unwrap_or_else(|| {
            panic!(
                "no shape `{query}` in {:#?}",
                workload
                    .queries
                    .iter()
                    .map(|q| &q.query)
                    .collect::<Vec<_>>()
            )
        })
}
