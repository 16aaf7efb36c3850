//! Which requirement, changed how far, would change the top choice.
//!
//! Each stated number is moved up and down in 50% steps (whole steps for integers) until the
//! top choice changes, then the crossing point is found by bisection. Each stated flag and
//! choice is tried at every other value.

use serde::Serialize;

use crate::assess::top_choice;
use crate::brief::{Brief, Key, Kind, Value};
use crate::kb::KnowledgeBase;
use crate::reason::Reason;

const STEP: f64 = 1.5;
const MAX_STEPS: usize = 30;
const BISECTIONS: usize = 14;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    pub key: Key,
    pub current: String,
    /// The value at which the top choice changes (rounded to two significant digits for numbers).
    pub changed_to: String,
    /// The new top choice; `None` when no engine survives.
    pub new_top: Option<String>,
    #[serde(flatten)]
    pub reason: Reason,
}

pub fn sensitivity(brief: &Brief, kb: &KnowledgeBase, top: Option<&str>) -> Vec<Sensitivity> {
    let Some(top) = top else { return Vec::new() };
    let top_name = kb.engine(top).map_or(top, |engine| engine.name.as_str());
    let mut found: Vec<(f64, Sensitivity)> = Vec::new();
    for key in brief.keys().collect::<Vec<_>>() {
        let Some(current) = brief.get(key).cloned() else {
            continue;
        };
        match (key.kind(), &current) {
            (Kind::Number { .. }, Value::Number(now)) => {
                for up in [true, false] {
                    if let Some((threshold, new_top)) = crossing(brief, kb, key, *now, top, up) {
                        let distance = if *now > 0.0 && threshold > 0.0 {
                            (threshold / now).ln().abs()
                        } else {
                            f64::MAX
                        };
                        let integer = matches!(key.kind(), Kind::Number { integer: true, .. });
                        let word = match (up, integer) {
                            (true, false) => "above",
                            (false, false) => "below",
                            (true, true) => "at or above",
                            (false, true) => "at or below",
                        };
                        let value = approx(threshold);
                        let text = format!(
                            "{word} {}{value} {key} (now {current}), {}",
                            if integer { "" } else { "~" },
                            outcome(kb, new_top.as_deref(), top_name)
                        );
                        found.push((distance, entry(kb, key, &current, value, new_top, text)));
                    }
                }
            }
            (Kind::Bool, Value::Bool(now)) => {
                let mut changed = brief.clone();
                changed.set_value(key, Value::Bool(!now));
                let new_top = top_choice(&changed, kb);
                if new_top.as_deref() != Some(top) {
                    let text = format!(
                        "with {key} = {} (now {now}), {}",
                        !now,
                        outcome(kb, new_top.as_deref(), top_name)
                    );
                    found.push((
                        f64::MAX,
                        entry(kb, key, &current, (!now).to_string(), new_top, text),
                    ));
                }
            }
            (Kind::Choice(allowed), Value::Choice(now)) => {
                // Alternatives that lead to the same new top choice share one line.
                let mut outcomes: Vec<(Option<String>, Vec<&str>)> = Vec::new();
                for other in allowed.iter().filter(|other| *other != now) {
                    let mut changed = brief.clone();
                    changed.set_value(key, Value::Choice(other));
                    let new_top = top_choice(&changed, kb);
                    if new_top.as_deref() == Some(top) {
                        continue;
                    }
                    match outcomes.iter_mut().find(|(seen, _)| *seen == new_top) {
                        Some((_, values)) => values.push(other),
                        None => outcomes.push((new_top, vec![other])),
                    }
                }
                for (new_top, values) in outcomes {
                    let quoted: Vec<String> =
                        values.iter().map(|value| format!("\"{value}\"")).collect();
                    let alternatives = match &quoted[..] {
                        [one] => one.clone(),
                        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
                        [] => continue,
                    };
                    let text = format!(
                        "with {key} = {alternatives} (now \"{now}\"), {}",
                        outcome(kb, new_top.as_deref(), top_name)
                    );
                    found.push((
                        f64::MAX,
                        entry(kb, key, &current, values.join(", "), new_top, text),
                    ));
                }
            }
            _ => {}
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.key.cmp(&b.1.key)));
    found.into_iter().map(|(_, entry)| entry).collect()
}

fn outcome(kb: &KnowledgeBase, new_top: Option<&str>, top_name: &str) -> String {
    match new_top {
        Some(id) => {
            let name = kb.engine(id).map_or(id, |engine| engine.name.as_str());
            format!("{name} overtakes {top_name}")
        }
        None => "no engine meets every hard constraint".to_string(),
    }
}

fn entry(
    kb: &KnowledgeBase,
    key: Key,
    current: &Value,
    changed_to: String,
    new_top: Option<String>,
    text: String,
) -> Sensitivity {
    let mut reason = Reason::from_brief(text, vec![key]);
    if let Some(engine) = new_top.as_deref().and_then(|id| kb.engine(id)) {
        reason.cite(engine, [engine.roles_fact.as_str()]);
    }
    Sensitivity {
        key,
        current: current.to_string(),
        changed_to,
        new_top,
        reason,
    }
}

/// Move `key` from `now` in one direction until the top choice changes; return the crossing
/// value and the new top choice.
fn crossing(
    brief: &Brief,
    kb: &KnowledgeBase,
    key: Key,
    now: f64,
    top: &str,
    up: bool,
) -> Option<(f64, Option<String>)> {
    let Kind::Number { min, max, integer } = key.kind() else {
        return None;
    };
    let top_at = |value: f64| {
        let mut changed = brief.clone();
        changed.set_number_clamped(key, value);
        top_choice(&changed, kb)
    };
    let mut previous = now;
    for step in 0..MAX_STEPS {
        let next = if integer {
            if up { previous + 1.0 } else { previous - 1.0 }
        } else if up {
            if previous <= 0.0 {
                smallest_step(max)
            } else {
                previous * STEP
            }
        } else if step + 1 == MAX_STEPS {
            min
        } else {
            previous / STEP
        };
        let next = next.clamp(min, max);
        if next == previous {
            return None;
        }
        let new_top = top_at(next);
        if new_top.as_deref() != Some(top) {
            if integer {
                return Some((next, new_top));
            }
            let (mut inside, mut outside, mut changed_top) = (previous, next, new_top);
            for _ in 0..BISECTIONS {
                let middle = (inside + outside) / 2.0;
                let middle_top = top_at(middle);
                if middle_top.as_deref() == Some(top) {
                    inside = middle;
                } else {
                    outside = middle;
                    changed_top = middle_top;
                }
            }
            return Some((outside, changed_top));
        }
        previous = next;
    }
    None
}

/// The first value tried above zero: 1% of a bounded range, or 1 for open-ended counts.
fn smallest_step(max: f64) -> f64 {
    if max <= 1.0 { 0.01 } else { 1.0 }
}

/// A number rounded to two significant digits, with thousands separators.
pub fn approx(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let magnitude = 10f64.powf(value.abs().log10().floor() - 1.0);
    let rounded = (value / magnitude).round() * magnitude;
    if rounded.abs() >= 1000.0 {
        dbwise_diagnostics::group_digits(&format!("{:.0}", rounded.abs()))
    } else {
        crate::brief::format_number(rounded)
    }
}

#[cfg(test)]
mod tests {
    use super::approx;

    #[test]
    fn thresholds_are_rounded_to_two_significant_digits() {
        assert_eq!(approx(52_345.0), "52,000");
        assert_eq!(approx(1_234_567.0), "1,200,000");
        assert_eq!(approx(0.456), "0.46");
        assert_eq!(approx(7.0), "7");
        assert_eq!(approx(149.0), "150");
    }
}
