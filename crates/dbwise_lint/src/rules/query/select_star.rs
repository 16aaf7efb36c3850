use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "select-star",
        category: Category::Query,
        severity: Severity::Info,
        summary: "`SELECT *` in a query",
        doc: "## What it finds
`SELECT *` (and `t.*`) in the select list of SELECT statements, except inside `EXISTS (...)`,
where no column is read.

## Why it matters
It reads and ships every column, rules out index-only scans, and changes the result when a
column is added, dropped or reordered, which breaks callers that read by position.

## Example
```sql
SELECT * FROM orders WHERE customer_id = $1;
```

## Use instead
```sql
SELECT id, status, placed_at FROM orders WHERE customer_id = $1;
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::SelectStar);
}
