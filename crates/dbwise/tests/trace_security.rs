//! `dbwise migrate trace` against hostile input and hostile neighbours: every attack of the
//! hardening review, run for real on throwaway clusters.

mod support;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use dbwise_pg::{TempCluster, TempClusterOptions};
use serde_json::Value;
use support::{stderr, stdout, write};

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn trace(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(["migrate", "trace", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn statements(output: &Output) -> Vec<Value> {
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(output), stderr(output)));
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["statements"].as_array().unwrap().clone())
        .collect()
}

fn sqlstate(statement: &Value) -> &str {
    statement["outcome"]["sqlstate"].as_str().unwrap_or("")
}

/// Poll `done` until it holds or `limit` passes.
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

#[test]
fn another_os_user_cannot_reach_the_cluster() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mode = fs::metadata(cluster.root()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the cluster folder must be private");
    let psql = dbwise_pg::find_bin_dir().unwrap().join("psql");
    // Without the password, even the server's own OS user is refused.
    let no_password = format!(
        "host={} port={} user=postgres dbname=postgres",
        cluster.socket_dir().display(),
        cluster.port()
    );
    let mut as_server_user = Command::new(&psql);
    if is_root() {
        as_server_user = Command::new("setpriv");
        as_server_user.args(["--reuid=postgres", "--regid=postgres", "--clear-groups"]);
        as_server_user.arg(&psql);
    }
    let refused = as_server_user
        .args([no_password.as_str(), "-w", "-c", "SELECT 1"])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert!(!refused.status.success(), "connected without a password");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("password"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    if !is_root() {
        eprintln!(
            "notice: not root, so the test cannot act as a second OS user; skipped that part"
        );
        return;
    }
    // Another OS user cannot even reach the socket, password or not.
    let outsider = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        .arg(&psql)
        .args([
            cluster.connection_string("postgres").as_str(),
            "-w",
            "-c",
            "SELECT 1",
        ])
        .output()
        .unwrap();
    assert!(!outsider.status.success(), "another OS user connected");
    assert!(
        String::from_utf8_lossy(&outsider.stderr).contains("Permission denied"),
        "{}",
        String::from_utf8_lossy(&outsider.stderr)
    );
}

#[test]
fn root_creates_no_file_in_the_server_users_folder() {
    if !is_root() {
        eprintln!(
            "notice: not root; the cluster runs as the current user and there is no second owner to check"
        );
        return;
    }
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let server_uid = fs::metadata(cluster.root()).unwrap().uid();
    assert_ne!(
        server_uid, 0,
        "the folder is handed to the server's OS user"
    );
    let mut pending = vec![cluster.root().to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            assert_eq!(
                meta.uid(),
                server_uid,
                "{} belongs to uid {}: root wrote in a folder the server's user controls",
                path.display(),
                meta.uid()
            );
            if meta.is_dir() {
                pending.push(path);
            }
        }
    }
}

#[test]
fn traced_sql_cannot_reach_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran-a-program");
    write(
        dir.path(),
        "attacks.sql",
        &format!(
            "COPY (SELECT 1) TO PROGRAM 'touch {}';\n\
             SELECT pg_read_file('/etc/passwd');\n\
             SELECT lo_export(lo_from_bytea(0, 'x'), '{}');\n\
             SELECT pg_ls_dir('/');\n\
             CREATE ROLE intruder SUPERUSER;\n\
             CREATE EXTENSION IF NOT EXISTS pgcrypto;\n",
            marker.display(),
            dir.path().join("exported").display()
        ),
    );
    let output = trace(dir.path(), &["attacks.sql"]);
    let steps = statements(&output);
    assert_eq!(steps.len(), 6, "{}", stdout(&output));
    for step in &steps[..5] {
        assert_eq!(
            sqlstate(step),
            "42501",
            "must fail for lack of privilege: {step}"
        );
    }
    assert_eq!(
        steps[5]["outcome"]["status"], "ok",
        "an extension the server has is still created: {}",
        steps[5]
    );
    assert!(steps[5]["note"].as_str().unwrap().contains("superuser"));
    assert!(!marker.exists(), "COPY TO PROGRAM ran a program");
    assert!(!dir.path().join("exported").exists());
}

#[test]
fn the_server_does_not_inherit_dbwise_environment() {
    let secret = format!("dbwise-secret-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "slow.sql", "SELECT pg_sleep(2);\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(["migrate", "trace", "slow.sql"])
        .current_dir(dir.path())
        .env("DBWISE_TEST_TOKEN", &secret)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let me = child.id();
    let mut seen_server = false;
    let finished = wait_for(Duration::from_secs(60), || {
        for (pid, environ) in process_environments() {
            if pid == me {
                continue;
            }
            assert!(
                !environ
                    .windows(secret.len())
                    .any(|w| w == secret.as_bytes()),
                "process {pid} carries dbwise's environment"
            );
            seen_server |= environ.windows(7).any(|w| w == b"LC_ALL=") && pid != me;
        }
        matches!(child.try_wait(), Ok(Some(_)))
    });
    assert!(finished, "the trace did not finish");
    assert!(
        seen_server,
        "no server process was seen while the trace ran"
    );
}

/// The environment of every server-side process on the machine: PostgreSQL's programs and the
/// clean-up watcher (a process dbwise is still forking shows dbwise's own name until it execs).
fn process_environments() -> Vec<(u32, Vec<u8>)> {
    fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let name = fs::read_to_string(entry.path().join("comm")).ok()?;
            ["postgres", "sh", "initdb", "pg_ctl"]
                .contains(&name.trim())
                .then_some(())?;
            Some((pid, fs::read(entry.path().join("environ")).ok()?))
        })
        .collect()
}

#[test]
fn a_hidden_commit_against_a_database_changes_nothing() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut client = cluster.create_database("shop").unwrap();
    client
        .batch_execute("CREATE TABLE accounts (id int); INSERT INTO accounts VALUES (1);")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // `a$$$` is an identifier to PostgreSQL, not the start of a dollar quote.
    write(
        dir.path(),
        "sneaky.sql",
        "ALTER TABLE accounts ADD COLUMN a$$$ int; COMMIT; DROP TABLE accounts;\n\
         SET standard_conforming_strings = off;\n\
         SELECT 'it''s \\'; COMMIT; DROP TABLE accounts; --';\n",
    );
    let url = cluster.connection_string("shop");
    let output = trace(dir.path(), &["sneaky.sql", "--database-url", &url]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&output)
    );
    let columns: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(columns, 1, "the ALTER was committed: {}", stdout(&output));
    let rows: i64 = client
        .query_one("SELECT count(*) FROM accounts", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
    let steps = statements(&output);
    assert!(
        steps
            .iter()
            .filter(|s| s["sql"]
                .as_str()
                .unwrap()
                .contains("standard_conforming_strings"))
            .all(|s| s["outcome"]["status"] == "skipped"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_looping_do_block_stops_at_the_statement_timeout() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "loop.sql",
        "DO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$;\n",
    );
    let output = trace(dir.path(), &["loop.sql", "--statement-timeout", "1s"]);
    let steps = statements(&output);
    assert_eq!(sqlstate(&steps[0]), "57014", "{}", stdout(&output));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_bad_timeout_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.sql", "SELECT 1;\n");
    let output = trace(dir.path(), &["a.sql", "--lock-timeout", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("lock_timeout"),
        "{}",
        stderr(&output)
    );
}

/// Start a trace of a long statement with its temporary folders under `tmp`, and wait until its
/// server runs. Returns dbwise, the cluster folder and the server's process id.
fn start_long_trace(tmp: &Path) -> (Child, PathBuf, u32) {
    write(tmp, "slow.sql", "SELECT pg_sleep(60);\n");
    let child = Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(["migrate", "trace", "slow.sql"])
        .current_dir(tmp)
        .env("TMPDIR", tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut found = None;
    let started = wait_for(Duration::from_secs(60), || {
        found = cluster_folder(tmp).and_then(|root| {
            let pid = fs::read_to_string(root.join("data/postmaster.pid")).ok()?;
            let pid: u32 = pid.lines().next()?.trim().parse().ok()?;
            Some((root, pid))
        });
        found.is_some()
    });
    assert!(started, "no server started");
    let (root, pid) = found.unwrap();
    // Let the statement start.
    std::thread::sleep(Duration::from_millis(500));
    (child, root, pid)
}

fn cluster_folder(tmp: &Path) -> Option<PathBuf> {
    fs::read_dir(tmp)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("dbwise-pg-"))
        })
}

fn killed_trace_leaves_nothing(signal: libc::c_int) {
    let tmp = tempfile::tempdir().unwrap();
    // The server's OS user must be able to walk to its folder.
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o711)).unwrap();
    let (mut child, root, server) = start_long_trace(tmp.path());
    // SAFETY: sending a signal to our own child.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
    child.wait().unwrap();
    let gone = wait_for(Duration::from_secs(30), || {
        !Path::new(&format!("/proc/{server}")).exists() && !root.exists()
    });
    assert!(
        gone,
        "after signal {signal}: server alive: {}, folder left: {}",
        Path::new(&format!("/proc/{server}")).exists(),
        root.exists()
    );
}

#[test]
fn sigterm_leaves_no_server_and_no_folder() {
    killed_trace_leaves_nothing(libc::SIGTERM);
}

#[test]
fn sigkill_leaves_no_server_and_no_folder() {
    killed_trace_leaves_nothing(libc::SIGKILL);
}

#[test]
fn passwords_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.sql", "SELECT 1;\n");
    for url in [
        "postgres://app:s3cretpw@127.0.0.1:1/db?connect_timeout=2",
        "postgres://app@127.0.0.1:1/db?password=s3cretpw&connect_timeout=2",
        "host=127.0.0.1 port=1 user=app password=s3cretpw connect_timeout=2",
        "host=127.0.0.1 port=1 password = 's3cretpw' connect_timeout=2",
    ] {
        let traced = trace(dir.path(), &["a.sql", "--database-url", url]);
        let linted = support::dbwise(dir.path(), &["lint", "a.sql", "--database-url", url]);
        for output in [traced, linted] {
            assert_eq!(output.status.code(), Some(2), "{url}");
            let all = format!("{}{}", stdout(&output), stderr(&output));
            assert!(!all.contains("s3cretpw"), "{url} leaked: {all}");
            assert!(all.contains("***"), "{all}");
        }
    }
}
