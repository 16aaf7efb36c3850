//! The `dbwise` command line: argument parsing, configuration discovery and exit codes.
//! Each subcommand lives in `cmd/<name>.rs`; the analyses themselves live in library crates.

mod cmd;
mod config;
mod inputs;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "dbwise",
    version,
    about = "A database design advisor: schema and migration lint, workload analysis, engine choice"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint SQL files and migration folders for design flaws and unsafe migrations.
    Lint(cmd::lint::LintArgs),
    /// List every rule: id, category, default severity and a one-line summary.
    Rules(cmd::rules::RulesArgs),
    /// Print the full documentation of one rule.
    Explain(cmd::rules::ExplainArgs),
    /// Run everything a project's dbwise.toml configures.
    Review(cmd::review::ReviewArgs),
    /// Rank database engines for a design brief and explain the choice.
    Choose(cmd::choose::ChooseArgs),
    /// Analyse query workload from PostgreSQL logs, pg_stat_statements exports or SQL files.
    Workload(cmd::workload::WorkloadArgs),
    /// Indexes to create and to drop for a workload, costed with HypoPG under a storage budget.
    Indexes(cmd::indexes::IndexesArgs),
    /// Inspect a live PostgreSQL, read-only: design rules on its schema with real sizes, and
    /// unused and invalid indexes, sequences near their end, bloat, sessions, connections and
    /// replication.
    Inspect(cmd::inspect::InspectArgs),
    /// Derive a NoSQL design (DynamoDB single-table) from a schema and its access patterns,
    /// with each pattern's request and the reason for each key.
    Model(cmd::model::ModelArgs),
    /// Migration tools: trace locks on a real PostgreSQL, print safe plans.
    #[command(subcommand)]
    Migrate(cmd::migrate::MigrateCommand),
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lint(args) => cmd::lint::run(args),
        Command::Rules(args) => cmd::rules::run_rules(args),
        Command::Explain(args) => cmd::rules::run_explain(args),
        Command::Review(args) => cmd::review::run(args),
        Command::Choose(args) => cmd::choose::run(args),
        Command::Workload(args) => cmd::workload::run(args),
        Command::Indexes(args) => cmd::indexes::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
        Command::Migrate(command) => cmd::migrate::run(command),
        Command::Model(args) => cmd::model::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("dbwise: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A lint run allocates and frees many small objects (parse trees, catalog entries, help
/// texts) for a fraction of a second. With glibc's defaults, freed memory at the top of the
/// heap goes back to the kernel as soon as 128 KiB are free and blocks from 128 KiB up are
/// mapped one by one, so the same pages are returned and faulted in again and again (a tenth
/// of a lint's time on a large corpus went to the kernel). Keeping freed memory for reuse cuts
/// that; the peak stays the same, since it is set by what is alive at once.
fn keep_freed_memory() {
    const TRIM_THRESHOLD: libc::c_int = 256 << 20;
    const MMAP_THRESHOLD: libc::c_int = 32 << 20;
    // SAFETY: mallopt only changes allocator tuning; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}
