//! Lint rules over the replayed catalog and each statement, their registry and the driver.

mod context;
mod driver;
mod rule;
pub mod rules;
mod settings;
mod suppress;

pub use context::{CatalogContext, SettingScope, StatementContext, TransactionState, UnitInfo};
pub use driver::{LintOutcome, Unit, find_word, lint};
pub use rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};
pub use settings::{OptionValue, Settings, parse_word_list};
