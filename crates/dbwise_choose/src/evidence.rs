//! Signals for `--infer`, read from SQL: the schema catalog replayed from DDL, plus the
//! statements themselves (full-text operators, recursive CTEs, hypertables).

use std::collections::BTreeSet;

use dbwise_catalog::{Catalog, Origin, Table};
use dbwise_diagnostics::SourceFile;
use dbwise_syntax::NodeEnum;
use pg_query::NodeRef;

use crate::infer::InferSignals;

/// A statement the SQL front-end could not parse; it is skipped and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedStatement {
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// What the SQL shows, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct SchemaEvidence {
    pub signals: InferSignals,
    pub statements: usize,
    pub skipped: Vec<SkippedStatement>,
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

/// Replay `files` in order into a catalog and collect the signals `infer_brief` needs.
pub fn signals_from_sql(files: &[SourceFile]) -> SchemaEvidence {
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
        for statement in &parsed.statements {
            let origin = Origin {
                file: file.clone(),
                span: statement.span,
                migration: Some(index),
                statement: evidence.statements,
            };
            catalog.apply(&statement.stmt, &origin);
            evidence.statements += 1;
            for (node, ..) in statement.raw.nodes() {
                match node {
                    NodeRef::AExpr(expr) if operator(&expr.name) == Some("@@") => full_text += 1,
                    NodeRef::FuncCall(call) => match last_name(&call.funcname).as_deref() {
                        Some(name) if TEXT_SEARCH_FUNCTIONS.contains(&name) => full_text += 1,
                        Some("create_hypertable") => {
                            if let Some(table) = call.args.first().and_then(string_constant) {
                                hypertables.insert(unqualified(&table));
                            }
                        }
                        _ => {}
                    },
                    NodeRef::SelectStmt(select) => {
                        if let Some(with) =
                            select.with_clause.as_ref().filter(|with| with.recursive)
                        {
                            recursive_tables.push(relations(&with.ctes));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let tables: Vec<&Table> = catalog
        .tables
        .values()
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
        .map(|table| table.name.name.clone())
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
                    || hypertables.contains(&table.name.name)
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
    evidence
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

fn operator(name: &[pg_query::protobuf::Node]) -> Option<&str> {
    match name.last()?.node.as_ref()? {
        NodeEnum::String(text) => Some(text.sval.as_str()),
        _ => None,
    }
}

fn last_name(parts: &[pg_query::protobuf::Node]) -> Option<String> {
    operator(parts).map(str::to_lowercase)
}

fn string_constant(node: &pg_query::protobuf::Node) -> Option<String> {
    let mut current = node.node.as_ref()?;
    loop {
        match current {
            NodeEnum::TypeCast(cast) => current = cast.arg.as_ref()?.node.as_ref()?,
            NodeEnum::AConst(constant) => {
                return match constant.val.as_ref()? {
                    pg_query::protobuf::a_const::Val::Sval(text) => Some(text.sval.clone()),
                    _ => None,
                };
            }
            _ => return None,
        }
    }
}

fn unqualified(name: &str) -> String {
    name.rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_matches('"')
        .to_string()
}

/// The tables a list of CTEs reads.
fn relations(ctes: &[pg_query::protobuf::Node]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for cte in ctes.iter().filter_map(|cte| cte.node.as_ref()) {
        for (node, ..) in cte.nodes() {
            if let NodeRef::RangeVar(range) = node {
                names.insert(range.relname.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(sql: &str) -> SchemaEvidence {
        signals_from_sql(&[SourceFile::new("schema.sql", sql)])
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
