//! `dbwise indexes`: workload-wide index advice. From a workload's query shapes (weighted by
//! their calls) and a live database (schema, sizes and planner statistics, all read in one
//! READ ONLY transaction), it proposes the indexes to create under a storage budget, each with
//! the queries it speeds up and the writes it slows down, and the existing indexes to drop.
//!
//! The path: [`uses`] reads how each query uses each table from `dbwise_query` facts;
//! [`candidates`] turns those uses into candidate indexes and leaves out those an existing
//! index serves; [`whatif`] costs configurations with HypoPG; [`search`] chooses the set;
//! [`drops`] finds the indexes to remove; [`size`] estimates built sizes from statistics.
//! Without HypoPG (`offline`), candidates are ranked by heuristics and reported as not costed.

pub mod advice;
pub mod candidates;
pub mod drops;
pub mod schema;
pub mod search;
pub mod size;
pub mod uses;
pub mod whatif;

use std::collections::HashMap;
use std::time::Instant;

use crate::advice::{IndexAdvice, IndexCreate, QueryCost, SearchStats, WorkloadCost};
use dbwise_query::Query;
use dbwise_query::facts::{Access, Clause, Kind, Role};
use dbwise_syntax::ast::QualifiedName;
use postgres::{Client, Transaction};

use crate::candidates::{Candidate, Key, Names};
use crate::schema::Table;
use crate::search::{Problem, Search};
use crate::uses::{Resolver, TableId, TableUse};
use crate::whatif::{CandidateId, PlannedQuery, WhatIf};

/// The cost, in planner units, of writing one index entry: one random page
/// (`random_page_cost`'s default).
pub const INDEX_ENTRY_COST: f64 = 4.0;

/// One query shape of the workload.
#[derive(Debug, Clone)]
pub struct WorkloadQuery {
    pub fingerprint: String,
    /// The normalised text, for display.
    pub query: String,
    /// The text to plan: a statement as it ran (constants kept), or with `$n` parameters.
    pub text: String,
    pub calls: u64,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub budget_bytes: u64,
    pub max_indexes: Option<usize>,
    /// Rank candidates by heuristics, without HypoPG.
    pub offline: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("query failed")]
    Query(#[from] postgres::Error),
    #[error("cannot read a plan: {0}")]
    Plan(String),
    #[error(
        "HypoPG is not installed in this database, so candidate indexes cannot be costed. A DBA \
         enables it with `CREATE EXTENSION hypopg;`{}; dbwise never does. Or run with --offline for \
         candidates ranked by heuristics only",
        if *available { "" } else { " after installing the server package (on Debian: apt-get install postgresql-15-hypopg, for the server's major version)" }
    )]
    NoHypopg { available: bool },
}

/// A workload statement as the advisor understands it.
struct Analysed {
    /// Index in the workload.
    index: usize,
    kind: Kind,
    tables: Vec<TableId>,
    uses: Vec<TableUse>,
    /// For an UPDATE: its table and the columns it sets. For an INSERT: its table.
    writes: Option<(TableId, Vec<String>)>,
}

struct Tables {
    tables: Vec<Table>,
    by_name: HashMap<String, Option<TableId>>,
}

impl Resolver for Tables {
    fn table(&self, name: &str) -> Option<TableId> {
        self.by_name.get(name).copied().flatten()
    }
}

/// The live tables the workload names, for placing its unqualified columns.
impl dbwise_query::Schema for Tables {
    fn has_column(&self, relation: &QualifiedName, column: &str) -> Option<bool> {
        let table = self.table(&dbwise_query::facts::qualified_name(relation))?;
        Some(self.tables[table].column(column).is_some())
    }
}

/// Advise on `workload` against the database `client` is connected to. Reads only, in one
/// READ ONLY transaction that is rolled back at the end. `progress` is told what the search is
/// doing now.
pub fn advise(
    client: &mut Client,
    workload: &[WorkloadQuery],
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<IndexAdvice, Error> {
    let started = Instant::now();
    let mut tx = client.build_transaction().read_only(true).start()?;
    // Every statement is a catalog read or an EXPLAIN without ANALYZE; the bound guards against
    // a query whose planning alone runs away.
    tx.batch_execute("SET LOCAL lock_timeout = '5s'; SET LOCAL statement_timeout = '30s'")?;
    if !options.offline {
        let installed = tx
            .query_opt(
                "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'hypopg'",
                &[],
            )?
            .is_some();
        if !installed {
            let available = tx
                .query_opt(
                    "SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'hypopg'",
                    &[],
                )?
                .is_some();
            return Err(Error::NoHypopg { available });
        }
    }
    let mut notes = Vec::new();
    progress("reading the schema and statistics");
    let (tables, analysed) = analyse(&mut tx, workload, &mut notes)?;

    // The statements to cost: reads, updates and deletes on known tables that plan.
    let mut costed: Vec<(&Analysed, PlannedQuery)> = Vec::new();
    for a in &analysed {
        if !matches!(a.kind, Kind::Select | Kind::Update | Kind::Delete) || a.tables.is_empty() {
            continue;
        }
        let text = workload[a.index]
            .text
            .trim()
            .trim_end_matches(';')
            .to_owned();
        match whatif::prepare(&mut tx, &text)? {
            Ok(parameters) => costed.push((
                a,
                PlannedQuery {
                    text,
                    parameters,
                    tables: a.tables.clone(),
                },
            )),
            Err(reason) => notes.push(format!(
                "query {} is left out: it does not plan ({reason})",
                workload[a.index].fingerprint
            )),
        }
    }
    if costed.iter().any(|(_, q)| q.parameters.is_some()) && !options.offline {
        notes.push(
            "queries with $n parameters are costed with generic plans (PREPARE, then EXPLAIN \
             EXECUTE with plan_cache_mode = force_generic_plan), which cannot use partial indexes \
             on a parameter"
                .to_owned(),
        );
    }

    // Candidates, each with the costed queries that filter, join, sort or group by its leading
    // column.
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut immutable: HashMap<(Vec<String>, usize), bool> = HashMap::new();
    for (a, _) in &costed {
        for table_use in &a.uses {
            let table = &tables.tables[table_use.table];
            let mut check = |function: &[String], arguments: usize| {
                let key = (function.to_vec(), arguments);
                if let Some(&known) = immutable.get(&key) {
                    return known;
                }
                let found = schema::immutable(&mut tx, function, arguments).unwrap_or(false);
                immutable.insert(key, found);
                found
            };
            candidates::generate(table_use, table, &mut check, &mut candidates);
        }
    }
    candidates.retain(|c| candidates::served_by(c, &tables.tables[c.table]).is_none());
    candidates.sort();
    candidates.dedup();
    let relevant: Vec<Vec<usize>> = candidates
        .iter()
        .map(|c| {
            costed
                .iter()
                .enumerate()
                .filter(|(_, (a, _))| {
                    a.uses
                        .iter()
                        .any(|u| u.table == c.table && narrows(u, c.keys[0].column()))
                })
                .map(|(q, _)| q)
                .collect()
        })
        .collect();
    let write: Vec<f64> = candidates
        .iter()
        .map(|c| write_overhead(c, &tables.tables[c.table], &analysed, workload))
        .collect();
    let weights: Vec<f64> = costed
        .iter()
        .map(|(a, _)| workload[a.index].calls.max(1) as f64)
        .collect();
    let mut writes_per_table = vec![0u64; tables.tables.len()];
    for a in &analysed {
        if matches!(a.kind, Kind::Insert | Kind::Update | Kind::Delete)
            && let Some(&table) = a.tables.first()
        {
            writes_per_table[table] += workload[a.index].calls;
        }
    }
    let max_indexes = options.max_indexes.unwrap_or(usize::MAX);

    let query_cost = |q: usize, before: Option<f64>, after: Option<f64>| {
        let w = &workload[costed[q].0.index];
        QueryCost {
            fingerprint: w.fingerprint.clone(),
            query: w.query.clone(),
            calls: w.calls,
            cost_before: before,
            cost_after: after,
        }
    };
    let mut names = Names::new(&tables.tables);
    let mut describe = |c: &Candidate, hypopg: Option<u64>, queries: Vec<QueryCost>, write: f64| {
        let table = &tables.tables[c.table];
        IndexCreate {
            table: table.qualified(),
            create: c.create(table, &names.free(c, table)),
            columns: c.keys.iter().map(Key::sql).collect(),
            include: c.include.iter().map(|i| schema::quote(i)).collect(),
            predicate: c.predicate.as_ref().map(|p| p.sql.clone()),
            method: "btree".to_owned(),
            estimated_bytes: c.estimated_bytes(table),
            hypopg_bytes: hypopg,
            queries,
            write_overhead: write,
        }
    };

    if options.offline {
        let chosen = offline_choice(
            &candidates,
            &relevant,
            &weights,
            &tables.tables,
            &write,
            options,
        );
        let indexes = chosen
            .iter()
            .map(|&c| {
                let queries = relevant[c]
                    .iter()
                    .map(|&q| query_cost(q, None, None))
                    .collect();
                describe(&candidates[c], None, queries, write[c])
            })
            .collect();
        let used = vec![Vec::new(); tables.tables.len()];
        notes.push(
            "not costed (--offline): candidates are ranked by heuristics, and indexes are proposed \
             for dropping from pg_stat_user_indexes alone"
                .to_owned(),
        );
        let drop = drops::find(&tables.tables, &used, &writes_per_table);
        tx.rollback()?;
        return Ok(IndexAdvice {
            indexes,
            drop,
            workload: WorkloadCost {
                queries: costed.len(),
                cost_before: None,
                cost_after: None,
            },
            search: SearchStats {
                candidates: candidates.len(),
                what_if_calls: 0,
                seconds: started.elapsed().as_secs_f64(),
                budget_bytes: options.budget_bytes,
                costed: false,
            },
            notes,
        });
    }

    let mut whatif = WhatIf::start(&mut tx)?;
    for c in &candidates {
        whatif.add_candidate(c.table, c.definition(&tables.tables[c.table]));
    }
    progress("costing the workload as it is");
    let mut base = Vec::with_capacity(costed.len());
    let mut used: Vec<Vec<String>> = vec![Vec::new(); tables.tables.len()];
    for (q, (_, planned)) in costed.iter().enumerate() {
        let plan = whatif.plan(q, planned, &[])?;
        base.push(plan.cost);
        for &table in &planned.tables {
            used[table].extend(plan.indexes.iter().cloned());
        }
    }
    let wider: Vec<Vec<CandidateId>> = candidates
        .iter()
        .map(|c| {
            (0..candidates.len())
                .filter(|&d| c.is_prefix_of(&candidates[d]))
                .collect()
        })
        .collect();
    let ids: Vec<CandidateId> = (0..candidates.len()).collect();
    let mut sizes = Vec::with_capacity(candidates.len());
    for &c in &ids {
        sizes.push(whatif.size(c)?);
    }
    let problem = Problem {
        queries: costed.iter().map(|(_, p)| p.clone()).collect(),
        weights: weights.clone(),
        base: base.clone(),
        relevant: relevant.clone(),
        wider,
        sizes,
        write: write.clone(),
        budget: options.budget_bytes,
        max_indexes,
    };
    let mut search = Search::new(&mut whatif, &problem, progress);
    let pool = search.screen(&ids)?;
    let by_ratio = search.greedy(Vec::new(), &pool, true)?;
    let by_benefit = search.greedy(Vec::new(), &pool, false)?;
    let mut chosen = if search.total(&by_benefit)? < search.total(&by_ratio)? {
        by_benefit
    } else {
        by_ratio
    };
    chosen = search.improve(chosen, &pool)?;

    // The final plans: which chosen index each query reads; an index none reads is left out.
    let mut plans = Vec::with_capacity(costed.len());
    loop {
        plans.clear();
        for (q, (_, planned)) in costed.iter().enumerate() {
            plans.push(whatif.plan(q, planned, &chosen)?);
        }
        let read: Vec<CandidateId> = plans
            .iter()
            .flat_map(|p| p.candidates.iter().copied())
            .collect();
        let before = chosen.len();
        chosen.retain(|c| read.contains(c));
        if chosen.len() == before {
            break;
        }
    }
    // The most beneficial first, so that it keeps the plain name when two would share one.
    let mut benefits: Vec<(f64, usize)> = chosen
        .iter()
        .map(|&c| {
            let benefit = plans
                .iter()
                .enumerate()
                .filter(|(_, p)| p.candidates.contains(&c))
                .map(|(q, p)| weights[q] * (base[q] - p.cost))
                .sum();
            (benefit, c)
        })
        .collect();
    benefits.sort_by(|a, b| b.0.total_cmp(&a.0));
    let indexes: Vec<IndexCreate> = benefits
        .iter()
        .map(|&(_, c)| {
            let queries = plans
                .iter()
                .enumerate()
                .filter(|(_, p)| p.candidates.contains(&c))
                .map(|(q, p)| query_cost(q, Some(base[q]), Some(p.cost)))
                .collect();
            describe(&candidates[c], problem.sizes[c], queries, write[c])
        })
        .collect();
    let cost_before: f64 = base.iter().zip(&weights).map(|(c, w)| c * w).sum();
    let cost_after: f64 = plans.iter().zip(&weights).map(|(p, w)| p.cost * w).sum();
    let what_if_calls = whatif.calls;
    whatif.reset()?;
    let drop = drops::find(&tables.tables, &used, &writes_per_table);
    tx.rollback()?;
    Ok(IndexAdvice {
        indexes,
        drop,
        workload: WorkloadCost {
            queries: costed.len(),
            cost_before: Some(cost_before),
            cost_after: Some(cost_after),
        },
        search: SearchStats {
            candidates: candidates.len(),
            what_if_calls,
            seconds: started.elapsed().as_secs_f64(),
            budget_bytes: options.budget_bytes,
            costed: true,
        },
        notes,
    })
}

/// Parse the workload, read the tables it names, and find how each statement uses them.
fn analyse(
    tx: &mut Transaction<'_>,
    workload: &[WorkloadQuery],
    notes: &mut Vec<String>,
) -> Result<(Tables, Vec<Analysed>), Error> {
    let mut tables = Tables {
        tables: Vec::new(),
        by_name: HashMap::new(),
    };
    let mut analysed = Vec::new();
    for (index, query) in workload.iter().enumerate() {
        let Ok(parsed) = Query::parse(&query.text) else {
            notes.push(format!(
                "query {} is left out: it does not parse",
                query.fingerprint
            ));
            continue;
        };
        let facts = parsed.facts();
        let [facts] = facts.as_slice() else { continue };
        let mut ids = Vec::new();
        for relation in facts
            .relations
            .iter()
            .filter(|r| !r.cte && r.access != Access::Other)
        {
            let name = relation.qualified_name();
            if !tables.by_name.contains_key(&name) {
                let id = match schema::read_table(tx, &name)? {
                    Some(table) => Some(
                        match tables
                            .tables
                            .iter()
                            .position(|t| t.schema == table.schema && t.name == table.name)
                        {
                            Some(id) => id,
                            None => {
                                tables.tables.push(table);
                                tables.tables.len() - 1
                            }
                        },
                    ),
                    None => None,
                };
                tables.by_name.insert(name.clone(), id);
            }
            if let Some(id) = tables.by_name[&name]
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        let block = facts.block_in(&tables);
        let target = block
            .target
            .as_ref()
            .and_then(|t| tables.table(&t.qualified_name()));
        let writes = match (facts.kind, target) {
            (Kind::Insert, Some(t)) => Some((t, Vec::new())),
            (Kind::Update, Some(t)) => Some((
                t,
                block
                    .columns
                    .iter()
                    .filter(|u| u.role == Role::Assignment && u.clause == Clause::Set)
                    .map(|u| u.column.name.clone())
                    .collect(),
            )),
            _ => None,
        };
        if let Some(t) = target {
            ids.retain(|&id| id != t);
            ids.insert(0, t);
        }
        analysed.push(Analysed {
            index,
            kind: facts.kind,
            uses: uses::table_uses(&block, &tables),
            tables: ids,
            writes,
        });
    }
    Ok((tables, analysed))
}

/// The use filters, joins, sorts or groups by `column` (or compares a function of it): an index
/// led by it can change the plan.
fn narrows(table_use: &TableUse, column: &str) -> bool {
    [
        &table_use.equality,
        &table_use.join,
        &table_use.range,
        &table_use.sort,
        &table_use.group,
    ]
    .iter()
    .any(|list| list.iter().any(|c| c == column))
        || table_use.expressions.iter().any(|e| e.column == column)
}

/// The workload's cost of maintaining `candidate`: each INSERT writes an entry (when its row
/// falls in a partial index's predicate), each UPDATE that sets one of its columns writes an
/// entry, and when no existing index held a column the UPDATE sets, the update was HOT and now
/// writes an entry into every index of the table.
fn write_overhead(
    candidate: &Candidate,
    table: &Table,
    analysed: &[Analysed],
    workload: &[WorkloadQuery],
) -> f64 {
    let mut entries = 0.0;
    for a in analysed {
        let Some((written, set)) = &a.writes else {
            continue;
        };
        if *written != candidate.table {
            continue;
        }
        let calls = workload[a.index].calls as f64;
        match a.kind {
            Kind::Insert => entries += calls * candidate.selectivity(table),
            Kind::Update if set.iter().any(|s| candidate.columns().any(|c| c == s)) => {
                let was_hot = !table.indexes.iter().any(|index| {
                    index
                        .columns
                        .iter()
                        .chain(index.predicate.iter())
                        .any(|text| set.iter().any(|s| holds_word(text, s)))
                });
                let others = if was_hot {
                    table.indexes.len() as f64
                } else {
                    0.0
                };
                entries += calls * (1.0 + others);
            }
            _ => {}
        }
    }
    entries * INDEX_ENTRY_COST
}

/// `text` (an index column or predicate as PostgreSQL prints it) names `word` as a whole word.
fn holds_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|part| part == word)
}

/// Without costing: each candidate scores the calls of the queries that mention its leading
/// column times the number of its keys those queries filter or sort by, times the log of the
/// table's rows, per byte of its estimated size; the best are taken greedily under the budget,
/// one per table and leading column.
fn offline_choice(
    candidates: &[Candidate],
    relevant: &[Vec<usize>],
    weights: &[f64],
    tables: &[Table],
    write: &[f64],
    options: &Options,
) -> Vec<CandidateId> {
    let mut scored: Vec<(CandidateId, f64, u64)> = candidates
        .iter()
        .enumerate()
        .map(|(id, c)| {
            let table = &tables[c.table];
            let calls: f64 = relevant[id].iter().map(|&q| weights[q]).sum();
            let bytes = c.estimated_bytes(table);
            let score = (calls * c.keys.len() as f64 * (table.tuples + 2.0).ln() - write[id])
                / bytes.max(1) as f64;
            (id, score, bytes)
        })
        .filter(|(_, score, _)| *score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut chosen: Vec<CandidateId> = Vec::new();
    let mut used = 0;
    for (id, _, bytes) in scored {
        let c = &candidates[id];
        let taken = chosen
            .iter()
            .any(|&o| candidates[o].table == c.table && candidates[o].keys[0] == c.keys[0]);
        if !taken
            && used + bytes <= options.budget_bytes
            && chosen.len() < options.max_indexes.unwrap_or(usize::MAX)
        {
            used += bytes;
            chosen.push(id);
        }
    }
    chosen
}

/// The current database's statements from `pg_stat_statements`, read-only; `None` when the
/// extension is not installed here. Their texts carry `$n` parameters, so they are costed
/// with generic plans.
pub fn read_pg_stat_statements(client: &mut Client) -> Result<Option<Vec<WorkloadQuery>>, Error> {
    let mut tx = client.build_transaction().read_only(true).start()?;
    let installed = tx
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_stat_statements'",
            &[],
        )?
        .is_some();
    if !installed {
        return Ok(None);
    }
    let rows = tx.query(
        "SELECT to_hex(queryid), query, calls FROM pg_stat_statements \
         WHERE dbid = (SELECT oid FROM pg_catalog.pg_database \
                       WHERE datname = pg_catalog.current_database()) \
           AND calls > 0 AND queryid IS NOT NULL \
         ORDER BY total_exec_time DESC",
        &[],
    )?;
    tx.rollback()?;
    Ok(Some(
        rows.iter()
            .map(|row| {
                let text: String = row.get(1);
                WorkloadQuery {
                    fingerprint: row.get(0),
                    query: text.clone(),
                    text,
                    calls: u64::try_from(row.get::<_, i64>(2)).unwrap_or(0),
                }
            })
            .collect(),
    ))
}
