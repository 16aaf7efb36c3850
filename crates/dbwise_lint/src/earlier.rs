//! The earlier part of a long migration history: its migration findings are counted, not
//! listed.

use std::collections::{BTreeMap, HashMap, HashSet};

use dbwise_diagnostics::{Category, EarlierFindings, Finding};

/// How many of the newest migrations of a folder are reported in full.
pub const RECENT_MIGRATIONS: usize = 10;

/// Take the migration findings in `earlier` files (all but the newest migrations of a folder,
/// whose paths come in replay order) out of `findings` and count them per rule. Design
/// findings, which judge the schema the whole history leaves, stay.
pub fn fold(findings: &mut Vec<Finding>, earlier: &[String]) -> Option<EarlierFindings> {
    let order: HashMap<&str, usize> = earlier
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
    *findings = kept;
    let total: usize = folded.values().map(Vec::len).sum();
    let migrations = folded
        .values()
        .flatten()
        .map(|(p, _)| *p)
        .collect::<HashSet<_>>()
        .len();
    let mut by_rule: Vec<(&'static str, usize)> =
        folded.iter().map(|(rule, g)| (*rule, g.len())).collect();
    by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
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
