//! The list of rules (`dbwise rules`): id, category, default severity, whether it runs by
//! default, and its summary.

use dbwise_lint::Rule;
use dbwise_lint::rules::OPT_IN;

fn default_on(id: &str) -> bool {
    !OPT_IN.contains(&id)
}

/// One JSON object a line, in a JSON array.
pub fn render_json(rules: &[&Rule]) -> String {
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
    format!("[\n{}\n]\n", list.join(",\n"))
}

/// A table, one rule a line, the ids padded to the longest.
pub fn render_human(rules: &[&Rule]) -> String {
    let width = rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    rules
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
        .collect()
}
