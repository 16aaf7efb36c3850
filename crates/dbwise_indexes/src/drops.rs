//! Existing indexes to drop, on the tables the workload writes (where every index costs each
//! write): exact duplicates, left prefixes of another index, and indexes no plan of the
//! workload reads and no scan has used since the statistics were reset. Never a primary key,
//! an index that enforces a constraint or uniqueness, or one a foreign key's lookups need.

use crate::advice::IndexDrop;

use crate::schema::{ExistingIndex, Table};

/// `used`: the names of the indexes the workload's plans read, per table. `writes`: the calls
/// of the workload's writing statements per table (0 for tables it only reads).
pub fn find(tables: &[Table], used: &[Vec<String>], writes: &[u64]) -> Vec<IndexDrop> {
    let mut drops = Vec::new();
    for (id, table) in tables.iter().enumerate() {
        if writes[id] == 0 {
            continue;
        }
        let is_used = |index: &ExistingIndex| used[id].contains(&index.name);
        for index in &table.indexes {
            if index.primary || index.constraint_backed || index.backs_foreign_key() {
                continue;
            }
            let same_rows = |other: &ExistingIndex| {
                other.name != index.name
                    && other.method == index.method
                    && other.predicate == index.predicate
                    && other.valid
            };
            let why = if let Some(other) = table.indexes.iter().find(|other| {
                same_rows(other)
                    && other.columns == index.columns
                    && other.key_count == index.key_count
                    && (!index.unique || other.unique)
                    && keeps_other(index, other, is_used(index), is_used(other))
            }) {
                format!(
                    "duplicate of {}, which has the same columns and predicate; every write to \
                     {} maintains both",
                    other.name, table.name
                )
            } else if let Some(other) = table.indexes.iter().find(|other| {
                !index.unique
                    && index.method == "btree"
                    && same_rows(other)
                    && index.keys().len() < other.keys().len()
                    && other.keys().starts_with(index.keys())
                    && index.included().iter().all(|c| other.columns.contains(c))
            }) {
                format!(
                    "its keys ({}) lead {}, which serves the same lookups; every write to {} \
                     maintains both",
                    index.keys().join(", "),
                    other.name,
                    table.name
                )
            } else if !index.unique && !is_used(index) && index.scans == 0 {
                format!(
                    "no plan of the workload reads it and pg_stat_user_indexes counts no scan \
                     {}, while the workload writes {} {} times; it holds {} bytes",
                    match &index.stats_reset {
                        Some(at) => format!("since the statistics were reset at {at}"),
                        None => "since the statistics began".to_owned(),
                    },
                    table.name,
                    writes[id],
                    index.bytes
                )
            } else {
                continue;
            };
            drops.push(IndexDrop {
                index: index.qualified(),
                table: table.qualified(),
                drop: format!("DROP INDEX CONCURRENTLY {}", index.qualified()),
                why,
            });
        }
    }
    drops
}

/// Of two duplicates, the one kept: the one that enforces something, else the one plans read,
/// else the first by name.
fn keeps_other(index: &ExistingIndex, other: &ExistingIndex, used: bool, other_used: bool) -> bool {
    let protected = |i: &ExistingIndex| i.primary || i.constraint_backed || i.unique;
    match (protected(index), protected(other)) {
        (false, true) => true,
        (true, false) => false,
        _ => match (used, other_used) {
            (false, true) => true,
            (true, false) => false,
            _ => other.name < index.name,
        },
    }
}
