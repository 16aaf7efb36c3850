//! `dbwise indexes`: the indexes to create and to drop for a workload, costed on a live
//! PostgreSQL with HypoPG, under a storage budget.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::ValueEnum;
use dbwise_indexes::{Options, WorkloadQuery};
use dbwise_pg::redact;
use dbwise_report::indexes;
use dbwise_workload::Analyzer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndexFormat {
    Human,
    Json,
    /// A migration: each CREATE / DROP INDEX CONCURRENTLY on its own, with a lock_timeout.
    Sql,
}

#[derive(clap::Args)]
pub struct IndexesArgs {
    /// The database to advise on; only read, in a READ ONLY transaction.
    #[arg(
        long,
        value_name = "URL",
        env = "DBWISE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: String,
    /// Server logs, pg_stat_statements CSV exports or .sql files (weighted by `-- calls: N`).
    /// Without it, the database's own pg_stat_statements is read when it is installed.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    workload: Vec<PathBuf>,
    /// Storage the new indexes may take (HypoPG's estimate): 500MB, 1.5GB, 300MiB, bytes.
    #[arg(long, value_name = "SIZE", default_value = "500MB", value_parser = parse_size)]
    budget: u64,
    /// At most this many new indexes.
    #[arg(long, value_name = "N")]
    max_indexes: Option<usize>,
    /// Rank candidates by heuristics without HypoPG; the result is marked as not costed.
    #[arg(long)]
    offline: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: IndexFormat,
    /// Never show the progress line.
    #[arg(long)]
    no_progress: bool,
}

/// A size with an optional unit: B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB
/// (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 500MB or 1.5GB"))?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit `{other}`; use kB, MB, GB, TB or KiB, MiB, GiB, TiB"
            ));
        }
    };
    Ok((number * scale).round() as u64)
}

pub fn run(args: IndexesArgs) -> anyhow::Result<ExitCode> {
    let mut client = dbwise_pg::connect(&args.database_url, "dbwise indexes")
        .with_context(|| format!("cannot connect to {}", redact(&args.database_url)))?;
    let workload = if args.workload.is_empty() {
        dbwise_indexes::read_pg_stat_statements(&mut client)?.context(
            "no --workload given and pg_stat_statements is not installed in this database",
        )?
    } else {
        read_workload(&args.workload)?
    };
    let options = Options {
        budget_bytes: args.budget,
        max_indexes: args.max_indexes,
        offline: args.offline,
    };
    let started = Instant::now();
    let show = !args.no_progress && std::io::stderr().is_terminal();
    let mut shown = false;
    let mut progress = |what: &str| {
        if show && started.elapsed() > Duration::from_secs(1) {
            eprint!("\r\x1b[K{what} ({:.0} s)", started.elapsed().as_secs_f64());
            shown = true;
        }
    };
    let advice = dbwise_indexes::advise(&mut client, &workload, &options, &mut progress);
    if shown {
        eprint!("\r\x1b[K");
    }
    let advice = advice?;
    let text = match args.format {
        IndexFormat::Human => indexes::render_human(&advice),
        IndexFormat::Json => indexes::render_json(&advice),
        IndexFormat::Sql => indexes::render_sql(&advice),
    };
    crate::output::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn read_workload(files: &[PathBuf]) -> anyhow::Result<Vec<WorkloadQuery>> {
    let mut analyzer = Analyzer::new(dbwise_workload::Options::default())?;
    for path in files {
        analyzer.add_file(path, &mut |_| {})?;
    }
    Ok(analyzer
        .finish()
        .queries
        .into_iter()
        .map(|q| WorkloadQuery {
            fingerprint: q.fingerprint,
            query: q.query,
            text: q.sample,
            calls: q.calls,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("300 MiB"), Ok(300 << 20));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }
}
