//! Unit tests of the model's shape and of the rows whose behaviour differs between versions.
//! Rows for the installed server (15) are also verified against a real cluster by
//! `dbwise_pg/tests/lock_model.rs`; the version tests below cite the docs instead.

use std::collections::BTreeSet;

use super::*;
use ColumnDefault as D;
use ConstraintKind as K;
use LockLevel::*;
use RelationRole::*;

fn add_column(default: ColumnDefault, not_null: bool) -> DdlForm {
    DdlForm::AddColumn {
        default,
        not_null,
        generated: None,
        references: false,
    }
}

fn add_constraint(kind: ConstraintKind, not_valid: bool, using_index: bool) -> DdlForm {
    DdlForm::AddConstraint {
        kind,
        not_valid,
        using_index,
    }
}

/// One form per row id, so the test below can prove every row is reachable.
fn every_form() -> Vec<DdlForm> {
    let mut forms = vec![
        add_column(D::None, false),
        add_column(D::None, true),
        add_column(D::Constant, true),
        add_column(D::Volatile, false),
        DdlForm::AddColumn {
            default: D::None,
            not_null: false,
            generated: Some(Generated::Stored),
            references: false,
        },
        DdlForm::AddColumn {
            default: D::None,
            not_null: false,
            generated: Some(Generated::Virtual),
            references: false,
        },
        DdlForm::AddColumn {
            default: D::None,
            not_null: false,
            generated: None,
            references: true,
        },
        DdlForm::SetNotNull {
            has_valid_check: false,
        },
        DdlForm::SetNotNull {
            has_valid_check: true,
        },
        DdlForm::DropNotNull,
        DdlForm::AlterColumnDefault,
        DdlForm::AlterColumnType {
            binary_coercible: false,
        },
        DdlForm::AlterColumnType {
            binary_coercible: true,
        },
        add_constraint(K::Check, false, false),
        add_constraint(K::Check, true, false),
        add_constraint(K::ForeignKey, false, false),
        add_constraint(K::ForeignKey, true, false),
        add_constraint(K::NotNull, false, false),
        add_constraint(K::NotNull, true, false),
        add_constraint(K::Unique, false, false),
        add_constraint(K::Unique, false, true),
        add_constraint(K::PrimaryKey, false, false),
        add_constraint(K::PrimaryKey, false, true),
        add_constraint(K::Exclusion, false, false),
        DdlForm::ValidateConstraint { kind: K::Check },
        DdlForm::ValidateConstraint {
            kind: K::ForeignKey,
        },
        DdlForm::ValidateConstraint { kind: K::NotNull },
        DdlForm::DropConstraint { kind: K::Check },
        DdlForm::DropConstraint {
            kind: K::ForeignKey,
        },
        DdlForm::RenameColumn,
        DdlForm::RenameTable,
        DdlForm::RenameIndex,
        DdlForm::DropColumn,
        DdlForm::DropTable,
        DdlForm::Truncate,
        DdlForm::VacuumFull,
        DdlForm::Cluster,
        DdlForm::AlterTypeAddValue,
        DdlForm::AttachPartition,
        DdlForm::CreateTrigger,
        DdlForm::DropTrigger,
        DdlForm::EnableDisableTrigger,
        DdlForm::CreateTableWithForeignKey,
        DdlForm::SetStatistics,
        DdlForm::SetStorageParameter,
        DdlForm::SetLogged,
        DdlForm::SetColumnStorage,
        DdlForm::ReplicaIdentity,
        DdlForm::RowLevelSecurity,
        DdlForm::CreatePolicy,
        DdlForm::OwnerTo,
        DdlForm::AlterConstraint,
        DdlForm::ClusterOn,
        DdlForm::Comment,
        DdlForm::Analyze,
        DdlForm::CreateStatistics,
        DdlForm::AddIdentity,
        DdlForm::DropExpression,
        DdlForm::SetExpression {
            generated: Generated::Stored,
        },
        DdlForm::SetExpression {
            generated: Generated::Virtual,
        },
        DdlForm::ReplaceView,
        DdlForm::DropView,
    ];
    for concurrently in [false, true] {
        forms.extend([
            DdlForm::CreateIndex { concurrently },
            DdlForm::DropIndex { concurrently },
            DdlForm::Reindex { concurrently },
            DdlForm::RefreshMatView { concurrently },
            DdlForm::DetachPartition { concurrently },
        ]);
    }
    forms
}

#[test]
fn every_row_is_reachable_from_a_form_and_every_form_has_a_row() {
    let from_forms: BTreeSet<&str> = every_form().iter().map(|f| f.row_id().unwrap()).collect();
    let in_table: BTreeSet<&str> = rows().iter().map(|r| r.id).collect();
    assert_eq!(from_forms, in_table);
}

#[test]
fn versions_of_one_row_never_overlap_and_stay_available_once_introduced() {
    let ids: BTreeSet<&str> = rows().iter().map(|r| r.id).collect();
    for id in ids {
        let versions: Vec<Versions> = rows()
            .iter()
            .filter(|r| r.id == id)
            .map(|r| r.versions)
            .collect();
        let first = versions.iter().map(|v| v.from).min().unwrap();
        for pg in MIN_PG_MAJOR..=MAX_PG_MAJOR {
            let matching = versions.iter().filter(|v| v.contains(pg)).count();
            let expected = usize::from(pg >= first);
            assert_eq!(
                matching, expected,
                "row `{id}` on PostgreSQL {pg}: {matching} matching version ranges"
            );
        }
    }
}

#[test]
fn every_row_cites_a_postgresql_docs_page_and_locks_each_role_once() {
    for row in rows() {
        assert!(
            row.doc.starts_with("https://www.postgresql.org/docs/"),
            "{}: {}",
            row.id,
            row.doc
        );
        let roles: BTreeSet<RelationRole> = row.locks.iter().map(|(role, _)| *role).collect();
        assert_eq!(
            roles.len(),
            row.locks.len(),
            "{} names a role twice",
            row.id
        );
        for role in row.rewrites.iter().chain(row.scans) {
            assert!(
                roles.contains(role),
                "{} rewrites or scans {role:?} without locking it",
                row.id
            );
        }
    }
}

#[test]
fn invalid_combinations_are_rejected_not_guessed() {
    assert!(matches!(
        effect(&add_constraint(K::Unique, true, false), 15),
        Err(ModelError::InvalidForm { .. })
    ));
    assert!(matches!(
        effect(&add_constraint(K::Check, false, true), 15),
        Err(ModelError::InvalidForm { .. })
    ));
    assert!(matches!(
        effect(&DdlForm::ValidateConstraint { kind: K::Unique }, 15),
        Err(ModelError::InvalidForm { .. })
    ));
}

#[test]
fn versions_outside_the_model_are_an_error() {
    assert_eq!(
        effect(&DdlForm::DropTable, 10),
        Err(ModelError::UnsupportedVersion { pg_major: 10 })
    );
    assert_eq!(
        effect(&DdlForm::DropTable, 19),
        Err(ModelError::UnsupportedVersion { pg_major: 19 })
    );
    assert!(matches!(
        row("no-such-row", 15),
        Err(ModelError::UnknownRow { .. })
    ));
}

#[test]
fn blocking_is_derived_from_the_locks() {
    let create_index = effect(
        &DdlForm::CreateIndex {
            concurrently: false,
        },
        15,
    )
    .unwrap();
    assert!(create_index.blocks_writes && !create_index.blocks_reads);
    let concurrently = effect(&DdlForm::CreateIndex { concurrently: true }, 15).unwrap();
    assert!(!concurrently.blocks_writes && !concurrently.blocks_reads);
    let rename = effect(&DdlForm::RenameColumn, 15).unwrap();
    assert!(rename.blocks_writes && rename.blocks_reads);
    assert_eq!(rename.strongest(), Some(AccessExclusive));
}

// ---- Version differences, each citing the documentation that states it. ----

/// Release notes 11: "Allow ALTER TABLE to add a column with a non-null default without doing a
/// table rewrite"; a volatile default still rewrites (ALTER TABLE, Notes).
#[test]
fn constant_default_never_rewrites_from_11_but_volatile_always_does() {
    for pg in MIN_PG_MAJOR..=MAX_PG_MAJOR {
        assert!(
            !effect(&add_column(D::Constant, true), pg).unwrap().rewrites,
            "PG {pg}"
        );
        assert!(
            effect(&add_column(D::Volatile, false), pg)
                .unwrap()
                .rewrites,
            "PG {pg}"
        );
    }
}

/// ALTER TABLE (12+): "if a valid CHECK constraint is found which proves no NULL can exist, then
/// the table scan is skipped"; the 11 page has no such exception.
#[test]
fn set_not_null_uses_a_valid_check_from_12() {
    let form = DdlForm::SetNotNull {
        has_valid_check: true,
    };
    assert!(effect(&form, 11).unwrap().scans);
    for pg in 12..=MAX_PG_MAJOR {
        assert!(!effect(&form, pg).unwrap().scans, "PG {pg}");
    }
    assert!(
        effect(
            &DdlForm::SetNotNull {
                has_valid_check: false
            },
            12
        )
        .unwrap()
        .scans
    );
}

/// REINDEX (12+): CONCURRENTLY was added in 12 (release notes 12).
#[test]
fn reindex_concurrently_exists_from_12() {
    let form = DdlForm::Reindex { concurrently: true };
    assert_eq!(
        effect(&form, 11),
        Err(ModelError::NotAvailable {
            row: "reindex-concurrently",
            pg_major: 11,
            since: 12
        })
    );
    let effect12 = effect(&form, 12).unwrap();
    assert_eq!(effect12.lock_on(Table), Some(ShareUpdateExclusive));
    assert_eq!(
        effect12.transaction,
        TransactionUse::OutsideTransactionBlock
    );
}

/// ALTER TYPE (11): "ALTER TYPE ... ADD VALUE ... cannot be executed inside a transaction block";
/// from 12 it can, but "the new value cannot be used until after the transaction has been
/// committed".
#[test]
fn enum_add_value_moves_into_transactions_in_12() {
    assert_eq!(
        effect(&DdlForm::AlterTypeAddValue, 11).unwrap().transaction,
        TransactionUse::OutsideTransactionBlock
    );
    for pg in 12..=MAX_PG_MAJOR {
        let e = effect(&DdlForm::AlterTypeAddValue, pg).unwrap();
        assert_eq!(e.transaction, TransactionUse::UnusableUntilCommit);
        assert!(e.per_relation.is_empty());
    }
}

/// ALTER TABLE (12+): "Attaching a partition acquires a SHARE UPDATE EXCLUSIVE lock on the parent
/// table"; in 11 the parent gets ACCESS EXCLUSIVE like every other ALTER TABLE form.
#[test]
fn attach_partition_lowers_the_parent_lock_in_12() {
    assert_eq!(
        effect(&DdlForm::AttachPartition, 11)
            .unwrap()
            .lock_on(Table),
        Some(AccessExclusive)
    );
    assert_eq!(
        effect(&DdlForm::AttachPartition, 12)
            .unwrap()
            .lock_on(Table),
        Some(ShareUpdateExclusive)
    );
    assert_eq!(
        effect(&DdlForm::AttachPartition, 18)
            .unwrap()
            .lock_on(Partition),
        Some(AccessExclusive)
    );
}

/// ALTER TABLE (14+): DETACH PARTITION ... CONCURRENTLY is new in 14 (release notes 14).
#[test]
fn detach_concurrently_exists_from_14() {
    let form = DdlForm::DetachPartition { concurrently: true };
    assert!(matches!(
        effect(&form, 13),
        Err(ModelError::NotAvailable { since: 14, .. })
    ));
    let e = effect(&form, 14).unwrap();
    assert_eq!(e.lock_on(Table), Some(ShareUpdateExclusive));
    assert_eq!(e.lock_on(Partition), Some(AccessExclusive));
}

/// Generated columns: STORED from 12 (release notes 12), VIRTUAL from 18 (release notes 18).
#[test]
fn generated_columns_follow_their_release() {
    let stored = DdlForm::AddColumn {
        default: D::None,
        not_null: false,
        generated: Some(Generated::Stored),
        references: false,
    };
    let virtual_ = DdlForm::AddColumn {
        default: D::None,
        not_null: false,
        generated: Some(Generated::Virtual),
        references: false,
    };
    assert!(matches!(
        effect(&stored, 11),
        Err(ModelError::NotAvailable { since: 12, .. })
    ));
    assert!(effect(&stored, 12).unwrap().rewrites);
    assert!(matches!(
        effect(&virtual_, 17),
        Err(ModelError::NotAvailable { since: 18, .. })
    ));
    assert!(!effect(&virtual_, 18).unwrap().rewrites);
}

/// ALTER TABLE (18): NOT NULL constraints can be added NOT VALID and validated later, like CHECK.
#[test]
fn not_null_constraints_not_valid_exist_only_in_18() {
    let form = add_constraint(K::NotNull, true, false);
    assert!(matches!(
        effect(&form, 17),
        Err(ModelError::NotAvailable { since: 18, .. })
    ));
    let e = effect(&form, 18).unwrap();
    assert!(!e.scans);
    let validate = effect(&DdlForm::ValidateConstraint { kind: K::NotNull }, 18).unwrap();
    assert_eq!(validate.lock_on(Table), Some(ShareUpdateExclusive));
}

/// ALTER INDEX (12+): RENAME takes SHARE UPDATE EXCLUSIVE; 11 takes ACCESS EXCLUSIVE.
#[test]
fn rename_index_lock_lowered_in_12() {
    assert_eq!(
        effect(&DdlForm::RenameIndex, 11).unwrap().lock_on(Index),
        Some(AccessExclusive)
    );
    assert_eq!(
        effect(&DdlForm::RenameIndex, 12).unwrap().lock_on(Index),
        Some(ShareUpdateExclusive)
    );
}

/// ALTER TABLE, Notes: a binary-coercible type change (varchar(n) to varchar(m > n) or text)
/// needs no rewrite on any version; other type changes rewrite on every version.
#[test]
fn binary_coercible_type_changes_never_rewrite() {
    for pg in MIN_PG_MAJOR..=MAX_PG_MAJOR {
        let widen = effect(
            &DdlForm::AlterColumnType {
                binary_coercible: true,
            },
            pg,
        )
        .unwrap();
        assert!(!widen.rewrites && widen.blocks_reads);
        assert!(
            effect(
                &DdlForm::AlterColumnType {
                    binary_coercible: false
                },
                pg
            )
            .unwrap()
            .rewrites
        );
    }
}

/// ALTER TABLE: DROP EXPRESSION is new in 13, SET EXPRESSION in 17 (release notes 13 and 17);
/// from 18, SET EXPRESSION on a virtual column rewrites nothing.
#[test]
fn later_alter_table_forms_follow_their_release() {
    assert!(matches!(
        effect(&DdlForm::DropExpression, 12),
        Err(ModelError::NotAvailable { since: 13, .. })
    ));
    let stored = DdlForm::SetExpression {
        generated: Generated::Stored,
    };
    assert!(matches!(
        effect(&stored, 16),
        Err(ModelError::NotAvailable { since: 17, .. })
    ));
    assert!(effect(&stored, 17).unwrap().rewrites);
    let virtual_ = DdlForm::SetExpression {
        generated: Generated::Virtual,
    };
    assert!(matches!(
        effect(&virtual_, 17),
        Err(ModelError::NotAvailable { since: 18, .. })
    ));
    assert!(!effect(&virtual_, 18).unwrap().rewrites);
}
