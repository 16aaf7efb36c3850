use std::path::PathBuf;

/// Everything that can go wrong talking to PostgreSQL.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("could not {action}")]
    Io {
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "no PostgreSQL server binaries found: install PostgreSQL (e.g. `apt-get install postgresql`) or point $DBWISE_PG_BIN at the directory holding initdb"
    )]
    NoServerBinaries,
    #[error("`{tool}` is missing from {dir}: name a PostgreSQL bin directory (the CLI's --pg-bin, or $DBWISE_PG_BIN)", dir = dir.display())]
    MissingBinary { tool: &'static str, dir: PathBuf },
    #[error(
        "running as root, but there is no OS user `{name}` to run PostgreSQL as: create it (`useradd {name}`) or run dbwise as a normal user"
    )]
    NoOsUser { name: String },
    #[error("{step} failed; last lines of its log:\n{log}")]
    ServerFailed { step: &'static str, log: String },
    #[error("could not connect to PostgreSQL")]
    Connect(#[source] postgres::Error),
    #[error("{0}")]
    Tls(String),
    #[error("the server did not complete the connection within {seconds} s")]
    ConnectTimeout { seconds: f64 },
    #[error("the blocking probe's own lock request did not queue within the probe timeout")]
    ProbeTimeout,
    #[error("cannot set {name} to '{value}'")]
    Setting {
        name: &'static str,
        value: String,
        #[source]
        source: postgres::Error,
    },
    #[error("query failed")]
    Query(#[source] postgres::Error),
}

impl PgError {
    pub(crate) fn io(action: &'static str, source: std::io::Error) -> PgError {
        PgError::Io { action, source }
    }
}
