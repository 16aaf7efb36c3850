use dbwise_diagnostics::{Category, Severity};
use dbwise_locks::{ColumnDefault, DdlForm, Generated};

use super::common::{blocked, existing_ops, locks, report_op, work};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "add-column-volatile-default",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "ADD COLUMN with a volatile default rewrites an existing table",
        doc: "## What it finds
`ALTER TABLE ... ADD COLUMN` on a table that existed before this migration whose default is
evaluated per row: a volatile function (`gen_random_uuid()`, `clock_timestamp()`, `random()`,
`uuid_generate_v4()`), or the sequence behind `serial` and identity columns. Constant and
stable defaults (`0`, `'x'`, `now()`) are not reported: PostgreSQL 11 and later store them in
the catalog without touching the rows. A column added `GENERATED ALWAYS AS (...) STORED` is
reported too: its expression is computed for every existing row, which rewrites the table the
same way. The rewrites of one file are one finding, at the first, naming the lines of the
others: each ALTER TABLE rewrites the table again, so they are best made one statement.

## Why it matters
A per-row default has to be written into every existing row, so PostgreSQL rewrites the whole
table under ACCESS EXCLUSIVE: no reads or writes until the copy is done, and the table needs
twice its disk space meanwhile.

## Example
```sql
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
```

## Use instead
```sql
ALTER TABLE orders ADD COLUMN public_id uuid;
ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
-- then backfill in batches, repeated until it updates 0 rows:
UPDATE orders SET public_id = gen_random_uuid()
WHERE ctid IN (SELECT ctid FROM orders WHERE public_id IS NULL LIMIT 10000);
```
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
                default: ColumnDefault::Volatile,
                generated: None,
                ..
            } | DdlForm::AddColumn {
                generated: Some(Generated::Stored),
                ..
            }
        )
    }) {
        let Some(effect) = op.effect.as_ref().filter(|e| e.rewrites) else {
            continue;
        };
        let t = op.target.to_string();
        let (what, computed, instead) = if matches!(
            op.form,
            DdlForm::AddColumn {
                generated: Some(_),
                ..
            }
        ) {
            (
                "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED",
                "A stored generated column is computed",
                "On a large table add a plain column, fill it for new rows with a trigger and backfill the old ones in batches; on PostgreSQL 18 a VIRTUAL generated column is computed when read and needs no rewrite.",
            )
        } else {
            (
                "ADD COLUMN with a volatile default",
                "The default is evaluated",
                "Add the column without a default (serial and identity columns: add a plain bigint, then attach a sequence with SET DEFAULT nextval(...)), set the default for new rows, then backfill existing rows in batches.",
            )
        };
        report_op(
            ctx,
            report,
            op,
            format!(
                "{what} {} of {t}{} under {}",
                work(effect),
                ctx.size_note(&op.target),
                locks(effect, &t, None)
            ),
            format!(
                "{computed} for every existing row, so PostgreSQL copies {t} into new storage; {} wait until it is done.",
                blocked(effect)
            ),
            instead.into(),
        );
    }
}
