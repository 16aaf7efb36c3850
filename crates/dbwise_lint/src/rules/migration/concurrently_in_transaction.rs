use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{DdlForm, TransactionUse};

use super::common::anchor;
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "concurrently-in-transaction",
        category: Category::Migration,
        severity: Severity::Error,
        summary: "A CONCURRENTLY statement that runs inside a transaction block and will fail",
        doc: "## What it finds
`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY` and
`DETACH PARTITION ... CONCURRENTLY` in a migration that runs inside a transaction block: one the
file opens with `BEGIN`, or one the migration framework wraps around every migration by default
(diesel, Flyway, golang-migrate with multi-statement files, Prisma, ...). Whether the table is
new does not matter: PostgreSQL refuses the statement.

## Why it matters
These statements commit in several internal transactions of their own, so PostgreSQL rejects
them inside a transaction block with `ERROR: ... cannot run inside a transaction block`. The
migration fails at deploy time.

## Example
```sql
-- a diesel migration without metadata.toml runs in a transaction
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
```

## Use instead
Put the statement in a migration of its own and turn the framework's transaction off for it:
diesel `run_in_transaction = false` in `metadata.toml`; sqlx `-- no-transaction` as the first
line; Flyway `executeInTransaction=false`; golang-migrate one statement per file. Remove any
`BEGIN`/`COMMIT` around it.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    if !ctx.transaction.in_transaction {
        return;
    }
    for op in ctx.operations {
        if matches!(op.form, DdlForm::AlterTypeAddValue)
            || op
                .effect
                .as_ref()
                .is_none_or(|e| e.transaction != TransactionUse::OutsideTransactionBlock)
        {
            continue;
        }
        let opener = if ctx.transaction.implicit {
            "the migration framework runs this migration inside a transaction"
        } else {
            "a BEGIN earlier in this file opened a transaction block"
        };
        let finding = report
            .finding(
                ctx.file,
                anchor(ctx, op),
                "this CONCURRENTLY statement runs inside a transaction block and will fail",
            )
            .why(format!(
                "PostgreSQL rejects it with \"cannot run inside a transaction block\", and {opener}."
            ))
            .help(
                "Move the statement to a migration of its own that runs without a transaction (diesel: run_in_transaction = false in metadata.toml; \
                 sqlx: -- no-transaction; Flyway: executeInTransaction=false) and remove any BEGIN/COMMIT around it.",
            );
        report.push(finding);
    }
}
