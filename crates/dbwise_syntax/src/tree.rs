//! libpg_query's full parse tree (its protobuf form), fingerprints and normalised text.
//!
//! The lowered model of [`crate::parse`] is what the catalog and the lint rules read; this
//! module is for the few analyses that need every node of a query, and `dbwise_query` is the
//! one crate that walks these trees. Workload shapes are keyed by [`fingerprint`] and shown
//! as [`normalize`] writes them.

use std::ffi::CString;
use std::fmt;

use prost::Message;

pub use pg_query::protobuf;
pub use pg_query::{Context, NodeEnum, NodeRef};

/// SQL the PostgreSQL grammar rejects, with libpg_query's message.
#[derive(Debug)]
pub struct ParseError(pg_query::Error);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ParseError {}

/// The parse tree of one or more statements.
pub struct Tree {
    parsed: protobuf::ParseResult,
}

impl Tree {
    pub fn parse(sql: &str) -> Result<Tree, ParseError> {
        let input = CString::new(sql).map_err(|e| ParseError(e.into()))?;
        let decoded =
            crate::raw::parse_protobuf(&input, |bytes| protobuf::ParseResult::decode(bytes))
                .map_err(|message| ParseError(pg_query::Error::Parse(message)))?;
        Ok(Tree {
            parsed: decoded.map_err(|e| ParseError(e.into()))?,
        })
    }

    /// The top-level statements, in order.
    pub fn statements(&self) -> impl Iterator<Item = &NodeEnum> {
        self.parsed
            .stmts
            .iter()
            .filter_map(|raw| raw.stmt.as_deref()?.node.as_ref())
    }

    /// How many statements the text holds.
    pub fn statement_count(&self) -> usize {
        self.parsed.stmts.len()
    }

    /// The nodes of every statement, breadth first, each with its depth, whether it is read
    /// or written ([`Context`]), and whether it sits in a filter.
    pub fn nodes(&self) -> Vec<(NodeRef<'_>, i32, Context, bool)> {
        self.parsed.nodes()
    }
}

/// The fingerprint that identifies a statement whatever its constants, parameters, comments
/// and layout. Relations count by name, never by alias (PostgreSQL 17 query-id rules): with
/// the PostgreSQL 18 rules, `FROM users u` and `FROM orders u` would be one statement, and
/// ORMs alias every table `t0`, `t1`, ...
pub fn fingerprint(sql: &str) -> Result<u64, ParseError> {
    pg_query::fingerprint(sql, 0, pg_query::FingerprintOptions::RANGEVAR_PG17_COMPAT)
        .map(|f| f.value)
        .map_err(ParseError)
}

/// The statement with its constants replaced by `$1`, `$2`, ...
pub fn normalize(sql: &str) -> Result<String, ParseError> {
    pg_query::normalize(sql).map_err(ParseError)
}
