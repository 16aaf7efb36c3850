use std::collections::{BTreeMap, HashSet};

use dbwise_diagnostics::{Category, Finding, Severity};

use crate::rule::{Check, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "earlier-migrations",
        category: Category::Migration,
        severity: Severity::Info,
        summary: "migration findings in the earlier part of a long history, counted per rule",
        doc: "## What it finds
When `dbwise lint` reads a whole migration folder, the migration findings (locks, rewrites,
drops) of all but its newest ten migrations are counted per rule in one note each, which
points at the newest of them. Design findings, which judge the schema the whole history
leaves, are all reported, as is everything with `--since` or `--history all`.

## Why it matters
Those migrations have run: their locks were taken long ago and their files are not to be
edited. What still matters is whether new migrations repeat the pattern, which the note's
count and the newest migrations (reported in full) show.

## Example
A history of 300 migrations whose early ones built indexes without `CONCURRENTLY` gets one
note, `create-index-non-concurrently: 41 findings in 37 earlier migrations`, instead of 41.

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
/// folder, whose paths come in replay order) by one note per rule, placed at the newest of them.
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
    for (rule, group) in folded {
        let total = group.len();
        let migrations = group.iter().map(|(p, _)| *p).collect::<HashSet<_>>().len();
        let Some((_, newest)) = group
            .into_iter()
            .max_by_key(|(position, f)| (*position, f.span.start))
        else {
            continue;
        };
        let mut note = Finding::new(
            RULE.meta.id,
            RULE.meta.category,
            RULE.meta.severity,
            format!(
                "{rule}: {total} finding{} in {migrations} earlier migration{}, which ran long ago; the newest: {}",
                plural(total),
                plural(migrations),
                newest.message
            ),
        )
        .why(format!(
            "Those migrations ran long ago and are not edited again; what matters is whether new ones repeat what {rule} finds. The newest {RECENT_MIGRATIONS} migrations are reported in full."
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
