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
