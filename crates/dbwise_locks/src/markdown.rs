//! The lock model as a Markdown page (`docs/lock-model.md`), generated so the page cannot drift
//! from the table.

use std::fmt::Write as _;

use crate::{LockLevel, RelationRole, Row, TransactionUse, rows};

/// The whole page.
pub fn markdown() -> String {
    let mut out = String::from(
        "# PostgreSQL lock model\n\n\
         Generated from `crates/dbwise_locks/src/table.rs` by `DBWISE_UPDATE_DOCS=1 cargo test -p dbwise_locks --test docs`; \
         do not edit by hand.\n\n\
         Each row says which lock a statement form takes on each relation it touches, whether it rewrites or scans \
         them, and whether it may run inside a transaction block, for the PostgreSQL major versions given. \
         The rows for the PostgreSQL version on the development machine are checked against a real server by \
         `dbwise_pg`'s `lock_model_matches_server` test; the others cite the documentation.\n\n\
         ## Lock modes\n\n\
         | Mode | Blocks plain reads | Blocks writes | Conflicts with |\n\
         | --- | --- | --- | --- |\n",
    );
    for level in LockLevel::ALL {
        let conflicts: Vec<&str> = LockLevel::ALL
            .into_iter()
            .filter(|other| level.conflicts_with(*other))
            .map(LockLevel::sql_name)
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            level,
            yes_no(level.blocks_reads()),
            yes_no(level.blocks_writes()),
            conflicts.join(", ")
        );
    }
    out.push_str(
        "\n## Statement forms\n\n\
         | Row | Versions | Locks | Rewrites | Scans | Transaction block | Note | Source |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for row in rows() {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | [docs]({}) |",
            row.id,
            versions(row),
            locks(row),
            roles(row.rewrites, row.empties),
            roles(row.scans, false),
            transaction(row.transaction),
            row.note,
            row.doc
        );
    }
    out
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn versions(row: &Row) -> String {
    if row.versions.from == row.versions.to {
        row.versions.from.to_string()
    } else {
        format!("{}–{}", row.versions.from, row.versions.to)
    }
}

fn locks(row: &Row) -> String {
    if row.locks.is_empty() {
        return "none on tables".to_owned();
    }
    row.locks
        .iter()
        .map(|(role, level)| format!("{}: {level}", role.as_str()))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn roles(roles: &[RelationRole], empties: bool) -> String {
    let mut names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    if empties {
        names.push("table (emptied, not copied)");
    }
    if names.is_empty() {
        "no".to_owned()
    } else {
        names.join(", ")
    }
}

fn transaction(usage: TransactionUse) -> &'static str {
    match usage {
        TransactionUse::Any => "allowed",
        TransactionUse::OutsideTransactionBlock => "refused",
        TransactionUse::UnusableUntilCommit => "allowed; the value is unusable until commit",
    }
}
