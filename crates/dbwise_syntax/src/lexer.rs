//! psql's reading of a script, on top of the server's tokens ([`crate::tokens`]): comments,
//! statement boundaries, psql meta-commands and `COPY ... FROM stdin` data blocks.
//!
//! libpg_query does the real parsing; this pass exists because psql scripts are not SQL:
//! a meta-command line or a block of COPY data would make the whole file unparseable.

use dbwise_diagnostics::Span;

use crate::tokens::{Token, TokenKind, Tokens, tokens};

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
        text,
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
        text,
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
    text: &'a str,
    out: Lexed,
    record_quoted: bool,
}

/// The statement being read: where it started, its first token that is not white space or a
/// comment, and how deep in parentheses the reading is.
#[derive(Default)]
struct Piece {
    start: usize,
    first: Option<Token>,
    depth: u32,
}

impl Lexer<'_> {
    fn run(mut self) -> Lexed {
        let text = self.text;
        let mut piece = Piece::default();
        let mut tokens = tokens(text);
        while let Some(token) = tokens.next() {
            let span = Span::new(token.start, token.end);
            match (token.kind, &text[token.range()]) {
                (TokenKind::Space, _) => continue,
                (TokenKind::LineComment | TokenKind::BlockComment, _) => {
                    let line_comment = token.kind == TokenKind::LineComment;
                    if !line_comment && token.unterminated {
                        self.out.unterminated_comment =
                            Some(Span::new(token.start, token.start + 2));
                    }
                    self.out.comments.push(Comment { span, line_comment });
                    continue;
                }
                (TokenKind::String | TokenKind::QuotedIdent, _) if self.record_quoted => {
                    self.out.quoted.push(span);
                }
                (TokenKind::Punct, "(") => piece.depth += 1,
                (TokenKind::Punct, ")") => piece.depth = piece.depth.saturating_sub(1),
                (TokenKind::Punct, ";") if piece.depth == 0 => {
                    let copy =
                        self.end_piece(&piece, token.start) && self.copies_from_stdin(&piece);
                    let next = if copy {
                        self.copy_data(token.end)
                    } else {
                        token.end
                    };
                    piece = Piece {
                        start: next,
                        ..Piece::default()
                    };
                    tokens = Tokens::at(text, next);
                    continue;
                }
                (TokenKind::Other, "\\") => {
                    self.end_piece(&piece, token.start);
                    let end = self.line_end(token.start);
                    self.out
                        .skipped
                        .push(Skipped::MetaCommand(Span::new(token.start, end)));
                    piece = Piece {
                        start: end,
                        ..Piece::default()
                    };
                    tokens = Tokens::at(text, end);
                    continue;
                }
                _ => {}
            }
            piece.first.get_or_insert(token);
        }
        self.end_piece(&piece, text.len());
        self.out
    }

    fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', &self.text.as_bytes()[from..]).map_or(self.text.len(), |n| from + n)
    }

    /// Keep the piece up to `end` when it holds more than white space and comments; says
    /// whether it did.
    fn end_piece(&mut self, piece: &Piece, end: usize) -> bool {
        if piece.first.is_some() {
            self.out.pieces.push(Span::new(piece.start, end));
        }
        piece.first.is_some()
    }

    /// Whether the piece is a `COPY ... FROM stdin`.
    fn copies_from_stdin(&self, piece: &Piece) -> bool {
        let Some(first) = piece.first else {
            return false;
        };
        let word = |t: Token, w: &str| {
            t.kind == TokenKind::Ident && self.text[t.range()].eq_ignore_ascii_case(w)
        };
        if !word(first, "copy") {
            return false;
        }
        let mut words = Tokens::at(self.text, first.start).filter(|t| !t.kind.is_trivia());
        let mut previous = first;
        // The piece ends at its `;`, the first one outside parentheses.
        while let Some(t) = words.next().filter(|t| &self.text[t.range()] != ";") {
            if word(previous, "from") && word(t, "stdin") {
                return true;
            }
            previous = t;
        }
        false
    }

    /// The data block after `COPY ... FROM stdin;`, whose `;` ends at `from`: psql sends the
    /// lines after the statement's line, up to `\.`. Anything after the `;` on the statement's
    /// own line belongs to the block too (it is not SQL to the server), so it is part of the
    /// skipped span rather than dropped. Returns where SQL starts again.
    fn copy_data(&mut self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut start = from;
        let mut pos = self.line_end(from);
        if bytes[start..pos].iter().all(u8::is_ascii_whitespace) {
            start = (pos + 1).min(bytes.len());
        }
        if pos < bytes.len() {
            pos += 1;
        }
        while pos < bytes.len() {
            let line_start = pos;
            pos = self.line_end(pos);
            let line = &bytes[line_start..pos];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line == b"\\." {
                break;
            }
            if pos < bytes.len() {
                pos += 1;
            }
        }
        if bytes[start..pos].iter().any(|b| !b.is_ascii_whitespace()) {
            self.out
                .skipped
                .push(Skipped::CopyData(Span::new(start, pos)));
        }
        pos
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

    #[test]
    fn a_dollar_quote_may_follow_a_number() {
        // The server reads `1` and then `$$;$$`: a number cannot run on into a `$`.
        assert_eq!(
            pieces("select 1$$;$$; select 2"),
            vec!["select 1$$;$$", " select 2"]
        );
    }

    #[test]
    fn copy_from_stdin_is_recognised_after_a_comment_and_not_inside_one() {
        let text =
            "/* load */ COPY t FROM stdin;\n1\n\\.\nCOPY t TO stdout /* from stdin */;\nselect 1;";
        let lexed = lex(text);
        assert_eq!(lexed.skipped, vec![Skipped::CopyData(Span::new(30, 34))]);
        assert_eq!(
            pieces(text),
            vec![
                "/* load */ COPY t FROM stdin",
                "\nCOPY t TO stdout /* from stdin */",
                "\nselect 1"
            ]
        );
    }
}
