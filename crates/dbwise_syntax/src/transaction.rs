//! How a statement behaves toward transaction blocks and the session that runs it: what a
//! tracer must know before sending it to a server.

use crate::tree::protobuf::{self, AlterTableType, TransactionStmtKind, VariableSetKind};
use crate::tree::{NodeEnum, Tree};

/// How a statement interacts with transactions and with the session that runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementKind {
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`, `ROLLBACK`, `PREPARE TRANSACTION`, `ABORT`.
    End,
    /// `SAVEPOINT`, `RELEASE`, `ROLLBACK TO`: only meaningful inside the script's own transaction.
    Savepoint,
    /// Refuses to run inside a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...).
    NonTransactional,
    /// `COPY ... FROM STDIN` or `TO STDOUT`: its data is not part of the statement.
    CopyStdio,
    /// `CREATE EXTENSION name`: most extensions need a superuser.
    CreateExtension(String),
    /// Changes how the session reads later SQL text (`standard_conforming_strings`,
    /// `client_encoding`), who it is (`SET SESSION AUTHORIZATION`), or resets what dbwise set
    /// (`RESET ALL`, `DISCARD`): never run against a database that must be left unchanged.
    SessionState,
    /// The text holds this many statements, not one: it is never sent.
    Several(usize),
    /// Everything else.
    Regular,
}

/// Classify the text of one statement. Parsing it again on its own also checks that it really
/// is one statement: each is sent to the server in a round trip of its own.
pub fn inspect(sql: &str, pg_major: u32) -> StatementKind {
    let Ok(tree) = Tree::parse(sql) else {
        // The server will report the syntax error itself.
        return StatementKind::Regular;
    };
    if tree.statement_count() != 1 {
        return StatementKind::Several(tree.statement_count());
    }
    match tree.statements().next() {
        Some(node) => classify(node, pg_major),
        None => StatementKind::Regular,
    }
}

fn classify(node: &NodeEnum, pg_major: u32) -> StatementKind {
    match node {
        NodeEnum::TransactionStmt(stmt) => match TransactionStmtKind::try_from(stmt.kind) {
            Ok(TransactionStmtKind::TransStmtBegin | TransactionStmtKind::TransStmtStart) => {
                StatementKind::Begin
            }
            Ok(
                TransactionStmtKind::TransStmtSavepoint
                | TransactionStmtKind::TransStmtRelease
                | TransactionStmtKind::TransStmtRollbackTo,
            ) => StatementKind::Savepoint,
            _ => StatementKind::End,
        },
        NodeEnum::IndexStmt(stmt) if stmt.concurrent => StatementKind::NonTransactional,
        NodeEnum::DropStmt(stmt) if stmt.concurrent => StatementKind::NonTransactional,
        NodeEnum::ReindexStmt(stmt) if has_option(&stmt.params, "concurrently") => {
            StatementKind::NonTransactional
        }
        NodeEnum::VacuumStmt(stmt) if stmt.is_vacuumcmd => StatementKind::NonTransactional,
        NodeEnum::ClusterStmt(stmt) if stmt.relation.is_none() => StatementKind::NonTransactional,
        NodeEnum::AlterEnumStmt(stmt) if pg_major < 12 && stmt.old_val.is_empty() => {
            StatementKind::NonTransactional
        }
        NodeEnum::CreatedbStmt(_)
        | NodeEnum::DropdbStmt(_)
        | NodeEnum::AlterSystemStmt(_)
        | NodeEnum::CreateTableSpaceStmt(_)
        | NodeEnum::DropTableSpaceStmt(_) => StatementKind::NonTransactional,
        NodeEnum::AlterTableStmt(stmt) if stmt.cmds.iter().any(is_concurrent_detach) => {
            StatementKind::NonTransactional
        }
        NodeEnum::CopyStmt(stmt) if stmt.filename.is_empty() && !stmt.is_program => {
            StatementKind::CopyStdio
        }
        NodeEnum::CreateExtensionStmt(stmt) => StatementKind::CreateExtension(stmt.extname.clone()),
        NodeEnum::VariableSetStmt(stmt) if changes_session_state(stmt) => {
            StatementKind::SessionState
        }
        NodeEnum::DiscardStmt(_) => StatementKind::SessionState,
        _ => StatementKind::Regular,
    }
}

/// `SET`/`RESET` of what decides how the server splits and reads later statements or who runs
/// them, and `RESET ALL`, which would undo dbwise's own settings.
fn changes_session_state(stmt: &protobuf::VariableSetStmt) -> bool {
    if stmt.kind == VariableSetKind::VarResetAll as i32 {
        return true;
    }
    let name = stmt.name.to_ascii_lowercase();
    [
        "standard_conforming_strings",
        "client_encoding",
        "session_authorization",
        "role",
        "statement_timeout",
        "lock_timeout",
    ]
    .contains(&name.as_str())
}

fn has_option(options: &[protobuf::Node], name: &str) -> bool {
    options.iter().any(|option| match &option.node {
        Some(NodeEnum::DefElem(def)) => def.defname.eq_ignore_ascii_case(name),
        _ => false,
    })
}

fn is_concurrent_detach(cmd: &protobuf::Node) -> bool {
    let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
        return false;
    };
    cmd.subtype == AlterTableType::AtDetachPartition as i32
        && matches!(cmd.def.as_deref().and_then(|d| d.node.as_ref()), Some(NodeEnum::PartitionCmd(p)) if p.concurrent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(sql: &str, pg_major: u32) -> StatementKind {
        inspect(sql, pg_major)
    }

    #[test]
    fn statements_that_refuse_transaction_blocks_are_recognised() {
        for sql in [
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "DROP INDEX CONCURRENTLY i",
            "REINDEX (CONCURRENTLY) INDEX i",
            "REINDEX INDEX CONCURRENTLY i",
            "VACUUM FULL t",
            "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
            "CREATE DATABASE d",
        ] {
            assert_eq!(kind(sql, 15), StatementKind::NonTransactional, "{sql}");
        }
        for sql in [
            "CREATE INDEX i ON t (a)",
            "DROP INDEX i",
            "REINDEX INDEX i",
            "ANALYZE t",
            "ALTER TABLE p DETACH PARTITION c",
            "CLUSTER t USING i",
        ] {
            assert_eq!(kind(sql, 15), StatementKind::Regular, "{sql}");
        }
    }

    #[test]
    fn enum_add_value_is_non_transactional_only_before_12() {
        assert_eq!(
            kind("ALTER TYPE e ADD VALUE 'x'", 11),
            StatementKind::NonTransactional
        );
        assert_eq!(
            kind("ALTER TYPE e ADD VALUE 'x'", 12),
            StatementKind::Regular
        );
    }

    #[test]
    fn transaction_control_is_recognised() {
        assert_eq!(kind("BEGIN", 15), StatementKind::Begin);
        assert_eq!(
            kind("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", 15),
            StatementKind::Begin
        );
        assert_eq!(kind("COMMIT", 15), StatementKind::End);
        assert_eq!(kind("ROLLBACK", 15), StatementKind::End);
        assert_eq!(kind("SAVEPOINT a", 15), StatementKind::Savepoint);
        assert_eq!(
            kind("ROLLBACK TO SAVEPOINT a", 15),
            StatementKind::Savepoint
        );
        assert_eq!(kind("COPY t FROM STDIN", 15), StatementKind::CopyStdio);
        assert_eq!(kind("COPY t TO STDOUT", 15), StatementKind::CopyStdio);
        assert_eq!(kind("COPY t FROM '/tmp/x.csv'", 15), StatementKind::Regular);
    }

    #[test]
    fn session_changes_and_extensions_are_recognised() {
        for sql in [
            "SET standard_conforming_strings = off",
            "SET LOCAL standard_conforming_strings TO off",
            "RESET standard_conforming_strings",
            "SET client_encoding = 'SJIS'",
            "SET SESSION AUTHORIZATION postgres",
            "SET ROLE postgres",
            "SET statement_timeout = 0",
            "RESET ALL",
            "DISCARD ALL",
        ] {
            assert_eq!(kind(sql, 15), StatementKind::SessionState, "{sql}");
        }
        assert_eq!(kind("SET search_path = app", 15), StatementKind::Regular);
        assert_eq!(
            kind("CREATE EXTENSION IF NOT EXISTS pgcrypto", 15),
            StatementKind::CreateExtension("pgcrypto".to_owned())
        );
    }

    #[test]
    fn text_holding_several_statements_is_recognised() {
        assert_eq!(
            kind("ALTER TABLE t ADD c int; COMMIT; DROP TABLE t", 15),
            StatementKind::Several(3)
        );
        assert_eq!(kind("SELECT 1;", 15), StatementKind::Regular);
    }
}
