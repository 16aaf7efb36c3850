//! What each access pattern asks of the data, read from its SQL's query facts: the entity (or
//! the parent and child of a join), the columns it compares for equality, a range, the order,
//! a limit; or the entity a write changes and by which key.

use std::collections::BTreeSet;

use dbwise_query::facts::{
    Block, Clause, FromItem, Kind as StatementKind, Operand, Role, Value as Constant,
};

use crate::schema::{Entities, Entity, Value};

/// Where a compared value comes from: a constant of the query, or a parameter (`$n`) that the
/// example request fills in from the example rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Constant(Value),
    Parameter(i32),
}

/// A bound of a range condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Above { inclusive: bool },
    Below { inclusive: bool },
}

#[derive(Debug, Clone)]
pub struct Range {
    pub column: String,
    pub bound: Bound,
    pub source: Source,
}

/// A read: one entity, or a parent joined with its children.
#[derive(Debug, Clone)]
pub struct Read {
    /// The entity whose rows are filtered (the child of a join).
    pub entity: usize,
    /// `(parent, foreign key index of the child)` for a join of a parent with its children.
    pub join: Option<(usize, usize)>,
    /// Equality conditions, by entity and column.
    pub equal: Vec<(usize, String, Source)>,
    /// `column IN (...)`.
    pub member: Option<(String, Vec<Source>)>,
    pub ranges: Vec<Range>,
    /// The column the result is sorted by, and whether descending.
    pub order: Option<(String, bool)>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone)]
pub enum Shape {
    Read(Read),
    Insert {
        entity: usize,
    },
    Update {
        entity: usize,
        equal: Vec<(String, Source)>,
        assigned: Vec<String>,
    },
    Delete {
        entity: usize,
        equal: Vec<(String, Source)>,
    },
}

/// The shape of one statement's facts, or why the designs cannot serve it.
pub fn shape(kind: StatementKind, block: &Block, entities: &Entities) -> Result<Shape, String> {
    if !block.ctes.is_empty() || !block.subqueries.is_empty() {
        return Err(
            "it has subqueries or WITH clauses; write each query a pattern of its own".into(),
        );
    }
    match kind {
        StatementKind::Select => read(block, entities).map(Shape::Read),
        StatementKind::Insert | StatementKind::Update | StatementKind::Delete => {
            write(kind, block, entities)
        }
        _ => Err("only SELECT, INSERT, UPDATE and DELETE are access patterns".into()),
    }
}

fn entity_of(name: &str, entities: &Entities) -> Result<usize, String> {
    let table = name.rsplit('.').next().unwrap_or(name);
    entities
        .find(table)
        .ok_or_else(|| format!("table `{table}` is not in the schema, or has no primary key"))
}

fn relations(items: &[FromItem], out: &mut Vec<String>) -> Result<(), String> {
    for item in items {
        match item {
            FromItem::Relation(relation) => out.push(relation.qualified_name()),
            FromItem::Join(left, right) => {
                relations(std::slice::from_ref(left), out)?;
                relations(std::slice::from_ref(right), out)?;
            }
            FromItem::Subquery { .. } | FromItem::Other => {
                return Err("it reads from a subquery or a function".into());
            }
        }
    }
    Ok(())
}

fn source(entity: &Entity, column: &str, constant: &Constant) -> Option<Source> {
    match constant {
        Constant::Parameter(n) => Some(Source::Parameter(*n)),
        Constant::Null => None,
        other => {
            let kind = entity.column(column)?.kind;
            Value::from_constant(kind, other).map(Source::Constant)
        }
    }
}

/// The entity of a column use: its table, or the block's only relation.
fn owner(
    table: Option<&String>,
    only: Option<usize>,
    entities: &Entities,
) -> Result<usize, String> {
    match (table, only) {
        (Some(table), _) => entity_of(table, entities),
        (None, Some(only)) => Ok(only),
        (None, None) => Err("a column's table cannot be told; qualify it".into()),
    }
}

fn read(block: &Block, entities: &Entities) -> Result<Read, String> {
    let mut names = Vec::new();
    relations(&block.from, &mut names)?;
    let tables: Vec<usize> = names
        .iter()
        .map(|name| entity_of(name, entities))
        .collect::<Result<_, _>>()?;
    let only = (tables.len() == 1).then(|| tables[0]);
    let mut equal = Vec::new();
    let mut member = None;
    let mut ranges = Vec::new();
    for column_use in block
        .columns
        .iter()
        .filter(|u| u.clause == Clause::Where && u.conjunctive)
    {
        let entity = owner(column_use.column.table.as_ref(), only, entities)?;
        let name = &column_use.column.name;
        let e = &entities.entities[entity];
        let sources: Vec<Source> = column_use
            .values
            .iter()
            .filter_map(|v| source(e, name, v))
            .collect();
        match column_use.role {
            Role::Equality if sources.len() == 1 => {
                equal.push((entity, name.clone(), sources[0].clone()));
            }
            Role::Membership if !sources.is_empty() => member = Some((name.clone(), sources)),
            Role::Range => ranges.extend(range(name, column_use.operator.as_deref(), sources)?),
            Role::Join => {}
            _ => {
                return Err(format!(
                    "its condition on `{name}` is not an equality, an IN list or a range of constants or parameters"
                ));
            }
        }
    }
    let order = match block.order_by.as_slice() {
        [] => None,
        [first, ..] => match &first.operand {
            Operand::Column(column) => Some((column.name.clone(), first.descending)),
            _ => return Err("it sorts by an expression".into()),
        },
    };
    let limit = match &block.limit {
        Some(Operand::Value(Constant::Integer(n))) => Some(*n),
        _ => None,
    };
    let (entity, join) = match tables.as_slice() {
        [one] => (*one, None),
        [a, b] => joined(*a, *b, block, entities)?,
        _ => {
            return Err(
                "it joins more than two tables; split it into patterns of one table or of a parent and its children"
                    .into(),
            );
        }
    };
    if let Some((column, _)) = &member
        && (join.is_some() || entities.entities[entity].key != [column.clone()])
    {
        return Err(format!(
            "its IN list on `{column}` is not on the whole primary key of one table; a batch reads items by key"
        ));
    }
    if let Some((parent, fk)) = join {
        let fk = &entities.entities[entity].foreign_keys[fk];
        let keyed = |(e, column, _): &(usize, String, Source)| {
            (*e == parent && entities.entities[parent].key.contains(column))
                || (*e == entity && fk.columns.contains(column))
        };
        if equal.is_empty() || !equal.iter().all(keyed) || !ranges.is_empty() {
            return Err(
                "a join is served when it selects one parent by its key and nothing else; write other conditions as a pattern on one table"
                    .into(),
            );
        }
    }
    if let Some((order_column, _)) = &order
        && entities.entities[entity].column(order_column).is_none()
    {
        return Err(format!(
            "it sorts by `{order_column}`, which is not a column of the rows it lists"
        ));
    }
    Ok(Read {
        entity,
        join,
        equal,
        member,
        ranges,
        order,
        limit,
    })
}

fn range(column: &str, operator: Option<&str>, sources: Vec<Source>) -> Result<Vec<Range>, String> {
    let make = |bound, source| Range {
        column: column.to_string(),
        bound,
        source,
    };
    let mut sources = sources.into_iter();
    Ok(match (operator, sources.next(), sources.next()) {
        (Some(">"), Some(s), None) => vec![make(Bound::Above { inclusive: false }, s)],
        (Some(">="), Some(s), None) => vec![make(Bound::Above { inclusive: true }, s)],
        (Some("<"), Some(s), None) => vec![make(Bound::Below { inclusive: false }, s)],
        (Some("<="), Some(s), None) => vec![make(Bound::Below { inclusive: true }, s)],
        (_, Some(low), Some(high)) => vec![
            make(Bound::Above { inclusive: true }, low),
            make(Bound::Below { inclusive: true }, high),
        ],
        _ => {
            return Err(format!(
                "its range on `{column}` is not against constants or parameters"
            ));
        }
    })
}

/// The parent and child of a two-table join along a foreign key.
fn joined(
    a: usize,
    b: usize,
    block: &Block,
    entities: &Entities,
) -> Result<(usize, Option<(usize, usize)>), String> {
    let mut pairs = BTreeSet::new();
    for key in &block.joins {
        let left = owner(key.left.table.as_ref(), None, entities)?;
        let right = owner(key.right.table.as_ref(), None, entities)?;
        pairs.insert((left, key.left.name.clone(), right, key.right.name.clone()));
        pairs.insert((right, key.right.name.clone(), left, key.left.name.clone()));
    }
    for (child, parent) in [(a, b), (b, a)] {
        for (index, fk) in entities.entities[child].foreign_keys.iter().enumerate() {
            let all = fk.parent == parent
                && fk
                    .columns
                    .iter()
                    .zip(&fk.parent_columns)
                    .all(|(c, p)| pairs.contains(&(child, c.clone(), parent, p.clone())));
            if all {
                return Ok((child, Some((parent, index))));
            }
        }
    }
    Err("its join does not follow a foreign key from one table to the other".into())
}

fn write(kind: StatementKind, block: &Block, entities: &Entities) -> Result<Shape, String> {
    let target = block.target.as_ref().ok_or("it names no table to write")?;
    let entity = entity_of(&target.qualified_name(), entities)?;
    if !block.from.is_empty() {
        return Err("it reads other tables (FROM or USING) while it writes".into());
    }
    if kind == StatementKind::Insert {
        return Ok(Shape::Insert { entity });
    }
    let e = &entities.entities[entity];
    let mut equal = Vec::new();
    let mut assigned = Vec::new();
    for column_use in &block.columns {
        match (column_use.clause, column_use.role) {
            (Clause::Set, Role::Assignment) => assigned.push(column_use.column.name.clone()),
            (Clause::Where, Role::Equality) if column_use.conjunctive => {
                let name = &column_use.column.name;
                if let [value] = column_use.values.as_slice()
                    && let Some(source) = source(e, name, value)
                {
                    equal.push((name.clone(), source));
                }
            }
            _ => {}
        }
    }
    let keyed = e.key.iter().all(|k| equal.iter().any(|(c, _)| c == k));
    if !keyed {
        return Err(format!(
            "it does not select one row by the whole primary key ({}); DynamoDB writes one item by its key",
            e.key.join(", ")
        ));
    }
    Ok(if kind == StatementKind::Update {
        Shape::Update {
            entity,
            equal,
            assigned,
        }
    } else {
        Shape::Delete { entity, equal }
    })
}
