use dbwise_diagnostics::{Category, Severity, Span};
use dbwise_syntax::ast::Stmt;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "opaque-do-block",
        category: Category::Migration,
        severity: Severity::Info,
        summary: "a DO block with SQL dbwise cannot follow: built at run time, or using PL/pgSQL variables",
        doc: "## What it finds
A `DO` block with a part dbwise cannot read statically: `EXECUTE` of a string built from
variables or `format()`, a statement that changes data or schema using PL/pgSQL variables (a
batched backfill loop), or a body in a language other than PL/pgSQL. Queries that only read
(`SELECT count(*) INTO n ...` for a safety check) do not count. The static statements of a
DO block, in every branch and loop and in `EXECUTE` of a plain string literal, are replayed and
judged like any other; this note is for what is left.

## Why it matters
Whatever the hidden SQL does is neither checked for locks and rewrites nor known to the schema
model. dbwise marks the tables the block names, when it holds DDL, as changed by code, and the
design rules that judge what a table lacks leave those tables alone rather than reason from a
model that may be stale. The note says which tables these are, so a reviewer knows where to look
by hand.

## Example
```sql
DO $$
BEGIN
  EXECUTE format('ALTER TABLE %I ADD COLUMN archived_at timestamptz', 'orders');
END $$;
```

## Use instead
Write the statement itself when the names are known in advance:
```sql
ALTER TABLE orders ADD COLUMN archived_at timestamptz;
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    if !matches!(ctx.statement.stmt, Stmt::Do { opaque: true }) {
        return;
    }
    let code = ctx.file.slice(ctx.statement.span);
    let tables = ctx.catalog.tables_changed_by(code);
    let named = if tables.is_empty() {
        "it names no table dbwise knows".to_owned()
    } else {
        let mut list: Vec<String> = tables.iter().take(5).map(ToString::to_string).collect();
        if tables.len() > 5 {
            list.push(format!("{} more", tables.len() - 5));
        }
        format!(
            "it may change {}, which the design rules now leave alone",
            list.join(", ")
        )
    };
    let start = ctx.statement.span.start as usize;
    let finding = report
        .finding(
            ctx.file,
            Span::new(start, start + 2),
            format!(
                "dbwise cannot follow part of this DO block (SQL built at run time, or statements using PL/pgSQL variables); {named}"
            ),
        )
        .why(
            "Statements built from strings or written with PL/pgSQL variables are neither checked for locks and rewrites nor \
             replayed into the schema model.",
        )
        .help(
            "Review what the block executes by hand, or write the statements out when their names are known in advance.",
        );
    report.push(finding);
}
