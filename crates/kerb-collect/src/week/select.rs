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
use crate::territory::Sector;
use crate::Error;

/// How bins are assigned to days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// A rota: on-demand bins [`fixed_visits_per_week`](super::WeekOptions::fixed_visits_per_week)
    /// times a week on set days, weekly bins on one set day, whatever their fill.
    Fixed,
    /// By forecast, on the rota's zone days: on a day its zone is visited, a bin is collected
    /// only if it would otherwise reach [`must_pct`](super::WeekOptions::must_pct) before the
    /// zone's next visit; on other days only if it would reach it before the next working day
    /// (an emergency visit). Weekly bins go on their zone day. Bins filled past
    /// [`cheap_pct`](super::WeekOptions::cheap_pct) near a must-collect bin are optional.
    /// Skipping the bins that can wait, while keeping each day's work in a compact slice of
    /// every territory, is what saves the distance: a forecast that may collect any bin on
    /// any day sends every truck over its whole territory every day.
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
pub(crate) fn fixed_rota(week: &CollectionWeek, sectors: &[Sector]) -> Vec<Vec<usize>> {
    let calendar = week.calendar();
    let n = calendar.len();
    week.bins
        .iter()
        .zip(sectors)
        .map(|(b, s)| match &b.frequency {
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
                let group = s.rank * n / s.size.max(1);
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

/// Unix time of the first zone day in `days` (sorted working-day indices) after working day
/// `w`, next week's first one if none is left this week.
pub(crate) fn next_zone_time(week: &CollectionWeek, days: &[usize], w: usize) -> f64 {
    let calendar = week.calendar();
    match days.iter().find(|&&d| d > w) {
        Some(&d) => week.collect_time(calendar[d].0),
        None => match days.first() {
            Some(&d) => week.collect_time(calendar[d].0) + 7.0 * DAY_S,
            None => next_visit_time(week, w),
        },
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
                let in_zone = rota[i].contains(&w);
                let horizon = if in_zone {
                    next_zone_time(week, &rota[i], w)
                } else {
                    t_next
                };
                let overflows = models[i].forecast_at(horizon).upper(o.safety_z) >= o.must_pct;
                let weekly_due =
                    *f == Frequency::Weekly && collected[i] == 0 && (in_zone || last_day);
                (overflows && (*f != Frequency::Weekly || collected[i] == 0)) || weekly_due
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::week::Weekday;

    /// Three on-demand bins next to each other (b, c) and one far away (d), plus a Mon/Thu bin.
    fn week() -> CollectionWeek {
        CollectionWeek::from_json(
            r#"{
            "day": {
                "bins": [
                    {"id": "a", "lon": 24.940, "lat": 60.170},
                    {"id": "b", "lon": 24.941, "lat": 60.170},
                    {"id": "c", "lon": 24.960, "lat": 60.180},
                    {"id": "p", "lon": 24.942, "lat": 60.171}
                ],
                "depots": [{"id": "d", "lon": 24.95, "lat": 60.17}], "disposal_sites": [],
                "trucks": [{"id": "t", "depot": "d", "capacity_kg": 8000, "shift": ["06:00", "14:00"]}]
            },
            "bins": [
                {"id": "a", "capacity_l": 240, "rate_pct_per_day": 30, "fill_pct": 80},
                {"id": "b", "capacity_l": 240, "rate_pct_per_day": 5, "fill_pct": 70},
                {"id": "c", "capacity_l": 240, "rate_pct_per_day": 5, "fill_pct": 70},
                {"id": "p", "capacity_l": 240, "frequency": {"days": ["mon", "thu"]}, "rate_pct_per_day": 1}
            ]
        }"#,
        )
        .unwrap()
    }

    fn places() -> Vec<Sector> {
        (0..4)
            .map(|rank| Sector {
                truck: 0,
                rank,
                size: 4,
            })
            .collect()
    }

    fn chosen(week: &CollectionWeek, policy: Policy, w: usize) -> Vec<(String, bool)> {
        let models: Vec<RateEstimate> = {
            let m = week.fill_models();
            week.bins.iter().map(|b| m[&b.id]).collect()
        };
        let rota = fixed_rota(week, &places());
        choose(week, policy, w, &models, &rota, &[0; 4])
            .into_iter()
            .map(|c| (week.bins[c.bin].id.clone(), c.value.is_some()))
            .collect()
    }

    #[test]
    fn forecast_collects_what_would_overflow_and_offers_cheap_neighbours() {
        let week = week();
        // Monday: a reaches 80 + 30 * 1.4 > 100 by Tuesday; b is full enough and next to
        // it (optional); c is as full but far away; p is on its pattern day.
        let got = chosen(&week, Policy::Forecast, 0);
        assert_eq!(
            got,
            vec![("a".into(), false), ("b".into(), true), ("p".into(), false)]
        );
        // Tuesday: nothing overflows by Wednesday except a, still uncollected in this model.
        let got = chosen(&week, Policy::Forecast, 1);
        assert!(got.iter().all(|(id, _)| id != "p"));
    }

    #[test]
    fn forecast_skips_a_zone_day_when_the_bin_can_wait_for_the_next() {
        let mut week = week();
        // Bin b's zone days are Tuesday and Thursday; 20 % + 10 %/day.
        week.bins[1].fill_pct = Some(20.0);
        week.bins[1].rate_pct_per_day = Some(10.0);
        week.options.safety_z = 0.0;
        // Tuesday: 34 % now, 54 % by Thursday: skipped. Thursday: 54 %, 104 % by next
        // Tuesday: collected. Friday (outside its zone): not an emergency.
        assert!(!chosen(&week, Policy::Forecast, 1)
            .iter()
            .any(|c| c.0 == "b"));
        assert!(chosen(&week, Policy::Forecast, 3).contains(&("b".into(), false)));
        assert!(!chosen(&week, Policy::Forecast, 4).contains(&("b".into(), false)));
    }

    #[test]
    fn fixed_rota_spreads_visits_and_keeps_patterns() {
        let week = week();
        let rota = fixed_rota(&week, &places());
        // Two visits a week, evenly spread: days g and g + 2 (mod 5).
        assert_eq!(rota[0], vec![0, 2]);
        assert_eq!(rota[1], vec![1, 3]);
        assert_eq!(rota[2], vec![2, 4]);
        // The pattern bin: Monday and Thursday.
        assert_eq!(rota[3], vec![0, 3]);
        let monday: Vec<String> = chosen(&week, Policy::Fixed, 0)
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(monday, vec!["a", "p"]);
    }

    #[test]
    fn the_last_working_day_looks_over_the_rest_days() {
        let mut week = week();
        // Bin a's zone days are Monday and Wednesday: Thursday and Friday are outside it.
        week.bins[0].fill_pct = Some(40.0);
        week.bins[0].rate_pct_per_day = Some(9.0);
        week.options.safety_z = 0.0;
        let calendar = week.calendar();
        assert_eq!(calendar.last().unwrap().1.weekday, Weekday::Fri);
        // 40 % + 9 %/day: 80 % on Friday, 89 % by a Saturday visit, 107 % by Monday's.
        let thu = chosen(&week, Policy::Forecast, 3);
        assert!(!thu.contains(&("a".into(), false)), "{thu:?}");
        let fri = chosen(&week, Policy::Forecast, 4);
        assert!(fri.contains(&("a".into(), false)), "{fri:?}");
        // On its zone day (Wednesday) it is due: by the zone's next visit (Monday) it overflows.
        let wed = chosen(&week, Policy::Forecast, 2);
        assert!(wed.contains(&("a".into(), false)), "{wed:?}");
        assert_eq!("forecast".parse::<Policy>().unwrap(), Policy::Forecast);
        assert!("sometimes".parse::<Policy>().is_err());
    }
}
