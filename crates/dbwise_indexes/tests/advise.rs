//! The advisor on a throwaway PostgreSQL with generated application data. Needs HypoPG
//! (`postgresql-15-hypopg`, installed by scripts/deps); without it each test says so and
//! passes without checking anything.

use dbwise_indexes::advice::{IndexAdvice, IndexCreate};
use dbwise_indexes::{Options, WorkloadQuery, advise};
use dbwise_pg::{TempCluster, TempClusterOptions};

const SCHEMA: &str = "
    CREATE EXTENSION hypopg;
    CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint NOT NULL,
                         created_at timestamptz NOT NULL, kind text, payload text);
    INSERT INTO events (account_id, created_at, kind, payload)
        SELECT g % 2000, now() - g * interval '1 second', 'k' || g % 10, md5(g::text)
        FROM generate_series(1, 200000) g;
    CREATE TABLE jobs (id bigserial PRIMARY KEY, state text NOT NULL,
                       created_at timestamptz NOT NULL, payload text);
    INSERT INTO jobs (state, created_at, payload)
        SELECT CASE WHEN g % 200 = 0 THEN 'pending' ELSE 'done' END,
               now() - g * interval '1 second', md5(g::text)
        FROM generate_series(1, 200000) g;
    CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text);
    INSERT INTO users (email, name)
        SELECT 'User' || g || '@Example.com', 'n' || g FROM generate_series(1, 100000) g;
    CREATE TABLE orders (id bigserial PRIMARY KEY, customer_ref bigint NOT NULL,
                         total numeric, note text);
    INSERT INTO orders (customer_ref, total, note)
        SELECT g % 5000, g, md5(g::text) FROM generate_series(1, 100000) g;
    CREATE INDEX orders_customer_ref_idx ON orders (customer_ref);
    CREATE INDEX orders_note_idx ON orders (note);
";

fn query(text: &str, calls: u64) -> WorkloadQuery {
    WorkloadQuery {
        fingerprint: format!("{:016x}", text.len()),
        query: text.to_owned(),
        text: text.to_owned(),
        calls,
    }
}

fn workload() -> Vec<WorkloadQuery> {
    vec![
        query(
            "SELECT * FROM events WHERE account_id = $1 ORDER BY created_at DESC LIMIT 20",
            1000,
        ),
        query(
            "SELECT id, payload FROM jobs WHERE state = 'pending' ORDER BY created_at LIMIT 10",
            500,
        ),
        query(
            "SELECT id, name FROM users WHERE lower(email) = lower($1)",
            300,
        ),
        query("SELECT total FROM orders WHERE customer_ref = $1", 200),
        query(
            "INSERT INTO orders (customer_ref, total, note) VALUES ($1, $2, $3)",
            100_000,
        ),
        query("UPDATE jobs SET state = 'done' WHERE id = $1", 500),
    ]
}

/// A cluster with HypoPG available, or `None` (and a notice) when it is not installed.
fn cluster(options: TempClusterOptions) -> Option<TempCluster> {
    let cluster = TempCluster::start(options).expect("a throwaway cluster starts");
    let mut client = cluster.connect("postgres").unwrap();
    let available = client
        .query_opt(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'",
            &[],
        )
        .unwrap()
        .is_some();
    if !available {
        eprintln!("SKIPPED: HypoPG is not installed (apt-get install postgresql-15-hypopg)");
        return None;
    }
    Some(cluster)
}

fn advice(cluster: &TempCluster, config: postgres::Config) -> IndexAdvice {
    let mut setup = cluster.create_database("app").unwrap();
    setup.batch_execute(SCHEMA).unwrap();
    setup.batch_execute("VACUUM ANALYZE").unwrap();
    let mut client = config.connect(postgres::NoTls).unwrap();
    let options = Options {
        budget_bytes: 500_000_000,
        max_indexes: None,
        offline: false,
    };
    advise(&mut client, &workload(), &options, &mut |_| {}).unwrap()
}

fn on<'a>(advice: &'a IndexAdvice, table: &str) -> Vec<&'a IndexCreate> {
    advice
        .indexes
        .iter()
        .filter(|i| i.table == format!("public.{table}"))
        .collect()
}

#[test]
fn application_fixtures_get_their_indexes_and_every_statement_runs() {
    let Some(cluster) = cluster(TempClusterOptions::default()) else {
        return;
    };
    let advice = advice(&cluster, cluster.config("app"));

    let events = on(&advice, "events");
    assert!(
        events
            .iter()
            .any(|i| i.columns == ["account_id", "created_at"] && i.predicate.is_none()),
        "{advice:#?}"
    );
    let jobs = on(&advice, "jobs");
    assert!(
        jobs.iter()
            .any(|i| i.predicate.as_deref() == Some("state = 'pending'")),
        "{advice:#?}"
    );
    let users = on(&advice, "users");
    assert!(
        users.iter().any(|i| i.columns == ["lower(email)"]),
        "{advice:#?}"
    );
    // orders_customer_ref_idx already serves the lookup.
    assert!(
        on(&advice, "orders")
            .iter()
            .all(|i| i.columns[0] != "customer_ref"),
        "{advice:#?}"
    );
    // Nothing reads orders_note_idx, and every insert into orders maintains it.
    let drops: Vec<&str> = advice.drop.iter().map(|d| d.index.as_str()).collect();
    assert_eq!(drops, ["public.orders_note_idx"], "{advice:#?}");
    for index in &advice.indexes {
        assert!(index.hypopg_bytes.is_some() && index.estimated_bytes > 0);
        assert!(!index.queries.is_empty(), "{index:#?}");
        for q in &index.queries {
            assert!(q.cost_after < q.cost_before, "{index:#?}");
        }
    }
    let (before, after) = (
        advice.workload.cost_before.unwrap(),
        advice.workload.cost_after.unwrap(),
    );
    assert!(after < before / 2.0, "{before} -> {after}");

    // Every statement runs on a real server.
    let mut client = cluster.connect("app").unwrap();
    client.batch_execute("SET lock_timeout = '5s'").unwrap();
    for statement in advice
        .indexes
        .iter()
        .map(|i| &i.create)
        .chain(advice.drop.iter().map(|d| &d.drop))
    {
        client
            .batch_execute(statement)
            .unwrap_or_else(|e| panic!("{statement}: {e:?}"));
    }
}

#[test]
fn the_advisor_sends_no_writing_statement() {
    let settings = TempClusterOptions::default()
        .setting("logging_collector", "on")
        .setting("log_statement", "all")
        .setting("log_line_prefix", "%a|");
    let Some(cluster) = cluster(settings) else {
        return;
    };
    let mut config = cluster.config("app");
    config.application_name("advisor-under-test");
    let advice = advice(&cluster, config);
    assert!(!advice.indexes.is_empty());
    // The collector writes asynchronously: wait for a later session's statement to show up.
    let mut marker = cluster.config("app");
    marker.application_name("marker");
    let mut client = marker.connect(postgres::NoTls).unwrap();
    client
        .batch_execute("SELECT 'the advisor is done'")
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let log = loop {
        let log: String = cluster
            .log_files()
            .unwrap()
            .into_iter()
            .map(|file| std::fs::read_to_string(file).unwrap())
            .collect();
        if log.contains("the advisor is done") || std::time::Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    // Each entry starts with `application|SEVERITY:`; a statement's further lines follow
    // without a prefix.
    let mut statements: Vec<String> = Vec::new();
    let mut in_advisor_statement = false;
    for line in log.lines() {
        let entry = line.split_once('|').filter(|(_, rest)| {
            [
                "LOG:",
                "ERROR:",
                "DETAIL:",
                "STATEMENT:",
                "HINT:",
                "CONTEXT:",
                "WARNING:",
                "FATAL:",
            ]
            .iter()
            .any(|severity| rest.starts_with(severity))
        });
        match entry {
            Some(("advisor-under-test", rest)) => {
                let statement = rest.split_once("statement: ").or_else(|| {
                    rest.split_once("execute ")
                        .and_then(|(_, s)| s.split_once(": "))
                });
                in_advisor_statement = statement.is_some();
                if let Some((_, text)) = statement {
                    statements.push(text.to_owned());
                }
            }
            Some(_) => in_advisor_statement = false,
            None if in_advisor_statement => {
                let last = statements.last_mut().unwrap();
                last.push('\n');
                last.push_str(line);
            }
            None => {}
        }
    }
    // SQL comments say nothing about what a statement does.
    let statements: Vec<String> = statements
        .iter()
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    assert!(statements.len() > 20, "{statements:#?}");
    let allowed = [
        "SELECT",
        "EXPLAIN",
        "PREPARE",
        "DEALLOCATE",
        "SET",
        "SHOW",
        "START",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
    ];
    for statement in &statements {
        for part in statement
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let word = part
                .split(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap()
                .to_ascii_uppercase();
            assert!(
                allowed.contains(&word.as_str()),
                "a writing statement: {part}"
            );
            if word == "EXPLAIN" {
                assert!(!part.to_ascii_uppercase().contains("ANALYZE"), "{part}");
            }
            if word == "START" {
                assert!(part.to_ascii_uppercase().contains("READ ONLY"), "{part}");
            }
        }
    }
}

#[test]
fn without_hypopg_it_names_the_statement_a_dba_runs() {
    let cluster = TempCluster::start(TempClusterOptions::default()).unwrap();
    let mut client = cluster.create_database("bare").unwrap();
    client
        .batch_execute("CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 100)")
        .unwrap();
    let options = Options {
        budget_bytes: 1_000_000,
        max_indexes: None,
        offline: false,
    };
    let workload = [query("SELECT * FROM t WHERE a = 5", 1)];
    let error = advise(&mut client, &workload, &options, &mut |_| {}).unwrap_err();
    assert!(
        error.to_string().contains("CREATE EXTENSION hypopg;"),
        "{error}"
    );
    let still_absent = client
        .query_opt("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'", &[])
        .unwrap()
        .is_none();
    assert!(still_absent);
    // Offline, the candidates come ranked by heuristics and marked as not costed.
    let offline = advise(
        &mut client,
        &workload,
        &Options {
            offline: true,
            ..options
        },
        &mut |_| {},
    )
    .unwrap();
    assert!(!offline.search.costed);
    assert_eq!(offline.indexes[0].columns, ["a"]);
    assert_eq!(offline.indexes[0].hypopg_bytes, None);
}
