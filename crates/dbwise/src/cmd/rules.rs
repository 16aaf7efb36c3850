use std::process::ExitCode;

#[derive(clap::Args)]
pub struct RulesArgs {}

#[derive(clap::Args)]
pub struct ExplainArgs {}

pub fn run_rules(_args: RulesArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dbwise rules` is being built")
}

pub fn run_explain(_args: ExplainArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dbwise explain` is being built")
}
