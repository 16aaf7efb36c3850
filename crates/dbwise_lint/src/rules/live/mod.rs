//! Rules that only a running database can answer, judged by `dbwise inspect` on its
//! statistics, sessions and replication state.

pub mod connection_saturation;
pub mod heavy_sequential_scan;
pub mod idle_in_transaction;
pub mod inactive_replication_slot;
pub mod index_bloat;
pub mod invalid_index;
pub mod long_running_transaction;
pub mod low_cache_hit_ratio;
pub mod replication_lag;
pub mod sequence_near_exhaustion;
pub mod table_bloat;
pub mod unused_index;
pub mod xid_wraparound_risk;

use dbwise_syntax::ast::quote_ident;

/// `schema.name`, each part quoted when SQL needs it.
pub(crate) fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// How a finding names an object: `schema.name` as the catalogs spell it.
pub(crate) fn object(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

/// A byte count for people: `812 kB`, `1.4 GB`.
pub(crate) fn size(bytes: i64) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// A duration in seconds for people: `45 s`, `12 min`, `3.5 h`, `9 days`.
pub(crate) fn duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 2.0 * 86400.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86400.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_and_durations_read_naturally() {
        assert_eq!(super::size(812), "812 bytes");
        assert_eq!(super::size(3 << 20), "3.0 MB");
        assert_eq!(super::duration(45.2), "45 s");
        assert_eq!(super::duration(900.0), "15 min");
        assert_eq!(super::duration(10.0 * 86400.0), "10 days");
    }
}
