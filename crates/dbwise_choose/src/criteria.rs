//! Hard constraints and weighted criteria: how a brief's requirements meet an engine's facts.

use crate::brief::{Brief, Key, pretty_number};
use crate::kb::{Cap, Capability, Engine, Limit, Role};
use crate::reason::Reason;

/// Months of growth the volume criterion plans for.
pub const PLANNING_MONTHS: f64 = 24.0;

/// Load at or below this share of an engine's planning figure scores full marks.
const COMFORTABLE_LOAD: f64 = 0.5;
/// Load at this multiple of the planning figure scores zero.
const SATURATED_LOAD: f64 = 2.0;
/// Load beyond this multiple of the planning figure eliminates the engine.
const IMPOSSIBLE_LOAD: f64 = 3.0;

/// One thing a brief can care about when engines are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Criterion {
    Shape,
    Transactions,
    StrongReads,
    Joins,
    Relationships,
    AdHoc,
    Aggregations,
    FullText,
    Geospatial,
    Graph,
    TimeSeries,
    SchemaFlexibility,
    KeyLookup,
    WriteLoad,
    ReadLoad,
    Volume,
    Latency,
    MultiRegion,
    MultiRegionWrites,
    Partition,
    Managed,
    Simplicity,
    Cost,
    SqlSkills,
    Versatility,
}

impl Criterion {
    pub const ALL: [Criterion; 25] = [
        Criterion::Shape,
        Criterion::Transactions,
        Criterion::StrongReads,
        Criterion::Joins,
        Criterion::Relationships,
        Criterion::AdHoc,
        Criterion::Aggregations,
        Criterion::FullText,
        Criterion::Geospatial,
        Criterion::Graph,
        Criterion::TimeSeries,
        Criterion::SchemaFlexibility,
        Criterion::KeyLookup,
        Criterion::WriteLoad,
        Criterion::ReadLoad,
        Criterion::Volume,
        Criterion::Latency,
        Criterion::MultiRegion,
        Criterion::MultiRegionWrites,
        Criterion::Partition,
        Criterion::Managed,
        Criterion::Simplicity,
        Criterion::Cost,
        Criterion::SqlSkills,
        Criterion::Versatility,
    ];

    /// The criteria that matter when picking an engine for `role`.
    pub fn for_role(role: Role) -> &'static [Criterion] {
        use Criterion::*;
        match role {
            Role::Primary => &Criterion::ALL,
            Role::Cache => &[
                KeyLookup,
                ReadLoad,
                Latency,
                Managed,
                Simplicity,
                Cost,
                Versatility,
            ],
            Role::Search => &[FullText, Geospatial, Volume, Managed, Simplicity, Cost],
            Role::Analytics => &[
                Aggregations,
                AdHoc,
                TimeSeries,
                Volume,
                Managed,
                Simplicity,
                Cost,
                SqlSkills,
            ],
            Role::Graph => &[Graph, Managed, Simplicity, Cost],
        }
    }

    pub fn name(self) -> &'static str {
        use Criterion::*;
        match self {
            Shape => "data-shape",
            Transactions => "transactions",
            StrongReads => "strong-reads",
            Joins => "joins",
            Relationships => "relationships",
            AdHoc => "ad-hoc-queries",
            Aggregations => "aggregations",
            FullText => "full-text-search",
            Geospatial => "geospatial",
            Graph => "graph-traversal",
            TimeSeries => "time-range-scans",
            SchemaFlexibility => "schema-flexibility",
            KeyLookup => "key-lookups",
            WriteLoad => "write-throughput",
            ReadLoad => "read-throughput",
            Volume => "data-volume",
            Latency => "latency",
            MultiRegion => "multi-region",
            MultiRegionWrites => "multi-region-writes",
            Partition => "partition-behaviour",
            Managed => "managed-service",
            Simplicity => "operational-simplicity",
            Cost => "cost",
            SqlSkills => "sql-skills",
            Versatility => "versatility",
        }
    }

    /// How much the brief cares about this criterion, and which keys say so.
    /// `None` when the brief does not ask for it.
    pub fn demand(self, brief: &Brief) -> Option<Demand> {
        use Criterion::*;
        let demand = |weight: f64, keys: Vec<Key>, wants: String| {
            (weight > 0.0).then_some(Demand {
                weight,
                keys,
                wants,
            })
        };
        match self {
            Shape => brief
                .choice(Key::Shape)
                .and_then(|shape| demand(5.0, vec![Key::Shape], format!("{shape} data"))),
            Transactions => flag_demand(
                brief,
                Key::MultiRecordTransactions,
                4.0,
                "ACID transactions across records",
            ),
            StrongReads => flag_demand(brief, Key::StrongReads, 3.0, "strongly consistent reads"),
            Joins => match brief.choice(Key::Joins)? {
                "simple" => demand(2.0, vec![Key::Joins], "simple joins".to_string()),
                "complex" => demand(4.0, vec![Key::Joins], "complex joins".to_string()),
                _ => None,
            },
            Relationships => match brief.choice(Key::Relationships)? {
                "few" => demand(
                    1.0,
                    vec![Key::Relationships],
                    "a few enforced relationships".to_string(),
                ),
                "many" => demand(
                    2.0,
                    vec![Key::Relationships],
                    "many enforced relationships".to_string(),
                ),
                _ => None,
            },
            AdHoc => flag_demand(brief, Key::AdHoc, 3.0, "ad hoc queries"),
            Aggregations => match brief.choice(Key::Aggregations)? {
                "light" => demand(
                    1.0,
                    vec![Key::Aggregations],
                    "light aggregations".to_string(),
                ),
                "heavy" => demand(
                    3.0,
                    vec![Key::Aggregations],
                    "heavy aggregations".to_string(),
                ),
                _ => None,
            },
            FullText => flag_demand(brief, Key::FullTextSearch, 2.0, "full-text search"),
            Geospatial => flag_demand(brief, Key::Geospatial, 2.0, "geospatial queries"),
            Graph => {
                let depth = brief.number(Key::GraphTraversalDepth)?;
                let weight = if depth >= 3.0 {
                    4.0
                } else {
                    depth.min(2.0) * 0.5
                };
                demand(
                    weight,
                    vec![Key::GraphTraversalDepth],
                    format!("graph traversals {} hops deep", pretty_number(depth)),
                )
            }
            TimeSeries => flag_demand(brief, Key::TimeRangeScans, 3.0, "time-range scans"),
            SchemaFlexibility => match brief.choice(Key::SchemaStability)? {
                "evolving" => demand(
                    1.5,
                    vec![Key::SchemaStability],
                    "an evolving schema".to_string(),
                ),
                "unpredictable" => demand(
                    3.0,
                    vec![Key::SchemaStability],
                    "an unpredictable schema".to_string(),
                ),
                _ => None,
            },
            KeyLookup => {
                let share = brief.number(Key::KeyLookupShare)?;
                demand(
                    4.0 * share,
                    vec![Key::KeyLookupShare],
                    format!("{}% of reads by primary key", pretty_number(share * 100.0)),
                )
            }
            WriteLoad => {
                let writes = brief.number(Key::WritesPerSec)?;
                let mut keys = vec![Key::WritesPerSec];
                let wants = match append_only(brief) {
                    Some(append_keys) => {
                        keys.extend(append_keys);
                        format!("{} appends/s of time-stamped data", pretty_number(writes))
                    }
                    None => format!("{} writes/s", pretty_number(writes)),
                };
                demand(3.0, keys, wants)
            }
            ReadLoad => {
                let reads = brief.number(Key::ReadsPerSec)?;
                demand(
                    2.0,
                    vec![Key::ReadsPerSec],
                    format!("{} reads/s", pretty_number(reads)),
                )
            }
            Volume => {
                let (projected, keys) = projected_volume(brief)?;
                demand(
                    2.0,
                    keys,
                    format!(
                        "{} GB within {PLANNING_MONTHS} months",
                        pretty_number(projected)
                    ),
                )
            }
            Latency => {
                let target = brief.number(Key::P99LatencyMs)?;
                let weight = if target <= 10.0 { 3.0 } else { 1.0 };
                demand(
                    weight,
                    vec![Key::P99LatencyMs],
                    format!("p99 of {} ms", pretty_number(target)),
                )
            }
            MultiRegion => flag_demand(brief, Key::MultiRegion, 3.0, "serving several regions"),
            MultiRegionWrites => flag_demand(
                brief,
                Key::MultiRegionWrites,
                5.0,
                "writes in several regions",
            ),
            Partition => brief
                .choice(Key::PreferDuringPartition)
                .and_then(|preference| {
                    demand(
                        2.0,
                        vec![Key::PreferDuringPartition],
                        format!("{preference} during a partition"),
                    )
                }),
            Managed => flag_demand(brief, Key::Managed, 2.0, "a managed service"),
            Simplicity => {
                let mut weight = 0.0;
                let mut keys = Vec::new();
                if brief.flag(Key::Managed) == Some(false) {
                    weight += 2.0;
                    keys.push(Key::Managed);
                }
                if brief.is(Key::TeamSqlExperience, "low") {
                    weight += 2.0;
                    keys.push(Key::TeamSqlExperience);
                }
                if let Some(small) = tiny_workload(brief) {
                    weight += 3.0;
                    keys.extend(small);
                }
                demand(weight, keys, "little to operate".to_string())
            }
            Cost => match brief.choice(Key::Budget)? {
                "low" => demand(3.0, vec![Key::Budget], "a low budget".to_string()),
                "medium" => demand(1.0, vec![Key::Budget], "a medium budget".to_string()),
                _ => None,
            },
            SqlSkills => match brief.choice(Key::TeamSqlExperience)? {
                "high" => demand(
                    2.0,
                    vec![Key::TeamSqlExperience],
                    "a team fluent in SQL".to_string(),
                ),
                "medium" => demand(
                    1.0,
                    vec![Key::TeamSqlExperience],
                    "a team that knows SQL".to_string(),
                ),
                _ => None,
            },
            Versatility => demand(
                1.0,
                Vec::new(),
                "room for requirements not yet written down".to_string(),
            ),
        }
    }

    /// How well `engine` meets this criterion, 0 to 5, and the facts behind the rating.
    pub fn rate(self, engine: &Engine, brief: &Brief) -> Rating {
        use Criterion::*;
        let capability = |capability: Capability| Rating::from_capability(engine, capability);
        match self {
            Shape => {
                let shape = brief.choice(Key::Shape).unwrap_or("relational");
                let rated = engine.shape(shape);
                Rating {
                    score: f64::from(rated.score),
                    facts: vec![rated.fact.clone()],
                    note: format!("fit for {shape} data {}/5", rated.score),
                }
            }
            Transactions => capability(Capability::Transactions),
            StrongReads => capability(Capability::StrongReads),
            Joins => capability(Capability::Joins),
            Relationships => capability(Capability::ReferentialIntegrity),
            AdHoc => capability(Capability::AdHoc),
            Aggregations => capability(Capability::Aggregations),
            FullText => capability(Capability::FullText),
            Geospatial => capability(Capability::Geospatial),
            Graph => capability(Capability::Graph),
            TimeSeries => capability(Capability::TimeSeries),
            SchemaFlexibility => capability(Capability::SchemaFlexibility),
            KeyLookup => capability(Capability::KeyLookup),
            WriteLoad => load_rating(
                brief.number(Key::WritesPerSec),
                engine.write_limit(append_only(brief).is_some()),
                "writes/s",
            ),
            ReadLoad => load_rating(
                brief.number(Key::ReadsPerSec),
                &engine.limits.reads_per_sec,
                "reads/s",
            ),
            Volume => load_rating(
                projected_volume(brief).map(|(v, _)| v),
                &engine.limits.volume_gb,
                "GB",
            ),
            Latency => {
                let limit = &engine.limits.p99_ms;
                let target = brief.number(Key::P99LatencyMs).unwrap_or(limit.value);
                let score = (5.0 * target / limit.value).min(5.0);
                Rating {
                    score,
                    facts: vec![limit.fact.clone()],
                    note: format!("typical p99 about {} ms", pretty_number(limit.value)),
                }
            }
            MultiRegion => capability(Capability::MultiRegion),
            MultiRegionWrites => capability(Capability::MultiRegionWrites),
            Partition => {
                let wants_availability = brief.is(Key::PreferDuringPartition, "availability");
                let score = match (engine.cap, wants_availability) {
                    (Cap::AP, true) | (Cap::CP, false) => 5.0,
                    (Cap::AP, false) => 2.0,
                    (Cap::CP, true) => 1.0,
                };
                let class = match engine.cap {
                    Cap::AP => "AP",
                    Cap::CP => "CP",
                };
                Rating {
                    score,
                    facts: vec![engine.consistency_fact.clone()],
                    note: format!("{class} by default, PACELC {}", engine.pacelc),
                }
            }
            Managed => capability(Capability::ManagedService),
            Simplicity => capability(Capability::Simplicity),
            Cost => capability(Capability::Cost),
            SqlSkills => capability(Capability::Sql),
            Versatility => capability(Capability::Versatility),
        }
    }
}

fn flag_demand(brief: &Brief, key: Key, weight: f64, wants: &str) -> Option<Demand> {
    brief.yes(key).then(|| Demand {
        weight,
        keys: vec![key],
        wants: wants.to_string(),
    })
}

/// What the brief asks for on one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub weight: f64,
    pub keys: Vec<Key>,
    pub wants: String,
}

/// An engine's rating on one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    pub score: f64,
    pub facts: Vec<String>,
    pub note: String,
}

impl Rating {
    fn from_capability(engine: &Engine, capability: Capability) -> Rating {
        let rated = engine.rating(capability);
        Rating {
            score: f64::from(rated.score),
            facts: vec![rated.fact.clone()],
            note: format!("{capability} {}/5", rated.score),
        }
    }
}

/// Rate a demand against a planning figure: full marks up to half of it, zero at twice it.
fn load_rating(demand: Option<f64>, limit: &Limit, unit: &str) -> Rating {
    let load = demand.unwrap_or(0.0) / limit.value;
    let score = if load <= COMFORTABLE_LOAD {
        5.0
    } else {
        (5.0 * (SATURATED_LOAD - load) / (SATURATED_LOAD - COMFORTABLE_LOAD)).max(0.0)
    };
    Rating {
        score,
        facts: vec![limit.fact.clone()],
        note: format!(
            "plans for about {} {unit}; this is {} of it",
            pretty_number(limit.value),
            percent(load)
        ),
    }
}

fn percent(share: f64) -> String {
    let rounded = (share * 100.0).round();
    if share > 0.0 && rounded < 1.0 {
        "under 1%".to_string()
    } else {
        format!("{}%", pretty_number(rounded))
    }
}

/// Volume now plus the stated growth over the planning horizon, and the keys used.
pub fn projected_volume(brief: &Brief) -> Option<(f64, Vec<Key>)> {
    let volume = brief.number(Key::VolumeGb);
    let growth = brief.number(Key::GrowthGbPerMonth);
    if volume.is_none() && growth.is_none() {
        return None;
    }
    let keys = [(Key::VolumeGb, volume), (Key::GrowthGbPerMonth, growth)]
        .into_iter()
        .filter(|(_, value)| value.is_some())
        .map(|(key, _)| key)
        .collect();
    Some((
        volume.unwrap_or(0.0) + growth.unwrap_or(0.0) * PLANNING_MONTHS,
        keys,
    ))
}

/// The keys that show the writes are appends of time-stamped data (time-series shape or
/// time-range scans), for engines that ingest those in batches much faster.
pub fn append_only(brief: &Brief) -> Option<Vec<Key>> {
    if brief.is(Key::Shape, "time-series") {
        Some(vec![Key::Shape])
    } else if brief.yes(Key::TimeRangeScans) {
        Some(vec![Key::TimeRangeScans])
    } else {
        None
    }
}

/// The keys that show a small, single-site workload, when every stated number is small.
pub fn tiny_workload(brief: &Brief) -> Option<Vec<Key>> {
    let limits = [
        (Key::VolumeGb, 10.0),
        (Key::ReadsPerSec, 200.0),
        (Key::WritesPerSec, 50.0),
    ];
    let mut keys = Vec::new();
    for (key, limit) in limits {
        let value = brief.number(key)?;
        if value > limit {
            return None;
        }
        keys.push(key);
    }
    if brief.yes(Key::MultiRegion) {
        return None;
    }
    Some(keys)
}

/// Why an engine cannot play `role` for this brief; empty when it can.
pub fn constraints(engine: &Engine, brief: &Brief, role: Role) -> Vec<Reason> {
    let mut out = Vec::new();
    let mut fail = |text: String, keys: Vec<Key>, fact: &str| {
        out.push(Reason::new(text, keys, engine, [fact]))
    };
    if !engine.has_role(role) {
        let roles: Vec<&str> = engine.roles.iter().map(|role| role.name()).collect();
        fail(
            format!(
                "{} cannot be the {} store; it serves as: {}.",
                engine.name,
                role.name(),
                roles.join(", ")
            ),
            Vec::new(),
            &engine.roles_fact,
        );
    }
    if brief.yes(Key::Embedded) && !engine.embeddable {
        fail(
            format!(
                "{} runs as a separate server; the brief needs a database inside the application.",
                engine.name
            ),
            vec![Key::Embedded],
            &engine.deployment_fact,
        );
    }
    cloud_constraint(engine, brief, &mut fail);
    if let (Some(size), Some(limit)) = (brief.number(Key::ItemSizeKb), &engine.limits.max_item_kb)
        && size > limit.value
    {
        fail(
            format!(
                "items of {} KB exceed {}'s limit of {} KB per item.",
                pretty_number(size),
                engine.name,
                pretty_number(limit.value)
            ),
            vec![Key::ItemSizeKb],
            &limit.fact,
        );
    }
    if role != Role::Primary {
        return out;
    }
    let capability_floor = [
        (
            Key::MultiRecordTransactions,
            Capability::Transactions,
            2,
            "multi-record ACID transactions",
        ),
        (
            Key::MultiRegionWrites,
            Capability::MultiRegionWrites,
            2,
            "writes accepted in several regions",
        ),
        (
            Key::MultiRegion,
            Capability::MultiRegion,
            1,
            "replication across regions",
        ),
        (
            Key::StrongReads,
            Capability::StrongReads,
            2,
            "strongly consistent reads",
        ),
    ];
    for (key, capability, floor, what) in capability_floor {
        let rated = engine.rating(capability);
        if brief.yes(key) && rated.score < floor {
            fail(
                format!("{} does not offer {what}.", engine.name),
                vec![key],
                &rated.fact,
            );
        }
    }
    if brief.yes(Key::StrongReads) && brief.yes(Key::MultiRegionWrites) && engine.cap == Cap::AP {
        fail(
            format!(
                "{} accepts writes in several regions by reconciling them afterwards (AP, PACELC {}), so reads cannot also be strongly consistent.",
                engine.name, engine.pacelc
            ),
            vec![Key::StrongReads, Key::MultiRegionWrites],
            &engine.consistency_fact,
        );
    }
    let loads = [
        (
            brief.number(Key::WritesPerSec),
            engine.write_limit(append_only(brief).is_some()),
            "writes/s",
            vec![Key::WritesPerSec],
        ),
        (
            brief.number(Key::ReadsPerSec),
            &engine.limits.reads_per_sec,
            "reads/s",
            vec![Key::ReadsPerSec],
        ),
    ];
    let volume = projected_volume(brief);
    let loads = loads.into_iter().chain(
        volume.map(|(projected, keys)| (Some(projected), &engine.limits.volume_gb, "GB", keys)),
    );
    for (demand, limit, unit, keys) in loads {
        if let Some(demand) = demand
            && demand > IMPOSSIBLE_LOAD * limit.value
        {
            fail(
                format!(
                    "{} {unit} is more than {IMPOSSIBLE_LOAD}× what {} handles (about {} {unit}).",
                    pretty_number(demand),
                    engine.name,
                    pretty_number(limit.value)
                ),
                keys,
                &limit.fact,
            );
        }
    }
    out
}

fn cloud_constraint(engine: &Engine, brief: &Brief, fail: &mut impl FnMut(String, Vec<Key>, &str)) {
    if brief.yes(Key::Embedded) {
        return;
    }
    let managed = brief.yes(Key::Managed);
    match brief.choice(Key::Cloud) {
        Some("on-prem") if !engine.self_hosted => fail(
            format!("{} cannot run on your own servers.", engine.name),
            vec![Key::Cloud],
            &engine.deployment_fact,
        ),
        Some(cloud @ ("aws" | "gcp" | "azure")) => {
            let offered = engine.managed_clouds.iter().any(|c| c == cloud);
            if managed && !offered {
                fail(
                    format!("{} has no managed offering on {cloud}.", engine.name),
                    vec![Key::Cloud, Key::Managed],
                    &engine.deployment_fact,
                );
            } else if !offered && !engine.self_hosted {
                fail(
                    format!("{} is not available on {cloud}.", engine.name),
                    vec![Key::Cloud],
                    &engine.deployment_fact,
                );
            }
        }
        Some("on-prem") => {}
        _ if managed && engine.managed_clouds.is_empty() => fail(
            format!("{} has no managed service on any major cloud.", engine.name),
            vec![Key::Managed],
            &engine.deployment_fact,
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use dbwise_diagnostics::SourceFile;

    use super::*;
    use crate::kb::KnowledgeBase;

    fn brief(text: &str) -> Brief {
        Brief::parse(&SourceFile::new("brief.toml", text)).unwrap()
    }

    fn eliminated(text: &str, engine: &str, role: Role) -> Vec<Reason> {
        let kb = KnowledgeBase::embedded().unwrap();
        constraints(kb.engine(engine).unwrap(), &brief(text), role)
    }

    #[test]
    fn an_item_limit_is_hard_at_its_exact_value() {
        assert!(eliminated("[data]\nitem_size_kb = 400\n", "dynamodb", Role::Primary).is_empty());
        let reasons = eliminated("[data]\nitem_size_kb = 401\n", "dynamodb", Role::Primary);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons[0].brief_keys, [Key::ItemSizeKb]);
        assert_eq!(reasons[0].facts[0].fact, "item-size");
    }

    #[test]
    fn load_beyond_three_times_the_planning_figure_eliminates() {
        assert!(
            eliminated(
                "[traffic]\nwrites_per_sec = 1500\n",
                "sqlite",
                Role::Primary
            )
            .is_empty()
        );
        let reasons = eliminated(
            "[traffic]\nwrites_per_sec = 1501\n",
            "sqlite",
            Role::Primary,
        );
        assert_eq!(reasons[0].brief_keys, [Key::WritesPerSec]);
        assert!(
            reasons[0].text.contains("more than 3×"),
            "{}",
            reasons[0].text
        );
    }

    #[test]
    fn the_rating_falls_from_half_to_twice_the_planning_figure() {
        let kb = KnowledgeBase::embedded().unwrap();
        let sqlite = kb.engine("sqlite").unwrap();
        let rate = |writes: f64| {
            let text = format!("[traffic]\nwrites_per_sec = {writes}\n");
            Criterion::WriteLoad.rate(sqlite, &brief(&text)).score
        };
        assert_eq!(rate(250.0), 5.0);
        assert!((rate(625.0) - 2.5).abs() < 1e-9, "{}", rate(625.0));
        assert_eq!(rate(1000.0), 0.0);
        assert_eq!(rate(1400.0), 0.0);
    }

    #[test]
    fn clouds_and_deployment_models_eliminate_where_they_must() {
        let on_gcp = "[operations]\ncloud = \"gcp\"\nmanaged = true\n";
        assert_eq!(
            eliminated(on_gcp, "dynamodb", Role::Primary)[0].brief_keys,
            [Key::Cloud, Key::Managed]
        );
        assert!(eliminated(on_gcp, "postgresql", Role::Primary).is_empty());
        let on_prem = "[operations]\ncloud = \"on-prem\"\n";
        assert_eq!(
            eliminated(on_prem, "dynamodb", Role::Primary)[0].brief_keys,
            [Key::Cloud]
        );
        assert!(eliminated(on_prem, "cassandra", Role::Primary).is_empty());
        let azure_cache = "[operations]\ncloud = \"azure\"\nmanaged = true\n";
        assert!(!eliminated(azure_cache, "memcached", Role::Cache).is_empty());
        assert!(eliminated(azure_cache, "redis", Role::Cache).is_empty());
        let embedded = "[operations]\nembedded = true\n";
        assert!(eliminated(embedded, "sqlite", Role::Primary).is_empty());
        assert_eq!(
            eliminated(embedded, "postgresql", Role::Primary)[0].brief_keys,
            [Key::Embedded]
        );
    }

    #[test]
    fn requirements_a_model_cannot_meet_eliminate_with_the_fact() {
        let transactions = "[consistency]\nmulti_record_transactions = true\n";
        let reasons = eliminated(transactions, "cassandra", Role::Primary);
        assert_eq!(reasons[0].facts[0].fact, "lightweight-transactions");
        assert!(
            eliminated(transactions, "dynamodb", Role::Primary).is_empty(),
            "100-item transactions count"
        );
        let active_active = "[availability]\nmulti_region_writes = true\n";
        assert!(!eliminated(active_active, "postgresql", Role::Primary).is_empty());
        assert!(eliminated(active_active, "cockroachdb", Role::Primary).is_empty());
        let reasons = eliminated("", "memcached", Role::Primary);
        assert!(
            reasons[0].text.contains("it serves as: cache"),
            "{}",
            reasons[0].text
        );
    }

    #[test]
    fn strong_reads_with_writes_in_several_regions_rule_out_ap_engines() {
        let both = "[consistency]\nstrong_reads = true\n[availability]\nmulti_region = true\nmulti_region_writes = true\n";
        for engine in ["cassandra", "dynamodb", "cosmosdb"] {
            let reasons = eliminated(both, engine, Role::Primary);
            assert_eq!(reasons.len(), 1, "{engine}: {reasons:?}");
            assert_eq!(
                reasons[0].brief_keys,
                [Key::StrongReads, Key::MultiRegionWrites]
            );
        }
        assert!(eliminated(both, "cockroachdb", Role::Primary).is_empty());
        assert!(eliminated(both, "spanner", Role::Primary).is_empty());
    }

    #[test]
    fn time_series_briefs_use_the_batched_ingest_figure() {
        let kb = KnowledgeBase::embedded().unwrap();
        let timescale = kb.engine("timescaledb").unwrap();
        let oltp = brief("[traffic]\nwrites_per_sec = 60000\n");
        let series = brief("[data]\nshape = \"time-series\"\n[traffic]\nwrites_per_sec = 60000\n");
        assert_eq!(Criterion::WriteLoad.rate(timescale, &oltp).score, 0.0);
        assert!(Criterion::WriteLoad.rate(timescale, &series).score > 4.0);
        let demand = Criterion::WriteLoad.demand(&series).unwrap();
        assert_eq!(demand.keys, [Key::WritesPerSec, Key::Shape]);
    }

    #[test]
    fn an_unstated_requirement_adds_no_weight() {
        let empty = brief("");
        let asked: Vec<Criterion> = Criterion::ALL
            .into_iter()
            .filter(|criterion| criterion.demand(&empty).is_some())
            .collect();
        assert_eq!(asked, [Criterion::Versatility]);
    }
}
