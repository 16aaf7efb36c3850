use std::collections::BTreeSet;

use dbwise_catalog::{Catalog, Index, ObjectName, Table, TableConstraint, truncate_identifier};
use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::{ForeignKey, Identifier, quote_ident};

use super::common::{
    CONVENTION_NOTE, LOOKUP_TABLE_WORDS, SMALL_TABLE_WORDS, has_word, is_lookup_table,
    judged_tables, stays_small, words,
};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};
use crate::size;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "foreign-key-without-index",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "a foreign key whose columns do not lead any index",
        doc: "## What it finds
A foreign key whose columns are not the leading columns of any index on the referencing table,
judged on the schema after the whole replay. Composite keys count as covered when an index
starts with all of their columns, in any order, or with their first column, which nearly always
narrows the lookup to a few rows (an account id beside its owner's id). The index may be the primary key, a unique
constraint or a plain index; a partition is covered by an index on its partitioned parent, and
a partitioned table by indexes on every one of its partitions.

It stays quiet when the referencing table was never created in the SQL it read (it cannot see
that table's indexes), and it does not count partial indexes, which only cover some rows
(except one whose predicate only says that the key columns are NOT NULL, which every lookup
by key implies), or index methods that cannot serve an equality lookup on those columns.

A schema that leaves four or more keys unindexed, and at least as many as it indexes, gets one
note (info) that lists them all: that is how the project works, and which of its keys deserve an
index (those of large tables whose parents get deleted, or that queries follow) is a choice
made key by key. In a schema that indexes most of its keys, the unindexed ones are reported
one by one, and a table with four or more of them gets one note that lists them instead of one
finding per key:
indexing every reference of a table that holds many (as ORMs generate for optional relations)
would slow each write to it, so the choice is which keys deserve an index.

A key on one column that most of its table's indexes (of at least two) hold after other
columns, as a network or tenant id appended to each key
(`PRIMARY KEY (id, nid)`, `(subject, nid)`), is not reported: rows are never looked up by it
alone, and an index on it would hold a handful of values.

Keys on columns that record who changed the row (`created_by`, `updated_by_id`,
`mergedBy`, `invited_by_user_id`; the verbs are an option) are not reported either: they are written once and read
with the row, never used to find rows from the person, and people are rarely deleted.

Keys that point at a lookup table (one whose name ends with `type`, `kind`, `status`,
`language`, `country`, `role`, `category`, ...; the words are an option) are not reported: their
rows are practically never deleted or re-keyed, and an index on such a low-cardinality column
of the child seldom serves a query.

Nor are the keys of short-lived tables (a name with `session`, `token`, `otp`, `nonce`,
`challenge`, `invite` or `invitation` in it, or starting with `temp` or `tmp`; the words are an
option): their rows expire and are purged on their own, so the table stays small, and it is
read by its own key (the token, the session id), not from the parent. The same goes for
tables that stay small because their rows are bounded by the number of users, tenants or
features, not by use: a name with `settings`, `config`, `providers`, `webhooks`, `api_keys`,
`templates`, `plans`, `invites` and the like in it (an option), unless it ends with a word for
records that grow with use (`webhook_deliveries`, `api_key_requests`). When `[tables] sizes`
gives a table's size, that decides instead: below 10,000 rows its keys are not reported.

The scan per deleted parent row costs something only on a large table. The keys of a table
that shows it is large are listed: a `[tables] sizes` entry or a size read with
`--database-url`, partitioning, or a name that ends with a word for records that grow with use
(`events`, `messages`, `deliveries`, `items`, `runs`, `orders`...). The keys of a table whose
size nothing shows are counted in the summary instead (`--unknown-sizes list` lists them).

## Why it matters
PostgreSQL indexes the referenced side (it needs a unique key) but not the referencing side.
Every DELETE of a parent row, and every UPDATE of its key, must find the child rows: without an
index that is a sequential scan of the child table for each parent row, while locks are held.
Joins from parent to children, the most common query on such a pair, pay the same price.

## Example
```sql
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id)
);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
```
",
        options: &[
            RuleOption {
                name: "lookup-tables",
                kind: OptionKind::StringList,
                default: LOOKUP_TABLE_WORDS,
                doc: "last words of referenced table names that mark a static lookup table",
            },
            RuleOption {
                name: "short-lived-tables",
                kind: OptionKind::StringList,
                default: r#"["session", "sessions", "token", "tokens", "otp", "otps", "ott", "otts", "nonce", "nonces", "challenge", "challenges", "invite", "invites", "invitation", "invitations"]"#,
                doc: "words in the names of tables whose rows expire on their own (sessions, tokens, invitations), whose keys are not reported",
            },
            RuleOption {
                name: "small-tables",
                kind: OptionKind::StringList,
                default: SMALL_TABLE_WORDS,
                doc: "words in the names of tables bounded by the number of users, tenants or features (settings, providers, webhooks), whose keys are not reported",
            },
            RuleOption {
                name: "audit-verbs",
                kind: OptionKind::StringList,
                default: r#"["created", "updated", "modified", "deleted", "merged", "closed", "approved", "reviewed", "invited", "archived", "edited", "changed", "published", "verified", "revoked", "resolved", "cancelled", "canceled", "locked", "triggered", "requested", "submitted", "rejected", "accepted", "uploaded", "imported", "started", "finished", "acknowledged", "confirmed"]"#,
                doc: "verbs of `<verb>_by` columns (`created_by`, `invited_by_user_id`) that record who changed the row, whose keys are not reported",
            },
        ],
    },
    check: Check::Catalog(check),
};

/// From this many unindexed keys on one table, they are one finding: the answer is a choice
/// among them, not an index each.
const MANY_KEYS: usize = 4;

fn check(ctx: &CatalogContext, report: &mut Report) {
    let lookup = ctx.option_words("lookup-tables");
    let audit = ctx.option_words("audit-verbs");
    let short_lived = ctx.option_words("short-lived-tables");
    let small = ctx.option_words("small-tables");
    let mut indexed = 0;
    let mut by_table = Vec::new();
    for table in judged_tables(ctx.catalog) {
        let mut unindexed = Vec::new();
        for (constraint, fk) in table.foreign_keys() {
            let to_lookup = ctx
                .catalog
                .table(&fk.target)
                .is_some_and(|t| is_lookup_table(t, &lookup));
            if fk.columns.is_empty()
                || to_lookup
                || fk.columns.iter().all(|c| audit_column(c, &audit))
                || scope_suffix(ctx.catalog, table, &fk.columns)
            {
                continue;
            }
            // For a key of several columns an index on its first one serves the lookup well
            // enough: the first column (an account id beside its owner's id) nearly always
            // narrows it to a few rows.
            if covered(ctx.catalog, table, &fk.columns)
                || covered(ctx.catalog, table, &fk.columns[..1])
            {
                indexed += 1;
            } else {
                unindexed.push((constraint, fk));
            }
        }
        if !unindexed.is_empty() {
            by_table.push((table, unindexed));
        }
    }
    let total: usize = by_table.iter().map(|(_, keys)| keys.len()).sum();
    // Short-lived and small tables count as evidence of how the schema treats its keys, but
    // their own keys are not reported.
    by_table.retain(|(table, _)| {
        !has_word(&table.name.name, &short_lived)
            && !stays_small(ctx, table, &small)
            && !matches!(
                words(&table.name.name).first().map(String::as_str),
                Some("temp" | "tmp")
            )
    });
    // A key costs a scan per deleted parent row only when its table is large: the keys of
    // tables whose size nothing shows are reported one by one and counted, not listed.
    let (by_table, unknown): (Vec<_>, Vec<_>) = by_table
        .into_iter()
        .partition(|(table, _)| size::unknown(ctx.settings, table).is_none());
    let listed: usize = by_table.iter().map(|(_, keys)| keys.len()).sum();
    if listed >= MANY_KEYS && total >= indexed {
        report_schema_convention(report, &by_table, listed, indexed);
    } else {
        report_tables(ctx, report, by_table);
    }
    report_tables(ctx, report, unknown);
}

/// A finding per key, or one per table for a table with [`MANY_KEYS`] or more.
fn report_tables(
    ctx: &CatalogContext,
    report: &mut Report,
    by_table: Vec<(&Table, Vec<(&TableConstraint, &ForeignKey)>)>,
) {
    for (table, unindexed) in by_table {
        let unknown_size = size::unknown(ctx.settings, table);
        if unindexed.len() >= MANY_KEYS {
            let keys = unindexed
                .iter()
                .map(|(_, fk)| format!("({})", column_list(&fk.columns)))
                .collect::<Vec<_>>()
                .join(", ");
            let mut finding = report
                .finding(
                    &table.origin.file,
                    table.name_span,
                    format!(
                        "{} has {} foreign keys with no index that starts with their columns: {keys}",
                        table.name,
                        unindexed.len()
                    ),
                )
                .why(format!(
                    "Deleting a referenced row, or changing its key, scans {table} for each key without an index, and joins along those keys scan it too. \
                     An index per key would also slow every write to {table}, so which keys deserve one is a choice.",
                    table = table.name,
                ))
                .help(format!(
                    "Index the keys whose referenced rows get deleted or re-keyed, or that queries filter or join {} by, with CREATE INDEX CONCURRENTLY; leave the rest.",
                    table.name
                ));
            finding.severity = Severity::Info;
            report.push(finding.unknown_size(unknown_size));
            continue;
        }
        for (constraint, fk) in unindexed {
            let columns = column_list(&fk.columns);
            let steps = index_steps(ctx.catalog, table, &fk.columns, &columns);
            let finding = report
                .finding(
                    &constraint.origin.file,
                    constraint.span,
                    format!("foreign key `{}` on {} ({columns}) has no index that starts with its columns", constraint.name, table.name),
                )
                .why(format!(
                    "Deleting a row of {target} or changing its key makes PostgreSQL look up the matching rows of {table}: \
                     with no index on ({columns}) that is a sequential scan of {table} per row, and joins from {target} to {table} \
                     scan it too.{}",
                    partial_note(ctx.catalog, table, &fk.columns),
                    target = fk.target,
                    table = table.name,
                ))
                .help(steps.join(" "))
                .suggest(steps, false)
                .unknown_size(unknown_size.clone());
            report.push(finding);
        }
    }
}

/// A single-column key that most of its table's indexes (of two or more) carry after other
/// columns, as a network or tenant id that scopes each key (`(id, nid)`, `(subject, nid)`):
/// no query looks rows up by it alone, and an index on it would hold one or a few values.
fn scope_suffix(catalog: &Catalog, table: &Table, columns: &[Identifier]) -> bool {
    let [column] = columns else {
        return false;
    };
    let scoped = |index: &Index| {
        index
            .elems
            .iter()
            .skip(1)
            .any(|e| e.column.as_deref() == Some(column.as_str()))
    };
    let indexes: Vec<&Index> = catalog.indexes_on(&table.name).collect();
    let scoping = indexes.iter().filter(|i| scoped(i)).count();
    indexes.len() >= 2 && scoping * 2 > indexes.len()
}

/// A column that records who did something to the row (`created_by`, `mergedById`): such
/// references are written once and read beside the row, never looked up from the person.
fn audit_column(column: &str, verbs: &[String]) -> bool {
    // `created_by`, `createdById`, and `invited_by_user_id`, which names the table it points at.
    words(column)
        .windows(2)
        .any(|pair| pair[1] == "by" && verbs.iter().any(|v| *v == pair[0]))
}

/// One note for a schema that leaves most of its foreign keys unindexed: that is how the
/// project works, and which keys deserve an index is a choice made key by key.
fn report_schema_convention(
    report: &mut Report,
    by_table: &[(&Table, Vec<(&TableConstraint, &ForeignKey)>)],
    total: usize,
    indexed: usize,
) {
    let Some((first, _)) = by_table
        .iter()
        .flat_map(|(_, keys)| keys)
        .min_by_key(|(c, _)| c.origin.statement())
    else {
        return;
    };
    let keys = by_table
        .iter()
        .flat_map(|(table, keys)| {
            keys.iter()
                .map(move |(_, fk)| format!("{} ({})", table.name, column_list(&fk.columns)))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut finding = report
        .finding(
            &first.origin.file,
            first.span,
            format!(
                "{total} foreign keys have no index that starts with their columns, against {indexed} that have one{CONVENTION_NOTE}"
            ),
        )
        .why(
            "Deleting a referenced row, or changing its key, scans the referencing table once per key without an index, and joins \
             along such a key scan it too; for keys whose parents are seldom deleted and that no query follows, that never matters.",
        )
        .help(format!(
            "Index, with CREATE INDEX CONCURRENTLY, the keys of large tables whose referenced rows get deleted or that queries filter or join by; leave the rest. The keys: {keys}."
        ))
        .convention();
    finding.severity = Severity::Info;
    report.push(finding);
}

fn column_list(columns: &[Identifier]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The statements that add the index. CONCURRENTLY is not allowed on a partitioned table:
/// there the index is created on the parent alone and built on each partition concurrently.
/// The statements that build the index (CONCURRENTLY, so outside a transaction block).
fn index_steps(
    catalog: &Catalog,
    table: &Table,
    fk_columns: &[Identifier],
    columns: &str,
) -> Vec<String> {
    let key = fk_columns.join("_");
    let name = |table: &str| quote_ident(&truncate_identifier(&format!("{table}_{key}_idx")));
    let index = name(&table.name.name);
    if !table.partitioned {
        return vec![format!(
            "CREATE INDEX CONCURRENTLY {index} ON {} ({columns});",
            table.name
        )];
    }
    let mut steps = vec![format!(
        "CREATE INDEX {index} ON ONLY {} ({columns});",
        table.name
    )];
    for partition in catalog
        .tables
        .values()
        .filter(|t| t.partition_of.as_ref() == Some(&table.name))
    {
        // A partition that already has exactly this index only needs it attached.
        let existing = catalog.indexes_on(&partition.name).find(|i| {
            i.method == "btree"
                && i.predicate.is_none()
                && i.elems.len() == fk_columns.len()
                && i.leading_columns()
                    .eq(fk_columns.iter().map(Identifier::as_str))
        });
        let part_index = match existing {
            Some(i) => quote_ident(&i.name.name),
            None => {
                let part_index = name(&partition.name.name);
                steps.push(format!(
                    "CREATE INDEX CONCURRENTLY {part_index} ON {} ({columns});",
                    partition.name
                ));
                part_index
            }
        };
        steps.push(format!(
            "ALTER INDEX {index} ATTACH PARTITION {part_index};"
        ));
    }
    steps
}

/// A sentence naming a partial index that starts with the key's columns, when there is one:
/// it looks like the key's index, but the lookup for a deleted parent must find every row, so
/// PostgreSQL cannot use it there.
fn partial_note(catalog: &Catalog, table: &Table, columns: &[Identifier]) -> String {
    let wanted: BTreeSet<&str> = columns.iter().map(Identifier::as_str).collect();
    catalog
        .indexes_on(&table.name)
        .find(|index| {
            index.predicate.is_some()
                && index.leading_columns().take(columns.len()).collect::<BTreeSet<_>>() == wanted
        })
        .and_then(|index| {
            let predicate = index.predicate.as_ref()?;
            Some(format!(
                " The partial index {} starts with these columns, but it holds only the rows WHERE {}, and the lookup for a deleted parent row must find them all.",
                quote_ident(&index.name.name),
                predicate.text,
            ))
        })
        .unwrap_or_default()
}

/// Whether the index can serve an equality lookup on exactly `columns` (in any order).
fn serves(index: &Index, columns: &[Identifier]) -> bool {
    let wanted: BTreeSet<&str> = columns.iter().map(Identifier::as_str).collect();
    let usable_method = index.method == "btree" || (index.method == "hash" && columns.len() == 1);
    let leading: BTreeSet<&str> = index.leading_columns().take(columns.len()).collect();
    let whole = index
        .predicate
        .as_ref()
        .is_none_or(|p| only_not_null(&p.text, columns));
    usable_method && whole && leading == wanted
}

/// Whether a partial index's predicate only says that key columns are not NULL
/// (`post_id IS NOT NULL`): a foreign-key lookup `WHERE post_id = $1` implies it, so the planner
/// can use the index.
fn only_not_null(predicate: &str, columns: &[Identifier]) -> bool {
    let text = predicate.to_ascii_lowercase();
    text.split(" and ").all(|part| {
        let part = part
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        part.strip_suffix("is not null").is_some_and(|column| {
            let column = column
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .trim()
                .trim_matches('"');
            columns.iter().any(|c| c.to_ascii_lowercase() == column)
        })
    })
}

/// Whether an index on the table (or on its partitioned parents) starts with exactly `columns`.
fn covered(catalog: &Catalog, table: &Table, columns: &[Identifier]) -> bool {
    let mut owner: Option<&ObjectName> = Some(&table.name);
    let mut depth = 0;
    while let Some(name) = owner {
        let hit = catalog.indexes_on(name).any(|index| serves(index, columns));
        if hit {
            return true;
        }
        owner = catalog
            .tables
            .get(name)
            .and_then(|t| t.partition_of.as_ref());
        depth += 1;
        if depth > 32 {
            break;
        }
    }
    partitions_covered(catalog, table, columns, 0)
}

/// A partitioned table whose every partition has a covering index of its own is covered too:
/// the lookup runs on each partition.
fn partitions_covered(
    catalog: &Catalog,
    table: &Table,
    columns: &[Identifier],
    depth: usize,
) -> bool {
    if !table.partitioned || depth > 32 {
        return false;
    }
    let mut partitions = catalog
        .tables
        .values()
        .filter(|t| t.partition_of.as_ref() == Some(&table.name))
        .peekable();
    partitions.peek().is_some()
        && partitions.all(|p| {
            catalog.indexes_on(&p.name).any(|i| serves(i, columns))
                || partitions_covered(catalog, p, columns, depth + 1)
        })
}
