//! How each query uses each table: the columns it compares for equality (constants and join
//! keys), by range, sorts and groups by, returns, and the functions of one column it compares,
//! read from `dbwise_query` facts and resolved to the database's tables.

use dbwise_query::facts::{Block, Clause, Column, FromItem, Operand, Role, Value};

/// Index of a table in the advisor's list of tables.
pub type TableId = usize;

/// What one query block does with one table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableUse {
    pub table: TableId,
    /// Columns compared with a constant or parameter by `=` or `IN`.
    pub equality: Vec<String>,
    /// Join keys of this table in the block.
    pub join: Vec<String>,
    pub range: Vec<String>,
    /// The ORDER BY columns, when all of them are this table's.
    pub sort: Vec<String>,
    pub group: Vec<String>,
    /// Every column of the table the block mentions.
    pub mentioned: Vec<String>,
    /// The block reads `*`.
    pub star: bool,
    /// `column = constant` conditions that hold for every row.
    pub constants: Vec<(String, Value)>,
    /// Functions of one column compared for equality or by range: name, arguments, column.
    pub expressions: Vec<Expression>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    pub function: Vec<String>,
    pub arguments: Vec<Operand>,
    pub column: String,
}

/// Which table a name (as a query writes it) stands for.
pub trait Resolver {
    fn table(&self, name: &str) -> Option<TableId>;
}

/// The uses of every table in `block` and the blocks nested in it. The block comes with its
/// unqualified columns placed by the database's schema ([`dbwise_query::facts::Facts::block_in`]).
pub fn table_uses(block: &Block, resolver: &dyn Resolver) -> Vec<TableUse> {
    let mut out = Vec::new();
    collect(block, resolver, &mut out);
    out
}

fn collect(block: &Block, resolver: &dyn Resolver, out: &mut Vec<TableUse>) {
    let mut local: Vec<TableId> = Vec::new();
    if let Some(target) = &block.target {
        local.extend(resolver.table(&target.qualified_name()));
    }
    for item in &block.from {
        relations(item, resolver, &mut local);
    }
    local.dedup();
    let resolve = |column: &Column| {
        column
            .table
            .as_deref()
            .and_then(|name| resolver.table(name))
    };
    let mut uses: Vec<TableUse> = Vec::new();
    for column_use in &block.columns {
        let Some(table) = resolve(&column_use.column) else {
            continue;
        };
        let u = entry(&mut uses, table);
        let name = &column_use.column.name;
        push(&mut u.mentioned, name);
        // A condition under OR can still use an index (a BitmapOr), so it counts too; only a
        // partial index needs the condition to hold for every row.
        let filters = matches!(column_use.clause, Clause::Where | Clause::JoinOn);
        match column_use.role {
            Role::Equality | Role::Membership if filters => {
                push(&mut u.equality, name);
                if column_use.role == Role::Equality
                    && column_use.conjunctive
                    && let [value] = column_use.values.as_slice()
                    && !matches!(value, Value::Parameter(_) | Value::Null)
                {
                    u.constants.push((name.clone(), value.clone()));
                }
            }
            Role::Join if filters => push(&mut u.join, name),
            Role::Range if filters => push(&mut u.range, name),
            Role::Group => push(&mut u.group, name),
            _ => {}
        }
    }
    if block.star {
        for &table in &local {
            entry(&mut uses, table).star = true;
        }
    }
    let sort: Vec<(TableId, String)> = block
        .order_by
        .iter()
        .filter_map(|key| match &key.operand {
            Operand::Column(column) => Some((resolve(column)?, column.name.clone())),
            _ => None,
        })
        .collect();
    if !sort.is_empty()
        && sort.len() == block.order_by.len()
        && sort.iter().all(|s| s.0 == sort[0].0)
    {
        let u = entry(&mut uses, sort[0].0);
        u.sort = sort.into_iter().map(|(_, name)| name).collect();
    }
    for expression in &block.expressions {
        let filters = matches!(expression.role, Role::Equality | Role::Range)
            && matches!(expression.clause, Clause::Where | Clause::JoinOn);
        let Some(column) = expression.column() else {
            continue;
        };
        let Some(table) = resolve(column).filter(|_| filters) else {
            continue;
        };
        let found = Expression {
            function: expression.function.clone(),
            arguments: expression.arguments.clone(),
            column: column.name.clone(),
        };
        let u = entry(&mut uses, table);
        if !u.expressions.contains(&found) {
            u.expressions.push(found);
        }
    }
    out.extend(uses);
    for (_, cte) in &block.ctes {
        collect(cte, resolver, out);
    }
    for sub in &block.subqueries {
        collect(sub, resolver, out);
    }
}

/// The use of `table` in `uses`, added when missing.
fn entry(uses: &mut Vec<TableUse>, table: TableId) -> &mut TableUse {
    let at = match uses.iter().position(|u| u.table == table) {
        Some(at) => at,
        None => {
            uses.push(TableUse {
                table,
                ..TableUse::default()
            });
            uses.len() - 1
        }
    };
    &mut uses[at]
}

fn relations(item: &FromItem, resolver: &dyn Resolver, out: &mut Vec<TableId>) {
    match item {
        FromItem::Relation(relation) => {
            out.extend(resolver.table(&relation.qualified_name()));
        }
        FromItem::Join(left, right) => {
            relations(left, resolver, out);
            relations(right, resolver, out);
        }
        _ => {}
    }
}

fn push(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}
