//! N+1 detection over the statement stream of each session.
//!
//! Within one unit of work (a `traceparent` trace when the statement carries one, else an
//! explicit transaction block, else the session split at idle gaps), a run of at least
//! `min_repeats` consecutive executions of one shape with distinct parameters, right after a
//! statement of a different shape (the parent), is an N+1: the application fetched a list
//! and then asked for the children of each element one by one.

use rustc_hash::FxHashMap;

use crate::shapes::{Control, ShapeId};
use dbwise_diagnostics::truncate_at_char;

/// Thresholds of the detector.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Consecutive executions with distinct parameters that make an N+1.
    pub min_repeats: u32,
    /// Summed duration of the repeated executions below which a run is not reported.
    pub min_total_ms: f64,
    /// Idle time that ends a unit of work in a session without transactions or traces.
    pub session_gap_ms: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_repeats: 5,
            min_total_ms: 0.0,
            session_gap_ms: 1000,
        }
    }
}

/// One executed statement, as the detector sees it.
#[derive(Debug, Clone, Copy)]
pub struct Execution<'a> {
    pub shape: ShapeId,
    /// The statement as logged (kept for the examples of a finding).
    pub text: &'a str,
    pub control: Control,
    /// Only SELECTs are counted as repeated children; any statement can be a parent.
    pub select: bool,
    pub trace: Option<u64>,
    pub parameters: u64,
    pub duration_ms: f64,
    pub time: Option<i64>,
    pub file: u32,
    pub line: u64,
}

/// Where an occurrence was seen: the parent's line and the repeated executions' lines, with
/// the parent statement and the first repeated one as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub file: u32,
    pub parent_line: u64,
    pub parent_text: String,
    pub first_line: u64,
    pub first_text: String,
    pub last_line: u64,
    pub executions: u32,
}

/// All occurrences of one (parent, repeated) pair of shapes.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub parent: ShapeId,
    pub repeated: ShapeId,
    pub occurrences: u64,
    pub executions: u64,
    pub total_ms: f64,
    pub examples: Vec<Example>,
}

const EXAMPLES: usize = 3;
/// Longest statement text kept for an example.
const EXAMPLE_TEXT: usize = 300;
/// Distinct parameter hashes remembered per run; enough to pass any sane threshold.
const DISTINCT_LIMIT: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    None,
    Trace(u64),
    Transaction(u64),
    Idle(u64),
}

/// The run of repeated executions being followed in a session; its buffers are reused from
/// one run to the next.
#[derive(Debug, Default)]
struct Run {
    active: bool,
    parent: ShapeId,
    parent_line: u64,
    parent_text: String,
    first_text: String,
    shape: ShapeId,
    file: u32,
    first_line: u64,
    last_line: u64,
    count: u32,
    distinct: Vec<u64>,
    total_ms: f64,
}

#[derive(Debug)]
struct Session {
    unit: Unit,
    in_transaction: bool,
    transactions: u64,
    idle_epochs: u64,
    last_time: Option<i64>,
    previous: Option<(ShapeId, u64)>,
    previous_text: String,
    run: Run,
}

impl Session {
    fn new() -> Session {
        Session {
            unit: Unit::None,
            in_transaction: false,
            transactions: 0,
            idle_epochs: 0,
            last_time: None,
            previous: None,
            previous_text: String::new(),
            run: Run::default(),
        }
    }
}

/// The detector: per-session state plus the patterns found so far.
#[derive(Default)]
pub struct Detector {
    options: Options,
    sessions: FxHashMap<u64, Session>,
    patterns: FxHashMap<(ShapeId, ShapeId), Pattern>,
}

impl Detector {
    pub fn new(options: Options) -> Detector {
        Detector {
            options,
            sessions: FxHashMap::default(),
            patterns: FxHashMap::default(),
        }
    }

    pub fn observe(&mut self, session: u64, execution: &Execution<'_>) {
        let options = self.options;
        let state = self.sessions.entry(session).or_insert_with(Session::new);
        let gap = match (state.last_time, execution.time) {
            (Some(last), Some(now)) => now - last > options.session_gap_ms,
            _ => false,
        };
        if execution.time.is_some() {
            state.last_time = execution.time;
        }
        match execution.control {
            Control::Begin => {
                state.in_transaction = true;
                state.transactions += 1;
                close(&mut state.run, &options, &mut self.patterns);
                state.unit = Unit::Transaction(state.transactions);
                state.previous = None;
                return;
            }
            Control::End => {
                state.in_transaction = false;
                close(&mut state.run, &options, &mut self.patterns);
                state.unit = Unit::None;
                state.previous = None;
                return;
            }
            Control::None => {}
        }
        if gap {
            state.idle_epochs += 1;
        }
        let unit = match execution.trace {
            Some(trace) => Unit::Trace(trace),
            None if state.in_transaction => Unit::Transaction(state.transactions),
            None => Unit::Idle(state.idle_epochs),
        };
        if unit != state.unit {
            close(&mut state.run, &options, &mut self.patterns);
            state.unit = unit;
            state.previous = None;
        }
        let run = &mut state.run;
        if run.active && run.shape == execution.shape {
            run.count += 1;
            run.last_line = execution.line;
            run.total_ms += execution.duration_ms;
            if run.distinct.len() < DISTINCT_LIMIT && !run.distinct.contains(&execution.parameters)
            {
                run.distinct.push(execution.parameters);
            }
        } else {
            close(run, &options, &mut self.patterns);
            if let Some((parent, parent_line)) = state.previous
                && parent != execution.shape
                && execution.select
            {
                run.active = true;
                run.parent = parent;
                run.parent_line = parent_line;
                run.parent_text.clone_from(&state.previous_text);
                run.first_text.clear();
                run.first_text
                    .push_str(truncate_at_char(execution.text, EXAMPLE_TEXT));
                run.shape = execution.shape;
                run.file = execution.file;
                run.first_line = execution.line;
                run.last_line = execution.line;
                run.count = 1;
                run.distinct.clear();
                run.distinct.push(execution.parameters);
                run.total_ms = execution.duration_ms;
            }
        }
        state.previous_text.clear();
        state
            .previous_text
            .push_str(truncate_at_char(execution.text, EXAMPLE_TEXT));
        state.previous = Some((execution.shape, execution.line));
    }

    /// The session ended (disconnection, end of input): judge its open run.
    pub fn end_session(&mut self, session: u64) {
        if let Some(mut state) = self.sessions.remove(&session) {
            close(&mut state.run, &self.options, &mut self.patterns);
        }
    }

    /// Close sessions idle since before `before` (milliseconds), to keep memory flat on logs
    /// of many short sessions.
    pub fn end_idle_sessions(&mut self, before: i64) {
        let idle: Vec<u64> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.last_time.is_some_and(|t| t < before))
            .map(|(&k, _)| k)
            .collect();
        for session in idle {
            self.end_session(session);
        }
    }

    /// Judge every open run and return the patterns, most expensive first.
    pub fn finish(mut self) -> Vec<Pattern> {
        let sessions: Vec<u64> = self.sessions.keys().copied().collect();
        for session in sessions {
            self.end_session(session);
        }
        let mut patterns: Vec<Pattern> = self.patterns.into_values().collect();
        patterns.sort_by(|a, b| {
            b.total_ms
                .total_cmp(&a.total_ms)
                .then(b.executions.cmp(&a.executions))
                .then((a.parent, a.repeated).cmp(&(b.parent, b.repeated)))
        });
        patterns
    }
}

fn close(run: &mut Run, options: &Options, patterns: &mut FxHashMap<(ShapeId, ShapeId), Pattern>) {
    if !run.active {
        return;
    }
    run.active = false;
    let threshold = options.min_repeats.max(2) as usize;
    if (run.count as usize) < threshold
        || run.distinct.len() < threshold
        || run.total_ms < options.min_total_ms
    {
        return;
    }
    let pattern = patterns
        .entry((run.parent, run.shape))
        .or_insert_with(|| Pattern {
            parent: run.parent,
            repeated: run.shape,
            occurrences: 0,
            executions: 0,
            total_ms: 0.0,
            examples: Vec::new(),
        });
    pattern.occurrences += 1;
    pattern.executions += u64::from(run.count);
    pattern.total_ms += run.total_ms;
    if pattern.examples.len() < EXAMPLES {
        pattern.examples.push(Example {
            file: run.file,
            parent_line: run.parent_line,
            parent_text: run.parent_text.clone(),
            first_line: run.first_line,
            first_text: run.first_text.clone(),
            last_line: run.last_line,
            executions: run.count,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec(shape: ShapeId, parameters: u64, line: u64) -> Execution<'static> {
        Execution {
            shape,
            text: "SELECT 1",
            control: Control::None,
            select: true,
            trace: None,
            parameters,
            duration_ms: 1.0,
            time: Some(line as i64),
            file: 0,
            line,
        }
    }

    #[test]
    fn a_parent_followed_by_distinct_children_is_found() {
        let mut detector = Detector::new(Options::default());
        detector.observe(1, &exec(10, 0, 1));
        for i in 0..8 {
            detector.observe(1, &exec(20, i, 2 + i));
        }
        detector.observe(1, &exec(10, 0, 20));
        let found = detector.finish();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].parent, found[0].repeated, found[0].executions),
            (10, 20, 8)
        );
        assert_eq!(found[0].examples[0].parent_line, 1);
        assert_eq!(found[0].examples[0].last_line, 9);
    }

    #[test]
    fn identical_parameters_or_short_runs_are_not_n_plus_one() {
        let mut detector = Detector::new(Options::default());
        detector.observe(1, &exec(10, 0, 1));
        for i in 0..8 {
            detector.observe(1, &exec(20, 7, 2 + i));
        }
        detector.observe(2, &exec(10, 0, 1));
        for i in 0..4 {
            detector.observe(2, &exec(20, i, 2 + i));
        }
        assert!(detector.finish().is_empty());
    }

    #[test]
    fn a_traceparent_comment_defines_the_unit_of_work() {
        let traced = |shape, parameters, line, trace| Execution {
            trace: Some(trace),
            ..exec(shape, parameters, line)
        };
        let mut detector = Detector::new(Options::default());
        // Parent in request 1, children in request 2: two units, no N+1.
        detector.observe(1, &traced(10, 0, 1, 111));
        for i in 0..6 {
            detector.observe(1, &traced(20, i, 2 + i, 222));
        }
        assert!(detector.finish().is_empty());

        let mut detector = Detector::new(Options::default());
        detector.observe(1, &traced(10, 0, 1, 111));
        for i in 0..6 {
            detector.observe(1, &traced(20, i, 2 + i, 111));
        }
        assert_eq!(detector.finish().len(), 1);
    }

    #[test]
    fn repeated_writes_are_not_n_plus_one() {
        let mut detector = Detector::new(Options::default());
        detector.observe(1, &exec(10, 0, 1));
        for i in 0..8 {
            detector.observe(
                1,
                &Execution {
                    select: false,
                    ..exec(20, i, 2 + i)
                },
            );
        }
        assert!(detector.finish().is_empty());
    }

    #[test]
    fn interleaved_sessions_are_followed_separately_and_gaps_split_units() {
        let mut detector = Detector::new(Options {
            session_gap_ms: 100,
            ..Options::default()
        });
        detector.observe(1, &exec(10, 0, 1));
        detector.observe(2, &exec(10, 0, 2));
        for i in 0..6 {
            detector.observe(1, &exec(20, i, 3 + 2 * i));
            detector.observe(2, &exec(20, i, 4 + 2 * i));
        }
        // Session 3: the children come long after the parent, in another unit of work.
        detector.observe(3, &exec(10, 0, 1));
        for i in 0..6 {
            detector.observe(3, &exec(20, i, 1000 + i));
        }
        let found = detector.finish();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].occurrences, 2);
    }
}
