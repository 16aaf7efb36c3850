//! The query anti-patterns of `dbwise_query`, run on the DML statements of linted files.
//! The checks that need no catalog run once per statement, ahead of the replay when the unit
//! was prepared (see [`crate::prepare`]) or on first use by a query rule; the catalog is only
//! consulted afterwards, for the rare function-on-column finding an expression index may
//! silence.

use std::borrow::Cow;
use std::cell::OnceCell;

use dbwise_catalog::Catalog;
use dbwise_diagnostics::SourceFile;
use dbwise_query::antipatterns::{self, AntiPattern, ExpressionIndex, Rule as Pattern};
use dbwise_syntax::Statement;
use dbwise_syntax::ast::Stmt;

/// The anti-patterns of one statement, with the catalog consulted on first use.
pub struct QueryChecks<'a> {
    /// What [`catalog_free`] found, when it ran ahead.
    prepared: Option<&'a [AntiPattern]>,
    found: OnceCell<Cow<'a, [AntiPattern]>>,
}

impl<'a> QueryChecks<'a> {
    pub(crate) fn new(prepared: Option<&'a [AntiPattern]>) -> Self {
        QueryChecks {
            prepared,
            found: OnceCell::new(),
        }
    }

    pub(crate) fn get(
        &self,
        file: &SourceFile,
        statement: &Statement,
        catalog: &Catalog,
        offset_threshold: i64,
    ) -> &[AntiPattern] {
        self.found.get_or_init(|| {
            let found = match self.prepared {
                Some(found) => Cow::Borrowed(found),
                None => Cow::Owned(catalog_free(file, statement, offset_threshold)),
            };
            if !found
                .iter()
                .any(|f| f.rule == Pattern::FunctionOnColumnInWhere)
            {
                return found;
            }
            // Only then is it worth collecting the expression indexes that may silence it.
            let options = antipatterns::Options {
                offset_threshold,
                expression_indexes: expression_indexes(catalog),
            };
            let text = file.slice(statement.span);
            Cow::Owned(antipatterns::check_sql(text, &options).unwrap_or_default())
        })
    }
}

/// Longer statements get a `query-too-large` note instead of the query checks.
pub(crate) use antipatterns::MAX_CHECKED_QUERY;

/// The statements the query rules are about. INSERTs are left out: none of the patterns is
/// about them, and migrations hold many.
pub(crate) fn checked_by_query_rules(statement: &Statement) -> bool {
    matches!(
        statement.stmt,
        Stmt::Select | Stmt::Update { .. } | Stmt::Delete { .. }
    )
}

/// The statement's anti-patterns as if the catalog had no expression index.
pub(crate) fn catalog_free(
    file: &SourceFile,
    statement: &Statement,
    offset_threshold: i64,
) -> Vec<AntiPattern> {
    if !checked_by_query_rules(statement) || statement.span.len() > MAX_CHECKED_QUERY {
        return Vec::new();
    }
    let options = antipatterns::Options {
        offset_threshold,
        expression_indexes: Vec::new(),
    };
    antipatterns::check_sql(file.slice(statement.span), &options).unwrap_or_default()
}

/// The catalog's indexes on `function(column)`, which make a condition on that expression sargable.
fn expression_indexes(catalog: &Catalog) -> Vec<ExpressionIndex> {
    catalog
        .indexes
        .values()
        .flat_map(|index| {
            index.elems.iter().filter_map(move |elem| {
                let expr = elem.expr.as_ref()?;
                let [function] = expr.functions.as_slice() else {
                    return None;
                };
                let column = expr
                    .text
                    .strip_prefix(function.as_str())?
                    .strip_prefix('(')?
                    .strip_suffix(')')?;
                column
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_')
                    .then(|| ExpressionIndex {
                        table: index.table.name.to_string(),
                        function: function.clone(),
                        column: column.to_owned(),
                    })
            })
        })
        .collect()
}
