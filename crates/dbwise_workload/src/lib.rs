//! Query workload analysis for PostgreSQL.
//!
//! Reads server logs (stderr with any `log_line_prefix`, csvlog, jsonlog, gzip-compressed or
//! not), `pg_stat_statements` exports and SQL files, and produces:
//!
//! - query shapes grouped by libpg_query fingerprint, with calls, total / mean / min / max
//!   and p50 / p95 / p99 durations, users, databases, applications and tables;
//! - N+1 patterns (a parent query followed by many executions of one child query);
//! - query anti-patterns ([`antipatterns`]) of the shapes that ran;
//! - lock waits, deadlocks and timeouts per shape and table.
//!
//! Input is streamed: memory grows with the number of distinct shapes and open sessions, not
//! with the size of the log. Each distinct statement text (after cheap literal replacement,
//! see [`scan`]) is parsed and fingerprinted once.

mod analysis;
pub mod antipatterns;
pub mod histogram;
pub mod nplusone;
pub mod prefix;
pub mod readers;
mod report;
pub mod scan;
pub mod shapes;

pub use analysis::{
    Analyzer, CountedName, CountedQuery, Error, FileSummary, InputFormat, Options, QueryReport,
    SkippedLine, WaitReport, Workload, WorkloadFinding, detect_format, severity_of,
};
pub use report::{render_human, render_json};
