use dbwise_diagnostics::{Applicability, Category, Edit, Fix, Severity, Span};
use dbwise_locks::DdlForm;
use dbwise_syntax::ast::Stmt;

use super::common::{blocked, existing_ops, is_cheap, locks, work};
use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta, find_word};

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
tables and on materialized views are not reported. The builds of one file are one finding, at
the first, naming the lines of the others and carrying every edit.

The build blocks writes for long only on a large table. A build on a table whose size nothing
shows (no `[tables] sizes` entry or `--database-url`, not partitioned, not named for records
that grow with use such as `events` or `deliveries`) is counted in the summary rather than
listed, unless `--since` judges the file or `--unknown-sizes list` is given. The other rules
whose statements read or rewrite a table under a lock that blocks writes do the same.

Nor is a build reported that follows, in the same transaction, a statement that rewrote the
table (a type change): the table is locked ACCESS EXCLUSIVE until the commit anyway, so
CONCURRENTLY would save nothing, and the rewrite's own finding is the one to act on. The other
rules whose statements read or rewrite the table do the same.

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
    if ctx
        .catalog
        .resolve(&ctx.catalog.views, &index.table)
        .is_some()
    {
        return;
    }
    for op in existing_ops(ctx, |f| {
        matches!(
            f,
            DdlForm::CreateIndex {
                concurrently: false
            }
        )
    }) {
        let Some(effect) = &op.effect else { continue };
        if is_cheap(ctx, op) {
            continue;
        }
        let text = ctx.file.text();
        let span = ctx.statement.span;
        let keyword = find_word(text, span, "index")
            .unwrap_or(Span::new(span.start as usize, span.start as usize));
        let name = index.table.to_string();
        let unknown_size = ctx.size_unknown(&index.table);
        let mut help = ctx.plan_help(op, unknown_size.as_ref()).unwrap_or_default();
        if ctx.transaction.in_transaction {
            help.push_str(
                " CONCURRENTLY cannot run inside a transaction block, and this statement runs in one: move it to a migration of its own \
                 that runs without a transaction.",
            );
        }
        let mut why = format!(
            "A plain CREATE INDEX takes {} and {} while it builds: every INSERT, UPDATE and DELETE waits for the whole build. \
             CONCURRENTLY builds it under SHARE UPDATE EXCLUSIVE while writes continue.",
            locks(effect, &name, None),
            work(effect),
        );
        let mut severity = ctx.scaled_severity(&index.table, Some(effect));
        if let Some(note) = ctx.held_exclusive_note() {
            why.push_str(&note);
            severity = severity.max(Severity::Warning);
        }
        let mut finding = report
            .finding(
                ctx.file,
                keyword,
                format!(
                    "CREATE INDEX on existing table {name}{} blocks {} to it until the index is built",
                    ctx.size_note(&index.table),
                    blocked(effect)
                ),
            )
            .why(why)
            .help(help)
            .unknown_size(unknown_size)
            .fix(Fix {
                title: "build the index concurrently".into(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: Span::new(keyword.end as usize, keyword.end as usize),
                    replacement: " CONCURRENTLY".into(),
                }],
            });
        finding.severity = severity;
        report.push(finding);
    }
}
