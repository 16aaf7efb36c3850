use dbwise_catalog::{Catalog, Column};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{candidates, column_type, ends_with_word, is_text_like, report_convention};
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};
use crate::size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "uuid-stored-as-text",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "an id column that stores UUIDs as text instead of `uuid`",
        doc: "## What it finds
Id-like columns (named `id`, or ending in `_id`, `Id`, `uuid` or `guid`) whose type is text
of exactly UUID length, `char(36)` or `varchar(36)`, or any text type whose default calls a
UUID generator (`gen_random_uuid()`, `uuid_generate_v4()`, `uuidv7()`, ...). Text ids filled
by the application with other formats (cuid, nanoid, ULID) are not reported: nothing in the
schema says they are UUIDs. Domains are judged at the domain. When four or more columns
qualify and few are `uuid` (at most three in ten of the id columns), text ids are the
project's convention (models
shared with engines that lack the type): one note at the first stands for all of them. Once
the schema has a `uuid` column, only text ids added after it are reported.

A column of a table whose size nothing shows (no `[tables] sizes` entry or `--database-url`,
not partitioned, not named for records that grow with use) is counted in the summary rather
than listed: the extra bytes weigh only on a large table. `--unknown-sizes list` lists it.

## Why it matters
As text a UUID takes 37 bytes plus header instead of 16, so every index on it (the primary
key, each foreign key pointing at it, each index on those) is more than twice as large and
fits the cache worse. Comparisons run through the collation instead of a 16-byte compare,
and nothing rejects a malformed value or one in other letter case, which then fails to
match its twin.

## Example
```sql
CREATE TABLE sessions (id varchar(36) PRIMARY KEY DEFAULT gen_random_uuid()::text);
```

## Use instead
```sql
CREATE TABLE sessions (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
```
",
        options: &[],
    },
    check: Check::Catalog(check),
};

const GENERATORS: &[&str] = &[
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
];

/// An id-like column of a text type that holds UUIDs, judged from its length or its default.
pub fn uuid_like(catalog: &Catalog, column: &Column) -> bool {
    let id_words = ["id".to_owned(), "uuid".to_owned(), "guid".to_owned()];
    let Some(resolved) = column_type(catalog, column) else {
        return false;
    };
    if resolved.domain || resolved.array || !is_text_like(resolved.name) {
        return false;
    }
    let uuid_length = resolved.name != "text" && resolved.modifiers == [36];
    let uuid_default = column
        .default
        .as_ref()
        .is_some_and(|d| d.functions.iter().any(|f| GENERATORS.contains(&f.as_str())));
    ends_with_word(&column.name, &id_words) && (uuid_length || uuid_default)
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let found = candidates(
        ctx.catalog,
        |_, column| uuid_like(ctx.catalog, column),
        |_, column| column_type(ctx.catalog, column).is_some_and(|t| t.name == "uuid"),
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "UUIDs kept as text",
            Some(("`uuid`", found.alternatives)),
            "Ids kept as text throughout usually serve models shared with engines that have no uuid type; the cost stays: \
             37 bytes instead of 16 in every key, index and foreign key, and text comparisons.",
            "Keep it consistent rather than converting one column: a mix of text and uuid ids breaks joins between them. \
             Convert the ids together (each key with the foreign keys that reference it, ALTER COLUMN ... TYPE uuid USING ...::uuid) \
             when the other engines are no longer served.",
        );
        return;
    }
    for (table, column) in found.after_adoption() {
        let col = quote_ident(&column.name);
        let written = column
            .type_name
            .as_ref()
            .map(|t| t.display())
            .unwrap_or_default();
        let generated = column
            .default
            .as_ref()
            .is_some_and(|d| d.functions.iter().any(|f| GENERATORS.contains(&f.as_str())));
        let change = if generated {
            format!(
                "ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT, ALTER COLUMN {col} TYPE uuid USING {col}::uuid, \
                 ALTER COLUMN {col} SET DEFAULT gen_random_uuid();",
                table.name
            )
        } else {
            format!(
                "ALTER TABLE {} ALTER COLUMN {col} TYPE uuid USING {col}::uuid;",
                table.name
            )
        };
        let finding = report
            .finding(
                &column.origin.file,
                column.name_span,
                format!("column {}.{col} stores UUIDs as `{written}`", table.name),
            )
            .why(
                "As text a UUID takes 37 bytes instead of 16, so this key and every index and foreign key on it are more than \
                 twice as large; comparisons go through the collation, and malformed or differently cased values are accepted.",
            )
            .help(format!(
                "{change} Change the foreign-key columns that reference it in the same migration (this rewrites the tables)."
            ))
            // Twice the bytes per key weighs only on a large table and its indexes.
            .unknown_size(size::unknown(ctx.settings, table));
        report.push(finding);
    }
}
