use dbwise_diagnostics::{Category, Severity};
use dbwise_query::antipatterns::Rule as Pattern;

use crate::context::StatementContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "offset-pagination",
        category: Category::Query,
        severity: Severity::Warning,
        summary: "a constant OFFSET above the threshold (page through with a key instead)",
        doc: "## What it finds
A constant `OFFSET` larger than `[lint.offset-pagination] threshold` (1000 rows by default).
A parameter (`OFFSET $1`) is not reported in a SQL file, since its value is unknown.

## Why it matters
PostgreSQL produces and discards every skipped row, so each page costs more than the one
before, and rows inserted between requests shift the pages (duplicates and gaps).

## Example
```sql
SELECT id, title FROM posts ORDER BY published_at DESC LIMIT 20 OFFSET 40000;
```

## Use instead
```sql
SELECT id, title FROM posts
WHERE (published_at, id) < ($1, $2)
ORDER BY published_at DESC, id DESC LIMIT 20;
```
with an index on `(published_at, id)`.
",
        options: &[RuleOption {
            name: "threshold",
            kind: OptionKind::Integer,
            default: "1000",
            doc: "a constant OFFSET above this many rows is reported",
        }],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    super::report(ctx, report, Pattern::OffsetPagination);
}
