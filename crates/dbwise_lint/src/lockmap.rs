//! The one place that maps an analysed statement to the lock model's [`DdlForm`]s.
//!
//! Migration rules never restate lock levels, rewrites or scans: they read the [`LockEffect`]
//! of the operations computed here, once per statement, by the driver.

use dbwise_catalog::{Catalog, ObjectName};
use dbwise_diagnostics::Span;
use dbwise_locks::{ColumnDefault, ConstraintKind as Kind, DdlForm, Generated, LockEffect};
use dbwise_syntax::Statement;
use dbwise_syntax::ast::{
    AlterTableAction, ColumnDef, ConstraintKind, ObjectKind, QualifiedName, RelationKind, Stmt,
    TypeSpec, Volatility, quote_ident,
};

/// One lock-taking operation of a statement: an `ALTER TABLE` with three sub-commands gives
/// three.
#[derive(Debug, Clone)]
pub struct Operation {
    pub form: DdlForm,
    /// The relation the statement names: the altered table, the dropped index, the refreshed
    /// view, the enum type; for `CREATE TABLE ... REFERENCES` the referenced table.
    pub target: QualifiedName,
    /// The sub-command (or the whole statement) the operation comes from.
    pub span: Span,
    /// The position of the `ALTER TABLE` sub-command the operation comes from.
    pub cmd: Option<usize>,
    /// What the form does on the configured PostgreSQL version; `None` when the model has no
    /// row for that version (the statement does not exist there).
    pub effect: Option<LockEffect>,
}

impl Operation {
    /// The relation whose lock matters to other sessions: the table (or materialized view)
    /// itself, or the table of a named index. `None` for enum types and for indexes the history
    /// does not know.
    pub fn locked_table(&self, catalog: &Catalog) -> Option<ObjectName> {
        match self.form {
            DdlForm::DropIndex { .. } | DdlForm::Reindex { .. } | DdlForm::RenameIndex => catalog
                .resolve(&catalog.indexes, &self.target)
                .and_then(|i| catalog.indexes.get(&i))
                .map(|i| i.table.clone())
                .or_else(|| {
                    matches!(self.form, DdlForm::Reindex { .. })
                        .then(|| catalog.resolve(&catalog.tables, &self.target))
                        .flatten()
                }),
            DdlForm::RefreshMatView { .. } => Some(
                catalog
                    .resolve(&catalog.views, &self.target)
                    .unwrap_or_else(|| catalog.creation_name(&self.target)),
            ),
            DdlForm::AlterTypeAddValue => None,
            _ => Some(
                catalog
                    .resolve(&catalog.tables, &self.target)
                    .unwrap_or_else(|| catalog.creation_name(&self.target)),
            ),
        }
    }
}

/// The built-in functions of PostgreSQL 15 whose every overload is IMMUTABLE or STABLE, one name
/// per line in byte order: `SELECT proname FROM pg_proc WHERE prokind = 'f' GROUP BY proname
/// HAVING bool_and(provolatile <> 'v') ORDER BY proname COLLATE "C"`. The test
/// `the_built_in_non_volatile_functions_are_those_of_the_server` compares it with a server.
pub const NON_VOLATILE_BUILTINS: &str = include_str!("non_volatile_functions.txt");

/// Whether a column default calling `function` (lower-case, unqualified) may give each row its
/// own value, so that adding the column rewrites the table. A function is volatile unless the
/// replayed migrations declare every function of that name IMMUTABLE or STABLE, or, for one
/// they do not create, it is a built-in that is: PostgreSQL makes a function VOLATILE unless
/// told otherwise, and a safety rule must not guess the safe answer (an extension's function,
/// or one newer than PostgreSQL 15 such as `uuidv7()`, counts as volatile).
fn is_volatile(function: &str, catalog: &Catalog) -> bool {
    static BUILTINS: std::sync::LazyLock<Vec<&str>> =
        std::sync::LazyLock::new(|| NON_VOLATILE_BUILTINS.lines().collect());
    match catalog.functions.get(function) {
        Some(declared) => *declared == Volatility::Volatile,
        None => {
            !SQL_KEYWORD_FUNCTIONS.contains(&function) && BUILTINS.binary_search(&function).is_err()
        }
    }
}

/// The SQL forms that the front-end records among an expression's function calls but that are
/// keywords, not functions of `pg_proc`; all are stable or immutable.
const SQL_KEYWORD_FUNCTIONS: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "current_role",
    "current_user",
    "user",
    "session_user",
    "current_catalog",
    "current_schema",
    "coalesce",
    "greatest",
    "least",
];

/// Whether the replayed catalog has an index of the name a `CREATE INDEX` gives, in its
/// table's schema.
fn index_exists(index: &dbwise_syntax::ast::CreateIndex, catalog: &Catalog) -> bool {
    let Some(name) = &index.name else {
        return false;
    };
    let table = catalog
        .resolve(&catalog.tables, &index.table)
        .unwrap_or_else(|| catalog.creation_name(&index.table));
    catalog
        .indexes
        .contains_key(&ObjectName::new(&table.schema, name))
}

/// The operations of `statement`, with the catalog as it stands just before it.
pub fn operations(
    statement: &Statement,
    catalog: &Catalog,
    pg_major: u32,
    utc_session: bool,
) -> Vec<Operation> {
    let mut out = Vec::new();
    let mut push = |form: DdlForm, target: &QualifiedName, span: Span, cmd: Option<usize>| {
        out.push(Operation {
            form,
            target: target.clone(),
            span,
            cmd,
            effect: dbwise_locks::effect(&form, pg_major).ok(),
        });
    };
    let span = statement.span;
    match &statement.stmt {
        // ALTER TABLE IF EXISTS of a table the replayed history never created: as far as
        // anyone can tell, a no-op (`pg_dump --clean --if-exists` output starts with these).
        Stmt::AlterTable(alter) if alter.if_exists && catalog.table(&alter.name).is_none() => {}
        Stmt::AlterTable(alter) if matches!(alter.kind, RelationKind::Table) => {
            for (i, cmd) in alter.cmds.iter().enumerate() {
                // ADD COLUMN IF NOT EXISTS of a column the table has changes nothing.
                if let AlterTableAction::AddColumn {
                    column,
                    if_not_exists: true,
                } = &cmd.action
                    && catalog
                        .table(&alter.name)
                        .is_some_and(|t| t.column(&column.name).is_some())
                {
                    continue;
                }
                if let Some(form) = alter_form(&cmd.action, &alter.name, catalog, utc_session) {
                    push(form, &alter.name, cmd.span, Some(i));
                }
                // An inline UNIQUE or PRIMARY KEY of a new column builds its index in the same
                // ALTER TABLE, as ADD CONSTRAINT would.
                if let AlterTableAction::AddColumn { column, .. } = &cmd.action {
                    for constraint in &column.constraints {
                        if matches!(
                            constraint.kind,
                            ConstraintKind::Unique { .. } | ConstraintKind::PrimaryKey { .. }
                        ) {
                            let form = DdlForm::AddConstraint {
                                kind: constraint_kind(&constraint.kind),
                                not_valid: false,
                                using_index: false,
                            };
                            push(form, &alter.name, cmd.span, Some(i));
                        }
                    }
                }
            }
        }
        // IF NOT EXISTS with an index of that name already there builds nothing.
        Stmt::CreateIndex(index) if index.if_not_exists && index_exists(index, catalog) => {}
        Stmt::CreateIndex(index) => push(
            DdlForm::CreateIndex {
                concurrently: index.concurrently,
            },
            &index.table,
            span,
            None,
        ),
        Stmt::Drop(drop) => {
            let form = match drop.kind {
                ObjectKind::Index => DdlForm::DropIndex {
                    concurrently: drop.concurrently,
                },
                ObjectKind::Table => DdlForm::DropTable,
                _ => return out,
            };
            for name in &drop.names {
                // DROP ... IF EXISTS of something the replayed history never created is, as far
                // as anyone can tell, a no-op (the reset at the top of a schema file).
                let known = match drop.kind {
                    ObjectKind::Index => catalog.resolve(&catalog.indexes, name).is_some(),
                    _ => catalog.resolve(&catalog.tables, name).is_some(),
                };
                if drop.if_exists && !known {
                    continue;
                }
                push(form, name, span, None);
            }
        }
        Stmt::Rename(rename) => {
            let form = match rename.kind {
                ObjectKind::Column => DdlForm::RenameColumn,
                ObjectKind::Table => DdlForm::RenameTable,
                ObjectKind::Index => DdlForm::RenameIndex,
                _ => return out,
            };
            push(form, &rename.target, span, None);
        }
        Stmt::Reindex {
            concurrently,
            target: Some(target),
            ..
        } => push(
            DdlForm::Reindex {
                concurrently: *concurrently,
            },
            target,
            span,
            None,
        ),
        Stmt::Vacuum {
            full: true, tables, ..
        } => {
            for table in tables {
                push(DdlForm::VacuumFull, table, span, None);
            }
        }
        Stmt::Cluster { table: Some(table) } => push(DdlForm::Cluster, table, span, None),
        Stmt::Truncate { tables, .. } => {
            for table in tables {
                push(DdlForm::Truncate, table, span, None);
            }
        }
        Stmt::RefreshMaterializedView { name, concurrently } => push(
            DdlForm::RefreshMatView {
                concurrently: *concurrently,
            },
            name,
            span,
            None,
        ),
        Stmt::AlterEnumAddValue { name, .. } => push(DdlForm::AlterTypeAddValue, name, span, None),
        Stmt::CreateTrigger { table } => push(DdlForm::CreateTrigger, table, span, None),
        Stmt::CreateTable(create) => {
            let references = create
                .constraints
                .iter()
                .chain(create.columns.iter().flat_map(|c| &c.constraints))
                .filter_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey(fk) => Some(&fk.target),
                    _ => None,
                });
            for target in references {
                push(DdlForm::CreateTableWithForeignKey, target, span, None);
            }
        }
        _ => {}
    }
    out
}

fn alter_form(
    action: &AlterTableAction,
    table: &QualifiedName,
    catalog: &Catalog,
    utc_session: bool,
) -> Option<DdlForm> {
    use AlterTableAction as A;
    Some(match action {
        A::AddColumn { column, .. } => add_column_form(column, catalog),
        A::DropColumn { .. } => DdlForm::DropColumn,
        A::AlterColumnType {
            column,
            type_name,
            using,
        } => DdlForm::AlterColumnType {
            // A USING that computes anything but the column itself rewrites every row.
            binary_coercible: using.as_ref().is_none_or(|u| {
                let u = u.text.trim();
                u == column || u == quote_ident(column)
            }) && catalog
                .table(table)
                .and_then(|t| t.column(column))
                .and_then(|c| c.type_name.as_ref())
                .is_some_and(|old| binary_coercible(old, type_name, utc_session)),
        },
        A::SetDefault { .. } | A::DropDefault { .. } => DdlForm::AlterColumnDefault,
        A::SetNotNull { column } => DdlForm::SetNotNull {
            has_valid_check: has_valid_not_null_check(catalog, table, column),
        },
        A::DropNotNull { .. } => DdlForm::DropNotNull,
        A::AddConstraint(constraint) => DdlForm::AddConstraint {
            kind: constraint_kind(&constraint.kind),
            not_valid: constraint.not_valid,
            using_index: matches!(
                &constraint.kind,
                ConstraintKind::PrimaryKey {
                    using_index: Some(_),
                    ..
                } | ConstraintKind::Unique {
                    using_index: Some(_),
                    ..
                }
            ),
        },
        A::DropConstraint { name, .. } => DdlForm::DropConstraint {
            kind: known_constraint(catalog, table, name).unwrap_or(Kind::Check),
        },
        A::ValidateConstraint { name } => DdlForm::ValidateConstraint {
            kind: known_constraint(catalog, table, name).unwrap_or(Kind::Check),
        },
        A::AttachPartition { .. } => DdlForm::AttachPartition,
        A::DetachPartition { concurrently, .. } => DdlForm::DetachPartition {
            concurrently: *concurrently,
        },
        A::Other("AT_SetStatistics") => DdlForm::SetStatistics,
        A::Other(
            "AT_EnableTrig"
            | "AT_EnableAlwaysTrig"
            | "AT_EnableReplicaTrig"
            | "AT_DisableTrig"
            | "AT_EnableTrigAll"
            | "AT_DisableTrigAll"
            | "AT_EnableTrigUser"
            | "AT_DisableTrigUser",
        ) => DdlForm::EnableDisableTrigger,
        _ => return None,
    })
}

/// Whether the type is one of the `serial` pseudo-types, which create and own a sequence.
pub fn is_serial(type_name: &TypeSpec) -> bool {
    matches!(
        type_name.name.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
    )
}

/// The lock-model form of `ADD COLUMN` with this definition.
pub fn add_column_form(column: &ColumnDef, catalog: &Catalog) -> DdlForm {
    let serial = column.type_name.as_deref().is_some_and(is_serial);
    let default = match &column.default {
        _ if serial || column.identity.is_some() => ColumnDefault::Volatile,
        Some(expr) if expr.functions.iter().any(|f| is_volatile(f, catalog)) => {
            ColumnDefault::Volatile
        }
        Some(expr) if expr.text.trim().eq_ignore_ascii_case("null") => ColumnDefault::None,
        Some(_) => ColumnDefault::Constant,
        None => ColumnDefault::None,
    };
    let not_null = column.not_null
        || column
            .constraints
            .iter()
            .any(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }));
    DdlForm::AddColumn {
        default,
        not_null,
        generated: column.generated.as_ref().map(|_| Generated::Stored),
        references: column
            .constraints
            .iter()
            .any(|c| matches!(c.kind, ConstraintKind::ForeignKey(_))),
    }
}

pub fn constraint_kind(kind: &ConstraintKind) -> Kind {
    match kind {
        ConstraintKind::PrimaryKey { .. } => Kind::PrimaryKey,
        ConstraintKind::Unique { .. } => Kind::Unique,
        ConstraintKind::ForeignKey(_) => Kind::ForeignKey,
        ConstraintKind::Check { .. } => Kind::Check,
        ConstraintKind::Exclude { .. } => Kind::Exclusion,
        ConstraintKind::NotNull { .. } => Kind::NotNull,
    }
}

fn known_constraint(catalog: &Catalog, table: &QualifiedName, name: &str) -> Option<Kind> {
    catalog
        .table(table)?
        .constraints
        .iter()
        .find(|c| c.name == name)
        .map(|c| constraint_kind(&c.kind))
}

/// A validated `CHECK (column IS NOT NULL)` lets `SET NOT NULL` skip its scan (PostgreSQL 12+).
fn has_valid_not_null_check(catalog: &Catalog, table: &QualifiedName, column: &str) -> bool {
    let wanted = format!("{column} is not null");
    catalog.table(table).is_some_and(|t| {
        t.constraints.iter().any(|c| {
            c.validated
                && matches!(&c.kind, ConstraintKind::Check { expr }
                    if expr.text.trim_matches(|ch| ch == '(' || ch == ')').trim().to_ascii_lowercase().replace('"', "") == wanted)
        })
    })
}

/// Whether changing a column from `old` to `new` keeps the stored bytes (no rewrite), per the
/// `ALTER TABLE` notes: widening or dropping a `varchar`/`varbit` length, `varchar` to `text`,
/// raising a `numeric` precision with the same scale, raising or dropping the fractional-second
/// precision of a `timestamp`/`time` type (its support function skips the rewrite), `timestamp`
/// to `timestamptz` and back while the session's time zone is UTC (PostgreSQL 12+; the values
/// read the same there) when the new type's precision is unset or 6, or a cast to the same type.
pub fn binary_coercible(old: &TypeSpec, new: &TypeSpec, utc_session: bool) -> bool {
    if old.array != new.array || old.schema != new.schema {
        return false;
    }
    let widened = |old: &[i64], new: &[i64]| match (old.first(), new.first()) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => b >= a,
    };
    match (old.name.as_str(), new.name.as_str()) {
        ("varchar", "varchar")
        | ("varbit", "varbit")
        | ("timestamp", "timestamp")
        | ("timestamptz", "timestamptz")
        | ("time", "time")
        | ("timetz", "timetz") => widened(&old.modifiers, &new.modifiers),
        // The conversion's result has no known precision, so a precision below the maximum (6)
        // on the new type keeps a rounding step that rewrites every row.
        ("timestamp", "timestamptz") | ("timestamptz", "timestamp") if utc_session => {
            new.modifiers.first().is_none_or(|&p| p >= 6)
        }
        ("varchar" | "text", "text") => true,
        ("text", "varchar") => new.modifiers.is_empty(),
        ("numeric", "numeric") => {
            new.modifiers.is_empty()
                || (old.modifiers.len() == new.modifiers.len()
                    && old.modifiers.get(1) == new.modifiers.get(1)
                    && widened(&old.modifiers, &new.modifiers))
        }
        (a, b) => a == b && old.modifiers == new.modifiers,
    }
}

/// A `SET TIME ZONE` value that names a zone with no offset from UTC, ever.
pub fn is_utc(value: &str) -> bool {
    let zone = value.trim().trim_matches('\'').to_ascii_lowercase();
    let zone = zone.strip_prefix("etc/").unwrap_or(&zone);
    matches!(
        zone,
        "utc" | "uct" | "gmt" | "zulu" | "universal" | "greenwich" | "gmt0" | "gmt+0" | "gmt-0"
    )
}

#[cfg(test)]
mod tests {
    use dbwise_diagnostics::SourceFile;

    use super::*;

    fn type_of(sql_type: &str) -> dbwise_syntax::ast::TypeName {
        let parsed = dbwise_syntax::parse(&SourceFile::new(
            "t.sql",
            format!("CREATE TABLE t (c {sql_type});"),
        ));
        match &parsed.statements[0].stmt {
            Stmt::CreateTable(t) => t.columns[0].type_name.clone().unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn ops(history: &str, sql: &str) -> Vec<Operation> {
        let mut catalog = Catalog::new();
        let before = dbwise_syntax::parse(&SourceFile::new("a.sql", history));
        for (i, s) in before.statements.iter().enumerate() {
            catalog.apply(
                &s.stmt,
                &dbwise_catalog::Origin::new(before.source.clone(), s.span, Some(0), i),
            );
        }
        let parsed = dbwise_syntax::parse(&SourceFile::new("b.sql", sql));
        operations(&parsed.statements[0], &catalog, 15, false)
    }

    #[test]
    fn widening_keeps_the_stored_bytes_and_narrowing_does_not() {
        let coercible = |a: &str, b: &str| binary_coercible(&type_of(a), &type_of(b), false);
        assert!(coercible("varchar(10)", "varchar(20)"));
        assert!(coercible("varchar(10)", "text"));
        assert!(coercible("varchar(10)", "varchar"));
        assert!(coercible("numeric(10,2)", "numeric(12,2)"));
        assert!(coercible("numeric(10,2)", "numeric"));
        assert!(!coercible("varchar(20)", "varchar(10)"));
        assert!(coercible("timestamp(3)", "timestamp"));
        assert!(coercible("timestamp(3) with time zone", "timestamptz(6)"));
        assert!(!coercible("timestamp(6)", "timestamp(3)"));
        assert!(!coercible("timestamp(3)", "timestamptz(3)"));
        let in_utc = |a: &str, b: &str| binary_coercible(&type_of(a), &type_of(b), true);
        // Checked on PostgreSQL 15 with pg_relation_filenode before and after.
        assert!(in_utc("timestamp(3)", "timestamptz"));
        assert!(in_utc("timestamp", "timestamptz(6)"));
        assert!(in_utc("timestamptz", "timestamp"));
        assert!(!in_utc("timestamp(3)", "timestamptz(3)"));
        assert!(!in_utc("timestamptz(6)", "timestamp(3)"));
        assert!(is_utc("'UTC'") && is_utc("'Etc/UTC'") && is_utc("GMT"));
        assert!(!is_utc("'Europe/London'") && !is_utc("'America/New_York'"));
        assert!(!coercible("numeric(10,2)", "numeric(12,3)"));
        assert!(!coercible("integer", "bigint"));
        assert!(!coercible("text", "varchar(5)"));
    }

    #[test]
    fn column_defaults_are_classified_by_volatility() {
        let form = |sql: &str| ops("CREATE TABLE t (id int);", sql)[0].form;
        let default_of = |sql: &str| match form(sql) {
            DdlForm::AddColumn { default, .. } => default,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            default_of("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();"),
            ColumnDefault::Volatile
        );
        assert_eq!(
            default_of("ALTER TABLE t ADD COLUMN n bigserial;"),
            ColumnDefault::Volatile
        );
        assert_eq!(
            default_of("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();"),
            ColumnDefault::Constant
        );
        assert_eq!(
            default_of("ALTER TABLE t ADD COLUMN c text DEFAULT NULL;"),
            ColumnDefault::None
        );
        for constant in [
            "text DEFAULT lower('A') || 'b'",
            "timestamptz DEFAULT CURRENT_TIMESTAMP",
            "text DEFAULT COALESCE(NULL, current_user)",
        ] {
            let sql = format!("ALTER TABLE t ADD COLUMN c {constant};");
            assert_eq!(default_of(&sql), ColumnDefault::Constant, "{sql}");
        }
        // Functions dbwise has not seen declared are volatile: PostgreSQL 18's uuidv7(), an
        // extension's, one created without a volatility.
        for sql in [
            "ALTER TABLE t ADD COLUMN u uuid DEFAULT uuidv7();",
            "ALTER TABLE t ADD COLUMN u uuid DEFAULT uuid_generate_v7();",
        ] {
            assert_eq!(default_of(sql), ColumnDefault::Volatile, "{sql}");
        }
        let with_function_calling = |function: &str, call: &str| {
            let history = format!("CREATE TABLE t (id int);\n{function}");
            let sql = format!("ALTER TABLE t ADD COLUMN c text DEFAULT {call};");
            match ops(&history, &sql)[0].form {
                DdlForm::AddColumn { default, .. } => default,
                other => panic!("{other:?}"),
            }
        };
        let with_function = |function: &str| with_function_calling(function, "next_code()");
        let body = "RETURNS int LANGUAGE sql AS 'SELECT 1'";
        assert_eq!(
            with_function(&format!("CREATE FUNCTION next_code() {body};")),
            ColumnDefault::Volatile
        );
        assert_eq!(
            with_function(&format!("CREATE FUNCTION next_code() {body} STABLE;")),
            ColumnDefault::Constant
        );
        // One volatile function of the name is enough.
        assert_eq!(
            with_function(&format!(
                "CREATE FUNCTION next_code() {body} IMMUTABLE;\nCREATE FUNCTION next_code(int) {body};"
            )),
            ColumnDefault::Volatile
        );
        // A user's function shadows the built-in of the same name.
        assert_eq!(
            with_function_calling(&format!("CREATE FUNCTION lower() {body};"), "lower()"),
            ColumnDefault::Volatile
        );
    }

    #[test]
    fn type_changes_use_the_current_column_type() {
        let history = "CREATE TABLE t (a varchar(10), b integer);";
        let rewrites = |sql: &str| ops(history, sql)[0].effect.as_ref().unwrap().rewrites;
        assert!(!rewrites("ALTER TABLE t ALTER COLUMN a TYPE text;"));
        assert!(rewrites("ALTER TABLE t ALTER COLUMN b TYPE text;"));
        assert!(rewrites(
            "ALTER TABLE t ALTER COLUMN a TYPE text USING lower(a);"
        ));
        assert!(!rewrites("ALTER TABLE t ALTER COLUMN a TYPE text USING a;"));
    }

    #[test]
    fn set_not_null_skips_the_scan_with_a_valid_check() {
        let scans = |history: &str| {
            ops(history, "ALTER TABLE t ALTER COLUMN a SET NOT NULL;")[0]
                .effect
                .as_ref()
                .unwrap()
                .scans
        };
        assert!(scans("CREATE TABLE t (a int);"));
        assert!(!scans(
            "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL);"
        ));
        assert!(scans(
            "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;"
        ));
    }

    #[test]
    fn every_alter_table_sub_command_is_its_own_operation() {
        let found = ops(
            "CREATE TABLE t (a int, b int);",
            "ALTER TABLE t DROP COLUMN a, ALTER COLUMN b SET NOT NULL;",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].form, DdlForm::DropColumn);
        assert_eq!(found[1].cmd, Some(1));
    }

    #[test]
    fn statistics_and_trigger_switches_have_their_lock_forms() {
        let history = "CREATE TABLE t (a int);";
        let form = |sql: &str| ops(history, sql)[0].form;
        assert_eq!(
            form("ALTER TABLE t ALTER COLUMN a SET STATISTICS 500;"),
            DdlForm::SetStatistics
        );
        assert_eq!(
            form("ALTER TABLE t DISABLE TRIGGER ALL;"),
            DdlForm::EnableDisableTrigger
        );
        assert_eq!(
            form("ALTER TABLE t ENABLE REPLICA TRIGGER audit;"),
            DdlForm::EnableDisableTrigger
        );
    }
}
