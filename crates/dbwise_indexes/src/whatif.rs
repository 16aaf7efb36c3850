//! What-if costing with HypoPG, in the caller's READ ONLY transaction: hypothetical indexes live
//! in this backend's memory only, and EXPLAIN (without ANALYZE) plans with them. Costs are
//! cached by query and by the set of candidates on that query's tables, the only ones that can
//! change its plan, so a configuration that differs elsewhere costs nothing to look up again.
//!
//! Queries with `$n` parameters are planned as generic plans: PREPARE, then EXPLAIN EXECUTE
//! with NULL arguments under `plan_cache_mode = force_generic_plan` (PostgreSQL 15 has no
//! `EXPLAIN (GENERIC_PLAN)`), then DEALLOCATE, so that no cached plan outlives a change of the
//! hypothetical indexes.

use std::collections::HashMap;

use postgres::{SimpleQueryMessage, Transaction};

use crate::Error;
use crate::uses::TableId;

/// Index of a candidate in the advisor's list.
pub type CandidateId = usize;

/// A query as the what-if session plans it.
#[derive(Debug, Clone)]
pub struct PlannedQuery {
    pub text: String,
    /// `Some(n)`: planned as a generic plan of a statement with `n` parameters.
    pub parameters: Option<usize>,
    pub tables: Vec<TableId>,
}

/// A plan's total cost and the indexes it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub cost: f64,
    /// The existing indexes it reads, by name.
    pub indexes: Vec<String>,
    /// The candidates it reads.
    pub candidates: Vec<CandidateId>,
}

pub struct WhatIf<'a, 't> {
    tx: &'a mut Transaction<'t>,
    /// Each candidate's table and `CREATE INDEX` statement.
    candidates: Vec<(TableId, String)>,
    /// The candidates now created in HypoPG, by their hypothetical index's oid.
    created: HashMap<CandidateId, u32>,
    /// HypoPG's size of each candidate, `None` when HypoPG refused it.
    sizes: HashMap<CandidateId, Option<u64>>,
    cache: HashMap<(usize, Vec<CandidateId>), Plan>,
    /// EXPLAINs sent.
    pub calls: u64,
}

impl<'a, 't> WhatIf<'a, 't> {
    /// Start a session; HypoPG's indexes of this backend are reset first.
    pub fn start(tx: &'a mut Transaction<'t>) -> Result<WhatIf<'a, 't>, Error> {
        tx.batch_execute("SET LOCAL plan_cache_mode = force_generic_plan; SELECT hypopg_reset()")?;
        Ok(WhatIf {
            tx,
            candidates: Vec::new(),
            created: HashMap::new(),
            sizes: HashMap::new(),
            cache: HashMap::new(),
            calls: 0,
        })
    }

    /// Make `definition` known as candidate number `id` (ids are given in order).
    pub fn add_candidate(&mut self, table: TableId, definition: String) -> CandidateId {
        self.candidates.push((table, definition));
        self.candidates.len() - 1
    }

    /// HypoPG's size of a candidate, creating it to ask; `None` when HypoPG cannot create it
    /// (a type without a btree operator class, an expression it refuses).
    pub fn size(&mut self, id: CandidateId) -> Result<Option<u64>, Error> {
        if let Some(size) = self.sizes.get(&id) {
            return Ok(*size);
        }
        self.create(id)?;
        Ok(self.sizes.get(&id).copied().flatten())
    }

    fn create(&mut self, id: CandidateId) -> Result<(), Error> {
        if self.created.contains_key(&id) || self.sizes.get(&id) == Some(&None) {
            return Ok(());
        }
        let definition = &self.candidates[id].1;
        let mut savepoint = self.tx.savepoint("dbwise_hypothetical")?;
        let row = savepoint.query_one(
            "SELECT indexrelid, hypopg_relation_size(indexrelid)::int8 \
             FROM hypopg_create_index($1)",
            &[definition],
        );
        match row {
            Ok(row) => {
                savepoint.commit()?;
                let oid: u32 = row.get(0);
                let bytes: i64 = row.get(1);
                self.created.insert(id, oid);
                self.sizes
                    .insert(id, Some(u64::try_from(bytes).unwrap_or(0)));
            }
            Err(_) => {
                savepoint.rollback()?;
                self.sizes.insert(id, None);
            }
        }
        Ok(())
    }

    fn remove(&mut self, id: CandidateId) -> Result<(), Error> {
        if let Some(oid) = self.created.remove(&id) {
            self.tx.execute("SELECT hypopg_drop_index($1)", &[&oid])?;
        }
        Ok(())
    }

    /// The plan of query `query` (numbered by the caller) when exactly `config`'s candidates
    /// exist on its tables. Candidates HypoPG refused are left out.
    pub fn plan(
        &mut self,
        query_id: usize,
        query: &PlannedQuery,
        config: &[CandidateId],
    ) -> Result<Plan, Error> {
        let mut key: Vec<CandidateId> = config
            .iter()
            .copied()
            .filter(|&c| {
                query.tables.contains(&self.candidates[c].0) && self.sizes.get(&c) != Some(&None)
            })
            .collect();
        key.sort_unstable();
        key.dedup();
        if let Some(plan) = self.cache.get(&(query_id, key.clone())) {
            return Ok(plan.clone());
        }
        let stale: Vec<CandidateId> = self
            .created
            .keys()
            .copied()
            .filter(|c| query.tables.contains(&self.candidates[*c].0) && !key.contains(c))
            .collect();
        for id in stale {
            self.remove(id)?;
        }
        for &id in &key {
            self.create(id)?;
        }
        let mut plan = explain(self.tx, query)?;
        self.calls += 1;
        // HypoPG names its indexes `<oid>btree_...`; oids are reused once an index is dropped,
        // so they are read now, while they are the candidates created.
        let (hypothetical, real): (Vec<String>, Vec<String>) =
            plan.indexes.into_iter().partition(|n| n.starts_with('<'));
        plan.indexes = real;
        plan.candidates = hypothetical
            .iter()
            .filter_map(|name| {
                let oid: u32 = name.strip_prefix('<')?.split_once('>')?.0.parse().ok()?;
                self.created
                    .iter()
                    .find(|(_, o)| **o == oid)
                    .map(|(id, _)| *id)
            })
            .collect();
        self.cache.insert((query_id, key), plan.clone());
        Ok(plan)
    }

    /// Forget every hypothetical index of the session.
    pub fn reset(self) -> Result<(), Error> {
        self.tx.batch_execute("SELECT hypopg_reset()")?;
        Ok(())
    }
}

/// Check that `text` plans, and how many parameters it takes; `None` when it does not plan
/// (the reason is returned as text).
pub fn prepare(
    tx: &mut Transaction<'_>,
    text: &str,
) -> Result<Result<Option<usize>, String>, Error> {
    let mut savepoint = tx.savepoint("dbwise_check")?;
    let checked = (|| -> Result<Option<usize>, postgres::Error> {
        savepoint.batch_execute(&format!("PREPARE dbwise_whatif AS {text}"))?;
        let row = savepoint.query_one(
            "SELECT cardinality(parameter_types) FROM pg_catalog.pg_prepared_statements \
             WHERE name = 'dbwise_whatif'",
            &[],
        )?;
        let count: i32 = row.get(0);
        savepoint.batch_execute("DEALLOCATE dbwise_whatif")?;
        Ok((count > 0).then_some(usize::try_from(count).unwrap_or(0)))
    })();
    match checked {
        Ok(parameters) => {
            savepoint.commit()?;
            Ok(Ok(parameters))
        }
        Err(error) => {
            savepoint.rollback()?;
            Ok(Err(error.as_db_error().map_or_else(
                || error.to_string(),
                |e| e.message().to_owned(),
            )))
        }
    }
}

fn explain(tx: &mut Transaction<'_>, query: &PlannedQuery) -> Result<Plan, Error> {
    let sql = match query.parameters {
        Some(n) => format!(
            "PREPARE dbwise_whatif AS {}; EXPLAIN (FORMAT JSON) EXECUTE dbwise_whatif({}); \
             DEALLOCATE dbwise_whatif",
            query.text,
            vec!["NULL"; n].join(", ")
        ),
        None => format!("EXPLAIN (FORMAT JSON) {}", query.text),
    };
    let messages = tx.simple_query(&sql)?;
    let json = messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
            _ => None,
        })
        .ok_or(Error::Plan("EXPLAIN returned no plan".to_owned()))?;
    parse_plan(&json)
}

fn parse_plan(json: &str) -> Result<Plan, Error> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::Plan(e.to_string()))?;
    let root = &value[0]["Plan"];
    let cost = root["Total Cost"]
        .as_f64()
        .ok_or_else(|| Error::Plan("no Total Cost in the plan".to_owned()))?;
    let mut indexes = Vec::new();
    index_names(root, &mut indexes);
    Ok(Plan {
        cost,
        indexes,
        candidates: Vec::new(),
    })
}

fn index_names(node: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(name) = node["Index Name"].as_str()
        && !out.iter().any(|n| n == name)
    {
        out.push(name.to_owned());
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            index_names(child, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_gives_its_cost_and_every_index_it_reads() {
        let json = r#"[{"Plan": {"Node Type": "Nested Loop", "Total Cost": 42.5, "Plans": [
            {"Node Type": "Index Scan", "Index Name": "<13556>btree_t_a", "Total Cost": 8},
            {"Node Type": "Bitmap Heap Scan", "Plans": [
                {"Node Type": "Bitmap Index Scan", "Index Name": "orders_pkey"}]}]}}]"#;
        let plan = parse_plan(json).unwrap();
        assert_eq!(plan.cost, 42.5);
        assert_eq!(plan.indexes, ["<13556>btree_t_a", "orders_pkey"]);
    }
}
