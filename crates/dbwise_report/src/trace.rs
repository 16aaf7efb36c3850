//! The text form of a [`TraceReport`] (`dbwise migrate trace`): per file, a table of each
//! statement's time, locks, rewrites and scans, then a closing count.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use dbwise_diagnostics::{escape_control, one_line};
use dbwise_locks::LockLevel;
use dbwise_pg::{FileTrace, Outcome, StatementTrace, Target, TraceReport};

/// The human report of a trace run.
pub fn render_human(report: &TraceReport) -> String {
    let mut out = String::new();
    let statements: usize = report.files.iter().map(|f| f.statements.len()).sum();
    let where_ = match report.target {
        Target::Scratch => "throwaway cluster",
        Target::RollbackAll => "--database-url, rolled back",
    };
    let _ = writeln!(
        out,
        "PostgreSQL {} ({where_}): {statements} statements in {} files\n",
        report.server_version,
        report.files.len()
    );
    for file in &report.files {
        render_file(&mut out, file);
    }
    let failed: usize = report.files.iter().map(FileTrace::failed_statements).sum();
    let blocking = report
        .files
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|s| s.locks.iter().any(|l| !l.created && l.mode.blocks_writes()))
        .count();
    let rewrites = report
        .files
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|s| !s.rewritten.is_empty())
        .count();
    let _ = writeln!(
        out,
        "{statements} statements: {failed} failed, {blocking} blocked writes to an existing relation, {rewrites} rewrote a relation"
    );
    out
}

fn render_file(out: &mut String, file: &FileTrace) {
    let path = escape_control(&file.path);
    let _ = writeln!(out, "{path}");
    for error in &file.syntax_errors {
        let _ = writeln!(
            out,
            "  {path}:{}:{}: syntax error: {} (file not run)",
            error.line,
            error.column,
            escape_control(&error.message)
        );
    }
    if file.statements.is_empty() {
        let _ = writeln!(out);
        return;
    }
    let header = ["LINE", "TIME", "STATEMENT", "LOCKS", "REWROTE", "SCANNED"].map(str::to_owned);
    let rows: Vec<TableRow> = std::iter::once(TableRow {
        cells: header,
        message: false,
    })
    .chain(file.statements.iter().flat_map(statement_rows))
    .collect();
    let mut widths = [0usize; 6];
    for row in &rows {
        // An error or skip message runs to the end of the line and sets no column's width.
        let counted = if row.message { 3 } else { 6 };
        for (width, cell) in widths.iter_mut().zip(&row.cells).take(counted) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in rows.iter().map(|r| &r.cells) {
        let mut line = String::from(" ");
        for (i, cell) in row.iter().enumerate() {
            line.push(' ');
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i].saturating_sub(cell.chars().count()) + 1));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    for step in &file.statements {
        if let Some(note) = &step.note {
            let _ = writeln!(out, "  line {}: {}", step.line, escape_control(note));
        }
    }
    if let Some(note) = &file.note {
        let _ = writeln!(out, "  note: {}", escape_control(note));
    }
    let _ = writeln!(out);
}

/// One line of a file's table.
struct TableRow {
    cells: [String; 6],
    /// The LOCKS cell holds an error or skip message instead of locks.
    message: bool,
}

/// One table row per relation the statement locked (at least one row per statement).
fn statement_rows(step: &StatementTrace) -> Vec<TableRow> {
    let text = one_line(&step.sql, 48, "…");
    let line = step.line.to_string();
    match &step.outcome {
        Outcome::Failed {
            sqlstate,
            message,
            line: at,
            ..
        } => {
            let at = at.map_or(String::new(), |l| format!(" (line {l})"));
            return vec![TableRow {
                cells: [
                    line,
                    "FAILED".to_owned(),
                    text,
                    format!("ERROR {sqlstate}: {}{at}", escape_control(message)),
                    String::new(),
                    String::new(),
                ],
                message: true,
            }];
        }
        Outcome::Skipped { reason } => {
            return vec![TableRow {
                cells: [
                    line,
                    "skipped".to_owned(),
                    text,
                    escape_control(reason).into_owned(),
                    String::new(),
                    String::new(),
                ],
                message: true,
            }];
        }
        Outcome::Ok => {}
    }
    let mut strongest: BTreeMap<&str, LockLevel> = BTreeMap::new();
    let mut created: Vec<&str> = Vec::new();
    for lock in &step.locks {
        if lock.created {
            if !created.contains(&lock.relation.as_str()) {
                created.push(&lock.relation);
            }
            continue;
        }
        let level = strongest.entry(&lock.relation).or_insert(lock.mode);
        *level = (*level).max(lock.mode);
    }
    let mut locks: Vec<(&str, LockLevel)> = strongest.into_iter().collect();
    locks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut cells: Vec<String> = locks
        .iter()
        .map(|(relation, level)| {
            let blocks = if level.blocks_reads() {
                " (blocks reads and writes)"
            } else if level.blocks_writes() {
                " (blocks writes)"
            } else {
                ""
            };
            format!("{}: {level}{blocks}", escape_control(relation))
        })
        .collect();
    if !created.is_empty() {
        cells.push(format!("new: {}", escape_control(&created.join(", "))));
    }
    if cells.is_empty() {
        cells.push(match step.observed_by {
            dbwise_pg::Observation::NotObserved => "not observed".to_owned(),
            _ => "-".to_owned(),
        });
    }
    let rewrote = if step.rewritten.is_empty() {
        "-".to_owned()
    } else {
        escape_control(&step.rewritten.join(", ")).into_owned()
    };
    let scanned = match &step.scanned {
        None => "?".to_owned(),
        Some(s) if s.is_empty() => "-".to_owned(),
        Some(s) => escape_control(&s.join(", ")).into_owned(),
    };
    let time = format!("{:.1} ms", step.duration_ms);
    cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| TableRow {
            cells: if i == 0 {
                [
                    line.clone(),
                    time.clone(),
                    text.clone(),
                    cell,
                    rewrote.clone(),
                    scanned.clone(),
                ]
            } else {
                [
                    String::new(),
                    String::new(),
                    String::new(),
                    cell,
                    String::new(),
                    String::new(),
                ]
            },
            message: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(relation: &str, mode: LockLevel, created: bool) -> dbwise_pg::RelationLock {
        dbwise_pg::RelationLock {
            relation: relation.to_owned(),
            kind: dbwise_pg::RelationKind::Table,
            mode,
            created,
            waiting: false,
            blocks_reads: mode.blocks_reads(),
            blocks_writes: mode.blocks_writes(),
        }
    }

    fn step(
        line: u32,
        sql: &str,
        outcome: Outcome,
        locks: Vec<dbwise_pg::RelationLock>,
    ) -> StatementTrace {
        StatementTrace {
            span: dbwise_diagnostics::Span::new(0, sql.len()),
            line,
            sql: sql.to_owned(),
            outcome,
            in_transaction: true,
            observed_by: dbwise_pg::Observation::InTransaction,
            locks,
            rewritten: Vec::new(),
            scanned: Some(Vec::new()),
            duration_ms: 1.25,
            note: None,
        }
    }

    #[test]
    fn human_report_layout() {
        let mut retype = step(
            4,
            "ALTER TABLE orders\n    ALTER COLUMN id TYPE bigint",
            Outcome::Ok,
            vec![
                lock("orders", LockLevel::AccessExclusive, false),
                lock("orders", LockLevel::Share, false),
            ],
        );
        retype.rewritten = vec!["orders".to_owned()];
        retype.scanned = Some(vec!["orders".to_owned()]);
        let report = TraceReport {
            server_version: "15.18".to_owned(),
            target: Target::Scratch,
            files: vec![
                FileTrace {
                    path: "migrations/001/up.sql".to_owned(),
                    syntax_errors: Vec::new(),
                    statements: vec![
                        step(
                            1,
                            "CREATE TABLE orders (id int NOT NULL, customer_id int REFERENCES customers (id))",
                            Outcome::Ok,
                            vec![
                                lock("orders", LockLevel::AccessExclusive, true),
                                lock("customers", LockLevel::ShareRowExclusive, false),
                            ],
                        ),
                        retype,
                        step(
                            6,
                            "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id)",
                            Outcome::Failed {
                                sqlstate: "25001".to_owned(),
                                message: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block".to_owned(),
                                detail: None,
                                hint: None,
                                line: None,
                            },
                            Vec::new(),
                        ),
                        step(
                            7,
                            "INSERT INTO orders VALUES (1, 1)",
                            Outcome::Skipped {
                                reason: "not run: the file's transaction was rolled back after the error on line 6".to_owned(),
                            },
                            Vec::new(),
                        ),
                    ],
                    note: None,
                },
                FileTrace {
                    path: "migrations/002/up.sql".to_owned(),
                    syntax_errors: vec![dbwise_pg::FileSyntaxError {
                        line: 2,
                        column: 13,
                        message: "syntax error at or near \"TABEL\"".to_owned(),
                    }],
                    statements: Vec::new(),
                    note: None,
                },
            ],
        };
        insta::assert_snapshot!(render_human(&report));
    }
}
