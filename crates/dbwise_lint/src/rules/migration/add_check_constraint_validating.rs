use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::ConstraintKind;

use super::common::constraint_validation;
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "add-check-constraint-validating",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ADD CHECK that validates existing rows under ACCESS EXCLUSIVE",
        doc: "## What it finds
`ALTER TABLE ... ADD [CONSTRAINT ...] CHECK (...)` without `NOT VALID` on a table that existed
before this migration; and `VALIDATE CONSTRAINT` run in the same transaction as the
`ADD ... NOT VALID` it follows. Checks on tables created in the same migration are not reported.
The checks one file adds are one finding, on the first, naming the lines of the others: one
change (NOT VALID, then VALIDATE) fixes them all.

## Why it matters
Adding a CHECK constraint takes ACCESS EXCLUSIVE on the table and, without `NOT VALID`, reads
every row while holding it: no query can read or write the table until the scan ends.

## Example
```sql
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
```

## Use instead
```sql
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
-- in a later migration (a separate transaction):
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    constraint_validation(ctx, report, ConstraintKind::Check);
}
