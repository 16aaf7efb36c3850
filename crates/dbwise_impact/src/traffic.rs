//! The traffic of a workload over time: how many seconds of each hour (or hour of the week) the
//! log covers, and so each shape's rate of calls in that hour.

use dbwise_workload::QueryReport;
use dbwise_workload::shapes::{HOURS_OF_WEEK, hour_of_week};

const HOUR_MS: i64 = 3_600_000;
/// An hour the log covers for less than this many seconds is not a candidate window: a few
/// minutes of it say little about the whole hour.
const MIN_COVERAGE_S: f64 = 600.0;
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The hours a workload's rates are told apart by.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Whether the hours are hours of the week (the log covers a whole week) or of the day.
    weekly: bool,
    /// Seconds of the log in each hour.
    coverage: Vec<f64>,
    /// Seconds from the first to the last record.
    span_s: f64,
}

impl Profile {
    /// The profile of a log running from `first` to `last` (milliseconds since the epoch).
    pub fn new(first: i64, last: i64) -> Profile {
        let mut week = vec![0.0; HOURS_OF_WEEK];
        let mut at = first;
        while at < last {
            let next = (at.div_euclid(HOUR_MS) + 1) * HOUR_MS;
            let end = next.min(last);
            week[hour_of_week(at)] += (end - at) as f64 / 1000.0;
            at = end;
        }
        let weekly = last - first >= 7 * 24 * HOUR_MS;
        Profile {
            weekly,
            coverage: if weekly { week } else { by_day(&week) },
            span_s: (last - first) as f64 / 1000.0,
        }
    }

    pub fn weekly(&self) -> bool {
        self.weekly
    }

    /// The hours a migration may be planned in: those the log covers for long enough.
    pub fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
        let longest = self.coverage.iter().copied().fold(0.0, f64::max);
        let enough = MIN_COVERAGE_S.min(longest);
        (0..self.coverage.len()).filter(move |&h| self.coverage[h] >= enough && enough > 0.0)
    }

    /// Calls per second of `query` in hour `hour`, or over the whole log for `None`.
    pub fn rate(&self, query: &QueryReport, hour: Option<usize>) -> f64 {
        match hour {
            None if self.span_s > 0.0 => query.calls as f64 / self.span_s,
            None => 0.0,
            Some(h) => {
                let calls = if query.calls_by_hour.is_empty() {
                    0
                } else if self.weekly {
                    query.calls_by_hour[h]
                } else {
                    query.calls_by_hour.iter().skip(h).step_by(24).sum()
                };
                match self.coverage[h] {
                    seconds if seconds > 0.0 => calls as f64 / seconds,
                    _ => 0.0,
                }
            }
        }
    }

    /// The start and end of hour `hour` as people read them: `03:00` or `Tue 03:00`.
    pub fn label(&self, hour: usize) -> (String, String) {
        let at = |h: usize| {
            let clock = format!("{:02}:00", h % 24);
            if self.weekly {
                format!("{} {clock}", WEEKDAYS[(h / 24) % 7])
            } else {
                clock
            }
        };
        (at(hour), at(hour + 1))
    }
}

/// Seconds per hour of the day, from seconds per hour of the week.
fn by_day(week: &[f64]) -> Vec<f64> {
    (0..24)
        .map(|h| week.iter().skip(h).step_by(24).sum())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-01-01 was a Monday.
    const MONDAY: i64 = 1_704_067_200_000;

    #[test]
    fn hours_of_the_week_start_on_monday() {
        assert_eq!(hour_of_week(MONDAY), 0);
        assert_eq!(hour_of_week(MONDAY + 3 * HOUR_MS + 59_000), 3);
        assert_eq!(hour_of_week(MONDAY - HOUR_MS), HOURS_OF_WEEK - 1);
    }

    #[test]
    fn a_log_of_two_hours_covers_two_hours_of_the_day() {
        let profile = Profile::new(MONDAY + 2 * HOUR_MS, MONDAY + 4 * HOUR_MS);
        assert!(!profile.weekly());
        assert_eq!(profile.candidates().collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(profile.label(2), ("02:00".into(), "03:00".into()));
    }

    #[test]
    fn a_log_of_a_week_tells_weekdays_apart() {
        let profile = Profile::new(MONDAY, MONDAY + 7 * 24 * HOUR_MS);
        assert!(profile.weekly());
        assert_eq!(profile.candidates().count(), HOURS_OF_WEEK);
        assert_eq!(
            profile.label(24 + 3),
            ("Tue 03:00".into(), "Tue 04:00".into())
        );
    }
}
