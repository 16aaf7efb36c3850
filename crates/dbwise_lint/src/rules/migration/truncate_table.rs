use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;

use super::common::{blocked, existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "truncate-table",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "TRUNCATE of an existing table deletes its data under ACCESS EXCLUSIVE",
        doc: "## What it finds
`TRUNCATE` of a table that existed before this migration. Tables created in the same migration
are not reported.

## Why it matters
`TRUNCATE` deletes every row at once (it cannot be undone after commit) and takes ACCESS
EXCLUSIVE on the table, and with `CASCADE` on every table that references it, so it queues
behind running queries and blocks every read and write meanwhile.

## Example
```sql
TRUNCATE sessions;
```

## Use instead
If the data must go, make sure the application no longer depends on it and run the statement
with a `lock_timeout`; to empty a busy table gradually, `DELETE` in batches.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::Truncate)) {
        let Some(effect) = &op.effect else { continue };
        let t = op.target.to_string();
        report_op(
            ctx,
            report,
            op,
            format!(
                "TRUNCATE deletes every row of existing table {t}{} under {}",
                ctx.size_note(&op.target),
                locks(effect, &t, None)
            ),
            format!(
                "The rows cannot be recovered after commit, and {} of {t} wait while the lock is queued and held.",
                blocked(effect)
            ),
            format!(
                "If the data must go: SET lock_timeout = '5s'; TRUNCATE {t}; or, for a busy table, DELETE FROM {t} in batches (WHERE ctid IN (SELECT ctid FROM {t} LIMIT 10000)) until it deletes 0 rows."
            ),
        );
    }
}
