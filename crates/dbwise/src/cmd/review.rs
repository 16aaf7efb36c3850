use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ReviewArgs {}

pub fn run(_args: ReviewArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dbwise review` is being built")
}
