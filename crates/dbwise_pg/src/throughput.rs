//! How fast this machine's PostgreSQL does the work that holds a migration's locks: a table
//! rewrite, an index build and a validation scan, timed on a generated table in a throwaway
//! cluster (`dbwise migrate trace --measure-throughput`). `dbwise migrate impact` divides table
//! sizes by these figures.

use std::time::Instant;

use dbwise_locks::Throughput;
use postgres::Client;

use crate::{PgError, TempCluster, TempClusterOptions};

/// The generated table: fixed-width columns (48 bytes a row, 72 with the tuple header) and one
/// index during the rewrite, as most tables have at least their primary key.
const CREATE: &str = "CREATE TABLE dbwise_throughput (
    id int8, a int8, b float8, at timestamptz, key uuid)";
/// Bytes a row of the generated table takes on its page, line pointer included.
const ROW_BYTES: u64 = 76;

/// The figures and what they were measured on.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub throughput: Throughput,
    /// The heap size of the generated table, in bytes.
    pub table_bytes: u64,
    pub server_version: String,
}

/// Generate a table of about `bytes` on a throwaway cluster (binaries in `bin_dir`, or found as
/// [`TempClusterOptions::bin_dir`] says) and time a validation scan, an index build and a
/// rewrite of it.
pub fn measure_throughput(
    bin_dir: Option<std::path::PathBuf>,
    bytes: u64,
) -> Result<Measured, PgError> {
    let cluster = TempCluster::start(TempClusterOptions {
        bin_dir,
        ..TempClusterOptions::default()
    })?;
    let mut client = cluster.create_database("dbwise_throughput")?;
    let measured = measure_on(&mut client, bytes);
    drop(client);
    cluster.stop()?;
    measured
}

fn measure_on(client: &mut Client, bytes: u64) -> Result<Measured, PgError> {
    let rows = (bytes / ROW_BYTES).max(1000) as i64;
    let run = |client: &mut Client, sql: &str| client.batch_execute(sql).map_err(PgError::Query);
    run(client, CREATE)?;
    client
        .execute(
            "INSERT INTO dbwise_throughput
             SELECT i, i % 1000, random(), now(), gen_random_uuid()
             FROM generate_series(1, $1::int8) AS i",
            &[&rows],
        )
        .map_err(PgError::Query)?;
    // The timings start from a table on disk and in the cache, as a table in use is.
    run(client, "VACUUM ANALYZE dbwise_throughput")?;
    run(client, "CHECKPOINT")?;
    let table_bytes: i64 = client
        .query_one("SELECT pg_table_size('dbwise_throughput')", &[])
        .map_err(PgError::Query)?
        .get(0);
    let server_version: String = client
        .query_one("SHOW server_version", &[])
        .map_err(PgError::Query)?
        .get(0);
    run(
        client,
        "ALTER TABLE dbwise_throughput ADD CONSTRAINT positive CHECK (a >= 0) NOT VALID",
    )?;
    let mut timed = |sql: &str| -> Result<f64, PgError> {
        let started = Instant::now();
        run(client, sql)?;
        Ok(started.elapsed().as_secs_f64())
    };
    let scan = timed("ALTER TABLE dbwise_throughput VALIDATE CONSTRAINT positive")?;
    // A key in random order, as most indexed columns are: sorting it is the bulk of the build.
    let build = timed("CREATE INDEX ON dbwise_throughput (b)")?;
    let rewrite = timed("ALTER TABLE dbwise_throughput ALTER COLUMN id TYPE int8 USING id + 0")?;
    let mb = table_bytes as f64 / 1e6;
    Ok(Measured {
        throughput: Throughput {
            rewrite_mb_per_s: mb / rewrite,
            index_build_mb_per_s: mb / build,
            scan_mb_per_s: mb / scan,
        },
        table_bytes: table_bytes as u64,
        server_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_table_gives_positive_figures_and_its_size() {
        let measured = measure_throughput(None, 4_000_000).unwrap();
        let figures = &measured.throughput;
        for rate in [
            figures.rewrite_mb_per_s,
            figures.index_build_mb_per_s,
            figures.scan_mb_per_s,
        ] {
            assert!(rate.is_finite() && rate > 0.0, "{figures:?}");
        }
        // 4 MB of rows: the heap is that plus page headers and free space at page ends.
        assert!(
            (4_000_000..6_000_000).contains(&measured.table_bytes),
            "{}",
            measured.table_bytes
        );
        assert!(!measured.server_version.is_empty());
    }
}
