//! The shared vocabulary of dbwise: source files, byte ranges, line indexes and findings.
//!
//! Every analysis (lint rules, workload analysis, migration traces, `choose`) reports the same
//! [`Finding`] shape, so renderers never need to know where a finding came from.

mod date;
mod earlier;
mod finding;
mod source;
mod text;

pub use date::days_from_civil;
pub use earlier::{ConventionNotes, EarlierFindings, UnsizedFindings, count_by_rule};
pub use finding::{Applicability, Category, Edit, Finding, Fix, Severity, Suggestion};
pub use source::{LineCol, SourceFile, Span};
pub use text::{
    escape_control, escape_control_but_lines, group_digits, one_line, thousands, truncate_at_char,
};
