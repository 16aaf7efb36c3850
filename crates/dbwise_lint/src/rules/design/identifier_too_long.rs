use dbwise_catalog::{MAX_IDENTIFIER_BYTES, truncate_identifier};
use dbwise_diagnostics::{Category, Severity, Span};
use dbwise_syntax::ast::Stmt;
use dbwise_syntax::tokens::{TokenKind, tokens};

use crate::context::StatementContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "identifier-too-long",
        category: Category::Design,
        severity: Severity::Warning,
        summary: "two identifiers that PostgreSQL truncates to the same 63 bytes",
        doc: "## What it finds
Identifiers written in a statement, quoted or not, that are longer than 63 bytes (bytes, not
characters: `é` takes two) and whose first 63 bytes are those of another, different long name
written earlier in the same file (or the same statement). A long name that collides with none
is not reported: PostgreSQL cuts it the same way wherever it is used, so it works. The rule
reads the statement text, because the parser has already cut the names down by the time the
catalog sees them. String literals, comments and
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
CREATE INDEX IF NOT EXISTS index_customer_subscriptions_on_billing_account_id_and_renewal_date
    ON customer_subscriptions (billing_account_id, renewal_date);
CREATE INDEX IF NOT EXISTS index_customer_subscriptions_on_billing_account_id_and_renewal_date_desc
    ON customer_subscriptions (billing_account_id, renewal_date DESC);
```

## Use instead
```sql
CREATE INDEX customer_subscriptions_account_renewal_idx
    ON customer_subscriptions (billing_account_id, renewal_date);
CREATE INDEX customer_subscriptions_account_renewal_desc_idx
    ON customer_subscriptions (billing_account_id, renewal_date DESC);
```
",
        options: &[],
    },
    check: Check::Statement(check),
};

fn check(ctx: &StatementContext, report: &mut Report) {
    if !names_objects(&ctx.statement.stmt) {
        return;
    }
    let span = ctx.statement.span;
    let Some(text) = ctx.file.text().get(span.range()) else {
        return;
    };
    // A rename only uses the old name; the new one follows its last `TO`.
    let judged_from = span.start as usize
        + match ctx.statement.stmt {
            Stmt::Rename(_) => last_to(text),
            _ => 0,
        };
    let names = ctx.long_names.get_or_init(|| unit_long_names(ctx));
    // The long names written before, in this unit, and those of this statement: a name cut to
    // the same 63 bytes as another, different in full, is the same name to PostgreSQL.
    let mine = names.partition_point(|(start, _, _)| *start < span.start as usize);
    let end = names.partition_point(|(start, _, _)| *start < span.end as usize);
    for (i, (start, end_at, name)) in names.iter().enumerate().take(end).skip(mine) {
        if *start < judged_from {
            continue;
        }
        let kept = truncate_identifier(name);
        let Some((_, _, other)) = names[..i]
            .iter()
            .find(|(_, _, other)| other != name && truncate_identifier(other) == kept)
        else {
            continue;
        };
        let finding = report
            .finding(
                ctx.file,
                Span::new(*start, *end_at),
                format!(
                    "identifier `{name}` is {} bytes, and PostgreSQL cuts it to `{kept}`, the name `{other}` is cut to as well",
                    name.len()
                ),
            )
            .why(format!(
                "PostgreSQL keeps only the first {MAX_IDENTIFIER_BYTES} bytes of a name, so both names are `{kept}`: this \
                 statement fails with \"already exists\", or with IF NOT EXISTS silently creates nothing."
            ))
            .help(format!(
                "Give both objects names of at most {MAX_IDENTIFIER_BYTES} bytes that differ, e.g. by abbreviating the words of `{name}`."
            ));
        report.push(finding);
    }
}

/// The long identifiers of the unit's statements, sorted by their offsets in the file. Only
/// statements that create or rename objects are read: the names others use are names in use.
fn unit_long_names(ctx: &StatementContext) -> Vec<(usize, usize, String)> {
    let statements = ctx
        .preceding
        .iter()
        .chain(std::iter::once(ctx.statement))
        .chain(ctx.following);
    let mut names = Vec::new();
    for statement in statements {
        if !names_objects(&statement.stmt) {
            continue;
        }
        let offset = statement.span.start as usize;
        if let Some(text) = ctx.file.text().get(statement.span.range()) {
            names.extend(
                long_identifiers(text)
                    .into_iter()
                    .map(|(start, end, name)| (offset + start, offset + end, name)),
            );
        }
    }
    names.sort_by_key(|(start, _, _)| *start);
    names
}

/// Whether the statement may create or rename an object: drops and queries only use names.
fn names_objects(stmt: &Stmt) -> bool {
    !matches!(
        stmt,
        Stmt::Drop(_)
            | Stmt::Select
            | Stmt::Insert { .. }
            | Stmt::Update { .. }
            | Stmt::Delete { .. }
    )
}

/// Where the last word `to` of a statement starts (0 when there is none).
fn last_to(text: &str) -> usize {
    tokens(text)
        .filter(|t| t.kind == TokenKind::Ident && text[t.range()].eq_ignore_ascii_case("to"))
        .last()
        .map_or(0, |t| t.start)
}

/// Identifiers over the limit in SQL text: (start, end, name as PostgreSQL reads it). A
/// `U&"..."` name is left alone: its length depends on the escapes in it.
fn long_identifiers(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for token in tokens(text) {
        let written = &text[token.range()];
        match token.kind {
            TokenKind::Ident if written.len() > MAX_IDENTIFIER_BYTES => {
                out.push((token.start, token.end, written.to_ascii_lowercase()));
            }
            TokenKind::QuotedIdent if written.starts_with('"') => {
                let close = usize::from(!token.unterminated);
                let body = &written[1..written.len() - close];
                // Most quoted names are short: only a long one is worth copying (with its
                // doubled quotes made single).
                if body.len() - body.matches("\"\"").count() > MAX_IDENTIFIER_BYTES {
                    out.push((token.start, token.end, body.replace("\"\"", "\"")));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{last_to, long_identifiers};

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
        // Comments nest: the inner `*/` does not end the outer comment.
        assert!(long_identifiers(&format!("/* a /* b */ {long} */")).is_empty());
        // `$1$` opens no dollar quote (a tag cannot start with a digit).
        assert_eq!(long_identifiers(&format!("SELECT $1$ {long} $1$")).len(), 1);
    }

    #[test]
    fn the_new_name_follows_the_last_to_outside_comments_and_quotes() {
        let sql = "ALTER TABLE t RENAME TO b -- not to be\n";
        assert_eq!(last_to(sql), sql.find("TO").unwrap_or_default());
        let sql = "ALTER TABLE t RENAME COLUMN \"to\" TO x";
        assert_eq!(last_to(sql), sql.rfind("TO").unwrap_or_default());
    }
}
