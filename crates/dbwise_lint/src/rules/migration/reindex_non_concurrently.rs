use dbwise_catalog::ObjectName;
use dbwise_diagnostics::{Category, Severity, SourceFile};
use dbwise_locks::{DdlForm, LockLevel};
use dbwise_syntax::ast::{AlterTableAction, Stmt, quote_ident};

use super::common::{blocked, existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::lockmap;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "reindex-non-concurrently",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "REINDEX without CONCURRENTLY on an existing table",
        doc: "## What it finds
`REINDEX INDEX` or `REINDEX TABLE` without `CONCURRENTLY` on an existing table's index. Not
reported: indexes of tables created or emptied earlier in the same migration, system catalogs,
`REINDEX SCHEMA`, `DATABASE` and `SYSTEM`, and a `REINDEX` of a table that an earlier statement of
the same transaction rewrote (a rewrite builds every index of the table again, and the
transaction already holds its ACCESS EXCLUSIVE lock until commit).

## Why it matters
A plain `REINDEX` blocks writes to the table for the whole rebuild, and queries that would use
the index being rebuilt wait too.

## Example
```sql
REINDEX INDEX orders_created_at_idx;
```

## Use instead
```sql
REINDEX INDEX CONCURRENTLY orders_created_at_idx;  -- outside a transaction
```

## PostgreSQL versions
`REINDEX CONCURRENTLY` exists from PostgreSQL 12. On 11, build a new index with
`CREATE INDEX CONCURRENTLY`, then drop the old one with `DROP INDEX CONCURRENTLY`.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| {
        matches!(
            f,
            DdlForm::Reindex {
                concurrently: false
            }
        )
    }) {
        let (Some(effect), Some(table)) = (&op.effect, op.locked_table(ctx.catalog)) else {
            continue;
        };
        if rewritten_earlier(ctx, &table) {
            continue;
        }
        let table = table.to_string();
        let index = op.target.to_string();
        report_op(
            ctx,
            report,
            op,
            format!(
                "REINDEX {} takes {} and blocks {} during the rebuild",
                op.target,
                locks(effect, &table, Some(&index)),
                blocked(effect)
            ),
            format!(
                "The rebuild reads all of {table} and holds its lock until the new index is written."
            ),
            format!(
                "On PostgreSQL 11: CREATE INDEX CONCURRENTLY a copy of the index on {table}, then DROP INDEX CONCURRENTLY the old one."
            ),
        );
    }
}

/// An earlier statement of this transaction rewrote `table`. A rewrite builds every index of the
/// table again and marks it ready (also one a migration switched off through
/// `pg_index.indisready`), so a REINDEX after it rebuilds them a second time under the ACCESS
/// EXCLUSIVE lock the rewrite holds until commit: there is nothing left to do concurrently.
///
/// The transaction state keeps the statements that locked the table, not what they did, so each
/// is read again. A type change is judged by its `USING`: the catalog already holds the new type,
/// and PostgreSQL rewrites whenever `USING` is more than the column itself.
fn rewritten_earlier(ctx: &StatementContext, table: &ObjectName) -> bool {
    ctx.transaction
        .held
        .iter()
        .filter(|held| held.table == *table && held.level == LockLevel::AccessExclusive)
        .any(|held| {
            let earlier =
                dbwise_syntax::parse(&SourceFile::new(ctx.file.path(), ctx.file.slice(held.span)));
            earlier.statements.iter().any(|statement| {
                let converts = match &statement.stmt {
                    Stmt::AlterTable(alter) => alter.cmds.iter().any(|cmd| {
                        matches!(&cmd.action, AlterTableAction::AlterColumnType { column, using: Some(using), .. }
                            if using.text.trim() != column && using.text.trim() != quote_ident(column))
                    }),
                    _ => false,
                };
                converts
                    || lockmap::operations(statement, ctx.catalog, ctx.settings.pg_version)
                        .iter()
                        .any(|op| {
                            op.effect.as_ref().is_some_and(|e| e.rewrites)
                                && op.locked_table(ctx.catalog).as_ref() == Some(table)
                        })
            })
        })
}
