//! `log_line_prefix` matching without regular expressions.
//!
//! A prefix such as `%t [%p]: user=%u,db=%d,app=%a,client=%h ` is compiled once into a list
//! of literals and fields; matching a line walks that list with byte comparisons, fixed-format
//! scanners for timestamps and numbers, and `memmem` for the literal that ends a free-text
//! field.

use memchr::memmem;

/// The prefixes tried when none is given, most specific first.
pub const KNOWN_PREFIXES: &[&str] = &[
    "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
    "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: [%l-1] user=%u,db=%d ",
    "%m [%p] ",
    "%t [%p] ",
    "%m [%p] %q%u@%d ",
    "%t [%p] %q%u@%d ",
    "%m [%p]: ",
    "%t [%p]: ",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// `%t`, `%m`, `%s`: `YYYY-MM-DD HH:MM:SS[.mmm] TZ`.
    Timestamp {
        session_start: bool,
    },
    /// `%n`: seconds since the epoch with milliseconds.
    Epoch,
    /// `%p`: process id.
    Pid,
    /// `%l`, `%x`, `%P`: other numbers, possibly empty.
    Number,
    /// `%Q`: query id, signed.
    QueryId,
    /// `%c`: session id, two hex numbers joined by a dot.
    Session,
    /// `%v`: virtual transaction id such as `3/1234`, possibly empty.
    Vxid,
    /// `%e`: SQLSTATE.
    SqlState,
    User,
    Database,
    Application,
    /// `%h`, `%r`, `%i`, `%b`: other free text.
    Text,
}

#[derive(Debug, Clone)]
enum Item {
    /// Literal text, with its searcher built once (building one per line was a tenth of the
    /// time of reading a log whose prefix has free-text fields).
    Literal(Box<memmem::Finder<'static>>),
    Field(Field),
    /// `%q`: non-session processes stop the prefix here.
    Stop,
}

/// Byte ranges of the interesting fields of one matched line; empty ranges when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fields {
    pub end: usize,
    pub time: (usize, usize),
    pub epoch: (usize, usize),
    pub pid: (usize, usize),
    pub session: (usize, usize),
    pub user: (usize, usize),
    pub database: (usize, usize),
    pub application: (usize, usize),
}

fn literal_item(text: &[u8]) -> Item {
    Item::Literal(Box::new(memmem::Finder::new(text).into_owned()))
}

/// A compiled `log_line_prefix`.
#[derive(Debug, Clone)]
pub struct Prefix {
    source: String,
    items: Vec<Item>,
}

/// Why a `log_line_prefix` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    #[error("unknown escape `%{0}` in log_line_prefix")]
    UnknownEscape(char),
    #[error("log_line_prefix ends with a lone `%`")]
    TrailingPercent,
}

impl Prefix {
    pub fn compile(source: &str) -> Result<Prefix, PrefixError> {
        let mut items = Vec::new();
        let mut literal = Vec::new();
        let mut chars = source.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                let mut buf = [0u8; 4];
                literal.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            // Padding such as %-10u is allowed by PostgreSQL; the width is irrelevant here.
            let mut escape = chars.next().ok_or(PrefixError::TrailingPercent)?;
            while escape == '-' || escape.is_ascii_digit() {
                escape = chars.next().ok_or(PrefixError::TrailingPercent)?;
            }
            let field = match escape {
                '%' => {
                    literal.push(b'%');
                    continue;
                }
                'q' => None,
                't' | 'm' => Some(Field::Timestamp {
                    session_start: false,
                }),
                's' => Some(Field::Timestamp {
                    session_start: true,
                }),
                'n' => Some(Field::Epoch),
                'p' => Some(Field::Pid),
                'l' | 'x' | 'P' => Some(Field::Number),
                'Q' => Some(Field::QueryId),
                'c' => Some(Field::Session),
                'v' => Some(Field::Vxid),
                'e' => Some(Field::SqlState),
                'u' => Some(Field::User),
                'd' => Some(Field::Database),
                'a' => Some(Field::Application),
                'h' | 'r' | 'i' | 'b' => Some(Field::Text),
                other => return Err(PrefixError::UnknownEscape(other)),
            };
            if !literal.is_empty() {
                items.push(literal_item(&std::mem::take(&mut literal)));
            }
            items.push(field.map_or(Item::Stop, Item::Field));
        }
        if !literal.is_empty() {
            items.push(literal_item(&literal));
        }
        Ok(Prefix {
            source: source.to_string(),
            items,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Match the prefix at the start of `line`, followed by a severity word (`LOG:`, ...);
    /// `Fields::end` is the offset of that word.
    pub fn matches(&self, line: &[u8]) -> Option<Fields> {
        let followed = |fields: Fields| severity(&line[fields.end..]).is_some().then_some(fields);
        if let Some(fields) = self.match_items(line, false).and_then(followed) {
            return Some(fields);
        }
        // With `%q`, a line whose session part did not match may still be a background
        // process line, or a session line whose message fooled a free-text field.
        if self.items.iter().any(|i| matches!(i, Item::Stop)) {
            return self.match_items(line, true).and_then(followed);
        }
        None
    }

    fn match_items(&self, line: &[u8], stop_early: bool) -> Option<Fields> {
        let mut fields = Fields::default();
        let mut pos = 0;
        let mut stop_at = None;
        for (index, item) in self.items.iter().enumerate() {
            let next = match item {
                Item::Stop if stop_early => {
                    fields.end = pos;
                    return Some(fields);
                }
                Item::Stop => {
                    stop_at = Some(pos);
                    Some(pos)
                }
                Item::Literal(text) => {
                    let text = text.needle();
                    line[pos..].starts_with(text).then(|| pos + text.len())
                }
                Item::Field(field) => self.field_end(*field, line, pos, index).inspect(|&end| {
                    let range = (pos, end);
                    match field {
                        Field::Timestamp {
                            session_start: false,
                        } => fields.time = range,
                        Field::Epoch => fields.epoch = range,
                        Field::Pid => fields.pid = range,
                        Field::Session => fields.session = range,
                        Field::User => fields.user = range,
                        Field::Database => fields.database = range,
                        Field::Application => fields.application = range,
                        _ => {}
                    }
                }),
            };
            match next {
                Some(end) => pos = end,
                None => {
                    let stop = stop_at?;
                    fields.end = stop;
                    return Some(fields);
                }
            }
        }
        fields.end = pos;
        Some(fields)
    }

    fn field_end(&self, field: Field, line: &[u8], pos: usize, index: usize) -> Option<usize> {
        let rest = &line[pos..];
        let digits = |from: usize| {
            from + rest[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        match field {
            Field::Timestamp { .. } => {
                let (_, len) = parse_timestamp(rest)?;
                let tz = rest.get(len)?;
                if *tz != b' ' {
                    return Some(pos + len);
                }
                let zone = rest[len + 1..]
                    .iter()
                    .take_while(|b| !b.is_ascii_whitespace() && **b != b']')
                    .count();
                Some(pos + len + 1 + zone)
            }
            Field::Epoch => {
                let whole = digits(0);
                if whole == 0 {
                    return None;
                }
                if rest.get(whole) == Some(&b'.') {
                    return Some(pos + digits(whole + 1));
                }
                Some(pos + whole)
            }
            Field::Pid => {
                let end = digits(0);
                (end > 0).then_some(pos + end)
            }
            Field::Number => Some(pos + digits(0)),
            Field::QueryId => Some(pos + digits(usize::from(rest.first() == Some(&b'-')))),
            Field::Session => {
                let hex = |from: usize| {
                    from + rest[from..]
                        .iter()
                        .take_while(|b| b.is_ascii_hexdigit())
                        .count()
                };
                let first = hex(0);
                if first == 0 || rest.get(first) != Some(&b'.') {
                    return None;
                }
                Some(pos + hex(first + 1))
            }
            Field::Vxid => Some(
                pos + rest
                    .iter()
                    .take_while(|b| b.is_ascii_digit() || **b == b'/')
                    .count(),
            ),
            Field::SqlState => {
                let len = rest
                    .iter()
                    .take(5)
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                (len == 5).then_some(pos + 5)
            }
            Field::User | Field::Database | Field::Application | Field::Text => {
                match self.items.get(index + 1) {
                    Some(Item::Literal(next)) => next.find(rest).map(|n| pos + n),
                    _ => Some(pos + rest.iter().take_while(|b| **b != b' ').count()),
                }
            }
        }
    }
}

/// Parse `YYYY-MM-DD HH:MM:SS[.fff]` at the start of `text`: milliseconds since the epoch
/// (the zone is not applied) and the length consumed.
pub fn parse_timestamp(text: &[u8]) -> Option<(i64, usize)> {
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        part.iter().try_fold(0i64, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
        })
    };
    let sep = |at: usize, c: u8| text.get(at) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b' ') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut len = 19;
    let mut millis = 0;
    if sep(19, b'.') {
        let frac = text[20..].iter().take_while(|b| b.is_ascii_digit()).count();
        let digits = frac.min(3);
        millis = num(20, digits).unwrap_or(0) * 10i64.pow(3 - digits as u32);
        len = 20 + frac;
    }
    let days = dbwise_diagnostics::days_from_civil(year, month, day);
    Some((
        ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis,
        len,
    ))
}

/// Format milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS.mmm`.
pub fn format_timestamp(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}.{milli:03}")
}

/// The severity word that follows the prefix (`LOG`, `ERROR`, `DETAIL`, ...), if the text
/// starts with one followed by `:  `; returns it and the offset of the message.
pub fn severity(text: &[u8]) -> Option<(&[u8], usize)> {
    let colon = memchr::memchr(b':', &text[..text.len().min(12)])?;
    let word = &text[..colon];
    if word.is_empty()
        || !word
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    let known = matches!(
        word,
        b"LOG"
            | b"ERROR"
            | b"FATAL"
            | b"PANIC"
            | b"WARNING"
            | b"NOTICE"
            | b"INFO"
            | b"DETAIL"
            | b"HINT"
            | b"CONTEXT"
            | b"STATEMENT"
            | b"QUERY"
            | b"LOCATION"
    ) || word.starts_with(b"DEBUG");
    if !known {
        return None;
    }
    let mut start = colon + 1;
    while text.get(start) == Some(&b' ') {
        start += 1;
    }
    Some((word, start))
}

/// Pick the known prefix that matches the most sample lines (prefix followed by a severity).
/// Returns `None` when no candidate matches at least half of the lines that look like log
/// lines.
pub fn detect<'a>(lines: impl Iterator<Item = &'a [u8]> + Clone) -> Option<Prefix> {
    let candidates: Vec<Prefix> = KNOWN_PREFIXES
        .iter()
        .filter_map(|p| Prefix::compile(p).ok())
        .collect();
    let total = lines
        .clone()
        .filter(|l| !l.starts_with(b"\t") && !l.is_empty())
        .count();
    let mut best: Option<(usize, &Prefix)> = None;
    for candidate in &candidates {
        let score = lines
            .clone()
            .filter(|l| candidate.matches(l).is_some())
            .count();
        if score > best.map_or(0, |b| b.0) {
            best = Some((score, candidate));
        }
    }
    let (score, prefix) = best?;
    (score * 2 >= total).then(|| prefix.clone())
}

/// For a line that no prefix matched, the text before its severity word, as a hint of what
/// the server's prefix produces.
pub fn guess_prefix_text(line: &[u8]) -> Option<String> {
    for word in [
        &b"LOG:  "[..],
        b"ERROR:  ",
        b"STATEMENT:  ",
        b"FATAL:  ",
        b"DETAIL:  ",
    ] {
        if let Some(at) = memmem::find(line, word) {
            return Some(String::from_utf8_lossy(&line[..at]).into_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &[u8], range: (usize, usize)) -> &str {
        std::str::from_utf8(&line[range.0..range.1]).unwrap()
    }

    #[test]
    fn pgbadger_prefix_matches_and_extracts_fields() {
        let prefix = Prefix::compile("%t [%p]: user=%u,db=%d,app=%a,client=%h ").unwrap();
        let line = b"2026-11-27 23:10:01 UTC [4242]: user=bench,db=shop,app=pgbench,client=[local] LOG:  duration: 0.05 ms";
        let f = prefix.matches(line).unwrap();
        assert_eq!(text(line, f.time), "2026-11-27 23:10:01 UTC");
        assert_eq!(text(line, f.pid), "4242");
        assert_eq!(text(line, f.user), "bench");
        assert_eq!(text(line, f.database), "shop");
        assert_eq!(text(line, f.application), "pgbench");
        assert!(line[f.end..].starts_with(b"LOG:"));
    }

    #[test]
    fn q_escape_accepts_lines_of_background_processes() {
        let prefix = Prefix::compile("%m [%p] %q%u@%d ").unwrap();
        let session = b"2026-11-27 23:10:01.123 UTC [77] app@shop LOG:  statement: select 1";
        let background = b"2026-11-27 23:10:01.123 UTC [78] LOG:  checkpoint starting: time";
        let tricky = b"2026-11-27 23:10:01.123 UTC [79] LOG:  statement: select 'a@b c'";
        let f = prefix.matches(session).unwrap();
        assert_eq!(text(session, f.user), "app");
        assert!(session[f.end..].starts_with(b"LOG:"));
        let f = prefix.matches(background).unwrap();
        assert!(background[f.end..].starts_with(b"LOG:"));
        let f = prefix.matches(tricky).unwrap();
        assert!(tricky[f.end..].starts_with(b"LOG:"));
    }

    #[test]
    fn wrong_prefix_does_not_match() {
        let prefix = Prefix::compile("%m [%p] ").unwrap();
        assert!(
            prefix
                .matches(b"2026-11-27 23:10:01 UTC [77]: LOG:  x")
                .is_none()
        );
        assert!(
            prefix
                .matches(b"2026-11-27 23:10:01.000 UTC [77] NOSUCH:  x")
                .is_none()
        );
        assert!(prefix.matches(b"garbage \x00\x01").is_none());
        assert!(Prefix::compile("%m %z").is_err());
    }

    #[test]
    fn timestamps_round_trip() {
        let (ms, len) = parse_timestamp(b"2024-02-29 13:45:07.250 CET").unwrap();
        assert_eq!(len, 23);
        assert_eq!(format_timestamp(ms), "2024-02-29 13:45:07.250");
        assert_eq!(parse_timestamp(b"1970-01-01 00:00:01").unwrap(), (1000, 19));
    }

    #[test]
    fn detection_prefers_the_prefix_that_matches() {
        let lines: Vec<&[u8]> = vec![
            b"2026-11-27 23:10:01.001 UTC [10] LOG:  statement: select 1",
            b"2026-11-27 23:10:01.002 UTC [10] LOG:  duration: 0.1 ms",
            b"\tcontinued",
        ];
        let prefix = detect(lines.iter().copied()).unwrap();
        assert_eq!(prefix.source(), "%m [%p] ");
        assert!(detect([&b"no log here"[..]].into_iter()).is_none());
    }
}
