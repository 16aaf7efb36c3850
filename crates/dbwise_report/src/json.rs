use dbwise_diagnostics::Finding;
use serde::Serialize;

use crate::{Summary, counts, positions};

/// The whole document; diagnostics are serialized one by one as they are written.
#[derive(Serialize)]
struct Output<'a> {
    diagnostics: Diagnostics<'a>,
    summary: JsonSummary,
}

struct Diagnostics<'a>(&'a [Finding]);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(diagnostic))
    }
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

/// Write the documented, stable JSON shape (see `docs/output.md`) to `out`.
pub fn render_json(
    findings: &[Finding],
    summary: Summary,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let c = counts(findings);
    let output = Output {
        diagnostics: Diagnostics(findings),
        summary: JsonSummary {
            files: summary.files,
            statements: summary.statements,
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    out.write_all(b"\n")
}

fn diagnostic(f: &Finding) -> Diagnostic<'_> {
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
}
