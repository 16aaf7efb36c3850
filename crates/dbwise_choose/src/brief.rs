//! The design brief: what the application needs from its data store.
//!
//! A brief is a small TOML file; every key is optional. [`Brief::parse`] checks every key and
//! value and reports all problems at once, each with the file, line, key and allowed values.

use std::collections::BTreeMap;
use std::fmt;

use dbwise_diagnostics::{SourceFile, Span};
use toml::Spanned;

/// Every key a brief may contain. The order here is the order of `docs/brief.md` and of the
/// TOML that [`Brief::to_toml`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Name,
    Shape,
    Relationships,
    SchemaStability,
    VolumeGb,
    GrowthGbPerMonth,
    ItemSizeKb,
    MultiRecordTransactions,
    StrongReads,
    Joins,
    AdHoc,
    Aggregations,
    FullTextSearch,
    Geospatial,
    GraphTraversalDepth,
    TimeRangeScans,
    KeyLookupShare,
    ReadsPerSec,
    WritesPerSec,
    P99LatencyMs,
    MultiRegion,
    MultiRegionWrites,
    PreferDuringPartition,
    Cloud,
    Managed,
    Embedded,
    TeamSqlExperience,
    Budget,
}

/// What values a key accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Bool,
    Choice(&'static [&'static str]),
    /// A number in `[min, max]`; `integer` rejects fractions.
    Number {
        min: f64,
        max: f64,
        integer: bool,
    },
}

pub const SHAPES: &[&str] = &[
    "relational",
    "document",
    "key-value",
    "time-series",
    "graph",
    "wide-column",
    "search",
];
const AMOUNTS: &[&str] = &["none", "few", "many"];
const STABILITY: &[&str] = &["stable", "evolving", "unpredictable"];
const JOINS: &[&str] = &["none", "simple", "complex"];
const AGGREGATIONS: &[&str] = &["none", "light", "heavy"];
const PARTITION: &[&str] = &["consistency", "availability"];
pub const CLOUDS: &[&str] = &["aws", "gcp", "azure", "any", "on-prem"];
const LEVELS: &[&str] = &["low", "medium", "high"];

const COUNT: Kind = Kind::Number {
    min: 0.0,
    max: f64::MAX,
    integer: false,
};

impl Key {
    pub const ALL: [Key; 28] = [
        Key::Name,
        Key::Shape,
        Key::Relationships,
        Key::SchemaStability,
        Key::VolumeGb,
        Key::GrowthGbPerMonth,
        Key::ItemSizeKb,
        Key::MultiRecordTransactions,
        Key::StrongReads,
        Key::Joins,
        Key::AdHoc,
        Key::Aggregations,
        Key::FullTextSearch,
        Key::Geospatial,
        Key::GraphTraversalDepth,
        Key::TimeRangeScans,
        Key::KeyLookupShare,
        Key::ReadsPerSec,
        Key::WritesPerSec,
        Key::P99LatencyMs,
        Key::MultiRegion,
        Key::MultiRegionWrites,
        Key::PreferDuringPartition,
        Key::Cloud,
        Key::Managed,
        Key::Embedded,
        Key::TeamSqlExperience,
        Key::Budget,
    ];

    /// The table the key lives in (`None` for top-level keys).
    pub fn section(self) -> Option<&'static str> {
        use Key::*;
        match self {
            Name => None,
            Shape | Relationships | SchemaStability | VolumeGb | GrowthGbPerMonth | ItemSizeKb => {
                Some("data")
            }
            MultiRecordTransactions | StrongReads => Some("consistency"),
            Joins | AdHoc | Aggregations | FullTextSearch | Geospatial | GraphTraversalDepth
            | TimeRangeScans | KeyLookupShare => Some("queries"),
            ReadsPerSec | WritesPerSec | P99LatencyMs => Some("traffic"),
            MultiRegion | MultiRegionWrites | PreferDuringPartition => Some("availability"),
            Cloud | Managed | Embedded | TeamSqlExperience | Budget => Some("operations"),
        }
    }

    /// The key's name inside its table.
    pub fn name(self) -> &'static str {
        use Key::*;
        match self {
            Name => "name",
            Shape => "shape",
            Relationships => "relationships",
            SchemaStability => "schema_stability",
            VolumeGb => "volume_gb",
            GrowthGbPerMonth => "growth_gb_per_month",
            ItemSizeKb => "item_size_kb",
            MultiRecordTransactions => "multi_record_transactions",
            StrongReads => "strong_reads",
            Joins => "joins",
            AdHoc => "ad_hoc",
            Aggregations => "aggregations",
            FullTextSearch => "full_text_search",
            Geospatial => "geospatial",
            GraphTraversalDepth => "graph_traversal_depth",
            TimeRangeScans => "time_range_scans",
            KeyLookupShare => "key_lookup_share",
            ReadsPerSec => "reads_per_sec",
            WritesPerSec => "writes_per_sec",
            P99LatencyMs => "p99_latency_ms",
            MultiRegion => "multi_region",
            MultiRegionWrites => "multi_region_writes",
            PreferDuringPartition => "prefer_during_partition",
            Cloud => "cloud",
            Managed => "managed",
            Embedded => "embedded",
            TeamSqlExperience => "team_sql_experience",
            Budget => "budget",
        }
    }

    /// The dotted path, e.g. `traffic.writes_per_sec`.
    pub fn path(self) -> String {
        match self.section() {
            Some(section) => format!("{section}.{}", self.name()),
            None => self.name().to_string(),
        }
    }

    pub fn kind(self) -> Kind {
        use Key::*;
        match self {
            Name => Kind::Text,
            Shape => Kind::Choice(SHAPES),
            Relationships => Kind::Choice(AMOUNTS),
            SchemaStability => Kind::Choice(STABILITY),
            Joins => Kind::Choice(JOINS),
            Aggregations => Kind::Choice(AGGREGATIONS),
            PreferDuringPartition => Kind::Choice(PARTITION),
            Cloud => Kind::Choice(CLOUDS),
            TeamSqlExperience | Budget => Kind::Choice(LEVELS),
            MultiRecordTransactions
            | StrongReads
            | AdHoc
            | FullTextSearch
            | Geospatial
            | TimeRangeScans
            | MultiRegion
            | MultiRegionWrites
            | Managed
            | Embedded => Kind::Bool,
            VolumeGb | GrowthGbPerMonth | ItemSizeKb | ReadsPerSec | WritesPerSec => COUNT,
            P99LatencyMs => Kind::Number {
                min: 0.001,
                max: f64::MAX,
                integer: false,
            },
            GraphTraversalDepth => Kind::Number {
                min: 0.0,
                max: 100.0,
                integer: true,
            },
            KeyLookupShare => Kind::Number {
                min: 0.0,
                max: 1.0,
                integer: false,
            },
        }
    }

    pub fn from_path(section: Option<&str>, name: &str) -> Option<Key> {
        Key::ALL
            .into_iter()
            .find(|key| key.section() == section && key.name() == name)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// A checked value of a brief key.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    Choice(&'static str),
    Number(f64),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => write!(f, "{text:?}"),
            Value::Bool(value) => write!(f, "{value}"),
            Value::Choice(value) => write!(f, "\"{value}\""),
            Value::Number(value) => f.write_str(&format_number(*value)),
        }
    }
}

/// Numbers print without a fraction when they have none, and with at most three decimals.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A number for prose: whole numbers of five digits or more get thousands separators
/// (`150,000`); others print as [`format_number`] does.
pub fn pretty_number(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() < 10_000.0 || value.abs() >= 1e15 {
        return format_number(value);
    }
    let grouped = dbwise_diagnostics::group_digits(&format!("{:.0}", value.abs()));
    if value < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// One problem in a brief file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct BriefError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// The dotted key the problem is about, when there is one.
    pub key: Option<String>,
    pub message: String,
}

/// Every problem found in one brief file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct BriefErrors(pub Vec<BriefError>);

impl fmt::Display for BriefErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// A design brief: the checked values, and where each one was written.
#[derive(Debug, Clone, Default)]
pub struct Brief {
    values: BTreeMap<Key, Value>,
    spans: BTreeMap<Key, Span>,
    source: Option<SourceFile>,
}

impl Brief {
    pub fn new() -> Self {
        Brief::default()
    }

    /// Parse and check a brief. All problems are reported together.
    pub fn parse(file: &SourceFile) -> Result<Brief, BriefErrors> {
        let mut errors = Vec::new();
        let document: Document = match toml::from_str(file.text()) {
            Ok(document) => document,
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                // Valid TOML that still fails here used a form whose keys carry no position:
                // dotted keys (`data.shape = ...`).
                let message = if toml::from_str::<toml::Table>(file.text()).is_ok() {
                    "dotted keys are not supported in a brief; put each key under its table header, e.g. `[data]` and then `shape = \"document\"`".to_string()
                } else {
                    error.message().trim_end().to_string()
                };
                return Err(BriefErrors(vec![error_at(file, span, None, message)]));
            }
        };
        let mut brief = Brief {
            source: Some(file.clone()),
            ..Brief::default()
        };
        for (name, entry) in document.0 {
            let name_span = name.span();
            let name = name.into_inner();
            let entry_span = entry.span();
            match entry.into_inner() {
                Entry::Value(value) => match Key::from_path(None, &name) {
                    Some(key) => brief.accept(
                        file,
                        key,
                        value,
                        name_span.start..entry_span.end,
                        &mut errors,
                    ),
                    None if is_section(&name) => errors.push(error_at(
                        file,
                        name_span,
                        Some(name.clone()),
                        format!(
                            "`{name}` must be a table: write `[{name}]` and put its keys below it"
                        ),
                    )),
                    None => errors.push(unknown_key(file, None, &name, name_span)),
                },
                Entry::Table(entries) => {
                    if let Some(key) = Key::from_path(None, &name) {
                        let message =
                            format!("`{name}` must be {}, found a table", describe(key.kind()));
                        errors.push(error_at(file, name_span, Some(name.clone()), message));
                        continue;
                    }
                    if !is_section(&name) {
                        errors.push(unknown_key(file, None, &name, name_span));
                        continue;
                    }
                    for (key_name, value) in entries {
                        let key_span = key_name.span();
                        let value_span = value.span();
                        match Key::from_path(Some(&name), key_name.get_ref()) {
                            Some(key) => brief.accept(
                                file,
                                key,
                                value.into_inner(),
                                key_span.start..value_span.end,
                                &mut errors,
                            ),
                            None => errors.push(unknown_key(
                                file,
                                Some(&name),
                                key_name.get_ref(),
                                key_span,
                            )),
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(brief)
        } else {
            errors.sort_by_key(|error| (error.line, error.column));
            Err(BriefErrors(errors))
        }
    }

    fn accept(
        &mut self,
        file: &SourceFile,
        key: Key,
        raw: toml::Value,
        span: std::ops::Range<usize>,
        errors: &mut Vec<BriefError>,
    ) {
        match check_value(key, &raw) {
            Ok(value) => {
                self.values.insert(key, value);
                self.spans.insert(key, Span::new(span.start, span.end));
            }
            Err(message) => errors.push(error_at(file, span, Some(key.path()), message)),
        }
    }

    /// The file the brief came from, if it was read from one.
    pub fn source(&self) -> Option<&SourceFile> {
        self.source.as_ref()
    }

    /// The byte range of `key = value` in the brief file.
    pub fn span(&self, key: Key) -> Option<Span> {
        self.spans.get(&key).copied()
    }

    /// The 1-based line where a key was written.
    pub fn line(&self, key: Key) -> Option<u32> {
        let span = self.span(key)?;
        Some(self.source.as_ref()?.line_col(span.start).line)
    }

    pub fn get(&self, key: Key) -> Option<&Value> {
        self.values.get(&key)
    }

    pub fn is_set(&self, key: Key) -> bool {
        self.values.contains_key(&key)
    }

    /// Every key that is set, in documentation order.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.values.keys().copied()
    }

    pub fn text(&self, key: Key) -> Option<&str> {
        match self.values.get(&key) {
            Some(Value::Text(text)) => Some(text),
            _ => None,
        }
    }

    pub fn flag(&self, key: Key) -> Option<bool> {
        match self.values.get(&key) {
            Some(Value::Bool(value)) => Some(*value),
            _ => None,
        }
    }

    /// True only when the key is set to `true`.
    pub fn yes(&self, key: Key) -> bool {
        self.flag(key) == Some(true)
    }

    pub fn number(&self, key: Key) -> Option<f64> {
        match self.values.get(&key) {
            Some(Value::Number(value)) => Some(*value),
            _ => None,
        }
    }

    pub fn choice(&self, key: Key) -> Option<&'static str> {
        match self.values.get(&key) {
            Some(Value::Choice(value)) => Some(value),
            _ => None,
        }
    }

    /// True when a choice key is set to `value`.
    pub fn is(&self, key: Key, value: &str) -> bool {
        debug_assert!(
            matches!(key.kind(), Kind::Choice(allowed) if allowed.contains(&value)),
            "`{value}` is not a value of {key}"
        );
        self.choice(key) == Some(value)
    }

    /// Set a key, checking the value against the key's kind.
    pub fn set(&mut self, key: Key, value: Value) -> Result<(), String> {
        let value = match (key.kind(), value) {
            (Kind::Text, Value::Text(text)) => Value::Text(text),
            (Kind::Bool, Value::Bool(flag)) => Value::Bool(flag),
            (Kind::Choice(allowed), Value::Choice(choice)) => {
                let canonical = allowed
                    .iter()
                    .find(|candidate| **candidate == choice)
                    .ok_or_else(|| format!("`{choice}` is not a value of {key}"))?;
                Value::Choice(canonical)
            }
            (Kind::Number { .. }, Value::Number(number)) => check_number(key, number)?,
            (_, value) => return Err(format!("{value} is not a valid value for {key}")),
        };
        self.values.insert(key, value);
        Ok(())
    }

    /// Set a value taken from the key's own allowed values (used when exploring sensitivity).
    pub(crate) fn set_value(&mut self, key: Key, value: Value) {
        self.values.insert(key, value);
    }

    /// Set a number, clamped into the key's range (used when exploring sensitivity).
    pub fn set_number_clamped(&mut self, key: Key, number: f64) {
        if let Kind::Number { min, max, integer } = key.kind() {
            let number = number.clamp(min, max);
            let number = if integer { number.round() } else { number };
            self.values.insert(key, Value::Number(number));
        }
    }

    /// The brief as TOML, grouped by table, in documentation order.
    pub fn to_toml(&self) -> String {
        self.to_toml_with(|_| None)
    }

    /// The brief as TOML with an optional trailing comment per key (e.g. the evidence for it).
    pub fn to_toml_with(&self, comment: impl Fn(Key) -> Option<String>) -> String {
        let mut out = String::new();
        let mut current: Option<&str> = None;
        for (key, value) in &self.values {
            let section = key.section();
            if section != current {
                if !out.is_empty() {
                    out.push('\n');
                }
                if let Some(section) = section {
                    out.push_str(&format!("[{section}]\n"));
                }
                current = section;
            }
            let value = match value {
                Value::Text(text) => toml::Value::String(text.clone()).to_string(),
                other => other.to_string(),
            };
            match comment(*key) {
                Some(note) => out.push_str(&format!("{} = {value}  # {note}\n", key.name())),
                None => out.push_str(&format!("{} = {value}\n", key.name())),
            }
        }
        out
    }
}

const SECTIONS: &[&str] = &[
    "data",
    "consistency",
    "queries",
    "traffic",
    "availability",
    "operations",
];

fn is_section(name: &str) -> bool {
    SECTIONS.contains(&name)
}

fn check_value(key: Key, raw: &toml::Value) -> Result<Value, String> {
    match (key.kind(), raw) {
        (Kind::Text, toml::Value::String(text)) => Ok(Value::Text(text.clone())),
        (Kind::Bool, toml::Value::Boolean(flag)) => Ok(Value::Bool(*flag)),
        (Kind::Choice(allowed), toml::Value::String(text)) => {
            match allowed.iter().find(|value| **value == text) {
                Some(value) => Ok(Value::Choice(value)),
                None => Err(format!(
                    "`{}` = {:?} is not allowed; allowed values: {}{}",
                    key.path(),
                    text,
                    allowed.join(", "),
                    suggestion(text, allowed)
                )),
            }
        }
        (Kind::Number { .. }, toml::Value::Integer(number)) => check_number(key, *number as f64),
        (Kind::Number { .. }, toml::Value::Float(number)) => check_number(key, *number),
        (kind, other) => Err(format!(
            "`{}` must be {}, found {} {}",
            key.path(),
            describe(kind),
            other.type_str(),
            other
        )),
    }
}

fn check_number(key: Key, number: f64) -> Result<Value, String> {
    let Kind::Number { min, max, integer } = key.kind() else {
        return Err(format!("`{}` is not a number key", key.path()));
    };
    if !number.is_finite() || number < min || number > max || (integer && number.fract() != 0.0) {
        return Err(format!(
            "`{}` = {} is out of range; it must be {}",
            key.path(),
            format_number(number),
            describe(key.kind())
        ));
    }
    Ok(Value::Number(number))
}

fn describe(kind: Kind) -> String {
    match kind {
        Kind::Text => "a string".to_string(),
        Kind::Bool => "true or false".to_string(),
        Kind::Choice(allowed) => format!("one of: {}", allowed.join(", ")),
        Kind::Number { min, max, integer } => {
            let what = if integer {
                "a whole number"
            } else {
                "a number"
            };
            if max == f64::MAX {
                format!("{what} >= {}", format_number(min))
            } else {
                format!(
                    "{what} from {} to {}",
                    format_number(min),
                    format_number(max)
                )
            }
        }
    }
}

fn unknown_key(
    file: &SourceFile,
    section: Option<&str>,
    name: &str,
    span: std::ops::Range<usize>,
) -> BriefError {
    let (path, allowed): (String, Vec<&str>) = match section {
        Some(section) => (
            format!("{section}.{name}"),
            Key::ALL
                .iter()
                .filter(|key| key.section() == Some(section))
                .map(|key| key.name())
                .collect(),
        ),
        None => {
            let mut allowed = vec!["name"];
            allowed.extend(SECTIONS.iter().map(|section| &section[..]));
            (name.to_string(), allowed)
        }
    };
    let place = match section {
        Some(section) => format!("in [{section}]"),
        None => "at the top level".to_string(),
    };
    let message = format!(
        "unknown key `{path}`; allowed keys {place}: {}{}",
        allowed.join(", "),
        suggestion(name, &allowed)
    );
    error_at(file, span, Some(path), message)
}

fn error_at(
    file: &SourceFile,
    span: std::ops::Range<usize>,
    key: Option<String>,
    message: String,
) -> BriefError {
    let position = file.line_col(u32::try_from(span.start).unwrap_or(u32::MAX));
    BriefError {
        path: file.path().to_string(),
        line: position.line,
        column: position.column,
        key,
        message,
    }
}

/// " (did you mean `x`?)" when a close spelling exists.
fn suggestion(word: &str, candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min()
        .map(|(_, candidate)| format!(" (did you mean `{candidate}`?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The raw document: top-level keys with their spans, tables kept one level deep.
struct Document(Vec<(Spanned<String>, Spanned<Entry>)>);

enum Entry {
    Value(toml::Value),
    Table(Vec<(Spanned<String>, Spanned<toml::Value>)>),
}

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a TOML table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Document, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value::<Spanned<Entry>>()?));
                }
                Ok(Document(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

impl<'de> serde::Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entry, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value::<Spanned<toml::Value>>()?));
                }
                Ok(Entry::Table(entries))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Entry, E> {
                Ok(Entry::Value(toml::Value::Boolean(value)))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Entry, E> {
                Ok(Entry::Value(toml::Value::Integer(value)))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Entry, E> {
                i64::try_from(value)
                    .map(|value| Entry::Value(toml::Value::Integer(value)))
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Entry, E> {
                Ok(Entry::Value(toml::Value::Float(value)))
            }
            fn visit_str<E>(self, value: &str) -> Result<Entry, E> {
                Ok(Entry::Value(toml::Value::String(value.to_string())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Entry, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<toml::Value>()? {
                    items.push(item);
                }
                Ok(Entry::Value(toml::Value::Array(items)))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Brief, BriefErrors> {
        Brief::parse(&SourceFile::new("brief.toml", text))
    }

    #[test]
    fn reads_every_section_and_remembers_lines() {
        let brief = parse(
            "name = \"shop\"\n[data]\nshape = \"relational\"\nvolume_gb = 500\n[traffic]\nwrites_per_sec = 12.5\n[consistency]\nstrong_reads = true\n",
        )
        .unwrap();
        assert_eq!(brief.text(Key::Name), Some("shop"));
        assert!(brief.is(Key::Shape, "relational"));
        assert_eq!(brief.number(Key::VolumeGb), Some(500.0));
        assert_eq!(brief.number(Key::WritesPerSec), Some(12.5));
        assert!(brief.yes(Key::StrongReads));
        assert_eq!(brief.line(Key::VolumeGb), Some(4));
        assert_eq!(brief.line(Key::StrongReads), Some(8));
        assert!(!brief.is_set(Key::Budget));
    }

    #[test]
    fn dotted_keys_are_rejected_with_the_table_form_to_use() {
        let errors = parse("name = \"x\"\ndata.shape = \"graph\"\n")
            .unwrap_err()
            .0;
        assert_eq!(errors[0].line, 2);
        assert!(
            errors[0].message.contains("`[data]`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn unknown_key_names_the_key_line_and_allowed_keys() {
        let errors = parse("[data]\nshape = \"document\"\nshap = \"graph\"\n")
            .unwrap_err()
            .0;
        assert_eq!(errors.len(), 1);
        let error = &errors[0];
        assert_eq!((error.line, error.column), (3, 1));
        assert_eq!(error.key.as_deref(), Some("data.shap"));
        assert!(
            error
                .message
                .contains("allowed keys in [data]: shape, relationships"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("did you mean `shape`?"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_value_names_the_key_line_and_allowed_values() {
        let errors = parse("\n[operations]\ncloud = \"oracle\"\n").unwrap_err().0;
        let error = &errors[0];
        assert_eq!(error.line, 3);
        assert_eq!(error.key.as_deref(), Some("operations.cloud"));
        assert!(
            error
                .message
                .contains("allowed values: aws, gcp, azure, any, on-prem"),
            "{}",
            error.message
        );
        assert_eq!(
            error.to_string(),
            format!("brief.toml:3:1: {}", error.message),
            "the display form leads with file:line:column"
        );
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let errors = parse(
            "[queries]\nkey_lookup_share = 1.5\ngraph_traversal_depth = 2.5\n[traffic]\nreads_per_sec = \"lots\"\n[bogus]\nx = 1\n",
        )
        .unwrap_err()
        .0;
        let keys: Vec<_> = errors
            .iter()
            .map(|error| error.key.clone().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "queries.key_lookup_share",
                "queries.graph_traversal_depth",
                "traffic.reads_per_sec",
                "bogus"
            ]
        );
        assert!(
            errors[0].message.contains("from 0 to 1"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[1].message.contains("whole number"),
            "{}",
            errors[1].message
        );
        assert!(
            errors[2].message.contains("found string"),
            "{}",
            errors[2].message
        );
        assert!(
            errors[3].message.contains("allowed keys at the top level"),
            "{}",
            errors[3].message
        );
    }

    #[test]
    fn syntax_errors_carry_a_line() {
        let errors = parse("[data]\nshape = \n").unwrap_err().0;
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn a_section_written_as_a_value_is_rejected() {
        let errors = parse("data = 5\n").unwrap_err().0;
        assert_eq!(errors[0].key.as_deref(), Some("data"));
        assert!(
            errors[0].message.contains("must be a table"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn prose_numbers_group_thousands_but_toml_numbers_do_not() {
        assert_eq!(pretty_number(150_000.0), "150,000");
        assert_eq!(pretty_number(9_999.0), "9999");
        assert_eq!(pretty_number(2.5), "2.5");
        assert_eq!(format_number(150_000.0), "150000");
    }

    #[test]
    fn to_toml_round_trips() {
        let text = "name = \"x\"\n\n[data]\nshape = \"document\"\nvolume_gb = 2.5\n\n[queries]\nad_hoc = false\n";
        let brief = parse(text).unwrap();
        assert_eq!(brief.to_toml(), text);
        let again = parse(&brief.to_toml()).unwrap();
        assert_eq!(again.to_toml(), text);
    }
}
