//! The earlier part of a long migration history: its migration findings are counted, not
//! listed.

use std::collections::{BTreeMap, HashMap, HashSet};

use dbwise_diagnostics::{Category, EarlierFindings, Finding, count_by_rule};

/// How many of the newest migrations of a folder are reported in full.
pub const RECENT_MIGRATIONS: usize = 10;

/// Rules whose findings ask whether the application is ready for what a migration drops,
/// empties or renames: a question for the change that adds the migration, answered once it has
/// shipped.
pub const DEPLOY_QUESTIONS: &[&str] = &[
    "drop-column",
    "drop-table",
    "rename-column",
    "rename-table",
    "truncate-table",
];

/// Take the migration findings in `earlier` files (all but the newest
/// [`RECENT_MIGRATIONS`] of a folder), and those of [`DEPLOY_QUESTIONS`] in `shipped` files
/// (all but the newest migration of a folder), out of `findings` and count them per rule.
/// `shipped` holds `earlier` and comes in replay order. Design findings, which judge the
/// schema the whole history leaves, stay.
pub fn fold(
    findings: &mut Vec<Finding>,
    earlier: &[String],
    shipped: &[String],
) -> Option<EarlierFindings> {
    let order: HashMap<&str, usize> = shipped
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let earlier: HashSet<&str> = earlier.iter().map(String::as_str).collect();
    let mut folded: BTreeMap<&'static str, Vec<(usize, Finding)>> = BTreeMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        let path = finding.path();
        let counted = finding.category == Category::Migration
            && (earlier.contains(path) || DEPLOY_QUESTIONS.contains(&finding.rule));
        match order.get(path) {
            Some(&position) if counted => {
                folded
                    .entry(finding.rule)
                    .or_default()
                    .push((position, finding));
            }
            _ => kept.push(finding),
        }
    }
    *findings = kept;
    let total: usize = folded.values().map(Vec::len).sum();
    let migrations = folded
        .values()
        .flatten()
        .map(|(p, _)| *p)
        .collect::<HashSet<_>>()
        .len();
    let by_rule = count_by_rule(folded.values().flatten().map(|(_, f)| f.rule));
    let (_, newest) = folded
        .into_values()
        .flatten()
        .max_by_key(|(position, f)| (*position, f.span.start))?;
    Some(EarlierFindings {
        findings: total,
        migrations,
        by_rule,
        newest,
    })
}
