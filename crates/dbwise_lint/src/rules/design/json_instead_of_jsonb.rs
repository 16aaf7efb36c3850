use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{column_type, judged_tables, own_columns};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};
use crate::size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "json-instead-of-jsonb",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a `json` column where `jsonb` is the usual choice",
        doc: "## What it finds
Columns whose type, after the whole replay, is `json` (also through a domain, and arrays of
it). A column later changed to `jsonb` is not reported. Columns of external tables are not
judged. A column of a table whose size nothing shows (no `[tables] sizes` entry or
`--database-url`, not partitioned, not named for records that grow with use) is counted in the
summary rather than listed: most such columns hold small documents read back whole, where the
parse costs nothing that matters. `--unknown-sizes list` lists them.

## Why it matters
`json` stores the text as written and re-parses it on every access. It has no equality
operator, so it cannot be used in `DISTINCT`, `GROUP BY`, `UNION` or a unique index, and it
cannot be indexed with GIN for containment (`@>`) or key-existence queries. `jsonb` stores a
parsed binary form: reads are faster, and it supports all of those.

`json` is the right choice only when the exact text matters: key order, duplicate keys or
white space must come back as written (an audit copy of a request body, for instance). Then
keep it and suppress the finding with a reason.

## Example
```sql
CREATE TABLE events (id bigint PRIMARY KEY, payload json NOT NULL);
```

## Use instead
```sql
CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb NOT NULL);
```
",
        options: &[],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    for table in judged_tables(ctx.catalog) {
        for column in own_columns(ctx.catalog, table) {
            let Some(resolved) = column_type(ctx.catalog, column) else {
                continue;
            };
            if resolved.name != "json" || resolved.domain {
                continue;
            }
            let col = quote_ident(&column.name);
            let array = if resolved.array { "[]" } else { "" };
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("column {}.{col} is `json{array}`", table.name),
                )
                .why(format!(
                    "json keeps the raw text and re-parses it on every read; {col} cannot be compared for equality, \
                     grouped, or indexed with GIN for containment and key lookups."
                ))
                .help(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} TYPE jsonb{array} USING {col}::jsonb{array}; (rewrites the table), \
                     unless the exact text, key order or duplicate keys must be kept.",
                    table.name
                ))
                // Parsing the text on every read weighs only where many rows are read.
                .unknown_size(size::unknown(ctx.settings, table));
            report.push(finding);
        }
    }
}
