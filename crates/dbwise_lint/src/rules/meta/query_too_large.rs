use dbwise_diagnostics::{Category, Finding, Severity, Span};
use dbwise_syntax::ParsedFile;

use crate::query::{MAX_CHECKED_QUERY, checked_by_query_rules};
use crate::rule::{Check, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "query-too-large",
        category: Category::Syntax,
        severity: Severity::Info,
        summary: "a query too large for the query checks, which skipped it",
        doc: "## What it finds
`SELECT`, `UPDATE` and `DELETE` statements longer than 1 MiB, typically a generated `IN (...)`
list of hundreds of thousands of values. The query rules (`select-star`, `not-in-subquery`,
...) build a full syntax tree of the statement, which takes around a hundred times its size in
memory, so they skip such a statement and this note says so. The statement is still parsed
and replayed, and every other rule sees it.

## Why it matters
Nothing is wrong with the statement as far as this note goes; it tells you which statements the
query rules did not look at.

## Example
```sql
DELETE FROM events WHERE id IN (1, 2, 3 /* ... a million more ... */);
```

## Use instead
Nothing to change. A list that long is better passed as an array parameter
(`WHERE id = ANY($1)`) or loaded into a temporary table and joined.
",
        options: &[],
    },
    check: Check::Driver,
};

pub fn findings(file: &ParsedFile) -> Vec<Finding> {
    file.statements
        .iter()
        .filter(|s| checked_by_query_rules(s) && s.span.len() > MAX_CHECKED_QUERY)
        .map(|s| {
            Finding::new(
                RULE.meta.id,
                RULE.meta.category,
                RULE.meta.severity,
                format!(
                    "this {:.1} MiB statement is too large for the query checks, which skipped it",
                    s.span.len() as f64 / f64::from(1 << 20)
                ),
            )
            .at(&file.source, first_word(file, s.span))
            .why("The query rules build the statement's whole syntax tree, about a hundred times its size in memory.")
            .help("Nothing to change; a list this long is better passed as an array parameter (= ANY($1)) or joined from a temporary table.")
        })
        .collect()
}

/// The statement's first word (`SELECT`), where the note points.
fn first_word(file: &ParsedFile, span: Span) -> Span {
    let text = file.source.slice(span);
    let end = text
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(text.len());
    Span::new(span.start as usize, span.start as usize + end)
}
