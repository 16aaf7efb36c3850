use dbwise_catalog::{Column, Table};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::quote_ident;

use super::common::{
    column_type, ends_with_word, in_foreign_key, judged_tables, primary_key_columns, words,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "entity-attribute-value",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "an entity-attribute-value table: entity reference, attribute name, generic value",
        doc: "## What it finds
Narrow tables (at most 8 columns) made of the three parts of the entity-attribute-value
pattern:
- an entity reference: a column in a foreign key or named `<x>_id`, other than the table's
  own `id`;
- an attribute column whose name ends with an attribute word (`attribute`, `key`,
  `property`, `field`, `param`, `attr`; `attribute_id` counts too);
- a generic value column whose name ends with `value` (or is `val`) and whose type is text,
  `json` or `jsonb`, so it can hold anything.
Both word lists are options. Tables with a typed value (`value numeric` in a measurements
table) are not reported: one typed value per row is a fact table, not EAV. Nor are tables
with a column that orders their rows (`sequence`, `position`, `ordinal`, ...): those hold the
parts of a stream or a list, as chunks keyed by a stream name. Nor are tables whose attribute
column references a table of key definitions (a managed custom-field store, where the
definitions carry each key's type), tables of labels or tags, tables of rules or filters (a
`condition` or `operator` column) and mappings (a `source_...` and a `target_...` column).

## Why it matters
Each attribute becomes rows instead of a column, so the database can no longer type-check
values, mark them NOT NULL, constrain them with CHECK or FOREIGN KEY, or index one attribute
without the others. Reading one entity back needs a pivot (one self-join or aggregate per
attribute), and typos in attribute names silently create new attributes.

## Example
```sql
CREATE TABLE product_attributes (
    product_id bigint NOT NULL REFERENCES products (id),
    attribute text NOT NULL,
    value text,
    PRIMARY KEY (product_id, attribute)
);
```

## Use instead
Typed columns on the entity for the attributes known up front; for truly open-ended,
user-defined attributes, one `jsonb` column on the entity with a GIN index:
```sql
ALTER TABLE products ADD COLUMN weight_grams integer, ADD COLUMN colour text;
ALTER TABLE products ADD COLUMN extra jsonb NOT NULL DEFAULT '{}';
```
",
        options: &[
            RuleOption {
                name: "attribute-words",
                kind: OptionKind::StringList,
                default: r#"["attribute", "attr", "key", "property", "prop", "field", "param", "parameter"]"#,
                doc: "last words of an attribute-name column",
            },
            RuleOption {
                name: "value-words",
                kind: OptionKind::StringList,
                default: r#"["value", "val"]"#,
                doc: "last words of a generic value column",
            },
        ],
    },
    check: Check::Catalog(check),
};

const MAX_COLUMNS: usize = 8;

/// The column name without a trailing `id` word.
fn stem(name: &str) -> String {
    let mut w = words(name);
    if w.len() > 1 && w.last().is_some_and(|l| l == "id") {
        w.pop();
    }
    w.join("_")
}

/// Last words of a column that orders a table's rows.
const ORDER_WORDS: &[&str] = &["sequence", "seq", "position", "ordinal", "offset"];

/// Last words of a table name whose rows are open key-value pairs by nature.
const PAIR_TABLE_WORDS: &[&str] = &["label", "labels", "tag", "tags"];

/// Last words of a column that makes each row a rule or a filter.
const RULE_WORDS: &[&str] = &["condition", "operator", "comparator"];

fn check(ctx: &CatalogContext, report: &mut Report) {
    let attribute_words = ctx.option_words("attribute-words");
    let value_words = ctx.option_words("value-words");
    for table in judged_tables(ctx.catalog)
        .filter(|t| t.partition_of.is_none() && t.columns.len() <= MAX_COLUMNS)
    {
        let Some(attribute) = table
            .columns
            .iter()
            .find(|c| ends_with_word(&stem(&c.name), &attribute_words))
        else {
            continue;
        };
        // A key that alone identifies the row (`key ... PRIMARY KEY` beside a jsonb `value`)
        // names a document, not one attribute of some entity.
        if primary_key_columns(table) == std::slice::from_ref(&attribute.name) {
            continue;
        }
        // Rows kept in order (`sequence`, `position`) are the parts of a stream or a list,
        // not attributes: an entity has no second attribute at position 2.
        if table.columns.iter().any(|c| {
            words(&c.name)
                .last()
                .is_some_and(|w| ORDER_WORDS.contains(&w.as_str()))
        }) {
            continue;
        }
        // A key that references a table of key definitions is a managed custom-field store
        // (the definitions carry each key's type and rules); labels and tags are open sets of
        // pairs by nature.
        if in_foreign_key(table, &attribute.name)
            || words(&table.name.name)
                .last()
                .is_some_and(|w| PAIR_TABLE_WORDS.contains(&w.as_str()))
        {
            continue;
        }
        // Rows with a comparison (`condition`, `operator`) are rules or filters, and rows with a
        // source and a target are mappings: their value is part of a definition.
        let column_words: Vec<Vec<String>> = table.columns.iter().map(|c| words(&c.name)).collect();
        let has = |pick: fn(&[String]) -> Option<&String>, list: &[&str]| {
            column_words
                .iter()
                .any(|w| pick(w).is_some_and(|w| list.contains(&w.as_str())))
        };
        if has(<[String]>::last, RULE_WORDS)
            || (has(<[String]>::first, &["source"]) && has(<[String]>::first, &["target"]))
        {
            continue;
        }
        let Some(value) = table.columns.iter().find(|c| {
            c.name != attribute.name
                && ends_with_word(&c.name, &value_words)
                && column_type(ctx.catalog, c).is_some_and(|r| {
                    !r.array && matches!(r.name, "text" | "varchar" | "json" | "jsonb")
                })
        }) else {
            continue;
        };
        let Some(entity) = entity_reference(table, attribute, value) else {
            continue;
        };
        let t = &table.name;
        let finding = report
            .finding(
                &table.origin.file,
                table.name_span,
                format!(
                    "table {t} stores attributes as rows: entity {}, attribute {}, value {}",
                    quote_ident(&entity.name),
                    quote_ident(&attribute.name),
                    quote_ident(&value.name)
                ),
            )
            .why(
                "Entity-attribute-value rows give up types, NOT NULL, CHECK and foreign keys per attribute, cannot index one \
                 attribute alone, and need a pivot to read one entity back; a misspelt attribute name is a new attribute.",
            )
            .help(format!(
                "List the attributes in use (SELECT {a}, count(*) FROM {t} GROUP BY {a};), move the known ones to typed columns \
                 of {owner}, and keep truly open-ended ones in a jsonb column there with a GIN index.",
                a = quote_ident(&attribute.name),
                owner = entity_table(table, &entity.name)
                    .unwrap_or_else(|| format!("the table {} points at", quote_ident(&entity.name))),
            ));
        report.push(finding);
    }
}

/// The column that names the entity: in a foreign key or `<x>_id`, not the table's own id and
/// not the attribute or value column.
fn entity_reference<'a>(
    table: &'a Table,
    attribute: &Column,
    value: &Column,
) -> Option<&'a Column> {
    table.columns.iter().find(|c| {
        c.name != attribute.name
            && c.name != value.name
            && c.name != "id"
            && (in_foreign_key(table, &c.name) || words(&c.name).last().is_some_and(|w| w == "id"))
    })
}

/// The table the entity column references, when a foreign key says so.
fn entity_table(table: &Table, column: &str) -> Option<String> {
    table
        .foreign_keys()
        .find(|(_, fk)| fk.columns.iter().any(|c| c == column))
        .map(|(_, fk)| fk.target.to_string())
}
