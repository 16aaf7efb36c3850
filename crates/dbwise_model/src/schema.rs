//! The relational schema as the designs see it: one entity per table with a primary key, its
//! columns with the kind of value and the widest value they hold, its foreign keys and its
//! unique keys; and the example rows every design is shown and tested with.

use std::collections::BTreeMap;

use dbwise_catalog::{Catalog, TypeKind};
use dbwise_syntax::ast::{ConstraintKind, TypeSpec};
use serde::Serialize;

/// What kind of value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Integer,
    Decimal,
    Boolean,
    Timestamp,
    Date,
    Uuid,
    Text,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// The most bytes a value takes, when the type bounds it.
    pub max_bytes: Option<u64>,
    /// The values an enum type allows.
    pub allowed: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    /// The index of the parent entity.
    pub parent: usize,
    pub parent_columns: Vec<String>,
    /// `ON DELETE CASCADE`: deleting the parent deletes these children.
    pub cascade: bool,
}

#[derive(Debug, Clone)]
pub struct Entity {
    /// The table's name, unqualified.
    pub table: String,
    /// The item type: the table's name in capitals and singular (`order_lines` is `ORDER_LINE`).
    pub label: String,
    pub key: Vec<String>,
    pub columns: Vec<Column>,
    pub foreign_keys: Vec<ForeignKey>,
    /// The columns of each unique constraint or unique index other than the primary key.
    pub unique: Vec<Vec<String>>,
}

impl Entity {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// The entities of a catalog, and the tables left out because they have no primary key.
pub struct Entities {
    pub entities: Vec<Entity>,
    pub keyless: Vec<String>,
}

impl Entities {
    pub fn of(catalog: &Catalog) -> Entities {
        let mut entities = Vec::new();
        let mut keyless = Vec::new();
        for table in catalog.tables.values() {
            let key = match table.primary_key().map(|c| &c.kind) {
                Some(ConstraintKind::PrimaryKey { columns, .. }) => {
                    columns.iter().map(ToString::to_string).collect()
                }
                _ => {
                    keyless.push(table.name.name.to_string());
                    continue;
                }
            };
            let columns = table
                .columns
                .iter()
                .map(|column| column_of(catalog, &column.name, column.type_name.as_deref()))
                .collect();
            let mut unique: Vec<Vec<String>> = table
                .constraints
                .iter()
                .filter_map(|c| match &c.kind {
                    ConstraintKind::Unique { columns, .. } => {
                        Some(columns.iter().map(ToString::to_string).collect())
                    }
                    _ => None,
                })
                .collect();
            for index in catalog.indexes_on(&table.name) {
                let columns: Vec<String> = index.leading_columns().map(str::to_string).collect();
                if index.unique
                    && index.predicate.is_none()
                    && index.constraint().is_none()
                    && columns.len() == index.elems.len()
                    && !unique.contains(&columns)
                {
                    unique.push(columns);
                }
            }
            entities.push(Entity {
                table: table.name.name.to_string(),
                label: label(&table.name.name),
                key,
                columns,
                foreign_keys: Vec::new(),
                unique,
            });
        }
        for table in catalog.tables.values() {
            let Some(child) = entities.iter().position(|e| e.table == table.name.name) else {
                continue;
            };
            for (_, fk) in table.foreign_keys() {
                let Some(parent) = entities.iter().position(|e| e.table == fk.target.name) else {
                    continue;
                };
                let parent_columns = if fk.target_columns.is_empty() {
                    entities[parent].key.clone()
                } else {
                    fk.target_columns.iter().map(ToString::to_string).collect()
                };
                entities[child].foreign_keys.push(ForeignKey {
                    columns: fk.columns.iter().map(ToString::to_string).collect(),
                    parent,
                    parent_columns,
                    cascade: fk.on_delete == 'c',
                });
            }
        }
        Entities { entities, keyless }
    }

    pub fn find(&self, table: &str) -> Option<usize> {
        self.entities.iter().position(|e| e.table == table)
    }
}

/// `order_lines` → `ORDER_LINE`, `addresses` → `ADDRESS`, `categories` → `CATEGORY`.
fn label(table: &str) -> String {
    let upper = table.to_uppercase();
    if let Some(stem) = upper.strip_suffix("IES") {
        format!("{stem}Y")
    } else if let Some(stem) = upper.strip_suffix("SSES") {
        format!("{stem}SS")
    } else if upper.ends_with("SS") {
        upper
    } else {
        upper
            .strip_suffix('S')
            .map_or(upper.clone(), str::to_string)
    }
}

fn column_of(catalog: &Catalog, name: &str, type_name: Option<&TypeSpec>) -> Column {
    let mut column = Column {
        name: name.to_string(),
        kind: Kind::Text,
        max_bytes: None,
        allowed: Vec::new(),
    };
    let Some(spec) = type_name else {
        return column;
    };
    if spec.array {
        return column;
    }
    // A DynamoDB number takes at most 21 bytes; a string one to four bytes a character.
    let (kind, max_bytes) = match spec.name.as_str() {
        "int2" | "int4" | "int8" | "smallint" | "integer" | "bigint" | "serial" | "bigserial"
        | "smallserial" | "serial4" | "serial8" => (Kind::Integer, Some(21)),
        "numeric" | "decimal" | "float4" | "float8" | "money" => (Kind::Decimal, Some(21)),
        "bool" => (Kind::Boolean, Some(1)),
        "timestamp" | "timestamptz" => (Kind::Timestamp, Some(32)),
        "date" => (Kind::Date, Some(10)),
        "uuid" => (Kind::Uuid, Some(36)),
        "varchar" | "bpchar" => (
            Kind::Text,
            spec.modifiers
                .first()
                .and_then(|n| u64::try_from(*n).ok())
                .map(|n| n * 4),
        ),
        _ => (Kind::Text, None),
    };
    column.kind = kind;
    column.max_bytes = max_bytes;
    if let Some(TypeKind::Enum { values }) = catalog.user_type(spec).map(|t| &t.kind) {
        column.max_bytes = values.iter().map(|v| v.len() as u64).max();
        column.allowed = values.clone();
    }
    column
}

/// A value of an example row.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Value {
    Integer(i64),
    Decimal(String),
    Boolean(bool),
    Text(String),
}

impl Value {
    /// The value as it appears in a key: integers zero-padded when `padded`, so that they sort
    /// by number within a sort key.
    pub fn key_text(&self, padded: bool) -> String {
        match self {
            Value::Integer(n) if padded => format!("{n:019}"),
            Value::Integer(n) => n.to_string(),
            Value::Decimal(text) | Value::Text(text) => text.clone(),
            Value::Boolean(b) => b.to_string(),
        }
    }

    /// A constant of the query as a value of `column`.
    pub fn from_constant(kind: Kind, constant: &dbwise_query::facts::Value) -> Option<Value> {
        use dbwise_query::facts::Value as Constant;
        Some(match (kind, constant) {
            (Kind::Integer, Constant::Integer(n)) => Value::Integer(*n),
            (Kind::Decimal, Constant::Integer(n)) => Value::Decimal(n.to_string()),
            (Kind::Decimal, Constant::Number(text)) => Value::Decimal(text.clone()),
            (Kind::Boolean, Constant::Boolean(b)) => Value::Boolean(*b),
            (_, Constant::String(text)) => Value::Text(text.clone()),
            _ => return None,
        })
    }
}

pub type Row = BTreeMap<String, Value>;

/// Example rows: two for a table without foreign keys, two per parent row for one with, all
/// but one combination of parents for a link table; each foreign key points to an existing parent row,
/// and a column compared with constants by a pattern takes each of those constants in turn.
pub fn example_rows(
    entities: &[Entity],
    constants: &BTreeMap<(usize, String), Vec<Value>>,
) -> Vec<Vec<Row>> {
    let mut rows: Vec<Vec<Row>> = vec![Vec::new(); entities.len()];
    let mut done = vec![false; entities.len()];
    // Parents before children; a cycle is broken by taking the entity as it stands.
    for _ in 0..entities.len() {
        for (index, entity) in entities.iter().enumerate() {
            let ready = entity
                .foreign_keys
                .iter()
                .all(|fk| done[fk.parent] || fk.parent == index);
            if !done[index] && ready {
                rows[index] = rows_of(index, entity, &rows, constants, 0);
                done[index] = true;
            }
        }
    }
    for (index, entity) in entities.iter().enumerate() {
        if !done[index] {
            rows[index] = rows_of(index, entity, &rows, constants, 0);
        }
    }
    rows
}

/// The number of example rows of an entity, given its parents' rows.
fn row_count(entity: &Entity, rows: &[Vec<Row>]) -> usize {
    let parents: Vec<usize> = entity
        .foreign_keys
        .iter()
        .map(|fk| rows[fk.parent].len())
        .filter(|n| *n > 0)
        .collect();
    let linked = entity
        .foreign_keys
        .iter()
        .filter(|fk| fk.columns.iter().all(|c| entity.key.contains(c)))
        .count();
    let most = parents.iter().copied().max().unwrap_or(1);
    // A link table leaves one combination of parents free, for the row an INSERT adds.
    if linked >= 2 {
        return parents
            .iter()
            .product::<usize>()
            .saturating_sub(1)
            .clamp(1, 24);
    }
    (2 * most).clamp(2, 24)
}

/// The `nth` row past the example rows: values no example row has, for what an INSERT writes
/// (`nth` 0) and the new values of an UPDATE (`nth` 1).
pub fn fresh_row(
    index: usize,
    entity: &Entity,
    rows: &[Vec<Row>],
    constants: &BTreeMap<(usize, String), Vec<Value>>,
    nth: usize,
) -> Row {
    let skip = rows[index].len() + nth;
    rows_of(index, entity, rows, constants, skip)
        .into_iter()
        .next()
        .unwrap_or_default()
}

fn rows_of(
    index: usize,
    entity: &Entity,
    rows: &[Vec<Row>],
    constants: &BTreeMap<(usize, String), Vec<Value>>,
    skip: usize,
) -> Vec<Row> {
    let count = if skip == 0 {
        row_count(entity, rows)
    } else {
        1
    };
    (skip..skip + count)
        .map(|i| {
            let mut row = Row::new();
            let mut stride = 1;
            for fk in &entity.foreign_keys {
                let parents = &rows[fk.parent];
                if parents.is_empty() || fk.parent == index {
                    continue;
                }
                let parent = &parents[(i / stride) % parents.len()];
                stride *= parents.len();
                for (column, parent_column) in fk.columns.iter().zip(&fk.parent_columns) {
                    if let Some(value) = parent.get(parent_column) {
                        row.entry(column.clone()).or_insert_with(|| value.clone());
                    }
                }
            }
            for column in &entity.columns {
                if row.contains_key(&column.name) {
                    continue;
                }
                let seen = constants.get(&(index, column.name.clone()));
                let value = match seen {
                    Some(values) if !values.is_empty() && !entity.key.contains(&column.name) => {
                        values[i % values.len()].clone()
                    }
                    _ => generated(column, &entity.label, i),
                };
                row.insert(column.name.clone(), value);
            }
            row
        })
        .collect()
}

/// The `i`-th (0-based) generated value of a column.
fn generated(column: &Column, label: &str, i: usize) -> Value {
    let n = i + 1;
    match column.kind {
        Kind::Integer => Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)),
        Kind::Decimal => Value::Decimal(format!("{n}.50")),
        Kind::Boolean => Value::Boolean(i.is_multiple_of(2)),
        Kind::Timestamp => Value::Text(format!(
            "2026-01-{:02}T{:02}:00:00Z",
            1 + i % 28,
            (i / 28) % 24
        )),
        Kind::Date => Value::Text(format!("2026-01-{:02}", 1 + i % 28)),
        Kind::Uuid => Value::Text(format!("00000000-0000-4000-8000-{n:012}")),
        Kind::Text if !column.allowed.is_empty() => {
            Value::Text(column.allowed[i % column.allowed.len()].clone())
        }
        Kind::Text => {
            let text = format!("{}-{}-{n}", label.to_lowercase(), column.name);
            let limit = column.max_bytes.map_or(usize::MAX, |b| (b / 4) as usize);
            Value::Text(
                text.chars()
                    .rev()
                    .take(limit)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Value, label};

    #[test]
    fn labels_are_singular_capitals() {
        assert_eq!(label("order_lines"), "ORDER_LINE");
        assert_eq!(label("addresses"), "ADDRESS");
        assert_eq!(label("categories"), "CATEGORY");
        assert_eq!(label("access"), "ACCESS");
        assert_eq!(label("user"), "USER");
    }

    #[test]
    fn integers_sort_as_numbers_in_sort_keys() {
        assert_eq!(Value::Integer(9).key_text(true), "0000000000000000009");
        assert!(Value::Integer(9).key_text(true) < Value::Integer(10).key_text(true));
        assert_eq!(Value::Integer(9).key_text(false), "9");
    }
}
