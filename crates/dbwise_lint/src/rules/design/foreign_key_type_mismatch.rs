use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::{ConstraintKind, Identifier, quote_ident};

use super::common::{Resolved, column_type, judged_tables};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "foreign-key-type-mismatch",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a foreign-key column whose type differs from the column it references",
        doc: "## What it finds
Foreign keys where a referencing column and the referenced column (named, or the target's
primary key) have different types after the whole replay, following domains to their base
types: `integer` referencing `bigint`, `text` referencing
`uuid`, `numeric` referencing `bigint`. `serial` counts as `integer` and `bigserial` as
`bigint`. Differences inside the string types (`varchar(36)` against `text`) and in
`numeric` precision are not reported: they compare with the same operators. Keys on or to
tables the replay did not create, and columns of unknown types, are not judged.

A wider integer (`bigint` referencing `integer`) is not reported: it costs a few bytes per
row, and PostgreSQL compares integer widths with its own cross-type operators, which indexes
serve. A narrower one and other mismatches are warnings: the narrower column fails only once
the parent's key passes its range, which most tables never reach.

## Why it matters
A narrower referencing column caps the parent's key: once the `bigint` parent hands out an
id above 2,147,483,647 the insert of the child fails. Mixed types also make every join
between the two tables compare through a cast, which can keep the planner from using the
index on one side, and PostgreSQL must pick a cross-type operator for the constraint that
some type pairs (text against uuid) do not have, which fails only when the key is created.

## Example
```sql
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id integer REFERENCES accounts (id));
```

## Use instead
```sql
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));
```
",
        options: &[],
    },
    check: Check::Catalog(check),
};

/// The type family a column compares in: integers by width, all string types together.
fn family(resolved: &Resolved) -> String {
    let base = match resolved.name {
        "int2" | "smallserial" | "serial2" => "smallint",
        "int4" | "serial" | "serial4" => "integer",
        "int8" | "bigserial" | "serial8" => "bigint",
        "text" | "varchar" | "bpchar" => "text",
        other => other,
    };
    if resolved.array {
        format!("{base}[]")
    } else {
        base.to_owned()
    }
}

/// How the referenced column's type is spelled in the fix.
fn spelled(resolved: &Resolved, written: &str) -> String {
    match resolved.name {
        "serial" | "serial4" => "integer".to_owned(),
        "bigserial" | "serial8" => "bigint".to_owned(),
        "smallserial" | "serial2" => "smallint".to_owned(),
        _ => written.to_owned(),
    }
}

/// The referencing integer column is wider than the integer key it references.
fn wider(own: &Resolved, theirs: &Resolved) -> bool {
    let width = |r: &Resolved| match family(r).as_str() {
        "smallint" => 2,
        "integer" => 4,
        "bigint" => 8,
        _ => 0,
    };
    width(theirs) > 0 && width(own) > width(theirs)
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    for table in judged_tables(ctx.catalog) {
        for (constraint, fk) in table.foreign_keys() {
            let Some(target) = ctx.catalog.table(&fk.target).filter(|t| !t.external) else {
                continue;
            };
            let target_columns: &[Identifier] = if fk.target_columns.is_empty() {
                match target.primary_key().map(|c| &c.kind) {
                    Some(ConstraintKind::PrimaryKey { columns, .. }) => columns,
                    _ => continue,
                }
            } else {
                &fk.target_columns
            };
            if target_columns.len() != fk.columns.len() {
                continue;
            }
            for (own, theirs) in fk.columns.iter().zip(target_columns) {
                let (Some(own_col), Some(their_col)) = (table.column(own), target.column(theirs))
                else {
                    continue;
                };
                let (Some(own_type), Some(their_type)) = (
                    column_type(ctx.catalog, own_col),
                    column_type(ctx.catalog, their_col),
                ) else {
                    continue;
                };
                // A wider integer (`bigint` referencing `integer`) costs a few bytes a row:
                // PostgreSQL compares integer widths with its own operators, which indexes serve.
                if family(&own_type) == family(&their_type) || wider(&own_type, &their_type) {
                    continue;
                }
                let written = |c: &dbwise_catalog::Column| {
                    c.type_name
                        .as_ref()
                        .map(|t| t.display())
                        .unwrap_or_default()
                };
                let wanted = spelled(&their_type, &written(their_col));
                let col = quote_ident(own);
                let t = &table.name;
                let narrower = own_type.name == "int4" && family(&their_type) == "bigint"
                    || own_type.name == "int2"
                        && matches!(family(&their_type).as_str(), "integer" | "bigint");
                let why = if narrower {
                    format!(
                        "{t}.{col} is narrower than {}.{}: once the referenced key passes the range of {}, inserting a row \
                         that points at it fails; joins between the tables also compare through a cast.",
                        target.name,
                        quote_ident(theirs),
                        written(own_col)
                    )
                } else {
                    format!(
                        "Joins between {t} and {} compare {} with {} through a cast, which can keep the planner from using the \
                         index on one side, and the mismatch spreads to every query that filters one by the other.",
                        target.name,
                        written(own_col),
                        written(their_col)
                    )
                };
                let finding = report
                    .finding(
                        &constraint.origin.file,
                        constraint.span,
                        format!(
                            "foreign key `{}`: {t}.{col} is `{}` but references {}.{} of type `{}`",
                            constraint.name,
                            written(own_col),
                            target.name,
                            quote_ident(theirs),
                            wanted
                        ),
                    )
                    .why(why)
                    .help(format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} TYPE {wanted} USING {col}::{wanted}; (rewrites {t} and its indexes)"
                    ));
                report.push(finding);
            }
        }
    }
}
