//! Safe multi-step plans: the rewrite of a risky statement into steps that each run as a
//! migration of their own, with the points where the application must deploy first.
//!
//! The migration rules put a statement's plan in their `help`; [`plan_file`] plans a whole
//! migration for `dbwise migrate plan`.

use std::cell::OnceCell;

use dbwise_catalog::migrations::Framework;
use dbwise_catalog::{Catalog, ObjectName, Origin, truncate_identifier};
use dbwise_diagnostics::SourceFile;
use dbwise_locks::{ColumnDefault, DdlForm, LockLevel};
use dbwise_syntax::ast::{
    AlterTable, AlterTableAction, ColumnDef, Constraint, ConstraintKind, ForeignKey, Identifier,
    QualifiedName, Stmt, TransactionKind, quote_ident, quote_literal,
};
use dbwise_syntax::{ParsedFile, Statement};

use crate::lockmap::{self, Operation};
use crate::rules::migration::sql_text;
use crate::unit::{UnitInfo, existing_key};

/// Rows a backfill batch updates; the batch statement is repeated until it updates none.
pub const BATCH_ROWS: u32 = 10_000;
/// The `lock_timeout` the plan sets before statements that take a strong lock.
pub const LOCK_TIMEOUT: &str = "5s";

/// One step of a plan: the SQL of one migration file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub title: String,
    pub sql: String,
    /// The step must run outside a transaction block (its framework's opt-out).
    pub no_transaction: bool,
    /// The application change that must be deployed before this step runs.
    pub deploy_first: Option<String>,
    /// The step is a batch: run it again until it changes no rows.
    pub repeat: bool,
}

impl Step {
    fn sql(title: impl Into<String>, sql: impl Into<String>) -> Step {
        Step {
            title: title.into(),
            sql: sql.into(),
            no_transaction: false,
            deploy_first: None,
            repeat: false,
        }
    }

    fn outside_transaction(mut self) -> Step {
        self.no_transaction = true;
        self
    }

    fn after_deploy(mut self, change: impl Into<String>) -> Step {
        self.deploy_first = Some(change.into());
        self
    }

    fn repeated(mut self) -> Step {
        self.repeat = true;
        self
    }
}

/// The safe rewrite of `op` (an operation of `statement`, read from `source`, on an existing
/// table), when there is one that avoids its long lock or its break of running application code.
/// When `statement` is an `ALTER TABLE` with several sub-commands, the rewrite is the plan of the
/// whole statement ([`alter_plan`]): a plan for one sub-command alone would drop the others.
pub fn rewrite(
    source: &SourceFile,
    statement: &Statement,
    op: &Operation,
    catalog: &Catalog,
    pg_major: u32,
    utc_session: bool,
) -> Option<Vec<Step>> {
    let steps = operation_rewrite(statement, op, catalog, pg_major)?;
    match several_sub_commands(statement) {
        Some(alter) => alter_plan(source, statement, alter, catalog, pg_major, utc_session),
        None => Some(steps),
    }
}

/// [`rewrite`] as help text. The whole-statement plan of an `ALTER TABLE` with several
/// sub-commands is the same for each of its operations, so it is built once, into `statement_plan`
/// (one cell per statement).
pub fn rewrite_help(
    source: &SourceFile,
    statement: &Statement,
    op: &Operation,
    catalog: &Catalog,
    pg_major: u32,
    utc_session: bool,
    statement_plan: &OnceCell<Option<String>>,
) -> Option<String> {
    let steps = operation_rewrite(statement, op, catalog, pg_major)?;
    match several_sub_commands(statement) {
        Some(alter) => statement_plan
            .get_or_init(|| {
                alter_plan(source, statement, alter, catalog, pg_major, utc_session)
                    .map(|s| help_text(&s))
            })
            .clone(),
        None => Some(help_text(&steps)),
    }
}

/// The `ALTER TABLE` whose rewrite is planned as a whole: one with several sub-commands.
fn several_sub_commands(statement: &Statement) -> Option<&AlterTable> {
    match &statement.stmt {
        Stmt::AlterTable(alter) if alter.cmds.len() > 1 => Some(alter),
        _ => None,
    }
}

/// The rewrite of one operation on its own.
fn operation_rewrite(
    statement: &Statement,
    op: &Operation,
    catalog: &Catalog,
    pg_major: u32,
) -> Option<Vec<Step>> {
    let table = &op.target;
    let t = table.to_string();
    let effect = op.effect.as_ref()?;
    let needed = match op.form {
        DdlForm::AlterColumnType { .. } => effect.rewrites,
        // A NOT NULL column with no default fails on a table that has rows.
        DdlForm::AddColumn {
            not_null, default, ..
        } => effect.rewrites || (not_null && default == ColumnDefault::None),
        DdlForm::SetNotNull { .. } => effect.scans,
        _ => true,
    };
    if !needed {
        return None;
    }
    match (&statement.stmt, op.form) {
        (
            Stmt::CreateIndex(index),
            DdlForm::CreateIndex {
                concurrently: false,
            },
        ) => {
            let partitioned = catalog.table(&index.table).is_some_and(|t| t.partitioned);
            if partitioned {
                return Some(partitioned_index_steps(index, catalog));
            }
            Some(vec![
                Step::sql(
                    "build the index without blocking writes",
                    format!(
                        "{};",
                        create_index_sql(index, index.name.as_deref(), &t, Build::Concurrently)
                    ),
                )
                .outside_transaction(),
            ])
        }
        (
            Stmt::Drop(drop),
            DdlForm::DropIndex {
                concurrently: false,
            },
        ) if !drop.cascade => {
            let if_exists = if drop.if_exists { "IF EXISTS " } else { "" };
            Some(vec![
                Step::sql(
                    format!("drop {} without blocking reads and writes", op.target),
                    format!("DROP INDEX CONCURRENTLY {if_exists}{};", op.target),
                )
                .outside_transaction(),
            ])
        }
        (
            Stmt::Reindex { kind, .. },
            DdlForm::Reindex {
                concurrently: false,
            },
        ) if pg_major >= 12 => Some(vec![
            Step::sql(
                format!("rebuild {} without blocking writes", op.target),
                format!(
                    "REINDEX {} CONCURRENTLY {};",
                    kind.to_uppercase(),
                    op.target
                ),
            )
            .outside_transaction(),
        ]),
        (
            Stmt::RefreshMaterializedView { .. },
            DdlForm::RefreshMatView {
                concurrently: false,
            },
        ) => Some(vec![Step::sql(
            format!("refresh {t} while reads go on (it needs a UNIQUE index on plain columns)"),
            format!("REFRESH MATERIALIZED VIEW CONCURRENTLY {t};"),
        )]),
        (Stmt::Rename(rename), DdlForm::RenameTable) => {
            let new = QualifiedName::new(rename.target.schema.as_deref(), &rename.new_name);
            Some(vec![
                Step::sql(
                    format!("rename {t} and keep the old name working as a view"),
                    format!(
                        "{}ALTER TABLE {t} RENAME TO {};\nCREATE VIEW {t} AS SELECT * FROM {new};",
                        lock_timeout_sql(),
                        quote_ident(&rename.new_name)
                    ),
                ),
                Step::sql(
                    format!("drop the compatibility view {t}"),
                    format!("DROP VIEW {t};"),
                )
                .after_deploy(format!("the application uses {new} instead of {t}")),
            ])
        }
        (Stmt::Rename(rename), DdlForm::RenameColumn) => {
            let old = rename.subname.as_deref()?;
            let column = catalog.table(table)?.column(old)?;
            let type_name = column.type_name.as_ref()?.display();
            Some(expand_contract(
                table,
                old,
                &rename.new_name,
                &type_name,
                &quote_ident(old),
            ))
        }
        (Stmt::AlterTable(alter), _) => {
            alter_rewrite(&alter.cmds.get(op.cmd?)?.action, op, catalog, pg_major)
        }
        _ => None,
    }
}

fn alter_rewrite(
    action: &AlterTableAction,
    op: &Operation,
    catalog: &Catalog,
    pg_major: u32,
) -> Option<Vec<Step>> {
    let table = &op.target;
    let t = table.to_string();
    match action {
        AlterTableAction::AddConstraint(constraint) => {
            add_constraint_rewrite(table, constraint, catalog, false)
        }
        AlterTableAction::SetNotNull { column } if pg_major >= 12 => {
            Some(set_not_null_steps(table, column))
        }
        AlterTableAction::AlterColumnType {
            column,
            type_name,
            using,
        } => {
            let new = replacement_column(column);
            let cast = match using {
                // The parsed text shortens a CASE or a subquery (`CASE … END`), which would not
                // run: the user writes the expression in place of <value>.
                Some(expr) if expr.text.contains('…') => "<value>".to_owned(),
                Some(expr) => expr.text.clone(),
                None => format!("{}::{}", quote_ident(column), type_name.display()),
            };
            if let Some(steps) =
                widen_primary_key(table, column, &type_name.display(), &cast, catalog)
            {
                return Some(steps);
            }
            let mut steps = expand_contract(table, column, &new, &type_name.display(), &cast);
            if cast == "<value>" {
                steps[1]
                    .title
                    .push_str(" (write the USING expression in place of <value>)");
            }
            Some(steps)
        }
        AlterTableAction::AddColumn { column, .. } => add_column_rewrite(table, column, pg_major),
        AlterTableAction::DropColumn { name, .. } => Some(vec![
            Step::sql(
                format!("drop {t}.{}", quote_ident(name)),
                format!(
                    "{}ALTER TABLE {t} DROP COLUMN {};",
                    lock_timeout_sql(),
                    quote_ident(name)
                ),
            )
            .after_deploy(format!(
                "the application no longer reads or writes {t}.{}",
                quote_ident(name)
            )),
        ]),
        _ => None,
    }
}

/// The column that replaces `column` when its type change is planned as expand/contract.
fn replacement_column(column: &str) -> String {
    format!("{column}_new")
}

/// One risky sub-command's steps within the plan of its `ALTER TABLE`.
struct Sequence<'a> {
    /// The order of the sub-command's kind, as PostgreSQL runs them: see [`sequence_rank`].
    rank: u8,
    /// The column a type change replaces by expand/contract.
    replaces: Option<&'a str>,
    steps: Vec<Step>,
}

/// Where a risky sub-command's sequence goes among the others of its statement, in the order
/// PostgreSQL itself runs sub-commands: a column's replacement and new columns before the
/// constraints that may name them, unique keys before the foreign keys that may reference them,
/// dropped columns last.
fn sequence_rank(action: &AlterTableAction) -> u8 {
    match action {
        AlterTableAction::AlterColumnType { .. } => 0,
        AlterTableAction::AddColumn { .. } => 1,
        AlterTableAction::SetNotNull { .. } => 2,
        AlterTableAction::AddConstraint(c)
            if matches!(
                c.kind,
                ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
            ) =>
        {
            3
        }
        AlterTableAction::AddConstraint(_) => 4,
        _ => 5,
    }
}

/// The columns a constraint names: its key, or the identifiers of its CHECK expression.
fn constraint_columns(kind: &ConstraintKind) -> Vec<&str> {
    match kind {
        ConstraintKind::ForeignKey(fk) => fk.columns.iter().map(Identifier::as_str).collect(),
        ConstraintKind::Unique { columns, .. }
        | ConstraintKind::PrimaryKey { columns, .. }
        | ConstraintKind::Exclude { columns, .. } => {
            columns.iter().map(Identifier::as_str).collect()
        }
        ConstraintKind::Check { expr } => expr
            .text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|word| !word.is_empty())
            .collect(),
        ConstraintKind::NotNull { .. } => Vec::new(),
    }
}

/// The plan of an `ALTER TABLE` with several sub-commands, some of them risky. The safe
/// sub-commands stay together in one `ALTER TABLE`, which runs first (later steps may name the
/// columns it adds); each risky one gets its own sequence. The sequences are interleaved by deploy
/// point: everything that needs no deploy first, then everything after the first deploy, and so
/// on, each sequence keeping its own order. A sub-command on a column that a type change replaces
/// is applied to the replacement: `SET DEFAULT` when it is added, `SET NOT NULL` after its
/// backfill; `DROP DEFAULT` and `DROP NOT NULL` are already true of it. A dropped constraint goes
/// once the work that needs no deploy is done (a key it replaces is built by then), unless a
/// new one takes its name; the primary key of a column dropped beside a new primary key goes
/// first, since only one can exist.
///
/// `None` when the statement cannot be split safely: its text does not split into its
/// sub-commands, a constraint names a column that is replaced or dropped, or a new column takes
/// the name of one.
fn alter_plan(
    source: &SourceFile,
    statement: &Statement,
    alter: &AlterTable,
    catalog: &Catalog,
    pg_major: u32,
    utc_session: bool,
) -> Option<Vec<Step>> {
    use AlterTableAction as A;
    let table = &alter.name;
    let t = table.to_string();
    let (head, clauses) = split_sub_commands(source, statement, alter)?;
    let operations = lockmap::operations(statement, catalog, pg_major, utc_session);
    let risky: Vec<Option<Vec<Step>>> = (0..alter.cmds.len())
        .map(|i| {
            let op = operations.iter().find(|op| op.cmd == Some(i))?;
            operation_rewrite(statement, op, catalog, pg_major)
        })
        .collect();
    let mut replaced = Vec::new();
    let mut dropped = Vec::new();
    let mut primary_key = Vec::new();
    for (cmd, steps) in alter.cmds.iter().zip(&risky) {
        match (&cmd.action, steps) {
            (A::AlterColumnType { column, .. }, Some(_)) => replaced.push(column.as_str()),
            (A::DropColumn { name, .. }, Some(_)) => dropped.push(name.as_str()),
            (A::AddConstraint(c), Some(_))
                if matches!(c.kind, ConstraintKind::PrimaryKey { .. }) =>
            {
                primary_key.extend(constraint_columns(&c.kind));
            }
            _ => {}
        }
    }
    let gone = |column: &str| replaced.contains(&column) || dropped.contains(&column);
    // Names the risky sub-commands give their constraints (and unique indexes).
    let added: Vec<String> = alter
        .cmds
        .iter()
        .zip(&risky)
        .filter_map(|(cmd, steps)| match (&cmd.action, steps) {
            (A::AddConstraint(c), Some(_)) => Some(constraint_name(table, c)),
            _ => None,
        })
        .collect();
    // Constraints the statement drops and adds again under the same name (a primary key
    // moved to other columns): the added one's steps build its index beside the old one and
    // swap it in (see `unique_steps`), so the drop is not a step of its own.
    let swapped: Vec<&String> = alter
        .cmds
        .iter()
        .filter_map(|cmd| match &cmd.action {
            A::DropConstraint { name, .. } if added.contains(name) => Some(name),
            _ => None,
        })
        .collect();
    let mut safe = Vec::new();
    let mut retired = Vec::new();
    let mut sequences = Vec::new();
    let mut retargeted = Vec::new();
    for ((cmd, steps), clause) in alter.cmds.iter().zip(risky).zip(&clauses) {
        let steps = match (&cmd.action, steps) {
            (A::AddConstraint(c), Some(_)) if swapped.contains(&&constraint_name(table, c)) => {
                add_constraint_rewrite(table, c, catalog, true)
            }
            (A::DropConstraint { name, .. }, _) if swapped.contains(&name) => continue,
            (_, steps) => steps,
        };
        let column = match &cmd.action {
            A::SetDefault { column, .. }
            | A::DropDefault { column }
            | A::SetNotNull { column }
            | A::DropNotNull { column } => Some(column.as_str()),
            A::AddIdentity { column, .. } | A::DropIdentity { column } if gone(column) => {
                return None;
            }
            A::AddColumn { column, .. }
                if gone(&column.name)
                    || replaced
                        .iter()
                        .any(|old| replacement_column(old) == column.name) =>
            {
                return None;
            }
            A::AddConstraint(c) if constraint_columns(&c.kind).into_iter().any(gone) => {
                return None;
            }
            _ => None,
        };
        if let Some(column) = column.filter(|c| replaced.contains(c)) {
            retargeted.push((column, &cmd.action));
            continue;
        }
        match steps {
            Some(_) if column.is_some_and(|c| primary_key.contains(&c)) => {}
            Some(steps) => sequences.push(Sequence {
                rank: sequence_rank(&cmd.action),
                replaces: match &cmd.action {
                    A::AlterColumnType { column, .. } => Some(column.as_str()),
                    _ => None,
                },
                steps,
            }),
            None => match &cmd.action {
                A::DropConstraint { name, .. } if !added.contains(name) => {
                    retired.push(clause.clone());
                }
                _ => safe.push(clause.clone()),
            },
        }
    }
    // A primary key added beside the drop of the current key's column: the drop waits for a
    // deploy, so the current key is dropped first, or the new one could not be attached.
    let superseded_key = catalog
        .table(table)
        .and_then(|t| t.primary_key())
        .filter(|current| {
            !primary_key.is_empty()
                && constraint_columns(&current.kind)
                    .into_iter()
                    .any(|c| dropped.contains(&c))
                && !alter.cmds.iter().any(|cmd| {
                    matches!(&cmd.action, A::DropConstraint { name, .. } if *name == current.name)
                })
        });
    for (column, action) in retargeted {
        let sequence = sequences.iter_mut().find(|s| s.replaces == Some(column))?;
        let new = replacement_column(column);
        match action {
            A::SetDefault { default, .. } => sequence.steps[0].sql.push_str(&format!(
                "\nALTER TABLE {t} ALTER COLUMN {} SET DEFAULT {};",
                quote_ident(&new),
                default.text
            )),
            A::SetNotNull { .. } => {
                let backfilled = sequence.steps.iter().position(|s| s.repeat)? + 1;
                sequence
                    .steps
                    .splice(backfilled..backfilled, set_not_null_steps(table, &new));
            }
            _ => {}
        }
    }
    let mut steps = Vec::new();
    if !safe.is_empty() {
        steps.push(Step::sql(
            "the sub-commands that are safe as written, in one ALTER TABLE",
            format!("{}{head} {};", lock_timeout_sql(), safe.join(",\n    ")),
        ));
    }
    if let Some(current) = superseded_key {
        let q = quote_ident(&current.name);
        steps.push(Step::sql(
            format!("drop the primary key {q}: the new one replaces it, and its column goes later"),
            format!("{}ALTER TABLE {t} DROP CONSTRAINT {q};", lock_timeout_sql()),
        ));
    }
    sequences.sort_by_key(|s| s.rank);
    let mut ordered = Vec::new();
    for (n, sequence) in sequences.into_iter().enumerate() {
        let mut deploys = 0;
        for (position, step) in sequence.steps.into_iter().enumerate() {
            deploys += usize::from(step.deploy_first.is_some());
            ordered.push(((deploys, n, position), step));
        }
    }
    if !retired.is_empty() {
        ordered.push((
            (0, usize::MAX, 0),
            Step::sql(
                "drop the constraints the statement drops, now that what replaces them is in place",
                format!("{}{head} {};", lock_timeout_sql(), retired.join(",\n    ")),
            ),
        ));
    }
    ordered.sort_by_key(|(key, _)| *key);
    steps.extend(ordered.into_iter().map(|(_, step)| step));
    Some(steps)
}

/// The statement's text split into its head (`ALTER TABLE [IF EXISTS] [ONLY] name`) and the text
/// of each sub-command, comments left out; `None` when the pieces do not match the parsed
/// sub-commands.
fn split_sub_commands<'a>(
    source: &'a SourceFile,
    statement: &Statement,
    alter: &AlterTable,
) -> Option<(&'a str, Vec<String>)> {
    let text = source.slice(statement.span);
    let head_end = alter.name_span.end.checked_sub(statement.span.start)? as usize;
    if alter.name_span.is_empty() || alter.name_span.start < statement.span.start {
        return None;
    }
    let head = text.get(..head_end)?;
    let clauses = sql_text::split_top_level(text.get(head_end..)?);
    (clauses.len() == alter.cmds.len() && clauses.iter().all(|c| !c.is_empty()))
        .then_some((head, clauses))
}

fn lock_timeout_sql() -> String {
    format!("SET lock_timeout = '{LOCK_TIMEOUT}';\n")
}

fn columns(list: &[Identifier]) -> String {
    list.iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name PostgreSQL would pick for an unnamed constraint, close enough to be stable.
pub(crate) fn constraint_name(table: &QualifiedName, constraint: &Constraint) -> String {
    if let Some(name) = &constraint.name {
        return name.clone();
    }
    let (cols, suffix): (&[Identifier], &str) = match &constraint.kind {
        ConstraintKind::ForeignKey(fk) => (&fk.columns, "fkey"),
        ConstraintKind::Unique { columns, .. } => (columns, "key"),
        ConstraintKind::PrimaryKey { .. } => (&[], "pkey"),
        ConstraintKind::Exclude { columns, .. } => (columns, "excl"),
        ConstraintKind::Check { .. } | ConstraintKind::NotNull { .. } => (&[], "check"),
    };
    let mut parts = vec![table.name.as_str()];
    parts.extend(cols.iter().map(Identifier::as_str));
    parts.push(suffix);
    parts.join("_")
}

fn foreign_key_sql(fk: &ForeignKey) -> String {
    let action = |code: char| match code {
        'r' => "RESTRICT",
        'c' => "CASCADE",
        'n' => "SET NULL",
        'd' => "SET DEFAULT",
        _ => "",
    };
    let mut out = format!(
        "FOREIGN KEY ({}) REFERENCES {}",
        columns(&fk.columns),
        fk.target
    );
    if !fk.target_columns.is_empty() {
        out.push_str(&format!(" ({})", columns(&fk.target_columns)));
    }
    for (clause, code) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        let action = action(code);
        if !action.is_empty() {
            out.push_str(&format!(" ON {clause} {action}"));
        }
    }
    out
}

/// `replaces`: the statement also drops the constraint of that name (see `unique_steps`).
fn add_constraint_rewrite(
    table: &QualifiedName,
    constraint: &Constraint,
    catalog: &Catalog,
    replaces: bool,
) -> Option<Vec<Step>> {
    let t = table.to_string();
    let name = constraint_name(table, constraint);
    let q = quote_ident(&name);
    let validate = || {
        Step::sql(
            format!(
                "validate {q} in its own transaction, under a lock that lets reads and writes go on"
            ),
            format!("ALTER TABLE {t} VALIDATE CONSTRAINT {q};"),
        )
    };
    match &constraint.kind {
        ConstraintKind::ForeignKey(fk) if !constraint.not_valid => Some(vec![
            Step::sql(
                format!("add {q} without checking existing rows"),
                format!(
                    "{}ALTER TABLE {t} ADD CONSTRAINT {q} {} NOT VALID;",
                    lock_timeout_sql(),
                    foreign_key_sql(fk)
                ),
            ),
            validate(),
        ]),
        ConstraintKind::Check { expr } if !constraint.not_valid => Some(vec![
            Step::sql(
                format!("add {q} without checking existing rows"),
                format!(
                    "{}ALTER TABLE {t} ADD CONSTRAINT {q} CHECK ({}) NOT VALID;",
                    lock_timeout_sql(),
                    expr.text
                ),
            ),
            validate(),
        ]),
        ConstraintKind::Unique {
            columns: cols,
            include,
            using_index: None,
            nulls_not_distinct,
        } => Some(unique_steps(
            table,
            &name,
            cols,
            include,
            *nulls_not_distinct,
            "UNIQUE",
            replaces,
        )),
        ConstraintKind::PrimaryKey {
            columns: cols,
            include,
            using_index: None,
        } => {
            let nullable: Vec<&Identifier> = cols
                .iter()
                .filter(|c| {
                    catalog
                        .table(table)
                        .and_then(|t| t.column(c))
                        .is_none_or(|c| !c.not_null)
                })
                .collect();
            let mut steps = Vec::new();
            for column in nullable {
                steps.extend(set_not_null_steps(table, column));
            }
            steps.extend(unique_steps(
                table,
                &name,
                cols,
                include,
                false,
                "PRIMARY KEY",
                replaces,
            ));
            Some(steps)
        }
        _ => None,
    }
}

/// Build a unique index without blocking writes and attach it as constraint `name`. When
/// `replaces`, the statement drops a constraint of that name: the index is built under a name
/// of its own while the old constraint still serves, and one ALTER TABLE drops the old
/// constraint and attaches the new index (which takes the constraint's name), so the table is
/// never without its key.
fn unique_steps(
    table: &QualifiedName,
    name: &str,
    cols: &[Identifier],
    include: &[Identifier],
    nulls_not_distinct: bool,
    constraint: &str,
    replaces: bool,
) -> Vec<Step> {
    let t = table.to_string();
    let q = quote_ident(name);
    let include = if include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", columns(include))
    };
    let nulls = if nulls_not_distinct {
        " NULLS NOT DISTINCT"
    } else {
        ""
    };
    let (index, attach_title, attach) = if replaces {
        let new = quote_ident(&truncate_identifier(&format!("{name}_new")));
        (
            new.clone(),
            format!(
                "swap {new} in for the current {q} in one statement (a brief ACCESS EXCLUSIVE lock, no scan; the index takes the name {q})"
            ),
            format!("DROP CONSTRAINT {q},\n    ADD CONSTRAINT {q} {constraint} USING INDEX {new}"),
        )
    } else {
        (
            q.clone(),
            format!(
                "turn {q} into the {constraint} constraint (a brief ACCESS EXCLUSIVE lock, no scan)"
            ),
            format!("ADD CONSTRAINT {q} {constraint} USING INDEX {q}"),
        )
    };
    vec![
        Step::sql(
            format!("build the unique index {index} without blocking writes"),
            format!(
                "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {t} ({}){include}{nulls};",
                columns(cols)
            ),
        )
        .outside_transaction(),
        Step::sql(
            attach_title,
            format!("{}ALTER TABLE {t} {attach};", lock_timeout_sql()),
        ),
    ]
}

/// `SET NOT NULL` without a long scan under ACCESS EXCLUSIVE (PostgreSQL 12+ uses a valid CHECK).
fn set_not_null_steps(table: &QualifiedName, column: &str) -> Vec<Step> {
    let t = table.to_string();
    let c = quote_ident(column);
    let check = quote_ident(&format!("{}_{column}_not_null", table.name));
    vec![
        Step::sql(
            format!("add CHECK ({c} IS NOT NULL) without checking existing rows"),
            format!(
                "{}ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID;",
                lock_timeout_sql()
            ),
        ),
        Step::sql(
            format!("validate {check} while reads and writes go on"),
            format!("ALTER TABLE {t} VALIDATE CONSTRAINT {check};"),
        ),
        Step::sql(
            format!("set {c} NOT NULL using the valid CHECK (no scan), then drop the CHECK"),
            format!(
                "{}ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;\nALTER TABLE {t} DROP CONSTRAINT {check};",
                lock_timeout_sql()
            ),
        ),
    ]
}

/// A new type for the table's single-column primary key `column`, which no foreign key
/// references and which is not an identity column: a copy of the column kept in step by a
/// trigger, backfilled, indexed and made NOT NULL while the table stays in use, then swapped
/// in by one transaction that moves the key, the default and the sequence and renames the two
/// columns, so the application sees the same column name throughout. `None` for any other
/// column, which the general expand-and-contract plan covers.
fn widen_primary_key(
    table: &QualifiedName,
    column: &str,
    type_name: &str,
    value: &str,
    catalog: &Catalog,
) -> Option<Vec<Step>> {
    let current = catalog.table(table)?;
    let key = current.primary_key()?;
    let ConstraintKind::PrimaryKey { columns: keyed, .. } = &key.kind else {
        return None;
    };
    let own = current.column(column)?;
    let referenced = catalog.tables.values().any(|other| {
        other.foreign_keys().any(|(_, fk)| {
            catalog
                .table(&fk.target)
                .is_some_and(|t| t.name == current.name)
        })
    });
    if keyed.len() != 1
        || keyed[0].as_str() != column
        || own.identity.is_some()
        || referenced
        || value == "<value>"
    {
        return None;
    }
    let t = table.to_string();
    let (o, n) = (
        quote_ident(column),
        quote_ident(&replacement_column(column)),
    );
    let old_name = quote_ident(&truncate_identifier(&format!("{column}_old")));
    let sync = quote_ident(&truncate_identifier(&format!(
        "{}_{column}_new_sync",
        table.name
    )));
    let index = quote_ident(&truncate_identifier(&format!(
        "{}_{column}_new_key",
        table.name
    )));
    let pkey = quote_ident(&key.name);
    let sequence = catalog.sequences.values().find(|s| {
        s.owned_by
            .as_ref()
            .is_some_and(|(owner, c)| *owner == current.name && c == column)
    });
    let mut swap = vec![format!(
        "ALTER TABLE {t} DROP CONSTRAINT {pkey},\n    ADD CONSTRAINT {pkey} PRIMARY KEY USING INDEX {index},\n    ALTER COLUMN {o} DROP NOT NULL"
    )];
    // A serial column's default is implicit: the next value of the sequence it owns.
    let default = own.default.as_ref().map(|d| d.text.clone()).or_else(|| {
        sequence.map(|s| format!("nextval({}::regclass)", quote_literal(&s.name.to_string())))
    });
    if let Some(default) = default {
        swap[0].push_str(&format!(
            ",\n    ALTER COLUMN {o} DROP DEFAULT,\n    ALTER COLUMN {n} SET DEFAULT {default}"
        ));
    }
    swap[0].push(';');
    if let Some(sequence) = sequence {
        swap.push(format!(
            "ALTER SEQUENCE {} OWNED BY {t}.{n};",
            sequence.name
        ));
    }
    swap.push(format!(
        "DROP TRIGGER {sync} ON {t};\nDROP FUNCTION {sync}();"
    ));
    swap.push(format!(
        "ALTER TABLE {t} RENAME COLUMN {o} TO {old_name};\nALTER TABLE {t} RENAME COLUMN {n} TO {o};"
    ));
    let mut steps = vec![
        Step::sql(
            format!("add {n} and keep it equal to {o} on every write with a trigger"),
            format!(
                "{}ALTER TABLE {t} ADD COLUMN {n} {type_name};\n\
                 CREATE FUNCTION {sync}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.{n} := NEW.{o}; RETURN NEW; END $$;\n\
                 CREATE TRIGGER {sync} BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION {sync}();",
                lock_timeout_sql()
            ),
        ),
        Step::sql(
            format!("backfill {n} from {o} in batches of {BATCH_ROWS} rows"),
            format!(
                "UPDATE {t} SET {n} = {value} WHERE ctid IN (SELECT ctid FROM {t} WHERE {n} IS NULL LIMIT {BATCH_ROWS});"
            ),
        )
        .repeated(),
        Step::sql(
            format!("build the unique index {index} on {n} without blocking writes"),
            format!("CREATE UNIQUE INDEX CONCURRENTLY {index} ON {t} ({n});"),
        )
        .outside_transaction(),
    ];
    steps.extend(set_not_null_steps(table, &replacement_column(column)));
    steps.push(Step::sql(
        format!(
            "in one transaction, make {n} the primary key with {o}'s default, drop the trigger and give {n} the name {o} (a brief ACCESS EXCLUSIVE lock, no scan)"
        ),
        format!("{}{}", lock_timeout_sql(), swap.join("\n")),
    ));
    steps.push(Step::sql(
        format!("drop the old column, now {old_name}, when nothing reads it"),
        format!(
            "{}ALTER TABLE {t} DROP COLUMN {old_name};",
            lock_timeout_sql()
        ),
    ));
    Some(steps)
}

/// Replace column `old` by `new` of `type_name`, filled from `value` (an expression over the
/// old column): add, dual-write, backfill in batches, switch reads, drop the old column.
fn expand_contract(
    table: &QualifiedName,
    old: &str,
    new: &str,
    type_name: &str,
    value: &str,
) -> Vec<Step> {
    let t = table.to_string();
    let (o, n) = (quote_ident(old), quote_ident(new));
    vec![
        Step::sql(
            format!("add the new column {n}"),
            format!(
                "{}ALTER TABLE {t} ADD COLUMN {n} {type_name};",
                lock_timeout_sql()
            ),
        ),
        Step::sql(
            format!("backfill {n} from {o} in batches of {BATCH_ROWS} rows"),
            format!(
                "UPDATE {t} SET {n} = {value} WHERE ctid IN (SELECT ctid FROM {t} WHERE {n} IS NULL AND {o} IS NOT NULL LIMIT {BATCH_ROWS});"
            ),
        )
        .after_deploy(format!(
            "the application writes both {o} and {n} on every insert and update"
        ))
        .repeated(),
        Step::sql(
            format!("drop the old column {o}"),
            format!("{}ALTER TABLE {t} DROP COLUMN {o};", lock_timeout_sql()),
        )
        .after_deploy(format!(
            "the application reads and writes only {n} (copy any index, constraint or default of {o} to {n} before this step)"
        )),
    ]
}

/// Adding `column` without a long rewrite or a failure on existing rows: a volatile default is
/// added for new rows first and backfilled in batches; a NOT NULL column with no default (which
/// fails on a table with rows) is added nullable and filled with the value the application
/// chooses. NOT NULL comes last, through a valid CHECK from PostgreSQL 12.
fn add_column_rewrite(
    table: &QualifiedName,
    column: &ColumnDef,
    pg_major: u32,
) -> Option<Vec<Step>> {
    let t = table.to_string();
    let c = quote_ident(&column.name);
    let type_name = column.type_name.as_ref()?;
    if column.identity.is_some() || column.generated.is_some() || lockmap::is_serial(type_name) {
        return None;
    }
    let type_name = type_name.display();
    let mut steps = match &column.default {
        Some(default) => vec![
            Step::sql(
                format!("add {c} with no default, then give new rows the default"),
                format!(
                    "{}ALTER TABLE {t} ADD COLUMN {c} {type_name};\nALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {};",
                    lock_timeout_sql(),
                    default.text
                ),
            ),
            Step::sql(
                format!("backfill {c} in batches of {BATCH_ROWS} rows"),
                format!(
                    "UPDATE {t} SET {c} = {} WHERE ctid IN (SELECT ctid FROM {t} WHERE {c} IS NULL LIMIT {BATCH_ROWS});",
                    default.text
                ),
            )
            .repeated(),
        ],
        None if column.not_null => vec![
            Step::sql(
                format!("add {c} without NOT NULL"),
                format!(
                    "{}ALTER TABLE {t} ADD COLUMN {c} {type_name};",
                    lock_timeout_sql()
                ),
            ),
            Step::sql(
                format!(
                    "give the existing rows their {c} in batches of {BATCH_ROWS} rows (write the value in place of <value>)"
                ),
                format!(
                    "UPDATE {t} SET {c} = <value> WHERE ctid IN (SELECT ctid FROM {t} WHERE {c} IS NULL LIMIT {BATCH_ROWS});"
                ),
            )
            .after_deploy(format!("the application writes {c} on every insert"))
            .repeated(),
        ],
        None => return None,
    };
    if column.not_null {
        if pg_major >= 12 {
            steps.extend(set_not_null_steps(table, &column.name));
        } else {
            steps.push(Step::sql(
                format!("set {c} NOT NULL (before PostgreSQL 12 this scans the table under ACCESS EXCLUSIVE)"),
                format!(
                    "{}ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;",
                    lock_timeout_sql()
                ),
            ));
        }
    }
    Some(steps)
}

/// How `create_index_sql` builds the index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    Concurrently,
    /// `ON ONLY` a partitioned parent: an invalid index until every partition has one attached.
    ParentOnly,
}

fn create_index_sql(
    index: &dbwise_syntax::ast::CreateIndex,
    name: Option<&str>,
    table: &str,
    build: Build,
) -> String {
    let mut out = String::from("CREATE ");
    if index.unique {
        out.push_str("UNIQUE ");
    }
    out.push_str("INDEX ");
    if build == Build::Concurrently {
        out.push_str("CONCURRENTLY ");
    }
    if index.if_not_exists {
        out.push_str("IF NOT EXISTS ");
    }
    if let Some(name) = name {
        out.push_str(&quote_ident(name));
        out.push(' ');
    }
    let only = if build == Build::ParentOnly {
        "ONLY "
    } else {
        ""
    };
    out.push_str(&format!("ON {only}{table} USING {} (", index.method));
    let elems: Vec<String> = index
        .elems
        .iter()
        .map(|e| {
            let mut s = match (&e.column, &e.expr) {
                (Some(c), _) => quote_ident(c),
                (None, Some(expr)) => format!("({})", expr.text),
                (None, None) => String::new(),
            };
            if let Some(opclass) = &e.opclass {
                s.push(' ');
                s.push_str(opclass);
            }
            if e.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    out.push_str(&elems.join(", "));
    out.push(')');
    if !index.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", columns(&index.include)));
    }
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {}", predicate.text));
    }
    out
}

/// A partitioned table cannot be indexed concurrently: an invalid parent index `ON ONLY` the
/// table, each partition's index built concurrently, then attached to the parent (which turns
/// valid once every partition has one).
fn partitioned_index_steps(
    index: &dbwise_syntax::ast::CreateIndex,
    catalog: &Catalog,
) -> Vec<Step> {
    let parent = catalog
        .resolve(&catalog.tables, &index.table)
        .unwrap_or_else(|| catalog.creation_name(&index.table));
    let name = index.name.clone().unwrap_or_else(|| {
        let mut parts = vec![parent.name.to_string()];
        parts.extend(
            index
                .elems
                .iter()
                .filter_map(|e| e.column.as_deref().map(str::to_owned)),
        );
        parts.push("idx".to_owned());
        parts.join("_")
    });
    let partitions: Vec<&ObjectName> = catalog
        .tables
        .values()
        .filter(|t| t.partition_of.as_ref() == Some(&parent))
        .map(|t| &t.name)
        .collect();
    let mut steps = vec![Step::sql(
        format!(
            "create {} on the parent only (invalid until every partition has its index)",
            quote_ident(&name)
        ),
        format!(
            "{};",
            create_index_sql(
                index,
                Some(&name),
                &index.table.to_string(),
                Build::ParentOnly
            )
        ),
    )];
    let mut attach = Vec::new();
    for partition in partitions {
        let part_index = format!("{}_{name}", partition.name);
        steps.push(
            Step::sql(
                format!("build the index of partition {partition} without blocking writes"),
                format!(
                    "{};",
                    create_index_sql(
                        index,
                        Some(&part_index),
                        &partition.to_string(),
                        Build::Concurrently
                    )
                ),
            )
            .outside_transaction(),
        );
        attach.push(format!(
            "ALTER INDEX {} ATTACH PARTITION {};",
            quote_ident(&name),
            quote_ident(&part_index)
        ));
    }
    if !attach.is_empty() {
        steps.push(Step::sql(
            format!("attach the partitions' indexes to {}", quote_ident(&name)),
            attach.join("\n"),
        ));
    }
    steps
}

/// The help text of a rule: the steps, numbered, with their SQL and deploy points.
pub fn help_text(steps: &[Step]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut line = format!("{}. ", i + 1);
            if let Some(change) = &step.deploy_first {
                line.push_str(&format!("[deploy first: {change}] "));
            }
            line.push_str(&step.title);
            if step.no_transaction {
                line.push_str(" (a migration of its own, run outside a transaction)");
            }
            if step.repeat {
                line.push_str(" (repeat until it updates 0 rows)");
            }
            line.push_str(": ");
            line.push_str(&step.sql.replace('\n', " "));
            line
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A whole migration planned as ordered steps.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
}

/// One statement of a migration, as [`walk`] sees it after replaying what came before it.
#[derive(Debug)]
pub struct Walked<'f> {
    pub statement: &'f Statement,
    /// The statement's lock-taking operations on relations that existed before the migration,
    /// each with the table whose lock other sessions meet.
    pub operations: Vec<(Operation, ObjectName)>,
    /// The safe multi-step rewrite of the statement, when it needs one and there is one.
    pub rewrite: Option<Vec<Step>>,
}

/// The statements of `file` after replaying `history` (the migrations before it), without its
/// transaction control and `lock_timeout` settings (a plan and an impact set their own), each
/// with its operations and its rewrite; and the catalog after the whole file.
pub fn walk<'f>(
    history: &[ParsedFile],
    file: &'f ParsedFile,
    pg_major: u32,
) -> (Vec<Walked<'f>>, Catalog) {
    let mut catalog = Catalog::new();
    let mut statement_number = 0;
    for (index, parsed) in history.iter().enumerate() {
        for statement in &parsed.statements {
            catalog.apply(
                &statement.stmt,
                &Origin::new(
                    parsed.source.clone(),
                    statement.span,
                    Some(index),
                    statement_number,
                ),
            );
            statement_number += 1;
        }
    }
    let unit = UnitInfo {
        index: history.len(),
        framework: None,
        transaction: dbwise_catalog::migrations::TransactionMode::Wrapped,
        scratch: false,
        day: None,
    };
    let mut walked = Vec::new();
    let mut utc_session = false;
    for statement in &file.statements {
        if let Stmt::Set { name, value, .. } = &statement.stmt
            && name == "timezone"
        {
            utc_session = value.as_deref().is_some_and(lockmap::is_utc);
        }
        if matches!(
            statement.stmt,
            Stmt::Transaction(TransactionKind::Begin | TransactionKind::Commit)
        ) || matches!(&statement.stmt, Stmt::Set { name, .. } if name == "lock_timeout")
        {
            continue;
        }
        let all = lockmap::operations(statement, &catalog, pg_major, utc_session);
        // Several operations are planned together only as the sub-commands of one
        // ALTER TABLE (whose rewrite is the whole statement's plan).
        let plannable = all.len() == 1 || matches!(statement.stmt, Stmt::AlterTable(_));
        let mut operations = Vec::new();
        let mut rewritten = None;
        for op in all {
            let Some(table) = op
                .locked_table(&catalog)
                .filter(|t| existing_key(&catalog, &unit, t))
            else {
                continue;
            };
            if plannable && rewritten.is_none() {
                rewritten = rewrite(
                    &file.source,
                    statement,
                    &op,
                    &catalog,
                    pg_major,
                    utc_session,
                );
            }
            operations.push((op, table));
        }
        catalog.apply(
            &statement.stmt,
            &Origin::new(
                file.source.clone(),
                statement.span,
                Some(unit.index),
                statement_number,
            ),
        );
        statement_number += 1;
        walked.push(Walked {
            statement,
            operations,
            rewrite: rewritten,
        });
    }
    (walked, catalog)
}

/// Plan `file` after replaying `history` (the migrations before it).
pub fn plan_file(history: &[ParsedFile], file: &ParsedFile, pg_major: u32) -> Plan {
    let mut steps: Vec<Step> = Vec::new();
    let mut current = String::new();
    let mut current_strong = false;
    let flush = |steps: &mut Vec<Step>, current: &mut String, strong: &mut bool| {
        if !current.trim().is_empty() {
            let prefix = if *strong {
                lock_timeout_sql()
            } else {
                String::new()
            };
            steps.push(Step::sql(
                "statements that are safe as written",
                format!("{prefix}{}", current.trim_end()),
            ));
        }
        current.clear();
        *strong = false;
    };
    for walked in walk(history, file, pg_major).0 {
        match walked.rewrite {
            Some(rewrite) => {
                flush(&mut steps, &mut current, &mut current_strong);
                steps.extend(rewrite);
            }
            None => {
                current_strong |= walked.operations.iter().any(|(op, _)| {
                    op.effect
                        .as_ref()
                        .and_then(|e| e.strongest())
                        .is_some_and(|l| matches!(l, LockLevel::AccessExclusive | LockLevel::Share))
                });
                current.push_str(file.source.slice(walked.statement.span).trim());
                current.push_str(";\n");
            }
        }
    }
    flush(&mut steps, &mut current, &mut current_strong);
    Plan { steps }
}

/// How a step that must run outside a transaction block becomes a migration of `framework`.
pub fn outside_transaction_hint(framework: Option<Framework>) -> &'static str {
    match framework {
        Some(Framework::Diesel) => {
            "a migration of its own with run_in_transaction = false in its metadata.toml"
        }
        Some(Framework::Flyway) => {
            "a migration of its own with executeInTransaction=false in its .conf file"
        }
        Some(Framework::Sqlx) => "a migration of its own whose first line is -- no-transaction",
        Some(Framework::Prisma) => {
            "a migration.sql holding only this statement (Prisma sends the file as one script)"
        }
        Some(Framework::GolangMigrate) => {
            "a migration file holding only this statement (golang-migrate sends the file as one query)"
        }
        Some(Framework::Goose) => "a migration of its own marked -- +goose NO TRANSACTION",
        Some(Framework::Atlas) => {
            "a migration file of its own whose first line is -- atlas:txmode none"
        }
        Some(Framework::Dbmate) => {
            "a migration of its own whose up marker reads -- migrate:up transaction:false"
        }
        Some(Framework::Sqitch) => {
            "a change of its own whose deploy script has no BEGIN and COMMIT"
        }
        Some(Framework::Tern) => {
            "a migration of its own whose first line is ---- tern: disable-tx ----"
        }
        Some(Framework::SqlMigrate) => {
            "a migration of its own whose up marker reads -- +migrate Up notransaction"
        }
        Some(Framework::Liquibase) => "a changeset of its own marked runInTransaction:false",
        Some(Framework::Drizzle) => {
            "a script run after drizzle's migrator, which runs every pending file in one transaction"
        }
        Some(Framework::Extension) => {
            "a step of its own, run by hand after ALTER EXTENSION ... UPDATE: an extension script always runs inside that command's transaction"
        }
        Some(Framework::Plain) | None => {
            "a migration of its own with the framework's no-transaction option"
        }
    }
}
