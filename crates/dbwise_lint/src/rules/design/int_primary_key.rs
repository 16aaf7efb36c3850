use std::collections::BTreeMap;

use dbwise_catalog::{Column, ObjectName, Table};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::{ConstraintKind, quote_ident};

use super::common::{
    LOOKUP_TABLE_WORDS, candidates, column_type, in_foreign_key, is_lookup_table, judged_tables,
    on_owned_sequence, report_convention,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};
use crate::size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "int-primary-key",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a 32-bit integer (`integer`, `serial`) primary key",
        doc: "## What it finds
Single-column primary keys whose type, after the whole replay, is `integer` / `int4` or
`serial` (also through a domain) and whose values the database numbers itself: `serial`, an
identity column or a `nextval(...)` default. Keys the application assigns (codes, ids copied
from another system) are left alone: their range is the application's choice. The finding lists the foreign-key columns that reference
the key, since they have to be widened with it. `smallint` keys are not reported (their
size is a deliberate choice for small lookup tables), nor composite keys, nor keys of tables
the replay did not create, nor keys that are themselves foreign keys (a one-to-one extension
table follows its parent, whose finding lists it), nor keys of lookup tables named as such (`release_type`,
`countries`, ...; the words are an option), which hold a handful of codes.

When 32-bit keys are the schema's convention (four or more, and at most one bigint key for
every ten), one note stands for all of them: most tables of a schema never come near the
limit, and the choice is which growing tables to widen. When the schema has taken up bigint
keys, only the 32-bit keys created after its first bigint key are reported one by one.

A key of a table whose size nothing shows (no `[tables] sizes` entry or `--database-url`, not
partitioned, not named for records that grow with use such as `events`, `messages` or
`queue`) is counted in the summary rather than listed: most tables never come near the limit.
`--unknown-sizes list` lists them.

## Why it matters
A 32-bit key runs out at 2,147,483,647. Tables that grow by events, log rows or
high-churn inserts (and sequences also burn numbers on rolled-back inserts and upserts)
reach that sooner than expected, and then every insert fails. Widening the key later means
rewriting the table and every referencing table and their indexes under an ACCESS EXCLUSIVE
lock, or a long multi-step online migration. `bigint` costs 4 bytes more per row and index
entry, usually absorbed by alignment padding.

## Example
```sql
CREATE TABLE events (id serial PRIMARY KEY, payload jsonb);
```

## Use instead
```sql
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb);
```
For a small lookup table whose size is known, `integer` is fine: suppress the finding with
the reason.
",
        options: &[RuleOption {
            name: "lookup-tables",
            kind: OptionKind::StringList,
            default: LOOKUP_TABLE_WORDS,
            doc: "last words of table names that mark a small, static lookup table",
        }],
    },
    check: Check::Catalog(check),
};

/// The table's single-column primary key when the database numbers it (serial, identity or a
/// nextval default), with its integer type's width in bytes and whether it is `serial`. Only
/// such keys grow by every insert: an application that assigns its own integers (codes, ids from
/// another system) decides their range.
fn numbered_key<'a>(
    ctx: &CatalogContext,
    table: &'a Table,
    column: &'a Column,
    lookup: &[String],
) -> Option<(u8, bool)> {
    let ConstraintKind::PrimaryKey { columns, .. } = &table.primary_key()?.kind else {
        return None;
    };
    if columns.as_slice() != std::slice::from_ref(&column.name)
        || table.partition_of.is_some()
        || in_foreign_key(table, &column.name)
        || is_lookup_table(table, lookup)
    {
        return None;
    }
    let resolved = column_type(ctx.catalog, column)?;
    let serial = matches!(
        resolved.name,
        "serial" | "serial4" | "bigserial" | "serial8"
    );
    let width = match resolved.name {
        "serial" | "serial4" | "int4" => 4,
        "bigserial" | "serial8" | "int8" => 8,
        _ => return None,
    };
    let numbered = serial
        || column.identity.is_some()
        || column
            .default
            .as_ref()
            .is_some_and(|d| d.functions.iter().any(|f| f == "nextval"));
    (numbered && !resolved.array).then_some((width, serial))
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let lookup = ctx.option_words("lookup-tables");
    let width = |t, c| numbered_key(ctx, t, c, &lookup).map(|(w, _)| w);
    let found = candidates(
        ctx.catalog,
        |t, c| width(t, c) == Some(4),
        |t, c| width(t, c) == Some(8),
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "32-bit keys the database numbers",
            Some(("bigint", found.alternatives)),
            "2,147,483,647 rows is far beyond most tables of a schema; the ones that grow with every event, \
             message or download are the ones that reach it, and widening them later rewrites them and every referencing table.",
            "Give new tables that grow without bound (events, logs, messages) bigint keys, and widen an existing one while it is small; \
             the rest can stay integer.",
        );
        return;
    }
    let reported: Vec<_> = found.after_adoption().collect();
    if reported.is_empty() {
        return;
    }
    let references = referencing_columns(ctx);
    for (table, column) in reported {
        let serial = numbered_key(ctx, table, column, &lookup).is_some_and(|(_, serial)| serial);
        let key = &column.name;
        let referencing = references
            .get(&(&table.name, key.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let t = &table.name;
        let col = quote_ident(key);
        let mut steps = vec![format!("ALTER TABLE {t} ALTER COLUMN {col} TYPE bigint;")];
        if serial {
            steps.push(on_owned_sequence(
                ctx.catalog,
                &table.name,
                key,
                "ALTER SEQUENCE %s AS bigint",
            ));
        }
        steps.extend(referencing.iter().map(|(child, c)| {
            format!(
                "ALTER TABLE {child} ALTER COLUMN {} TYPE bigint;",
                quote_ident(c)
            )
        }));
        let refs = if referencing.is_empty() {
            String::new()
        } else {
            format!(
                " ({} referencing column{})",
                referencing.len(),
                if referencing.len() == 1 { "" } else { "s" }
            )
        };
        let finding = report
            .finding(
                &column.origin.file,
                column.name_span,
                format!(
                    "primary key {t}.{col} is a 32-bit `{}`{refs}",
                    column.type_name.as_ref().map(|t| t.display()).unwrap_or_default()
                ),
            )
            .why(
                "A 32-bit key stops at 2,147,483,647 and then every insert fails; widening it later rewrites this table, \
                 every referencing table and their indexes under ACCESS EXCLUSIVE locks.",
            )
            .help(format!(
                "While the tables are small: {} For large tables add a bigint column, backfill it in batches and swap it in. \
                 If {t} is a small lookup table, keep integer and suppress this finding.",
                steps.join(" ")
            ))
            .suggest(steps, true)
            .unknown_size(size::unknown(ctx.settings, table));
        report.push(finding);
    }
}

/// Single-column foreign keys by the (table, column) they reference: the referencing
/// (table, column) pairs, a partition's counted on its partitioned parent.
fn referencing_columns<'a>(
    ctx: &'a CatalogContext,
) -> BTreeMap<(&'a ObjectName, &'a str), Vec<(&'a ObjectName, &'a str)>> {
    let mut out: BTreeMap<(&ObjectName, &str), Vec<(&ObjectName, &str)>> = BTreeMap::new();
    for table in judged_tables(ctx.catalog) {
        for (_, fk) in table.foreign_keys() {
            let ([column], Some((target, target_table))) = (
                fk.columns.as_slice(),
                ctx.catalog
                    .resolve(&ctx.catalog.tables, &fk.target)
                    .and_then(|k| ctx.catalog.tables.get_key_value(&k)),
            ) else {
                continue;
            };
            let key = match fk.target_columns.as_slice() {
                [key] => key.as_str(),
                [] => match target_table.primary_key().map(|c| &c.kind) {
                    Some(ConstraintKind::PrimaryKey { columns, .. }) if columns.len() == 1 => {
                        columns[0].as_str()
                    }
                    _ => continue,
                },
                _ => continue,
            };
            // Changing a partitioned parent's column changes its partitions too.
            let owner = table.partition_of.as_ref().unwrap_or(&table.name);
            let list = out.entry((target, key)).or_default();
            if !list.contains(&(owner, column.as_str())) {
                list.push((owner, column.as_str()));
            }
        }
    }
    for list in out.values_mut() {
        list.sort();
    }
    out
}
