use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::LockLevel;

use super::common::{anchor, blocked, existing_ops};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "missing-lock-timeout",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "A statement takes ACCESS EXCLUSIVE or SHARE on an existing table with no lock_timeout set",
        doc: "## What it finds
The first statement of a migration that takes an ACCESS EXCLUSIVE or SHARE lock on a table that
existed before the migration, when no `SET lock_timeout` (or `SET LOCAL lock_timeout`) to a
non-zero value comes before it. One finding per migration: a single `SET` at the top covers the
rest. Statements on tables created in the same migration are not reported.

## Why it matters
Even an instant ALTER TABLE must wait for every transaction that touches the table to finish
before it gets its lock, and while it waits, every new query on the table queues behind it. A
long-running report or an idle-in-transaction session turns a millisecond change into minutes of
downtime. With a `lock_timeout` the migration fails fast instead and can be retried.

## Example
```sql
ALTER TABLE orders ADD COLUMN note text;
```

## Use instead
```sql
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN note text;
```
Retry the migration when it times out.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    if ctx.transaction.lock_timeout.is_some() || ctx.transaction.strong_locks_in_unit > 0 {
        return;
    }
    let strong = |level: LockLevel| matches!(level, LockLevel::AccessExclusive | LockLevel::Share);
    let Some((op, effect)) = existing_ops(ctx, |_| true).find_map(|op| {
        op.effect
            .as_ref()
            .filter(|e| e.strongest().is_some_and(strong))
            .map(|e| (op, e))
    }) else {
        return;
    };
    let level = effect.strongest().unwrap_or(LockLevel::AccessExclusive);
    let table = op
        .locked_table(ctx.catalog)
        .map_or_else(|| op.target.to_string(), |t| t.to_string());
    let mut finding = report
        .finding(
            ctx.file,
            anchor(ctx, op),
            format!("{level} on existing table {table} is requested with no lock_timeout set"),
        )
        .why(format!(
            "While this statement waits for running transactions on {table} to finish, every new query on {table} queues behind it and {} stop; without a lock_timeout that wait has no limit.",
            blocked(effect)
        ))
        .help("Start the migration with SET lock_timeout = '5s'; (SET LOCAL inside a transaction) and retry the migration when it times out.");
    finding.severity = ctx.scaled_severity(&op.target, None);
    report.push(finding);
}
