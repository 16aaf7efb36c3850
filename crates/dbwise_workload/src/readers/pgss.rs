//! `pg_stat_statements` exports: CSV with a header row (`\copy (SELECT ...) TO 'x.csv' CSV
//! HEADER`), with the column names of any PostgreSQL version from 12 to 18.

use std::borrow::Cow;
use std::io::Read;

/// One row of the view: a statement with cumulative counters.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub line: u64,
    pub query: &'a str,
    pub calls: u64,
    /// `None` when the export has no column of total time.
    pub total_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub rows: Option<u64>,
    /// The role's name, or `oid N` when the export has only `userid`.
    pub user: Cow<'a, str>,
    /// The database's name, or `oid N` when the export has only `dbid`.
    pub database: Cow<'a, str>,
}

/// Where rows go.
pub trait RowSink {
    fn row(&mut self, row: &Row<'_>);
    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str);
}

/// Why an export cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PgssError {
    #[error("not a pg_stat_statements export: the header has no `{0}` column")]
    MissingColumn(&'static str),
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

struct Columns {
    query: usize,
    calls: usize,
    total: Vec<usize>,
    min: Option<usize>,
    max: Option<usize>,
    rows: Option<usize>,
    /// The column of the role, and whether it holds OIDs (`userid`) rather than names.
    user: Option<(usize, bool)>,
    database: Option<(usize, bool)>,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Result<Columns, PgssError> {
        let find = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
        };
        let query = find(&["query"]).ok_or(PgssError::MissingColumn("query"))?;
        let calls = find(&["calls"]).ok_or(PgssError::MissingColumn("calls"))?;
        // PostgreSQL 13 split total_time into planning and execution time.
        let total = match find(&["total_exec_time"]) {
            Some(exec) => std::iter::once(exec)
                .chain(find(&["total_plan_time"]))
                .collect(),
            // An export without any total time column still gives call counts.
            None => find(&["total_time"]).into_iter().collect(),
        };
        Ok(Columns {
            query,
            calls,
            total,
            min: find(&["min_exec_time", "min_time"]),
            max: find(&["max_exec_time", "max_time"]),
            rows: find(&["rows"]),
            user: find(&["rolname", "usename", "username", "user_name", "user"])
                .map(|i| (i, false))
                .or_else(|| find(&["userid"]).map(|i| (i, true))),
            database: find(&["datname", "dbname", "database", "database_name"])
                .map(|i| (i, false))
                .or_else(|| find(&["dbid"]).map(|i| (i, true))),
        })
    }
}

/// Whether a CSV header line names the columns of pg_stat_statements.
pub fn looks_like_header(first_line: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    let names: Vec<&str> = lower
        .split(',')
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    names.contains(&"query") && names.contains(&"calls")
}

pub fn read(reader: impl Read, sink: &mut dyn RowSink) -> Result<(), PgssError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let columns = Columns::from_header(csv.headers()?)?;
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line() + 1;
        match csv.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(error) if matches!(error.kind(), csv::ErrorKind::Io(_)) => return Err(error.into()),
            Err(error) => {
                sink.skip(
                    line,
                    b"",
                    &format!("unreadable CSV row: {error}"),
                    "the export may be cut or not UTF-8",
                );
                continue;
            }
        }
        let number = |i: usize| record.get(i).and_then(|v| v.trim().parse::<f64>().ok());
        let (Some(query), Some(calls)) = (record.get(columns.query), number(columns.calls)) else {
            sink.skip(
                line,
                record.as_slice().as_bytes(),
                "row without query text or call count",
                "every row needs the `query` and `calls` columns of the header",
            );
            continue;
        };
        // An OID is no name: it says so, for the reader to look up in pg_roles or pg_database.
        let name = |column: Option<(usize, bool)>| match column {
            Some((i, oid)) => match record.get(i).map(str::trim) {
                Some(value) if oid && !value.is_empty() => Cow::Owned(format!("oid {value}")),
                Some(value) => Cow::Borrowed(value),
                None => Cow::Borrowed(""),
            },
            None => Cow::Borrowed(""),
        };
        sink.row(&Row {
            line,
            query,
            calls: calls.max(0.0) as u64,
            total_ms: (!columns.total.is_empty())
                .then(|| columns.total.iter().filter_map(|&i| number(i)).sum()),
            min_ms: columns.min.and_then(number),
            max_ms: columns.max.and_then(number),
            rows: columns.rows.and_then(number).map(|r| r.max(0.0) as u64),
            user: name(columns.user),
            database: name(columns.database),
        });
    }
}
