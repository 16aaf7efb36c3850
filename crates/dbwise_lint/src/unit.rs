//! One file of the replay and what it makes of the tables it touches: which ones existed
//! before it, so that locking them can block another session.

use dbwise_catalog::migrations::{Framework, TransactionMode};
use dbwise_catalog::{Catalog, ObjectName};
use dbwise_syntax::ast::QualifiedName;

/// One file of the replay, with what its migration framework does with it.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    /// Position in the replay order.
    pub index: usize,
    pub framework: Option<Framework>,
    pub transaction: TransactionMode,
    /// A down migration: linted against the schema its up migration left, but its changes are
    /// not kept for the files after it.
    pub scratch: bool,
    /// The day the migration was written (days since 1970-01-01), when its version is a date.
    pub day: Option<u32>,
}

pub(crate) fn existing_table(catalog: &Catalog, unit: &UnitInfo, name: &QualifiedName) -> bool {
    !system_catalog(name.schema.as_deref(), &name.name) && is_existing(catalog.table(name), unit)
}

/// Like [`existing_table`], for a resolved name of a table or materialized view.
pub(crate) fn existing_key(catalog: &Catalog, unit: &UnitInfo, key: &ObjectName) -> bool {
    if system_catalog(Some(&key.schema), &key.name) {
        return false;
    }
    match catalog.views.get(key) {
        Some(view) => view.origin.migration() != Some(unit.index),
        None => is_existing(catalog.tables.get(key).map(|t| &**t), unit),
    }
}

/// PostgreSQL's own catalogs (`pg_index`, `information_schema.columns`): migrations that touch
/// them are not table changes of the application's.
fn system_catalog(schema: Option<&str>, name: &str) -> bool {
    match schema {
        Some("pg_catalog" | "information_schema") => true,
        Some(_) => false,
        None => name.starts_with("pg_"),
    }
}

/// A table the catalog does not know is one the database already has.
fn is_existing(table: Option<&dbwise_catalog::Table>, unit: &UnitInfo) -> bool {
    table.is_none_or(|t| !t.temporary && (t.external || t.origin.migration() != Some(unit.index)))
}
