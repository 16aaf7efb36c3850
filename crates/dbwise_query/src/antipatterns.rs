//! Query anti-patterns found in one parsed statement.
//!
//! Each check is a plain function over the libpg_query parse tree; it reports the byte offset of
//! the node it objects to, relative to the text that was parsed. `dbwise workload` runs them on
//! every distinct query shape, and lint's query rules on the statements of SQL files.

use dbwise_diagnostics::Severity;
use dbwise_syntax::tree::protobuf::{self, AExprKind, BoolExprType, SubLinkType, a_const};
use dbwise_syntax::tree::{NodeEnum, NodeRef, ParseError, Tree};

use crate::schema::{Name, Schema, Scope};

/// The anti-patterns this module knows, by rule id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    SelectStar,
    OffsetPagination,
    LeadingWildcardLike,
    FunctionOnColumnInWhere,
    NotInSubquery,
    OrderByRandom,
    UnboundedDeleteOrUpdate,
    CartesianJoin,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::SelectStar,
        Rule::OffsetPagination,
        Rule::LeadingWildcardLike,
        Rule::FunctionOnColumnInWhere,
        Rule::NotInSubquery,
        Rule::OrderByRandom,
        Rule::UnboundedDeleteOrUpdate,
        Rule::CartesianJoin,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::SelectStar => "select-star",
            Rule::OffsetPagination => "offset-pagination",
            Rule::LeadingWildcardLike => "leading-wildcard-like",
            Rule::FunctionOnColumnInWhere => "function-on-column-in-where",
            Rule::NotInSubquery => "not-in-subquery",
            Rule::OrderByRandom => "order-by-random",
            Rule::UnboundedDeleteOrUpdate => "unbounded-delete-or-update",
            Rule::CartesianJoin => "cartesian-join",
        }
    }

    /// Default severity: only `SELECT *` is merely informative.
    pub fn severity(self) -> Severity {
        match self {
            Rule::SelectStar => Severity::Info,
            _ => Severity::Warning,
        }
    }

    /// What goes wrong, for whom, in general terms.
    pub fn why(self) -> &'static str {
        match self {
            Rule::SelectStar => {
                "`SELECT *` reads and ships every column, defeats index-only scans, and silently changes the result when columns are added or reordered."
            }
            Rule::OffsetPagination => {
                "PostgreSQL computes and throws away every skipped row, so each later page costs more than the one before; rows inserted meanwhile shift pages and cause duplicates or gaps."
            }
            Rule::LeadingWildcardLike => {
                "A pattern that starts with `%` or `_` cannot use a B-tree index, so every row of the table is read and compared."
            }
            Rule::FunctionOnColumnInWhere => {
                "An index on the column cannot serve a condition on an expression of it (the condition is not sargable), so the table is scanned unless an index on the same expression exists."
            }
            Rule::NotInSubquery => {
                "If the subquery returns a single NULL, `NOT IN` is never true and the query returns no rows; it also prevents the planner from using an anti-join."
            }
            Rule::OrderByRandom => {
                "`ORDER BY random()` reads the whole input and sorts it to keep a few rows, so its cost grows with the table, not with the LIMIT."
            }
            Rule::UnboundedDeleteOrUpdate => {
                "Without WHERE the statement touches every row: it locks them all, writes a new version of each and bloats the table and its indexes."
            }
            Rule::CartesianJoin => {
                "Relations in FROM with no condition that links them produce every combination of their rows; the result grows as the product of the table sizes."
            }
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The thresholds the checks apply.
#[derive(Debug, Clone)]
pub struct Options {
    /// A constant OFFSET above this many rows is reported as offset pagination.
    pub offset_threshold: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            offset_threshold: 1000,
        }
    }
}

/// One anti-pattern found in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AntiPattern {
    pub rule: Rule,
    /// Byte offset of the offending node in the parsed text.
    pub location: usize,
    /// What exactly was found, in words fit for a message.
    pub message: String,
    /// The rewrite for this statement.
    pub help: String,
}

/// What the checks of a statement found.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Sorted by location, then rule.
    pub found: Vec<AntiPattern>,
    /// Checked without a schema, and one could change the findings: it may place an
    /// unqualified column that decides whether relations are joined, or know an expression
    /// index that serves a function of a column.
    pub schema_may_change: bool,
}

/// Parse `sql` (one or more statements) and check every statement, with `schema` (when there
/// is one) to tell which relation an unqualified column belongs to and which expression
/// indexes exist.
pub fn check_sql(
    sql: &str,
    options: &Options,
    schema: Option<&dyn Schema>,
) -> Result<Checked, ParseError> {
    Ok(check(&Tree::parse(sql)?, options, schema))
}

/// The longest statement checked for anti-patterns: its syntax tree takes about a hundred times
/// the text in memory (a 7 MB `IN` list took 700 MB).
pub const MAX_CHECKED_QUERY: usize = 1 << 20;

/// Check every statement of a parse result; findings are sorted by location, then rule.
pub(crate) fn check(tree: &Tree, options: &Options, schema: Option<&dyn Schema>) -> Checked {
    let mut out = Checked::default();
    let nodes = tree.nodes();
    // `EXISTS (SELECT * ...)` reads no column: the star there is harmless.
    let exists_subqueries: Vec<*const protobuf::SelectStmt> = nodes
        .iter()
        .filter_map(|(node, ..)| match node {
            NodeRef::SubLink(link) if link.sub_link_type == SubLinkType::ExistsSublink as i32 => {
                match link.subselect.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::SelectStmt(select)) => {
                        Some(&**select as *const protobuf::SelectStmt)
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    for (node, ..) in nodes {
        match node {
            NodeRef::SelectStmt(select) => {
                let in_exists =
                    exists_subqueries.contains(&(select as *const protobuf::SelectStmt));
                check_select(select, in_exists, options, schema, &mut out);
            }
            NodeRef::UpdateStmt(update) => {
                if update.where_clause.is_none() && update.from_clause.is_empty() {
                    let table = update
                        .relation
                        .as_ref()
                        .map_or("the table", |r| r.relname.as_str());
                    out.found.push(AntiPattern {
                        rule: Rule::UnboundedDeleteOrUpdate,
                        location: update.relation.as_ref().map_or(0, |r| offset(r.location)),
                        message: format!("UPDATE of `{table}` without WHERE rewrites every row"),
                        help: "Add the WHERE condition that selects the rows to change; for a deliberate full-table change, update in batches by key range.".into(),
                    });
                }
                let scope = scope_of(
                    update.relation.as_ref(),
                    &update.from_clause,
                    schema,
                    &mut out,
                );
                if let Some(condition) = &update.where_clause {
                    check_condition(condition, &scope, &mut out);
                }
            }
            NodeRef::DeleteStmt(delete) => {
                if delete.where_clause.is_none() {
                    let table = delete
                        .relation
                        .as_ref()
                        .map_or("the table", |r| r.relname.as_str());
                    out.found.push(AntiPattern {
                        rule: Rule::UnboundedDeleteOrUpdate,
                        location: delete.relation.as_ref().map_or(0, |r| offset(r.location)),
                        message: format!("DELETE from `{table}` without WHERE removes every row"),
                        help: format!(
                            "Add the WHERE condition that selects the rows to remove; to empty the table use `TRUNCATE {table}`, or delete in batches by key range."
                        ),
                    });
                }
                let scope = scope_of(
                    delete.relation.as_ref(),
                    &delete.using_clause,
                    schema,
                    &mut out,
                );
                if let Some(condition) = &delete.where_clause {
                    check_condition(condition, &scope, &mut out);
                }
            }
            _ => {}
        }
    }
    out.found.sort_by_key(|a| (a.location, a.rule));
    out.found.dedup_by_key(|a| (a.location, a.rule));
    out
}

fn check_select(
    select: &protobuf::SelectStmt,
    in_exists: bool,
    options: &Options,
    schema: Option<&dyn Schema>,
    out: &mut Checked,
) {
    let scope = scope_of(None, &select.from_clause, schema, out);
    for target in select.target_list.iter().filter(|_| !in_exists) {
        let Some(NodeEnum::ResTarget(target)) = &target.node else {
            continue;
        };
        let Some(NodeEnum::ColumnRef(column)) = target.val.as_deref().and_then(|v| v.node.as_ref())
        else {
            continue;
        };
        if column
            .fields
            .iter()
            .any(|f| matches!(f.node, Some(NodeEnum::AStar(_))))
        {
            out.found.push(AntiPattern {
                rule: Rule::SelectStar,
                location: offset(column.location),
                message: "`SELECT *` returns every column".into(),
                help: "List the columns the caller uses; an index that covers them then allows an index-only scan.".into(),
            });
        }
    }
    if let Some(value) = select.limit_offset.as_deref().and_then(integer_constant)
        && value.0 > options.offset_threshold
    {
        out.found.push(AntiPattern {
            rule: Rule::OffsetPagination,
            location: value.1,
            message: format!("OFFSET {} makes PostgreSQL read and discard {} rows", value.0, value.0),
            help: "Use keyset pagination: remember the sort key of the last row shown and ask for `WHERE (sort_key, id) > ($last_key, $last_id) ORDER BY sort_key, id LIMIT n`, backed by an index on (sort_key, id).".into(),
        });
    }
    for sort in &select.sort_clause {
        let Some(NodeEnum::SortBy(sort)) = &sort.node else {
            continue;
        };
        let Some(NodeEnum::FuncCall(call)) = sort.node.as_deref().and_then(|n| n.node.as_ref())
        else {
            continue;
        };
        if matches!(function_name(call).as_str(), "random" | "pg_catalog.random") {
            out.found.push(AntiPattern {
                rule: Rule::OrderByRandom,
                location: offset(call.location),
                message: "`ORDER BY random()` sorts the whole input to pick rows".into(),
                help: "Sample instead: `TABLESAMPLE SYSTEM (p)` or `BERNOULLI (p)` for a fraction, or pick random keys in the application and fetch them with `WHERE id = ANY($1)`.".into(),
            });
        }
    }
    if let Some(condition) = &select.where_clause {
        check_condition(condition, &scope, out);
    }
    check_cartesian(select, &scope, out);
}

/// The names the FROM items of a statement (and the table it writes) make visible, checking
/// the conditions of its joins on the way: they may name any relation of the statement.
fn scope_of<'a>(
    target: Option<&protobuf::RangeVar>,
    from: &[protobuf::Node],
    schema: Option<&'a dyn Schema>,
    out: &mut Checked,
) -> Scope<'a> {
    fn add<'n>(item: &'n protobuf::Node, scope: &mut Scope, joins: &mut Vec<&'n protobuf::Node>) {
        match item.node.as_ref() {
            Some(NodeEnum::RangeVar(range)) => scope.names.push(Name::relation(range)),
            Some(NodeEnum::JoinExpr(join)) => {
                for side in [&join.larg, &join.rarg].into_iter().flatten() {
                    add(side, scope, joins);
                }
                joins.extend(join.quals.as_deref());
            }
            Some(NodeEnum::RangeSubselect(sub)) => scope.names.push(Name::unknown(
                sub.alias.as_ref().map(|a| a.aliasname.as_str()),
            )),
            Some(NodeEnum::RangeFunction(function)) => scope.names.push(Name::unknown(
                function.alias.as_ref().map(|a| a.aliasname.as_str()),
            )),
            _ => scope.names.push(Name::unknown(None)),
        }
    }
    let mut scope = Scope::new(&[], schema);
    scope.names.extend(target.map(Name::relation));
    let mut joins = Vec::new();
    for item in from {
        add(item, &mut scope, &mut joins);
    }
    for condition in joins {
        check_condition(condition, &scope, out);
    }
    scope
}

/// Conditions that decide which rows are read: WHERE clauses and JOIN ... ON.
fn check_condition(node: &protobuf::Node, scope: &Scope, out: &mut Checked) {
    let Some(inner) = &node.node else { return };
    match inner {
        NodeEnum::BoolExpr(expr) => {
            if expr.boolop == BoolExprType::NotExpr as i32
                && let [only] = expr.args.as_slice()
                && let Some(NodeEnum::SubLink(link)) = &only.node
                && link.sub_link_type == SubLinkType::AnySublink as i32
                && link.oper_name.is_empty()
            {
                out.found.push(AntiPattern {
                    rule: Rule::NotInSubquery,
                    location: offset(link.location),
                    message: "`NOT IN (SELECT ...)` returns no rows at all when the subquery yields a NULL".into(),
                    help: "Use `NOT EXISTS (SELECT 1 FROM ... WHERE inner.col = outer.col)`: it has the expected meaning with NULLs and plans as an anti-join.".into(),
                });
            }
            for arg in &expr.args {
                check_condition(arg, scope, out);
            }
        }
        NodeEnum::AExpr(expr) => check_comparison(expr, scope, out),
        NodeEnum::NullTest(test) => {
            if let Some(arg) = &test.arg {
                check_column_function(arg, scope, out);
            }
        }
        _ => {}
    }
}

fn check_comparison(expr: &protobuf::AExpr, scope: &Scope, out: &mut Checked) {
    let kind = expr.kind;
    let operator = expr.name.iter().find_map(string_value).unwrap_or_default();
    let is_like = kind == AExprKind::AexprLike as i32
        || kind == AExprKind::AexprIlike as i32
        || (kind == AExprKind::AexprOp as i32 && matches!(operator.as_str(), "~~" | "~~*"));
    if is_like
        && let Some(pattern) = expr.rexpr.as_deref()
        && let Some((text, location)) = leading_pattern(pattern)
        && (text.starts_with('%') || text.starts_with('_'))
        && !operator.starts_with("!~")
    {
        out.found.push(AntiPattern {
            rule: Rule::LeadingWildcardLike,
            location,
            message: format!("the pattern '{text}' starts with a wildcard, so no B-tree index can serve it"),
            help: "Anchor the pattern at the start (`'abc%'`), or create a trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX ... USING gin (col gin_trgm_ops)`), or use full-text search.".into(),
        });
    }
    let compares = matches!(
        operator.as_str(),
        "=" | "<" | ">" | "<=" | ">=" | "<>" | "!="
    ) || is_like
        || kind == AExprKind::AexprIn as i32
        || kind == AExprKind::AexprOpAny as i32
        || kind == AExprKind::AexprBetween as i32;
    if compares && let Some(left) = &expr.lexpr {
        check_column_function(left, scope, out);
    }
}

/// Report `f(column)` on the searched side of a comparison, unless an index on that very
/// expression exists.
fn check_column_function(node: &protobuf::Node, scope: &Scope, out: &mut Checked) {
    let Some(NodeEnum::FuncCall(call)) = &node.node else {
        return;
    };
    let Some((qualifier, column)) = call.args.iter().find_map(column_ref) else {
        return;
    };
    let function = function_name(call);
    let table = scope.resolve(qualifier.as_deref(), &column);
    if scope
        .schema
        .is_some_and(|schema| schema.has_expression_index(table, &function, &column))
    {
        return;
    }
    out.schema_may_change |= scope.schema.is_none();
    let table = table.map_or_else(|| "<table>".to_owned(), ToString::to_string);
    out.found.push(AntiPattern {
        rule: Rule::FunctionOnColumnInWhere,
        location: offset(call.location),
        message: format!("`{function}({column})` in the condition hides `{column}` from its indexes"),
        help: format!(
            "Compare the bare column (for example a range `{column} >= $1 AND {column} < $2` instead of a function of it), or create an expression index: `CREATE INDEX ON {table} ({function}({column}))`."
        ),
    });
}

/// Comma-separated FROM items with no condition in WHERE that links them.
fn check_cartesian(select: &protobuf::SelectStmt, scope: &Scope, out: &mut Checked) {
    let relations: Vec<(Vec<String>, usize)> = select
        .from_clause
        .iter()
        .filter_map(from_item_names)
        .collect();
    if relations.len() < 2 || relations.len() != select.from_clause.len() {
        return;
    }
    let mut group: Vec<usize> = (0..relations.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    let mut conjuncts = Vec::new();
    if let Some(condition) = &select.where_clause {
        and_terms(condition, &mut conjuncts);
    }
    for term in conjuncts {
        let mut columns = Vec::new();
        if !column_refs(term, &mut columns) {
            // A subquery may link any relation: stay quiet.
            return;
        }
        let mut members: Vec<usize> = Vec::new();
        for (qualifier, name) in &columns {
            match qualifier {
                Some(q) => members.extend(
                    relations
                        .iter()
                        .position(|(names, _)| names.iter().any(|n| n == q)),
                ),
                None => {
                    // One item of the scope stands for each relation, in order.
                    let owner = scope.resolve(None, name).and_then(|table| {
                        scope
                            .names
                            .iter()
                            .position(|n| n.table.as_ref() == Some(table))
                    });
                    match owner {
                        Some(at) => members.push(at),
                        // An unqualified column the schema cannot place may link any relation.
                        None => {
                            out.schema_may_change |= scope.schema.is_none();
                            return;
                        }
                    }
                }
            }
        }
        for pair in members.windows(2) {
            let (a, b) = (root(&mut group, pair[0]), root(&mut group, pair[1]));
            group[a] = b;
        }
    }
    let first = root(&mut group, 0);
    if let Some(lonely) = (1..relations.len()).find(|&i| root(&mut group, i) != first) {
        let name = relations[lonely].0.last().cloned().unwrap_or_default();
        out.found.push(AntiPattern {
            rule: Rule::CartesianJoin,
            location: relations[lonely].1,
            message: format!("`{name}` is joined to the other relations in FROM without any condition"),
            help: format!(
                "Write the join explicitly, `JOIN {name} ON <condition>`; if every combination is really wanted, say so with `CROSS JOIN {name}`."
            ),
        });
    }
}

/// The names a FROM item can be referred to by (alias, table name) and its location; `None` for
/// items that are not plain relations or subqueries (functions, joins, VALUES, LATERAL).
fn from_item_names(item: &protobuf::Node) -> Option<(Vec<String>, usize)> {
    match item.node.as_ref()? {
        NodeEnum::RangeVar(range) => {
            let mut names = vec![range.relname.clone()];
            if let Some(alias) = &range.alias {
                names.insert(0, alias.aliasname.clone());
            }
            Some((names, offset(range.location)))
        }
        NodeEnum::RangeSubselect(sub) if !sub.lateral => {
            let alias = sub.alias.as_ref()?;
            Some((vec![alias.aliasname.clone()], 0))
        }
        _ => None,
    }
}

fn and_terms<'a>(node: &'a protobuf::Node, out: &mut Vec<&'a protobuf::Node>) {
    match &node.node {
        Some(NodeEnum::BoolExpr(expr)) if expr.boolop == BoolExprType::AndExpr as i32 => {
            for arg in &expr.args {
                and_terms(arg, out);
            }
        }
        _ => out.push(node),
    }
}

/// Collect the columns an expression uses, each with its qualifier. Returns false when the
/// expression holds a subquery or a node it does not know, whose links cannot be known.
fn column_refs(node: &protobuf::Node, out: &mut Vec<(Option<String>, String)>) -> bool {
    let Some(inner) = &node.node else { return true };
    match inner {
        NodeEnum::ColumnRef(_) => match column_ref(node) {
            Some(column) => {
                out.push(column);
                true
            }
            None => false,
        },
        NodeEnum::SubLink(_) => false,
        NodeEnum::AExpr(expr) => {
            expr.lexpr.as_deref().is_none_or(|n| column_refs(n, out))
                && expr.rexpr.as_deref().is_none_or(|n| column_refs(n, out))
        }
        NodeEnum::BoolExpr(expr) => expr.args.iter().all(|a| column_refs(a, out)),
        NodeEnum::FuncCall(call) => call.args.iter().all(|a| column_refs(a, out)),
        NodeEnum::TypeCast(cast) => cast.arg.as_deref().is_none_or(|n| column_refs(n, out)),
        NodeEnum::NullTest(test) => test.arg.as_deref().is_none_or(|n| column_refs(n, out)),
        NodeEnum::List(list) => list.items.iter().all(|a| column_refs(a, out)),
        NodeEnum::AConst(_) | NodeEnum::ParamRef(_) => true,
        _ => false,
    }
}

/// The constant a LIKE pattern starts with: a string literal, or the left end of a `||` chain.
fn leading_pattern(node: &protobuf::Node) -> Option<(String, usize)> {
    match node.node.as_ref()? {
        NodeEnum::AConst(constant) => match &constant.val {
            Some(a_const::Val::Sval(s)) => Some((s.sval.clone(), offset(constant.location))),
            _ => None,
        },
        NodeEnum::TypeCast(cast) => leading_pattern(cast.arg.as_deref()?),
        NodeEnum::AExpr(expr)
            if expr.name.iter().find_map(string_value).as_deref() == Some("||") =>
        {
            leading_pattern(expr.lexpr.as_deref()?)
        }
        _ => None,
    }
}

fn integer_constant(node: &protobuf::Node) -> Option<(i64, usize)> {
    match node.node.as_ref()? {
        NodeEnum::AConst(constant) => match &constant.val {
            Some(a_const::Val::Ival(i)) => Some((i64::from(i.ival), offset(constant.location))),
            Some(a_const::Val::Fval(f)) => {
                f.fval.parse().ok().map(|v| (v, offset(constant.location)))
            }
            _ => None,
        },
        NodeEnum::TypeCast(cast) => integer_constant(cast.arg.as_deref()?),
        _ => None,
    }
}

/// A column reference (casts looked through): its qualifier, when written, and its name.
fn column_ref(node: &protobuf::Node) -> Option<(Option<String>, String)> {
    match node.node.as_ref()? {
        NodeEnum::ColumnRef(column) => {
            let mut names: Vec<String> = column
                .fields
                .iter()
                .map(string_value)
                .collect::<Option<_>>()?;
            let name = names.pop()?;
            Some((names.pop(), name))
        }
        NodeEnum::TypeCast(cast) => column_ref(cast.arg.as_deref()?),
        _ => None,
    }
}

fn function_name(call: &protobuf::FuncCall) -> String {
    let parts: Vec<String> = call.funcname.iter().filter_map(string_value).collect();
    parts.join(".")
}

fn string_value(node: &protobuf::Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.clone()),
        _ => None,
    }
}

fn offset(location: i32) -> usize {
    usize::try_from(location).unwrap_or(0)
}
