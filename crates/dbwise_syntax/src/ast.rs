//! dbwise's own statement model: the parts of PostgreSQL DDL and DML that the catalog replay
//! and the rules reason about. Lowered from libpg_query's tree in `lower.rs`; anything we do
//! not model is `Stmt::Other` with its node kind, so nothing is silently dropped.

use std::sync::Arc;

use dbwise_diagnostics::Span;

/// A possibly schema-qualified object name, as written (unquoted names are folded to lower case
/// by the parser already).
/// An identifier kept for the whole run (in the catalog, and in type names): held inline up to
/// 24 bytes, as most are, since a schema dump names each object several times.
pub type Identifier = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        QualifiedName {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        }
    }
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{}.{}", quote_ident(schema), quote_ident(&self.name)),
            None => f.write_str(&quote_ident(&self.name)),
        }
    }
}

/// Quote an identifier the way PostgreSQL needs it to round-trip.
/// `text` as a SQL string literal.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

pub fn quote_ident(name: &str) -> String {
    let bytes = name.as_bytes();
    let plain = bytes
        .first()
        .is_some_and(|&b| b.is_ascii_lowercase() || b == b'_')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !crate::keywords::is_reserved(name);
    if plain {
        return name.to_owned();
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for c in name.chars() {
        if c == '"' {
            quoted.push('"');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Something written at one place: what it says (read through this value) and where it is.
/// What it says is shared between the places that say the same (see `Catalog`, which keeps one
/// copy of each type spelling and column default): a schema dump writes the same few on every
/// table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<T> {
    pub spec: Arc<T>,
    pub span: Span,
}

impl<T> std::ops::Deref for Placed<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.spec
    }
}

/// A type as written.
pub type TypeName = Placed<TypeSpec>;

/// A type's spelling: its name parts (`pg_catalog.int4`), modifiers and array dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeSpec {
    /// Name parts; `pg_catalog` is stripped, so `int4`, `varchar`, `public.mood`.
    pub name: Identifier,
    pub schema: Option<String>,
    pub modifiers: Vec<i64>,
    pub array: bool,
}

impl TypeSpec {
    pub fn display(&self) -> String {
        let base = match self.name.as_str() {
            "int2" => "smallint",
            "int4" => "integer",
            "int8" => "bigint",
            "float4" => "real",
            "float8" => "double precision",
            "bool" => "boolean",
            "varchar" => "character varying",
            "bpchar" => "character",
            "timestamptz" => "timestamp with time zone",
            "timestamp" => "timestamp without time zone",
            "timetz" => "time with time zone",
            "time" => "time without time zone",
            other => other,
        };
        let mods = self.significant_modifiers();
        let list = if mods.is_empty() {
            String::new()
        } else {
            format!(
                "({})",
                mods.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        // Precision goes after the first word of `timestamp(3) with time zone` and `time(0) ...`.
        let base = match base.split_once(' ') {
            Some((first, rest)) if !list.is_empty() && base.contains("time zone") => {
                format!("{first}{list} {rest}")
            }
            _ => format!("{base}{list}"),
        };
        let mut out = match &self.schema {
            Some(schema) => format!("{schema}.{base}"),
            None => base,
        };
        if self.array {
            out.push_str("[]");
        }
        out
    }

    /// Modifiers other than the implicit ones the grammar adds (`interval` field masks).
    pub fn significant_modifiers(&self) -> &[i64] {
        if self.name == "interval" {
            &[]
        } else {
            &self.modifiers
        }
    }
}

/// An expression as written.
pub type Expr = Placed<ExprSpec>;

/// An expression kept as its source text plus what the rules ask of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExprSpec {
    pub text: String,
    /// Lower-cased names of the functions it calls, unqualified.
    pub functions: Vec<String>,
    /// True for a constant, possibly cast: `0`, `'x'::text`, `NULL`, `'{}'::jsonb`, `true`.
    pub is_constant: bool,
    /// The string value when the expression is a (possibly cast) string literal.
    pub string_value: Option<String>,
}

/// A function's volatility, least volatile first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Volatility {
    Immutable,
    Stable,
    /// PostgreSQL's default when `CREATE FUNCTION` says nothing.
    Volatile,
}

#[derive(Debug, Clone, PartialEq, Eq, Copy)]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    pub name_span: Span,
    pub type_name: Option<TypeName>,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (...) STORED`.
    pub generated: Option<Box<Expr>>,
    /// Constraints written on the column itself (PRIMARY KEY, UNIQUE, REFERENCES, CHECK).
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<Identifier>,
    pub target: QualifiedName,
    pub target_columns: Vec<Identifier>,
    pub on_delete: char,
    pub on_update: char,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<Identifier>,
        include: Vec<Identifier>,
        using_index: Option<String>,
    },
    Unique {
        columns: Vec<Identifier>,
        include: Vec<Identifier>,
        using_index: Option<String>,
        nulls_not_distinct: bool,
    },
    ForeignKey(ForeignKey),
    Check {
        expr: Expr,
    },
    Exclude {
        columns: Vec<Identifier>,
        method: String,
    },
    NotNull {
        column: Identifier,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub name: Option<String>,
    pub kind: ConstraintKind,
    /// `NOT VALID` was written.
    pub not_valid: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTable {
    pub name: QualifiedName,
    pub name_span: Span,
    pub if_not_exists: bool,
    pub columns: Vec<ColumnDef>,
    pub constraints: Vec<Constraint>,
    /// `PARTITION OF parent`.
    pub partition_of: Option<QualifiedName>,
    /// `PARTITION BY ...` was written: this is a partitioned parent.
    pub partitioned: bool,
    pub inherits: Vec<QualifiedName>,
    /// `LIKE other` sources: columns come from a table we may or may not know.
    pub like: Vec<QualifiedName>,
    pub temporary: bool,
    pub unlogged: bool,
    /// `CREATE TABLE ... AS SELECT` / `SELECT INTO`: columns are not spelled out.
    pub from_query: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterTableAction {
    // The large payloads are boxed: a dump holds hundreds of thousands of sub-commands, and
    // each would otherwise take the size of the largest.
    AddColumn {
        column: Box<ColumnDef>,
        if_not_exists: bool,
    },
    DropColumn {
        name: String,
        if_exists: bool,
        cascade: bool,
    },
    AlterColumnType {
        column: String,
        type_name: Box<TypeName>,
        using: Option<Box<Expr>>,
    },
    SetDefault {
        column: String,
        default: Box<Expr>,
    },
    DropDefault {
        column: String,
    },
    SetNotNull {
        column: String,
    },
    DropNotNull {
        column: String,
    },
    AddConstraint(Box<Constraint>),
    DropConstraint {
        name: String,
        if_exists: bool,
        cascade: bool,
    },
    ValidateConstraint {
        name: String,
    },
    EnableRowLevelSecurity,
    DisableRowLevelSecurity,
    ForceRowLevelSecurity,
    AddIdentity {
        column: String,
        identity: Identity,
    },
    DropIdentity {
        column: String,
    },
    AttachPartition {
        partition: QualifiedName,
    },
    DetachPartition {
        partition: QualifiedName,
        concurrently: bool,
    },
    SetLogged,
    SetUnlogged,
    SetTablespace,
    /// Any other sub-command, named by its libpg_query subtype (e.g. `AtSetStatistics`).
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlterTableCmd {
    pub action: AlterTableAction,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    Table,
    Index,
    View,
    MaterializedView,
    Sequence,
    ForeignTable,
    Type,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlterTable {
    pub name: QualifiedName,
    pub name_span: Span,
    pub kind: RelationKind,
    pub if_exists: bool,
    pub only: bool,
    pub cmds: Vec<AlterTableCmd>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexElem {
    /// The column, when the element is a plain column.
    pub column: Option<Identifier>,
    /// The expression text, when the element is an expression (boxed: most elements are plain
    /// columns, and a schema dump holds hundreds of thousands of index elements).
    pub expr: Option<Box<Expr>>,
    pub opclass: Option<Box<str>>,
    pub descending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateIndex {
    pub name: Option<String>,
    pub table: QualifiedName,
    pub table_span: Span,
    pub unique: bool,
    pub concurrently: bool,
    pub if_not_exists: bool,
    pub method: String,
    pub elems: Vec<IndexElem>,
    pub include: Vec<Identifier>,
    pub predicate: Option<Expr>,
    /// `ON ONLY parent`: an invalid parent index for a partitioned table.
    pub only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    Index,
    View,
    MaterializedView,
    Sequence,
    Schema,
    Type,
    Domain,
    Function,
    Trigger,
    Extension,
    ForeignTable,
    Constraint,
    Column,
    Policy,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drop {
    pub kind: ObjectKind,
    pub names: Vec<QualifiedName>,
    pub if_exists: bool,
    pub cascade: bool,
    pub concurrently: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub kind: ObjectKind,
    /// The renamed object, or for a column / constraint the table that holds it.
    pub target: QualifiedName,
    /// The old column or constraint name.
    pub subname: Option<String>,
    pub new_name: String,
    pub if_exists: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionKind {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    RollbackTo,
    Prepare,
    CommitPrepared,
    RollbackPrepared,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stmt {
    // Boxed for the same reason as the sub-commands: the common statements stay small.
    CreateTable(Box<CreateTable>),
    AlterTable(AlterTable),
    CreateIndex(Box<CreateIndex>),
    Drop(Drop),
    Rename(Rename),
    CreateSchema {
        name: String,
        if_not_exists: bool,
    },
    CreateEnum {
        name: QualifiedName,
        values: Vec<String>,
    },
    AlterEnumAddValue {
        name: QualifiedName,
        value: String,
        if_not_exists: bool,
    },
    AlterEnumRenameValue {
        name: QualifiedName,
        old: String,
        new: String,
    },
    CreateDomain {
        name: QualifiedName,
        base: Option<TypeName>,
        has_check: bool,
    },
    CreateSequence {
        name: QualifiedName,
        if_not_exists: bool,
    },
    AlterSequenceOwnedBy {
        name: QualifiedName,
        owner: Option<(QualifiedName, String)>,
    },
    CreateView {
        name: QualifiedName,
        materialized: bool,
        or_replace: bool,
    },
    RefreshMaterializedView {
        name: QualifiedName,
        concurrently: bool,
    },
    /// `SET name = value` / `SET LOCAL`; `RESET` gives `value: None`.
    Set {
        name: String,
        value: Option<String>,
        local: bool,
    },
    Transaction(TransactionKind),
    Reindex {
        concurrently: bool,
        target: Option<QualifiedName>,
        kind: &'static str,
    },
    Vacuum {
        full: bool,
        analyze_only: bool,
        tables: Vec<QualifiedName>,
    },
    Cluster {
        table: Option<QualifiedName>,
    },
    Truncate {
        tables: Vec<QualifiedName>,
        cascade: bool,
    },
    Update {
        table: QualifiedName,
        has_where: bool,
    },
    Delete {
        table: QualifiedName,
        has_where: bool,
    },
    Insert {
        table: QualifiedName,
    },
    Select,
    CreateExtension {
        name: String,
    },
    CreateFunction {
        name: QualifiedName,
        volatility: Volatility,
    },
    /// `DO`: the static statements of its body follow it in the file's statements.
    Do {
        /// Part of the body could not be followed (dynamic SQL, another language).
        opaque: bool,
    },
    Comment,
    Grant,
    CreateTrigger {
        table: QualifiedName,
    },
    Lock {
        tables: Vec<QualifiedName>,
    },
    Copy {
        table: Option<QualifiedName>,
        from: bool,
    },
    /// A statement dbwise does not model; the libpg_query node name says what it was.
    Other(&'static str),
}
