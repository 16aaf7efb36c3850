use dbwise_catalog::truncate_identifier;
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use dbwise_catalog::{Catalog, Column, ObjectName, Table};

use super::common::{
    candidates, checked, column_type, ends_with_word, in_foreign_key, is_enum, is_text_like,
    report_convention, values_limited, words,
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
Columns of unknown types are not judged. When four or more columns qualify and the schema
limits few such sets (a CHECK, enum type or lookup foreign key for at most three in ten),
the application validating its own sets is the project's convention: one note at the first
stands for all of them.

Off by default. In three rounds of reading its findings by hand on open-source repositories
dbwise had not seen (over twenty of them), none of its 13 findings was worth a change: the values were enforced by the application or an enum in
its code, or the column was never filtered in SQL. Turn it on where the database is the only
guard of its values.

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
    let named_like_a_set = |table: &Table, column: &Column| {
        column_type(ctx.catalog, column).is_some_and(|t| is_text_like(t.name) && !t.array)
            && ends_with_word(&column.name, &words)
            && !ends_with_word(&column.name, &open_ended)
            && !polymorphic_type(table, column)
            && !(rails && column.name == "type")
    };
    let found = candidates(
        ctx.catalog,
        |table, column| {
            named_like_a_set(table, column)
                && !values_limited(ctx.catalog, table, column)
                && code_default(column).is_some()
        },
        // A set the schema limits explicitly: an enum type anywhere, or a set-like column with
        // a CHECK or a foreign key to a lookup table.
        |table, column| {
            column
                .type_name
                .as_ref()
                .is_some_and(|t| is_enum(ctx.catalog, t))
                || (ends_with_word(&column.name, &words)
                    && (checked(table, &column.name) || in_foreign_key(table, &column.name)))
        },
    );
    if found.convention {
        report_convention(
            report,
            &found.columns,
            "closed sets of values kept as text",
            Some((
                "limited by a CHECK, a lookup table or an enum",
                found.alternatives,
            )),
            "The application validates these values itself (an ORM's enum fields stored as text, for example); nothing in the \
             database stops a bad write from another client or a manual fix.",
            "Where a set is stable, a CHECK (column IN (...)) added NOT VALID and validated later documents it in the schema; \
             sets that change often are better left to the application or moved to a lookup table with a foreign key.",
        );
        return;
    }
    for &(table, column) in &found.columns {
        let Some(default) = code_default(column) else {
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
            ))
            .suggest_template(
                vec![
                    format!("ALTER TABLE {t} ADD CONSTRAINT {constraint} CHECK ({col} IN ({known})) NOT VALID;"),
                    format!("ALTER TABLE {t} VALIDATE CONSTRAINT {constraint};"),
                ],
                true,
            );
        report.push(finding);
    }
}

/// The default of a column when it is a code (`'pending'`): the evidence that the set is
/// closed.
fn code_default(column: &Column) -> Option<&str> {
    column
        .default
        .as_ref()
        .and_then(|d| d.string_value.as_deref())
        .filter(|v| is_code(v))
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
