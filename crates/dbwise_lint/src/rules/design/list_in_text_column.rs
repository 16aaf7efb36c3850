use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{column_type, ends_with_word, is_text_like, judged_tables, own_columns};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "list-in-text-column",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a text column that stores a list (comma-separated values, JSON arrays, id lists)",
        doc: "## What it finds
`text`, `varchar` and `char` columns (not arrays, not domains) that hold a list, judged by:
- a default that is a JSON array (`'[]'`, `'[\"a\"]'`), an array literal with elements
  (`'{a,b}'`) or a comma list of plain words (`'read,write'`); an empty `'{}'` is not taken
  for a list, since it is also the empty JSON object a `metadata` column starts with;
- a name whose last word says it is a list: `tag_ids`, `roleIds`, `tags`, `recipient_list`,
  `emails_csv` (the words are an option).

Columns typed as arrays or `jsonb` are not reported: they are real list types. Neither is a
name that merely contains `list` in the middle (`list_name`), nor prose defaults with
spaces after the commas.

## Why it matters
A list in a string (\"jaywalking\") cannot be constrained: no foreign key checks that the ids
exist, nothing stops duplicates or malformed separators. Finding the rows that contain one
value needs `LIKE '%,42,%'` or parsing, which no ordinary index serves, and adding or
removing one element rewrites the whole string, racing with concurrent writers.

## Example
```sql
CREATE TABLE posts (id bigint PRIMARY KEY, tag_ids text NOT NULL DEFAULT '');
```

## Use instead
A junction table, which gives integrity and indexable lookups:
```sql
CREATE TABLE post_tags (
    post_id bigint NOT NULL REFERENCES posts (id),
    tag_id bigint NOT NULL REFERENCES tags (id),
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);
```
or, for a short list without references, an array (`text[]`) or `jsonb` with a GIN index.
",
        options: &[RuleOption {
            name: "list-words",
            kind: OptionKind::StringList,
            default: r#"["ids", "tags", "list", "csv"]"#,
            doc: "last words of a column name that mark a list",
        }],
    },
    check: Check::Catalog(check),
};

/// A constant default that spells a list: a JSON array, an array literal with elements
/// (`'{a,b}'`), or a comma list of words. Braces around nothing or around `key: value` pairs
/// are a JSON object (`metadata varchar DEFAULT '{}'`), not a list.
fn list_literal(value: &str) -> bool {
    let v = value.trim();
    let array_literal = v.len() > 2 && v.starts_with('{') && v.ends_with('}') && !v.contains(':');
    let json = (v.starts_with('[') && v.ends_with(']')) || array_literal;
    let word = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | ':'))
    };
    let parts: Vec<&str> = v.split(',').collect();
    json || (parts.len() >= 2 && parts.iter().all(|p| word(p)))
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let list_words = ctx.option_words("list-words");
    for table in judged_tables(ctx.catalog) {
        for column in own_columns(ctx.catalog, table) {
            let Some(resolved) = column_type(ctx.catalog, column) else {
                continue;
            };
            if !is_text_like(resolved.name) || resolved.array || resolved.domain {
                continue;
            }
            let literal = column
                .default
                .as_ref()
                .and_then(|d| d.string_value.as_deref())
                .filter(|v| list_literal(v));
            let by_name = ends_with_word(&column.name, &list_words);
            if literal.is_none() && !by_name {
                continue;
            }
            let col = quote_ident(&column.name);
            let reason = match literal {
                Some(v) => format!("its default '{v}' is a list"),
                None => "its name says it holds a list".to_owned(),
            };
            let written = column
                .type_name
                .as_ref()
                .map(|t| t.display())
                .unwrap_or_default();
            let t = &table.name;
            let finding = report
                .finding(
                    &column.origin.file,
                    column.name_span,
                    format!("column {t}.{col} stores a list in `{written}`: {reason}"),
                )
                .why(format!(
                    "A list inside a string cannot be checked (no foreign key on the elements, no uniqueness), finding rows that \
                     contain one value needs LIKE or parsing that no ordinary index serves, and changing one element rewrites {col} \
                     as a whole, racing with other writers."
                ))
                .help(match literal {
                    Some(v) if v.trim_start().starts_with('[') => format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT, ALTER COLUMN {col} TYPE jsonb USING {col}::jsonb, \
                         ALTER COLUMN {col} SET DEFAULT '{}'; (rewrites the table), or a child table with one row per element.",
                        v.replace('\'', "''")
                    ),
                    Some(v) if v.trim_start().starts_with('{') => format!(
                        "ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT, ALTER COLUMN {col} TYPE text[] USING {col}::text[], \
                         ALTER COLUMN {col} SET DEFAULT '{}'; (rewrites the table), or a child table with one row per element.",
                        v.replace('\'', "''")
                    ),
                    _ => format!(
                        "If the elements are ids of other rows, move them to a junction table with one row per element \
                         (a foreign key to {t} and one to the referenced table, primary key on both). Otherwise: \
                         ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT, ALTER COLUMN {col} TYPE text[] USING string_to_array({col}, ','); \
                         (rewrites the table)."
                    ),
                });
            report.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::list_literal;

    #[test]
    fn recognises_list_literals() {
        assert!(list_literal("[]"));
        assert!(list_literal("{a,b}"));
        assert!(!list_literal("{}"));
        assert!(!list_literal("{\"a\": 1}"));
        assert!(list_literal("read,write"));
        assert!(!list_literal("Hello, world"));
        assert!(!list_literal("draft"));
        assert!(!list_literal(""));
    }
}
