use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{column_type, judged_tables, own_columns};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "money-type",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a column of PostgreSQL's `money` type",
        doc: "## What it finds
Columns whose type, after the whole replay, is `money` (also through a domain, and arrays of
it). Columns of external tables and of types the catalog does not know are not judged.

## Why it matters
`money` stores a fixed number of fractional digits chosen by the server's `lc_monetary`
setting, not by the column: a dump restored on a server with another locale reads different
amounts, and the output format (`$1,234.50`) depends on the locale too. It stores no currency,
cannot hold fractions of a cent for rates or taxes, and casts to `numeric` only through text
on older versions. The PostgreSQL wiki lists it under \"Don't do this\".

## Example
```sql
CREATE TABLE payments (id bigint PRIMARY KEY, amount money NOT NULL);
```

## Use instead
```sql
CREATE TABLE payments (
    id bigint PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    currency char(3) NOT NULL
);
```
or an integer count of the smallest unit (`amount_cents bigint`).
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
            if resolved.name != "money" {
                continue;
            }
            let col = quote_ident(&column.name);
            let array = if resolved.array { "[]" } else { "" };
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("column {}.{col} uses the `money` type", table.name),
                )
                .why(
                    "money keeps as many fractional digits as the server's lc_monetary locale says, so the same dump means \
                     different amounts on servers with other locales; it carries no currency and formats output by locale.",
                )
                .help(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} TYPE numeric(12,2){array} USING {col}::numeric{array}; and keep the currency \
                     in its own column if amounts can be in more than one.",
                    table.name
                ));
            report.push(finding);
        }
    }
}
