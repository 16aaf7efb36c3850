use dbwise_diagnostics::{Category, Severity};

use super::object;
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "heavy-sequential-scan",
        category: Category::Live,
        severity: Severity::Info,
        summary: "a large table read mostly by whole-table scans",
        doc: "## What it finds
Tables of at least `min-rows` rows with at least `min-scans` sequential scans since the
statistics were reset, more sequential scans than index scans, and on average more than
half of the table read per scan (`seq_tup_read / seq_scan`).

## Why it matters
Each such scan reads the whole table: on a large one it takes time and I/O, and pushes
the data other queries need out of the cache. A query that filters on a column without an
index does this on every call.

## Example
`SELECT ... FROM orders WHERE customer_email = $1` with no index on `customer_email`.

## Use instead
Find the queries (`dbwise workload` on `pg_stat_statements`, or the server log) and index
what they filter on, or confirm the scans are reports meant to read everything and move them
to a replica.
",
        options: &[
            RuleOption {
                name: "min-rows",
                kind: OptionKind::Integer,
                default: "100000",
                doc: "tables with fewer rows are not judged",
            },
            RuleOption {
                name: "min-scans",
                kind: OptionKind::Integer,
                default: "100",
                doc: "how many sequential scans a table must have had",
            },
        ],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let min_rows = ctx.option_int("min-rows") as u64;
    let min_scans = ctx.option_int("min-scans");
    for table in &ctx.live.tables {
        let Some(rows) = table.rows.filter(|&rows| rows >= min_rows) else {
            continue;
        };
        if table.seq_scans < min_scans || table.seq_scans <= table.index_scans {
            continue;
        }
        let per_scan = table.seq_tuples_read / table.seq_scans;
        if (per_scan as u64) < rows / 2 {
            continue;
        }
        report.push(
            report
                .finding_on(
                    object(&table.schema, &table.name),
                    format!(
                        "table {}.{} ({rows} rows) was read by {} sequential scans ({} rows each on average) and {} index scans",
                        table.schema, table.name, table.seq_scans, per_scan, table.index_scans
                    ),
                )
                .why("each scan reads the whole table, taking I/O and pushing other queries' data out of the cache")
                .help("find the queries that scan it (dbwise workload on pg_stat_statements) and index the columns they filter on, or move whole-table reports to a replica"),
        );
    }
}
