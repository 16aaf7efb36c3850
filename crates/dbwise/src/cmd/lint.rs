use std::process::ExitCode;

#[derive(clap::Args)]
pub struct LintArgs {}

pub fn run(_args: LintArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dbwise lint` is being built")
}
