//! Lowering of libpg_query's protobuf tree into dbwise's statement model (`ast.rs`).

use dbwise_diagnostics::Span;
use pg_query::NodeEnum;
use pg_query::protobuf::{self as pb, AlterTableType, ConstrType, ObjectType, a_const};

use crate::ast::*;

/// Lower one top-level statement. `text` is the whole file and `base` the byte offset that the
/// tree's locations are relative to.
pub fn lower(node: &NodeEnum, text: &str, base: usize) -> Stmt {
    Lowerer { text, base }.stmt(node)
}

struct Lowerer<'a> {
    text: &'a str,
    base: usize,
}

fn string_of(node: &pb::Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

fn strings(nodes: &[pb::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(string_of)
        .map(str::to_owned)
        .collect()
}

/// `[catalog.]schema.name` lists, as in `DROP TYPE a.b` or enum type names.
fn qualified_from_list(nodes: &[pb::Node]) -> QualifiedName {
    let parts = strings(nodes);
    match parts.as_slice() {
        [] => QualifiedName::new(None, ""),
        [name] => QualifiedName::new(None, name),
        [.., schema, name] => QualifiedName::new(Some(schema), name),
    }
}

fn range_var(rv: &pb::RangeVar) -> QualifiedName {
    let schema = (!rv.schemaname.is_empty()).then_some(rv.schemaname.as_str());
    QualifiedName::new(schema, &rv.relname)
}

fn opt_range_var(rv: Option<&pb::RangeVar>) -> QualifiedName {
    rv.map_or_else(|| QualifiedName::new(None, ""), range_var)
}

fn range_vars(nodes: &[pb::Node]) -> Vec<QualifiedName> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref()? {
            NodeEnum::RangeVar(rv) => Some(range_var(rv)),
            _ => None,
        })
        .collect()
}

fn object_kind(objtype: i32) -> ObjectKind {
    match ObjectType::try_from(objtype).unwrap_or(ObjectType::Undefined) {
        ObjectType::ObjectTable => ObjectKind::Table,
        ObjectType::ObjectIndex => ObjectKind::Index,
        ObjectType::ObjectView => ObjectKind::View,
        ObjectType::ObjectMatview => ObjectKind::MaterializedView,
        ObjectType::ObjectSequence => ObjectKind::Sequence,
        ObjectType::ObjectSchema => ObjectKind::Schema,
        ObjectType::ObjectType => ObjectKind::Type,
        ObjectType::ObjectDomain => ObjectKind::Domain,
        ObjectType::ObjectFunction | ObjectType::ObjectProcedure | ObjectType::ObjectRoutine => {
            ObjectKind::Function
        }
        ObjectType::ObjectTrigger => ObjectKind::Trigger,
        ObjectType::ObjectExtension => ObjectKind::Extension,
        ObjectType::ObjectForeignTable => ObjectKind::ForeignTable,
        ObjectType::ObjectTabconstraint | ObjectType::ObjectDomconstraint => ObjectKind::Constraint,
        ObjectType::ObjectColumn => ObjectKind::Column,
        ObjectType::ObjectPolicy => ObjectKind::Policy,
        _ => ObjectKind::Other,
    }
}

fn relation_kind(objtype: i32) -> RelationKind {
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

fn def_elem_names(options: &[pb::Node]) -> impl Iterator<Item = &str> {
    options.iter().filter_map(|n| match n.node.as_ref()? {
        NodeEnum::DefElem(d) => Some(d.defname.as_str()),
        _ => None,
    })
}

/// The libpg_query node name of a statement we do not model (`CreatePolicyStmt`, ...).
///
/// The name is the enum variant, read from the start of its `Debug` form: the writer stops the
/// formatting at the first `(`, so the tree itself is never printed.
pub fn node_name(node: &NodeEnum) -> &'static str {
    use std::collections::HashSet;
    use std::fmt::Write;
    use std::sync::Mutex;

    struct UpToParen(String);
    impl Write for UpToParen {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            match s.find(['(', ' ', '{']) {
                Some(i) => {
                    self.0.push_str(&s[..i]);
                    Err(std::fmt::Error)
                }
                None => {
                    self.0.push_str(s);
                    Ok(())
                }
            }
        }
    }
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut name = UpToParen(String::new());
    let _ = write!(name, "{node:?}");
    let mut names = NAMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(&known) = names.get(name.0.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.0.into_boxed_str());
    names.insert(leaked);
    leaked
}

impl Lowerer<'_> {
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
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        let len = if rest.first() == Some(&b'"') {
            let mut i = 1;
            while i < rest.len() {
                if rest[i] == b'"' {
                    if rest.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            (i + 1).min(rest.len())
        } else {
            rest.iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80)
                .count()
        };
        Span::new(start, start + len)
    }

    fn range_var_span(&self, rv: Option<&pb::RangeVar>) -> Span {
        match rv {
            Some(rv) => {
                let mut span = self.ident_span(rv.location);
                if !rv.schemaname.is_empty() {
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

    fn stmt(&self, node: &NodeEnum) -> Stmt {
        match node {
            NodeEnum::CreateStmt(s) => Stmt::CreateTable(self.create_table(s)),
            NodeEnum::CreateTableAsStmt(s) => self.create_table_as(s),
            NodeEnum::AlterTableStmt(s) => Stmt::AlterTable(self.alter_table(s)),
            NodeEnum::IndexStmt(s) => Stmt::CreateIndex(self.create_index(s)),
            NodeEnum::DropStmt(s) => self.drop(s),
            NodeEnum::RenameStmt(s) => self.rename(s),
            NodeEnum::CreateSchemaStmt(s) => Stmt::CreateSchema { name: s.schemaname.clone(), if_not_exists: s.if_not_exists },
            NodeEnum::CreateEnumStmt(s) => Stmt::CreateEnum { name: qualified_from_list(&s.type_name), values: strings(&s.vals) },
            NodeEnum::AlterEnumStmt(s) if s.old_val.is_empty() => Stmt::AlterEnumAddValue {
                name: qualified_from_list(&s.type_name),
                value: s.new_val.clone(),
                if_not_exists: s.skip_if_new_val_exists,
            },
            NodeEnum::AlterEnumStmt(s) => Stmt::AlterEnumRenameValue {
                name: qualified_from_list(&s.type_name),
                old: s.old_val.clone(),
                new: s.new_val.clone(),
            },
            NodeEnum::CreateDomainStmt(s) => Stmt::CreateDomain {
                name: qualified_from_list(&s.domainname),
                base: s.type_name.as_ref().map(|t| self.type_name(t)),
                has_check: s.constraints.iter().any(|c| {
                    matches!(c.node.as_ref(), Some(NodeEnum::Constraint(c)) if c.contype == ConstrType::ConstrCheck as i32)
                }),
            },
            NodeEnum::CreateSeqStmt(s) => Stmt::CreateSequence { name: opt_range_var(s.sequence.as_ref()), if_not_exists: s.if_not_exists },
            NodeEnum::AlterSeqStmt(s) => Stmt::AlterSequenceOwnedBy { name: opt_range_var(s.sequence.as_ref()), owner: self.owned_by(&s.options) },
            NodeEnum::ViewStmt(s) => Stmt::CreateView { name: opt_range_var(s.view.as_ref()), materialized: false, or_replace: s.replace },
            NodeEnum::RefreshMatViewStmt(s) => Stmt::RefreshMaterializedView { name: opt_range_var(s.relation.as_ref()), concurrently: s.concurrent },
            NodeEnum::VariableSetStmt(s) => self.set(s),
            NodeEnum::TransactionStmt(s) => Stmt::Transaction(transaction_kind(s.kind)),
            NodeEnum::ReindexStmt(s) => self.reindex(s),
            NodeEnum::VacuumStmt(s) => {
                let options: Vec<&str> = def_elem_names(&s.options).collect();
                let tables = s
                    .rels
                    .iter()
                    .filter_map(|n| match n.node.as_ref()? {
                        NodeEnum::VacuumRelation(v) => v.relation.as_ref().map(range_var),
                        _ => None,
                    })
                    .collect();
                Stmt::Vacuum { full: options.contains(&"full"), analyze_only: !s.is_vacuumcmd, tables }
            }
            NodeEnum::ClusterStmt(s) => Stmt::Cluster { table: s.relation.as_ref().map(range_var) },
            NodeEnum::TruncateStmt(s) => Stmt::Truncate { tables: range_vars(&s.relations), cascade: s.behavior == pb::DropBehavior::DropCascade as i32 },
            NodeEnum::UpdateStmt(s) => Stmt::Update { table: opt_range_var(s.relation.as_ref()), has_where: s.where_clause.is_some() },
            NodeEnum::DeleteStmt(s) => Stmt::Delete { table: opt_range_var(s.relation.as_ref()), has_where: s.where_clause.is_some() },
            NodeEnum::InsertStmt(s) => Stmt::Insert { table: opt_range_var(s.relation.as_ref()) },
            NodeEnum::SelectStmt(_) => Stmt::Select,
            NodeEnum::CreateExtensionStmt(s) => Stmt::CreateExtension { name: s.extname.clone() },
            NodeEnum::CreateFunctionStmt(s) => Stmt::CreateFunction { name: qualified_from_list(&s.funcname) },
            NodeEnum::DoStmt(_) => Stmt::Do,
            NodeEnum::CommentStmt(_) => Stmt::Comment,
            NodeEnum::GrantStmt(_) | NodeEnum::GrantRoleStmt(_) => Stmt::Grant,
            NodeEnum::CreateTrigStmt(s) => Stmt::CreateTrigger { table: opt_range_var(s.relation.as_ref()) },
            NodeEnum::LockStmt(s) => Stmt::Lock { tables: range_vars(&s.relations) },
            NodeEnum::CopyStmt(s) => Stmt::Copy { table: s.relation.as_ref().map(range_var), from: s.is_from },
            other => Stmt::Other(node_name(other)),
        }
    }

    fn owned_by(&self, options: &[pb::Node]) -> Option<(QualifiedName, String)> {
        options.iter().find_map(|n| match n.node.as_ref()? {
            NodeEnum::DefElem(d) if d.defname == "owned_by" => {
                let NodeEnum::List(list) = d.arg.as_ref()?.node.as_ref()? else {
                    return None;
                };
                let parts = strings(&list.items);
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

    fn set(&self, s: &pb::VariableSetStmt) -> Stmt {
        let value = match pb::VariableSetKind::try_from(s.kind) {
            Ok(pb::VariableSetKind::VarSetValue) => {
                let parts: Vec<String> = s
                    .args
                    .iter()
                    .filter_map(|a| self.expr(a).map(|e| e.string_value.unwrap_or(e.text)))
                    .collect();
                Some(parts.join(", "))
            }
            Ok(
                pb::VariableSetKind::VarSetDefault
                | pb::VariableSetKind::VarReset
                | pb::VariableSetKind::VarResetAll,
            ) => None,
            _ => Some(String::new()),
        };
        Stmt::Set {
            name: s.name.clone(),
            value,
            local: s.is_local,
        }
    }

    fn reindex(&self, s: &pb::ReindexStmt) -> Stmt {
        let concurrently = def_elem_names(&s.params).any(|n| n == "concurrently");
        let kind = match pb::ReindexObjectType::try_from(s.kind) {
            Ok(pb::ReindexObjectType::ReindexObjectIndex) => "index",
            Ok(pb::ReindexObjectType::ReindexObjectTable) => "table",
            Ok(pb::ReindexObjectType::ReindexObjectSchema) => "schema",
            Ok(pb::ReindexObjectType::ReindexObjectSystem) => "system",
            _ => "database",
        };
        let target = s
            .relation
            .as_ref()
            .map(range_var)
            .or_else(|| (!s.name.is_empty()).then(|| QualifiedName::new(None, &s.name)));
        Stmt::Reindex {
            concurrently,
            target,
            kind,
        }
    }

    fn create_table(&self, s: &pb::CreateStmt) -> CreateTable {
        let mut columns = Vec::new();
        let mut constraints = Vec::new();
        let mut like = Vec::new();
        for elt in &s.table_elts {
            match elt.node.as_ref() {
                Some(NodeEnum::ColumnDef(c)) => columns.push(self.column_def(c)),
                Some(NodeEnum::Constraint(c)) => constraints.extend(self.constraint(c, None)),
                Some(NodeEnum::TableLikeClause(l)) => like.push(opt_range_var(l.relation.as_ref())),
                _ => {}
            }
        }
        for c in &s.constraints {
            if let Some(NodeEnum::Constraint(c)) = c.node.as_ref() {
                constraints.extend(self.constraint(c, None));
            }
        }
        let persistence = s
            .relation
            .as_ref()
            .map_or("p", |r| r.relpersistence.as_str());
        CreateTable {
            name: opt_range_var(s.relation.as_ref()),
            name_span: self.range_var_span(s.relation.as_ref()),
            if_not_exists: s.if_not_exists,
            columns,
            constraints,
            partition_of: s
                .partbound
                .as_ref()
                .and_then(|_| s.inh_relations.first())
                .and_then(|n| match n.node.as_ref()? {
                    NodeEnum::RangeVar(rv) => Some(range_var(rv)),
                    _ => None,
                }),
            partitioned: s.partspec.is_some(),
            inherits: if s.partbound.is_some() {
                Vec::new()
            } else {
                range_vars(&s.inh_relations)
            },
            like,
            temporary: persistence == "t",
            unlogged: persistence == "u",
            from_query: false,
        }
    }

    fn create_table_as(&self, s: &pb::CreateTableAsStmt) -> Stmt {
        let rel = s.into.as_ref().and_then(|i| i.rel.as_ref());
        let name = opt_range_var(rel);
        if s.objtype == ObjectType::ObjectMatview as i32 {
            return Stmt::CreateView {
                name,
                materialized: true,
                or_replace: false,
            };
        }
        Stmt::CreateTable(CreateTable {
            name,
            name_span: self.range_var_span(rel),
            if_not_exists: s.if_not_exists,
            columns: Vec::new(),
            constraints: Vec::new(),
            partition_of: None,
            partitioned: false,
            inherits: Vec::new(),
            like: Vec::new(),
            temporary: rel.is_some_and(|r| r.relpersistence == "t"),
            unlogged: rel.is_some_and(|r| r.relpersistence == "u"),
            from_query: true,
        })
    }

    fn column_def(&self, c: &pb::ColumnDef) -> ColumnDef {
        let mut column = ColumnDef {
            name: c.colname.clone(),
            name_span: self.ident_span(c.location),
            type_name: c.type_name.as_ref().map(|t| self.type_name(t)),
            not_null: c.is_not_null,
            default: c.raw_default.as_deref().and_then(|d| self.expr(d)),
            identity: None,
            generated: None,
            constraints: Vec::new(),
        };
        for node in &c.constraints {
            let Some(NodeEnum::Constraint(con)) = node.node.as_ref() else {
                continue;
            };
            match ConstrType::try_from(con.contype).unwrap_or(ConstrType::Undefined) {
                ConstrType::ConstrNotnull => column.not_null = true,
                ConstrType::ConstrDefault => {
                    column.default = con.raw_expr.as_deref().and_then(|e| self.expr(e))
                }
                ConstrType::ConstrIdentity => {
                    column.identity = Some(if con.generated_when == "a" {
                        Identity::Always
                    } else {
                        Identity::ByDefault
                    });
                    column.not_null = true;
                }
                ConstrType::ConstrGenerated => {
                    column.generated = con.raw_expr.as_deref().and_then(|e| self.expr(e))
                }
                ConstrType::ConstrPrimary => {
                    column.not_null = true;
                    column
                        .constraints
                        .extend(self.constraint(con, Some(&c.colname)));
                }
                _ => column
                    .constraints
                    .extend(self.constraint(con, Some(&c.colname))),
            }
        }
        column
    }

    /// A table or column constraint; `column` is set for a constraint written on a column.
    fn constraint(&self, c: &pb::Constraint, column: Option<&str>) -> Option<Constraint> {
        let keys = |nodes: &[pb::Node]| -> Vec<String> {
            let listed = strings(nodes);
            if listed.is_empty() {
                column.map(|c| vec![c.to_owned()]).unwrap_or_default()
            } else {
                listed
            }
        };
        let using_index = (!c.indexname.is_empty()).then(|| c.indexname.clone());
        let kind = match ConstrType::try_from(c.contype).ok()? {
            ConstrType::ConstrPrimary => ConstraintKind::PrimaryKey {
                columns: keys(&c.keys),
                include: strings(&c.including),
                using_index,
            },
            ConstrType::ConstrUnique => ConstraintKind::Unique {
                columns: keys(&c.keys),
                include: strings(&c.including),
                using_index,
                nulls_not_distinct: c.nulls_not_distinct,
            },
            ConstrType::ConstrForeign => ConstraintKind::ForeignKey(ForeignKey {
                columns: keys(&c.fk_attrs),
                target: opt_range_var(c.pktable.as_ref()),
                target_columns: strings(&c.pk_attrs),
                on_delete: c.fk_del_action.chars().next().unwrap_or('a'),
                on_update: c.fk_upd_action.chars().next().unwrap_or('a'),
            }),
            ConstrType::ConstrCheck => ConstraintKind::Check {
                expr: c.raw_expr.as_deref().and_then(|e| self.expr(e))?,
            },
            ConstrType::ConstrExclusion => ConstraintKind::Exclude {
                columns: c
                    .exclusions
                    .iter()
                    .filter_map(|n| match n.node.as_ref()? {
                        NodeEnum::List(pair) => match pair.items.first()?.node.as_ref()? {
                            NodeEnum::IndexElem(e) if !e.name.is_empty() => Some(e.name.clone()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect(),
                method: if c.access_method.is_empty() {
                    "btree".into()
                } else {
                    c.access_method.clone()
                },
            },
            ConstrType::ConstrNotnull => ConstraintKind::NotNull {
                column: column
                    .map(str::to_owned)
                    .or_else(|| strings(&c.keys).into_iter().next())?,
            },
            _ => return None,
        };
        Some(Constraint {
            name: (!c.conname.is_empty()).then(|| c.conname.clone()),
            kind,
            not_valid: c.skip_validation,
            span: self.ident_span(c.location),
        })
    }

    fn type_name(&self, t: &pb::TypeName) -> TypeName {
        let mut parts = strings(&t.names);
        if parts.first().is_some_and(|p| p == "pg_catalog") {
            parts.remove(0);
        }
        let name = parts.pop().unwrap_or_default();
        let schema = parts.pop();
        let modifiers = t
            .typmods
            .iter()
            .filter_map(|m| match m.node.as_ref()? {
                NodeEnum::AConst(pb::AConst {
                    val: Some(a_const::Val::Ival(i)),
                    ..
                }) => Some(i64::from(i.ival)),
                _ => None,
            })
            .collect();
        TypeName {
            name,
            schema,
            modifiers,
            array: !t.array_bounds.is_empty(),
            span: self.span_at(t.location, 1),
        }
    }

    fn alter_table(&self, s: &pb::AlterTableStmt) -> AlterTable {
        let rel = s.relation.as_ref();
        AlterTable {
            name: opt_range_var(rel),
            name_span: self.range_var_span(rel),
            kind: relation_kind(s.objtype),
            if_exists: s.missing_ok,
            only: rel.is_some_and(|r| !r.inh),
            cmds: s
                .cmds
                .iter()
                .filter_map(|n| match n.node.as_ref()? {
                    NodeEnum::AlterTableCmd(c) => Some(self.alter_cmd(c)),
                    _ => None,
                })
                .collect(),
        }
    }

    fn alter_cmd(&self, c: &pb::AlterTableCmd) -> AlterTableCmd {
        use AlterTableAction as A;
        let def = c.def.as_deref().and_then(|d| d.node.as_ref());
        let column = || c.name.clone();
        let cascade = c.behavior == pb::DropBehavior::DropCascade as i32;
        let mut span = self.span_at(-1, 0);
        let subtype = AlterTableType::try_from(c.subtype).unwrap_or(AlterTableType::Undefined);
        let action = match (subtype, def) {
            (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
                let column = self.column_def(col);
                span = column.name_span;
                A::AddColumn {
                    column,
                    if_not_exists: c.missing_ok,
                }
            }
            (AlterTableType::AtDropColumn, _) => A::DropColumn {
                name: column(),
                if_exists: c.missing_ok,
                cascade,
            },
            (AlterTableType::AtAlterColumnType, Some(NodeEnum::ColumnDef(col))) => {
                match col.type_name.as_ref() {
                    Some(t) => {
                        let type_name = self.type_name(t);
                        span = type_name.span;
                        A::AlterColumnType {
                            column: column(),
                            type_name,
                            using: col.raw_default.as_deref().and_then(|e| self.expr(e)),
                        }
                    }
                    None => A::Other("AtAlterColumnType"),
                }
            }
            (AlterTableType::AtColumnDefault, Some(_)) => {
                match c.def.as_deref().and_then(|d| self.expr(d)) {
                    Some(default) => A::SetDefault {
                        column: column(),
                        default,
                    },
                    None => A::Other("AtColumnDefault"),
                }
            }
            (AlterTableType::AtColumnDefault, None) => A::DropDefault { column: column() },
            (AlterTableType::AtSetNotNull, _) => A::SetNotNull { column: column() },
            (AlterTableType::AtDropNotNull, _) => A::DropNotNull { column: column() },
            (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(con))) => {
                match self.constraint(con, None) {
                    Some(constraint) => {
                        span = constraint.span;
                        A::AddConstraint(constraint)
                    }
                    None => A::Other("AtAddConstraint"),
                }
            }
            (AlterTableType::AtDropConstraint, _) => A::DropConstraint {
                name: c.name.clone(),
                if_exists: c.missing_ok,
                cascade,
            },
            (AlterTableType::AtValidateConstraint, _) => A::ValidateConstraint {
                name: c.name.clone(),
            },
            (AlterTableType::AtEnableRowSecurity, _) => A::EnableRowLevelSecurity,
            (AlterTableType::AtDisableRowSecurity, _) => A::DisableRowLevelSecurity,
            (AlterTableType::AtForceRowSecurity, _) => A::ForceRowLevelSecurity,
            (AlterTableType::AtAddIdentity, Some(NodeEnum::Constraint(con))) => A::AddIdentity {
                column: column(),
                identity: if con.generated_when == "a" {
                    Identity::Always
                } else {
                    Identity::ByDefault
                },
            },
            (AlterTableType::AtDropIdentity, _) => A::DropIdentity { column: column() },
            (AlterTableType::AtAttachPartition, Some(NodeEnum::PartitionCmd(p))) => {
                A::AttachPartition {
                    partition: opt_range_var(p.name.as_ref()),
                }
            }
            (
                AlterTableType::AtDetachPartition | AlterTableType::AtDetachPartitionFinalize,
                Some(NodeEnum::PartitionCmd(p)),
            ) => A::DetachPartition {
                partition: opt_range_var(p.name.as_ref()),
                concurrently: p.concurrent,
            },
            (AlterTableType::AtSetLogged, _) => A::SetLogged,
            (AlterTableType::AtSetUnLogged, _) => A::SetUnlogged,
            (AlterTableType::AtSetTableSpace, _) => A::SetTablespace,
            (other, _) => A::Other(other.as_str_name()),
        };
        AlterTableCmd { action, span }
    }

    fn create_index(&self, s: &pb::IndexStmt) -> CreateIndex {
        let elems = s
            .index_params
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                NodeEnum::IndexElem(e) => Some(IndexElem {
                    column: (!e.name.is_empty()).then(|| e.name.clone()),
                    expr: e.expr.as_deref().and_then(|x| self.expr(x)),
                    opclass: (!e.opclass.is_empty()).then(|| strings(&e.opclass).join(".")),
                    descending: e.ordering == pb::SortByDir::SortbyDesc as i32,
                }),
                _ => None,
            })
            .collect();
        let include = s
            .index_including_params
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                NodeEnum::IndexElem(e) if !e.name.is_empty() => Some(e.name.clone()),
                _ => None,
            })
            .collect();
        CreateIndex {
            name: (!s.idxname.is_empty()).then(|| s.idxname.clone()),
            table: opt_range_var(s.relation.as_ref()),
            table_span: self.range_var_span(s.relation.as_ref()),
            unique: s.unique,
            concurrently: s.concurrent,
            if_not_exists: s.if_not_exists,
            method: if s.access_method.is_empty() {
                "btree".into()
            } else {
                s.access_method.clone()
            },
            elems,
            include,
            predicate: s.where_clause.as_deref().and_then(|w| self.expr(w)),
            only: s.relation.as_ref().is_some_and(|r| !r.inh),
        }
    }

    fn drop(&self, s: &pb::DropStmt) -> Stmt {
        let kind = object_kind(s.remove_type);
        let names = s
            .objects
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                NodeEnum::List(list) => Some(qualified_from_list(&list.items)),
                NodeEnum::String(s) => Some(QualifiedName::new(None, &s.sval)),
                NodeEnum::TypeName(t) => {
                    let t = self.type_name(t);
                    Some(QualifiedName {
                        schema: t.schema,
                        name: t.name,
                    })
                }
                _ => None,
            })
            .collect();
        Stmt::Drop(Drop {
            kind,
            names,
            if_exists: s.missing_ok,
            cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
            concurrently: s.concurrent,
        })
    }

    fn rename(&self, s: &pb::RenameStmt) -> Stmt {
        let kind = object_kind(s.rename_type);
        let target = match s.relation.as_ref() {
            Some(rv) => range_var(rv),
            None => match s.object.as_deref().and_then(|o| o.node.as_ref()) {
                Some(NodeEnum::List(list)) => qualified_from_list(&list.items),
                Some(NodeEnum::String(name)) => QualifiedName::new(None, &name.sval),
                _ => QualifiedName::new(None, ""),
            },
        };
        Stmt::Rename(Rename {
            kind,
            target,
            subname: (!s.subname.is_empty()).then(|| s.subname.clone()),
            new_name: s.newname.clone(),
            if_exists: s.missing_ok,
        })
    }

    /// Lower an expression to text plus the facts rules ask about it.
    fn expr(&self, node: &pb::Node) -> Option<Expr> {
        let node = node.node.as_ref()?;
        let mut functions = Vec::new();
        let text = print_expr(node, &mut functions);
        let (is_constant, string_value) = constant_value(node);
        Some(Expr {
            text,
            span: self.span_at(expr_location(node), 1),
            functions,
            is_constant,
            string_value,
        })
    }
}

fn transaction_kind(kind: i32) -> TransactionKind {
    use pb::TransactionStmtKind as K;
    match K::try_from(kind).unwrap_or(K::Undefined) {
        K::TransStmtCommit => TransactionKind::Commit,
        K::TransStmtRollback => TransactionKind::Rollback,
        K::TransStmtSavepoint => TransactionKind::Savepoint,
        K::TransStmtRelease => TransactionKind::Release,
        K::TransStmtRollbackTo => TransactionKind::RollbackTo,
        K::TransStmtPrepare => TransactionKind::Prepare,
        K::TransStmtCommitPrepared => TransactionKind::CommitPrepared,
        K::TransStmtRollbackPrepared => TransactionKind::RollbackPrepared,
        _ => TransactionKind::Begin,
    }
}

fn expr_location(node: &NodeEnum) -> i32 {
    match node {
        NodeEnum::AConst(c) => c.location,
        NodeEnum::FuncCall(f) => f.location,
        NodeEnum::TypeCast(t) => t
            .arg
            .as_deref()
            .and_then(|a| a.node.as_ref())
            .map_or(t.location, expr_location),
        NodeEnum::ColumnRef(c) => c.location,
        NodeEnum::AExpr(a) => a
            .lexpr
            .as_deref()
            .and_then(|l| l.node.as_ref())
            .map_or(a.location, expr_location),
        NodeEnum::BoolExpr(b) => b.location,
        NodeEnum::NullTest(n) => n.location,
        NodeEnum::SqlvalueFunction(s) => s.location,
        NodeEnum::AArrayExpr(a) => a.location,
        _ => -1,
    }
}

/// Whether the expression is a literal (possibly cast), and its string value if it is a string.
fn constant_value(node: &NodeEnum) -> (bool, Option<String>) {
    match node {
        NodeEnum::AConst(c) => match &c.val {
            Some(a_const::Val::Sval(s)) => (true, Some(s.sval.clone())),
            _ => (true, None),
        },
        NodeEnum::TypeCast(t) => t
            .arg
            .as_deref()
            .and_then(|a| a.node.as_ref())
            .map_or((false, None), constant_value),
        NodeEnum::AArrayExpr(a) => (
            a.elements
                .iter()
                .all(|e| e.node.as_ref().is_some_and(|n| constant_value(n).0)),
            None,
        ),
        _ => (false, None),
    }
}

fn print_list(nodes: &[pb::Node], functions: &mut Vec<String>) -> String {
    nodes
        .iter()
        .filter_map(|n| n.node.as_ref())
        .map(|n| print_expr(n, functions))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Print an expression in a compact SQL form, collecting the functions it calls.
fn print_expr(node: &NodeEnum, functions: &mut Vec<String>) -> String {
    match node {
        NodeEnum::AConst(c) => match &c.val {
            _ if c.isnull => "NULL".into(),
            Some(a_const::Val::Ival(i)) => i.ival.to_string(),
            Some(a_const::Val::Fval(f)) => f.fval.clone(),
            Some(a_const::Val::Boolval(b)) => if b.boolval { "true" } else { "false" }.into(),
            Some(a_const::Val::Sval(s)) => quote_literal(&s.sval),
            Some(a_const::Val::Bsval(b)) => b.bsval.clone(),
            None => "NULL".into(),
        },
        NodeEnum::TypeCast(t) => {
            let arg = t
                .arg
                .as_deref()
                .and_then(|a| a.node.as_ref())
                .map_or_else(String::new, |a| print_expr(a, functions));
            let ty = t.type_name.as_ref().map_or_else(String::new, |tn| {
                let mut names = strings(&tn.names);
                if names.first().is_some_and(|n| n == "pg_catalog") {
                    names.remove(0);
                }
                let array = if tn.array_bounds.is_empty() { "" } else { "[]" };
                format!("{}{array}", names.join("."))
            });
            format!("{arg}::{ty}")
        }
        NodeEnum::FuncCall(f) => {
            let mut names = strings(&f.funcname);
            if names.first().is_some_and(|n| n == "pg_catalog") {
                names.remove(0);
            }
            if let Some(last) = names.last() {
                functions.push(last.to_ascii_lowercase());
            }
            let args = if f.agg_star {
                "*".to_owned()
            } else {
                print_list(&f.args, functions)
            };
            format!("{}({args})", names.join("."))
        }
        NodeEnum::ColumnRef(c) => c
            .fields
            .iter()
            .map(|f| match f.node.as_ref() {
                Some(NodeEnum::String(s)) => s.sval.clone(),
                _ => "*".into(),
            })
            .collect::<Vec<_>>()
            .join("."),
        NodeEnum::AExpr(a) => {
            let op = strings(&a.name).join(" ");
            let l = a
                .lexpr
                .as_deref()
                .and_then(|x| x.node.as_ref())
                .map(|x| print_expr(x, functions));
            let r = a
                .rexpr
                .as_deref()
                .and_then(|x| x.node.as_ref())
                .map(|x| print_expr(x, functions));
            let kind = pb::AExprKind::try_from(a.kind).unwrap_or(pb::AExprKind::Undefined);
            let op = match kind {
                pb::AExprKind::AexprIn => {
                    if op == "=" {
                        "IN".into()
                    } else {
                        "NOT IN".into()
                    }
                }
                pb::AExprKind::AexprLike => {
                    if op == "~~" {
                        "LIKE".into()
                    } else {
                        "NOT LIKE".into()
                    }
                }
                pb::AExprKind::AexprIlike => {
                    if op == "~~*" {
                        "ILIKE".into()
                    } else {
                        "NOT ILIKE".into()
                    }
                }
                pb::AExprKind::AexprOpAny => format!("{op} ANY"),
                pb::AExprKind::AexprOpAll => format!("{op} ALL"),
                pb::AExprKind::AexprBetween => "BETWEEN".into(),
                pb::AExprKind::AexprNotBetween => "NOT BETWEEN".into(),
                pb::AExprKind::AexprDistinct => "IS DISTINCT FROM".into(),
                pb::AExprKind::AexprNotDistinct => "IS NOT DISTINCT FROM".into(),
                _ => op,
            };
            let wrap = |s: String| {
                if matches!(kind, pb::AExprKind::AexprIn) {
                    format!("({s})")
                } else {
                    s
                }
            };
            match (l, r) {
                (Some(l), Some(r)) => format!("{l} {op} {}", wrap(r)),
                (None, Some(r)) => format!("{op} {r}"),
                (Some(l), None) => format!("{l} {op}"),
                (None, None) => op,
            }
        }
        NodeEnum::List(l) => print_list(&l.items, functions),
        NodeEnum::BoolExpr(b) => {
            let parts: Vec<String> = b
                .args
                .iter()
                .filter_map(|a| a.node.as_ref())
                .map(|a| print_expr(a, functions))
                .collect();
            match pb::BoolExprType::try_from(b.boolop).unwrap_or(pb::BoolExprType::Undefined) {
                pb::BoolExprType::OrExpr => format!("({})", parts.join(" OR ")),
                pb::BoolExprType::NotExpr => format!("NOT {}", parts.join("")),
                _ => parts.join(" AND "),
            }
        }
        NodeEnum::NullTest(n) => {
            let arg = n
                .arg
                .as_deref()
                .and_then(|a| a.node.as_ref())
                .map_or_else(String::new, |a| print_expr(a, functions));
            if n.nulltesttype == pb::NullTestType::IsNull as i32 {
                format!("{arg} IS NULL")
            } else {
                format!("{arg} IS NOT NULL")
            }
        }
        NodeEnum::SqlvalueFunction(s) => {
            use pb::SqlValueFunctionOp as Op;
            let name = match Op::try_from(s.op).unwrap_or(Op::SqlvalueFunctionOpUndefined) {
                Op::SvfopCurrentDate => "CURRENT_DATE",
                Op::SvfopCurrentTime | Op::SvfopCurrentTimeN => "CURRENT_TIME",
                Op::SvfopCurrentTimestamp | Op::SvfopCurrentTimestampN => "CURRENT_TIMESTAMP",
                Op::SvfopLocaltime | Op::SvfopLocaltimeN => "LOCALTIME",
                Op::SvfopLocaltimestamp | Op::SvfopLocaltimestampN => "LOCALTIMESTAMP",
                Op::SvfopCurrentRole => "CURRENT_ROLE",
                Op::SvfopCurrentUser => "CURRENT_USER",
                Op::SvfopUser => "USER",
                Op::SvfopSessionUser => "SESSION_USER",
                _ => "CURRENT_SCHEMA",
            };
            functions.push(name.to_ascii_lowercase());
            name.into()
        }
        NodeEnum::AArrayExpr(a) => format!("ARRAY[{}]", print_list(&a.elements, functions)),
        NodeEnum::CollateClause(c) => {
            let arg = c
                .arg
                .as_deref()
                .and_then(|a| a.node.as_ref())
                .map_or_else(String::new, |a| print_expr(a, functions));
            format!("{arg} COLLATE {}", strings(&c.collname).join("."))
        }
        NodeEnum::ParamRef(p) => format!("${}", p.number),
        NodeEnum::CaseExpr(_) => "CASE … END".into(),
        NodeEnum::SubLink(_) => "(subquery)".into(),
        NodeEnum::RowExpr(r) => format!("ROW({})", print_list(&r.args, functions)),
        NodeEnum::CoalesceExpr(c) => {
            functions.push("coalesce".into());
            format!("COALESCE({})", print_list(&c.args, functions))
        }
        NodeEnum::MinMaxExpr(m) => {
            functions.push(
                if m.op == pb::MinMaxOp::IsGreatest as i32 {
                    "greatest"
                } else {
                    "least"
                }
                .into(),
            );
            format!(
                "{}({})",
                if m.op == pb::MinMaxOp::IsGreatest as i32 {
                    "GREATEST"
                } else {
                    "LEAST"
                },
                print_list(&m.args, functions)
            )
        }
        NodeEnum::AIndirection(_) => "(indirection)".into(),
        other => format!("({})", node_name(other)),
    }
}
