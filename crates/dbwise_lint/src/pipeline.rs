//! The parse-ahead pipeline: lint a list of files read from disk, parsing and preparing the
//! next files on other threads while the driver replays the earlier ones in order.

use dbwise_diagnostics::SourceFile;
use rayon::prelude::*;

use crate::driver::{LintOutcome, Prepared, Unit, lint, prepare};
use crate::settings::Settings;
use crate::unit::UnitInfo;

/// A file to lint, read and checked, with its migration context.
pub struct Input {
    pub source: SourceFile,
    /// How the file runs; its `index` is set by [`lint_inputs`] from the file's place in the
    /// list.
    pub info: UnitInfo,
}

/// How many files are parsed together, in parallel, ahead of the replay.
const PARSE_BATCH: usize = 8;

/// How many parsed batches may wait for the replay.
const PARSE_AHEAD: usize = 2;

/// The size above which a file is parsed and replayed in parts: a schema dump rather than a
/// migration. A rule that looks ahead of a statement (a later use of a new enum value, a later
/// drop of a new constraint) sees only the statements of its part.
const WHOLE_FILE_BYTES: usize = 4 << 20;

/// The size of the parts of a file over [`WHOLE_FILE_BYTES`].
const PART_BYTES: usize = 256 << 10;

/// Lint `inputs` in their order with `settings`: parse and prepare batches of files on a
/// second thread (each batch in parallel) while this thread replays the batches before it in
/// order. At most a few batches of parsed files are alive at a time; a file over 4 MiB (a
/// schema dump) goes alone, in parts of 256 KiB, so that its statements are never all parsed
/// at once. The outcome comes without the replayed catalog,
/// which a report of findings does not use: freeing it, a large part of the run's end on big
/// inputs, happens on a worker thread while the caller writes the findings.
pub fn lint_inputs(inputs: &[Input], settings: &Settings) -> LintOutcome {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(PARSE_AHEAD);
    let mut outcome = std::thread::scope(|scope| {
        scope.spawn(move || {
            let large = |input: &Input| input.source.text().len() > WHOLE_FILE_BYTES;
            let unit = |parsed, index, input: &Input| {
                let info = UnitInfo {
                    index,
                    ..input.info.clone()
                };
                prepare(Unit { parsed, info }, settings)
            };
            let mut index = 0;
            for group in inputs.chunk_by(|a, b| !large(a) && !large(b)) {
                if let [input] = group
                    && large(input)
                {
                    for parsed in dbwise_syntax::parse_in_parts(&input.source, PART_BYTES) {
                        if sender.send(vec![unit(parsed, index, input)]).is_err() {
                            return;
                        }
                    }
                    index += 1;
                    continue;
                }
                for batch in group.chunks(PARSE_BATCH) {
                    let units = batch
                        .par_iter()
                        .enumerate()
                        .map(|(i, input)| {
                            unit(dbwise_syntax::parse(&input.source), index + i, input)
                        })
                        .collect();
                    index += batch.len();
                    if sender.send(units).is_err() {
                        return;
                    }
                }
            }
        });
        lint(receiver.into_iter().flatten(), settings)
    });
    let catalog = std::mem::take(&mut outcome.catalog);
    rayon::spawn(move || drop(catalog));
    outcome
}
