//! Reading a log in the three-thread pipeline gives exactly what reading it on one thread gives:
//! a generated log (several message kinds, multi-line statements, interleaved sessions, N+1
//! runs, extended-protocol steps, errors and lock waits, unusable lines, more distinct shapes
//! than the memory budget keeps) in stderr, csvlog and jsonlog.

use std::fmt::Write as _;
use std::path::Path;

use dbwise_workload::{Analyzer, Options, Workload};

/// One message of the generated log.
struct Event {
    ms: i64,
    pid: u32,
    level: &'static str,
    message: String,
    detail: String,
    statement: String,
}

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// `n` in letters, so that tenant tables are distinct shapes (digit runs in names are not).
fn letters(mut n: u64) -> String {
    let mut name = String::new();
    loop {
        name.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return name;
        }
    }
}

fn events() -> Vec<Event> {
    let mut rng = Lcg(7);
    let mut events = Vec::new();
    let mut ms = 1_764_800_000_000i64;
    let mut log =
        |pid: u32, level: &'static str, message: String, detail: &str, statement: &str| {
            ms += 1;
            events.push(Event {
                ms,
                pid,
                level,
                message,
                detail: detail.to_string(),
                statement: statement.to_string(),
            });
        };
    // Units of work of 8 sessions, each unit cut into steps that interleave with the others'.
    let mut queues: Vec<Vec<(&'static str, String, String, String)>> = vec![Vec::new(); 8];
    for unit in 0..6_000u64 {
        let session = (unit % 8) as usize;
        let queue = &mut queues[session];
        let d = |rng: &mut Lcg| format!("{}.{:03}", rng.below(20), rng.below(1000));
        let statement = |sql: String, d: String| format!("duration: {d} ms  statement: {sql}");
        match unit % 6 {
            0 => {
                // An N+1 in a transaction, simple protocol.
                queue.push((
                    "LOG",
                    statement("BEGIN".into(), d(&mut rng)),
                    "".into(),
                    "".into(),
                ));
                let customer = rng.below(500);
                queue.push((
                    "LOG",
                    statement(
                        format!("SELECT id FROM orders WHERE customer_id = {customer}"),
                        d(&mut rng),
                    ),
                    "".into(),
                    "".into(),
                ));
                for child in 0..6 {
                    queue.push((
                        "LOG",
                        statement(
                            format!(
                                "SELECT sku, quantity FROM order_items WHERE order_id = {}",
                                customer * 10 + child
                            ),
                            d(&mut rng),
                        ),
                        "".into(),
                        "".into(),
                    ));
                }
                queue.push((
                    "LOG",
                    statement("COMMIT".into(), d(&mut rng)),
                    "".into(),
                    "".into(),
                ));
            }
            1 => {
                // Extended protocol: parse, bind, execute with parameters.
                let sql = "SELECT abalance FROM accounts WHERE aid = $1";
                for step in ["parse", "bind", "execute"] {
                    let detail = if step == "parse" {
                        String::new()
                    } else {
                        format!("parameters: $1 = '{}'", rng.below(100_000))
                    };
                    queue.push((
                        "LOG",
                        format!("duration: {} ms  {step} <unnamed>: {sql}", d(&mut rng)),
                        detail,
                        "".into(),
                    ));
                }
            }
            2 => {
                // A multi-line statement on one of 1,500 tenant tables; log_statement and
                // log_duration lines for an update.
                let tenant = letters(rng.below(1_500));
                queue.push((
                    "LOG",
                    statement(
                        format!(
                            "SELECT a,\n       b -- the second\nFROM tenant_{tenant}.events\nWHERE created > '2026-01-0{}'\n  AND kind IN ({}, {})",
                            1 + rng.below(9),
                            rng.below(9),
                            rng.below(9)
                        ),
                        d(&mut rng),
                    ),
                    "".into(),
                    "".into(),
                ));
                queue.push((
                    "LOG",
                    format!(
                        "statement: UPDATE tenant_{tenant}.counters\n  SET n = n + 1 WHERE id = {}",
                        rng.below(50)
                    ),
                    "".into(),
                    "".into(),
                ));
                queue.push((
                    "LOG",
                    format!("duration: {} ms", d(&mut rng)),
                    "".into(),
                    "".into(),
                ));
            }
            3 => {
                // Errors: one by message, a deadlock, a lock wait, a statement that does not parse.
                queue.push((
                    "ERROR",
                    "relation \"nope\" does not exist at character 15".into(),
                    "".into(),
                    "SELECT * FROM nope".into(),
                ));
                queue.push((
                    "ERROR",
                    "deadlock detected".into(),
                    "Process 1 waits for ShareLock on transaction 2; blocked by process 3.\nProcess 3 waits for ShareLock on transaction 1.".into(),
                    format!("UPDATE accounts SET abalance = 0 WHERE aid = {}", rng.below(10)),
                ));
                queue.push((
                    "LOG",
                    format!(
                        "process {} still waiting for ShareLock on transaction 9 after {}.5 ms",
                        100 + session,
                        1000 + rng.below(100)
                    ),
                    "Process holding the lock: 7. Wait queue: 8.".into(),
                    "UPDATE accounts SET abalance = 1 WHERE aid = 3".into(),
                ));
                queue.push((
                    "LOG",
                    statement(format!("SELEC broken {}", rng.below(3)), d(&mut rng)),
                    "".into(),
                    "".into(),
                ));
            }
            4 => {
                // A few hundred distinct one-off shapes, which the small budget folds.
                queue.push((
                    "LOG",
                    statement(
                        format!("SELECT count(*) FROM report_{}", letters(unit)),
                        d(&mut rng),
                    ),
                    "".into(),
                    "".into(),
                ));
            }
            _ => {
                queue.push((
                    "LOG",
                    "disconnection: session time: 0:00:01.000 user=app database=shop host=[local]"
                        .into(),
                    "".into(),
                    "".into(),
                ));
            }
        }
    }
    // Interleave: take the next step of a random non-empty session.
    let mut cursors = vec![0usize; queues.len()];
    loop {
        let open: Vec<usize> = (0..queues.len())
            .filter(|&s| cursors[s] < queues[s].len())
            .collect();
        if open.is_empty() {
            break;
        }
        let session = open[rng.below(open.len() as u64) as usize];
        let (level, message, detail, statement) = &queues[session][cursors[session]];
        cursors[session] += 1;
        log(
            100 + session as u32,
            level,
            message.clone(),
            detail,
            statement,
        );
    }
    events
}

/// Whether an unusable line comes before event `i` (not the first: formats are detected from
/// the first line).
fn unusable_before(i: usize) -> bool {
    i % 997 == 500
}

fn stamp(ms: i64) -> String {
    let (secs, millis) = (ms / 1000, ms % 1000);
    let (days, day) = (secs / 86_400, secs % 86_400);
    // 2025-12-03 is day 20425 of the epoch; the log spans less than a day.
    let date = if days == 20_425 {
        "2025-12-03"
    } else {
        "2025-12-04"
    };
    format!(
        "{date} {:02}:{:02}:{:02}.{millis:03} UTC",
        day / 3600,
        day % 3600 / 60,
        day % 60
    )
}

fn stderr_log(events: &[Event]) -> String {
    let mut out = String::new();
    let indent = |text: &str| text.replace('\n', "\n\t");
    for (i, e) in events.iter().enumerate() {
        let prefix = format!("{} [{}] ", stamp(e.ms), e.pid);
        if unusable_before(i) {
            out.push_str("a line that is not a log message\n");
        }
        writeln!(out, "{prefix}{}:  {}", e.level, indent(&e.message)).unwrap();
        if !e.detail.is_empty() {
            writeln!(out, "{prefix}DETAIL:  {}", indent(&e.detail)).unwrap();
        }
        if !e.statement.is_empty() {
            writeln!(out, "{prefix}STATEMENT:  {}", indent(&e.statement)).unwrap();
        }
    }
    out
}

fn csv_log(events: &[Event]) -> String {
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut out = String::new();
    for (i, e) in events.iter().enumerate() {
        if unusable_before(i) {
            out.push_str("not,a,csvlog,record\n");
        }
        // log_time, user, database, pid, connection_from, session_id, session_line,
        // command_tag, session_start, vxid, txid, severity, state, message, detail, hint,
        // internal_query, internal_pos, context, query, query_pos, location, application
        writeln!(
            out,
            "{},app,shop,{},,s{:x},{},,,,0,{},00000,{},{},,,,,{},,,psql,client,,0",
            stamp(e.ms),
            e.pid,
            e.pid,
            i,
            e.level,
            quote(&e.message),
            if e.detail.is_empty() {
                String::new()
            } else {
                quote(&e.detail)
            },
            if e.statement.is_empty() {
                String::new()
            } else {
                quote(&e.statement)
            },
        )
        .unwrap();
    }
    out
}

fn json_log(events: &[Event]) -> String {
    let mut out = String::new();
    for (i, e) in events.iter().enumerate() {
        if unusable_before(i) {
            out.push_str("{not json\n");
        }
        let record = serde_json::json!({
            "timestamp": stamp(e.ms),
            "user": "app",
            "dbname": "shop",
            "pid": e.pid,
            "session_id": format!("s{:x}", e.pid),
            "error_severity": e.level,
            "message": e.message,
            "detail": e.detail,
            "statement": e.statement,
            "application_name": "psql",
        });
        writeln!(out, "{record}").unwrap();
    }
    out
}

fn analyze(path: &Path, threads: usize) -> Workload {
    let mut analyzer = Analyzer::new(Options {
        threads,
        memory_budget: Some(2 << 20),
        ..Options::default()
    })
    .unwrap();
    analyzer.add_file(path, &mut |_| {}).unwrap();
    analyzer.finish()
}

#[test]
fn the_pipeline_gives_what_one_thread_gives_in_every_log_format() {
    let dir = tempfile::tempdir().unwrap();
    let events = events();
    for (name, text) in [
        ("postgresql.log", stderr_log(&events)),
        ("postgresql.csv", csv_log(&events)),
        ("postgresql.json", json_log(&events)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let one = analyze(&path, 1);
        let pipelined = analyze(&path, 2);
        // The log exercises what it is meant to: sessions, N+1, parse/bind time, lock waits,
        // errors, unusable lines, folding under the budget, and more records than one chunk.
        let file = &one.files[0];
        assert!(file.statements > 12_000, "{name}: {}", file.statements);
        let unusable = (0..events.len()).filter(|&i| unusable_before(i)).count();
        assert_eq!(file.skipped_lines, unusable as u64, "{name}");
        assert!(
            one.findings.iter().any(|f| f.finding.rule == "n-plus-one"),
            "{name}: no N+1"
        );
        assert!(one.prepare_ms > 0.0, "{name}");
        assert!(one.folded.shapes > 0, "{name}: nothing folded");
        assert_eq!(one.waits.len(), 2, "{name}: {:?}", one.waits);
        assert!(!one.errors.is_empty(), "{name}");
        assert!(
            one.queries.iter().any(|q| q.parse_error.is_some()),
            "{name}: no unparsable shape"
        );
        let (one, pipelined) = (format!("{one:#?}"), format!("{pipelined:#?}"));
        let differs = one.lines().zip(pipelined.lines()).position(|(a, b)| a != b);
        assert!(
            differs.is_none() && one.len() == pipelined.len(),
            "{name}: the pipeline's result differs from line {differs:?} of its dump:\n{}",
            pipelined
                .lines()
                .skip(differs.unwrap_or(0))
                .take(5)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
