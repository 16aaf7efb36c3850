//! The DynamoDB single-table design: a key layout per entity on the table and on overloaded
//! global secondary indexes, derived from the access patterns in order of their rate, with
//! the exact API request of each pattern, example items, and the checks DynamoDB's limits call
//! for.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value as Json, json};

use crate::Model;
use crate::schema::{Entity, Row, Value};
use crate::shape::{Bound, Range, Read, Shape, Source};

/// What one partition of a table or index serves in a second.
pub const PARTITION_RCU: f64 = 3_000.0;
pub const PARTITION_WCU: f64 = 1_000.0;
pub const MAX_ITEM_BYTES: u64 = 400 * 1024;
pub const MAX_GSIS: usize = 20;
pub const MAX_TRANSACTION_ITEMS: u64 = 100;
/// The most one Query request returns.
const QUERY_PAGE_BYTES: u64 = 1 << 20;
/// The attribute that names an item's entity.
const TYPE: &str = "Type";

/// The whole design, as `dbwise model dynamodb` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Design {
    pub table: String,
    /// One row of the entity chart per entity: its key templates on the table and each index.
    pub entities: Vec<ChartRow>,
    pub create_table: Json,
    pub example_items: Vec<Json>,
    pub access_patterns: Vec<AccessPattern>,
    /// Patterns that wanted the same entity keyed two ways, and which way won.
    pub conflicts: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartRow {
    pub entity: String,
    pub source_table: String,
    /// `(attribute, template)` for the table's PK and SK and each index's keys the entity has.
    pub keys: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessPattern {
    pub name: String,
    pub per_second: f64,
    /// `table` or the index's name; `null` when the design does not serve the pattern.
    pub index: Option<String>,
    pub request: Option<Request>,
    pub reason: String,
    /// The items (by table key) the request returns on the example items.
    pub returns: Vec<Json>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub operation: String,
    pub input: Json,
}

/// A part of a key template: literal text or a column's value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Column(String),
}

/// Where one entity's items sit on one index: the templates of its partition and sort keys,
/// and for a sparse index the column values an item must have to carry the keys.
#[derive(Debug, Clone, PartialEq)]
struct Slot {
    entity: usize,
    pk: Vec<Part>,
    sk: Vec<Part>,
    when: Vec<(String, Value)>,
}

impl Slot {
    fn columns(&self) -> impl Iterator<Item = &String> {
        self.pk.iter().chain(&self.sk).filter_map(|p| match p {
            Part::Column(c) => Some(c),
            Part::Text(_) => None,
        })
    }

    /// A slot can be the table's key when it names every item of the entity exactly once.
    fn identifies(&self, entity: &Entity) -> bool {
        self.when.is_empty() && entity.key.iter().all(|k| self.columns().any(|c| c == k))
    }

    fn holds(&self, row: &Row) -> bool {
        self.when.iter().all(|(c, v)| row.get(c) == Some(v))
    }
}

fn render(parts: &[Part], row: &Row, padded: bool) -> Option<String> {
    let texts: Option<Vec<String>> = parts
        .iter()
        .map(|p| match p {
            Part::Text(text) => Some(text.clone()),
            Part::Column(c) => row.get(c).map(|v| v.key_text(padded)),
        })
        .collect();
    texts.map(|t| t.join("#"))
}

fn template(parts: &[Part]) -> String {
    let texts: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Part::Text(text) => text.clone(),
            Part::Column(c) => format!("<{c}>"),
        })
        .collect();
    texts.join("#")
}

/// The table (index 0) or a global secondary index, with the slot of each entity it holds.
struct Index {
    slots: Vec<Slot>,
}

impl Index {
    fn name(position: usize) -> String {
        if position == 0 {
            "table".to_string()
        } else {
            format!("GSI{position}")
        }
    }

    fn attributes(position: usize) -> (String, String) {
        if position == 0 {
            ("PK".into(), "SK".into())
        } else {
            (format!("GSI{position}PK"), format!("GSI{position}SK"))
        }
    }

    fn slot(&self, entity: usize) -> Option<&Slot> {
        self.slots.iter().find(|s| s.entity == entity)
    }

    fn fits(&self, group: &[Slot]) -> bool {
        group
            .iter()
            .all(|s| self.slot(s.entity).is_none_or(|t| t == s))
    }

    fn has(&self, group: &[Slot]) -> bool {
        group.iter().all(|s| self.slot(s.entity) == Some(s))
    }

    fn add(&mut self, group: &[Slot]) {
        for slot in group {
            if self.slot(slot.entity).is_none() {
                self.slots.push(slot.clone());
            }
        }
    }
}

/// What a read pattern needs: the slots that must share one index.
struct Need {
    pattern: usize,
    group: Vec<Slot>,
    /// The kind of sparse or shared partition, for the reason.
    note: String,
}

fn self_slot(index: usize, entity: &Entity) -> Slot {
    let mut parts = vec![Part::Text(entity.label.clone())];
    parts.extend(entity.key.iter().cloned().map(Part::Column));
    Slot {
        entity: index,
        pk: parts.clone(),
        sk: parts,
        when: Vec::new(),
    }
}

/// The sort key of an entity's items in a collection: the type, then the other equality
/// columns, then the sort column, then the primary key's columns that the partition key
/// (`partition`) does not hold already.
fn collection_sk(
    entity: &Entity,
    leading: &[String],
    sort: Option<&String>,
    partition: &[String],
) -> Vec<Part> {
    let mut parts = vec![Part::Text(entity.label.clone())];
    let mut used: Vec<&String> = partition.iter().collect();
    for column in leading.iter().chain(sort) {
        if !parts.contains(&Part::Column(column.clone())) {
            parts.push(Part::Column(column.clone()));
            used.push(column);
        }
    }
    for column in &entity.key {
        if !used.contains(&column) {
            parts.push(Part::Column(column.clone()));
        }
    }
    parts
}

fn need(model: &Model, pattern: usize, read: &Read) -> Need {
    let entities = &model.entities.entities;
    let index = read.entity;
    let entity = &entities[index];
    let sort = read
        .order
        .as_ref()
        .map(|(c, _)| c)
        .or(read.ranges.first().map(|r| &r.column));
    if let Some((parent, fk)) = read.join {
        let fk = &entity.foreign_keys[fk];
        let mut pk = vec![Part::Text(entities[parent].label.clone())];
        pk.extend(fk.columns.iter().cloned().map(Part::Column));
        let child = Slot {
            entity: index,
            pk,
            sk: collection_sk(entity, &[], sort, &fk.columns),
            when: Vec::new(),
        };
        return Need {
            pattern,
            group: vec![self_slot(parent, &entities[parent]), child],
            note: format!(
                "the {} item and its {} items share one partition (a pre-joined item collection)",
                entities[parent].label, entity.label
            ),
        };
    }
    let equal: Vec<(&String, &Source)> = read
        .equal
        .iter()
        .filter(|(e, ..)| *e == index)
        .map(|(_, c, s)| (c, s))
        .collect();
    let has = |column: &String| equal.iter().any(|(c, _)| *c == column);
    if let Some((column, _)) = &read.member
        && entity.key.len() == 1
        && entity.key[0] == *column
    {
        return Need {
            pattern,
            group: vec![self_slot(index, entity)],
            note: "a batch of items by key".into(),
        };
    }
    if entity.key.iter().all(has) {
        return Need {
            pattern,
            group: vec![self_slot(index, entity)],
            note: "one item by its key".into(),
        };
    }
    if let Some(unique) = entity.unique.iter().find(|u| u.iter().all(has)) {
        let mut pk = vec![Part::Text(entity.label.clone())];
        for column in unique {
            pk.push(Part::Text(column.to_uppercase()));
            pk.push(Part::Column(column.clone()));
        }
        return Need {
            pattern,
            group: vec![Slot {
                entity: index,
                pk,
                sk: vec![Part::Text(entity.label.clone())],
                when: Vec::new(),
            }],
            note: format!("one item by its unique {}", unique.join(", ")),
        };
    }
    // The foreign key that narrows the most: the most columns, then the most parent rows.
    let fk = entity
        .foreign_keys
        .iter()
        .filter(|fk| fk.columns.iter().all(has))
        .max_by_key(|fk| {
            let rows = model.data.rows.get(&entities[fk.parent].table).copied();
            (fk.columns.len(), rows.unwrap_or(0))
        });
    if let Some(fk) = fk {
        let mut pk = vec![Part::Text(entities[fk.parent].label.clone())];
        pk.extend(fk.columns.iter().cloned().map(Part::Column));
        let mut leading: Vec<String> = equal
            .iter()
            .map(|(c, _)| (*c).clone())
            .filter(|c| !fk.columns.contains(c))
            .collect();
        leading.sort();
        return Need {
            pattern,
            group: vec![Slot {
                entity: index,
                pk,
                sk: collection_sk(entity, &leading, sort, &fk.columns),
                when: Vec::new(),
            }],
            note: format!(
                "the {} items of one {} share its partition (an item collection)",
                entity.label, entities[fk.parent].label
            ),
        };
    }
    let mut pk = vec![Part::Text(entity.label.clone())];
    let mut when = Vec::new();
    let mut sorted = equal.clone();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (column, source) in &sorted {
        pk.push(Part::Text(column.to_uppercase()));
        match source {
            Source::Constant(value) => {
                pk.push(Part::Text(value.key_text(false)));
                when.push(((*column).clone(), value.clone()));
            }
            Source::Parameter(_) => pk.push(Part::Column((*column).clone())),
        }
    }
    let note = if !when.is_empty() {
        let conditions: Vec<String> = when
            .iter()
            .map(|(c, v)| format!("{c} = {}", v.key_text(false)))
            .collect();
        format!(
            "a sparse index: only {} items with {} carry its keys, so it holds that subset and nothing else",
            entity.label,
            conditions.join(" and ")
        )
    } else if sorted.is_empty() {
        format!("every {} item shares one partition", entity.label)
    } else {
        let columns: Vec<&str> = sorted.iter().map(|(c, _)| c.as_str()).collect();
        format!(
            "the {} items are grouped by {}",
            entity.label,
            columns.join(", ")
        )
    };
    Need {
        pattern,
        group: vec![Slot {
            entity: index,
            pk,
            sk: collection_sk(entity, &[], sort, &[]),
            when,
        }],
        note,
    }
}

/// The key values of a request: each compared column's value, parameters filled in from the
/// example rows (equalities from the first row of their entity, a lower bound from the
/// smallest value, an upper bound from the largest, an IN list from the first rows).
struct Bindings {
    equal: Row,
    ranges: Vec<(String, Bound, Value)>,
    member: Vec<Value>,
}

fn bind(read: &Read, entities: &[Entity], rows: &[Vec<Row>]) -> Bindings {
    let first =
        |entity: usize, column: &str| rows[entity].first().and_then(|r| r.get(column)).cloned();
    let mut equal = Row::new();
    for (entity, column, source) in &read.equal {
        let value = match source {
            Source::Constant(value) => Some(value.clone()),
            Source::Parameter(_) => first(*entity, column),
        };
        if let Some(value) = value {
            // A join's condition on the child's foreign key is one on the parent's key.
            let column = match read.join {
                Some((_, fk)) if *entity == read.entity => {
                    let fk = &entities[read.entity].foreign_keys[fk];
                    fk.columns
                        .iter()
                        .position(|c| c == column)
                        .map_or_else(|| column.clone(), |i| fk.parent_columns[i].clone())
                }
                _ => column.clone(),
            };
            equal.insert(column, value);
        }
    }
    let column_values = |column: &str| -> Vec<Value> {
        let mut values: Vec<Value> = rows[read.entity]
            .iter()
            .filter_map(|r| r.get(column).cloned())
            .collect();
        values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        values
    };
    let ranges = read
        .ranges
        .iter()
        .filter_map(
            |Range {
                 column,
                 bound,
                 source,
             }| {
                let value = match source {
                    Source::Constant(value) => Some(value.clone()),
                    Source::Parameter(_) => match bound {
                        Bound::Above { .. } => column_values(column).first().cloned(),
                        Bound::Below { .. } => column_values(column).last().cloned(),
                    },
                };
                value.map(|v| (column.clone(), *bound, v))
            },
        )
        .collect();
    let member = match &read.member {
        Some((column, sources)) => sources
            .iter()
            .enumerate()
            .filter_map(|(i, source)| match source {
                Source::Constant(value) => Some(value.clone()),
                Source::Parameter(_) => rows[read.entity]
                    .get(i % rows[read.entity].len().max(1))
                    .and_then(|r| r.get(column))
                    .cloned(),
            })
            .collect(),
        None => Vec::new(),
    };
    Bindings {
        equal,
        ranges,
        member,
    }
}

/// The key of an entity's uniqueness item for one unique key, and of its lookup on an index.
fn unique_parts(entity: &Entity, columns: &[String]) -> Vec<Part> {
    let mut parts = vec![Part::Text(entity.label.clone())];
    for column in columns {
        parts.push(Part::Text(column.to_uppercase()));
        parts.push(Part::Column(column.clone()));
    }
    parts
}

fn attribute(value: &Value) -> Json {
    match value {
        Value::Integer(n) => json!({ "N": n.to_string() }),
        Value::Decimal(text) => json!({ "N": text }),
        Value::Boolean(b) => json!({ "BOOL": b }),
        Value::Text(text) => json!({ "S": text }),
    }
}

fn string(text: &str) -> Json {
    json!({ "S": text })
}

/// The design being built: the indexes and the example rows.
struct Layout<'m> {
    model: &'m Model,
    indexes: Vec<Index>,
}

impl Layout<'_> {
    fn entity(&self, index: usize) -> &Entity {
        &self.model.entities.entities[index]
    }

    fn main(&self, entity: usize) -> &Slot {
        self.indexes[0]
            .slot(entity)
            .expect("every entity has a table key")
    }

    /// The table key of a row's item.
    fn key(&self, entity: usize, row: &Row) -> Map<String, Json> {
        let slot = self.main(entity);
        let mut key = Map::new();
        key.insert(
            "PK".into(),
            string(&render(&slot.pk, row, false).unwrap_or_default()),
        );
        key.insert(
            "SK".into(),
            string(&render(&slot.sk, row, true).unwrap_or_default()),
        );
        key
    }

    /// The item of a row: table key, each index key the row carries, type, columns.
    fn item(&self, entity: usize, row: &Row) -> Map<String, Json> {
        let mut item = self.key(entity, row);
        for (position, index) in self.indexes.iter().enumerate().skip(1) {
            if let Some(slot) = index.slot(entity)
                && slot.holds(row)
                && let (Some(pk), Some(sk)) =
                    (render(&slot.pk, row, false), render(&slot.sk, row, true))
            {
                let (pk_name, sk_name) = Index::attributes(position);
                item.insert(pk_name, string(&pk));
                item.insert(sk_name, string(&sk));
            }
        }
        item.insert(TYPE.into(), string(&self.entity(entity).label));
        for (column, value) in row {
            item.insert(column.clone(), attribute(value));
        }
        item
    }

    /// The uniqueness items of a row, one per unique key.
    fn unique_items(&self, entity: usize, row: &Row) -> Vec<Map<String, Json>> {
        let e = self.entity(entity);
        e.unique
            .iter()
            .filter_map(|columns| {
                let key = render(&unique_parts(e, columns), row, false)?;
                let mut item = Map::new();
                item.insert("PK".into(), string(&key));
                item.insert("SK".into(), string(&key));
                item.insert(TYPE.into(), string(&format!("{}_UNIQUE", e.label)));
                Some(item)
            })
            .collect()
    }

    fn table(&self) -> &str {
        &self.model.table
    }
}

fn item_bytes(item: &Map<String, Json>) -> u64 {
    item.iter()
        .map(|(name, value)| {
            let text = value
                .as_object()
                .and_then(|v| v.values().next())
                .map_or(1, |v| v.as_str().map_or(1, str::len));
            (name.len() + text) as u64
        })
        .sum()
}

/// Build the single-table design for the model's patterns.
pub fn design(model: &Model) -> Design {
    let entities = &model.entities.entities;
    let rate = |pattern: usize| model.patterns[pattern].pattern.per_second;
    let mut needs: Vec<Need> = model
        .patterns
        .iter()
        .enumerate()
        .filter_map(|(i, a)| match &a.shape {
            Ok(Shape::Read(read)) => Some(need(model, i, read)),
            _ => None,
        })
        .collect();
    needs.sort_by(|a, b| rate(b.pattern).total_cmp(&rate(a.pattern)));

    // The table key: the busiest patterns that name each item exactly once pick it.
    let mut table = Index { slots: Vec::new() };
    let mut owner: BTreeMap<usize, usize> = BTreeMap::new();
    let mut lost: Vec<(usize, usize, usize)> = Vec::new();
    for need in &needs {
        if !need.group.iter().all(|s| s.identifies(&entities[s.entity])) {
            continue;
        }
        if table.fits(&need.group) {
            for slot in &need.group {
                owner.entry(slot.entity).or_insert(need.pattern);
            }
            table.add(&need.group);
        } else {
            for slot in &need.group {
                if let (Some(taken), Some(winner)) =
                    (table.slot(slot.entity), owner.get(&slot.entity))
                    && taken != slot
                {
                    lost.push((need.pattern, *winner, slot.entity));
                }
            }
        }
    }
    for (index, entity) in entities.iter().enumerate() {
        if table.slot(index).is_none() {
            let slot = needs
                .iter()
                .flat_map(|n| &n.group)
                .find(|s| s.entity == index && s.identifies(entity))
                .cloned()
                .unwrap_or_else(|| self_slot(index, entity));
            table.add(&[slot]);
        }
    }
    // The other patterns on overloaded indexes: the first one whose slots agree, else a new one.
    let mut indexes = vec![table];
    let mut served: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (position, need) in needs.iter().enumerate() {
        let at = indexes
            .iter()
            .position(|x| x.has(&need.group))
            .or_else(|| {
                indexes
                    .iter()
                    .skip(1)
                    .position(|x| x.fits(&need.group))
                    .map(|p| p + 1)
            })
            .unwrap_or_else(|| {
                indexes.push(Index { slots: Vec::new() });
                indexes.len() - 1
            });
        indexes[at].add(&need.group);
        served.insert(need.pattern, (at, position));
    }
    let layout = Layout { model, indexes };
    let mut warnings = Vec::new();
    for table in &model.entities.keyless {
        warnings.push(format!(
            "table {table} has no primary key and is left out of the design"
        ));
    }
    let conflicts = lost
        .iter()
        .map(|(pattern, winner, entity)| {
            let index = served.get(pattern).map_or("no index".to_string(), |(at, _)| Index::name(*at));
            let slot = layout.main(*entity);
            format!(
                "`{}` and `{}` both want {} items keyed their own way: `{}` ({}/s) keeps the table key {} / {}, so `{}` ({}/s) is served by {}",
                model.patterns[*pattern].pattern.name,
                model.patterns[*winner].pattern.name,
                entities[*entity].label,
                model.patterns[*winner].pattern.name,
                model.patterns[*winner].pattern.per_second,
                template(&slot.pk),
                template(&slot.sk),
                model.patterns[*pattern].pattern.name,
                model.patterns[*pattern].pattern.per_second,
                index
            )
        })
        .collect();

    let mut access_patterns = Vec::new();
    for (i, analysed) in model.patterns.iter().enumerate() {
        let pattern = &analysed.pattern;
        let outcome = match &analysed.shape {
            Err(reason) => Err(reason.clone()),
            Ok(Shape::Read(read)) => {
                let (at, position) = served[&i];
                read_request(
                    &layout,
                    read,
                    at,
                    &needs[position],
                    pattern.strong,
                    &mut warnings,
                    pattern,
                )
                .map(|(request, reason, returns)| (Some(Index::name(at)), request, reason, returns))
            }
            Ok(write) => write_request(&layout, write, pattern, &mut warnings)
                .map(|(request, reason)| (Some("table".to_string()), request, reason, Vec::new())),
        };
        access_patterns.push(match outcome {
            Ok((index, request, reason, returns)) => AccessPattern {
                name: pattern.name.clone(),
                per_second: pattern.per_second,
                index,
                request: Some(request),
                reason,
                returns,
            },
            Err(reason) => {
                warnings.push(format!("`{}` is not served: {reason}", pattern.name));
                AccessPattern {
                    name: pattern.name.clone(),
                    per_second: pattern.per_second,
                    index: None,
                    request: None,
                    reason,
                    returns: Vec::new(),
                }
            }
        });
    }
    check_sizes(&layout, &mut warnings);
    if layout.indexes.len() - 1 > MAX_GSIS {
        warnings.push(format!(
            "the design needs {} global secondary indexes, over the {MAX_GSIS} a table may have: give the rarest patterns a second table",
            layout.indexes.len() - 1
        ));
    }
    let mut example_items = Vec::new();
    for (entity, rows) in model.rows.iter().enumerate() {
        for row in rows {
            example_items.push(Json::Object(layout.item(entity, row)));
            example_items.extend(
                layout
                    .unique_items(entity, row)
                    .into_iter()
                    .map(Json::Object),
            );
        }
    }
    Design {
        table: model.table.clone(),
        entities: chart(&layout),
        create_table: create_table(&layout),
        example_items,
        access_patterns,
        conflicts,
        warnings,
    }
}

fn chart(layout: &Layout) -> Vec<ChartRow> {
    let mut rows = Vec::new();
    for (index, entity) in layout.model.entities.entities.iter().enumerate() {
        let mut keys = Vec::new();
        for (position, at) in layout.indexes.iter().enumerate() {
            if let Some(slot) = at.slot(index) {
                let (pk, sk) = Index::attributes(position);
                let mut pk_text = template(&slot.pk);
                if !slot.when.is_empty() {
                    let conditions: Vec<String> = slot
                        .when
                        .iter()
                        .map(|(c, v)| format!("{c} = {}", v.key_text(false)))
                        .collect();
                    pk_text.push_str(&format!(" (only when {})", conditions.join(" and ")));
                }
                keys.push((pk, pk_text));
                keys.push((sk, template(&slot.sk)));
            }
        }
        rows.push(ChartRow {
            entity: entity.label.clone(),
            source_table: entity.table.clone(),
            keys,
        });
        for columns in &entity.unique {
            let key = template(&unique_parts(entity, columns));
            rows.push(ChartRow {
                entity: format!("{}_UNIQUE", entity.label),
                source_table: format!("{} ({} unique)", entity.table, columns.join(", ")),
                keys: vec![("PK".into(), key.clone()), ("SK".into(), key)],
            });
        }
    }
    rows
}

fn create_table(layout: &Layout) -> Json {
    let mut definitions = Vec::new();
    let mut indexes = Vec::new();
    for position in 0..layout.indexes.len() {
        let (pk, sk) = Index::attributes(position);
        definitions.push(json!({ "AttributeName": pk, "AttributeType": "S" }));
        definitions.push(json!({ "AttributeName": sk, "AttributeType": "S" }));
        if position > 0 {
            indexes.push(json!({
                "IndexName": Index::name(position),
                "KeySchema": [
                    { "AttributeName": pk, "KeyType": "HASH" },
                    { "AttributeName": sk, "KeyType": "RANGE" }
                ],
                "Projection": { "ProjectionType": "ALL" }
            }));
        }
    }
    let mut input = json!({
        "TableName": layout.table(),
        "AttributeDefinitions": definitions,
        "KeySchema": [
            { "AttributeName": "PK", "KeyType": "HASH" },
            { "AttributeName": "SK", "KeyType": "RANGE" }
        ],
        "BillingMode": "PAY_PER_REQUEST"
    });
    if !indexes.is_empty() {
        input["GlobalSecondaryIndexes"] = Json::Array(indexes);
    }
    input
}

/// The key condition on a slot's sort key: equal to the bound prefix, or beginning with it,
/// or between the range's bounds after it.
fn sort_condition(
    slot: &Slot,
    bindings: &Bindings,
    names: &mut Map<String, Json>,
    values: &mut Map<String, Json>,
    sk_name: &str,
) -> Result<Option<String>, String> {
    let mut prefix = Vec::new();
    let mut next = None;
    for part in &slot.sk {
        match part {
            Part::Text(text) => prefix.push(text.clone()),
            Part::Column(column) => match bindings.equal.get(column) {
                Some(value) => prefix.push(value.key_text(true)),
                None => {
                    next = Some(column);
                    break;
                }
            },
        }
    }
    let prefix = prefix.join("#");
    names.insert("#sk".into(), json!(sk_name));
    let Some(next) = next else {
        values.insert(":sk".into(), string(&prefix));
        return Ok(Some("#sk = :sk".into()));
    };
    if let Some((column, ..)) = bindings.ranges.iter().find(|(c, ..)| c != next) {
        return Err(format!(
            "its range on `{column}` is not on the sort key, whose next part is `{next}`"
        ));
    }
    let start = format!("{prefix}#");
    if bindings.ranges.is_empty() {
        values.insert(":sk".into(), string(&start));
        return Ok(Some("begins_with(#sk, :sk)".into()));
    }
    // `$` sorts right after `#`: `X$` is past every `X#...`.
    let mut low = start.clone();
    let mut high = format!("{prefix}$");
    for (_, bound, value) in &bindings.ranges {
        let text = value.key_text(true);
        match bound {
            Bound::Above { inclusive } => {
                low = format!("{start}{text}{}", if *inclusive { "" } else { "$" });
            }
            Bound::Below { inclusive } => {
                high = format!("{start}{text}{}", if *inclusive { "$" } else { "" });
            }
        }
    }
    values.insert(":low".into(), string(&low));
    values.insert(":high".into(), string(&high));
    Ok(Some("#sk BETWEEN :low AND :high".into()))
}

fn sort_rows<'r>(rows: Vec<&'r Row>, slot: &Slot, order: Option<&(String, bool)>) -> Vec<&'r Row> {
    let mut rows = rows;
    rows.sort_by_key(|row| render(&slot.sk, row, true));
    if order.is_some_and(|(_, descending)| *descending) {
        rows.reverse();
    }
    rows
}

fn range_holds(row: &Row, bindings: &Bindings) -> bool {
    bindings.ranges.iter().all(|(column, bound, value)| {
        let Some(have) = row.get(column) else {
            return false;
        };
        match bound {
            Bound::Above { inclusive: true } => have >= value,
            Bound::Above { inclusive: false } => have > value,
            Bound::Below { inclusive: true } => have <= value,
            Bound::Below { inclusive: false } => have < value,
        }
    })
}

type ReadOutcome = (Request, String, Vec<Json>);

fn read_request(
    layout: &Layout,
    read: &Read,
    at: usize,
    need: &Need,
    strong: bool,
    warnings: &mut Vec<String>,
    pattern: &crate::patterns::Pattern,
) -> Result<ReadOutcome, String> {
    let model = layout.model;
    let entities = &model.entities.entities;
    let rows = &model.rows;
    let bindings = bind(read, entities, rows);
    let table = layout.table();
    let index_name = Index::name(at);
    let (pk_name, sk_name) = Index::attributes(at);
    if at > 0 && strong {
        warnings.push(format!(
            "`{}` asks for strong consistency, but it is served by {index_name}, and reads on a global secondary index are only eventually consistent: read the item again from the table by its key with ConsistentRead, or raise the pattern's rate so that it wins the table key",
            pattern.name
        ));
    }
    let consistent = strong && at == 0;
    let returned = |chosen: Vec<&Row>, entity: usize| -> Vec<Json> {
        chosen
            .into_iter()
            .map(|row| Json::Object(layout.key(entity, row)))
            .collect()
    };
    let equal_holds = |row: &Row| bindings.equal.iter().all(|(c, v)| row.get(c) == Some(v));

    if !bindings.member.is_empty() {
        if at != 0 {
            return Err("BatchGetItem reads by the table key, and these items are keyed otherwise on the table".into());
        }
        let (column, _) = read.member.as_ref().ok_or("no IN list")?;
        let mut keys = Vec::new();
        let mut chosen = Vec::new();
        for value in &bindings.member {
            let mut key_row = Row::new();
            key_row.insert(column.clone(), value.clone());
            keys.push(Json::Object(layout.key(read.entity, &key_row)));
            chosen.extend(
                rows[read.entity]
                    .iter()
                    .filter(|r| r.get(column) == Some(value)),
            );
        }
        if keys.len() as u64 > MAX_TRANSACTION_ITEMS {
            warnings.push(format!(
                "`{}` reads {} keys at once; BatchGetItem takes at most 100: split the list",
                pattern.name,
                keys.len()
            ));
        }
        let mut request = json!({ "Keys": keys });
        if consistent {
            request["ConsistentRead"] = json!(true);
        }
        let input = json!({ "RequestItems": { table: request } });
        return Ok((
            Request {
                operation: "BatchGetItem".into(),
                input,
            },
            format!(
                "BatchGetItem: {} items are keyed by {} on the table, so the listed keys are read in one request.",
                entities[read.entity].label,
                template(&layout.main(read.entity).pk)
            ),
            returned(chosen, read.entity),
        ));
    }

    let slot = need.group.last().ok_or("no slot")?;
    let pk_slot = need.group.first().ok_or("no slot")?;
    let pk_value = render(&pk_slot.pk, &bindings.equal, false).ok_or_else(|| {
        format!(
            "the partition key {} needs a value the query does not compare for equality",
            template(&pk_slot.pk)
        )
    })?;

    if let Some((parent, fk)) = read.join {
        let fk = &entities[read.entity].foreign_keys[fk];
        let parents: Vec<&Row> = rows[parent].iter().filter(|r| equal_holds(r)).collect();
        let children: Vec<&Row> = rows[read.entity]
            .iter()
            .filter(|child| {
                parents.iter().any(|p| {
                    fk.columns
                        .iter()
                        .zip(&fk.parent_columns)
                        .all(|(c, pc)| child.get(c) == p.get(pc))
                })
            })
            .collect();
        let mut returns = returned(parents, parent);
        returns.extend(returned(
            sort_rows(children, slot, read.order.as_ref()),
            read.entity,
        ));
        let mut input = json!({
            "TableName": table,
            "KeyConditionExpression": "#pk = :pk",
            "FilterExpression": "#type IN (:parent, :child)",
            "ExpressionAttributeNames": { "#pk": pk_name, "#type": TYPE },
            "ExpressionAttributeValues": {
                ":pk": string(&pk_value),
                ":parent": string(&entities[parent].label),
                ":child": string(&entities[read.entity].label)
            }
        });
        if at > 0 {
            input["IndexName"] = json!(index_name);
        }
        if consistent {
            input["ConsistentRead"] = json!(true);
        }
        let reason = format!(
            "Query on {index_name}: {}; the partition {} holds both, and the filter drops any other item type in it.",
            need.note,
            template(&pk_slot.pk)
        );
        hot_read(layout, pattern, read, slot, at, consistent, warnings);
        return Ok((
            Request {
                operation: "Query".into(),
                input,
            },
            reason,
            returns,
        ));
    }

    let matching: Vec<&Row> = rows[read.entity]
        .iter()
        .filter(|r| equal_holds(r) && range_holds(r, &bindings) && slot.holds(r))
        .collect();
    let mut chosen = sort_rows(matching, slot, read.order.as_ref());
    if let Some(limit) = read.limit {
        chosen.truncate(usize::try_from(limit).unwrap_or(0));
    }
    let returns = returned(chosen, read.entity);
    if at == 0 && need.note == "one item by its key" {
        let key = layout.key(read.entity, &bindings.equal);
        let mut input = json!({ "TableName": table, "Key": key });
        if consistent {
            input["ConsistentRead"] = json!(true);
        }
        let reason = format!(
            "GetItem: {} items are keyed by {} / {} on the table.",
            entities[read.entity].label,
            template(&slot.pk),
            template(&slot.sk)
        );
        return Ok((
            Request {
                operation: "GetItem".into(),
                input,
            },
            reason,
            returns,
        ));
    }
    let mut names = Map::new();
    let mut values = Map::new();
    names.insert("#pk".into(), json!(pk_name));
    values.insert(":pk".into(), string(&pk_value));
    let condition = sort_condition(slot, &bindings, &mut names, &mut values, &sk_name)?;
    let expression = match condition {
        Some(sk) => format!("#pk = :pk AND {sk}"),
        None => "#pk = :pk".into(),
    };
    let mut input = json!({
        "TableName": table,
        "KeyConditionExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values
    });
    if at > 0 {
        input["IndexName"] = json!(index_name);
    }
    if read
        .order
        .as_ref()
        .is_some_and(|(_, descending)| *descending)
    {
        input["ScanIndexForward"] = json!(false);
    }
    if let Some(limit) = read.limit {
        input["Limit"] = json!(limit);
    }
    if consistent {
        input["ConsistentRead"] = json!(true);
    }
    let mut reason = format!(
        "Query on {index_name}: {}; key {} / {}.",
        need.note,
        template(&slot.pk),
        template(&slot.sk)
    );
    if let Some((column, _)) = &read.order {
        reason.push_str(&format!(" The sort key orders them by {column}."));
    }
    if !entities[read.entity].unique.is_empty() && need.note.starts_with("one item by its unique") {
        reason.push_str(" Uniqueness items keep the column unique on writes.");
    }
    hot_read(layout, pattern, read, slot, at, consistent, warnings);
    Ok((
        Request {
            operation: "Query".into(),
            input,
        },
        reason,
        returns,
    ))
}

/// The foreign key whose columns make a slot's partition key, when they do.
fn partition_parent<'e>(entity: &'e Entity, slot: &Slot) -> Option<&'e crate::schema::ForeignKey> {
    let columns: Vec<&String> = slot
        .pk
        .iter()
        .filter_map(|p| match p {
            Part::Column(c) => Some(c),
            Part::Text(_) => None,
        })
        .collect();
    entity
        .foreign_keys
        .iter()
        .find(|fk| !columns.is_empty() && fk.columns.iter().collect::<Vec<_>>() == columns)
}

fn constant_partition(slot: &Slot) -> bool {
    slot.pk.iter().all(|p| matches!(p, Part::Text(_)))
}

/// The typical size of an entity's item: its first example item.
fn typical_bytes(layout: &Layout, entity: usize) -> u64 {
    layout.model.rows[entity]
        .first()
        .map_or(1, |row| item_bytes(&layout.item(entity, row)))
}

/// The most children one parent has along a foreign key: `[data] max_children`, else rows
/// over parent rows.
fn children(model: &Model, child: &Entity, fk: &crate::schema::ForeignKey) -> Option<u64> {
    let key = format!("{}.{}", child.table, fk.columns.join(","));
    if let Some(max) = model.data.max_children.get(&key) {
        return Some(*max);
    }
    let rows = model.data.rows.get(&child.table)?;
    let parents = model
        .data
        .rows
        .get(&model.entities.entities[fk.parent].table)?;
    Some(rows.div_ceil((*parents).max(1)))
}

fn shard_advice(load: f64, limit: f64, slot: &Slot) -> String {
    let shards = ((load / limit).ceil() as u64 * 2).max(2);
    format!(
        "shard the partition key: write {}#<0..{}> with the suffix from a hash of the item's key, and query the {shards} shards in parallel",
        template(&slot.pk),
        shards - 1
    )
}

fn hot_read(
    layout: &Layout,
    pattern: &crate::patterns::Pattern,
    read: &Read,
    slot: &Slot,
    at: usize,
    consistent: bool,
    warnings: &mut Vec<String>,
) {
    let model = layout.model;
    let entity = &model.entities.entities[read.entity];
    let parent = partition_parent(entity, slot);
    let items = match (read.limit, parent) {
        (Some(limit), _) => u64::try_from(limit).unwrap_or(1),
        (None, Some(fk)) => children(model, entity, fk).unwrap_or(1),
        (None, None) => model.data.rows.get(&entity.table).copied().unwrap_or(1),
    };
    // One Query returns at most 1 MB; a longer result takes more requests, each counted.
    let bytes = items
        .saturating_mul(typical_bytes(layout, read.entity))
        .min(QUERY_PAGE_BYTES);
    let units = bytes.div_ceil(4096).max(1) as f64 * if consistent { 1.0 } else { 0.5 };
    let load = pattern.per_second * units;
    if constant_partition(slot) && load > PARTITION_RCU {
        warnings.push(format!(
            "`{}` reads about {load:.0} RCU/s from one partition ({} on {}), over the {PARTITION_RCU:.0} a partition serves: cache the result, or {}",
            pattern.name,
            template(&slot.pk),
            Index::name(at),
            shard_advice(load, PARTITION_RCU, slot)
        ));
    }
}

/// Writes that land on one partition faster than it takes: every write to a constant
/// partition key, and the share of the busiest parent's partition for the others.
fn hot_write(
    layout: &Layout,
    entity: usize,
    pattern: &crate::patterns::Pattern,
    warnings: &mut Vec<String>,
) {
    let model = layout.model;
    let e = &model.entities.entities[entity];
    let units = typical_bytes(layout, entity).div_ceil(1024).max(1) as f64;
    for (position, index) in layout.indexes.iter().enumerate() {
        let Some(slot) = index.slot(entity) else {
            continue;
        };
        let share = if constant_partition(slot) {
            Some(1.0)
        } else {
            partition_parent(e, slot).and_then(|fk| {
                let most = children(model, e, fk)? as f64;
                let rows = *model.data.rows.get(&e.table)? as f64;
                Some((most / rows.max(1.0)).min(1.0))
            })
        };
        let Some(share) = share else {
            continue;
        };
        let load = pattern.per_second * units * share;
        if load > PARTITION_WCU {
            warnings.push(format!(
                "`{}` writes about {load:.0} WCU/s to the busiest partition of {} ({}), over the {PARTITION_WCU:.0} a partition takes: {}",
                pattern.name,
                Index::name(position),
                template(&slot.pk),
                shard_advice(load, PARTITION_WCU, slot)
            ));
        }
    }
}

/// Worst-case item sizes against the 400 KB limit.
fn check_sizes(layout: &Layout, warnings: &mut Vec<String>) {
    for (index, entity) in layout.model.entities.entities.iter().enumerate() {
        let unbounded: Vec<&str> = entity
            .columns
            .iter()
            .filter(|c| c.max_bytes.is_none())
            .map(|c| c.name.as_str())
            .collect();
        if !unbounded.is_empty() {
            warnings.push(format!(
                "{} items have columns without a length limit ({}): DynamoDB rejects an item over 400 KB, so bound them or keep large values in S3 with their key in the item",
                entity.label,
                unbounded.join(", ")
            ));
            continue;
        }
        let columns: u64 = entity
            .columns
            .iter()
            .map(|c| c.name.len() as u64 + c.max_bytes.unwrap_or(0))
            .sum();
        let keys = layout
            .indexes
            .iter()
            .filter(|x| x.slot(index).is_some())
            .count() as u64;
        // Each key attribute holds the templates' columns again; 2 KB per key pair covers them.
        let worst = columns + keys * 2048;
        if worst > MAX_ITEM_BYTES {
            warnings.push(format!(
                "{} items can reach {} bytes, over the 400 KB item limit: move the widest columns to their own items or to S3",
                entity.label,
                dbwise_diagnostics::thousands(worst)
            ));
        }
    }
}

type WriteOutcome = (Request, String);

fn write_request(
    layout: &Layout,
    shape: &Shape,
    pattern: &crate::patterns::Pattern,
    warnings: &mut Vec<String>,
) -> Result<WriteOutcome, String> {
    let model = layout.model;
    let table = layout.table();
    let (entity, equal) = match shape {
        Shape::Insert { entity } => (*entity, &Vec::new()),
        Shape::Update { entity, equal, .. } | Shape::Delete { entity, equal } => (*entity, equal),
        Shape::Read(_) => return Err("not a write".into()),
    };
    hot_write(layout, entity, pattern, warnings);
    let e = layout.entity(entity);
    let rows = &model.rows[entity];
    let condition_absent = "attribute_not_exists(PK)";
    if let Shape::Insert { .. } = shape {
        let row = crate::schema::fresh_row(entity, e, &model.rows, &model.constants, 0);
        let item = layout.item(entity, &row);
        let uniques = layout.unique_items(entity, &row);
        if uniques.is_empty() {
            let input = json!({ "TableName": table, "Item": item, "ConditionExpression": condition_absent });
            return Ok((
                Request {
                    operation: "PutItem".into(),
                    input,
                },
                format!(
                    "PutItem of one {} item, with its index keys; the condition keeps an existing item from being overwritten.",
                    e.label
                ),
            ));
        }
        let mut puts = vec![
            json!({ "Put": { "TableName": table, "Item": item, "ConditionExpression": condition_absent } }),
        ];
        puts.extend(uniques.into_iter().map(|u| {
            json!({ "Put": { "TableName": table, "Item": u, "ConditionExpression": condition_absent } })
        }));
        return Ok((
            Request {
                operation: "TransactWriteItems".into(),
                input: json!({ "TransactItems": puts }),
            },
            format!(
                "TransactWriteItems: the {} item and one uniqueness item per unique key ({}), each only if absent, so a duplicate fails the whole write.",
                e.label,
                e.unique
                    .iter()
                    .map(|u| u.join(", "))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }
    let row = rows
        .iter()
        .find(|r| {
            equal.iter().all(|(c, s)| match s {
                crate::shape::Source::Constant(v) => r.get(c) == Some(v),
                crate::shape::Source::Parameter(_) => true,
            })
        })
        .ok_or("no example row matches its constants")?;
    let key = layout.key(entity, row);
    if let Shape::Update { assigned, .. } = shape {
        let main = layout.main(entity);
        let moved: Vec<&String> = main.columns().filter(|c| assigned.contains(c)).collect();
        if !moved.is_empty() {
            return Err(format!(
                "it changes {} of the table key {} / {}; write it as a transaction that deletes the item and puts the new one",
                moved
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                template(&main.pk),
                template(&main.sk)
            ));
        }
        let fresh = crate::schema::fresh_row(entity, e, &model.rows, &model.constants, 1);
        let mut new = row.clone();
        for column in assigned {
            if let Some(value) = fresh.get(column) {
                new.insert(column.clone(), value.clone());
            }
        }
        let mut names = Map::new();
        let mut values = Map::new();
        let mut set = Vec::new();
        let mut remove = Vec::new();
        for (i, column) in assigned.iter().enumerate() {
            let Some(value) = new.get(column) else {
                continue;
            };
            names.insert(format!("#c{i}"), json!(column));
            values.insert(format!(":c{i}"), attribute(value));
            set.push(format!("#c{i} = :c{i}"));
        }
        for (position, index) in layout.indexes.iter().enumerate().skip(1) {
            let Some(slot) = index.slot(entity) else {
                continue;
            };
            let touched = slot
                .columns()
                .chain(slot.when.iter().map(|(c, _)| c))
                .any(|c| assigned.contains(c));
            if !touched {
                continue;
            }
            let (pk, sk) = Index::attributes(position);
            names.insert(format!("#{pk}"), json!(pk));
            names.insert(format!("#{sk}"), json!(sk));
            match (
                slot.holds(&new),
                render(&slot.pk, &new, false),
                render(&slot.sk, &new, true),
            ) {
                (true, Some(pk_value), Some(sk_value)) => {
                    values.insert(format!(":{pk}"), string(&pk_value));
                    values.insert(format!(":{sk}"), string(&sk_value));
                    set.push(format!("#{pk} = :{pk}"));
                    set.push(format!("#{sk} = :{sk}"));
                }
                _ => {
                    remove.push(format!("#{pk}"));
                    remove.push(format!("#{sk}"));
                }
            }
        }
        if set.is_empty() {
            return Err("it sets no column".into());
        }
        let mut expression = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        let update = json!({
            "TableName": table,
            "Key": key,
            "UpdateExpression": expression,
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values
        });
        let changed: Vec<&Vec<String>> = e
            .unique
            .iter()
            .filter(|u| u.iter().any(|c| assigned.contains(c)))
            .collect();
        let keys_note = if remove.is_empty() && !set.iter().any(|s| s.starts_with("#GSI")) {
            String::new()
        } else {
            " It rewrites the index keys that depend on the changed columns (removing them takes the item out of a sparse index).".to_string()
        };
        if changed.is_empty() {
            return Ok((
                Request {
                    operation: "UpdateItem".into(),
                    input: update,
                },
                format!(
                    "UpdateItem of the {} item by its table key, only if it exists.{keys_note}",
                    e.label
                ),
            ));
        }
        let mut items = vec![json!({ "Update": update })];
        for columns in changed {
            let parts = unique_parts(e, columns);
            if let (Some(old), Some(new_key)) =
                (render(&parts, row, false), render(&parts, &new, false))
            {
                items.push(json!({ "Delete": { "TableName": table, "Key": { "PK": string(&old), "SK": string(&old) } } }));
                let mut item = Map::new();
                item.insert("PK".into(), string(&new_key));
                item.insert("SK".into(), string(&new_key));
                item.insert(TYPE.into(), string(&format!("{}_UNIQUE", e.label)));
                items.push(json!({ "Put": { "TableName": table, "Item": item, "ConditionExpression": condition_absent } }));
            }
        }
        return Ok((
            Request {
                operation: "TransactWriteItems".into(),
                input: json!({ "TransactItems": items }),
            },
            format!(
                "TransactWriteItems: the update of the {} item, and the swap of its uniqueness item, which fails if the new value is taken.{keys_note}",
                e.label
            ),
        ));
    }
    // A delete, with the uniqueness items; children deleted with the parent are counted.
    let mut cascade = 0;
    for child in &model.entities.entities {
        for fk in child
            .foreign_keys
            .iter()
            .filter(|fk| fk.cascade && model.entities.entities[fk.parent].table == e.table)
        {
            cascade += children(model, child, fk).unwrap_or(0);
        }
    }
    let uniques = layout.unique_items(entity, row);
    let total = 1 + uniques.len() as u64 + cascade;
    if total > MAX_TRANSACTION_ITEMS {
        warnings.push(format!(
            "`{}` deletes up to {total} items with its cascading children, over the {MAX_TRANSACTION_ITEMS} items of one transaction: delete the children in batches first (BatchWriteItem, 25 a request), then the {} item",
            pattern.name, e.label
        ));
    }
    if uniques.is_empty() {
        return Ok((
            Request {
                operation: "DeleteItem".into(),
                input: json!({ "TableName": table, "Key": key }),
            },
            format!("DeleteItem of the {} item by its table key.", e.label),
        ));
    }
    let mut items = vec![json!({ "Delete": { "TableName": table, "Key": key } })];
    for unique in uniques {
        let key: Map<String, Json> = unique
            .into_iter()
            .filter(|(k, _)| k == "PK" || k == "SK")
            .collect();
        items.push(json!({ "Delete": { "TableName": table, "Key": key } }));
    }
    Ok((
        Request {
            operation: "TransactWriteItems".into(),
            input: json!({ "TransactItems": items }),
        },
        format!(
            "TransactWriteItems: the {} item and its uniqueness items go together.",
            e.label
        ),
    ))
}
