//! Renderers of the index advisor's advice: a human report, the documented JSON, and a SQL
//! migration.

use std::fmt::Write;

use dbwise_diagnostics::{escape_control, one_line};
use dbwise_indexes::advice::{IndexAdvice, IndexCreate};

/// The `lock_timeout` the SQL migration sets: a CONCURRENTLY build still waits for the
/// transactions that hold the table, and must not queue other sessions behind it for long.
pub const MIGRATION_LOCK_TIMEOUT: &str = "5s";

/// The advice as JSON, the shape documented in docs/indexes.md.
pub fn render_json(advice: &IndexAdvice) -> String {
    let mut text = serde_json::to_string_pretty(advice).expect("advice serialises");
    text.push('\n');
    text
}

/// A migration: every statement on its own, to run outside a transaction block.
pub fn render_sql(advice: &IndexAdvice) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "-- dbwise indexes: {} to create, {} to drop.\n\
         -- CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction block: run each\n\
         -- statement on its own (psql runs this file so in autocommit mode).",
        advice.indexes.len(),
        advice.drop.len()
    );
    if !advice.search.costed {
        out.push_str("-- Not costed: the indexes are ranked by heuristics only (--offline).\n");
    }
    let _ = writeln!(out, "SET lock_timeout = '{MIGRATION_LOCK_TIMEOUT}';");
    for index in &advice.indexes {
        let _ = writeln!(out, "\n-- {}", comment(&summary(index)));
        let _ = writeln!(out, "{};", index.create);
    }
    for drop in &advice.drop {
        let _ = writeln!(out, "\n-- {}", comment(&drop.why));
        let _ = writeln!(out, "{};", drop.drop);
    }
    out
}

/// The advice for a reader.
pub fn render_human(advice: &IndexAdvice) -> String {
    let mut out = String::new();
    if advice.indexes.is_empty() {
        out.push_str("No index to create");
    } else {
        let _ = write!(out, "{} index(es) to create", advice.indexes.len());
    }
    let _ = writeln!(
        out,
        " (budget {}{}):",
        bytes(advice.search.budget_bytes),
        if advice.search.costed {
            ""
        } else {
            "; NOT COSTED: ranked by heuristics only"
        }
    );
    for (n, index) in advice.indexes.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {}", n + 1, escape_control(&index.create));
        let _ = writeln!(out, "   {}", summary(index));
        for query in &index.queries {
            let costs = match (query.cost_before, query.cost_after) {
                (Some(before), Some(after)) => format!("cost {before:.0} -> {after:.0}, "),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "   - {}{} call(s): {}",
                costs,
                query.calls,
                one_line(&query.query, 103, "...")
            );
        }
    }
    if !advice.drop.is_empty() {
        let _ = writeln!(out, "\n{} index(es) to drop:", advice.drop.len());
        for drop in &advice.drop {
            let _ = writeln!(out, "\n- {}", escape_control(&drop.drop));
            let _ = writeln!(out, "  {}", escape_control(&drop.why));
        }
    }
    let _ = writeln!(out);
    if let (Some(before), Some(after)) = (advice.workload.cost_before, advice.workload.cost_after) {
        let _ = writeln!(
            out,
            "Workload of {} queries: cost {before:.0} -> {after:.0} ({:.1}% of before).",
            advice.workload.queries,
            if before > 0.0 {
                after / before * 100.0
            } else {
                100.0
            }
        );
    }
    let _ = writeln!(
        out,
        "Search: {} candidates, {} what-if calls, {:.1} s.",
        advice.search.candidates, advice.search.what_if_calls, advice.search.seconds
    );
    for note in &advice.notes {
        let _ = writeln!(out, "Note: {}", escape_control(note));
    }
    out
}

fn summary(index: &IndexCreate) -> String {
    let mut text = format!(
        "on {}: estimated {}{}, helps {} query shape(s)",
        index.table,
        bytes(index.estimated_bytes),
        index
            .hypopg_bytes
            .map(|b| format!(" (HypoPG: {})", bytes(b)))
            .unwrap_or_default(),
        index.queries.len()
    );
    if index.write_overhead > 0.0 {
        let _ = write!(text, ", write overhead {:.0}", index.write_overhead);
    }
    text
}

/// One line of a SQL comment.
fn comment(text: &str) -> String {
    escape_control(text).replace(['\n', '\r'], " ")
}

/// A size in decimal units, as `--budget` takes them.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
