use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;

use super::common::{blocked, existing_ops, locks, report_op};
use crate::context::StatementContext;
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
        // A rewrite earlier in this transaction built every index of the table again and marked
        // it ready (also one a migration switched off through `pg_index.indisready`); a REINDEX
        // after it rebuilds them a second time under the ACCESS EXCLUSIVE lock the rewrite holds
        // until commit, so there is nothing left to do concurrently.
        if ctx.transaction.rewritten.contains(&table) {
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
