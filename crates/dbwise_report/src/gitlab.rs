use std::collections::HashMap;

use dbwise_diagnostics::{Finding, Severity};
use sha2::{Digest, Sha256};

use crate::positions;

/// GitLab Code Quality report (the `codequality` artifact of a merge request): a JSON array with
/// one issue per finding.
///
/// The fingerprint is what GitLab compares between the target branch and the merge request to
/// say which issues are new, so it leaves the line out: the rule, the file, the message and how
/// many identical issues came before this one in the file. A finding that only moves keeps it.
pub fn render_gitlab(findings: &[Finding]) -> String {
    let mut seen: HashMap<(String, &str, &str), usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let occurrence = seen
                .entry((f.path().to_owned(), f.rule, f.message.as_str()))
                .or_insert(0);
            *occurrence += 1;
            let mut hash = Sha256::new();
            for part in [f.rule, f.path(), &f.message, &occurrence.to_string()] {
                hash.update(part.as_bytes());
                hash.update([0]);
            }
            let fingerprint: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
            let ((line, _), (end_line, _)) = positions(f);
            let mut description = crate::located_message(f);
            if !f.help.is_empty() {
                description.push_str(" (help: ");
                description.push_str(&f.help);
                description.push(')');
            }
            serde_json::json!({
                "description": description,
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": match f.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "info",
                },
                "location": {
                    "path": f.path(),
                    "lines": { "begin": line.max(1), "end": end_line.max(line).max(1) },
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("a list of JSON values serializes");
    text.push('\n');
    text
}
