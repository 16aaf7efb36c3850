//! Query shapes: statements grouped by libpg_query fingerprint, with their statistics.

use std::sync::Arc;

use dbwise_catalog::Catalog;
use dbwise_diagnostics::truncate_at_char;
use dbwise_query::antipatterns::{self, AntiPattern, MAX_CHECKED_QUERY};
use dbwise_query::facts::Kind;
use dbwise_query::{Query, Schema};
use dbwise_syntax::tree;
use rustc_hash::FxHashMap;

use crate::histogram::Histogram;
use crate::scan::{self, Hasher, Scanned};

/// A shape in its [`ShapeTable`]: the slot in the low 32 bits, and in the high ones how many
/// shapes the slot held before, so that an id kept past its shape's eviction finds nothing.
pub type ShapeId = u64;

/// The memory budget of the shape table when none is given.
pub const DEFAULT_BUDGET: u64 = 256 * 1024 * 1024;
/// Share of the budget the cache from statement text to shape may take.
const KEY_CACHE_SHARE: usize = 8;
/// The part of the budget the cache of constant-free texts may take, `budget / TEXT_CACHE_SHARE`.
const TEXT_CACHE_SHARE: usize = 16;

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
    /// Seen in a log or an export, not only in SQL files or error lines.
    pub observed: bool,
    /// How much of the shape's calls and time may have gone uncounted: what its earlier
    /// occurrences may have added before they were folded into the other shapes
    /// ([`ShapeTable`] budget). Zero for a shape that was never folded.
    pub error: Weight,
}

/// Calls and time, the measure by which shapes are kept or folded.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Weight {
    pub calls: u64,
    pub total_ms: f64,
}

impl Weight {
    /// Time first, then calls (inputs without durations rank by calls alone).
    fn cmp(&self, other: &Weight) -> std::cmp::Ordering {
        self.total_ms
            .total_cmp(&other.total_ms)
            .then(self.calls.cmp(&other.calls))
    }

    pub fn max(self, other: Weight) -> Weight {
        if self.cmp(&other).is_lt() {
            other
        } else {
            self
        }
    }

    fn add(self, other: Weight) -> Weight {
        Weight {
            calls: self.calls.saturating_add(other.calls),
            total_ms: self.total_ms + other.total_ms,
        }
    }
}

/// What the shapes folded to stay within the budget add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Folded {
    /// Shapes folded (a shape that came back after it was folded counts again).
    pub shapes: u64,
    pub calls: u64,
    pub timed_calls: u64,
    pub total_ms: f64,
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
    /// Calls per hour of the week (`HOURS_OF_WEEK` counts, Monday 00:00 first, in the log's
    /// time zone), kept only when [`crate::Options::hourly`] asks for them.
    pub hours: Option<Box<[u64; HOURS_OF_WEEK]>>,
}

/// The hours of a week, Monday 00:00 first.
pub const HOURS_OF_WEEK: usize = 7 * 24;

/// The hour of the week (Monday 00:00 is 0) of a log time in milliseconds since the epoch.
/// 1970-01-01 was a Thursday, the fourth day of a week that starts on Monday.
pub fn hour_of_week(ms: i64) -> usize {
    let hours = ms.div_euclid(3_600_000) + 3 * 24;
    hours.rem_euclid(HOURS_OF_WEEK as i64) as usize
}

impl Stats {
    pub fn record_duration(&mut self, ms: f64) {
        self.timed_calls = self.timed_calls.saturating_add(1);
        self.total_ms += ms;
        self.min_ms = Some(self.min_ms.map_or(ms, |m| m.min(ms)));
        self.max_ms = Some(self.max_ms.map_or(ms, |m| m.max(ms)));
        self.histogram.record((ms * 1000.0).round().max(0.0) as u64);
    }

    /// Count a call at `ms` in its hour of the week.
    pub fn record_hour(&mut self, ms: i64) {
        let hours = self
            .hours
            .get_or_insert_with(|| Box::new([0; HOURS_OF_WEEK]));
        hours[hour_of_week(ms)] += 1;
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

/// The shapes seen so far, within a memory budget, and the cache from normalised text to
/// shape.
///
/// When the shapes' estimated size passes the budget, the lightest tenth (by time, then calls)
/// are folded: their statistics go to one [`Folded`] total and their slots are reused. This is
/// the Space-Saving scheme for heavy hitters: a shape created after a fold may have had
/// occurrences before, folded with the others, weighing at most as much as the heaviest
/// folded shape; that bound is its [`Shape::error`]. A shape heavier than every folded one
/// was never folded, so its figures are exact.
pub struct ShapeTable {
    /// By slot; `None` for a folded shape's slot until it is reused. Boxed, so that the spare
    /// capacity of a growing table costs a pointer a slot.
    shapes: Vec<Option<Box<Shape>>>,
    /// By slot: raised when the slot's shape is folded, so its old ids find nothing.
    generations: Vec<u32>,
    free: Vec<u32>,
    by_key: FxHashMap<Box<str>, ShapeId>,
    /// Texts with no constants (parameterised statements, BEGIN, COMMIT) seen again, as written,
    /// with their cache key and scan: such a text comes back on every execution and skips the
    /// pre-normaliser. It memoises the scan only, so shapes are found exactly as without it.
    /// Only the single-thread path fills it (the pipeline scans on its worker), so it stays out
    /// of [`ShapeTable::bytes`], which decides folding: both paths fold alike. It holds at most
    /// a sixteenth of the budget, within the quarter left outside the shapes.
    by_text: FxHashMap<Box<str>, (Box<str>, Scanned)>,
    /// Bytes of the texts in `by_text`.
    text_bytes: usize,
    by_fingerprint: FxHashMap<u64, ShapeId>,
    key: String,
    exact: bool,
    options: antipatterns::Options,
    schema: Option<Arc<Catalog>>,
    budget: usize,
    /// Estimated bytes of the live shapes.
    used: usize,
    /// Bytes of the keys in `by_key`.
    key_bytes: usize,
    folded: Folded,
    /// The heaviest weight (with its own error) of any folded shape.
    threshold: Weight,
}

impl ShapeTable {
    /// With `exact`, the cache is keyed by the statement text as written, so libpg_query
    /// fingerprints every distinct text (slower; for checking the pre-normaliser).
    /// `budget` is the bytes the whole analysis may take: the shapes get three quarters of it, the
    /// rest is left to the readers, the N+1 detector and the report.
    pub fn new(
        options: antipatterns::Options,
        schema: Option<Arc<Catalog>>,
        exact: bool,
        budget: u64,
    ) -> Self {
        ShapeTable {
            shapes: Vec::new(),
            generations: Vec::new(),
            free: Vec::new(),
            by_key: FxHashMap::default(),
            by_text: FxHashMap::default(),
            text_bytes: 0,
            by_fingerprint: FxHashMap::default(),
            key: String::new(),
            exact,
            options,
            schema,
            budget: usize::try_from(budget / 4 * 3).unwrap_or(usize::MAX),
            used: 0,
            key_bytes: 0,
            folded: Folded::default(),
            threshold: Weight::default(),
        }
    }

    /// The shape of `sql`, created on first sight.
    pub fn resolve(&mut self, sql: &str) -> (ShapeId, &mut Shape, Scanned) {
        self.resolve_prepared(sql, None)
    }

    /// [`ShapeTable::resolve`], with `prepared`, when given, being [`Prepared::new`] of the same
    /// `sql` with this table's `exact`, done ahead (on another thread); the outcome is the same
    /// with or without it.
    pub fn resolve_prepared(
        &mut self,
        sql: &str,
        prepared: Option<&Prepared>,
    ) -> (ShapeId, &mut Shape, Scanned) {
        let (id, scanned) = match prepared {
            Some(prepared) => {
                let id = self.find(sql, &prepared.key, || prepared.identity(sql));
                (id, prepared.scanned)
            }
            None => {
                let mut key = std::mem::take(&mut self.key);
                let scanned = match self.by_text.get(sql) {
                    Some((cached, scanned)) => {
                        key.clear();
                        key.push_str(cached);
                        *scanned
                    }
                    None => {
                        let scanned = cache_key(sql, self.exact, &mut key);
                        // A text whose key is already known is a statement that repeats.
                        if scanned.constant_free
                            && !self.exact
                            && self.by_key.contains_key(key.as_str())
                        {
                            self.remember_text(sql, &key, scanned);
                        }
                        scanned
                    }
                };
                let id = self.find(sql, &key, || identity(sql, &key));
                self.key = key;
                (id, scanned)
            }
        };
        match self.get_mut(id) {
            Some(shape) => (id, shape, scanned),
            None => unreachable!("a shape is never folded while it is being resolved"),
        }
    }

    /// Remember the key and scan of a constant-free `sql`, emptying the text cache first when it
    /// is full.
    fn remember_text(&mut self, sql: &str, key: &str, scanned: Scanned) {
        let bytes = heap(sql.len()) + heap(key.len()) + 48;
        if self.by_text.len() >= KEY_CACHE_LIMIT
            || self.text_bytes + bytes > self.budget / TEXT_CACHE_SHARE
        {
            self.by_text.clear();
            self.text_bytes = 0;
        }
        self.text_bytes += bytes;
        self.by_text.insert(sql.into(), (key.into(), scanned));
    }

    /// The shape of `sql`, whose cache key is `key`: from the cache, else by its identity.
    fn find(
        &mut self,
        sql: &str,
        key: &str,
        identity: impl FnOnce() -> (u64, Option<String>),
    ) -> ShapeId {
        if let Some(&id) = self.by_key.get(key) {
            return id;
        }
        let (fingerprint, parse_error) = identity();
        let id = match self.by_fingerprint.get(&fingerprint) {
            Some(&id) => id,
            None => self.create(sql, fingerprint, parse_error),
        };
        if self.by_key.len() >= KEY_CACHE_LIMIT
            || self.key_bytes + key.len() > self.budget / KEY_CACHE_SHARE
        {
            self.by_key.clear();
            self.key_bytes = 0;
        }
        self.key_bytes += heap(key.len()) + 32;
        self.by_key.insert(key.into(), id);
        id
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
            observed: false,
            error: self.threshold,
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
                let schema = self.schema.as_deref().map(|c| c as &dyn Schema);
                shape.antipatterns = query.antipatterns(&self.options, schema);
            }
        }
        self.used += bytes_of(&shape);
        let slot = match self.free.pop() {
            Some(slot) => {
                self.shapes[slot as usize] = Some(Box::new(shape));
                slot
            }
            None => {
                self.shapes.push(Some(Box::new(shape)));
                self.generations.push(0);
                u32::try_from(self.shapes.len() - 1).unwrap_or(u32::MAX)
            }
        };
        let id = shape_id(slot as usize, self.generations[slot as usize]);
        self.by_fingerprint.insert(fingerprint, id);
        if self.bytes() > self.budget {
            self.fold(slot);
        }
        id
    }

    /// Fold the lightest tenth of the live shapes, all but `keep` (the one just created, whose
    /// id the caller is about to use), into [`Folded`].
    fn fold(&mut self, keep: u32) {
        let mut live: Vec<u32> = (0..self.shapes.len() as u32)
            .filter(|&slot| slot != keep && self.shapes[slot as usize].is_some())
            .collect();
        live.sort_by(|&a, &b| self.weight(a).cmp(&self.weight(b)));
        let count = (live.len() / 10).max(1).min(live.len());
        for &slot in &live[..count] {
            let weight = self.weight(slot);
            self.threshold = self.threshold.max(weight);
            let Some(shape) = self.shapes[slot as usize].take() else {
                continue;
            };
            self.generations[slot as usize] = self.generations[slot as usize].wrapping_add(1);
            self.by_fingerprint.remove(&shape.fingerprint);
            self.folded.shapes += 1;
            self.folded.calls = self.folded.calls.saturating_add(shape.stats.calls);
            self.folded.timed_calls = self
                .folded
                .timed_calls
                .saturating_add(shape.stats.timed_calls);
            self.folded.total_ms += shape.stats.total_ms;
            self.free.push(slot);
        }
        // Histograms and name lists grow after a shape is created: count what is kept anew.
        self.used = self.shapes.iter().flatten().map(|s| bytes_of(s)).sum();
        // Texts of the folded shapes leave the key cache; they find their shape again by
        // fingerprint if they come back.
        let generations = &self.generations;
        let mut key_bytes = 0;
        self.by_key.retain(|key, id| {
            let live = live_slot(generations, *id).is_some();
            if live {
                key_bytes += heap(key.len()) + 32;
            }
            live
        });
        self.key_bytes = key_bytes;
    }

    /// Estimated bytes of the table: the shapes' heap data, the slots and maps with their spare
    /// capacity, and the key cache.
    fn bytes(&self) -> usize {
        self.used
            + self.key_bytes
            + self.shapes.capacity() * std::mem::size_of::<Option<Box<Shape>>>()
            + self.generations.capacity() * 4
            + self.free.capacity() * 4
            // A hash table holds its entries and a control byte each, at most 7/8 full.
            + self.by_fingerprint.capacity() * (2 * 8 + 1) * 8 / 7
    }

    /// A shape's counted calls and time plus its error: what it may weigh at most.
    fn weight(&self, slot: u32) -> Weight {
        self.shapes[slot as usize]
            .as_ref()
            .map_or(Weight::default(), |shape| {
                Weight {
                    calls: shape.stats.calls,
                    total_ms: shape.stats.total_ms,
                }
                .add(shape.error)
            })
    }

    /// The shape `id` names, if it was not folded since.
    pub fn get(&self, id: ShapeId) -> Option<&Shape> {
        self.shapes.get(self.slot(id)?)?.as_deref()
    }

    /// The shape `id` names, if it was not folded since.
    pub fn get_mut(&mut self, id: ShapeId) -> Option<&mut Shape> {
        let slot = self.slot(id)?;
        self.shapes.get_mut(slot)?.as_deref_mut()
    }

    /// The slot of `id`, if the slot has not been folded since the id was given.
    fn slot(&self, id: ShapeId) -> Option<usize> {
        live_slot(&self.generations, id)
    }

    /// A duration whose statement's shape was folded before its `duration:` line came.
    pub fn fold_duration(&mut self, ms: f64) {
        self.folded.timed_calls = self.folded.timed_calls.saturating_add(1);
        self.folded.total_ms += ms;
    }

    /// The shapes kept, by id, and what the folded ones add up to.
    pub fn finish(self) -> (Vec<(ShapeId, Box<Shape>)>, Folded) {
        let shapes = self
            .shapes
            .into_iter()
            .zip(self.generations)
            .enumerate()
            .filter_map(|(slot, (shape, generation))| Some((shape_id(slot, generation), shape?)))
            .collect();
        (shapes, self.folded)
    }
}

/// Write the key under which the cache finds `sql`'s shape into `key`: the pre-normalised text,
/// or with `exact` the text as written.
fn cache_key(sql: &str, exact: bool, key: &mut String) -> Scanned {
    let scanned = scan::normalize_into(sql, key);
    if exact {
        key.clear();
        key.push_str(sql);
    }
    scanned
}

/// What a shape is known by: the libpg_query fingerprint of `sql`, or for a statement that
/// does not parse, the hash of its cache key `key`, with the parse error.
fn identity(sql: &str, key: &str) -> (u64, Option<String>) {
    match tree::fingerprint(sql) {
        Ok(fingerprint) => (fingerprint, None),
        Err(error) => {
            let mut hasher = Hasher::default();
            hasher.write(key.as_bytes());
            (hasher.finish(), Some(error.to_string()))
        }
    }
}

/// The work of resolving one statement that needs no [`ShapeTable`]: its cache key and scan, and
/// (for a text whose key is new) its identity, so it can be done on another thread.
#[derive(Debug, Clone)]
pub struct Prepared {
    key: String,
    scanned: Scanned,
    identity: Option<(u64, Option<String>)>,
}

impl Prepared {
    /// Prepare `sql` for a table built with `exact`; its identity is computed when `seen` (a
    /// bounded set of key hashes the caller keeps) does not hold its key yet.
    pub fn new(sql: &str, exact: bool, seen: &mut rustc_hash::FxHashSet<u64>) -> Prepared {
        let mut key = String::new();
        let scanned = cache_key(sql, exact, &mut key);
        let mut hasher = Hasher::default();
        hasher.write(key.as_bytes());
        if seen.len() >= KEY_CACHE_LIMIT {
            seen.clear();
        }
        let identity = seen.insert(hasher.finish()).then(|| identity(sql, &key));
        Prepared {
            key,
            scanned,
            identity,
        }
    }

    /// The identity of `sql` (the text this was prepared from), computed now if it was not then.
    fn identity(&self, sql: &str) -> (u64, Option<String>) {
        self.identity
            .clone()
            .unwrap_or_else(|| identity(sql, &self.key))
    }
}

fn shape_id(slot: usize, generation: u32) -> ShapeId {
    u64::from(generation) << 32 | slot as u64
}

/// The slot `id` names, unless the slot's shape was folded since the id was given.
fn live_slot(generations: &[u32], id: ShapeId) -> Option<usize> {
    let slot = (id & u64::from(u32::MAX)) as usize;
    (generations.get(slot) == Some(&((id >> 32) as u32))).then_some(slot)
}

/// Estimated bytes a shape holds, with its share of the maps that find it.
fn bytes_of(shape: &Shape) -> usize {
    let strings = |list: &[String]| list.iter().map(|s| heap(s.capacity())).sum::<usize>();
    heap(std::mem::size_of::<Shape>())
        + heap(shape.query.capacity())
        + heap(shape.sample.capacity())
        + shape.parse_error.as_ref().map_or(0, |e| heap(e.capacity()))
        + heap(shape.tables_read.capacity() * std::mem::size_of::<String>())
        + strings(&shape.tables_read)
        + heap(shape.tables_written.capacity() * std::mem::size_of::<String>())
        + strings(&shape.tables_written)
        + heap(shape.antipatterns.capacity() * std::mem::size_of::<AntiPattern>())
        + shape
            .antipatterns
            .iter()
            .map(|a| heap(a.message.capacity()) + heap(a.help.capacity()))
            .sum::<usize>()
        + heap(shape.stats.histogram.heap_bytes())
        + heap(4 * shape.stats.users.capacity())
        + heap(4 * shape.stats.databases.capacity())
        + heap(4 * shape.stats.applications.capacity())
        + shape
            .stats
            .hours
            .as_ref()
            .map_or(0, |_| heap(8 * HOURS_OF_WEEK))
}

/// What an allocation of `bytes` takes from the allocator: a header, rounded up to 16 bytes
/// (nothing when nothing is allocated).
fn heap(bytes: usize) -> usize {
    if bytes == 0 {
        0
    } else {
        (bytes + 8).div_ceil(16) * 16
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

    /// A table with the default options and memory budget.
    fn table() -> ShapeTable {
        ShapeTable::new(
            antipatterns::Options::default(),
            None,
            false,
            DEFAULT_BUDGET,
        )
    }

    #[test]
    fn literal_variants_share_one_shape_and_fingerprint() {
        let mut table = table();
        let (a, _, _) = table.resolve("SELECT abalance FROM pgbench_accounts WHERE aid = 17;");
        let (b, _, _) = table.resolve("SELECT abalance FROM pgbench_accounts WHERE aid = $1");
        let (c, _, _) =
            table.resolve("select abalance from pgbench_accounts where aid in (1, 2, 3)");
        assert_eq!(a, b);
        assert_eq!(a, c);
        let expected =
            tree::fingerprint("SELECT abalance FROM pgbench_accounts WHERE aid = 1").unwrap();
        assert_eq!(table.get(a).unwrap().fingerprint, expected);
        assert_eq!(
            table.get(a).unwrap().query,
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1"
        );
        assert_eq!(
            table.get(a).unwrap().tables_read,
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
        let mut table = table();
        let (update, _, _) =
            table.resolve("UPDATE pgbench_tellers SET tbalance = tbalance + 5 WHERE tid = 3");
        assert_eq!(
            table.get(update).unwrap().tables_written,
            vec!["pgbench_tellers".to_string()]
        );
        let (begin, _, _) = table.resolve("BEGIN");
        let (end, _, _) = table.resolve("END;");
        assert_eq!(table.get(begin).unwrap().control, Control::Begin);
        assert_eq!(table.get(end).unwrap().control, Control::End);
    }

    #[test]
    fn unparsable_statements_are_grouped_by_text() {
        let mut table = table();
        let (a, _, _) = table.resolve("SELECT a FROM t WHERE x = 5 AND");
        let (b, _, _) = table.resolve("SELECT a FROM t WHERE x = 6 AND");
        assert_eq!(a, b);
        assert!(table.get(a).unwrap().parse_error.is_some());
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
        let mut table = table();
        let (id, _, _) = table.resolve(&sql);
        let shape = table.get(id).unwrap();
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
        let mut table = table();
        let (id, _, _) = table.resolve(&sql);
        let shape = table.get(id).unwrap();
        let error = shape.parse_error.as_deref().unwrap_or_default();
        assert!(
            error.contains(&format!("{} bytes long", sql.len())),
            "{error}"
        );
        assert!(shape.tables_read.is_empty());
        assert!(shape.sample.len() <= SAMPLE_LIMIT);
    }

    /// A distinct shape per number: the column name spells the number in letters.
    fn light(i: usize) -> String {
        let name: String = format!("{i:x}")
            .chars()
            .map(|c| (b'g' + c.to_digit(16).unwrap() as u8) as char)
            .collect();
        format!("SELECT c_{name} FROM light WHERE id = {i}")
    }

    #[test]
    fn past_the_budget_light_shapes_fold_and_heavy_ones_stay_exact() {
        let mut table = ShapeTable::new(antipatterns::Options::default(), None, false, 200_000);
        let heavy = |h: usize| {
            format!(
                "SELECT * FROM heavy_{} WHERE id = 1",
                ["a", "b", "c", "d", "e"][h]
            )
        };
        let (mut calls, mut total_ms) = (0u64, 0.0);
        for i in 0..4_000 {
            let (_, shape, _) = table.resolve(&light(i));
            shape.stats.calls += 1;
            shape.stats.record_duration(1.0);
            calls += 1;
            total_ms += 1.0;
            if i % 10 == 0 {
                let (_, shape, _) = table.resolve(&heavy(i / 10 % 5));
                shape.stats.calls += 1;
                shape.stats.record_duration(50.0);
                calls += 1;
                total_ms += 50.0;
            }
        }
        let (kept, folded) = table.finish();
        assert!(folded.shapes > 1_000, "{folded:?}");
        assert!(kept.len() < 2_000, "{} kept", kept.len());
        for h in 0..5 {
            let fingerprint = tree::fingerprint(&heavy(h)).unwrap();
            let (_, shape) = kept
                .iter()
                .find(|(_, s)| s.fingerprint == fingerprint)
                .unwrap();
            assert_eq!(shape.stats.calls, 80);
            assert_eq!(shape.stats.total_ms, 4_000.0);
            assert_eq!(shape.error, Weight::default());
        }
        let kept_calls: u64 = kept.iter().map(|(_, s)| s.stats.calls).sum();
        let kept_ms: f64 = kept.iter().map(|(_, s)| s.stats.total_ms).sum();
        assert_eq!(kept_calls + folded.calls, calls);
        assert_eq!(kept_ms + folded.total_ms, total_ms);
        // Light shapes created after a fold carry the bound of what they may have lost.
        assert!(kept.iter().any(|(_, s)| s.error.calls > 0));
    }

    #[test]
    fn an_id_kept_past_its_shapes_fold_finds_nothing() {
        let mut table = ShapeTable::new(antipatterns::Options::default(), None, false, 50_000);
        let (first, _, _) = table.resolve(&light(0));
        for i in 1..1_000 {
            let (_, shape, _) = table.resolve(&light(i));
            shape.stats.calls += 1;
        }
        assert!(table.get(first).is_none());
        let (again, _, _) = table.resolve(&light(0));
        assert_ne!(again, first);
        assert!(table.get(again).is_some());
    }
}
