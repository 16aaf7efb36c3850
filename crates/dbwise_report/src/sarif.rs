use dbwise_diagnostics::{Finding, Severity};
use serde_json::{Value, json};

use crate::{positions, rule_doc_url};

/// What SARIF needs to know about a rule.
#[derive(Debug, Clone)]
pub struct RuleDescriptor {
    pub id: &'static str,
    pub summary: &'static str,
    pub doc: &'static str,
    pub severity: Severity,
    pub category: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF 2.1.0 log with one run, rule metadata for every rule, and one result per finding.
pub fn render_sarif(findings: &[Finding], rules: &[RuleDescriptor], version: &str) -> String {
    let rule_index = |id: &str| rules.iter().position(|r| r.id == id);
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "helpUri": rule_doc_url(r.id),
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "category": r.category },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let ((line, col), (end_line, end_col)) = positions(f);
            let mut text = f.message.clone();
            if !f.help.is_empty() {
                text.push_str("\nhelp: ");
                text.push_str(&f.help);
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": text },
            });
            if let Some(i) = rule_index(f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if f.file.is_some() {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.path().replace('\\', "/") },
                        "region": {
                            "startLine": line.max(1),
                            "startColumn": col.max(1),
                            "endLine": end_line.max(1),
                            "endColumn": end_col.max(1),
                        }
                    }
                }]);
            } else if let Some(object) = &f.object {
                result["locations"] = json!([{
                    "logicalLocations": [{ "fullyQualifiedName": object }]
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "dbwise",
                    "version": version,
                    "informationUri": "https://github.com/dbwise/dbwise",
                    "rules": rule_values,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
