use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{
    checked, ends_with_word, has_word, in_foreign_key, judged_tables, own_columns,
    primary_key_columns,
};
use super::uuid_stored_as_text::uuid_like;
use crate::context::CatalogContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "char-column",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a blank-padded `char(n)` / `character(n)` column",
        doc: "## What it finds
Columns written as `char(n)` or `character(n)`, arrays too, after the whole replay. It does not report the internal one-byte type `\"char\"`, and it
leaves `char(36)` id columns to `uuid-stored-as-text`, which gives the better fix for them.
A column that a CHECK constraint already pins down (`CHECK (code ~ '^[A-Z]{2}$')`) is not
reported either: every value then has the full length, so the padding never shows. Neither is a
key: a column of the primary key or of a foreign key, or one named `id` or `..._id`. Such
columns hold identifiers the application generates at one length (ULIDs in `char(26)`, hashes
in `char(40)`), where the padding never shows either, and retyping every key of a schema is work
no reviewer would ask for. Nor are short codes, `char(1)` to `char(3)` (a flag, an ISO country or
currency code): their values are written at full length, and no one pads a two-letter code.
Nor are columns whose length is that of an encoded digest or UUID (32 and 40 for hex MD5 and
SHA-1, 36 for a UUID, 44 and 64 for SHA-256 in base64 and hex, 128 for hex SHA-512): an
encoder writes such values at one length, unless the column's name says it holds prose (`name`,
`title`, `description`, `address`, ...).
A column declared through a domain is judged at the domain, not at each column.

## Why it matters
`char(n)` pads every value with spaces to `n` characters and strips trailing spaces again in
most comparisons, but not all of them: `LIKE`, regular expressions and concatenation with
`text` see the padding, so `'ab'::char(3) || 'c'` is `abc` while clients read `ab `. It saves
no space over `varchar` or `text` (PostgreSQL stores all three the same way) and it is not
faster. Values shorter than `n` are silently padded rather than rejected, so `char(2)` does
not even enforce a two-letter code.

## Example
```sql
CREATE TABLE customers (id bigint PRIMARY KEY, name char(50) NOT NULL);
```

## Use instead
```sql
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL CHECK (char_length(name) <= 50));
```
",
        options: &[],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let prose: Vec<String> = PROSE_WORDS.iter().map(|w| (*w).to_owned()).collect();
    for table in judged_tables(ctx.catalog) {
        for column in own_columns(ctx.catalog, table) {
            let Some(type_name) = &column.type_name else {
                continue;
            };
            if type_name.name != "bpchar"
                || type_name.schema.is_some()
                || uuid_like(ctx.catalog, column)
                || checked(table, &column.name)
                || is_key(table, &column.name)
                || type_name.modifiers.first().is_none_or(|&n| {
                    n <= SHORT_CODE
                        || (DIGEST_LENGTHS.contains(&n) && !has_word(&column.name, &prose))
                })
            {
                continue;
            }
            let col = quote_ident(&column.name);
            let length = type_name.modifiers.first().copied().unwrap_or(1);
            let array = if type_name.array { "[]" } else { "" };
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("column {}.{col} is `{}`", table.name, type_name.display()),
                )
                .why(format!(
                    "char({length}) pads values with spaces; LIKE, regular expressions and concatenation see the padding while \
                     equality ignores it, shorter values are padded instead of rejected, and it saves no space over text."
                ))
                .help(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} TYPE text{array}; and, if the length is a rule, \
                     ALTER TABLE {} ADD CHECK (char_length({col}) = {length}); (the type change rewrites the table).",
                    table.name, table.name
                ));
            report.push(finding);
        }
    }
}

/// The longest `char(n)` taken for a fixed-length code rather than padded text.
const SHORT_CODE: i64 = 3;

/// Lengths of encoded digests and UUIDs, which an encoder always writes in full.
const DIGEST_LENGTHS: [i64; 6] = [32, 36, 40, 44, 64, 128];

/// Words in the names of columns that hold prose, whose values vary in length.
const PROSE_WORDS: [&str; 12] = [
    "name",
    "names",
    "title",
    "description",
    "address",
    "city",
    "street",
    "comment",
    "note",
    "notes",
    "label",
    "text",
];

/// A column that holds identifiers: part of the primary key or a foreign key, or named like one.
fn is_key(table: &dbwise_catalog::Table, column: &str) -> bool {
    primary_key_columns(table).iter().any(|c| c == column)
        || in_foreign_key(table, column)
        || ends_with_word(column, &["id".to_owned()])
}
