//! How long a lock is held: the size of the table over the throughput of the work done under
//! the lock ([`Hold`]).

use std::collections::BTreeMap;

use dbwise_catalog::{Catalog, ObjectName, Table};
use dbwise_locks::{Hold, Throughput};

/// What is known of one table's size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableSize {
    pub rows: Option<u64>,
    /// The bytes of the table's heap (a live database's `pg_table_size`).
    pub bytes: Option<u64>,
}

/// Table sizes keyed `schema.name`, or by the bare name for tables of `public`.
pub type Sizes = BTreeMap<String, TableSize>;

/// Bytes each row takes besides its columns: the tuple header (23 bytes, aligned to 24) and its
/// line pointer (4 bytes).
const ROW_OVERHEAD: u64 = 28;
/// The assumed width of a column of variable length (text, numeric, json, arrays, unknown types).
const VARIABLE_WIDTH: u64 = 32;

/// The size of `table` in bytes, and how it was found: its measured heap size, or its row count
/// times the width of a row estimated from its column types.
pub fn table_bytes(sizes: &Sizes, table: &ObjectName, catalog: &Catalog) -> Option<(u64, bool)> {
    let size = lookup(sizes, table)?;
    if let Some(bytes) = size.bytes {
        return Some((bytes, true));
    }
    let rows = size.rows?;
    let width = catalog
        .tables
        .get(table)
        .map_or(ROW_OVERHEAD + 4 * VARIABLE_WIDTH, |t| row_width(t));
    Some((rows.saturating_mul(width), false))
}

fn lookup<'s>(sizes: &'s Sizes, table: &ObjectName) -> Option<&'s TableSize> {
    sizes
        .get(&format!("{}.{}", table.schema, table.name))
        .or_else(|| {
            (table.schema == "public")
                .then(|| sizes.get(table.name.as_str()))
                .flatten()
        })
}

/// The stored width of one row of `table`, from the types of its columns.
fn row_width(table: &Table) -> u64 {
    ROW_OVERHEAD
        + table
            .columns
            .iter()
            .map(|c| {
                c.type_name
                    .as_deref()
                    .filter(|t| !t.array)
                    .map_or(VARIABLE_WIDTH, |t| type_width(t.name.as_str()))
            })
            .sum::<u64>()
}

fn type_width(name: &str) -> u64 {
    match name {
        "bool" | "char" => 1,
        "int2" => 2,
        "int4" | "float4" | "date" | "oid" | "serial" | "serial4" => 4,
        "int8" | "float8" | "timestamp" | "timestamptz" | "time" | "money" | "bigserial"
        | "serial8" => 8,
        "timetz" => 12,
        "uuid" | "interval" => 16,
        _ => VARIABLE_WIDTH,
    }
}

/// Seconds `hold` keeps its lock on a table of `bytes`; zero for a catalog change.
pub fn seconds(hold: Hold, bytes: Option<u64>, throughput: &Throughput) -> Option<f64> {
    match throughput.mb_per_s(hold) {
        None => Some(0.0),
        Some(rate) => bytes.map(|b| b as f64 / 1e6 / rate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbwise_diagnostics::SourceFile;

    #[test]
    fn sizes_come_from_bytes_or_rows_times_the_row_width() {
        let mut catalog = Catalog::new();
        let file = SourceFile::new(
            "schema.sql",
            "CREATE TABLE t (id int8, n int4, note text);".to_string(),
        );
        assert!(catalog.replay_file(&file, Some(0)).is_empty());
        let t = ObjectName::new("public", "t");
        let mut sizes = Sizes::new();
        sizes.insert(
            "t".into(),
            TableSize {
                rows: Some(1000),
                bytes: None,
            },
        );
        assert_eq!(
            table_bytes(&sizes, &t, &catalog),
            Some((1000 * (28 + 8 + 4 + 32), false))
        );
        sizes.insert(
            "public.t".into(),
            TableSize {
                rows: Some(1000),
                bytes: Some(8192),
            },
        );
        assert_eq!(table_bytes(&sizes, &t, &catalog), Some((8192, true)));
        assert_eq!(
            table_bytes(&sizes, &ObjectName::new("other", "t"), &catalog),
            None
        );
    }

    #[test]
    fn a_hold_lasts_the_size_over_its_throughput() {
        let figures = Throughput {
            rewrite_mb_per_s: 50.0,
            index_build_mb_per_s: 100.0,
            scan_mb_per_s: 200.0,
        };
        assert_eq!(
            seconds(Hold::Rewrite, Some(100_000_000), &figures),
            Some(2.0)
        );
        assert_eq!(seconds(Hold::Build, Some(100_000_000), &figures), Some(1.0));
        assert_eq!(seconds(Hold::Scan, Some(100_000_000), &figures), Some(0.5));
        assert_eq!(seconds(Hold::Instant, None, &figures), Some(0.0));
        assert_eq!(seconds(Hold::Rewrite, None, &figures), None);
    }
}
