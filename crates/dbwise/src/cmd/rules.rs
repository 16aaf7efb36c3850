use std::process::ExitCode;

use anyhow::bail;
use dbwise_lint::{OptionKind, Rule};

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
    if args.json {
        let list: Vec<String> = rules
            .iter()
            .map(|r| {
                format!(
                    "  {{\"id\": {:?}, \"category\": {:?}, \"severity\": {:?}, \"summary\": {:?}}}",
                    r.meta.id,
                    r.meta.category.as_str(),
                    r.meta.severity.as_str(),
                    r.meta.summary
                )
            })
            .collect();
        println!("[\n{}\n]", list.join(",\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let width = rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    for r in rules {
        println!(
            "{:width$}  {:9}  {:7}  {}",
            r.meta.id,
            r.meta.category.as_str(),
            r.meta.severity.as_str(),
            r.meta.summary
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = dbwise_lint::rules::find(&args.rule) else {
        bail!("unknown rule `{}`; `dbwise rules` lists them", args.rule);
    };
    print!("{}", rule_markdown(rule));
    Ok(ExitCode::SUCCESS)
}

/// The full documentation page of a rule, as printed by `dbwise explain` and written to
/// `docs/rules/<id>.md`.
pub fn rule_markdown(rule: &Rule) -> String {
    let m = &rule.meta;
    let mut out = format!(
        "# {}\n\n{}\n\n- Category: `{}`\n- Default severity: `{}`\n\n{}",
        m.id,
        capitalise(m.summary),
        m.category.as_str(),
        m.severity.as_str(),
        m.doc.trim_end()
    );
    out.push('\n');
    if !m.options.is_empty() {
        out.push_str(&format!(
            "\n## Options\nSet in `dbwise.toml` under `[lint.{}]`.\n\n",
            m.id
        ));
        for o in m.options {
            let kind = match o.kind {
                OptionKind::Integer => "integer",
                OptionKind::StringList => "list of strings",
            };
            out.push_str(&format!(
                "- `{}` ({kind}, default `{}`): {}\n",
                o.name, o.default, o.doc
            ));
        }
    }
    out.push_str(&format!("\nSuppress one finding with `-- dbwise-ignore {}: <reason>` on the line above the statement.\n", m.id));
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>() + "."
    })
}
