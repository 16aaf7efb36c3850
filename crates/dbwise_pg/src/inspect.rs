//! Reading a live database for `dbwise inspect`, strictly read-only: its schema as DDL text
//! (so the schema goes through the same replay as a migration history and every design rule
//! runs on it unchanged), and its statistics, sessions, connections and replication
//! ([`Live`]) for the rules that only a running server can answer.
//!
//! Safety: one connection, whose start-up packet sets `default_transaction_read_only`,
//! `statement_timeout`, `lock_timeout` and an empty `search_path` (so every name the server
//! prints is schema-qualified); everything is read inside one `BEGIN READ ONLY` transaction
//! from the system catalogs, statistics views and functions that take no lock beyond ACCESS
//! SHARE on catalogs. Nothing is created, analysed or written, so it runs on a hot standby. A
//! statistics view the role may not read becomes a note in [`Live::unreadable`], not an error.

use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

use dbwise_catalog::live::{
    Connections, IndexUse, Live, OwnerColumn, Replay, ReplicationSlot, SequenceUse, Session,
    TableUse,
};
use postgres::{Row, Transaction};

use crate::PgError;

const SERVER: &str = include_str!("queries/inspect/server.sql");
const SCHEMAS: &str = include_str!("queries/inspect/schemas.sql");
const TYPES: &str = include_str!("queries/inspect/types.sql");
const SEQUENCES: &str = include_str!("queries/inspect/sequences.sql");
const TABLES: &str = include_str!("queries/inspect/tables.sql");
const COLUMNS: &str = include_str!("queries/inspect/columns.sql");
const GENERATED: &str = include_str!("queries/inspect/generated.sql");
const CONSTRAINTS: &str = include_str!("queries/inspect/constraints.sql");
const INDEXES: &str = include_str!("queries/inspect/indexes.sql");
const VIEWS: &str = include_str!("queries/inspect/views.sql");
const ROUTINES: &str = include_str!("queries/inspect/routines.sql");
const ACTIVITY: &str = include_str!("queries/inspect/activity.sql");
const REPLICATION: &str = include_str!("queries/inspect/replication.sql");
const REPLAY: &str = include_str!("queries/inspect/replay.sql");
const STATEMENTS_EXTENSION: &str = include_str!("queries/inspect/statements_extension.sql");
const STATEMENTS_COUNT: &str = include_str!("queries/inspect/statements_count.sql");
const STATEMENTS: &str = include_str!("queries/inspect/statements.sql");

/// What to do when pg_stat_statements is missing: a DBA's change, never dbwise's.
const ENABLE_STATEMENTS: &str = "to enable it, a DBA adds pg_stat_statements to shared_preload_libraries (a restart) and runs CREATE EXTENSION pg_stat_statements in this database; dbwise never creates it";

/// The application name the session shows in `pg_stat_activity` and the server's log.
pub const APPLICATION_NAME: &str = "dbwise";

/// Limits of the inspecting session.
#[derive(Debug, Clone, Copy)]
pub struct InspectOptions {
    /// The longest any one query may run.
    pub statement_timeout: Duration,
    /// The longest a query may wait for a lock (only catalog locks are ever asked for).
    pub lock_timeout: Duration,
    /// How many statements of pg_stat_statements to read, the heaviest by total time; `None`
    /// reads none.
    pub statements: Option<usize>,
    /// The most bytes of statement text read from pg_stat_statements (256 MiB by default): a
    /// view whose heaviest statements hold more (generated SQL with huge IN lists) is read as
    /// far as this allows, and a note says so.
    pub statement_bytes: u64,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            statement_timeout: Duration::from_secs(30),
            lock_timeout: Duration::from_secs(1),
            statements: Some(DEFAULT_STATEMENTS),
            statement_bytes: 256 << 20,
        }
    }
}

/// The live schema as DDL, with the object each part of the text declares.
#[derive(Debug, Clone, Default)]
pub struct LiveSchema {
    pub ddl: String,
    /// (start, end, object) for each statement and each column definition, in text order.
    objects: Vec<(usize, usize, String)>,
}

impl LiveSchema {
    /// The innermost object whose declaration holds byte `offset` of [`LiveSchema::ddl`]:
    /// a column (`public.orders.customer_id`) within its table's statement, else the statement's
    /// object (`public.orders`, `public.orders_total_idx`, `public.orders.orders_pkey`).
    pub fn object_at(&self, offset: usize) -> Option<&str> {
        self.objects
            .iter()
            .filter(|(start, end, _)| (*start..*end).contains(&offset))
            .min_by_key(|(start, end, _)| end - start)
            .map(|(_, _, object)| object.as_str())
    }

    /// Append one statement declaring `object`.
    fn statement(&mut self, ddl: &str, object: &str) {
        let start = self.ddl.len();
        self.ddl.push_str(ddl);
        self.objects
            .push((start, self.ddl.len(), object.to_owned()));
        self.ddl.push_str(";\n");
    }
}

/// The statements of pg_stat_statements [`InspectOptions::statements`] reads by default.
pub const DEFAULT_STATEMENTS: usize = 5_000;

/// What `dbwise inspect` reads from a live database.
#[derive(Debug, Clone, Default)]
pub struct Inspection {
    pub schema: LiveSchema,
    pub live: Live,
    /// pg_stat_statements of the database, when it was asked for and could be read.
    pub statements: Option<Statements>,
}

/// The rows of pg_stat_statements for the inspected database, heaviest first.
#[derive(Debug, Clone, Default)]
pub struct Statements {
    /// The rows as the CSV of an export, with a header row.
    pub csv: Vec<u8>,
    /// How many statements the view holds for the database; more than were read when the
    /// limit cut them.
    pub total: u64,
    /// The most that were read.
    pub limit: usize,
}

/// Connect to `url` and read its schema and live state, read-only (see the module's doc).
pub fn inspect(url: &str, options: &InspectOptions) -> Result<Inspection, PgError> {
    let millis = |d: Duration| d.as_millis().to_string();
    let statement_timeout = millis(options.statement_timeout);
    let lock_timeout = millis(options.lock_timeout);
    let mut client = crate::connect_with_settings(
        url,
        APPLICATION_NAME,
        &[
            ("default_transaction_read_only", "on"),
            ("statement_timeout", &statement_timeout),
            ("lock_timeout", &lock_timeout),
            ("idle_in_transaction_session_timeout", &statement_timeout),
            ("search_path", ""),
        ],
    )?;
    let mut transaction = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(PgError::Query)?;
    let mut live = read_server(&mut transaction)?;
    let schema = read_schema(&mut transaction, &mut live)?;
    read_activity(&mut transaction, &mut live);
    read_replication(&mut transaction, &mut live);
    let statements = options.statements.and_then(|limit| {
        read_statements(&mut transaction, &mut live, limit, options.statement_bytes)
    });
    // Nothing was written; ending with a rollback leaves no doubt of it.
    transaction.rollback().map_err(PgError::Query)?;
    Ok(Inspection {
        schema,
        live,
        statements,
    })
}

fn read_server(tx: &mut Transaction) -> Result<Live, PgError> {
    let row = tx.query_one(SERVER, &[]).map_err(PgError::Query)?;
    let version: i32 = row.get("version");
    Ok(Live {
        server_version: u32::try_from(version).unwrap_or_default(),
        standby: row.get("standby"),
        database: row.get("database"),
        stats_reset_age: row.get("stats_reset_age"),
        stats_reset_at: row.get("stats_reset_at"),
        stats_age: row.get::<_, Option<f64>>("stats_age").unwrap_or_default(),
        database_xid_age: row.get("xid_age"),
        blocks_hit: row.get("blocks_hit"),
        blocks_read: row.get("blocks_read"),
        connections: Connections {
            max_connections: row.get("max_connections"),
            reserved: row.get("reserved"),
            by_application: Vec::new(),
        },
        ..Live::default()
    })
}

fn query(tx: &mut Transaction, sql: &str) -> Result<Vec<Row>, PgError> {
    tx.query(sql, &[]).map_err(PgError::Query)
}

/// Run `sql` under a savepoint; when it fails (a view the role may not read), roll back to
/// the savepoint and note what could not be read.
fn optional(tx: &mut Transaction, sql: &str, what: &str, live: &mut Live) -> Vec<Row> {
    under_savepoint(tx, what, "", live, |savepoint| {
        savepoint.query(sql, &[]).map_err(reason)
    })
    .unwrap_or_default()
}

/// Run `read` under a savepoint; when it fails, roll back to the savepoint and note what could
/// not be read, why, and `advice`.
fn under_savepoint<T>(
    tx: &mut Transaction,
    what: &str,
    advice: &str,
    live: &mut Live,
    read: impl FnOnce(&mut Transaction) -> Result<T, String>,
) -> Option<T> {
    let attempt = tx.transaction().map_err(reason).and_then(|mut savepoint| {
        let value = read(&mut savepoint)?;
        savepoint.commit().map_err(reason)?;
        Ok(value)
    });
    attempt
        .map_err(|why| live.unreadable.push(format!("{what}: {why}{advice}")))
        .ok()
}

/// The server's message of a failed query, or the error's own text.
fn reason(error: postgres::Error) -> String {
    error
        .as_db_error()
        .map_or_else(|| error.to_string(), |db| db.message().to_owned())
}

fn read_schema(tx: &mut Transaction, live: &mut Live) -> Result<LiveSchema, PgError> {
    let mut schema = LiveSchema::default();
    let declare = |schema: &mut LiveSchema, rows: &[Row]| {
        for row in rows {
            schema.statement(row.get("ddl"), row.get("object"));
        }
    };
    declare(&mut schema, &query(tx, SCHEMAS)?);
    declare(&mut schema, &query(tx, TYPES)?);
    let sequences = query(tx, SEQUENCES)?;
    for row in &sequences {
        if row.get::<_, Option<String>>("dependency").as_deref() == Some("i") {
            continue;
        }
        let qualified: String = row.get("qualified");
        let ddl = format!(
            "CREATE SEQUENCE {qualified} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {}{}",
            row.get::<_, String>("data_type"),
            row.get::<_, i64>("increment_by"),
            row.get::<_, i64>("min_value"),
            row.get::<_, i64>("max_value"),
            row.get::<_, i64>("start_value"),
            if row.get("cycle") { " CYCLE" } else { "" }
        );
        schema.statement(&ddl, &object_name(row));
    }
    let tables = query(tx, TABLES)?;
    let mut columns: HashMap<u32, Vec<Row>> = HashMap::new();
    for row in query(tx, COLUMNS)? {
        columns.entry(row.get("table_oid")).or_default().push(row);
    }
    // pg_attribute.attgenerated exists from PostgreSQL 12 on.
    let generated: Generated = if live.server_version >= 120000 {
        query(tx, GENERATED)?
            .iter()
            .map(|row| {
                (
                    (row.get("table_oid"), row.get("attnum")),
                    row.get("generated"),
                )
            })
            .collect()
    } else {
        Generated::new()
    };
    for table in in_creation_order(&tables) {
        declare_table(
            &mut schema,
            table,
            columns.get(&table.get("oid")),
            &generated,
        );
    }
    for row in &sequences {
        if let (Some("a"), Some(table), Some(column)) = (
            row.get::<_, Option<&str>>("dependency"),
            row.get::<_, Option<&str>>("owner_table"),
            row.get::<_, Option<&str>>("owner_column"),
        ) {
            let ddl = format!(
                "ALTER SEQUENCE {} OWNED BY {table}.{column}",
                row.get::<_, &str>("qualified")
            );
            schema.statement(&ddl, &object_name(row));
        }
    }
    declare(&mut schema, &query(tx, CONSTRAINTS)?);
    let mut indexes = query(tx, INDEXES)?;
    indexes
        .sort_by_cached_key(|row| (row.get::<_, String>("schema"), row.get::<_, String>("name")));
    for row in &indexes {
        // A constraint's index comes with the constraint, and a partition's part of a
        // partitioned index with the partitioned index; an invalid one is not used by queries
        // (and is reported on its own).
        if !row.get::<_, bool>("by_constraint")
            && !row.get::<_, bool>("partition_part")
            && row.get::<_, bool>("valid")
        {
            if let Some(definition) = row.get::<_, Option<&str>>("definition") {
                schema.statement(definition, &object_name(row));
            }
        }
    }
    declare(&mut schema, &query(tx, VIEWS)?);
    declare(&mut schema, &query(tx, ROUTINES)?);
    for table in &tables {
        let qualified: &str = table.get("qualified");
        let object = object_name(table);
        if table.get("rls") {
            schema.statement(
                &format!("ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY"),
                &object,
            );
        }
        if table.get("force_rls") {
            schema.statement(
                &format!("ALTER TABLE {qualified} FORCE ROW LEVEL SECURITY"),
                &object,
            );
        }
    }
    live.tables = tables.iter().map(table_use).collect();
    live.indexes = indexes.iter().map(index_use).collect();
    live.sequences = sequences.iter().map(sequence_use).collect();
    let unreadable = sequences
        .iter()
        .filter(|r| !r.get::<_, bool>("readable"))
        .count();
    if unreadable > 0 {
        live.unreadable.push(format!(
            "{unreadable} sequence{} cannot be read by this role, so how far {} gone is unknown: grant SELECT on {}",
            if unreadable == 1 { "" } else { "s" },
            if unreadable == 1 { "it has" } else { "they have" },
            if unreadable == 1 { "it" } else { "them" },
        ));
    }
    Ok(schema)
}

/// `schema.name` of a row with `schema` and `name` columns, unquoted, for messages.
fn object_name(row: &Row) -> String {
    format!(
        "{}.{}",
        row.get::<_, &str>("schema"),
        row.get::<_, &str>("name")
    )
}

/// Tables with every partition after the table it is a partition of.
fn in_creation_order(tables: &[Row]) -> Vec<&Row> {
    let mut done: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut ordered = Vec::with_capacity(tables.len());
    let mut pending: Vec<&Row> = tables.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|table| {
            let parent: Option<&str> = table.get("partition_of");
            if parent.is_none_or(|p| done.contains(p)) {
                done.insert(table.get("qualified"));
                ordered.push(*table);
                false
            } else {
                true
            }
        });
        if pending.len() == before {
            // A parent outside what was read: nothing else can come first.
            ordered.append(&mut pending);
        }
    }
    ordered
}

/// The kind (`s` stored, `v` virtual) of each generated column, by table oid and column number.
type Generated = HashMap<(u32, i16), String>;

fn declare_table(
    schema: &mut LiveSchema,
    table: &Row,
    columns: Option<&Vec<Row>>,
    generated: &Generated,
) {
    let qualified: &str = table.get("qualified");
    let object = object_name(table);
    let start = schema.ddl.len();
    schema.ddl.push_str("CREATE TABLE ");
    schema.ddl.push_str(qualified);
    if let Some(parent) = table.get::<_, Option<&str>>("partition_of") {
        schema.ddl.push_str(" PARTITION OF ");
        schema.ddl.push_str(parent);
        schema.ddl.push(' ');
        schema
            .ddl
            .push_str(table.get::<_, Option<&str>>("bound").unwrap_or_default());
    } else {
        schema.ddl.push_str(" (");
        for (i, column) in columns.into_iter().flatten().enumerate() {
            schema
                .ddl
                .push_str(if i == 0 { "\n    " } else { ",\n    " });
            let at = schema.ddl.len();
            let kind = generated
                .get(&(table.get("oid"), column.get("attnum")))
                .map_or("", String::as_str);
            schema.ddl.push_str(&column_definition(column, kind));
            let name = format!("{object}.{}", column.get::<_, &str>("plain"));
            schema.objects.push((at, schema.ddl.len(), name));
        }
        schema.ddl.push_str("\n)");
        if let Some(parents) = table.get::<_, Option<&str>>("inherits") {
            schema.ddl.push_str(&format!(" INHERITS ({parents})"));
        }
    }
    if let Some(key) = table.get::<_, Option<&str>>("partition_key") {
        schema.ddl.push_str(" PARTITION BY ");
        schema.ddl.push_str(key);
    }
    schema.objects.push((start, schema.ddl.len(), object));
    schema.ddl.push_str(";\n");
}

/// A column's definition; `generated` is its `attgenerated` (empty when it is not generated).
fn column_definition(column: &Row, generated: &str) -> String {
    let mut text = format!(
        "{} {}",
        column.get::<_, &str>("name"),
        column.get::<_, &str>("type")
    );
    let default: Option<&str> = column.get("default_expr");
    match (generated, default) {
        ("s", Some(expression)) => {
            text.push_str(&format!(" GENERATED ALWAYS AS ({expression}) STORED"));
        }
        ("v", Some(expression)) => {
            text.push_str(&format!(" GENERATED ALWAYS AS ({expression}) VIRTUAL"));
        }
        (_, Some(expression)) => text.push_str(&format!(" DEFAULT {expression}")),
        _ => {}
    }
    match column.get::<_, &str>("identity") {
        "a" => text.push_str(" GENERATED ALWAYS AS IDENTITY"),
        "d" => text.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        _ => {}
    }
    if column.get("not_null") {
        text.push_str(" NOT NULL");
    }
    text
}

fn table_use(row: &Row) -> TableUse {
    TableUse {
        schema: row.get("schema"),
        name: row.get("name"),
        rows: row
            .get::<_, Option<i64>>("rows")
            .and_then(|n| u64::try_from(n).ok()),
        bytes: row.get("bytes"),
        expected_bytes: row.get("expected_bytes"),
        live_tuples: row.get("live_tuples"),
        dead_tuples: row.get("dead_tuples"),
        writes: row.get("writes"),
        inserts: row.get("inserts"),
        seq_scans: row.get("seq_scans"),
        seq_tuples_read: row.get("seq_tuples_read"),
        index_scans: row.get("index_scans"),
        vacuum_age: row.get("vacuum_age"),
        xid_age: row.get("xid_age"),
    }
}

fn index_use(row: &Row) -> IndexUse {
    IndexUse {
        schema: row.get("schema"),
        table: row.get("table_name"),
        name: row.get("name"),
        scans: row.get("scans"),
        bytes: row.get("bytes"),
        expected_bytes: row.get("expected_bytes"),
        unique: row.get("is_unique"),
        primary: row.get("is_primary"),
        constraint: row.get("by_constraint"),
        valid: row.get("valid"),
        definition: row
            .get::<_, Option<String>>("definition")
            .unwrap_or_default(),
    }
}

fn sequence_use(row: &Row) -> SequenceUse {
    SequenceUse {
        schema: row.get("schema"),
        name: row.get("name"),
        last_value: row.get("last_value"),
        min_value: row.get("min_value"),
        max_value: row.get("max_value"),
        increment: row.get("increment_by"),
        column: row
            .get::<_, Option<String>>("owner_schema")
            .map(|schema| OwnerColumn {
                schema,
                table: row.get("owner_table_name"),
                column: row.get("owner_column_name"),
                type_name: row.get("column_type"),
            }),
        column_max: row.get("column_max"),
    }
}

fn read_activity(tx: &mut Transaction, live: &mut Live) {
    let rows = optional(tx, ACTIVITY, "sessions (pg_stat_activity)", live);
    let mut by_application: HashMap<String, i64> = HashMap::new();
    for row in &rows {
        *by_application.entry(row.get("application")).or_default() += 1;
        if row.get("own") {
            continue;
        }
        live.sessions.push(Session {
            pid: row.get("pid"),
            user: row.get("username"),
            application: row.get("application"),
            state: row.get("state"),
            transaction_age: row.get("transaction_age"),
            state_age: row.get("state_age"),
            query: row.get("query"),
        });
    }
    let mut by_application: Vec<(String, i64)> = by_application.into_iter().collect();
    by_application.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    live.connections.by_application = by_application;
    let hidden = live.sessions.iter().filter(|s| s.state.is_empty()).count();
    if hidden > 0 {
        live.unreadable.push(format!(
            "{hidden} session{} of other roles show no state: grant pg_read_all_stats (or pg_monitor) to judge {}",
            if hidden == 1 { "" } else { "s" },
            if hidden == 1 { "it" } else { "them" },
        ));
    }
}

fn read_replication(tx: &mut Transaction, live: &mut Live) {
    let slots = optional(tx, REPLICATION, "replication slots", live);
    live.slots = slots
        .iter()
        .map(|row| ReplicationSlot {
            name: row.get("name"),
            kind: row.get("kind"),
            active: row.get("active"),
            retained_bytes: row.get("retained_bytes"),
        })
        .collect();
    if live.standby {
        let replay = optional(tx, REPLAY, "replay position", live);
        live.replay = replay.first().map(|row| Replay {
            lag: row.get("lag"),
            pending_bytes: row.get("pending_bytes"),
        });
    }
}

/// The `limit` heaviest statements of pg_stat_statements whose texts fit in `bytes` together,
/// when the extension is installed in the database and the role may read it; otherwise a note
/// that says how to enable it.
fn read_statements(
    tx: &mut Transaction,
    live: &mut Live,
    limit: usize,
    bytes: u64,
) -> Option<Statements> {
    let advice = format!("; {ENABLE_STATEMENTS}");
    let what = "pg_stat_statements (the workload)";
    let installed = under_savepoint(tx, what, &advice, live, |savepoint| {
        savepoint
            .query_opt(STATEMENTS_EXTENSION, &[])
            .map_err(reason)
    })?;
    let Some(installed) = installed else {
        live.unreadable.push(format!(
            "pg_stat_statements is not installed in this database, so there is no workload report; {ENABLE_STATEMENTS}"
        ));
        return None;
    };
    let schema: String = installed.get("schema");
    let total = if live.server_version >= 130_000 {
        "s.total_exec_time + s.total_plan_time"
    } else {
        "s.total_time"
    };
    let fill = |sql: &str, limit: usize| {
        sql.replace("{schema}", &schema)
            .replace("{total}", total)
            .replace("{limit}", &limit.to_string())
            .replace("{bytes}", &bytes.to_string())
    };
    let read = under_savepoint(tx, what, &advice, live, |savepoint| {
        let counts = savepoint
            .query_one(&fill(STATEMENTS_COUNT, limit), &[])
            .map_err(reason)?;
        let count: i64 = counts.get("statements");
        let fitting: i64 = counts.get("fitting");
        let fitting = usize::try_from(fitting).unwrap_or_default();
        let mut csv = Vec::new();
        savepoint
            .copy_out(&fill(STATEMENTS, fitting))
            .map_err(reason)?
            .read_to_end(&mut csv)
            .map_err(|error| error.to_string())?;
        let total = u64::try_from(count).unwrap_or_default();
        Ok(Statements {
            csv,
            total,
            limit: fitting,
        })
    })?;
    // Fewer than the limit (or than all the view holds, when fewer) fitted in the cap.
    if (read.limit as u64) < read.total.min(limit as u64) {
        live.unreadable.push(format!(
            "pg_stat_statements: the texts of the {} heaviest statements fill the {bytes} bytes dbwise reads at most; the lighter ones are left out of the workload report",
            read.limit,
        ));
    }
    Some(read)
}
