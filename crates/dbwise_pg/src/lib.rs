//! Live PostgreSQL for dbwise: throwaway clusters ([`TempCluster`]) and statement tracing
//! ([`Tracer`]): which locks each statement of a migration takes, whether it rewrites or scans
//! a table, and how long it runs, observed on a real server.

mod cluster;
mod error;
mod statement;
mod trace;

pub use cluster::{StopHandle, TempCluster, TempClusterOptions, find_bin_dir, quote_ident};
pub use error::PgError;
pub use trace::{
    FileSyntaxError, FileTrace, FileTransaction, Observation, Outcome, ProbeConnections,
    RelationKind, RelationLock, StatementTrace, Target, Tracer,
};
