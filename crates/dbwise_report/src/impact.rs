//! The text form of an [`Impact`] (`dbwise migrate impact`): per statement its locks, how long
//! they are held, the query shapes they block and the verdict; then when to run the migration,
//! with which `lock_timeout`, and the assumptions behind the figures.

use std::fmt::Write as _;

use dbwise_catalog::migrations::Framework;
use dbwise_diagnostics::escape_control;
use dbwise_impact::{Impact, Verdict};
use dbwise_lint::plan::Plan;

/// Blocked shapes listed per statement; the others are counted.
const SHAPES_SHOWN: usize = 10;

/// The human report of the impact of the migration at `path`.
pub fn render_human(impact: &Impact, path: &str, framework: Option<Framework>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} statements, verdict: {}\n",
        escape_control(path),
        impact.statements.len(),
        impact.verdict.as_str()
    );
    let at = impact
        .window
        .as_ref()
        .map(|w| format!(" at {}-{}", w.start, w.end))
        .unwrap_or_default();
    for statement in &impact.statements {
        let _ = writeln!(out, "line {}: {}", statement.line, statement.statement);
        if statement.locks.is_empty() {
            let _ = writeln!(out, "  no lock on a table that exists");
        }
        for lock in &statement.locks {
            let held = match (lock.hold.as_str(), lock.seconds) {
                ("instant", _) => "held for an instant (catalog only)".to_string(),
                (hold, Some(s)) => format!("held for about {} ({hold})", seconds(s)),
                (hold, None) => format!("held for a {hold} of a table of unknown size"),
            };
            let _ = writeln!(
                out,
                "  {} on {}: {held}",
                lock.mode,
                escape_control(&lock.table)
            );
        }
        if !statement.blocked.is_empty() {
            let _ = writeln!(
                out,
                "  blocks {} query {}{at}; it may first wait {} behind running queries, and they queue behind it:",
                statement.blocked.len(),
                if statement.blocked.len() == 1 {
                    "shape"
                } else {
                    "shapes"
                },
                seconds(statement.wait_seconds)
            );
            for blocked in statement.blocked.iter().take(SHAPES_SHOWN) {
                let rate = blocked
                    .per_second
                    .map_or_else(|| "?/s".to_string(), |r| format!("{r:.2}/s"));
                let queued = blocked
                    .queued
                    .map_or_else(|| "? queued".to_string(), |q| format!("{q:.0} queued"));
                let _ = writeln!(
                    out,
                    "    {rate:>9} {queued:>12}  {} [{}]",
                    blocked.query, blocked.fingerprint
                );
            }
            if statement.blocked.len() > SHAPES_SHOWN {
                let _ = writeln!(
                    out,
                    "    ... and {} more (--format json lists them all)",
                    statement.blocked.len() - SHAPES_SHOWN
                );
            }
        }
        let _ = writeln!(
            out,
            "  verdict: {}",
            match statement.verdict {
                Verdict::Safe => "safe: fewer than one query is expected to wait",
                Verdict::Schedule => "schedule: run it in the window below, with the lock_timeout",
                Verdict::Rewrite => "rewrite: run these steps (dbwise migrate plan) instead",
            }
        );
        if !statement.plan.is_empty() {
            let plan = Plan {
                steps: statement.plan.clone(),
            };
            for line in crate::plan::render_human(&plan, framework)
                .trim_end()
                .lines()
            {
                match line {
                    "" => out.push('\n'),
                    _ => {
                        let _ = writeln!(out, "    {line}");
                    }
                }
            }
        }
        out.push('\n');
    }
    match &impact.window {
        Some(window) => {
            let queued = window.queued.map_or_else(
                || "an unknown number of".to_string(),
                |q| format!("about {q:.0}"),
            );
            let _ = writeln!(
                out,
                "when: {}-{}, the hour with the least blocked traffic: {queued} queries expected to queue",
                window.start, window.end
            );
        }
        None => {
            let _ = writeln!(
                out,
                "when: no window (the workload does not tell hours apart)"
            );
        }
    }
    let _ = writeln!(
        out,
        "lock_timeout: SET lock_timeout = '{}'; before the migration, and retry when it expires",
        impact.lock_timeout
    );
    let _ = writeln!(out, "\nassumptions:");
    for assumption in &impact.assumptions {
        let _ = writeln!(out, "  - {}", escape_control(assumption));
    }
    out
}

fn seconds(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.1} s")
    }
}
