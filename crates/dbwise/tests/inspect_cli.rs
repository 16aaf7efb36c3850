//! `dbwise inspect` on a throwaway primary seeded with known problems: each is found, a clean
//! database gives nothing, every SQL statement suggested runs on the server, and the server's
//! log (log_statement = all) shows only reads from application_name = dbwise.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use dbwise_pg::{TempCluster, TempClusterOptions};
use serde_json::Value;
use support::{stderr, stdout, write};

/// A superuser connection that does not call itself dbwise, so that the log tells it apart.
fn seed(cluster: &TempCluster, database: &str) -> postgres::Client {
    let text = format!(
        "{} application_name=seed",
        cluster.connection_string(database)
    );
    postgres::Client::connect(&text, postgres::NoTls).unwrap()
}

fn inspect(dir: &Path, url: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbwise"))
        .args(["inspect", "--format", "json", "--stats-min-age", "0"])
        .args(extra)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DBWISE_DATABASE_URL", url)
        .output()
        .unwrap()
}

/// (rule, object) of every finding, and the report.
fn findings(output: &Output) -> (Vec<(String, String)>, Value) {
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(output), stderr(output)));
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["object"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (found, report)
}

const SHOP: &str = "
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL);
INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'name ' || (g % 100)
    FROM generate_series(1, 20000) g;
CREATE INDEX customers_email_idx ON customers (email);
CREATE INDEX customers_email_name_idx ON customers (email, name);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,
                     status text NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 20000, 'new' FROM generate_series(1, 50000) g;
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE tickets (id serial PRIMARY KEY, note text);
SELECT setval('tickets_id_seq', 1997159792);
INSERT INTO tickets (note) VALUES ('one');
CREATE TABLE page_views (page_id bigint NOT NULL, viewed_at timestamptz NOT NULL);
CREATE TABLE jobs (id bigint PRIMARY KEY, payload text NOT NULL)
    WITH (autovacuum_enabled = off);
INSERT INTO jobs SELECT g, repeat('x', 60) FROM generate_series(1, 300000) g;
DELETE FROM jobs WHERE id % 10 <> 0;
ANALYZE;
";

const CLEAN: &str = "
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO accounts (email) SELECT 'a' || g FROM generate_series(1, 100) g;
ANALYZE;
";

#[test]
fn a_seeded_primary_shows_each_problem_and_a_clean_database_none() {
    let cluster = TempCluster::start(
        TempClusterOptions::default()
            .setting("autovacuum", "off")
            .setting("logging_collector", "on")
            .setting("log_statement", "all")
            .setting("log_line_prefix", "[%a] ")
            .setting("shared_preload_libraries", "pg_stat_statements"),
    )
    .unwrap();
    cluster.create_database("shop").unwrap();
    cluster.create_database("clean").unwrap();
    // The workload is read too, so the log shows that its COPY writes nothing either.
    seed(&cluster, "shop")
        .batch_execute("CREATE EXTENSION pg_stat_statements")
        .unwrap();
    seed(&cluster, "clean").batch_execute(CLEAN).unwrap();
    let mut shop = seed(&cluster, "shop");
    shop.batch_execute(SHOP).unwrap();
    // A unique index built concurrently over duplicate names fails and stays, invalid.
    let failed = shop
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY customers_name_key ON customers (name)");
    assert!(failed.is_err());
    // A backend reports its table statistics when it goes idle, at most once a second, so the
    // writes above may not be counted yet: ask for the report and wait until it is in.
    shop.batch_execute("SELECT pg_stat_force_next_flush()")
        .unwrap();
    let mut watcher = seed(&cluster, "shop");
    let written = |c: &mut postgres::Client| -> i64 {
        c.query_one(
            "SELECT coalesce(sum(n_tup_ins), 0)::bigint FROM pg_stat_user_tables WHERE relname = 'orders'",
            &[],
        )
        .unwrap()
        .get(0)
    };
    for _ in 0..300 {
        if written(&mut watcher) > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        written(&mut watcher) > 0,
        "the writes to orders were never reported"
    );
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "dbwise.toml",
        "[lint.idle-in-transaction]\nidle-seconds = 1\n[lint.index-bloat]\nmin-size-mb = 1\n",
    );

    let clean = inspect(dir.path(), &cluster.url("clean"), &[]);
    let (found, _) = findings(&clean);
    assert_eq!(found, Vec::<(String, String)>::new(), "{}", stderr(&clean));
    assert_eq!(clean.status.code(), Some(0));

    // A session that began a transaction and waits.
    let mut idle = seed(&cluster, "shop");
    idle.batch_execute("BEGIN; SELECT count(*) FROM orders;")
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let logged_before = log_text(&cluster).len();
    let output = inspect(dir.path(), &cluster.url("shop"), &[]);
    let (found, report) = findings(&output);
    let has = |rule: &str, object: &str| found.iter().any(|(r, o)| r == rule && o == object);
    for (rule, object) in [
        ("unused-index", "public.orders_status_idx"),
        ("redundant-index", "public.customers_email_idx"),
        ("invalid-index", "public.customers_name_key"),
        ("sequence-near-exhaustion", "public.tickets_id_seq"),
        (
            "foreign-key-without-index",
            "public.orders.orders_customer_id_fkey",
        ),
        ("missing-primary-key", "public.page_views"),
        ("table-bloat", "public.jobs"),
        // Nine in ten of the key's entries were deleted, and a B-tree keeps their pages.
        ("index-bloat", "public.jobs_pkey"),
    ] {
        assert!(
            has(rule, object),
            "no {rule} on {object} in {found:?}\n{}",
            stderr(&output)
        );
    }
    assert!(
        found
            .iter()
            .any(|(r, o)| r == "idle-in-transaction" && o.starts_with("session ")),
        "{found:?}"
    );
    // Keys and unique indexes are never unused indexes.
    assert!(!has("unused-index", "public.orders_pkey"), "{found:?}");
    // An index whose entries fill it is not bloated.
    assert!(
        !found
            .iter()
            .any(|(r, o)| r == "index-bloat" && o != "public.jobs_pkey"),
        "{found:?}"
    );
    // The sequence at 93% is an error, so the run fails as lint does.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!stdout(&output).contains(&password(&cluster)));
    assert!(!stderr(&output).contains(&password(&cluster)));

    assert!(report["workload"]["queries"].is_array(), "{report}");
    let logged = log_text(&cluster);
    let copy = logged[logged_before..]
        .lines()
        .filter(|line| line.starts_with("[dbwise] LOG:  "))
        .find(|line| line.contains("COPY") || line.contains("The statements pg_stat_statements"));
    assert!(
        copy.is_some(),
        "no COPY of pg_stat_statements logged:\n{}",
        &logged[logged_before..]
    );
    assert_only_reads_logged(&logged[logged_before..]);

    // Every statement suggested runs (the invalid unique index once its duplicates are gone).
    drop(idle);
    shop.batch_execute("UPDATE customers SET name = name || id")
        .unwrap();
    // Two findings may suggest the same statement (an index both unused and redundant).
    let mut ran = std::collections::BTreeSet::new();
    for diagnostic in report["diagnostics"].as_array().unwrap() {
        for sql in diagnostic["suggestion"]["sql"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let sql = sql.as_str().unwrap();
            if ran.insert(sql.to_owned()) {
                shop.batch_execute(sql)
                    .unwrap_or_else(|e| panic!("suggested SQL failed: {sql}: {e:?}"));
            }
        }
    }
    assert!(ran.len() >= 6, "only {ran:?} suggested");
}

fn password(cluster: &TempCluster) -> String {
    let text = cluster.connection_string("x");
    let at = text.find("password=").unwrap() + "password=".len();
    text[at..].split(' ').next().unwrap().to_owned()
}

fn log_text(cluster: &TempCluster) -> String {
    // The logging collector writes shortly after the statement.
    std::thread::sleep(Duration::from_millis(500));
    cluster
        .log_files()
        .unwrap()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Every statement the log shows from application_name = dbwise reads or controls the
/// transaction, and at least one did. A log entry starts with the `[application] ` prefix; the
/// lines of a statement of several lines follow it; leading comments are skipped.
fn assert_only_reads_logged(log: &str) {
    let mut entries: Vec<String> = Vec::new();
    for line in log.lines() {
        match entries.last_mut() {
            Some(entry) if !line.starts_with('[') => {
                entry.push('\n');
                entry.push_str(line);
            }
            _ => entries.push(line.to_owned()),
        }
    }
    let mut statements = 0;
    for entry in &entries {
        let Some(rest) = entry.strip_prefix("[dbwise] LOG:  ") else {
            continue;
        };
        let Some(text) = rest.strip_prefix("statement: ").or_else(|| {
            rest.strip_prefix("execute ")
                .and_then(|r| r.split_once(": ").map(|(_, t)| t))
        }) else {
            continue;
        };
        let statement: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join(" ")
            .trim_start()
            .to_ascii_uppercase();
        statements += 1;
        assert!(
            [
                "SELECT",
                "WITH",
                "START TRANSACTION READ ONLY",
                "SAVEPOINT",
                "RELEASE",
                "ROLLBACK"
            ]
            .iter()
            .any(|read| statement.starts_with(read))
                || (statement.starts_with("COPY (")
                    && statement
                        .trim_end()
                        .ends_with(") TO STDOUT WITH (FORMAT CSV, HEADER)")),
            "dbwise ran a statement that is not a read: {entry}"
        );
    }
    assert!(statements > 5, "no dbwise statement in the log:\n{log}");
}

/// A streaming standby of a primary, made by `pg_basebackup -R`, running until dropped (then
/// stopped at once, even when the test failed).
struct Standby {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Drop for Standby {
    fn drop(&mut self) {
        // SIGQUIT: the server's immediate shutdown.
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGQUIT);
        }
        let _ = self.child.wait();
    }
}

/// The OS user and group the server runs as: `postgres` when the tests run as root.
fn server_user() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let id = |flag: &str| {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .parse::<u32>()
            .unwrap()
    };
    Some((id("-u"), id("-g")))
}

fn as_server(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    if let Some((uid, gid)) = server_user() {
        command.uid(uid).gid(gid);
    }
    command
}

fn start_standby(primary: &TempCluster) -> Standby {
    let bin = dbwise_pg::find_bin_dir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    if let Some((uid, gid)) = server_user() {
        std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
    }
    let data = dir.path().join("data");
    let backup = as_server(&mut Command::new(bin.join("pg_basebackup")))
        .arg("-D")
        .arg(&data)
        .args(["-R", "-X", "stream", "-c", "fast", "-d"])
        .arg(primary.connection_string("postgres"))
        .output()
        .unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = as_server(&mut Command::new(bin.join("postgres")))
        .arg("-D")
        .arg(&data)
        .args([
            "-c",
            "listen_addresses=",
            "-c",
            "hot_standby=on",
            "-c",
            "logging_collector=off",
        ])
        .arg("-c")
        .arg(format!("port={port}"))
        .arg("-c")
        .arg(format!("unix_socket_directories={}", dir.path().display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let standby = Standby { child, dir, port };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let text = format!(
            "host={} port={port} user=postgres password={} dbname=shop application_name=seed",
            standby.dir.path().display(),
            password(primary)
        );
        if let Ok(mut client) = postgres::Client::connect(&text, postgres::NoTls) {
            let recovering: bool = client
                .query_one("SELECT pg_is_in_recovery()", &[])
                .unwrap()
                .get(0);
            assert!(recovering);
            return standby;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the standby did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_streaming_standby_is_inspected_without_writing() {
    let primary = TempCluster::start(TempClusterOptions::default()).unwrap();
    cluster_seed(&primary);
    let standby = start_standby(&primary);
    let socket = standby.dir.path().display().to_string().replace('/', "%2F");
    let url = format!(
        "postgresql://postgres:{}@{socket}:{}/shop",
        password(&primary),
        standby.port
    );
    let dir = tempfile::tempdir().unwrap();
    let output = inspect(dir.path(), &url, &[]);
    let (found, _) = findings(&output);
    let err = stderr(&output);
    assert!(err.contains(" standby, "), "{err}");
    assert!(
        err.contains("unused-index: not judged on a standby"),
        "{err}"
    );
    // The design rules still judge the schema the standby replays.
    assert!(
        found
            .iter()
            .any(|(r, o)| r == "missing-primary-key" && o == "public.page_views"),
        "{found:?}\n{err}"
    );
    assert!(!found.iter().any(|(r, _)| r == "unused-index"), "{found:?}");
}

fn cluster_seed(primary: &TempCluster) {
    primary.create_database("shop").unwrap();
    seed(primary, "shop")
        .batch_execute(
            "CREATE TABLE page_views (page_id bigint NOT NULL, viewed_at timestamptz NOT NULL);
             CREATE TABLE orders (id bigint PRIMARY KEY, status text);
             CREATE INDEX orders_status_idx ON orders (status);
             INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 1000) g;",
        )
        .unwrap();
}

/// Run the openssl command line in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command (Debian package openssl)");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        stderr(&output)
    );
}

/// A CA, a second CA that signed nothing of the server's, and a server certificate for
/// 127.0.0.1 signed by the first, in a folder the server's OS user can read.
fn certificates() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let days = ["-days", "2", "-nodes", "-newkey", "rsa:2048"];
    for ca in ["ca", "other_ca"] {
        let (key, pem, subject) = (
            format!("{ca}.key"),
            format!("{ca}.pem"),
            format!("/CN={ca}"),
        );
        openssl(
            d,
            &[
                &["req", "-x509"][..],
                &days,
                &["-subj", &subject, "-keyout", &key, "-out", &pem],
            ]
            .concat(),
        );
    }
    openssl(
        d,
        &[
            &["req"][..],
            &days,
            &[
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        ]
        .concat(),
    );
    write(d, "san.ext", "subjectAltName = IP:127.0.0.1\n");
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.pem",
        ],
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("server.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
    if let Some((uid, gid)) = server_user() {
        for name in [".", "server.key", "server.pem"] {
            std::os::unix::fs::chown(d.join(name), Some(uid), Some(gid)).unwrap();
        }
    }
    dir
}

#[test]
fn sslmode_from_the_url_is_honoured() {
    let certs = certificates();
    let file = |name: &str| certs.path().join(name).display().to_string();
    let cluster = TempCluster::start(
        TempClusterOptions::default()
            .setting("listen_addresses", "127.0.0.1")
            .setting("ssl", "on")
            .setting("ssl_cert_file", file("server.pem"))
            .setting("ssl_key_file", file("server.key")),
    )
    .unwrap();
    cluster.create_database("clean").unwrap();
    seed(&cluster, "clean").batch_execute(CLEAN).unwrap();
    let secret = password(&cluster);
    let url = |query: &str| {
        format!(
            "postgresql://postgres:{secret}@127.0.0.1:{}/clean?{query}",
            cluster.port()
        )
    };
    let dir = tempfile::tempdir().unwrap();

    // require: encrypted, the certificate unchecked.
    let mut client = dbwise_pg::connect(&url("sslmode=require"), "dbwise").unwrap();
    let encrypted: bool = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(encrypted);
    let output = inspect(dir.path(), &url("sslmode=require"), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // verify-full against the CA that signed the server's certificate, in both string forms.
    let trusted = url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        file("ca.pem")
    ));
    let output = inspect(dir.path(), &trusted, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let key_values = format!(
        "host=127.0.0.1 port={} user=postgres password={secret} dbname=clean sslmode=verify-full sslrootcert={}",
        cluster.port(),
        file("ca.pem")
    );
    let output = inspect(dir.path(), &key_values, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // verify-full against another CA: refused, said so, and the password is nowhere.
    for wrong in [
        url(&format!(
            "sslmode=verify-full&sslrootcert={}",
            file("other_ca.pem")
        )),
        key_values.replace("ca.pem", "other_ca.pem"),
    ] {
        let output = inspect(dir.path(), &wrong, &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(err.contains("certificate verify failed"), "{err}");
        assert!(
            !err.contains(&secret) && !stdout(&output).contains(&secret),
            "{err}"
        );
    }
    // verify-full with no CA to check against says what to add.
    let output = inspect(dir.path(), &url("sslmode=verify-full"), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("sslrootcert"), "{err}");
    assert!(!err.contains(&secret), "{err}");
}

/// A database with pg_stat_statements (loaded at start, created by the test as superuser):
/// inspect's report holds the workload of a query shape run many times, with its call count,
/// in the shape `dbwise workload` gives an export; `--no-workload` leaves it out.
#[test]
fn pg_stat_statements_gives_the_workload_report() {
    let cluster = TempCluster::start(
        TempClusterOptions::default().setting("shared_preload_libraries", "pg_stat_statements"),
    )
    .unwrap();
    cluster.create_database("shop").unwrap();
    let mut shop = seed(&cluster, "shop");
    shop.batch_execute(
        "CREATE EXTENSION pg_stat_statements;
         CREATE TABLE parcels (id bigint PRIMARY KEY, weight int NOT NULL);
         INSERT INTO parcels SELECT g, g % 40 FROM generate_series(1, 1000) g;",
    )
    .unwrap();
    for id in 1..=37 {
        shop.batch_execute(&format!("SELECT weight FROM parcels WHERE id = {id}"))
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();

    let output = inspect(dir.path(), &cluster.url("shop"), &[]);
    let (_, report) = findings(&output);
    let queries = report["workload"]["queries"].as_array().unwrap_or_else(|| {
        panic!(
            "no workload in the report:\n{}\n{}",
            stdout(&output),
            stderr(&output)
        )
    });
    let parcels = queries
        .iter()
        .find(|q| {
            q["query"]
                .as_str()
                .unwrap()
                .contains("FROM parcels WHERE id =")
        })
        .unwrap_or_else(|| panic!("no parcels shape in {queries:?}"));
    assert_eq!(parcels["calls"], 37, "{parcels}");
    assert_eq!(
        parcels["databases"],
        serde_json::json!(["shop"]),
        "{parcels}"
    );
    assert_eq!(
        parcels["users"],
        serde_json::json!(["postgres"]),
        "{parcels}"
    );
    assert_eq!(
        report["workload"]["input"]["sources"][0]["format"],
        "pg-stat-statements"
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let url = cluster.url("shop");
    let human = support::dbwise(dir.path(), &["inspect", "--database-url", &url]);
    let text = stdout(&human);
    assert!(
        text.contains("Workload (pg_stat_statements)"),
        "{text}\n{}",
        stderr(&human)
    );
    assert!(text.contains("FROM parcels WHERE id ="), "{text}");

    // A cap below the statements the view holds reads the heaviest and says so.
    let capped = inspect(
        dir.path(),
        &cluster.url("shop"),
        &["--workload-statements", "1"],
    );
    let (_, report) = findings(&capped);
    assert_eq!(report["workload"]["queries"].as_array().unwrap().len(), 1);
    assert!(
        stderr(&capped).contains("the workload report reads the 1 heaviest"),
        "{}",
        stderr(&capped)
    );

    let skipped = inspect(dir.path(), &cluster.url("shop"), &["--no-workload"]);
    let (_, report) = findings(&skipped);
    assert!(report.get("workload").is_none(), "{report}");
    assert_eq!(skipped.status.code(), Some(0), "{}", stderr(&skipped));
}

/// Without pg_stat_statements, inspect says how to enable it and succeeds.
#[test]
fn without_pg_stat_statements_a_note_says_how_to_enable_it() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    cluster.create_database("shop").unwrap();
    seed(&cluster, "shop")
        .batch_execute("CREATE TABLE parcels (id bigint PRIMARY KEY, weight int NOT NULL)")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = inspect(dir.path(), &cluster.url("shop"), &[]);
    let (found, report) = findings(&output);
    assert_eq!(found, Vec::<(String, String)>::new(), "{}", stderr(&output));
    assert!(report.get("workload").is_none(), "{report}");
    let notes = stderr(&output);
    assert!(
        notes.contains("pg_stat_statements is not installed in this database")
            && notes.contains("shared_preload_libraries")
            && notes.contains("CREATE EXTENSION pg_stat_statements"),
        "{notes}"
    );
    assert_eq!(output.status.code(), Some(0), "{notes}");
}
