//! `-- dbwise-ignore rule[, rule]: reason` (next statement) and `-- dbwise-ignore-file rule`;
//! the ignore comments of the other migration linters, whose authors already reviewed what they
//! silence (squawk's `-- squawk-ignore` and `-- squawk-ignore-file`, Atlas's `-- atlas:nolint`,
//! eugene's `-- eugene: ignore`), mapped to dbwise's rules; and the `-- safety-assured:start` /
//! `-- safety-assured:end` blocks of diesel-guard, whose authors reviewed the locking of the
//! statements inside.

use dbwise_diagnostics::{Category, Finding, Span};
use dbwise_syntax::ParsedFile;

use crate::rules;

#[derive(Debug)]
pub(crate) struct Suppression {
    pub rule: String,
    /// The comment, for reporting an unused or unknown suppression.
    pub comment: Span,
    /// The statement it covers; `None` for a file-wide suppression.
    pub statement: Option<Span>,
    pub used: bool,
    /// Written for another linter: never reported as unused, since it serves that tool too.
    pub foreign: bool,
}

/// The linter an ignore comment is written for.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Dbwise,
    Squawk,
    Atlas,
    Eugene,
}

/// The ignore comments dbwise reads: prefix, tool, and whether it covers the whole file. A longer
/// prefix comes before the shorter one it starts with.
const DIRECTIVES: &[(&str, Tool, bool)] = &[
    ("dbwise-ignore-file", Tool::Dbwise, true),
    ("dbwise-ignore", Tool::Dbwise, false),
    ("squawk-ignore-file", Tool::Squawk, true),
    ("squawk-ignore", Tool::Squawk, false),
    ("atlas:nolint", Tool::Atlas, false),
    ("eugene: ignore", Tool::Eugene, false),
    ("eugene:ignore", Tool::Eugene, false),
];

/// Other linters' rule names and codes, with the dbwise rules that judge the same hazard. Atlas's
/// analyzer names stand for all their codes.
const FOREIGN_NAMES: &[(Tool, &str, &[&str])] = &[
    (
        Tool::Squawk,
        "require-concurrent-index-creation",
        &["create-index-non-concurrently"],
    ),
    (
        Tool::Squawk,
        "require-concurrent-index-deletion",
        &["drop-index-non-concurrently"],
    ),
    (
        Tool::Squawk,
        "ban-concurrent-index-creation-in-transaction",
        &["concurrently-in-transaction"],
    ),
    (
        Tool::Squawk,
        "adding-field-with-default",
        &["add-column-volatile-default"],
    ),
    (
        Tool::Squawk,
        "adding-required-field",
        &["add-column-not-null-without-default"],
    ),
    (
        Tool::Squawk,
        "adding-not-nullable-field",
        &["set-not-null-scans-table"],
    ),
    (
        Tool::Squawk,
        "adding-foreign-key-constraint",
        &["add-foreign-key-validating"],
    ),
    (
        Tool::Squawk,
        "constraint-missing-not-valid",
        &[
            "add-foreign-key-validating",
            "add-check-constraint-validating",
        ],
    ),
    (
        Tool::Squawk,
        "disallowed-unique-constraint",
        &["add-unique-constraint-locking"],
    ),
    (
        Tool::Squawk,
        "adding-serial-primary-key-field",
        &["add-primary-key-locking"],
    ),
    (
        Tool::Squawk,
        "changing-column-type",
        &["alter-column-type-rewrite"],
    ),
    (Tool::Squawk, "renaming-column", &["rename-column"]),
    (Tool::Squawk, "renaming-table", &["rename-table"]),
    (Tool::Squawk, "ban-drop-column", &["drop-column"]),
    (Tool::Squawk, "ban-drop-table", &["drop-table"]),
    (Tool::Squawk, "ban-truncate-cascade", &["truncate-table"]),
    (
        Tool::Squawk,
        "require-timeout-settings",
        &["missing-lock-timeout"],
    ),
    (
        Tool::Squawk,
        "require-concurrent-reindex",
        &["reindex-non-concurrently"],
    ),
    (Tool::Atlas, "BC101", &["rename-table"]),
    (Tool::Atlas, "BC102", &["rename-column"]),
    (
        Tool::Atlas,
        "incompatible",
        &["rename-table", "rename-column"],
    ),
    (Tool::Atlas, "DS102", &["drop-table"]),
    (Tool::Atlas, "DS103", &["drop-column"]),
    (Tool::Atlas, "destructive", &["drop-table", "drop-column"]),
    (Tool::Atlas, "MF101", &["add-unique-constraint-locking"]),
    (Tool::Atlas, "MF102", &["add-unique-constraint-locking"]),
    (
        Tool::Atlas,
        "MF103",
        &["add-column-not-null-without-default"],
    ),
    (Tool::Atlas, "MF104", &["set-not-null-scans-table"]),
    (
        Tool::Atlas,
        "data_depend",
        &[
            "add-unique-constraint-locking",
            "add-column-not-null-without-default",
            "set-not-null-scans-table",
        ],
    ),
    (Tool::Atlas, "PG101", &["create-index-non-concurrently"]),
    (Tool::Atlas, "PG102", &["drop-index-non-concurrently"]),
    (Tool::Atlas, "PG103", &["concurrently-in-transaction"]),
    (Tool::Atlas, "PG104", &["add-primary-key-locking"]),
    (Tool::Atlas, "PG105", &["add-unique-constraint-locking"]),
    (
        Tool::Atlas,
        "concurrent_index",
        &[
            "create-index-non-concurrently",
            "drop-index-non-concurrently",
            "concurrently-in-transaction",
            "add-primary-key-locking",
            "add-unique-constraint-locking",
        ],
    ),
    (Tool::Atlas, "PG301", &["alter-column-type-rewrite"]),
    (Tool::Atlas, "PG302", &["add-column-volatile-default"]),
    (Tool::Atlas, "PG303", &["set-not-null-scans-table"]),
    (Tool::Atlas, "PG304", &["add-primary-key-locking"]),
    (Tool::Atlas, "PG305", &["add-check-constraint-validating"]),
    (Tool::Atlas, "PG306", &["add-foreign-key-validating"]),
    (
        Tool::Eugene,
        "E1",
        &[
            "add-foreign-key-validating",
            "add-check-constraint-validating",
        ],
    ),
    (Tool::Eugene, "E2", &["set-not-null-scans-table"]),
    (Tool::Eugene, "E5", &["alter-column-type-rewrite"]),
    (Tool::Eugene, "E6", &["create-index-non-concurrently"]),
    (Tool::Eugene, "E7", &["add-unique-constraint-locking"]),
    (Tool::Eugene, "E9", &["missing-lock-timeout"]),
    (Tool::Eugene, "E11", &["add-column-volatile-default"]),
];

/// The dbwise rules a name in `tool`'s ignore comment stands for. Another linter's comment that
/// names nothing silences all of that linter's checks on the statement: dbwise's migration rules.
fn rules_named<'a>(tool: Tool, names: &[&'a str]) -> Vec<&'a str> {
    match tool {
        Tool::Dbwise => names.to_vec(),
        _ if names.is_empty() => rules::ALL
            .iter()
            .filter(|r| r.meta.category == Category::Migration)
            .map(|r| r.meta.id)
            .collect(),
        _ => names
            .iter()
            .flat_map(|name| {
                FOREIGN_NAMES
                    .iter()
                    .filter(move |(t, n, _)| *t == tool && n.eq_ignore_ascii_case(name))
                    .flat_map(|(_, _, ids)| ids.iter().copied())
            })
            .collect(),
    }
}

pub(crate) fn collect(file: &ParsedFile) -> Vec<Suppression> {
    let text = file.source.text();
    let mut out = Vec::new();
    // A comment inside a DO block covers the statement of the body after it.
    let statements = file.replay_order();
    for comment in file.comments.iter().filter(|c| c.line_comment) {
        let body = text[comment.span.range()].trim_start_matches('-').trim();
        let Some((rest, tool, file_wide)) =
            DIRECTIVES.iter().find_map(|&(prefix, tool, file_wide)| {
                Some((body.strip_prefix(prefix)?, tool, file_wide))
            })
        else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let statement = if file_wide {
            None
        } else {
            statements
                .iter()
                .map(|s| s.span)
                .find(|s| s.start >= comment.span.end)
                .or(Some(Span::new(usize::MAX, usize::MAX)))
        };
        let names: Vec<&str> = match tool {
            // Atlas separates codes with spaces and takes no reason.
            Tool::Atlas => rest.split_whitespace().collect(),
            _ => rest
                .split_once(':')
                .map_or(rest, |(ids, _reason)| ids)
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .collect(),
        };
        for rule in rules_named(tool, &names) {
            out.push(Suppression {
                rule: rule.to_owned(),
                comment: comment.span,
                statement,
                used: false,
                foreign: tool != Tool::Dbwise,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_linters_names_map_to_dbwise_rules() {
        for (_, name, ids) in FOREIGN_NAMES {
            for id in *ids {
                assert!(
                    rules::find(id).is_some(),
                    "{name} maps to unknown rule {id}"
                );
            }
        }
    }
}
