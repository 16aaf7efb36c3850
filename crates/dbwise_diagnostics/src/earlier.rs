use crate::Finding;

/// The migration findings of the earlier part of a long history, counted rather than listed:
/// those migrations ran long ago and their files are not edited again. Renderers show the count
/// beside the totals, never as a finding.
#[derive(Debug, Clone)]
pub struct EarlierFindings {
    /// How many findings were counted.
    pub findings: usize,
    /// In how many migrations.
    pub migrations: usize,
    /// The count of each rule, most frequent first.
    pub by_rule: Vec<(&'static str, usize)>,
    /// The newest of them, for its place and message.
    pub newest: Finding,
}

/// The findings that matter only on a large table, on tables whose size nothing in the input
/// shows, counted rather than listed. Renderers show the count beside the totals, with how to
/// list them or give the sizes.
#[derive(Debug, Clone)]
pub struct UnsizedFindings {
    /// How many findings were counted.
    pub findings: usize,
    /// On how many tables.
    pub tables: usize,
    /// The count of each rule, most frequent first.
    pub by_rule: Vec<(&'static str, usize)>,
}

/// Notes on choices the whole schema makes (naive timestamps everywhere, 32-bit keys
/// throughout), counted rather than listed: deliberate, and rarely worth a change.
#[derive(Debug, Clone)]
pub struct ConventionNotes {
    /// How many notes were counted.
    pub findings: usize,
    /// The count of each rule, most frequent first.
    pub by_rule: Vec<(&'static str, usize)>,
}

/// The count of each rule in `rules`, most frequent first, then by name.
pub fn count_by_rule(rules: impl IntoIterator<Item = &'static str>) -> Vec<(&'static str, usize)> {
    let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for rule in rules {
        *counts.entry(rule).or_default() += 1;
    }
    let mut by_rule: Vec<(&'static str, usize)> = counts.into_iter().collect();
    by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    by_rule
}
