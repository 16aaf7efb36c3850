//! Run migration statements one by one on a real PostgreSQL and record, for each, the locks it
//! took (from `pg_locks`), the relations it rewrote (relfilenode changes), the relations it
//! scanned (sequential-scan counters) and how long it ran.
//!
//! Statements that may run in a transaction block are observed from inside their transaction,
//! just after they finish, while their locks are still held. Statements that refuse transaction
//! blocks (`CREATE INDEX CONCURRENTLY`, `VACUUM FULL`, ...) are observed with a *blocking
//! probe*: a second connection holds ACCESS SHARE on the tables the statement names and an open
//! snapshot, which makes the statement wait part-way; the probe reads the statement's granted and
//! requested locks from `pg_locks`, then lets it go.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use dbwise_diagnostics::Span;
use dbwise_locks::LockLevel;
use dbwise_syntax::ParsedFile;
use postgres::Client;

use crate::PgError;
use crate::cluster::quote_ident;
use dbwise_syntax::transaction::{StatementKind, inspect};

const RELATIONS: &str = include_str!("queries/relations.sql");
const LOCKS: &str = include_str!("queries/locks.sql");
const PROBE: &str = include_str!("queries/probe.sql");

/// How the statements of one file are grouped into transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileTransaction {
    /// The whole file in one transaction, as a migration tool that wraps each migration runs it.
    /// A statement that refuses transaction blocks then fails, as it would in production. A file
    /// with its own `BEGIN`/`COMMIT` runs as written instead.
    Wrapped,
    /// As written: the file's explicit transactions are honoured and every other statement
    /// commits on its own.
    AsWritten,
    /// The file is sent as one multi-statement query (Prisma, golang-migrate): PostgreSQL runs
    /// it as one implicit transaction when it holds more than one statement, and a lone
    /// statement on its own (so a lone `CREATE INDEX CONCURRENTLY` works).
    OneScript,
}

/// Whether the traced database keeps what the migrations do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// A scratch database (a throwaway cluster): statements commit as the files say.
    Scratch,
    /// A database that must not change: everything runs in one transaction that is rolled back.
    /// Transaction control and statements that refuse transaction blocks are skipped.
    RollbackAll,
}

/// How the locks of a statement were seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Observation {
    /// From inside the statement's transaction, right after it finished.
    InTransaction,
    /// By the blocking probe, while the statement waited.
    BlockingProbe,
    /// The statement finished without waiting for the probe; its locks were not seen.
    NotObserved,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    Ok,
    Failed {
        sqlstate: String,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
        /// 1-based line in the file where PostgreSQL placed the error, when it gave a position.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
    Skipped {
        reason: String,
    },
}

/// One lock a statement took.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RelationLock {
    /// Schema-qualified unless the schema is `public`.
    pub relation: String,
    pub kind: RelationKind,
    pub mode: LockLevel,
    /// The relation was created by this statement (invisible to other sessions until commit).
    pub created: bool,
    /// The statement was waiting for this lock when the probe looked (not yet granted).
    pub waiting: bool,
    /// Plain `SELECT`s on the relation wait while the lock is held.
    pub blocks_reads: bool,
    /// `INSERT`, `UPDATE` and `DELETE` on the relation wait while the lock is held.
    pub blocks_writes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    Table,
    PartitionedTable,
    Index,
    PartitionedIndex,
    Sequence,
    View,
    MaterializedView,
    ForeignTable,
    Other,
}

impl RelationKind {
    fn from_relkind(relkind: &str) -> RelationKind {
        match relkind {
            "r" => RelationKind::Table,
            "p" => RelationKind::PartitionedTable,
            "i" => RelationKind::Index,
            "I" => RelationKind::PartitionedIndex,
            "S" => RelationKind::Sequence,
            "v" => RelationKind::View,
            "m" => RelationKind::MaterializedView,
            "f" => RelationKind::ForeignTable,
            _ => RelationKind::Other,
        }
    }

    fn is_table_like(self) -> bool {
        matches!(
            self,
            RelationKind::Table | RelationKind::PartitionedTable | RelationKind::MaterializedView
        )
    }
}

/// What one statement did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementTrace {
    pub span: Span,
    /// 1-based line of the statement's first character.
    pub line: u32,
    pub sql: String,
    pub outcome: Outcome,
    /// The statement ran inside a transaction block.
    pub in_transaction: bool,
    pub observed_by: Observation,
    /// Locks taken by this statement, strongest first; locks the transaction already held
    /// before it are not repeated.
    pub locks: Vec<RelationLock>,
    /// Relations that got new storage (relfilenode) from this statement.
    pub rewritten: Vec<String>,
    /// Tables and materialized views this statement read sequentially; `None` when the server
    /// could not tell (a probed statement on PostgreSQL before 15).
    pub scanned: Option<Vec<String>>,
    /// Wall time of the statement, in milliseconds. For probed statements the time spent
    /// waiting for the probe is subtracted, up to one polling interval.
    pub duration_ms: f64,
    /// How the statement was run, when not as the other statements were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSyntaxError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FileTrace {
    pub path: String,
    /// A file with syntax errors is not run at all (running part of a migration would show
    /// locks it never takes as a whole).
    pub syntax_errors: Vec<FileSyntaxError>,
    pub statements: Vec<StatementTrace>,
    /// A problem after the last statement (a failed `COMMIT`, a transaction left open).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FileTrace {
    pub fn failed_statements(&self) -> usize {
        self.statements
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Failed { .. }))
            .count()
    }
}

#[derive(Debug, Clone)]
struct Relation {
    name: String,
    relname: String,
    kind: RelationKind,
    relfilenode: u32,
    /// The table of an index; 0 for other relations.
    owner: u32,
    scans: i64,
    schema: String,
}

type Snapshot = HashMap<u32, Relation>;

/// A relation lock seen in `pg_locks`: the relation's oid, the mode, and whether it is still
/// waiting to be granted.
type SeenLock = (u32, LockLevel, bool);

/// A connection that runs migration files and watches what they lock.
pub struct Tracer {
    main: Client,
    /// Connections for the blocking probe; without them, statements that refuse transaction
    /// blocks run unobserved.
    probe: Option<Probe>,
    main_pid: i32,
    pg_major: u32,
    server_version: String,
    target: Target,
    /// How long the probe waits for a statement before giving up on observing it.
    pub probe_timeout: Duration,
    /// A superuser connection to the same database, for `CREATE EXTENSION` of extensions the
    /// server has (most need a superuser); `None` runs them as the traced role.
    superuser: Option<Client>,
}

/// Bounds on each traced statement, applied to the tracing session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// `statement_timeout`: a statement running longer is cancelled and reported as failed.
    pub statement_timeout: String,
    /// `lock_timeout`: a statement waiting longer for a lock is cancelled and reported as
    /// failed. Keep it off (`0`) on a throwaway cluster: the blocking probe makes statements
    /// wait on purpose.
    pub lock_timeout: String,
}

impl Tracer {
    pub fn new(
        mut main: Client,
        probe: Option<ProbeConnections>,
        target: Target,
    ) -> Result<Tracer, PgError> {
        let probe = match probe {
            Some(ProbeConnections {
                observer,
                mut blocker,
            }) => {
                let pid = blocker
                    .query_one("SELECT pg_backend_pid()", &[])
                    .map_err(PgError::Query)?;
                // The probe runs as a superuser next to the traced SQL: objects that SQL creates
                // must not capture the probe's names.
                let mut observer = observer;
                for client in [&mut observer, &mut blocker] {
                    client
                        .batch_execute(PINNED_SEARCH_PATH)
                        .map_err(PgError::Query)?;
                }
                Some(Probe {
                    observer,
                    blocker,
                    blocker_pid: pid.get(0),
                })
            }
            None => None,
        };
        let row = main
            .query_one(
                "SELECT pg_backend_pid(), current_setting('server_version'), current_setting('server_version_num')::int",
                &[],
            )
            .map_err(PgError::Query)?;
        let version_num: i32 = row.get(2);
        let mut tracer = Tracer {
            main,
            probe,
            main_pid: row.get(0),
            pg_major: u32::try_from(version_num / 10000).unwrap_or(0),
            server_version: row.get(1),
            target,
            probe_timeout: Duration::from_secs(120),
            superuser: None,
        };
        if target == Target::RollbackAll {
            // The statements were split as libpg_query reads SQL, with standard strings; the
            // server must read them the same way.
            tracer
                .main
                .batch_execute("SET standard_conforming_strings = on; BEGIN")
                .map_err(PgError::Query)?;
        }
        Ok(tracer)
    }

    /// Run `CREATE EXTENSION` of extensions the server has on this superuser connection to the
    /// same database, committed on its own (its locks are not traced).
    pub fn with_superuser(mut self, mut client: Client) -> Result<Tracer, PgError> {
        client
            .batch_execute(PINNED_SEARCH_PATH)
            .map_err(PgError::Query)?;
        self.superuser = Some(client);
        Ok(self)
    }

    /// Apply `limits` to the tracing session.
    pub fn set_limits(&mut self, limits: &Limits) -> Result<(), PgError> {
        for (name, value) in [
            ("statement_timeout", &limits.statement_timeout),
            ("lock_timeout", &limits.lock_timeout),
        ] {
            self.main
                .execute(
                    "SELECT pg_catalog.set_config($1, $2, false)",
                    &[&name, value],
                )
                .map_err(|error| PgError::Setting {
                    name,
                    value: value.clone(),
                    source: error,
                })?;
        }
        Ok(())
    }

    pub fn pg_major(&self) -> u32 {
        self.pg_major
    }

    pub fn server_version(&self) -> &str {
        &self.server_version
    }

    pub fn target(&self) -> Target {
        self.target
    }

    /// Roll back everything for [`Target::RollbackAll`]; a no-op otherwise.
    pub fn finish(mut self) -> Result<(), PgError> {
        if self.target == Target::RollbackAll {
            self.main
                .batch_execute("ROLLBACK")
                .map_err(PgError::Query)?;
        }
        Ok(())
    }

    /// Run one parsed file. `Err` only for a lost connection; SQL errors are recorded in the
    /// statement's [`Outcome`].
    pub fn trace_file(
        &mut self,
        file: &ParsedFile,
        grouping: FileTransaction,
    ) -> Result<FileTrace, PgError> {
        let source = &file.source;
        let mut trace = FileTrace {
            path: source.path().to_owned(),
            syntax_errors: file
                .errors
                .iter()
                .map(|error| {
                    let at = source.line_col(error.span.start);
                    FileSyntaxError {
                        line: at.line,
                        column: at.column,
                        message: error.message.clone(),
                    }
                })
                .collect(),
            statements: Vec::new(),
            note: None,
        };
        if !trace.syntax_errors.is_empty() {
            return Ok(trace);
        }
        let kinds: Vec<StatementKind> = file
            .statements
            .iter()
            .map(|s| inspect(file.source.slice(s.span), self.pg_major))
            .collect();
        let controls_transactions = kinds.iter().any(|k| {
            matches!(
                k,
                StatementKind::Begin | StatementKind::End | StatementKind::Savepoint
            )
        });
        let grouping = match grouping {
            FileTransaction::OneScript if file.statements.len() > 1 => FileTransaction::Wrapped,
            FileTransaction::OneScript => FileTransaction::AsWritten,
            other => other,
        };
        match (self.target, grouping) {
            (Target::RollbackAll, _) => {
                self.run_inside_outer_transaction(file, &kinds, &mut trace)?
            }
            (Target::Scratch, FileTransaction::Wrapped) if !controls_transactions => {
                self.run_in_one_transaction(file, &kinds, &mut trace)?;
            }
            (Target::Scratch, _) => self.run_as_written(file, &kinds, &mut trace)?,
        }
        Ok(trace)
    }

    fn run_in_one_transaction(
        &mut self,
        file: &ParsedFile,
        kinds: &[StatementKind],
        trace: &mut FileTrace,
    ) -> Result<(), PgError> {
        self.main.batch_execute("BEGIN").map_err(PgError::Query)?;
        let mut failed_at = None;
        for (statement, kind) in file.statements.iter().zip(kinds) {
            let mut step = self.start(file, statement.span, true);
            if let Some(line) = failed_at {
                step.outcome = skipped(format!(
                    "not run: the file's transaction was rolled back after the error on line {line}"
                ));
            } else if let Some(reason) = never_run(kind) {
                step.outcome = skipped(reason);
            } else {
                if !self.ran_as_superuser(file, kind, &mut step)? {
                    self.observe_in_transaction(file, &mut step)?;
                }
                if matches!(step.outcome, Outcome::Failed { .. }) {
                    failed_at = Some(step.line);
                }
            }
            trace.statements.push(step);
        }
        let end = if failed_at.is_some() {
            "ROLLBACK"
        } else {
            "COMMIT"
        };
        if let Err(error) = self.main.batch_execute(end) {
            trace.note = Some(format!("COMMIT failed: {}", describe(&error)));
        }
        Ok(())
    }

    fn run_as_written(
        &mut self,
        file: &ParsedFile,
        kinds: &[StatementKind],
        trace: &mut FileTrace,
    ) -> Result<(), PgError> {
        let mut in_block = false;
        for (statement, kind) in file.statements.iter().zip(kinds) {
            let mut step = self.start(file, statement.span, in_block);
            match kind {
                StatementKind::Begin | StatementKind::End | StatementKind::Savepoint => {
                    self.run_plain(file, &mut step);
                    match kind {
                        StatementKind::Begin => in_block = true,
                        StatementKind::End => in_block = false,
                        _ => {}
                    }
                }
                StatementKind::CopyStdio | StatementKind::Several(_) => {
                    step.outcome = skipped(never_run(kind).unwrap_or_default());
                }
                _ if self.ran_as_superuser(file, kind, &mut step)? => {}
                StatementKind::NonTransactional if !in_block => {
                    self.observe_with_probe(file, &mut step)?
                }
                _ if in_block => self.observe_in_transaction(file, &mut step)?,
                _ => {
                    step.in_transaction = true;
                    self.main.batch_execute("BEGIN").map_err(PgError::Query)?;
                    self.observe_in_transaction(file, &mut step)?;
                    let end = if matches!(step.outcome, Outcome::Failed { .. }) {
                        "ROLLBACK"
                    } else {
                        "COMMIT"
                    };
                    if let Err(error) = self.main.batch_execute(end) {
                        step.outcome = self.failure(file, &step, &error);
                    }
                }
            }
            trace.statements.push(step);
        }
        if in_block {
            self.main
                .batch_execute("ROLLBACK")
                .map_err(PgError::Query)?;
            trace.note = Some("the file left a transaction open; dbwise rolled it back".to_owned());
        }
        Ok(())
    }

    fn run_inside_outer_transaction(
        &mut self,
        file: &ParsedFile,
        kinds: &[StatementKind],
        trace: &mut FileTrace,
    ) -> Result<(), PgError> {
        for (statement, kind) in file.statements.iter().zip(kinds) {
            let mut step = self.start(file, statement.span, true);
            match kind {
                StatementKind::Begin | StatementKind::End | StatementKind::Savepoint => {
                    step.outcome = skipped("transaction control is ignored: everything runs in one transaction that is rolled back".to_owned());
                }
                StatementKind::NonTransactional => {
                    step.outcome = skipped(
                        "cannot run inside a transaction block, and this database must be left unchanged; trace it on a throwaway cluster (without --database-url)"
                            .to_owned(),
                    );
                }
                StatementKind::SessionState => {
                    step.outcome = skipped("changes how the session reads SQL, who runs it or dbwise's own settings; refused against a database that must be left unchanged".to_owned());
                }
                StatementKind::CopyStdio | StatementKind::Several(_) => {
                    step.outcome = skipped(never_run(kind).unwrap_or_default());
                }
                StatementKind::Regular | StatementKind::CreateExtension(_) => {
                    self.main
                        .batch_execute("SAVEPOINT dbwise_statement")
                        .map_err(PgError::Query)?;
                    self.observe_in_transaction(file, &mut step)?;
                    let end = if matches!(step.outcome, Outcome::Failed { .. }) {
                        "ROLLBACK TO SAVEPOINT dbwise_statement; RELEASE SAVEPOINT dbwise_statement"
                    } else {
                        "RELEASE SAVEPOINT dbwise_statement"
                    };
                    self.main.batch_execute(end).map_err(PgError::Query)?;
                }
            }
            trace.statements.push(step);
        }
        Ok(())
    }

    fn start(&self, file: &ParsedFile, span: Span, in_transaction: bool) -> StatementTrace {
        StatementTrace {
            span,
            line: file.source.line_col(span.start).line,
            sql: file.source.slice(span).to_owned(),
            outcome: Outcome::Ok,
            in_transaction,
            observed_by: Observation::NotObserved,
            locks: Vec::new(),
            rewritten: Vec::new(),
            scanned: None,
            duration_ms: 0.0,
            note: None,
        }
    }

    /// Run a statement without observing it (transaction control).
    fn run_plain(&mut self, file: &ParsedFile, step: &mut StatementTrace) {
        let started = Instant::now();
        if let Err(error) = run_one(&mut self.main, &step.sql) {
            step.outcome = self.failure(file, step, &error);
        }
        step.duration_ms = millis(started.elapsed());
    }

    /// Run `CREATE EXTENSION` of an extension the server has on the superuser connection, when
    /// there is one; false when the statement is left to the traced role.
    fn ran_as_superuser(
        &mut self,
        file: &ParsedFile,
        kind: &StatementKind,
        step: &mut StatementTrace,
    ) -> Result<bool, PgError> {
        let (StatementKind::CreateExtension(name), Some(superuser)) =
            (kind, self.superuser.as_mut())
        else {
            return Ok(false);
        };
        let available = superuser
            .query_opt(
                "SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1",
                &[name],
            )
            .map_err(PgError::Query)?
            .is_some();
        if !available {
            return Ok(false);
        }
        // Created where the traced role would create it: the first schema of its search_path.
        // (An aborted transaction cannot answer; the extension then goes nowhere and fails.)
        let schema: Option<String> = self
            .main
            .query_one("SELECT pg_catalog.current_schema()", &[])
            .ok()
            .and_then(|row| row.get(0));
        let search_path = match schema {
            Some(schema) => format!("SET search_path = {}, pg_temp", quote_ident(&schema)),
            None => "SET search_path = pg_temp".to_owned(),
        };
        let superuser = self.superuser.as_mut().expect("checked above");
        superuser
            .batch_execute(&search_path)
            .map_err(PgError::Query)?;
        let started = Instant::now();
        let result = run_one(superuser, &step.sql);
        step.duration_ms = millis(started.elapsed());
        superuser
            .batch_execute(PINNED_SEARCH_PATH)
            .map_err(PgError::Query)?;
        step.note = Some(
            "run as a superuser on a connection of its own and committed at once; its locks were not traced"
                .to_owned(),
        );
        if let Err(error) = result {
            step.outcome = self.failure(file, step, &error);
        }
        Ok(true)
    }

    fn observe_in_transaction(
        &mut self,
        file: &ParsedFile,
        step: &mut StatementTrace,
    ) -> Result<(), PgError> {
        let held_before = held_locks(&mut self.main, self.main_pid)?;
        let before = snapshot(&mut self.main, true)?;
        let started = Instant::now();
        let result = run_one(&mut self.main, &step.sql);
        step.duration_ms = millis(started.elapsed());
        if let Err(error) = result {
            step.outcome = self.failure(file, step, &error);
            return Ok(());
        }
        let held_after = held_locks(&mut self.main, self.main_pid)?;
        let after = snapshot(&mut self.main, true)?;
        let taken: Vec<SeenLock> = held_after
            .into_iter()
            .filter(|(oid, level, _)| !held_before.iter().any(|(o, l, _)| o == oid && l == level))
            .collect();
        step.observed_by = Observation::InTransaction;
        step.locks = describe_locks(&taken, &before, &after);
        step.rewritten = rewritten(&before, &after);
        step.scanned = Some(scanned(&before, &after));
        Ok(())
    }

    fn observe_with_probe(
        &mut self,
        file: &ParsedFile,
        step: &mut StatementTrace,
    ) -> Result<(), PgError> {
        let Some(probe) = self.probe.as_mut() else {
            self.run_plain(file, step);
            return Ok(());
        };
        let counts_scans = self.pg_major >= 15;
        if counts_scans {
            // Flush this backend's pending statistics so the cumulative counters are current.
            self.main
                .batch_execute("SELECT pg_stat_force_next_flush()")
                .map_err(PgError::Query)?;
        }
        let before = snapshot(&mut probe.observer, false)?;
        let words: BTreeSet<String> = identifier_words(&step.sql).into_iter().collect();
        // The tables the statement names, and the tables of the indexes it names.
        let mentioned = before
            .iter()
            .filter(|(_, rel)| words.contains(&rel.relname.to_lowercase()));
        let tables: BTreeSet<u32> = mentioned
            .map(|(&oid, rel)| if rel.owner != 0 { rel.owner } else { oid })
            .collect();
        let named: Vec<String> = tables
            .iter()
            .filter_map(|oid| before.get(oid))
            .filter(|rel| rel.kind.is_table_like())
            .map(|rel| format!("{}.{}", quote_ident(&rel.schema), quote_ident(&rel.relname)))
            .collect();
        let watch = Watch {
            statement_pid: self.main_pid,
            named: named.join(", "),
            timeout: self.probe_timeout,
        };
        let (result, elapsed, seen, held_back) = watch.run(&mut self.main, &step.sql, probe)?;
        step.duration_ms = millis(elapsed.saturating_sub(held_back));
        if let Err(error) = result {
            step.outcome = self.failure(file, step, &error);
            return Ok(());
        }
        if counts_scans {
            self.main
                .batch_execute("SELECT pg_stat_force_next_flush()")
                .map_err(PgError::Query)?;
        }
        let probe = self.probe.as_mut().expect("checked above");
        let after = snapshot(&mut probe.observer, false)?;
        step.observed_by = if seen.is_empty() {
            Observation::NotObserved
        } else {
            Observation::BlockingProbe
        };
        step.locks = describe_locks(&seen, &before, &after);
        step.rewritten = rewritten(&before, &after);
        step.scanned = counts_scans.then(|| scanned(&before, &after));
        Ok(())
    }

    fn failure(
        &self,
        file: &ParsedFile,
        step: &StatementTrace,
        error: &postgres::Error,
    ) -> Outcome {
        let Some(db) = error.as_db_error() else {
            return Outcome::Failed {
                sqlstate: String::new(),
                message: error.to_string(),
                detail: None,
                hint: None,
                line: None,
            };
        };
        let line = match db.position() {
            Some(postgres::error::ErrorPosition::Original(position)) => {
                let chars = usize::try_from(*position).unwrap_or(0).saturating_sub(1);
                let offset: usize = step.sql.chars().take(chars).map(char::len_utf8).sum();
                Some(
                    file.source
                        .line_col(step.span.start + u32::try_from(offset).unwrap_or(0))
                        .line,
                )
            }
            _ => None,
        };
        Outcome::Failed {
            sqlstate: db.code().code().to_owned(),
            message: db.message().to_owned(),
            detail: db.detail().map(str::to_owned),
            hint: db.hint().map(str::to_owned),
            line,
        }
    }
}

/// Two extra connections for observing statements that refuse transaction blocks.
pub struct ProbeConnections {
    /// Holds a snapshot and ACCESS SHARE on the named tables, and reads `pg_locks`.
    pub observer: Client,
    /// Queues an ACCESS EXCLUSIVE request on the named tables, so that the statement's first
    /// lock request queues behind it where it can be seen.
    pub blocker: Client,
}

struct Probe {
    observer: Client,
    blocker: Client,
    blocker_pid: i32,
}

/// One blocking-probe observation of one statement.
///
/// 1. The observer opens a REPEATABLE READ transaction (a snapshot, which `CONCURRENTLY` commands
///    wait for) and takes ACCESS SHARE on the tables the statement names (which `DROP INDEX
///    CONCURRENTLY`, `VACUUM FULL` and detaching wait for).
/// 2. The blocker requests ACCESS EXCLUSIVE on the same tables and waits behind the observer.
/// 3. The statement starts; its first lock request on those tables conflicts with the queued
///    ACCESS EXCLUSIVE request and waits: the observer records it and cancels the blocker.
/// 4. The statement goes on until it waits for the observer's snapshot or locks: the observer
///    records every lock it holds then, and commits, letting it finish.
struct Watch {
    statement_pid: i32,
    named: String,
    timeout: Duration,
}

type Observed = (
    Result<(), postgres::Error>,
    Duration,
    Vec<SeenLock>,
    Duration,
);
type Running<'scope> =
    std::thread::ScopedJoinHandle<'scope, (Result<(), postgres::Error>, Duration)>;

impl Watch {
    fn run(&self, main: &mut Client, sql: &str, probe: &mut Probe) -> Result<Observed, PgError> {
        let mut hold = String::from("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1;");
        if !self.named.is_empty() {
            hold.push_str(&format!(
                " LOCK TABLE ONLY {} IN ACCESS SHARE MODE;",
                self.named
            ));
        }
        probe
            .observer
            .batch_execute(&hold)
            .map_err(PgError::Query)?;
        let Probe {
            observer,
            blocker,
            blocker_pid,
        } = probe;
        let blocker_pid = *blocker_pid;
        std::thread::scope(|scope| {
            let queued = (!self.named.is_empty()).then(|| {
                let request = format!(
                    "BEGIN; LOCK TABLE ONLY {} IN ACCESS EXCLUSIVE MODE",
                    self.named
                );
                scope.spawn(move || {
                    // Cancelled on purpose once the statement queued behind it.
                    let _ = blocker.batch_execute(&request);
                    blocker.batch_execute("ROLLBACK")
                })
            });
            let outcome = self.observe(scope, main, sql, observer, blocker_pid, queued.is_some());
            let commit = observer.batch_execute("COMMIT").map_err(PgError::Query);
            let blocker_done = match queued {
                Some(handle) => {
                    if !handle.is_finished() {
                        let _ = observer.execute("SELECT pg_cancel_backend($1)", &[&blocker_pid]);
                    }
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                        .map_err(PgError::Query)
                }
                None => Ok(()),
            };
            let (running, seen, held_back) = outcome?;
            commit?;
            blocker_done?;
            let (result, elapsed) = running
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok((result, elapsed, seen, held_back))
        })
    }

    /// Start the statement and watch it; returns its thread, the locks seen and how long it was
    /// held back on purpose. The observer's transaction is still open on return.
    fn observe<'scope, 'env>(
        &self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        main: &'env mut Client,
        sql: &'env str,
        observer: &mut Client,
        blocker_pid: i32,
        blocker_queued: bool,
    ) -> Result<(Running<'scope>, Vec<SeenLock>, Duration), PgError> {
        let deadline = Instant::now() + self.timeout;
        if blocker_queued {
            // Start the statement only once the blocker's request is queued.
            while !waiting(observer, blocker_pid)?.1 {
                if Instant::now() > deadline {
                    return Err(PgError::ProbeTimeout);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let running = scope.spawn(move || {
            let started = Instant::now();
            let result = run_one(main, sql);
            (result, started.elapsed())
        });
        let mut seen: Vec<SeenLock> = Vec::new();
        let mut blocker_cancelled = !blocker_queued;
        let mut first_wait = None;
        while !running.is_finished() && Instant::now() < deadline {
            let (locks, is_waiting) = waiting(observer, self.statement_pid)?;
            if is_waiting {
                first_wait.get_or_insert_with(Instant::now);
                for lock in locks {
                    if !seen
                        .iter()
                        .any(|(oid, level, _)| *oid == lock.0 && *level == lock.1)
                    {
                        seen.push(lock);
                    }
                }
                if blocker_cancelled {
                    break;
                }
                observer
                    .execute("SELECT pg_cancel_backend($1)", &[&blocker_pid])
                    .map_err(PgError::Query)?;
                while waiting(observer, blocker_pid)?.1 {
                    std::thread::sleep(Duration::from_millis(1));
                }
                blocker_cancelled = true;
                // The requests that queued behind the blocker are granted now that it is gone.
                seen.iter_mut().for_each(|lock| lock.2 = false);
                continue;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let held_back = first_wait.map_or(Duration::ZERO, |at| at.elapsed());
        Ok((running, seen, held_back))
    }
}

/// The relation locks of a backend, and whether it is waiting for any lock at all.
fn waiting(observer: &mut Client, pid: i32) -> Result<(Vec<SeenLock>, bool), PgError> {
    let rows = observer.query(PROBE, &[&pid]).map_err(PgError::Query)?;
    let is_waiting = rows.iter().any(|row| !row.get::<_, bool>(2));
    let locks = rows
        .iter()
        .filter_map(|row| {
            let relation: Option<u32> = row.get(0);
            let mode: String = row.get(1);
            Some((
                relation?,
                LockLevel::from_pg_locks_mode(&mode)?,
                !row.get::<_, bool>(2),
            ))
        })
        .collect();
    Ok((locks, is_waiting))
}

const COPY_REASON: &str = "COPY ... FROM STDIN / TO STDOUT: the data is not replayed";

/// Set on every superuser connection next to the traced SQL, so that objects it creates in
/// other schemas never stand in for the catalog's own.
const PINNED_SEARCH_PATH: &str = "SET search_path = pg_catalog, pg_temp";

/// Send exactly one statement, in the extended query protocol: the server itself refuses a
/// text that holds more than one command, whatever dbwise's splitter thought.
fn run_one(client: &mut Client, sql: &str) -> Result<(), postgres::Error> {
    client.execute(sql, &[]).map(|_| ())
}

/// The lower-cased words of a statement that could name a relation, for choosing which tables
/// the blocking probe holds.
fn identifier_words(sql: &str) -> Vec<String> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Why a statement is never sent, whatever the target.
fn never_run(kind: &StatementKind) -> Option<String> {
    match kind {
        StatementKind::CopyStdio => Some(COPY_REASON.to_owned()),
        StatementKind::Several(count) => Some(format!(
            "the text holds {count} statements where dbwise expected one; it sends one statement at a time, so none of them ran (please report this file)"
        )),
        _ => None,
    }
}

fn skipped(reason: String) -> Outcome {
    Outcome::Skipped { reason }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn describe(error: &postgres::Error) -> String {
    error
        .as_db_error()
        .map_or_else(|| error.to_string(), |db| db.message().to_owned())
}

fn snapshot(client: &mut Client, in_transaction: bool) -> Result<Snapshot, PgError> {
    let rows = client
        .query(RELATIONS, &[&in_transaction])
        .map_err(PgError::Query)?;
    Ok(rows
        .iter()
        .map(|row| {
            let relkind: String = row.get(3);
            (
                row.get::<_, u32>(0),
                Relation {
                    name: row.get(1),
                    relname: row.get(2),
                    kind: RelationKind::from_relkind(&relkind),
                    relfilenode: row.get(4),
                    owner: row.get(5),
                    scans: row.get(6),
                    schema: row.get(7),
                },
            )
        })
        .collect())
}

fn held_locks(client: &mut Client, pid: i32) -> Result<Vec<SeenLock>, PgError> {
    let rows = client.query(LOCKS, &[&pid]).map_err(PgError::Query)?;
    Ok(rows
        .iter()
        .filter(|row| row.get::<_, bool>(2))
        .filter_map(|row| {
            Some((
                row.get(0),
                LockLevel::from_pg_locks_mode(row.get(1))?,
                false,
            ))
        })
        .collect())
}

/// Name the locked relations, dropping system catalogs; strongest lock first, then by name.
fn describe_locks(taken: &[SeenLock], before: &Snapshot, after: &Snapshot) -> Vec<RelationLock> {
    let mut locks: Vec<RelationLock> = taken
        .iter()
        .filter_map(|&(oid, mode, waiting)| {
            let relation = after.get(&oid).or_else(|| before.get(&oid))?;
            Some(RelationLock {
                relation: relation.name.clone(),
                kind: relation.kind,
                mode,
                created: !before.contains_key(&oid),
                waiting,
                blocks_reads: mode.blocks_reads(),
                blocks_writes: mode.blocks_writes(),
            })
        })
        .collect();
    locks.sort_by(|a, b| {
        b.mode
            .cmp(&a.mode)
            .then_with(|| a.relation.cmp(&b.relation))
    });
    locks
}

/// Relations present before and after under the same name whose storage changed.
fn rewritten(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let old: HashMap<&str, u32> = before
        .values()
        .map(|r| (r.name.as_str(), r.relfilenode))
        .collect();
    let mut names: Vec<String> = after
        .values()
        .filter(|r| r.relfilenode != 0)
        .filter(|r| {
            old.get(r.name.as_str())
                .is_some_and(|&node| node != 0 && node != r.relfilenode)
        })
        .map(|r| r.name.clone())
        .collect();
    names.sort();
    names
}

/// Tables and materialized views whose sequential-scan counter went up.
fn scanned(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut names: Vec<String> = after
        .iter()
        .filter(|(_, r)| r.kind.is_table_like())
        .filter(|(oid, r)| before.get(oid).is_some_and(|old| r.scans > old.scans))
        .map(|(_, r)| r.name.clone())
        .collect();
    names.sort();
    names
}
