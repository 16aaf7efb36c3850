//! What the tracer needs to know about a statement before running it.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, TransactionStmtKind};

/// How a statement interacts with transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatementKind {
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`, `ROLLBACK`, `PREPARE TRANSACTION`, `ABORT`.
    End,
    /// `SAVEPOINT`, `RELEASE`, `ROLLBACK TO`: only meaningful inside the script's own transaction.
    Savepoint,
    /// Refuses to run inside a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...).
    NonTransactional,
    /// `COPY ... FROM STDIN`: its data lines are not part of the statement.
    CopyFromStdin,
    /// Everything else.
    Regular,
}

pub(crate) fn classify(node: &NodeEnum, pg_major: u32) -> StatementKind {
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
        NodeEnum::CopyStmt(stmt) if stmt.is_from && stmt.filename.is_empty() => {
            StatementKind::CopyFromStdin
        }
        _ => StatementKind::Regular,
    }
}

fn has_option(options: &[pg_query::protobuf::Node], name: &str) -> bool {
    options.iter().any(|option| match &option.node {
        Some(NodeEnum::DefElem(def)) => def.defname.eq_ignore_ascii_case(name),
        _ => false,
    })
}

fn is_concurrent_detach(cmd: &pg_query::protobuf::Node) -> bool {
    let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
        return false;
    };
    cmd.subtype == AlterTableType::AtDetachPartition as i32
        && matches!(cmd.def.as_deref().and_then(|d| d.node.as_ref()), Some(NodeEnum::PartitionCmd(p)) if p.concurrent)
}

/// The lower-cased words of a statement that could name a relation, for choosing which tables
/// the blocking probe holds.
pub(crate) fn identifier_words(sql: &str) -> Vec<String> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(sql: &str, pg_major: u32) -> StatementKind {
        let tree = pg_query::parse(sql, 0).unwrap();
        let node = tree.protobuf.stmts[0]
            .stmt
            .as_ref()
            .unwrap()
            .node
            .as_ref()
            .unwrap()
            .clone();
        classify(&node, pg_major)
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
        assert_eq!(kind("COPY t FROM STDIN", 15), StatementKind::CopyFromStdin);
        assert_eq!(kind("COPY t FROM '/tmp/x.csv'", 15), StatementKind::Regular);
    }
}
