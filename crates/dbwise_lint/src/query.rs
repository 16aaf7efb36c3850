//! The query anti-patterns of `dbwise_workload`, run on the DML statements of linted files.
//! They are computed once per statement, on first use by any query rule.

use std::cell::OnceCell;

use dbwise_catalog::Catalog;
use dbwise_diagnostics::SourceFile;
use dbwise_syntax::Statement;
use dbwise_syntax::ast::Stmt;
use dbwise_workload::antipatterns::{self, AntiPattern, ExpressionIndex, Rule as Pattern};

#[derive(Default)]
pub struct QueryChecks {
    found: OnceCell<Vec<AntiPattern>>,
}

impl QueryChecks {
    pub(crate) fn get(
        &self,
        file: &SourceFile,
        statement: &Statement,
        catalog: &Catalog,
        offset_threshold: i64,
    ) -> &[AntiPattern] {
        self.found.get_or_init(|| {
            // INSERTs are left out: none of the patterns is about them, and migrations hold many.
            if !matches!(
                statement.stmt,
                Stmt::Select | Stmt::Update { .. } | Stmt::Delete { .. }
            ) {
                return Vec::new();
            }
            let text = file.slice(statement.span);
            let mut options = antipatterns::Options {
                offset_threshold,
                expression_indexes: Vec::new(),
            };
            let found = antipatterns::check_sql(text, &options).unwrap_or_default();
            if !found
                .iter()
                .any(|f| f.rule == Pattern::FunctionOnColumnInWhere)
            {
                return found;
            }
            // Only then is it worth collecting the expression indexes that may silence it.
            options.expression_indexes = expression_indexes(catalog);
            antipatterns::check_sql(text, &options).unwrap_or_default()
        })
    }
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
                        table: index.table.name.clone(),
                        function: function.clone(),
                        column: column.to_owned(),
                    })
            })
        })
        .collect()
}
