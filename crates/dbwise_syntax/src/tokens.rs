//! PostgreSQL's lexical rules as one tokenizer: the text cut into tokens as the server's scanner
//! (`scan.l`) cuts it, white space and comments included, each a kind and a byte range.
//!
//! Every place that reads SQL text below the grammar builds on it, so that all of them agree on
//! where a string, a quoted name or a comment ends: the psql-aware statement splitter, the
//! workload normaliser, the lint rules that read a statement's words. Tokens are produced one
//! at a time and borrow nothing but the text, so a scan allocates nothing.
//!
//! Where the server would stop with an error (an unterminated quote, `1abc`), the scan goes on:
//! an unterminated quote or comment runs to the end and says so, and a number followed by
//! letters is a number and a word. Strings follow `standard_conforming_strings = on` (the
//! default since PostgreSQL 9.1): a backslash escapes only inside `E'...'`.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Spaces, tabs, line ends, form and line feeds.
    Space,
    /// `--` up to the end of its line (a `\n` or `\r`, not included).
    LineComment,
    /// `/* ... */`, in which comments nest.
    BlockComment,
    /// A string constant: `'...'`, `E'...'`, `B'...'`, `X'...'`, `U&'...'` or
    /// `$tag$...$tag$`. The `N` of `N'...'` is a word of its own, as the server reads it.
    String,
    /// `"..."` or `U&"..."`.
    QuotedIdent,
    /// A keyword or an unquoted name; after its first character a name may hold digits and `$`.
    Ident,
    /// `42`, `1_000`, `0x1F`, `0o17`, `0b101`, `1.5`, `.5`, `1.`, `1e-3`.
    Number,
    /// A positional parameter: `$1`.
    Param,
    /// An operator as the server cuts a run of operator characters (`=`, `<>`, `->>`, `*/`),
    /// or one of `::`, `..` and `:=`.
    Operator,
    /// One of `, ( ) [ ] . ; :`.
    Punct,
    /// Any other single character (`$` that opens nothing, `\`, `{`).
    Other,
}

impl TokenKind {
    /// White space or a comment: nothing to the grammar.
    pub fn is_trivia(self) -> bool {
        matches!(self, Self::Space | Self::LineComment | Self::BlockComment)
    }
}

/// One token: its kind and where it lies in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// A string, quoted name or block comment that the text ends inside of.
    pub unterminated: bool,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// The tokens of `sql`, in order.
pub fn tokens(sql: &str) -> Tokens<'_> {
    Tokens::at(sql, 0)
}

/// An iterator over the tokens of a text ([`tokens`]).
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// How the last string constant was quoted, as long as only white space and `--` comments
    /// followed it: a quote after them continues that string when they hold a line end.
    open_string: Option<Quoting>,
    line_end_since_string: bool,
}

/// The rules inside a quoted string constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// `'...'` and `U&'...'`: `''` stands for a quote.
    Standard,
    /// `E'...'`: `''` too, and a backslash with the character after it.
    Escapes,
    /// `B'...'` and `X'...'`: digits only, the first quote ends it.
    Bits,
}

impl<'a> Tokens<'a> {
    /// The tokens of `sql` from byte `pos` on, which must start a token (or be the end).
    pub fn at(sql: &'a str, pos: usize) -> Self {
        Tokens {
            bytes: sql.as_bytes(),
            pos,
            open_string: None,
            line_end_since_string: false,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn token(&mut self, kind: TokenKind, start: usize, end: usize, unterminated: bool) -> Token {
        self.pos = end;
        match kind {
            TokenKind::Space => {
                if self.open_string.is_some() {
                    self.line_end_since_string |=
                        memchr::memchr2(b'\n', b'\r', &self.bytes[start..end]).is_some();
                }
            }
            TokenKind::LineComment => {}
            _ => self.open_string = None,
        }
        Token {
            kind,
            start,
            end,
            unterminated,
        }
    }

    /// A string constant whose opening quote is at `quote`, with its prefix from `start`.
    fn string(&mut self, start: usize, quote: usize, quoting: Quoting) -> Token {
        let mut at = quote + 1;
        let (end, unterminated) = loop {
            let rest = &self.bytes[at..];
            let found = match quoting {
                Quoting::Escapes => memchr::memchr2(b'\'', b'\\', rest),
                _ => memchr::memchr(b'\'', rest),
            };
            let Some(n) = found else {
                break (self.bytes.len(), true);
            };
            at += n;
            if self.bytes[at] == b'\\' {
                at += 2;
                if at >= self.bytes.len() {
                    break (self.bytes.len(), true);
                }
            } else if quoting != Quoting::Bits && self.byte(at + 1) == Some(b'\'') {
                at += 2;
            } else {
                break (at + 1, false);
            }
        };
        let token = self.token(TokenKind::String, start, end, unterminated);
        self.open_string = Some(quoting);
        self.line_end_since_string = false;
        token
    }

    /// A quoted name whose opening quote is at `quote`, with its prefix from `start`.
    fn quoted_ident(&mut self, start: usize, quote: usize) -> Token {
        let mut at = quote + 1;
        let (end, unterminated) = loop {
            let Some(n) = memchr::memchr(b'"', &self.bytes[at..]) else {
                break (self.bytes.len(), true);
            };
            at += n;
            if self.byte(at + 1) == Some(b'"') {
                at += 2;
            } else {
                break (at + 1, false);
            }
        };
        self.token(TokenKind::QuotedIdent, start, end, unterminated)
    }

    fn block_comment(&mut self, start: usize) -> Token {
        let mut depth = 1usize;
        let mut at = start + 2;
        while depth > 0 {
            let Some(n) = memchr::memchr2(b'/', b'*', &self.bytes[at..]) else {
                return self.token(TokenKind::BlockComment, start, self.bytes.len(), true);
            };
            at += n;
            match (self.bytes[at], self.byte(at + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    at += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    at += 2;
                }
                _ => at += 1,
            }
        }
        self.token(TokenKind::BlockComment, start, at, false)
    }

    /// `$tag$...$tag$` when `start` opens one; `None` for a `$` that opens nothing.
    fn dollar_quoted(&mut self, start: usize) -> Option<Token> {
        let mut close = start + 1;
        if self.byte(close).is_some_and(is_ident_start) {
            close += 1;
            while self
                .byte(close)
                .is_some_and(|b| is_ident_start(b) || b.is_ascii_digit())
            {
                close += 1;
            }
        }
        if self.byte(close) != Some(b'$') {
            return None;
        }
        let tag = &self.bytes[start..=close];
        let body = close + 1;
        Some(match memchr::memmem::find(&self.bytes[body..], tag) {
            Some(n) => self.token(TokenKind::String, start, body + n + tag.len(), false),
            None => self.token(TokenKind::String, start, self.bytes.len(), true),
        })
    }

    /// The end of the digits (single underscores between them allowed) that start at `at`.
    fn digits_end(&self, mut at: usize, digit: fn(&u8) -> bool) -> usize {
        while let Some(b) = self.byte(at) {
            if digit(&b) {
                at += 1;
            } else if b == b'_' && self.byte(at + 1).is_some_and(|b| digit(&b)) {
                at += 2;
            } else {
                break;
            }
        }
        at
    }

    /// The end of the number that starts at `start` with a digit, or a `.` before one.
    fn number_end(&self, start: usize) -> usize {
        let radix: Option<fn(&u8) -> bool> = match self.byte(start + 1) {
            _ if self.bytes[start] != b'0' => None,
            Some(b'x' | b'X') => Some(u8::is_ascii_hexdigit),
            Some(b'o' | b'O') => Some(|b| matches!(b, b'0'..=b'7')),
            Some(b'b' | b'B') => Some(|b| matches!(b, b'0' | b'1')),
            _ => None,
        };
        if let Some(digit) = radix {
            let first = start + 2 + usize::from(self.byte(start + 2) == Some(b'_'));
            if self.byte(first).is_some_and(|b| digit(&b)) {
                return self.digits_end(first, digit);
            }
        }
        let mut at = start;
        if self.bytes[at] != b'.' {
            at = self.digits_end(at, u8::is_ascii_digit);
        }
        // `1.5`, `1.` and `.5`, but `1..2` is a number and `..`.
        if self.byte(at) == Some(b'.') && self.byte(at + 1) != Some(b'.') {
            at = self.digits_end(at + 1, u8::is_ascii_digit);
        }
        if matches!(self.byte(at), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.byte(at + 1), Some(b'+' | b'-')));
            if self.byte(at + 1 + sign).is_some_and(|b| b.is_ascii_digit()) {
                at = self.digits_end(at + 1 + sign, u8::is_ascii_digit);
            }
        }
        at
    }

    /// The length of the operator the run of operator characters at `start` begins with.
    fn operator_len(&self, start: usize) -> usize {
        let run = self.bytes[start..]
            .iter()
            .take_while(|&&b| is_operator_char(b))
            .count();
        let run = &self.bytes[start..start + run];
        // A comment start inside the run ends the operator before it.
        let mut len = run
            .windows(2)
            .position(|w| w == b"/*" || w == b"--")
            .unwrap_or(run.len());
        // `=-` is `=` then `-`: a longer operator may end in `+` or `-` only when it holds a
        // character that SQL's own operators do not use.
        if len > 1
            && matches!(run[len - 1], b'+' | b'-')
            && !run[..len - 1].iter().any(|b| b"~!@#^&|`?%".contains(b))
        {
            while len > 1 && matches!(run[len - 1], b'+' | b'-') {
                len -= 1;
            }
        }
        len
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    // Inlined into the callers' loops, which then keep the token in registers.
    #[inline]
    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        let b = self.byte(start)?;
        let next = self.byte(start + 1);
        let token = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                let len = self.bytes[start..]
                    .iter()
                    .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
                    .count();
                self.token(TokenKind::Space, start, start + len, false)
            }
            b'-' if next == Some(b'-') => {
                let end = memchr::memchr2(b'\n', b'\r', &self.bytes[start..])
                    .map_or(self.bytes.len(), |n| start + n);
                self.token(TokenKind::LineComment, start, end, false)
            }
            b'/' if next == Some(b'*') => self.block_comment(start),
            b'\'' => {
                let quoting = match self.open_string {
                    Some(quoting) if self.line_end_since_string => quoting,
                    _ => Quoting::Standard,
                };
                self.string(start, start, quoting)
            }
            b'"' => self.quoted_ident(start, start),
            b'e' | b'E' if next == Some(b'\'') => self.string(start, start + 1, Quoting::Escapes),
            b'b' | b'B' | b'x' | b'X' if next == Some(b'\'') => {
                self.string(start, start + 1, Quoting::Bits)
            }
            b'u' | b'U' if next == Some(b'&') && self.byte(start + 2) == Some(b'\'') => {
                self.string(start, start + 2, Quoting::Standard)
            }
            b'u' | b'U' if next == Some(b'&') && self.byte(start + 2) == Some(b'"') => {
                self.quoted_ident(start, start + 2)
            }
            // Unlike a number, a parameter takes no underscores: `$1_0` is `$1` and `_0`.
            b'$' if next.is_some_and(|b| b.is_ascii_digit()) => {
                let digits = self.bytes[start + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                self.token(TokenKind::Param, start, start + 1 + digits, false)
            }
            b'$' => match self.dollar_quoted(start) {
                Some(token) => token,
                None => self.token(TokenKind::Other, start, start + 1, false),
            },
            _ if is_ident_start(b) => {
                let len = self.bytes[start..]
                    .iter()
                    .take_while(|&&b| is_ident_start(b) || b.is_ascii_digit() || b == b'$')
                    .count();
                self.token(TokenKind::Ident, start, start + len, false)
            }
            b'0'..=b'9' => {
                let end = self.number_end(start);
                self.token(TokenKind::Number, start, end, false)
            }
            b'.' if next.is_some_and(|b| b.is_ascii_digit()) => {
                let end = self.number_end(start);
                self.token(TokenKind::Number, start, end, false)
            }
            b'.' if next == Some(b'.') => self.token(TokenKind::Operator, start, start + 2, false),
            b':' if matches!(next, Some(b':' | b'=')) => {
                self.token(TokenKind::Operator, start, start + 2, false)
            }
            _ if is_operator_char(b) => {
                let len = self.operator_len(start);
                self.token(TokenKind::Operator, start, start + len, false)
            }
            b',' | b'(' | b')' | b'[' | b']' | b'.' | b';' | b':' => {
                self.token(TokenKind::Punct, start, start + 1, false)
            }
            _ => self.token(TokenKind::Other, start, start + 1, false),
        };
        Some(token)
    }
}

/// Compares [`tokens`] with PostgreSQL's own scanner (libpg_query's) on `sql`, for the tests
/// and the fuzz target: `Ok(true)` when both cut it into the same tokens of the same kinds,
/// `Ok(false)` when the server's scanner rejects the text, and the first difference otherwise.
/// The server has no white space tokens, and joins a string continued on the next line
/// (`'a'\n'b'`) into one token; both are allowed for.
#[doc(hidden)]
pub fn compare_with_server(sql: &str) -> Result<bool, String> {
    // `scan` rather than `scan_tokens`, which reads a null token list when there is no token.
    let Ok(theirs) = pg_query::scan(sql).map(|scanned| scanned.tokens) else {
        return Ok(false);
    };
    let mine: Vec<Token> = tokens(sql).filter(|t| t.kind != TokenKind::Space).collect();
    let mut next = 0;
    for token in &theirs {
        let (start, end) = (token.start as usize, token.end as usize);
        let kind = server_kind(sql.as_bytes(), token);
        let differs = |what: &str, at: usize| {
            format!(
                "{what}: the server reads {kind:?} {:?} at {start}, dbwise {:?}",
                sql.get(start..end),
                mine.get(at).map(|t| (t.kind, sql.get(t.range()), t.start))
            )
        };
        match mine.get(next) {
            Some(t) if t.start == start && t.kind == kind => {}
            _ => return Err(differs("different token", next)),
        }
        let first = next;
        next += 1;
        while kind == TokenKind::String
            && mine[next - 1].end < end
            && mine
                .get(next)
                .is_some_and(|t| matches!(t.kind, TokenKind::String | TokenKind::LineComment))
        {
            next += 1;
        }
        if mine[next - 1].end != end {
            return Err(differs("different end", first));
        }
    }
    match mine.get(next) {
        Some(t) => Err(format!(
            "dbwise reads {:?} {:?} at {} after the server's last token",
            t.kind,
            sql.get(t.range()),
            t.start
        )),
        None => Ok(true),
    }
}

/// The kind of one of the server scanner's tokens, in [`TokenKind`]'s terms.
fn server_kind(sql: &[u8], token: &pg_query::protobuf::ScanToken) -> TokenKind {
    use pg_query::protobuf::Token as T;
    match T::try_from(token.token) {
        Ok(T::SqlComment) => TokenKind::LineComment,
        Ok(T::CComment) => TokenKind::BlockComment,
        Ok(T::Sconst | T::Usconst | T::Bconst | T::Xconst) => TokenKind::String,
        Ok(T::Uident) => TokenKind::QuotedIdent,
        Ok(T::Ident) if sql.get(token.start as usize) == Some(&b'"') => TokenKind::QuotedIdent,
        Ok(T::Ident) => TokenKind::Ident,
        Ok(T::Iconst | T::Fconst) => TokenKind::Number,
        Ok(T::Param) => TokenKind::Param,
        Ok(
            T::Op
            | T::Typecast
            | T::DotDot
            | T::ColonEquals
            | T::EqualsGreater
            | T::LessEquals
            | T::GreaterEquals
            | T::NotEquals,
        ) => TokenKind::Operator,
        _ if token.keyword_kind != 0 => TokenKind::Ident,
        // Single characters come as their own code.
        _ => match u8::try_from(token.token) {
            Ok(b) if is_operator_char(b) => TokenKind::Operator,
            Ok(b',' | b'(' | b')' | b'[' | b']' | b'.' | b';' | b':') => TokenKind::Punct,
            _ => TokenKind::Other,
        },
    }
}

/// A character that may start a name: a letter, `_` or any byte of a non-ASCII character.
fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_operator_char(b: u8) -> bool {
    matches!(
        b,
        b'~' | b'!'
            | b'@'
            | b'#'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'<'
            | b'>'
            | b'='
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(sql: &str) -> Vec<(TokenKind, &str)> {
        tokens(sql)
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| (t.kind, &sql[t.range()]))
            .collect()
    }

    #[test]
    fn strings_follow_their_prefix() {
        use TokenKind::*;
        assert_eq!(
            cut(r"E'a\'b' 'a\' N'x' B'01' U&'d' U&&x"),
            [
                (String, r"E'a\'b'"),
                (String, r"'a\'"),
                (Ident, "N"),
                (String, "'x'"),
                (String, "B'01'"),
                (String, "U&'d'"),
                (Ident, "U"),
                (Operator, "&&"),
                (Ident, "x"),
            ]
        );
    }

    #[test]
    fn a_string_continued_on_the_next_line_keeps_its_rules() {
        let sql = "E'a'\n'b\\'c' 'd\\'";
        let strings: Vec<&str> = tokens(sql)
            .filter(|t| t.kind == TokenKind::String)
            .map(|t| &sql[t.range()])
            .collect();
        assert_eq!(strings, ["E'a'", "'b\\'c'", "'d\\'"]);
    }

    #[test]
    fn dollar_signs() {
        use TokenKind::*;
        assert_eq!(
            cut("a$$b $1 $$x$y$$ $1$ $q x $_$ open"),
            [
                (Ident, "a$$b"),
                (Param, "$1"),
                (String, "$$x$y$$"),
                (Param, "$1"),
                (Other, "$"),
                (Other, "$"),
                (Ident, "q"),
                (Ident, "x"),
                (String, "$_$ open"),
            ]
        );
        assert!(tokens("$_$ open").next().is_some_and(|t| t.unterminated));
    }

    #[test]
    fn operators_stop_where_a_comment_starts_and_shed_a_trailing_sign() {
        use TokenKind::*;
        assert_eq!(
            cut("a=-1 b*/*c*/ x+--d\n@- y::int"),
            [
                (Ident, "a"),
                (Operator, "="),
                (Operator, "-"),
                (Number, "1"),
                (Ident, "b"),
                (Operator, "*"),
                (BlockComment, "/*c*/"),
                (Ident, "x"),
                (Operator, "+"),
                (LineComment, "--d"),
                (Operator, "@-"),
                (Ident, "y"),
                (Operator, "::"),
                (Ident, "int"),
            ]
        );
    }

    #[test]
    fn numbers() {
        let sql = "1 1_000 0x1F 0o17 0b101 1.5 .5 1. 1e-3 1.5E+10 1..2 1e";
        let found: Vec<&str> = tokens(sql)
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| &sql[t.range()])
            .collect();
        assert_eq!(
            found,
            [
                "1", "1_000", "0x1F", "0o17", "0b101", "1.5", ".5", "1.", "1e-3", "1.5E+10", "1",
                "2", "1"
            ]
        );
    }

    #[test]
    fn comments_nest_and_may_be_left_open() {
        let sql = "/* a /* b */ c */ x /* open /* */";
        let found: Vec<(&str, bool)> = tokens(sql)
            .filter(|t| t.kind == TokenKind::BlockComment)
            .map(|t| (&sql[t.range()], t.unterminated))
            .collect();
        assert_eq!(
            found,
            [("/* a /* b */ c */", false), ("/* open /* */", true)]
        );
    }
}
