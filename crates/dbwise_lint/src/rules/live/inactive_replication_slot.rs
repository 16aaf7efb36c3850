use dbwise_diagnostics::{Category, Severity};

use super::size;
use crate::live::LiveContext;
use crate::rule::{Check, Report, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "inactive-replication-slot",
        category: Category::Live,
        severity: Severity::Warning,
        summary: "a replication slot no consumer is connected to, which keeps WAL on the server",
        doc: "## What it finds
Replication slots in `pg_replication_slots` that are not active, with the WAL they keep.

## Why it matters
A slot keeps every WAL segment its consumer has not confirmed, and (for a logical slot, or a
physical one with `hot_standby_feedback`) the rows its consumer might still need. A consumer
that is gone for good (a decommissioned replica, a CDC tool that was switched off) makes the
server keep WAL until the disk fills and the server stops, and holds vacuum back.

## Example
A Debezium slot left behind when the connector was deleted.

## Use instead
Reconnect the consumer, or drop the slot when nothing will use it again:
```sql
SELECT pg_drop_replication_slot('debezium');
```
and bound what any slot may keep with `max_slot_wal_keep_size` (PostgreSQL 13+).
",
        options: &[],
    },
    check: Check::Live(check),
};

fn check(ctx: &LiveContext, report: &mut Report) {
    for slot in ctx.live.slots.iter().filter(|s| !s.active) {
        let kept = slot.retained_bytes.map_or_else(
            || "WAL from a position not known".to_owned(),
            |b| format!("{} of WAL", size(b)),
        );
        report.push(
            report
                .finding_on(
                    format!("slot {}", slot.name),
                    format!(
                        "{} replication slot '{}' has no consumer connected and keeps {kept}",
                        slot.kind, slot.name
                    ),
                )
                .why("the server keeps every WAL segment the slot has not confirmed, until the disk fills, and the slot can hold vacuum back")
                .help(format!(
                    "reconnect its consumer, or drop it when nothing will use it again: SELECT pg_drop_replication_slot({}); and bound slots with max_slot_wal_keep_size",
                    dbwise_syntax::ast::quote_literal(&slot.name)
                )),
        );
    }
}
