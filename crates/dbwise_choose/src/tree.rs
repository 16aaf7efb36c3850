//! The playbook's SQL-vs-NoSQL decision tree, walked for a brief.
//!
//! The tree asks six questions in order and takes the first branch that answers yes. dbwise
//! shows every answer and the keys behind it, then says whether the ranking agrees.

use serde::Serialize;

use crate::brief::{Brief, Key, pretty_number};
use crate::criteria::projected_volume;
use crate::kb::{Capability, KnowledgeBase};
use crate::reason::Reason;

/// One question of the tree and the brief's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub question: &'static str,
    /// "yes", "no", or "not stated" (treated as no).
    pub answer: &'static str,
    /// True for the branch the tree takes: the first "yes".
    pub taken: bool,
    pub family: &'static str,
    pub suggests: Vec<&'static str>,
    pub because: Reason,
}

struct Question {
    text: &'static str,
    family: &'static str,
    suggests: &'static [&'static str],
    capability: Capability,
    answer: fn(&Brief) -> Answer,
}

struct Answer {
    yes: Option<bool>,
    keys: Vec<Key>,
    detail: String,
}

const QUESTIONS: &[Question] = &[
    Question {
        text: "Need ACID transactions + complex joins?",
        family: "SQL",
        suggests: &["postgresql", "mysql"],
        capability: Capability::Transactions,
        answer: |brief| {
            all_of(
                brief,
                &[
                    (
                        Key::MultiRecordTransactions,
                        brief.flag(Key::MultiRecordTransactions),
                    ),
                    (
                        Key::Joins,
                        brief.choice(Key::Joins).map(|joins| joins == "complex"),
                    ),
                ],
            )
        },
    },
    Question {
        text: "Need flexible schema + horizontal scaling?",
        family: "NoSQL document",
        suggests: &["mongodb", "dynamodb"],
        capability: Capability::SchemaFlexibility,
        answer: |brief| {
            let flexible = brief.choice(Key::SchemaStability).map(|s| s != "stable");
            combine(
                all_of(brief, &[(Key::SchemaStability, flexible)]),
                scale_out(brief),
            )
        },
    },
    Question {
        text: "Need time-series data + aggregations?",
        family: "Time-series",
        suggests: &["timescaledb", "influxdb"],
        capability: Capability::TimeSeries,
        answer: |brief| {
            let series = any_of(
                brief,
                &[
                    (
                        Key::Shape,
                        brief.choice(Key::Shape).map(|shape| shape == "time-series"),
                    ),
                    (Key::TimeRangeScans, brief.flag(Key::TimeRangeScans)),
                ],
            );
            let aggregates = brief.choice(Key::Aggregations).map(|a| a != "none");
            combine(series, all_of(brief, &[(Key::Aggregations, aggregates)]))
        },
    },
    Question {
        text: "Need key-value store + ultra-fast reads?",
        family: "Cache / key-value",
        suggests: &["redis", "memcached"],
        capability: Capability::KeyLookup,
        answer: |brief| {
            let key_value = any_of(
                brief,
                &[
                    (
                        Key::Shape,
                        brief.choice(Key::Shape).map(|shape| shape == "key-value"),
                    ),
                    (
                        Key::KeyLookupShare,
                        brief.number(Key::KeyLookupShare).map(|share| share >= 0.8),
                    ),
                ],
            );
            let fast = brief.number(Key::P99LatencyMs).map(|ms| ms <= 2.0);
            combine(key_value, all_of(brief, &[(Key::P99LatencyMs, fast)]))
        },
    },
    Question {
        text: "Need graph relationships?",
        family: "Graph",
        suggests: &["neo4j"],
        capability: Capability::Graph,
        answer: |brief| {
            any_of(
                brief,
                &[
                    (
                        Key::Shape,
                        brief.choice(Key::Shape).map(|shape| shape == "graph"),
                    ),
                    (
                        Key::GraphTraversalDepth,
                        brief.number(Key::GraphTraversalDepth).map(|d| d >= 3.0),
                    ),
                ],
            )
        },
    },
    Question {
        text: "Need full-text search?",
        family: "Search engine",
        suggests: &["elasticsearch"],
        capability: Capability::FullText,
        answer: |brief| {
            any_of(
                brief,
                &[
                    (Key::FullTextSearch, brief.flag(Key::FullTextSearch)),
                    (
                        Key::Shape,
                        brief.choice(Key::Shape).map(|shape| shape == "search"),
                    ),
                ],
            )
        },
    },
];

/// Does the brief call for scaling out beyond one primary?
fn scale_out(brief: &Brief) -> Answer {
    let mut keys = Vec::new();
    let mut reasons = Vec::new();
    if let Some(writes) = brief.number(Key::WritesPerSec) {
        keys.push(Key::WritesPerSec);
        if writes >= 10_000.0 {
            reasons.push(format!("{} writes/s", pretty_number(writes)));
        }
    }
    if let Some((volume, volume_keys)) = projected_volume(brief) {
        keys.extend(volume_keys);
        if volume >= 5_000.0 {
            reasons.push(format!("{} GB projected", pretty_number(volume)));
        }
    }
    if let Some(multi) = brief.flag(Key::MultiRegionWrites) {
        keys.push(Key::MultiRegionWrites);
        if multi {
            reasons.push("writes in several regions".to_string());
        }
    }
    let detail = if keys.is_empty() {
        "the brief does not say".to_string()
    } else if reasons.is_empty() {
        "no stated load needs more than one primary".to_string()
    } else {
        format!("scale-out needed for {}", reasons.join(", "))
    };
    Answer {
        yes: (!keys.is_empty()).then_some(!reasons.is_empty()),
        keys,
        detail,
    }
}

/// Yes when every stated condition holds; not stated when none is stated.
fn all_of(brief: &Brief, conditions: &[(Key, Option<bool>)]) -> Answer {
    conditions_answer(brief, conditions, true)
}

/// Yes when any stated condition holds; not stated when none is stated.
fn any_of(brief: &Brief, conditions: &[(Key, Option<bool>)]) -> Answer {
    conditions_answer(brief, conditions, false)
}

fn conditions_answer(brief: &Brief, conditions: &[(Key, Option<bool>)], all: bool) -> Answer {
    let stated: Vec<(Key, bool)> = conditions
        .iter()
        .filter_map(|(key, holds)| holds.map(|holds| (*key, holds)))
        .collect();
    if stated.is_empty() {
        return Answer {
            yes: None,
            keys: Vec::new(),
            detail: "the brief does not say".to_string(),
        };
    }
    let yes = if all {
        stated.len() == conditions.len() && stated.iter().all(|(_, holds)| *holds)
    } else {
        stated.iter().any(|(_, holds)| *holds)
    };
    let detail = stated
        .iter()
        .map(|(key, _)| {
            let value = brief.get(*key).map(ToString::to_string).unwrap_or_default();
            format!("{key} = {value}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    Answer {
        yes: Some(yes),
        keys: stated.into_iter().map(|(key, _)| key).collect(),
        detail,
    }
}

/// Both parts must hold.
fn combine(first: Answer, second: Answer) -> Answer {
    let yes = match (first.yes, second.yes) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(false) && b.unwrap_or(false)),
    };
    let details: Vec<String> = [&first, &second]
        .into_iter()
        .filter(|answer| answer.yes.is_some())
        .map(|answer| answer.detail.clone())
        .collect();
    let mut keys = Vec::new();
    for answer in [&first, &second] {
        keys.extend(answer.keys.iter().copied());
    }
    Answer {
        yes,
        keys,
        detail: if details.is_empty() {
            "the brief does not say".to_string()
        } else {
            details.join("; ")
        },
    }
}

/// Walk the tree for a brief.
pub fn decision_path(brief: &Brief, kb: &KnowledgeBase) -> Vec<Step> {
    let mut taken = false;
    QUESTIONS
        .iter()
        .map(|question| {
            let answer = (question.answer)(brief);
            let yes = answer.yes == Some(true);
            let this_taken = yes && !taken;
            taken |= yes;
            let word = match answer.yes {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not stated",
            };
            let text = format!(
                "{} {word} ({}) → {}: {}",
                question.text,
                answer.detail,
                question.family,
                question.suggests.join(", ")
            );
            let mut because = Reason::from_brief(text, answer.keys);
            for id in question.suggests {
                if let Some(engine) = kb.engine(id) {
                    because.cite(engine, [engine.rating(question.capability).fact.as_str()]);
                }
            }
            Step {
                question: question.text,
                answer: word,
                taken: this_taken,
                family: question.family,
                suggests: question.suggests.to_vec(),
                because,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use dbwise_diagnostics::SourceFile;

    use super::*;

    fn path(text: &str) -> Vec<Step> {
        let kb = KnowledgeBase::embedded().unwrap();
        decision_path(
            &Brief::parse(&SourceFile::new("b.toml", text)).unwrap(),
            &kb,
        )
    }

    #[test]
    fn the_first_yes_is_the_branch_taken() {
        let steps = path(
            "[consistency]\nmulti_record_transactions = true\n[queries]\njoins = \"complex\"\nfull_text_search = true\n",
        );
        let answers: Vec<&str> = steps.iter().map(|step| step.answer).collect();
        assert_eq!(
            answers,
            [
                "yes",
                "not stated",
                "not stated",
                "not stated",
                "not stated",
                "yes"
            ]
        );
        assert!(steps[0].taken);
        assert!(!steps[5].taken, "only the first yes is taken");
        assert_eq!(
            steps[0].because.brief_keys,
            [Key::MultiRecordTransactions, Key::Joins]
        );
        assert_eq!(
            steps[0].because.facts.len(),
            2,
            "one fact each for postgresql and mysql"
        );
    }

    #[test]
    fn both_halves_of_a_compound_question_must_hold() {
        let steps =
            path("[data]\nschema_stability = \"unpredictable\"\n[traffic]\nwrites_per_sec = 500\n");
        assert_eq!(steps[1].answer, "no");
        let steps = path(
            "[data]\nschema_stability = \"unpredictable\"\n[traffic]\nwrites_per_sec = 50000\n",
        );
        assert_eq!(steps[1].answer, "yes");
        assert!(steps[1].taken);
        assert_eq!(
            steps[1].because.brief_keys,
            [Key::SchemaStability, Key::WritesPerSec]
        );
    }

    #[test]
    fn ultra_fast_key_value_reads_point_at_the_caches() {
        let steps = path("[data]\nshape = \"key-value\"\n[traffic]\np99_latency_ms = 1\n");
        assert_eq!(steps[3].answer, "yes");
        assert_eq!(steps[3].suggests, ["redis", "memcached"]);
    }
}
