//! The statement forms the lock model knows, as the analyses describe them.
//!
//! A [`DdlForm`] carries only the facts that change the locking behaviour (is the default
//! volatile, is the constraint `NOT VALID`, ...). Each form maps to exactly one row id of the
//! table in `table.rs`; the version then picks the row.

use crate::ModelError;

/// The default of a column being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnDefault {
    /// No `DEFAULT` clause: the new column is NULL in every existing row.
    None,
    /// A default that is not volatile (a constant, `now()`, a stable function): evaluated once
    /// and stored in the catalog.
    Constant,
    /// A volatile default (`clock_timestamp()`, `gen_random_uuid()`, `random()`), including the
    /// sequence behind `serial` and identity columns: evaluated per row.
    Volatile,
}

/// The kind of a generated column being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generated {
    /// `GENERATED ALWAYS AS (...) STORED`.
    Stored,
    /// `GENERATED ALWAYS AS (...) VIRTUAL` (and, from PostgreSQL 18, a generated column with no
    /// `STORED`/`VIRTUAL` keyword).
    Virtual,
}

/// The kind of a table constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    Check,
    ForeignKey,
    Unique,
    PrimaryKey,
    Exclusion,
    /// A named `NOT NULL` table constraint (`ADD CONSTRAINT c NOT NULL col`, PostgreSQL 18).
    NotNull,
}

/// One DDL (or maintenance) statement form whose locking behaviour the model describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DdlForm {
    /// `ALTER TABLE t ADD COLUMN ...`. `references` is an inline `REFERENCES other`.
    AddColumn {
        default: ColumnDefault,
        not_null: bool,
        generated: Option<Generated>,
        references: bool,
    },
    /// `ALTER TABLE t ALTER COLUMN c SET NOT NULL`; `has_valid_check` when a validated
    /// `CHECK (c IS NOT NULL)` already exists.
    SetNotNull { has_valid_check: bool },
    /// `ALTER TABLE t ALTER COLUMN c DROP NOT NULL`.
    DropNotNull,
    /// `ALTER TABLE t ALTER COLUMN c SET DEFAULT ...` or `DROP DEFAULT`.
    AlterColumnDefault,
    /// `ALTER TABLE t ALTER COLUMN c TYPE ...`; `binary_coercible` when the old type converts to
    /// the new one without changing the stored bytes (`varchar(n)` to `varchar(m > n)` or `text`).
    AlterColumnType { binary_coercible: bool },
    /// `ALTER TABLE t ADD [CONSTRAINT c] ...`.
    AddConstraint {
        kind: ConstraintKind,
        not_valid: bool,
        using_index: bool,
    },
    /// `ALTER TABLE t VALIDATE CONSTRAINT c`.
    ValidateConstraint { kind: ConstraintKind },
    /// `ALTER TABLE t DROP CONSTRAINT c`.
    DropConstraint { kind: ConstraintKind },
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] ...`.
    CreateIndex { concurrently: bool },
    /// `DROP INDEX [CONCURRENTLY] ...`.
    DropIndex { concurrently: bool },
    /// `REINDEX INDEX [CONCURRENTLY] ...`.
    Reindex { concurrently: bool },
    /// `ALTER TABLE t RENAME COLUMN a TO b`.
    RenameColumn,
    /// `ALTER TABLE t RENAME TO u`.
    RenameTable,
    /// `ALTER INDEX i RENAME TO j`.
    RenameIndex,
    /// `ALTER TABLE t DROP COLUMN c`.
    DropColumn,
    /// `DROP TABLE t`.
    DropTable,
    /// `TRUNCATE t`.
    Truncate,
    /// `VACUUM FULL t`.
    VacuumFull,
    /// `CLUSTER t USING i`.
    Cluster,
    /// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] v`.
    RefreshMatView { concurrently: bool },
    /// `ALTER TYPE e ADD VALUE '...'`.
    AlterTypeAddValue,
    /// `ALTER TABLE parent ATTACH PARTITION p ...`.
    AttachPartition,
    /// `ALTER TABLE parent DETACH PARTITION p [CONCURRENTLY]`.
    DetachPartition { concurrently: bool },
    /// `CREATE TRIGGER ... ON t`.
    CreateTrigger,
    /// `DROP TRIGGER ... ON t`.
    DropTrigger,
    /// `ALTER TABLE t ENABLE|DISABLE TRIGGER ...`.
    EnableDisableTrigger,
    /// `CREATE TABLE new (... REFERENCES existing ...)`: the lock lands on the referenced table.
    CreateTableWithForeignKey,
    /// `ALTER TABLE t ALTER COLUMN c SET STATISTICS n`.
    SetStatistics,
    /// `ALTER TABLE t SET (fillfactor = ..., autovacuum_... = ...)` and `RESET (...)`.
    SetStorageParameter,
    /// `ALTER TABLE t SET LOGGED` or `SET UNLOGGED`.
    SetLogged,
    /// `ALTER TABLE t ALTER COLUMN c SET STORAGE ...` or `SET COMPRESSION ...`.
    SetColumnStorage,
    /// `ALTER TABLE t REPLICA IDENTITY ...`.
    ReplicaIdentity,
    /// `ALTER TABLE t ENABLE|DISABLE|FORCE|NO FORCE ROW LEVEL SECURITY`.
    RowLevelSecurity,
    /// `CREATE POLICY ... ON t`.
    CreatePolicy,
    /// `ALTER TABLE t OWNER TO ...`.
    OwnerTo,
    /// `ALTER TABLE t ALTER CONSTRAINT c [NOT] DEFERRABLE ...`.
    AlterConstraint,
    /// `ALTER TABLE t CLUSTER ON i` or `SET WITHOUT CLUSTER`.
    ClusterOn,
    /// `COMMENT ON TABLE t` / `COMMENT ON COLUMN t.c`.
    Comment,
    /// `ANALYZE t`.
    Analyze,
    /// `CREATE STATISTICS ... ON ... FROM t`.
    CreateStatistics,
    /// `ALTER TABLE t ALTER COLUMN c ADD GENERATED ... AS IDENTITY` on an existing column.
    AddIdentity,
    /// `ALTER TABLE t ALTER COLUMN c DROP EXPRESSION` (a stored generated column becomes a plain one).
    DropExpression,
    /// `ALTER TABLE t ALTER COLUMN c SET EXPRESSION AS (...)` on a generated column of this kind.
    SetExpression { generated: Generated },
    /// `CREATE OR REPLACE VIEW v` over an existing view.
    ReplaceView,
    /// `DROP VIEW v`.
    DropView,
}

impl DdlForm {
    /// The id of the lock-model row that describes this form.
    pub fn row_id(&self) -> Result<&'static str, ModelError> {
        use ConstraintKind as K;
        let invalid = |reason: &'static str| ModelError::InvalidForm {
            form: *self,
            reason,
        };
        Ok(match *self {
            DdlForm::AddColumn {
                generated: Some(Generated::Stored),
                ..
            } => "add-column-generated-stored",
            DdlForm::AddColumn {
                generated: Some(Generated::Virtual),
                ..
            } => "add-column-generated-virtual",
            DdlForm::AddColumn {
                references: true, ..
            } => "add-column-foreign-key",
            DdlForm::AddColumn {
                default: ColumnDefault::Volatile,
                ..
            } => "add-column-volatile-default",
            DdlForm::AddColumn {
                default: ColumnDefault::Constant,
                ..
            } => "add-column-constant-default",
            DdlForm::AddColumn { not_null: true, .. } => "add-column-not-null-no-default",
            DdlForm::AddColumn { .. } => "add-column",
            DdlForm::SetNotNull {
                has_valid_check: false,
            } => "set-not-null",
            DdlForm::SetNotNull {
                has_valid_check: true,
            } => "set-not-null-with-valid-check",
            DdlForm::DropNotNull => "drop-not-null",
            DdlForm::AlterColumnDefault => "alter-column-default",
            DdlForm::AlterColumnType {
                binary_coercible: false,
            } => "alter-column-type-rewrite",
            DdlForm::AlterColumnType {
                binary_coercible: true,
            } => "alter-column-type-no-rewrite",
            DdlForm::AddConstraint {
                kind,
                not_valid,
                using_index,
            } => match (kind, not_valid, using_index) {
                (K::Unique | K::PrimaryKey | K::Exclusion, true, _) => {
                    return Err(invalid(
                        "only CHECK, FOREIGN KEY and NOT NULL constraints can be NOT VALID",
                    ));
                }
                (K::Check | K::ForeignKey | K::Exclusion | K::NotNull, _, true) => {
                    return Err(invalid(
                        "only UNIQUE and PRIMARY KEY constraints can be added USING INDEX",
                    ));
                }
                (K::Check, false, _) => "add-check-constraint",
                (K::Check, true, _) => "add-check-constraint-not-valid",
                (K::ForeignKey, false, _) => "add-foreign-key",
                (K::ForeignKey, true, _) => "add-foreign-key-not-valid",
                (K::NotNull, false, _) => "add-not-null-constraint",
                (K::NotNull, true, _) => "add-not-null-constraint-not-valid",
                (K::Unique, false, false) => "add-unique-constraint",
                (K::Unique, false, true) => "add-unique-constraint-using-index",
                (K::PrimaryKey, false, false) => "add-primary-key",
                (K::PrimaryKey, false, true) => "add-primary-key-using-index",
                (K::Exclusion, false, false) => "add-exclusion-constraint",
            },
            DdlForm::ValidateConstraint { kind } => match kind {
                K::Check => "validate-check-constraint",
                K::ForeignKey => "validate-foreign-key",
                K::NotNull => "validate-not-null-constraint",
                K::Unique | K::PrimaryKey | K::Exclusion => {
                    return Err(invalid(
                        "only CHECK, FOREIGN KEY and NOT NULL constraints can be validated",
                    ));
                }
            },
            DdlForm::DropConstraint {
                kind: K::ForeignKey,
            } => "drop-foreign-key-constraint",
            DdlForm::DropConstraint { .. } => "drop-constraint",
            DdlForm::CreateIndex {
                concurrently: false,
            } => "create-index",
            DdlForm::CreateIndex { concurrently: true } => "create-index-concurrently",
            DdlForm::DropIndex {
                concurrently: false,
            } => "drop-index",
            DdlForm::DropIndex { concurrently: true } => "drop-index-concurrently",
            DdlForm::Reindex {
                concurrently: false,
            } => "reindex",
            DdlForm::Reindex { concurrently: true } => "reindex-concurrently",
            DdlForm::RenameColumn => "rename-column",
            DdlForm::RenameTable => "rename-table",
            DdlForm::RenameIndex => "rename-index",
            DdlForm::DropColumn => "drop-column",
            DdlForm::DropTable => "drop-table",
            DdlForm::Truncate => "truncate",
            DdlForm::VacuumFull => "vacuum-full",
            DdlForm::Cluster => "cluster",
            DdlForm::RefreshMatView {
                concurrently: false,
            } => "refresh-materialized-view",
            DdlForm::RefreshMatView { concurrently: true } => {
                "refresh-materialized-view-concurrently"
            }
            DdlForm::AlterTypeAddValue => "alter-type-add-value",
            DdlForm::AttachPartition => "attach-partition",
            DdlForm::DetachPartition {
                concurrently: false,
            } => "detach-partition",
            DdlForm::DetachPartition { concurrently: true } => "detach-partition-concurrently",
            DdlForm::CreateTrigger => "create-trigger",
            DdlForm::DropTrigger => "drop-trigger",
            DdlForm::EnableDisableTrigger => "enable-disable-trigger",
            DdlForm::CreateTableWithForeignKey => "create-table-with-foreign-key",
            DdlForm::SetStatistics => "set-statistics",
            DdlForm::SetStorageParameter => "set-storage-parameter",
            DdlForm::SetLogged => "set-logged",
            DdlForm::SetColumnStorage => "set-column-storage",
            DdlForm::ReplicaIdentity => "replica-identity",
            DdlForm::RowLevelSecurity => "row-level-security",
            DdlForm::CreatePolicy => "create-policy",
            DdlForm::OwnerTo => "owner-to",
            DdlForm::AlterConstraint => "alter-constraint",
            DdlForm::ClusterOn => "cluster-on",
            DdlForm::Comment => "comment",
            DdlForm::Analyze => "analyze",
            DdlForm::CreateStatistics => "create-statistics",
            DdlForm::AddIdentity => "add-identity",
            DdlForm::DropExpression => "drop-expression",
            DdlForm::SetExpression {
                generated: Generated::Stored,
            } => "set-expression",
            DdlForm::SetExpression {
                generated: Generated::Virtual,
            } => "set-expression-virtual",
            DdlForm::ReplaceView => "replace-view",
            DdlForm::DropView => "drop-view",
        })
    }
}
