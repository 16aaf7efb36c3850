//! Table statistics of a live database: the estimated row count and size of every table, which
//! lint uses to scale the severity of locking migrations with the size of the table they lock,
//! and `migrate impact` to tell how long their locks are held.

use postgres::Client;

use crate::PgError;

const TABLE_ROWS: &str = include_str!("queries/table_rows.sql");

/// One table's estimated row count and heap size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRows {
    pub schema: String,
    pub name: String,
    pub rows: u64,
    /// `pg_table_size`: the heap with its TOAST and free space map, without indexes.
    pub bytes: Option<u64>,
}

/// Connect to `url` (a `postgres://` URL or a libpq `key=value` string) and read the estimated
/// row count of every ordinary and partitioned table, in a read-only transaction. Tables the
/// server has no estimate for are left out. Only the system catalogs and statistics views are
/// read, so no lock is taken on the tables themselves.
pub fn read_table_rows(url: &str) -> Result<Vec<TableRows>, PgError> {
    let mut client = crate::connect(url, "dbwise")?;
    table_rows(&mut client)
}

fn table_rows(client: &mut Client) -> Result<Vec<TableRows>, PgError> {
    let mut transaction = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(PgError::Query)?;
    transaction
        .batch_execute("SET LOCAL statement_timeout = '30s'")
        .map_err(PgError::Query)?;
    let rows = transaction.query(TABLE_ROWS, &[]).map_err(PgError::Query)?;
    transaction.commit().map_err(PgError::Query)?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let estimate: Option<i64> = row.get("estimate");
            Some(TableRows {
                schema: row.get("schema"),
                name: row.get("name"),
                rows: u64::try_from(estimate?).ok()?,
                bytes: row
                    .get::<_, Option<i64>>("bytes")
                    .and_then(|b| u64::try_from(b).ok()),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::{TempCluster, TempClusterOptions};

    fn estimates(cluster: &TempCluster, database: &str) -> Vec<(String, u64)> {
        read_table_rows(&cluster.connection_string(database))
            .unwrap()
            .into_iter()
            .map(|t| (format!("{}.{}", t.schema, t.name), t.rows))
            .collect()
    }

    #[test]
    fn analysed_tables_partitions_and_never_analysed_tables() {
        // No autovacuum: the never-analysed table must stay never analysed.
        let cluster =
            TempCluster::start(TempClusterOptions::default().setting("autovacuum", "off")).unwrap();
        let mut client = cluster.create_database("stats").unwrap();
        client
            .batch_execute(
                "CREATE SCHEMA billing;
                 CREATE TABLE billing.invoices (id int);
                 INSERT INTO billing.invoices SELECT generate_series(1, 2500);
                 CREATE TABLE events (at date, n int) PARTITION BY RANGE (at);
                 CREATE TABLE events_2024 PARTITION OF events
                     FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                 CREATE TABLE events_2025 PARTITION OF events
                     FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (n);
                 CREATE TABLE events_2025_a PARTITION OF events_2025 FOR VALUES IN (1);
                 CREATE TABLE events_2025_b PARTITION OF events_2025 FOR VALUES IN (2);
                 INSERT INTO events SELECT '2024-06-01', 0 FROM generate_series(1, 300);
                 INSERT INTO events SELECT '2025-06-01', 1 FROM generate_series(1, 40);
                 INSERT INTO events SELECT '2025-06-01', 2 FROM generate_series(1, 2);
                 CREATE TABLE empty_never_analysed (id int);
                 ANALYZE billing.invoices, events;
                 CREATE TABLE fresh (id int);
                 INSERT INTO fresh SELECT generate_series(1, 700);",
            )
            .unwrap();
        drop(client);
        // The live-tuple counts reach the statistics system shortly after the session ends.
        let deadline = Instant::now() + Duration::from_secs(20);
        let found = loop {
            let found = estimates(&cluster, "stats");
            if found.iter().any(|(name, _)| name == "public.fresh") || Instant::now() > deadline {
                break found;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let expected: Vec<(String, u64)> = [
            ("billing.invoices", 2500),
            ("public.events", 342),
            ("public.events_2024", 300),
            ("public.events_2025", 42),
            ("public.events_2025_a", 40),
            ("public.events_2025_b", 2),
            ("public.fresh", 700),
        ]
        .into_iter()
        .map(|(name, rows)| (name.to_owned(), rows))
        .collect();
        assert_eq!(found, expected);
        // A partitioned table's size is its leaves'.
        let tables = read_table_rows(&cluster.connection_string("stats")).unwrap();
        let bytes = |name: &str| {
            tables
                .iter()
                .find(|t| format!("{}.{}", t.schema, t.name) == name)
                .and_then(|t| t.bytes)
                .unwrap()
        };
        assert!(bytes("billing.invoices") >= 8192);
        assert_eq!(
            bytes("public.events"),
            bytes("public.events_2024")
                + bytes("public.events_2025_a")
                + bytes("public.events_2025_b")
        );
    }

    #[test]
    fn an_unreachable_server_is_a_connection_error() {
        let error = read_table_rows("postgresql://app:s3cret@127.0.0.1:1/db").unwrap_err();
        assert!(matches!(error, PgError::Connect(_)), "{error}");
        let error = read_table_rows("postgresql://[oops").unwrap_err();
        assert!(matches!(error, PgError::Connect(_)), "{error}");
    }
}
