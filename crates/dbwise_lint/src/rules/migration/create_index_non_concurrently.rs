use dbwise_diagnostics::{Applicability, Category, Edit, Fix, Severity, Span};
use dbwise_syntax::ast::Stmt;

use crate::context::StatementContext;
use crate::driver::find_word;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "create-index-non-concurrently",
        category: Category::Migration,
        severity: Severity::Warning,
        summary: "CREATE INDEX without CONCURRENTLY on a table that already exists",
        doc: "## What it finds
`CREATE INDEX` without `CONCURRENTLY` on a table that existed before this migration: a table
created earlier in the replayed history, or one the history never created (so it already
exists in the database). Indexes on tables created in the same file or migration, on temporary
tables and on materialized views are not reported.

## Why it matters
A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: reads go on, but
every INSERT, UPDATE and DELETE waits, and on a large table the build takes minutes.
`CREATE INDEX CONCURRENTLY` takes a SHARE UPDATE EXCLUSIVE lock instead, which lets writes
continue, at the cost of two table scans.

## Example
```sql
CREATE INDEX orders_created_at_idx ON orders (created_at);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
```
`CONCURRENTLY` cannot run inside a transaction block, so the statement needs a migration of its
own that the framework runs without a transaction (diesel: `run_in_transaction = false` in
`metadata.toml`; sqlx: `-- no-transaction` as the first line; Flyway:
`executeInTransaction=false`). If the build fails it leaves an INVALID index: drop it and retry.
A partitioned table cannot be indexed concurrently: create the index `ON ONLY` the parent,
build each partition's index concurrently, then `ALTER INDEX ... ATTACH PARTITION` each one.
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    let Stmt::CreateIndex(index) = &ctx.statement.stmt else {
        return;
    };
    if index.concurrently
        || ctx
            .catalog
            .resolve(&ctx.catalog.views, &index.table)
            .is_some()
    {
        return;
    }
    let table = ctx.table(&index.table);
    if table.is_some_and(|t| t.temporary) || ctx.created_in_this_unit(&index.table) {
        return;
    }
    let text = ctx.file.text();
    let span = ctx.statement.span;
    let keyword = find_word(text, span, "index")
        .unwrap_or(Span::new(span.start as usize, span.start as usize));
    let statement_text = ctx.file.slice(span);
    let insert_at = (keyword.end - span.start) as usize;
    let rewritten = format!(
        "{} CONCURRENTLY{};",
        &statement_text[..insert_at],
        &statement_text[insert_at..]
    );
    let name = index.table.to_string();
    let mut help = if table.is_some_and(|t| t.partitioned) {
        format!(
            "{name} is partitioned, and partitioned tables cannot be indexed concurrently: CREATE INDEX ... ON ONLY {name} (...); \
             then CREATE INDEX CONCURRENTLY the same index on each partition and ALTER INDEX <parent index> ATTACH PARTITION <partition index>;"
        )
    } else {
        rewritten.clone()
    };
    if ctx.transaction.in_transaction {
        help.push_str(
            " CONCURRENTLY cannot run inside a transaction block, and this statement runs in one: move it to a migration of its own \
             that runs without a transaction.",
        );
    }
    let finding = report
        .finding(ctx.file, keyword, format!("CREATE INDEX on existing table {name} blocks writes to it until the index is built"))
        .why(format!(
            "A plain CREATE INDEX holds a SHARE lock on {name}: every INSERT, UPDATE and DELETE waits for the whole build. \
             CONCURRENTLY builds it while writes continue."
        ))
        .help(help)
        .fix(Fix {
            title: "build the index concurrently".into(),
            applicability: Applicability::Unsafe,
            edits: vec![Edit { span: Span::new(keyword.end as usize, keyword.end as usize), replacement: " CONCURRENTLY".into() }],
        });
    report.push(finding);
}
