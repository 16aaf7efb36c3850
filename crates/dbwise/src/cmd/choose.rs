use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ChooseArgs {}

pub fn run(_args: ChooseArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dbwise choose` is not available in this build yet")
}
