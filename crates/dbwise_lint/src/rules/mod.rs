//! The rule registry: every rule, one file each, listed once here.

pub mod design;
pub mod live;
pub mod meta;
pub mod migration;
pub mod query;

use crate::rule::Rule;

pub use crate::settings::OPT_IN;

/// Every rule dbwise knows, in the order `dbwise rules` lists them.
pub static ALL: &[&Rule] = &[
    &meta::syntax_error::RULE,
    &meta::psql_meta_command::RULE,
    &meta::query_too_large::RULE,
    &meta::unused_suppression::RULE,
    &design::foreign_key_without_index::RULE,
    &design::timestamp_without_time_zone::RULE,
    &design::missing_primary_key::RULE,
    &design::float_for_money::RULE,
    &design::money_type::RULE,
    &design::json_instead_of_jsonb::RULE,
    &design::list_in_text_column::RULE,
    &design::uuid_stored_as_text::RULE,
    &design::int_primary_key::RULE,
    &design::serial_instead_of_identity::RULE,
    &design::char_column::RULE,
    &design::enum_like_text_without_check::RULE,
    &design::redundant_index::RULE,
    &design::too_many_indexes::RULE,
    &design::natural_key_without_unique::RULE,
    &design::entity_attribute_value::RULE,
    &design::polymorphic_association::RULE,
    &design::missing_foreign_key::RULE,
    &design::foreign_key_type_mismatch::RULE,
    &design::reserved_word_identifier::RULE,
    &design::identifier_too_long::RULE,
    &design::wide_table::RULE,
    &design::tenant_table_without_rls::RULE,
    &design::numeric_money_without_scale::RULE,
    &design::nullable_boolean::RULE,
    &migration::create_index_non_concurrently::RULE,
    &migration::concurrently_in_transaction::RULE,
    &migration::drop_index_non_concurrently::RULE,
    &migration::add_foreign_key_validating::RULE,
    &migration::add_check_constraint_validating::RULE,
    &migration::set_not_null_scans_table::RULE,
    &migration::add_column_volatile_default::RULE,
    &migration::add_column_not_null_without_default::RULE,
    &migration::alter_column_type_rewrite::RULE,
    &migration::rename_column::RULE,
    &migration::rename_table::RULE,
    &migration::drop_column::RULE,
    &migration::drop_table::RULE,
    &migration::add_unique_constraint_locking::RULE,
    &migration::add_primary_key_locking::RULE,
    &migration::missing_lock_timeout::RULE,
    &migration::reindex_non_concurrently::RULE,
    &migration::vacuum_full_or_cluster::RULE,
    &migration::enum_value_in_transaction::RULE,
    &migration::backfill_in_ddl_transaction::RULE,
    &migration::refresh_materialized_view_non_concurrently::RULE,
    &migration::truncate_table::RULE,
    &migration::opaque_do_block::RULE,
    &query::select_star::RULE,
    &query::offset_pagination::RULE,
    &query::leading_wildcard_like::RULE,
    &query::function_on_column_in_where::RULE,
    &query::not_in_subquery::RULE,
    &query::order_by_random::RULE,
    &query::unbounded_delete_or_update::RULE,
    &query::cartesian_join::RULE,
    &live::unused_index::RULE,
    &live::invalid_index::RULE,
    &live::sequence_near_exhaustion::RULE,
    &live::table_bloat::RULE,
    &live::index_bloat::RULE,
    &live::xid_wraparound_risk::RULE,
    &live::idle_in_transaction::RULE,
    &live::long_running_transaction::RULE,
    &live::connection_saturation::RULE,
    &live::inactive_replication_slot::RULE,
    &live::replication_lag::RULE,
    &live::heavy_sequential_scan::RULE,
    &live::low_cache_hit_ratio::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.meta.id == id)
}
