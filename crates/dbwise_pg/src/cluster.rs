//! Throwaway PostgreSQL clusters: `initdb` into a temporary directory, a server listening only on
//! a unix socket inside that directory, stopped and deleted when the [`TempCluster`] is dropped
//! or [`StopHandle::stop`] is called (for Ctrl-C handlers).
//!
//! `initdb` and `postgres` refuse to run as root. When the current user is root the cluster is
//! created and run as an unprivileged OS user (`postgres` by default) through `setpriv`, with
//! the temporary directory owned by that user.

use std::fs::{self, File};
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::PgError;

/// How to create a [`TempCluster`].
#[derive(Debug, Clone)]
pub struct TempClusterOptions {
    /// Directory holding `initdb`, `postgres` and `pg_ctl`. `None` looks in `$DBWISE_PG_BIN`,
    /// then the newest `/usr/lib/postgresql/<major>/bin`, then `$PATH`.
    pub bin_dir: Option<PathBuf>,
    /// Extra `postgresql.conf` settings, written after dbwise's own so they win
    /// (e.g. `("log_min_duration_statement", "0")`).
    pub settings: Vec<(String, String)>,
    /// The OS user that runs the server when dbwise runs as root.
    pub os_user: String,
    /// How long to wait for the server to accept connections.
    pub start_timeout: Duration,
}

impl Default for TempClusterOptions {
    fn default() -> Self {
        TempClusterOptions {
            bin_dir: None,
            settings: Vec::new(),
            os_user: "postgres".to_owned(),
            start_timeout: Duration::from_secs(60),
        }
    }
}

impl TempClusterOptions {
    pub fn setting(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.push((name.into(), value.into()));
        self
    }
}

/// A running throwaway cluster. Connect with [`TempCluster::connect`]; everything is removed
/// when it is dropped.
pub struct TempCluster {
    shared: Arc<Shared>,
    child: Option<Child>,
    port: u16,
}

/// What both the cluster and a [`StopHandle`] need to shut the server down and delete it.
struct Shared {
    root: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<OsUser>,
    stopped: Mutex<bool>,
}

#[derive(Debug, Clone)]
struct OsUser {
    name: String,
    uid: u32,
    gid: u32,
}

/// A cloneable, thread-safe way to stop a [`TempCluster`] from elsewhere (a Ctrl-C handler).
#[derive(Clone)]
pub struct StopHandle {
    shared: Arc<Shared>,
}

impl StopHandle {
    /// Stop the server and delete its directory. Safe to call more than once.
    pub fn stop(&self) -> Result<(), PgError> {
        self.shared.stop()
    }
}

impl TempCluster {
    pub fn start(options: TempClusterOptions) -> Result<TempCluster, PgError> {
        let bin_dir = match options.bin_dir {
            Some(dir) => dir,
            None => find_bin_dir()?,
        };
        for tool in ["initdb", "postgres", "pg_ctl"] {
            if !bin_dir.join(tool).is_file() {
                return Err(PgError::MissingBinary {
                    tool,
                    dir: bin_dir.clone(),
                });
            }
        }
        let run_as = if current_uid()? == 0 {
            Some(lookup_user(&options.os_user)?)
        } else {
            None
        };
        let root = tempfile::Builder::new()
            .prefix("dbwise-pg-")
            .tempdir()
            .map_err(|source| PgError::io("create a temporary directory", source))?
            .keep();
        let shared = Arc::new(Shared {
            root,
            bin_dir,
            run_as,
            stopped: Mutex::new(false),
        });
        // From here on, dropping `cluster` removes the directory, whatever fails.
        let mut cluster = TempCluster {
            shared,
            child: None,
            port: free_port()?,
        };
        cluster.init(&options.settings)?;
        cluster.launch(options.start_timeout)?;
        Ok(cluster)
    }

    fn init(&self, settings: &[(String, String)]) -> Result<(), PgError> {
        let root = &self.shared.root;
        fs::create_dir(self.log_dir())
            .map_err(|source| PgError::io("create the log directory", source))?;
        if let Some(user) = &self.shared.run_as {
            for path in [root.clone(), self.log_dir()] {
                std::os::unix::fs::chown(&path, Some(user.uid), Some(user.gid)).map_err(
                    |source| {
                        PgError::io(
                            "give the temporary directory to the server's OS user",
                            source,
                        )
                    },
                )?;
            }
        }
        let initdb_log = root.join("initdb.log");
        let output =
            File::create(&initdb_log).map_err(|source| PgError::io("create initdb.log", source))?;
        let status = self
            .shared
            .command("initdb")
            .arg("-D")
            .arg(self.data_dir())
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ])
            .stdin(Stdio::null())
            .stdout(
                output
                    .try_clone()
                    .map_err(|source| PgError::io("open initdb.log", source))?,
            )
            .stderr(output)
            .status()
            .map_err(|source| PgError::io("run initdb", source))?;
        if !status.success() {
            return Err(PgError::ServerFailed {
                step: "initdb",
                log: tail(&initdb_log),
            });
        }
        let mut conf = fs::OpenOptions::new()
            .append(true)
            .open(self.data_dir().join("postgresql.conf"))
            .map_err(|source| PgError::io("open postgresql.conf", source))?;
        let mut lines = vec![
            ("listen_addresses".to_owned(), String::new()),
            ("port".to_owned(), self.port.to_string()),
            (
                "unix_socket_directories".to_owned(),
                root.display().to_string(),
            ),
            ("fsync".to_owned(), "off".to_owned()),
            ("synchronous_commit".to_owned(), "off".to_owned()),
            ("full_page_writes".to_owned(), "off".to_owned()),
            (
                "log_directory".to_owned(),
                self.log_dir().display().to_string(),
            ),
        ];
        lines.extend(settings.iter().cloned());
        let text: String = lines
            .iter()
            .map(|(name, value)| format!("{name} = '{}'\n", value.replace('\'', "''")))
            .collect();
        conf.write_all(format!("\n# written by dbwise\n{text}").as_bytes())
            .map_err(|source| PgError::io("write postgresql.conf", source))
    }

    fn launch(&mut self, timeout: Duration) -> Result<(), PgError> {
        let server_log = self.log_dir().join("server.log");
        let log =
            File::create(&server_log).map_err(|source| PgError::io("create server.log", source))?;
        if let Some(user) = &self.shared.run_as {
            std::os::unix::fs::chown(&server_log, Some(user.uid), Some(user.gid))
                .map_err(|source| PgError::io("give server.log to the server's OS user", source))?;
        }
        let child = self
            .shared
            .command("postgres")
            .arg("-D")
            .arg(self.data_dir())
            .stdin(Stdio::null())
            .stdout(
                log.try_clone()
                    .map_err(|source| PgError::io("open server.log", source))?,
            )
            .stderr(log)
            // Its own process group: a Ctrl-C in the terminal reaches dbwise, which then stops the
            // server in order, instead of the server dying half-way through a statement.
            .process_group(0)
            .spawn()
            .map_err(|source| PgError::io("start postgres", source))?;
        self.child = Some(child);
        let deadline = Instant::now() + timeout;
        loop {
            if self.config("postgres").connect(postgres::NoTls).is_ok() {
                return Ok(());
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten())
                .is_some();
            if exited || Instant::now() > deadline {
                return Err(PgError::ServerFailed {
                    step: if exited {
                        "postgres exited during start-up"
                    } else {
                        "postgres did not accept connections in time"
                    },
                    log: tail(&server_log),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The temporary directory: it holds the data directory, the unix socket and the logs.
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    pub fn data_dir(&self) -> PathBuf {
        self.shared.data_dir()
    }

    /// Where the server writes its logs: `server.log` (stderr) and, when `logging_collector` is
    /// switched on through the settings, the collector's files.
    pub fn log_dir(&self) -> PathBuf {
        self.shared.root.join("log")
    }

    /// The files in [`TempCluster::log_dir`], sorted by name.
    pub fn log_files(&self) -> Result<Vec<PathBuf>, PgError> {
        let mut files: Vec<PathBuf> = fs::read_dir(self.log_dir())
            .map_err(|source| PgError::io("list the log directory", source))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        Ok(files)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory holding the unix socket (`host` for libpq clients).
    pub fn socket_dir(&self) -> &Path {
        &self.shared.root
    }

    /// A libpq connection string, for `psql` and other tools.
    pub fn connection_string(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={dbname}",
            self.shared.root.display(),
            self.port
        )
    }

    pub fn config(&self, dbname: &str) -> postgres::Config {
        let mut config = postgres::Config::new();
        config
            .host_path(&self.shared.root)
            .port(self.port)
            .user("postgres")
            .dbname(dbname)
            .application_name("dbwise")
            .connect_timeout(Duration::from_secs(10));
        config
    }

    pub fn connect(&self, dbname: &str) -> Result<postgres::Client, PgError> {
        self.config(dbname)
            .connect(postgres::NoTls)
            .map_err(PgError::Connect)
    }

    /// Create an empty database (from `template0`) and return a connection to it.
    pub fn create_database(&self, name: &str) -> Result<postgres::Client, PgError> {
        let mut admin = self.connect("postgres")?;
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE template0",
                quote_ident(name)
            ))
            .map_err(PgError::Query)?;
        self.connect(name)
    }

    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Stop the server and delete the directory, reporting failures (dropping does the same
    /// silently).
    pub fn stop(mut self) -> Result<(), PgError> {
        let result = self.shared.stop();
        self.reap();
        result
    }

    fn reap(&mut self) {
        if let Some(mut child) = self.child.take() {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let _ = self.shared.stop();
        self.reap();
    }
}

impl Shared {
    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// A command for one of the server binaries, run as the unprivileged user when needed.
    fn command(&self, tool: &str) -> Command {
        let program = self.bin_dir.join(tool);
        match &self.run_as {
            Some(user) => {
                let mut command = Command::new("setpriv");
                command
                    .arg(format!("--reuid={}", user.uid))
                    .arg(format!("--regid={}", user.gid))
                    .arg("--init-groups")
                    .arg("--")
                    .arg(program)
                    .env("USER", &user.name)
                    .env("HOME", &self.root);
                command
            }
            None => Command::new(program),
        }
    }

    fn stop(&self) -> Result<(), PgError> {
        let mut stopped = self
            .stopped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *stopped {
            return Ok(());
        }
        *stopped = true;
        if self.data_dir().join("postmaster.pid").exists() {
            // "fast" rolls back open transactions and stops at once; -w waits for the exit.
            let _ = self
                .command("pg_ctl")
                .arg("stop")
                .arg("-D")
                .arg(self.data_dir())
                .args(["-m", "fast", "-w", "-t", "30"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        fs::remove_dir_all(&self.root)
            .map_err(|source| PgError::io("remove the temporary cluster directory", source))
    }
}

/// Where the PostgreSQL server binaries are.
pub fn find_bin_dir() -> Result<PathBuf, PgError> {
    if let Some(dir) = std::env::var_os("DBWISE_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .collect();
    versioned.sort();
    if let Some((_, bin)) = versioned.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| dir.join("initdb").is_file())
        .ok_or(PgError::NoServerBinaries)
}

/// Double-quote an identifier for SQL.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn current_uid() -> Result<u32, PgError> {
    fs::metadata("/proc/self")
        .map(|meta| meta.uid())
        .map_err(|source| PgError::io("find the current user", source))
}

fn lookup_user(name: &str) -> Result<OsUser, PgError> {
    let passwd = fs::read_to_string("/etc/passwd")
        .map_err(|source| PgError::io("read /etc/passwd", source))?;
    passwd
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.len() > 3 && fields[0] == name).then(|| {
                Some(OsUser {
                    name: name.to_owned(),
                    uid: fields[2].parse().ok()?,
                    gid: fields[3].parse().ok()?,
                })
            })?
        })
        .next()
        .ok_or_else(|| PgError::NoOsUser {
            name: name.to_owned(),
        })
}

fn free_port() -> Result<u16, PgError> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|source| PgError::io("find a free port", source))
}

/// The last lines of a log file, for error messages.
fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
