//! The analysis: reads input files one after the other and folds them into shapes, N+1
//! patterns, lock waits and findings.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use dbwise_catalog::Catalog;
use dbwise_diagnostics::{Category, Finding, Severity, SourceFile, Span, one_line, thousands};
use dbwise_query::antipatterns::{self, AntiPattern};
use dbwise_query::{Query, Schema};
use rustc_hash::FxHashMap;

use crate::transactions::{TableTransactions, Transactions};

use crate::nplusone::{self, Detector, Execution, Pattern};
use crate::pipeline;
use crate::prefix::{self, Prefix, PrefixError};
use crate::readers::pgss::{self, PgssError, Row, RowSink};
use crate::readers::{Level, Record, Sink, csvlog, jsonlog, sqlfile, stderr};
use crate::scan::Hasher;
use crate::shapes::{
    DEFAULT_BUDGET, Folded, Prepared, Shape, ShapeId, ShapeTable, Weight, remember,
};

/// Skipped lines kept, per file, to show the user.
/// The largest SQL file (after decompression) read; it is read whole to split its statements.
pub const MAX_SQL_FILE: u64 = 32 << 20;
const SKIPPED_EXAMPLES: usize = 5;
/// Distinct error messages counted before the rest are lumped together.
const ERROR_KINDS: usize = 1000;
/// Records between two sweeps of idle sessions.
const SWEEP_EVERY: u64 = 1 << 16;
/// Sessions silent for this long are closed by a sweep.
const SESSION_IDLE_MS: i64 = 10 * 60 * 1000;

/// What kind of input a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    Stderr,
    Csvlog,
    Jsonlog,
    PgStatStatements,
    Sql,
}

impl InputFormat {
    pub fn parse(name: &str) -> Option<InputFormat> {
        match name {
            "stderr" => Some(InputFormat::Stderr),
            "csvlog" | "csv" => Some(InputFormat::Csvlog),
            "jsonlog" | "json" => Some(InputFormat::Jsonlog),
            "pg-stat-statements" | "pg_stat_statements" | "pgss" => {
                Some(InputFormat::PgStatStatements)
            }
            "sql" => Some(InputFormat::Sql),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Stderr => "stderr",
            InputFormat::Csvlog => "csvlog",
            InputFormat::Jsonlog => "jsonlog",
            InputFormat::PgStatStatements => "pg-stat-statements",
            InputFormat::Sql => "sql",
        }
    }
}

/// Everything the analysis can be told.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The server's `log_line_prefix`; detected from the common ones when absent.
    pub log_line_prefix: Option<String>,
    /// Force one input format instead of detecting it per file.
    pub format: Option<InputFormat>,
    /// Bytes the query shapes may take ([`DEFAULT_BUDGET`] when not given); past it the
    /// lightest shapes are folded into one total.
    pub memory_budget: Option<u64>,
    /// Query shapes to report in detail, heaviest first (all when not given); the others are
    /// counted in [`Workload::shapes`] and the totals.
    pub report_limit: Option<usize>,
    pub n_plus_one: nplusone::Options,
    pub antipatterns: antipatterns::Options,
    /// The schema the queries run on, when known: it places the unqualified columns of joins
    /// and holds the expression indexes the anti-pattern checks consult.
    pub schema: Option<Arc<Catalog>>,
    /// Fingerprint every distinct statement text with libpg_query instead of every distinct
    /// text after literal replacement (slower; a check of the fast path).
    pub exact_fingerprints: bool,
    /// Threads a server log is read with: 2 or more read, fingerprint and fold it in a
    /// pipeline of three threads (reading, pre-normalising and fingerprinting, folding in); 0 and
    /// 1 read on the calling thread. The outcome is the same.
    pub threads: usize,
    /// Count each shape's calls per hour of the week ([`QueryReport::calls_by_hour`]), for
    /// the traffic at a given time of day.
    pub hourly: bool,
}

/// Why a file could not be read at all. Problems inside a file are counted and reported as
/// skipped lines instead. Each message holds its cause, which is not chained again (an error
/// chain would print it twice).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot open: {cause}")]
    Open { path: String, cause: io::Error },
    #[error("{path}: read failed: {cause}")]
    Read { path: String, cause: io::Error },
    #[error("{path}: {cause}")]
    Export { path: String, cause: PgssError },
    #[error("--log-line-prefix: {0}")]
    Prefix(PrefixError),
}

/// A line that could not be used.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedLine {
    pub line: u64,
    pub text: String,
    pub reason: String,
    pub hint: String,
}

/// What was read from one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub path: String,
    pub format: InputFormat,
    pub bytes: u64,
    pub lines: u64,
    pub statements: u64,
    pub skipped_lines: u64,
    /// The `log_line_prefix` used for a stderr log.
    pub log_line_prefix: Option<String>,
    /// The first few skipped lines.
    pub skipped: Vec<SkippedLine>,
}

/// One query shape in the result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueryReport {
    pub fingerprint: String,
    pub query: String,
    /// The first statement seen with this shape, as it was written (constants kept), when it
    /// parses; `query` otherwise.
    #[serde(skip)]
    pub sample: String,
    pub calls: u64,
    /// The calls whose duration the input gives (a log without `duration:` lines, a SQL file
    /// or `log_statement` output gives none).
    pub timed_calls: u64,
    /// The summed duration of the timed calls; `None` when no call of the shape was timed.
    pub total_ms: Option<f64>,
    /// Fraction of the total time of all shapes; `None` when the shape or the input has no
    /// timings.
    pub share: Option<f64>,
    pub mean_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub rows: Option<u64>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub users: Vec<String>,
    pub databases: Vec<String>,
    pub applications: Vec<String>,
    pub tables: Vec<String>,
    pub tables_read: Vec<String>,
    pub tables_written: Vec<String>,
    pub parse_error: Option<String>,
    /// Calls per hour of the week (Monday 00:00 first, in the log's time zone) when
    /// [`Options::hourly`] asked for them and the input has timestamps; empty otherwise.
    #[serde(skip)]
    pub calls_by_hour: Vec<u64>,
}

/// Lock waits, deadlocks and timeouts of one kind.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WaitReport {
    pub kind: &'static str,
    pub count: u64,
    /// Summed waiting time where the log states it (`still waiting ... after N ms`).
    pub wait_ms: f64,
    pub queries: Vec<CountedQuery>,
    pub tables: Vec<CountedName>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CountedQuery {
    pub fingerprint: String,
    pub query: String,
    pub count: u64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CountedName {
    pub name: String,
    pub count: u64,
}

/// A finding with the workload facts that back it.
#[derive(Debug, Clone)]
pub struct WorkloadFinding {
    pub finding: Finding,
    /// The shape the finding is about (for N+1, the repeated one).
    pub fingerprint: Option<String>,
    /// For N+1, the parent shape.
    pub parent_fingerprint: Option<String>,
    pub calls: Option<u64>,
    pub total_ms: Option<f64>,
    /// Where to see it in the input, as `path:line` descriptions.
    pub examples: Vec<String>,
}

/// The result of an analysis.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The heaviest shapes, at most [`Options::report_limit`] of them.
    pub queries: Vec<QueryReport>,
    /// Shapes kept with at least one call, listed in `queries` or not.
    pub shapes: usize,
    pub findings: Vec<WorkloadFinding>,
    pub waits: Vec<WaitReport>,
    pub errors: Vec<CountedName>,
    pub files: Vec<FileSummary>,
    /// The summed duration of every timed call; `None` when the input has no timings at all.
    pub total_ms: Option<f64>,
    pub total_calls: u64,
    /// The calls whose duration the input gives.
    pub timed_calls: u64,
    /// The part of `total_ms` logged for the parse and bind steps of extended-protocol
    /// statements (where a prepared statement is planned), added to their shapes' time.
    pub prepare_ms: f64,
    /// The shapes folded to stay within the memory budget, which `queries` does not list.
    pub folded: Folded,
    /// The most calls and time any listed shape may have had uncounted, because earlier
    /// occurrences of it were folded (zero when nothing was folded).
    pub max_error: Weight,
    /// The time zone of the log timestamps, when known.
    pub time_zone: Option<String>,
    /// The first and last timestamp of the log records, in milliseconds since the epoch in the
    /// log's time zone; `None` when no record has one.
    pub span_ms: Option<(i64, i64)>,
    /// Per table, how long the logged transactions that read or wrote it lasted (empty for
    /// inputs with no sessions or timestamps).
    pub transactions: Vec<TableTransactions>,
    /// What the reader of the figures must know: sources that may count the same executions.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WaitKind {
    Deadlock,
    LockTimeout,
    LockWait,
    StatementTimeout,
}

impl WaitKind {
    const ALL: [WaitKind; 4] = [
        WaitKind::LockWait,
        WaitKind::Deadlock,
        WaitKind::LockTimeout,
        WaitKind::StatementTimeout,
    ];

    fn name(self) -> &'static str {
        match self {
            WaitKind::Deadlock => "deadlock",
            WaitKind::LockTimeout => "lock-timeout",
            WaitKind::LockWait => "lock-wait",
            WaitKind::StatementTimeout => "statement-timeout",
        }
    }
}

#[derive(Default)]
struct Waits {
    count: u64,
    wait_ms: f64,
    by_shape: FxHashMap<ShapeId, u64>,
    by_table: FxHashMap<String, u64>,
}

#[derive(Default)]
struct Names {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    fn intern(&mut self, name: &str) -> Option<u32> {
        if name.is_empty() || name == "[unknown]" {
            return None;
        }
        if let Some(&id) = self.ids.get(name) {
            return Some(id);
        }
        let id = u32::try_from(self.names.len()).ok()?;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        Some(id)
    }

    fn resolve(&self, ids: &[u32]) -> Vec<String> {
        let mut names: Vec<String> = ids
            .iter()
            .map(|&i| self.names[i as usize].to_string())
            .collect();
        names.sort();
        names
    }
}

/// Reads inputs and accumulates the workload.
pub struct Analyzer {
    options: Options,
    prefix: Option<Prefix>,
    shapes: ShapeTable,
    detector: Detector,
    transactions: Transactions,
    waits: FxHashMap<WaitKind, Waits>,
    errors: FxHashMap<String, u64>,
    names: Names,
    zone: Option<String>,
    /// The first and last record time seen.
    span_ms: Option<(i64, i64)>,
    /// Sessions whose last statement waits for its `duration:` line (log_statement + log_duration).
    awaiting_duration: FxHashMap<u64, ShapeId>,
    /// Time logged for the parse and bind steps of extended-protocol statements.
    prepare_ms: f64,
    files: Vec<FileSummary>,
    file_findings: Vec<WorkloadFinding>,
    records: u64,
}

impl Analyzer {
    pub fn new(options: Options) -> Result<Analyzer, Error> {
        let prefix = options
            .log_line_prefix
            .as_deref()
            .map(Prefix::compile)
            .transpose()
            .map_err(Error::Prefix)?;
        Ok(Analyzer {
            shapes: ShapeTable::new(
                options.antipatterns.clone(),
                options.schema.clone(),
                options.exact_fingerprints,
                options.memory_budget.unwrap_or(DEFAULT_BUDGET),
            ),
            detector: Detector::new(options.n_plus_one),
            transactions: Transactions::default(),
            options,
            prefix,
            waits: FxHashMap::default(),
            errors: FxHashMap::default(),
            names: Names::default(),
            zone: None,
            span_ms: None,
            awaiting_duration: FxHashMap::default(),
            prepare_ms: 0.0,
            files: Vec::new(),
            file_findings: Vec::new(),
            records: 0,
        })
    }

    /// Read one file. `progress` is told the number of bytes of the file read so far. Memory
    /// stays bounded whatever the file holds: log lines are cut at a few MiB, messages stop
    /// growing at a few MiB, and a SQL file (read whole) is refused past [`MAX_SQL_FILE`].
    pub fn add_file(
        &mut self,
        path: &Path,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<(), Error> {
        let shown = path.display().to_string();
        let file = File::open(path).map_err(|cause| Error::Open {
            path: shown.clone(),
            cause,
        })?;
        let read_error = |cause| Error::Read {
            path: shown.clone(),
            cause,
        };
        let mut counted = Counting {
            inner: file,
            read: 0,
            progress,
        };
        let mut magic = [0u8; 2];
        let gzip =
            counted.inner.read(&mut magic).map_err(read_error)? == 2 && magic == [0x1f, 0x8b];
        io::Seek::rewind(&mut counted.inner).map_err(read_error)?;
        let decoded: Box<dyn Read + Send + '_> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
                1 << 16,
                &mut counted,
            )))
        } else {
            Box::new(&mut counted)
        };
        let mut input = BufReader::with_capacity(1 << 16, decoded);
        let head = input.fill_buf().map_err(read_error)?.to_vec();
        let format = self
            .options
            .format
            .unwrap_or_else(|| detect_format(path, &head));
        let index = self.start_file(&shown, format);
        let mut run = FileRun {
            analyzer: self,
            file: index,
        };
        let outcome: Result<(), Error> = match format {
            InputFormat::Stderr | InputFormat::Csvlog | InputFormat::Jsonlog => {
                let prefix = run.analyzer.prefix.clone();
                let read = move |sink: &mut dyn Sink| read_log(format, input, prefix, sink);
                let exact = run.analyzer.options.exact_fingerprints;
                let outcome = if run.analyzer.options.threads > 1 {
                    pipeline::run(
                        read,
                        move |record, seen| prepare(record, exact, seen),
                        &mut run,
                    )
                } else {
                    read(&mut run)
                };
                outcome.map_err(read_error).map(|(used, lines)| {
                    let summary = run.summary();
                    summary.log_line_prefix = used.map(|p| p.source().to_string());
                    summary.lines = lines;
                })
            }
            InputFormat::PgStatStatements => run.read_export(input, &shown),
            InputFormat::Sql => {
                let mut bytes = Vec::new();
                input
                    .take(MAX_SQL_FILE + 1)
                    .read_to_end(&mut bytes)
                    .map_err(read_error)?;
                if bytes.len() as u64 > MAX_SQL_FILE {
                    return Err(read_error(io::Error::other(format!(
                        "a SQL file is read whole and may hold at most {} MiB (after decompression); split it into smaller files",
                        MAX_SQL_FILE >> 20
                    ))));
                }
                run.analyzer.add_sql(index, &shown, &bytes);
                Ok(())
            }
        };
        self.files[index as usize].bytes = counted.read;
        outcome
    }

    /// Read the rows of pg_stat_statements in the CSV of an export (a header row) from
    /// `input`, reported as the source `name`: for rows that never were a file, such as those
    /// `COPY ... TO STDOUT` gives on a live server.
    pub fn add_pg_stat_statements(&mut self, name: &str, input: impl Read) -> Result<(), Error> {
        let index = self.start_file(name, InputFormat::PgStatStatements);
        let mut counted = Counting {
            inner: input,
            read: 0,
            progress: &mut |_| {},
        };
        let outcome = FileRun {
            analyzer: self,
            file: index,
        }
        .read_export(&mut counted, name);
        self.files[index as usize].bytes = counted.read;
        outcome
    }

    /// Add the summary of a source about to be read and return its index.
    fn start_file(&mut self, path: &str, format: InputFormat) -> u32 {
        let index = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(FileSummary {
            path: path.to_owned(),
            format,
            bytes: 0,
            lines: 0,
            statements: 0,
            skipped_lines: 0,
            log_line_prefix: None,
            skipped: Vec::new(),
        });
        index
    }

    fn add_sql(&mut self, file: u32, path: &str, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let source = SourceFile::new(path, text.clone());
        self.files[file as usize].lines = source.line_count() as u64;
        for statement in sqlfile::statements(&text) {
            let line = source.line_col(statement.offset as u32).line as u64;
            let parsed = match Query::parse(&statement.text) {
                Ok(parsed) => parsed,
                Err(error) => {
                    self.skip(
                        file,
                        line,
                        statement.text.as_bytes(),
                        &format!("statement does not parse: {error}"),
                        "fix the SQL or remove the statement; the other statements are analysed",
                    );
                    continue;
                }
            };
            let (_, shape, _) = self.shapes.resolve(&statement.text);
            shape.stats.calls = shape.stats.calls.saturating_add(statement.calls);
            let (fingerprint, calls) = (format!("{:016x}", shape.fingerprint), shape.stats.calls);
            self.files[file as usize].statements += 1;
            let schema = self.options.schema.as_deref().map(|c| c as &dyn Schema);
            for found in parsed.antipatterns(&self.options.antipatterns, schema) {
                let span = token_span(&statement.text, found.location);
                let finding = antipattern_finding(&found, "").at(
                    &source,
                    Span::new(statement.offset + span.0, statement.offset + span.1),
                );
                self.file_findings.push(WorkloadFinding {
                    finding,
                    fingerprint: Some(fingerprint.clone()),
                    parent_fingerprint: None,
                    calls: Some(calls),
                    total_ms: None,
                    examples: vec![format!("{path}:{line}")],
                });
            }
        }
    }

    fn skip(&mut self, file: u32, line: u64, text: &[u8], reason: &str, hint: &str) {
        let summary = &mut self.files[file as usize];
        summary.skipped_lines += 1;
        if summary.skipped.len() < SKIPPED_EXAMPLES {
            let shown = String::from_utf8_lossy(&text[..text.len().min(160)]).into_owned();
            summary.skipped.push(SkippedLine {
                line,
                text: shown,
                reason: reason.to_string(),
                hint: hint.to_string(),
            });
        }
    }

    /// Fold one log record in. `prepared` is [`prepare`] of the record, done ahead.
    fn record(&mut self, file: u32, record: &Record<'_>, prepared: Option<&Prepared>) {
        self.records += 1;
        if self.zone.is_none() && !record.zone.is_empty() {
            self.zone = Some(record.zone.to_string());
        }
        if let Some(t) = record.time {
            self.span_ms = Some(self.span_ms.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
        }
        match Message::of(record) {
            Message::Execution { sql, ms } => self.execution(file, record, sql, ms, prepared),
            Message::Duration(ms) => {
                if let Some(id) = self.awaiting_duration.remove(&record.session) {
                    match self.shapes.get_mut(id) {
                        Some(shape) => shape.stats.record_duration(ms),
                        None => self.shapes.fold_duration(ms),
                    }
                }
            }
            Message::Prepare { sql, ms } => {
                // Parsing and binding a prepared statement (where it is planned) is time spent
                // on that statement's shape, though not a call of it.
                let (_, shape, _) = self.shapes.resolve_prepared(sql, prepared);
                shape.stats.total_ms += ms;
                self.prepare_ms += ms;
            }
            Message::Wait { kind, waited_ms } => self.wait(kind, record, waited_ms, prepared),
            Message::Disconnection => {
                self.detector.end_session(record.session);
                self.transactions.end_session(record.session);
                self.awaiting_duration.remove(&record.session);
            }
            Message::Error(message) => self.error(message),
            Message::Other => {}
        }
        if self.records.is_multiple_of(SWEEP_EVERY)
            && let Some(now) = record.time
        {
            self.detector.end_idle_sessions(now - SESSION_IDLE_MS);
            self.transactions.end_idle(now - SESSION_IDLE_MS);
        }
    }

    fn error(&mut self, message: &str) {
        // stderr logs append the error position to the message; csvlog keeps it apart.
        let message = match message.rsplit_once(" at character ") {
            Some((text, position)) if position.bytes().all(|b| b.is_ascii_digit()) => text,
            _ => message,
        };
        let key = dbwise_diagnostics::truncate_at_char(message, 200);
        if let Some(count) = self.errors.get_mut(key) {
            *count += 1;
        } else if self.errors.len() < ERROR_KINDS {
            self.errors.insert(key.to_string(), 1);
        } else {
            *self.errors.entry("(other errors)".to_string()).or_default() += 1;
        }
    }

    fn wait(
        &mut self,
        kind: WaitKind,
        record: &Record<'_>,
        waited_ms: Option<f64>,
        prepared: Option<&Prepared>,
    ) {
        let shape = (!record.statement.is_empty())
            .then(|| self.shapes.resolve_prepared(record.statement, prepared));
        let mut tables: Vec<String> = Vec::new();
        for text in [record.context, record.detail] {
            let mut rest = text;
            while let Some(at) = rest.find("relation \"") {
                rest = &rest[at + 10..];
                if let Some(end) = rest.find('"') {
                    tables.push(rest[..end].to_string());
                    rest = &rest[end..];
                }
            }
        }
        if tables.is_empty()
            && let Some((_, shape, _)) = &shape
        {
            tables.extend(
                shape
                    .tables_written
                    .iter()
                    .chain(&shape.tables_read)
                    .cloned(),
            );
        }
        tables.sort();
        tables.dedup();
        let entry = self.waits.entry(kind).or_default();
        entry.count += 1;
        entry.wait_ms += waited_ms.unwrap_or(0.0);
        if let Some((id, _, _)) = shape {
            *entry.by_shape.entry(id).or_default() += 1;
        }
        for table in tables {
            *entry.by_table.entry(table).or_default() += 1;
        }
    }

    fn execution(
        &mut self,
        file: u32,
        record: &Record<'_>,
        sql: &str,
        duration_ms: Option<f64>,
        prepared: Option<&Prepared>,
    ) {
        let (id, shape, scanned) = self.shapes.resolve_prepared(sql, prepared);
        let mut parameters = scanned.literals;
        if let Some(values) = record.detail.strip_prefix("parameters: ") {
            let mut hasher = Hasher::default();
            hasher.write(values.as_bytes());
            parameters ^= hasher.finish();
        }
        let (user, database, application) = (
            self.names.intern(record.user),
            self.names.intern(record.database),
            self.names.intern(record.application),
        );
        let stats = &mut shape.stats;
        stats.calls = stats.calls.saturating_add(1);
        match duration_ms {
            Some(ms) => stats.record_duration(ms),
            None => {
                self.awaiting_duration.insert(record.session, id);
            }
        }
        stats.record_time(record.time);
        if self.options.hourly
            && let Some(t) = record.time
        {
            stats.record_hour(t);
        }
        for (set, name) in [
            (&mut stats.users, user),
            (&mut stats.databases, database),
            (&mut stats.applications, application),
        ] {
            if let Some(name) = name {
                remember(set, name);
            }
        }
        shape.observed = true;
        let (control, select) = (shape.control, shape.select);
        self.transactions.observe(
            record.session,
            control,
            record.time,
            duration_ms,
            &shape.tables_read,
            &shape.tables_written,
        );
        self.files[file as usize].statements += 1;
        self.detector.observe(
            record.session,
            &Execution {
                shape: id,
                text: sql,
                control,
                select,
                trace: scanned.trace,
                parameters,
                duration_ms: duration_ms.unwrap_or(0.0),
                time: record.time,
                file,
                line: record.line,
            },
        );
    }

    fn row(&mut self, file: u32, row: &Row<'_>) {
        // What pg_stat_statements shows a role of another role's statement, unless it has
        // pg_read_all_stats: no text, so no shape.
        if row.query == "<insufficient privilege>" {
            self.skip(
                file,
                row.line,
                row.query.as_bytes(),
                "the exporting role may not read this statement's text (another role's)",
                "export as a role with pg_read_all_stats (or the statement's owner) to see it",
            );
            return;
        }
        let (_, shape, _) = self.shapes.resolve(row.query);
        shape.observed = true;
        let (user, database) = (
            self.names.intern(&row.user),
            self.names.intern(&row.database),
        );
        let stats = &mut shape.stats;
        stats.calls = stats.calls.saturating_add(row.calls);
        if let Some(ms) = row.total_ms {
            stats.timed_calls = stats.timed_calls.saturating_add(row.calls);
            stats.total_ms += ms;
        }
        if let Some(min) = row.min_ms {
            stats.min_ms = Some(stats.min_ms.map_or(min, |m| m.min(min)));
        }
        if let Some(max) = row.max_ms {
            stats.max_ms = Some(stats.max_ms.map_or(max, |m| m.max(max)));
        }
        if let Some(rows) = row.rows {
            stats.rows = Some(stats.rows.unwrap_or(0) + rows);
        }
        if let Some(user) = user {
            remember(&mut stats.users, user);
        }
        if let Some(database) = database {
            remember(&mut stats.databases, database);
        }
        let summary = &mut self.files[file as usize];
        summary.statements += 1;
        summary.lines = summary.lines.max(row.line);
    }

    /// Finish the analysis.
    pub fn finish(self) -> Workload {
        let patterns = self.detector.finish();
        let transactions = self.transactions.finish();
        let (mut kept, folded) = self.shapes.finish();
        kept.sort_by(|(_, a), (_, b)| {
            b.stats
                .total_ms
                .total_cmp(&a.stats.total_ms)
                .then(b.stats.calls.cmp(&a.stats.calls))
                .then(a.fingerprint.cmp(&b.fingerprint))
        });
        let total_ms = kept
            .iter()
            .fold(folded.total_ms, |sum, (_, s)| sum + s.stats.total_ms);
        let total_calls = kept.iter().fold(folded.calls, |sum, (_, s)| {
            sum.saturating_add(s.stats.calls)
        });
        let timed_calls = kept.iter().fold(folded.timed_calls, |sum, (_, s)| {
            sum.saturating_add(s.stats.timed_calls)
        });
        let total_ms = (timed_calls > 0).then_some(total_ms);
        let max_error = kept
            .iter()
            .map(|(_, s)| s.error)
            .fold(Weight::default(), Weight::max);
        let shapes: FxHashMap<ShapeId, &Shape> = kept.iter().map(|(id, s)| (*id, &**s)).collect();
        let fingerprint = |shape: &Shape| format!("{:016x}", shape.fingerprint);
        // Shapes seen only in error lines have no calls: they are named by waits, not listed.
        let called = kept.iter().filter(|(_, shape)| shape.stats.calls > 0);
        let shape_count = called.clone().count();
        let queries = called
            .take(self.options.report_limit.unwrap_or(usize::MAX))
            .map(|(_, shape)| query_report(shape, total_ms, &self.names))
            .collect();

        let mut findings = Vec::new();
        for pattern in &patterns {
            // A pattern whose shapes were folded has no text left to show.
            if let (Some(parent), Some(repeated)) =
                (shapes.get(&pattern.parent), shapes.get(&pattern.repeated))
            {
                findings.push(n_plus_one_finding(pattern, parent, repeated, &self.files));
            }
        }
        for (_, shape) in &kept {
            if !shape.observed || shape.stats.calls == 0 {
                continue;
            }
            let source = SourceFile::new(
                format!("query {}", fingerprint(shape)),
                shape.sample.clone(),
            );
            let timed = shape.stats.timed_calls > 0;
            for found in &shape.antipatterns {
                let span = token_span(&shape.sample, found.location);
                let cost = if timed {
                    format!(
                        "; this shape ran {} times for {:.1} ms in total",
                        thousands(shape.stats.calls),
                        shape.stats.total_ms
                    )
                } else {
                    format!(
                        "; this shape ran {} times (no timings)",
                        thousands(shape.stats.calls)
                    )
                };
                findings.push(WorkloadFinding {
                    finding: antipattern_finding(found, &cost)
                        .at(&source, Span::new(span.0, span.1)),
                    fingerprint: Some(fingerprint(shape)),
                    parent_fingerprint: None,
                    calls: Some(shape.stats.calls),
                    total_ms: timed.then_some(shape.stats.total_ms),
                    examples: Vec::new(),
                });
            }
        }
        findings.extend(self.file_findings);

        let waits = WaitKind::ALL
            .iter()
            .filter_map(|kind| {
                let waits = self.waits.get(kind)?;
                let mut queries: Vec<CountedQuery> = waits
                    .by_shape
                    .iter()
                    .filter_map(|(id, &count)| {
                        let shape = shapes.get(id)?;
                        Some(CountedQuery {
                            fingerprint: fingerprint(shape),
                            query: shape.query.clone(),
                            count,
                        })
                    })
                    .collect();
                queries.sort_by(|a, b| {
                    b.count
                        .cmp(&a.count)
                        .then(a.fingerprint.cmp(&b.fingerprint))
                });
                queries.truncate(10);
                Some(WaitReport {
                    kind: kind.name(),
                    count: waits.count,
                    wait_ms: waits.wait_ms,
                    queries,
                    tables: counted(&waits.by_table),
                })
            })
            .collect();

        let warnings = overlap_warning(&self.files).into_iter().collect();
        Workload {
            queries,
            shapes: shape_count,
            findings,
            waits,
            errors: counted(&self.errors),
            files: self.files,
            total_ms,
            total_calls,
            timed_calls,
            prepare_ms: self.prepare_ms,
            warnings,
            folded,
            max_error,
            time_zone: self.zone,
            span_ms: self.span_ms,
            transactions,
        }
    }
}

/// A server log and a pg_stat_statements export given together: if they cover the same server
/// and period, every execution is counted twice, and nothing in either tells.
fn overlap_warning(files: &[FileSummary]) -> Option<String> {
    let export = files
        .iter()
        .find(|f| f.statements > 0 && f.format == InputFormat::PgStatStatements)?;
    let log = files.iter().find(|f| {
        f.statements > 0
            && matches!(
                f.format,
                InputFormat::Stderr | InputFormat::Csvlog | InputFormat::Jsonlog
            )
    })?;
    Some(format!(
        "{} (pg_stat_statements) and {} (a server log) may hold the same executions: if they cover the same server and period, calls and time are counted twice; analyse them in separate runs",
        export.path, log.path
    ))
}

fn counted(map: &FxHashMap<String, u64>) -> Vec<CountedName> {
    let mut list: Vec<CountedName> = map
        .iter()
        .map(|(name, &count)| CountedName {
            name: name.clone(),
            count,
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    list
}

fn query_report(shape: &Shape, total_ms: Option<f64>, names: &Names) -> QueryReport {
    let stats = &shape.stats;
    let mut tables: Vec<String> = shape
        .tables_read
        .iter()
        .chain(&shape.tables_written)
        .cloned()
        .collect();
    tables.sort();
    tables.dedup();
    QueryReport {
        fingerprint: format!("{:016x}", shape.fingerprint),
        query: shape.query.clone(),
        sample: if shape.parse_error.is_none() {
            shape.sample.clone()
        } else {
            shape.query.clone()
        },
        calls: stats.calls,
        timed_calls: stats.timed_calls,
        total_ms: (stats.timed_calls > 0).then_some(stats.total_ms),
        share: total_ms
            .filter(|&all| all > 0.0 && stats.timed_calls > 0)
            .map(|all| stats.total_ms / all),
        mean_ms: (stats.timed_calls > 0).then(|| stats.total_ms / stats.timed_calls as f64),
        min_ms: stats.min_ms,
        max_ms: stats.max_ms,
        p50_ms: stats.percentile_ms(0.50),
        p95_ms: stats.percentile_ms(0.95),
        p99_ms: stats.percentile_ms(0.99),
        rows: stats.rows,
        first_seen: stats.first_seen.map(prefix::format_timestamp),
        last_seen: stats.last_seen.map(prefix::format_timestamp),
        users: names.resolve(&stats.users),
        databases: names.resolve(&stats.databases),
        applications: names.resolve(&stats.applications),
        tables,
        tables_read: shape.tables_read.clone(),
        tables_written: shape.tables_written.clone(),
        parse_error: shape.parse_error.clone(),
        calls_by_hour: stats.hours.as_ref().map_or_else(Vec::new, |h| h.to_vec()),
    }
}

fn antipattern_finding(found: &AntiPattern, cost: &str) -> Finding {
    Finding::new(
        found.rule.id(),
        Category::Query,
        found.rule.severity(),
        format!("{}{cost}", found.message),
    )
    .why(found.rule.why())
    .help(found.help.clone())
}

fn n_plus_one_finding(
    pattern: &Pattern,
    parent: &Shape,
    repeated: &Shape,
    files: &[FileSummary],
) -> WorkloadFinding {
    let per_unit = pattern.executions as f64 / pattern.occurrences.max(1) as f64;
    // A shape the input never timed (statement logging without durations) has no time to add.
    let timed = repeated.stats.timed_calls > 0;
    let together = if timed {
        format!("together {:.1} ms", pattern.total_ms)
    } else {
        "no timings".to_owned()
    };
    let message = format!(
        "N+1: `{}` ran {} times in {} unit(s) of work (about {:.0} per unit), each time right after `{}`; {together}",
        one_line(&repeated.query, 120, "..."),
        thousands(pattern.executions),
        thousands(pattern.occurrences),
        per_unit,
        one_line(&parent.query, 120, "..."),
    );
    let batched = batched_rewrite(&repeated.query);
    let help = match batched {
        Some(rewrite) => format!(
            "Fetch the children of all parent rows at once: collect the keys from the parent's result and run `{rewrite}` with them as one array parameter, or JOIN the child table into the parent query."
        ),
        None => "Fetch the children of all parent rows at once: one query with `= ANY($1)` over the keys from the parent's result, or a JOIN of the child table in the parent query.".to_string(),
    };
    let examples = pattern
        .examples
        .iter()
        .map(|e| {
            let path = files.get(e.file as usize).map_or("?", |f| f.path.as_str());
            format!(
                "{path}:{}: parent `{}`, then lines {}-{}: {} executions such as `{}`",
                e.parent_line,
                one_line(&e.parent_text, 120, "..."),
                e.first_line,
                e.last_line,
                e.executions,
                one_line(&e.first_text, 120, "...")
            )
        })
        .collect();
    let source = SourceFile::new(
        format!("query {:016x}", repeated.fingerprint),
        repeated.query.clone(),
    );
    let finding = Finding::new("n-plus-one", Category::Query, Severity::Warning, message)
        .why("Each execution pays a network round trip, parsing and planning; the total grows with the number of parent rows, while one batched query costs about as much as a single execution.")
        .help(help)
        .at(&source, Span::new(0, repeated.query.len()));
    WorkloadFinding {
        finding,
        fingerprint: Some(format!("{:016x}", repeated.fingerprint)),
        parent_fingerprint: Some(format!("{:016x}", parent.fingerprint)),
        calls: Some(pattern.executions),
        total_ms: timed.then_some(pattern.total_ms),
        examples,
    }
}

/// `... WHERE x = $1` becomes `... WHERE x = ANY($1)` when the query has exactly one `= $n`.
fn batched_rewrite(query: &str) -> Option<String> {
    let mut matches = query.match_indices(" = $");
    let (at, _) = matches.next()?;
    if matches.next().is_some() {
        return None;
    }
    let digits = query[at + 4..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 {
        return None;
    }
    let param = &query[at + 3..at + 4 + digits];
    Some(format!(
        "{} = ANY({param}){}",
        &query[..at],
        &query[at + 4 + digits..]
    ))
}

/// The byte range of the token at `offset` in `text` (up to the next space, comma or parenthesis).
fn token_span(text: &str, offset: usize) -> (usize, usize) {
    let start = offset.min(text.len());
    let len = text[start..]
        .char_indices()
        .find(|&(i, c)| i > 0 && (c.is_whitespace() || c == ',' || c == ')' || c == ';'))
        .map_or(text.len() - start, |(i, _)| i);
    (start, start + len)
}

/// What a log record says, as far as the analysis cares.
enum Message<'r> {
    /// A statement ran: `duration: ... statement:` or `execute`, or the same without duration
    /// (`log_statement`), whose `duration:` line may follow.
    Execution {
        sql: &'r str,
        ms: Option<f64>,
    },
    /// `duration: N ms` alone: the duration of the session's last statement.
    Duration(f64),
    /// The parse or bind step of an extended-protocol statement.
    Prepare {
        sql: &'r str,
        ms: f64,
    },
    /// A lock wait, deadlock or timeout, with the waiting time the log states.
    Wait {
        kind: WaitKind,
        waited_ms: Option<f64>,
    },
    Disconnection,
    /// Any other error, by message.
    Error(&'r str),
    Other,
}

impl<'r> Message<'r> {
    fn of(record: &Record<'r>) -> Message<'r> {
        let message = record.message;
        match record.level {
            Level::Log => {}
            Level::Error | Level::Fatal => {
                let kind = if message.starts_with("deadlock detected") {
                    WaitKind::Deadlock
                } else if message.starts_with("canceling statement due to lock timeout") {
                    WaitKind::LockTimeout
                } else if message.starts_with("canceling statement due to statement timeout") {
                    WaitKind::StatementTimeout
                } else {
                    return Message::Error(message);
                };
                return Message::Wait {
                    kind,
                    waited_ms: None,
                };
            }
            Level::Other => return Message::Other,
        }
        if let Some(rest) = message.strip_prefix("duration: ") {
            let Some((number, after)) = rest.split_once(" ms") else {
                return Message::Other;
            };
            let Ok(ms) = number.trim().parse::<f64>() else {
                return Message::Other;
            };
            let after = after.trim_start();
            if after.is_empty() {
                Message::Duration(ms)
            } else if let Some(sql) = after
                .strip_prefix("statement: ")
                .or_else(|| execute_text(after))
            {
                Message::Execution { sql, ms: Some(ms) }
            } else if let Some(sql) =
                step_text(after, "parse ").or_else(|| step_text(after, "bind "))
            {
                Message::Prepare { sql, ms }
            } else {
                Message::Other
            }
        } else if let Some(sql) = message
            .strip_prefix("statement: ")
            .or_else(|| execute_text(message))
        {
            Message::Execution { sql, ms: None }
        } else if message.starts_with("process ") && message.contains(" still waiting for ") {
            let waited_ms = message.rsplit_once(" after ").and_then(|(_, t)| {
                t.trim_end_matches(" ms")
                    .trim_end_matches('.')
                    .trim_end_matches(" ms")
                    .parse()
                    .ok()
            });
            Message::Wait {
                kind: WaitKind::LockWait,
                waited_ms,
            }
        } else if message.starts_with("disconnection: ") {
            Message::Disconnection
        } else {
            Message::Other
        }
    }

    /// The statement whose shape the record needs, if any.
    fn statement(&self, record: &Record<'r>) -> Option<&'r str> {
        match *self {
            Message::Execution { sql, .. } | Message::Prepare { sql, .. } => Some(sql),
            Message::Wait { .. } => (!record.statement.is_empty()).then_some(record.statement),
            _ => None,
        }
    }
}

/// The shape work of a record that needs no [`ShapeTable`] ([`Prepared`]), for a table built
/// with `exact`; `seen` is the caller's bounded set of keys already given an identity.
fn prepare(
    record: &Record<'_>,
    exact: bool,
    seen: &mut rustc_hash::FxHashSet<u64>,
) -> Option<Prepared> {
    let sql = Message::of(record).statement(record)?;
    Some(Prepared::new(sql, exact, seen))
}

/// `execute <name>: SQL` (extended protocol) gives the SQL.
fn execute_text(message: &str) -> Option<&str> {
    step_text(message, "execute ")
}

/// The SQL of an extended-protocol step logged as `<step> <name>: SQL` (`parse`, `bind`,
/// `execute`; the name is `<unnamed>` or the prepared statement's).
fn step_text<'m>(message: &'m str, step: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(step)?;
    let colon = rest.find(": ")?;
    Some(&rest[colon + 2..])
}

/// Read a server log of `format` (stderr, csvlog or jsonlog) into `sink`; returns the
/// `log_line_prefix` used (stderr) and the number of lines.
fn read_log(
    format: InputFormat,
    input: impl Read,
    prefix: Option<Prefix>,
    sink: &mut dyn Sink,
) -> io::Result<(Option<Prefix>, u64)> {
    match format {
        InputFormat::Stderr => stderr::read(input, prefix, sink),
        InputFormat::Csvlog => csvlog::read(input, sink)
            .map(|lines| (None, lines))
            .map_err(io::Error::other),
        _ => jsonlog::read(input, sink).map(|lines| (None, lines)),
    }
}

/// Decide the format of a file from its name and first bytes.
pub fn detect_format(path: &Path, head: &[u8]) -> InputFormat {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".sql") {
        return InputFormat::Sql;
    }
    let first = head
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    if first.starts_with(b"{") {
        return InputFormat::Jsonlog;
    }
    if pgss::looks_like_header(first) {
        return InputFormat::PgStatStatements;
    }
    // csvlog: the first field is a timestamp with its zone and nothing else.
    if let Some(comma) = memchr::memchr(b',', first)
        && let Some((_, len)) = prefix::parse_timestamp(&first[..comma])
        && first[len..comma]
            .trim_ascii()
            .iter()
            .all(|b| !b.is_ascii_whitespace() && *b != b'[')
    {
        return InputFormat::Csvlog;
    }
    InputFormat::Stderr
}

/// Counts bytes read from the file and reports them.
struct Counting<'p, R> {
    inner: R,
    read: u64,
    progress: &'p mut (dyn FnMut(u64) + Send),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.progress)(self.read);
        Ok(n)
    }
}

/// The analyzer seen from the readers of one file.
struct FileRun<'a> {
    analyzer: &'a mut Analyzer,
    file: u32,
}

impl FileRun<'_> {
    fn summary(&mut self) -> &mut FileSummary {
        &mut self.analyzer.files[self.file as usize]
    }

    fn read_export(&mut self, input: impl Read, path: &str) -> Result<(), Error> {
        pgss::read(input, self).map_err(|cause| Error::Export {
            path: path.to_owned(),
            cause,
        })
    }
}

impl Sink for FileRun<'_> {
    fn record(&mut self, record: &Record<'_>) {
        self.analyzer.record(self.file, record, None);
    }

    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str) {
        self.analyzer.skip(self.file, line, text, reason, hint);
    }
}

impl pipeline::Consumer for FileRun<'_> {
    fn record(&mut self, record: &Record<'_>, prepared: Option<&Prepared>) {
        self.analyzer.record(self.file, record, prepared);
    }

    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str) {
        self.analyzer.skip(self.file, line, text, reason, hint);
    }
}

impl RowSink for FileRun<'_> {
    fn row(&mut self, row: &Row<'_>) {
        self.analyzer.row(self.file, row);
    }

    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str) {
        self.analyzer.skip(self.file, line, text, reason, hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_rewrite_turns_one_equality_into_any() {
        assert_eq!(
            batched_rewrite("SELECT * FROM items WHERE order_id = $1").as_deref(),
            Some("SELECT * FROM items WHERE order_id = ANY($1)")
        );
        assert_eq!(
            batched_rewrite("SELECT * FROM t WHERE a = $1 AND b = $2"),
            None
        );
    }

    #[test]
    fn formats_are_detected_from_names_and_content() {
        let p = Path::new;
        assert_eq!(detect_format(p("q.sql.gz"), b""), InputFormat::Sql);
        assert_eq!(
            detect_format(p("x.log"), b"{\"timestamp\":\"2026-01-01\"}\n"),
            InputFormat::Jsonlog
        );
        assert_eq!(
            detect_format(p("x.csv"), b"userid,dbid,queryid,query,calls\n"),
            InputFormat::PgStatStatements
        );
        assert_eq!(
            detect_format(p("x.csv"), b"2026-11-27 23:10:01.123 UTC,\"u\",\"d\",12,\n"),
            InputFormat::Csvlog
        );
        assert_eq!(
            detect_format(p("x.log"), b"2026-11-27 23:10:01.123 UTC [1] LOG:  x\n"),
            InputFormat::Stderr
        );
    }
}
