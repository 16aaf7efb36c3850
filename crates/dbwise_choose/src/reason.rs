//! A reason: one sentence, the brief keys it rests on and the knowledge-base facts it cites.

use serde::Serialize;

use crate::brief::Key;
use crate::kb::Engine;

impl Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path())
    }
}

/// A knowledge-base fact, quoted where it is cited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactRef {
    pub engine: String,
    pub fact: String,
    pub claim: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub text: String,
    pub brief_keys: Vec<Key>,
    pub facts: Vec<FactRef>,
}

impl Reason {
    /// A reason citing facts of one engine. Fact ids come from the validated knowledge base;
    /// an id the engine does not define is left out rather than cited wrongly.
    pub fn new<'a>(
        text: String,
        brief_keys: Vec<Key>,
        engine: &Engine,
        facts: impl IntoIterator<Item = &'a str>,
    ) -> Reason {
        let mut reason = Reason {
            text,
            brief_keys,
            facts: Vec::new(),
        };
        reason.cite(engine, facts);
        reason
    }

    /// A reason that rests on brief keys only.
    pub fn from_brief(text: String, brief_keys: Vec<Key>) -> Reason {
        Reason {
            text,
            brief_keys,
            facts: Vec::new(),
        }
    }

    pub fn cite<'a>(&mut self, engine: &Engine, facts: impl IntoIterator<Item = &'a str>) {
        for id in facts {
            let Some(fact) = engine.fact(id) else {
                continue;
            };
            let cited = FactRef {
                engine: engine.id.clone(),
                fact: id.to_string(),
                claim: fact.claim.clone(),
                source: fact.source.clone(),
            };
            if !self.facts.contains(&cited) {
                self.facts.push(cited);
            }
        }
    }
}
