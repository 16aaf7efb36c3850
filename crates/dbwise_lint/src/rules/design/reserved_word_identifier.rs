use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;
use dbwise_syntax::keywords::is_reserved;

use dbwise_catalog::{Column, Table};

use super::common::{column_type, in_foreign_key, is_text_like, judged_tables, own_columns};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "reserved-word-identifier",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a table or column named with a PostgreSQL reserved word that must always be quoted",
        doc: "## What it finds
Tables and columns whose name, after the whole replay, is one of PostgreSQL's reserved key
words or type/function-name key words (`user`, `order`, `group`, `table`, `left`, `offset`,
...), the classes that cannot be used as a name without double quotes. It does not report
non-reserved key words such as `name`, `type`, `status` or `position`, which need no quotes,
nor mixed-case names (those need quotes for another reason). Objects of tables the replay
did not create are not judged, and neither is a schema that writes most of its table names in
double quotes (as Prisma, Atlas and other generators do): code that quotes every identifier
pays nothing for a reserved name.

## Why it matters
Every query, by hand or generated, has to write the name in double quotes; one that forgets
fails with a syntax error, or worse, means something else: `SELECT user FROM accounts`
returns the current role name, not the column.

## Example
```sql
CREATE TABLE \"order\" (id bigint PRIMARY KEY, \"user\" bigint NOT NULL);
```

## Use instead
```sql
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
```
",
        options: &[],
    },
    check: Check::Catalog(check),
};

/// The longest reserved key word (`current_timestamp`); longer names need no look-up.
const LONGEST_KEYWORD: usize = 17;

/// A lower-case name that is a reserved key word. Mixed-case names are quoted anyway and do
/// not collide with the key word (`"User"` is not `user`).
fn reserved(name: &str) -> bool {
    name.len() <= LONGEST_KEYWORD
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        && is_reserved(name)
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    // A schema that quotes most table names where it defines them (as Prisma, Atlas and other
    // generators do) is queried through code that quotes every identifier: a reserved name
    // costs it nothing.
    let (quoted, tables) = judged_tables(ctx.catalog).fold((0, 0), |(quoted, all), t| {
        let written = t.origin.file.slice(t.name_span);
        (quoted + usize::from(written.starts_with('"')), all + 1)
    });
    if quoted * 2 > tables {
        return;
    }
    for table in judged_tables(ctx.catalog) {
        let t = &table.name;
        if reserved(&table.name.name) {
            let finding = report
                .finding(&table.origin.file, table.name_span, format!("table {t} is named with a reserved word"))
                .why(format!(
                    "{} is reserved in PostgreSQL: every query must write {t} in double quotes, and one that forgets fails \
                     with a syntax error.",
                    table.name.name
                ))
                .help(format!(
                    "ALTER TABLE {t} RENAME TO {}; and update the queries (a view named {t} can bridge the transition).",
                    quote_ident(&format!("{}s", table.name.name))
                ));
            report.push(finding);
        }
        for column in own_columns(ctx.catalog, table) {
            if !reserved(&column.name) {
                continue;
            }
            let col = quote_ident(&column.name);
            let new_name = suggested_name(ctx, table, column);
            let finding = report
                .finding(&column.origin.file, column.name_span, format!("column {t}.{col} is named with a reserved word"))
                .why(format!(
                    "{} is reserved in PostgreSQL: every query must write it in double quotes, and an unquoted use fails \
                     or means something else (SELECT user returns the current role).",
                    column.name
                ))
                .help(format!(
                    "ALTER TABLE {t} RENAME COLUMN {col} TO {new_name}; (or another name that says what it holds) and update the queries that use it."
                ));
            report.push(finding);
        }
    }
}

/// A name that needs no quotes: `order` becomes `sort_order`, a reference `<word>_id`, text
/// `<word>_name`, anything else `<word>_value`.
fn suggested_name(ctx: &CatalogContext, table: &Table, column: &Column) -> String {
    let resolved = column_type(ctx.catalog, column);
    let suffix = if column.name == "order" {
        return "sort_order".to_owned();
    } else if in_foreign_key(table, &column.name)
        || resolved
            .as_ref()
            .is_some_and(|r| matches!(r.name, "int2" | "int4" | "int8" | "uuid"))
    {
        "id"
    } else if resolved.as_ref().is_some_and(|r| is_text_like(r.name)) {
        "name"
    } else {
        "value"
    };
    quote_ident(&format!("{}_{suffix}", column.name))
}
