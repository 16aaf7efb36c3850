//! A brief derived from evidence: what a schema and a workload show about the data.
//!
//! The signals are counts a caller extracts from a schema catalog and a query workload; this
//! module only turns them into brief values, each with the evidence behind it, so the user
//! can read, edit and re-run the inferred brief.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::brief::{Brief, Key, Value, format_number};
use crate::choose::Choice;

/// What a schema and (optionally) a workload show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InferSignals {
    pub tables: usize,
    pub foreign_keys: usize,
    /// Tables with at least one json / jsonb column.
    pub tables_with_json_columns: usize,
    /// Tables that carry a timestamp and are only ever inserted into (no updates or deletes seen),
    /// or are declared as time-partitioned.
    pub append_only_timestamped_tables: usize,
    /// tsvector columns, full-text indexes and `@@` operators seen.
    pub full_text_operators: usize,
    /// Columns of geometry / geography / point types.
    pub geospatial_columns: usize,
    /// Recursive CTEs that walk a self-referencing foreign key.
    pub recursive_self_references: usize,
    /// Largest number of joins (tables read minus one) in one read query of the workload.
    pub max_joins_per_query: Option<usize>,
    /// Multi-statement transactions that write to more than one table.
    pub multi_table_write_transactions: Option<usize>,
    /// Share of read queries that aggregate (GROUP BY, aggregate functions).
    pub aggregate_query_share: Option<f64>,
    /// Share of read queries that fetch by primary key.
    pub key_lookup_share: Option<f64>,
    pub reads_per_sec: Option<f64>,
    pub writes_per_sec: Option<f64>,
    pub volume_gb: Option<f64>,
}

/// An inferred brief and the evidence for each key.
#[derive(Debug, Clone)]
pub struct Inferred {
    pub brief: Brief,
    pub evidence: BTreeMap<Key, String>,
}

impl Inferred {
    /// The brief as TOML with the evidence as a comment after each key.
    pub fn to_toml(&self) -> String {
        self.brief
            .to_toml_with(|key| self.evidence.get(&key).cloned())
    }

    fn set(&mut self, key: Key, value: Value, evidence: String) {
        if self.brief.set(key, value).is_ok() {
            self.evidence.insert(key, evidence);
        }
    }
}

/// The JSON form of `--infer`: the inferred brief (TOML text) next to the result.
#[derive(Debug, Serialize)]
pub struct InferredChoice<'a> {
    pub inferred_brief: String,
    #[serde(flatten)]
    pub choice: &'a Choice,
}

/// Turn signals into a brief; keys without evidence stay unset.
pub fn infer_brief(signals: &InferSignals) -> Inferred {
    let mut out = Inferred {
        brief: Brief::new(),
        evidence: BTreeMap::new(),
    };
    let s = signals;
    if s.tables > 0 {
        let (shape, why) = if s.append_only_timestamped_tables * 2 >= s.tables {
            (
                "time-series",
                format!(
                    "{} of {} tables are append-only and time-stamped",
                    s.append_only_timestamped_tables, s.tables
                ),
            )
        } else if s.tables_with_json_columns * 2 > s.tables && s.foreign_keys < s.tables {
            (
                "document",
                format!(
                    "{} of {} tables keep JSON documents and there are only {} foreign keys",
                    s.tables_with_json_columns, s.tables, s.foreign_keys
                ),
            )
        } else {
            (
                "relational",
                format!("{} tables, {} foreign keys", s.tables, s.foreign_keys),
            )
        };
        out.set(Key::Shape, Value::Choice(shape), why);
        let relationships = match s.foreign_keys {
            0 => "none",
            n if n < s.tables => "few",
            _ => "many",
        };
        out.set(
            Key::Relationships,
            Value::Choice(relationships),
            format!("{} foreign keys across {} tables", s.foreign_keys, s.tables),
        );
        if s.tables_with_json_columns > 0 {
            out.set(
                Key::SchemaStability,
                Value::Choice("evolving"),
                format!(
                    "JSON columns in {} of {} tables",
                    s.tables_with_json_columns, s.tables
                ),
            );
        }
        out.set(
            Key::TimeRangeScans,
            Value::Bool(s.append_only_timestamped_tables > 0),
            format!(
                "append-only time-stamped tables: {}",
                s.append_only_timestamped_tables
            ),
        );
        out.set(
            Key::FullTextSearch,
            Value::Bool(s.full_text_operators > 0),
            format!(
                "tsvector columns, text-search indexes and operators: {}",
                s.full_text_operators
            ),
        );
        out.set(
            Key::Geospatial,
            Value::Bool(s.geospatial_columns > 0),
            format!("spatial columns: {}", s.geospatial_columns),
        );
    }
    match (s.max_joins_per_query, s.tables) {
        (Some(joins), _) => {
            let level = match joins {
                0 => "none",
                1 | 2 => "simple",
                _ => "complex",
            };
            out.set(
                Key::Joins,
                Value::Choice(level),
                format!("the widest read in the workload has {joins} joins"),
            );
        }
        (None, tables) if tables > 0 && s.foreign_keys > 0 => {
            let level = if s.foreign_keys >= tables {
                "complex"
            } else {
                "simple"
            };
            out.set(
                Key::Joins,
                Value::Choice(level),
                format!(
                    "no workload given; {} foreign keys suggest {level} joins",
                    s.foreign_keys
                ),
            );
        }
        _ => {}
    }
    let transactional = s.multi_table_write_transactions.unwrap_or(0);
    if transactional > 0 {
        out.set(
            Key::MultiRecordTransactions,
            Value::Bool(true),
            format!("transactions writing to several tables in the workload: {transactional}"),
        );
    } else if s.foreign_keys > 0 {
        out.set(
            Key::MultiRecordTransactions,
            Value::Bool(true),
            format!(
                "{} foreign keys are kept consistent across rows",
                s.foreign_keys
            ),
        );
    }
    if s.recursive_self_references > 0 {
        out.set(
            Key::GraphTraversalDepth,
            Value::Number(2.0),
            format!(
                "recursive queries over a self-referencing key: {} (depth unknown, 2 assumed; raise it if walks go deeper)",
                s.recursive_self_references
            ),
        );
    }
    if let Some(share) = s.aggregate_query_share {
        let level = if share >= 0.3 {
            "heavy"
        } else if share > 0.0 {
            "light"
        } else {
            "none"
        };
        out.set(
            Key::Aggregations,
            Value::Choice(level),
            format!(
                "{}% of read queries aggregate",
                format_number((share * 100.0).round())
            ),
        );
    }
    let copies = [
        (
            Key::KeyLookupShare,
            s.key_lookup_share,
            "share of reads by primary key in the workload",
        ),
        (
            Key::ReadsPerSec,
            s.reads_per_sec,
            "read rate measured in the workload",
        ),
        (
            Key::WritesPerSec,
            s.writes_per_sec,
            "write rate measured in the workload",
        ),
        (Key::VolumeGb, s.volume_gb, "size reported for the data"),
    ];
    for (key, value, why) in copies {
        if let Some(value) = value {
            out.set(key, Value::Number(value), why.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_normalised_schema_with_a_workload_reads_as_relational_and_transactional() {
        let inferred = infer_brief(&InferSignals {
            tables: 8,
            foreign_keys: 9,
            max_joins_per_query: Some(4),
            multi_table_write_transactions: Some(12),
            aggregate_query_share: Some(0.1),
            reads_per_sec: Some(1200.0),
            writes_per_sec: Some(150.0),
            ..InferSignals::default()
        });
        let brief = &inferred.brief;
        assert!(brief.is(Key::Shape, "relational"));
        assert!(brief.is(Key::Relationships, "many"));
        assert!(brief.is(Key::Joins, "complex"));
        assert!(brief.is(Key::Aggregations, "light"));
        assert!(brief.yes(Key::MultiRecordTransactions));
        assert_eq!(brief.number(Key::WritesPerSec), Some(150.0));
        assert!(inferred.evidence[&Key::MultiRecordTransactions].ends_with(": 12"));
    }

    #[test]
    fn append_only_time_stamped_tables_read_as_time_series() {
        let inferred = infer_brief(&InferSignals {
            tables: 3,
            foreign_keys: 1,
            append_only_timestamped_tables: 2,
            aggregate_query_share: Some(0.6),
            ..InferSignals::default()
        });
        assert!(inferred.brief.is(Key::Shape, "time-series"));
        assert!(inferred.brief.yes(Key::TimeRangeScans));
        assert!(inferred.brief.is(Key::Aggregations, "heavy"));
        assert!(
            inferred.brief.is(Key::Joins, "simple"),
            "one foreign key and no workload: simple joins"
        );
    }

    #[test]
    fn json_heavy_tables_without_foreign_keys_read_as_documents() {
        let inferred = infer_brief(&InferSignals {
            tables: 4,
            tables_with_json_columns: 3,
            ..InferSignals::default()
        });
        let brief = &inferred.brief;
        assert!(brief.is(Key::Shape, "document"));
        assert!(brief.is(Key::Relationships, "none"));
        assert!(brief.is(Key::SchemaStability, "evolving"));
        assert!(
            !brief.is_set(Key::Joins),
            "no foreign keys and no workload: joins unknown"
        );
        assert!(!brief.is_set(Key::MultiRecordTransactions));
    }

    #[test]
    fn recursive_self_references_and_search_operators_are_carried_over() {
        let inferred = infer_brief(&InferSignals {
            tables: 2,
            foreign_keys: 2,
            recursive_self_references: 1,
            full_text_operators: 3,
            geospatial_columns: 1,
            ..InferSignals::default()
        });
        let brief = &inferred.brief;
        assert_eq!(brief.number(Key::GraphTraversalDepth), Some(2.0));
        assert!(brief.yes(Key::FullTextSearch));
        assert!(brief.yes(Key::Geospatial));
    }

    #[test]
    fn no_evidence_gives_an_empty_brief() {
        let inferred = infer_brief(&InferSignals::default());
        assert_eq!(inferred.brief.keys().count(), 0);
        assert_eq!(inferred.to_toml(), "");
    }

    #[test]
    fn the_printed_brief_carries_evidence_and_parses_back() {
        let inferred = infer_brief(&InferSignals {
            tables: 5,
            foreign_keys: 2,
            key_lookup_share: Some(0.75),
            ..InferSignals::default()
        });
        let text = inferred.to_toml();
        assert!(
            text.contains("relationships = \"few\"  # 2 foreign keys across 5 tables"),
            "{text}"
        );
        let parsed = Brief::parse(&dbwise_diagnostics::SourceFile::new(
            "inferred.toml",
            text.clone(),
        ))
        .unwrap();
        assert_eq!(parsed.to_toml(), inferred.brief.to_toml());
    }
}
