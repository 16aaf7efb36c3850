use crate::{SourceFile, Span};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What part of the playbook a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Design,
    Migration,
    Query,
    Syntax,
    /// Found on a live database by `dbwise inspect`.
    Live,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Design => "design",
            Category::Migration => "migration",
            Category::Query => "query",
            Category::Syntax => "syntax",
            Category::Live => "live",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix keeps the program's meaning (safe) or changes behaviour and needs a human (unsafe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// The SQL that fixes a finding, apart from the prose of `help`: statements to run in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    pub sql: Vec<String>,
    /// False when a statement cannot run inside a transaction block (`CONCURRENTLY`).
    pub transaction: bool,
    /// True when the SQL holds placeholders (`'...'`, `<zone>`) the user must fill in first.
    pub template: bool,
}

/// One thing an analysis found, located by byte range in a file, or by the database object it
/// is about when there is no file (a live database's `public.orders.customer_id`).
///
/// `why` says what goes wrong and for whom; `help` gives the concrete rewrite for this input.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub file: Option<SourceFile>,
    pub span: Span,
    /// The object a finding without a file is about, qualified (`schema.table.column`).
    pub object: Option<String>,
    pub message: String,
    pub why: String,
    pub help: String,
    pub fix: Option<Fix>,
    pub suggestion: Option<Suggestion>,
    /// The table whose size decides whether the finding is worth acting on (an index, a lock or
    /// a key range matters only on a large table), when nothing in the input shows its size.
    pub unknown_size: Option<String>,
    /// A note on a choice the whole schema makes (naive timestamps everywhere, 32-bit keys
    /// throughout): deliberate, and rarely worth a change, so counted rather than listed.
    pub convention: bool,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        category: Category,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            category,
            severity,
            file: None,
            span: Span::default(),
            object: None,
            message: message.into(),
            why: String::new(),
            help: String::new(),
            fix: None,
            suggestion: None,
            unknown_size: None,
            convention: false,
        }
    }

    pub fn at(mut self, file: &SourceFile, span: Span) -> Self {
        self.file = Some(file.clone());
        self.span = span;
        self
    }

    /// Locate the finding at a database object instead of a place in a file.
    pub fn on(mut self, object: impl Into<String>) -> Self {
        self.file = None;
        self.span = Span::default();
        self.object = Some(object.into());
        self
    }

    /// Mark the finding as worth acting on only if `table` is large, which nothing shows.
    pub fn unknown_size(mut self, table: Option<String>) -> Self {
        self.unknown_size = table;
        self
    }

    /// Mark the finding as a note on a schema-wide convention.
    pub fn convention(mut self) -> Self {
        self.convention = true;
        self
    }

    pub fn why(mut self, why: impl Into<String>) -> Self {
        self.why = why.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The statements that fix the finding, ready to run.
    pub fn suggest(mut self, sql: Vec<String>, transaction: bool) -> Self {
        self.suggestion = Some(Suggestion {
            sql,
            transaction,
            template: false,
        });
        self
    }

    /// Statements with placeholders the user fills in before running them.
    pub fn suggest_template(mut self, sql: Vec<String>, transaction: bool) -> Self {
        self.suggestion = Some(Suggestion {
            sql,
            transaction,
            template: true,
        });
        self
    }

    pub fn path(&self) -> &str {
        self.file.as_ref().map_or("", SourceFile::path)
    }

    /// Sort key: file path, then position, then rule id.
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str) {
        (self.path(), self.span.start, self.span.end, self.rule)
    }
}
