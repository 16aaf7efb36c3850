//! Query workload analysis for PostgreSQL.
//!
//! Reads server logs (stderr with any `log_line_prefix`, csvlog, jsonlog, gzip-compressed or
//! not), `pg_stat_statements` exports and SQL files, and produces:
//!
//! - query shapes grouped by libpg_query fingerprint, with calls, total / mean / min / max
//!   and p50 / p95 / p99 durations, users, databases, applications and tables;
//! - N+1 patterns (a parent query followed by many executions of one child query);
//! - query anti-patterns ([`dbwise_query::antipatterns`]) of the shapes that ran;
//! - lock waits, deadlocks and timeouts per shape and table;
//! - how long the transactions (BEGIN to COMMIT or ROLLBACK in a session) that touched each table
//!   lasted.
//!
//! Input is streamed: memory grows with the number of distinct shapes and open sessions, not
//! with the size of the log. Each distinct statement text (after cheap literal replacement,
//! see [`scan`]) is parsed and fingerprinted once.
//!
//! # Which statements are one shape
//!
//! Exactly those with the same libpg_query fingerprint ([`dbwise_syntax::tree::fingerprint`]:
//! version 3 with PostgreSQL 17 relation rules, so tables are known by schema and name, never
//! by alias):
//! literal values and `$n` parameters, comments, layout, keyword case, table and column
//! aliases, the length of IN lists and `IN (...)` versus `= ANY(...)`, the order of select-list
//! and FROM items, and runs of two or more digits in table names do not matter.
//! `COMMIT` and `END` are one shape. Statements libpg_query cannot parse (cut or non-PostgreSQL
//! SQL) are grouped by their pre-normalised text and keep the parse error. Unlike
//! `pg_stat_statements`, the simple-protocol and prepared forms of a statement are one shape.
//!
//! # Log messages used
//!
//! `duration: ... statement:` and `duration: ... execute <name>:` (with their `parameters:`
//! detail), `statement:` / `execute` without duration (`log_statement = all`), followed or not by
//! a separate `duration:` line (`log_duration = on`); `parse` and `bind` phases are not counted,
//! like `pg_stat_statements`. Errors: `deadlock detected`, lock and statement timeouts, and
//! other errors by message; `still waiting for ... lock` lines; `disconnection:` ends a session.
//! Do not combine `log_min_duration_statement` with `log_statement = all`: every statement is
//! then logged twice and counted twice.

mod analysis;
pub mod histogram;
pub mod nplusone;
mod pipeline;
pub mod prefix;
pub mod readers;
pub mod scan;
pub mod shapes;
pub mod transactions;

pub use analysis::{
    Analyzer, CountedName, CountedQuery, Error, FileSummary, InputFormat, Options, QueryReport,
    SkippedLine, WaitReport, Workload, WorkloadFinding, detect_format,
};
