//! What a live database shows beyond its schema: how its indexes, sequences and tables are used,
//! its sessions, connections and replication, as read from its statistics views. The live rules
//! judge this; the schema itself goes into the [`crate::Catalog`] like any other.

/// A live server's state at one moment. Times are ages in seconds, measured by the server.
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// `server_version_num`, e.g. 150004.
    pub server_version: u32,
    /// The server is a standby (in recovery).
    pub standby: bool,
    pub database: String,
    /// Seconds since this database's statistics were last reset; `None` when never reset
    /// (then the counters run from the server's start, `stats_age` below).
    pub stats_reset_age: Option<f64>,
    /// When the statistics were last reset, as the server writes a timestamp.
    pub stats_reset_at: Option<String>,
    /// Seconds the counters cover: since the reset, else since the server started.
    pub stats_age: f64,
    pub tables: Vec<TableUse>,
    pub indexes: Vec<IndexUse>,
    pub sequences: Vec<SequenceUse>,
    pub sessions: Vec<Session>,
    pub connections: Connections,
    pub slots: Vec<ReplicationSlot>,
    /// On a standby: seconds since the last replayed transaction's commit on the primary, and
    /// the bytes received but not replayed yet.
    pub replay: Option<Replay>,
    /// `age(datfrozenxid)` of the current database.
    pub database_xid_age: i64,
    /// Buffer hits and reads of the current database since the statistics were reset.
    pub blocks_hit: i64,
    pub blocks_read: i64,
    /// What could not be read, one sentence each (a view the role may not see).
    pub unreadable: Vec<String>,
}

/// One table's size and activity.
#[derive(Debug, Clone, Default)]
pub struct TableUse {
    pub schema: String,
    pub name: String,
    /// The planner's estimate; `None` when never vacuumed or analysed.
    pub rows: Option<u64>,
    /// Size of the table's main fork in bytes.
    pub bytes: i64,
    /// Bytes the table would take with its rows packed at the fill factor (from its columns'
    /// average widths); `None` without column statistics.
    pub expected_bytes: Option<i64>,
    pub live_tuples: i64,
    pub dead_tuples: i64,
    /// Rows inserted, updated and deleted since the statistics were reset.
    pub writes: i64,
    /// Rows inserted since the statistics were reset.
    pub inserts: i64,
    pub seq_scans: i64,
    pub seq_tuples_read: i64,
    pub index_scans: i64,
    /// Seconds since the last vacuum, manual or automatic; `None` when never vacuumed.
    pub vacuum_age: Option<f64>,
    /// `age(relfrozenxid)`.
    pub xid_age: i64,
}

/// One index's definition and use.
#[derive(Debug, Clone, Default)]
pub struct IndexUse {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub scans: i64,
    pub bytes: i64,
    /// The size its entries would take packed at its fill factor, from the statistics (a
    /// B-tree on plain columns only; `None` without statistics).
    pub expected_bytes: Option<i64>,
    pub unique: bool,
    pub primary: bool,
    /// Backs a constraint (primary key, unique, exclusion).
    pub constraint: bool,
    /// `indisvalid`: false after a failed `CREATE INDEX CONCURRENTLY`.
    pub valid: bool,
    /// `pg_get_indexdef`; empty for a valid index a constraint declares (not read).
    pub definition: String,
}

/// One sequence and how far it has gone.
#[derive(Debug, Clone, Default)]
pub struct SequenceUse {
    pub schema: String,
    pub name: String,
    /// `None` when never used or not readable.
    pub last_value: Option<i64>,
    pub min_value: i64,
    pub max_value: i64,
    pub increment: i64,
    /// The column it feeds, when one owns it (a serial's or an identity column).
    pub column: Option<OwnerColumn>,
    /// The largest value the column's type can hold, when it is an integer type smaller than
    /// the sequence's own range.
    pub column_max: Option<i64>,
}

/// The column a sequence feeds.
#[derive(Debug, Clone, Default)]
pub struct OwnerColumn {
    pub schema: String,
    pub table: String,
    pub column: String,
    /// As `format_type` writes it (`integer`).
    pub type_name: String,
}

/// One backend of the server.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub pid: i32,
    pub user: String,
    pub application: String,
    /// `active`, `idle`, `idle in transaction`, ...; empty when not visible to the role.
    pub state: String,
    /// Seconds since the transaction began, when one is open.
    pub transaction_age: Option<f64>,
    /// Seconds since the state last changed.
    pub state_age: Option<f64>,
    /// The start of the current or last query (visible with `pg_read_all_stats`).
    pub query: String,
}

/// Connection slots in use against the server's limits.
#[derive(Debug, Clone, Default)]
pub struct Connections {
    pub max_connections: i64,
    /// `superuser_reserved_connections` plus `reserved_connections` (PostgreSQL 16+).
    pub reserved: i64,
    /// Client backends, by application name, most first.
    pub by_application: Vec<(String, i64)>,
}

impl Connections {
    pub fn in_use(&self) -> i64 {
        self.by_application.iter().map(|(_, n)| n).sum()
    }
}

/// A replication slot and the WAL it keeps.
#[derive(Debug, Clone, Default)]
pub struct ReplicationSlot {
    pub name: String,
    pub kind: String,
    pub active: bool,
    /// Bytes of WAL the server keeps for it.
    pub retained_bytes: Option<i64>,
}

/// A standby's distance behind its primary.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// Seconds since the commit of the last transaction replayed.
    pub lag: Option<f64>,
    /// WAL received and not yet replayed, in bytes.
    pub pending_bytes: Option<i64>,
}
