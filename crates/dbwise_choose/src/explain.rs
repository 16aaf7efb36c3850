//! `--explain ENGINE`: the full trace of one engine for one brief.

use serde::Serialize;

use crate::assess::{Assessment, rank, round1};
use crate::brief::Brief;
use crate::kb::KnowledgeBase;

/// Where an engine gains or loses against the top choice on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub criterion: &'static str,
    pub points: f64,
    pub leader_points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub engine: String,
    pub name: String,
    pub family: String,
    pub cap: String,
    pub pacelc: String,
    pub scaling: String,
    pub licence: String,
    /// 1-based rank among the engines that meet every hard constraint; `None` when eliminated.
    pub rank: Option<usize>,
    /// How many engines meet every hard constraint.
    pub survivors: usize,
    pub score: f64,
    pub leader: Option<String>,
    pub leader_score: Option<f64>,
    pub assessment: Assessment,
    /// Criteria where this engine scores differently from the top choice, largest loss first.
    pub against_leader: Vec<Gap>,
}

/// Explain one engine's place for this brief; `None` when the id is not in the knowledge base.
pub fn explain(brief: &Brief, kb: &KnowledgeBase, id: &str) -> Option<Explanation> {
    let engine = kb.engine(id)?;
    let ranked = rank(brief, kb);
    let survivors: Vec<&Assessment> = ranked.iter().filter(|a| !a.eliminated()).collect();
    let assessment = ranked.iter().find(|a| a.engine == id)?.clone();
    let leader = survivors.first().filter(|leader| leader.engine != id);
    let mut against_leader: Vec<Gap> = match leader {
        Some(leader) => assessment
            .lines
            .iter()
            .filter_map(|line| {
                let theirs = leader
                    .lines
                    .iter()
                    .find(|other| other.criterion == line.criterion)?;
                (theirs.points != line.points).then_some(Gap {
                    criterion: line.criterion,
                    points: line.points,
                    leader_points: theirs.points,
                })
            })
            .collect(),
        None => Vec::new(),
    };
    against_leader.sort_by(|a, b| {
        (a.points - a.leader_points)
            .total_cmp(&(b.points - b.leader_points))
            .then(a.criterion.cmp(b.criterion))
    });
    Some(Explanation {
        engine: engine.id.clone(),
        name: engine.name.clone(),
        family: engine.family.clone(),
        cap: format!("{:?}", engine.cap),
        pacelc: engine.pacelc.clone(),
        scaling: engine.scaling.clone(),
        licence: engine.licence.clone(),
        rank: survivors
            .iter()
            .position(|a| a.engine == id)
            .map(|index| index + 1),
        survivors: survivors.len(),
        score: round1(assessment.score),
        leader: leader.map(|leader| leader.engine.clone()),
        leader_score: leader.map(|leader| round1(leader.score)),
        assessment,
        against_leader,
    })
}
