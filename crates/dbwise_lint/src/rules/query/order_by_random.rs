use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "order-by-random",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "`ORDER BY random()` to pick rows",
        doc: "## What it finds
`ORDER BY random()`.

## Why it matters
The whole input is read and sorted to keep a few rows: the cost grows with the table, not with
the LIMIT.

## Example
```sql
SELECT id FROM products ORDER BY random() LIMIT 5;
```

## Use instead
`TABLESAMPLE SYSTEM (p)` or `BERNOULLI (p)` for a sample, or choose random keys in the
application and fetch them with `WHERE id = ANY($1)`.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::OrderByRandom);
}
