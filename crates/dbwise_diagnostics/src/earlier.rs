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
