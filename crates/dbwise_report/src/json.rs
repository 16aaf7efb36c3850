use dbwise_diagnostics::Finding;
use serde::Serialize;

use crate::{Summary, counts, positions};

#[derive(Serialize)]
struct Output<'a> {
    diagnostics: Vec<Diagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    why: &'a str,
    help: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a dbwise_diagnostics::Fix>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    statements: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// The documented, stable JSON shape (see `docs/output.md`).
pub fn render_json(findings: &[Finding], summary: Summary) -> String {
    let c = counts(findings);
    let output = Output {
        diagnostics: findings
            .iter()
            .map(|f| {
                let ((line, column), (end_line, end_column)) = positions(f);
                Diagnostic {
                    rule: f.rule,
                    category: f.category.as_str(),
                    severity: f.severity.as_str(),
                    file: f.path(),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &f.message,
                    why: &f.why,
                    help: &f.help,
                    fix: f.fix.as_ref(),
                }
            })
            .collect(),
        summary: JsonSummary {
            files: summary.files,
            statements: summary.statements,
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
        },
    };
    let mut text =
        serde_json::to_string_pretty(&output).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}
