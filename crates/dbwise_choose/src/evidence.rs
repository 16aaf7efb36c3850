//! Signals for `--infer`, read from SQL: the schema catalog replayed from DDL, the statements
//! themselves (full-text operators, recursive CTEs, hypertables), and optionally the queries a
//! workload ran (read/write mix and rates, joins, aggregations, primary-key lookups).

use std::collections::BTreeSet;

use dbwise_catalog::{Catalog, Origin, Table};
use dbwise_diagnostics::SourceFile;
use dbwise_query::Query;
use dbwise_query::facts::{Block, Clause, FromItem, Kind, Relation, Role, Value};

use crate::infer::InferSignals;

/// A statement the SQL front-end could not parse; it is skipped and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedStatement {
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// One query shape seen in a workload: its normalised text, how often it ran, and when it
/// was first and last seen (`YYYY-MM-DD HH:MM:SS[.mmm]`, when the source has timestamps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedQuery {
    pub text: String,
    pub calls: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// What the SQL shows, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct SchemaEvidence {
    pub signals: InferSignals,
    pub statements: usize,
    pub skipped: Vec<SkippedStatement>,
    /// Workload query shapes that did not parse and were left out.
    pub unparsed_queries: usize,
    /// Seconds between the first and the last timestamp of the workload, when known.
    pub observed_seconds: Option<f64>,
}

const JSON_TYPES: &[&str] = &["json", "jsonb"];
const SPATIAL_TYPES: &[&str] = &["geometry", "geography", "point", "polygon"];
const TIME_TYPES: &[&str] = &["timestamp", "timestamptz", "date"];
const TEXT_SEARCH_FUNCTIONS: &[&str] = &[
    "to_tsvector",
    "to_tsquery",
    "plainto_tsquery",
    "phraseto_tsquery",
    "websearch_to_tsquery",
    "ts_rank",
    "ts_rank_cd",
];

/// Replay `files` in order into a catalog and collect the signals `infer_brief` needs, adding
/// what `queries` (a workload; may be empty) show.
pub fn signals_from_sql(files: &[SourceFile], queries: &[ObservedQuery]) -> SchemaEvidence {
    let mut catalog = Catalog::new();
    let mut evidence = SchemaEvidence::default();
    let mut full_text = 0;
    let mut hypertables: BTreeSet<String> = BTreeSet::new();
    let mut recursive_tables: Vec<BTreeSet<String>> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let parsed = dbwise_syntax::parse(file);
        evidence
            .skipped
            .extend(parsed.errors.iter().map(|error| SkippedStatement {
                path: file.path().to_string(),
                line: file.line_col(error.span.start).line,
                message: error.message.clone(),
            }));
        for statement in parsed.replay_order().iter() {
            let origin = Origin::new(
                file.clone(),
                statement.span,
                Some(index),
                evidence.statements,
            );
            catalog.apply(&statement.stmt, &origin);
            evidence.statements += 1;
            let Ok(query) = Query::parse(file.slice(statement.span)) else {
                continue;
            };
            for facts in query.facts() {
                full_text += facts.operators().iter().filter(|op| *op == "@@").count();
                for call in facts.calls() {
                    match call.base_name().as_deref() {
                        Some(name) if TEXT_SEARCH_FUNCTIONS.contains(&name) => full_text += 1,
                        Some("create_hypertable") => {
                            if let Some(Some(Value::String(table))) = call.arguments.first() {
                                hypertables.insert(unqualified(table));
                            }
                        }
                        _ => {}
                    }
                }
                recursive_tables.extend(
                    facts
                        .with_clauses()
                        .iter()
                        .filter(|with| with.recursive)
                        .map(|with| {
                            with.ctes
                                .iter()
                                .flat_map(|(_, read)| read.clone())
                                .collect()
                        }),
                );
            }
        }
    }
    let tables: Vec<&Table> = catalog
        .tables
        .values()
        .map(|table| &**table)
        .filter(|table| !table.external && !table.temporary && table.partition_of.is_none())
        .collect();
    let has_type = |table: &Table, types: &[&str]| {
        table.columns.iter().any(|column| {
            column
                .type_name
                .as_ref()
                .is_some_and(|t| types.contains(&t.name.as_str()))
        })
    };
    let self_referencing: BTreeSet<String> = tables
        .iter()
        .filter(|table| {
            table
                .foreign_keys()
                .any(|(_, fk)| fk.target.name == table.name.name)
        })
        .map(|table| table.name.name.to_string())
        .collect();
    let signals = &mut evidence.signals;
    signals.tables = tables.len();
    signals.foreign_keys = tables
        .iter()
        .map(|table| table.foreign_keys().count())
        .sum();
    signals.tables_with_json_columns = tables
        .iter()
        .filter(|table| has_type(table, JSON_TYPES))
        .count();
    signals.geospatial_columns = tables
        .iter()
        .flat_map(|table| &table.columns)
        .filter(|column| {
            column
                .type_name
                .as_ref()
                .is_some_and(|t| SPATIAL_TYPES.contains(&t.name.as_str()))
        })
        .count();
    signals.append_only_timestamped_tables = tables
        .iter()
        .filter(|table| {
            has_type(table, TIME_TYPES)
                && (table.partitioned
                    || hypertables.contains(table.name.name.as_str())
                    || time_in_primary_key(table))
        })
        .count();
    let tsvector_columns = tables
        .iter()
        .filter(|table| has_type(table, &["tsvector"]))
        .count();
    let text_indexes = catalog
        .indexes
        .values()
        .filter(|index| {
            index.elems.iter().any(|elem| {
                elem.expr.as_ref().is_some_and(|expr| {
                    expr.functions
                        .iter()
                        .any(|f| TEXT_SEARCH_FUNCTIONS.contains(&f.as_str()))
                })
            })
        })
        .count();
    signals.full_text_operators = full_text + tsvector_columns + text_indexes;
    signals.recursive_self_references = recursive_tables
        .iter()
        .filter(|names| names.iter().any(|name| self_referencing.contains(name)))
        .count();
    workload_signals(&catalog, queries, &mut evidence);
    evidence
}

const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "percentile_cont",
    "string_agg",
    "array_agg",
];

/// Reads and writes, joins, aggregations and key lookups, weighted by calls.
fn workload_signals(catalog: &Catalog, queries: &[ObservedQuery], evidence: &mut SchemaEvidence) {
    let (mut reads, mut writes, mut aggregating, mut by_key) = (0u64, 0u64, 0u64, 0u64);
    let mut max_joins: Option<usize> = None;
    let mut window: Option<(f64, f64)> = None;
    for query in queries {
        let Ok(parsed) = Query::parse(&query.text) else {
            evidence.unparsed_queries += 1;
            continue;
        };
        let Some(facts) = parsed.facts().into_iter().next() else {
            continue;
        };
        match facts.kind {
            Kind::Select => {
                reads += query.calls;
                max_joins = max_joins.max(Some(facts.relations.len().saturating_sub(1)));
                let block = facts.block_in(catalog);
                let aggregates = facts.calls().iter().any(|call| {
                    call.base_name()
                        .is_some_and(|name| AGGREGATES.contains(&name.as_str()))
                });
                if aggregates || !block.group_by.is_empty() {
                    aggregating += query.calls;
                }
                if is_key_lookup(catalog, &block) {
                    by_key += query.calls;
                }
            }
            Kind::Insert | Kind::Update | Kind::Delete | Kind::Merge => writes += query.calls,
            _ => continue,
        }
        for seen in [&query.first_seen, &query.last_seen].into_iter().flatten() {
            if let Some(at) = seconds(seen) {
                window = Some(window.map_or((at, at), |(start, end)| (start.min(at), end.max(at))));
            }
        }
    }
    let signals = &mut evidence.signals;
    if reads > 0 {
        signals.max_joins_per_query = max_joins;
        signals.aggregate_query_share = Some(aggregating as f64 / reads as f64);
        signals.key_lookup_share = Some(by_key as f64 / reads as f64);
    }
    if let Some((start, end)) = window.filter(|(start, end)| end > start) {
        let span = end - start;
        evidence.observed_seconds = Some(span);
        if reads + writes > 0 {
            signals.reads_per_sec = Some((reads as f64 / span * 10.0).round() / 10.0);
            signals.writes_per_sec = Some((writes as f64 / span * 10.0).round() / 10.0);
        }
    }
}

/// A read whose WHERE pins, with `=` and a constant or parameter, every primary-key column of
/// one of the tables it reads, joined to others or not: it fetches one row of that table (a
/// table the schema does not describe counts as keyed by `id`). The block comes with its
/// unqualified columns placed by the catalog, so `WHERE id = $1` in a join counts for the one
/// table that has `id`.
fn is_key_lookup(catalog: &Catalog, block: &Block) -> bool {
    let pinned: BTreeSet<(&str, &str)> = block
        .columns
        .iter()
        .filter(|u| u.clause == Clause::Where && u.conjunctive && u.role == Role::Equality)
        .filter(|u| u.operator.as_deref() == Some("="))
        .filter_map(|u| Some((u.column.table.as_deref()?, u.column.name.as_str())))
        .collect();
    let mut relations = Vec::new();
    for item in &block.from {
        from_relations(item, &mut relations);
    }
    relations.iter().any(|relation| {
        let key: Vec<String> = match catalog
            .table(&relation.table_name())
            .and_then(Table::primary_key)
            .map(|constraint| &constraint.kind)
        {
            Some(dbwise_syntax::ast::ConstraintKind::PrimaryKey { columns, .. }) => {
                columns.iter().map(|c| c.to_string()).collect()
            }
            _ => vec!["id".to_string()],
        };
        let table = relation.qualified_name();
        key.iter()
            .all(|column| pinned.contains(&(table.as_str(), column.as_str())))
    })
}

/// The tables of a FROM item, joins looked into.
fn from_relations<'b>(item: &'b FromItem, out: &mut Vec<&'b Relation>) {
    match item {
        FromItem::Relation(relation) => out.push(relation),
        FromItem::Join(left, right) => {
            from_relations(left, out);
            from_relations(right, out);
        }
        _ => {}
    }
}

/// Seconds since 1970 of `YYYY-MM-DD HH:MM:SS[.fff]` (the zone is the log's; only
/// differences are used).
fn seconds(text: &str) -> Option<f64> {
    let (date, time) = text.trim().split_once(' ')?;
    let mut parts = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let time = time.split_whitespace().next()?;
    let mut clock = time.split(':');
    let (hour, minute) = (
        clock.next()?.parse::<f64>().ok()?,
        clock.next()?.parse::<f64>().ok()?,
    );
    let second = clock.next()?.parse::<f64>().ok()?;
    let shifted = if month <= 2 { year - 1 } else { year };
    let era = shifted.div_euclid(400);
    let year_of_era = shifted - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days as f64 * 86_400.0 + hour * 3600.0 + minute * 60.0 + second)
}

/// A time column in the primary key (`PRIMARY KEY (device_id, recorded_at)`) marks rows
/// written once per instant and never updated in place.
fn time_in_primary_key(table: &Table) -> bool {
    let Some(dbwise_syntax::ast::ConstraintKind::PrimaryKey { columns, .. }) =
        table.primary_key().map(|constraint| &constraint.kind)
    else {
        return false;
    };
    columns.iter().any(|name| {
        table
            .column(name)
            .and_then(|column| column.type_name.as_ref())
            .is_some_and(|t| TIME_TYPES.contains(&t.name.as_str()))
    })
}

fn unqualified(name: &str) -> String {
    name.rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_matches('"')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(sql: &str) -> SchemaEvidence {
        signals_from_sql(&[SourceFile::new("schema.sql", sql)], &[])
    }

    fn observed(text: &str, calls: u64, first: &str, last: &str) -> ObservedQuery {
        ObservedQuery {
            text: text.to_string(),
            calls,
            first_seen: Some(first.to_string()),
            last_seen: Some(last.to_string()),
        }
    }

    #[test]
    fn a_workload_gives_the_read_write_mix_rates_joins_and_key_lookups() {
        let schema = SourceFile::new(
            "schema.sql",
            "create table accounts (tenant int, id int, name text, primary key (tenant, id));
             create table invoices (id int primary key, account int, total numeric);",
        );
        let queries = [
            observed(
                "SELECT name FROM accounts WHERE tenant = $1 AND id = $2",
                600,
                "2026-01-01 10:00:00.000",
                "2026-01-01 10:01:40.000",
            ),
            observed(
                "SELECT name FROM accounts WHERE tenant = $1",
                100,
                "2026-01-01 10:00:05.000",
                "2026-01-01 10:01:00.000",
            ),
            observed(
                "SELECT a.name, sum(i.total) FROM accounts a JOIN invoices i ON i.account = a.id GROUP BY a.name",
                100,
                "2026-01-01 10:00:10.000",
                "2026-01-01 10:01:30.000",
            ),
            observed(
                "SELECT * FROM invoices WHERE id = $1",
                200,
                "2026-01-01 10:00:01.000",
                "2026-01-01 10:01:39.000",
            ),
            observed(
                "UPDATE invoices SET total = $1 WHERE id = $2",
                150,
                "2026-01-01 10:00:02.000",
                "2026-01-01 10:01:38.000",
            ),
            observed(
                "INSERT INTO invoices VALUES ($1, $2, $3)",
                50,
                "2026-01-01 10:00:03.000",
                "2026-01-01 10:01:37.000",
            ),
            observed(
                "BEGIN",
                200,
                "2026-01-01 10:00:00.000",
                "2026-01-01 10:01:40.000",
            ),
            observed(
                "SELEC broken",
                5,
                "2026-01-01 10:00:00.000",
                "2026-01-01 10:01:40.000",
            ),
        ];
        let found = signals_from_sql(&[schema], &queries);
        let signals = &found.signals;
        assert_eq!(found.observed_seconds, Some(100.0));
        assert_eq!(signals.reads_per_sec, Some(10.0), "1,000 reads over 100 s");
        assert_eq!(signals.writes_per_sec, Some(2.0), "200 writes over 100 s");
        assert_eq!(
            signals.key_lookup_share,
            Some(0.8),
            "600 + 200 of 1,000 reads pin the whole key"
        );
        assert_eq!(signals.aggregate_query_share, Some(0.1));
        assert_eq!(signals.max_joins_per_query, Some(1));
        assert_eq!(found.unparsed_queries, 1);
    }

    #[test]
    fn a_join_that_pins_the_key_of_one_table_is_a_key_lookup() {
        let schema = SourceFile::new(
            "schema.sql",
            "create table customers (customer_no int primary key, name text);
             create table orders (order_no int primary key, customer_no int, total numeric);",
        );
        let share = |text: &str| {
            let found =
                signals_from_sql(std::slice::from_ref(&schema), &[observed(text, 10, "", "")]);
            found.signals.key_lookup_share
        };
        // The catalog places `order_no`: it is the key of orders, the only table that has it.
        assert_eq!(
            share(
                "SELECT o.total, c.name FROM orders o JOIN customers c USING (customer_no) \
                 WHERE order_no = $1"
            ),
            Some(1.0)
        );
        // `total` is not a key, and a join key is no constant.
        assert_eq!(
            share(
                "SELECT c.name FROM orders o JOIN customers c ON c.customer_no = o.customer_no \
                 WHERE total = $1"
            ),
            Some(0.0)
        );
    }

    #[test]
    fn without_timestamps_there_are_shares_but_no_rates() {
        let queries = [ObservedQuery {
            text: "SELECT * FROM t WHERE id = $1".to_string(),
            calls: 10,
            first_seen: None,
            last_seen: None,
        }];
        let found = signals_from_sql(&[], &queries);
        assert_eq!(found.signals.key_lookup_share, Some(1.0));
        assert_eq!(found.signals.reads_per_sec, None);
    }

    #[test]
    fn counts_tables_foreign_keys_and_json_columns() {
        let found = evidence(
            "create table customers (id bigint primary key, prefs jsonb);
             create table orders (id bigint primary key, customer_id bigint references customers (id));
             create table order_lines (order_id bigint references orders (id), sku text, qty int);",
        );
        let signals = &found.signals;
        assert_eq!(signals.tables, 3);
        assert_eq!(signals.foreign_keys, 2);
        assert_eq!(signals.tables_with_json_columns, 1);
        assert_eq!(signals.append_only_timestamped_tables, 0);
        assert_eq!(found.statements, 3);
    }

    #[test]
    fn recognises_time_series_tables() {
        let found = evidence(
            "create table readings (device_id int, recorded_at timestamptz, value float8, primary key (device_id, recorded_at));
             create table events (at timestamptz not null, payload jsonb) partition by range (at);
             create table metrics (time timestamptz not null, v float8);
             select create_hypertable('metrics', 'time');
             create table devices (id int primary key, created_at timestamptz);",
        );
        assert_eq!(found.signals.append_only_timestamped_tables, 3);
    }

    #[test]
    fn finds_full_text_search_and_spatial_columns() {
        let found = evidence(
            "create table docs (id int primary key, body text, search tsvector, location geography);
             create index docs_body on docs using gin (to_tsvector('english', body));
             create view hits as select id from docs where search @@ plainto_tsquery('english', 'x');",
        );
        assert!(
            found.signals.full_text_operators >= 3,
            "{:?}",
            found.signals
        );
        assert_eq!(found.signals.geospatial_columns, 1);
    }

    #[test]
    fn a_recursive_cte_over_a_self_reference_is_a_graph_signal() {
        let found = evidence(
            "create table categories (id int primary key, parent_id int references categories (id));
             create table tags (id int primary key);
             create view tree as with recursive t as (
                 select id, parent_id from categories where parent_id is null
                 union all select c.id, c.parent_id from categories c join t on c.parent_id = t.id)
               select * from t;
             create view flat as with recursive n as (select 1 as i union all select i + 1 from n where i < 5)
               select * from n cross join tags;",
        );
        assert_eq!(found.signals.recursive_self_references, 1);
    }

    #[test]
    fn unparsable_statements_are_reported_and_the_rest_is_read() {
        let found = evidence(
            "create table a (id int primary key);\ncreate tabel b (id int);\ncreate table c (id int);\n",
        );
        assert_eq!(found.signals.tables, 2);
        assert_eq!(found.skipped.len(), 1);
        assert_eq!(found.skipped[0].line, 2);
    }
}
