//! SQL files: statements separated by `;`, each optionally weighted by a preceding
//! `-- calls: N` comment.

use dbwise_syntax::tokens::{TokenKind, tokens};

/// One statement of a SQL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte offset of the statement in the file.
    pub offset: usize,
    pub text: String,
    /// The weight from a `-- calls: N` comment before the statement, else 1.
    pub calls: u64,
}

/// Split `text` at top-level semicolons, skipping quoted text and comments.
pub fn statements(text: &str) -> Vec<Statement> {
    let mut found = Vec::new();
    let mut start: Option<usize> = None;
    let mut calls = None;
    let mut depth = 0i32;
    for token in tokens(text) {
        let written = &text[token.range()];
        match (token.kind, written) {
            (TokenKind::Space | TokenKind::BlockComment, _) => continue,
            (TokenKind::LineComment, _) => {
                if start.is_none()
                    && let Some(weight) = calls_comment(written)
                {
                    calls = Some(weight);
                }
                continue;
            }
            (TokenKind::Punct, "(") => depth += 1,
            (TokenKind::Punct, ")") => depth -= 1,
            (TokenKind::Punct, ";") if depth <= 0 => {
                if let Some(s) = start.take() {
                    found.push(statement(text, s, token.start, calls.take()));
                }
                calls = None;
                depth = 0;
                continue;
            }
            _ => {}
        }
        start.get_or_insert(token.start);
    }
    if let Some(s) = start {
        found.push(statement(text, s, text.len(), calls));
    }
    found
}

fn statement(text: &str, start: usize, end: usize, calls: Option<u64>) -> Statement {
    Statement {
        offset: start,
        text: text[start..end].trim_end().to_string(),
        calls: calls.unwrap_or(1),
    }
}

/// `-- calls: 120` gives 120.
fn calls_comment(comment: &str) -> Option<u64> {
    let body = comment.trim_start_matches('-').trim();
    let (key, value) = body.split_once(':')?;
    if !key.trim().eq_ignore_ascii_case("calls") {
        return None;
    }
    value.trim().replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_top_level_semicolons_with_weights() {
        let sql = "-- calls: 5\nSELECT 1;\n\n/* c; */ SELECT * FROM t WHERE a = 'x;y' ;\n-- calls: 1_000\nUPDATE t SET a = $$;$$\n";
        let found = statements(sql);
        assert_eq!(found.len(), 3);
        assert_eq!(
            (found[0].text.as_str(), found[0].calls, found[0].offset),
            ("SELECT 1", 5, 12)
        );
        assert_eq!(
            (found[1].text.as_str(), found[1].calls),
            ("SELECT * FROM t WHERE a = 'x;y'", 1)
        );
        assert_eq!(&sql[found[1].offset..found[1].offset + 6], "SELECT");
        assert_eq!(
            (found[2].text.as_str(), found[2].calls),
            ("UPDATE t SET a = $$;$$", 1000)
        );
    }

    #[test]
    fn comments_alone_are_not_statements() {
        assert!(statements("-- nothing here\n/* nor here */\n;;").is_empty());
    }

    #[test]
    fn only_a_lone_e_before_a_quote_makes_backslashes_escapes() {
        // `like'x\'` is the word `like` and the string `'x\'`, not an E'...' string.
        let found = statements("SELECT 1 WHERE a like'x\\'; SELECT E'\\';'");
        let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["SELECT 1 WHERE a like'x\\'", "SELECT E'\\';'"]);
    }
}
