use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{ConstraintKind, DdlForm};

use super::common::unique_constraint;
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "add-primary-key-locking",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE on an existing table",
        doc: "## What it finds
`ALTER TABLE ... ADD [CONSTRAINT ...] PRIMARY KEY (...)` on a table that existed before this
migration, unless it is added `USING INDEX` an index built beforehand. Tables created in the
same migration are not reported, nor a constraint that a later statement of the same migration
drops again (it never outlives the migration).

## Why it matters
The primary key builds its unique index, and sets its columns NOT NULL (a full scan for each
nullable one), while holding ACCESS EXCLUSIVE on the table: no reads or writes until done.

## Example
```sql
ALTER TABLE events ADD PRIMARY KEY (id);
```

## Use instead
```sql
-- for each nullable key column: CHECK (id IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);  -- outside a transaction
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
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
                kind: ConstraintKind::PrimaryKey,
                using_index: false,
                ..
            }
        )
    });
}
