//! The access-patterns file: each pattern's name, the SQL the application runs today, its rate
//! and the consistency it needs, and the `[data]` figures that give cardinalities.

use std::collections::BTreeMap;

use dbwise_diagnostics::SourceFile;
use serde::Deserialize;
use toml::Spanned;

/// One access pattern, as the file gives it.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub name: String,
    pub sql: String,
    pub per_second: f64,
    /// `consistency = "strong"`: the read must see every write acknowledged before it.
    pub strong: bool,
    /// The 1-based line of the pattern's `sql`, for errors.
    pub line: u32,
}

/// The figures of `[data]`.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Rows per table.
    pub rows: BTreeMap<String, u64>,
    /// The most children one parent has, per `child_table.fk_column`.
    pub max_children: BTreeMap<String, u64>,
}

#[derive(Debug, Clone)]
pub struct Patterns {
    pub path: String,
    /// The table name the design uses (`table = "..."`), else `app`.
    pub table: String,
    pub patterns: Vec<Pattern>,
    pub data: Data,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    table: Option<String>,
    #[serde(default)]
    data: RawData,
    #[serde(default)]
    pattern: Vec<RawPattern>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawData {
    #[serde(default)]
    rows: BTreeMap<String, u64>,
    #[serde(default)]
    max_children: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    name: String,
    sql: Spanned<String>,
    per_second: Spanned<f64>,
    consistency: Option<Spanned<String>>,
}

impl Patterns {
    /// Read a patterns file; errors name the file, the line and what to write instead.
    pub fn parse(file: &SourceFile) -> Result<Patterns, String> {
        let at = |offset: usize| {
            let line = file
                .line_col(u32::try_from(offset).unwrap_or(u32::MAX))
                .line;
            format!("{}:{line}", file.path())
        };
        let raw: RawFile = toml::from_str(file.text()).map_err(|error| {
            let place = error
                .span()
                .map_or_else(|| file.path().to_string(), |span| at(span.start));
            format!("{place}: {}", error.message())
        })?;
        if raw.pattern.is_empty() {
            return Err(format!(
                "{}: no access patterns; add [[pattern]] tables with name, sql and per_second",
                file.path()
            ));
        }
        let mut patterns = Vec::new();
        for pattern in raw.pattern {
            let rate = *pattern.per_second.get_ref();
            if !(rate.is_finite() && rate >= 0.0) {
                return Err(format!(
                    "{}: per_second of `{}` must be a number of requests per second, 0 or more",
                    at(pattern.per_second.span().start),
                    pattern.name
                ));
            }
            let strong = match &pattern.consistency {
                None => false,
                Some(value) => match value.get_ref().as_str() {
                    "strong" => true,
                    "eventual" => false,
                    other => {
                        return Err(format!(
                            "{}: consistency `{other}` of `{}` is neither \"strong\" nor \"eventual\"",
                            at(value.span().start),
                            pattern.name
                        ));
                    }
                },
            };
            if patterns.iter().any(|p: &Pattern| p.name == pattern.name) {
                return Err(format!(
                    "{}: two patterns are named `{}`; give each its own name",
                    at(pattern.sql.span().start),
                    pattern.name
                ));
            }
            patterns.push(Pattern {
                name: pattern.name,
                line: file
                    .line_col(u32::try_from(pattern.sql.span().start).unwrap_or(u32::MAX))
                    .line,
                sql: pattern.sql.into_inner(),
                per_second: rate,
                strong,
            });
        }
        Ok(Patterns {
            path: file.path().to_string(),
            table: raw.table.unwrap_or_else(|| "app".to_string()),
            patterns,
            data: Data {
                rows: raw.data.rows,
                max_children: raw.data.max_children,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Patterns;
    use dbwise_diagnostics::SourceFile;

    fn parse(text: &str) -> Result<Patterns, String> {
        Patterns::parse(&SourceFile::new("p.toml".to_string(), text.to_string()))
    }

    #[test]
    fn reads_patterns_data_and_consistency() {
        let patterns = parse(
            "table = \"t\"\n[data]\nrows = { a = 10 }\nmax_children = { \"b.a_id\" = 3 }\n\n\
             [[pattern]]\nname = \"x\"\nsql = \"SELECT 1\"\nper_second = 2.5\nconsistency = \"strong\"\n",
        )
        .unwrap();
        assert_eq!(patterns.table, "t");
        assert_eq!(patterns.data.rows["a"], 10);
        assert_eq!(patterns.data.max_children["b.a_id"], 3);
        let pattern = &patterns.patterns[0];
        assert_eq!(
            (pattern.per_second, pattern.strong, pattern.line),
            (2.5, true, 8)
        );
    }

    #[test]
    fn errors_name_the_line_and_the_fix() {
        let bad = parse(
            "[[pattern]]\nname = \"x\"\nsql = \"SELECT 1\"\nper_second = 1\nconsistency = \"firm\"\n",
        );
        assert_eq!(
            bad.err().unwrap(),
            "p.toml:5: consistency `firm` of `x` is neither \"strong\" nor \"eventual\""
        );
        let negative = parse("[[pattern]]\nname = \"x\"\nsql = \"SELECT 1\"\nper_second = -1\n");
        assert!(
            negative
                .err()
                .unwrap()
                .starts_with("p.toml:4: per_second of `x`")
        );
        let twice = "[[pattern]]\nname = \"x\"\nsql = \"SELECT 1\"\nper_second = 1\n";
        let twice = parse(&format!("{twice}{twice}")).err().unwrap();
        assert!(
            twice.starts_with("p.toml:7: two patterns are named `x`"),
            "{twice}"
        );
        assert!(parse("").err().unwrap().contains("no access patterns"));
        assert!(
            parse("[[pattern]]\nname = \"x\"\n")
                .err()
                .unwrap()
                .starts_with("p.toml:")
        );
    }
}
