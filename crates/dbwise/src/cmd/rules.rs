use std::process::ExitCode;

use anyhow::bail;

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A rule id, as `dbwise rules` lists it.
    pub rule: String,
}

pub fn run_rules(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let rules = dbwise_lint::rules::ALL;
    crate::output::emit(&if args.json {
        dbwise_report::rules::render_json(rules)
    } else {
        dbwise_report::rules::render_human(rules)
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = dbwise_lint::rules::find(&args.rule) else {
        bail!("unknown rule `{}`; `dbwise rules` lists them", args.rule);
    };
    crate::output::emit(&dbwise_lint::rule_markdown(rule))?;
    Ok(ExitCode::SUCCESS)
}
