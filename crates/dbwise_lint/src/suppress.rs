//! `-- dbwise-ignore rule[, rule]: reason` (next statement) and `-- dbwise-ignore-file rule`;
//! and the `-- safety-assured:start` / `-- safety-assured:end` blocks of diesel-guard, whose
//! authors reviewed the locking of the statements inside.

use dbwise_diagnostics::{Category, Finding, Span};
use dbwise_syntax::ParsedFile;

#[derive(Debug)]
pub(crate) struct Suppression {
    pub rule: String,
    /// The comment, for reporting an unused or unknown suppression.
    pub comment: Span,
    /// The statement it covers; `None` for a file-wide suppression.
    pub statement: Option<Span>,
    pub used: bool,
}

pub(crate) fn collect(file: &ParsedFile) -> Vec<Suppression> {
    let text = file.source.text();
    let mut out = Vec::new();
    // A comment inside a DO block covers the statement of the body after it.
    let statements = file.replay_order();
    for comment in file.comments.iter().filter(|c| c.line_comment) {
        let body = text[comment.span.range()].trim_start_matches('-').trim();
        let (file_wide, rest) = if let Some(rest) = body.strip_prefix("dbwise-ignore-file") {
            (true, rest)
        } else if let Some(rest) = body.strip_prefix("dbwise-ignore") {
            (false, rest)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let ids = rest.split_once(':').map_or(rest, |(ids, _reason)| ids);
        let statement = if file_wide {
            None
        } else {
            statements
                .iter()
                .map(|s| s.span)
                .find(|s| s.start >= comment.span.end)
                .or(Some(Span::new(usize::MAX, usize::MAX)))
        };
        for rule in ids.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            out.push(Suppression {
                rule: rule.to_owned(),
                comment: comment.span,
                statement,
                used: false,
            });
        }
    }
    out
}

/// A `-- safety-assured:start` (`start` true) or `-- safety-assured:end` comment.
pub(crate) struct AssuredMark {
    comment: Span,
    start: bool,
}

/// The file's `-- safety-assured` comments, in order.
pub(crate) fn assured_marks(file: &ParsedFile) -> impl Iterator<Item = AssuredMark> {
    let text = file.source.text();
    file.comments
        .iter()
        .filter(|c| c.line_comment)
        .filter_map(
            |c| match text[c.span.range()].trim_start_matches('-').trim() {
                "safety-assured:start" => Some(AssuredMark {
                    comment: c.span,
                    start: true,
                }),
                "safety-assured:end" => Some(AssuredMark {
                    comment: c.span,
                    start: false,
                }),
                _ => None,
            },
        )
}

/// The spans of the `-- safety-assured:start` ... `-- safety-assured:end` blocks of a file of
/// `len` bytes. A block left open runs to the end of the file.
pub(crate) fn assured_blocks(marks: &[AssuredMark], len: usize) -> Vec<Span> {
    let mut blocks = Vec::new();
    let mut open = None;
    for mark in marks {
        if mark.start {
            open = open.or(Some(mark.comment.end as usize));
        } else if let Some(start) = open.take() {
            blocks.push(Span::new(start, mark.comment.start as usize));
        }
    }
    if let Some(start) = open {
        blocks.push(Span::new(start, len));
    }
    blocks
}

/// Whether a migration finding lies in a block its authors marked as reviewed.
pub(crate) fn assured(blocks: &[Span], finding: &Finding) -> bool {
    finding.category == Category::Migration
        && blocks
            .iter()
            .any(|b| b.start <= finding.span.start && finding.span.start < b.end)
}

/// Whether a finding in this file is covered by a suppression (and mark that suppression used).
pub(crate) fn suppresses(suppressions: &mut [Suppression], finding: &Finding) -> bool {
    let mut hit = false;
    for s in suppressions.iter_mut().filter(|s| s.rule == finding.rule) {
        let covers = s
            .statement
            .is_none_or(|st| st.start <= finding.span.start && finding.span.start <= st.end);
        if covers {
            s.used = true;
            hit = true;
        }
    }
    hit
}
