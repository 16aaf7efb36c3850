//! Lexical reading of a statement's text, for the few places that need its pieces as written:
//! the sub-commands of an `ALTER TABLE` (for plans) and the condition of an `UPDATE` or `DELETE`.
//! The pieces are the tokens of PostgreSQL's scanner, so a comma or a keyword inside a string,
//! a quoted name or a comment never counts.

use dbwise_syntax::tokens::{TokenKind, tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
    /// How many parentheses or brackets enclose it (a bracket itself counts as outside).
    pub depth: usize,
}

/// `text` cut into pieces; an unterminated quote or comment runs to the end.
pub(crate) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut depth = 0usize;
    tokens(text)
        .map(|token| {
            let piece_text = &text[token.range()];
            let piece_depth = match (token.kind, piece_text) {
                (TokenKind::Punct, "(" | "[") => {
                    depth += 1;
                    depth - 1
                }
                (TokenKind::Punct, ")" | "]") => {
                    depth = depth.saturating_sub(1);
                    depth
                }
                _ => depth,
            };
            Piece {
                text: piece_text,
                kind: token.kind,
                depth: piece_depth,
            }
        })
        .collect()
}

/// `text` split at the commas outside parentheses, brackets, quotes and comments, each part
/// trimmed, with its comments replaced by a space.
pub(crate) fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for piece in pieces(text) {
        let part = parts.last_mut().expect("parts starts with one");
        match piece.kind {
            TokenKind::LineComment | TokenKind::BlockComment => part.push(' '),
            TokenKind::Punct if piece.text == "," && piece.depth == 0 => {
                parts.push(String::new());
            }
            _ => part.push_str(piece.text),
        }
    }
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_commands_split_at_top_level_commas_only() {
        let parts = split_top_level(
            " ADD COLUMN a text DEFAULT 'x, y', -- a comment, with a comma\n \
             ADD CONSTRAINT c CHECK (a IN ('p', 'q')), ALTER COLUMN b SET DEFAULT E'it\\'s, here',\n \
             ADD COLUMN d int[] DEFAULT ARRAY[1, 2], ADD COLUMN \"e,f\" text DEFAULT $tag$ , $tag$ /* x, y */",
        );
        assert_eq!(
            parts,
            [
                "ADD COLUMN a text DEFAULT 'x, y'",
                "ADD CONSTRAINT c CHECK (a IN ('p', 'q'))",
                "ALTER COLUMN b SET DEFAULT E'it\\'s, here'",
                "ADD COLUMN d int[] DEFAULT ARRAY[1, 2]",
                "ADD COLUMN \"e,f\" text DEFAULT $tag$ , $tag$",
            ]
        );
    }

    #[test]
    fn an_unterminated_quote_ends_the_last_part() {
        assert_eq!(split_top_level("ADD a, SET 'b, c"), ["ADD a", "SET 'b, c"]);
    }

    #[test]
    fn pieces_know_their_depth_and_kind() {
        let found: Vec<(&str, TokenKind, usize)> = pieces("f(a, $1) = e'x'")
            .into_iter()
            .filter(|p| p.kind != TokenKind::Space)
            .map(|p| (p.text, p.kind, p.depth))
            .collect();
        assert_eq!(
            found,
            [
                ("f", TokenKind::Ident, 0),
                ("(", TokenKind::Punct, 0),
                ("a", TokenKind::Ident, 1),
                (",", TokenKind::Punct, 1),
                ("$1", TokenKind::Param, 1),
                (")", TokenKind::Punct, 0),
                ("=", TokenKind::Operator, 0),
                ("e'x'", TokenKind::String, 0),
            ]
        );
    }
}
