//! What a rule is: its metadata ([`crate::metadata`]) and one check; and what rules share to
//! report (the span helpers among it).

use dbwise_diagnostics::{Finding, SourceFile, Span};

use crate::context::{CatalogContext, StatementContext};
use crate::live::LiveContext;
pub use crate::metadata::{OptionKind, RuleMeta, RuleOption};

/// When a rule looks at the input.
pub enum Check {
    /// Before each statement is applied, with the catalog as it stood just before it.
    Statement(fn(&StatementContext, &mut Report)),
    /// Once, on the catalog after the whole replay.
    Catalog(fn(&CatalogContext, &mut Report)),
    /// Once, on a live database's statistics and sessions (`dbwise inspect`).
    Live(fn(&LiveContext, &mut Report)),
    /// Reported by the driver itself (syntax errors, suppressions, skipped psql commands).
    Driver,
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// Where a rule puts its findings: it stamps the rule's id, category and severity on each.
pub struct Report<'a> {
    pub(crate) meta: &'a RuleMeta,
    pub(crate) findings: Vec<Finding>,
}

impl Report<'_> {
    /// Start a finding of this rule at `span` of `file`.
    pub fn finding(&self, file: &SourceFile, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(
            self.meta.id,
            self.meta.category,
            self.meta.severity,
            message,
        )
        .at(file, span)
    }

    /// Start a finding of this rule about a database `object` (`public.orders`).
    pub fn finding_on(&self, object: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding::new(
            self.meta.id,
            self.meta.category,
            self.meta.severity,
            message,
        )
        .on(object)
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
}

/// The span of the first occurrence of `word` (case-insensitive, as a whole word) in `span`.
pub fn find_word(text: &str, span: Span, word: &str) -> Option<Span> {
    let hay = text.get(span.range())?.to_ascii_lowercase();
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let boundary =
            |b: Option<&u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if boundary(start.checked_sub(1).and_then(|p| bytes.get(p))) && boundary(bytes.get(end)) {
            return Some(Span::new(
                span.start as usize + start,
                span.start as usize + end,
            ));
        }
        from = end;
    }
    None
}
