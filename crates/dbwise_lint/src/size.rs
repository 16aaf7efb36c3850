//! How large a table is, as far as the input shows, for findings that matter only on a large
//! table (a missing index, a redundant one, a lock held while a table is read or rewritten, a
//! key range), and the fold that counts such findings instead of listing them when nothing
//! shows how large their table is; and the fold that counts notes on schema-wide conventions.

use std::collections::HashSet;

use dbwise_catalog::Table;
use dbwise_diagnostics::{ConventionNotes, Finding, UnsizedFindings, count_by_rule};

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
    "session",
    "sessions",
    "embedding",
    "embeddings",
    "chunk",
    "chunks",
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
    let mut rules = Vec::new();
    let mut tables = HashSet::new();
    findings.retain_mut(|f| match f.unknown_size.take() {
        Some(table) => {
            rules.push(f.rule);
            tables.insert(table);
            false
        }
        None => true,
    });
    (!rules.is_empty()).then(|| UnsizedFindings {
        findings: rules.len(),
        tables: tables.len(),
        by_rule: count_by_rule(rules),
    })
}

/// Take the notes on schema-wide conventions ([`Finding::convention`]) out of `findings` and
/// count them per rule.
pub fn fold_conventions(findings: &mut Vec<Finding>) -> Option<ConventionNotes> {
    let mut rules = Vec::new();
    findings.retain(|f| {
        if f.convention {
            rules.push(f.rule);
        }
        !f.convention
    });
    (!rules.is_empty()).then(|| ConventionNotes {
        findings: rules.len(),
        by_rule: count_by_rule(rules),
    })
}
