use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "not-in-subquery",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "`NOT IN (SELECT ...)`, which returns nothing when the subquery yields a NULL",
        doc: "## What it finds
`x NOT IN (SELECT ...)`.

## Why it matters
If the subquery returns a single NULL, `NOT IN` is never true and the query silently returns no
rows. It also keeps the planner from using an anti-join.

## Example
```sql
SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);
```

## Use instead
```sql
SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::NotInSubquery);
}
