//! How large a table is, as far as the input shows, for findings that matter only on a large
//! table (a missing index, a redundant one, a lock held while a table is read or rewritten, a
//! key range), and the fold that counts such findings instead of listing them when nothing
//! shows how large their table is.

use std::collections::{BTreeMap, HashSet};

use dbwise_catalog::Table;
use dbwise_diagnostics::{Finding, UnsizedFindings};

use crate::rules::design::common::words;
use crate::settings::Settings;

/// Last words of tables that record what happens: such a table grows with use whatever else
/// its name says (`webhook_deliveries`, `api_key_usage`, `WebhookWorkerRequest`).
const RECORD_WORDS: &[&str] = &[
    "event",
    "events",
    "log",
    "logs",
    "message",
    "messages",
    "delivery",
    "deliveries",
    "attempt",
    "attempts",
    "notification",
    "notifications",
    "request",
    "requests",
    "response",
    "responses",
    "record",
    "records",
    "entry",
    "entries",
    "item",
    "items",
    "run",
    "runs",
    "job",
    "jobs",
    "task",
    "tasks",
    "execution",
    "executions",
    "call",
    "calls",
    "metric",
    "metrics",
    "activity",
    "activities",
    "audit",
    "audits",
    "history",
    "histories",
    "usage",
    "usages",
    "comment",
    "comments",
    "reaction",
    "reactions",
    "mention",
    "mentions",
    "attachment",
    "attachments",
    "file",
    "files",
    "data",
    "result",
    "results",
    "transaction",
    "transactions",
    "payment",
    "payments",
    "order",
    "orders",
    "queue",
    "queues",
    "outbox",
    "visit",
    "visits",
    "click",
    "clicks",
    "impression",
    "impressions",
    "download",
    "downloads",
    "trace",
    "traces",
    "span",
    "spans",
    "sample",
    "samples",
    "measurement",
    "measurements",
    "revision",
    "revisions",
    "version",
    "versions",
    "report",
    "reports",
    "snapshot",
    "snapshots",
];

/// Whether a table's name ends with a word for records that accumulate as the application is
/// used (`webhook_deliveries`, `MessageQueueItem`).
pub fn records_use(name: &str) -> bool {
    words(name)
        .last()
        .is_some_and(|last| RECORD_WORDS.contains(&last.as_str()))
}

/// The table's name, when nothing in the input shows whether it is large: no size is known
/// for it (`[tables] sizes`, `--database-url`), it is not partitioned, and its name is not one
/// of a table of records that grow with use. `None` when it is known to be large or small.
pub fn unknown(settings: &Settings, table: &Table) -> Option<String> {
    let known = settings
        .rows_of(&table.name.schema, &table.name.name)
        .is_some();
    let large_by_design =
        table.partitioned || table.partition_of.is_some() || records_use(&table.name.name);
    (!known && !large_by_design).then(|| table.name.to_string())
}

/// Take the findings marked [`Finding::unknown_size`] out of `findings` and count them per rule
/// and table.
pub fn fold(findings: &mut Vec<Finding>) -> Option<UnsizedFindings> {
    let mut by_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut tables = HashSet::new();
    findings.retain_mut(|f| match f.unknown_size.take() {
        Some(table) => {
            *by_rule.entry(f.rule).or_default() += 1;
            tables.insert(table);
            false
        }
        None => true,
    });
    let total: usize = by_rule.values().sum();
    if total == 0 {
        return None;
    }
    let mut by_rule: Vec<(&'static str, usize)> = by_rule.into_iter().collect();
    by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    Some(UnsizedFindings {
        findings: total,
        tables: tables.len(),
        by_rule,
    })
}
