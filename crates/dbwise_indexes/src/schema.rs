//! What the advisor reads from the database, read-only: the workload's tables with their size,
//! fill factor and per-column planner statistics, their indexes, and which functions are
//! IMMUTABLE.

use postgres::Transaction;

use crate::Error;

const TABLE: &str = include_str!("queries/table.sql");
const COLUMNS: &str = include_str!("queries/columns.sql");
const INDEXES: &str = include_str!("queries/indexes.sql");

/// One table and its statistics.
#[derive(Debug, Clone)]
pub struct Table {
    pub schema: String,
    pub name: String,
    pub tuples: f64,
    pub pages: i64,
    pub fillfactor: i32,
    pub columns: Vec<ColumnStats>,
    pub indexes: Vec<ExistingIndex>,
}

impl Table {
    /// `schema.name`, each part quoted when it needs to be.
    pub fn qualified(&self) -> String {
        format!("{}.{}", quote(&self.schema), quote(&self.name))
    }

    pub fn column(&self, name: &str) -> Option<&ColumnStats> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column and what `pg_stats` says about it.
#[derive(Debug, Clone)]
pub struct ColumnStats {
    pub name: String,
    pub type_name: String,
    /// `pg_type.typlen`: the fixed width, or -1 for variable-length types.
    pub len: i32,
    /// `pg_type.typalign`: c, s, i or d.
    pub align: char,
    pub avg_width: Option<i32>,
    pub null_frac: f64,
    /// `pg_stats.n_distinct`: a count, or minus the fraction of rows when negative.
    pub n_distinct: Option<f64>,
    pub common_values: Vec<String>,
    pub common_freqs: Vec<f64>,
    /// A default btree operator class accepts the type.
    pub btree: bool,
}

impl ColumnStats {
    /// The estimated number of distinct values among `tuples` rows.
    pub fn distinct(&self, tuples: f64) -> f64 {
        match self.n_distinct {
            Some(n) if n > 0.0 => n,
            Some(n) if n < 0.0 => -n * tuples,
            _ => (tuples / 10.0).max(1.0),
        }
    }

    /// The fraction of rows holding `value`, when it is among the most common values.
    pub fn frequency(&self, value: &str) -> Option<f64> {
        let at = self.common_values.iter().position(|v| v == value)?;
        self.common_freqs.get(at).copied()
    }

    /// The estimated fraction of rows holding a value that is not among the most common ones.
    pub fn rare_frequency(&self, tuples: f64) -> f64 {
        let common: f64 = self.common_freqs.iter().sum();
        let others = (self.distinct(tuples) - self.common_values.len() as f64).max(1.0);
        ((1.0 - common - self.null_frac).max(0.0)) / others
    }

    /// The average stored width in bytes.
    pub fn width(&self) -> f64 {
        match self.avg_width {
            Some(w) => f64::from(w),
            None if self.len > 0 => f64::from(self.len),
            None => 32.0,
        }
    }
}

/// An index that exists.
#[derive(Debug, Clone)]
pub struct ExistingIndex {
    pub schema: String,
    pub name: String,
    pub method: String,
    pub primary: bool,
    pub unique: bool,
    pub valid: bool,
    /// It enforces a primary key, unique or exclusion constraint.
    pub constraint_backed: bool,
    /// Key columns (names or expressions as PostgreSQL prints them), then INCLUDE columns.
    pub columns: Vec<String>,
    pub key_count: usize,
    pub predicate: Option<String>,
    /// The table's column numbers of the key and INCLUDE columns, 0 for an expression.
    pub attnums: Vec<i32>,
    /// The column numbers of each foreign key the table declares.
    pub foreign_keys: Vec<Vec<i32>>,
    pub bytes: i64,
    pub scans: i64,
    pub stats_reset: Option<String>,
}

impl ExistingIndex {
    pub fn keys(&self) -> &[String] {
        &self.columns[..self.key_count.min(self.columns.len())]
    }

    pub fn included(&self) -> &[String] {
        &self.columns[self.key_count.min(self.columns.len())..]
    }

    /// `schema.name`, quoted.
    pub fn qualified(&self) -> String {
        format!("{}.{}", quote(&self.schema), quote(&self.name))
    }

    /// A foreign key's lookup (the delete or key update of a parent row) can use it: its
    /// leading key columns are the key's columns, in any order.
    pub fn backs_foreign_key(&self) -> bool {
        let keys = &self.attnums[..self.key_count.min(self.attnums.len())];
        self.predicate.is_none()
            && self.foreign_keys.iter().any(|fk| {
                fk.len() <= keys.len() && {
                    let mut leading = keys[..fk.len()].to_vec();
                    let mut wanted = fk.clone();
                    leading.sort_unstable();
                    wanted.sort_unstable();
                    leading == wanted
                }
            })
    }
}

/// Read a table by the name a query gives it; `None` when the search path does not find it.
pub fn read_table(tx: &mut Transaction<'_>, name: &str) -> Result<Option<Table>, Error> {
    let Some(row) = tx.query_opt(TABLE, &[&name])? else {
        return Ok(None);
    };
    let oid: i64 = row.get("oid");
    let columns = tx
        .query(COLUMNS, &[&oid])?
        .iter()
        .map(|r| ColumnStats {
            name: r.get("name"),
            type_name: r.get("type"),
            len: r.get("len"),
            align: r.get::<_, String>("align").chars().next().unwrap_or('i'),
            avg_width: r.get("avg_width"),
            null_frac: r.get::<_, Option<f64>>("null_frac").unwrap_or(0.0),
            n_distinct: r.get("n_distinct"),
            common_values: r
                .get::<_, Option<Vec<Option<String>>>>("common_values")
                .unwrap_or_default()
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            common_freqs: r
                .get::<_, Option<Vec<Option<f64>>>>("common_freqs")
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.unwrap_or(0.0))
                .collect(),
            btree: r.get("btree"),
        })
        .collect();
    let indexes = tx
        .query(INDEXES, &[&oid])?
        .iter()
        .map(|r| ExistingIndex {
            schema: r.get("schema"),
            name: r.get("name"),
            method: r.get("method"),
            primary: r.get("primary"),
            unique: r.get("unique"),
            valid: r.get("valid"),
            constraint_backed: r.get("constraint_backed"),
            key_count: usize::try_from(r.get::<_, i32>("key_count")).unwrap_or(0),
            columns: r.get("columns"),
            predicate: r.get("predicate"),
            attnums: r.get("attnums"),
            foreign_keys: r
                .get::<_, Vec<String>>("foreign_keys")
                .iter()
                .map(|array| {
                    array
                        .trim_matches(|c| c == '{' || c == '}')
                        .split(',')
                        .filter_map(|n| n.trim().parse().ok())
                        .collect()
                })
                .collect(),
            bytes: r.get("bytes"),
            scans: r.get("scans"),
            stats_reset: r.get("stats_reset"),
        })
        .collect();
    Ok(Some(Table {
        schema: row.get("schema"),
        name: row.get("name"),
        tuples: row.get("tuples"),
        pages: row.get("pages"),
        fillfactor: row.get("fillfactor"),
        columns,
        indexes,
    }))
}

/// Every function of this name (in `schema`, or anywhere on the search path) taking
/// `arguments` arguments is IMMUTABLE, so an index may hold its result.
pub fn immutable(
    tx: &mut Transaction<'_>,
    function: &[String],
    arguments: usize,
) -> Result<bool, Error> {
    let (schema, name) = match function {
        [name] => (None, name),
        [schema, name] => (Some(schema), name),
        _ => return Ok(false),
    };
    let count = i16::try_from(arguments).unwrap_or(i16::MAX);
    let row = tx.query_one(
        "SELECT count(*) > 0 AND bool_and(p.provolatile = 'i') \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         WHERE p.proname = $1 AND p.pronargs = $2 AND p.prokind = 'f' \
           AND CASE WHEN $3::text IS NULL \
                    THEN n.nspname = ANY (pg_catalog.current_schemas(true)) \
                    ELSE n.nspname = $3::text END",
        &[name, &count, &schema],
    )?;
    Ok(row.get::<_, Option<bool>>(0).unwrap_or(false))
}

/// An identifier as SQL needs it: bare when it is lower-case letters, digits and underscores
/// not starting with a digit, double-quoted otherwise.
pub fn quote(name: &str) -> String {
    let bare = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if bare && !dbwise_syntax::keywords::is_reserved(name) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
