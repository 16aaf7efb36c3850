//! Query shapes: statements grouped by libpg_query fingerprint, with their statistics.

use dbwise_diagnostics::truncate_at_char;
use dbwise_query::Query;
use dbwise_query::antipatterns::{self, AntiPattern, MAX_CHECKED_QUERY};
use dbwise_query::facts::Kind;
use dbwise_syntax::tree;
use rustc_hash::FxHashMap;

use crate::histogram::Histogram;
use crate::scan::{self, Hasher, Scanned};

/// Index of a shape in its [`ShapeTable`].
pub type ShapeId = u32;

/// Distinct texts remembered by the key cache before it is emptied and refilled; bounds memory
/// on logs with endless distinct statement texts.
const KEY_CACHE_LIMIT: usize = 200_000;
/// Users, databases and applications remembered per shape.
const NAMES_PER_SHAPE: usize = 32;
/// Longest sample and normalized text kept per shape, for display.
const SAMPLE_LIMIT: usize = 16 * 1024;

/// Whether a statement opens or closes a transaction block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    None,
    Begin,
    End,
}

/// One query shape and what was observed about it.
#[derive(Debug, Clone)]
pub struct Shape {
    pub fingerprint: u64,
    /// The first statement seen with this shape, literals replaced by `$n` when it parses
    /// (bounded length).
    pub query: String,
    /// The first statement seen with this shape, as it was written (bounded length).
    pub sample: String,
    /// Why libpg_query could not parse the statement; such shapes are grouped by text.
    pub parse_error: Option<String>,
    pub tables_read: Vec<String>,
    pub tables_written: Vec<String>,
    pub control: Control,
    /// A plain SELECT (the only kind of statement an N+1 repeats).
    pub select: bool,
    /// Anti-patterns of the whole statement; locations are byte offsets in it, `sample` is its
    /// beginning.
    pub antipatterns: Vec<AntiPattern>,
    pub stats: Stats,
}

/// Execution statistics of a shape.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub calls: u64,
    /// Calls whose duration is known.
    pub timed_calls: u64,
    pub total_ms: f64,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub histogram: Histogram,
    pub rows: Option<u64>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub users: Vec<u32>,
    pub databases: Vec<u32>,
    pub applications: Vec<u32>,
}

impl Stats {
    pub fn record_duration(&mut self, ms: f64) {
        self.timed_calls = self.timed_calls.saturating_add(1);
        self.total_ms += ms;
        self.min_ms = Some(self.min_ms.map_or(ms, |m| m.min(ms)));
        self.max_ms = Some(self.max_ms.map_or(ms, |m| m.max(ms)));
        self.histogram.record((ms * 1000.0).round().max(0.0) as u64);
    }

    pub fn record_time(&mut self, time: Option<i64>) {
        if let Some(t) = time {
            self.first_seen = Some(self.first_seen.map_or(t, |f| f.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |l| l.max(t)));
        }
    }

    /// Percentile in milliseconds, known only when durations were seen one by one.
    pub fn percentile_ms(&self, q: f64) -> Option<f64> {
        let micros = self.histogram.quantile(q)? as f64 / 1000.0;
        Some(micros.clamp(self.min_ms.unwrap_or(micros), self.max_ms.unwrap_or(micros)))
    }
}

/// Remember `id` in a bounded set.
pub fn remember(set: &mut Vec<u32>, id: u32) {
    if set.len() < NAMES_PER_SHAPE && !set.contains(&id) {
        set.push(id);
    }
}

/// All shapes seen so far, and the cache from normalised text to shape.
pub struct ShapeTable {
    shapes: Vec<Shape>,
    by_key: FxHashMap<Box<str>, ShapeId>,
    by_fingerprint: FxHashMap<u64, ShapeId>,
    key: String,
    exact: bool,
    options: antipatterns::Options,
}

impl ShapeTable {
    /// With `exact`, the cache is keyed by the statement text as written, so libpg_query
    /// fingerprints every distinct text (slower; for checking the pre-normaliser).
    pub fn new(options: antipatterns::Options, exact: bool) -> Self {
        ShapeTable {
            shapes: Vec::new(),
            by_key: FxHashMap::default(),
            by_fingerprint: FxHashMap::default(),
            key: String::new(),
            exact,
            options,
        }
    }

    /// The shape of `sql`, created on first sight.
    pub fn resolve(&mut self, sql: &str) -> (ShapeId, Scanned) {
        let scanned = scan::normalize_into(sql, &mut self.key);
        if self.exact {
            self.key.clear();
            self.key.push_str(sql);
        }
        if let Some(&id) = self.by_key.get(self.key.as_str()) {
            return (id, scanned);
        }
        let id = match tree::fingerprint(sql) {
            Ok(fingerprint) => match self.by_fingerprint.get(&fingerprint) {
                Some(&id) => id,
                None => self.create(sql, fingerprint, None),
            },
            Err(error) => {
                let mut hasher = Hasher::default();
                hasher.write(self.key.as_bytes());
                let fingerprint = hasher.finish();
                match self.by_fingerprint.get(&fingerprint) {
                    Some(&id) => id,
                    None => self.create(sql, fingerprint, Some(error.to_string())),
                }
            }
        };
        if self.by_key.len() >= KEY_CACHE_LIMIT {
            self.by_key.clear();
        }
        self.by_key.insert(self.key.as_str().into(), id);
        (id, scanned)
    }

    /// The statement is analysed whole (up to [`MAX_CHECKED_QUERY`]); only the texts kept for
    /// display are cut to [`SAMPLE_LIMIT`], so an anti-pattern past the cut points at the end of
    /// the sample.
    fn create(&mut self, sql: &str, fingerprint: u64, parse_error: Option<String>) -> ShapeId {
        let text = sql.trim().trim_end_matches(';').trim_end();
        let parse_error = parse_error.or_else(|| {
            (text.len() > MAX_CHECKED_QUERY).then(|| {
                format!(
                    "the statement is {} bytes long, over the {} bytes in which its tables and \
                     anti-patterns are looked for",
                    text.len(),
                    MAX_CHECKED_QUERY
                )
            })
        });
        let sample = truncate_at_char(text, SAMPLE_LIMIT).to_string();
        let mut shape = Shape {
            fingerprint,
            query: collapse_whitespace(&sample),
            sample,
            parse_error,
            tables_read: Vec::new(),
            tables_written: Vec::new(),
            control: Control::None,
            select: false,
            antipatterns: Vec::new(),
            stats: Stats::default(),
        };
        if shape.parse_error.is_none() {
            if let Ok(normalized) = tree::normalize(text) {
                shape.query =
                    truncate_at_char(&collapse_whitespace(&normalized), SAMPLE_LIMIT).to_string();
            }
            if let Ok(query) = Query::parse(text) {
                let facts = query.facts();
                shape.tables_read = sorted(facts.iter().flat_map(|f| f.tables_read()));
                shape.tables_written = sorted(facts.iter().flat_map(|f| f.tables_written()));
                let kind = facts.first().map(|f| f.kind);
                shape.control = match kind {
                    Some(Kind::Begin) => Control::Begin,
                    Some(Kind::End) => Control::End,
                    _ => Control::None,
                };
                shape.select = kind == Some(Kind::Select);
                shape.antipatterns = query.antipatterns(&self.options);
            }
        }
        let id = ShapeId::try_from(self.shapes.len()).unwrap_or(ShapeId::MAX);
        self.shapes.push(shape);
        self.by_fingerprint.insert(fingerprint, id);
        id
    }

    pub fn get(&self, id: ShapeId) -> &Shape {
        &self.shapes[id as usize]
    }

    pub fn get_mut(&mut self, id: ShapeId) -> &mut Shape {
        &mut self.shapes[id as usize]
    }

    pub fn into_shapes(self) -> Vec<Shape> {
        self.shapes
    }
}

fn sorted(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort();
    names.dedup();
    names
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_variants_share_one_shape_and_fingerprint() {
        let mut table = ShapeTable::new(antipatterns::Options::default(), false);
        let (a, _) = table.resolve("SELECT abalance FROM pgbench_accounts WHERE aid = 17;");
        let (b, _) = table.resolve("SELECT abalance FROM pgbench_accounts WHERE aid = $1");
        let (c, _) = table.resolve("select abalance from pgbench_accounts where aid in (1, 2, 3)");
        assert_eq!(a, b);
        assert_eq!(a, c);
        let expected =
            tree::fingerprint("SELECT abalance FROM pgbench_accounts WHERE aid = 1").unwrap();
        assert_eq!(table.get(a).fingerprint, expected);
        assert_eq!(
            table.get(a).query,
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1"
        );
        assert_eq!(
            table.get(a).tables_read,
            vec!["pgbench_accounts".to_string()]
        );
    }

    #[test]
    fn relations_are_told_apart_by_name_not_alias() {
        let one = |sql| tree::fingerprint(sql).unwrap();
        assert_ne!(
            one("SELECT * FROM users u WHERE u.id = 1"),
            one("SELECT * FROM orders u WHERE u.id = 1")
        );
        assert_eq!(
            one("SELECT * FROM users WHERE id = 1"),
            one("SELECT * FROM users AS x WHERE id = 1")
        );
        assert_eq!(
            one("SELECT * FROM events_2024_01"),
            one("SELECT * FROM events_2024_02")
        );
    }

    #[test]
    fn writes_and_transaction_control_are_recognised() {
        let mut table = ShapeTable::new(antipatterns::Options::default(), false);
        let (update, _) =
            table.resolve("UPDATE pgbench_tellers SET tbalance = tbalance + 5 WHERE tid = 3");
        assert_eq!(
            table.get(update).tables_written,
            vec!["pgbench_tellers".to_string()]
        );
        let (begin, _) = table.resolve("BEGIN");
        let (end, _) = table.resolve("END;");
        assert_eq!(table.get(begin).control, Control::Begin);
        assert_eq!(table.get(end).control, Control::End);
    }

    #[test]
    fn unparsable_statements_are_grouped_by_text() {
        let mut table = ShapeTable::new(antipatterns::Options::default(), false);
        let (a, _) = table.resolve("SELECT a FROM t WHERE x = 5 AND");
        let (b, _) = table.resolve("SELECT a FROM t WHERE x = 6 AND");
        assert_eq!(a, b);
        assert!(table.get(a).parse_error.is_some());
    }

    /// A SELECT whose IN list of literals runs past the display cut, joined to a second table
    /// and filtered by a leading-wildcard LIKE after the cut.
    fn long_select(items: usize) -> String {
        let list = (0..items).map(|i| format!("'k{i:06}'")).collect::<Vec<_>>();
        format!(
            "SELECT a.id FROM accounts a WHERE a.key IN ({}) AND a.id IN \
             (SELECT account_id FROM payments WHERE note LIKE '%refund')",
            list.join(", ")
        )
    }

    #[test]
    fn a_statement_longer_than_the_sample_is_analysed_whole() {
        let sql = long_select(2_000);
        assert!(sql.len() > 20 * 1024);
        let mut table = ShapeTable::new(antipatterns::Options::default(), false);
        let (id, _) = table.resolve(&sql);
        let shape = table.get(id);
        assert_eq!(shape.parse_error, None);
        assert_eq!(shape.tables_read, vec!["accounts", "payments"]);
        assert!(
            shape
                .antipatterns
                .iter()
                .any(|found| found.location > SAMPLE_LIMIT),
            "{:?}",
            shape.antipatterns
        );
        assert!(shape.sample.len() <= SAMPLE_LIMIT);
        assert!(shape.query.len() <= SAMPLE_LIMIT);
        assert!(!shape.query.contains("'k000001'"), "literals are replaced");
    }

    #[test]
    fn a_statement_over_the_analysis_limit_says_so() {
        let sql = long_select(MAX_CHECKED_QUERY / 10);
        let mut table = ShapeTable::new(antipatterns::Options::default(), false);
        let (id, _) = table.resolve(&sql);
        let shape = table.get(id);
        let error = shape.parse_error.as_deref().unwrap_or_default();
        assert!(
            error.contains(&format!("{} bytes long", sql.len())),
            "{error}"
        );
        assert!(shape.tables_read.is_empty());
        assert!(shape.sample.len() <= SAMPLE_LIMIT);
    }
}
