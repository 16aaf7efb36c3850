//! Lexical reading of a statement's text, for the few places that need its pieces as written:
//! the sub-commands of an `ALTER TABLE` (for plans) and the condition of an `UPDATE` or `DELETE`.
//! Quotes, dollar quotes and comments are read as units, so a comma or a keyword inside them
//! never counts.

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lexeme {
    Space,
    Comment,
    /// A string literal (`'...'`, `E'...'`, `$tag$...$tag$`) or a quoted identifier (`"..."`).
    Quoted,
    /// A keyword, an unquoted identifier or a number.
    Word,
    /// Any other single character: `,`, `(`, `=`, `.`, `:`, ...
    Symbol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece<'a> {
    pub text: &'a str,
    pub kind: Lexeme,
    /// How many parentheses or brackets enclose it (a bracket itself counts as outside).
    pub depth: usize,
}

/// `text` cut into pieces; an unterminated quote or comment runs to the end.
pub(crate) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        let (len, kind) = if c.is_whitespace() {
            (
                rest.find(|c: char| !c.is_whitespace())
                    .unwrap_or(rest.len()),
                Lexeme::Space,
            )
        } else if rest.starts_with("--") {
            (rest.find('\n').unwrap_or(rest.len()), Lexeme::Comment)
        } else if rest.starts_with("/*") {
            (block_comment_len(rest), Lexeme::Comment)
        } else if c == '\'' || c == '"' {
            (quoted_len(rest, c, false), Lexeme::Quoted)
        } else if (c == 'e' || c == 'E') && rest[1..].starts_with('\'') {
            (1 + quoted_len(&rest[1..], '\'', true), Lexeme::Quoted)
        } else if let Some(len) = (c == '$').then(|| dollar_quoted_len(rest)).flatten() {
            (len, Lexeme::Quoted)
        } else if is_word_char(c) {
            (
                rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len()),
                Lexeme::Word,
            )
        } else {
            (c.len_utf8(), Lexeme::Symbol)
        };
        let piece_text = &rest[..len];
        let piece_depth = match piece_text {
            "(" | "[" => {
                depth += 1;
                depth - 1
            }
            ")" | "]" => {
                depth = depth.saturating_sub(1);
                depth
            }
            _ => depth,
        };
        out.push(Piece {
            text: piece_text,
            kind,
            depth: piece_depth,
        });
        at += len;
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// `text` split at the commas outside parentheses, brackets, quotes and comments, each part
/// trimmed, with its comments replaced by a space.
pub(crate) fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for piece in pieces(text) {
        let part = parts.last_mut().expect("parts starts with one");
        match piece.kind {
            Lexeme::Comment => part.push(' '),
            Lexeme::Symbol if piece.text == "," && piece.depth == 0 => parts.push(String::new()),
            _ => part.push_str(piece.text),
        }
    }
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// The length of the (possibly nested) `/* ... */` comment `text` starts with.
fn block_comment_len(text: &str) -> usize {
    let mut depth = 0usize;
    let mut at = 0;
    while at < text.len() {
        if text[at..].starts_with("/*") {
            depth += 1;
            at += 2;
        } else if text[at..].starts_with("*/") {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    text.len()
}

/// The length of the literal or identifier quoted with `quote` that `text` starts with (a
/// doubled quote stays inside; with `escapes`, so does a backslash-escaped one).
fn quoted_len(text: &str, quote: char, escapes: bool) -> usize {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        if escapes && c == '\\' {
            chars.next();
        } else if c == quote {
            match chars.peek() {
                Some((_, next)) if *next == quote => {
                    chars.next();
                }
                _ => return at + 1,
            }
        }
    }
    text.len()
}

/// The length of the `$tag$ ... $tag$` string `text` starts with, if it starts with one.
fn dollar_quoted_len(text: &str) -> Option<usize> {
    let tag_end = text[1..].find('$')? + 2;
    let tag = &text[..tag_end];
    let name = &tag[1..tag_end - 1];
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some(tag_end + text[tag_end..].find(tag)? + tag.len())
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
        let found: Vec<(&str, Lexeme, usize)> = pieces("f(a, $1) = e'x'")
            .into_iter()
            .filter(|p| p.kind != Lexeme::Space)
            .map(|p| (p.text, p.kind, p.depth))
            .collect();
        assert_eq!(
            found,
            [
                ("f", Lexeme::Word, 0),
                ("(", Lexeme::Symbol, 0),
                ("a", Lexeme::Word, 1),
                (",", Lexeme::Symbol, 1),
                ("$1", Lexeme::Word, 1),
                (")", Lexeme::Symbol, 0),
                ("=", Lexeme::Symbol, 0),
                ("e'x'", Lexeme::Quoted, 0),
            ]
        );
    }
}
