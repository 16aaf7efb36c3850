use dbwise_diagnostics::{Category, Finding, Severity};
use dbwise_locks::DdlForm;
use dbwise_syntax::ast::{AlterTableAction, Stmt, quote_ident};

use super::common::{blocked, existing_ops, fold_in_file, locks, report_op};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta, find_word};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "alter-column-type-rewrite",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ALTER COLUMN ... TYPE that rewrites an existing table",
        doc: "## What it finds
`ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that existed before this migration when the
column's current type (known from the replayed history) cannot be converted without rewriting
the rows. Changes that keep the stored bytes are not reported: `varchar(n)` to `varchar(m)` with
`m >= n`, `varchar` to `text`, dropping a length limit, raising a `numeric` precision with the
same scale, raising a `timestamp` precision, and (from PostgreSQL 12, after
`SET TimeZone = 'UTC'`) `timestamp` to `timestamptz` or back without a USING clause when
the new type's precision is unset or 6. Columns whose current type the history does not show
are not reported. The changes of one file from the same type to the same type are one
finding, at the first, which lists the lines of the others.

A change to the same type with a USING clause (`TYPE job_status USING (CASE ... END)`) changes
values, not the type: the finding says so, and its help is an UPDATE in batches with the
expression as written, which makes the change without holding the lock.

## Why it matters
A rewrite copies the table (and rebuilds its indexes) under ACCESS EXCLUSIVE: no reads or
writes until it is done. Running application code also still sends the old type.

## Example
```sql
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);  -- total was integer
```

## Use instead
Expand and contract: add a new column of the new type, deploy the application writing both,
backfill in batches, deploy the application reading and writing only the new column, drop the
old one. dbwise's help gives the statements with the real names; `dbwise migrate plan` prints
them as separate migrations.

## PostgreSQL versions
From PostgreSQL 12, `timestamp` to `timestamptz` needs no rewrite when the session's `TimeZone`
is `UTC` (the stored values are the same); the finding says so, and `SET TimeZone = 'UTC';`
before the statement is then the whole fix.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let Stmt::AlterTable(alter) = &ctx.statement.stmt else {
        return;
    };
    for op in existing_ops(ctx, |f| matches!(f, DdlForm::AlterColumnType { .. })) {
        let Some(effect) = op.effect.as_ref().filter(|e| e.rewrites) else {
            continue;
        };
        let Some(AlterTableAction::AlterColumnType {
            column,
            type_name: new_type,
            using,
        }) = op.cmd.and_then(|i| alter.cmds.get(i)).map(|c| &c.action)
        else {
            continue;
        };
        let Some(old_type) = ctx
            .table(&op.target)
            .and_then(|t| t.column(column))
            .and_then(|c| c.type_name.as_ref())
        else {
            continue;
        };
        let t = op.target.to_string();
        let mut why = format!(
            "The new type stores values differently, so PostgreSQL rewrites every row and rebuilds the indexes of {t}; {} wait until it is done, and application code deployed now still uses the old type.",
            blocked(effect)
        );
        let zones = [old_type.name.as_str(), new_type.name.as_str()];
        if (zones == ["timestamp", "timestamptz"] || zones == ["timestamptz", "timestamp"])
            && ctx.settings.pg_version >= 12
        {
            let plain = if new_type.name == "timestamptz" {
                "timestamptz"
            } else {
                "timestamp"
            };
            why.push_str(&format!(
                " From PostgreSQL 12 this change is a catalog update under a brief lock when the session's TimeZone is UTC, \
                 there is no USING clause and the new type has no precision below 6: SET TimeZone = 'UTC'; then \
                 ALTER TABLE {t} ALTER COLUMN {} TYPE {plain};",
                quote_ident(column)
            ));
        }
        // The same type with a USING clause changes values, not the type: a data fix that an
        // UPDATE in batches makes without the lock.
        if using.is_some() && old_type.display() == new_type.display() {
            let col = quote_ident(column);
            // The expression as written, when the statement changes only this column: the
            // parsed one is shortened for messages.
            let statement = ctx.statement.span;
            let expression = find_word(ctx.file.text(), statement, "using")
                .filter(|_| alter.cmds.len() == 1)
                .and_then(|at| ctx.file.text().get(at.end as usize..statement.end as usize))
                .map(|rest| rest.trim().trim_end_matches(';').trim().to_owned())
                .filter(|rest| !rest.is_empty());
            let finding = report_op(
                ctx,
                report,
                op,
                format!(
                    "ALTER COLUMN {column} TYPE {} USING ... keeps the type of {t}.{column} and rewrites {t}{} under {} to change its values",
                    new_type.display(),
                    ctx.size_note(&op.target),
                    locks(effect, &t, None)
                ),
                format!(
                    "The USING clause changes the values of {col} without changing its type, yet PostgreSQL rewrites every row and rebuilds the \
                     indexes of {t} while {} wait.",
                    blocked(effect)
                ),
                String::new(),
            );
            if let Some(finding) = finding {
                let expression = expression.as_deref().unwrap_or("<the USING expression>");
                finding.help = format!(
                    "Change the values with an UPDATE instead, in batches that each commit, limited to the rows that change: \
                     UPDATE {t} SET {col} = {expression} WHERE {col} IS DISTINCT FROM ({expression}) AND <a batch of keys>;"
                );
                finding.suggestion = None;
            }
            continue;
        }
        report_op(
            ctx,
            report,
            op,
            format!(
                "changing {t}.{column} from {} to {} rewrites {t}{} under {}",
                old_type.display(),
                new_type.display(),
                ctx.size_note(&op.target),
                locks(effect, &t, None)
            ),
            why,
            "Expand and contract: add a column of the new type, write both, backfill in batches, switch reads, then drop the old column.".into(),
        );
    }
}

/// Fold the changes of one file from the same type to the same type into the first (a
/// migration that moves every timestamp column to timestamptz): one decision covers them.
pub(crate) fn fold_repeats(findings: &mut Vec<Finding>) {
    let change = |f: &Finding| {
        let (change, _) = f.message.split_once(" rewrites ")?;
        change
            .rsplit_once(" from ")
            .map(|(_, types)| types.to_owned())
    };
    fold_in_file(findings, RULE.meta.id, change, "same type changes");
}
