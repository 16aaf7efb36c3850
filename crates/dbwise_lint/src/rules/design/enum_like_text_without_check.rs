use dbwise_catalog::truncate_identifier;
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use dbwise_catalog::{Catalog, Column, ObjectName, Table};

use super::common::{
    column_type, ends_with_word, is_text_like, judged_tables, own_columns, values_limited, words,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "enum-like-text-without-check",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a status/type-like text column whose values nothing limits",
        doc: "## What it finds
`text`, `varchar` and `char` columns whose name ends with a word for a closed set of values
(`status`, `order_state`, `kind`, `accountType`, `stage`, ...) and whose default is a code
(`DEFAULT 'pending'`, the sign that the application works with a fixed set of values), when
nothing in the schema limits the values: no CHECK constraint names the column, it is not part of a foreign key (to
a lookup table), and its type is not an enum or a domain with a CHECK. Both lists are
options. It deliberately leaves alone:
- names that end with such a word but hold open-ended values (`mime_type`, `content_type`,
  OAuth's `token_type` and `session_state`);
- the `_type` half of a polymorphic pair (`owner_type` next to `owner_id`), which
  `polymorphic-association` judges;
- a column named `type` in a Rails schema (one with `ar_internal_metadata`), where it holds
  the class name for single-table inheritance;
- `role`, which is not in the default list: it is as often free text (the role of a member
  in a relation) as a closed set. Add it in `dbwise.toml` if your roles are a fixed set.
Columns of unknown types are not judged.

## Why it matters
When the application is the only thing that knows the valid values, a typo, an old client or
a hand-written fix stores a value no code handles (`'canceled'` next to `'cancelled'`), and
every reader has to guess the set. A CHECK constraint documents the set in the schema,
rejects the bad write at once, and lets the planner skip impossible predicates.

## Example
```sql
CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new');
```

## Use instead
```sql
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'paid', 'shipped', 'cancelled'))
);
```
A CHECK is easier to change later than an enum type (whose values cannot be removed); a
lookup table with a foreign key suits sets that change often or carry extra data.
",
        options: &[
            RuleOption {
                name: "words",
                kind: OptionKind::StringList,
                default: r#"["status", "state", "type", "kind", "stage", "phase", "priority", "visibility"]"#,
                doc: "last words of a column name that mark a closed set of values",
            },
            RuleOption {
                name: "open-ended",
                kind: OptionKind::StringList,
                default: r#"["mime_type", "content_type", "media_type", "file_type", "token_type", "session_state"]"#,
                doc: "column names that end with one of the words but hold open-ended values",
            },
        ],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let words = ctx.option_words("words");
    let open_ended = ctx.option_words("open-ended");
    let rails = rails_schema(ctx.catalog);
    for table in judged_tables(ctx.catalog) {
        for column in own_columns(ctx.catalog, table) {
            let Some(resolved) = column_type(ctx.catalog, column) else {
                continue;
            };
            if !is_text_like(resolved.name)
                || resolved.array
                || !ends_with_word(&column.name, &words)
                || ends_with_word(&column.name, &open_ended)
                || values_limited(ctx.catalog, table, column)
                || polymorphic_type(table, column)
                || (rails && column.name == "type")
            {
                continue;
            }
            // The evidence that the set is closed: a default that is a code, as `'pending'`.
            let Some(default) = column
                .default
                .as_ref()
                .and_then(|d| d.string_value.as_deref())
                .filter(|v| is_code(v))
            else {
                continue;
            };
            let col = quote_ident(&column.name);
            let t = &table.name;
            let constraint = quote_ident(&truncate_identifier(&format!(
                "{}_{}_check",
                table.name.name, column.name
            )));
            let known = format!("'{default}', '...'");
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("column {t}.{col} looks like a closed set of values, but nothing limits them"),
                )
                .why(format!(
                    "Only the application knows which values {col} may take: a typo, an old client or a manual fix stores a value \
                     no code handles, and readers must guess the set."
                ))
                .help(format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {constraint} CHECK ({col} IN ({known})) NOT VALID; \
                     then ALTER TABLE {t} VALIDATE CONSTRAINT {constraint}; (validation does not block writes)."
                ));
            report.push(finding);
        }
    }
}

/// A short word of letters, digits and `_` / `-` starting with a letter: the shape of a state
/// code, not of free text.
fn is_code(value: &str) -> bool {
    value.len() <= 40
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A Rails schema keeps its metadata in `ar_internal_metadata`; there a `type` column holds the
/// model class for single-table inheritance.
fn rails_schema(catalog: &Catalog) -> bool {
    catalog
        .tables
        .keys()
        .any(|k: &ObjectName| k.name == "ar_internal_metadata")
}

/// `<x>_type` next to an `<x>_id`: the type half of a polymorphic pair.
fn polymorphic_type(table: &Table, column: &Column) -> bool {
    let mut stem = words(&column.name);
    if stem.len() < 2 || stem.pop().as_deref() != Some("type") {
        return false;
    }
    stem.push("id".to_owned());
    table.columns.iter().any(|c| words(&c.name) == stem)
}
