//! Query analysis, between the SQL front-end and the capabilities that reason about queries.
//!
//! [`Query::parse`] reads SQL through `dbwise_syntax`; [`Query::facts`] gives each statement's
//! typed [`Facts`] (relations read and written, column uses by role with their operators and
//! constants, join keys, ordering, grouping, limits, nested blocks), and
//! [`Query::antipatterns`] the query anti-patterns of [`antipatterns`]. Given a [`Schema`]
//! (a replayed or inspected catalog), both place the unqualified columns of a block that
//! reads several relations ([`schema`]). Workload analysis,
//! lint's query rules and `choose --infer` read these; none of them walks a parse tree.

pub mod antipatterns;
pub mod facts;
pub mod schema;

pub use dbwise_syntax::tree::ParseError;
use dbwise_syntax::tree::Tree;

pub use antipatterns::AntiPattern;
pub use facts::Facts;
pub use schema::Schema;

/// One or more parsed statements.
pub struct Query {
    tree: Tree,
}

impl Query {
    pub fn parse(sql: &str) -> Result<Query, ParseError> {
        Ok(Query {
            tree: Tree::parse(sql)?,
        })
    }

    /// The facts of each statement, in order.
    pub fn facts(&self) -> Vec<Facts<'_>> {
        self.tree.statements().map(Facts::of).collect()
    }

    /// The anti-patterns of every statement, sorted by location, then rule; `schema`, when
    /// there is one, places unqualified columns and knows the expression indexes.
    pub fn antipatterns(
        &self,
        options: &antipatterns::Options,
        schema: Option<&dyn Schema>,
    ) -> Vec<AntiPattern> {
        antipatterns::check(&self.tree, options, schema).found
    }
}

#[cfg(test)]
mod tests;
