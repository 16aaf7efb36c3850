//! The PostgreSQL front-end: turns a SQL file into statements of dbwise's own model, with exact
//! byte ranges, comments, skipped psql meta-commands and syntax errors.
//!
//! Parsing uses libpg_query (the real PostgreSQL grammar), whose raw tree is read in place and
//! lowered into dbwise's own model. Each statement is parsed on its own, so one bad statement
//! costs only itself. [`tree`] gives libpg_query's full tree, fingerprints and normalised text
//! to the query analysis, and [`transaction`] tells how a statement behaves toward
//! transaction blocks.

pub mod ast;
pub mod keywords;
mod lexer;
mod lower;
mod plpgsql;
mod raw;
pub mod tokens;
pub mod transaction;
pub mod tree;

use std::borrow::Cow;

use dbwise_diagnostics::{SourceFile, Span};
pub use lexer::{Comment, Skipped, Verbatim, verbatim_regions};

/// One parsed top-level statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The statement's text, without surrounding comments, white space or the `;`.
    pub span: Span,
    pub stmt: ast::Stmt,
}

/// A statement the PostgreSQL grammar rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped (one character), or the whole statement when it gave no position.
    pub span: Span,
    pub statement: Span,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: SourceFile,
    /// The top-level statements, as PostgreSQL runs them one by one.
    pub statements: Vec<Statement>,
    /// The static statements inside the bodies of `DO` blocks, in file order: they run when
    /// their block does ([`ParsedFile::replay_order`]).
    pub do_statements: Vec<Statement>,
    pub errors: Vec<SyntaxError>,
    pub comments: Vec<Comment>,
    pub skipped: Vec<Skipped>,
}

impl ParsedFile {
    /// Every statement in the order its effects happen: each `DO` block followed by the static
    /// statements of its body.
    pub fn replay_order(&self) -> Cow<'_, [Statement]> {
        if self.do_statements.is_empty() {
            return Cow::Borrowed(&self.statements);
        }
        let mut all: Vec<Statement> = self
            .statements
            .iter()
            .chain(&self.do_statements)
            .cloned()
            .collect();
        // A block starts before the statements of its body, and ends before the next one.
        all.sort_by_key(|s| s.span.start);
        Cow::Owned(all)
    }

    /// The comments that stand between the previous statement and `statement`.
    pub fn leading_comments(&self, index: usize) -> impl Iterator<Item = &Comment> {
        let start = if index == 0 {
            0
        } else {
            self.statements[index - 1].span.end
        };
        let end = self.statements[index].span.start;
        self.comments
            .iter()
            .filter(move |c| c.span.start >= start && c.span.end <= end)
    }
}

/// Parse a whole SQL file.
///
/// Each statement is parsed on its own, which keeps memory to one statement's tree at a time
/// and lets one bad statement cost only itself. When a piece fails, the whole file is tried
/// once as a unit, since a function body written with `BEGIN ATOMIC` holds semicolons of its own.
pub fn parse(source: &SourceFile) -> ParsedFile {
    // The first part of an unbounded split is the whole file.
    parse_in_parts(source, usize::MAX).take_part()
}

/// Parse a SQL file in consecutive parts of about `part_bytes` of statements each, so that a
/// caller can go through a very large file (a schema dump) holding one part's statements at a
/// time. Parts split the file between statements: together they hold every statement, comment,
/// skipped region and error of [`parse`], each in the part whose range holds it, and every
/// part shares the whole file's [`SourceFile`]. A part that fails to parse piece by piece is
/// tried once as a unit, as [`parse`] tries the whole file.
pub fn parse_in_parts(source: &SourceFile, part_bytes: usize) -> Parts {
    let text = source.text();
    let lexed = lexer::lex(text);
    let cleaned = match blank_skipped(text, &lexed.skipped) {
        Cow::Borrowed(_) => None,
        Cow::Owned(cleaned) => Some(cleaned),
    };
    Parts {
        source: source.clone(),
        cleaned,
        lexed,
        part_bytes: part_bytes.max(1),
        next_piece: 0,
        start: 0,
    }
}

/// The parts of a file, in order ([`parse_in_parts`]).
pub struct Parts {
    source: SourceFile,
    /// The text with skipped regions blanked, when that changed it.
    cleaned: Option<String>,
    lexed: lexer::Lexed,
    part_bytes: usize,
    /// The first piece of the next part.
    next_piece: usize,
    /// Where the next part's range starts; past the end once the last part is out.
    start: usize,
}

impl Iterator for Parts {
    type Item = ParsedFile;

    fn next(&mut self) -> Option<ParsedFile> {
        (self.start <= self.source.text().len()).then(|| self.take_part())
    }
}

impl Parts {
    /// The next part: with unbounded parts, the first is the whole file.
    fn take_part(&mut self) -> ParsedFile {
        let text = self.source.text();
        let cleaned = self.cleaned.as_deref().unwrap_or(text);
        let pieces = &self.lexed.pieces;
        let first = self.next_piece;
        let mut last = first;
        while last < pieces.len()
            && (last == first || pieces[last].end as usize - self.start <= self.part_bytes)
        {
            last += 1;
        }
        let end = if last == pieces.len() {
            text.len()
        } else {
            pieces[last - 1].end as usize
        };
        let range = Span::new(self.start, end);
        let (mut statements, mut errors) =
            parse_pieces(text, cleaned, &self.lexed.comments, &pieces[first..last]);
        if !errors.is_empty()
            && let Some(whole) = parse_range(text, cleaned, &self.lexed.comments, range)
        {
            statements = whole;
            errors.clear();
        }
        let is_last = last == pieces.len();
        if is_last && let Some(opening) = self.lexed.unterminated_comment {
            errors.push(SyntaxError {
                span: opening,
                statement: Span::new(opening.start as usize, text.len()),
                message: "unterminated /* comment: PostgreSQL reads the rest of the file as comment; close it with */".to_owned(),
            });
        }
        let do_statements = read_do_bodies(&mut statements, text);
        let (comments, skipped) = if first == 0 && is_last {
            // The whole file: its comments and skipped regions move over as they are.
            (
                std::mem::take(&mut self.lexed.comments),
                std::mem::take(&mut self.lexed.skipped),
            )
        } else {
            // Both come in file order: a part takes the run that starts in its range, and the
            // last part everything after.
            let start_of = |s: &Skipped| {
                let (Skipped::MetaCommand(span) | Skipped::CopyData(span)) = s;
                span.start
            };
            let (comments, skipped) = (&self.lexed.comments, &self.lexed.skipped);
            let end = |limit: u32| {
                (
                    comments.partition_point(|c| c.span.start < limit),
                    skipped.partition_point(|s| start_of(s) < limit),
                )
            };
            let from = end(range.start);
            let to = if is_last {
                (comments.len(), skipped.len())
            } else {
                end(range.end)
            };
            (
                comments[from.0..to.0].to_vec(),
                skipped[from.1..to.1].to_vec(),
            )
        };
        let parsed = ParsedFile {
            source: self.source.clone(),
            statements,
            do_statements,
            errors,
            comments,
            skipped,
        };
        self.next_piece = last;
        self.start = if is_last { text.len() + 1 } else { end };
        parsed
    }
}

fn parse_pieces(
    text: &str,
    cleaned: &str,
    comments: &[Comment],
    pieces: &[Span],
) -> (Vec<Statement>, Vec<SyntaxError>) {
    let mut statements = Vec::with_capacity(pieces.len());
    let mut errors = Vec::new();
    for &piece in pieces {
        let piece = trim(cleaned, comments, piece);
        if piece.is_empty() {
            continue;
        }
        let piece_text = &cleaned[piece.range()];
        let parsed = raw::parse(piece_text, |tree, statement| {
            if let Some(node) = statement.node {
                // A piece the lexer thought was one statement may hold several to PostgreSQL:
                // each gets its own span, as the server would run it.
                let span = statement_span(cleaned, comments, piece, &statement);
                statements.push(Statement {
                    span,
                    stmt: lower::lower(tree, node, text, piece.start as usize),
                });
            }
        });
        if let Err(error) = parsed {
            errors.push(syntax_error(cleaned, piece, error));
        }
    }
    (statements, errors)
}

/// Read the body of each `DO` block: set whether it can be followed, and return the static
/// statements of all bodies in file order. Done once the file is parsed: libpg_query parses one
/// input at a time.
fn read_do_bodies(statements: &mut [Statement], text: &str) -> Vec<Statement> {
    let mut inner = Vec::new();
    for statement in statements {
        if let ast::Stmt::Do { opaque } = &mut statement.stmt {
            let body = plpgsql::do_body(text, statement.span);
            *opaque = body.opaque;
            inner.extend(body.statements);
        }
    }
    inner
}

fn syntax_error(cleaned: &str, piece: Span, error: raw::RawError) -> SyntaxError {
    let span = match error.offset {
        Some(offset) => {
            let at = piece.start as usize + offset;
            let width = cleaned[at.min(cleaned.len())..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            Span::new(at, at + width)
        }
        None => piece,
    };
    SyntaxError {
        span,
        statement: piece,
        message: error.message,
    }
}

/// The span of one statement of a parse of `cleaned[parsed]`, from the location and length
/// libpg_query gives it (a length of 0 runs to the end), narrowed as every statement's span is.
fn statement_span(
    cleaned: &str,
    comments: &[Comment],
    parsed: Span,
    statement: &raw::RawStatement<'_>,
) -> Span {
    let base = parsed.start as usize;
    let limit = parsed.end as usize;
    let start = base + usize::try_from(statement.location).unwrap_or(0);
    let end = match usize::try_from(statement.len) {
        Ok(0) | Err(_) => limit,
        Ok(len) => start + len,
    };
    trim(
        cleaned,
        comments,
        Span::new(start.min(limit), end.min(limit)),
    )
}

/// Parse `range` of the file as one input.
fn parse_range(
    text: &str,
    cleaned: &str,
    comments: &[Comment],
    range: Span,
) -> Option<Vec<Statement>> {
    let mut statements = Vec::new();
    raw::parse(&cleaned[range.range()], |tree, statement| {
        if let Some(node) = statement.node {
            let span = statement_span(cleaned, comments, range, &statement);
            statements.push(Statement {
                span,
                stmt: lower::lower(tree, node, text, range.start as usize),
            });
        }
    })
    .ok()?;
    Some(statements)
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BYTE_ORDER_MARK: &str = "\u{feff}";

/// Replace meta-commands, COPY data and a leading byte-order mark with spaces (keeping
/// newlines) so byte offsets hold.
fn blank_skipped<'a>(text: &'a str, skipped: &[Skipped]) -> Cow<'a, str> {
    let mark = text.starts_with(BYTE_ORDER_MARK);
    if skipped.is_empty() && !mark {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    if mark {
        bytes[..BYTE_ORDER_MARK.len()].fill(b' ');
    }
    for skip in skipped {
        let (Skipped::MetaCommand(span) | Skipped::CopyData(span)) = skip;
        for b in &mut bytes[span.range()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Only whole characters were replaced (spans start at ASCII and end at a line end).
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Narrow a span past leading white space and comments and trailing white space and `;`.
fn trim(text: &str, comments: &[Comment], span: Span) -> Span {
    let bytes = text.as_bytes();
    let mut start = span.start as usize;
    let end_limit = (span.end as usize).min(bytes.len());
    loop {
        while start < end_limit && bytes[start].is_ascii_whitespace() {
            start += 1;
        }
        let found = comments.binary_search_by_key(&(start as u32), |c| c.span.start);
        match found {
            Ok(i) if start < end_limit => start = comments[i].span.end as usize,
            _ => break,
        }
    }
    let mut end = end_limit;
    while end > start && (bytes[end - 1].is_ascii_whitespace() || bytes[end - 1] == b';') {
        end -= 1;
    }
    Span::new(start, end.max(start))
}

#[cfg(test)]
mod tests;
