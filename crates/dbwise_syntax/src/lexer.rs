//! A light SQL lexer that knows just enough of PostgreSQL's and psql's quoting rules to find
//! comments, statement boundaries, psql meta-commands and `COPY ... FROM stdin` data blocks.
//!
//! libpg_query does the real parsing; this pass exists because psql scripts are not SQL:
//! a meta-command line or a block of COPY data would make the whole file unparseable.

use dbwise_diagnostics::Span;

/// A `--` or `/* */` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub line_comment: bool,
}

/// A region of the file that is not SQL for the server and was blanked before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// A psql meta-command such as `\set ON_ERROR_STOP 1`, up to the end of its line.
    MetaCommand(Span),
    /// The data lines that follow `COPY ... FROM stdin;`, up to and including the `\.` line.
    CopyData(Span),
}

#[derive(Debug, Default)]
pub struct Lexed {
    pub comments: Vec<Comment>,
    /// Statement pieces as psql would send them (top-level `;` or a meta-command ends one).
    /// Each span covers the statement text without its terminator.
    pub pieces: Vec<Span>,
    pub skipped: Vec<Skipped>,
    /// The `/*` of a block comment that the file never closes: PostgreSQL would take the rest
    /// of the file as comment.
    pub unterminated_comment: Option<Span>,
    /// String literals, quoted identifiers and dollar-quoted bodies, when asked for.
    pub quoted: Vec<Span>,
}

pub fn lex(text: &str) -> Lexed {
    Lexer {
        bytes: text.as_bytes(),
        pos: 0,
        out: Lexed::default(),
        record_quoted: false,
    }
    .run()
}

/// What a region of [`verbatim_regions`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbatim {
    Comment,
    /// A string literal, a quoted identifier or a dollar-quoted body.
    Quoted,
}

/// The regions of `text` that psql passes on as they are, in file order: comments, string
/// literals, quoted identifiers and dollar-quoted bodies. psql interpolates its variables
/// (`:name`) everywhere else.
pub fn verbatim_regions(text: &str) -> Vec<(Span, Verbatim)> {
    let lexed = Lexer {
        bytes: text.as_bytes(),
        pos: 0,
        out: Lexed::default(),
        record_quoted: true,
    }
    .run();
    let mut regions: Vec<(Span, Verbatim)> = lexed
        .comments
        .iter()
        .map(|c| (c.span, Verbatim::Comment))
        .collect();
    regions.extend(lexed.quoted.into_iter().map(|s| (s, Verbatim::Quoted)));
    regions.sort_by_key(|(s, _)| s.start);
    regions
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    out: Lexed,
    record_quoted: bool,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl Lexer<'_> {
    fn run(mut self) -> Lexed {
        let mut piece_start = 0;
        let mut depth: u32 = 0;
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            match b {
                b'-' if self.peek(1) == Some(b'-') => self.line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.block_comment(),
                b'\'' => {
                    let escapes = self.pos > 0
                        && matches!(self.bytes[self.pos - 1], b'e' | b'E')
                        && (self.pos < 2 || !is_ident_byte(self.bytes[self.pos - 2]));
                    self.quoted(b'\'', escapes);
                }
                b'"' => self.quoted(b'"', false),
                b'$' if self.pos == 0 || !is_ident_byte(self.bytes[self.pos - 1]) => self.dollar(),
                b'(' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' => {
                    depth = depth.saturating_sub(1);
                    self.pos += 1;
                }
                b';' if depth == 0 => {
                    self.end_piece(piece_start, self.pos);
                    self.pos += 1;
                    piece_start = self.pos;
                    if self.last_piece_is_copy_from_stdin() {
                        self.copy_data();
                        piece_start = self.pos;
                    }
                }
                b'\\' => {
                    self.end_piece(piece_start, self.pos);
                    let start = self.pos;
                    self.skip_to_line_end();
                    self.out
                        .skipped
                        .push(Skipped::MetaCommand(Span::new(start, self.pos)));
                    piece_start = self.pos;
                    depth = 0;
                }
                // A word is one unit: after its first character an identifier may hold `$`
                // (`a$$$` is a name to PostgreSQL, not the start of a dollar quote).
                _ if is_ident_byte(b) => {
                    while self.pos < self.bytes.len()
                        && (is_ident_byte(self.bytes[self.pos]) || self.bytes[self.pos] == b'$')
                    {
                        self.pos += 1;
                    }
                }
                _ => self.pos += 1,
            }
        }
        self.end_piece(piece_start, self.bytes.len());
        self.out
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn skip_to_line_end(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        // PostgreSQL's scanner ends a `--` comment at a carriage return too.
        while self.pos < self.bytes.len() && !matches!(self.bytes[self.pos], b'\n' | b'\r') {
            self.pos += 1;
        }
        self.out.comments.push(Comment {
            span: Span::new(start, self.pos),
            line_comment: true,
        });
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        let mut nesting = 1;
        while self.pos < self.bytes.len() && nesting > 0 {
            if self.bytes[self.pos] == b'/' && self.peek(1) == Some(b'*') {
                nesting += 1;
                self.pos += 2;
            } else if self.bytes[self.pos] == b'*' && self.peek(1) == Some(b'/') {
                nesting -= 1;
                self.pos += 2;
            } else {
                self.pos += 1;
            }
        }
        if nesting > 0 {
            self.out.unterminated_comment = Some(Span::new(start, start + 2));
        }
        self.out.comments.push(Comment {
            span: Span::new(start, self.pos),
            line_comment: false,
        });
    }

    fn quoted(&mut self, quote: u8, backslash_escapes: bool) {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            if backslash_escapes && b == b'\\' {
                self.pos += 2;
            } else if b == quote {
                if self.peek(1) == Some(quote) {
                    self.pos += 2;
                } else {
                    self.pos += 1;
                    break;
                }
            } else {
                self.pos += 1;
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        self.record(start);
    }

    /// Keep `start..pos` as a quoted region, when they are asked for.
    fn record(&mut self, start: usize) {
        if self.record_quoted {
            self.out.quoted.push(Span::new(start, self.pos));
        }
    }

    /// `$tag$ ... $tag$`; a `$` that does not open a valid tag (e.g. `$1`) is one byte.
    fn dollar(&mut self) {
        let start = self.pos;
        let mut end = start + 1;
        while end < self.bytes.len() && is_ident_byte(self.bytes[end]) {
            end += 1;
        }
        let tag_ok = end < self.bytes.len()
            && self.bytes[end] == b'$'
            && !self.bytes.get(start + 1).is_some_and(u8::is_ascii_digit);
        if !tag_ok {
            self.pos += 1;
            return;
        }
        let tag = &self.bytes[start..=end];
        self.pos = end + 1;
        while self.pos < self.bytes.len() {
            if self.bytes[self.pos..].starts_with(tag) {
                self.pos += tag.len();
                self.record(start);
                return;
            }
            self.pos += 1;
        }
        self.record(start);
    }

    fn end_piece(&mut self, start: usize, end: usize) {
        let span = Span::new(start, end);
        let has_code = self.bytes[start..end]
            .iter()
            .any(|b| !b.is_ascii_whitespace())
            && !self.only_comments(span);
        if has_code {
            self.out.pieces.push(span);
        }
    }

    fn only_comments(&self, span: Span) -> bool {
        let mut pos = span.start as usize;
        let covering: Vec<Span> = self
            .out
            .comments
            .iter()
            .rev()
            .take_while(|c| c.span.end > span.start)
            .map(|c| c.span)
            .collect();
        while pos < span.end as usize {
            if self.bytes[pos].is_ascii_whitespace() {
                pos += 1;
            } else if let Some(c) = covering.iter().find(|c| c.start as usize == pos) {
                pos = c.end as usize;
            } else {
                return false;
            }
        }
        true
    }

    fn last_piece_is_copy_from_stdin(&self) -> bool {
        let Some(span) = self.out.pieces.last() else {
            return false;
        };
        if span.end as usize + 1 != self.pos {
            return false;
        }
        let text = String::from_utf8_lossy(&self.bytes[span.range()]).to_ascii_lowercase();
        let words: Vec<&str> = text.split_ascii_whitespace().collect();
        let starts_copy = words
            .iter()
            .find(|w| !w.starts_with("--"))
            .is_some_and(|w| *w == "copy");
        starts_copy
            && words
                .windows(2)
                .any(|w| w[0] == "from" && (w[1] == "stdin" || w[1] == "stdin;"))
    }

    /// The data block after `COPY ... FROM stdin;`: psql sends the lines after the statement's
    /// line, up to `\.`. Anything after the `;` on the statement's own line belongs to the block
    /// too (it is not SQL to the server), so it is part of the skipped span rather than dropped.
    fn copy_data(&mut self) {
        let mut start = self.pos;
        self.skip_to_line_end();
        if self.bytes[start..self.pos]
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            start = (self.pos + 1).min(self.bytes.len());
        }
        if self.pos < self.bytes.len() {
            self.pos += 1;
        }
        while self.pos < self.bytes.len() {
            let line_start = self.pos;
            self.skip_to_line_end();
            let line = &self.bytes[line_start..self.pos];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line == b"\\." {
                break;
            }
            if self.pos < self.bytes.len() {
                self.pos += 1;
            }
        }
        if self.bytes[start..self.pos]
            .iter()
            .any(|b| !b.is_ascii_whitespace())
        {
            self.out
                .skipped
                .push(Skipped::CopyData(Span::new(start, self.pos)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        lex(text).pieces.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let text = "select ';', \"a;b\" from t; create function f() returns int as $$ select 1; $$ language sql;\nselect (1;2)";
        assert_eq!(
            pieces(text),
            vec![
                "select ';', \"a;b\" from t",
                " create function f() returns int as $$ select 1; $$ language sql",
                "\nselect (1;2)"
            ]
        );
    }

    #[test]
    fn comments_are_collected_and_comment_only_pieces_dropped() {
        let text = "-- head; still comment\nselect 1; /* a /* nested; */ b */\n";
        let lexed = lex(text);
        assert_eq!(lexed.comments.len(), 2);
        assert_eq!(
            &text[lexed.comments[1].span.range()],
            "/* a /* nested; */ b */"
        );
        assert_eq!(lexed.pieces.len(), 1);
    }

    #[test]
    fn meta_commands_end_a_piece_and_are_skipped() {
        let text = "\\set ON_ERROR_STOP 1\nbegin;\nselect 1 \\gset\nselect E'\\\\x';";
        let lexed = lex(text);
        let skipped: Vec<&str> = lexed
            .skipped
            .iter()
            .map(|s| match s {
                Skipped::MetaCommand(span) | Skipped::CopyData(span) => &text[span.range()],
            })
            .collect();
        assert_eq!(skipped, vec!["\\set ON_ERROR_STOP 1", "\\gset"]);
        assert_eq!(
            pieces(text),
            vec!["\nbegin", "\nselect 1 ", "\nselect E'\\\\x'"]
        );
    }

    #[test]
    fn copy_from_stdin_data_is_skipped_up_to_the_terminator() {
        let text = "COPY t (a, b) FROM stdin;\n1\tx;y\n2\t'q\n\\.\nselect 2;";
        let lexed = lex(text);
        assert_eq!(lexed.skipped.len(), 1);
        let Skipped::CopyData(span) = &lexed.skipped[0] else {
            panic!("expected copy data")
        };
        assert_eq!(&text[span.range()], "1\tx;y\n2\t'q\n\\.");
        assert_eq!(pieces(text), vec!["COPY t (a, b) FROM stdin", "\nselect 2"]);
    }

    #[test]
    fn dollar_signs_inside_identifiers_do_not_open_quotes() {
        let text = "alter table t add a$$$ int; commit; drop table t";
        let pieces: Vec<&str> = lex(text).pieces.iter().map(|p| &text[p.range()]).collect();
        assert_eq!(
            pieces,
            ["alter table t add a$$$ int", " commit", " drop table t"]
        );
    }

    #[test]
    fn dollar_signs_that_are_parameters_do_not_open_quotes() {
        assert_eq!(
            pieces("select $1; select 2"),
            vec!["select $1", " select 2"]
        );
    }
}
