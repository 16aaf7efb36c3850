//! Renderers: they format results and never compute anything. Findings of `lint` in every
//! format (this module's `render_*`); the reports of the other capabilities in their modules
//! ([`choose`], [`workload`], [`indexes`], [`trace`], [`plan`], [`impact`], [`rules`], [`model`]). Byte ranges become lines and columns here, through
//! each file's line index, and control characters of the input are escaped here.

pub mod choose;
mod github;
mod gitlab;
mod human;
pub mod impact;
pub mod indexes;
mod json;
mod markdown;
pub mod model;
pub mod plan;
pub mod rules;
mod sarif;
pub mod trace;
pub mod workload;

use dbwise_diagnostics::{
    ConventionNotes, EarlierFindings, Finding, Severity, UnsizedFindings, escape_control,
};

pub use github::render_github;
pub use gitlab::render_gitlab;
pub use human::render_human;
pub use json::{render_json, render_json_with};
pub use markdown::render_markdown;
pub use sarif::{RuleDescriptor, render_sarif};

/// Where rule documentation lives, for links in SARIF output and the human renderer.
pub const RULE_DOCS_BASE: &str = "https://github.com/dbwise/dbwise/blob/main/docs/rules/";

pub fn rule_doc_url(rule: &str) -> String {
    format!("{RULE_DOCS_BASE}{rule}.md")
}

/// Totals for the closing line and the JSON `summary`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub statements: usize,
    /// The findings of earlier migrations that were counted instead of listed.
    pub earlier: Option<EarlierFindings>,
    /// The findings on tables of unknown size that were counted instead of listed.
    pub unknown_sizes: Option<UnsizedFindings>,
    /// The notes on schema-wide conventions that were counted instead of listed.
    pub conventions: Option<ConventionNotes>,
}

impl Summary {
    /// The sentence that says what was counted instead of listed, and how to list it, with the
    /// newest one's path made inert by `path` for the medium.
    pub(crate) fn earlier_sentence(&self, path: impl Fn(&str) -> String) -> Option<String> {
        let e = self.earlier.as_ref()?;
        let ((line, _), _) = positions(&e.newest);
        Some(format!(
            "Not listed: {} migration finding{} in {} earlier migration{}, which have run already ({}); the newest is at {}:{line}. A folder's newest ten migrations get their findings listed, and only its newest one its drops, truncations and renames. `--history all` lists them, `--since <git-ref>` judges the migrations a change adds.",
            e.findings,
            if e.findings == 1 { "" } else { "s" },
            e.migrations,
            if e.migrations == 1 { "" } else { "s" },
            per_rule(&e.by_rule),
            path(e.newest.path()),
        ))
    }

    /// The sentence that says which findings on tables of unknown size were counted, and how
    /// to list or judge them.
    pub(crate) fn unknown_sizes_sentence(&self) -> Option<String> {
        let u = self.unknown_sizes.as_ref()?;
        Some(format!(
            "Not listed: {} that matter{} only on a large table, on {} table{} whose size nothing shows ({}). `--database-url` or `[tables] sizes` in dbwise.toml judges them by real sizes; `--unknown-sizes list` lists them.",
            if u.findings == 1 {
                "1 finding".to_owned()
            } else {
                format!("{} findings", u.findings)
            },
            if u.findings == 1 { "s" } else { "" },
            u.tables,
            if u.tables == 1 { "" } else { "s" },
            per_rule(&u.by_rule),
        ))
    }
}

impl Summary {
    /// The sentence that says which notes on schema-wide conventions were counted, and how to
    /// list them.
    pub(crate) fn conventions_sentence(&self) -> Option<String> {
        let c = self.conventions.as_ref()?;
        Some(format!(
            "Not listed: {} on a choice the whole schema makes ({}): deliberate, and seldom worth a change. `--conventions list` lists {}.",
            if c.findings == 1 {
                "1 note".to_owned()
            } else {
                format!("{} notes", c.findings)
            },
            per_rule(&c.by_rule),
            if c.findings == 1 { "it" } else { "them" },
        ))
    }
}

/// "rule-a 3, rule-b 1": a count per rule for a note.
fn per_rule(by_rule: &[(&'static str, usize)]) -> String {
    let parts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
    parts.join(", ")
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn counts(findings: &[Finding]) -> Counts {
    let mut c = Counts::default();
    for f in findings {
        match f.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

/// The message of a finding, led by the object it is about when it has one instead of a file:
/// for formats whose location is a file path.
pub(crate) fn located_message(f: &Finding) -> String {
    match &f.object {
        Some(object) if f.file.is_none() => format!("{object}: {}", f.message),
        _ => f.message.clone(),
    }
}

/// Line and column (1-based) of a finding's start and end; (0, 0) when it has no file.
pub(crate) fn positions(f: &Finding) -> ((u32, u32), (u32, u32)) {
    match &f.file {
        Some(file) => {
            let start = file.line_col(f.span.start);
            let end = file.line_col(f.span.end);
            ((start.line, start.column), (end.line, end.column))
        }
        None => ((0, 0), (0, 0)),
    }
}

/// How many characters of a source line are shown at most.
const SHOWN_CHARS: usize = 200;

/// The part of a source line a renderer shows: a generated statement can be megabytes on one
/// line, so at most [`SHOWN_CHARS`] characters around character `at`, with `…` where the line
/// was cut, tabs as spaces and control characters escaped.
pub(crate) struct Window {
    pub text: String,
    /// The line's characters `from..to` are shown, after `lead` characters of `…`.
    pub from: usize,
    pub to: usize,
    pub lead: usize,
    /// The number of characters of the whole line.
    pub len: usize,
}

pub(crate) fn window(line: &str, at: usize) -> Window {
    let len = line.chars().count();
    let from = if len > SHOWN_CHARS {
        at.saturating_sub(SHOWN_CHARS / 4).min(len)
    } else {
        0
    };
    let to = (from + SHOWN_CHARS).min(len);
    let cut: String = line
        .chars()
        .skip(from)
        .take(to - from)
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let (before, after) = (
        if from > 0 { "…" } else { "" },
        if to < len { "…" } else { "" },
    );
    Window {
        text: format!("{before}{}{after}", escape_control(&cut)),
        from,
        to,
        lead: before.chars().count(),
        len,
    }
}
