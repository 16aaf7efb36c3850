use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "function-on-column-in-where",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "a function applied to a column in WHERE, with no index on that expression",
        doc: "## What it finds
A condition in WHERE that applies a function to a column (`lower(email) = $1`,
`date(created_at) = $1`), unless the schema replayed from the same files has an index on that
same expression.

## Why it matters
An index on the column cannot serve a condition on an expression of it, so PostgreSQL scans the
table.

## Example
```sql
SELECT id FROM customers WHERE lower(email) = lower($1);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY customers_lower_email_idx ON customers (lower(email));
```
or rewrite the condition as a range on the bare column (`created_at >= $1 AND created_at < $1 + 1`).
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::FunctionOnColumnInWhere);
}
