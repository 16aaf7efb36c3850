//! The live rules' driver: each rule enabled by the settings runs once on a live database's
//! state, and `[lint] severity` applies to its findings as to any other.

use std::cell::RefCell;

use dbwise_catalog::live::Live;
use dbwise_diagnostics::Finding;

use crate::rule::{Check, Report, RuleMeta};
use crate::rules;
use crate::settings::Settings;

/// What a live rule can see.
pub struct LiveContext<'a> {
    pub live: &'a Live,
    pub settings: &'a Settings,
    pub(crate) rule: &'a RuleMeta,
    notes: &'a RefCell<Vec<String>>,
}

impl LiveContext<'_> {
    pub fn option_int(&self, name: &str) -> i64 {
        self.settings.option_int(self.rule, name)
    }

    /// Say why the rule could not judge something (statistics too young, a standby's own
    /// counters): shown beside the findings, never as one.
    pub fn note(&self, text: String) {
        self.notes
            .borrow_mut()
            .push(format!("{}: {text}", self.rule.id));
    }
}

/// The live rules' findings and notes.
#[derive(Debug, Default)]
pub struct LiveOutcome {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

/// Run every enabled live rule on `live`.
pub fn lint_live(live: &Live, settings: &Settings) -> LiveOutcome {
    let notes = RefCell::new(Vec::new());
    let mut findings = Vec::new();
    for rule in rules::ALL.iter().filter(|r| settings.is_enabled(r.meta.id)) {
        if let Check::Live(check) = rule.check {
            let mut report = Report {
                meta: &rule.meta,
                findings: Vec::new(),
            };
            check(
                &LiveContext {
                    live,
                    settings,
                    rule: &rule.meta,
                    notes: &notes,
                },
                &mut report,
            );
            findings.extend(report.findings);
        }
    }
    for f in &mut findings {
        if let Some(&severity) = settings.severity.get(f.rule) {
            f.severity = severity;
        }
    }
    LiveOutcome {
        findings,
        notes: notes.into_inner(),
    }
}
