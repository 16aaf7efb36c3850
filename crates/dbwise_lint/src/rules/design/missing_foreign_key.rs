use std::collections::BTreeMap;

use dbwise_catalog::{Column, ObjectName, Table, truncate_identifier};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::{ConstraintKind, quote_ident};

use super::common::{
    PATTERN, column_type, has_word, in_foreign_key, judged_tables, own_columns, singular_forms,
    words,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "missing-foreign-key",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a `<name>_id` column that matches another table's key but has no foreign key",
        doc: "## What it finds
Columns named `<name>_id` or `<name>Id` that are not part of any foreign key, when the
schema has exactly one table called `<name>` (or its plural: `customers`, `addresses`,
`categories`; camelCase and PascalCase table names count) whose primary key is a single
column of the same type family as this column, and to which the schema declares most of its
references: more foreign keys point at that table than columns reference it loosely, so this
one is an exception. A table referenced loosely at least as often is referenced loosely on
purpose (ids of another service, queue and analytics tables kept free of constraints, keys
dropped for write throughput), and so are the columns of partitioned tables, which many
schemas keep free of foreign keys. Judged after the whole replay, so a key
added by a later migration counts.

It stays quiet when the column is one half of a polymorphic pair (a `<name>_type` column
next to it; see `polymorphic-association`), when the types differ (an `integer`
`external_id` against a `uuid` key is a different identifier), when several tables could
match, when the matching table is the column's own table, and when the history once declared
the key on this column and dropped it (a choice the project made). Keys the history dropped
count as loose references to their table: a project that drops keys to a table is moving away
from declaring them. Tables whose name says they
keep history or pass work along (`audit_log`, `order_history`, `step_run_event`,
`retry_queue_item`; the words are an option) are skipped: their rows must outlive the row they
mention or are written at a rate where a foreign key check costs too much, which is why they
often have no foreign key on purpose.
A partitioned table whose partitions all declare the foreign key is covered. A history that
dropped five or more foreign keys for good (the columns stay, with no key on them) shows a
project moving away from declaring references, often for write throughput: then nothing is
reported. Five or more such exceptions pointing at the same table are one finding that lists
them: a gap that wide is one decision, to close it or to record that it is deliberate.

## Why it matters
Without the constraint nothing stops ids that point nowhere: rows of a deleted parent stay
behind, typos and race conditions between a delete and an insert leave orphans, and every
reader has to join defensively. The planner also cannot use the constraint to remove
unneeded joins.

## Example
```sql
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);
```

## Use instead
```sql
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
```
Adding it `NOT VALID` and validating separately keeps the long check from blocking writes.
",
        options: &[RuleOption {
            name: "ignore-tables",
            kind: OptionKind::StringList,
            default: r#"["log", "logs", "audit", "history", "archive", "event", "events", "queue", "tombstone", "tombstones"]"#,
            doc: "words in a table name that mark records kept after their parent is gone, or transient work items",
        }],
    },
    check: Check::Catalog(check),
};

fn integer_family(name: &str) -> &str {
    match name {
        "int2" | "smallserial" | "serial2" => "int2",
        "int4" | "serial" | "serial4" => "int4",
        "int8" | "bigserial" | "serial8" => "int8",
        "varchar" | "bpchar" => "text",
        other => other,
    }
}

/// How many foreign keys a history must have dropped, on columns that are still there and no
/// longer in a foreign key, to show that the project keeps references loose on purpose.
const DROPPED_POLICY: usize = 5;

fn check(ctx: &CatalogContext, report: &mut Report) {
    let dropped_for_good = judged_tables(ctx.catalog)
        .flat_map(|t| t.dropped_foreign_keys.iter().map(move |fk| (t, fk)))
        .filter(|(t, fk)| {
            fk.columns.iter().all(|c| t.column(c).is_some())
                && !fk.columns.iter().any(|c| in_foreign_key(t, c))
        })
        .count();
    if dropped_for_good >= DROPPED_POLICY {
        return;
    }
    // By a table's singular form, its words joined with `_` (words hold no `_`): the one table
    // of that form, or None when several have it. A schema dump has one entry per table.
    let mut by_words: BTreeMap<String, Option<&Table>> = BTreeMap::new();
    for table in judged_tables(ctx.catalog).filter(|t| t.partition_of.is_none()) {
        for form in singular_forms(&table.name.name) {
            let only = by_words.entry(form.join("_")).or_insert(Some(table));
            if only.is_some_and(|t| t.name != table.name) {
                *only = None;
            }
        }
    }
    // Each table's partitions, gathered once: looking them up table by table was quadratic.
    let mut partitions_of: BTreeMap<_, Vec<&Table>> = BTreeMap::new();
    for partition in ctx.catalog.tables.values() {
        if let Some(parent) = &partition.partition_of {
            partitions_of.entry(parent).or_default().push(partition);
        }
    }
    // How many foreign keys reference each table: the schema's own evidence that references to
    // it are declared. A table referenced more often loosely than by foreign keys is referenced
    // loosely on purpose (another service's ids, queue or analytics tables kept free of
    // constraints, keys dropped for write throughput).
    let mut declared: BTreeMap<&ObjectName, usize> = BTreeMap::new();
    for fk in judged_tables(ctx.catalog).flat_map(|t| t.foreign_keys().map(|(_, fk)| fk)) {
        if let Some(target) = ctx.catalog.resolve(&ctx.catalog.tables, &fk.target)
            && let Some((name, _)) = ctx.catalog.tables.get_key_value(&target)
        {
            *declared.entry(name).or_default() += 1;
        }
    }
    let mut loose = Vec::new();
    let ignore = ctx.option_words("ignore-tables");
    // Every loose reference counts as evidence of the schema's policy, also those of tables
    // that are not reported themselves (history, event and queue tables, partitioned tables).
    for table in judged_tables(ctx.catalog) {
        let reported = !has_word(&table.name.name, &ignore) && !table.partitioned;
        let partitions = partitions_of
            .get(&table.name)
            .map_or(&[][..], Vec::as_slice);
        for column in own_columns(ctx.catalog, table) {
            let mut stem = words(&column.name);
            if stem.len() < 2
                || stem.pop().as_deref() != Some("id")
                || in_foreign_key(table, &column.name)
                // The project dropped the key it once had: a deliberate choice.
                || table
                    .dropped_foreign_keys
                    .iter()
                    .any(|fk| fk.columns == std::slice::from_ref(&column.name))
                || (!partitions.is_empty()
                    && partitions.iter().all(|p| in_foreign_key(p, &column.name)))
            {
                continue;
            }
            let stem = stem.join("_");
            let Some(Some(target)) = by_words.get(&stem).copied() else {
                continue;
            };
            if target.name == table.name {
                continue;
            }
            let type_word = format!("{stem}_type");
            if table
                .columns
                .iter()
                .any(|c| words(&c.name) == words(&type_word))
            {
                continue;
            }
            let Some(ConstraintKind::PrimaryKey { columns, .. }) =
                target.primary_key().map(|c| &c.kind)
            else {
                continue;
            };
            let [key] = columns.as_slice() else {
                continue;
            };
            let (Some(own), Some(theirs)) = (
                column_type(ctx.catalog, column),
                target.column(key).and_then(|k| column_type(ctx.catalog, k)),
            ) else {
                continue;
            };
            if integer_family(own.name) != integer_family(theirs.name) || own.array || theirs.array
            {
                continue;
            }
            loose.push((reported, table, column, target, key));
        }
    }
    let mut loose_count: BTreeMap<&ObjectName, usize> = BTreeMap::new();
    for (_, _, _, target, _) in &loose {
        *loose_count.entry(&target.name).or_default() += 1;
    }
    // A key the history dropped counts as a loose reference: the project is moving away from
    // declaring references to that table.
    for fk in ctx
        .catalog
        .tables
        .values()
        .flat_map(|t| &t.dropped_foreign_keys)
    {
        if let Some(target) = ctx.catalog.resolve(&ctx.catalog.tables, &fk.target)
            && let Some((name, _)) = ctx.catalog.tables.get_key_value(&target)
            && let Some(count) = loose_count.get_mut(name)
        {
            *count += 1;
        }
    }
    // The exceptions to be reported, per referenced table: the schema declares most
    // references to it.
    let mut exceptions: BTreeMap<&ObjectName, Vec<Loose>> = BTreeMap::new();
    for (reported, table, column, target, key) in loose {
        if reported && loose_count[&target.name] < declared.get(&target.name).copied().unwrap_or(0)
        {
            exceptions
                .entry(&target.name)
                .or_default()
                .push((table, column, target, key));
        }
    }
    for (_, mut group) in exceptions {
        if group.len() < PATTERN {
            for one in group {
                report_one(report, one);
            }
            continue;
        }
        group.sort_by_key(|(_, column, _, _)| column.origin.statement());
        report_pattern(report, &group, declared[&group[0].2.name]);
    }
}

/// A column that looks like a reference, its table, the referenced table and its key column.
type Loose<'a> = (&'a Table, &'a Column, &'a Table, &'a str);

/// The constraint name and the two statements that add a reference's key without blocking
/// writes.
fn add_key(&(table, column, target, key): &Loose) -> (String, [String; 2]) {
    let t = &table.name;
    let col = quote_ident(&column.name);
    let name = quote_ident(&truncate_identifier(&format!(
        "{}_{}_fkey",
        table.name.name, column.name
    )));
    let statements = [
        format!(
            "ALTER TABLE {t} ADD CONSTRAINT {name} FOREIGN KEY ({col}) REFERENCES {} ({}) NOT VALID;",
            target.name,
            quote_ident(key)
        ),
        format!("ALTER TABLE {t} VALIDATE CONSTRAINT {name};"),
    ];
    (name, statements)
}

fn report_one(report: &mut Report, loose: Loose) {
    let (table, column, target, _) = loose;
    let t = &table.name;
    let col = quote_ident(&column.name);
    let (_, [add, validate]) = add_key(&loose);
    let finding = report
        .finding(
            &column.origin.file,
            column.name_span,
            format!("column {t}.{col} looks like a reference to {} but has no foreign key", target.name),
        )
        .why(format!(
            "Nothing stops {col} from holding ids that are not in {}: deleted parents leave orphans behind, and a delete \
             racing with an insert creates them.",
            target.name
        ))
        .help(format!(
            "{add} then {validate} (clean up orphans first; validation does not block writes)"
        ))
        .suggest(vec![add, validate], true);
    report.push(finding);
}

/// One finding for the many references to one table that have no foreign key, in a schema that
/// declares `declared` others.
fn report_pattern(report: &mut Report, group: &[Loose], declared: usize) {
    let Some(&(first_table, first, target, _)) = group.first() else {
        return;
    };
    let columns: Vec<String> = group
        .iter()
        .map(|(t, c, _, _)| format!("{}.{}", t.name, quote_ident(&c.name)))
        .collect();
    let statements: Vec<String> = group.iter().flat_map(|l| add_key(l).1).collect();
    let finding = report
        .finding(
            &first.origin.file,
            first.name_span,
            format!(
                "{} columns look like references to {} but have no foreign key, against {declared} that have one: {}",
                group.len(),
                target.name,
                columns.join(", ")
            ),
        )
        .why(format!(
            "Nothing stops these columns from holding ids that are not in {}: deleted parents leave orphans behind. \
             So many of them, beside declared keys, are either a gap or a choice (the tables are written too often to \
             check, or {} rows are never deleted); the choice deserves a word in the schema.",
            target.name, target.name
        ))
        .help(format!(
            "Add the keys without blocking writes, each NOT VALID and then validated, starting with {}.{}: {} \
             If they are left off on purpose, list the tables' words under `ignore-tables` in [lint.missing-foreign-key] \
             of dbwise.toml.",
            first_table.name,
            quote_ident(&first.name),
            statements.join(" ")
        ))
        .suggest(statements, true);
    report.push(finding);
}
