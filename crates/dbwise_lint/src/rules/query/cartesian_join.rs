use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "cartesian-join",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "relations in FROM with no condition joining them",
        doc: "## What it finds
Two or more relations in a FROM list (or `CROSS JOIN`) with no condition in WHERE that links
them.

## Why it matters
The result has one row per combination of their rows: it grows as the product of the table
sizes, and is rarely what was meant.

## Example
```sql
SELECT o.id, c.email FROM orders o, customers c WHERE o.status = 'new';
```

## Use instead
```sql
SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'new';
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::CartesianJoin);
}
