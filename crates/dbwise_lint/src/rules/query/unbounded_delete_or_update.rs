use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unbounded-delete-or-update",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "UPDATE or DELETE with no WHERE",
        doc: "## What it finds
`UPDATE` and `DELETE` statements without a WHERE clause.

## Why it matters
They touch every row: each one is locked and gets a new version, the table and its indexes
bloat, and in a migration the whole change runs under one transaction.

## Example
```sql
UPDATE orders SET archived = false;
```

## Use instead
Add the condition that selects the rows meant; for a deliberate full-table change, update in
batches by key range (`WHERE id BETWEEN $1 AND $2`), each in its own transaction. To empty a
table, `TRUNCATE` is cheaper than `DELETE`.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::UnboundedDeleteOrUpdate);
}
