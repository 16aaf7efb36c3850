//! Throwaway PostgreSQL clusters: `initdb` into a private temporary directory, a server listening
//! only on a unix socket inside that directory, stopped and deleted when the [`TempCluster`] is
//! dropped or [`StopHandle::stop`] is called (for signal handlers).
//!
//! The cluster is no way into the machine for anyone else:
//! - the directory is mode 0700, set explicitly, and holds the socket, so no other OS user can
//!   reach the server;
//! - every role logs in with a random password (`scram-sha-256` for local and TCP connections),
//!   so a reachable socket is still no entry;
//! - the server and `initdb` run with a cleared environment, and their output goes through pipes
//!   into a bounded in-memory tail: dbwise never creates a file in a folder the server's OS
//!   user can write;
//! - the server dies with dbwise, whatever kills dbwise: it gets `SIGQUIT` (immediate shutdown)
//!   when the thread that started it exits, and a small watcher process, started first and in a
//!   session of its own, removes the directory once dbwise and the server are gone.
//!
//! `initdb` and `postgres` refuse to run as root. When the current user is root the cluster is
//! created and run as an unprivileged OS user (`postgres` by default), with the temporary
//! directory owned by that user.

use std::collections::VecDeque;
use std::ffi::CString;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::PgError;

/// The role that owns the scratch databases made by [`TempCluster::create_owned_database`]: an
/// ordinary role, not a superuser, so that SQL run as it cannot reach the host.
pub const OWNER_ROLE: &str = "dbwise_owner";

/// How much of the server's own output is kept for error messages.
const OUTPUT_TAIL_BYTES: usize = 64 << 10;

/// The watcher: it reads the server's process id from standard input, and once the pipe closes
/// (dbwise exited, however it ended) waits for that process to go, then removes the directory.
const WATCHER: &str = r#"pid=
while IFS= read -r line; do pid=$line; done
if [ -n "$pid" ]; then
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    waited=$((waited + 1))
    if [ "$waited" -gt 300 ]; then kill -KILL "$pid" 2>/dev/null; fi
    sleep 0.1
  done
fi
rm -rf -- "$1"
"#;

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
///
/// The server is tied to the thread that starts it: it shuts down when that thread exits.
pub struct TempCluster {
    shared: Arc<Shared>,
    child: Option<Child>,
    port: u16,
    /// The last lines the server wrote to its standard output and error.
    output: Arc<Mutex<VecDeque<u8>>>,
}

/// What both the cluster and a [`StopHandle`] need to shut the server down and delete it.
struct Shared {
    root: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<OsUser>,
    /// The password of the superuser `postgres` and of [`OWNER_ROLE`].
    password: String,
    /// The watcher's end of the pipe and its process: closing the pipe tells it dbwise is done.
    watcher: Mutex<Option<(ChildStdin, Child)>>,
    stopped: Mutex<bool>,
}

#[derive(Debug, Clone)]
struct OsUser {
    uid: u32,
    gid: u32,
}

/// A cloneable, thread-safe way to stop a [`TempCluster`] from elsewhere (a signal handler).
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
        // SAFETY: geteuid has no preconditions.
        let run_as = if unsafe { libc::geteuid() } == 0 {
            Some(lookup_user(&options.os_user)?)
        } else {
            None
        };
        let root = tempfile::Builder::new()
            .prefix("dbwise-pg-")
            .tempdir()
            .map_err(|source| PgError::io("create a temporary directory", source))?
            .keep();
        // The watcher goes first, so that no later failure or signal can leave the folder behind.
        let watcher = spawn_watcher(&root);
        let shared = Arc::new(Shared {
            root,
            bin_dir,
            run_as,
            password: random_password()?,
            watcher: Mutex::new(None),
            stopped: Mutex::new(false),
        });
        // From here on, dropping `cluster` removes the directory, whatever fails.
        let mut cluster = TempCluster {
            shared,
            child: None,
            port: free_port()?,
            output: Arc::new(Mutex::new(VecDeque::new())),
        };
        *cluster.shared.lock_watcher() =
            Some(watcher.map_err(|source| PgError::io("start the clean-up watcher", source))?);
        cluster.init()?;
        let settings = cluster.server_settings(&options.settings);
        cluster.launch(&settings, options.start_timeout)?;
        Ok(cluster)
    }

    fn init(&self) -> Result<(), PgError> {
        let root = &self.shared.root;
        // Private whatever the umask; the socket lives here too.
        fs::set_permissions(root, fs::Permissions::from_mode(0o700))
            .map_err(|source| PgError::io("make the temporary directory private", source))?;
        fs::DirBuilder::new()
            .mode(0o700)
            .create(self.log_dir())
            .map_err(|source| PgError::io("create the log directory", source))?;
        // Written while the directory is still only dbwise's: nobody can have put a link there.
        let pwfile = root.join("pwfile");
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&pwfile)
            .map_err(|source| PgError::io("create the password file", source))?;
        file.write_all(self.shared.password.as_bytes())
            .map_err(|source| PgError::io("write the password file", source))?;
        if let Some(user) = &self.shared.run_as {
            let give = |path: &Path| std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid));
            std::os::unix::fs::fchown(&file, Some(user.uid), Some(user.gid))
                .and_then(|()| give(&self.log_dir()))
                .and_then(|()| give(root))
                .map_err(|source| {
                    PgError::io(
                        "give the temporary directory to the server's OS user",
                        source,
                    )
                })?;
        }
        drop(file);
        let output = self
            .shared
            .command("initdb")
            .arg("-D")
            .arg(self.data_dir())
            .arg(format!("--pwfile={}", pwfile.display()))
            .args([
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ])
            .stdin(Stdio::null())
            .output();
        let removed = fs::remove_file(&pwfile);
        let output = output.map_err(|source| PgError::io("run initdb", source))?;
        removed.map_err(|source| PgError::io("remove the password file", source))?;
        if !output.status.success() {
            let mut log = output.stdout;
            log.extend_from_slice(&output.stderr);
            return Err(PgError::ServerFailed {
                step: "initdb",
                log: last_lines(&log),
            });
        }
        Ok(())
    }

    /// The server's settings, given on its command line: dbwise writes nothing into the data
    /// directory, which belongs to the server's OS user. `settings` come last, so they win.
    fn server_settings(&self, settings: &[(String, String)]) -> Vec<String> {
        let root = self.shared.root.display().to_string();
        let own = [
            ("listen_addresses", String::new()),
            ("port", self.port.to_string()),
            ("unix_socket_directories", root),
            ("unix_socket_permissions", "0700".to_owned()),
            ("fsync", "off".to_owned()),
            ("synchronous_commit", "off".to_owned()),
            ("full_page_writes", "off".to_owned()),
            ("log_directory", self.log_dir().display().to_string()),
        ];
        own.iter()
            .map(|(name, value)| (*name, value.as_str()))
            .chain(settings.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .flat_map(|(name, value)| ["-c".to_owned(), format!("{name}={value}")])
            .collect()
    }

    fn launch(&mut self, settings: &[String], timeout: Duration) -> Result<(), PgError> {
        let (reader, writer) =
            std::io::pipe().map_err(|source| PgError::io("create the server's pipe", source))?;
        let child = self
            .shared
            .command("postgres")
            .arg("-D")
            .arg(self.data_dir())
            .args(settings)
            .stdin(Stdio::null())
            .stdout(
                writer
                    .try_clone()
                    .map_err(|source| PgError::io("create the server's pipe", source))?,
            )
            .stderr(writer)
            // Its own process group: a Ctrl-C in the terminal reaches dbwise, which then stops the
            // server in order, instead of the server dying half-way through a statement.
            .process_group(0)
            .spawn()
            .map_err(|source| PgError::io("start postgres", source))?;
        if let Some((pipe, _)) = self.shared.lock_watcher().as_mut() {
            // A watcher that cannot be told only means a folder left behind after a SIGKILL.
            let _ = writeln!(pipe, "{}", child.id());
        }
        self.child = Some(child);
        let output = Arc::clone(&self.output);
        std::thread::spawn(move || keep_tail(reader, &output));
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
                    log: self.server_output(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last lines the server wrote to its standard output and error.
    pub fn server_output(&self) -> String {
        let tail = self
            .output
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (front, back) = tail.as_slices();
        last_lines(&[front, back].concat())
    }

    /// The temporary directory: it holds the data directory, the unix socket and the logs.
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    pub fn data_dir(&self) -> PathBuf {
        self.shared.data_dir()
    }

    /// Where the server's logging collector writes, when `logging_collector` is switched on
    /// through the settings.
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

    /// A libpq connection string for the superuser, password included, for `psql` and other
    /// tools.
    pub fn connection_string(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres password={} dbname={dbname}",
            self.shared.root.display(),
            self.port,
            self.shared.password
        )
    }

    /// The same as a `postgresql://` URL (the socket folder percent-encoded as its host).
    pub fn url(&self, dbname: &str) -> String {
        let socket = self.shared.root.display().to_string().replace('/', "%2F");
        format!(
            "postgresql://postgres:{}@{socket}:{}/{dbname}",
            self.shared.password, self.port
        )
    }

    /// Connection settings for the superuser `postgres`.
    pub fn config(&self, dbname: &str) -> postgres::Config {
        self.config_as("postgres", dbname)
    }

    fn config_as(&self, user: &str, dbname: &str) -> postgres::Config {
        let mut config = postgres::Config::new();
        config
            .host_path(&self.shared.root)
            .port(self.port)
            .user(user)
            .password(&self.shared.password)
            .dbname(dbname)
            .application_name("dbwise")
            .connect_timeout(Duration::from_secs(10));
        config
    }

    /// A superuser connection.
    pub fn connect(&self, dbname: &str) -> Result<postgres::Client, PgError> {
        self.config(dbname)
            .connect(postgres::NoTls)
            .map_err(PgError::Connect)
    }

    /// A connection as [`OWNER_ROLE`], the ordinary role that owns the databases made by
    /// [`TempCluster::create_owned_database`].
    pub fn connect_as_owner(&self, dbname: &str) -> Result<postgres::Client, PgError> {
        self.config_as(OWNER_ROLE, dbname)
            .connect(postgres::NoTls)
            .map_err(PgError::Connect)
    }

    /// Create an empty database (from `template0`) and return a superuser connection to it.
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

    /// Create an empty database owned by [`OWNER_ROLE`] (an ordinary role: it may create
    /// schemas and objects in its database, and nothing a superuser alone may do), and return a
    /// connection to it as that role.
    pub fn create_owned_database(&self, name: &str) -> Result<postgres::Client, PgError> {
        let mut admin = self.connect("postgres")?;
        let exists = admin
            .query_opt(
                "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1",
                &[&OWNER_ROLE],
            )
            .map_err(PgError::Query)?
            .is_some();
        if !exists {
            // The password is hexadecimal, so it needs no escaping.
            admin
                .batch_execute(&format!(
                    "CREATE ROLE {} LOGIN PASSWORD '{}'",
                    quote_ident(OWNER_ROLE),
                    self.shared.password
                ))
                .map_err(PgError::Query)?;
        }
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {} OWNER {} TEMPLATE template0",
                quote_ident(name),
                quote_ident(OWNER_ROLE)
            ))
            .map_err(PgError::Query)?;
        self.connect_as_owner(name)
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
        if let Some((pipe, mut watcher)) = self.shared.lock_watcher().take() {
            drop(pipe);
            let _ = watcher.wait();
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

    fn lock_watcher(&self) -> std::sync::MutexGuard<'_, Option<(ChildStdin, Child)>> {
        self.watcher
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A command for one of the server binaries: a cleared environment, the unprivileged user
    /// when dbwise is root, and death when the thread that started it exits.
    fn command(&self, tool: &str) -> Command {
        let mut command = Command::new(self.bin_dir.join(tool));
        command
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LC_ALL", "C")
            .env("HOME", &self.root);
        let run_as = self.run_as.as_ref().map(|user| (user.uid, user.gid));
        // SAFETY: between fork and exec the closure calls only async-signal-safe functions
        // (setgroups, setgid, setuid, prctl, getppid) and allocates nothing.
        unsafe {
            command.pre_exec(move || become_server_process(run_as));
        }
        command
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
        match fs::remove_dir_all(&self.root) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(PgError::io("remove the temporary cluster directory", error))
            }
            _ => Ok(()),
        }
    }
}

/// In the child, before exec: drop to the server's OS user, and ask for `SIGQUIT` (the server's
/// immediate shutdown) when the thread that started it exits. `setuid` clears the death signal,
/// so it is set after the user change, and a parent that died in between is caught by
/// `getppid`.
fn become_server_process(run_as: Option<(u32, u32)>) -> std::io::Result<()> {
    // SAFETY: plain system calls on values owned by this closure.
    unsafe {
        let parent = libc::getppid();
        if let Some((uid, gid)) = run_as {
            let groups = [gid];
            if libc::setgroups(1, groups.as_ptr()) != 0
                || libc::setgid(gid) != 0
                || libc::setuid(uid) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
        }
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::getppid() != parent {
            return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
        }
    }
    Ok(())
}

/// Start the watcher (see [`WATCHER`]) in a session of its own, so that neither a Ctrl-C in the
/// terminal nor a closed terminal stops it with dbwise.
fn spawn_watcher(root: &Path) -> std::io::Result<(ChildStdin, Child)> {
    let mut command = Command::new("/bin/sh");
    command
        .arg("-c")
        .arg(WATCHER)
        .arg("dbwise-watcher")
        .arg(root)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn()?;
    let pipe = child.stdin.take().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the watcher has no stdin")
    })?;
    Ok((pipe, child))
}

/// Read the server's output until every process holding the pipe is gone, keeping the last
/// [`OUTPUT_TAIL_BYTES`].
fn keep_tail(reader: std::io::PipeReader, tail: &Mutex<VecDeque<u8>>) {
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    while reader
        .read_until(b'\n', &mut line)
        .is_ok_and(|read| read > 0)
    {
        let mut tail = tail.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let keep = line.len().min(OUTPUT_TAIL_BYTES);
        tail.extend(&line[line.len() - keep..]);
        let excess = tail.len().saturating_sub(OUTPUT_TAIL_BYTES);
        tail.drain(..excess);
        line.clear();
    }
}

/// Thirty-two random bytes as hexadecimal.
fn random_password() -> Result<String, PgError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        PgError::io(
            "draw a random password",
            std::io::Error::other(error.to_string()),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
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

/// The OS user `name`, from the system's user database.
fn lookup_user(name: &str) -> Result<OsUser, PgError> {
    let missing = || PgError::NoOsUser {
        name: name.to_owned(),
    };
    let c_name = CString::new(name).map_err(|_| missing())?;
    let mut buffer = vec![0 as libc::c_char; 16 << 10];
    // SAFETY: an all-zero passwd is a valid value for getpwnam_r to fill.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call, and the buffer's length is passed with it.
    let status = unsafe {
        libc::getpwnam_r(
            c_name.as_ptr(),
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    if status != 0 || found.is_null() {
        return Err(missing());
    }
    Ok(OsUser {
        uid: entry.pw_uid,
        gid: entry.pw_gid,
    })
}

fn free_port() -> Result<u16, PgError> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|source| PgError::io("find a free port", source))
}

/// The last lines of a program's output, for error messages.
fn last_lines(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
