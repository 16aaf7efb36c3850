//! `dbwise model`: NoSQL designs derived from a relational schema and its access patterns.
//!
//! [`patterns::Patterns`] reads the patterns file; [`analyse`] reads each pattern's SQL with
//! `dbwise_query` against the replayed catalog (foreign keys give the relationships) and
//! generates the example rows; [`dynamodb::design`] builds the single-table design. The result
//! types serialise to the JSON output; `dbwise_report::model` renders them for people.

pub mod dynamodb;
pub mod patterns;
pub mod schema;
mod shape;

use std::collections::BTreeMap;

use dbwise_catalog::Catalog;
use dbwise_query::Query;

use crate::patterns::{Data, Pattern, Patterns};
use crate::schema::{Entities, Kind, Row, Value};
use crate::shape::{Shape, Source};

/// A pattern with what its SQL asks, or why no design can serve it.
pub struct Analysed {
    pub pattern: Pattern,
    shape: Result<Shape, String>,
}

/// Everything the designs are derived from.
pub struct Model {
    pub entities: Entities,
    pub data: Data,
    pub table: String,
    pub patterns: Vec<Analysed>,
    /// Example rows per entity, in the order of `entities`.
    pub rows: Vec<Vec<Row>>,
    constants: BTreeMap<(usize, String), Vec<Value>>,
}

/// Read every pattern's SQL against the catalog. A pattern whose SQL does not parse, or is
/// not one statement, is an error naming the file and line; one the designs cannot serve is
/// kept with the reason.
pub fn analyse(catalog: &Catalog, patterns: Patterns) -> Result<Model, String> {
    let entities = Entities::of(catalog);
    if entities.entities.is_empty() {
        return Err("the schema has no table with a primary key to model".into());
    }
    let mut analysed = Vec::new();
    for pattern in patterns.patterns {
        let place = format!(
            "{}:{}: pattern `{}`",
            patterns.path, pattern.line, pattern.name
        );
        let query = Query::parse(&pattern.sql)
            .map_err(|error| format!("{place}: the SQL does not parse: {error}"))?;
        let facts = query.facts();
        let [facts] = facts.as_slice() else {
            return Err(format!(
                "{place}: the SQL holds {} statements; give each pattern exactly one",
                facts.len()
            ));
        };
        let shape = shape::shape(facts.kind, &facts.block_in(catalog), &entities);
        analysed.push(Analysed { pattern, shape });
    }
    let constants = constants(&entities, &analysed);
    let rows = schema::example_rows(&entities.entities, &constants);
    Ok(Model {
        entities,
        data: patterns.data,
        table: patterns.table,
        patterns: analysed,
        rows,
        constants,
    })
}

/// The constants the reads compare each column with, and one value besides, so that the
/// example rows hold both the rows a sparse index keeps and rows it leaves out.
fn constants(entities: &Entities, analysed: &[Analysed]) -> BTreeMap<(usize, String), Vec<Value>> {
    let mut constants: BTreeMap<(usize, String), Vec<Value>> = BTreeMap::new();
    for analysed in analysed {
        let Ok(Shape::Read(read)) = &analysed.shape else {
            continue;
        };
        for (entity, column, source) in &read.equal {
            if let Source::Constant(value) = source {
                let values = constants.entry((*entity, column.clone())).or_default();
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
        }
    }
    for ((entity, column), values) in &mut constants {
        let Some(column) = entities.entities[*entity].column(column) else {
            continue;
        };
        let other = match column.kind {
            Kind::Boolean => values.first().and_then(|v| match v {
                Value::Boolean(b) => Some(Value::Boolean(!b)),
                _ => None,
            }),
            Kind::Text => column
                .allowed
                .iter()
                .map(|a| Value::Text(a.clone()))
                .find(|a| !values.contains(a))
                .or_else(|| Some(Value::Text(format!("not-{}", column.name)))),
            _ => None,
        };
        values.extend(other);
    }
    constants
}
