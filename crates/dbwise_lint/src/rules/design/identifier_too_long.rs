use dbwise_catalog::{MAX_IDENTIFIER_BYTES, truncate_identifier};
use dbwise_diagnostics::{Category, Severity, Span};
use dbwise_syntax::ast::Stmt;

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "identifier-too-long",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "an identifier longer than 63 bytes, which PostgreSQL silently truncates",
        doc: "## What it finds
Identifiers written in a statement, quoted or not, that are longer than 63 bytes (bytes, not
characters: `é` takes two). It reads the statement text, because the parser has already cut
the names down by the time the catalog sees them. String literals, comments and
dollar-quoted bodies are skipped. Names PostgreSQL generates itself (`<table>_<column>_fkey`)
are not reported: it shortens those on purpose and keeps them unique. Neither are statements
that only use a name (`DROP`, queries): they work, since PostgreSQL cuts the name the same
way there; the finding belongs where the object is created or renamed (in a `RENAME`, only the
new name is judged).

## Why it matters
PostgreSQL keeps the first 63 bytes of a longer name and only says so in a NOTICE most
tools never show. Two names that differ after byte 63 become the same name, so the second
`CREATE INDEX` fails or `IF NOT EXISTS` silently skips it; a migration that later refers to
the full name works, but a tool comparing names (an ORM, a schema diff) sees a mismatch and
keeps trying to recreate the object.

## Example
```sql
CREATE INDEX index_customer_subscriptions_on_billing_account_id_and_renewal_date
    ON customer_subscriptions (billing_account_id, renewal_date);
```

## Use instead
```sql
CREATE INDEX customer_subscriptions_account_renewal_idx
    ON customer_subscriptions (billing_account_id, renewal_date);
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    if matches!(
        ctx.statement.stmt,
        Stmt::Drop(_)
            | Stmt::Select
            | Stmt::Insert { .. }
            | Stmt::Update { .. }
            | Stmt::Delete { .. }
    ) {
        return;
    }
    let span = ctx.statement.span;
    let Some(text) = ctx.file.text().get(span.range()) else {
        return;
    };
    // A rename only uses the old name; the new one follows its last `TO`.
    let judged_from = match ctx.statement.stmt {
        Stmt::Rename(_) => last_to(text),
        _ => 0,
    };
    let mut seen: Vec<String> = Vec::new();
    for (start, end, name) in long_identifiers(text) {
        if start < judged_from || seen.contains(&name) {
            continue;
        }
        let kept = truncate_identifier(&name);
        let finding = report
            .finding(
                ctx.file,
                Span::new(span.start as usize + start, span.start as usize + end),
                format!("identifier `{name}` is {} bytes; PostgreSQL keeps only the first {MAX_IDENTIFIER_BYTES}", name.len()),
            )
            .why(format!(
                "The name is silently cut to `{kept}`: another name with the same first {MAX_IDENTIFIER_BYTES} bytes collides \
                 with it, and tools that compare the full name see an object that never exists."
            ))
            .help(format!(
                "Use a name of at most {MAX_IDENTIFIER_BYTES} bytes, e.g. abbreviate the words of `{name}`; if the object already \
                 exists, it is called `{kept}`."
            ));
        report.push(finding);
        seen.push(name);
    }
}

/// Where the last whole word `to` of a statement starts (0 when there is none).
fn last_to(text: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    lower
        .match_indices("to")
        .map(|(at, _)| at)
        .filter(|&at| {
            !word(at.checked_sub(1).and_then(|p| lower.as_bytes().get(p)))
                && !word(lower.as_bytes().get(at + 2))
        })
        .last()
        .unwrap_or(0)
}

/// Identifiers over the limit in SQL text: (start, end, name as PostgreSQL reads it).
fn long_identifiers(text: &str) -> Vec<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(bytes.len(), |n| i + n + 4);
            }
            b'\'' => {
                let escapes = i > 0 && matches!(bytes[i - 1], b'e' | b'E');
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' if escapes => i += 2,
                        b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'"' => {
                let start = i;
                // Find the closing quote first: most quoted names are short, and only a long
                // one is worth copying (with its doubled quotes made single).
                i += 1;
                let mut doubled = 0;
                while i < bytes.len() {
                    if bytes[i] == b'"' {
                        if bytes.get(i + 1) == Some(&b'"') {
                            doubled += 1;
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                let body = &text[start + 1..i.min(bytes.len())];
                i += 1;
                if body.len() - doubled > MAX_IDENTIFIER_BYTES {
                    out.push((start, i.min(bytes.len()), body.replace("\"\"", "\"")));
                }
            }
            b'$' => {
                let tag_end = text[i + 1..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(e) if bytes[e] == b'$' => {
                        let tag = &text[i..=e];
                        i = text[e + 1..]
                            .find(tag)
                            .map_or(bytes.len(), |n| e + 1 + n + tag.len());
                    }
                    _ => i += 1,
                }
            }
            _ if ident(b) && b != b'$' && !b.is_ascii_digit() => {
                let start = i;
                while i < bytes.len() && ident(bytes[i]) {
                    i += 1;
                }
                let word = &text[start..i];
                if word.len() > MAX_IDENTIFIER_BYTES {
                    out.push((start, i, word.to_ascii_lowercase()));
                }
            }
            _ if ident(b) => {
                while i < bytes.len() && ident(bytes[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::long_identifiers;

    #[test]
    fn finds_long_names_outside_strings_and_comments() {
        let long = "a".repeat(64);
        let ok = "b".repeat(63);
        let sql = format!(
            "CREATE TABLE {long} (\"{long}X\" int, {ok} int DEFAULT '{long}') -- {long}\n/* {long} */ $x${long}$x$"
        );
        let found: Vec<String> = long_identifiers(&sql)
            .into_iter()
            .map(|(_, _, n)| n)
            .collect();
        assert_eq!(found, vec![long.clone(), format!("{long}X")]);
        assert!(long_identifiers(&format!("SELECT E'\\'{long}'")).is_empty());
        assert_eq!(long_identifiers(&"é".repeat(32)).len(), 1);
    }
}
