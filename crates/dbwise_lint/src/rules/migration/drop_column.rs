use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;
use dbwise_syntax::ast::{AlterTable, AlterTableAction, Stmt, quote_ident};

use super::common::{existing_ops, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "drop-column",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "DROP COLUMN on an existing table breaks code that still uses the column",
        doc: "## What it finds
`ALTER TABLE ... DROP COLUMN` on a table that existed before this migration. Drops on tables
created in the same migration are not reported, nor a column that the same migration adds
back to its table (a reset of its definition: queries that name it keep working).

## Why it matters
The drop is quick (ACCESS EXCLUSIVE, no rewrite), but application instances that still select,
insert or update the column fail as soon as it commits, and ORMs that list every column
(`SELECT` with all mapped fields) fail even when the code never uses it. The data is gone:
rolling the migration back does not bring it back.

## Example
```sql
ALTER TABLE users DROP COLUMN legacy_flags;
```

## Use instead
First deploy code that no longer reads or writes the column (and remove it from the ORM
mapping); then drop it in a later migration, with a `lock_timeout`:
```sql
SET lock_timeout = '5s';
ALTER TABLE users DROP COLUMN legacy_flags;
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let Stmt::AlterTable(alter) = &ctx.statement.stmt else {
        return;
    };
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::DropColumn)) {
        let Some(AlterTableAction::DropColumn { name, .. }) =
            op.cmd.and_then(|i| alter.cmds.get(i)).map(|c| &c.action)
        else {
            continue;
        };
        if added_back(ctx, alter, name) {
            continue;
        }
        let t = op.target.to_string();
        let c = quote_ident(name);
        report_op(
            ctx,
            report,
            op,
            format!("dropping {t}.{c} breaks every running query that still uses it"),
            format!(
                "Application instances deployed before this migration may still read or write {c}; their queries fail as soon as the drop commits, and the column's data cannot be restored by a rollback."
            ),
            String::new(),
        );
    }
}

/// The column is added again to the same table later in this migration, a reset of its
/// definition: queries that name it keep working, and losing its data is the point.
fn added_back(ctx: &StatementContext, alter: &AlterTable, column: &str) -> bool {
    let table = ctx.catalog.creation_name(&alter.name);
    let adds = |later: &AlterTable| {
        ctx.catalog.creation_name(&later.name) == table
            && later.cmds.iter().any(|cmd| {
                matches!(&cmd.action, AlterTableAction::AddColumn { column: added, .. } if added.name == column)
            })
    };
    adds(alter)
        || ctx.following.iter().any(|statement| match &statement.stmt {
            Stmt::AlterTable(later) => adds(later),
            _ => false,
        })
}
