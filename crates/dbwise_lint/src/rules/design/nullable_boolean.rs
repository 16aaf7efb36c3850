use std::collections::HashMap;

use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use dbwise_catalog::{Column, ObjectName, Table};

use super::common::{candidates, column_type, mirrored_column, report_convention};
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
(`orders_history.paid` beside `orders.paid`), which is fixed with its source. When four or
more flags are written this way and hardly any boolean with a default is NOT NULL, that is the
schema's convention: one note says so, and only flags written after the schema first made one
NOT NULL are reported, one finding per table naming its flags (they are fixed in one
migration).

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

/// For a boolean column with a constant `true` or `false` default: whether the default is true.
/// None for any other column, and for generated and mirrored ones.
fn boolean_default(ctx: &CatalogContext, table: &Table, column: &Column) -> Option<bool> {
    let resolved = column_type(ctx.catalog, column)?;
    let default = column.default.as_ref()?;
    let value = default.text.trim().to_ascii_lowercase();
    let truth = ["true", "'t'", "'true'"]
        .iter()
        .any(|c| value.starts_with(c));
    let falsity = ["false", "'f'", "'false'"]
        .iter()
        .any(|c| value.starts_with(c));
    let judged = default.is_constant
        && (truth || falsity)
        && resolved.name == "bool"
        && !resolved.array
        && !column.generated
        && !mirrored_column(ctx.catalog, table, &column.name);
    judged.then_some(truth)
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let found = candidates(
        ctx.catalog,
        |table, column| !column.not_null && boolean_default(ctx, table, column).is_some(),
        |table, column| column.not_null && boolean_default(ctx, table, column).is_some(),
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "booleans with a default that accept NULL",
            Some(("NOT NULL", found.alternatives)),
            "A schema that writes every flag as `boolean DEFAULT false` without NOT NULL works while every writer leaves the \
             flag out or sets it; one explicit NULL makes `WHERE NOT flag` skip the row.",
            "Add NOT NULL to new flags, and to old ones when a migration touches them anyway: UPDATE <table> SET <flag> = false \
             WHERE <flag> IS NULL; then ALTER TABLE <table> ALTER COLUMN <flag> SET NOT NULL;",
        );
        return;
    }
    // A table's flags are fixed in one migration: one finding per table, at its first flag.
    // Tables in the order of their first flag; the map finds a table's place without a scan.
    let mut by_table: Vec<(&Table, Vec<(&Column, bool)>)> = Vec::new();
    let mut place: HashMap<&ObjectName, usize> = HashMap::new();
    for (table, column) in found.after_adoption() {
        let Some(truth) = boolean_default(ctx, table, column) else {
            continue;
        };
        let at = *place.entry(&table.name).or_insert_with(|| {
            by_table.push((table, Vec::new()));
            by_table.len() - 1
        });
        by_table[at].1.push((column, truth));
    }
    for (table, flags) in by_table {
        let t = &table.name;
        let names: Vec<String> = flags.iter().map(|(c, _)| quote_ident(&c.name)).collect();
        let first = flags[0].0;
        let (message, col) = match names.as_slice() {
            [one] => (
                format!("boolean {t}.{one} has a default but accepts NULL"),
                one.clone(),
            ),
            [first_name, ..] => (
                format!(
                    "{} booleans of {t} have a default but accept NULL: {}",
                    names.len(),
                    names.join(", ")
                ),
                first_name.clone(),
            ),
            [] => continue,
        };
        let mut sql: Vec<String> = flags
            .iter()
            .map(|(c, truth)| {
                let c = quote_ident(&c.name);
                format!("UPDATE {t} SET {c} = {truth} WHERE {c} IS NULL;")
            })
            .collect();
        let set_not_null: Vec<String> = names
            .iter()
            .map(|c| format!("ALTER COLUMN {c} SET NOT NULL"))
            .collect();
        sql.push(format!("ALTER TABLE {t} {};", set_not_null.join(", ")));
        let finding = report
            .finding(&first.origin.file, first.name_span, message)
            .why(format!(
                "The default only fills {col} when an INSERT leaves it out; an explicit NULL is stored, and then \
                 `WHERE NOT {col}` skips the row and true and false counts no longer add up."
            ))
            .help(format!(
                "{} (on a large table add CHECK ({col} IS NOT NULL) NOT VALID and validate it first, so SET NOT NULL \
                 skips the scan)",
                sql.join(" ")
            ))
            .suggest(sql, true);
        report.push(finding);
    }
}
