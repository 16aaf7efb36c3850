//! Readers turn input files into [`Record`]s (one server log message with its detail lines)
//! or directly into statement observations (pg_stat_statements exports, SQL files).

pub mod csvlog;
pub mod jsonlog;
pub mod lines;
pub mod pgss;
pub mod sqlfile;
pub mod stderr;

/// Severity of a log message, as far as the analysis cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Log,
    Error,
    Fatal,
    Other,
}

impl Level {
    pub fn parse(word: &[u8]) -> Level {
        match word {
            b"LOG" => Level::Log,
            b"ERROR" => Level::Error,
            b"FATAL" | b"PANIC" => Level::Fatal,
            _ => Level::Other,
        }
    }
}

/// One server log message with the lines PostgreSQL attaches to it.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// 1-based line of the message in its file.
    pub line: u64,
    /// Milliseconds since the epoch in the server's log time zone.
    pub time: Option<i64>,
    /// The time zone name printed with the timestamp.
    pub zone: &'a str,
    /// Identifies the backend session (hash of `%c` or `%p`); 0 when unknown.
    pub session: u64,
    pub user: &'a str,
    pub database: &'a str,
    pub application: &'a str,
    pub level: Level,
    pub message: &'a str,
    pub detail: &'a str,
    pub context: &'a str,
    pub statement: &'a str,
}

/// Where records and unusable lines go.
pub trait Sink {
    fn record(&mut self, record: &Record<'_>);
    /// A line (or record) that could not be used, with the reason and what to try.
    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str);
}

/// Hash of a session identifier.
pub fn session_key(id: &[u8]) -> u64 {
    if id.is_empty() {
        return 0;
    }
    let mut hasher = crate::scan::Hasher::default();
    hasher.write(id);
    hasher.finish() | 1
}

/// Split `2024-01-01 10:00:00.123 UTC` into milliseconds and the zone.
pub fn parse_time(text: &str) -> (Option<i64>, &str) {
    match crate::prefix::parse_timestamp(text.as_bytes()) {
        Some((ms, len)) => (Some(ms), text[len..].trim()),
        None => (None, ""),
    }
}

/// Append `bytes` to `out`, replacing invalid UTF-8.
pub fn push_lossy(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) => out.push_str(text),
        Err(_) => out.push_str(&String::from_utf8_lossy(bytes)),
    }
}
