use dbwise_diagnostics::{Category, Finding, Severity};
use dbwise_syntax::ast::{QualifiedName, Stmt};
use dbwise_syntax::tokens::TokenKind;

use super::common::fold_in_file;
use super::sql_text::{self, Piece};
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
Data changes on tables created in the same migration are not reported, nor those whose whole
condition is `key = constant` on a one-column primary key or unique key (they change one row).
The data changes of a file that run under the same held lock are one finding, at the first,
which lists the lines of the others: they have one fix. The finding is listed only when the
table's size is known (`[tables] sizes`, `--database-url`), and is counted otherwise: the lock
lasts as long as the backfill, which only the table's size tells.

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
    if !ctx.transaction.in_transaction || !ctx.existing(table) || changes_one_row(ctx, table) {
        return;
    }
    // The strongest lock; among equals, the one on the table this statement changes. A lock on
    // a table this transaction dropped blocks nothing that could still succeed.
    let changed = ctx
        .catalog
        .resolve(&ctx.catalog.tables, table)
        .unwrap_or_else(|| ctx.catalog.creation_name(table));
    let Some(held) = ctx
        .transaction
        .held
        .iter()
        .filter(|h| h.level.blocks_writes() && ctx.catalog.tables.contains_key(&h.table))
        .max_by_key(|h| (h.level, h.table == changed))
    else {
        return;
    };
    let line = ctx.file.line_of(held.span.start) + 1;
    let span = ctx.statement.span;
    let anchor =
        dbwise_diagnostics::Span::new(span.start as usize, span.start as usize + verb.len());
    let mut finding = report
        .finding(
            ctx.file,
            anchor,
            format!(
                "{verb} of existing table {table}{}{HOLDS}{} on {}",
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
    // The backfill holds the lock as long as it runs, which is long only on a large table, and
    // only a measured size tells: a name that grows with use is not enough (on unseen
    // repositories, such backfills ran on small tables or during an offline upgrade).
    let unmeasured = ctx.rows(table).is_none().then(|| table.to_string());
    report.push(finding.unknown_size(unmeasured));
}

/// The statement's whole condition is `key = constant` on a one-column unique key of the table
/// (primary key, unique constraint or unique index without predicate): it changes one row at
/// most, which is no backfill.
fn changes_one_row(ctx: &StatementContext, table: &QualifiedName) -> bool {
    let words: Vec<Piece> = sql_text::pieces(ctx.file.slice(ctx.statement.span))
        .into_iter()
        .filter(|p| !p.kind.is_trivia())
        .collect();
    let Some(condition) = words
        .iter()
        .rposition(|p| {
            p.depth == 0 && p.kind == TokenKind::Ident && p.text.eq_ignore_ascii_case("where")
        })
        .map(|at| &words[at + 1..])
    else {
        return false;
    };
    let Some(column) = key_equals_constant(condition) else {
        return false;
    };
    let Some(key) = ctx.catalog.resolve(&ctx.catalog.tables, table) else {
        return false;
    };
    ctx.catalog.indexes_on(&key).any(|index| {
        index.unique
            && index.predicate.is_none()
            && index.elems.len() == 1
            && index.elems[0].column.as_deref() == Some(column.as_str())
    })
}

/// The column of a condition `[qualifier.]column = constant` (either way round), a constant
/// being a number or a string literal, possibly cast.
fn key_equals_constant(condition: &[Piece]) -> Option<String> {
    let equals = condition.iter().position(|p| p.text == "=")?;
    let (left, right) = (&condition[..equals], &condition[equals + 1..]);
    match (column_name(left), column_name(right)) {
        (Some(column), None) if is_constant(right) => Some(column),
        (None, Some(column)) if is_constant(left) => Some(column),
        _ => None,
    }
}

/// The column a reference names, as the catalog spells it (unquoted names fold to lower case).
fn column_name(pieces: &[Piece]) -> Option<String> {
    let last = match pieces {
        [last] => last,
        [qualifier, dot, last] if dot.text == "." && is_identifier(qualifier) => last,
        _ => return None,
    };
    if !is_identifier(last) {
        return None;
    }
    Some(match last.text.strip_prefix('"') {
        Some(quoted) => quoted.trim_end_matches('"').replace("\"\"", "\""),
        None => last.text.to_lowercase(),
    })
}

fn is_identifier(piece: &Piece) -> bool {
    match piece.kind {
        TokenKind::Ident => true,
        TokenKind::QuotedIdent => piece.text.starts_with('"'),
        _ => false,
    }
}

/// A number or a string literal, optionally followed by `::type`.
fn is_constant(pieces: &[Piece]) -> bool {
    let (value, cast) = match pieces {
        [minus, value, cast @ ..] if minus.text == "-" => (value, cast),
        [value, cast @ ..] => (value, cast),
        [] => return false,
    };
    let literal = matches!(value.kind, TokenKind::Number | TokenKind::String);
    let cast_ok = match cast {
        [] => true,
        [cast, type_name @ ..] => {
            cast.text == "::"
                && !type_name.is_empty()
                && type_name.iter().all(|p| p.kind == TokenKind::Ident)
        }
    };
    literal && cast_ok
}

/// What a finding of this rule says is held: `ACCESS EXCLUSIVE on orders`.
const HOLDS: &str = " runs while this transaction holds ";

/// Fold the findings of one file's data changes that run under the same held lock into the first
/// of them, which then names the lines of the others.
pub(crate) fn fold_repeats(findings: &mut Vec<Finding>) {
    let held = |f: &Finding| {
        f.message
            .rsplit_once(HOLDS)
            .map(|(_, lock)| lock.to_owned())
    };
    fold_in_file(findings, RULE.meta.id, held, "UPDATE or DELETE statements");
}
