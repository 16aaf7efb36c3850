//! The documentation page of a rule, printed by `dbwise explain` and kept in `docs/rules/`.

use crate::rule::{OptionKind, Rule};

pub fn rule_markdown(rule: &Rule) -> String {
    let m = &rule.meta;
    let opt_in = if crate::rules::OPT_IN.contains(&m.id) {
        format!(
            "- Off by default: turn it on with `--enable {}` or `enable = [\"{}\"]` under `[lint]` in `dbwise.toml`\n",
            m.id, m.id
        )
    } else {
        String::new()
    };
    let mut out = format!(
        "# {}\n\n{}\n\n- Category: `{}`\n- Default severity: `{}`\n{opt_in}\n{}",
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
    if matches!(rule.check, crate::rule::Check::Live(_)) {
        out.push_str(&format!("\nFound by `dbwise inspect` on a live database, where there is no statement to put a comment on: turn it off with `--ignore {id}` or `ignore = [\"{id}\"]` under `[lint]` in `dbwise.toml`.\n", id = m.id));
    } else {
        out.push_str(&format!("\nSuppress one finding with `-- dbwise-ignore {}: <reason>` on the line above the statement.\n", m.id));
    }
    out
}

/// The index page `docs/rules/README.md`: every rule with its category, severity and summary.
pub fn rules_index() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule registry; `dbwise rules` prints the same list.\n\n",
    );
    out.push_str("| rule | category | default severity | finds |\n| --- | --- | --- | --- |\n");
    for r in crate::rules::ALL {
        out.push_str(&format!(
            "| [`{id}`]({id}.md) | {} | {}{} | {} |\n",
            r.meta.category.as_str(),
            r.meta.severity.as_str(),
            if crate::rules::OPT_IN.contains(&r.meta.id) {
                " (off by default)"
            } else {
                ""
            },
            r.meta.summary,
            id = r.meta.id
        ));
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>() + "."
    })
}
