use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;
use dbwise_syntax::ast::{Stmt, quote_ident};

use super::common::{existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "rename-table",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "RENAME of an existing table breaks the application code that is running",
        doc: "## What it finds
`ALTER TABLE ... RENAME TO` on a table that existed before this migration. Renames of tables
created in the same migration are not reported.

## Why it matters
The rename is instant, but application instances deployed before it still query the old name,
and their queries fail until every instance runs code that uses the new one.

## Example
```sql
ALTER TABLE customer RENAME TO customers;
```

## Use instead
Rename and leave a view with the old name in the same transaction (a simple view is updatable,
so old code keeps reading and writing through it); drop the view once every instance uses the
new name:
```sql
ALTER TABLE customer RENAME TO customers;
CREATE VIEW customer AS SELECT * FROM customers;
-- after the application deploy:
DROP VIEW customer;
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let Stmt::Rename(rename) = &ctx.statement.stmt else {
        return;
    };
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::RenameTable)) {
        let Some(effect) = &op.effect else { continue };
        let t = op.target.to_string();
        let new = quote_ident(&rename.new_name);
        report_op(
            ctx,
            report,
            op,
            format!("renaming {t} to {new} breaks every running query that uses {t}"),
            format!(
                "The rename takes {} only briefly, but application instances deployed before it keep querying {t} and fail until every instance uses {new}.",
                locks(effect, &t, None)
            ),
            format!(
                "ALTER TABLE {t} RENAME TO {new}; CREATE VIEW {t} AS SELECT * FROM {new}; then, after the deploy, DROP VIEW {t};"
            ),
        );
    }
}
