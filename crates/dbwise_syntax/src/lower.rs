//! Lowering of libpg_query's raw parse tree into dbwise's statement model (`ast.rs`).
//!
//! Safety: every pointer and reference this module hands to the tree's readers (`Tree::str`,
//! `Tree::list`, ...) is a field of a node of the one tree `lower` was given, or a node reached
//! from it, so each `unsafe` block below rests on that one fact. The private helpers that take
//! such pointers (`strings`, `opt_range_var`, `list`, ...) are not marked `unsafe` themselves:
//! they are reachable only from this module, and only with pointers read from that tree.

use dbwise_diagnostics::Span;

use crate::ast::*;
use crate::raw::{
    A_Const, A_Expr_Kind, AlterTableCmd as RawCmd, AlterTableType as At, BoolExprType, ConstrType,
    DropBehavior, List, MinMaxOp, Node, NodeTag, NullTestType, ObjectType, RangeVar as RawRangeVar,
    RawNode, ReindexObjectType, SQLValueFunctionOp as Svf, SortByDir, TransactionStmtKind as Tx,
    Tree, VariableSetKind, enum_name,
};
use crate::tokens::{TokenKind, Tokens};

/// Lower one top-level statement. `text` is the whole file and `base` the byte offset that the
/// tree's locations are relative to.
pub fn lower<'t>(tree: Tree<'t>, node: Node<'t>, text: &str, base: usize) -> Stmt {
    Lowerer {
        t: tree,
        text,
        base,
    }
    .stmt(node)
}

struct Lowerer<'t, 'a> {
    t: Tree<'t>,
    text: &'a str,
    base: usize,
}

/// `[catalog.]schema.name` lists, as in `DROP TYPE a.b` or enum type names.
fn qualified_from_parts(parts: &[String]) -> QualifiedName {
    match parts {
        [] => QualifiedName::new(None, ""),
        [name] => QualifiedName::new(None, name),
        [.., schema, name] => QualifiedName::new(Some(schema), name),
    }
}

fn object_kind(objtype: ObjectType) -> ObjectKind {
    use ObjectType as O;
    match objtype {
        O::OBJECT_TABLE => ObjectKind::Table,
        O::OBJECT_INDEX => ObjectKind::Index,
        O::OBJECT_VIEW => ObjectKind::View,
        O::OBJECT_MATVIEW => ObjectKind::MaterializedView,
        O::OBJECT_SEQUENCE => ObjectKind::Sequence,
        O::OBJECT_SCHEMA => ObjectKind::Schema,
        O::OBJECT_TYPE => ObjectKind::Type,
        O::OBJECT_DOMAIN => ObjectKind::Domain,
        O::OBJECT_FUNCTION | O::OBJECT_PROCEDURE | O::OBJECT_ROUTINE => ObjectKind::Function,
        O::OBJECT_TRIGGER => ObjectKind::Trigger,
        O::OBJECT_EXTENSION => ObjectKind::Extension,
        O::OBJECT_FOREIGN_TABLE => ObjectKind::ForeignTable,
        O::OBJECT_TABCONSTRAINT | O::OBJECT_DOMCONSTRAINT => ObjectKind::Constraint,
        O::OBJECT_COLUMN => ObjectKind::Column,
        O::OBJECT_POLICY => ObjectKind::Policy,
        _ => ObjectKind::Other,
    }
}

fn relation_kind(objtype: ObjectType) -> RelationKind {
    match object_kind(objtype) {
        ObjectKind::Index => RelationKind::Index,
        ObjectKind::View => RelationKind::View,
        ObjectKind::MaterializedView => RelationKind::MaterializedView,
        ObjectKind::Sequence => RelationKind::Sequence,
        ObjectKind::ForeignTable => RelationKind::ForeignTable,
        ObjectKind::Type => RelationKind::Type,
        _ => RelationKind::Table,
    }
}

/// A one-letter code of the tree (`relpersistence`, `fk_del_action`, ...) as a char.
fn code(c: std::ffi::c_char) -> char {
    char::from(c as u8)
}

impl<'t> Lowerer<'t, '_> {
    fn strings(&self, list: *const List) -> Vec<String> {
        unsafe { self.t.strings(list) }
    }

    fn identifiers(&self, list: *const List) -> Vec<Identifier> {
        unsafe { self.t.strings(list) }
    }

    fn qualified_from_list(&self, list: *const List) -> QualifiedName {
        qualified_from_parts(&self.strings(list))
    }

    fn range_var(&self, rv: &RawRangeVar) -> QualifiedName {
        let schema = unsafe { self.t.str(rv.schemaname) };
        let schema = (!schema.is_empty()).then_some(schema);
        QualifiedName::new(schema, unsafe { self.t.str(rv.relname) })
    }

    fn opt_range_var(&self, rv: *const RawRangeVar) -> QualifiedName {
        unsafe { self.t.deref(rv) }
            .map_or_else(|| QualifiedName::new(None, ""), |rv| self.range_var(rv))
    }

    fn range_vars(&self, list: *const List) -> Vec<QualifiedName> {
        unsafe { self.t.list(list) }
            .filter_map(|n| match n {
                Node::RangeVar(rv) => Some(self.range_var(rv)),
                _ => None,
            })
            .collect()
    }

    fn def_elem_names(&self, options: *const List) -> impl Iterator<Item = &'t str> {
        let t = self.t;
        unsafe { t.list(options) }.filter_map(move |n| match n {
            Node::DefElem(d) => Some(unsafe { t.str(d.defname) }),
            _ => None,
        })
    }

    fn span_at(&self, location: i32, len: usize) -> Span {
        match usize::try_from(location) {
            Ok(loc) => Span::new(self.base + loc, self.base + loc + len),
            Err(_) => Span::new(self.base, self.base),
        }
    }

    /// The span of the identifier that starts at `location`, quoted or not.
    fn ident_span(&self, location: i32) -> Span {
        let Ok(loc) = usize::try_from(location) else {
            return Span::new(self.base, self.base);
        };
        let start = self.base + loc;
        let end = match Tokens::at(self.text, start).next() {
            Some(t) if matches!(t.kind, TokenKind::Ident | TokenKind::QuotedIdent) => t.end,
            _ => start,
        };
        Span::new(start, end)
    }

    fn range_var_span(&self, rv: *const RawRangeVar) -> Span {
        match unsafe { self.t.deref(rv) } {
            Some(rv) => {
                let mut span = self.ident_span(rv.location);
                if !unsafe { self.t.str(rv.schemaname) }.is_empty() {
                    // `schema.name`: extend over the dot and the relation name.
                    let after = span.end as usize;
                    if self.text.as_bytes().get(after) == Some(&b'.') {
                        let rel =
                            self.ident_span(i32::try_from(after + 1 - self.base).unwrap_or(-1));
                        span.end = rel.end;
                    }
                }
                span
            }
            None => Span::new(self.base, self.base),
        }
    }

    fn stmt(&self, node: Node<'t>) -> Stmt {
        let t = self.t;
        match node {
            Node::CreateStmt(s) => Stmt::CreateTable(Box::new(self.create_table(s))),
            Node::CreateTableAsStmt(s) => self.create_table_as(s),
            Node::AlterTableStmt(s) => Stmt::AlterTable(self.alter_table(s)),
            Node::IndexStmt(s) => Stmt::CreateIndex(Box::new(self.create_index(s))),
            Node::DropStmt(s) => self.drop(s),
            Node::RenameStmt(s) => self.rename(s),
            Node::CreateSchemaStmt(s) => Stmt::CreateSchema {
                name: unsafe { t.str(s.schemaname) }.to_owned(),
                if_not_exists: s.if_not_exists,
            },
            Node::CreateEnumStmt(s) => Stmt::CreateEnum {
                name: self.qualified_from_list(s.typeName),
                values: self.strings(s.vals),
            },
            Node::AlterEnumStmt(s) if unsafe { t.str(s.oldVal) }.is_empty() => {
                Stmt::AlterEnumAddValue {
                    name: self.qualified_from_list(s.typeName),
                    value: unsafe { t.str(s.newVal) }.to_owned(),
                    if_not_exists: s.skipIfNewValExists,
                }
            }
            Node::AlterEnumStmt(s) => Stmt::AlterEnumRenameValue {
                name: self.qualified_from_list(s.typeName),
                old: unsafe { t.str(s.oldVal) }.to_owned(),
                new: unsafe { t.str(s.newVal) }.to_owned(),
            },
            Node::CreateDomainStmt(s) => Stmt::CreateDomain {
                name: self.qualified_from_list(s.domainname),
                base: unsafe { t.deref(s.typeName) }.map(|n| self.type_name(n)),
                has_check: unsafe { t.list(s.constraints) }.any(
                    |c| matches!(c, Node::Constraint(c) if c.contype == ConstrType::CONSTR_CHECK),
                ),
            },
            Node::CreateSeqStmt(s) => Stmt::CreateSequence {
                name: self.opt_range_var(s.sequence),
                if_not_exists: s.if_not_exists,
            },
            Node::AlterSeqStmt(s) => Stmt::AlterSequenceOwnedBy {
                name: self.opt_range_var(s.sequence),
                owner: self.owned_by(s.options),
            },
            Node::ViewStmt(s) => Stmt::CreateView {
                name: self.opt_range_var(s.view),
                materialized: false,
                or_replace: s.replace,
            },
            Node::RefreshMatViewStmt(s) => Stmt::RefreshMaterializedView {
                name: self.opt_range_var(s.relation),
                concurrently: s.concurrent,
            },
            Node::VariableSetStmt(s) => self.set(s),
            Node::TransactionStmt(s) => transaction_kind(s.kind)
                .map_or_else(|| Stmt::Other(node_name(node)), Stmt::Transaction),
            Node::ReindexStmt(s) => self.reindex(s),
            Node::VacuumStmt(s) => {
                let full = self.def_elem_names(s.options).any(|n| n == "full");
                let tables = unsafe { t.list(s.rels) }
                    .filter_map(|n| match n {
                        Node::VacuumRelation(v) => {
                            unsafe { t.deref(v.relation) }.map(|rv| self.range_var(rv))
                        }
                        _ => None,
                    })
                    .collect();
                Stmt::Vacuum {
                    full,
                    analyze_only: !s.is_vacuumcmd,
                    tables,
                }
            }
            Node::ClusterStmt(s) => Stmt::Cluster {
                table: unsafe { t.deref(s.relation) }.map(|rv| self.range_var(rv)),
            },
            Node::TruncateStmt(s) => Stmt::Truncate {
                tables: self.range_vars(s.relations),
                cascade: s.behavior == DropBehavior::DROP_CASCADE,
            },
            Node::UpdateStmt(s) => Stmt::Update {
                table: self.opt_range_var(s.relation),
                has_where: !s.whereClause.is_null(),
            },
            Node::DeleteStmt(s) => Stmt::Delete {
                table: self.opt_range_var(s.relation),
                has_where: !s.whereClause.is_null(),
            },
            Node::InsertStmt(s) => Stmt::Insert {
                table: self.opt_range_var(s.relation),
            },
            Node::Other(NodeTag::T_SelectStmt) => Stmt::Select,
            Node::CreateExtensionStmt(s) => Stmt::CreateExtension {
                name: unsafe { t.str(s.extname) }.to_owned(),
            },
            Node::CreateFunctionStmt(s) => Stmt::CreateFunction {
                name: self.qualified_from_list(s.funcname),
                volatility: self.volatility(s.options),
            },
            // The body is read after lowering, from the text (see `plpgsql`).
            Node::Other(NodeTag::T_DoStmt) => Stmt::Do { opaque: true },
            Node::Other(NodeTag::T_CommentStmt) => Stmt::Comment,
            Node::Other(NodeTag::T_GrantStmt | NodeTag::T_GrantRoleStmt) => Stmt::Grant,
            Node::CreateTrigStmt(s) => Stmt::CreateTrigger {
                table: self.opt_range_var(s.relation),
            },
            Node::LockStmt(s) => Stmt::Lock {
                tables: self.range_vars(s.relations),
            },
            Node::CopyStmt(s) => Stmt::Copy {
                table: unsafe { t.deref(s.relation) }.map(|rv| self.range_var(rv)),
                from: s.is_from,
            },
            other => Stmt::Other(node_name(other)),
        }
    }

    /// The volatility a `CREATE FUNCTION`'s options declare.
    fn volatility(&self, options: *const List) -> Volatility {
        let t = self.t;
        let declared = unsafe { t.list(options) }.find_map(|n| match n {
            Node::DefElem(d) if unsafe { t.str(d.defname) } == "volatility" => {
                match unsafe { t.node(d.arg) } {
                    Some(Node::String(s)) => Some(unsafe { t.str(s.sval) }),
                    _ => None,
                }
            }
            _ => None,
        });
        match declared {
            Some("immutable") => Volatility::Immutable,
            Some("stable") => Volatility::Stable,
            _ => Volatility::Volatile,
        }
    }

    fn owned_by(&self, options: *const List) -> Option<(QualifiedName, String)> {
        let t = self.t;
        unsafe { t.list(options) }.find_map(|n| match n {
            Node::DefElem(d) if unsafe { t.str(d.defname) } == "owned_by" => {
                let Node::List(list) = unsafe { t.node(d.arg) }? else {
                    return None;
                };
                let parts = self.strings(list);
                match parts.as_slice() {
                    [table, column] => Some((QualifiedName::new(None, table), column.clone())),
                    [schema, table, column] => {
                        Some((QualifiedName::new(Some(schema), table), column.clone()))
                    }
                    _ => None,
                }
            }
            _ => None,
        })
    }

    fn set(&self, s: &crate::raw::VariableSetStmt) -> Stmt {
        let value = match s.kind {
            VariableSetKind::VAR_SET_VALUE => {
                let parts: Vec<String> = unsafe { self.t.list(s.args) }
                    .map(|a| {
                        let e = std::sync::Arc::unwrap_or_clone(self.expr(a).spec);
                        e.string_value.unwrap_or(e.text)
                    })
                    .collect();
                Some(parts.join(", "))
            }
            VariableSetKind::VAR_SET_DEFAULT
            | VariableSetKind::VAR_RESET
            | VariableSetKind::VAR_RESET_ALL => None,
            _ => Some(String::new()),
        };
        Stmt::Set {
            name: unsafe { self.t.str(s.name) }.to_owned(),
            value,
            local: s.is_local,
        }
    }

    fn reindex(&self, s: &crate::raw::ReindexStmt) -> Stmt {
        let concurrently = self.def_elem_names(s.params).any(|n| n == "concurrently");
        let kind = match s.kind {
            ReindexObjectType::REINDEX_OBJECT_INDEX => "index",
            ReindexObjectType::REINDEX_OBJECT_TABLE => "table",
            ReindexObjectType::REINDEX_OBJECT_SCHEMA => "schema",
            ReindexObjectType::REINDEX_OBJECT_SYSTEM => "system",
            ReindexObjectType::REINDEX_OBJECT_DATABASE => "database",
            _ => "unknown",
        };
        let name = unsafe { self.t.str(s.name) };
        let target = unsafe { self.t.deref(s.relation) }
            .map(|rv| self.range_var(rv))
            .or_else(|| (!name.is_empty()).then(|| QualifiedName::new(None, name)));
        Stmt::Reindex {
            concurrently,
            target,
            kind,
        }
    }

    fn create_table(&self, s: &crate::raw::CreateStmt) -> CreateTable {
        let t = self.t;
        let mut columns = Vec::new();
        let mut constraints = Vec::new();
        let mut like = Vec::new();
        for elt in unsafe { t.list(s.tableElts) } {
            match elt {
                Node::ColumnDef(c) => columns.push(self.column_def(c)),
                Node::Constraint(c) => constraints.extend(self.constraint(c, None)),
                Node::TableLikeClause(l) => like.push(self.opt_range_var(l.relation)),
                _ => {}
            }
        }
        for c in unsafe { t.list(s.constraints) } {
            if let Node::Constraint(c) = c {
                constraints.extend(self.constraint(c, None));
            }
        }
        let persistence = unsafe { t.deref(s.relation) }.map_or('p', |r| code(r.relpersistence));
        let partition_bound = !s.partbound.is_null();
        // Exact sizes: a schema dump keeps hundreds of thousands of these until the replay.
        columns.shrink_to_fit();
        constraints.shrink_to_fit();
        CreateTable {
            name: self.opt_range_var(s.relation),
            name_span: self.range_var_span(s.relation),
            if_not_exists: s.if_not_exists,
            columns,
            constraints,
            partition_of: if partition_bound {
                unsafe { t.list(s.inhRelations) }
                    .next()
                    .and_then(|n| match n {
                        Node::RangeVar(rv) => Some(self.range_var(rv)),
                        _ => None,
                    })
            } else {
                None
            },
            partitioned: !s.partspec.is_null(),
            inherits: if partition_bound {
                Vec::new()
            } else {
                self.range_vars(s.inhRelations)
            },
            like,
            temporary: persistence == 't',
            unlogged: persistence == 'u',
            from_query: false,
        }
    }

    fn create_table_as(&self, s: &crate::raw::CreateTableAsStmt) -> Stmt {
        let rel_ptr =
            unsafe { self.t.deref(s.into) }.map_or(std::ptr::null(), |i| i.rel.cast_const());
        let rel = unsafe { self.t.deref(rel_ptr) };
        let name = self.opt_range_var(rel_ptr);
        if s.objtype == ObjectType::OBJECT_MATVIEW {
            return Stmt::CreateView {
                name,
                materialized: true,
                or_replace: false,
            };
        }
        let persistence = rel.map_or('p', |r| code(r.relpersistence));
        Stmt::CreateTable(Box::new(CreateTable {
            name,
            name_span: self.range_var_span(rel_ptr),
            if_not_exists: s.if_not_exists,
            columns: Vec::new(),
            constraints: Vec::new(),
            partition_of: None,
            partitioned: false,
            inherits: Vec::new(),
            like: Vec::new(),
            temporary: persistence == 't',
            unlogged: persistence == 'u',
            from_query: true,
        }))
    }

    fn column_def(&self, c: &crate::raw::ColumnDef) -> ColumnDef {
        let t = self.t;
        let name = unsafe { t.str(c.colname) };
        let mut column = ColumnDef {
            name: name.to_owned(),
            name_span: self.ident_span(c.location),
            type_name: unsafe { t.deref(c.typeName) }.map(|n| self.type_name(n)),
            not_null: c.is_not_null,
            default: unsafe { t.node(c.raw_default) }.map(|d| self.expr(d)),
            identity: None,
            generated: None,
            constraints: Vec::new(),
        };
        for node in unsafe { t.list(c.constraints) } {
            let Node::Constraint(con) = node else {
                continue;
            };
            match con.contype {
                ConstrType::CONSTR_NOTNULL => column.not_null = true,
                ConstrType::CONSTR_DEFAULT => {
                    column.default = unsafe { t.node(con.raw_expr) }.map(|e| self.expr(e))
                }
                ConstrType::CONSTR_IDENTITY => {
                    column.identity = Some(if code(con.generated_when) == 'a' {
                        Identity::Always
                    } else {
                        Identity::ByDefault
                    });
                    column.not_null = true;
                }
                ConstrType::CONSTR_GENERATED => {
                    column.generated =
                        unsafe { t.node(con.raw_expr) }.map(|e| Box::new(self.expr(e)))
                }
                ConstrType::CONSTR_PRIMARY => {
                    column.not_null = true;
                    column.constraints.extend(self.constraint(con, Some(name)));
                }
                _ => column.constraints.extend(self.constraint(con, Some(name))),
            }
        }
        column
    }

    /// A table or column constraint; `column` is set for a constraint written on a column.
    fn constraint(&self, c: &crate::raw::Constraint, column: Option<&str>) -> Option<Constraint> {
        let t = self.t;
        let keys = |list: *const List| -> Vec<Identifier> {
            let listed = self.identifiers(list);
            if listed.is_empty() {
                column.map(|c| vec![c.into()]).unwrap_or_default()
            } else {
                listed
            }
        };
        let index_name = unsafe { t.str(c.indexname) };
        let using_index = (!index_name.is_empty()).then(|| index_name.to_owned());
        let action = |a: std::ffi::c_char| if a == 0 { 'a' } else { code(a) };
        let kind = match c.contype {
            ConstrType::CONSTR_PRIMARY => ConstraintKind::PrimaryKey {
                columns: keys(c.keys),
                include: self.identifiers(c.including),
                using_index,
            },
            ConstrType::CONSTR_UNIQUE => ConstraintKind::Unique {
                columns: keys(c.keys),
                include: self.identifiers(c.including),
                using_index,
                nulls_not_distinct: c.nulls_not_distinct,
            },
            ConstrType::CONSTR_FOREIGN => ConstraintKind::ForeignKey(ForeignKey {
                columns: keys(c.fk_attrs),
                target: self.opt_range_var(c.pktable),
                target_columns: self.identifiers(c.pk_attrs),
                on_delete: action(c.fk_del_action),
                on_update: action(c.fk_upd_action),
            }),
            ConstrType::CONSTR_CHECK => ConstraintKind::Check {
                expr: self.expr(unsafe { t.node(c.raw_expr) }?),
            },
            ConstrType::CONSTR_EXCLUSION => ConstraintKind::Exclude {
                columns: unsafe { t.list(c.exclusions) }
                    .filter_map(|n| match n {
                        Node::List(pair) => match unsafe { t.list(pair) }.next()? {
                            Node::IndexElem(e) if !unsafe { t.str(e.name) }.is_empty() => {
                                Some(unsafe { t.str(e.name) }.into())
                            }
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect(),
                method: match unsafe { t.str(c.access_method) } {
                    "" => "btree".into(),
                    method => method.to_owned(),
                },
            },
            ConstrType::CONSTR_NOTNULL => ConstraintKind::NotNull {
                column: column
                    .map(Identifier::from)
                    .or_else(|| self.identifiers(c.keys).into_iter().next())?,
            },
            _ => return None,
        };
        let name = unsafe { t.str(c.conname) };
        Some(Constraint {
            name: (!name.is_empty()).then(|| name.to_owned()),
            kind,
            not_valid: c.skip_validation,
            span: self.ident_span(c.location),
        })
    }

    fn type_name(&self, n: &crate::raw::TypeName) -> TypeName {
        let t = self.t;
        let mut parts = self.strings(n.names);
        if parts.first().is_some_and(|p| p == "pg_catalog") {
            parts.remove(0);
        }
        let name = parts.pop().unwrap_or_default();
        let schema = parts.pop();
        let modifiers = unsafe { t.list(n.typmods) }
            .filter_map(|m| match m {
                Node::Const(c) => integer_value(t, c),
                _ => None,
            })
            .collect();
        TypeName {
            spec: std::sync::Arc::new(TypeSpec {
                name: name.into(),
                schema,
                modifiers,
                array: unsafe { t.list(n.arrayBounds) }.next().is_some(),
            }),
            span: self.span_at(n.location, 1),
        }
    }

    fn alter_table(&self, s: &crate::raw::AlterTableStmt) -> AlterTable {
        let rel = unsafe { self.t.deref(s.relation) };
        AlterTable {
            name: self.opt_range_var(s.relation),
            name_span: self.range_var_span(s.relation),
            kind: relation_kind(s.objtype),
            if_exists: s.missing_ok,
            only: rel.is_some_and(|r| !r.inh),
            cmds: unsafe { self.t.list(s.cmds) }
                .filter_map(|n| match n {
                    Node::AlterTableCmd(c) => Some(self.alter_cmd(c)),
                    _ => None,
                })
                .collect(),
        }
    }

    fn alter_cmd(&self, c: &RawCmd) -> AlterTableCmd {
        use AlterTableAction as A;
        let t = self.t;
        let def = unsafe { t.node(c.def) };
        let column = || unsafe { t.str(c.name) }.to_owned();
        let cascade = c.behavior == DropBehavior::DROP_CASCADE;
        let mut span = self.span_at(-1, 0);
        let action = match (c.subtype, def) {
            (At::AT_AddColumn, Some(Node::ColumnDef(col))) => {
                let column = self.column_def(col);
                span = column.name_span;
                A::AddColumn {
                    column: Box::new(column),
                    if_not_exists: c.missing_ok,
                }
            }
            (At::AT_DropColumn, _) => A::DropColumn {
                name: column(),
                if_exists: c.missing_ok,
                cascade,
            },
            (At::AT_AlterColumnType, Some(Node::ColumnDef(col))) => match unsafe {
                t.deref(col.typeName)
            } {
                Some(n) => {
                    let type_name = self.type_name(n);
                    span = type_name.span;
                    A::AlterColumnType {
                        column: column(),
                        type_name: Box::new(type_name),
                        using: unsafe { t.node(col.raw_default) }.map(|e| Box::new(self.expr(e))),
                    }
                }
                None => A::Other("AT_AlterColumnType"),
            },
            (At::AT_ColumnDefault, Some(default)) => A::SetDefault {
                column: column(),
                default: Box::new(self.expr(default)),
            },
            (At::AT_ColumnDefault, None) => A::DropDefault { column: column() },
            (At::AT_SetNotNull, _) => A::SetNotNull { column: column() },
            (At::AT_DropNotNull, _) => A::DropNotNull { column: column() },
            (At::AT_AddConstraint, Some(Node::Constraint(con))) => {
                match self.constraint(con, None) {
                    Some(constraint) => {
                        span = constraint.span;
                        A::AddConstraint(Box::new(constraint))
                    }
                    None => A::Other("AT_AddConstraint"),
                }
            }
            (At::AT_DropConstraint, _) => A::DropConstraint {
                name: column(),
                if_exists: c.missing_ok,
                cascade,
            },
            (At::AT_ValidateConstraint, _) => A::ValidateConstraint { name: column() },
            (At::AT_EnableRowSecurity, _) => A::EnableRowLevelSecurity,
            (At::AT_DisableRowSecurity, _) => A::DisableRowLevelSecurity,
            (At::AT_ForceRowSecurity, _) => A::ForceRowLevelSecurity,
            (At::AT_AddIdentity, Some(Node::Constraint(con))) => A::AddIdentity {
                column: column(),
                identity: if code(con.generated_when) == 'a' {
                    Identity::Always
                } else {
                    Identity::ByDefault
                },
            },
            (At::AT_DropIdentity, _) => A::DropIdentity { column: column() },
            (At::AT_AttachPartition, Some(Node::PartitionCmd(p))) => A::AttachPartition {
                partition: self.opt_range_var(p.name),
            },
            (
                At::AT_DetachPartition | At::AT_DetachPartitionFinalize,
                Some(Node::PartitionCmd(p)),
            ) => A::DetachPartition {
                partition: self.opt_range_var(p.name),
                concurrently: p.concurrent,
            },
            (At::AT_SetLogged, _) => A::SetLogged,
            (At::AT_SetUnLogged, _) => A::SetUnlogged,
            (At::AT_SetTableSpace, _) => A::SetTablespace,
            (other, _) => A::Other(enum_name(other.name(), "")),
        };
        AlterTableCmd { action, span }
    }

    fn create_index(&self, s: &crate::raw::IndexStmt) -> CreateIndex {
        let t = self.t;
        let elems = unsafe { t.list(s.indexParams) }
            .filter_map(|n| match n {
                Node::IndexElem(e) => {
                    let column = unsafe { t.str(e.name) };
                    let opclass = self.strings(e.opclass);
                    Some(IndexElem {
                        column: (!column.is_empty()).then(|| column.into()),
                        expr: unsafe { t.node(e.expr) }.map(|x| Box::new(self.expr(x))),
                        opclass: (!opclass.is_empty()).then(|| opclass.join(".").into()),
                        descending: e.ordering == SortByDir::SORTBY_DESC,
                    })
                }
                _ => None,
            })
            .collect();
        let include = unsafe { t.list(s.indexIncludingParams) }
            .filter_map(|n| match n {
                Node::IndexElem(e) if !unsafe { t.str(e.name) }.is_empty() => {
                    Some(unsafe { t.str(e.name) }.into())
                }
                _ => None,
            })
            .collect();
        let name = unsafe { t.str(s.idxname) };
        CreateIndex {
            name: (!name.is_empty()).then(|| name.to_owned()),
            table: self.opt_range_var(s.relation),
            table_span: self.range_var_span(s.relation),
            unique: s.unique,
            concurrently: s.concurrent,
            if_not_exists: s.if_not_exists,
            method: match unsafe { t.str(s.accessMethod) } {
                "" => "btree".into(),
                method => method.to_owned(),
            },
            elems,
            include,
            predicate: unsafe { t.node(s.whereClause) }.map(|w| self.expr(w)),
            only: unsafe { t.deref(s.relation) }.is_some_and(|r| !r.inh),
        }
    }

    fn drop(&self, s: &crate::raw::DropStmt) -> Stmt {
        let t = self.t;
        let names = unsafe { t.list(s.objects) }
            .filter_map(|n| match n {
                Node::List(list) => Some(self.qualified_from_list(list)),
                Node::String(name) => Some(QualifiedName::new(None, unsafe { t.str(name.sval) })),
                Node::TypeName(n) => {
                    let n = std::sync::Arc::unwrap_or_clone(self.type_name(n).spec);
                    Some(QualifiedName {
                        schema: n.schema,
                        name: n.name.into(),
                    })
                }
                _ => None,
            })
            .collect();
        Stmt::Drop(Drop {
            kind: object_kind(s.removeType),
            names,
            if_exists: s.missing_ok,
            cascade: s.behavior == DropBehavior::DROP_CASCADE,
            concurrently: s.concurrent,
        })
    }

    fn rename(&self, s: &crate::raw::RenameStmt) -> Stmt {
        let t = self.t;
        let target = match unsafe { t.deref(s.relation) } {
            Some(rv) => self.range_var(rv),
            None => match unsafe { t.node(s.object) } {
                Some(Node::List(list)) => self.qualified_from_list(list),
                Some(Node::String(name)) => QualifiedName::new(None, unsafe { t.str(name.sval) }),
                _ => QualifiedName::new(None, ""),
            },
        };
        let subname = unsafe { t.str(s.subname) };
        Stmt::Rename(Rename {
            kind: object_kind(s.renameType),
            target,
            subname: (!subname.is_empty()).then(|| subname.to_owned()),
            new_name: unsafe { t.str(s.newname) }.to_owned(),
            if_exists: s.missing_ok,
        })
    }

    /// Lower an expression to text plus the facts rules ask about it.
    fn expr(&self, node: Node<'t>) -> Expr {
        let mut functions = Vec::new();
        let mut text = Printer {
            t: self.t,
            functions: &mut functions,
        }
        .print(node);
        // The catalog may keep the expression to the end of the run (a column default): no
        // growth slack.
        text.shrink_to_fit();
        functions.shrink_to_fit();
        let (is_constant, string_value) = constant_value(self.t, node);
        Expr {
            spec: std::sync::Arc::new(ExprSpec {
                text,
                functions,
                is_constant,
                string_value,
            }),
            span: self.span_at(expr_location(self.t, node), 1),
        }
    }
}

/// The name of a node's kind as PostgreSQL spells it (`CreatePolicyStmt`, `XmlExpr`, ...).
fn node_name(node: Node) -> &'static str {
    enum_name(node.tag().name(), "T_")
}

/// The kind of a transaction statement; `None` for a kind the bindings do not know.
fn transaction_kind(kind: Tx) -> Option<TransactionKind> {
    Some(match kind {
        Tx::TRANS_STMT_BEGIN | Tx::TRANS_STMT_START => TransactionKind::Begin,
        Tx::TRANS_STMT_COMMIT => TransactionKind::Commit,
        Tx::TRANS_STMT_ROLLBACK => TransactionKind::Rollback,
        Tx::TRANS_STMT_SAVEPOINT => TransactionKind::Savepoint,
        Tx::TRANS_STMT_RELEASE => TransactionKind::Release,
        Tx::TRANS_STMT_ROLLBACK_TO => TransactionKind::RollbackTo,
        Tx::TRANS_STMT_PREPARE => TransactionKind::Prepare,
        Tx::TRANS_STMT_COMMIT_PREPARED => TransactionKind::CommitPrepared,
        Tx::TRANS_STMT_ROLLBACK_PREPARED => TransactionKind::RollbackPrepared,
        _ => return None,
    })
}

/// The integer of an `A_Const` that holds one.
fn integer_value(t: Tree, c: &A_Const) -> Option<i64> {
    match unsafe { t.const_value(c) } {
        Some(Node::Integer(i)) => Some(i64::from(i.ival)),
        _ => None,
    }
}

fn expr_location(t: Tree, node: Node) -> i32 {
    match node {
        Node::Const(c) => c.location,
        Node::FuncCall(f) => f.location,
        Node::TypeCast(c) => unsafe { t.node(c.arg) }.map_or(c.location, |a| expr_location(t, a)),
        Node::ColumnRef(c) => c.location,
        Node::Expr(a) => unsafe { t.node(a.lexpr) }.map_or(a.location, |l| expr_location(t, l)),
        Node::BoolExpr(b) => b.location,
        Node::NullTest(n) => n.location,
        Node::SqlValueFunction(s) => s.location,
        Node::ArrayExpr(a) => a.location,
        _ => -1,
    }
}

/// Whether the expression is a literal (possibly cast), and its string value if it is a string.
fn constant_value(t: Tree, node: Node) -> (bool, Option<String>) {
    match node {
        Node::Const(c) => match unsafe { t.const_value(c) } {
            Some(Node::String(s)) => (true, Some(unsafe { t.str(s.sval) }.to_owned())),
            _ => (true, None),
        },
        Node::TypeCast(c) => {
            unsafe { t.node(c.arg) }.map_or((false, None), |a| constant_value(t, a))
        }
        Node::ArrayExpr(a) => (
            unsafe { t.list(a.elements) }.all(|e| constant_value(t, e).0),
            None,
        ),
        _ => (false, None),
    }
}

/// Prints an expression in a compact SQL form, collecting the functions it calls.
struct Printer<'t, 'f> {
    t: Tree<'t>,
    functions: &'f mut Vec<String>,
}

impl<'t> Printer<'t, '_> {
    fn list(&mut self, list: *const List) -> String {
        unsafe { self.t.list(list) }
            .map(|n| self.print(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn opt(&mut self, node: *const RawNode) -> String {
        unsafe { self.t.node(node) }.map_or_else(String::new, |n| self.print(n))
    }

    /// A type name the way a cast prints it: `text`, `public.mood[]`.
    fn cast_type(&self, n: &crate::raw::TypeName) -> String {
        let mut names = unsafe { self.t.strings::<String>(n.names) };
        if names.first().is_some_and(|n| n == "pg_catalog") {
            names.remove(0);
        }
        let array = if unsafe { self.t.list(n.arrayBounds) }.next().is_some() {
            "[]"
        } else {
            ""
        };
        format!("{}{array}", names.join("."))
    }

    fn print(&mut self, node: Node<'t>) -> String {
        let t = self.t;
        match node {
            Node::Const(c) => match unsafe { t.const_value(c) } {
                Some(Node::Integer(i)) => i.ival.to_string(),
                Some(Node::String(s)) => quote_literal(unsafe { t.str(s.sval) }),
                Some(Node::Float(f)) => unsafe { t.str(f.fval) }.to_owned(),
                Some(Node::Boolean(b)) => if b.boolval { "true" } else { "false" }.into(),
                Some(Node::BitString(b)) => unsafe { t.str(b.bsval) }.to_owned(),
                _ => "NULL".into(),
            },
            Node::TypeCast(c) => {
                let arg = self.opt(c.arg);
                let ty =
                    unsafe { t.deref(c.typeName) }.map_or_else(String::new, |n| self.cast_type(n));
                format!("{arg}::{ty}")
            }
            Node::FuncCall(f) => {
                let mut names = unsafe { t.strings::<String>(f.funcname) };
                if names.first().is_some_and(|n| n == "pg_catalog") {
                    names.remove(0);
                }
                if let Some(last) = names.last() {
                    self.functions.push(last.to_ascii_lowercase());
                }
                let args = if f.agg_star {
                    "*".to_owned()
                } else {
                    self.list(f.args)
                };
                format!("{}({args})", names.join("."))
            }
            Node::ColumnRef(c) => unsafe { t.list(c.fields) }
                .map(|f| unsafe { t.string_of(f) }.unwrap_or("*"))
                .collect::<Vec<_>>()
                .join("."),
            Node::Expr(a) => self.operator(a),
            Node::List(l) => self.list(l),
            Node::BoolExpr(b) => {
                let parts: Vec<String> = unsafe { t.list(b.args) }.map(|a| self.print(a)).collect();
                match b.boolop {
                    BoolExprType::OR_EXPR => format!("({})", parts.join(" OR ")),
                    BoolExprType::NOT_EXPR => format!("NOT {}", parts.join("")),
                    BoolExprType::AND_EXPR => parts.join(" AND "),
                    _ => format!("{}({})", enum_name(b.boolop.name(), ""), parts.join(", ")),
                }
            }
            Node::NullTest(n) => {
                let arg = self.opt(n.arg.cast());
                if n.nulltesttype == NullTestType::IS_NULL {
                    format!("{arg} IS NULL")
                } else {
                    format!("{arg} IS NOT NULL")
                }
            }
            Node::SqlValueFunction(s) => {
                let name = match s.op {
                    Svf::SVFOP_CURRENT_DATE => "CURRENT_DATE",
                    Svf::SVFOP_CURRENT_TIME | Svf::SVFOP_CURRENT_TIME_N => "CURRENT_TIME",
                    Svf::SVFOP_CURRENT_TIMESTAMP | Svf::SVFOP_CURRENT_TIMESTAMP_N => {
                        "CURRENT_TIMESTAMP"
                    }
                    Svf::SVFOP_LOCALTIME | Svf::SVFOP_LOCALTIME_N => "LOCALTIME",
                    Svf::SVFOP_LOCALTIMESTAMP | Svf::SVFOP_LOCALTIMESTAMP_N => "LOCALTIMESTAMP",
                    Svf::SVFOP_CURRENT_ROLE => "CURRENT_ROLE",
                    Svf::SVFOP_CURRENT_USER => "CURRENT_USER",
                    Svf::SVFOP_USER => "USER",
                    Svf::SVFOP_SESSION_USER => "SESSION_USER",
                    Svf::SVFOP_CURRENT_CATALOG => "CURRENT_CATALOG",
                    Svf::SVFOP_CURRENT_SCHEMA => "CURRENT_SCHEMA",
                    other => enum_name(other.name(), "SVFOP_"),
                };
                self.functions.push(name.to_ascii_lowercase());
                name.into()
            }
            Node::ArrayExpr(a) => format!("ARRAY[{}]", self.list(a.elements)),
            Node::CollateClause(c) => {
                let arg = self.opt(c.arg);
                format!(
                    "{arg} COLLATE {}",
                    unsafe { t.strings::<String>(c.collname) }.join(".")
                )
            }
            Node::ParamRef(p) => format!("${}", p.number),
            Node::Other(NodeTag::T_CaseExpr) => "CASE … END".into(),
            Node::Other(NodeTag::T_SubLink) => "(subquery)".into(),
            Node::RowExpr(r) => format!("ROW({})", self.list(r.args)),
            Node::CoalesceExpr(c) => {
                self.functions.push("coalesce".into());
                format!("COALESCE({})", self.list(c.args))
            }
            Node::MinMaxExpr(m) => {
                let greatest = m.op == MinMaxOp::IS_GREATEST;
                self.functions
                    .push(if greatest { "greatest" } else { "least" }.into());
                let name = if greatest { "GREATEST" } else { "LEAST" };
                format!("{name}({})", self.list(m.args))
            }
            Node::Other(NodeTag::T_A_Indirection) => "(indirection)".into(),
            other => format!("({})", node_name(other)),
        }
    }

    fn operator(&mut self, a: &crate::raw::A_Expr) -> String {
        let t = self.t;
        let op = unsafe { t.strings::<String>(a.name) }.join(" ");
        let l = unsafe { t.node(a.lexpr) }.map(|x| self.print(x));
        let r = unsafe { t.node(a.rexpr) }.map(|x| self.print(x));
        let negated = |positive: &str, yes: &str, no: &str| -> String {
            if op == positive { yes } else { no }.into()
        };
        let op = match a.kind {
            A_Expr_Kind::AEXPR_IN => negated("=", "IN", "NOT IN"),
            A_Expr_Kind::AEXPR_LIKE => negated("~~", "LIKE", "NOT LIKE"),
            A_Expr_Kind::AEXPR_ILIKE => negated("~~*", "ILIKE", "NOT ILIKE"),
            A_Expr_Kind::AEXPR_OP_ANY => format!("{op} ANY"),
            A_Expr_Kind::AEXPR_OP_ALL => format!("{op} ALL"),
            A_Expr_Kind::AEXPR_BETWEEN => "BETWEEN".into(),
            A_Expr_Kind::AEXPR_NOT_BETWEEN => "NOT BETWEEN".into(),
            A_Expr_Kind::AEXPR_DISTINCT => "IS DISTINCT FROM".into(),
            A_Expr_Kind::AEXPR_NOT_DISTINCT => "IS NOT DISTINCT FROM".into(),
            _ => op,
        };
        let r = r.map(|r| {
            if a.kind == A_Expr_Kind::AEXPR_IN {
                format!("({r})")
            } else {
                r
            }
        });
        match (l, r) {
            (Some(l), Some(r)) => format!("{l} {op} {r}"),
            (None, Some(r)) => format!("{op} {r}"),
            (Some(l), None) => format!("{l} {op}"),
            (None, None) => op,
        }
    }
}
