use std::collections::BTreeMap;
use std::fmt::Write;

use dbwise_diagnostics::{Finding, Severity, escape_control};

use crate::{Summary, counts, positions, window};

/// Text from the input made inert in Markdown: no emphasis, link, table cell or HTML tag can
/// come out of an identifier or a server message.
fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in escape_control(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code fence longer than any run of backticks in `text`, so the text cannot close it.
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// A pull-request comment: a summary table by rule, then each finding with its place, the
/// source line, why it matters and what to do.
pub fn render_markdown(findings: &[Finding], summary: &Summary) -> String {
    let mut out = String::from("## dbwise lint\n\n");
    let c = counts(findings);
    let _ = writeln!(
        out,
        "{} error{}, {} warning{}, {} note{} in {} file{} ({} statements).\n",
        c.errors,
        if c.errors == 1 { "" } else { "s" },
        c.warnings,
        if c.warnings == 1 { "" } else { "s" },
        c.infos,
        if c.infos == 1 { "" } else { "s" },
        summary.files,
        if summary.files == 1 { "" } else { "s" },
        summary.statements
    );
    if let Some(sentence) =
        summary.earlier_sentence(|path| format!("`{}`", inert(path).replace('`', "'")))
    {
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
    if findings.is_empty() {
        return out;
    }
    let mut by_rule: BTreeMap<(&'static str, Severity), usize> = BTreeMap::new();
    for f in findings {
        *by_rule.entry((f.rule, f.severity)).or_default() += 1;
    }
    let mut rows: Vec<_> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.0.1.cmp(&a.0.1).then(b.1.cmp(&a.1)).then(a.0.0.cmp(b.0.0)));
    out.push_str("| rule | severity | findings |\n|---|---|---:|\n");
    for ((rule, severity), n) in rows {
        let _ = writeln!(out, "| `{rule}` | {} | {n} |", severity.as_str());
    }
    out.push('\n');
    for f in findings {
        let ((line, column), _) = positions(f);
        let _ = write!(
            out,
            "### {} `{}`: {}\n\n",
            f.severity.as_str(),
            f.rule,
            inert(&f.message)
        );
        if let Some(file) = &f.file {
            let _ = writeln!(
                out,
                "`{}` line {line}\n",
                inert(file.path()).replace('`', "'")
            );
            let source = window(file.line_text(line as usize - 1), column as usize - 1).text;
            let fence = fence(&source);
            let _ = writeln!(out, "{fence}sql\n{source}\n{fence}\n");
        } else if let Some(object) = &f.object {
            let _ = writeln!(out, "`{}`\n", inert(object).replace('`', "'"));
        }
        if !f.why.is_empty() {
            let _ = writeln!(out, "{}\n", inert(&f.why));
        }
        if !f.help.is_empty() {
            let _ = writeln!(out, "**Fix:** {}\n", inert(&f.help));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_text_stays_inert() {
        assert_eq!(
            inert("a_b <img> | `x` [l](u)"),
            "a\\_b &lt;img&gt; \\| \\`x\\` \\[l\\](u)"
        );
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("x ```` y"), "`````");
    }
}
