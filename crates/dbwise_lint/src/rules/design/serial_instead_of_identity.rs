use dbwise_catalog::Column;
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{candidates, on_owned_sequence};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "serial-instead-of-identity",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a `serial` / `bigserial` column where an identity column is the standard form",
        doc: "## What it finds
Columns written as `smallserial`, `serial` or `bigserial` (or `serial2/4/8`) that are still
there after the whole replay. It does not report the equivalent that `pg_dump` writes
(`integer DEFAULT nextval('...')` plus `ALTER SEQUENCE ... OWNED BY`), since a dump is
regenerated rather than edited, nor columns that were turned into identity columns later.
Only a schema that has taken up identity columns is judged, and in it only the serial
columns added after its first identity column: the earlier ones are its history. A schema
that numbers its rows with serial throughout made a choice that works, and gets nothing.

## Why it matters
`serial` is a macro, not a type: it creates a sequence, a `nextval` default and an ownership
link, and those pieces drift apart. Grants on the table do not cover the sequence, so a role
that may insert still fails on `nextval`; `CREATE TABLE ... (LIKE ...)` copies the default
and shares the sequence; explicit ids inserted by hand are accepted and later collide with
the sequence. `GENERATED ALWAYS AS IDENTITY` (PostgreSQL 10+) is SQL standard, ties the
sequence to the column, refuses hand-written values unless `OVERRIDING SYSTEM VALUE` is
given, and needs no separate grant.

## Example
```sql
CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
```

## Use instead
```sql
CREATE TABLE tickets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL
);
```

## PostgreSQL versions
Identity columns exist from PostgreSQL 10 on. Converting an existing `serial` column keeps
its data: drop the default, drop the old sequence, add the identity and restart it above the
current maximum.
",
        options: &[],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let found = candidates(
        ctx.catalog,
        |_, column| serial_type(column).is_some(),
        |_, column| column.identity.is_some(),
    );
    // serial works: it is worth a change only where the schema has taken up identity columns
    // and a later table went back to serial. A schema that numbers rows with serial throughout
    // (or a dump, whose order says nothing of age) gets nothing.
    if found.first_alternative.is_none() {
        return;
    }
    for (table, column) in found.after_adoption() {
        let Some((type_name, int_type)) = serial_type(column) else {
            continue;
        };
        let col = quote_ident(&column.name);
        let drop_sequence =
            on_owned_sequence(ctx.catalog, &table.name, &column.name, "DROP SEQUENCE %s");
        let t = &table.name;
        let finding = report
            .finding(
                &column.origin.file,
                column.name_span,
                format!("column {t}.{col} is `{type_name}`"),
            )
            .why(
                "serial creates a separate sequence and a nextval default: grants on the table do not cover the sequence, \
                 hand-written ids are accepted and later collide with it, and copies of the table share it. \
                 An identity column ties the sequence to the column.",
            )
            .help(format!(
                "For a new table write {col} {int_type} GENERATED ALWAYS AS IDENTITY. To convert this one, in one transaction: \
                 ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT; {drop_sequence} \
                 ALTER TABLE {t} ALTER COLUMN {col} ADD GENERATED ALWAYS AS IDENTITY; \
                 SELECT setval(pg_get_serial_sequence('{t}', '{name}'), coalesce(max({col}), 0) + 1, false) FROM {t};",
                name = column.name.replace('\'', "''"),
            ));
        report.push(finding);
    }
}

/// The `serial` spelling of a column that is not an identity, with its integer type.
fn serial_type(column: &Column) -> Option<(&str, &'static str)> {
    let type_name = column.type_name.as_ref()?;
    let int_type = match type_name.name.as_str() {
        "smallserial" | "serial2" => "smallint",
        "serial" | "serial4" => "integer",
        "bigserial" | "serial8" => "bigint",
        _ => return None,
    };
    (type_name.schema.is_none() && column.identity.is_none())
        .then_some((type_name.name.as_str(), int_type))
}
