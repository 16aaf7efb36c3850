use dbwise_catalog::Column;
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{candidates, report_convention};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "timestamp-without-time-zone",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a `timestamp` (without time zone) column",
        doc: "## What it finds
Columns whose type, after the whole replay, is `timestamp` / `timestamp without time zone`
(arrays too). A column later changed to `timestamptz` is not reported. Columns of views and of
tables created by `CREATE TABLE AS` are not seen, nor are columns of tables the replay did not
create; a partition's columns are reported once, on the partitioned table.

When four or more columns are naive and few are `timestamptz` (at most three in ten of the
timestamp columns), the naive type is the project's convention (Prisma maps `DateTime` to
`timestamp(3)`; diesel's `NaiveDateTime` is common): one note stands for all of them, on the
first, instead of a finding per column, and that note is counted rather than listed
(`--conventions list` lists it). Otherwise a naive column is reported when its own table also
has a `timestamptz` column, whichever came first: a table that mixes the two is where an
instant gets compared with a wall-clock reading, while a table that is naive throughout, in a
schema that moved on, is usually a deliberate leftover (a small table a mass conversion
skipped).

## Why it matters
`timestamp` stores a wall-clock reading with no zone. The same instant is stored differently by
clients in different time zones, comparisons across a daylight-saving change go wrong, and
every reader has to know which zone the writer meant. `timestamptz` stores an absolute instant
(as UTC) and converts on the way in and out, at no extra storage cost.

## Example
```sql
CREATE TABLE events (id bigint, happened_at timestamp NOT NULL);
```

## Use instead
```sql
CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL);
```
To convert an existing column whose values were written in UTC, run it with the session time
zone set to UTC: from PostgreSQL 12 on the change then needs no table rewrite.

## PostgreSQL versions
Before 12, `ALTER COLUMN ... TYPE timestamptz` always rewrites the table under an ACCESS
EXCLUSIVE lock.
",
        options: &[],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let zoned = |column: &Column| {
        column
            .type_name
            .as_ref()
            .is_some_and(|t| t.name == "timestamptz")
    };
    let found = candidates(
        ctx.catalog,
        |_, column| {
            column
                .type_name
                .as_ref()
                .is_some_and(|t| t.name == "timestamp" && t.schema.is_none())
        },
        |_, column| zoned(column),
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "`timestamp without time zone`",
            Some(("timestamptz", found.alternatives)),
            "A schema that keeps naive times everywhere (Prisma's DateTime, an ORM's UTC NaiveDateTime) is consistent as long as \
             every writer stores UTC; the risk is one session or tool whose TimeZone is not UTC, whose times then mean another instant.",
            "Make the convention explicit: ALTER DATABASE <database> SET timezone = 'UTC'; and say in the schema's docs that these columns \
             hold UTC. Moving a column to timestamptz later needs no rewrite on PostgreSQL 12 and later when the session TimeZone is UTC \
             and the new type has the full precision (a timestamptz(3) rounds every value, which rewrites the table).",
        );
        return;
    }
    for &(table, column) in &found.columns {
        let Some(sibling) = table.columns.iter().find(|c| zoned(c)) else {
            continue;
        };
        let Some(type_name) = &column.type_name else {
            continue;
        };
        let array = if type_name.array { "[]" } else { "" };
        let precision = type_name
            .modifiers
            .first()
            .map(|p| format!("({p})"))
            .unwrap_or_default();
        let written = format!("timestamp{precision} without time zone{array}");
        // A precision below the full 6 digits keeps a rounding step in the conversion.
        let rewrite = if type_name.modifiers.first().is_some_and(|&p| p < 6) {
            format!(
                "this rewrites the table: a precision below 6 rounds every value (timestamptz{array} without one would not, from PostgreSQL 12 on)"
            )
        } else {
            "no rewrite from PostgreSQL 12 on".to_owned()
        };
        let col = quote_ident(&column.name);
        let finding = report
            .finding(
                &column.origin.file,
                column.name_span,
                format!(
                    "column {}.{col} is `{written}`, beside {} of the same table, which is timestamptz",
                    table.name,
                    quote_ident(&sibling.name)
                ),
            )
            .why(format!(
                "{col} stores a wall-clock time with no zone: writers in different zones store the same instant differently, \
                 and arithmetic across daylight-saving changes is wrong. timestamptz stores the instant itself, in the same 8 bytes."
            ))
            .help(format!(
                "Declare it as timestamptz{precision}{array}. For existing data written in UTC: SET timezone = 'UTC'; \
                 SET lock_timeout = '5s'; ALTER TABLE {table} ALTER COLUMN {col} TYPE timestamptz{precision}{array}; \
                 ({rewrite}; the ALTER takes ACCESS EXCLUSIVE, and the lock_timeout keeps it from queueing every \
                 query of {table} behind a long transaction: retry if it times out). \
                 If the values are local times, add USING {col} AT TIME ZONE '<their zone>' (this rewrites the table).",
                table = table.name,
            ))
            .suggest(
                vec![
                    "SET timezone = 'UTC';".to_owned(),
                    "SET lock_timeout = '5s';".to_owned(),
                    format!(
                        "ALTER TABLE {} ALTER COLUMN {col} TYPE timestamptz{precision}{array};",
                        table.name
                    ),
                ],
                true,
            );
        report.push(finding);
    }
}
