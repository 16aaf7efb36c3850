//! How long the work under a lock lasts: what a statement does while it holds its lock
//! ([`Hold`]) and how fast a server does it ([`Throughput`]).

use crate::{DdlForm, LockEffect};

/// What a statement does while it holds its lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Hold {
    /// A catalog change: the lock is released as soon as it is granted.
    Instant,
    /// The table is read in full (a constraint validated, `SET NOT NULL` checked).
    Scan,
    /// The table is copied into new storage with its indexes.
    Rewrite,
    /// An index is built from the table.
    Build,
}

impl Hold {
    pub fn as_str(self) -> &'static str {
        match self {
            Hold::Instant => "instant",
            Hold::Scan => "scan",
            Hold::Rewrite => "rewrite",
            Hold::Build => "build",
        }
    }

    /// The work the lock model says `form` does under its lock.
    pub fn of(form: &DdlForm, effect: &LockEffect) -> Hold {
        match form {
            DdlForm::CreateIndex { .. } | DdlForm::Reindex { .. } => Hold::Build,
            _ if effect.rewrites => Hold::Rewrite,
            _ if effect.scans => Hold::Scan,
            _ => Hold::Instant,
        }
    }
}

/// Megabytes (10^6 bytes) per second of each kind of work.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Throughput {
    pub rewrite_mb_per_s: f64,
    pub index_build_mb_per_s: f64,
    pub scan_mb_per_s: f64,
}

impl Throughput {
    /// Figures of a small cloud server with SSD storage, used until `migrate trace` has
    /// measured this machine's.
    pub const DEFAULT: Throughput = Throughput {
        rewrite_mb_per_s: 60.0,
        index_build_mb_per_s: 80.0,
        scan_mb_per_s: 300.0,
    };

    /// Megabytes per second of `hold`; `None` for a catalog change, which takes no time.
    pub fn mb_per_s(&self, hold: Hold) -> Option<f64> {
        match hold {
            Hold::Instant => None,
            Hold::Scan => Some(self.scan_mb_per_s),
            Hold::Rewrite => Some(self.rewrite_mb_per_s),
            Hold::Build => Some(self.index_build_mb_per_s),
        }
    }

    /// The figures as one line, for the assumptions.
    pub fn describe(&self) -> String {
        format!(
            "rewrite {:.0} MB/s, index build {:.0} MB/s, validation scan {:.0} MB/s",
            self.rewrite_mb_per_s, self.index_build_mb_per_s, self.scan_mb_per_s
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_under_a_lock_follows_the_model() {
        let hold = |form: DdlForm| Hold::of(&form, &crate::effect(&form, 15).unwrap());
        assert_eq!(
            hold(DdlForm::CreateIndex {
                concurrently: false
            }),
            Hold::Build
        );
        assert_eq!(
            hold(DdlForm::AlterColumnType {
                binary_coercible: false
            }),
            Hold::Rewrite
        );
        assert_eq!(
            hold(DdlForm::SetNotNull {
                has_valid_check: false
            }),
            Hold::Scan
        );
        assert_eq!(hold(DdlForm::RenameColumn), Hold::Instant);
    }
}
