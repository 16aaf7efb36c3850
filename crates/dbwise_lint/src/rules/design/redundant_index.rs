use std::collections::BTreeMap;

use dbwise_catalog::{Catalog, Index};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::{IndexElem, quote_ident};

use super::common::{PATTERN, SMALL_TABLE_WORDS, indexes_by_table, mentions, stays_small};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};
use crate::size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "redundant-index",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "an index that duplicates another or is a left prefix of one",
        doc: "## What it finds
Indexes that, after the whole replay, another index on the same table makes unnecessary:
- an exact duplicate: same method, same key columns or expressions in the same order with
  the same operator classes and sort order, same predicate;
- a left prefix: a B-tree index whose keys are the first keys of a longer B-tree index with
  the same predicate, such as `(customer_id)` next to `(customer_id, placed_at)`.

It keeps any index that enforces something the other does not: a unique index is never
reported as a prefix of a longer one (the longer one does not enforce the shorter key's
uniqueness), and when a plain index duplicates a PRIMARY KEY or UNIQUE constraint it is
the plain index that is reported. A prefix index with INCLUDE columns the longer index does
not have is kept too. Of two exact duplicates, the later one is reported. Expression
elements are compared by their text, white space ignored. Indexes whose statement names a
collation (`(name COLLATE \"C\")`) are left out, since the collation changes which queries
they serve.

When five or more plain indexes each duplicate their table's primary key (schema generators
add a unique index on `id` beside the key), they are one finding that lists them all; so are
five or more left prefixes on the same columns in different tables (a model mixin's index on
every table's tenant column, beside the wider indexes that start with it).

Nothing is reported on a table that stays small: a table whose rows are bounded by the
number of users, tenants or features, not by use (a name with `settings`, `providers`,
`webhooks`, `api_keys`, `invites`, `plans` and the like in it, an option, that does not end
with a word for records such as `deliveries` or `requests`; or a `[tables] sizes` entry below
10,000 rows). Its extra index costs next to nothing. A left prefix on a table whose size
nothing shows (no `[tables] sizes` entry or `--database-url`, not partitioned, not named for
records that grow with use) is counted in the summary rather than listed; `--unknown-sizes
list` lists it. An exact duplicate serves nothing and is listed.

## Why it matters
A redundant index serves no query that the other cannot serve almost as well, yet it is
written on every INSERT and on UPDATEs of its columns, takes disk, cache, WAL and backup
space, and makes the planner consider one more plan.

## Example
```sql
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);
```

## Use instead
```sql
DROP INDEX CONCURRENTLY orders_customer_idx;
```
Check `pg_stat_user_indexes` first if the shorter index is much smaller and hot: a prefix
index can still be faster for very selective lookups on a wide composite index.
",
        options: &[RuleOption {
            name: "small-tables",
            kind: OptionKind::StringList,
            default: SMALL_TABLE_WORDS,
            doc: "words in the names of tables bounded by the number of users, tenants or features (settings, providers, webhooks), on which no redundant index is reported",
        }],
    },
    check: Check::Catalog(check),
};

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

fn same_elem(a: &IndexElem, b: &IndexElem) -> bool {
    a.column == b.column
        && a.expr.as_ref().map(|e| squash(&e.text)) == b.expr.as_ref().map(|e| squash(&e.text))
        && a.opclass == b.opclass
        && a.descending == b.descending
}

fn same_predicate(a: &Index, b: &Index) -> bool {
    a.predicate.as_ref().map(|p| squash(&p.text)) == b.predicate.as_ref().map(|p| squash(&p.text))
}

/// Whether `index` is its table's primary key.
fn is_primary_key(catalog: &Catalog, index: &Index) -> bool {
    index.constraint().is_some_and(|c| {
        catalog
            .tables
            .get(&index.table)
            .and_then(|t| t.primary_key())
            .is_some_and(|pk| pk.name == *c)
    })
}

/// Why `index` is redundant next to `other`, if it is.
fn redundant_next_to(catalog: &Catalog, index: &Index, other: &Index) -> Option<&'static str> {
    if index.name == other.name || index.method != other.method || !same_predicate(index, other) {
        return None;
    }
    let n = index.elems.len();
    if n == 0
        || n > other.elems.len()
        || !index
            .elems
            .iter()
            .zip(&other.elems)
            .all(|(a, b)| same_elem(a, b))
    {
        return None;
    }
    let covers_include = index.include.iter().all(|c| {
        other.include.contains(c)
            || other
                .elems
                .iter()
                .any(|e| e.column.as_deref() == Some(c.as_str()))
    });
    if !covers_include {
        return None;
    }
    if n == other.elems.len() {
        // Exact duplicates: keep the one that enforces more, then the primary key (foreign keys
        // and replication rely on it), then the constraint's, then the older.
        if index.unique != other.unique {
            return (!index.unique).then_some("duplicates");
        }
        let (primary, other_primary) = (
            is_primary_key(catalog, index),
            is_primary_key(catalog, other),
        );
        if primary != other_primary {
            return other_primary.then_some("duplicates");
        }
        if index.constraint().is_some() != other.constraint().is_some() {
            return index.constraint().is_none().then_some("duplicates");
        }
        return (index.origin.statement() > other.origin.statement()
            || index.origin.statement() == other.origin.statement() && index.name > other.name)
            .then_some("duplicates");
    }
    (index.method == "btree" && !index.unique && index.constraint().is_none()).then_some(PREFIX)
}

/// Whether the statement that created the index names a collation, which the model does not
/// keep: such an index is not comparable by its keys alone.
fn has_collation(index: &Index) -> bool {
    index.constraint().is_none()
        && index
            .origin
            .file
            .text()
            .get(index.origin.span.range())
            .is_some_and(|text| mentions(text, "collate"))
}

type Redundant<'a> = (&'a Index, &'a Index, &'static str);

fn check(ctx: &CatalogContext, report: &mut Report) {
    let by_table = indexes_by_table(ctx.catalog);
    let redundant: Vec<Redundant> = ctx
        .catalog
        .indexes
        .values()
        .filter(|index| judged(ctx.catalog, index) && !has_collation(index))
        .filter_map(|index| {
            by_table
                .get(&index.table)
                .into_iter()
                .flatten()
                .filter(|o| !has_collation(o))
                .find_map(|o| redundant_next_to(ctx.catalog, index, o).map(|r| (index, *o, r)))
        })
        .collect();
    // Plain duplicates of primary keys form one group, left prefixes one group per column list.
    let mut groups: BTreeMap<Option<String>, Vec<Redundant>> = BTreeMap::new();
    let mut others = Vec::new();
    for r in redundant {
        let (index, other, relation) = r;
        if relation == "duplicates"
            && index.constraint().is_none()
            && is_primary_key(ctx.catalog, other)
        {
            groups.entry(None).or_default().push(r);
        } else if relation == PREFIX {
            groups.entry(Some(keys_text(index))).or_default().push(r);
        } else {
            others.push(r);
        }
    }
    for (keys, mut group) in groups {
        if group.len() < PATTERN {
            others.extend(group);
            continue;
        }
        group.sort_by_key(|(index, _, _)| index.origin.statement());
        let Some((first, first_other, _)) = group.first() else {
            continue;
        };
        let (message, why) = match keys {
            None => (
                format!(
                    "{} indexes duplicate their table's primary key, the first {} on {} (beside {}): a pattern of this schema",
                    group.len(),
                    first.name.name,
                    first.table,
                    first_other.name.name
                ),
                "Each one indexes exactly what the primary key's own index does, so every INSERT writes the same keys twice \
                 and both take disk, cache and WAL. Schema generators add them when a model marks its id unique as well as \
                 primary.",
            ),
            Some(keys) => (
                format!(
                    "{} indexes on ({keys}) are each a left prefix of another index of their table, the first {} on {} (beside {}): a pattern of this schema",
                    group.len(),
                    first.name.name,
                    first.table,
                    first_other.name.name
                ),
                "Each one is served by the wider index of its table that starts with the same columns, yet every INSERT \
                 writes both and both take disk, cache and WAL. A schema generator or a shared model mixin (an index on \
                 every tenant column) usually adds them to every table.",
            ),
        };
        report_pattern(report, &group, message, why);
    }
    let small = ctx.option_words("small-tables");
    for (index, other, relation) in others {
        // A second index costs writes, disk and cache in proportion to its table: nothing
        // worth a change on a table that stays small, and on one whose size nothing shows, a
        // left prefix (which still serves some queries a little faster) is counted. An exact
        // duplicate serves nothing and is listed.
        let table = ctx.catalog.tables.get(&index.table);
        if table.is_some_and(|t| stays_small(ctx, t, &small)) {
            continue;
        }
        let unknown_size = table
            .filter(|_| relation == PREFIX)
            .and_then(|t| size::unknown(ctx.settings, t));
        report_one(ctx, report, index, other, relation, unknown_size);
    }
}

const PREFIX: &str = "is a left prefix of";

/// One finding for a group of plain indexes that are redundant in the same way.
fn report_pattern(report: &mut Report, group: &[Redundant], message: String, why: &str) {
    let Some((first, _, _)) = group.first() else {
        return;
    };
    let drops: Vec<String> = group
        .iter()
        .map(|(index, _, _)| format!("DROP INDEX CONCURRENTLY {};", index.name))
        .collect();
    let finding = report
        .finding(&first.origin.file, first.origin.span, message)
        .why(why)
        .help(format!(
            "Drop them (one statement each, outside a transaction), and stop the generator from adding them: {}",
            drops.join(" ")
        ))
        .suggest(drops, false);
    report.push(finding);
}

fn report_one(
    ctx: &CatalogContext,
    report: &mut Report,
    index: &Index,
    other: &Index,
    relation: &str,
    unknown_size: Option<String>,
) {
    let t = &index.table;
    let drop = match index.constraint() {
        Some(c) => format!("ALTER TABLE {t} DROP CONSTRAINT {};", quote_ident(c)),
        None => format!("DROP INDEX CONCURRENTLY {};", index.name),
    };
    let partition = ctx
        .catalog
        .tables
        .get(t)
        .is_some_and(|t| t.partition_of.is_some());
    let drop = if partition && relation == "duplicates" {
        format!(
            "{drop} If it is attached to an index of the partitioned parent, drop {} instead.",
            other.name
        )
    } else {
        drop
    };
    let keys = keys_text(index);
    let span = index
        .constraint()
        .and_then(|c| {
            ctx.catalog
                .tables
                .get(t)?
                .constraints
                .iter()
                .find(|k| k.name == c)
        })
        .map_or(index.origin.span, |k| k.span);
    let finding = report
            .finding(
                &index.origin.file,
                span,
                format!("index {} on {t} ({keys}) {relation} {} ({})", index.name.name, other.name.name, keys_text(other)),
            )
            .why(format!(
                "Every query {} can serve, {} serves too, but both are written on every INSERT and on UPDATEs of their columns \
                 and take disk, cache and WAL.",
                index.name.name, other.name.name
            ))
            .help(format!("{drop} (check pg_stat_user_indexes on production first)"));
    // A plain index drops on its own; a constraint's may carry foreign keys, and a partition's
    // index may belong to its parent's, so those keep the prose only.
    let finding = if index.constraint().is_none() && !partition {
        finding.suggest(
            vec![format!("DROP INDEX CONCURRENTLY {};", index.name)],
            false,
        )
    } else {
        finding
    };
    report.push(finding.unknown_size(unknown_size));
}

/// Indexes of tables the replay created (not of views or external tables).
fn judged(catalog: &Catalog, index: &Index) -> bool {
    catalog
        .tables
        .get(&index.table)
        .is_some_and(|t| !t.external && !t.temporary)
}

fn keys_text(index: &Index) -> String {
    index
        .elems
        .iter()
        .map(|e| match (&e.column, &e.expr) {
            (Some(c), _) => quote_ident(c),
            (None, Some(x)) => format!("({})", x.text),
            (None, None) => "?".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
