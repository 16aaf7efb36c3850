//! The choice for a brief: the ranking, the architecture around the winner, the decision
//! path, the warnings and what would change the answer.

use serde::Serialize;

use crate::assess::{Assessment, ScoreLine, rank, rank_role, round1};
use crate::brief::{Brief, Key, pretty_number};
use crate::criteria::projected_volume;
use crate::kb::{Capability, Engine, KnowledgeBase, Role};
use crate::reason::Reason;
use crate::sensitivity::{Sensitivity, sensitivity};
use crate::tree::{Step, decision_path};
use crate::warnings::{Warning, warnings};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub engine: String,
    pub name: String,
    /// Rounded to one decimal.
    pub score: f64,
    pub cap: String,
    pub pacelc: String,
    pub scaling: String,
    pub licence: String,
    pub reasons: Vec<ScoreLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eliminated {
    pub engine: String,
    pub name: String,
    pub reasons: Vec<Reason>,
}

/// One store in the recommended architecture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub role: Role,
    pub engine: String,
    pub name: String,
    /// How the store is used (e.g. cache-aside with TTL).
    pub usage: String,
    pub why: Vec<Reason>,
}

/// Everything `dbwise choose` concludes for one brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub brief: Option<String>,
    pub warnings: Vec<Warning>,
    pub decision_path: Vec<Step>,
    pub ranking: Vec<Ranked>,
    pub eliminated: Vec<Eliminated>,
    pub architecture: Vec<Member>,
    pub sensitivity: Vec<Sensitivity>,
    /// The dbwise command that carries the choice on, when there is one for the winner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
}

impl Choice {
    pub fn top(&self) -> Option<&str> {
        self.ranking.first().map(|ranked| ranked.engine.as_str())
    }

    /// Every reason in the result, for auditing.
    pub fn reasons(&self) -> Vec<&Reason> {
        let mut all: Vec<&Reason> = Vec::new();
        all.extend(self.warnings.iter().map(|warning| &warning.reason));
        all.extend(self.decision_path.iter().map(|step| &step.because));
        for ranked in &self.ranking {
            all.extend(ranked.reasons.iter().map(|line| &line.reason));
        }
        for eliminated in &self.eliminated {
            all.extend(eliminated.reasons.iter());
        }
        for member in &self.architecture {
            all.extend(member.why.iter());
        }
        all.extend(self.sensitivity.iter().map(|entry| &entry.reason));
        all
    }
}

/// Run the whole selection for a brief.
pub fn choose(brief: &Brief, kb: &KnowledgeBase) -> Choice {
    let assessments = rank(brief, kb);
    let ranking: Vec<Ranked> = assessments
        .iter()
        .filter(|assessment| !assessment.eliminated())
        .map(|assessment| {
            let engine = kb
                .engine(&assessment.engine)
                .expect("assessed engines come from the knowledge base");
            Ranked {
                engine: assessment.engine.clone(),
                name: assessment.name.clone(),
                score: round1(assessment.score),
                cap: format!("{:?}", engine.cap),
                pacelc: engine.pacelc.clone(),
                scaling: engine.scaling.clone(),
                licence: engine.licence.clone(),
                reasons: assessment.lines.clone(),
            }
        })
        .collect();
    let eliminated = assessments
        .iter()
        .filter(|assessment| assessment.eliminated())
        .map(|assessment| Eliminated {
            engine: assessment.engine.clone(),
            name: assessment.name.clone(),
            reasons: assessment.eliminated_by.clone(),
        })
        .collect();
    let architecture = architecture(brief, kb, &assessments);
    let top = ranking.first().map(|ranked| ranked.engine.clone());
    Choice {
        brief: brief.text(Key::Name).map(str::to_string),
        warnings: warnings(brief, kb, &assessments),
        decision_path: decision_path(brief, kb),
        ranking,
        eliminated,
        architecture,
        sensitivity: sensitivity(brief, kb, top.as_deref()),
        next_step: next_step(top.as_deref()),
    }
}

/// `dbwise model` designs the winner's data model for DynamoDB.
fn next_step(top: Option<&str>) -> Option<String> {
    (top == Some("dynamodb")).then(|| {
        "derive the single-table design from your schema and access patterns with `dbwise model dynamodb --schema <schema.sql> --patterns <patterns.toml>`: key templates per entity, indexes, and each pattern's request (docs/model.md)".to_string()
    })
}

/// The primary plus the side stores the brief calls for.
fn architecture(brief: &Brief, kb: &KnowledgeBase, primaries: &[Assessment]) -> Vec<Member> {
    let Some((primary, engine)) = primaries
        .first()
        .filter(|assessment| !assessment.eliminated())
        .and_then(|assessment| Some((assessment, kb.engine(&assessment.engine)?)))
    else {
        return Vec::new();
    };
    let mut members = vec![member(
        Role::Primary,
        engine,
        "system of record".to_string(),
        Vec::new(),
        primaries,
    )];
    let needs = [
        cache_need(brief, engine),
        search_need(brief, engine),
        analytics_need(brief, engine),
        graph_need(brief, engine),
    ];
    for (role, need, usage) in needs.into_iter().flatten() {
        let ranked = rank_role(brief, kb, role, Some(&primary.engine));
        let Some(best) = ranked.first().filter(|assessment| !assessment.eliminated()) else {
            continue;
        };
        let side = kb
            .engine(&best.engine)
            .expect("ranked engines come from the knowledge base");
        members.push(member(role, side, usage, vec![need], &ranked));
    }
    members
}

/// A store in the architecture: why it is needed, its strongest criteria, and its margin
/// over the runner-up for the same role.
fn member(
    role: Role,
    engine: &Engine,
    usage: String,
    mut why: Vec<Reason>,
    ranked: &[Assessment],
) -> Member {
    let best = &ranked[0];
    why.extend(
        best.lines
            .iter()
            .filter(|line| line.rating >= 4.0)
            .take(3)
            .map(|line| line.reason.clone()),
    );
    let margin = match ranked.get(1).filter(|other| !other.eliminated()) {
        Some(other) => format!(
            "{} scores {:.1} as the {} store, ahead of {} at {:.1}.",
            engine.name,
            round1(best.score),
            role.name(),
            other.name,
            round1(other.score)
        ),
        None => format!(
            "{} is the only engine that meets every hard constraint for the {} store.",
            engine.name,
            role.name()
        ),
    };
    why.push(Reason::new(
        margin,
        Vec::new(),
        engine,
        [engine.roles_fact.as_str()],
    ));
    Member {
        role,
        engine: engine.id.clone(),
        name: engine.name.clone(),
        usage,
        why,
    }
}

type Need = Option<(Role, Reason, String)>;

fn cache_need(brief: &Brief, primary: &Engine) -> Need {
    if primary.has_role(Role::Cache) || brief.yes(Key::Embedded) {
        return None;
    }
    let typical = primary.limits.p99_ms.value;
    let target = brief.number(Key::P99LatencyMs);
    let reads = brief.number(Key::ReadsPerSec).unwrap_or(0.0);
    let share = brief.number(Key::KeyLookupShare).unwrap_or(0.0);
    let (text, keys) = if let Some(target) = target.filter(|target| *target < typical) {
        (
            format!(
                "the p99 target of {} ms is below {}'s typical p99 of about {} ms, so hot reads must come from memory.",
                pretty_number(target),
                primary.name,
                pretty_number(typical)
            ),
            vec![Key::P99LatencyMs],
        )
    } else if reads >= 10_000.0 && share >= 0.5 {
        (
            format!(
                "{}% of {} reads/s fetch by key: a cache absorbs the hot keys and keeps the primary's capacity for writes and queries.",
                pretty_number(share * 100.0),
                pretty_number(reads)
            ),
            vec![Key::ReadsPerSec, Key::KeyLookupShare],
        )
    } else {
        return None;
    };
    let usage = if brief.yes(Key::StrongReads) {
        "write-through for the hot key lookups (the primary and the cache are updated together), with a TTL as a safety net; reads that must be linearizable go to the primary"
    } else {
        "cache-aside for the hot key lookups: read the cache, on a miss read the primary and set the key with a TTL plus jitter; delete the key on every write"
    };
    let reason = Reason::new(
        format!("A cache is needed: {text}"),
        keys,
        primary,
        [primary.limits.p99_ms.fact.as_str()],
    );
    Some((Role::Cache, reason, usage.to_string()))
}

fn search_need(brief: &Brief, primary: &Engine) -> Need {
    let rated = primary.rating(Capability::FullText);
    if !brief.yes(Key::FullTextSearch) || rated.score >= 4 {
        return None;
    }
    let reason = Reason::new(
        format!(
            "A search engine is needed: the brief asks for full-text search and {} rates {}/5 on it.",
            primary.name, rated.score
        ),
        vec![Key::FullTextSearch],
        primary,
        [rated.fact.as_str()],
    );
    let usage = "full-text index fed from the primary (change data capture or an outbox); the primary stays the source of truth";
    Some((Role::Search, reason, usage.to_string()))
}

fn analytics_need(brief: &Brief, primary: &Engine) -> Need {
    let rated = primary.rating(Capability::Aggregations);
    if !brief.is(Key::Aggregations, "heavy") || rated.score >= 5 {
        return None;
    }
    let large = projected_volume(brief).filter(|(volume, _)| *volume >= 1000.0);
    let (text, keys) = match (rated.score, large) {
        (score, _) if score <= 2 => (
            format!(
                "the brief asks for heavy aggregations and {} rates {score}/5 on them.",
                primary.name
            ),
            vec![Key::Aggregations],
        ),
        (score, Some((volume, volume_keys))) if brief.yes(Key::MultiRecordTransactions) => {
            let mut keys = vec![Key::Aggregations, Key::MultiRecordTransactions];
            keys.extend(volume_keys);
            (
                format!(
                    "heavy aggregations over about {} GB would compete with transactional work on {} (aggregations {score}/5).",
                    pretty_number(volume),
                    primary.name
                ),
                keys,
            )
        }
        _ => return None,
    };
    let reason = Reason::new(
        format!("An analytics store is needed: {text}"),
        keys,
        primary,
        [rated.fact.as_str()],
    );
    let usage = "columnar copy of the data, loaded from the primary in batches or by change data capture, for reports and ad hoc aggregation";
    Some((Role::Analytics, reason, usage.to_string()))
}

fn graph_need(brief: &Brief, primary: &Engine) -> Need {
    let rated = primary.rating(Capability::Graph);
    let depth = brief.number(Key::GraphTraversalDepth)?;
    if depth < 3.0 || rated.score >= 4 {
        return None;
    }
    let reason = Reason::new(
        format!(
            "A graph store is needed: traversals {} hops deep, and {} rates {}/5 on graph traversal.",
            pretty_number(depth),
            primary.name,
            rated.score
        ),
        vec![Key::GraphTraversalDepth],
        primary,
        [rated.fact.as_str()],
    );
    let usage = "graph projection of the relationships, synchronised from the primary, for multi-hop queries";
    Some((Role::Graph, reason, usage.to_string()))
}
