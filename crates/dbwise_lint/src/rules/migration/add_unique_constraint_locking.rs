use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{ConstraintKind, DdlForm};

use super::common::unique_constraint;
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "add-unique-constraint-locking",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ADD UNIQUE builds its index under ACCESS EXCLUSIVE on an existing table",
        doc: "## What it finds
`ALTER TABLE ... ADD [CONSTRAINT ...] UNIQUE (...)` on a table that existed before this
migration, unless it is added `USING INDEX` an index built beforehand. Tables created in the
same migration are not reported, nor a constraint that a later statement of the same migration
drops again (it never outlives the migration).

## Why it matters
The constraint builds its unique index while holding ACCESS EXCLUSIVE on the table: no reads or
writes until the whole table has been read and sorted.

## Example
```sql
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
```

## Use instead
```sql
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);  -- outside a transaction
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    unique_constraint(ctx, report, |f| {
        matches!(
            f,
            DdlForm::AddConstraint {
                kind: ConstraintKind::Unique,
                using_index: false,
                ..
            }
        )
    });
}
