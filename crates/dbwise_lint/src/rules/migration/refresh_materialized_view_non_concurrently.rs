use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;

use super::common::{blocked, existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "refresh-materialized-view-non-concurrently",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view",
        doc: "## What it finds
`REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` of a view that existed before this migration.
Views created in the same migration are not reported.

## Why it matters
A plain refresh takes ACCESS EXCLUSIVE on the view for the whole time its query runs: every
`SELECT` of the view waits.

## Example
```sql
REFRESH MATERIALIZED VIEW daily_sales;
```

## Use instead
```sql
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;
```
`CONCURRENTLY` needs a UNIQUE index on plain columns of the view (create it once with
`CREATE UNIQUE INDEX ... ON daily_sales (...)`); it lets reads go on while it runs.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| {
        matches!(
            f,
            DdlForm::RefreshMatView {
                concurrently: false
            }
        )
    }) {
        let Some(effect) = &op.effect else { continue };
        let v = op.target.to_string();
        report_op(
            ctx,
            report,
            op,
            format!(
                "REFRESH MATERIALIZED VIEW {v} takes {} and blocks {} while its query runs",
                locks(effect, &v, None),
                blocked(effect)
            ),
            format!("Every SELECT of {v} waits until the refresh has recomputed the whole view."),
            String::new(),
        );
    }
}
