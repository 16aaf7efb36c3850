//! The lint driver: replays every unit in order, runs statement rules before each statement
//! is applied and catalog rules at the end, then applies configuration and suppressions.

use dbwise_catalog::migrations::{Framework, TransactionMode};
use dbwise_catalog::{Catalog, Origin};
use std::collections::HashMap;

use dbwise_diagnostics::{Category, Finding, SourceFile};
use dbwise_syntax::ParsedFile;
use dbwise_syntax::ast::{Stmt, TransactionKind};

use dbwise_locks::{ColumnDefault, DdlForm, LockLevel};
use dbwise_query::antipatterns::Checked;
use dbwise_syntax::Statement;
use dbwise_syntax::ast::{AlterTableAction, QualifiedName};

use crate::context::{CatalogContext, HeldLock, SettingScope, StatementContext, TransactionState};
use crate::lockmap::{self, Operation};
use crate::rule::{Check, Report, Rule};
use crate::rules::{self, meta};
use crate::settings::Settings;
use crate::suppress;
use crate::unit::{UnitInfo, existing_key};

/// One file to replay, with its place in the order and its framework's transaction behaviour.
#[derive(Clone)]
pub struct Unit {
    pub parsed: ParsedFile,
    pub info: UnitInfo,
}

/// A unit with the work that does not depend on the catalog done ahead, so that it can run on
/// another thread while earlier units are replayed. A plain [`Unit`] converts into one that
/// does that work during the replay.
pub struct Prepared {
    unit: Unit,
    /// For each statement, its query anti-patterns as told without the catalog;
    /// empty when they were not computed ahead.
    queries: Vec<Checked>,
}

impl From<Unit> for Prepared {
    fn from(unit: Unit) -> Self {
        Prepared {
            unit,
            queries: Vec::new(),
        }
    }
}

/// Whether `rule` judges `unit`. The query rules are about application SQL that runs again and
/// again; the statements of a migration folder run once, as data fixes and backfills, where a
/// `SELECT *` or an UPDATE of every row is what was meant.
fn applies(rule: &Rule, unit: &UnitInfo) -> bool {
    rule.meta.category != Category::Query || unit.framework.is_none()
}

/// Do a unit's catalog-independent work (the query checks, when a query rule applies).
pub fn prepare(unit: Unit, settings: &Settings) -> Prepared {
    let query_rules = rules::ALL.iter().any(|r| {
        r.meta.category == Category::Query
            && settings.is_enabled(r.meta.id)
            && applies(r, &unit.info)
    });
    if !query_rules {
        return unit.into();
    }
    let threshold = settings.option_int(&rules::query::offset_pagination::RULE.meta, "threshold");
    let queries = unit
        .parsed
        .replay_order()
        .iter()
        .map(|statement| crate::query::catalog_free(&unit.parsed.source, statement, threshold))
        .collect();
    Prepared { unit, queries }
}

pub struct LintOutcome {
    pub findings: Vec<Finding>,
    pub catalog: Catalog,
    pub files: usize,
    pub statements: usize,
}

/// What the driver keeps of a unit once its statements have been replayed: the parsed
/// statements are dropped there, so memory does not grow with the length of the history.
struct Replayed {
    source: SourceFile,
    /// The migration tool that runs (and maybe wrote) the file.
    framework: Option<Framework>,
    suppressions: Vec<suppress::Suppression>,
    /// The file's `-- safety-assured` comments.
    assured: Vec<suppress::AssuredMark>,
    findings: Vec<Finding>,
}

/// Lint units in order. Units are consumed one at a time, so a caller can parse (and
/// [`prepare`]) them lazily, or on other threads.
///
/// Consecutive units of the same [`SourceFile`] are the parts of one file
/// ([`dbwise_syntax::parse_in_parts`]): they are replayed as one unit, in one transaction state
/// and (for a scratch unit) one scratch catalog, except that a rule looking at the statements
/// after the one it judges sees only those of the same part.
pub fn lint(
    units: impl IntoIterator<Item = impl Into<Prepared>>,
    settings: &Settings,
) -> LintOutcome {
    let mut catalog = Catalog::new();
    let mut replayed: Vec<Replayed> = Vec::new();
    let mut statements = 0;
    let mut statement_number = 0;
    let mut unit_days: Vec<Option<u32>> = Vec::new();
    let mut tx = TransactionState::default();
    let mut scratch: Option<Catalog> = None;
    // Units that set a lock_timeout somewhere: how far the project took up the practice.
    let mut lock_timeout_units = 0;
    // The enabled statement checks, chosen once rather than per statement.
    let statement_rules: Vec<&Rule> = rules::ALL
        .iter()
        .filter(|r| matches!(r.check, Check::Statement(_)) && settings.is_enabled(r.meta.id))
        .copied()
        .collect();
    for prepared in units {
        let Prepared { unit, queries } = prepared.into();
        if unit_days.len() <= unit.info.index {
            unit_days.resize(unit.info.index + 1, None);
        }
        unit_days[unit.info.index] = unit.info.day;
        let mut unit_findings = Vec::new();
        let mut sets_lock_timeout = false;
        let file = &unit.parsed.source;
        let continued = replayed.last().is_some_and(|r| r.source.id() == file.id());
        if !continued {
            tx = initial_transaction(&unit);
            scratch = unit.info.scratch.then(|| catalog.clone());
            replayed.push(Replayed {
                source: file.clone(),
                framework: unit.info.framework,
                suppressions: Vec::new(),
                assured: Vec::new(),
                findings: Vec::new(),
            });
        }
        let catalog: &mut Catalog = scratch.as_mut().unwrap_or(&mut catalog);
        let replayed_statements = unit.parsed.replay_order();
        let long_names = std::cell::OnceCell::new();
        let unit_rules: Vec<&Rule> = statement_rules
            .iter()
            .copied()
            .filter(|r| applies(r, &unit.info))
            .collect();
        for (position, statement) in replayed_statements.iter().enumerate() {
            let operations = lockmap::operations(
                statement,
                catalog,
                settings.pg_version,
                tx.utc_time_zone.is_some(),
            );
            let query_checks = crate::query::QueryChecks::new(queries.get(position));
            let statement_plan = std::cell::OnceCell::new();
            for rule in &unit_rules {
                if let Check::Statement(check) = rule.check {
                    let ctx = StatementContext {
                        catalog,
                        file,
                        statement,
                        unit: &unit.info,
                        transaction: &tx,
                        settings,
                        operations: &operations,
                        preceding: &replayed_statements[..position],
                        following: &replayed_statements[position + 1..],
                        unit_days: &unit_days,
                        queries: &query_checks,
                        statement_plan: &statement_plan,
                        long_names: &long_names,
                        rule: &rule.meta,
                    };
                    let mut report = Report {
                        meta: &rule.meta,
                        findings: Vec::new(),
                    };
                    check(&ctx, &mut report);
                    unit_findings.extend(report.findings);
                }
            }
            let origin = Origin::new(
                file.clone(),
                statement.span,
                Some(unit.info.index),
                statement_number,
            );
            track_locks(&mut tx, statement, &operations, catalog, &unit.info);
            catalog.replay(&statement.stmt, &origin);
            if matches!(statement.stmt, Stmt::Do { opaque: true }) {
                catalog.mark_changed_by_code(file.slice(statement.span));
            }
            advance_transaction(&mut tx, &statement.stmt);
            sets_lock_timeout |= tx.lock_timeout.is_some();
            statement_number += 1;
        }
        lock_timeout_units += usize::from(sets_lock_timeout);
        statements += unit.parsed.statements.len();
        unit_findings.extend(meta::syntax_error::findings(&unit.parsed, settings));
        unit_findings.extend(meta::psql_meta_command::findings(&unit.parsed));
        if unit.info.framework.is_none() {
            unit_findings.extend(meta::query_too_large::findings(&unit.parsed));
        }
        if let Some(r) = replayed.last_mut() {
            r.suppressions.extend(suppress::collect(&unit.parsed));
            r.assured.extend(suppress::assured_marks(&unit.parsed));
            r.findings.extend(unit_findings);
        }
    }
    drop(scratch);
    let position: HashMap<usize, usize> = replayed
        .iter()
        .enumerate()
        .map(|(i, r)| (r.source.id(), i))
        .collect();
    for rule in rules::ALL.iter().filter(|r| settings.is_enabled(r.meta.id)) {
        if let Check::Catalog(check) = rule.check {
            let mut report = Report {
                meta: &rule.meta,
                findings: Vec::new(),
            };
            check(
                &CatalogContext {
                    catalog: &catalog,
                    settings,
                    rule: &rule.meta,
                },
                &mut report,
            );
            for mut finding in report.findings {
                let unit = finding.file.as_ref().and_then(|f| position.get(&f.id()));
                if let Some(r) = unit.and_then(|&i| replayed.get_mut(i)) {
                    crate::generated::advise(r.framework, &mut finding);
                    r.findings.push(finding);
                }
            }
        }
    }
    let mut findings = Vec::new();
    let files = replayed.len();
    for Replayed {
        source,
        framework: _,
        mut suppressions,
        assured,
        findings: mut unit_findings,
    } in replayed
    {
        let assured = suppress::assured_blocks(&assured, source.text().len());
        unit_findings.retain(|f| {
            settings.is_enabled(f.rule)
                && !suppress::assured(&assured, f)
                && !suppress::suppresses(&mut suppressions, f)
        });
        if settings.is_enabled(meta::unused_suppression::RULE.meta.id) {
            // A suppression of a rule that did not run cannot be judged unused.
            suppressions.retain(|s| {
                !s.foreign && (settings.is_enabled(&s.rule) || rules::find(&s.rule).is_none())
            });
            unit_findings.extend(meta::unused_suppression::findings(&source, &suppressions));
        }
        for f in &mut unit_findings {
            if let Some(&severity) = settings.severity.get(f.rule) {
                f.severity = severity;
            }
        }
        unit_findings.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
        unit_findings
            .dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
        rules::migration::backfill_in_ddl_transaction::fold_repeats(&mut unit_findings);
        // Each of these rules' findings in one file have one fix (a migration of their own, one
        // ALTER TABLE, one release of the code, NOT VALID then VALIDATE): the first stands for
        // the others.
        for (rule, what) in [
            (
                &rules::migration::drop_index_non_concurrently::RULE,
                "DROP INDEX statements",
            ),
            (
                &rules::migration::create_index_non_concurrently::RULE,
                "CREATE INDEX statements",
            ),
            (
                &rules::migration::add_column_volatile_default::RULE,
                "ADD COLUMN statements",
            ),
            (
                &rules::migration::rename_column::RULE,
                "RENAME COLUMN statements",
            ),
            (
                &rules::migration::add_check_constraint_validating::RULE,
                "ADD CHECK constraints",
            ),
        ] {
            rules::migration::common::fold_in_file(
                &mut unit_findings,
                rule.meta.id,
                |_| Some(String::new()),
                what,
            );
        }
        rules::migration::alter_column_type_rewrite::fold_repeats(&mut unit_findings);
        findings.extend(unit_findings);
    }
    rules::migration::missing_lock_timeout::fold_convention(&mut findings, lock_timeout_units);
    LintOutcome {
        findings,
        catalog,
        files,
        statements,
    }
}

fn initial_transaction(unit: &Unit) -> TransactionState {
    let wrapped = match unit.info.transaction {
        TransactionMode::Wrapped => true,
        TransactionMode::ImplicitWhenMultiStatement => unit.parsed.statements.len() > 1,
        TransactionMode::None => false,
    };
    TransactionState {
        in_transaction: wrapped,
        implicit: wrapped,
        ..TransactionState::default()
    }
}

/// Record the locks `statement` takes on existing tables, and the constraints it adds
/// `NOT VALID`, in the transaction state the statements after it see.
fn track_locks(
    tx: &mut TransactionState,
    statement: &Statement,
    operations: &[Operation],
    catalog: &Catalog,
    unit: &UnitInfo,
) {
    let mut strong = false;
    for op in operations {
        let Some(level) = op.effect.as_ref().and_then(|e| e.strongest()) else {
            continue;
        };
        let Some(table) = op.locked_table(catalog) else {
            continue;
        };
        if !existing_key(catalog, unit, &table) {
            continue;
        }
        strong |= matches!(level, LockLevel::AccessExclusive | LockLevel::Share);
        if tx.in_transaction {
            if op.effect.as_ref().is_some_and(|e| e.rewrites) {
                tx.rewritten.push(table.clone());
            }
            tx.held.push(HeldLock {
                table,
                level,
                span: statement.span,
            });
        }
    }
    tx.strong_locks_in_unit += usize::from(strong);
    let emptied: &[QualifiedName] = match &statement.stmt {
        Stmt::Truncate { tables, .. } => tables,
        Stmt::Delete {
            table,
            has_where: false,
        } => std::slice::from_ref(table),
        _ => &[],
    };
    // ADD COLUMN ... NOT NULL with no default only succeeds on an empty table: whatever this
    // migration does to the table afterwards runs only if it was empty.
    let proven_empty = match &statement.stmt {
        Stmt::AlterTable(alter)
            if alter.cmds.iter().any(|cmd| {
                matches!(&cmd.action, AlterTableAction::AddColumn { column, .. }
                    if matches!(
                        lockmap::add_column_form(column, catalog),
                        DdlForm::AddColumn { default: ColumnDefault::None, not_null: true, generated: None, .. }
                    ))
            }) =>
        {
            std::slice::from_ref(&alter.name)
        }
        _ => &[],
    };
    let key = |t: &QualifiedName| {
        catalog
            .resolve(&catalog.tables, t)
            .unwrap_or_else(|| catalog.creation_name(t))
    };
    tx.emptied_in_unit
        .extend(emptied.iter().chain(proven_empty).map(key));
    match &statement.stmt {
        Stmt::Insert { table } | Stmt::Update { table, .. } => tx.written_in_unit.push(key(table)),
        Stmt::Copy {
            table: Some(table),
            from: true,
        } => tx.written_in_unit.push(key(table)),
        Stmt::Do { opaque: true } | Stmt::Select | Stmt::Other("CallStmt") => {
            tx.opaque_code_in_unit = true;
        }
        _ => {}
    }
    if let Stmt::AlterTable(alter) = &statement.stmt
        && tx.in_transaction
    {
        for cmd in &alter.cmds {
            if let AlterTableAction::AddConstraint(c) = &cmd.action
                && c.not_valid
                && let Some(name) = &c.name
            {
                tx.not_valid_added
                    .push((catalog.creation_name(&alter.name), name.clone()));
            }
        }
    }
}

fn advance_transaction(tx: &mut TransactionState, stmt: &Stmt) {
    match stmt {
        Stmt::Transaction(TransactionKind::Begin) => {
            tx.in_transaction = true;
            tx.implicit = false;
        }
        Stmt::Transaction(
            TransactionKind::Commit | TransactionKind::Rollback | TransactionKind::Prepare,
        ) => {
            let session =
                |scope: Option<SettingScope>| scope.filter(|s| *s == SettingScope::Session);
            *tx = TransactionState {
                lock_timeout: session(tx.lock_timeout),
                utc_time_zone: session(tx.utc_time_zone),
                strong_locks_in_unit: tx.strong_locks_in_unit,
                emptied_in_unit: std::mem::take(&mut tx.emptied_in_unit),
                written_in_unit: std::mem::take(&mut tx.written_in_unit),
                opaque_code_in_unit: tx.opaque_code_in_unit,
                ..TransactionState::default()
            };
        }
        Stmt::Set { name, value, local } if name == "timezone" => {
            let utc = value.as_deref().is_some_and(lockmap::is_utc);
            tx.utc_time_zone = match (utc, local) {
                (false, _) => None,
                (true, true) => Some(SettingScope::Transaction),
                (true, false) => Some(SettingScope::Session),
            };
        }
        Stmt::Set { name, value, local } if name == "lock_timeout" => {
            let disabled = value.as_deref().is_none_or(|v| v.trim_matches('\'') == "0");
            tx.lock_timeout = match (disabled, local) {
                (true, _) => None,
                (false, true) => Some(SettingScope::Transaction),
                (false, false) => Some(SettingScope::Session),
            };
        }
        _ => {}
    }
}
