pub mod psql_meta_command;
pub mod syntax_error;
pub mod unused_suppression;
