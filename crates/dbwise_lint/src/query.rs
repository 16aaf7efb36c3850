//! The query anti-patterns of `dbwise_query`, run on the DML statements of linted files.
//! The checks run once per statement without the catalog, ahead of the replay when the unit
//! was prepared (see [`crate::prepare`]) or on first use by a query rule; they run again with
//! the replayed catalog only when it could change what they found: to place an unqualified
//! column of a join, or to know an expression index that serves a function of a column.

use std::borrow::Cow;
use std::cell::OnceCell;

use dbwise_catalog::Catalog;
use dbwise_diagnostics::SourceFile;
use dbwise_query::antipatterns::{self, AntiPattern, Checked};
use dbwise_syntax::Statement;
use dbwise_syntax::ast::Stmt;

/// The anti-patterns of one statement, with the catalog consulted on first use.
pub struct QueryChecks<'a> {
    /// What [`catalog_free`] found, when it ran ahead.
    prepared: Option<&'a Checked>,
    found: OnceCell<Cow<'a, [AntiPattern]>>,
}

impl<'a> QueryChecks<'a> {
    pub(crate) fn new(prepared: Option<&'a Checked>) -> Self {
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
            let checked = match self.prepared {
                Some(checked) => Cow::Borrowed(checked),
                None => Cow::Owned(catalog_free(file, statement, offset_threshold)),
            };
            if !checked.schema_may_change {
                return match checked {
                    Cow::Borrowed(checked) => Cow::Borrowed(&checked.found[..]),
                    Cow::Owned(checked) => Cow::Owned(checked.found),
                };
            }
            let options = antipatterns::Options { offset_threshold };
            let text = file.slice(statement.span);
            let checked = antipatterns::check_sql(text, &options, Some(catalog));
            Cow::Owned(checked.map(|c| c.found).unwrap_or_default())
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

/// The statement's anti-patterns as far as they can be told without the catalog.
pub(crate) fn catalog_free(
    file: &SourceFile,
    statement: &Statement,
    offset_threshold: i64,
) -> Checked {
    if !checked_by_query_rules(statement) || statement.span.len() > MAX_CHECKED_QUERY {
        return Checked::default();
    }
    let options = antipatterns::Options { offset_threshold };
    antipatterns::check_sql(file.slice(statement.span), &options, None).unwrap_or_default()
}
