use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;

use super::common::{blocked, existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "set-not-null-scans-table",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "SET NOT NULL on an existing table scans it under ACCESS EXCLUSIVE",
        doc: "## What it finds
`ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a table that existed before this migration,
unless a validated `CHECK (column IS NOT NULL)` already exists and the server is PostgreSQL 12
or newer. Tables created in the same migration are not reported.

## Why it matters
`SET NOT NULL` takes ACCESS EXCLUSIVE and reads every row to prove there is no NULL: reads and
writes of the table wait for the whole scan.

## Example
```sql
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
```

## Use instead
```sql
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null
    CHECK (customer_id IS NOT NULL) NOT VALID;
-- next migration:
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
-- next migration: uses the valid CHECK, no scan
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;
```

## PostgreSQL versions
From PostgreSQL 12, `SET NOT NULL` skips the scan when a valid CHECK constraint proves the
column has no NULL. On 11 the scan cannot be avoided.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::SetNotNull { .. })) {
        let Some(effect) = op.effect.as_ref().filter(|e| e.scans) else {
            continue;
        };
        // Another sub-command of the statement rewrites the table: the check rides on that
        // rewrite, whose own finding says what it costs.
        if ctx.operations.iter().any(|other| {
            other.target == op.target && other.effect.as_ref().is_some_and(|e| e.rewrites)
        }) {
            continue;
        }
        let t = op.target.to_string();
        report_op(
            ctx,
            report,
            op,
            format!(
                "SET NOT NULL on existing table {t}{} reads every row while holding {}",
                ctx.size_note(&op.target),
                locks(effect, &t, None)
            ),
            format!(
                "PostgreSQL scans {t} to prove the column has no NULL, and {} wait for the whole scan.",
                blocked(effect)
            ),
            "On PostgreSQL 11 the scan cannot be avoided: run it when the table is quiet, with a lock_timeout.".into(),
        );
    }
}
