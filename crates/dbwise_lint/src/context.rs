//! What a rule can see.

use dbwise_catalog::migrations::{Framework, TransactionMode};
use dbwise_catalog::{Catalog, Origin};
use dbwise_diagnostics::SourceFile;
use dbwise_syntax::Statement;
use dbwise_syntax::ast::QualifiedName;

use crate::rule::{OptionKind, RuleMeta};
use crate::settings::Settings;

/// One file of the replay, with what its migration framework does with it.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    /// Position in the replay order.
    pub index: usize,
    pub framework: Option<Framework>,
    pub transaction: TransactionMode,
    /// A down migration: linted against the schema its up migration left, but its changes are
    /// not kept for the files after it.
    pub scratch: bool,
}

/// The transaction state just before a statement runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionState {
    /// Inside a transaction block, explicit (BEGIN) or one the migration framework adds.
    pub in_transaction: bool,
    /// The block comes from the framework (or an implicit multi-statement query), not a BEGIN
    /// written in the file.
    pub implicit: bool,
    /// Where `lock_timeout` was last set to a non-zero value, if it was.
    pub lock_timeout: Option<SettingScope>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    /// `SET`: lasts for the session.
    Session,
    /// `SET LOCAL`: lasts until the transaction ends.
    Transaction,
}

pub struct StatementContext<'a> {
    pub catalog: &'a Catalog,
    pub file: &'a SourceFile,
    pub statement: &'a Statement,
    pub unit: &'a UnitInfo,
    pub transaction: &'a TransactionState,
    pub settings: &'a Settings,
    pub(crate) rule: &'a RuleMeta,
}

impl StatementContext<'_> {
    /// The table as the catalog knows it before this statement, if it does.
    pub fn table(&self, name: &QualifiedName) -> Option<&dbwise_catalog::Table> {
        self.catalog.table(name)
    }

    /// True when the table was created earlier in the same file/migration: DDL on it cannot
    /// block anyone, since no other session can have used it yet.
    pub fn created_in_this_unit(&self, name: &QualifiedName) -> bool {
        self.table(name)
            .is_some_and(|t| !t.external && self.same_unit(&t.origin))
    }

    fn same_unit(&self, origin: &Origin) -> bool {
        origin.migration == Some(self.unit.index)
    }

    pub fn option_int(&self, name: &str) -> i64 {
        self.settings.option_int(self.rule, name)
    }

    pub fn option_words(&self, name: &str) -> Vec<String> {
        self.settings.option_words(self.rule, name)
    }
}

pub struct CatalogContext<'a> {
    pub catalog: &'a Catalog,
    pub settings: &'a Settings,
    pub(crate) rule: &'a RuleMeta,
}

impl CatalogContext<'_> {
    pub fn option_int(&self, name: &str) -> i64 {
        self.settings.option_int(self.rule, name)
    }

    pub fn option_words(&self, name: &str) -> Vec<String> {
        self.settings.option_words(self.rule, name)
    }
}

pub(crate) fn declared(rule: &RuleMeta, name: &str, kind: OptionKind) -> &'static str {
    rule.options
        .iter()
        .find(|o| o.name == name && o.kind == kind)
        .map(|o| o.default)
        .unwrap_or_else(|| panic!("rule {} reads option {name} it does not declare", rule.id))
}
