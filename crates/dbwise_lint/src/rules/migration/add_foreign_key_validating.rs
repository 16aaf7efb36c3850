use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::ConstraintKind;

use super::common::constraint_validation;
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "add-foreign-key-validating",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ADD FOREIGN KEY that validates existing rows under a lock that blocks writes",
        doc: "## What it finds
`ALTER TABLE ... ADD [CONSTRAINT ...] FOREIGN KEY` without `NOT VALID` on a table that existed
before this migration; and `VALIDATE CONSTRAINT` run in the same transaction as the
`ADD ... NOT VALID` it follows. Foreign keys on tables created in the same migration are not
reported, nor keys on a column this migration added without a default and did not fill since
(every row holds NULL there, which the key accepts, so the check cannot fail).

## Why it matters
Adding a foreign key takes SHARE ROW EXCLUSIVE on both the table and the referenced table and,
without `NOT VALID`, reads every row of the table to check it, so writes to both tables wait
for the whole scan. Validating in the same transaction keeps the first lock held for the scan.

## Example
```sql
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    FOREIGN KEY (customer_id) REFERENCES customers (id);
```

## Use instead
```sql
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
-- in a later migration (a separate transaction):
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
```
`VALIDATE CONSTRAINT` takes SHARE UPDATE EXCLUSIVE on the table, which lets reads and writes go on.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    constraint_validation(ctx, report, ConstraintKind::ForeignKey);
}
