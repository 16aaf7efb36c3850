//! Renderers: they format results and never compute anything. Findings of `lint` in every
//! format (this module's `render_*`); the reports of the other capabilities in their modules
//! ([`choose`], [`workload`], [`indexes`], [`trace`], [`plan`], [`rules`]). Byte ranges become lines and columns here, through
//! each file's line index, and control characters of the input are escaped here.

pub mod choose;
mod github;
mod gitlab;
mod human;
pub mod indexes;
mod json;
mod markdown;
pub mod plan;
pub mod rules;
mod sarif;
pub mod trace;
pub mod workload;

use dbwise_diagnostics::{EarlierFindings, Finding, Severity, escape_control};

pub use github::render_github;
pub use gitlab::render_gitlab;
pub use human::render_human;
pub use json::render_json;
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
}

impl Summary {
    /// The sentence that says what was counted instead of listed, and how to list it, with the
    /// newest one's path made inert by `path` for the medium.
    pub(crate) fn earlier_sentence(&self, path: impl Fn(&str) -> String) -> Option<String> {
        let e = self.earlier.as_ref()?;
        let per_rule: Vec<String> = e.by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let ((line, _), _) = positions(&e.newest);
        Some(format!(
            "Not listed: {} migration finding{} in {} earlier migration{}, which ran long ago ({}); the newest is at {}:{line}. `--history all` lists them, `--since <git-ref>` judges the migrations a change adds.",
            e.findings,
            if e.findings == 1 { "" } else { "s" },
            e.migrations,
            if e.migrations == 1 { "" } else { "s" },
            per_rule.join(", "),
            path(e.newest.path()),
        ))
    }
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
