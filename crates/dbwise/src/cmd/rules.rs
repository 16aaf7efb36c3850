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
    let default_on = |id: &str| !dbwise_lint::rules::OPT_IN.contains(&id);
    if args.json {
        let list: Vec<String> = rules
            .iter()
            .map(|r| {
                format!(
                    "  {{\"id\": {:?}, \"category\": {:?}, \"severity\": {:?}, \"default\": {}, \"summary\": {:?}}}",
                    r.meta.id,
                    r.meta.category.as_str(),
                    r.meta.severity.as_str(),
                    default_on(r.meta.id),
                    r.meta.summary
                )
            })
            .collect();
        crate::output::emit(&format!("[\n{}\n]\n", list.join(",\n")))?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    let table: String = rules
        .iter()
        .map(|r| {
            format!(
                "{:width$}  {:9}  {:7}  {}{}\n",
                r.meta.id,
                r.meta.category.as_str(),
                r.meta.severity.as_str(),
                if default_on(r.meta.id) {
                    ""
                } else {
                    "(off by default) "
                },
                r.meta.summary
            )
        })
        .collect();
    crate::output::emit(&table)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = dbwise_lint::rules::find(&args.rule) else {
        bail!("unknown rule `{}`; `dbwise rules` lists them", args.rule);
    };
    crate::output::emit(&dbwise_lint::rule_markdown(rule))?;
    Ok(ExitCode::SUCCESS)
}
