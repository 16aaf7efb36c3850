use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{ColumnDefault, DdlForm};

use dbwise_syntax::ast::{AlterTableAction, Stmt};

use super::common::existing_ops;
use crate::context::StatementContext;
use crate::lockmap::Operation;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "add-column-not-null-without-default",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows",
        doc: "## What it finds
`ALTER TABLE ... ADD COLUMN ... NOT NULL` (or `PRIMARY KEY`) with no `DEFAULT` on a table that
existed before this migration. Generated, identity and `serial` columns are not reported: they
fill themselves.

## Why it matters
Every existing row would get NULL in the new column, so PostgreSQL rejects the statement with
`column ... contains null values` as soon as the table has a row: the migration passes on an
empty development database and fails in production.

## Example
```sql
ALTER TABLE orders ADD COLUMN currency text NOT NULL;
```

## Use instead
Give existing rows a value with a constant default (no rewrite from PostgreSQL 11):
```sql
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
```
or, when there is no sensible constant: add the column nullable, deploy the application that
writes it, backfill existing rows in batches, then add the NOT NULL with the
`CHECK ... NOT VALID`, `VALIDATE`, `SET NOT NULL` sequence.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    for op in existing_ops(ctx, |f| {
        matches!(
            f,
            DdlForm::AddColumn {
                default: ColumnDefault::None,
                not_null: true,
                generated: None,
                ..
            }
        )
    }) {
        if ctx.emptied(&op.target) {
            continue;
        }
        let t = op.target.to_string();
        let Some(column) = ctx.file.text().get(op.span.range()) else {
            continue;
        };
        let mut finding = report
            .finding(
                ctx.file,
                op.span,
                format!("ADD COLUMN {column} NOT NULL without a DEFAULT fails if {t} has any row"),
            )
            .why(format!(
                "Existing rows of {t} would hold NULL in {column}, so PostgreSQL rejects the statement with \"column contains null values\" unless the table is empty."
            ))
            .help(help(ctx, op, &t, column));
        finding.severity = ctx.scaled_severity(&op.target, op.effect.as_ref());
        report.push(finding);
    }
}

/// A constant default when there is one for existing rows, else the plan that adds the column
/// nullable and fills it before NOT NULL.
fn help(ctx: &StatementContext, op: &Operation, table: &str, column: &str) -> String {
    let plan = ctx.plan_help(op, None);
    let type_name = match &ctx.statement.stmt {
        Stmt::AlterTable(alter) => op
            .cmd
            .and_then(|i| alter.cmds.get(i))
            .and_then(|cmd| match &cmd.action {
                AlterTableAction::AddColumn { column, .. } => column.type_name.as_ref(),
                _ => None,
            })
            .map(|t| t.display()),
        _ => None,
    };
    let type_name = type_name.as_deref().unwrap_or("<type>");
    let constant = format!(
        "If one constant suits every existing row, give it as the default (no rewrite from PostgreSQL 11): \
         ALTER TABLE {table} ADD COLUMN {column} {type_name} NOT NULL DEFAULT <value>;"
    );
    match plan {
        Some(plan) => format!("{constant} Otherwise: {plan}"),
        None => constant,
    }
}
