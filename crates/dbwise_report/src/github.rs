use dbwise_diagnostics::{Finding, Severity, escape_control};

use crate::positions;

/// GitHub's escapes for `%`, CR and LF, then every other control character made visible, so
/// that nothing in a finding can end the command or colour the log.
fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    escape_control(&escaped).into_owned()
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.
pub fn render_github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let ((line, col), (end_line, end_col)) = positions(f);
        let mut message = crate::located_message(f);
        if !f.help.is_empty() {
            message.push_str("\nhelp: ");
            message.push_str(&f.help);
        }
        out.push_str(&format!(
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
            escape_property(f.path()),
            escape_property(&format!("dbwise {}", f.rule)),
            escape_data(&message)
        ));
    }
    out
}
