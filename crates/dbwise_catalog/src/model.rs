//! The schema model: what exists after replaying DDL, and where each object came from.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use dbwise_diagnostics::{SourceFile, Span};
use dbwise_syntax::ast::{
    ConstraintKind, Expr, ExprSpec, Identity, IndexElem, Placed, QualifiedName, TypeName, TypeSpec,
    Volatility, quote_ident,
};

/// Where an object was created (or first referenced, for an external object). A schema dump
/// stores one on every column, constraint and index, so the two counters are 32-bit: 24 bytes
/// in all.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: SourceFile,
    pub span: Span,
    statement: u32,
    /// The migration's position, or `NO_MIGRATION`.
    migration: u32,
}

const NO_MIGRATION: u32 = u32::MAX;

impl Origin {
    /// Counters past the 32-bit range (four billion statements) are held at its top.
    pub fn new(file: SourceFile, span: Span, migration: Option<usize>, statement: usize) -> Self {
        let narrow = |n: usize, top: u32| u32::try_from(n).map_or(top, |n| n.min(top));
        Origin {
            file,
            span,
            statement: narrow(statement, u32::MAX),
            migration: migration.map_or(NO_MIGRATION, |m| narrow(m, NO_MIGRATION - 1)),
        }
    }

    /// Index of the statement in the whole replay, counting from 0.
    pub fn statement(&self) -> usize {
        self.statement as usize
    }

    /// Position of the migration in the replay order, when the input is a migration set.
    pub fn migration(&self) -> Option<usize> {
        (self.migration != NO_MIGRATION).then_some(self.migration as usize)
    }
}

/// A schema-qualified name after `search_path` resolution: the schema is always known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectName {
    pub schema: Identifier,
    pub name: Identifier,
}

pub use dbwise_syntax::ast::Identifier;

impl ObjectName {
    pub fn new(schema: &str, name: &str) -> Self {
        ObjectName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// The name as a user would write it: schema omitted for `public`.
    pub fn display(&self) -> String {
        self.to_string()
    }
}

/// Like the written [`QualifiedName`] it stands for, with the schema omitted for `public`.
impl std::fmt::Display for ObjectName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.schema != "public" {
            f.write_str(&quote_ident(&self.schema))?;
            f.write_str(".")?;
        }
        f.write_str(&quote_ident(&self.name))
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: Identifier,
    /// None when the column came from a source we cannot see (an external table, `LIKE`).
    /// The spelling only, shared with the other columns of the same type: where it is written
    /// is never asked of a column.
    pub type_name: Option<Arc<TypeSpec>>,
    pub not_null: bool,
    /// The default's spelling only, shared like the type's.
    pub default: Option<Arc<ExprSpec>>,
    pub identity: Option<Identity>,
    pub generated: bool,
    pub origin: Origin,
    /// The span of the column's name in the statement that defined it.
    pub name_span: Span,
}

#[derive(Debug, Clone)]
pub struct TableConstraint {
    pub name: Identifier,
    pub kind: ConstraintKind,
    /// False while a `NOT VALID` constraint has not been validated.
    pub validated: bool,
    pub origin: Origin,
    /// The span of the constraint in the statement that added it.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Table,
    ForeignTable,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: ObjectName,
    pub kind: TableKind,
    pub columns: Vec<Column>,
    pub constraints: Vec<TableConstraint>,
    pub row_level_security: bool,
    pub partition_of: Option<ObjectName>,
    pub partitioned: bool,
    pub inherits: Vec<ObjectName>,
    pub temporary: bool,
    /// The table was not created in the replayed SQL (an extension's or a dump fragment's):
    /// its columns and constraints are only partly known, and rules stay quiet about it.
    pub external: bool,
    /// Columns may be missing from the model (`LIKE`, `CREATE TABLE AS`, inheritance from an
    /// unknown parent).
    pub columns_incomplete: bool,
    /// The foreign keys the history dropped from this table: references the project chose to
    /// leave undeclared.
    pub dropped_foreign_keys: Vec<dbwise_syntax::ast::ForeignKey>,
    /// The columns of each unique key (constraint or plain-column unique index) the history
    /// dropped from this table: values the project chose to let repeat.
    pub dropped_unique_keys: Vec<Vec<Identifier>>,
    /// A `DO` block whose statements dbwise does not follow names this table beside DDL: its
    /// keys, indexes and constraints may differ from the model.
    pub changed_by_code: bool,
    pub origin: Origin,
    pub name_span: Span,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Option<&TableConstraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }

    pub fn foreign_keys(
        &self,
    ) -> impl Iterator<Item = (&TableConstraint, &dbwise_syntax::ast::ForeignKey)> {
        self.constraints.iter().filter_map(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) => Some((c, fk)),
            _ => None,
        })
    }

    /// True when the model knows every column and constraint of the table.
    pub fn fully_known(&self) -> bool {
        !self.external && !self.columns_incomplete
    }
}

#[derive(Debug, Clone)]
pub struct Index {
    pub name: ObjectName,
    pub table: ObjectName,
    pub unique: bool,
    /// The index backs the PRIMARY KEY, UNIQUE or EXCLUDE constraint of its own name
    /// ([`Index::constraint`]).
    pub(crate) backs_constraint: bool,
    pub method: Identifier,
    pub elems: Box<[IndexElem]>,
    pub include: Box<[Identifier]>,
    pub predicate: Option<Box<Expr>>,
    pub origin: Origin,
}

impl Index {
    /// The PRIMARY KEY, UNIQUE or EXCLUDE constraint the index backs: it has the index's name.
    pub fn constraint(&self) -> Option<&Identifier> {
        self.backs_constraint.then_some(&self.name.name)
    }

    /// The plain columns the index leads with, up to the first expression element.
    pub fn leading_columns(&self) -> impl Iterator<Item = &str> {
        self.elems.iter().map_while(|e| e.column.as_deref())
    }
}

/// An object that carries its own name.
pub trait Named {
    fn name(&self) -> &ObjectName;
}

impl Named for Index {
    fn name(&self) -> &ObjectName {
        &self.name
    }
}

impl Named for Sequence {
    fn name(&self) -> &ObjectName {
        &self.name
    }
}

/// Objects by name (indexes, sequences): each is found by its own name, where a map would keep
/// every name a second time as a key (in B-tree nodes that a dump's ascending names leave about
/// half full).
#[derive(Debug, Clone)]
pub struct Objects<T>(BTreeSet<ByName<T>>);

impl<T> Default for Objects<T> {
    fn default() -> Self {
        Objects(BTreeSet::new())
    }
}

/// An object ordered and looked up by its name.
#[derive(Debug, Clone)]
struct ByName<T>(Box<T>);

impl<T: Named> PartialEq for ByName<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.name() == other.0.name()
    }
}

impl<T: Named> Eq for ByName<T> {}

impl<T: Named> PartialOrd for ByName<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Named> Ord for ByName<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.name().cmp(other.0.name())
    }
}

impl<T: Named> Borrow<ObjectName> for ByName<T> {
    fn borrow(&self) -> &ObjectName {
        self.0.name()
    }
}

impl<T: Named> Objects<T> {
    pub fn get(&self, name: &ObjectName) -> Option<&T> {
        self.0.get(name).map(|object| &*object.0)
    }

    pub fn contains_key(&self, name: &ObjectName) -> bool {
        self.0.contains(name)
    }

    /// The objects in name order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|object| &*object.0)
    }

    pub fn keys(&self) -> impl Iterator<Item = &ObjectName> {
        self.values().map(T::name)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Add an object, returning the one of the same name it replaces.
    pub(crate) fn insert(&mut self, object: Box<T>) -> Option<Box<T>> {
        self.0.replace(ByName(object)).map(|replaced| replaced.0)
    }

    pub(crate) fn remove(&mut self, name: &ObjectName) -> Option<Box<T>> {
        self.0.take(name).map(|object| object.0)
    }

    /// Change an object in place; `change` keeps its name.
    pub(crate) fn update(&mut self, name: &ObjectName, change: impl FnOnce(&mut T)) {
        if let Some(mut object) = self.remove(name) {
            change(&mut object);
            self.insert(object);
        }
    }

    pub(crate) fn retain(&mut self, keep: impl Fn(&T) -> bool) {
        self.0.retain(|object| keep(&object.0));
    }
}

impl<T: Named> std::ops::Index<&ObjectName> for Objects<T> {
    type Output = T;

    fn index(&self, name: &ObjectName) -> &T {
        self.get(name).expect("no object of that name")
    }
}

/// Objects kept by name, where [`Catalog::resolve`] looks names up.
pub trait Names {
    fn has(&self, name: &ObjectName) -> bool;
}

impl<T> Names for BTreeMap<ObjectName, T> {
    fn has(&self, name: &ObjectName) -> bool {
        self.contains_key(name)
    }
}

impl<T: Named> Names for Objects<T> {
    fn has(&self, name: &ObjectName) -> bool {
        self.contains_key(name)
    }
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Enum {
        values: Vec<String>,
    },
    Domain {
        base: Option<TypeName>,
        has_check: bool,
    },
    /// Created by something we do not model (composite, range, base type).
    Other,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: ObjectName,
    pub kind: TypeKind,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Sequence {
    pub name: ObjectName,
    pub owned_by: Option<(ObjectName, Identifier)>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct View {
    pub name: ObjectName,
    pub materialized: bool,
    pub origin: Origin,
}

/// The whole schema model. Change it only through [`Catalog::apply`], which keeps the lookups
/// between objects in step with the maps.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub schemas: BTreeMap<String, Origin>,
    pub tables: BTreeMap<ObjectName, Box<Table>>,
    pub indexes: Objects<Index>,
    pub types: BTreeMap<ObjectName, TypeDef>,
    pub sequences: Objects<Sequence>,
    pub views: BTreeMap<ObjectName, View>,
    pub extensions: BTreeMap<String, Origin>,
    /// By unqualified name: the most volatile of the functions of that name created so far.
    pub functions: BTreeMap<Identifier, Volatility>,
    /// The current `search_path`, schemas only (`$user` and `pg_catalog` left out).
    pub search_path: Vec<String>,
    pub(crate) links: Links,
    pub(crate) spellings: Spellings,
}

/// One copy of each type spelling and default the columns use: a schema dump repeats a
/// handful of them over millions of columns. Copies stay for the whole replay, also after the
/// columns that used them are gone.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spellings {
    pub(crate) types: Shared<TypeSpec>,
    pub(crate) defaults: Shared<ExprSpec>,
}

#[derive(Debug, Clone)]
pub(crate) struct Shared<T>(HashSet<Arc<T>>);

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared(HashSet::new())
    }
}

impl<T: Eq + std::hash::Hash> Shared<T> {
    /// The kept copy of what `written` says (its own when it is the first).
    pub(crate) fn share(&mut self, written: &Placed<T>) -> Arc<T> {
        match self.0.get(&*written.spec) {
            Some(kept) => kept.clone(),
            None => {
                self.0.insert(written.spec.clone());
                written.spec.clone()
            }
        }
    }
}

/// Lookups from a table to the objects that depend on it, so that dropping, replacing or
/// renaming a table costs in proportion to its own objects, not to the size of the schema.
#[derive(Debug, Clone, Default)]
pub(crate) struct Links {
    /// The names of the indexes of each table (or materialized view), without the schema,
    /// which is the table's: exactly those of `Catalog::indexes` whose `table` it is.
    pub(crate) indexes: BTreeMap<ObjectName, NameSet<Identifier>>,
    /// By the unqualified name of a foreign key's target: the tables that have held such a
    /// foreign key. It may name tables that no longer hold one; users check each table.
    pub(crate) referrers: HashMap<Identifier, NameSet>,
    /// By table: the sequences it has owned (`serial`, `OWNED BY`). It may name sequences
    /// that are gone or owned elsewhere since; users check each sequence.
    pub(crate) owned_sequences: HashMap<ObjectName, NameSet>,
}

/// A set of names, sorted. Most sets of [`Links`] hold one to a few names, where a `BTreeSet`
/// would allocate room for eleven.
#[derive(Debug, Clone)]
pub(crate) struct NameSet<T = ObjectName>(Vec<T>);

impl<T> Default for NameSet<T> {
    fn default() -> Self {
        NameSet(Vec::new())
    }
}

impl<T: Ord> NameSet<T> {
    pub(crate) fn insert(&mut self, name: T) {
        if let Err(at) = self.0.binary_search(&name) {
            // Room for exactly one more name: most sets stay at one or two.
            self.0.reserve_exact(1);
            self.0.insert(at, name);
        }
    }

    pub(crate) fn remove(&mut self, name: &T) {
        if let Ok(at) = self.0.binary_search(name) {
            self.0.remove(at);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Ord> Extend<T> for NameSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, names: I) {
        for name in names {
            self.insert(name);
        }
    }
}

impl<T> IntoIterator for NameSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a NameSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Links {
    /// The tables that may hold a foreign key to `target` (check each one's constraints).
    pub(crate) fn referrers(&self, target: &ObjectName) -> impl Iterator<Item = &ObjectName> {
        self.referrers.get(&target.name).into_iter().flatten()
    }
}

impl Catalog {
    pub fn new() -> Self {
        Catalog {
            search_path: vec!["public".to_owned()],
            ..Default::default()
        }
    }

    /// The indexes of a table, by name.
    pub fn indexes_on<'a>(&'a self, table: &'a ObjectName) -> impl Iterator<Item = &'a Index> + 'a {
        self.links
            .indexes
            .get(table)
            .into_iter()
            .flatten()
            .filter_map(|name| self.indexes.get(&ObjectName::new(&table.schema, name)))
    }

    /// Resolve a written name against `search_path` for an existing object in `map`.
    pub fn resolve(&self, map: &impl Names, name: &QualifiedName) -> Option<ObjectName> {
        match &name.schema {
            Some(schema) => {
                let key = ObjectName::new(schema, &name.name);
                map.has(&key).then_some(key)
            }
            None => self
                .search_path
                .iter()
                .map(|s| ObjectName::new(s, &name.name))
                .find(|k| map.has(k)),
        }
    }

    /// Mark the tables that `code` (the text of a `DO` block dbwise does not follow) may change
    /// ([`Catalog::tables_changed_by`]): the model of those tables may be stale, and rules that
    /// judge what a table lacks leave them alone.
    pub fn mark_changed_by_code(&mut self, code: &str) {
        for key in self.tables_changed_by(code) {
            if let Some(table) = self.tables.get_mut(&key) {
                table.changed_by_code = true;
            }
        }
    }

    /// The tables whose names `code` mentions, when it holds DDL (ALTER, CREATE, DROP or
    /// EXECUTE), in name order: the tables a block of code dbwise does not follow may change.
    pub fn tables_changed_by(&self, code: &str) -> Vec<ObjectName> {
        let lower = code.to_ascii_lowercase();
        let ddl = ["alter ", "create ", "drop ", "execute "]
            .iter()
            .any(|k| lower.contains(k));
        if !ddl {
            return Vec::new();
        }
        let mut names = std::collections::HashSet::new();
        let mut rest = code;
        while let Some(start) = rest.find(|c: char| c == '"' || c.is_alphabetic() || c == '_') {
            rest = &rest[start..];
            if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted.find('"').unwrap_or(quoted.len());
                names.insert(quoted[..end].to_owned());
                rest = quoted.get(end + 1..).unwrap_or("");
            } else {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(rest.len());
                names.insert(rest[..end].to_lowercase());
                rest = &rest[end..];
            }
        }
        self.tables
            .keys()
            .filter(|key| names.contains(key.name.as_str()))
            .cloned()
            .collect()
    }

    /// The name an object gets when created with this written name.
    pub fn creation_name(&self, name: &QualifiedName) -> ObjectName {
        let schema = name
            .schema
            .as_ref()
            .or(self.search_path.first())
            .map_or("public", String::as_str);
        ObjectName::new(schema, &name.name)
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.resolve(&self.tables, name)
            .and_then(|k| self.tables.get(&k))
            .map(|table| &**table)
    }

    /// The type a column's written type refers to, when it is a user-defined type we know.
    pub fn user_type(&self, type_name: &TypeSpec) -> Option<&TypeDef> {
        let written = QualifiedName {
            schema: type_name.schema.clone(),
            name: type_name.name.to_string(),
        };
        self.resolve(&self.types, &written)
            .and_then(|k| self.types.get(&k))
    }
}
