use std::process::ExitCode;

#[derive(clap::Args)]
pub struct WorkloadArgs {}

pub fn run(_args: WorkloadArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dbwise workload` is not available in this build yet")
}
