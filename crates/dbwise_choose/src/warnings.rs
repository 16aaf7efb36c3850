//! Requirements that contradict each other, and briefs no engine can satisfy.
//!
//! dbwise never resolves a contradiction silently: it still ranks engines, and says which
//! requirement pulls against which, and what the ranking assumed.

use std::collections::BTreeMap;

use dbwise_diagnostics::{Category, Finding, Severity};
use serde::Serialize;

use crate::assess::Assessment;
use crate::brief::{Brief, Key, pretty_number};
use crate::kb::KnowledgeBase;
use crate::reason::Reason;

pub const CONTRADICTION: &str = "contradictory-requirements";
pub const NO_ENGINE: &str = "no-engine-fits";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub rule: &'static str,
    pub severity: Severity,
    #[serde(flatten)]
    pub reason: Reason,
    /// What to change in the brief.
    pub help: String,
}

impl Warning {
    /// The shared finding shape, located at the first brief key the warning rests on.
    pub fn to_finding(&self, brief: &Brief) -> Finding {
        let mut finding = Finding::new(
            self.rule,
            Category::Design,
            self.severity,
            self.reason.text.clone(),
        )
        .help(self.help.clone());
        let located = self
            .reason
            .brief_keys
            .iter()
            .find_map(|key| Some((brief.source()?, brief.span(*key)?)));
        if let Some((file, span)) = located {
            finding = finding.at(file, span);
        }
        finding
    }
}

fn contradiction(text: String, keys: Vec<Key>, help: &str) -> Warning {
    Warning {
        rule: CONTRADICTION,
        severity: Severity::Warning,
        reason: Reason::from_brief(text, keys),
        help: help.to_string(),
    }
}

pub fn warnings(brief: &Brief, kb: &KnowledgeBase, primaries: &[Assessment]) -> Vec<Warning> {
    let mut out = Vec::new();
    if brief.yes(Key::StrongReads) && brief.is(Key::PreferDuringPartition, "availability") {
        out.push(contradiction(
            "strongly consistent reads and availability during a network partition cannot both hold (CAP): a partitioned replica must either refuse the read or risk serving stale data. The ranking scores both, so neither AP nor CP engines get full marks.".to_string(),
            vec![Key::StrongReads, Key::PreferDuringPartition],
            "decide which one the application needs while a partition lasts, and set the other key accordingly",
        ));
    }
    if brief.yes(Key::MultiRegionWrites) && brief.flag(Key::MultiRegion) == Some(false) {
        out.push(contradiction(
            "writes in several regions need the data in several regions, but multi_region is false. The ranking honours multi_region_writes.".to_string(),
            vec![Key::MultiRegionWrites, Key::MultiRegion],
            "set availability.multi_region = true, or drop multi_region_writes",
        ));
    }
    if brief.yes(Key::Embedded) {
        let conflicting: Vec<Key> = [Key::MultiRegion, Key::MultiRegionWrites, Key::Managed]
            .into_iter()
            .filter(|key| brief.yes(*key))
            .collect();
        if !conflicting.is_empty() {
            let names: Vec<String> = conflicting.iter().map(|key| key.path()).collect();
            let mut keys = vec![Key::Embedded];
            keys.extend(conflicting);
            out.push(contradiction(
                format!(
                    "a database embedded in the application runs on each device, so it cannot also be {}. The ranking honours embedded = true.",
                    names.join(" or ")
                ),
                keys,
                "if devices sync to a server, write a second brief for the server side",
            ));
        }
    }
    if brief.yes(Key::StrongReads)
        && brief.yes(Key::MultiRegionWrites)
        && let Some(target) = brief.number(Key::P99LatencyMs).filter(|ms| *ms < 50.0)
    {
        let mut reason = Reason::from_brief(
            format!(
                "a strongly consistent write accepted in several regions must reach a quorum across regions, which costs at least one cross-region round trip (often 50-150 ms); a p99 of {} ms is only reachable for writes whose rows live in the writer's home region.",
                pretty_number(target)
            ),
            vec![Key::StrongReads, Key::MultiRegionWrites, Key::P99LatencyMs],
        );
        if let Some(engine) = kb.engine("cockroachdb") {
            reason.cite(engine, ["multi-region"]);
        }
        out.push(Warning {
            rule: CONTRADICTION,
            severity: Severity::Warning,
            reason,
            help: "relax the latency target for cross-region writes, or home each row in the region that writes it".to_string(),
        });
    }
    if brief.is(Key::Shape, "key-value") && brief.is(Key::Joins, "complex") {
        out.push(contradiction(
            "key-value data has no relationships to join on, yet the brief asks for complex joins.".to_string(),
            vec![Key::Shape, Key::Joins],
            "if entities reference each other, the data is relational or document-shaped; change data.shape",
        ));
    }
    if brief.is(Key::Relationships, "none") {
        let keys: Vec<Key> = [Key::Joins, Key::GraphTraversalDepth]
            .into_iter()
            .filter(|key| match key {
                Key::Joins => brief.choice(*key).is_some_and(|joins| joins != "none"),
                _ => brief.number(*key).is_some_and(|depth| depth > 0.0),
            })
            .collect();
        if !keys.is_empty() {
            let mut all = vec![Key::Relationships];
            all.extend(keys);
            out.push(contradiction(
                "the brief says there are no relationships, yet asks for joins or traversals across them.".to_string(),
                all,
                "set data.relationships to few or many",
            ));
        }
    }
    if brief.is(Key::Cloud, "on-prem") && brief.yes(Key::Managed) {
        out.push(contradiction(
            "a managed service runs in a provider's cloud, not on your own servers. The ranking requires engines you can run yourself.".to_string(),
            vec![Key::Cloud, Key::Managed],
            "set operations.managed = false, or name the cloud",
        ));
    }
    if !primaries.is_empty() && primaries.iter().all(Assessment::eliminated) {
        out.push(no_engine(primaries));
    }
    out
}

/// Every engine is eliminated: say which requirement, dropped, would bring most back.
fn no_engine(primaries: &[Assessment]) -> Warning {
    let mut revived: BTreeMap<Key, Vec<&str>> = BTreeMap::new();
    let mut blamed: Vec<Key> = Vec::new();
    for assessment in primaries {
        let reasons = &assessment.eliminated_by;
        let mut keys: Vec<Key> = reasons
            .iter()
            .flat_map(|reason| reason.brief_keys.iter().copied())
            .collect();
        keys.sort();
        keys.dedup();
        blamed.extend(keys.iter().copied());
        let fixable = reasons.iter().all(|reason| !reason.brief_keys.is_empty());
        if let ([only], true) = (&keys[..], fixable) {
            revived.entry(*only).or_default().push(&assessment.engine);
        }
    }
    blamed.sort();
    blamed.dedup();
    let mut options: Vec<(Key, Vec<&str>)> = revived.into_iter().collect();
    options.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let keys: Vec<Key> = if options.is_empty() {
        blamed
    } else {
        options.iter().map(|(key, _)| *key).collect()
    };
    let relax = options
        .iter()
        .map(|(key, engines)| format!("dropping {key} brings back {}", engines.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    let text = if relax.is_empty() {
        "no engine meets every hard constraint, and no single requirement is to blame.".to_string()
    } else {
        format!("no engine meets every hard constraint: {relax}.")
    };
    Warning {
        rule: NO_ENGINE,
        severity: Severity::Error,
        reason: Reason::from_brief(text, keys),
        help: "relax one of the requirements above; `--explain ENGINE` shows each engine's eliminations".to_string(),
    }
}
