//! PostgreSQL `stderr` logs: a `log_line_prefix`, a severity word, the message, then
//! `DETAIL:`/`CONTEXT:`/`STATEMENT:` lines and tab-indented continuation lines.

use std::io::{self, Read};

use super::{Level, Record, Sink, lines, parse_time, push_lossy, session_key};
use crate::prefix::{self, Prefix};

/// Lines looked at before choosing a prefix.
const DETECTION_SAMPLE: usize = 400;
/// At most this many bytes of lines are held back for detecting the log_line_prefix.
const DETECTION_SAMPLE_BYTES: usize = 8 << 20;
/// A message's parts (statement, detail, context) grow by continuation lines up to this size;
/// what goes past it is reported and left out.
const MAX_MESSAGE_PART: usize = 4 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Message,
    Detail,
    Context,
    Statement,
    Ignored,
}

/// The message being assembled; its strings are reused from one message to the next.
#[derive(Default)]
struct Pending {
    active: bool,
    line: u64,
    time: Option<i64>,
    session: u64,
    level: Option<Level>,
    part: Option<Part>,
    stamp: String,
    user: String,
    database: String,
    application: String,
    message: String,
    detail: String,
    context: String,
    statement: String,
}

impl Pending {
    fn part_mut(&mut self, part: Part) -> Option<&mut String> {
        match part {
            Part::Message => Some(&mut self.message),
            Part::Detail => Some(&mut self.detail),
            Part::Context => Some(&mut self.context),
            Part::Statement => Some(&mut self.statement),
            Part::Ignored => None,
        }
    }

    fn flush(&mut self, sink: &mut dyn Sink) {
        if !self.active {
            return;
        }
        self.active = false;
        let (time, zone) = match self.time {
            Some(ms) => (Some(ms), zone_of(&self.stamp)),
            None => parse_time(&self.stamp),
        };
        sink.record(&Record {
            line: self.line,
            time,
            zone,
            session: self.session,
            user: &self.user,
            database: &self.database,
            application: &self.application,
            level: self.level.unwrap_or(Level::Other),
            message: &self.message,
            detail: &self.detail,
            context: &self.context,
            statement: &self.statement,
        });
    }
}

fn zone_of(stamp: &str) -> &str {
    stamp.rsplit_once(' ').map_or("", |(_, zone)| zone)
}

struct Reader<'s> {
    prefix: Option<Prefix>,
    pending: Pending,
    sink: &'s mut dyn Sink,
    unknown_prefix_hint: String,
}

/// Read a stderr log. With `prefix` `None` the prefix is detected from the first lines.
/// Returns the prefix used (if any matched) and the number of lines read.
pub fn read(
    reader: impl Read,
    prefix: Option<Prefix>,
    sink: &mut dyn Sink,
) -> io::Result<(Option<Prefix>, u64)> {
    let mut state = Reader {
        prefix,
        pending: Pending::default(),
        sink,
        unknown_prefix_hint: String::new(),
    };
    let mut sample: Option<Vec<Vec<u8>>> = state.prefix.is_none().then(Vec::new);
    let mut sample_bytes = 0;
    let mut line_no = 0u64;
    lines::each_line(reader, |line| {
        line_no += 1;
        if let Some(held) = &mut sample {
            held.push(line.to_vec());
            sample_bytes += line.len();
            if held.len() >= DETECTION_SAMPLE || sample_bytes >= DETECTION_SAMPLE_BYTES {
                let held = sample.take().unwrap_or_default();
                state.decide(&held);
                for (i, held_line) in held.iter().enumerate() {
                    state.line(line_no - held.len() as u64 + 1 + i as u64, held_line);
                }
            }
            return;
        }
        state.line(line_no, line);
    })?;
    if let Some(held) = sample.take() {
        state.decide(&held);
        for (i, held_line) in held.iter().enumerate() {
            state.line(i as u64 + 1, held_line);
        }
    }
    state.pending.flush(state.sink);
    Ok((state.prefix, line_no))
}

impl Reader<'_> {
    fn decide(&mut self, sample: &[Vec<u8>]) {
        self.prefix = prefix::detect(sample.iter().map(Vec::as_slice));
        if self.prefix.is_none() {
            let guess = sample.iter().find_map(|l| prefix::guess_prefix_text(l));
            self.unknown_prefix_hint = match guess {
                Some(text) => format!(
                    "none of the common log_line_prefix settings matched (lines start like `{text}`); pass the server's setting with --log-line-prefix (see `SHOW log_line_prefix`)"
                ),
                None => "this does not look like a PostgreSQL stderr log; pass --log-line-prefix, or --input-format for csvlog, jsonlog or pg_stat_statements".into(),
            };
        }
    }

    fn line(&mut self, line_no: u64, line: &[u8]) {
        if line.is_empty() {
            return;
        }
        if let Some(rest) = line.strip_prefix(b"\t") {
            if self.pending.active
                && let Some(part) = self.pending.part
                && let Some(text) = self.pending.part_mut(part)
            {
                if text.len() + rest.len() < MAX_MESSAGE_PART {
                    text.push('\n');
                    push_lossy(text, rest);
                } else {
                    self.sink.skip(
                        line_no,
                        line,
                        "the message is longer than 4 MiB: this continuation line is left out",
                        "the statement is analysed without it; log shorter statements or read pg_stat_statements instead",
                    );
                }
            } else if !self.pending.active {
                self.sink.skip(
                    line_no,
                    line,
                    "continuation line without a message before it",
                    "the file may start in the middle of a message (rotated or cut log)",
                );
            }
            return;
        }
        let Some(prefix) = &self.prefix else {
            let hint = self.unknown_prefix_hint.clone();
            self.sink
                .skip(line_no, line, "unknown log_line_prefix", &hint);
            return;
        };
        let Some(fields) = prefix.matches(line) else {
            let hint = format!(
                "the line does not start with the log_line_prefix `{}`; if the server's setting differs, pass it with --log-line-prefix",
                prefix.source()
            );
            self.sink.skip(
                line_no,
                line,
                "line does not match the log_line_prefix",
                &hint,
            );
            return;
        };
        let rest = &line[fields.end..];
        let Some((word, message_at)) = prefix::severity(rest) else {
            return;
        };
        let body = &rest[message_at..];
        let session_id = if fields.session.1 > fields.session.0 {
            fields.session
        } else {
            fields.pid
        };
        let session = session_key(&line[session_id.0..session_id.1]);
        let secondary = match word {
            b"DETAIL" => Some(Part::Detail),
            b"CONTEXT" => Some(Part::Context),
            b"STATEMENT" => Some(Part::Statement),
            b"HINT" | b"QUERY" | b"LOCATION" => Some(Part::Ignored),
            _ => None,
        };
        if let Some(part) = secondary {
            if self.pending.active && self.pending.session == session {
                self.pending.part = Some(part);
                if let Some(text) = self.pending.part_mut(part) {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    push_lossy(text, body);
                }
            }
            return;
        }
        self.pending.flush(self.sink);
        let p = &mut self.pending;
        p.active = true;
        p.line = line_no;
        p.session = session;
        p.level = Some(Level::parse(word));
        p.part = Some(Part::Message);
        for s in [
            &mut p.stamp,
            &mut p.user,
            &mut p.database,
            &mut p.application,
            &mut p.message,
            &mut p.detail,
            &mut p.context,
            &mut p.statement,
        ] {
            s.clear();
        }
        let field = |range: (usize, usize)| &line[range.0..range.1];
        p.time = None;
        if fields.time.1 > fields.time.0 {
            push_lossy(&mut p.stamp, field(fields.time));
        } else if fields.epoch.1 > fields.epoch.0 {
            let epoch: Option<f64> = std::str::from_utf8(field(fields.epoch))
                .ok()
                .and_then(|t| t.parse().ok());
            p.time = epoch.map(|s| (s * 1000.0) as i64);
        }
        push_lossy(&mut p.user, field(fields.user));
        push_lossy(&mut p.database, field(fields.database));
        push_lossy(&mut p.application, field(fields.application));
        push_lossy(&mut p.message, body);
    }
}
