use dbwise_catalog::ObjectName;
use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{DdlForm, LockLevel};

use super::common::{blocked, existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::lockmap;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "drop-index-non-concurrently",
        category: Category::Migration,
        severity: Severity::Info,
        summary: "DROP INDEX without CONCURRENTLY on an index of an existing table",
        doc: "## What it finds
`DROP INDEX` without `CONCURRENTLY` on an index whose table existed before this migration.
Indexes the replayed history never created are not reported (dbwise cannot tell which table
they belong to), nor are indexes of tables created in the same migration, nor indexes of a
partitioned table, which PostgreSQL cannot drop concurrently (`missing-lock-timeout` covers
the lock wait there). The drops of one file are one finding, at the first, which lists the
lines of the others: they have one fix.

## Why it matters
A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is
quick, but the lock request waits behind every running query on the table, and every query
that arrives after it waits too: a long report query turns a quick drop into an outage.
Since the drop is quick once the lock is granted, the hazard is that wait, which a
`lock_timeout` bounds (`missing-lock-timeout` reports its absence): this rule is a note. The
wait is long only behind the long queries of a large, busy table: a drop on a table whose size
nothing shows (no `[tables] sizes` entry or `--database-url`, not partitioned, not named for
records that grow with use) is counted in the summary rather than listed. A drop is not
reported when another statement of its transaction takes ACCESS EXCLUSIVE on the table: an
earlier one makes the drop wait for nothing new, and a later one (a `DROP COLUMN` that would
take the index with it) locks the table whether the drop is concurrent or not.

## Example
```sql
DROP INDEX orders_status_idx;
```

## Use instead
```sql
DROP INDEX CONCURRENTLY orders_status_idx;
```
`CONCURRENTLY` cannot run inside a transaction block and drops one index per statement; give it
a migration of its own that the framework runs without a transaction.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| {
        matches!(
            f,
            DdlForm::DropIndex {
                concurrently: false
            }
        )
    }) {
        let (Some(effect), Some(table)) = (&op.effect, op.locked_table(ctx.catalog)) else {
            continue;
        };
        // PostgreSQL cannot drop a partitioned table's index concurrently: there is nothing
        // better to suggest, and the lock wait is missing-lock-timeout's to report.
        if ctx
            .catalog
            .tables
            .get(&table)
            .is_some_and(|t| t.partitioned)
        {
            continue;
        }
        // Another statement of this transaction takes ACCESS EXCLUSIVE on the table, before
        // (the drop queues behind nothing new) or after (a DROP COLUMN that would drop the index
        // with it): CONCURRENTLY would not spare the table its lock, and that statement's lock
        // is the one to judge.
        if ctx
            .transaction
            .held
            .iter()
            .any(|h| h.table == table && h.level == LockLevel::AccessExclusive)
            || exclusive_later(ctx, &table)
        {
            continue;
        }
        let table = table.to_string();
        let index = op.target.to_string();
        let finding = report_op(
            ctx,
            report,
            op,
            format!(
                "DROP INDEX {} takes {} and blocks {} while it waits and runs",
                op.target,
                locks(effect, &table, Some(&index)),
                blocked(effect)
            ),
            format!(
                "The drop needs {}: it queues behind every running query on {table}, and every query after it queues behind it.",
                locks(effect, &table, Some(&index))
            ),
            format!("DROP INDEX CONCURRENTLY {};", op.target),
        );
        // The wait is long only behind the long queries of a large, busy table.
        if let Some(finding) = finding {
            finding.unknown_size = ctx.size_unknown(&op.target);
        }
    }
}

/// Whether a later statement of the same transaction, other than a drop of an index, takes
/// ACCESS EXCLUSIVE on `table`.
fn exclusive_later(ctx: &StatementContext, table: &ObjectName) -> bool {
    ctx.transaction.in_transaction
        && ctx
            .following_in_transaction()
            .flat_map(|s| {
                lockmap::operations(
                    s,
                    ctx.catalog,
                    ctx.settings.pg_version,
                    ctx.transaction.utc_time_zone.is_some(),
                )
            })
            // Another plain DROP INDEX takes the same fix, so it does not count.
            .any(|op| {
                !matches!(op.form, DdlForm::DropIndex { .. })
                    && op.effect.as_ref().and_then(|e| e.strongest())
                        == Some(LockLevel::AccessExclusive)
                    && op.locked_table(ctx.catalog).as_ref() == Some(table)
            })
}
