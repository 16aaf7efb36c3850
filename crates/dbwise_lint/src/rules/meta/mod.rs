pub mod psql_meta_command;
pub mod query_too_large;
pub mod syntax_error;
pub mod unused_suppression;
