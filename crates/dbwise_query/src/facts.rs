//! The typed facts of one statement: what it reads and writes, and how each query block uses
//! its columns.
//!
//! Two views are kept. The statement-wide lists ([`Facts::relations`], [`Facts::calls`],
//! [`Facts::operators`], [`Facts::with_clauses`]) follow libpg_query's own walk of the tree, which
//! also decides whether a relation is read or written. The [`Block`] tree follows the query's
//! structure: each SELECT (and the body of each UPDATE, DELETE or INSERT) is a block with its
//! FROM items, its column uses by role, its join keys, ordering, grouping and limits, and the
//! blocks nested in it (CTEs, subqueries, the arms of a UNION).

use dbwise_syntax::ast::QualifiedName;
use dbwise_syntax::tree::protobuf::{
    self, AExprKind, BoolExprType, SetOperation, SortByDir, TransactionStmtKind, a_const,
};
use dbwise_syntax::tree::{Context, NodeEnum, NodeRef};

use crate::schema::{Name, Schema, Scope};

/// What kind of statement it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Select,
    Insert,
    Update,
    Delete,
    Merge,
    /// `BEGIN`, `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`, `ROLLBACK`, `ABORT`, `PREPARE TRANSACTION`: the block is over.
    End,
    /// Anything else, savepoints and DDL included.
    Other,
}

/// Whether libpg_query's walk finds a relation read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Written,
    /// Named by DDL or a utility statement.
    Other,
}

/// A relation named in the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub schema: Option<String>,
    pub name: String,
    pub alias: Option<String>,
    pub access: Access,
    /// The name is one of the statement's CTEs, defined before this use.
    pub cte: bool,
    /// Byte offset in the parsed text.
    pub location: usize,
}

impl Relation {
    /// The name as written: `schema.name` or `name`.
    pub fn qualified_name(&self) -> String {
        qualified_name(&self.table_name())
    }

    /// The name as a schema looks it up.
    pub fn table_name(&self) -> QualifiedName {
        QualifiedName::new(self.schema.as_deref(), &self.name)
    }
}

/// A table's name as [`Column::table`] and [`Relation::qualified_name`] give it: `schema.name`
/// or `name`, unquoted.
pub fn qualified_name(name: &QualifiedName) -> String {
    match &name.schema {
        Some(schema) => format!("{schema}.{}", name.name),
        None => name.name.clone(),
    }
}

/// A constant or parameter the query compares with, limits by or passes to a function.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Integer(i64),
    /// A number with a fraction or too large for 64 bits, as written.
    Number(String),
    String(String),
    Boolean(bool),
    Null,
    /// `$n`.
    Parameter(i32),
}

/// A column reference, with the relation it belongs to when the query says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The qualifier as written (`o` in `o.total`).
    pub qualifier: Option<String>,
    pub name: String,
    /// The relation the column belongs to: the qualifier's relation, or for an unqualified
    /// column the only relation of the block, or the one the schema gives it
    /// ([`crate::schema`]). `None` when it belongs to a subquery or cannot be told.
    pub table: Option<String>,
}

/// How a column is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `col = value`.
    Equality,
    /// `<`, `>`, `<=`, `>=`, `BETWEEN`.
    Range,
    /// `IN (...)`, `= ANY (...)`, `IN (SELECT ...)`.
    Membership,
    /// `LIKE`, `ILIKE`, `~~`, `SIMILAR TO`.
    Pattern,
    /// `IS [NOT] NULL`.
    NullTest,
    /// `a.x = b.y`: one side of a join key.
    Join,
    Sort,
    Group,
    /// Returned by the query (select list, `RETURNING` aside).
    Output,
    /// Set by `UPDATE ... SET` or listed by `INSERT INTO t (cols)`.
    Assignment,
    /// Any other use: under a function, another operator, a `CASE`.
    Other,
}

/// The clause a use sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clause {
    Select,
    Where,
    JoinOn,
    GroupBy,
    Having,
    OrderBy,
    Set,
    Insert,
}

/// One use of a column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnUse {
    pub column: Column,
    pub role: Role,
    pub clause: Clause,
    /// The operator of the comparison, as libpg_query names it (`=` also for `IN` lists).
    pub operator: Option<String>,
    /// The constants and parameters compared with.
    pub values: Vec<Value>,
    /// The condition holds for every row the block returns: it is the WHERE or ON condition,
    /// or one of the terms ANDed in it (not under OR or NOT).
    pub conjunctive: bool,
}

/// A function of one column compared in a condition (`lower(email) = $1`): the expression an
/// expression index would hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressionUse {
    /// The function's name as written: schema (if given) and function.
    pub function: Vec<String>,
    /// The arguments in order: exactly one column, the others constants.
    pub arguments: Vec<Operand>,
    pub role: Role,
    pub clause: Clause,
    pub operator: Option<String>,
    /// The constants and parameters compared with.
    pub values: Vec<Value>,
    pub conjunctive: bool,
}

impl ExpressionUse {
    /// The column the function is applied to.
    pub fn column(&self) -> Option<&Column> {
        self.arguments.iter().find_map(|a| match a {
            Operand::Column(column) => Some(column),
            _ => None,
        })
    }
}

/// An equality between columns of two relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinKey {
    pub left: Column,
    pub right: Column,
}

/// What an ORDER BY or GROUP BY item, or a LIMIT, holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Column(Column),
    Value(Value),
    Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub operand: Operand,
    pub descending: bool,
}

/// An item of a FROM list.
#[derive(Debug, Clone, PartialEq)]
pub enum FromItem {
    Relation(Relation),
    /// `(SELECT ...) alias`; its block is among [`Block::subqueries`].
    Subquery {
        alias: Option<String>,
        lateral: bool,
    },
    Join(Box<FromItem>, Box<FromItem>),
    /// A function, `VALUES`, or a table function.
    Other,
}

/// One query block: a SELECT, or the body of an UPDATE, DELETE or INSERT.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// The relation an UPDATE, DELETE or INSERT writes.
    pub target: Option<Relation>,
    pub from: Vec<FromItem>,
    pub columns: Vec<ColumnUse>,
    /// Functions of one column compared in conditions; their column is among `columns` too.
    pub expressions: Vec<ExpressionUse>,
    pub joins: Vec<JoinKey>,
    /// `SELECT *` or `t.*` in the select list.
    pub star: bool,
    pub order_by: Vec<SortKey>,
    pub group_by: Vec<Operand>,
    pub limit: Option<Operand>,
    pub offset: Option<Operand>,
    /// The CTEs the block defines, in order.
    pub ctes: Vec<(String, Block)>,
    /// Subqueries in FROM, conditions and the select list, and the arms of a set operation.
    pub subqueries: Vec<Block>,
}

impl Block {
    /// The column uses of the WHERE condition that hold for every row: the key a write or a
    /// lookup selects rows by.
    pub fn key_predicates(&self) -> impl Iterator<Item = &ColumnUse> {
        self.columns.iter().filter(|u| {
            u.clause == Clause::Where
                && u.conjunctive
                && matches!(u.role, Role::Equality | Role::Membership)
        })
    }
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The name as written: schema (if given) and function.
    pub name: Vec<String>,
    /// The arguments that are constants or parameters (casts looked through); `None` for
    /// the others.
    pub arguments: Vec<Option<Value>>,
}

impl Call {
    /// The function's own name, without schema, lower-cased.
    pub fn base_name(&self) -> Option<String> {
        self.name.last().map(|name| name.to_lowercase())
    }
}

/// A `WITH` clause: its CTEs, each with the names of the relations its query reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct With {
    pub recursive: bool,
    pub ctes: Vec<(String, Vec<String>)>,
}

/// What the analyses know about one statement. The kind and the relations are read when the
/// facts are made; the rest is read from the tree on request, so a caller pays only for what
/// it asks.
#[derive(Debug, Clone)]
pub struct Facts<'q> {
    pub kind: Kind,
    /// Every relation the statement names, in libpg_query's walk order.
    pub relations: Vec<Relation>,
    statement: &'q NodeEnum,
}

impl<'q> Facts<'q> {
    pub(crate) fn of(statement: &'q NodeEnum) -> Facts<'q> {
        let mut cte_names: Vec<&str> = Vec::new();
        let mut relations = Vec::new();
        for (node, _, context, _) in statement.nodes() {
            match node {
                NodeRef::CommonTableExpr(cte) => cte_names.push(&cte.ctename),
                NodeRef::RangeVar(range) => {
                    let relation = relation(range, access(context));
                    let cte = !cte_names.is_empty()
                        && cte_names.contains(&relation.qualified_name().as_str());
                    relations.push(Relation { cte, ..relation });
                }
                _ => {}
            }
        }
        Facts {
            kind: kind(statement),
            relations,
            statement,
        }
    }

    /// The tables the statement reads, sorted, CTEs left out.
    pub fn tables_read(&self) -> impl Iterator<Item = String> {
        self.tables(Access::Read)
    }

    /// The tables the statement writes, sorted.
    pub fn tables_written(&self) -> impl Iterator<Item = String> {
        self.tables(Access::Written)
    }

    fn tables(&self, access: Access) -> impl Iterator<Item = String> {
        let mut names: Vec<String> = self
            .relations
            .iter()
            .filter(|r| r.access == access && !r.cte)
            .map(Relation::qualified_name)
            .collect();
        names.sort();
        names.dedup();
        names.into_iter()
    }

    /// Every function call, in libpg_query's walk order.
    pub fn calls(&self) -> Vec<Call> {
        self.nodes()
            .filter_map(|node| match node {
                NodeRef::FuncCall(call) => Some(Call {
                    name: call.funcname.iter().filter_map(string).collect(),
                    arguments: call.args.iter().map(value).collect(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The operator of every comparison or arithmetic expression.
    pub fn operators(&self) -> Vec<String> {
        self.nodes()
            .filter_map(|node| match node {
                NodeRef::AExpr(expr) => operator(&expr.name),
                _ => None,
            })
            .collect()
    }

    /// Every `WITH` clause, at any depth.
    pub fn with_clauses(&self) -> Vec<With> {
        self.nodes()
            .filter_map(|node| match node {
                NodeRef::SelectStmt(protobuf::SelectStmt { with_clause, .. })
                | NodeRef::InsertStmt(protobuf::InsertStmt { with_clause, .. })
                | NodeRef::UpdateStmt(protobuf::UpdateStmt { with_clause, .. })
                | NodeRef::DeleteStmt(protobuf::DeleteStmt { with_clause, .. }) => {
                    with_clause.as_ref().map(self::with_clause)
                }
                _ => None,
            })
            .collect()
    }

    /// The statement's query block (empty for statements that are not queries). An unqualified
    /// column of a block that reads several relations gets no table: [`Facts::block_in`] finds
    /// it with a schema.
    pub fn block(&self) -> Block {
        self.block_with(None)
    }

    /// The statement's query block, with each unqualified column resolved against `schema`
    /// (see [`crate::schema`]).
    pub fn block_in(&self, schema: &dyn Schema) -> Block {
        self.block_with(Some(schema))
    }

    fn block_with(&self, schema: Option<&dyn Schema>) -> Block {
        match self.statement {
            NodeEnum::SelectStmt(select) => select_block(select, &[], schema),
            NodeEnum::UpdateStmt(update) => update_block(update, schema),
            NodeEnum::DeleteStmt(delete) => delete_block(delete, schema),
            NodeEnum::InsertStmt(insert) => insert_block(insert, schema),
            _ => Block::default(),
        }
    }

    fn nodes(&self) -> impl Iterator<Item = NodeRef<'q>> {
        self.statement.nodes().into_iter().map(|(node, ..)| node)
    }
}

fn kind(statement: &NodeEnum) -> Kind {
    match statement {
        NodeEnum::SelectStmt(_) => Kind::Select,
        NodeEnum::InsertStmt(_) => Kind::Insert,
        NodeEnum::UpdateStmt(_) => Kind::Update,
        NodeEnum::DeleteStmt(_) => Kind::Delete,
        NodeEnum::MergeStmt(_) => Kind::Merge,
        NodeEnum::TransactionStmt(stmt) => match TransactionStmtKind::try_from(stmt.kind) {
            Ok(TransactionStmtKind::TransStmtBegin | TransactionStmtKind::TransStmtStart) => {
                Kind::Begin
            }
            Ok(
                TransactionStmtKind::TransStmtCommit
                | TransactionStmtKind::TransStmtRollback
                | TransactionStmtKind::TransStmtPrepare,
            ) => Kind::End,
            _ => Kind::Other,
        },
        _ => Kind::Other,
    }
}

fn access(context: Context) -> Access {
    match context {
        Context::Select => Access::Read,
        Context::DML => Access::Written,
        _ => Access::Other,
    }
}

fn relation(range: &protobuf::RangeVar, access: Access) -> Relation {
    Relation {
        schema: (!range.schemaname.is_empty()).then(|| range.schemaname.clone()),
        name: range.relname.clone(),
        alias: range.alias.as_ref().map(|a| a.aliasname.clone()),
        access,
        cte: false,
        location: usize::try_from(range.location).unwrap_or(0),
    }
}

fn with_clause(with: &protobuf::WithClause) -> With {
    let ctes = with
        .ctes
        .iter()
        .filter_map(|node| {
            let cte @ NodeEnum::CommonTableExpr(common) = node.node.as_ref()? else {
                return None;
            };
            let relations = cte
                .nodes()
                .into_iter()
                .filter_map(|(n, ..)| match n {
                    NodeRef::RangeVar(range) => Some(range.relname.clone()),
                    _ => None,
                })
                .collect();
            Some((common.ctename.clone(), relations))
        })
        .collect();
    With {
        recursive: with.recursive,
        ctes,
    }
}

/// Builds one block.
struct Builder<'a> {
    block: Block,
    scope: Scope<'a>,
}

fn select_block(
    select: &protobuf::SelectStmt,
    outer: &[Name],
    schema: Option<&dyn Schema>,
) -> Block {
    let mut b = Builder::new(outer, schema);
    if let Some(with) = &select.with_clause {
        b.with(with);
    }
    if select.op != SetOperation::SetopNone as i32 {
        let visible = b.visible_names();
        for arm in [&select.larg, &select.rarg].into_iter().flatten() {
            b.block.subqueries.push(select_block(arm, &visible, schema));
        }
    }
    for item in &select.from_clause {
        let from = b.add_from_item(item);
        b.block.from.push(from);
    }
    for target in &select.target_list {
        if let Some(NodeEnum::ResTarget(target)) = &target.node
            && let Some(value) = &target.val
        {
            if is_star(value) {
                b.block.star = true;
            } else {
                b.expression(value, Role::Output, Clause::Select);
            }
        }
    }
    if let Some(condition) = &select.where_clause {
        b.condition(condition, Clause::Where, true);
    }
    for item in &select.group_clause {
        let operand = b.operand(item);
        b.expression(item, Role::Group, Clause::GroupBy);
        b.block.group_by.push(operand);
    }
    if let Some(condition) = &select.having_clause {
        b.condition(condition, Clause::Having, true);
    }
    for item in &select.sort_clause {
        let Some(NodeEnum::SortBy(sort)) = &item.node else {
            continue;
        };
        let Some(key) = &sort.node else { continue };
        let operand = b.operand(key);
        b.expression(key, Role::Sort, Clause::OrderBy);
        b.block.order_by.push(SortKey {
            operand,
            descending: sort.sortby_dir == SortByDir::SortbyDesc as i32,
        });
    }
    b.block.limit = select.limit_count.as_deref().map(|n| b.operand(n));
    b.block.offset = select.limit_offset.as_deref().map(|n| b.operand(n));
    b.block
}

fn update_block(update: &protobuf::UpdateStmt, schema: Option<&dyn Schema>) -> Block {
    let mut b = Builder::new(&[], schema);
    if let Some(with) = &update.with_clause {
        b.with(with);
    }
    b.target(update.relation.as_ref());
    for item in &update.from_clause {
        let from = b.add_from_item(item);
        b.block.from.push(from);
    }
    for target in &update.target_list {
        if let Some(NodeEnum::ResTarget(target)) = &target.node {
            let column = Column {
                qualifier: None,
                name: target.name.clone(),
                table: b.block.target.as_ref().map(Relation::qualified_name),
            };
            b.used(
                column,
                Role::Assignment,
                Clause::Set,
                None,
                Vec::new(),
                false,
            );
            if let Some(value) = &target.val {
                b.expression(value, Role::Other, Clause::Set);
            }
        }
    }
    if let Some(condition) = &update.where_clause {
        b.condition(condition, Clause::Where, true);
    }
    b.block
}

fn delete_block(delete: &protobuf::DeleteStmt, schema: Option<&dyn Schema>) -> Block {
    let mut b = Builder::new(&[], schema);
    if let Some(with) = &delete.with_clause {
        b.with(with);
    }
    b.target(delete.relation.as_ref());
    for item in &delete.using_clause {
        let from = b.add_from_item(item);
        b.block.from.push(from);
    }
    if let Some(condition) = &delete.where_clause {
        b.condition(condition, Clause::Where, true);
    }
    b.block
}

fn insert_block(insert: &protobuf::InsertStmt, schema: Option<&dyn Schema>) -> Block {
    let mut b = Builder::new(&[], schema);
    if let Some(with) = &insert.with_clause {
        b.with(with);
    }
    b.target(insert.relation.as_ref());
    let table = b.block.target.as_ref().map(Relation::qualified_name);
    for column in &insert.cols {
        if let Some(NodeEnum::ResTarget(target)) = &column.node {
            let column = Column {
                qualifier: None,
                name: target.name.clone(),
                table: table.clone(),
            };
            b.used(
                column,
                Role::Assignment,
                Clause::Insert,
                None,
                Vec::new(),
                false,
            );
        }
    }
    if let Some(NodeEnum::SelectStmt(select)) =
        insert.select_stmt.as_deref().and_then(|n| n.node.as_ref())
        && select.values_lists.is_empty()
    {
        b.block.subqueries.push(select_block(select, &[], schema));
    }
    b.block
}

impl<'a> Builder<'a> {
    fn new(outer: &'a [Name], schema: Option<&'a dyn Schema>) -> Self {
        Builder {
            block: Block::default(),
            scope: Scope::new(outer, schema),
        }
    }

    fn with(&mut self, with: &protobuf::WithClause) {
        let ctes: Vec<&protobuf::CommonTableExpr> = with
            .ctes
            .iter()
            .filter_map(|node| match &node.node {
                Some(NodeEnum::CommonTableExpr(cte)) => Some(&**cte),
                _ => None,
            })
            .collect();
        // Every CTE of the clause is visible in the bodies (a recursive one sees itself).
        for cte in &ctes {
            self.scope.names.push(Name {
                name: cte.ctename.clone(),
                table: None,
                cte: true,
            });
        }
        let visible = self.visible_names();
        for cte in ctes {
            let block = match cte.ctequery.as_deref().and_then(|q| q.node.as_ref()) {
                Some(query) => query_block(query, &visible, self.scope.schema),
                None => Block::default(),
            };
            self.block.ctes.push((cte.ctename.clone(), block));
        }
    }

    fn target(&mut self, range: Option<&protobuf::RangeVar>) {
        let Some(range) = range else { return };
        self.name(range);
        self.block.target = Some(relation(range, Access::Written));
    }

    /// Make a relation's alias (or its name) refer to it in this block; a CTE's name stands
    /// for no table.
    fn name(&mut self, range: &protobuf::RangeVar) {
        let mut name = Name::relation(range);
        let is_cte = range.schemaname.is_empty()
            && self
                .scope
                .names
                .iter()
                .chain(self.scope.outer)
                .any(|n| n.cte && n.name == range.relname);
        if is_cte {
            name.table = None;
        }
        self.scope.names.push(name);
    }

    fn add_from_item(&mut self, item: &protobuf::Node) -> FromItem {
        match item.node.as_ref() {
            Some(NodeEnum::RangeVar(range)) => {
                self.name(range);
                FromItem::Relation(relation(range, Access::Read))
            }
            Some(NodeEnum::RangeSubselect(sub)) => {
                let alias = sub.alias.as_ref().map(|a| a.aliasname.clone());
                if let Some(query) = sub.subquery.as_deref().and_then(|q| q.node.as_ref()) {
                    let outer: Vec<Name>;
                    let visible = if sub.lateral {
                        outer = self.visible_names();
                        &outer[..]
                    } else {
                        self.scope.outer
                    };
                    let block = query_block(query, visible, self.scope.schema);
                    self.block.subqueries.push(block);
                }
                self.unknown_columns(alias.as_deref());
                FromItem::Subquery {
                    alias,
                    lateral: sub.lateral,
                }
            }
            Some(NodeEnum::JoinExpr(join)) => {
                let left = join.larg.as_deref().map(|n| self.add_from_item(n));
                let right = join.rarg.as_deref().map(|n| self.add_from_item(n));
                if let Some(quals) = &join.quals {
                    self.condition(quals, Clause::JoinOn, true);
                }
                if let (Some(FromItem::Relation(l)), Some(FromItem::Relation(r))) = (&left, &right)
                {
                    for name in join.using_clause.iter().filter_map(string) {
                        let side = |relation: &Relation| Column {
                            qualifier: Some(
                                relation
                                    .alias
                                    .clone()
                                    .unwrap_or_else(|| relation.name.clone()),
                            ),
                            name: name.clone(),
                            table: Some(relation.qualified_name()),
                        };
                        self.block.joins.push(JoinKey {
                            left: side(l),
                            right: side(r),
                        });
                    }
                }
                FromItem::Join(
                    Box::new(left.unwrap_or(FromItem::Other)),
                    Box::new(right.unwrap_or(FromItem::Other)),
                )
            }
            Some(NodeEnum::RangeFunction(function)) => {
                self.unknown_columns(function.alias.as_ref().map(|a| a.aliasname.as_str()));
                FromItem::Other
            }
            _ => {
                self.unknown_columns(None);
                FromItem::Other
            }
        }
    }

    fn unknown_columns(&mut self, alias: Option<&str>) {
        self.scope.names.push(Name::unknown(alias));
    }

    /// The names this block and the blocks around it make visible, for a nested block.
    fn visible_names(&self) -> Vec<Name> {
        self.scope
            .names
            .iter()
            .chain(self.scope.outer)
            .cloned()
            .collect()
    }

    fn column(&self, node: &protobuf::Node) -> Option<Column> {
        let Some(NodeEnum::ColumnRef(column)) = &node.node else {
            return None;
        };
        let parts: Vec<&str> = column
            .fields
            .iter()
            .map(|f| match &f.node {
                Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let (name, qualifier) = match parts.as_slice() {
            [name] => (*name, None),
            [.., qualifier, name] => (*name, Some(*qualifier)),
            [] => return None,
        };
        Some(Column {
            qualifier: qualifier.map(str::to_owned),
            name: name.to_owned(),
            table: self.scope.resolve(qualifier, name).map(qualified_name),
        })
    }

    fn operand(&self, node: &protobuf::Node) -> Operand {
        if let Some(column) = self.column(node) {
            Operand::Column(column)
        } else if let Some(value) = value(node) {
            Operand::Value(value)
        } else {
            Operand::Expression
        }
    }

    fn used(
        &mut self,
        column: Column,
        role: Role,
        clause: Clause,
        operator: Option<String>,
        values: Vec<Value>,
        conjunctive: bool,
    ) {
        self.block.columns.push(ColumnUse {
            column,
            role,
            clause,
            operator,
            values,
            conjunctive,
        });
    }

    /// A condition of WHERE, ON or HAVING.
    fn condition(&mut self, node: &protobuf::Node, clause: Clause, conjunctive: bool) {
        match node.node.as_ref() {
            Some(NodeEnum::BoolExpr(expr)) => {
                let and = expr.boolop == BoolExprType::AndExpr as i32;
                for arg in &expr.args {
                    self.condition(arg, clause, conjunctive && and);
                }
            }
            Some(NodeEnum::AExpr(expr)) => self.comparison(expr, clause, conjunctive),
            Some(NodeEnum::NullTest(test)) => {
                if let Some(arg) = test.arg.as_deref() {
                    match self.column(arg) {
                        Some(column) => self.used(
                            column,
                            Role::NullTest,
                            clause,
                            None,
                            Vec::new(),
                            conjunctive,
                        ),
                        None => self.expression(arg, Role::Other, clause),
                    }
                }
            }
            Some(NodeEnum::SubLink(link)) => {
                if let Some(test) = link.testexpr.as_deref() {
                    match self.column(test) {
                        Some(column) => {
                            let operator = operator(&link.oper_name);
                            self.used(
                                column,
                                Role::Membership,
                                clause,
                                operator,
                                Vec::new(),
                                conjunctive,
                            );
                        }
                        None => self.expression(test, Role::Other, clause),
                    }
                }
                self.subquery(link.subselect.as_deref());
            }
            _ => self.expression(node, Role::Other, clause),
        }
    }

    fn comparison(&mut self, expr: &protobuf::AExpr, clause: Clause, conjunctive: bool) {
        let operator = operator(&expr.name);
        let kind = AExprKind::try_from(expr.kind).unwrap_or(AExprKind::Undefined);
        let (left, right) = (expr.lexpr.as_deref(), expr.rexpr.as_deref());
        let left_column = left.and_then(|n| self.column(n));
        let right_column = right.and_then(|n| self.column(n));
        if kind == AExprKind::AexprOp
            && operator.as_deref() == Some("=")
            && let (Some(l), Some(r)) = (&left_column, &right_column)
        {
            for column in [l, r] {
                self.used(
                    column.clone(),
                    Role::Join,
                    clause,
                    operator.clone(),
                    Vec::new(),
                    conjunctive,
                );
            }
            if conjunctive {
                self.block.joins.push(JoinKey {
                    left: l.clone(),
                    right: r.clone(),
                });
            }
            return;
        }
        let role = role_of(kind, operator.as_deref());
        for (column, side, other) in [(left_column, left, right), (right_column, right, left)] {
            match (column, side) {
                (Some(column), _) => {
                    let values = other.map(values).unwrap_or_default();
                    self.used(column, role, clause, operator.clone(), values, conjunctive);
                }
                (None, Some(side)) => {
                    if let Some((function, arguments)) = self.function_of_column(side) {
                        let values = other.map(values).unwrap_or_default();
                        self.block.expressions.push(ExpressionUse {
                            function,
                            arguments,
                            role,
                            clause,
                            operator: operator.clone(),
                            values,
                            conjunctive,
                        });
                    }
                    self.expression(side, Role::Other, clause);
                }
                (None, None) => {}
            }
        }
    }

    /// A call of a function whose arguments are one column and constants: its name and
    /// arguments.
    fn function_of_column(&self, node: &protobuf::Node) -> Option<(Vec<String>, Vec<Operand>)> {
        let Some(NodeEnum::FuncCall(call)) = node.node.as_ref() else {
            return None;
        };
        if call.agg_star || call.agg_distinct || call.over.is_some() || call.agg_filter.is_some() {
            return None;
        }
        let arguments: Vec<Operand> = call.args.iter().map(|a| self.operand(a)).collect();
        let columns = arguments
            .iter()
            .filter(|a| matches!(a, Operand::Column(_)))
            .count();
        let constants = arguments
            .iter()
            .filter(|a| matches!(a, Operand::Value(v) if !matches!(v, Value::Parameter(_))))
            .count();
        (columns == 1 && columns + constants == arguments.len())
            .then(|| (call.funcname.iter().filter_map(string).collect(), arguments))
    }

    /// Every column an expression uses, each with `role`; subqueries become blocks.
    fn expression(&mut self, node: &protobuf::Node, role: Role, clause: Clause) {
        if let Some(column) = self.column(node) {
            self.used(column, role, clause, None, Vec::new(), false);
            return;
        }
        let inner = |b: &mut Self, n: &protobuf::Node| b.expression(n, role, clause);
        match node.node.as_ref() {
            Some(NodeEnum::AExpr(expr)) => {
                for side in [&expr.lexpr, &expr.rexpr].into_iter().flatten() {
                    inner(self, side);
                }
            }
            Some(NodeEnum::BoolExpr(expr)) => expr.args.iter().for_each(|a| inner(self, a)),
            Some(NodeEnum::FuncCall(call)) => call.args.iter().for_each(|a| inner(self, a)),
            Some(NodeEnum::TypeCast(cast)) => {
                if let Some(arg) = &cast.arg {
                    inner(self, arg);
                }
            }
            Some(NodeEnum::NullTest(test)) => {
                if let Some(arg) = &test.arg {
                    inner(self, arg);
                }
            }
            Some(NodeEnum::CoalesceExpr(expr)) => expr.args.iter().for_each(|a| inner(self, a)),
            Some(NodeEnum::List(list)) => list.items.iter().for_each(|a| inner(self, a)),
            Some(NodeEnum::CaseExpr(case)) => {
                for part in [&case.arg, &case.defresult].into_iter().flatten() {
                    inner(self, part);
                }
                for when in &case.args {
                    if let Some(NodeEnum::CaseWhen(when)) = &when.node {
                        for part in [&when.expr, &when.result].into_iter().flatten() {
                            inner(self, part);
                        }
                    }
                }
            }
            Some(NodeEnum::SubLink(link)) => {
                if let Some(test) = &link.testexpr {
                    inner(self, test);
                }
                self.subquery(link.subselect.as_deref());
            }
            _ => {}
        }
    }

    fn subquery(&mut self, query: Option<&protobuf::Node>) {
        if let Some(query) = query.and_then(|q| q.node.as_ref()) {
            let visible = self.visible_names();
            let block = query_block(query, &visible, self.scope.schema);
            self.block.subqueries.push(block);
        }
    }
}

/// The block of a nested query (a SELECT, or a data-modifying CTE).
fn query_block(query: &NodeEnum, outer: &[Name], schema: Option<&dyn Schema>) -> Block {
    match query {
        NodeEnum::SelectStmt(select) => select_block(select, outer, schema),
        NodeEnum::UpdateStmt(update) => update_block(update, schema),
        NodeEnum::DeleteStmt(delete) => delete_block(delete, schema),
        NodeEnum::InsertStmt(insert) => insert_block(insert, schema),
        _ => Block::default(),
    }
}

fn role_of(kind: AExprKind, operator: Option<&str>) -> Role {
    match kind {
        AExprKind::AexprIn | AExprKind::AexprOpAny => Role::Membership,
        AExprKind::AexprLike | AExprKind::AexprIlike | AExprKind::AexprSimilar => Role::Pattern,
        AExprKind::AexprBetween
        | AExprKind::AexprNotBetween
        | AExprKind::AexprBetweenSym
        | AExprKind::AexprNotBetweenSym => Role::Range,
        AExprKind::AexprOp => match operator {
            Some("=") => Role::Equality,
            Some("<" | ">" | "<=" | ">=") => Role::Range,
            Some("~~" | "~~*" | "!~~" | "!~~*") => Role::Pattern,
            _ => Role::Other,
        },
        _ => Role::Other,
    }
}

fn is_star(node: &protobuf::Node) -> bool {
    matches!(&node.node, Some(NodeEnum::ColumnRef(column))
        if column.fields.iter().any(|f| matches!(f.node, Some(NodeEnum::AStar(_)))))
}

/// The constants and parameters of one side of a comparison: a value, a list (`IN`,
/// `BETWEEN`) or an array.
fn values(node: &protobuf::Node) -> Vec<Value> {
    match node.node.as_ref() {
        Some(NodeEnum::List(list)) => list.items.iter().filter_map(value).collect(),
        Some(NodeEnum::AArrayExpr(array)) => array.elements.iter().filter_map(value).collect(),
        _ => value(node).into_iter().collect(),
    }
}

/// A constant or parameter, casts looked through.
fn value(node: &protobuf::Node) -> Option<Value> {
    match node.node.as_ref()? {
        NodeEnum::TypeCast(cast) => value(cast.arg.as_deref()?),
        NodeEnum::ParamRef(param) => Some(Value::Parameter(param.number)),
        NodeEnum::AConst(constant) if constant.isnull => Some(Value::Null),
        NodeEnum::AConst(constant) => match constant.val.as_ref()? {
            a_const::Val::Ival(i) => Some(Value::Integer(i64::from(i.ival))),
            a_const::Val::Fval(f) => Some(
                f.fval
                    .parse()
                    .map_or_else(|_| Value::Number(f.fval.clone()), Value::Integer),
            ),
            a_const::Val::Sval(s) => Some(Value::String(s.sval.clone())),
            a_const::Val::Boolval(b) => Some(Value::Boolean(b.boolval)),
            a_const::Val::Bsval(_) => None,
        },
        _ => None,
    }
}

/// The last part of an operator's or a name's list of strings.
fn operator(name: &[protobuf::Node]) -> Option<String> {
    name.last().and_then(string)
}

fn string(node: &protobuf::Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.clone()),
        _ => None,
    }
}
