use std::collections::HashSet;

use dbwise_diagnostics::{Category, Finding, Severity};
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

When three or more migrations are reported and none of the files linted ever sets a
lock_timeout, or fewer than one file for every ten reported (a project that sets it only before
the few changes it judged risky), not setting one is the project's practice, and one finding,
at the newest of them, says so: the fix is then a setting for the role that runs migrations,
not an edit of each file.

Nothing is reported when the code that runs the migrations sets a lock_timeout itself: a file
of the project (outside the migration files, with `migrat` in its path, such as
`migrate/migrate.go`) that holds `SET lock_timeout`, `SET LOCAL lock_timeout` or a
`lock_timeout=` connection option. dbwise says on stderr which file and line it took as that
evidence.

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
    if ctx.transaction.lock_timeout.is_some()
        || ctx.transaction.strong_locks_in_unit > 0
        || ctx.settings.lock_timeout_set_by.is_some()
    {
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

/// How many migrations without a lock_timeout, in a project that never sets one, make one
/// finding about the practice instead of one per migration.
const PRACTICE: usize = 3;

/// Replace the findings of this rule by one at the newest, when there are at least [`PRACTICE`]
/// files of them and the project has not taken up setting a lock_timeout: no linted file sets
/// one, or fewer than one for every ten files reported (a project that sets it only before the
/// few changes it judged risky).
pub(crate) fn fold_convention(findings: &mut Vec<Finding>, units_setting_it: usize) {
    let ours = |f: &Finding| f.rule == RULE.meta.id;
    let files: HashSet<&str> = findings
        .iter()
        .filter(|f| ours(f))
        .map(Finding::path)
        .collect();
    if files.len() < PRACTICE || units_setting_it * 10 >= files.len() {
        return;
    }
    let count = findings.iter().filter(|f| ours(f)).count();
    let Some(newest) = findings.iter().rposition(ours) else {
        return;
    };
    let finding = &mut findings[newest];
    finding.message = match units_setting_it {
        0 => format!(
            "{count} migrations take strong locks on existing tables and none of the linted files sets a lock_timeout; the newest: {}",
            finding.message
        ),
        some => format!(
            "{count} migrations take strong locks on existing tables with no lock_timeout, and only {some} of the linted files \
             set{} one; the newest: {}",
            if some == 1 { "s" } else { "" },
            finding.message
        ),
    };
    finding.help = "Set it once for the role that runs migrations, ALTER ROLE <migration role> SET lock_timeout = '5s'; \
                    (or PGOPTIONS='-c lock_timeout=5s' in the deploy job), and retry a migration that times out."
        .to_owned();
    // The newest stays where it is; the others go.
    let mut position = 0;
    findings.retain(|f| {
        position += 1;
        position - 1 == newest || !ours(f)
    });
}
