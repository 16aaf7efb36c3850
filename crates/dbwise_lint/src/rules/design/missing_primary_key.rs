use dbwise_catalog::{Index, Table};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::{ConstraintKind, quote_ident};

use super::common::{column_list, has_word, indexes_by_table, judged_tables, parents};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};
use crate::size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "missing-primary-key",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a table with no primary key and no unique key over NOT NULL columns",
        doc: "## What it finds
Tables that, after the whole replay, have no PRIMARY KEY and no other key that could serve as
one: a UNIQUE constraint or a unique index without a predicate or expressions, whose columns
are all NOT NULL. It does not report:
- partitions and partitioned tables: a key there must include the partition key, and
  keyless partitioned fact or cache tables are usually a deliberate choice;
- work queues and staging tables, by name (`release_pending_update`, `import_staging`; the
  words are an option), which collect duplicates on purpose;
- append-only logs, by a name that ends with a word for records that accumulate with use
  (`lineage_events`, `audit_log`, `webhook_deliveries`): their rows are written once and
  purged by age, never updated or deleted one by one;
- tables the replay did not create, temporary tables, and tables whose columns the catalog
  cannot fully see (`CREATE TABLE AS`, `LIKE` of an unknown table).
Inheritance children (`INHERITS`) are judged on their own: they do not inherit the parent's
key.

## Why it matters
Without a key, duplicate rows cannot be prevented or told apart, so an UPDATE or DELETE
aimed at one of them hits all of them. Logical replication cannot send UPDATE or DELETE for
the table (it needs a replica identity), most ORMs and admin tools cannot edit its rows, and
tools like pg_repack refuse to work on it.

## Example
```sql
CREATE TABLE page_views (page_id bigint NOT NULL, viewed_at timestamptz NOT NULL);
```
(`page_views` is not an append-only log by name: its rows may be edited or merged.)

## Use instead
```sql
CREATE TABLE page_views (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_id bigint NOT NULL,
    viewed_at timestamptz NOT NULL
);
```
or, where the natural key is unique, `PRIMARY KEY (page_id, viewed_at)`.
",
        options: &[RuleOption {
            name: "ignore-tables",
            kind: OptionKind::StringList,
            default: r#"["pending", "queue", "staging", "tmp", "temp", "alembic_version", "schema_migrations", "schema_version", "schema_history", "db_version"]"#,
            doc: "words in a table name that mark a work queue, a staging table or a migration tool's own bookkeeping, keyless on purpose",
        }],
    },
    check: Check::Catalog(check),
};

/// Whether the table has a primary key, or a unique key that could be one.
fn keyed(indexes: &[&Index], table: &Table) -> bool {
    table.primary_key().is_some()
        || indexes.iter().any(|index| {
            index.unique
                && index.predicate.is_none()
                && index.elems.iter().all(|e| {
                    e.column
                        .as_deref()
                        .and_then(|c| table.column(c))
                        .is_some_and(|c| c.not_null)
                })
        })
}

fn check(ctx: &CatalogContext, report: &mut Report) {
    let ignore = ctx.option_words("ignore-tables");
    let by_table = indexes_by_table(ctx.catalog);
    for table in judged_tables(ctx.catalog) {
        if !table.fully_known()
            || table.partition_of.is_some()
            || table.partitioned
            || has_word(&table.name.name, &ignore)
            || size::records_use(&table.name.name)
            || table.columns.is_empty()
            || keyed(by_table.get(&table.name).map_or(&[], Vec::as_slice), table)
            || parents(ctx.catalog, table).any(|p| !p.fully_known())
        {
            continue;
        }
        let t = &table.name;
        let references: Vec<&str> = table
            .foreign_keys()
            .filter(|(_, fk)| fk.columns.len() == 1)
            .map(|(_, fk)| fk.columns[0].as_str())
            .filter(|c| table.column(c).is_some_and(|c| c.not_null))
            .collect();
        let id = table.column("id");
        // A unique key over nullable plain columns: the columns that identify a row, once they
        // hold no NULL.
        let nullable_key = by_table.get(&table.name).and_then(|indexes| {
            indexes.iter().find_map(|index| {
                let columns: Option<Vec<&str>> =
                    index.elems.iter().map(|e| e.column.as_deref()).collect();
                (index.unique && index.predicate.is_none())
                    .then_some(())
                    .and(columns)
                    .map(|columns| (*index, columns))
            })
        });
        let help = if let Some((index, columns)) = nullable_key {
            let what = match index.constraint() {
                Some(constraint) => format!(
                    "ALTER TABLE {t} DROP CONSTRAINT {};",
                    quote_ident(constraint)
                ),
                None => format!("DROP INDEX {};", index.name),
            };
            format!(
                "If no row holds NULL in ({cols}), make them the key: ALTER TABLE {t} ADD PRIMARY KEY ({cols}); \
                 (it sets the columns NOT NULL, checking every row, and builds the key's index); the unique key \
                 is then redundant: {what}",
                cols = column_list(&columns),
            )
        } else if let Some(id) = id.filter(|c| c.not_null || c.identity.is_some()) {
            format!(
                "ALTER TABLE {t} ADD PRIMARY KEY ({});",
                quote_ident(&id.name)
            )
        } else if references.len() >= 2 && id.is_none() {
            format!(
                "If each combination occurs once (a link table): ALTER TABLE {t} ADD PRIMARY KEY ({}); \
                 otherwise ALTER TABLE {t} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
                column_list(&references)
            )
        } else if id.is_none() {
            format!(
                "ALTER TABLE {t} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY; or a primary key on the columns that identify a row."
            )
        } else {
            format!(
                "ALTER TABLE {t} ADD PRIMARY KEY (id); after making sure id is filled and unique, or a primary key on the columns that identify a row."
            )
        };
        let unique_nullable = table
            .constraints
            .iter()
            .any(|c| matches!(c.kind, ConstraintKind::Unique { .. }));
        let why = if unique_nullable {
            "Its unique key allows NULLs, so it does not identify rows. Without a key, duplicates cannot be prevented or told apart, \
             UPDATE and DELETE through logical replication fail, and tools that edit rows one at a time cannot."
        } else {
            "Without a key, duplicates cannot be prevented or told apart (a DELETE aimed at one hits all of them), UPDATE and DELETE \
             through logical replication fail for lack of a replica identity, and tools that edit rows one at a time cannot."
        };
        let finding = report
            .finding(
                &table.origin.file,
                table.name_span,
                format!("table {t} has no primary key"),
            )
            .why(why)
            .help(help);
        report.push(finding);
    }
}
