use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{DdlForm, TransactionUse};
use dbwise_syntax::ast::{Stmt, quote_literal};

use super::common::anchor;
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "enum-value-in-transaction",
        category: Category::Migration,
        severity: Severity::Error,
        summary: "ALTER TYPE ... ADD VALUE in a transaction: fails on PostgreSQL 11, unusable until commit from 12",
        doc: "## What it finds
`ALTER TYPE ... ADD VALUE` inside a transaction block (one the file opens, or one the migration
framework adds):
- on PostgreSQL 11, unless the type was created in the same migration: the statement is refused;
- from PostgreSQL 12, when a later statement of the same transaction uses the new value, even
  for a type created in that transaction.

## Why it matters
PostgreSQL 11 rejects `ADD VALUE` in a transaction block. From 12 it runs, but the new value
cannot be used until the transaction commits: an `UPDATE ... SET status = 'archived'` or a
default using it in the same migration fails with `unsafe use of new value`.

## Example
```sql
ALTER TYPE order_status ADD VALUE 'archived';
UPDATE orders SET status = 'archived' WHERE closed_at < now() - interval '1 year';
```

## Use instead
Add the value in a migration of its own (on PostgreSQL 11: one that runs without a
transaction), and use it in a later migration.

## PostgreSQL versions
11: refused inside a transaction block. 12 and later: allowed, but the value is unusable until
commit.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let Stmt::AlterEnumAddValue { name, value, .. } = &ctx.statement.stmt else {
        return;
    };
    if !ctx.transaction.in_transaction {
        return;
    }
    // PostgreSQL 11 accepts ADD VALUE in the transaction that created the type; the
    // unusable-until-commit rule of 12 and later holds for every type (checked on 15).
    let created_here = ctx
        .catalog
        .resolve(&ctx.catalog.types, name)
        .and_then(|k| ctx.catalog.types.get(&k))
        .is_some_and(|t| t.origin.migration() == Some(ctx.unit.index));
    for op in ctx.operations {
        let (DdlForm::AlterTypeAddValue, Some(effect)) = (op.form, &op.effect) else {
            continue;
        };
        let (message, why) = match effect.transaction {
            TransactionUse::OutsideTransactionBlock if created_here => continue,
            TransactionUse::OutsideTransactionBlock => (
                format!(
                    "ALTER TYPE {name} ADD VALUE runs inside a transaction block and fails on PostgreSQL {}",
                    ctx.settings.pg_version
                ),
                "This PostgreSQL version refuses ADD VALUE inside a transaction block.".to_owned(),
            ),
            TransactionUse::UnusableUntilCommit => {
                let Some(line) = use_in_same_transaction(ctx, value) else {
                    continue;
                };
                (
                    format!(
                        "the new value '{value}' of {name} is used at line {line}, before the transaction that adds it commits"
                    ),
                    format!(
                        "PostgreSQL {} lets ADD VALUE run in a transaction, but the value cannot be used until that transaction commits: the statement at line {line} fails with \"unsafe use of new value\".",
                        ctx.settings.pg_version
                    ),
                )
            }
            TransactionUse::Any => continue,
        };
        let finding = report
            .finding(ctx.file, anchor(ctx, op), message)
            .why(why)
            .help(format!(
                "Move ALTER TYPE {name} ADD VALUE '{value}'; to a migration of its own that runs without a transaction, and use '{value}' in a later migration."
            ));
        report.push(finding);
    }
}

/// The 1-based line of a later statement of the same transaction that mentions `'value'`.
fn use_in_same_transaction(ctx: &StatementContext, value: &str) -> Option<usize> {
    let literal = quote_literal(value);
    ctx.following_in_transaction()
        // A label in another type's definition is no use of the value.
        .filter(|s| {
            !matches!(
                s.stmt,
                Stmt::AlterEnumAddValue { .. }
                    | Stmt::AlterEnumRenameValue { .. }
                    | Stmt::CreateEnum { .. }
            )
        })
        .find(|s| ctx.file.slice(s.span).contains(&literal))
        .map(|s| ctx.file.line_of(s.span.start) + 1)
}
