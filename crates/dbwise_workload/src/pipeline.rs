//! Reading a server log on three threads: a reader cuts the input into chunks of whole records
//! (the format's reader assembles each record, so a multi-line statement or a csvlog field with
//! newlines is never split), a worker does the shape work that needs no shape table on the
//! statements of each chunk (pre-normalising, and the libpg_query fingerprint of texts new to
//! it), and the calling thread folds the records in, chunk after chunk in log order, keeping
//! every piece of per-session state. The outcome is that of reading on one thread.
//!
//! Channels hold at most [`IN_FLIGHT`] chunks each, so memory stays a few chunks above the
//! single-threaded run's whatever the size of the log.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;

use rustc_hash::FxHashSet;

use crate::readers::{Level, Record, Sink};
use crate::shapes::Prepared;

/// A chunk is sent on once its text reaches this many bytes...
const CHUNK_BYTES: usize = 256 << 10;
/// ... or it holds this many records or skipped lines.
const CHUNK_ITEMS: usize = 2048;
/// Chunks waiting in each channel at most.
const IN_FLIGHT: usize = 2;

/// Where the records of a log go, in order, with their shape work done ahead.
pub(crate) trait Consumer {
    fn record(&mut self, record: &Record<'_>, prepared: Option<&Prepared>);
    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str);
}

/// Read with `read` (which sends its records to the sink it is given) on one thread, `prepare`
/// each record on a second, and hand them to `consumer` on this one. Returns what `read`
/// returned, after every record it produced was consumed.
pub(crate) fn run<R: Send>(
    read: impl FnOnce(&mut dyn Sink) -> R + Send,
    prepare: impl Fn(&Record<'_>, &mut FxHashSet<u64>) -> Option<Prepared> + Send,
    consumer: &mut dyn Consumer,
) -> R {
    let (to_worker, from_reader) = mpsc::sync_channel::<Chunk>(IN_FLIGHT);
    let (to_consumer, from_worker) = mpsc::sync_channel::<Chunk>(IN_FLIGHT);
    thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut chunker = Chunker {
                chunk: Chunk::default(),
                out: to_worker,
            };
            let outcome = read(&mut chunker);
            chunker.send();
            outcome
        });
        scope.spawn(move || work(from_reader, to_consumer, prepare));
        for chunk in from_worker {
            for skip in &chunk.skips {
                consumer.skip(skip.line, &skip.text, &skip.reason, &skip.hint);
            }
            for (spans, prepared) in chunk.records.iter().zip(&chunk.prepared) {
                consumer.record(&chunk.view(spans), prepared.as_ref());
            }
        }
        match reader.join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn work(
    chunks: Receiver<Chunk>,
    out: SyncSender<Chunk>,
    prepare: impl Fn(&Record<'_>, &mut FxHashSet<u64>) -> Option<Prepared>,
) {
    let mut seen = FxHashSet::default();
    for mut chunk in chunks {
        chunk.prepared = chunk
            .records
            .iter()
            .map(|spans| prepare(&chunk.view(spans), &mut seen))
            .collect();
        if out.send(chunk).is_err() {
            return;
        }
    }
}

/// Records and skipped lines, their texts in one buffer.
#[derive(Default)]
struct Chunk {
    text: String,
    records: Vec<Spans>,
    prepared: Vec<Option<Prepared>>,
    skips: Vec<Skip>,
    /// Bytes of the skipped lines' texts.
    skipped_bytes: usize,
}

/// A [`Record`] whose texts are ranges of [`Chunk::text`].
struct Spans {
    line: u64,
    time: Option<i64>,
    session: u64,
    level: Level,
    /// Zone, user, database, application, message, detail, context, statement.
    texts: [(usize, usize); 8],
}

struct Skip {
    line: u64,
    text: Vec<u8>,
    reason: String,
    hint: String,
}

impl Chunk {
    fn view(&self, spans: &Spans) -> Record<'_> {
        let [
            zone,
            user,
            database,
            application,
            message,
            detail,
            context,
            statement,
        ] = spans.texts.map(|(start, end)| &self.text[start..end]);
        Record {
            line: spans.line,
            time: spans.time,
            zone,
            session: spans.session,
            user,
            database,
            application,
            level: spans.level,
            message,
            detail,
            context,
            statement,
        }
    }

    fn full(&self) -> bool {
        self.text.len() + self.skipped_bytes >= CHUNK_BYTES
            || self.records.len() + self.skips.len() >= CHUNK_ITEMS
    }
}

/// The reader thread's sink: copies records into chunks and sends each full one on.
struct Chunker {
    chunk: Chunk,
    out: SyncSender<Chunk>,
}

impl Chunker {
    fn send(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        // Fails only when the other threads are gone, and then their panic is what is reported.
        let _ = self.out.send(chunk);
    }
}

impl Sink for Chunker {
    fn record(&mut self, record: &Record<'_>) {
        let text = &mut self.chunk.text;
        let texts = [
            record.zone,
            record.user,
            record.database,
            record.application,
            record.message,
            record.detail,
            record.context,
            record.statement,
        ]
        .map(|part| {
            let start = text.len();
            text.push_str(part);
            (start, text.len())
        });
        self.chunk.records.push(Spans {
            line: record.line,
            time: record.time,
            session: record.session,
            level: record.level,
            texts,
        });
        if self.chunk.full() {
            self.send();
        }
    }

    fn skip(&mut self, line: u64, text: &[u8], reason: &str, hint: &str) {
        self.chunk.skipped_bytes += text.len();
        self.chunk.skips.push(Skip {
            line,
            text: text.to_vec(),
            reason: reason.to_string(),
            hint: hint.to_string(),
        });
        if self.chunk.full() {
            self.send();
        }
    }
}
