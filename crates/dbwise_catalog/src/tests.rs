use dbwise_diagnostics::SourceFile;
use dbwise_syntax::ast::{ConstraintKind, QualifiedName};

use crate::{Applied, Catalog, ObjectName, Origin, TypeKind};

fn replay(sql: &str) -> (Catalog, Vec<Applied>) {
    let source = SourceFile::new("t.sql", sql);
    let parsed = dbwise_syntax::parse(&source);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut catalog = Catalog::new();
    let applied = parsed
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| catalog.apply(&s.stmt, &Origin::new(source.clone(), s.span, None, i)))
        .collect();
    (catalog, applied)
}

fn key(name: &str) -> ObjectName {
    ObjectName::new("public", name)
}

#[test]
fn create_table_records_columns_constraints_and_backing_indexes() {
    let (catalog, _) = replay(
        "create table users (id serial primary key, email text not null unique);
         create table orders (id bigint primary key, user_id int references users, note text, check (id > 0));",
    );
    let users = &catalog.tables[&key("users")];
    assert!(users.column("id").unwrap().not_null);
    let names: Vec<&str> = users.constraints.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["users_pkey", "users_email_key"]);
    assert!(catalog.indexes.contains_key(&key("users_pkey")));
    assert!(catalog.indexes[&key("users_email_key")].unique);
    assert!(catalog.sequences.contains_key(&key("users_id_seq")));
    let orders = &catalog.tables[&key("orders")];
    let (fk_constraint, fk) = orders.foreign_keys().next().unwrap();
    assert_eq!(fk_constraint.name, "orders_user_id_fkey");
    assert_eq!(fk.target, QualifiedName::new(None, "users"));
    assert!(orders.constraints.iter().any(|c| c.name == "orders_check"));
}

#[test]
fn alter_table_changes_columns_and_constraints() {
    let (catalog, _) = replay(
        "create table t (a int, b text, c text);
         create index t_b_idx on t (b);
         alter table t add column d timestamptz default now(), alter column a type bigint, alter column c set not null;
         alter table t add constraint t_a_check check (a > 0) not valid;
         alter table t drop column b;
         alter table t rename column c to c2;
         alter table t validate constraint t_a_check;
         alter table t enable row level security;",
    );
    let t = &catalog.tables[&key("t")];
    let columns: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, vec!["a", "c2", "d"]);
    assert_eq!(
        t.column("a").unwrap().type_name.as_ref().unwrap().name,
        "int8"
    );
    assert!(t.column("c2").unwrap().not_null);
    assert!(t.constraints[0].validated);
    assert!(t.row_level_security);
    assert!(
        !catalog.indexes.contains_key(&key("t_b_idx")),
        "dropping a column drops its indexes"
    );
}

#[test]
fn renames_follow_references() {
    let (catalog, _) = replay(
        "create table a (id int primary key);
         create table b (a_id int references a (id));
         create index b_a_id_idx on b (a_id);
         alter table a rename to a2;
         alter table a2 rename column id to a2_id;
         alter index b_a_id_idx rename to b_a_idx;",
    );
    assert!(catalog.tables.contains_key(&key("a2")));
    assert!(!catalog.tables.contains_key(&key("a")));
    let (_, fk) = catalog.tables[&key("b")].foreign_keys().next().unwrap();
    assert_eq!(fk.target.name, "a2");
    assert_eq!(fk.target_columns, vec!["a2_id"]);
    assert_eq!(catalog.indexes[&key("b_a_idx")].table, key("b"));
    assert_eq!(catalog.indexes[&key("a_pkey")].table, key("a2"));
}

#[test]
fn unknown_objects_become_external_not_errors() {
    let (catalog, applied) =
        replay("alter table legacy add column note text; create index on legacy (note);");
    let legacy = &catalog.tables[&key("legacy")];
    assert!(legacy.external);
    assert_eq!(applied[0].unresolved, vec!["table legacy"]);
    assert!(
        applied[1].unresolved.is_empty(),
        "known after the first reference"
    );
    assert_eq!(
        catalog.indexes[&key("legacy_note_idx")].table,
        key("legacy")
    );
}

#[test]
fn search_path_decides_where_objects_live() {
    let (catalog, _) = replay(
        "create schema app; set search_path = app, public;
         create table items (id int); create type mood as enum ('a'); alter type mood add value 'b';",
    );
    assert!(
        catalog
            .tables
            .contains_key(&ObjectName::new("app", "items"))
    );
    let TypeKind::Enum { values } = &catalog.types[&ObjectName::new("app", "mood")].kind else {
        panic!()
    };
    assert_eq!(values, &["a", "b"]);
}

#[test]
fn drop_table_removes_indexes_and_foreign_keys_pointing_at_it() {
    let (catalog, applied) = replay(
        "create table a (id int primary key); create table b (a_id int references a);
         drop table a cascade; drop table if exists nothing; drop table missing;",
    );
    assert!(!catalog.tables.contains_key(&key("a")));
    assert!(!catalog.indexes.contains_key(&key("a_pkey")));
    assert_eq!(catalog.tables[&key("b")].foreign_keys().count(), 0);
    assert!(applied[3].unresolved.is_empty());
    assert_eq!(applied[4].unresolved, vec!["table missing"]);
}

#[test]
fn unique_constraint_using_index_takes_over_the_index() {
    let (catalog, _) = replay(
        "create table t (a int); create unique index concurrently t_a_uniq on t (a);
         alter table t add constraint t_a_key unique using index t_a_uniq;",
    );
    assert!(!catalog.indexes.contains_key(&key("t_a_uniq")));
    assert_eq!(
        catalog.indexes[&key("t_a_key")]
            .constraint()
            .map(|c| c.as_str()),
        Some("t_a_key")
    );
    assert!(matches!(
        catalog.tables[&key("t")].constraints[0].kind,
        ConstraintKind::Unique { .. }
    ));
}

#[test]
fn partitions_take_the_parents_columns() {
    let (catalog, _) = replay(
        "create table m (id bigint, at timestamptz not null) partition by range (at);
         create table m_2024 partition of m for values from ('2024-01-01') to ('2025-01-01');",
    );
    let part = &catalog.tables[&key("m_2024")];
    assert_eq!(part.partition_of, Some(key("m")));
    assert_eq!(part.columns.len(), 2);
    assert!(catalog.tables[&key("m")].partitioned);
}

#[test]
fn dropping_a_table_finds_foreign_keys_to_it_after_renames() {
    let (catalog, _) = replay(
        "create table a (id int primary key);
         create table b (id int primary key, a_id int references a);
         alter table b rename to b2;
         alter table a rename to a2;
         create table c (a_id int references public.a2);
         alter table a2 rename column id to key;
         drop table a2;",
    );
    assert_eq!(catalog.tables[&key("b2")].foreign_keys().count(), 0);
    assert_eq!(catalog.tables[&key("c")].foreign_keys().count(), 0);
    assert!(!catalog.indexes.contains_key(&key("a_pkey")));
}

#[test]
fn a_tables_indexes_follow_renames_and_go_with_it() {
    let (catalog, applied) = replay(
        "create table t (id int primary key, a int);
         create index t_a_idx on t (a);
         alter table t rename to t2;
         alter index t_a_idx rename to t2_a_idx;
         create table other (a int);
         create index moved on other (a);
         drop index moved;
         create index moved on t2 (a);
         create table t2 (x int);",
    );
    assert_eq!(catalog.indexes_on(&key("other")).count(), 0);
    assert_eq!(catalog.indexes_on(&key("t2")).count(), 0);
    assert!(catalog.indexes.is_empty());
    assert_eq!(
        applied[8].removed,
        vec!["index moved", "index t2_a_idx", "index t_pkey"]
    );
}

#[test]
fn replay_changes_the_catalog_as_apply_does() {
    let sql = "create table a (id serial primary key); create index a_idx on a (id);
               alter table a rename to b; create view v as select 1; drop index a_idx;";
    let (recorded, _) = replay(sql);
    let source = SourceFile::new("t.sql", sql);
    let parsed = dbwise_syntax::parse(&source);
    let mut quiet = Catalog::new();
    for (i, s) in parsed.statements.iter().enumerate() {
        let origin = Origin::new(source.clone(), s.span, None, i);
        quiet.replay(&s.stmt, &origin);
    }
    let names = |c: &Catalog| {
        (
            c.tables.keys().cloned().collect::<Vec<_>>(),
            c.indexes.keys().cloned().collect::<Vec<_>>(),
            c.sequences.keys().cloned().collect::<Vec<_>>(),
            c.views.keys().cloned().collect::<Vec<_>>(),
        )
    };
    assert_eq!(names(&quiet), names(&recorded));
    assert_eq!(quiet.indexes_on(&key("b")).count(), 1);
}

#[test]
fn a_tables_sequences_follow_renames_and_go_with_it() {
    let (catalog, applied) = replay(
        "create table t (id serial primary key);
         alter sequence t_id_seq rename to t_seq;
         alter table t rename to t2;
         create sequence other_seq;
         alter sequence other_seq owned by t2.id;
         create sequence t_seq2;
         create table t2 (x int);",
    );
    assert_eq!(
        catalog.sequences.keys().collect::<Vec<_>>(),
        vec![&key("t_seq2")]
    );
    let removed: Vec<&str> = applied[6]
        .removed
        .iter()
        .map(String::as_str)
        .filter(|r| r.starts_with("sequence"))
        .collect();
    assert_eq!(removed, vec!["sequence other_seq", "sequence t_seq"]);
}

#[test]
fn a_renamed_type_follows_into_its_columns_and_domains() {
    let (catalog, _) = replay(
        "CREATE TYPE mood AS ENUM ('happy', 'sad');
         CREATE DOMAIN feeling AS mood;
         CREATE TABLE people (id int, current mood, usual feeling, other text);
         ALTER TYPE mood RENAME TO emotion;",
    );
    let people = &catalog.tables[&key("people")];
    let type_of = |column: &str| people.column(column).unwrap().type_name.clone().unwrap();
    let current = type_of("current");
    assert_eq!(current.name, "emotion");
    assert!(matches!(
        catalog.user_type(&current).map(|d| &d.kind),
        Some(TypeKind::Enum { .. })
    ));
    assert_eq!(type_of("other").name, "text");
    let Some(TypeKind::Domain {
        base: Some(base), ..
    }) = catalog.types.get(&key("feeling")).map(|d| &d.kind)
    else {
        panic!("feeling is a domain over a known type");
    };
    assert_eq!(base.name, "emotion");
}
