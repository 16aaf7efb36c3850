use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "leading-wildcard-like",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "a LIKE / ILIKE pattern that starts with a wildcard",
        doc: "## What it finds
`LIKE`, `ILIKE` and `SIMILAR TO` with a constant pattern that starts with `%` or `_`.

## Why it matters
A B-tree index can only serve a pattern anchored at the start, so the whole table is read and
every value compared.

## Example
```sql
SELECT id FROM customers WHERE email LIKE '%@example.com';
```

## Use instead
A trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX CONCURRENTLY ... USING gin (email gin_trgm_ops)`),
full-text search, or an extra column that stores what you search by (here the domain).
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::LeadingWildcardLike);
}
