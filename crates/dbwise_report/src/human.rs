use std::fmt::Write;

use dbwise_diagnostics::{Finding, Severity, escape_control, escape_control_but_lines};

use crate::{Summary, counts, positions, window};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }
}

/// A text of several lines with its control characters escaped and its continuation lines
/// indented: no line of it can pass for a line of its own (a CI log's `::error::` command).
fn indented(text: &str) -> String {
    escape_control_but_lines(text).replace('\n', "\n    ")
}

/// Findings with the source line and a caret under the span, then a one-line summary.
pub fn render_human(findings: &[Finding], summary: &Summary, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{}{}: {}",
            style.severity(f.severity),
            style.paint("1", &format!("[{}]", f.rule)),
            style.paint("1", &escape_control(&f.message))
        );
        if let Some(file) = &f.file {
            let ((line, col), (end_line, end_col)) = positions(f);
            let gutter = " ".repeat(line.to_string().len());
            let _ = writeln!(
                out,
                "{gutter}{} {}:{line}:{col}",
                style.paint("34", "-->"),
                escape_control(file.path())
            );
            let source_line = file.line_text(line as usize - 1);
            let at = col as usize - 1;
            let shown = window(source_line, at);
            // The span's width in characters of the line, cut to what the window shows.
            let spanned = if end_line == line {
                (end_col as usize).saturating_sub(col as usize)
            } else {
                shown.len.saturating_sub(at)
            };
            let width = spanned.min(shown.to.saturating_sub(at)).max(1);
            let col = at.saturating_sub(shown.from) + shown.lead + 1;
            let shown = shown.text;
            let _ = writeln!(out, "{gutter} {}", style.paint("34", "|"));
            let _ = writeln!(
                out,
                "{} {} {shown}",
                style.paint("34", &line.to_string()),
                style.paint("34", "|")
            );
            let caret = format!("{}{}", " ".repeat(col - 1), "^".repeat(width));
            let _ = writeln!(
                out,
                "{gutter} {} {}",
                style.paint("34", "|"),
                style.paint("1;33", &caret)
            );
            if !f.why.is_empty() {
                let _ = writeln!(
                    out,
                    "{gutter} {} why: {}",
                    style.paint("34", "="),
                    indented(&f.why)
                );
            }
            if !f.help.is_empty() {
                let _ = writeln!(
                    out,
                    "{gutter} {} help: {}",
                    style.paint("34", "="),
                    indented(&f.help)
                );
            }
        } else {
            if let Some(object) = &f.object {
                let _ = writeln!(
                    out,
                    "  {} {}",
                    style.paint("34", "-->"),
                    escape_control(object)
                );
            }
            if !f.why.is_empty() {
                let _ = writeln!(out, "  = why: {}", indented(&f.why));
            }
            if !f.help.is_empty() {
                let _ = writeln!(out, "  = help: {}", indented(&f.help));
            }
        }
        out.push('\n');
    }
    if let Some(sentence) = summary.earlier_sentence(|path| escape_control(path).into_owned()) {
        let _ = writeln!(out, "{sentence}\n");
    }
    for sentence in [
        summary.unknown_sizes_sentence(),
        summary.conventions_sentence(),
    ]
    .into_iter()
    .flatten()
    {
        let _ = writeln!(out, "{sentence}\n");
    }
    let c = counts(findings);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{}, {}, {} in {} ({}).",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.infos, "note"),
        plural(summary.files, "file"),
        plural(summary.statements, "statement"),
    );
    out
}
