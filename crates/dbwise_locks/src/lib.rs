//! The PostgreSQL lock model as data.
//!
//! For every statement form dbwise analyses ([`DdlForm`]), [`effect`] says which lock each
//! relation gets, whether the statement rewrites or scans a table, what it blocks, and whether it
//! may run in a transaction block, for the PostgreSQL major version asked (11 to 18). The rows
//! live in one table ([`rows`]) with a documentation citation each; `dbwise_pg` checks the rows
//! for the installed server against a real cluster.

mod form;
mod hold;
mod level;
mod markdown;
mod table;

pub use form::{ColumnDefault, ConstraintKind, DdlForm, Generated};
pub use hold::{Hold, Throughput};
pub use level::LockLevel;
pub use markdown::markdown;
pub use table::{Row, TransactionUse, Versions};

/// The oldest and newest PostgreSQL major versions the model describes.
pub const MIN_PG_MAJOR: u32 = 11;
pub const MAX_PG_MAJOR: u32 = 18;

/// The part a relation plays in a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationRole {
    /// The table the statement alters (for partition commands: the partitioned parent).
    Table,
    /// The table a foreign key points to.
    ReferencedTable,
    /// The index the statement names (dropped, rebuilt, renamed or attached as a constraint).
    Index,
    /// The partition being attached or detached.
    Partition,
    /// The materialized view being refreshed.
    MaterializedView,
    /// The view being replaced or dropped.
    View,
}

impl RelationRole {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationRole::Table => "table",
            RelationRole::ReferencedTable => "referenced-table",
            RelationRole::Index => "index",
            RelationRole::Partition => "partition",
            RelationRole::MaterializedView => "materialized-view",
            RelationRole::View => "view",
        }
    }

    pub fn parse(text: &str) -> Option<RelationRole> {
        [
            RelationRole::Table,
            RelationRole::ReferencedTable,
            RelationRole::Index,
            RelationRole::Partition,
            RelationRole::MaterializedView,
            RelationRole::View,
        ]
        .into_iter()
        .find(|role| role.as_str() == text)
    }
}

/// What one statement form does on one PostgreSQL major version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LockEffect {
    /// The id of the model row this comes from.
    pub row: &'static str,
    pub per_relation: Vec<(RelationRole, LockLevel)>,
    /// Some relation is copied into new storage (table rewrite, index rebuild, matview refresh).
    pub rewrites: bool,
    /// Some relation is read in full while the lock is held (validation, index build, rewrite).
    pub scans: bool,
    /// Plain `SELECT`s on some relation wait for the statement.
    pub blocks_reads: bool,
    /// `INSERT`/`UPDATE`/`DELETE` on some relation wait for the statement.
    pub blocks_writes: bool,
    pub transaction: TransactionUse,
    pub doc: &'static str,
    pub note: &'static str,
}

impl LockEffect {
    fn from_row(row: &Row) -> LockEffect {
        LockEffect {
            row: row.id,
            per_relation: row.locks.to_vec(),
            rewrites: !row.rewrites.is_empty(),
            scans: !row.scans.is_empty() || !row.rewrites.is_empty(),
            blocks_reads: row.locks.iter().any(|(_, level)| level.blocks_reads()),
            blocks_writes: row.locks.iter().any(|(_, level)| level.blocks_writes()),
            transaction: row.transaction,
            doc: row.doc,
            note: row.note,
        }
    }

    /// The strongest lock the statement takes on any relation, if it takes one.
    pub fn strongest(&self) -> Option<LockLevel> {
        self.per_relation.iter().map(|&(_, level)| level).max()
    }

    pub fn lock_on(&self, role: RelationRole) -> Option<LockLevel> {
        self.per_relation
            .iter()
            .find(|(r, _)| *r == role)
            .map(|&(_, level)| level)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error(
        "PostgreSQL {pg_major} is outside the versions the lock model describes ({MIN_PG_MAJOR} to {MAX_PG_MAJOR})"
    )]
    UnsupportedVersion { pg_major: u32 },
    #[error(
        "`{row}` does not exist in PostgreSQL {pg_major}; it is available from PostgreSQL {since}"
    )]
    NotAvailable {
        row: &'static str,
        pg_major: u32,
        since: u32,
    },
    #[error("the lock model has no row `{id}`")]
    UnknownRow { id: String },
    #[error("{form:?} is not a statement PostgreSQL accepts: {reason}")]
    InvalidForm { form: DdlForm, reason: &'static str },
}

/// Every row of the model, in table order.
pub fn rows() -> &'static [Row] {
    table::ROWS
}

/// The row with this id that applies to `pg_major`.
pub fn row(id: &str, pg_major: u32) -> Result<&'static Row, ModelError> {
    if !(MIN_PG_MAJOR..=MAX_PG_MAJOR).contains(&pg_major) {
        return Err(ModelError::UnsupportedVersion { pg_major });
    }
    let mut same_id = rows().iter().filter(|row| row.id == id).peekable();
    let Some(first) = same_id.peek().copied() else {
        return Err(ModelError::UnknownRow { id: id.to_owned() });
    };
    let mut since = first.versions.from;
    for row in same_id {
        if row.versions.contains(pg_major) {
            return Ok(row);
        }
        since = since.min(row.versions.from);
    }
    Err(ModelError::NotAvailable {
        row: first.id,
        pg_major,
        since,
    })
}

/// What `form` does on PostgreSQL `pg_major`.
pub fn effect(form: &DdlForm, pg_major: u32) -> Result<LockEffect, ModelError> {
    let id = form.row_id()?;
    row(id, pg_major).map(LockEffect::from_row)
}

#[cfg(test)]
mod tests;
