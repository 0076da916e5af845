//! Which bins on which day: the fixed rota (day patterns and a fixed number of visits a week)
//! and the forecast policy (must-collect before an overflow, cheap optional bins nearby).
//!
//! Day patterns (`daily`, `{"days": [...]}`) are kept by both policies.

use std::collections::BTreeMap;
use std::str::FromStr;

use kerb_core::{haversine_m, Point};
use serde::{Deserialize, Serialize};

use super::{CollectionWeek, Frequency};
use crate::fill::{RateEstimate, DAY_S};
use crate::Error;

/// How bins are assigned to days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// A rota: on-demand bins [`fixed_visits_per_week`](super::WeekOptions::fixed_visits_per_week)
    /// times a week on set days, weekly bins on one set day, whatever their fill.
    Fixed,
    /// By forecast: a bin is collected when it would otherwise reach
    /// [`must_pct`](super::WeekOptions::must_pct) before the next working day; bins filled
    /// past [`cheap_pct`](super::WeekOptions::cheap_pct) near such bins are optional.
    #[default]
    Forecast,
}

impl FromStr for Policy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "fixed" => Ok(Policy::Fixed),
            "forecast" => Ok(Policy::Forecast),
            other => Err(Error::InvalidInput(format!(
                "unknown policy {other:?} (expected fixed or forecast)"
            ))),
        }
    }
}

/// A bin chosen for a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Choice {
    /// Index into the week's bins.
    pub bin: usize,
    /// `None`: must be collected; `Some(v)`: optional, worth `v`.
    pub value: Option<f64>,
}

/// The fixed rota's working-day indices per bin: bins fall into `n` groups (one per working
/// day) by their rank within their territory, so each day takes a slice of every truck's
/// sector; with `k` visits a week group `g` is visited on working days `g + j n / k (mod n)`,
/// spread evenly over the week and every day taking `k / n` of the bins.
pub(crate) fn fixed_rota(week: &CollectionWeek, rank: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let calendar = week.calendar();
    let n = calendar.len();
    week.bins
        .iter()
        .zip(rank)
        .map(|(b, &(r, len))| match &b.frequency {
            Frequency::Daily => (0..n).collect(),
            Frequency::Days(days) => (0..n)
                .filter(|&w| days.contains(&calendar[w].1.weekday))
                .collect(),
            Frequency::Weekly | Frequency::OnDemand => {
                let k = if b.frequency == Frequency::Weekly {
                    1
                } else {
                    week.options.fixed_visits_per_week.min(n)
                };
                let group = r * n / len.max(1);
                let mut days: Vec<usize> = (0..k).map(|j| (group + j * n / k) % n).collect();
                days.sort_unstable();
                days
            }
        })
        .collect()
}

/// Unix time of the next working day's collection after working day `w`.
pub(crate) fn next_visit_time(week: &CollectionWeek, w: usize) -> f64 {
    let calendar = week.calendar();
    match calendar.get(w + 1) {
        Some(&(k, _)) => week.collect_time(k),
        None => week.collect_time(calendar[0].0) + 7.0 * DAY_S,
    }
}

/// The bins to offer on working day `w` under `policy`, given each bin's fill model now
/// (`models`, in week-bin order) and whether it was already collected this week.
pub(crate) fn choose(
    week: &CollectionWeek,
    policy: Policy,
    w: usize,
    models: &[RateEstimate],
    rota: &[Vec<usize>],
    collected: &[usize],
) -> Vec<Choice> {
    let calendar = week.calendar();
    let weekday = calendar[w].1.weekday;
    let last_day = w + 1 == calendar.len();
    let mut must = vec![false; week.bins.len()];
    let mut candidate = vec![false; week.bins.len()];
    let o = &week.options;
    let t_next = next_visit_time(week, w);
    for (i, b) in week.bins.iter().enumerate() {
        must[i] = match (&b.frequency, policy) {
            (Frequency::Daily, _) => true,
            (Frequency::Days(days), _) => days.contains(&weekday),
            (_, Policy::Fixed) => rota[i].contains(&w),
            (f, Policy::Forecast) => {
                let overflows = models[i].forecast_at(t_next).upper(o.safety_z) >= o.must_pct;
                let weekly_due = *f == Frequency::Weekly && collected[i] == 0 && last_day;
                overflows || weekly_due
            }
        };
        let full_enough = models[i]
            .forecast_at(week.collect_time(calendar[w].0))
            .mean_pct
            >= o.cheap_pct;
        candidate[i] = policy == Policy::Forecast
            && !must[i]
            && full_enough
            && !(b.frequency == Frequency::Weekly && collected[i] > 0);
    }
    let position: BTreeMap<&str, Point> = week
        .day
        .bins
        .iter()
        .map(|b| (b.id.as_str(), Point::new(b.lon, b.lat)))
        .collect();
    let at = |i: usize| position[week.bins[i].id.as_str()];
    let must_points: Vec<Point> = (0..must.len()).filter(|&i| must[i]).map(at).collect();
    (0..week.bins.len())
        .filter_map(|i| {
            if must[i] {
                return Some(Choice {
                    bin: i,
                    value: None,
                });
            }
            let near = candidate[i]
                && must_points
                    .iter()
                    .any(|&p| haversine_m(p, at(i)) <= o.cheap_radius_m);
            near.then(|| {
                let fill = models[i]
                    .forecast_at(week.collect_time(calendar[w].0))
                    .mean_pct
                    .min(100.0);
                Choice {
                    bin: i,
                    value: Some(o.cheap_value_s * fill / 100.0),
                }
            })
        })
        .collect()
}
