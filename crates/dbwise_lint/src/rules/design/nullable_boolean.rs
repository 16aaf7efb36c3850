use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{column_type, judged_tables, mirrored_column, own_columns};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "nullable-boolean",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a `boolean` column with a default but no NOT NULL",
        doc: "## What it finds
`boolean` columns that have a constant `true` / `false` default but are not NOT NULL after the
whole replay: the default shows that the author thought of the column as two-valued, yet
NULL is still accepted. Nullable booleans without a default are left alone, since a third
state (\"not answered yet\") may be intended there. Generated columns and columns of tables
the replay did not create are not judged, nor the copy of a column in an audit mirror
(`orders_history.paid` beside `orders.paid`), which is fixed with its source.

## Why it matters
A default only applies when the column is left out of the INSERT; an explicit NULL (from an
ORM that sends every field, or an UPDATE) is stored as is. Then `WHERE NOT archived` skips
the row, because `NOT NULL` is NULL, and counts of true and false no longer add up to the
table. Every query has to remember `IS NOT TRUE` or `coalesce`.

## Example
```sql
CREATE TABLE posts (id bigint PRIMARY KEY, archived boolean DEFAULT false);
```

## Use instead
```sql
CREATE TABLE posts (id bigint PRIMARY KEY, archived boolean NOT NULL DEFAULT false);
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
            let Some(default) = &column.default else {
                continue;
            };
            let value = default.text.trim().to_ascii_lowercase();
            let truth = ["true", "'t'", "'true'"]
                .iter()
                .any(|c| value.starts_with(c));
            let falsity = ["false", "'f'", "'false'"]
                .iter()
                .any(|c| value.starts_with(c));
            if !default.is_constant || !(truth || falsity) {
                continue;
            }
            if resolved.name != "bool"
                || resolved.array
                || column.not_null
                || column.generated
                || mirrored_column(ctx.catalog, table, &column.name)
            {
                continue;
            }
            let col = quote_ident(&column.name);
            let t = &table.name;
            let fill = if truth { "true" } else { "false" };
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("boolean {t}.{col} has a default but accepts NULL"),
                )
                .why(format!(
                    "The default only fills {col} when an INSERT leaves it out; an explicit NULL is stored, and then \
                     `WHERE NOT {col}` skips the row and true and false counts no longer add up."
                ))
                .help(format!(
                    "UPDATE {t} SET {col} = {fill} WHERE {col} IS NULL; then ALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL; \
                     (on a large table add CHECK ({col} IS NOT NULL) NOT VALID and validate it first, so SET NOT NULL skips the scan)"
                ))
                .suggest(
                    vec![
                        format!("UPDATE {t} SET {col} = {fill} WHERE {col} IS NULL;"),
                        format!("ALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL;"),
                    ],
                    true,
                );
            report.push(finding);
        }
    }
}
