use dbwise_diagnostics::{Category, Severity};

use super::common::{indexes_by_table, judged_tables};
use crate::context::CatalogContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "too-many-indexes",
        category: Category::Design,
        severity: Severity::Info,
        summary: "a table with more non-unique indexes than `[lint.too-many-indexes] max`",
        doc: "## What it finds
Tables that, after the whole replay, have more non-unique indexes than the `max` option (10
by default). Unique indexes and those behind PRIMARY KEY, UNIQUE and EXCLUDE constraints are
not counted: they enforce rules of the data and cannot be dropped to speed writes up. Partial
and expression indexes count. Indexes on a partitioned parent are counted on the parent,
not again on each partition. Tables the replay did not create are skipped.

## Why it matters
Every index is written on every INSERT, and on every UPDATE that changes one of its
columns (an UPDATE that touches any indexed column loses the HOT optimisation, so it writes
all of them). Many indexes slow writes, bloat WAL and backups, take cache space from the
data, and give the planner more plans to consider. Past a handful, some are usually
redundant or unused.

## Example
A table with a primary key and nine single-column indexes, one per filter the admin screen
offers.

## Use instead
Check which indexes are used (`SELECT indexrelname, idx_scan FROM pg_stat_user_indexes
WHERE relname = '...'` on production), drop the unused ones with `DROP INDEX CONCURRENTLY`,
and replace groups of single-column indexes with the few composite indexes the real
queries need (`dbwise indexes` helps with a workload).
",
        options: &[RuleOption {
            name: "max",
            kind: OptionKind::Integer,
            default: "10",
            doc: "the most non-unique indexes a table may have before it is reported",
        }],
    },
    check: Check::Catalog(check),
};

fn check(ctx: &CatalogContext, report: &mut Report) {
    let max = ctx.option_int("max");
    let by_table = indexes_by_table(ctx.catalog);
    for table in judged_tables(ctx.catalog) {
        // Unique indexes enforce rules of the data: only the others are a choice to revisit.
        let mut indexes: Vec<&str> = by_table.get(&table.name).map_or_else(Vec::new, |list| {
            list.iter()
                .filter(|i| !i.unique && i.constraint().is_none())
                .map(|i| i.name.name.as_str())
                .collect()
        });
        if i64::try_from(indexes.len()).unwrap_or(i64::MAX) <= max {
            continue;
        }
        indexes.sort_unstable();
        let t = &table.name;
        let finding = report
            .finding(
                &table.origin.file,
                table.name_span,
                format!("table {t} has {} non-unique indexes (more than {max}): {}", indexes.len(), indexes.join(", ")),
            )
            .why(
                "Every index is maintained on every INSERT and on UPDATEs of its columns (and any indexed column change \
                 disables HOT updates), so many indexes slow writes, grow WAL and crowd the cache; some are usually unused.",
            )
            .help(format!(
                "On production run SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relid = '{}'::regclass ORDER BY idx_scan; \
                 drop indexes that are never scanned with DROP INDEX CONCURRENTLY, and merge single-column indexes into the \
                 composite ones the queries need.",
                t.to_string().replace('\'', "''")
            ));
        report.push(finding);
    }
}
