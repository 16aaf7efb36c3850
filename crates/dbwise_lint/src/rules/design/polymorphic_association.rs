use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use dbwise_catalog::{Catalog, Column, Table, TypeKind};
use dbwise_syntax::ast::TypeSpec;

use super::common::{
    CONVENTION, column_type, in_foreign_key, is_enum, is_text_like, judged_tables, own_columns,
    primary_key_columns, report_convention, singular_forms, words,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "polymorphic-association",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a `<x>_type` + `<x>_id` pair that points at one of several tables, with no foreign key",
        doc: "## What it finds
Tables with a column pair `<x>_type` and `<x>_id` (or `<x>Type` / `<x>Id`), such as
`commentable_type` + `commentable_id` or `owner_type` + `owner_id`, where the `_type` column
holds a name (text, when `<x>` ends in `able` or in one of the `pointer-words`, such as
`resource`, `entity` or `owner`, which stand for a thing of any kind; or an enum at least
two of whose values name tables of the schema)
and the `_id` column is not part of any foreign key nor of the table's primary key (a
table's own `<x>_id` key beside its `<x>_type` describes the row itself). It is not reported when the `_type`
column is itself a foreign key (to a lookup table of types), or an enum of values that name
no table (`template_type` of `'PUBLIC'` / `'PRIVATE'` describes the template, it does not
say where `template_id` points).

A schema with four or more such pairs uses the pattern by choice: they are reported in one
note, at the first of them, instead of one finding each.

Off by default. In two rounds of reading its findings by hand on open-source repositories
dbwise had not seen (twenty of them), none of its 4 findings was worth a change: each was a deliberate design (comments or reactions on several
kinds of object) that a project does not undo once it ships. Turn it on to review a schema
before its first release.

## Why it matters
The id points into a table chosen by the value of another column, and no foreign key can
say that: PostgreSQL cannot check that the row exists, deleting the parent leaves orphans
behind, and `ON DELETE CASCADE` is impossible. Every query has to join each possible table
separately, usually with `OR` or `UNION`, which the planner handles poorly.

## Example
```sql
CREATE TABLE comments (
    id bigint PRIMARY KEY,
    commentable_type text NOT NULL,
    commentable_id bigint NOT NULL,
    body text NOT NULL
);
```

## Use instead
One nullable foreign key per target with a CHECK that exactly one is set:
```sql
CREATE TABLE comments (
    id bigint PRIMARY KEY,
    post_id bigint REFERENCES posts (id),
    photo_id bigint REFERENCES photos (id),
    body text NOT NULL,
    CHECK (num_nonnulls(post_id, photo_id) = 1)
);
```
or a shared parent table (`commentables`) that each target references.
",
        options: &[RuleOption {
            name: "pointer-words",
            kind: OptionKind::StringList,
            default: r#"["resource", "entity", "object", "owner", "subject", "target", "parent", "item", "record", "source", "related", "model", "context", "actor", "principal", "reference", "ref"]"#,
            doc: "last words of a text `_type` column's stem that name something of any kind (`resource_type`); \
                  stems ending in `able` (`commentable_type`) always do",
        }],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let pointer_words = ctx.option_words("pointer-words");
    let mut pairs = Vec::new();
    for table in judged_tables(ctx.catalog) {
        for id_col in own_columns(ctx.catalog, table) {
            let mut stem = words(&id_col.name);
            if stem.len() < 2
                || stem.pop().as_deref() != Some("id")
                || in_foreign_key(table, &id_col.name)
                // The table's own key (`principal_id` beside `principal_type` in
                // `principals`) identifies the row; the type column describes the row.
                || primary_key_columns(table).contains(&id_col.name)
            {
                continue;
            }
            let Some(type_col) = table.columns.iter().find(|c| {
                let mut w = words(&c.name);
                w.pop().as_deref() == Some("type") && w == stem
            }) else {
                continue;
            };
            // A text type column says nothing of its values: only a stem that stands for
            // anything (`resource`, `commentable`) makes the id point into several tables;
            // `step_type` beside `step_id` says what kind of step it is.
            let generic = stem
                .last()
                .is_some_and(|w| w.ends_with("able") || pointer_words.contains(w));
            let names_a_table = match type_col.type_name.as_ref() {
                Some(t) if is_enum(ctx.catalog, t) => enum_names_tables(ctx.catalog, t),
                _ => {
                    generic
                        && column_type(ctx.catalog, type_col)
                            .is_some_and(|r| is_text_like(r.name) && !r.array)
                }
            };
            if !names_a_table || in_foreign_key(table, &type_col.name) {
                continue;
            }
            pairs.push((table, id_col, type_col));
        }
    }
    pairs.sort_by_key(|(_, id_col, _)| id_col.origin.statement());
    if pairs.len() >= CONVENTION {
        let ids: Vec<(&Table, &Column)> = pairs.iter().map(|&(t, id, _)| (t, id)).collect();
        report_convention(
            report,
            &ids,
            "ids that point at the table named by the `_type` column beside them",
            None,
            "A schema that links rows this way in many tables chose to: PostgreSQL checks none of those links, deleting a \
             parent leaves orphans, and every query joins each possible target separately.",
            "Keep the pattern out of new tables: give each target its own nullable foreign-key column (with a CHECK that \
             exactly one is set), or make the targets share one parent table that a single foreign key can reference; \
             clean up orphans in the existing ones with SELECT DISTINCT <x>_type FROM <table> and an anti-join per target.",
        );
        return;
    }
    for (table, id_col, type_col) in pairs {
        let t = &table.name;
        let id = quote_ident(&id_col.name);
        let kind = quote_ident(&type_col.name);
        let finding = report
            .finding(
                &id_col.origin.file,
                id_col.name_span,
                format!("{t}.{id} points at the table named by {kind}: no foreign key can protect it"),
            )
            .why(format!(
                "PostgreSQL cannot check that the row {id} names exists in the table {kind} names: deleting a parent leaves \
                 orphans, ON DELETE CASCADE is impossible, and every query must join each possible table separately."
            ))
            .help(format!(
                "Find the targets with SELECT DISTINCT {kind} FROM {t}; then replace the pair with one nullable foreign-key column per target table, e.g. ALTER TABLE {t} ADD COLUMN \
                 <target>_id bigint REFERENCES <target>; for each, plus ALTER TABLE {t} ADD CHECK (num_nonnulls(<target>_id, ...) = 1); \
                 or make every target reference one shared parent table that {id} can reference."
            ));
        report.push(finding);
    }
}

/// Whether at least two of the enum's values name tables (`'Post'` for `posts`): a
/// polymorphic reference has more than one possible target.
fn enum_names_tables(catalog: &Catalog, type_name: &TypeSpec) -> bool {
    let values = match catalog.user_type(type_name).map(|d| &d.kind) {
        Some(TypeKind::Enum { values }) => values,
        _ => return false,
    };
    let naming = values
        .iter()
        .filter(|v| {
            let v = words(v);
            catalog
                .tables
                .keys()
                .any(|t| singular_forms(&t.name).contains(&v))
        })
        .count();
    naming >= 2
}
