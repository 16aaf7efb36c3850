use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum MigrateCommand {}

pub fn run(command: MigrateCommand) -> anyhow::Result<ExitCode> {
    match command {}
}
