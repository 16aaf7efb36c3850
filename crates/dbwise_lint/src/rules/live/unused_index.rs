use dbwise_diagnostics::{Category, Severity};

use super::{duration, object, qualified, size};
use crate::live::LiveContext;
use crate::rule::{Check, OptionKind, Report, Rule, RuleMeta, RuleOption};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unused-index",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "an index no query has used since the statistics were reset, on a table that is written",
        doc: "## What it finds
Indexes with `idx_scan = 0` in `pg_stat_user_indexes` on a table that has had inserts, updates
or deletes in the same period. It judges only when the statistics cover at least
`min-age-days` (`--stats-min-age`), and says when they were reset. It never reports an index
that backs a primary key, a unique or an exclusion constraint, or any unique index: those
enforce a rule even when no query reads them. On a standby it reports nothing: a standby's
counters describe the queries run on that standby only.

## Why it matters
Every index is written on every insert and on each update that touches its columns (or every
update, when the update cannot be HOT), takes space in the buffer cache, and lengthens vacuum.
One that no query reads is that cost for nothing.

## Example
An index `orders_status_idx` with no scan in 30 days while `orders` took 2 million writes.

## Use instead
Check the replicas too (their counters are their own) and any monthly job, then:
```sql
DROP INDEX CONCURRENTLY public.orders_status_idx;
```
",
        options: &[RuleOption {
            name: "min-age-days",
            kind: OptionKind::Integer,
            default: "7",
            doc: "how many days the statistics must cover before an index with no scan is judged unused (`--stats-min-age` overrides it)",
        }],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    let live = ctx.live;
    if live.standby {
        ctx.note("not judged on a standby: its index counters count only the queries run on it; inspect the primary".to_owned());
        return;
    }
    let since = live.stats_reset_at.as_deref().map_or_else(
        || "the server started".to_owned(),
        |at| format!("the statistics were reset at {at}"),
    );
    let min_age = ctx.option_int("min-age-days") as f64 * 86400.0;
    if live.stats_age < min_age {
        ctx.note(format!(
            "not judged: the statistics cover {} (since {since}), fewer than the {} days asked for (--stats-min-age)",
            duration(live.stats_age),
            ctx.option_int("min-age-days")
        ));
        return;
    }
    for index in &live.indexes {
        if index.scans > 0 || index.unique || index.primary || index.constraint || !index.valid {
            continue;
        }
        let Some(table) = live
            .tables
            .iter()
            .find(|t| t.schema == index.schema && t.name == index.table)
        else {
            continue;
        };
        if table.writes == 0 {
            continue;
        }
        let name = qualified(&index.schema, &index.name);
        report.push(
            report
                .finding_on(
                    object(&index.schema, &index.name),
                    format!(
                        "index {}.{} ({}) has not been scanned in {} (since {since}), while {}.{} took {} row writes",
                        index.schema,
                        index.name,
                        size(index.bytes),
                        duration(live.stats_age),
                        table.schema,
                        table.name,
                        table.writes
                    ),
                )
                .why("every write to the table also writes the index, and it takes cache and vacuum time, for no query that reads it")
                .help(format!(
                    "if no replica and no periodic job uses it (their counters are not these), drop it without blocking writes: DROP INDEX CONCURRENTLY IF EXISTS {name};"
                ))
                .suggest(vec![format!("DROP INDEX CONCURRENTLY IF EXISTS {name};")], false),
        );
    }
}
