//! What the index advisor recommends: indexes to create and to drop, each with the evidence
//! behind it. The advisor (`dbwise_indexes`) fills these; the renderers format them. The JSON
//! form is these types serialised as they are, documented in `docs/indexes.md`.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct IndexAdvice {
    pub indexes: Vec<IndexCreate>,
    pub drop: Vec<IndexDrop>,
    pub workload: WorkloadCost,
    pub search: SearchStats,
    /// What the advisor could not do or left out, each a sentence.
    pub notes: Vec<String>,
}

/// An index to create.
#[derive(Debug, Clone, Serialize)]
pub struct IndexCreate {
    /// The table, schema-qualified.
    pub table: String,
    /// The `CREATE INDEX CONCURRENTLY` statement.
    pub create: String,
    /// The key columns or expressions, in order.
    pub columns: Vec<String>,
    /// The non-key columns kept in the index for index-only scans.
    pub include: Vec<String>,
    /// The predicate of a partial index.
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    pub method: String,
    /// dbwise's estimate of the built size, from the table's statistics.
    pub estimated_bytes: u64,
    /// HypoPG's estimate (absent when not costed).
    pub hypopg_bytes: Option<u64>,
    /// The queries whose plan cost it lowers.
    pub queries: Vec<QueryCost>,
    /// The workload's writes that must maintain it, in planner cost units summed over the
    /// workload (calls times the cost of the index entries each writes).
    pub write_overhead: f64,
}

/// One query's cost per call before and after the whole recommended set.
#[derive(Debug, Clone, Serialize)]
pub struct QueryCost {
    pub fingerprint: String,
    pub query: String,
    pub calls: u64,
    pub cost_before: Option<f64>,
    pub cost_after: Option<f64>,
}

/// An existing index to drop.
#[derive(Debug, Clone, Serialize)]
pub struct IndexDrop {
    pub index: String,
    pub table: String,
    /// The `DROP INDEX CONCURRENTLY` statement.
    pub drop: String,
    pub why: String,
}

/// The workload's cost: the sum over its queries of calls times the plan's total cost.
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadCost {
    pub queries: usize,
    pub cost_before: Option<f64>,
    pub cost_after: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchStats {
    pub candidates: usize,
    /// EXPLAINs sent to the server (cache hits not counted).
    pub what_if_calls: u64,
    pub seconds: f64,
    pub budget_bytes: u64,
    /// False when the candidates were ranked by heuristics only (`--offline`), without
    /// what-if costing.
    pub costed: bool,
}
