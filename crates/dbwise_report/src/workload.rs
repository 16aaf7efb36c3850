//! Text and JSON views of a [`Workload`] (`dbwise workload`). They format what the analysis
//! computed and decide nothing.

use std::fmt::Write;

use dbwise_diagnostics::{escape_control, one_line, thousands};
use serde_json::{Value, json};

use dbwise_workload::{QueryReport, Workload, WorkloadFinding};

/// The machine-readable result: `queries` sorted by `total_ms` descending, `findings`,
/// `waits`, `errors` and `input`.
pub fn render_json(workload: &Workload, top: Option<usize>) -> String {
    let queries: Vec<&QueryReport> = workload
        .queries
        .iter()
        .take(top.unwrap_or(usize::MAX))
        .collect();
    let findings: Vec<Value> = workload.findings.iter().map(finding_json).collect();
    let mut value = json!({
        "queries": queries,
        "findings": findings,
        "waits": workload.waits,
        "errors": workload.errors,
        "warnings": workload.warnings,
        "totals": {
            "calls": workload.total_calls,
            "timed_calls": workload.timed_calls,
            "total_ms": workload.total_ms,
            "parse_bind_ms": workload.prepare_ms,
            "shapes": workload.shapes,
        },
        "input": {
            "files": workload.files.len(),
            "lines": workload.files.iter().map(|f| f.lines).sum::<u64>(),
            "bytes": workload.files.iter().map(|f| f.bytes).sum::<u64>(),
            "statements": workload.files.iter().map(|f| f.statements).sum::<u64>(),
            "skipped_lines": workload.files.iter().map(|f| f.skipped_lines).sum::<u64>(),
            "time_zone": workload.time_zone,
            "sources": workload.files,
        },
    });
    let folded = &workload.folded;
    if folded.shapes > 0 {
        value["totals"]["folded"] = json!({
            "shapes": folded.shapes,
            "calls": folded.calls,
            "timed_calls": folded.timed_calls,
            "total_ms": folded.total_ms,
            "max_error": {
                "calls": workload.max_error.calls,
                "total_ms": workload.max_error.total_ms,
            },
        });
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn finding_json(found: &WorkloadFinding) -> Value {
    let f = &found.finding;
    let position = f.file.as_ref().map(|file| file.line_col(f.span.start));
    json!({
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity,
        "message": f.message,
        "why": f.why,
        "help": f.help,
        "file": f.file.as_ref().map(|file| file.path()),
        "line": position.map(|p| p.line),
        "column": position.map(|p| p.column),
        "span": f.span,
        "fingerprint": found.fingerprint,
        "parent_fingerprint": found.parent_fingerprint,
        "calls": found.calls,
        "total_ms": found.total_ms,
        "examples": found.examples,
    })
}

/// The human summary: input, top shapes by total time, N+1 findings, anti-patterns, lock
/// waits, errors and skipped lines.
pub fn render_human(workload: &Workload, top: usize) -> String {
    let mut out = String::new();
    let lines: u64 = workload.files.iter().map(|f| f.lines).sum();
    let bytes: u64 = workload.files.iter().map(|f| f.bytes).sum();
    let statements: u64 = workload.files.iter().map(|f| f.statements).sum();
    let skipped: u64 = workload.files.iter().map(|f| f.skipped_lines).sum();
    let _ = writeln!(
        out,
        "Read {} file(s): {} lines, {}, {} statements, {} skipped line(s)",
        workload.files.len(),
        thousands(lines),
        megabytes(bytes),
        thousands(statements),
        thousands(skipped)
    );
    for file in &workload.files {
        let prefix = file
            .log_line_prefix
            .as_ref()
            .map_or(String::new(), |p| format!(", log_line_prefix '{p}'"));
        let _ = writeln!(
            out,
            "  {} ({}{prefix})",
            escape_control(&file.path),
            file.format.as_str()
        );
    }
    let mut time = match workload.total_ms {
        Some(ms) if workload.timed_calls < workload.total_calls => format!(
            "{ms:.1} ms in total over the {} timed calls",
            thousands(workload.timed_calls)
        ),
        Some(ms) => format!("{ms:.1} ms in total"),
        None => "no timings".to_owned(),
    };
    if workload.prepare_ms > 0.0 {
        let _ = write!(
            time,
            " ({:.1} ms of it parsing and binding prepared statements)",
            workload.prepare_ms
        );
    }
    let _ = writeln!(
        out,
        "{} distinct query shapes, {} calls, {time}\n",
        thousands(workload.shapes as u64),
        thousands(workload.total_calls),
    );

    for warning in &workload.warnings {
        let _ = writeln!(out, "warning: {}\n", escape_control(warning));
    }

    if !workload.queries.is_empty() {
        let _ = match workload.total_ms {
            Some(_) => writeln!(out, "Top query shapes by total time"),
            None => writeln!(
                out,
                "Top query shapes by calls (the input has no timings: no durations in the log, or SQL files)"
            ),
        };
        let _ = writeln!(
            out,
            "{:>3}  {:>12}  {:>6}  {:>10}  {:>9}  {:>9}  query",
            "#", "total ms", "share", "calls", "mean ms", "p95 ms"
        );
        for (i, q) in workload.queries.iter().take(top).enumerate() {
            let _ = writeln!(
                out,
                "{:>3}  {:>12}  {:>6}  {:>10}  {:>9}  {:>9}  {}",
                i + 1,
                q.total_ms
                    .map_or_else(|| "-".to_owned(), |ms| format!("{ms:.1}")),
                q.share
                    .map_or_else(|| "-".to_owned(), |s| format!("{:.1}%", s * 100.0)),
                thousands(q.calls),
                optional_ms(q.mean_ms),
                optional_ms(q.p95_ms),
                one_line(&q.query, 100, "...")
            );
        }
        if workload.shapes > top {
            let _ = writeln!(
                out,
                "     ... {} more shapes (--top N to show more)",
                workload.shapes - top
            );
        }
        folded_row(&mut out, workload);
        out.push('\n');
    }

    let (n_plus_one, others): (Vec<&WorkloadFinding>, Vec<&WorkloadFinding>) = workload
        .findings
        .iter()
        .partition(|f| f.finding.rule == "n-plus-one");
    section(&mut out, "N+1 patterns", &n_plus_one);
    section(&mut out, "Query anti-patterns", &others);

    if !workload.waits.is_empty() {
        let _ = writeln!(out, "Lock waits, deadlocks and timeouts");
        for wait in &workload.waits {
            let waited = if wait.wait_ms > 0.0 {
                format!(", {:.1} ms waited", wait.wait_ms)
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {}: {}{waited}", wait.kind, thousands(wait.count));
            for table in wait.tables.iter().take(5) {
                let _ = writeln!(
                    out,
                    "      table {}: {}",
                    escape_control(&table.name),
                    table.count
                );
            }
            for query in wait.queries.iter().take(5) {
                let _ = writeln!(
                    out,
                    "      {:>6}x {}",
                    query.count,
                    one_line(&query.query, 90, "...")
                );
            }
        }
        out.push('\n');
    }

    if !workload.errors.is_empty() {
        let _ = writeln!(out, "Errors");
        for error in workload.errors.iter().take(10) {
            let _ = writeln!(
                out,
                "  {:>8}x {}",
                error.count,
                one_line(&error.name, 100, "...")
            );
        }
        out.push('\n');
    }

    for file in workload.files.iter().filter(|f| f.skipped_lines > 0) {
        let path = escape_control(&file.path);
        let _ = writeln!(
            out,
            "Skipped {} line(s) of {path}",
            thousands(file.skipped_lines),
        );
        for line in &file.skipped {
            let _ = writeln!(
                out,
                "  {path}:{}: {}: {}",
                line.line,
                line.reason,
                one_line(&line.text, 80, "...")
            );
            let _ = writeln!(out, "      hint: {}", line.hint);
        }
    }
    out
}

/// The row of the shapes folded to stay within the memory budget, and how far off a listed
/// figure may be because of them.
fn folded_row(out: &mut String, workload: &Workload) {
    let folded = &workload.folded;
    if folded.shapes == 0 {
        return;
    }
    let (total, share) = match workload.total_ms {
        Some(all) if all > 0.0 && folded.timed_calls > 0 => (
            format!("{:.1}", folded.total_ms),
            format!("{:.1}%", folded.total_ms / all * 100.0),
        ),
        _ => ("-".to_owned(), "-".to_owned()),
    };
    let _ = writeln!(
        out,
        "{:>3}  {:>12}  {:>6}  {:>10}  {:>9}  {:>9}  other shapes: {} folded to stay within --memory-budget",
        "-",
        total,
        share,
        thousands(folded.calls),
        "",
        "",
        thousands(folded.shapes)
    );
    let error = &workload.max_error;
    let _ = writeln!(
        out,
        "     A listed shape may lack up to {:.1} ms and {} calls that were folded before it was seen again; the totals are exact.",
        error.total_ms,
        thousands(error.calls)
    );
}

fn section(out: &mut String, title: &str, findings: &[&WorkloadFinding]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}");
    for found in findings {
        let f = &found.finding;
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            f.severity,
            f.rule,
            escape_control(&f.message)
        );
        if let Some(file) = &f.file {
            let position = file.line_col(f.span.start);
            let _ = writeln!(
                out,
                "  --> {}:{}:{}",
                file.path(),
                position.line,
                position.column
            );
            let line_text = file.line_text(position.line as usize - 1);
            let _ = writeln!(out, "   | {}", one_line(line_text, 120, "..."));
        }
        for example in &found.examples {
            let _ = writeln!(out, "   = seen at {}", escape_control(example));
        }
        let _ = writeln!(out, "   = why: {}", escape_control(&f.why));
        let _ = writeln!(out, "   = help: {}\n", escape_control(&f.help));
    }
}

fn optional_ms(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
