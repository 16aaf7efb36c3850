//! The lock model: one row per statement form and range of PostgreSQL major versions.
//!
//! This table is the single source of truth for what a statement locks, rewrites and scans.
//! Every row cites the documentation page that states it; rows for the PostgreSQL version
//! installed on the development machine (15) are also checked against a real server by
//! `dbwise_pg`'s `lock_model_matches_server` test, which runs a fixture per row and compares
//! the locks in `pg_locks`, the relfilenode changes and the sequential-scan counters.
//!
//! Doc pages (all under <https://www.postgresql.org/docs/>):
//! - `EXPLICIT_LOCKING`: "13.3. Explicit Locking", the lock modes and which commands take them.
//! - `ALTER_TABLE`: the `ALTER TABLE` reference page; its Description gives the lock of each
//!   subform ("Unless otherwise stated, ACCESS EXCLUSIVE") and its Notes say which subforms
//!   rewrite or scan the table.
//! - the other command reference pages and release notes named in each row.

use crate::LockLevel::{self, *};
use crate::RelationRole::{self, *};

/// Whether a statement may run inside a transaction block, and with what consequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionUse {
    /// Runs anywhere.
    Any,
    /// Fails with "cannot run inside a transaction block".
    OutsideTransactionBlock,
    /// Runs inside a transaction block, but what it adds cannot be used until that
    /// transaction commits (`ALTER TYPE ... ADD VALUE` from PostgreSQL 12).
    UnusableUntilCommit,
}

/// An inclusive range of PostgreSQL major versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Versions {
    pub from: u32,
    pub to: u32,
}

impl Versions {
    pub fn contains(self, pg_major: u32) -> bool {
        (self.from..=self.to).contains(&pg_major)
    }
}

/// One row of the lock model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// Stable id, shared by the rows of one form across versions (`add-column-volatile-default`).
    pub id: &'static str,
    pub versions: Versions,
    /// The strongest lock taken on each relation the statement touches.
    pub locks: &'static [(RelationRole, LockLevel)],
    /// Relations whose every row is copied into new storage (a new relfilenode).
    pub rewrites: &'static [RelationRole],
    /// Relations read in full while the lock is held without being rewritten (constraint
    /// validation, index build).
    pub scans: &'static [RelationRole],
    /// The table gets new, empty storage without being read (`TRUNCATE`).
    pub empties: bool,
    pub transaction: TransactionUse,
    /// The documentation page the row is taken from.
    pub doc: &'static str,
    /// What a reader needs to know beyond the columns above.
    pub note: &'static str,
}

const ALL: Versions = Versions { from: 11, to: 18 };

const fn row(
    id: &'static str,
    versions: Versions,
    locks: &'static [(RelationRole, LockLevel)],
    doc: &'static str,
) -> Row {
    Row {
        id,
        versions,
        locks,
        rewrites: &[],
        scans: &[],
        empties: false,
        transaction: TransactionUse::Any,
        doc,
        note: "",
    }
}

const fn from(first: u32) -> Versions {
    Versions {
        from: first,
        to: 18,
    }
}

const fn only(first: u32, last: u32) -> Versions {
    Versions {
        from: first,
        to: last,
    }
}

impl Row {
    const fn rewrites(mut self, relations: &'static [RelationRole]) -> Row {
        self.rewrites = relations;
        self
    }

    const fn scans(mut self, relations: &'static [RelationRole]) -> Row {
        self.scans = relations;
        self
    }

    const fn empties(mut self) -> Row {
        self.empties = true;
        self
    }

    const fn transaction(mut self, usage: TransactionUse) -> Row {
        self.transaction = usage;
        self
    }

    const fn note(mut self, note: &'static str) -> Row {
        self.note = note;
        self
    }
}

const ALTER_TABLE: &str = "https://www.postgresql.org/docs/current/sql-altertable.html";
const EXPLICIT_LOCKING: &str = "https://www.postgresql.org/docs/current/explicit-locking.html";
const AE: &[(RelationRole, LockLevel)] = &[(Table, AccessExclusive)];

/// The rows. Several rows share an id when the behaviour changed between major versions; their
/// version ranges never overlap (checked by a unit test).
pub static ROWS: &[Row] = &[
    // ALTER TABLE, ADD COLUMN. Notes: "Adding a column with a volatile DEFAULT ... will require the
    // entire table and its indexes to be rewritten"; a non-volatile default is stored in the
    // catalog instead (new in 11; release notes 11: "Allow ALTER TABLE to add a column with a
    // non-null default without doing a table rewrite").
    row("add-column", ALL, AE, ALTER_TABLE),
    row("add-column-constant-default", ALL, AE, ALTER_TABLE)
        .note("The default is evaluated once and kept in the catalog (fast default, PostgreSQL 11+); no rewrite even with NOT NULL."),
    row("add-column-volatile-default", ALL, AE, ALTER_TABLE)
        .rewrites(&[Table])
        .note("Volatile defaults (clock_timestamp(), gen_random_uuid(), serial, identity) are evaluated per row: the table and its indexes are rewritten."),
    row("add-column-not-null-no-default", ALL, AE, ALTER_TABLE)
        .scans(&[Table])
        .note("Every existing row is checked for NULL, so the statement fails on any non-empty table."),
    // Generated columns arrived in 12 (release notes 12, "Add support for generated columns");
    // STORED ones are computed for every row on ADD COLUMN. VIRTUAL ones arrived in 18 and
    // became the default kind there (release notes 18).
    row("add-column-generated-stored", from(12), AE, ALTER_TABLE)
        .rewrites(&[Table])
        .note("The expression is computed and stored for every existing row."),
    row("add-column-generated-virtual", from(18), AE, "https://www.postgresql.org/docs/18/ddl-generated-columns.html")
        .note("Virtual generated columns are computed on read; adding one does not touch the rows."),
    // ADD COLUMN ... REFERENCES: the column part takes ACCESS EXCLUSIVE, the foreign key part
    // SHARE ROW EXCLUSIVE on the referenced table (ALTER TABLE, "ADD table_constraint").
    row("add-column-foreign-key", ALL, &[(Table, AccessExclusive), (ReferencedTable, ShareRowExclusive)], ALTER_TABLE)
        .note("The referenced table is locked against writes too; the new column is all NULL, so nothing is validated."),
    // SET NOT NULL: "SET NOT NULL may only be applied to a column provided none of the records in
    // the table contain a NULL value for the column. Ordinarily this is checked during the ALTER
    // TABLE by scanning the entire table; however, if a valid CHECK constraint is found which
    // proves no NULL can exist, then the table scan is skipped." The skip is new in 12.
    row("set-not-null", ALL, AE, ALTER_TABLE).scans(&[Table]),
    row("set-not-null-with-valid-check", only(11, 11), AE, "https://www.postgresql.org/docs/11/sql-altertable.html")
        .scans(&[Table])
        .note("PostgreSQL 11 ignores the CHECK constraint and scans anyway."),
    row("set-not-null-with-valid-check", from(12), AE, ALTER_TABLE)
        .note("A validated CHECK (col IS NOT NULL) proves the column has no NULL, so the scan is skipped (PostgreSQL 12+)."),
    row("drop-not-null", ALL, AE, ALTER_TABLE),
    row("alter-column-default", ALL, AE, ALTER_TABLE).note("Affects only rows inserted later; no rewrite."),
    // SET DATA TYPE: "changing the type of an existing column will require the entire table and its
    // indexes to be rewritten. As an exception, when changing the type of an existing column, if
    // the USING clause does not change the column contents and the old type is either binary
    // coercible to the new type or an unconstrained domain over the new type, a table rewrite is
    // not needed." Release notes 12: "Allow ALTER TABLE ... SET DATA TYPE changing between
    // timestamp and timestamptz to avoid a table rewrite when the session time zone is UTC".
    row("alter-column-type-rewrite", ALL, AE, ALTER_TABLE)
        .rewrites(&[Table])
        .note("The table and its indexes are rewritten while reads and writes wait."),
    row("alter-column-type-no-rewrite", ALL, AE, ALTER_TABLE)
        .note("Binary-coercible change (varchar(n) to varchar(m > n) or text; from PostgreSQL 12 also timestamp to timestamptz and back while the session TimeZone is UTC): catalog only, but still ACCESS EXCLUSIVE."),
    // ADD table_constraint: ACCESS EXCLUSIVE except FOREIGN KEY, which takes SHARE ROW EXCLUSIVE on
    // both tables ("Adding a foreign key constraint requires a SHARE ROW EXCLUSIVE lock on the
    // referenced table, in addition to the lock on the table on which the constraint is
    // declared"). "Normally, this form will cause a scan of the table to verify that all existing
    // rows in the table satisfy the new constraint. But if the NOT VALID option is used, this
    // potentially-lengthy scan is skipped."
    row("add-check-constraint", ALL, AE, ALTER_TABLE).scans(&[Table]),
    row("add-check-constraint-not-valid", ALL, AE, ALTER_TABLE).note("Only new and updated rows are checked until VALIDATE CONSTRAINT."),
    row("add-foreign-key", ALL, &[(Table, ShareRowExclusive), (ReferencedTable, ShareRowExclusive)], ALTER_TABLE)
        .scans(&[Table, ReferencedTable])
        .note("Writes to both tables wait while one query joins every existing row to the referenced table."),
    row("add-foreign-key-not-valid", ALL, &[(Table, ShareRowExclusive), (ReferencedTable, ShareRowExclusive)], ALTER_TABLE)
        .note("Brief lock on both tables; existing rows are checked later by VALIDATE CONSTRAINT."),
    // NOT NULL table constraints, and NOT VALID on them, are new in 18 (release notes 18).
    row("add-not-null-constraint", from(18), AE, "https://www.postgresql.org/docs/18/sql-altertable.html").scans(&[Table]),
    row("add-not-null-constraint-not-valid", from(18), AE, "https://www.postgresql.org/docs/18/sql-altertable.html")
        .note("Only new and updated rows are checked until VALIDATE CONSTRAINT."),
    // UNIQUE / PRIMARY KEY / EXCLUDE build an index under ACCESS EXCLUSIVE. "ADD table_constraint_using_index":
    // the index already exists, so the constraint is only recorded.
    row("add-unique-constraint", ALL, AE, ALTER_TABLE)
        .scans(&[Table])
        .note("Builds the unique index while reads and writes wait."),
    // USING INDEX renames the index to the constraint's name; renaming an index takes SHARE UPDATE
    // EXCLUSIVE from 12 and ACCESS EXCLUSIVE before (see rename-index below).
    row("add-unique-constraint-using-index", only(11, 11), &[(Table, AccessExclusive), (Index, AccessExclusive)], "https://www.postgresql.org/docs/11/sql-altertable.html")
        .note("Only records the constraint on an index built beforehand (e.g. CONCURRENTLY)."),
    row("add-unique-constraint-using-index", from(12), &[(Table, AccessExclusive), (Index, ShareUpdateExclusive)], ALTER_TABLE)
        .note("Only records the constraint on an index built beforehand (e.g. CONCURRENTLY)."),
    row("add-primary-key", ALL, AE, ALTER_TABLE)
        .scans(&[Table])
        .note("Builds the unique index (and checks NOT NULL) while reads and writes wait."),
    row("add-primary-key-using-index", only(11, 11), &[(Table, AccessExclusive), (Index, AccessExclusive)], "https://www.postgresql.org/docs/11/sql-altertable.html")
        .note("Brief when the key columns are already NOT NULL; otherwise SET NOT NULL scans the table first."),
    row("add-primary-key-using-index", from(12), &[(Table, AccessExclusive), (Index, ShareUpdateExclusive)], ALTER_TABLE)
        .note("Brief when the key columns are already NOT NULL; otherwise SET NOT NULL scans the table first."),
    row("add-exclusion-constraint", ALL, AE, ALTER_TABLE)
        .scans(&[Table])
        .note("Builds the exclusion index while reads and writes wait; there is no USING INDEX form."),
    // VALIDATE CONSTRAINT: "Validation acquires only a SHARE UPDATE EXCLUSIVE lock on the table being
    // altered. (If the constraint is a foreign key then a ROW SHARE lock is also required on the
    // table referenced by the constraint.)"
    row("validate-check-constraint", ALL, &[(Table, ShareUpdateExclusive)], ALTER_TABLE)
        .scans(&[Table])
        .note("Scans without blocking reads or writes."),
    row("validate-foreign-key", ALL, &[(Table, ShareUpdateExclusive), (ReferencedTable, RowShare)], ALTER_TABLE)
        .scans(&[Table, ReferencedTable])
        .note("Scans without blocking reads or writes of either table."),
    row("validate-not-null-constraint", from(18), &[(Table, ShareUpdateExclusive)], "https://www.postgresql.org/docs/18/sql-altertable.html")
        .scans(&[Table]),
    // DROP CONSTRAINT: ACCESS EXCLUSIVE (ALTER TABLE, Description). A foreign key also has
    // triggers on the referenced table, which are dropped under the same lock.
    row("drop-constraint", ALL, AE, ALTER_TABLE),
    row("drop-foreign-key-constraint", ALL, &[(Table, AccessExclusive), (ReferencedTable, AccessExclusive)], ALTER_TABLE)
        .note("Also locks the referenced table in ACCESS EXCLUSIVE to remove the constraint's triggers there."),
    // CREATE INDEX: "Creating an index can interfere with regular operation of a database.
    // Normally PostgreSQL locks the table to be indexed against writes"; CONCURRENTLY takes SHARE
    // UPDATE EXCLUSIVE and "cannot be executed inside a transaction block" (EXPLICIT_LOCKING lists
    // SHARE for CREATE INDEX and SHARE UPDATE EXCLUSIVE for CREATE INDEX CONCURRENTLY).
    row("create-index", ALL, &[(Table, Share)], "https://www.postgresql.org/docs/current/sql-createindex.html")
        .scans(&[Table])
        .note("Reads continue; writes wait for the whole build."),
    row("create-index-concurrently", ALL, &[(Table, ShareUpdateExclusive)], "https://www.postgresql.org/docs/current/sql-createindex.html")
        .scans(&[Table])
        .transaction(TransactionUse::OutsideTransactionBlock)
        .note("Two table scans; waits for transactions that could use the index; leaves an INVALID index if it fails."),
    // DROP INDEX: "A normal DROP INDEX acquires an ACCESS EXCLUSIVE lock on the table, blocking other
    // accesses until the index drop can be completed. With this option [CONCURRENTLY], the command
    // instead waits until conflicting transactions have completed."
    row("drop-index", ALL, &[(Table, AccessExclusive), (Index, AccessExclusive)], "https://www.postgresql.org/docs/current/sql-dropindex.html"),
    row("drop-index-concurrently", ALL, &[(Table, ShareUpdateExclusive), (Index, ShareUpdateExclusive)], "https://www.postgresql.org/docs/current/sql-dropindex.html")
        .transaction(TransactionUse::OutsideTransactionBlock)
        .note("Waits for every transaction using the table; the final step locks only the index."),
    // REINDEX: "REINDEX ... locks out writes but not reads of the index's parent table. It also
    // takes an ACCESS EXCLUSIVE lock on the specific index being processed". CONCURRENTLY is new
    // in 12 (release notes 12) and takes SHARE UPDATE EXCLUSIVE.
    row("reindex", ALL, &[(Table, Share), (Index, AccessExclusive)], "https://www.postgresql.org/docs/current/sql-reindex.html")
        .rewrites(&[Index])
        .scans(&[Table])
        .note("Queries that would use the index wait too, because the index itself is ACCESS EXCLUSIVE."),
    row("reindex-concurrently", from(12), &[(Table, ShareUpdateExclusive), (Index, ShareUpdateExclusive)], "https://www.postgresql.org/docs/current/sql-reindex.html")
        .rewrites(&[Index])
        .scans(&[Table])
        .transaction(TransactionUse::OutsideTransactionBlock)
        .note("Builds a new index beside the old one and swaps them."),
    // RENAME: ACCESS EXCLUSIVE on tables and columns. Renaming an index takes SHARE UPDATE
    // EXCLUSIVE from 12 (release notes 12: "ALTER INDEX ... RENAME ... now requires only SHARE
    // UPDATE EXCLUSIVE lock"); ALTER TABLE's RENAME paragraph states both.
    row("rename-column", ALL, AE, ALTER_TABLE).note("Instant, but every query naming the old column fails afterwards."),
    row("rename-table", ALL, AE, ALTER_TABLE).note("Instant, but every query naming the old table fails afterwards."),
    row("rename-index", only(11, 11), &[(Index, AccessExclusive)], "https://www.postgresql.org/docs/11/sql-alterindex.html"),
    row("rename-index", from(12), &[(Index, ShareUpdateExclusive)], "https://www.postgresql.org/docs/current/sql-alterindex.html"),
    // DROP COLUMN: "The DROP COLUMN form does not physically remove the column, but simply makes it
    // invisible to SQL operations."
    row("drop-column", ALL, AE, ALTER_TABLE).note("Catalog only; the space is reclaimed by later rewrites."),
    // EXPLICIT_LOCKING, ACCESS EXCLUSIVE: "Acquired by the DROP TABLE, TRUNCATE, REINDEX, CLUSTER,
    // VACUUM FULL, and REFRESH MATERIALIZED VIEW (without CONCURRENTLY) commands."
    row("drop-table", ALL, AE, EXPLICIT_LOCKING),
    row("truncate", ALL, AE, "https://www.postgresql.org/docs/current/sql-truncate.html")
        .empties()
        .note("Swaps in new, empty storage; fast, but removes every row."),
    row("vacuum-full", ALL, AE, "https://www.postgresql.org/docs/current/sql-vacuum.html")
        .rewrites(&[Table])
        .transaction(TransactionUse::OutsideTransactionBlock)
        .note("Copies the whole table and rebuilds its indexes while reads and writes wait."),
    row("cluster", ALL, &[(Table, AccessExclusive), (Index, AccessExclusive)], "https://www.postgresql.org/docs/current/sql-cluster.html")
        .rewrites(&[Table, Index])
        .note("Copies the whole table in index order while reads and writes wait."),
    // REFRESH MATERIALIZED VIEW: ACCESS EXCLUSIVE; CONCURRENTLY takes EXCLUSIVE (EXPLICIT_LOCKING:
    // "Acquired by REFRESH MATERIALIZED VIEW CONCURRENTLY") and needs a unique index.
    row("refresh-materialized-view", ALL, &[(MaterializedView, AccessExclusive)], "https://www.postgresql.org/docs/current/sql-refreshmaterializedview.html")
        .rewrites(&[MaterializedView])
        .note("Readers of the view wait for the whole query to run."),
    row("refresh-materialized-view-concurrently", ALL, &[(MaterializedView, Exclusive), (Index, RowExclusive)], "https://www.postgresql.org/docs/current/sql-refreshmaterializedview.html")
        .scans(&[MaterializedView])
        .note("Readers continue; needs a unique index on the view (Index), through which the differences are applied as row changes."),
    // ALTER TYPE ... ADD VALUE: "If ALTER TYPE ... ADD VALUE ... is executed inside a transaction
    // block, the new value cannot be used until after the transaction has been committed." Before
    // 12 it "cannot be executed inside a transaction block" (11 docs; release notes 12).
    row("alter-type-add-value", only(11, 11), &[], "https://www.postgresql.org/docs/11/sql-altertype.html")
        .transaction(TransactionUse::OutsideTransactionBlock),
    row("alter-type-add-value", from(12), &[], "https://www.postgresql.org/docs/current/sql-altertype.html")
        .transaction(TransactionUse::UnusableUntilCommit)
        .note("Takes no table lock; the new value cannot be used in the same transaction."),
    // ATTACH PARTITION: "Attaching a partition acquires a SHARE UPDATE EXCLUSIVE lock on the parent
    // table, in addition to the ACCESS EXCLUSIVE locks on the table being attached and on the
    // default partition (if any)" (from 12; 11 takes ACCESS EXCLUSIVE on the parent). The new
    // partition is scanned unless a valid CHECK constraint implies the partition constraint.
    row("attach-partition", only(11, 11), &[(Table, AccessExclusive), (Partition, AccessExclusive)], "https://www.postgresql.org/docs/11/sql-altertable.html")
        .scans(&[Partition]),
    row("attach-partition", from(12), &[(Table, ShareUpdateExclusive), (Partition, AccessExclusive)], ALTER_TABLE)
        .scans(&[Partition])
        .note("A valid CHECK constraint matching the partition bounds skips the scan."),
    // DETACH PARTITION: ACCESS EXCLUSIVE on both. CONCURRENTLY (new in 14) "cannot be run in a
    // transaction block": "During the first transaction, a SHARE UPDATE EXCLUSIVE lock is taken on
    // both parent table and partition ... all other transactions using the partitioned table are
    // waited for. Once all those transactions have completed, the second transaction acquires SHARE
    // UPDATE EXCLUSIVE on the partitioned table and ACCESS EXCLUSIVE on the partition".
    row("detach-partition", ALL, &[(Table, AccessExclusive), (Partition, AccessExclusive)], ALTER_TABLE),
    row("detach-partition-concurrently", from(14), &[(Table, ShareUpdateExclusive), (Partition, AccessExclusive)], ALTER_TABLE)
        .transaction(TransactionUse::OutsideTransactionBlock)
        .note("Two transactions: the parent never blocks reads or writes; the partition itself is ACCESS EXCLUSIVE briefly at the end."),
    // EXPLICIT_LOCKING, SHARE ROW EXCLUSIVE: "Acquired by CREATE TRIGGER and some forms of ALTER
    // TABLE"; ALTER TABLE: ENABLE/DISABLE TRIGGER "acquires a SHARE ROW EXCLUSIVE lock".
    row("create-trigger", ALL, &[(Table, ShareRowExclusive)], "https://www.postgresql.org/docs/current/sql-createtrigger.html"),
    row("drop-trigger", ALL, AE, "https://www.postgresql.org/docs/current/sql-droptrigger.html"),
    row("enable-disable-trigger", ALL, &[(Table, ShareRowExclusive)], ALTER_TABLE),
    // CREATE TABLE with REFERENCES adds a trigger on the referenced table (SHARE ROW EXCLUSIVE).
    row("create-table-with-foreign-key", ALL, &[(ReferencedTable, ShareRowExclusive)], "https://www.postgresql.org/docs/current/sql-createtable.html")
        .note("The new table is invisible to others, but writes to the referenced table wait."),
    // ALTER TABLE: "SET STATISTICS acquires a SHARE UPDATE EXCLUSIVE lock."
    row("set-statistics", ALL, &[(Table, ShareUpdateExclusive)], ALTER_TABLE),
    // ALTER TABLE, SET ( storage_parameter ... ): "Changing fillfactor, toast and autovacuum storage
    // parameters acquires a SHARE UPDATE EXCLUSIVE lock" (other parameters take ACCESS EXCLUSIVE).
    row("set-storage-parameter", ALL, &[(Table, ShareUpdateExclusive)], ALTER_TABLE)
        .note("For fillfactor, toast and autovacuum parameters; others take ACCESS EXCLUSIVE. Existing rows are not rewritten."),
    // ALTER TABLE, SET LOGGED / UNLOGGED: "This form changes the table from unlogged to logged or
    // vice-versa ... the table is rewritten".
    row("set-logged", ALL, AE, ALTER_TABLE)
        .rewrites(&[Table])
        .note("The whole table is copied (and, to LOGGED, written to the WAL) while reads and writes wait."),
    // ALTER TABLE, ALTER COLUMN SET STORAGE / SET COMPRESSION: catalog only, for future rows.
    row("set-column-storage", ALL, AE, ALTER_TABLE).note("Affects only values stored later; no rewrite."),
    row("replica-identity", ALL, AE, ALTER_TABLE),
    row("row-level-security", ALL, AE, ALTER_TABLE).note("Instant, but every query on the table is filtered by policies from then on."),
    row("create-policy", ALL, AE, "https://www.postgresql.org/docs/current/sql-createpolicy.html"),
    row("owner-to", ALL, AE, ALTER_TABLE),
    // ALTER CONSTRAINT (deferrability of a foreign key): ACCESS EXCLUSIVE like other subforms.
    row("alter-constraint", ALL, AE, ALTER_TABLE),
    // ALTER TABLE: CLUSTER ON and SET WITHOUT CLUSTER "acquire a SHARE UPDATE EXCLUSIVE lock".
    row("cluster-on", ALL, &[(Table, ShareUpdateExclusive), (Index, ShareUpdateExclusive)], ALTER_TABLE).note("Only marks the index for future CLUSTER commands."),
    // COMMENT takes SHARE UPDATE EXCLUSIVE on the relation whose comment changes (the lock that
    // serialises changes to a relation's catalog entries without blocking data changes).
    row("comment", ALL, &[(Table, ShareUpdateExclusive)], "https://www.postgresql.org/docs/current/sql-comment.html"),
    // EXPLICIT_LOCKING, SHARE UPDATE EXCLUSIVE: "Acquired by VACUUM (without FULL), ANALYZE, CREATE
    // INDEX CONCURRENTLY, CREATE STATISTICS, COMMENT ON, REINDEX CONCURRENTLY, and certain ALTER
    // INDEX and ALTER TABLE variants".
    row("analyze", ALL, &[(Table, ShareUpdateExclusive)], EXPLICIT_LOCKING)
        .note("Reads a sample of the table; blocks only schema changes and other ANALYZE/VACUUM."),
    row("create-statistics", ALL, &[(Table, ShareUpdateExclusive)], EXPLICIT_LOCKING),
    // ALTER TABLE, ADD GENERATED ... AS IDENTITY: turns an existing column into an identity column
    // (creates its sequence); the stored values stay as they are.
    row("add-identity", ALL, AE, ALTER_TABLE).note("Catalog only; the new sequence must be set past the existing values."),
    // DROP EXPRESSION (new in 13): "This form turns a stored generated column into a normal base
    // column. Existing data in the columns is retained".
    row("drop-expression", from(13), AE, ALTER_TABLE),
    // SET EXPRESSION (new in 17): "Existing data in the column is rewritten" for stored columns; a
    // virtual column (18) has no stored data.
    row("set-expression", from(17), AE, "https://www.postgresql.org/docs/17/sql-altertable.html")
        .rewrites(&[Table])
        .note("Every row is recomputed and the table rewritten while reads and writes wait."),
    row("set-expression-virtual", from(18), AE, "https://www.postgresql.org/docs/18/sql-altertable.html"),
    // CREATE OR REPLACE VIEW and DROP VIEW change the view's definition under ACCESS EXCLUSIVE,
    // which waits for every query that reads through the view.
    row("replace-view", ALL, &[(View, AccessExclusive)], "https://www.postgresql.org/docs/current/sql-createview.html")
        .note("Queries reading through the view wait, and it waits for them."),
    row("drop-view", ALL, &[(View, AccessExclusive)], "https://www.postgresql.org/docs/current/sql-dropview.html"),
];
