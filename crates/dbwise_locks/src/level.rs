//! The eight table-level lock modes of PostgreSQL and their conflict table.
//!
//! Source: PostgreSQL documentation, "13.3.1. Table-Level Locks", Table 13.2 "Conflicting Lock
//! Modes" (<https://www.postgresql.org/docs/current/explicit-locking.html>). The modes and their
//! conflicts are the same in every version from 11 to 18.

use std::fmt;

/// A table-level lock mode, weakest first. The order is PostgreSQL's own numbering of the modes
/// (`lockdefs.h`), which is also the order in which the docs list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum LockLevel {
    #[serde(rename = "ACCESS SHARE")]
    AccessShare,
    #[serde(rename = "ROW SHARE")]
    RowShare,
    #[serde(rename = "ROW EXCLUSIVE")]
    RowExclusive,
    #[serde(rename = "SHARE UPDATE EXCLUSIVE")]
    ShareUpdateExclusive,
    #[serde(rename = "SHARE")]
    Share,
    #[serde(rename = "SHARE ROW EXCLUSIVE")]
    ShareRowExclusive,
    #[serde(rename = "EXCLUSIVE")]
    Exclusive,
    #[serde(rename = "ACCESS EXCLUSIVE")]
    AccessExclusive,
}

use LockLevel::*;

impl LockLevel {
    pub const ALL: [LockLevel; 8] = [
        AccessShare,
        RowShare,
        RowExclusive,
        ShareUpdateExclusive,
        Share,
        ShareRowExclusive,
        Exclusive,
        AccessExclusive,
    ];

    /// The name used in SQL (`LOCK TABLE ... IN <name> MODE`) and in the docs.
    pub fn sql_name(self) -> &'static str {
        match self {
            AccessShare => "ACCESS SHARE",
            RowShare => "ROW SHARE",
            RowExclusive => "ROW EXCLUSIVE",
            ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            Share => "SHARE",
            ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            Exclusive => "EXCLUSIVE",
            AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// The name in the `mode` column of the `pg_locks` view.
    pub fn pg_locks_mode(self) -> &'static str {
        match self {
            AccessShare => "AccessShareLock",
            RowShare => "RowShareLock",
            RowExclusive => "RowExclusiveLock",
            ShareUpdateExclusive => "ShareUpdateExclusiveLock",
            Share => "ShareLock",
            ShareRowExclusive => "ShareRowExclusiveLock",
            Exclusive => "ExclusiveLock",
            AccessExclusive => "AccessExclusiveLock",
        }
    }

    pub fn from_pg_locks_mode(mode: &str) -> Option<LockLevel> {
        LockLevel::ALL
            .into_iter()
            .find(|level| level.pg_locks_mode() == mode)
    }

    /// Whether a lock of this mode and one of `other` cannot be held on the same table by two
    /// transactions at once (Table 13.2). The relation is symmetric.
    pub fn conflicts_with(self, other: LockLevel) -> bool {
        let conflicts: &[LockLevel] = match self {
            AccessShare => &[AccessExclusive],
            RowShare => &[Exclusive, AccessExclusive],
            RowExclusive => &[Share, ShareRowExclusive, Exclusive, AccessExclusive],
            ShareUpdateExclusive => &[
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            Share => &[
                RowExclusive,
                ShareUpdateExclusive,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            ShareRowExclusive => &[
                RowExclusive,
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            Exclusive => &[
                RowShare,
                RowExclusive,
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            AccessExclusive => &LockLevel::ALL,
        };
        conflicts.contains(&other)
    }

    /// Plain `SELECT` takes ACCESS SHARE, so a mode that conflicts with it blocks reads.
    pub fn blocks_reads(self) -> bool {
        self.conflicts_with(AccessShare)
    }

    /// `INSERT`, `UPDATE`, `DELETE` and `MERGE` take ROW EXCLUSIVE, so a mode that conflicts with
    /// it blocks writes.
    pub fn blocks_writes(self) -> bool {
        self.conflicts_with(RowExclusive)
    }
}

impl fmt::Display for LockLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sql_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_table_is_symmetric() {
        for a in LockLevel::ALL {
            for b in LockLevel::ALL {
                assert_eq!(a.conflicts_with(b), b.conflicts_with(a), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn only_access_exclusive_blocks_plain_reads() {
        let blocking: Vec<_> = LockLevel::ALL
            .into_iter()
            .filter(|l| l.blocks_reads())
            .collect();
        assert_eq!(blocking, [AccessExclusive]);
    }

    #[test]
    fn share_and_stronger_block_writes_but_share_update_exclusive_does_not() {
        let blocking: Vec<_> = LockLevel::ALL
            .into_iter()
            .filter(|l| l.blocks_writes())
            .collect();
        assert_eq!(
            blocking,
            [Share, ShareRowExclusive, Exclusive, AccessExclusive]
        );
        assert!(!ShareUpdateExclusive.blocks_writes());
    }

    #[test]
    fn self_conflicting_modes_match_the_docs() {
        // Table 13.2: SHARE UPDATE EXCLUSIVE, SHARE ROW EXCLUSIVE, EXCLUSIVE and ACCESS EXCLUSIVE
        // are self-exclusive; SHARE is not (two CREATE INDEX can run side by side).
        let self_exclusive: Vec<_> = LockLevel::ALL
            .into_iter()
            .filter(|l| l.conflicts_with(*l))
            .collect();
        assert_eq!(
            self_exclusive,
            [
                ShareUpdateExclusive,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive
            ]
        );
    }

    #[test]
    fn pg_locks_names_round_trip() {
        for level in LockLevel::ALL {
            assert_eq!(
                LockLevel::from_pg_locks_mode(level.pg_locks_mode()),
                Some(level)
            );
        }
        assert_eq!(LockLevel::from_pg_locks_mode("SIReadLock"), None);
    }
}
