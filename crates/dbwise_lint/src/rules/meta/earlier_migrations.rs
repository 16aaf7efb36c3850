use std::collections::{BTreeMap, HashSet};

use dbwise_diagnostics::{Category, Finding, Severity};

use crate::rule::{Check, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "earlier-migrations",
        category: Category::Migration,
        severity: Severity::Info,
        summary: "migration findings in the earlier part of a long history, counted in one note",
        doc: "## What it finds
When `dbwise lint` reads a whole migration folder, the migration findings (locks, rewrites,
drops) of all but its newest ten migrations are counted, per rule, in one note, which points
at the newest of them. Design findings, which judge the schema the whole history
leaves, are all reported, as is everything with `--since` or `--history all`.

## Why it matters
Those migrations have run: their locks were taken long ago and their files are not to be
edited. What still matters is whether new migrations repeat the pattern, which the note's
count and the newest migrations (reported in full) show.

## Example
A history of 300 migrations whose early ones built indexes without `CONCURRENTLY` and
dropped two columns gets one note, `43 migration findings in 38 earlier migrations, which ran
long ago (create-index-non-concurrently 41, drop-column 2)`, instead of 43 findings.

## Use instead
`dbwise lint --history all` lists every finding; `--since <git-ref>` reports the migrations a
change adds or edits.
",
        options: &[],
    },
    check: Check::Driver,
};

/// How many of the newest migrations of a folder are reported in full.
pub const RECENT_MIGRATIONS: usize = 10;

/// Replace the migration findings in `earlier` files (all but the newest migrations of a
/// folder, whose paths come in replay order) by one note counting them per rule, placed at
/// the newest of them.
pub fn fold(findings: &mut Vec<Finding>, earlier: &[String]) {
    let order: std::collections::HashMap<&str, usize> = earlier
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut folded: BTreeMap<&'static str, Vec<(usize, Finding)>> = BTreeMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        match order.get(finding.path()) {
            Some(&position) if finding.category == Category::Migration => {
                folded
                    .entry(finding.rule)
                    .or_default()
                    .push((position, finding));
            }
            _ => kept.push(finding),
        }
    }
    let total: usize = folded.values().map(Vec::len).sum();
    let migrations = folded
        .values()
        .flatten()
        .map(|(p, _)| *p)
        .collect::<HashSet<_>>()
        .len();
    let mut counts: Vec<(&str, usize)> = folded.iter().map(|(rule, g)| (*rule, g.len())).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let per_rule: Vec<String> = counts
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    let newest = folded
        .into_values()
        .flatten()
        .max_by_key(|(position, f)| (*position, f.span.start));
    if let Some((_, newest)) = newest {
        let mut note = Finding::new(
            RULE.meta.id,
            RULE.meta.category,
            RULE.meta.severity,
            format!(
                "{total} migration finding{} in {migrations} earlier migration{}, which ran long ago ({}); the newest: {}",
                plural(total),
                plural(migrations),
                per_rule.join(", "),
                newest.message
            ),
        )
        .why(format!(
            "Those migrations ran long ago and are not edited again; what matters is whether new ones repeat what they did. The newest {RECENT_MIGRATIONS} migrations are reported in full."
        ))
        .help("Run with --history all to list each finding, or with --since <git-ref> in CI to judge the migrations a change adds.");
        if let Some(file) = &newest.file {
            note = note.at(file, newest.span);
        }
        kept.push(note);
    }
    *findings = kept;
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
