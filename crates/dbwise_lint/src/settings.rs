//! Lint settings resolved from `dbwise.toml` and the command line.

use std::collections::BTreeMap;

use dbwise_diagnostics::Severity;

use crate::metadata::{OptionKind, RuleMeta, declared};

/// Rules that run only when turned on (`--enable`, `enable` in `[lint]`, or `select`): their
/// advice is sound, but on a working schema it is seldom worth a change.
pub static OPT_IN: &[&str] = &[
    "entity-attribute-value",
    "enum-like-text-without-check",
    "list-in-text-column",
    "missing-foreign-key",
    "natural-key-without-unique",
    "nullable-boolean",
    "polymorphic-association",
    "serial-instead-of-identity",
];

/// A value given for a rule option in `[lint.<rule-id>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    Integer(i64),
    Words(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// The PostgreSQL major version the migrations run on.
    pub pg_version: u32,
    /// Rule ids to run; empty means every rule on by default.
    pub select: Vec<String>,
    /// Rules off by default ([`OPT_IN`]) to run as well.
    pub enable: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub options: BTreeMap<(String, String), OptionValue>,
    /// Lint `down.sql` / `.down.sql` files too.
    pub include_down: bool,
    /// Known row counts (`[tables] sizes`), keyed by table name as written (`orders` or
    /// `billing.invoices`); migration rules scale their severity with them.
    pub table_rows: BTreeMap<String, u64>,
    /// Where the code that runs the migrations sets a lock_timeout for them (`path:line`),
    /// found outside the migration files: `missing-lock-timeout` then has nothing to report.
    pub lock_timeout_set_by: Option<String>,
    /// Findings on tables of unknown size will only be counted, not listed (lint's default
    /// `--unknown-sizes count`): rules skip building the rewrite plans no one would read.
    pub unsized_counted: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            pg_version: 16,
            select: Vec::new(),
            enable: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            options: BTreeMap::new(),
            include_down: false,
            table_rows: BTreeMap::new(),
            lock_timeout_set_by: None,
            unsized_counted: false,
        }
    }
}

impl Settings {
    pub fn is_enabled(&self, id: &str) -> bool {
        let named = |list: &[String]| list.iter().any(|s| s == id);
        let on = if self.select.is_empty() {
            !OPT_IN.contains(&id)
        } else {
            named(&self.select)
        };
        (on || named(&self.enable)) && !named(&self.ignore)
    }

    /// The known row count of a table: `schema.name` first, then the bare name for `public`.
    pub fn rows_of(&self, schema: &str, name: &str) -> Option<u64> {
        self.table_rows
            .get(&format!("{schema}.{name}"))
            .or_else(|| {
                (schema == "public")
                    .then(|| self.table_rows.get(name))
                    .flatten()
            })
            .copied()
    }

    /// The value `dbwise.toml` gives a rule's option, if it gives one. Options are few, so a
    /// scan that builds no key is the cheaper lookup on the per-statement path.
    fn configured(&self, rule: &RuleMeta, name: &str) -> Option<&OptionValue> {
        self.options
            .iter()
            .find(|((id, option), _)| id == rule.id && option == name)
            .map(|(_, value)| value)
    }

    pub(crate) fn option_int(&self, rule: &RuleMeta, name: &str) -> i64 {
        let default = declared(rule, name, OptionKind::Integer);
        match self.configured(rule, name) {
            Some(OptionValue::Integer(v)) => *v,
            _ => default.parse().unwrap_or_default(),
        }
    }

    pub(crate) fn option_words(&self, rule: &RuleMeta, name: &str) -> Vec<String> {
        let default = declared(rule, name, OptionKind::StringList);
        match self.configured(rule, name) {
            Some(OptionValue::Words(words)) => words.clone(),
            _ => parse_word_list(default),
        }
    }
}

/// Read a TOML string array like `["price", "amount"]` (the form option defaults are written in).
pub fn parse_word_list(text: &str) -> Vec<String> {
    text.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|w| w.trim().trim_matches('"').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Settings;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn rules_off_by_default_run_when_enabled_or_selected() {
        let mut settings = Settings::default();
        assert!(settings.is_enabled("redundant-index"));
        assert!(!settings.is_enabled("nullable-boolean"));
        settings.enable = ids(&["nullable-boolean"]);
        assert!(settings.is_enabled("nullable-boolean"));
        assert!(!settings.is_enabled("serial-instead-of-identity"));
        // Enabling adds to a selection; ignoring wins over both.
        settings.select = ids(&["redundant-index"]);
        assert!(settings.is_enabled("nullable-boolean") && settings.is_enabled("redundant-index"));
        assert!(!settings.is_enabled("drop-table"));
        settings.ignore = ids(&["nullable-boolean"]);
        assert!(!settings.is_enabled("nullable-boolean"));
        let selected = Settings {
            select: ids(&["serial-instead-of-identity"]),
            ..Settings::default()
        };
        assert!(selected.is_enabled("serial-instead-of-identity"));
    }
}
