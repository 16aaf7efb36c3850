//! Choosing the set of candidates under the storage budget.
//!
//! 1. Each candidate that fits the budget is costed alone against the queries that filter,
//!    join, sort or group by its leading column (the only ones it can change much); a
//!    candidate that helps none goes, and so does one another candidate of its table beats on
//!    every query while being no larger and no dearer to write (dominated).
//! 2. Greedy: add the candidate with the best workload benefit per byte (and, in a second run,
//!    the best benefit) until the budget is spent, evaluating lazily: a candidate's last known
//!    benefit is an estimate, and it is re-costed with the indexes chosen so far only while it
//!    could still beat the best re-costed one. The better of the two runs is kept.
//! 3. Local search: swap a chosen index for another candidate (a wider one, or one of the best
//!    by their benefit alone) when the swap lowers the workload's cost, then fill the freed
//!    budget greedily again, until no swap helps.
//!
//! Every cost goes through the what-if cache, so a query is re-planned only when the candidates
//! on its own tables change.

use std::time::{Duration, Instant};

use crate::Error;
use crate::whatif::{CandidateId, PlannedQuery, WhatIf};

/// Candidates besides the wider ones tried in place of a chosen index.
const SWAP_POOL: usize = 12;
/// How long the local search may run.
const LOCAL_SEARCH_TIME: Duration = Duration::from_secs(3);

/// What the search chooses among.
pub struct Problem {
    pub queries: Vec<PlannedQuery>,
    /// Calls of each query.
    pub weights: Vec<f64>,
    /// Each query's cost with no candidate.
    pub base: Vec<f64>,
    /// For each candidate, the queries it can help.
    pub relevant: Vec<Vec<usize>>,
    /// For each candidate, the candidates that extend its keys.
    pub wider: Vec<Vec<CandidateId>>,
    /// HypoPG's size of each candidate (`None`: HypoPG refused it).
    pub sizes: Vec<Option<u64>>,
    /// The workload's cost of maintaining each candidate.
    pub write: Vec<f64>,
    pub budget: u64,
    pub max_indexes: usize,
}

impl Problem {
    fn fits(&self, chosen: &[CandidateId], adding: CandidateId) -> bool {
        let used: u64 = chosen.iter().filter_map(|&c| self.sizes[c]).sum();
        chosen.len() < self.max_indexes
            && self.sizes[adding].is_some_and(|s| used + s <= self.budget)
    }
}

pub struct Search<'s, 'a, 't> {
    whatif: &'s mut WhatIf<'a, 't>,
    problem: &'s Problem,
    /// Benefit below which an addition is not worth it.
    min_gain: f64,
    progress: &'s mut dyn FnMut(&str),
}

impl<'s, 'a, 't> Search<'s, 'a, 't> {
    pub fn new(
        whatif: &'s mut WhatIf<'a, 't>,
        problem: &'s Problem,
        progress: &'s mut dyn FnMut(&str),
    ) -> Self {
        let total: f64 = problem
            .base
            .iter()
            .zip(&problem.weights)
            .map(|(c, w)| c * w)
            .sum();
        Search {
            whatif,
            problem,
            min_gain: total * 1e-4,
            progress,
        }
    }

    fn cost(&mut self, query: usize, config: &[CandidateId]) -> Result<f64, Error> {
        Ok(self
            .whatif
            .plan(query, &self.problem.queries[query], config)?
            .cost)
    }

    /// The weighted cost change of `queries` from `from` to `to`, writes included
    /// (positive: `to` is cheaper).
    fn gain(
        &mut self,
        queries: &[usize],
        from: &[CandidateId],
        to: &[CandidateId],
    ) -> Result<f64, Error> {
        let mut gain = 0.0;
        for &q in queries {
            let weight = self.problem.weights[q];
            gain += weight * (self.cost(q, from)? - self.cost(q, to)?);
        }
        let write = |set: &[CandidateId]| set.iter().map(|&c| self.problem.write[c]).sum::<f64>();
        Ok(gain + write(from) - write(to))
    }

    /// Candidates worth searching among: each costed alone, those that help no query and those
    /// dominated dropped. Returns them with their benefit alone.
    pub fn screen(&mut self, candidates: &[CandidateId]) -> Result<Vec<(CandidateId, f64)>, Error> {
        let mut kept: Vec<(CandidateId, f64, Vec<f64>)> = Vec::new();
        for (done, &c) in candidates.iter().enumerate() {
            if done % 20 == 0 {
                (self.progress)(&format!(
                    "costing candidates alone: {done}/{}",
                    candidates.len()
                ));
            }
            if self
                .whatif
                .size(c)?
                .is_none_or(|size| size > self.problem.budget)
            {
                continue;
            }
            let queries = self.problem.relevant[c].clone();
            let mut costs = Vec::with_capacity(queries.len());
            for &q in &queries {
                costs.push(self.cost(q, &[c])?);
            }
            let benefit: f64 = queries
                .iter()
                .zip(&costs)
                .map(|(&q, cost)| self.problem.weights[q] * (self.problem.base[q] - cost))
                .sum::<f64>()
                - self.problem.write[c];
            if benefit > self.min_gain {
                kept.push((c, benefit, costs));
            }
        }
        let sizes = &self.problem.sizes;
        let dominated = |a: &(CandidateId, f64, Vec<f64>)| {
            kept.iter().any(|b| {
                b.0 != a.0
                    && self.problem.relevant[b.0] == self.problem.relevant[a.0]
                    && sizes[b.0] <= sizes[a.0]
                    && self.problem.write[b.0] <= self.problem.write[a.0]
                    && b.2.iter().zip(&a.2).all(|(x, y)| x <= y)
                    && (sizes[b.0] < sizes[a.0]
                        || b.2.iter().zip(&a.2).any(|(x, y)| x < y)
                        || b.0 < a.0)
            })
        };
        Ok(kept
            .iter()
            .filter(|a| !dominated(a))
            .map(|(c, benefit, _)| (*c, *benefit))
            .collect())
    }

    /// Greedy additions to `chosen` from `pool` (with their last known benefits), by benefit
    /// per byte or by benefit.
    pub fn greedy(
        &mut self,
        mut chosen: Vec<CandidateId>,
        pool: &[(CandidateId, f64)],
        per_byte: bool,
    ) -> Result<Vec<CandidateId>, Error> {
        let mut estimates: Vec<(CandidateId, f64)> = pool.to_vec();
        let score = |c: CandidateId, benefit: f64, sizes: &[Option<u64>]| {
            if per_byte {
                benefit / sizes[c].unwrap_or(u64::MAX).max(1) as f64
            } else {
                benefit
            }
        };
        loop {
            (self.progress)(&format!("choosing: {} indexes so far", chosen.len()));
            estimates.retain(|(c, _)| !chosen.contains(c) && self.problem.fits(&chosen, *c));
            estimates.sort_by(|a, b| {
                score(b.0, b.1, &self.problem.sizes).total_cmp(&score(
                    a.0,
                    a.1,
                    &self.problem.sizes,
                ))
            });
            let mut best: Option<(CandidateId, f64)> = None;
            for estimate in &mut estimates {
                let (c, stale) = *estimate;
                if let Some((b, gain)) = best
                    && score(c, stale, &self.problem.sizes) <= score(b, gain, &self.problem.sizes)
                {
                    break;
                }
                let mut with = chosen.clone();
                with.push(c);
                let queries = self.problem.relevant[c].clone();
                let gain = self.gain(&queries, &chosen, &with)?;
                estimate.1 = gain;
                if best.is_none_or(|(b, g)| {
                    score(c, gain, &self.problem.sizes) > score(b, g, &self.problem.sizes)
                }) {
                    best = Some((c, gain));
                }
            }
            match best {
                Some((c, gain)) if gain > self.min_gain => chosen.push(c),
                _ => return Ok(chosen),
            }
        }
    }

    /// Swaps that lower the workload's cost, each followed by a greedy refill.
    pub fn improve(
        &mut self,
        mut chosen: Vec<CandidateId>,
        pool: &[(CandidateId, f64)],
    ) -> Result<Vec<CandidateId>, Error> {
        let started = Instant::now();
        let mut by_benefit = pool.to_vec();
        by_benefit.sort_by(|a, b| b.1.total_cmp(&a.1));
        'search: while started.elapsed() < LOCAL_SEARCH_TIME {
            (self.progress)("improving the choice by swaps");
            for at in 0..chosen.len() {
                let out = chosen[at];
                let mut without = chosen.clone();
                without.remove(at);
                let mut options: Vec<CandidateId> = self.problem.wider[out].clone();
                options.extend(by_benefit.iter().take(SWAP_POOL).map(|(c, _)| *c));
                for candidate in options {
                    if chosen.contains(&candidate) || !self.problem.fits(&without, candidate) {
                        continue;
                    }
                    let mut with = without.clone();
                    with.push(candidate);
                    let mut queries = self.problem.relevant[out].clone();
                    queries.extend(&self.problem.relevant[candidate]);
                    queries.sort_unstable();
                    queries.dedup();
                    if self.gain(&queries, &chosen, &with)? > self.min_gain {
                        chosen = self.greedy(with, pool, true)?;
                        continue 'search;
                    }
                    if started.elapsed() >= LOCAL_SEARCH_TIME {
                        break 'search;
                    }
                }
            }
            break;
        }
        Ok(chosen)
    }

    /// The workload's weighted cost with `config`.
    pub fn total(&mut self, config: &[CandidateId]) -> Result<f64, Error> {
        let mut total = 0.0;
        for q in 0..self.problem.queries.len() {
            total += self.problem.weights[q] * self.cost(q, config)?;
        }
        Ok(total + config.iter().map(|&c| self.problem.write[c]).sum::<f64>())
    }
}
