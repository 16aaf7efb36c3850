//! PostgreSQL `csvlog` files: one CSV record per message, fields in a fixed order.

use std::io::Read;

use super::{Level, Record, Sink, parse_time, session_key};

const LOG_TIME: usize = 0;
const USER: usize = 1;
const DATABASE: usize = 2;
const PID: usize = 3;
const SESSION_ID: usize = 5;
const SEVERITY: usize = 11;
const MESSAGE: usize = 13;
const DETAIL: usize = 14;
const CONTEXT: usize = 18;
const QUERY: usize = 19;
const APPLICATION: usize = 22;

/// Returns the number of lines read.
pub fn read(reader: impl Read, sink: &mut dyn Sink) -> Result<u64, csv::Error> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    let mut row = csv::ByteRecord::new();
    loop {
        let line = csv.position().line() + 1;
        match csv.read_byte_record(&mut row) {
            Ok(false) => return Ok(csv.position().line().saturating_sub(1)),
            Ok(true) => {}
            Err(error) if matches!(error.kind(), csv::ErrorKind::Io(_)) => return Err(error),
            Err(error) => {
                sink.skip(
                    line,
                    b"",
                    &format!("unreadable CSV record: {error}"),
                    "the file may be cut or not a csvlog",
                );
                continue;
            }
        }
        let text = |i: usize| {
            row.get(i)
                .and_then(|f| std::str::from_utf8(f).ok())
                .unwrap_or("")
        };
        if row.len() <= MESSAGE || parse_time(text(LOG_TIME)).0.is_none() {
            let raw = row.as_slice();
            sink.skip(
                line,
                &raw[..raw.len().min(200)],
                "not a csvlog record",
                "csvlog records start with a timestamp and have at least 14 fields; the file may be cut, or use --input-format",
            );
            continue;
        }
        let (time, zone) = parse_time(text(LOG_TIME));
        let session = match row.get(SESSION_ID) {
            Some(id) if !id.is_empty() => session_key(id),
            _ => session_key(row.get(PID).unwrap_or_default()),
        };
        sink.record(&Record {
            line,
            time,
            zone,
            session,
            user: text(USER),
            database: text(DATABASE),
            application: text(APPLICATION),
            level: Level::parse(row.get(SEVERITY).unwrap_or_default()),
            message: text(MESSAGE),
            detail: text(DETAIL),
            context: text(CONTEXT),
            statement: text(QUERY),
        });
    }
}
