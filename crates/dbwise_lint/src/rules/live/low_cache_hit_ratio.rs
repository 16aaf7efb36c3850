use dbwise_diagnostics::{Category, Severity};

use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "low-cache-hit-ratio",
        category: Category::Live,
        severity: Severity::Info,
        summary: "the database reads a large share of its pages from outside shared buffers",
        doc: "## What it finds
A database whose buffer cache hit ratio (`blks_hit / (blks_hit + blks_read)` in
`pg_stat_database`) is below `percent`, once at least a million blocks have been asked for
since the statistics were reset.

## Why it matters
A read that misses shared buffers goes to the operating system's cache at best and to disk
at worst. An OLTP database whose working set fits in memory hits well over 99%; a lower
ratio means the working set outgrew memory, or scans of large tables evict it.

## Example
A 64 GB database on a server with `shared_buffers = 128MB`, the default.

## Use instead
Size `shared_buffers` (about a quarter of the server's memory is the usual start), find the
scans that evict the working set (`heavy-sequential-scan`, `dbwise workload`), and index what
they filter on.
",
        options: &[RuleOption {
            name: "percent",
            kind: OptionKind::Integer,
            default: "99",
            doc: "the hit ratio below which the database is reported",
        }],
    },
    check: Check::Live(check),
};

/// Blocks asked for before a ratio is judged: fewer say nothing about the working set.
const MIN_BLOCKS: i64 = 1_000_000;

fn check(ctx: &LiveContext, report: &mut Report) {
    let live = ctx.live;
    let total = live.blocks_hit + live.blocks_read;
    if total < MIN_BLOCKS {
        return;
    }
    let ratio = live.blocks_hit as f64 / total as f64 * 100.0;
    if ratio >= ctx.option_int("percent") as f64 {
        return;
    }
    report.push(
        report
            .finding_on(
                live.database.clone(),
                format!(
                    "database {} found {ratio:.1}% of the {total} blocks it read in shared buffers",
                    live.database
                ),
            )
            .why("a read that misses shared buffers goes to the operating system's cache at best and to disk at worst")
            .help("size shared_buffers (about a quarter of the server's memory to start), and find the scans that evict the working set (heavy-sequential-scan, dbwise workload)"),
    );
}
