//! How long the logged transactions that touched each table lasted, from BEGIN to COMMIT or
//! ROLLBACK in one session: a transaction holds the locks of its statements until it ends, so a
//! migration that needs a stronger lock on a table waits for the longest of them.

use rustc_hash::FxHashMap;

use crate::histogram::Histogram;
use crate::shapes::Control;

/// Tables remembered for one open transaction; a transaction that names more keeps the first.
const TABLES_PER_TRANSACTION: usize = 64;
/// Tables whose transactions are measured; tables first seen after that many are not.
const TABLES: usize = 10_000;

/// The transactions that touched one table, whether they wrote it or only read it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableTransactions {
    /// The table as the statements name it (`orders`, `billing.invoices`).
    pub table: String,
    /// They wrote the table (and held ROW EXCLUSIVE on it), rather than only reading it.
    pub wrote: bool,
    pub count: u64,
    /// The 99th percentile of their durations, in milliseconds.
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug)]
struct Open {
    start_ms: i64,
    /// The tables named so far, and whether a statement wrote each.
    tables: Vec<(String, bool)>,
}

#[derive(Debug, Default)]
pub struct Transactions {
    open: FxHashMap<u64, Open>,
    by_table: FxHashMap<(String, bool), (Histogram, f64)>,
}

impl Transactions {
    /// A statement of `session` that ran for `duration_ms` and ended at `time`: a BEGIN opens the
    /// session's transaction, a COMMIT or ROLLBACK closes it and records its duration for every
    /// table it touched, any other statement adds its tables. Statements with no timestamp are
    /// not timed.
    pub fn observe(
        &mut self,
        session: u64,
        control: Control,
        time: Option<i64>,
        duration_ms: Option<f64>,
        read: &[String],
        written: &[String],
    ) {
        let Some(time) = time else { return };
        match control {
            Control::Begin => {
                let started = time - duration_ms.unwrap_or(0.0) as i64;
                self.open.insert(
                    session,
                    Open {
                        start_ms: started,
                        tables: Vec::new(),
                    },
                );
            }
            Control::End => {
                if let Some(open) = self.open.remove(&session) {
                    self.close(open, time);
                }
            }
            Control::None => {
                let Some(open) = self.open.get_mut(&session) else {
                    return;
                };
                let named = written
                    .iter()
                    .map(|t| (t, true))
                    .chain(read.iter().map(|t| (t, false)));
                for (table, wrote) in named {
                    if let Some(entry) = open.tables.iter_mut().find(|(t, _)| t == table) {
                        entry.1 |= wrote;
                    } else if open.tables.len() < TABLES_PER_TRANSACTION {
                        open.tables.push((table.clone(), wrote));
                    }
                }
            }
        }
    }

    fn close(&mut self, open: Open, end_ms: i64) {
        let ms = (end_ms - open.start_ms).max(0) as f64;
        for key in open.tables {
            if !self.by_table.contains_key(&key) && self.by_table.len() >= TABLES {
                continue;
            }
            let (histogram, max) = self.by_table.entry(key).or_default();
            histogram.record((ms * 1000.0) as u64);
            *max = max.max(ms);
        }
    }

    /// The session ended (or went idle): its open transaction is dropped unmeasured.
    pub fn end_session(&mut self, session: u64) {
        self.open.remove(&session);
    }

    /// Drop the open transactions that began before `before_ms`.
    pub fn end_idle(&mut self, before_ms: i64) {
        self.open.retain(|_, open| open.start_ms >= before_ms);
    }

    pub fn finish(self) -> Vec<TableTransactions> {
        let mut out: Vec<TableTransactions> = self
            .by_table
            .into_iter()
            .map(|((table, wrote), (histogram, max_ms))| TableTransactions {
                table,
                wrote,
                count: histogram.count(),
                p99_ms: histogram.quantile(0.99).unwrap_or(0) as f64 / 1000.0,
                max_ms,
            })
            .collect();
        out.sort_by(|a, b| a.table.cmp(&b.table).then(a.wrote.cmp(&b.wrote)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_is_timed_from_begin_to_commit_for_each_table_it_touched() {
        let mut t = Transactions::default();
        let tables = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Session 1 reads orders and writes payments over two seconds; session 2 interleaves a
        // short one that only reads orders; session 3 never commits.
        t.observe(1, Control::Begin, Some(10_000), Some(0.1), &[], &[]);
        t.observe(2, Control::Begin, Some(10_100), None, &[], &[]);
        t.observe(
            1,
            Control::None,
            Some(10_500),
            Some(1.0),
            &tables(&["orders"]),
            &[],
        );
        t.observe(
            2,
            Control::None,
            Some(10_200),
            Some(1.0),
            &tables(&["orders"]),
            &[],
        );
        t.observe(2, Control::End, Some(10_300), Some(0.1), &[], &[]);
        t.observe(
            1,
            Control::None,
            Some(11_000),
            None,
            &[],
            &tables(&["payments"]),
        );
        t.observe(3, Control::Begin, Some(11_000), None, &[], &[]);
        t.observe(
            3,
            Control::None,
            Some(11_100),
            None,
            &[],
            &tables(&["orders"]),
        );
        t.observe(1, Control::End, Some(12_000), None, &[], &[]);
        // A statement outside a transaction is not one.
        t.observe(
            4,
            Control::None,
            Some(12_000),
            Some(5.0),
            &[],
            &tables(&["orders"]),
        );
        let found = t.finish();
        let of = |table: &str, wrote: bool| {
            found
                .iter()
                .find(|x| x.table == table && x.wrote == wrote)
                .unwrap_or_else(|| panic!("{table} {wrote} in {found:?}"))
        };
        let orders = of("orders", false);
        assert_eq!(orders.count, 2);
        assert!((orders.max_ms - 2000.0).abs() < 1.0, "{orders:?}");
        assert!((orders.p99_ms - 2000.0).abs() < 2000.0 * 0.04, "{orders:?}");
        assert_eq!(of("payments", true).count, 1);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn idle_and_ended_sessions_drop_their_open_transaction() {
        let mut t = Transactions::default();
        let orders = vec!["orders".to_string()];
        t.observe(1, Control::Begin, Some(0), None, &[], &[]);
        t.observe(1, Control::None, Some(10), None, &orders, &[]);
        t.observe(2, Control::Begin, Some(5_000), None, &[], &[]);
        t.observe(2, Control::None, Some(5_010), None, &orders, &[]);
        t.end_idle(1_000);
        t.end_session(2);
        t.observe(1, Control::End, Some(20_000), None, &[], &[]);
        t.observe(2, Control::End, Some(20_000), None, &[], &[]);
        assert!(t.finish().is_empty());
    }
}
