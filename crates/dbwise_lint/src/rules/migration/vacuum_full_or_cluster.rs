use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;

use super::common::{blocked, existing_ops, locks, report_op, work};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "vacuum-full-or-cluster",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "VACUUM FULL or CLUSTER rewrites an existing table under ACCESS EXCLUSIVE",
        doc: "## What it finds
`VACUUM FULL` and `CLUSTER` of a table that existed before this migration.

## Why it matters
Both copy the whole table into new storage and rebuild its indexes while holding ACCESS
EXCLUSIVE: nothing can read or write the table until they finish, and they need free disk space
for a full copy.

## Example
```sql
VACUUM FULL orders;
```

## Use instead
Plain `VACUUM` (no exclusive lock) keeps free space reusable. To really shrink or reorder a
table online, use an extension such as `pg_repack` or `pg_squeeze` outside the migration.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::VacuumFull | DdlForm::Cluster)) {
        let Some(effect) = &op.effect else { continue };
        let t = op.target.to_string();
        let what = if op.form == DdlForm::Cluster {
            "CLUSTER"
        } else {
            "VACUUM FULL"
        };
        report_op(
            ctx,
            report,
            op,
            format!(
                "{what} {} of {t}{} under {}",
                work(effect),
                ctx.size_note(&op.target),
                locks(effect, &t, None)
            ),
            format!(
                "{what} copies {t} and rebuilds its indexes; {} wait until it is done.",
                blocked(effect)
            ),
            format!(
                "Use plain VACUUM {t}; in a migration, or pg_repack / pg_squeeze outside it to compact {t} online."
            ),
        );
    }
}
