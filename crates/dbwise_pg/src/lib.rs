//! Live PostgreSQL for dbwise: throwaway clusters ([`TempCluster`]) and statement tracing
//! ([`Tracer`], and [`trace_files`] for a whole run on a throwaway cluster or a scratch
//! database): which locks each statement of a migration takes, whether it rewrites or scans
//! a table, and how long it runs, observed on a real server; and table statistics
//! ([`read_table_rows`]): the estimated row count of every table of a live database; and [`inspect`]: a live database's schema as DDL and its statistics, sessions and
//! replication, read-only.

mod cluster;
mod connection;
mod error;
mod inspect;
mod run;
mod stats;
mod throughput;
mod tls;
mod trace;

pub use cluster::{
    OWNER_ROLE, StopHandle, TempCluster, TempClusterOptions, find_bin_dir, quote_ident,
};
pub use connection::{CONNECT_TIMEOUT, connect, connect_with_settings, connect_within, redact};
pub use error::PgError;
pub use inspect::{
    APPLICATION_NAME, DEFAULT_STATEMENTS, InspectOptions, Inspection, LiveSchema, Statements,
    inspect,
};
pub use run::{TraceError, TraceOn, TraceOptions, TraceReport, trace_files};
pub use stats::{TableRows, read_table_rows};
pub use throughput::{Measured, measure_throughput};
pub use trace::{
    FileSyntaxError, FileTrace, FileTransaction, Limits, Observation, Outcome, ProbeConnections,
    RelationKind, RelationLock, StatementTrace, Target, Tracer,
};
