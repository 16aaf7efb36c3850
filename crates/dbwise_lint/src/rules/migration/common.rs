//! What the migration rules share: phrasing a [`LockEffect`] and reporting an operation with
//! size-scaled severity, transaction context and the safe plan as help.

use dbwise_catalog::Catalog;
use std::collections::HashMap;

use dbwise_diagnostics::{Finding, Severity, Span};
use dbwise_locks::{ColumnDefault, ConstraintKind, DdlForm, LockEffect, RelationRole};
use dbwise_syntax::ast::{
    AlterTableAction, ColumnDef, ConstraintKind as AstConstraintKind, Stmt, quote_ident,
};

use crate::context::StatementContext;
use crate::lockmap::{self, Operation};
use crate::plan;
use crate::rule::Report;

/// The operations of the statement that `matches` accepts, on tables that existed before this
/// migration (the only ones whose locks can block another session).
pub(super) fn existing_ops<'a>(
    ctx: &'a StatementContext,
    matches: impl Fn(&DdlForm) -> bool + 'a,
) -> impl Iterator<Item = &'a Operation> + 'a {
    ctx.operations.iter().filter(move |op| {
        matches(&op.form)
            && op
                .locked_table(ctx.catalog)
                .is_some_and(|t| crate::unit::existing_key(ctx.catalog, ctx.unit, &t))
    })
}

/// A statement whose only cost is reading or rewriting the table is cheap when this migration
/// emptied the table first, or when the table is young ([`StatementContext::young`]); and it
/// adds nothing to report when an earlier statement of this transaction rewrote the table,
/// which then stays locked ACCESS EXCLUSIVE until the commit: the outage is that rewrite's,
/// and its finding is the one to act on (CONCURRENTLY or NOT VALID would not shorten it).
pub(super) fn is_cheap(ctx: &StatementContext, op: &Operation) -> bool {
    op.locked_table(ctx.catalog).is_some_and(|t| {
        ctx.transaction.emptied_in_unit.contains(&t)
            || ctx.young(&t)
            || ctx.transaction.rewritten.contains(&t)
    })
}

/// Where a finding about `op` points: its sub-command, or the statement's first line when the
/// parser gives the sub-command no position of its own.
pub(super) fn anchor(ctx: &StatementContext, op: &Operation) -> Span {
    if op.span.is_empty() {
        first_line(ctx)
    } else {
        op.span
    }
}

/// The first line of the statement.
fn first_line(ctx: &StatementContext) -> Span {
    let statement = ctx.statement.span;
    let text = ctx.file.slice(statement);
    let end = text.find('\n').unwrap_or(text.len());
    Span::new(statement.start as usize, statement.start as usize + end)
}

/// What the statement blocks, from the lock model: "reads and writes", "writes" or "no reads or writes".
pub(super) fn blocked(effect: &LockEffect) -> &'static str {
    match (effect.blocks_reads, effect.blocks_writes) {
        (true, _) => "reads and writes",
        (false, true) => "writes",
        (false, false) => "no reads or writes",
    }
}

/// "ACCESS EXCLUSIVE on orders" or, with a referenced table or a named index (`second`),
/// "SHARE ROW EXCLUSIVE on orders and SHARE ROW EXCLUSIVE on customers".
pub(super) fn locks(effect: &LockEffect, table: &str, second: Option<&str>) -> String {
    effect
        .per_relation
        .iter()
        .filter_map(|(role, level)| {
            let name = match role {
                RelationRole::ReferencedTable | RelationRole::Index => second?,
                _ => table,
            };
            Some(format!("{level} on {name}"))
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What the statement does to the table's data under that lock.
pub(super) fn work(effect: &LockEffect) -> &'static str {
    match (effect.rewrites, effect.scans) {
        (true, _) => "rewrites the whole table",
        (false, true) => "reads the whole table",
        (false, false) => "does not read the table",
    }
}

/// Push a finding for `op` with the rule's severity scaled by the table's size, raised to at
/// least a warning when a slow statement runs while an earlier ACCESS EXCLUSIVE is held, and the
/// safe plan (when there is one) as help. Returns the finding, for a rule to adjust.
pub(super) fn report_op<'r>(
    ctx: &StatementContext,
    report: &'r mut Report,
    op: &Operation,
    message: String,
    mut why: String,
    fallback_help: String,
) -> Option<&'r mut Finding> {
    let effect = op.effect.as_ref();
    if effect.is_some_and(|e| e.scans || e.rewrites) && is_cheap(ctx, op) {
        return None;
    }
    let mut severity = ctx.scaled_severity(&op.target, effect);
    if effect.is_some_and(|e| e.scans || e.rewrites)
        && let Some(note) = ctx.held_exclusive_note()
    {
        why.push_str(&note);
        severity = severity.max(Severity::Warning);
    }
    // Reading or rewriting the table under the lock is the hazard, and it lasts long only on
    // a large table.
    let unknown_size = effect
        .is_some_and(|e| e.scans || e.rewrites)
        .then(|| ctx.size_unknown(&op.target))
        .flatten();
    let help = ctx
        .plan_help(op, unknown_size.as_ref())
        .unwrap_or(fallback_help);
    let mut finding = report
        .finding(ctx.file, anchor(ctx, op), message)
        .why(why)
        .help(help)
        .unknown_size(unknown_size);
    finding.severity = severity;
    report.push(finding);
    report.findings.last_mut()
}

/// The foreign key `op` adds has a column that this migration added with no default and no
/// statement of it wrote since: every row holds NULL there, which a foreign key accepts, so the
/// validation cannot fail and only reads the table once under the lock the ADD COLUMN holds
/// anyway. ORMs write new references this way, and NOT VALID would only be ceremony.
fn checks_only_nulls(ctx: &StatementContext, op: &Operation) -> bool {
    let Stmt::AlterTable(alter) = &ctx.statement.stmt else {
        return false;
    };
    let Some(index) = op.cmd else { return false };
    let Some(AlterTableAction::AddConstraint(constraint)) =
        alter.cmds.get(index).map(|c| &c.action)
    else {
        return false;
    };
    let AstConstraintKind::ForeignKey(fk) = &constraint.kind else {
        return false;
    };
    let Some(table) = op.locked_table(ctx.catalog) else {
        return false;
    };
    if ctx.transaction.opaque_code_in_unit || ctx.transaction.written_in_unit.contains(&table) {
        return false;
    }
    let added_now = |name: &str| {
        alter.cmds[..index].iter().any(|cmd| {
            matches!(&cmd.action, AlterTableAction::AddColumn { column, .. }
                if column.name == name && null_filled(column, ctx.catalog))
        })
    };
    let added_earlier = |name: &str| {
        ctx.catalog.tables.get(&table).is_some_and(|t| {
            t.columns.iter().any(|c| {
                c.name == name
                    && c.origin.migration() == Some(ctx.unit.index)
                    && c.default.is_none()
                    && c.identity.is_none()
                    && !c.generated
            })
        })
    };
    fk.columns
        .iter()
        .any(|name| added_now(name) || added_earlier(name))
}

/// A column that ADD COLUMN fills with NULL in every existing row.
fn null_filled(column: &ColumnDef, catalog: &Catalog) -> bool {
    matches!(
        lockmap::add_column_form(column, catalog),
        DdlForm::AddColumn {
            default: ColumnDefault::None,
            generated: None,
            ..
        }
    )
}

/// The shared check of `add-foreign-key-validating` and `add-check-constraint-validating`: a
/// constraint of `kind` added without `NOT VALID` to an existing table, or validated in the
/// same transaction that added it `NOT VALID`.
pub(super) fn constraint_validation(
    ctx: &StatementContext,
    report: &mut Report,
    kind: ConstraintKind,
) {
    let what = match kind {
        ConstraintKind::ForeignKey => "FOREIGN KEY",
        _ => "CHECK",
    };
    for op in existing_ops(
        ctx,
        |f| matches!(f, DdlForm::AddConstraint { kind: k, not_valid: false, .. } if *k == kind),
    ) {
        let Some(effect) = &op.effect else { continue };
        if kind == ConstraintKind::ForeignKey && checks_only_nulls(ctx, op) {
            continue;
        }
        let t = op.target.to_string();
        let referenced = referenced_table(ctx, op);
        report_op(
            ctx,
            report,
            op,
            format!(
                "ADD {what} on existing table {t}{} checks every row while holding {}",
                ctx.size_note(&op.target),
                locks(effect, &t, referenced.as_deref())
            ),
            format!(
                "Without NOT VALID, PostgreSQL {} to check the new constraint, and {} wait until it is done.",
                work(effect),
                blocked(effect)
            ),
            format!(
                "Add the constraint NOT VALID (only new rows are checked), then VALIDATE CONSTRAINT in a separate transaction, which takes a lock that lets reads and writes of {t} go on."
            ),
        );
    }
    let Stmt::AlterTable(alter) = &ctx.statement.stmt else {
        return;
    };
    let key = ctx.catalog.creation_name(&alter.name);
    for op in ctx.operations {
        if op.form != (DdlForm::ValidateConstraint { kind }) {
            continue;
        }
        for cmd in &alter.cmds {
            if let AlterTableAction::ValidateConstraint { name } = &cmd.action
                && ctx
                    .transaction
                    .not_valid_added
                    .iter()
                    .any(|(table, added)| *table == key && added == name)
            {
                let q = quote_ident(name);
                let finding = report
                    .finding(
                        ctx.file,
                        if cmd.span.is_empty() { first_line(ctx) } else { cmd.span },
                        format!("VALIDATE CONSTRAINT {q} runs in the same transaction that added it NOT VALID"),
                    )
                    .why(format!(
                        "The ADD CONSTRAINT ... NOT VALID earlier in this transaction holds its lock on {} until the transaction commits, so validating here scans the table under that lock: NOT VALID gains nothing.",
                        alter.name
                    ))
                    .help(format!(
                        "Commit after ADD CONSTRAINT ... NOT VALID and run ALTER TABLE {} VALIDATE CONSTRAINT {q}; in a later migration (its own transaction).",
                        alter.name
                    ));
                report.push(finding);
            }
        }
    }
}

/// The table a foreign key operation points to, for messages.
fn referenced_table(ctx: &StatementContext, op: &Operation) -> Option<String> {
    let Stmt::AlterTable(alter) = &ctx.statement.stmt else {
        return None;
    };
    match &alter.cmds.get(op.cmd?)?.action {
        AlterTableAction::AddConstraint(c) => match &c.kind {
            dbwise_syntax::ast::ConstraintKind::ForeignKey(fk) => Some(fk.target.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The shared check of `add-unique-constraint-locking` and `add-primary-key-locking`.
pub(super) fn unique_constraint(
    ctx: &StatementContext,
    report: &mut Report,
    matches: impl Fn(&DdlForm) -> bool + 'static,
) {
    for op in existing_ops(ctx, matches) {
        let Some(effect) = &op.effect else { continue };
        if dropped_later(ctx, op) {
            continue;
        }
        let t = op.target.to_string();
        let what = match op.form {
            DdlForm::AddConstraint {
                kind: ConstraintKind::PrimaryKey,
                ..
            } => "PRIMARY KEY",
            _ => "UNIQUE",
        };
        report_op(
            ctx,
            report,
            op,
            format!(
                "ADD {what} on existing table {t}{} builds its index while holding {}",
                ctx.size_note(&op.target),
                locks(effect, &t, None)
            ),
            format!(
                "The unique index is built inside the ALTER TABLE, which {} and blocks {} until the build ends.",
                work(effect),
                blocked(effect)
            ),
            format!(
                "Build the index first with CREATE UNIQUE INDEX CONCURRENTLY ... ON {t} (...), then ALTER TABLE {t} ADD CONSTRAINT ... {what} USING INDEX ...;"
            ),
        );
    }
}

/// The constraint `op` adds is dropped again by a later statement of this migration: it never
/// outlives the migration, so building it another way gains nothing (the statements that build
/// what stays are reported on their own).
fn dropped_later(ctx: &StatementContext, op: &Operation) -> bool {
    let Stmt::AlterTable(alter) = &ctx.statement.stmt else {
        return false;
    };
    let Some(AlterTableAction::AddConstraint(constraint)) =
        op.cmd.and_then(|i| alter.cmds.get(i)).map(|c| &c.action)
    else {
        return false;
    };
    let name = plan::constraint_name(&alter.name, constraint);
    let table = ctx.catalog.creation_name(&alter.name);
    ctx.following.iter().any(|statement| match &statement.stmt {
        Stmt::AlterTable(later) => {
            ctx.catalog.creation_name(&later.name) == table
                && later.cmds.iter().any(|cmd| {
                    matches!(&cmd.action, AlterTableAction::DropConstraint { name: dropped, .. } if *dropped == name)
                })
        }
        _ => false,
    })
}

/// Fold one file's findings of `rule` that share a key (`key` gives it; None leaves a finding
/// alone) into the first of them, whose message then names the lines of the others, `what`
/// they are: statements that one fix covers are one finding. The first takes over the others'
/// edits and suggested SQL when it has its own.
pub(crate) fn fold_in_file(
    findings: &mut Vec<Finding>,
    rule: &str,
    key: impl Fn(&Finding) -> Option<String>,
    what: &str,
) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut later: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut keep = vec![true; findings.len()];
    for (i, finding) in findings.iter().enumerate() {
        let Some(mut key) = (finding.rule == rule).then(|| key(finding)).flatten() else {
            continue;
        };
        // Findings on tables of unknown size may be counted rather than listed: they fold
        // only among themselves.
        if finding.unknown_size.is_some() {
            key.push_str("\0unknown size");
        }
        match first.get(&key) {
            Some(&at) => {
                keep[i] = false;
                later.entry(at).or_default().push(i);
            }
            None => {
                first.insert(key, i);
            }
        }
    }
    for (at, folded) in later {
        let mut lines = Vec::with_capacity(folded.len());
        for i in folded {
            let finding = &mut findings[i];
            lines.push(
                finding
                    .file
                    .as_ref()
                    .map_or(0, |f| f.line_of(finding.span.start) + 1)
                    .to_string(),
            );
            let (fix, suggestion) = (finding.fix.take(), finding.suggestion.take());
            let first = &mut findings[at];
            if let (Some(kept), Some(fix)) = (&mut first.fix, fix) {
                kept.edits.extend(fix.edits);
            }
            if let (Some(kept), Some(suggestion)) = (&mut first.suggestion, suggestion) {
                kept.sql.extend(suggestion.sql);
                kept.transaction &= suggestion.transaction;
                kept.template |= suggestion.template;
            }
        }
        findings[at].message.push_str(&format!(
            ", and so do the {what} at line{} {}",
            if lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        ));
    }
    let mut position = 0;
    findings.retain(|_| {
        position += 1;
        keep[position - 1]
    });
}
