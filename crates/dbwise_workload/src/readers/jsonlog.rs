//! PostgreSQL `jsonlog` files (PostgreSQL 15+): one JSON object per line.

use std::borrow::Cow;
use std::io::{self, Read};

use super::{Level, Record, Sink, lines, parse_time, session_key};

#[derive(serde::Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    timestamp: Cow<'a, str>,
    #[serde(borrow, default)]
    user: Cow<'a, str>,
    #[serde(borrow, default)]
    dbname: Cow<'a, str>,
    #[serde(default)]
    pid: Option<u64>,
    #[serde(borrow, default)]
    session_id: Cow<'a, str>,
    #[serde(borrow, default)]
    error_severity: Cow<'a, str>,
    #[serde(borrow, default)]
    message: Cow<'a, str>,
    #[serde(borrow, default)]
    detail: Cow<'a, str>,
    #[serde(borrow, default)]
    context: Cow<'a, str>,
    #[serde(borrow, default)]
    statement: Cow<'a, str>,
    #[serde(borrow, default)]
    application_name: Cow<'a, str>,
}

/// Returns the number of lines read.
pub fn read(reader: impl Read, sink: &mut dyn Sink) -> io::Result<u64> {
    let mut line_no = 0u64;
    lines::each_line(reader, |line| {
        line_no += 1;
        if line.is_empty() {
            return;
        }
        let entry: Entry<'_> = match serde_json::from_slice(line) {
            Ok(entry) => entry,
            Err(error) => {
                sink.skip(
                    line_no,
                    line,
                    &format!("not a JSON log record: {error}"),
                    "jsonlog files hold one JSON object per line; the file may be cut or written by another program",
                );
                return;
            }
        };
        let (time, zone) = parse_time(&entry.timestamp);
        let session = if entry.session_id.is_empty() {
            session_key(
                entry
                    .pid
                    .map(|p| p.to_string())
                    .unwrap_or_default()
                    .as_bytes(),
            )
        } else {
            session_key(entry.session_id.as_bytes())
        };
        sink.record(&Record {
            line: line_no,
            time,
            zone,
            session,
            user: &entry.user,
            database: &entry.dbname,
            application: &entry.application_name,
            level: Level::parse(entry.error_severity.as_bytes()),
            message: &entry.message,
            detail: &entry.detail,
            context: &entry.context,
            statement: &entry.statement,
        });
    })?;
    Ok(line_no)
}
