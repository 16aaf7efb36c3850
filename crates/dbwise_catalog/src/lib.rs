//! The schema catalog: an in-memory model of the schema built by replaying DDL in migration
//! order, plus discovery of migration sets. Every object remembers where it was created.

pub mod live;
pub mod migrations;
mod model;
mod replay;
pub mod templates;

pub use model::*;
pub use replay::{Applied, MAX_IDENTIFIER_BYTES, constraint_columns, truncate_identifier};

#[cfg(test)]
mod tests;
