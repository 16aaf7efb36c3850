//! Which relation a column belongs to, with the schema's help when there is one.
//!
//! A query names the owner of a column only when it qualifies it (`o.total`). An unqualified
//! column belongs to the only relation of its block, or, in a block of several, to the one
//! whose table has a column of that name: PostgreSQL rejects a reference two of them could
//! answer, so in a query that runs, one relation that has the column is the owner. When none
//! of the block's relations has it and all of their columns are known, it comes from a block
//! around it (a correlated reference). A [`Schema`] says which tables have which columns: the
//! catalog replayed from migrations or schema files, or a live database's.

use dbwise_catalog::Catalog;
use dbwise_syntax::ast::QualifiedName;
use dbwise_syntax::tree::protobuf::RangeVar;

/// What query analysis asks of a schema.
pub trait Schema {
    /// Whether the relation a query names `relation` has `column`; `None` when the schema does
    /// not know all of its columns (a table it never saw created, a view).
    fn has_column(&self, relation: &QualifiedName, column: &str) -> Option<bool>;

    /// Whether an index on the expression `function(column)` exists: on `relation`, or on any
    /// table when the relation is not known. A schema that does not hold indexes knows none.
    fn has_expression_index(
        &self,
        _relation: Option<&QualifiedName>,
        _function: &str,
        _column: &str,
    ) -> bool {
        false
    }
}

impl Schema for Catalog {
    fn has_column(&self, relation: &QualifiedName, column: &str) -> Option<bool> {
        let table = self.table(relation)?;
        if table.column(column).is_some() {
            Some(true)
        } else {
            table.fully_known().then_some(false)
        }
    }

    fn has_expression_index(
        &self,
        relation: Option<&QualifiedName>,
        function: &str,
        column: &str,
    ) -> bool {
        let table = relation.and_then(|r| self.resolve(&self.tables, r));
        self.indexes
            .values()
            .filter(|index| table.as_ref().is_none_or(|t| &index.table == t))
            .flat_map(|index| index.elems.iter())
            .filter_map(|elem| elem.expr.as_ref())
            .any(|expr| {
                let [called] = expr.functions.as_slice() else {
                    return false;
                };
                let argument = expr
                    .text
                    .strip_prefix(called.as_str())
                    .and_then(|rest| rest.strip_prefix('('))
                    .and_then(|rest| rest.strip_suffix(')'));
                called.eq_ignore_ascii_case(function)
                    && argument.is_some_and(|a| a.eq_ignore_ascii_case(column))
            })
    }
}

/// The name a FROM item answers to in its block and the table it stands for (`None` for a
/// subquery, a function or a CTE, whose columns the schema does not hold), or the name of a
/// CTE the block defines.
#[derive(Clone)]
pub(crate) struct Name {
    pub(crate) name: String,
    pub(crate) table: Option<QualifiedName>,
    pub(crate) cte: bool,
}

impl Name {
    /// A table or view in FROM, or the target of a write: it answers to its alias, or else to
    /// its name.
    pub(crate) fn relation(range: &RangeVar) -> Name {
        Name {
            name: range
                .alias
                .as_ref()
                .map_or_else(|| range.relname.clone(), |a| a.aliasname.clone()),
            table: Some(QualifiedName::new(
                (!range.schemaname.is_empty()).then_some(range.schemaname.as_str()),
                &range.relname,
            )),
            cte: false,
        }
    }

    /// A FROM item whose columns no schema holds (a subquery, a function, a CTE): an
    /// unqualified column may be one of them.
    pub(crate) fn unknown(alias: Option<&str>) -> Name {
        Name {
            name: alias.unwrap_or_default().to_owned(),
            table: None,
            cte: false,
        }
    }
}

/// The names visible in a block: its own FROM items, then those of the blocks around it,
/// nearest first.
pub(crate) struct Scope<'a> {
    pub(crate) names: Vec<Name>,
    pub(crate) outer: &'a [Name],
    pub(crate) schema: Option<&'a dyn Schema>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(outer: &'a [Name], schema: Option<&'a dyn Schema>) -> Self {
        Scope {
            names: Vec::new(),
            outer,
            schema,
        }
    }

    /// The table a column written with `qualifier` (or none) belongs to.
    pub(crate) fn resolve(&self, qualifier: Option<&str>, column: &str) -> Option<&QualifiedName> {
        if let Some(qualifier) = qualifier {
            return self
                .names
                .iter()
                .chain(self.outer)
                .find(|n| !n.cte && n.name == qualifier)
                .and_then(|n| n.table.as_ref());
        }
        let local: Vec<&Name> = self.names.iter().filter(|n| !n.cte).collect();
        let only = || match local.as_slice() {
            [only] => only.table.as_ref(),
            _ => None,
        };
        let Some(schema) = self.schema else {
            return only();
        };
        let has = |name: &Name| {
            name.table
                .as_ref()
                .and_then(|t| schema.has_column(t, column))
        };
        let mut having = local.iter().filter(|n| has(n) == Some(true));
        match (having.next(), having.next()) {
            (Some(owner), None) => return owner.table.as_ref(),
            (Some(_), Some(_)) => return None,
            (None, _) => {}
        }
        if local.iter().any(|n| has(n).is_none()) {
            // The column may be one of the unknown relation's.
            return only();
        }
        // No relation of the block has it: a reference to a block around this one.
        for name in self.outer.iter().filter(|n| !n.cte) {
            match has(name) {
                Some(true) => return name.table.as_ref(),
                Some(false) => {}
                None => return None,
            }
        }
        None
    }
}
