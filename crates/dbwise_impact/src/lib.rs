//! What a migration does to the workload running beside it (`dbwise migrate impact`).
//!
//! For each statement of the migration: the locks the lock model says it takes on tables that
//! exist, how long it holds them (a catalog change is instant; a scan, a rewrite or an index
//! build lasts the table's size over a measured or default throughput), the query shapes of the
//! workload those locks block with their rate and the number expected to queue, and a verdict.
//! For the migration: the hour with the least blocked traffic, and a `lock_timeout`.
//!
//! The number of queries that queue behind a lock is the blocked shapes' rate times the time the
//! lock is in the way: while the statement waits for the lock (behind the slowest conflicting
//! query or transaction already running: the shapes' p99 duration, and the p99 duration of the
//! logged transactions that touched the table) every conflicting query arriving after it waits
//! too, and then for as long as the lock is held.

mod cost;
mod traffic;

use dbwise_catalog::ObjectName;
use dbwise_diagnostics::{Span, one_line};
use dbwise_lint::plan::{self, Step};
use dbwise_locks::{Hold, LockLevel, Throughput};
use dbwise_syntax::ParsedFile;
use dbwise_workload::transactions::TableTransactions;
use dbwise_workload::{QueryReport, Workload};

pub use cost::{Sizes, TableSize};
pub use traffic::Profile;

/// Queries expected to queue behind a statement below which it is safe to run at any time.
pub const SAFE_QUEUE: f64 = 1.0;
/// Conflicting queries the `lock_timeout` lets arrive while the migration waits for its lock.
pub const TOLERATED_WAITERS: f64 = 20.0;
/// The seconds a lock held for an unknown time (its table's size is unknown) counts for when
/// hours are compared.
const UNKNOWN_HOLD_S: f64 = 1.0;
/// Bounds of the derived `lock_timeout`, in milliseconds: the upper one is the plan's own.
const LOCK_TIMEOUT_MS: (f64, f64) = (50.0, 5000.0);

/// What the analysis is given besides the SQL.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    pub workload: &'a Workload,
    pub sizes: &'a Sizes,
    /// Where the sizes come from, for the assumptions (`dbwise.toml [tables] sizes`, ...).
    pub sizes_from: &'a str,
    pub throughput: &'a Throughput,
    /// Where the throughput figures come from.
    pub throughput_from: &'a str,
    pub pg_major: u32,
}

/// The verdict on a statement or a migration, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Fewer than one query is expected to wait.
    Safe,
    /// Queries will wait: run it in the recommended window, with the `lock_timeout`.
    Schedule,
    /// Queries will wait for the length of a scan, rewrite or build: run the multi-step plan.
    Rewrite,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Safe => "safe",
            Verdict::Schedule => "schedule",
            Verdict::Rewrite => "rewrite",
        }
    }
}

/// One lock a statement takes on a table that exists.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LockHold {
    pub table: String,
    pub mode: LockLevel,
    pub hold: Hold,
    /// How long the lock is held; `None` when the table's size is unknown.
    pub seconds: Option<f64>,
}

/// A query shape of the workload that a statement's locks block.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Blocked {
    pub fingerprint: String,
    pub query: String,
    /// Calls per second in the recommended window (over the whole log when the workload has no
    /// timestamps to tell hours apart); `None` when the workload has no time at all.
    pub per_second: Option<f64>,
    /// Calls expected to queue behind the statement then.
    pub queued: Option<f64>,
}

/// One statement of the migration.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementImpact {
    pub statement: String,
    pub line: u32,
    /// Where the statement is in its file.
    #[serde(skip)]
    pub span: Span,
    pub locks: Vec<LockHold>,
    pub blocked: Vec<Blocked>,
    /// Seconds the statement may wait for its lock behind conflicting queries already running,
    /// while every conflicting query arriving after it waits too.
    pub wait_seconds: f64,
    pub verdict: Verdict,
    /// The multi-step plan of `migrate plan`, when the verdict is `rewrite`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<Step>,
}

/// The hour to run the migration in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Window {
    pub start: String,
    pub end: String,
    /// Queries expected to queue behind the whole migration when it runs then.
    pub queued: Option<f64>,
}

/// The impact of a migration.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Impact {
    pub statements: Vec<StatementImpact>,
    pub verdict: Verdict,
    /// The `lock_timeout` to run the migration with, such as `400ms`.
    pub lock_timeout: String,
    pub window: Option<Window>,
    pub assumptions: Vec<String>,
}

impl Impact {
    /// What the workload says of the statement at `offset` of the migration, as a sentence for
    /// a lint finding on it; `None` when the statement blocks no query of the workload.
    pub fn note_at(&self, offset: u32) -> Option<String> {
        let statement = self
            .statements
            .iter()
            .find(|s| s.span.start <= offset && offset < s.span.end.max(s.span.start + 1))?;
        if statement.blocked.is_empty() {
            return None;
        }
        let rate: Option<f64> = statement.blocked.iter().map(|b| b.per_second).sum();
        let queued: Option<f64> = statement.blocked.iter().map(|b| b.queued).sum();
        let when = self
            .window
            .as_ref()
            .map(|w| format!(" at {}-{}, the quietest hour", w.start, w.end))
            .unwrap_or_default();
        let mut note = format!(
            "With the workload given, it blocks {} query shape{}",
            statement.blocked.len(),
            if statement.blocked.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        if let Some(rate) = rate {
            note.push_str(&format!(" running {rate:.1} times a second{when}"));
        }
        if let Some(queued) = queued {
            note.push_str(&format!(
                ", and about {queued:.0} queries would queue behind it"
            ));
        }
        note.push_str(&format!(
            "; verdict: {} (dbwise migrate impact), with lock_timeout = '{}'.",
            statement.verdict.as_str(),
            self.lock_timeout
        ));
        Some(note)
    }
}

/// A lock of a statement with the table it is on, before the workload is looked at.
struct Locked {
    hold: LockHold,
    table: ObjectName,
}

/// The impact of `migration`, after replaying `history`, on the workload of `inputs`.
pub fn impact(history: &[ParsedFile], migration: &ParsedFile, inputs: &Inputs<'_>) -> Impact {
    let (walked, catalog) = plan::walk(history, migration, inputs.pg_major);
    let mut assumptions = Vec::new();
    let mut unsized_tables: Vec<String> = Vec::new();
    let mut estimated_tables: Vec<String> = Vec::new();
    let statements: Vec<(Vec<Locked>, &plan::Walked<'_>)> = walked
        .iter()
        .map(|w| {
            let locks = w
                .operations
                .iter()
                .filter_map(|(op, table)| {
                    let effect = op.effect.as_ref()?;
                    let hold = Hold::of(&op.form, effect);
                    let mode = effect.strongest()?;
                    let bytes = cost::table_bytes(inputs.sizes, table, &catalog);
                    let name = table.to_string();
                    if hold != Hold::Instant {
                        match bytes {
                            None => unsized_tables.push(name.clone()),
                            Some((_, false)) => estimated_tables.push(name.clone()),
                            Some((_, true)) => {}
                        }
                    }
                    Some(Locked {
                        hold: LockHold {
                            table: name,
                            mode,
                            hold,
                            seconds: cost::seconds(hold, bytes.map(|b| b.0), inputs.throughput),
                        },
                        table: table.clone(),
                    })
                })
                .collect();
            (locks, w)
        })
        .collect();

    let workload = inputs.workload;
    let profile = workload.span_ms.map(|(a, b)| Profile::new(a, b));
    let hourly = workload.queries.iter().any(|q| !q.calls_by_hour.is_empty());
    // The shapes each statement blocks, with the time the lock is in their way.
    let conflicts: Vec<Vec<(&QueryReport, f64, Option<f64>)>> = statements
        .iter()
        .map(|(locks, _)| blocked_by(locks, &workload.queries, &workload.transactions))
        .collect();
    // The queries expected to queue behind the whole migration in `hour`, a lock held for an
    // unknown time counting as held for `unknown_hold` seconds (as unknown for `None`).
    let queued_at = |p: &Profile, hour: usize, unknown_hold: Option<f64>| -> Option<f64> {
        conflicts
            .iter()
            .flatten()
            .map(|(q, wait, hold)| {
                hold.or(unknown_hold)
                    .map(|h| p.rate(q, Some(hour)) * (wait + h))
            })
            .sum()
    };
    let best = profile.as_ref().filter(|_| hourly).and_then(|p| {
        let score = |h| queued_at(p, h, Some(UNKNOWN_HOLD_S)).unwrap_or(0.0);
        p.candidates()
            .min_by(|&a, &b| score(a).total_cmp(&score(b)).then(a.cmp(&b)))
    });
    let window = best.zip(profile.as_ref()).map(|(hour, p)| {
        let (start, end) = p.label(hour);
        Window {
            start,
            end,
            queued: queued_at(p, hour, None),
        }
    });

    let mut out = Vec::new();
    for ((locks, walked), blocked) in statements.iter().zip(&conflicts) {
        let wait_seconds = blocked.iter().map(|b| b.1).fold(0.0, f64::max);
        let blocked: Vec<Blocked> = blocked
            .iter()
            .map(|(q, wait, hold)| {
                let per_second = profile.as_ref().map(|p| p.rate(q, best));
                Blocked {
                    fingerprint: q.fingerprint.clone(),
                    query: one_line(&q.query, 200, "..."),
                    per_second,
                    queued: per_second.zip(*hold).map(|(r, h)| r * (wait + h)),
                }
            })
            .collect();
        let long_hold = locks.iter().any(|l| l.hold.hold != Hold::Instant);
        let queued: Option<f64> = blocked.iter().map(|b| b.queued).sum();
        let verdict = match queued {
            _ if blocked.is_empty() => Verdict::Safe,
            Some(q) if q < SAFE_QUEUE => Verdict::Safe,
            None if !long_hold => Verdict::Safe,
            _ if long_hold && walked.rewrite.is_some() => Verdict::Rewrite,
            _ => Verdict::Schedule,
        };
        let line = migration.source.line_col(walked.statement.span.start).line;
        out.push(StatementImpact {
            statement: one_line(migration.source.slice(walked.statement.span), 200, "..."),
            line,
            span: walked.statement.span,
            locks: locks.iter().map(|l| l.hold.clone()).collect(),
            blocked,
            wait_seconds,
            verdict,
            plan: match verdict {
                Verdict::Rewrite => walked.rewrite.clone().unwrap_or_default(),
                _ => Vec::new(),
            },
        });
    }

    // The lock_timeout: the time in which TOLERATED_WAITERS conflicting queries arrive.
    let conflicting_rate: f64 = profile.as_ref().map_or(0.0, |p| {
        let mut seen: Vec<&str> = Vec::new();
        let mut rate = 0.0;
        for (q, _, _) in conflicts.iter().flatten() {
            if !seen.contains(&q.fingerprint.as_str()) {
                seen.push(&q.fingerprint);
                rate += p.rate(q, best);
            }
        }
        rate
    });
    let timeout_ms = if conflicting_rate > 0.0 {
        (TOLERATED_WAITERS / conflicting_rate * 1000.0).clamp(LOCK_TIMEOUT_MS.0, LOCK_TIMEOUT_MS.1)
    } else {
        LOCK_TIMEOUT_MS.1
    };

    assumptions.push(format!(
        "throughput: {} ({})",
        inputs.throughput.describe(),
        inputs.throughput_from
    ));
    assumptions.push(format!("table sizes: {}", inputs.sizes_from));
    unsized_tables.sort();
    unsized_tables.dedup();
    if !unsized_tables.is_empty() {
        assumptions.push(format!(
            "no size known for {}: how long their locks are held is unknown; give [tables] sizes in dbwise.toml or --database-url",
            unsized_tables.join(", ")
        ));
    }
    estimated_tables.sort();
    estimated_tables.dedup();
    if !estimated_tables.is_empty() {
        assumptions.push(format!(
            "the bytes of {} are their row counts times a row width estimated from the column types (variable-length columns count 32 bytes)",
            estimated_tables.join(", ")
        ));
    }
    assumptions.push(
        "a SELECT takes ACCESS SHARE and a write ROW EXCLUSIVE on the tables it names; a statement waits for its lock behind the slowest conflicting query or transaction (the shapes' p99 duration, the p99 duration of the logged transactions that touched the table), and conflicting queries arriving meanwhile queue behind it"
            .to_string(),
    );
    assumptions.push(format!(
        "lock_timeout lets about {TOLERATED_WAITERS:.0} conflicting queries arrive while the migration waits (between {:.0} ms and {:.0} s)",
        LOCK_TIMEOUT_MS.0,
        LOCK_TIMEOUT_MS.1 / 1000.0
    ));
    match (&profile, hourly) {
        (Some(p), true) => assumptions.push(format!(
            "rates per {} from the log timestamps{}; hours the log covers for less than 10 minutes are not candidates",
            if p.weekly() {
                "weekday and hour"
            } else {
                "hour of the day"
            },
            workload
                .time_zone
                .as_deref()
                .map(|z| format!(" ({z})"))
                .unwrap_or_default()
        )),
        (Some(_), false) => assumptions.push(
            "rates are averages over the whole log: the workload was not read per hour"
                .to_string(),
        ),
        (None, _) => assumptions.push(
            "the workload has no timestamps (a pg_stat_statements export or a file of queries): no rates, no queue estimates and no window"
                .to_string(),
        ),
    }
    if !workload.warnings.is_empty() {
        assumptions.extend(workload.warnings.iter().cloned());
    }

    Impact {
        verdict: out.iter().map(|s| s.verdict).max().unwrap_or(Verdict::Safe),
        statements: out,
        lock_timeout: format!("{:.0}ms", timeout_ms),
        window,
        assumptions,
    }
}

/// The shapes of `queries` that conflict with one of `locks`, each with the seconds the statement
/// waits behind running queries and transactions and the seconds it then holds the conflicting
/// lock (`None` when unknown), heaviest first.
fn blocked_by<'q>(
    locks: &[Locked],
    queries: &'q [QueryReport],
    transactions: &[TableTransactions],
) -> Vec<(&'q QueryReport, f64, Option<f64>)> {
    let conflicting: Vec<(&QueryReport, Option<f64>)> = queries
        .iter()
        .filter_map(|q| {
            let holds: Vec<Option<f64>> = locks
                .iter()
                .filter(|l| {
                    shape_lock(q, &l.table).is_some_and(|mode| l.hold.mode.conflicts_with(mode))
                })
                .map(|l| l.hold.seconds)
                .collect();
            if holds.is_empty() {
                return None;
            }
            let hold = holds
                .iter()
                .try_fold(0.0, |max: f64, h| h.map(|h| max.max(h)));
            Some((q, hold))
        })
        .collect();
    // A transaction holds its statements' locks until it ends: the migration waits for the
    // longest conflicting one, statement or transaction.
    let held_by_transactions = transactions.iter().filter(|t| {
        let mode = if t.wrote {
            LockLevel::RowExclusive
        } else {
            LockLevel::AccessShare
        };
        locks
            .iter()
            .any(|l| same_table(&t.table, &l.table) && l.hold.mode.conflicts_with(mode))
    });
    let wait = conflicting
        .iter()
        .filter_map(|(q, _)| q.p99_ms)
        .chain(held_by_transactions.map(|t| t.p99_ms))
        .fold(0.0, f64::max)
        / 1000.0;
    let mut out: Vec<(&QueryReport, f64, Option<f64>)> = conflicting
        .into_iter()
        .map(|(q, hold)| (q, wait, hold))
        .collect();
    out.sort_by(|a, b| {
        b.0.calls
            .cmp(&a.0.calls)
            .then(a.0.fingerprint.cmp(&b.0.fingerprint))
    });
    out
}

/// The lock a query shape takes on `table`: ROW EXCLUSIVE when it writes it, ACCESS SHARE when
/// it only reads it, none when it does not name it.
fn shape_lock(query: &QueryReport, table: &ObjectName) -> Option<LockLevel> {
    let names = |list: &[String]| list.iter().any(|t| same_table(t, table));
    if names(&query.tables_written) {
        Some(LockLevel::RowExclusive)
    } else if names(&query.tables_read) {
        Some(LockLevel::AccessShare)
    } else {
        None
    }
}

/// Whether a table as a query names it (`orders`, `billing.invoices`) is `table`; an
/// unqualified name is taken to be in `public`, the default search path.
fn same_table(named: &str, table: &ObjectName) -> bool {
    match named.split_once('.') {
        Some((schema, name)) => schema == table.schema.as_str() && name == table.name.as_str(),
        None => table.schema == "public" && named == table.name.as_str(),
    }
}
