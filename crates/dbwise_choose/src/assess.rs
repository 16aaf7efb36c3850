//! Scoring engines against a brief: each engine's assessment in a role (the constraints it
//! fails and the weighted score, line by line) and the ranking of all of them.

use serde::Serialize;

use crate::brief::Brief;
use crate::criteria::{Criterion, constraints};
use crate::kb::{Engine, KnowledgeBase, Role};
use crate::reason::Reason;

/// One criterion's contribution to an engine's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreLine {
    pub criterion: &'static str,
    pub weight: f64,
    /// The engine's rating on this criterion, 0 to 5.
    pub rating: f64,
    /// Points out of 100 this line adds to the score.
    pub points: f64,
    /// Points out of 100 this line could have added at a rating of 5.
    pub possible: f64,
    #[serde(flatten)]
    pub reason: Reason,
}

/// The full trace for one engine in one role: constraints it fails and the weighted score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub engine: String,
    pub name: String,
    pub role: Role,
    /// 0 to 100: the weighted share of the best possible rating.
    pub score: f64,
    pub eliminated_by: Vec<Reason>,
    pub lines: Vec<ScoreLine>,
}

impl Assessment {
    pub fn eliminated(&self) -> bool {
        !self.eliminated_by.is_empty()
    }
}

/// Score `engine` for `role`, recording every constraint it fails.
pub fn assess(engine: &Engine, brief: &Brief, role: Role) -> Assessment {
    let demands: Vec<_> = Criterion::for_role(role)
        .iter()
        .filter_map(|criterion| criterion.demand(brief).map(|demand| (*criterion, demand)))
        .collect();
    let total: f64 = demands.iter().map(|(_, demand)| demand.weight).sum();
    let mut score = 0.0;
    let mut lines: Vec<ScoreLine> = demands
        .into_iter()
        .map(|(criterion, demand)| {
            let rating = criterion.rate(engine, brief);
            let possible = 100.0 * demand.weight / total;
            let points = possible * rating.score / 5.0;
            score += points;
            let text = format!(
                "{} wants {}: {} ({}).",
                criterion.name(),
                demand.wants,
                engine.name,
                rating.note
            );
            ScoreLine {
                criterion: criterion.name(),
                weight: round2(demand.weight),
                rating: round2(rating.score),
                points: round2(points),
                possible: round2(possible),
                reason: Reason::new(
                    text,
                    demand.keys,
                    engine,
                    rating.facts.iter().map(String::as_str),
                ),
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        b.possible
            .total_cmp(&a.possible)
            .then(a.criterion.cmp(b.criterion))
    });
    Assessment {
        engine: engine.id.clone(),
        name: engine.name.clone(),
        role,
        score,
        eliminated_by: constraints(engine, brief, role),
        lines,
    }
}

/// Every engine assessed as the primary store, survivors best first, then the eliminated.
pub fn rank(brief: &Brief, kb: &KnowledgeBase) -> Vec<Assessment> {
    rank_role(brief, kb, Role::Primary, None)
}

pub(crate) fn rank_role(
    brief: &Brief,
    kb: &KnowledgeBase,
    role: Role,
    except: Option<&str>,
) -> Vec<Assessment> {
    let mut all: Vec<Assessment> = kb
        .engines()
        .iter()
        .filter(|engine| Some(engine.id.as_str()) != except)
        .filter(|engine| role == Role::Primary || engine.has_role(role))
        .map(|engine| assess(engine, brief, role))
        .collect();
    all.sort_by(|a, b| {
        a.eliminated()
            .cmp(&b.eliminated())
            .then(sort_score(b.score).cmp(&sort_score(a.score)))
            .then(a.engine.cmp(&b.engine))
    });
    all
}

/// The id of the best surviving primary, if any engine survives.
pub fn top_choice(brief: &Brief, kb: &KnowledgeBase) -> Option<String> {
    rank(brief, kb)
        .into_iter()
        .find(|assessment| !assessment.eliminated())
        .map(|assessment| assessment.engine)
}

/// Scores compared at a resolution of 0.001, so float noise never decides a tie; real ties
/// fall back to the engine id.
fn sort_score(score: f64) -> i64 {
    (score * 1000.0).round() as i64
}

pub(crate) fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
