pub mod choose;
pub mod lint;
pub mod migrate;
pub mod review;
pub mod rules;
pub mod workload;
