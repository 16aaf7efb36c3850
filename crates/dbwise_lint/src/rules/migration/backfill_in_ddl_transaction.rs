use dbwise_diagnostics::{Category, Severity};
use dbwise_syntax::ast::Stmt;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "backfill-in-ddl-transaction",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "UPDATE or DELETE of an existing table in the same transaction as lock-taking DDL",
        doc: "## What it finds
An `UPDATE` or `DELETE` of a table that existed before this migration, in a transaction where an
earlier DDL statement took a lock that blocks writes (SHARE or stronger) on an existing table.
Data changes on tables created in the same migration are not reported.

## Why it matters
Locks are held until the transaction ends. The DDL's lock (often ACCESS EXCLUSIVE, which blocks
reads too) stays held for as long as the backfill runs, which on a large table is minutes; and
the backfill's own row locks block every concurrent update of the rows it touched.

## Example
```sql
ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR';
```

## Use instead
Commit the DDL first, then backfill in a separate migration, in batches that each commit:
```sql
UPDATE orders SET currency = 'EUR'
WHERE ctid IN (SELECT ctid FROM orders WHERE currency IS NULL LIMIT 10000);
-- repeat until it updates 0 rows
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let (table, verb) = match &ctx.statement.stmt {
        Stmt::Update { table, .. } => (table, "UPDATE"),
        Stmt::Delete { table, .. } => (table, "DELETE"),
        _ => return,
    };
    if !ctx.transaction.in_transaction || !ctx.existing(table) {
        return;
    }
    let Some(held) = ctx
        .transaction
        .held
        .iter()
        .filter(|h| h.level.blocks_writes())
        .max_by_key(|h| h.level)
    else {
        return;
    };
    let line = ctx.file.index().line_of(held.span.start) + 1;
    let span = ctx.statement.span;
    let anchor =
        dbwise_diagnostics::Span::new(span.start as usize, span.start as usize + verb.len());
    let mut finding = report
        .finding(
            ctx.file,
            anchor,
            format!(
                "{verb} of existing table {table}{} runs while this transaction holds {} on {}",
                ctx.size_note(table),
                held.level,
                held.table
            ),
        )
        .why(format!(
            "The DDL at line {line} took {} on {}, and it is held until the transaction commits, so {} of {} wait for as long as this {verb} runs.",
            held.level,
            held.table,
            if held.level.blocks_reads() { "reads and writes" } else { "writes" },
            held.table
        ))
        .help(format!(
            "Commit the DDL in its own migration, then run the {verb} in a later one, in batches that each commit (e.g. WHERE ctid IN (SELECT ctid FROM {table} WHERE ... LIMIT 10000), repeated until it changes 0 rows)."
        ));
    finding.severity = ctx.scaled_severity(table, None);
    report.push(finding);
}
