//! Replaying DDL into the catalog, one statement at a time.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use dbwise_diagnostics::{SourceFile, truncate_at_char};
use dbwise_syntax::ast::{
    AlterTable, AlterTableAction, ColumnDef, Constraint, ConstraintKind, CreateIndex, CreateTable,
    Drop, ObjectKind, QualifiedName, RelationKind, Rename, Stmt,
};

use crate::model::*;

/// PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1).
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// What replaying one statement found out beyond changing the catalog.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Objects the statement refers to that the catalog does not know, such as `table public.x`.
    /// They are marked external (for tables) or ignored; this is not an error.
    pub unresolved: Vec<String>,
    /// Objects the statement created, as `kind schema.name`.
    pub created: Vec<String>,
    /// Objects the statement removed, as `kind schema.name`.
    pub removed: Vec<String>,
    /// Nothing is recorded (see [`Catalog::replay`]).
    quiet: bool,
}

impl Applied {
    fn add_unresolved(&mut self, what: impl FnOnce() -> String) {
        if !self.quiet {
            self.unresolved.push(what());
        }
    }

    fn add_created(&mut self, what: impl FnOnce() -> String) {
        if !self.quiet {
            self.created.push(what());
        }
    }

    fn add_removed(&mut self, what: impl FnOnce() -> String) {
        if !self.quiet {
            self.removed.push(what());
        }
    }
}

impl Catalog {
    /// Apply one statement to the catalog, and say what it did.
    pub fn apply(&mut self, stmt: &Stmt, origin: &Origin) -> Applied {
        let mut applied = Applied::default();
        self.apply_to(stmt, origin, &mut applied);
        applied
    }

    /// Apply one statement to the catalog, for callers that only need the result (no record of
    /// what it created, removed or could not find is written).
    pub fn replay(&mut self, stmt: &Stmt, origin: &Origin) {
        let mut applied = Applied {
            quiet: true,
            ..Applied::default()
        };
        self.apply_to(stmt, origin, &mut applied);
    }

    /// Replay every statement of `file` that parses, in the order its effects happen, as
    /// migration `migration` of a history; the statements that do not parse are returned.
    pub fn replay_file(
        &mut self,
        file: &SourceFile,
        migration: Option<usize>,
    ) -> Vec<dbwise_syntax::SyntaxError> {
        let parsed = dbwise_syntax::parse(file);
        for (index, statement) in parsed.replay_order().iter().enumerate() {
            let origin = Origin::new(file.clone(), statement.span, migration, index);
            self.replay(&statement.stmt, &origin);
        }
        parsed.errors
    }

    fn apply_to(&mut self, stmt: &Stmt, origin: &Origin, applied: &mut Applied) {
        match stmt {
            Stmt::CreateTable(create) => self.create_table(create, origin, applied),
            Stmt::AlterTable(alter) => self.alter_table(alter, origin, applied),
            Stmt::CreateIndex(index) => self.create_index(index, origin, applied),
            Stmt::Drop(drop) => self.drop(drop, applied),
            Stmt::Rename(rename) => self.rename(rename, applied),
            Stmt::CreateSchema { name, .. } => {
                self.schemas
                    .entry(name.clone())
                    .or_insert_with(|| origin.clone());
                applied.add_created(|| format!("schema {name}"));
            }
            Stmt::CreateEnum { name, values } => {
                let kind = TypeKind::Enum {
                    values: values.clone(),
                };
                self.create_type(name, kind, origin, applied);
            }
            Stmt::AlterEnumAddValue { name, value, .. } => match self.resolve(&self.types, name) {
                Some(key) => {
                    if let Some(TypeDef {
                        kind: TypeKind::Enum { values },
                        ..
                    }) = self.types.get_mut(&key)
                        && !values.contains(value)
                    {
                        values.push(value.clone());
                    }
                }
                None => applied.add_unresolved(|| format!("type {}", self.creation_name(name))),
            },
            Stmt::AlterEnumRenameValue { name, old, new } => {
                if let Some(key) = self.resolve(&self.types, name)
                    && let Some(TypeDef {
                        kind: TypeKind::Enum { values },
                        ..
                    }) = self.types.get_mut(&key)
                {
                    values
                        .iter_mut()
                        .filter(|v| *v == old)
                        .for_each(|v| v.clone_from(new));
                }
            }
            Stmt::CreateDomain {
                name,
                base,
                has_check,
            } => {
                let kind = TypeKind::Domain {
                    base: base.clone(),
                    has_check: *has_check,
                };
                self.create_type(name, kind, origin, applied);
            }
            Stmt::CreateSequence {
                name,
                if_not_exists,
            } => {
                let key = self.creation_name(name);
                if !(*if_not_exists && self.sequences.contains_key(&key)) {
                    applied.add_created(|| format!("sequence {key}"));
                    self.sequences.insert(Box::new(Sequence {
                        name: key,
                        owned_by: None,
                        origin: origin.clone(),
                    }));
                }
            }
            Stmt::AlterSequenceOwnedBy {
                name,
                owner: Some((table, column)),
            } => {
                let owner = self
                    .resolve(&self.tables, table)
                    .map(|t| (t, column.as_str().into()));
                if let Some(key) = self.resolve(&self.sequences, name) {
                    if let Some((table, _)) = &owner {
                        link(&mut self.links.owned_sequences, table, &key);
                    }
                    self.sequences.update(&key, |seq| seq.owned_by = owner);
                }
            }
            Stmt::CreateView {
                name, materialized, ..
            } => {
                let key = self.creation_name(name);
                applied.add_created(|| format!("view {key}"));
                self.views.insert(
                    key.clone(),
                    View {
                        name: key,
                        materialized: *materialized,
                        origin: origin.clone(),
                    },
                );
            }
            Stmt::CreateExtension { name } => {
                self.extensions
                    .entry(name.clone())
                    .or_insert_with(|| origin.clone());
            }
            Stmt::CreateFunction { name, volatility } => {
                let known = self
                    .functions
                    .entry(name.name.as_str().into())
                    .or_insert(*volatility);
                *known = (*known).max(*volatility);
            }
            Stmt::Set { name, value, .. } if name == "search_path" => {
                self.set_search_path(value.as_deref())
            }
            _ => {}
        }
    }

    fn create_type(
        &mut self,
        name: &QualifiedName,
        kind: TypeKind,
        origin: &Origin,
        applied: &mut Applied,
    ) {
        let key = self.creation_name(name);
        applied.add_created(|| format!("type {key}"));
        self.types.insert(
            key.clone(),
            TypeDef {
                name: key,
                kind,
                origin: origin.clone(),
            },
        );
    }

    fn set_search_path(&mut self, value: Option<&str>) {
        let schemas: Vec<String> = value
            .unwrap_or("public")
            .split(',')
            .map(|s| s.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|s| !s.is_empty() && s != "$user" && s != "pg_catalog")
            .collect();
        self.search_path = if schemas.is_empty() {
            vec!["public".into()]
        } else {
            schemas
        };
    }

    /// Find a table, or register it as external when the SQL we replay never created it.
    fn table_or_external(
        &mut self,
        name: &QualifiedName,
        origin: &Origin,
        applied: &mut Applied,
    ) -> ObjectName {
        if let Some(key) = self.resolve(&self.tables, name) {
            return key;
        }
        let key = self.creation_name(name);
        applied.add_unresolved(|| format!("table {key}"));
        self.tables.insert(
            key.clone(),
            Box::new(Table {
                name: key.clone(),
                kind: TableKind::Table,
                columns: Vec::new(),
                constraints: Vec::new(),
                row_level_security: false,
                partition_of: None,
                partitioned: false,
                inherits: Vec::new(),
                temporary: false,
                external: true,
                columns_incomplete: true,
                dropped_foreign_keys: Vec::new(),
                dropped_unique_keys: Vec::new(),
                changed_by_code: false,
                origin: origin.clone(),
                name_span: origin.span,
            }),
        );
        key
    }

    fn create_table(&mut self, create: &CreateTable, origin: &Origin, applied: &mut Applied) {
        let key = self.creation_name(&create.name);
        if create.if_not_exists && self.tables.contains_key(&key) {
            return;
        }
        if self.tables.contains_key(&key) {
            self.remove_table(&key, applied);
        }
        let partition_of = create.partition_of.as_ref().map(|p| {
            self.resolve(&self.tables, p)
                .unwrap_or_else(|| self.creation_name(p))
        });
        let inherits: Vec<ObjectName> = create
            .inherits
            .iter()
            .map(|p| {
                self.resolve(&self.tables, p)
                    .unwrap_or_else(|| self.creation_name(p))
            })
            .collect();
        let mut columns_incomplete = create.from_query;
        let mut columns = Vec::new();
        for parent in partition_of
            .iter()
            .chain(&inherits)
            .cloned()
            .collect::<Vec<_>>()
            .iter()
            .chain(
                create
                    .like
                    .iter()
                    .map(|l| {
                        self.resolve(&self.tables, l)
                            .unwrap_or_else(|| self.creation_name(l))
                    })
                    .collect::<Vec<_>>()
                    .iter(),
            )
        {
            match self.tables.get(parent) {
                Some(p) => {
                    columns_incomplete |= !p.fully_known();
                    // Inherited columns are located at the new table's name, in this file.
                    columns.extend(p.columns.iter().cloned().map(|mut c| {
                        c.origin = origin.clone();
                        c.name_span = create.name_span;
                        c
                    }));
                }
                None => {
                    applied.add_unresolved(|| format!("table {parent}"));
                    columns_incomplete = true;
                }
            }
        }
        let mut table = Table {
            name: key.clone(),
            kind: TableKind::Table,
            columns,
            constraints: Vec::new(),
            row_level_security: false,
            partition_of,
            partitioned: create.partitioned,
            inherits,
            temporary: create.temporary,
            external: false,
            columns_incomplete,
            dropped_foreign_keys: Vec::new(),
            dropped_unique_keys: Vec::new(),
            changed_by_code: false,
            origin: origin.clone(),
            name_span: create.name_span,
        };
        let mut pending = Vec::new();
        for column in &create.columns {
            if let Some(existing) = table.column_mut(&column.name) {
                // A partition or child may restate an inherited column with extra constraints.
                existing.not_null |= column.not_null;
                if column.default.is_some() {
                    existing.default = column
                        .default
                        .as_ref()
                        .map(|d| self.spellings.defaults.share(d));
                }
            } else {
                table
                    .columns
                    .push(new_column(column, origin, &mut self.spellings));
            }
            pending.extend(column.constraints.iter().cloned());
        }
        // The catalog keeps every table to the end of the run: no growth slack.
        table.columns.shrink_to_fit();
        pending.extend(create.constraints.iter().cloned());
        // PostgreSQL drops a UNIQUE of the same CREATE TABLE that restates the primary key: it
        // would build the same index twice.
        let key_columns = pending.iter().find_map(|c| match &c.kind {
            ConstraintKind::PrimaryKey {
                columns, include, ..
            } => Some((columns.clone(), include.clone())),
            _ => None,
        });
        if let Some((columns, include)) = key_columns {
            pending.retain(|c| {
                !matches!(&c.kind, ConstraintKind::Unique {
                    columns: u, include: i, using_index: None, nulls_not_distinct: false,
                } if *u == columns && *i == include)
            });
        }
        applied.add_created(|| format!("table {key}"));
        self.tables.insert(key.clone(), Box::new(table));
        for column in &create.columns {
            self.add_serial_sequence(&key, column, origin);
        }
        for constraint in pending {
            self.add_constraint(&key, &constraint, origin, applied);
        }
    }

    /// `serial` columns own an implicit sequence named `<table>_<column>_seq`.
    fn add_serial_sequence(&mut self, table: &ObjectName, column: &ColumnDef, origin: &Origin) {
        if is_serial(column) {
            let name = ObjectName::new(
                &table.schema,
                &truncate_identifier(&format!("{}_{}_seq", table.name, column.name)),
            );
            link(&mut self.links.owned_sequences, table, &name);
            self.sequences.insert(Box::new(Sequence {
                name,
                owned_by: Some((table.clone(), column.name.as_str().into())),
                origin: origin.clone(),
            }));
        }
    }

    fn alter_table(&mut self, alter: &AlterTable, origin: &Origin, applied: &mut Applied) {
        if alter.kind != RelationKind::Table && alter.kind != RelationKind::ForeignTable {
            return;
        }
        if alter.if_exists && self.resolve(&self.tables, &alter.name).is_none() {
            return;
        }
        let key = self.table_or_external(&alter.name, origin, applied);
        for cmd in &alter.cmds {
            self.alter_action(&key, &cmd.action, origin, applied);
        }
    }

    fn column_entry<'a>(
        table: &'a mut Table,
        name: &str,
        origin: &Origin,
    ) -> Option<&'a mut Column> {
        if table.column(name).is_none() && table.external {
            table.columns.push(Column {
                name: name.into(),
                type_name: None,
                not_null: false,
                default: None,
                identity: None,
                generated: false,
                origin: origin.clone(),
                name_span: origin.span,
            });
        }
        table.column_mut(name)
    }

    fn alter_action(
        &mut self,
        key: &ObjectName,
        action: &AlterTableAction,
        origin: &Origin,
        applied: &mut Applied,
    ) {
        use AlterTableAction as A;
        match action {
            A::AddColumn {
                column,
                if_not_exists,
            } => {
                let Some(table) = self.tables.get_mut(key) else {
                    return;
                };
                if table.column(&column.name).is_some() {
                    if !*if_not_exists {
                        // Replaying a history that re-adds a column: the newest definition wins.
                        table.columns.retain(|c| c.name != column.name);
                    } else {
                        return;
                    }
                }
                let mut new = new_column(column, origin, &mut self.spellings);
                new.name_span = column.name_span;
                table.columns.push(new);
                self.add_serial_sequence(key, column, origin);
                for constraint in &column.constraints {
                    self.add_constraint(key, constraint, origin, applied);
                }
            }
            A::DropColumn { name, .. } => self.drop_column(key, name, applied),
            A::AlterColumnType {
                column, type_name, ..
            } => {
                if let Some(table) = self.tables.get_mut(key)
                    && let Some(c) = Self::column_entry(table, column, origin)
                {
                    c.type_name = Some(self.spellings.types.share(type_name));
                }
            }
            A::SetDefault { column, default } => {
                if let Some(table) = self.tables.get_mut(key)
                    && let Some(c) = Self::column_entry(table, column, origin)
                {
                    c.default = Some(self.spellings.defaults.share(default));
                }
            }
            A::DropDefault { column } => {
                if let Some(c) = self.tables.get_mut(key).and_then(|t| t.column_mut(column)) {
                    c.default = None;
                }
            }
            A::SetNotNull { column } => {
                if let Some(table) = self.tables.get_mut(key)
                    && let Some(c) = Self::column_entry(table, column, origin)
                {
                    c.not_null = true;
                }
            }
            A::DropNotNull { column } => {
                if let Some(c) = self.tables.get_mut(key).and_then(|t| t.column_mut(column)) {
                    c.not_null = false;
                }
            }
            A::AddConstraint(constraint) => self.add_constraint(key, constraint, origin, applied),
            A::DropConstraint { name, .. } => {
                if let Some(table) = self.tables.get_mut(key) {
                    for dropped in table.constraints.iter().filter(|c| c.name == name) {
                        match &dropped.kind {
                            ConstraintKind::ForeignKey(fk) => {
                                table.dropped_foreign_keys.push(fk.clone());
                            }
                            ConstraintKind::Unique { columns, .. } => {
                                table.dropped_unique_keys.push(columns.clone());
                            }
                            _ => {}
                        }
                    }
                    table.constraints.retain(|c| c.name != name);
                }
                self.remove_indexes_of(key, applied, |i| {
                    i.constraint().is_some_and(|c| c == name.as_str())
                });
            }
            A::ValidateConstraint { name } => {
                if let Some(c) = self
                    .tables
                    .get_mut(key)
                    .and_then(|t| t.constraints.iter_mut().find(|c| c.name == name))
                {
                    c.validated = true;
                }
            }
            A::EnableRowLevelSecurity | A::ForceRowLevelSecurity => {
                if let Some(table) = self.tables.get_mut(key) {
                    table.row_level_security = true;
                }
            }
            A::DisableRowLevelSecurity => {
                if let Some(table) = self.tables.get_mut(key) {
                    table.row_level_security = false;
                }
            }
            A::AddIdentity { column, identity } => {
                if let Some(table) = self.tables.get_mut(key)
                    && let Some(c) = Self::column_entry(table, column, origin)
                {
                    c.identity = Some(*identity);
                    c.not_null = true;
                }
            }
            A::DropIdentity { column } => {
                if let Some(c) = self.tables.get_mut(key).and_then(|t| t.column_mut(column)) {
                    c.identity = None;
                }
            }
            A::AttachPartition { partition } => {
                if let Some(part) = self.resolve(&self.tables, partition)
                    && let Some(t) = self.tables.get_mut(&part)
                {
                    t.partition_of = Some(key.clone());
                }
            }
            A::DetachPartition { partition, .. } => {
                if let Some(part) = self.resolve(&self.tables, partition)
                    && let Some(t) = self.tables.get_mut(&part)
                {
                    t.partition_of = None;
                }
            }
            A::SetLogged | A::SetUnlogged | A::SetTablespace | A::Other(_) => {}
        }
    }

    fn drop_column(&mut self, key: &ObjectName, name: &str, applied: &mut Applied) {
        let Some(table) = self.tables.get_mut(key) else {
            return;
        };
        table.columns.retain(|c| c.name != name);
        table
            .constraints
            .retain(|c| !constraint_columns(&c.kind).iter().any(|col| col == name));
        self.remove_indexes_of(key, applied, |i| {
            i.elems.iter().any(|e| e.column.as_deref() == Some(name))
                || i.include.iter().any(|c| c == name)
        });
    }

    /// Remove the indexes that match, recording each removal.
    fn remove_indexes(&mut self, applied: &mut Applied, doomed: impl Fn(&Index) -> bool) {
        let names: Vec<ObjectName> = self
            .indexes
            .values()
            .filter(|i| doomed(i))
            .map(|i| i.name.clone())
            .collect();
        self.drop_indexes(names, applied);
    }

    /// Remove the indexes of `table` that match, recording each removal.
    fn remove_indexes_of(
        &mut self,
        table: &ObjectName,
        applied: &mut Applied,
        doomed: impl Fn(&Index) -> bool,
    ) {
        let names: Vec<ObjectName> = self
            .indexes_on(table)
            .filter(|i| doomed(i))
            .map(|i| i.name.clone())
            .collect();
        self.drop_indexes(names, applied);
    }

    fn drop_indexes(&mut self, names: Vec<ObjectName>, applied: &mut Applied) {
        for name in names {
            self.take_index(&name);
            applied.add_removed(|| format!("index {name}"));
        }
    }

    /// Add an index, or replace the one of the same name, and link it to its table.
    fn insert_index(&mut self, index: Box<Index>) {
        let (name, table) = (index.name.name.clone(), index.table.clone());
        if let Some(replaced) = self.indexes.insert(index) {
            self.unlink_index(&replaced.table, &name);
        }
        self.links.indexes.entry(table).or_default().insert(name);
    }

    /// Remove an index and its link to its table.
    fn take_index(&mut self, name: &ObjectName) -> Option<Box<Index>> {
        let index = self.indexes.remove(name)?;
        self.unlink_index(&index.table, &name.name);
        Some(index)
    }

    fn unlink_index(&mut self, table: &ObjectName, name: &Identifier) {
        if let Some(names) = self.links.indexes.get_mut(table) {
            names.remove(name);
            if names.is_empty() {
                self.links.indexes.remove(table);
            }
        }
    }

    /// Record that `table` has a foreign key to a table named `target`.
    fn link_referrer(&mut self, target: &QualifiedName, table: &ObjectName) {
        self.links
            .referrers
            .entry(target.name.as_str().into())
            .or_default()
            .insert(table.clone());
    }

    fn add_constraint(
        &mut self,
        key: &ObjectName,
        constraint: &Constraint,
        origin: &Origin,
        applied: &mut Applied,
    ) {
        let Some(table) = self.tables.get(key) else {
            return;
        };
        let columns = constraint_columns(&constraint.kind);
        let name: Identifier = match &constraint.name {
            Some(name) => name.as_str().into(),
            None => {
                let suffix = match constraint.kind {
                    ConstraintKind::PrimaryKey { .. } => "pkey",
                    ConstraintKind::Unique { .. } => "key",
                    ConstraintKind::ForeignKey(_) => "fkey",
                    ConstraintKind::Check { .. } => "check",
                    ConstraintKind::Exclude { .. } => "excl",
                    ConstraintKind::NotNull { .. } => "not_null",
                };
                let base = if suffix == "pkey" {
                    format!("{}_pkey", key.name)
                } else {
                    default_name(&key.name, &columns, suffix)
                };
                let taken = |n: &str| {
                    table.constraints.iter().any(|c| c.name == n)
                        || self.indexes.contains_key(&ObjectName::new(&key.schema, n))
                };
                unique_name(&base, taken).into()
            }
        };
        if let ConstraintKind::ForeignKey(fk) = &constraint.kind
            && self.resolve(&self.tables, &fk.target).is_none()
        {
            applied.add_unresolved(|| format!("table {}", self.creation_name(&fk.target)));
        }
        let index_backed = match &constraint.kind {
            ConstraintKind::PrimaryKey { using_index, .. }
            | ConstraintKind::Unique { using_index, .. } => Some(using_index.clone()),
            ConstraintKind::Exclude { .. } => Some(None),
            _ => None,
        };
        if let Some(using_index) = index_backed {
            let index_key = ObjectName::new(&key.schema, &name);
            let existing = using_index.and_then(|old| {
                let old = ObjectName::new(&key.schema, &old);
                let index = self.take_index(&old)?;
                applied.add_removed(|| format!("index {old}"));
                Some(index)
            });
            applied.add_created(|| format!("index {index_key}"));
            let index = match existing {
                Some(mut index) => {
                    index.name = index_key.clone();
                    index.backs_constraint = true;
                    index
                }
                None => Box::new(Index {
                    name: index_key.clone(),
                    table: key.clone(),
                    unique: !matches!(constraint.kind, ConstraintKind::Exclude { .. }),
                    backs_constraint: true,
                    method: match &constraint.kind {
                        ConstraintKind::Exclude { method, .. } => method.as_str().into(),
                        _ => "btree".into(),
                    },
                    elems: columns
                        .iter()
                        .map(|c| dbwise_syntax::ast::IndexElem {
                            column: Some(c.as_str().into()),
                            expr: None,
                            opclass: None,
                            descending: false,
                        })
                        .collect(),
                    include: match &constraint.kind {
                        ConstraintKind::PrimaryKey { include, .. }
                        | ConstraintKind::Unique { include, .. } => include.as_slice().into(),
                        _ => Box::default(),
                    },
                    predicate: None,
                    origin: origin.clone(),
                }),
            };
            self.insert_index(index);
        }
        if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
            self.link_referrer(&fk.target, key);
        }
        let Some(table) = self.tables.get_mut(key) else {
            return;
        };
        if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) {
            for column in &columns {
                if let Some(c) = Self::column_entry(table, column, origin) {
                    c.not_null = true;
                }
            }
        }
        if let ConstraintKind::NotNull { column } = &constraint.kind {
            if let Some(c) = Self::column_entry(table, column, origin) {
                c.not_null = true;
            }
            return;
        }
        table.constraints.retain(|c| c.name != name);
        // A dump adds each table's constraints one by one: room for exactly one more, where
        // `push` would make room for four.
        table.constraints.reserve_exact(1);
        table.constraints.push(TableConstraint {
            name,
            kind: constraint.kind.clone(),
            validated: !constraint.not_valid,
            origin: origin.clone(),
            span: constraint.span,
        });
    }

    fn create_index(&mut self, create: &CreateIndex, origin: &Origin, applied: &mut Applied) {
        let on_view = self.resolve(&self.views, &create.table);
        let table = match on_view {
            Some(view) => view,
            None => self.table_or_external(&create.table, origin, applied),
        };
        let columns: Vec<Identifier> = create
            .elems
            .iter()
            .map(|e| e.column.as_deref().unwrap_or("expr").into())
            .collect();
        let name = match &create.name {
            Some(name) => ObjectName::new(&table.schema, name),
            None => {
                let base = default_name(&table.name, &columns, "idx");
                ObjectName::new(
                    &table.schema,
                    &unique_name(&base, |n| {
                        self.indexes
                            .contains_key(&ObjectName::new(&table.schema, n))
                    }),
                )
            }
        };
        if create.if_not_exists && self.indexes.contains_key(&name) {
            return;
        }
        applied.add_created(|| format!("index {name}"));
        self.insert_index(Box::new(Index {
            name,
            table,
            unique: create.unique,
            backs_constraint: false,
            method: create.method.as_str().into(),
            elems: create.elems.as_slice().into(),
            include: create.include.as_slice().into(),
            predicate: create.predicate.clone().map(Box::new),
            origin: origin.clone(),
        }));
    }

    fn remove_table(&mut self, key: &ObjectName, applied: &mut Applied) {
        self.tables.remove(key);
        self.remove_indexes_of(key, applied, |_| true);
        for name in self.links.owned_sequences.remove(key).unwrap_or_default() {
            if self.sequences.get(&name).is_some_and(|s| owned_by(s, key)) {
                self.sequences.remove(&name);
                applied.add_removed(|| format!("sequence {name}"));
            }
        }
        for referrer in self.links.referrers(key) {
            let Some(table) = self.tables.get_mut(referrer) else {
                continue;
            };
            table.constraints.retain(|c| match &c.kind {
                ConstraintKind::ForeignKey(fk) => !is_target(&fk.target, &self.search_path, key),
                _ => true,
            });
        }
    }

    fn drop(&mut self, drop: &Drop, applied: &mut Applied) {
        for name in &drop.names {
            let found = match drop.kind {
                ObjectKind::Table | ObjectKind::ForeignTable => {
                    self.resolve(&self.tables, name).map(|k| {
                        self.remove_table(&k, applied);
                        applied.add_removed(|| format!("table {k}"));
                    })
                }
                ObjectKind::Index => self.resolve(&self.indexes, name).map(|k| {
                    if let Some(index) = self.take_index(&k)
                        && index.unique
                        && let Some(columns) = index
                            .elems
                            .iter()
                            .map(|e| e.column.clone())
                            .collect::<Option<Vec<_>>>()
                        && let Some(table) = self.tables.get_mut(&index.table)
                    {
                        table.dropped_unique_keys.push(columns);
                    }
                    applied.add_removed(|| format!("index {k}"));
                }),
                ObjectKind::View | ObjectKind::MaterializedView => {
                    self.resolve(&self.views, name).map(|k| {
                        self.views.remove(&k);
                        self.remove_indexes_of(&k, applied, |_| true);
                        applied.add_removed(|| format!("view {k}"));
                    })
                }
                ObjectKind::Sequence => self.resolve(&self.sequences, name).map(|k| {
                    self.sequences.remove(&k);
                    applied.add_removed(|| format!("sequence {k}"));
                }),
                ObjectKind::Type | ObjectKind::Domain => self.resolve(&self.types, name).map(|k| {
                    self.types.remove(&k);
                    applied.add_removed(|| format!("type {k}"));
                }),
                ObjectKind::Schema => self.schemas.remove(&name.name).map(|_| {
                    let schema = name.name.clone();
                    let tables: Vec<ObjectName> = self
                        .tables
                        .keys()
                        .filter(|k| k.schema == schema)
                        .cloned()
                        .collect();
                    tables.iter().for_each(|t| self.remove_table(t, applied));
                    self.remove_indexes(applied, |i| i.name.schema == schema);
                    self.types.retain(|k, _| k.schema != schema);
                    self.sequences.retain(|s| s.name.schema != schema);
                    self.views.retain(|k, _| k.schema != schema);
                    applied.add_removed(|| format!("schema {schema}"));
                }),
                ObjectKind::Extension => self.extensions.remove(&name.name).map(|_| {
                    applied.add_removed(|| format!("extension {}", name.name));
                }),
                _ => continue,
            };
            if found.is_none() && !drop.if_exists {
                applied.add_unresolved(|| format!("{:?} {}", drop.kind, name).to_lowercase());
            }
        }
    }

    fn rename(&mut self, rename: &Rename, applied: &mut Applied) {
        match rename.kind {
            ObjectKind::Table | ObjectKind::ForeignTable => {
                let Some(old) = self.resolve(&self.tables, &rename.target) else {
                    if !rename.if_exists {
                        applied.add_unresolved(|| {
                            format!("table {}", self.creation_name(&rename.target))
                        });
                    }
                    return;
                };
                let new = ObjectName::new(&old.schema, &rename.new_name);
                let Some(mut table) = self.tables.remove(&old) else {
                    return;
                };
                table.name = new.clone();
                let targets: Vec<QualifiedName> = table
                    .foreign_keys()
                    .map(|(_, fk)| fk.target.clone())
                    .collect();
                self.tables.insert(new.clone(), table);
                for target in &targets {
                    self.link_referrer(target, &new);
                }
                if let Some(names) = self.links.indexes.remove(&old) {
                    for name in &names {
                        self.indexes
                            .update(&ObjectName::new(&old.schema, name), |index| {
                                index.table = new.clone()
                            });
                    }
                    self.links
                        .indexes
                        .entry(new.clone())
                        .or_default()
                        .extend(names);
                }
                for name in self.links.owned_sequences.remove(&old).unwrap_or_default() {
                    let mut moved = false;
                    self.sequences.update(&name, |seq| {
                        if let Some((t, _)) = &mut seq.owned_by
                            && *t == old
                        {
                            *t = new.clone();
                            moved = true;
                        }
                    });
                    if moved {
                        link(&mut self.links.owned_sequences, &new, &name);
                    }
                }
                for table in self.tables.values_mut() {
                    table
                        .partition_of
                        .iter_mut()
                        .filter(|p| **p == old)
                        .for_each(|p| *p = new.clone());
                }
                let new_target = QualifiedName::new(Some(&new.schema), &new.name);
                let mut retargeted = Vec::new();
                for referrer in self.links.referrers(&old) {
                    let Some(table) = self.tables.get_mut(referrer) else {
                        continue;
                    };
                    for c in &mut table.constraints {
                        if let ConstraintKind::ForeignKey(fk) = &mut c.kind
                            && is_target(&fk.target, &self.search_path, &old)
                        {
                            fk.target = new_target.clone();
                            retargeted.push(referrer.clone());
                        }
                    }
                }
                for referrer in &retargeted {
                    self.link_referrer(&new_target, referrer);
                }
                applied.add_removed(|| format!("table {old}"));
                applied.add_created(|| format!("table {new}"));
            }
            ObjectKind::Column => {
                let (Some(key), Some(old)) = (
                    self.resolve(&self.tables, &rename.target),
                    rename.subname.as_deref(),
                ) else {
                    if !rename.if_exists {
                        applied.add_unresolved(|| {
                            format!("table {}", self.creation_name(&rename.target))
                        });
                    }
                    return;
                };
                self.rename_column(&key, old, &rename.new_name);
            }
            ObjectKind::Constraint => {
                if let (Some(key), Some(old)) = (
                    self.resolve(&self.tables, &rename.target),
                    rename.subname.as_deref(),
                ) {
                    if let Some(c) = self
                        .tables
                        .get_mut(&key)
                        .and_then(|t| t.constraints.iter_mut().find(|c| c.name == old))
                    {
                        c.name = rename.new_name.as_str().into();
                    }
                    let old_index = ObjectName::new(&key.schema, old);
                    if let Some(mut index) = self.take_index(&old_index) {
                        index.name = ObjectName::new(&key.schema, &rename.new_name);
                        index.backs_constraint = true;
                        applied.add_removed(|| format!("index {old_index}"));
                        applied.add_created(|| format!("index {}", index.name));
                        self.insert_index(index);
                    }
                }
            }
            ObjectKind::Index => {
                if let Some(old) = self.resolve(&self.indexes, &rename.target)
                    && let Some(mut index) = self.take_index(&old)
                {
                    if let Some(constraint) = index.constraint()
                        && let Some(c) = self
                            .tables
                            .get_mut(&index.table)
                            .and_then(|t| t.constraints.iter_mut().find(|c| c.name == constraint))
                    {
                        c.name = rename.new_name.as_str().into();
                    }
                    index.name = ObjectName::new(&old.schema, &rename.new_name);
                    applied.add_removed(|| format!("index {old}"));
                    applied.add_created(|| format!("index {}", index.name));
                    self.insert_index(index);
                } else if !rename.if_exists {
                    applied
                        .add_unresolved(|| format!("index {}", self.creation_name(&rename.target)));
                }
            }
            ObjectKind::View | ObjectKind::MaterializedView => {
                let search_path = &self.search_path;
                rename_in(
                    &mut self.views,
                    search_path,
                    rename,
                    "view",
                    |v| &mut v.name,
                    applied,
                );
            }
            ObjectKind::Sequence => {
                let search_path = &self.search_path;
                let renamed = rename_in(
                    &mut self.sequences,
                    search_path,
                    rename,
                    "sequence",
                    |s| &mut s.name,
                    applied,
                );
                if let Some((new, Some((table, _)))) = renamed
                    .and_then(|new| Some((new.clone(), self.sequences.get(&new)?.owned_by.clone())))
                {
                    link(&mut self.links.owned_sequences, &table, &new);
                }
            }
            ObjectKind::Type | ObjectKind::Domain => {
                let search_path = &self.search_path;
                let Some(new) = rename_in(
                    &mut self.types,
                    search_path,
                    rename,
                    "type",
                    |t| &mut t.name,
                    applied,
                ) else {
                    return;
                };
                // Columns and domains of the type now show its new name, as PostgreSQL's do.
                let old = ObjectName::new(&new.schema, &rename.target.name);
                let follow = |type_name: &mut Arc<dbwise_syntax::ast::TypeSpec>| {
                    if type_name.name == old.name.as_str()
                        && type_name.schema.as_deref().is_none_or(|s| s == old.schema)
                    {
                        Arc::make_mut(type_name).name = new.name.clone();
                    }
                };
                for table in self.tables.values_mut() {
                    for column in &mut table.columns {
                        column.type_name.as_mut().map(follow);
                    }
                }
                for def in self.types.values_mut() {
                    if let TypeKind::Domain {
                        base: Some(base), ..
                    } = &mut def.kind
                    {
                        follow(&mut base.spec);
                    }
                }
            }
            ObjectKind::Schema => {
                let old = rename.target.name.clone();
                if let Some(origin) = self.schemas.remove(&old) {
                    self.schemas.insert(rename.new_name.clone(), origin);
                }
            }
            _ => {}
        }
    }

    fn rename_column(&mut self, key: &ObjectName, old: &str, new: &str) {
        let rename = |name: &mut Identifier| {
            if name == old {
                *name = new.into();
            }
        };
        if let Some(table) = self.tables.get_mut(key) {
            if let Some(c) = table.column_mut(old) {
                c.name = new.into();
            }
            for c in &mut table.constraints {
                constraint_columns_mut(&mut c.kind, &rename);
            }
        }
        for name in self.links.indexes.get(key).into_iter().flatten() {
            self.indexes
                .update(&ObjectName::new(&key.schema, name), |index| {
                    for column in index.elems.iter_mut().filter_map(|e| e.column.as_mut()) {
                        if column == old {
                            *column = new.into();
                        }
                    }
                    index.include.iter_mut().for_each(rename);
                });
        }
        for referrer in self.links.referrers(key) {
            let Some(table) = self.tables.get_mut(referrer) else {
                continue;
            };
            for c in &mut table.constraints {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind
                    && is_target(&fk.target, &self.search_path, key)
                {
                    fk.target_columns.iter_mut().for_each(rename);
                }
            }
        }
    }
}

/// Rename an object kept under its name in `map`, recording the change; the new name, when
/// the object was found.
fn rename_in<T>(
    map: &mut impl Store<T>,
    search_path: &[String],
    rename: &Rename,
    kind: &str,
    name_of: impl Fn(&mut T) -> &mut ObjectName,
    applied: &mut Applied,
) -> Option<ObjectName> {
    let found = match &rename.target.schema {
        Some(schema) => Some(ObjectName::new(schema, &rename.target.name)),
        None => search_path
            .iter()
            .map(|s| ObjectName::new(s, &rename.target.name))
            .find(|k| map.has(k)),
    };
    let (old, mut object) = found.and_then(|old| map.take(&old).map(|object| (old, object)))?;
    let new = ObjectName::new(&old.schema, &rename.new_name);
    *name_of(&mut object) = new.clone();
    applied.add_removed(|| format!("{kind} {old}"));
    applied.add_created(|| format!("{kind} {new}"));
    map.put(new.clone(), object);
    Some(new)
}

/// Where [`rename_in`] moves an object: a map by name, or objects found by their own name.
trait Store<T>: Names {
    fn take(&mut self, name: &ObjectName) -> Option<T>;
    /// Keep `object`, which is now called `name`.
    fn put(&mut self, name: ObjectName, object: T);
}

impl<T> Store<T> for BTreeMap<ObjectName, T> {
    fn take(&mut self, name: &ObjectName) -> Option<T> {
        self.remove(name)
    }

    fn put(&mut self, name: ObjectName, object: T) {
        self.insert(name, object);
    }
}

impl<T: Named> Store<Box<T>> for Objects<T> {
    fn take(&mut self, name: &ObjectName) -> Option<Box<T>> {
        self.remove(name)
    }

    fn put(&mut self, _: ObjectName, object: Box<T>) {
        self.insert(object);
    }
}

/// Add `object` to the set `links` keeps for `owner`.
fn link(links: &mut HashMap<ObjectName, NameSet>, owner: &ObjectName, object: &ObjectName) {
    links
        .entry(owner.clone())
        .or_default()
        .insert(object.clone());
}

fn owned_by(sequence: &Sequence, table: &ObjectName) -> bool {
    sequence.owned_by.as_ref().is_some_and(|(t, _)| t == table)
}

/// True when a foreign key's written target names `table`: an unqualified target is taken to
/// be in the first schema of `search_path`.
fn is_target(target: &QualifiedName, search_path: &[String], table: &ObjectName) -> bool {
    let schema = match &target.schema {
        Some(schema) => schema.as_str(),
        None => search_path.first().map_or("public", String::as_str),
    };
    target.name == table.name && schema == table.schema
}

/// A `serial` column: an integer with a sequence default, and NOT NULL.
fn is_serial(column: &ColumnDef) -> bool {
    column.type_name.as_ref().is_some_and(|t| {
        !t.array
            && matches!(
                t.name.as_str(),
                "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
            )
    })
}

fn new_column(column: &ColumnDef, origin: &Origin, spellings: &mut Spellings) -> Column {
    Column {
        name: column.name.as_str().into(),
        type_name: column.type_name.as_ref().map(|t| spellings.types.share(t)),
        not_null: column.not_null || is_serial(column),
        default: column.default.as_ref().map(|d| spellings.defaults.share(d)),
        identity: column.identity,
        generated: column.generated.is_some(),
        origin: origin.clone(),
        name_span: column.name_span,
    }
}

/// The columns a constraint is about (its key columns; for CHECK, none).
pub fn constraint_columns(kind: &ConstraintKind) -> Vec<Identifier> {
    match kind {
        ConstraintKind::PrimaryKey { columns, .. }
        | ConstraintKind::Unique { columns, .. }
        | ConstraintKind::Exclude { columns, .. } => columns.clone(),
        ConstraintKind::ForeignKey(fk) => fk.columns.clone(),
        ConstraintKind::NotNull { column } => vec![column.clone()],
        ConstraintKind::Check { .. } => Vec::new(),
    }
}

fn constraint_columns_mut(kind: &mut ConstraintKind, rename: &impl Fn(&mut Identifier)) {
    match kind {
        ConstraintKind::PrimaryKey {
            columns, include, ..
        }
        | ConstraintKind::Unique {
            columns, include, ..
        } => {
            columns
                .iter_mut()
                .chain(include.iter_mut())
                .for_each(rename);
        }
        ConstraintKind::Exclude { columns, .. } => columns.iter_mut().for_each(rename),
        ConstraintKind::ForeignKey(fk) => fk.columns.iter_mut().for_each(rename),
        ConstraintKind::NotNull { column } => rename(column),
        ConstraintKind::Check { .. } => {}
    }
}

/// PostgreSQL's naming for unnamed constraints and indexes: `<table>_<columns>_<suffix>`.
fn default_name(table: &str, columns: &[Identifier], suffix: &str) -> String {
    let mut joined = table.to_owned();
    for column in columns {
        joined.push('_');
        joined.push_str(column);
    }
    let room = MAX_IDENTIFIER_BYTES.saturating_sub(suffix.len() + 1);
    format!("{}_{suffix}", truncate_at_char(&joined, room))
}

fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (1..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_owned())
}

/// Cut an identifier to PostgreSQL's 63-byte limit, on a character boundary.
pub fn truncate_identifier(name: &str) -> String {
    truncate_at_char(name, MAX_IDENTIFIER_BYTES).to_owned()
}
