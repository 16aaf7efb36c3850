//! A whole trace run: set up where the statements run (a throwaway cluster with its blocking
//! probe, or a scratch database rolled back at the end), trace every file in order, and tear
//! the setup down again. `dbwise migrate trace` and every other caller go through
//! [`trace_files`].

use std::path::PathBuf;

use dbwise_syntax::ParsedFile;

use crate::cluster::{StopHandle, TempCluster, TempClusterOptions};
use crate::error::PgError;
use crate::trace::{FileTrace, FileTransaction, Limits, ProbeConnections, Target, Tracer};

/// Where the traced statements run.
#[derive(Debug, Clone)]
pub enum TraceOn {
    /// A throwaway cluster started for the run and removed after it.
    Throwaway {
        /// The folder of initdb, postgres and pg_ctl ([`TempClusterOptions::bin_dir`]).
        bin_dir: Option<PathBuf>,
        /// Run the SQL as the cluster's superuser instead of an ordinary role that owns the
        /// scratch database.
        superuser: bool,
    },
    /// A scratch database: everything runs in one transaction that is rolled back
    /// ([`Target::RollbackAll`]).
    Database {
        url: String,
        /// `application_name` of the connection, unless the URL sets one.
        application_name: String,
    },
}

/// What a trace run is asked to do besides the files.
#[derive(Debug, Clone)]
pub struct TraceOptions {
    pub on: TraceOn,
    /// `statement_timeout` of each traced statement.
    pub statement_timeout: String,
    /// `lock_timeout` of each traced statement; `None` for the default: none (`0`) on a
    /// throwaway cluster, where the blocking probe makes statements wait on purpose, and 5 s on
    /// a database.
    pub lock_timeout: Option<String>,
}

/// The result of a trace run: the server, whether it kept the changes, and each file's trace.
#[derive(Debug, serde::Serialize)]
pub struct TraceReport {
    pub server_version: String,
    pub target: Target,
    pub files: Vec<FileTrace>,
}

/// Why a trace run stopped.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("cannot connect to the database")]
    Connect(#[source] PgError),
    #[error("cannot start a throwaway PostgreSQL cluster")]
    Start(#[source] PgError),
    /// Setting up the started cluster or tracing failed (a lost connection; SQL errors are
    /// part of the report).
    #[error(transparent)]
    Run(#[from] PgError),
}

/// The name of the scratch database of a throwaway cluster.
const DATABASE: &str = "dbwise_trace";

/// Trace `files` in order, each grouped into transactions as it says, where `options` tells.
/// `running` is told the throwaway cluster once it runs (so that a signal handler can stop it)
/// and `None` before it is stopped at the end.
pub fn trace_files(
    files: &[(ParsedFile, FileTransaction)],
    options: &TraceOptions,
    running: &mut dyn FnMut(Option<StopHandle>),
) -> Result<TraceReport, TraceError> {
    let (cluster, mut tracer, lock_timeout) = match &options.on {
        TraceOn::Database {
            url,
            application_name,
        } => {
            let client = crate::connect(url, application_name).map_err(TraceError::Connect)?;
            (None, Tracer::new(client, None, Target::RollbackAll)?, "5s")
        }
        TraceOn::Throwaway { bin_dir, superuser } => {
            let cluster = TempCluster::start(TempClusterOptions {
                bin_dir: bin_dir.clone(),
                ..TempClusterOptions::default()
            })
            .map_err(TraceError::Start)?;
            running(Some(cluster.stop_handle()));
            let main = if *superuser {
                cluster.create_database(DATABASE)?
            } else {
                cluster.create_owned_database(DATABASE)?
            };
            let probe = ProbeConnections {
                observer: cluster.connect(DATABASE)?,
                blocker: cluster.connect(DATABASE)?,
            };
            let tracer = Tracer::new(main, Some(probe), Target::Scratch)?;
            let tracer = if *superuser {
                tracer
            } else {
                tracer.with_superuser(cluster.connect(DATABASE)?)?
            };
            (Some(cluster), tracer, "0")
        }
    };
    tracer.set_limits(&Limits {
        statement_timeout: options.statement_timeout.clone(),
        lock_timeout: options
            .lock_timeout
            .clone()
            .unwrap_or(lock_timeout.to_owned()),
    })?;
    let mut traces = Vec::new();
    for (parsed, group) in files {
        traces.push(tracer.trace_file(parsed, *group)?);
    }
    let server_version = tracer.server_version().to_owned();
    let target = tracer.target();
    tracer.finish()?;
    if let Some(cluster) = cluster {
        running(None);
        cluster.stop()?;
    }
    Ok(TraceReport {
        server_version,
        target,
        files: traces,
    })
}
