use dbwise_diagnostics::{Category, Severity};

use super::{object, qualified, size};
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "index-bloat",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a B-tree index much larger than its entries need",
        doc: "## What it finds
B-tree indexes on plain columns, of at least `min-size-mb`, whose size estimated from the
statistics is less than their size by at least `bloat-percent`. The estimate is the index's
row count times an entry (an 8-byte header plus the columns' average widths from `pg_stats`,
aligned to 8 bytes, and a 4-byte line pointer), over the usable part of an 8 kB page at the
index's fill factor (90 unless set). No extension is needed; indexes on expressions, other
access methods and columns with no statistics are not judged. Deduplication (PostgreSQL 13 on)
makes an index smaller than the estimate, never larger, so it hides bloat rather than invents
it.

## Why it matters
A B-tree gives back no space when rows go: after a mass delete or heavy updates of its keys,
its pages stay, mostly empty, until it is rebuilt. Every scan of it reads them, they crowd the
buffer cache and they are written to every backup.

## Example
A 2 GB index on `jobs (id)` whose 40,000 live rows need 1 MB, after a purge of finished jobs.

## Use instead
```sql
REINDEX INDEX CONCURRENTLY public.jobs_pkey;
```
rebuilds it without blocking reads or writes (PostgreSQL 12 on; outside a transaction block).
Before 12, build a copy with `CREATE INDEX CONCURRENTLY`, then drop the old one with
`DROP INDEX CONCURRENTLY`.
",
        options: &[
            RuleOption {
                name: "min-size-mb",
                kind: OptionKind::Integer,
                default: "10",
                doc: "indexes smaller than this are not judged",
            },
            RuleOption {
                name: "bloat-percent",
                kind: OptionKind::Integer,
                default: "50",
                doc: "the share of the index's size its entries do not need that is reported",
            },
        ],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let min_bytes = ctx.option_int("min-size-mb") << 20;
    let bloat_percent = ctx.option_int("bloat-percent") as f64;
    for index in ctx
        .live
        .indexes
        .iter()
        .filter(|i| i.bytes >= min_bytes && i.valid)
    {
        let Some(expected) = index.expected_bytes else {
            continue;
        };
        let wasted = (index.bytes - expected) as f64 / index.bytes as f64 * 100.0;
        if wasted < bloat_percent {
            continue;
        }
        let name = qualified(&index.schema, &index.name);
        let (reindex, help) = if ctx.live.server_version >= 120_000 {
            let reindex = format!("REINDEX INDEX CONCURRENTLY {name};");
            let help = format!(
                "rebuild it without blocking reads or writes (outside a transaction block): {reindex}"
            );
            (reindex, help)
        } else {
            let reindex = format!("REINDEX INDEX {name};");
            let help = format!(
                "rebuild it: {reindex} blocks writes while it runs; to avoid that, build a copy with CREATE INDEX CONCURRENTLY and drop this one with DROP INDEX CONCURRENTLY"
            );
            (reindex, help)
        };
        report.push(
            report
                .finding_on(
                    object(&index.schema, &index.name),
                    format!(
                        "index {}.{} on {} is bloated: its entries need about {} of its {} ({wasted:.0}% unused)",
                        index.schema,
                        index.name,
                        index.table,
                        size(expected),
                        size(index.bytes)
                    ),
                )
                .why("a B-tree keeps its pages after the rows go: every scan of it, the buffer cache and backups pay for the empty space")
                .help(help)
                .suggest(vec![reindex], false),
        );
    }
}
