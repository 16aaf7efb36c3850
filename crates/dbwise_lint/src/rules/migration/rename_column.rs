use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::DdlForm;
use dbwise_syntax::ast::{Stmt, quote_ident};

use super::common::{existing_ops, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "rename-column",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "RENAME COLUMN on an existing table breaks the application code that is running",
        doc: "## What it finds
`ALTER TABLE ... RENAME COLUMN` on a table that existed before this migration. Renames on tables
created in the same migration are not reported. The renames of one file are one finding, at
the first, naming the lines of the others: they ship with one release of the code.

## Why it matters
The rename itself is instant (a brief ACCESS EXCLUSIVE lock), but the application instances
that are running when it commits still use the old name, and every one of their queries on the
column fails until they are all replaced. A rolling deploy cannot make the schema and the code
change at the same moment.

## Example
```sql
ALTER TABLE users RENAME COLUMN name TO full_name;
```

## Use instead
Expand and contract, with a deploy between the steps: add `full_name`, deploy code writing both
columns, backfill `full_name` in batches, deploy code reading and writing only `full_name`, drop
`name`. dbwise's help gives the statements with the column's type; `dbwise migrate plan` prints
them as separate migrations. Or keep the old name in the database and rename only in the
application's mapping.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let Stmt::Rename(rename) = &ctx.statement.stmt else {
        return;
    };
    let Some(old) = &rename.subname else {
        return;
    };
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::RenameColumn)) {
        let Some(effect) = &op.effect else { continue };
        let t = op.target.to_string();
        let (old, new) = (quote_ident(old), quote_ident(&rename.new_name));
        report_op(
            ctx,
            report,
            op,
            format!("renaming {t}.{old} to {new} breaks every running query that uses {old}"),
            format!(
                "The rename takes {} only briefly, but application instances deployed before it keep sending {old}, and their queries fail until every instance runs code that uses {new}.",
                locks(effect, &t, None)
            ),
            format!(
                "Expand and contract: ALTER TABLE {t} ADD COLUMN {new} <type of {old}>; [deploy: write both {old} and {new}] backfill {new} from {old} in batches; \
                 [deploy: read and write only {new}] ALTER TABLE {t} DROP COLUMN {old};"
            ),
        );
    }
}
