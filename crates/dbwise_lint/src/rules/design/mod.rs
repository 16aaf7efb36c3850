pub mod foreign_key_without_index;
pub mod timestamp_without_time_zone;
