use dbwise_diagnostics::{Category, Severity};

use super::{duration, object, qualified, size};
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "table-bloat",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a table much larger than its rows need, or full of dead rows that vacuum has not cleared",
        doc: "## What it finds
Tables of at least `min-size-mb` where either
- the size estimated from the statistics (row count times the columns' average widths plus
  the row overhead, at the table's fill factor) is less than the table's size by at least
  `bloat-percent`: the space is held by dead or deleted rows. No extension is needed; the
  estimate needs the table analysed, and is rough for very wide or TOASTed rows;
- or dead rows are at least `dead-percent` of its rows and it has not been vacuumed in the
  last day.

## Why it matters
A bloated table is read page by page with the dead space in it: sequential scans, the buffer
cache and backups all pay for space that holds nothing. Dead rows that vacuum does not clear
also keep index entries alive, and usually mean autovacuum cannot keep up or something (a long
transaction, an abandoned replication slot) holds it back.

## Example
A 2 GB `jobs` table whose 40,000 live rows need 10 MB, after a purge of finished jobs.

## Use instead
```sql
VACUUM (ANALYZE, VERBOSE) public.jobs;
```
lets the space be reused; giving it back to the operating system needs a rewrite: `pg_repack`
without a long lock, or `VACUUM FULL` (ACCESS EXCLUSIVE for its whole run) in a maintenance
window. Tune the table's autovacuum (`autovacuum_vacuum_scale_factor`) so it does not recur.
",
        options: &[
            RuleOption {
                name: "min-size-mb",
                kind: OptionKind::Integer,
                default: "10",
                doc: "tables smaller than this are not judged",
            },
            RuleOption {
                name: "bloat-percent",
                kind: OptionKind::Integer,
                default: "50",
                doc: "the share of the table's size the rows do not need that is reported",
            },
            RuleOption {
                name: "dead-percent",
                kind: OptionKind::Integer,
                default: "20",
                doc: "the share of dead rows, with no vacuum in the last day, that is reported",
            },
        ],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let min_bytes = ctx.option_int("min-size-mb") << 20;
    let bloat_percent = ctx.option_int("bloat-percent") as f64;
    let dead_percent = ctx.option_int("dead-percent") as f64;
    for table in ctx.live.tables.iter().filter(|t| t.bytes >= min_bytes) {
        let mut reasons = Vec::new();
        if let Some(expected) = table.expected_bytes {
            let wasted = (table.bytes - expected) as f64 / table.bytes as f64 * 100.0;
            if wasted >= bloat_percent {
                reasons.push(format!(
                    "its {} rows need about {} of its {} ({wasted:.0}% unused)",
                    table.rows.unwrap_or_default(),
                    size(expected),
                    size(table.bytes)
                ));
            }
        }
        let all = table.live_tuples + table.dead_tuples;
        let vacuumed_lately = table.vacuum_age.is_some_and(|age| age < 86400.0);
        if all > 0 && !vacuumed_lately {
            let dead = table.dead_tuples as f64 / all as f64 * 100.0;
            if dead >= dead_percent {
                reasons.push(format!(
                    "{} of its rows ({dead:.0}%) are dead and it was {}",
                    table.dead_tuples,
                    table.vacuum_age.map_or_else(
                        || "never vacuumed since the statistics were reset".to_owned(),
                        |age| format!("last vacuumed {} ago", duration(age))
                    )
                ));
            }
        }
        if reasons.is_empty() {
            continue;
        }
        let name = qualified(&table.schema, &table.name);
        report.push(
            report
                .finding_on(
                    object(&table.schema, &table.name),
                    format!("table {}.{} is bloated: {}", table.schema, table.name, reasons.join("; ")),
                )
                .why("scans, the buffer cache and backups pay for the dead space, and dead rows keep their index entries alive")
                .help(format!(
                    "VACUUM (ANALYZE) {name}; lets the space be reused (find what held vacuum back: a long transaction, an inactive replication slot); to give it back to the system rewrite the table with pg_repack, or VACUUM FULL in a maintenance window (ACCESS EXCLUSIVE while it runs)"
                ))
                .suggest(vec![format!("VACUUM (ANALYZE) {name};")], false),
        );
    }
}
