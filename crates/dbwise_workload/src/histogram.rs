//! A bounded log-linear histogram of durations, for percentiles without keeping samples.
//!
//! Values are microseconds. Below 64 µs every value has its own bucket; above, each power of
//! two is split into 32 buckets, so a reported percentile is within about 3 % of the true
//! sample. Only the range of buckets between the smallest and largest value seen is stored,
//! and the whole u64 range needs at most 1,920 buckets.

const SUB_BITS: u32 = 5;
const SUB: u64 = 1 << SUB_BITS;

#[derive(Debug, Clone, Default)]
pub struct Histogram {
    first: usize,
    counts: Vec<u32>,
    total: u64,
}

impl Histogram {
    pub fn record(&mut self, micros: u64) {
        let bucket = bucket_of(micros);
        if self.counts.is_empty() {
            self.first = bucket;
            self.counts.push(0);
        } else if bucket < self.first {
            let grow = self.first - bucket;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.first = bucket;
        } else if bucket >= self.first + self.counts.len() {
            self.counts.resize(bucket - self.first + 1, 0);
        }
        let slot = &mut self.counts[bucket - self.first];
        *slot = slot.saturating_add(1);
        self.total += 1;
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Bytes the histogram holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.counts.capacity() * std::mem::size_of::<u32>()
    }

    /// The value at quantile `q` (0.0 to 1.0), as the midpoint of its bucket; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (i, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen >= rank {
                let (low, high) = bounds_of(self.first + i);
                return Some(low + (high - low) / 2);
            }
        }
        None
    }
}

fn bucket_of(value: u64) -> usize {
    if value < 2 * SUB {
        return value as usize;
    }
    let exponent = 63 - value.leading_zeros();
    let sub = (value >> (exponent - SUB_BITS)) & (SUB - 1);
    ((exponent - SUB_BITS) as usize + 1) * SUB as usize + sub as usize
}

/// The inclusive value range of a bucket.
fn bounds_of(bucket: usize) -> (u64, u64) {
    let bucket = bucket as u64;
    if bucket < 2 * SUB {
        return (bucket, bucket);
    }
    let exponent = bucket / SUB - 1 + u64::from(SUB_BITS);
    let sub = bucket % SUB;
    let width = 1u64 << (exponent - u64::from(SUB_BITS));
    let low = (1u64 << exponent) + sub * width;
    (low, low + (width - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_values_contiguously() {
        for value in [
            0u64,
            1,
            63,
            64,
            65,
            100,
            1_000,
            123_456,
            10_000_000_000,
            u64::MAX,
        ] {
            let (low, high) = bounds_of(bucket_of(value));
            assert!(
                low <= value && value <= high,
                "{value} not in [{low}, {high}]"
            );
        }
        assert_eq!(bucket_of(u64::MAX), 1919);
        assert_eq!(bounds_of(bucket_of(64)).0, 64);
    }

    #[test]
    fn quantiles_are_within_a_few_percent() {
        let mut h = Histogram::default();
        for v in 1..=10_000u64 {
            h.record(v * 10);
        }
        for (q, exact) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0)] {
            let got = h.quantile(q).unwrap() as f64;
            assert!((got - exact).abs() / exact < 0.04, "q{q}: {got} vs {exact}");
        }
    }

    #[test]
    fn grows_downward_and_handles_single_values() {
        let mut h = Histogram::default();
        assert_eq!(h.quantile(0.5), None);
        h.record(5_000);
        h.record(3);
        assert_eq!(h.quantile(0.0), Some(3));
        assert_eq!(h.quantile(0.5), Some(3));
        let top = h.quantile(1.0).unwrap();
        assert!((4_900..=5_100).contains(&top));
    }
}
