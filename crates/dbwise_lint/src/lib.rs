//! Lint rules over the replayed catalog and each statement, their registry, the driver, and
//! the pipeline that lints files read from disk ([`lint_inputs`]).

mod context;
mod docs;
mod driver;
pub mod earlier;
mod generated;
mod live;
pub mod lockmap;
mod metadata;
mod pipeline;
pub mod plan;
mod query;
mod rule;
pub mod rules;
mod settings;
pub mod size;
mod suppress;
mod unit;

pub use context::{
    CatalogContext, HeldLock, LARGE_TABLE_ROWS, SMALL_TABLE_ROWS, SettingScope, StatementContext,
    TransactionState,
};
pub use docs::{rule_markdown, rules_index};
pub use driver::{LintOutcome, Prepared, Unit, lint, prepare};
pub use live::{LiveContext, LiveOutcome, lint_live};
pub use pipeline::{Input, lint_inputs};
pub use rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};
pub use settings::{OptionValue, Settings, parse_word_list};
pub use unit::UnitInfo;
