//! What a rule can see.

use dbwise_catalog::{Catalog, ObjectName};
use dbwise_diagnostics::{Severity, SourceFile, Span};
use dbwise_locks::{LockEffect, LockLevel};
use dbwise_syntax::Statement;
use dbwise_syntax::ast::{QualifiedName, Stmt, TransactionKind};

use crate::lockmap::Operation;

use crate::metadata::RuleMeta;
use crate::settings::Settings;
use crate::size;
use crate::unit::{UnitInfo, existing_table};

/// The transaction state just before a statement runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionState {
    /// Inside a transaction block, explicit (BEGIN) or one the migration framework adds.
    pub in_transaction: bool,
    /// The block comes from the framework (or an implicit multi-statement query), not a BEGIN
    /// written in the file.
    pub implicit: bool,
    /// Where `lock_timeout` was last set to a non-zero value, if it was.
    pub lock_timeout: Option<SettingScope>,
    /// Where the session's `TimeZone` was last set to a zone with no offset (UTC), if it was:
    /// then `timestamp` and `timestamptz` convert without a rewrite (PostgreSQL 12+).
    pub utc_time_zone: Option<SettingScope>,
    /// Locks earlier statements of this transaction took on tables that existed before the
    /// migration; they are held until it ends.
    pub held: Vec<HeldLock>,
    /// Existing tables an earlier statement of this transaction rewrote, which rebuilt all of
    /// their indexes.
    pub rewritten: Vec<ObjectName>,
    /// Constraints added `NOT VALID` earlier in this transaction, as (table, constraint).
    pub not_valid_added: Vec<(ObjectName, String)>,
    /// Statements of this unit so far that took ACCESS EXCLUSIVE or SHARE on an existing table.
    pub strong_locks_in_unit: usize,
    /// Tables this unit emptied (`TRUNCATE`, `DELETE` without `WHERE`) or proved empty (an
    /// `ADD COLUMN ... NOT NULL` without a default, which fails on any row): scanning or
    /// rewriting them afterwards costs nothing.
    pub emptied_in_unit: Vec<ObjectName>,
    /// Tables whose rows an earlier statement of this unit inserted, updated or copied in.
    pub written_in_unit: Vec<ObjectName>,
    /// An earlier statement of this unit ran code dbwise does not follow (`DO`, `CALL`), which
    /// may have written any table.
    pub opaque_code_in_unit: bool,
}

/// A lock an earlier statement of the transaction took on an existing table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLock {
    pub table: ObjectName,
    pub level: LockLevel,
    /// The statement that took it.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    /// `SET`: lasts for the session.
    Session,
    /// `SET LOCAL`: lasts until the transaction ends.
    Transaction,
}

pub struct StatementContext<'a> {
    pub catalog: &'a Catalog,
    pub file: &'a SourceFile,
    pub statement: &'a Statement,
    pub unit: &'a UnitInfo,
    pub transaction: &'a TransactionState,
    pub settings: &'a Settings,
    /// The lock-taking operations of this statement, mapped once by the driver.
    pub operations: &'a [Operation],
    /// The statements before this one in the same file (the same part, for a large file read
    /// in parts).
    pub preceding: &'a [Statement],
    /// The statements after this one in the same file.
    pub following: &'a [Statement],
    /// The day of every unit replayed so far (and this one), by unit index.
    pub(crate) unit_days: &'a [Option<u32>],
    /// Query anti-patterns of this statement, computed on first use.
    pub(crate) queries: &'a crate::query::QueryChecks<'a>,
    /// The help text of this statement's whole plan, when it is planned as a whole.
    pub(crate) statement_plan: &'a std::cell::OnceCell<Option<String>>,
    /// The identifiers over 63 bytes in this unit's statements (start and end offset in the
    /// file, the name as PostgreSQL reads it), read once for the unit on first use.
    pub(crate) long_names: &'a std::cell::OnceCell<Vec<(usize, usize, String)>>,
    pub(crate) rule: &'a RuleMeta,
}

impl StatementContext<'_> {
    /// The safe plan of `op` as help text ([`crate::plan::rewrite_help`]); `None` too for a
    /// finding on a table of unknown size (`unknown_size`) when such findings are only counted
    /// ([`Settings::unsized_counted`]), since its help is never shown.
    pub fn plan_help(
        &self,
        op: &crate::lockmap::Operation,
        unknown_size: Option<&String>,
    ) -> Option<String> {
        if unknown_size.is_some() && self.settings.unsized_counted {
            return None;
        }
        crate::plan::rewrite_help(
            self.file,
            self.statement,
            op,
            self.catalog,
            self.settings.pg_version,
            self.transaction.utc_time_zone.is_some(),
            self.statement_plan,
        )
    }

    /// The statements after this one up to the end of its transaction block (a COMMIT or
    /// ROLLBACK), or to the end of the file.
    pub fn following_in_transaction(&self) -> impl Iterator<Item = &Statement> {
        self.following.iter().take_while(|s| {
            !matches!(
                s.stmt,
                Stmt::Transaction(TransactionKind::Commit | TransactionKind::Rollback)
            )
        })
    }

    /// The table as the catalog knows it before this statement, if it does.
    pub fn table(&self, name: &QualifiedName) -> Option<&dbwise_catalog::Table> {
        self.catalog.table(name)
    }

    /// True when locking this table can block other sessions: it exists before this migration
    /// (created earlier in the history, or never created by it, so already in the database)
    /// and is not temporary.
    pub fn existing(&self, name: &QualifiedName) -> bool {
        existing_table(self.catalog, self.unit, name)
    }

    /// True when an earlier statement of this unit emptied the table.
    pub fn emptied(&self, name: &QualifiedName) -> bool {
        let key = self
            .catalog
            .resolve(&self.catalog.tables, name)
            .unwrap_or_else(|| self.catalog.creation_name(name));
        self.transaction.emptied_in_unit.contains(&key)
    }

    /// True when the table was created by a migration written less than [`YOUNG_TABLE_DAYS`]
    /// before this one and no size is configured for it: both often ship in one release, and
    /// at worst the table has had a few weeks to fill, so scanning or rewriting it costs little.
    pub fn young(&self, key: &ObjectName) -> bool {
        let created = self
            .catalog
            .tables
            .get(key)
            .filter(|t| !t.external)
            .and_then(|t| t.origin.migration())
            .and_then(|i| self.unit_days.get(i).copied().flatten());
        self.settings.rows_of(&key.schema, &key.name).is_none()
            && created
                .zip(self.unit.day)
                .is_some_and(|(created, now)| now >= created && now - created < YOUNG_TABLE_DAYS)
    }

    /// The table's known row count (`[tables] sizes`).
    pub fn rows(&self, name: &QualifiedName) -> Option<u64> {
        let key = self
            .catalog
            .resolve(&self.catalog.tables, name)
            .unwrap_or_else(|| self.catalog.creation_name(name));
        self.settings.rows_of(&key.schema, &key.name)
    }

    /// The table's name when nothing shows whether it is large ([`size::unknown`]); for an
    /// index, its table's. A table the history never created is already in the database, at a
    /// size nothing shows unless one is configured. A view's cost is its query's, which no
    /// size tells, so a view is never of unknown size.
    pub fn size_unknown(&self, name: &QualifiedName) -> Option<String> {
        let catalog = self.catalog;
        let key = match catalog.resolve(&catalog.indexes, name) {
            Some(index) => catalog.indexes.get(&index)?.table.clone(),
            None => catalog
                .resolve(&catalog.tables, name)
                .unwrap_or_else(|| catalog.creation_name(name)),
        };
        match catalog.tables.get(&key) {
            Some(table) => size::unknown(self.settings, table),
            None if catalog.views.contains_key(&key) => None,
            None => (self.settings.rows_of(&key.schema, &key.name).is_none()
                && !size::records_use(&key.name))
            .then(|| key.to_string()),
        }
    }

    /// The rule's severity scaled by the table's size when it is known: below
    /// [`SMALL_TABLE_ROWS`] rows a lock is over in moments (info); at [`LARGE_TABLE_ROWS`] rows
    /// or more a statement that reads or rewrites the whole table under a lock that blocks
    /// writes is an outage (error).
    pub fn scaled_severity(&self, name: &QualifiedName, effect: Option<&LockEffect>) -> Severity {
        let default = self.rule.severity;
        match self.rows(name) {
            None => default,
            Some(rows) if rows < SMALL_TABLE_ROWS => Severity::Info,
            Some(rows)
                if rows >= LARGE_TABLE_ROWS
                    && effect.is_some_and(|e| (e.rewrites || e.scans) && e.blocks_writes) =>
            {
                Severity::Error
            }
            Some(_) => default,
        }
    }

    /// "(about N rows)" when the size is known, for messages.
    pub fn size_note(&self, name: &QualifiedName) -> String {
        self.rows(name)
            .map(|rows| format!(" (about {rows} rows)"))
            .unwrap_or_default()
    }

    /// A sentence about an ACCESS EXCLUSIVE lock an earlier statement of this transaction holds,
    /// for statements that take long: that lock stays held while they run.
    pub fn held_exclusive_note(&self) -> Option<String> {
        let held = self
            .transaction
            .held
            .iter()
            .find(|h| h.level == LockLevel::AccessExclusive)?;
        let line = self.file.line_of(held.span.start) + 1;
        Some(format!(
            " An earlier statement of this transaction (line {line}) took ACCESS EXCLUSIVE on {}, and it stays held, blocking all reads and writes of {}, until this statement finishes and the transaction commits.",
            held.table, held.table
        ))
    }

    pub fn option_int(&self, name: &str) -> i64 {
        self.settings.option_int(self.rule, name)
    }

    pub fn option_words(&self, name: &str) -> Vec<String> {
        self.settings.option_words(self.rule, name)
    }
}

/// A table created by a migration written fewer days than this before another one is young
/// for that migration ([`StatementContext::young`]).
pub const YOUNG_TABLE_DAYS: u32 = 60;

/// Below this many rows a table lock is over in moments.
pub const SMALL_TABLE_ROWS: u64 = 10_000;
/// From this many rows a full scan or rewrite under a write-blocking lock is an outage.
pub const LARGE_TABLE_ROWS: u64 = 1_000_000;

pub struct CatalogContext<'a> {
    pub catalog: &'a Catalog,
    pub settings: &'a Settings,
    pub(crate) rule: &'a RuleMeta,
}

impl CatalogContext<'_> {
    pub fn option_int(&self, name: &str) -> i64 {
        self.settings.option_int(self.rule, name)
    }

    pub fn option_words(&self, name: &str) -> Vec<String> {
        self.settings.option_words(self.rule, name)
    }
}
