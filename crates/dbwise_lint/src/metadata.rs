//! What a rule declares: id, category, default severity, docs and options.

use dbwise_diagnostics::{Category, Severity};

/// A configurable option of a rule, set in `dbwise.toml` under `[lint.<rule-id>]`.
#[derive(Debug, Clone, Copy)]
pub struct RuleOption {
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default, as TOML text, for the docs.
    pub default: &'static str,
    pub doc: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    Integer,
    StringList,
}

#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case id that names the pattern found; part of the public contract.
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line for `dbwise rules`.
    pub summary: &'static str,
    /// Markdown with the sections `## What it finds`, `## Why it matters`, `## Example`,
    /// `## Use instead` and, where behaviour differs, `## PostgreSQL versions`.
    pub doc: &'static str,
    pub options: &'static [RuleOption],
}

/// The default of the option `name` of kind `kind` that `rule` declares; a rule reading an
/// option it does not declare is a bug.
pub(crate) fn declared(rule: &RuleMeta, name: &str, kind: OptionKind) -> &'static str {
    rule.options
        .iter()
        .find(|o| o.name == name && o.kind == kind)
        .map(|o| o.default)
        .unwrap_or_else(|| panic!("rule {} reads option {name} it does not declare", rule.id))
}
