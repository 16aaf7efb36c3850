//! The rule registry: every rule, one file each, listed once here.

pub mod design;
pub mod meta;
pub mod migration;

use crate::rule::Rule;

/// Every rule dbwise knows, in the order `dbwise rules` lists them.
pub static ALL: &[&Rule] = &[
    &meta::syntax_error::RULE,
    &meta::psql_meta_command::RULE,
    &meta::unused_suppression::RULE,
    &design::foreign_key_without_index::RULE,
    &design::timestamp_without_time_zone::RULE,
    &migration::create_index_non_concurrently::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.meta.id == id)
}
