//! Replaying a planned week against the bins' true filling (known for generated weeks):
//! overflows counted on the truth rather than on the planner's own forecasts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CollectionWeek, WeekPlan};
use crate::fill::DAY_S;
use crate::plan::StopKind;

/// A bin's true state: what a generator knows and a planner only estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrueFill {
    /// Fill at the start of the week, percent.
    pub fill_pct: f64,
    /// Filling rate, percent per day.
    pub rate_pct_per_day: f64,
}

/// Bin-days over 100 % during the week when the bins fill as `truth` says and are emptied
/// when `plan` stops at them (bins missing from `truth` are not counted): the same count as
/// [`WeekTotals::overflows`](super::WeekTotals::overflows), on the truth.
pub fn true_overflows(
    week: &CollectionWeek,
    plan: &WeekPlan,
    truth: &BTreeMap<String, TrueFill>,
) -> usize {
    let mut emptied: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for day in &plan.days {
        for route in &day.plan.routes {
            for stop in route.stops.iter().filter(|s| s.kind == StopKind::Bin) {
                let t = week.start + day.day_index as f64 * DAY_S + stop.arrival_s;
                emptied.entry(stop.id.as_str()).or_default().push(t);
            }
        }
    }
    let mut count = 0;
    for b in &week.bins {
        let Some(true_fill) = truth.get(&b.id) else {
            continue;
        };
        let mut times = emptied.remove(b.id.as_str()).unwrap_or_default();
        times.sort_by(f64::total_cmp);
        let fill_at = |t: f64| {
            let since = times
                .iter()
                .rev()
                .find(|&&e| e <= t)
                .map_or((week.start, true_fill.fill_pct), |&e| (e, 0.0));
            since.1 + true_fill.rate_pct_per_day * (t - since.0) / DAY_S
        };
        for k in 0..7 {
            let (from, to) = (
                week.start + k as f64 * DAY_S,
                week.start + (k + 1) as f64 * DAY_S,
            );
            // Over 100 % just before an emptying that day, or at the end of the day.
            let before_emptying = times
                .iter()
                .filter(|&&e| e >= from && e < to)
                .any(|&e| fill_at(e - 1.0) > 100.0);
            if before_emptying || fill_at(to) > 100.0 {
                count += 1;
            }
        }
    }
    count
}
