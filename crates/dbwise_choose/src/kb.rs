//! The engine knowledge base: one TOML file per engine under `kb/`, embedded in the binary.
//!
//! Every rating, limit and property points at a fact, and every fact carries the claim in our
//! words plus the public page it comes from, so each conclusion can be traced to a source.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// The knowledge-base files compiled into the binary, by engine id.
const FILES: &[(&str, &str)] = &[
    ("cassandra", include_str!("../kb/cassandra.toml")),
    ("clickhouse", include_str!("../kb/clickhouse.toml")),
    ("cockroachdb", include_str!("../kb/cockroachdb.toml")),
    ("cosmosdb", include_str!("../kb/cosmosdb.toml")),
    ("duckdb", include_str!("../kb/duckdb.toml")),
    ("dynamodb", include_str!("../kb/dynamodb.toml")),
    ("elasticsearch", include_str!("../kb/elasticsearch.toml")),
    ("influxdb", include_str!("../kb/influxdb.toml")),
    ("memcached", include_str!("../kb/memcached.toml")),
    ("mongodb", include_str!("../kb/mongodb.toml")),
    ("mysql", include_str!("../kb/mysql.toml")),
    ("neo4j", include_str!("../kb/neo4j.toml")),
    ("postgresql", include_str!("../kb/postgresql.toml")),
    ("redis", include_str!("../kb/redis.toml")),
    ("spanner", include_str!("../kb/spanner.toml")),
    ("sqlite", include_str!("../kb/sqlite.toml")),
    ("timescaledb", include_str!("../kb/timescaledb.toml")),
];

/// What an engine offers on one criterion, rated 0 (not at all) to 5 (best in class).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    Transactions,
    StrongReads,
    Joins,
    AdHoc,
    Aggregations,
    FullText,
    Geospatial,
    Graph,
    TimeSeries,
    SchemaFlexibility,
    ReferentialIntegrity,
    KeyLookup,
    MultiRegion,
    MultiRegionWrites,
    ManagedService,
    Simplicity,
    Cost,
    Sql,
    Versatility,
}

impl Capability {
    pub const ALL: [Capability; 19] = [
        Capability::Transactions,
        Capability::StrongReads,
        Capability::Joins,
        Capability::AdHoc,
        Capability::Aggregations,
        Capability::FullText,
        Capability::Geospatial,
        Capability::Graph,
        Capability::TimeSeries,
        Capability::SchemaFlexibility,
        Capability::ReferentialIntegrity,
        Capability::KeyLookup,
        Capability::MultiRegion,
        Capability::MultiRegionWrites,
        Capability::ManagedService,
        Capability::Simplicity,
        Capability::Cost,
        Capability::Sql,
        Capability::Versatility,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Capability::Transactions => "transactions",
            Capability::StrongReads => "strong_reads",
            Capability::Joins => "joins",
            Capability::AdHoc => "ad_hoc",
            Capability::Aggregations => "aggregations",
            Capability::FullText => "full_text",
            Capability::Geospatial => "geospatial",
            Capability::Graph => "graph",
            Capability::TimeSeries => "time_series",
            Capability::SchemaFlexibility => "schema_flexibility",
            Capability::ReferentialIntegrity => "referential_integrity",
            Capability::KeyLookup => "key_lookup",
            Capability::MultiRegion => "multi_region",
            Capability::MultiRegionWrites => "multi_region_writes",
            Capability::ManagedService => "managed_service",
            Capability::Simplicity => "simplicity",
            Capability::Cost => "cost",
            Capability::Sql => "sql",
            Capability::Versatility => "versatility",
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The parts an engine can play in an architecture.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The system of record.
    Primary,
    /// An in-memory copy of hot reads in front of the primary.
    Cache,
    /// A full-text index fed from the primary.
    Search,
    /// A columnar store for heavy aggregations, fed from the primary.
    Analytics,
    /// A graph store for deep traversals, fed from the primary.
    Graph,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Cache => "cache",
            Role::Search => "search",
            Role::Analytics => "analytics",
            Role::Graph => "graph",
        }
    }
}

/// The behaviour an engine defaults to when the network partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Cap {
    /// Stays consistent, refuses some requests.
    CP,
    /// Stays available, may serve stale or conflicting data.
    AP,
}

/// A claim about an engine and the public page it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub claim: String,
    pub source: String,
}

/// A rating and the fact behind it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rated {
    pub score: u8,
    pub fact: String,
}

/// A number (a hard limit or a planning figure) and the fact behind it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub value: f64,
    pub fact: String,
}

/// What a limit counts, for reading its figure in a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Operations or rows per second: a plain number, possibly with thousand/million/billion.
    PerSecond,
    /// GB, also written in TB or PB (decimal, as storage is sold).
    Gigabytes,
    /// KB, also written in MB or GB (binary, as the engines' item limits are), or in bytes.
    Kilobytes,
    /// Milliseconds, written with `ms` or `millisecond`.
    Milliseconds,
}

/// Whether `claim` states `value` in `unit`: `20,000 writes/s`, `1 million reads/s`, `10 TB`,
/// `16 MB`, `1,000,000,000 bytes`, `a p99 of 5 ms`.
fn states(claim: &str, value: f64, unit: Unit) -> bool {
    let words: Vec<&str> = claim
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, word)| {
        let number = match word.trim_end_matches(['.', ',', ':']).replace(',', "") {
            n if n == "a" => 1.0,
            n => match n.parse::<f64>() {
                Ok(n) => n,
                Err(_) => return false,
            },
        };
        let next = words
            .get(i + 1)
            .map(|w| w.trim_end_matches(['.', ',', ':']).to_ascii_lowercase())
            .unwrap_or_default();
        let scale = match (unit, next.as_str()) {
            (Unit::PerSecond, "thousand") => 1e3,
            (Unit::PerSecond, "million") => 1e6,
            (Unit::PerSecond, "billion") => 1e9,
            (Unit::PerSecond, w)
                if *word != "a"
                    && ![
                        "pb", "tb", "gb", "mb", "mib", "kb", "kib", "bytes", "ms", "%",
                    ]
                    .contains(&w) =>
            {
                1.0
            }
            // Only counts take `a` for one: "under a millisecond" states no figure.
            _ if *word == "a" => return false,
            (Unit::Gigabytes, "gb") => 1.0,
            (Unit::Gigabytes, "tb") => 1e3,
            (Unit::Gigabytes, "pb") => 1e6,
            (Unit::Kilobytes, "kb" | "kib") => 1.0,
            (Unit::Kilobytes, "mb" | "mib") => 1024.0,
            (Unit::Kilobytes, "gb" | "gib") => 1024.0 * 1024.0,
            (Unit::Kilobytes, "bytes") => 1.0 / 1024.0,
            (Unit::Milliseconds, w) if w == "ms" || w.starts_with("millisecond") => 1.0,
            _ => return false,
        };
        ((number * scale).floor() - value).abs() < 1e-6 || (number * scale - value).abs() < 1e-6
    })
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Sustained writes per second the engine's scaling model handles comfortably (planning figure).
    pub writes_per_sec: Limit,
    /// Batched appends of time-stamped rows per second, when the engine ingests those much
    /// faster than ordinary writes (planning figure; used for time-series briefs).
    pub append_only_writes_per_sec: Option<Limit>,
    /// Sustained reads per second, replicas included (planning figure).
    pub reads_per_sec: Limit,
    /// Data volume the engine's scaling model handles comfortably, in GB (planning figure).
    pub volume_gb: Limit,
    /// Typical p99 latency of a key lookup inside one region, in milliseconds.
    pub p99_ms: Limit,
    /// Largest single item / document / row, in KB (hard limit).
    pub max_item_kb: Option<Limit>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engine {
    pub id: String,
    pub name: String,
    /// The family the playbook's decision tree names (relational, document, ...).
    pub family: String,
    pub roles: Vec<Role>,
    /// The fact behind `roles` (for instance, why an engine is not a system of record).
    pub roles_fact: String,
    pub licence: String,
    pub cap: Cap,
    pub pacelc: String,
    /// The fact behind `cap` and `pacelc`.
    pub consistency_fact: String,
    /// How the engine grows: single primary, sharding, partitioning, ...
    pub scaling: String,
    pub scaling_fact: String,
    /// Runs inside the application process (a library), not as a server.
    pub embeddable: bool,
    /// Can run on servers you operate.
    pub self_hosted: bool,
    /// Clouds with a managed offering of this engine.
    pub managed_clouds: Vec<String>,
    /// The fact behind `embeddable`, `self_hosted` and `managed_clouds`.
    pub deployment_fact: String,
    /// The fact behind `licence`.
    pub licence_fact: String,
    pub ratings: BTreeMap<Capability, Rated>,
    /// Fit for each data shape of the brief.
    pub shapes: BTreeMap<String, Rated>,
    pub limits: Limits,
    pub facts: BTreeMap<String, Fact>,
}

impl Engine {
    pub fn rating(&self, capability: Capability) -> &Rated {
        &self.ratings[&capability]
    }

    pub fn shape(&self, shape: &str) -> &Rated {
        &self.shapes[shape]
    }

    /// The write figure that applies: batched appends for time-series data, else ordinary writes.
    pub fn write_limit(&self, append_only: bool) -> &Limit {
        match (&self.limits.append_only_writes_per_sec, append_only) {
            (Some(limit), true) => limit,
            _ => &self.limits.writes_per_sec,
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.get(id)
    }

    /// Every fact id the engine's ratings, limits and properties point at.
    fn referenced_facts(&self) -> Vec<(&'static str, &str)> {
        let mut refs = vec![
            ("roles_fact", self.roles_fact.as_str()),
            ("consistency_fact", self.consistency_fact.as_str()),
            ("scaling_fact", self.scaling_fact.as_str()),
            ("deployment_fact", self.deployment_fact.as_str()),
            ("licence_fact", self.licence_fact.as_str()),
        ];
        refs.extend(
            self.limits
                .each()
                .into_iter()
                .map(|(place, limit, _)| (place, limit.fact.as_str())),
        );
        refs.extend(
            self.ratings
                .values()
                .map(|rated| ("ratings", rated.fact.as_str())),
        );
        refs.extend(
            self.shapes
                .values()
                .map(|rated| ("shapes", rated.fact.as_str())),
        );
        refs
    }
}

impl Limits {
    /// Every limit with its place in the file and what it counts.
    fn each(&self) -> Vec<(&'static str, &Limit, Unit)> {
        let mut out = vec![
            (
                "limits.writes_per_sec",
                &self.writes_per_sec,
                Unit::PerSecond,
            ),
            ("limits.reads_per_sec", &self.reads_per_sec, Unit::PerSecond),
            ("limits.volume_gb", &self.volume_gb, Unit::Gigabytes),
            ("limits.p99_ms", &self.p99_ms, Unit::Milliseconds),
        ];
        if let Some(limit) = &self.append_only_writes_per_sec {
            out.push(("limits.append_only_writes_per_sec", limit, Unit::PerSecond));
        }
        if let Some(limit) = &self.max_item_kb {
            out.push(("limits.max_item_kb", limit, Unit::Kilobytes));
        }
        out
    }
}

/// A problem in a knowledge-base file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("knowledge base kb/{file}.toml: {message}")]
pub struct KbError {
    pub file: String,
    pub message: String,
}

/// All engines, sorted by id.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    engines: Vec<Engine>,
}

impl KnowledgeBase {
    /// The knowledge base compiled into this binary.
    pub fn embedded() -> Result<KnowledgeBase, KbError> {
        KnowledgeBase::from_files(
            FILES
                .iter()
                .map(|(id, text)| (id.to_string(), text.to_string())),
        )
    }

    /// Build a knowledge base from `(file stem, TOML text)` pairs, checking every reference.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<KnowledgeBase, KbError> {
        let mut engines = Vec::new();
        for (stem, text) in files {
            let fail = |message: String| KbError {
                file: stem.clone(),
                message,
            };
            let engine: Engine = toml::from_str(&text).map_err(|error| fail(error.to_string()))?;
            validate(&stem, &engine).map_err(fail)?;
            engines.push(engine);
        }
        engines.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(KnowledgeBase { engines })
    }

    pub fn engines(&self) -> &[Engine] {
        &self.engines
    }

    pub fn engine(&self, id: &str) -> Option<&Engine> {
        self.engines.iter().find(|engine| engine.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.engines
            .iter()
            .map(|engine| engine.id.as_str())
            .collect()
    }
}

fn validate(stem: &str, engine: &Engine) -> Result<(), String> {
    if engine.id != stem {
        return Err(format!("id `{}` does not match the file name", engine.id));
    }
    if let Some(missing) = Capability::ALL
        .iter()
        .find(|capability| !engine.ratings.contains_key(capability))
    {
        return Err(format!("[ratings] has no `{missing}`"));
    }
    for shape in crate::brief::SHAPES {
        if !engine.shapes.contains_key(*shape) {
            return Err(format!("[shapes] has no `{shape}`"));
        }
    }
    if let Some(extra) = engine
        .shapes
        .keys()
        .find(|shape| !crate::brief::SHAPES.contains(&shape.as_str()))
    {
        return Err(format!("[shapes] has unknown shape `{extra}`"));
    }
    let scores = engine.ratings.iter().map(|(c, r)| (c.name(), r.score));
    if let Some((name, score)) = scores
        .chain(engine.shapes.iter().map(|(s, r)| (s.as_str(), r.score)))
        .find(|(_, score)| *score > 5)
    {
        return Err(format!(
            "rating `{name}` is {score}; ratings run from 0 to 5"
        ));
    }
    for cloud in &engine.managed_clouds {
        if !["aws", "gcp", "azure"].contains(&cloud.as_str()) {
            return Err(format!(
                "managed_clouds has `{cloud}`; allowed: aws, gcp, azure"
            ));
        }
    }
    if engine.roles.is_empty() {
        return Err("roles is empty".to_string());
    }
    for (place, id) in engine.referenced_facts() {
        if !engine.facts.contains_key(id) {
            return Err(format!(
                "{place} refers to fact `{id}`, which [facts] does not define"
            ));
        }
    }
    for (id, fact) in &engine.facts {
        if !fact.source.starts_with("https://") {
            return Err(format!(
                "fact `{id}` has source `{}`; sources must be https URLs",
                fact.source
            ));
        }
        if fact.claim.trim().is_empty() {
            return Err(format!("fact `{id}` has an empty claim"));
        }
    }
    for (place, limit, unit) in engine.limits.each() {
        let claim = &engine.facts[&limit.fact].claim;
        if !states(claim, limit.value, unit) {
            return Err(format!(
                "{place} is {} but fact `{}` does not state it; cite a fact whose claim gives the figure",
                limit.value, limit.fact
            ));
        }
        if unit != Unit::Kilobytes
            && unit != Unit::Milliseconds
            && !claim.contains("planning figure")
        {
            return Err(format!(
                "{place} cites fact `{}`, which does not mark its figure \"(planning figure)\" with the reasoning behind it",
                limit.fact
            ));
        }
    }
    let used: Vec<&str> = engine
        .referenced_facts()
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    if let Some(unused) = engine.facts.keys().find(|id| !used.contains(&id.as_str())) {
        return Err(format!(
            "fact `{unused}` is defined but nothing refers to it"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_knowledge_base_is_complete_and_consistent() {
        let kb = KnowledgeBase::embedded().unwrap();
        for id in [
            "postgresql",
            "mysql",
            "sqlite",
            "mongodb",
            "dynamodb",
            "cassandra",
            "redis",
            "memcached",
            "timescaledb",
            "influxdb",
            "clickhouse",
            "neo4j",
            "elasticsearch",
            "cockroachdb",
        ] {
            assert!(kb.engine(id).is_some(), "{id} is missing");
        }
        assert_eq!(kb.ids().len(), FILES.len());
    }

    #[test]
    fn documented_hard_limits_are_recorded() {
        let kb = KnowledgeBase::embedded().unwrap();
        let item = |id: &str| {
            kb.engine(id)
                .unwrap()
                .limits
                .max_item_kb
                .as_ref()
                .unwrap()
                .value
        };
        assert_eq!(item("dynamodb"), 400.0);
        assert_eq!(item("mongodb"), 16.0 * 1024.0);
        assert_eq!(item("memcached"), 1024.0);
    }

    #[test]
    fn a_dangling_fact_reference_is_rejected() {
        let text = FILES.iter().find(|(id, _)| *id == "sqlite").unwrap().1;
        let broken = text.replacen("fact = \"", "fact = \"no-such-", 1);
        let error = KnowledgeBase::from_files([("sqlite".to_string(), broken)]).unwrap_err();
        assert!(error.message.contains("no-such-"), "{error}");
    }

    #[test]
    fn figures_are_read_in_claims_with_their_units() {
        assert!(states(
            "about 20,000 sustained small writes/s",
            20_000.0,
            Unit::PerSecond
        ));
        assert!(states("1 million reads/s and 1 PB", 1e6, Unit::PerSecond));
        assert!(states("a million rows/s", 1e6, Unit::PerSecond));
        assert!(states("1 million reads/s and 1 PB", 1e6, Unit::Gigabytes));
        assert!(states(
            "about 10 TB before sharding",
            10_000.0,
            Unit::Gigabytes
        ));
        assert!(states("at most 16 MB; larger", 16_384.0, Unit::Kilobytes));
        assert!(states("10 MiB.", 10_240.0, Unit::Kilobytes));
        assert!(states(
            "1,000,000,000 bytes by default",
            976_562.0,
            Unit::Kilobytes
        ));
        assert!(states(
            "a p99 of 5 ms (planning figure)",
            5.0,
            Unit::Milliseconds
        ));
        assert!(states(
            "under 10 ms at the 99th percentile",
            10.0,
            Unit::Milliseconds
        ));
        assert!(!states("well under a millisecond", 1.0, Unit::Milliseconds));
        assert!(!states(
            "single-digit milliseconds",
            5.0,
            Unit::Milliseconds
        ));
        assert!(!states(
            "hundreds of thousands of points/s",
            500_000.0,
            Unit::PerSecond
        ));
        assert!(!states("about 10 TB", 10.0, Unit::PerSecond));
    }

    #[test]
    fn a_figure_its_fact_does_not_state_is_rejected() {
        let text = FILES.iter().find(|(id, _)| *id == "postgresql").unwrap().1;
        let broken = text.replacen(
            "writes_per_sec = { value = 20000,",
            "writes_per_sec = { value = 25000,",
            1,
        );
        let error = KnowledgeBase::from_files([("postgresql".to_string(), broken)]).unwrap_err();
        assert!(
            error.message.contains(
                "limits.writes_per_sec is 25000 but fact `single-primary` does not state it"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_planning_figure_must_say_so() {
        let text = FILES.iter().find(|(id, _)| *id == "postgresql").unwrap().1;
        let broken = text.replacen("(planning figure, not a vendor limit)", "", 1);
        let error = KnowledgeBase::from_files([("postgresql".to_string(), broken)]).unwrap_err();
        assert!(error.message.contains("(planning figure)"), "{error}");
    }

    #[test]
    fn a_missing_rating_is_rejected() {
        let text = FILES.iter().find(|(id, _)| *id == "sqlite").unwrap().1;
        let broken: String = text
            .lines()
            .filter(|line| !line.starts_with("geospatial ="))
            .map(|line| format!("{line}\n"))
            .collect();
        let error = KnowledgeBase::from_files([("sqlite".to_string(), broken)]).unwrap_err();
        assert!(error.message.contains("geospatial"), "{error}");
    }
}
