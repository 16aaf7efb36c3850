//! Renderers: they format findings and never compute anything. Byte ranges become lines and
//! columns here, through each file's line index.

mod github;
mod gitlab;
mod human;
mod json;
mod markdown;
mod sarif;

use dbwise_diagnostics::{Finding, Severity};

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub statements: usize,
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
