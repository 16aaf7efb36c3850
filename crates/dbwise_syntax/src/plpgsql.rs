//! The static SQL inside a `DO` block: PL/pgSQL's own parser (through libpg_query) finds the SQL
//! statements of the body, in every branch of its `IF`s, loops and blocks, and `EXECUTE` of a
//! string literal; each is parsed and lowered where it stands in the file. `EXECUTE` of a
//! computed string, or a body that is not PL/pgSQL, cannot be followed: the block is opaque.

use dbwise_diagnostics::Span;
use serde_json::Value;

use crate::tokens::{TokenKind, tokens};
use crate::{Statement, lower, raw};

/// What the replay learns from a `DO` block.
pub(crate) struct DoBody {
    /// The static statements of the body, in the order they appear, with spans in the file.
    pub statements: Vec<Statement>,
    /// Part of the body could not be followed (dynamic SQL, another language, a parse error).
    pub opaque: bool,
}

/// The tag that wraps the body into a function for PL/pgSQL's parser.
const WRAP_TAG: &str = "$dbwise_do_body$";

/// Read the `DO` statement at `span` of `text` (the whole file).
pub(crate) fn do_body(text: &str, span: Span) -> DoBody {
    let opaque = DoBody {
        statements: Vec::new(),
        opaque: true,
    };
    let statement = &text[span.range()];
    let Some((body_start, body_end)) = dollar_body(statement) else {
        return opaque;
    };
    let outside =
        format!("{} {}", &statement[..body_start], &statement[body_end..]).to_ascii_lowercase();
    if let Some(at) = outside.find("language") {
        let language = outside[at + "language".len()..]
            .trim_start()
            .trim_start_matches(['\'', '"']);
        if !language.starts_with("plpgsql") {
            return opaque;
        }
    }
    let body = &statement[body_start..body_end];
    if body.contains(WRAP_TAG) {
        return opaque;
    }
    let wrapped = format!(
        "CREATE FUNCTION dbwise_do() RETURNS void LANGUAGE plpgsql AS {WRAP_TAG}{body}{WRAP_TAG}"
    );
    let Ok(tree) = pg_query::parse_plpgsql(&wrapped) else {
        return opaque;
    };
    let mut found = Found::default();
    collect(&tree, &mut found);
    let base = span.start as usize + body_start;
    let mut used: Vec<usize> = Vec::new();
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut opaque_body = found.dynamic;
    for query in &found.queries {
        match locate(body, query, &used) {
            Some(at) => {
                used.push(at);
                pieces.push((at, &body[at..at + query.len()]));
            }
            // PL/pgSQL hands over `SELECT ... INTO var` without its INTO, so the text is not
            // found; a query that only reads changes nothing dbwise models.
            None => opaque_body |= !reads_only(query),
        }
    }
    pieces.sort_by_key(|(at, _)| *at);
    let mut statements = Vec::new();
    for (at, piece) in pieces {
        let start = base + at;
        let parsed = raw::parse(piece, |tree, raw_statement| {
            if let Some(node) = raw_statement.node {
                let from = start + usize::try_from(raw_statement.location).unwrap_or(0);
                let end = match usize::try_from(raw_statement.len) {
                    Ok(0) | Err(_) => start + piece.len(),
                    Ok(len) => from + len,
                };
                statements.push(Statement {
                    span: Span::new(from, end.min(start + piece.len())),
                    stmt: lower::lower(tree, node, text, start),
                });
            }
        });
        // A statement that names PL/pgSQL variables is not SQL on its own; if it only reads,
        // nothing is lost.
        opaque_body |= parsed.is_err() && !reads_only(piece);
    }
    DoBody {
        statements,
        opaque: opaque_body,
    }
}

/// Whether a query of the body is a plain SELECT, which reads and changes nothing (a
/// data-modifying WITH is not one).
fn reads_only(query: &str) -> bool {
    let start = query.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    start
        .get(..6)
        .is_some_and(|word| word.eq_ignore_ascii_case("select"))
        && start[6..].starts_with(|c: char| c.is_whitespace() || c == '*' || c == '(')
}

/// The byte range of the dollar-quoted body in a `DO` statement's text: inside its first
/// dollar-quoted string.
fn dollar_body(statement: &str) -> Option<(usize, usize)> {
    let quoted = tokens(statement).find(|t| t.kind == TokenKind::String)?;
    let text = &statement[quoted.range()];
    if !text.starts_with('$') || quoted.unterminated {
        return None;
    }
    let tag = text[1..].find('$')? + 2;
    Some((quoted.start + tag, quoted.end - tag))
}

/// Where `query` stands in `body`, at an occurrence not taken yet.
fn locate(body: &str, query: &str, used: &[usize]) -> Option<usize> {
    let mut from = 0;
    while let Some(n) = body[from..].find(query) {
        let at = from + n;
        if !used.contains(&at) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[derive(Default)]
struct Found {
    queries: Vec<String>,
    dynamic: bool,
}

/// Walk PL/pgSQL's tree for SQL statements and `EXECUTE`s.
fn collect(value: &Value, found: &mut Found) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match key.as_str() {
                    "PLpgSQL_stmt_execsql" => {
                        if let Some(query) = expr_query(inner.get("sqlstmt")) {
                            found.queries.push(query.to_owned());
                        }
                    }
                    "PLpgSQL_stmt_dynexecute" => match expr_query(inner.get("query")) {
                        Some(query) if plain_literal(query) => {
                            found.queries.push(query[1..query.len() - 1].to_owned());
                        }
                        _ => found.dynamic = true,
                    },
                    _ => collect(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, found)),
        _ => {}
    }
}

fn expr_query(expr: Option<&Value>) -> Option<&str> {
    expr?.get("PLpgSQL_expr")?.get("query")?.as_str()
}

/// A string literal with no quote inside it, so that its text is the SQL as written in the file.
fn plain_literal(query: &str) -> bool {
    query.len() >= 2
        && query.starts_with('\'')
        && query.ends_with('\'')
        && !query[1..query.len() - 1].contains('\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(sql: &str) -> (Vec<String>, bool) {
        let found = do_body(sql, Span::new(0, sql.len()));
        (
            found
                .statements
                .iter()
                .map(|s| sql[s.span.range()].to_owned())
                .collect(),
            found.opaque,
        )
    }

    #[test]
    fn static_statements_of_every_branch_in_file_order() {
        let sql = "DO $$\nDECLARE r record;\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'x') THEN\n    ALTER TABLE t ADD CONSTRAINT x FOREIGN KEY (a) REFERENCES u (id);\n  ELSE\n    EXECUTE 'DROP INDEX j';\n  END IF;\n  FOR r IN SELECT 1 LOOP\n    CREATE INDEX i ON t (a);\n  END LOOP;\nEND $$";
        let (statements, opaque) = inner(sql);
        assert_eq!(
            statements,
            [
                "ALTER TABLE t ADD CONSTRAINT x FOREIGN KEY (a) REFERENCES u (id)",
                "DROP INDEX j",
                "CREATE INDEX i ON t (a)"
            ]
        );
        assert!(!opaque);
    }

    #[test]
    fn a_check_that_only_reads_into_variables_is_followed() {
        let sql = "DO $$\nDECLARE n bigint;\nBEGIN\n  SELECT COUNT(*) INTO n FROM t WHERE a IS NULL;\n  IF n > 0 THEN\n    RAISE EXCEPTION '% rows', n;\n  END IF;\nEND $$";
        let (_, opaque) = inner(sql);
        assert!(!opaque);
    }

    #[test]
    fn dynamic_sql_and_other_languages_are_opaque() {
        let (statements, opaque) =
            inner("DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN y int', 't'); END $$");
        assert!(statements.is_empty() && opaque);
        let (statements, opaque) = inner("DO LANGUAGE plv8 $$ plv8.execute('DROP TABLE t') $$");
        assert!(statements.is_empty() && opaque);
        let (_, opaque) = inner("DO 'BEGIN NULL; END'");
        assert!(opaque, "a body in single quotes is not read");
    }

    #[test]
    fn a_dollar_in_a_comment_before_the_body_is_not_its_tag() {
        let (statements, opaque) =
            inner("DO /* costs $5 */ $body$ BEGIN CREATE INDEX i ON t (a); END $body$");
        assert_eq!(statements, ["CREATE INDEX i ON t (a)"]);
        assert!(!opaque);
    }
}
