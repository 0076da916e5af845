//! A collection week: the day template of a [`CollectionDay`] plus per-bin capacity, fill
//! state and visit frequency, the working days with their trucks and disposal hours.
//!
//! [`plan_week`] assigns bins to days by a [`Policy`] ([`select`]), plans each day with
//! [`plan_collection`](crate::plan_collection) and reports KPIs ([`WeekPlan`]).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::day::{CollectionDay, TimeOfDay};
use crate::fill::{estimate_rates, RateEstimate, Reading, DAY_S};
use crate::Error;

mod evaluate;
mod html;
mod plan;
pub mod sample;
mod sectors;
pub mod select;

pub use evaluate::{true_overflows, TrueFill};
pub use plan::{
    plan_week, plan_week_cancellable, replan_week, DayKpis, WeekDay, WeekPlan, WeekTotals,
};
pub use select::Policy;

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// All seven, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The day `n` days later.
    pub fn plus(self, n: usize) -> Weekday {
        Weekday::ALL[(self as usize + n) % 7]
    }
}

/// How often a bin must be emptied.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every working day (markets, restaurants).
    Daily,
    /// Exactly once a week; the day is the policy's choice.
    Weekly,
    /// On exactly these weekdays (e.g. `{"days": ["mon", "thu"]}`).
    Days(Vec<Weekday>),
    /// When needed: by fill level under the forecast policy, on a fixed rota under the fixed one.
    #[default]
    OnDemand,
}

/// A bin's week-long state; its location and service come from the template day's bin
/// with the same id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeekBin {
    /// Id of a bin of [`CollectionWeek::day`].
    pub id: String,
    /// Capacity, litres.
    pub capacity_l: f64,
    /// Visit frequency or day pattern.
    #[serde(default)]
    pub frequency: Frequency,
    /// Known filling rate, percent per day, used when the bin has too few sensor readings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_pct_per_day: Option<f64>,
    /// Known fill at the start of the week, percent, used when the bin has no readings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_pct: Option<f64>,
}

/// A working day of the week with what is available on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkingDay {
    /// Which day.
    pub weekday: Weekday,
    /// Trucks (crews) available, the first of the template's expanded trucks; `None` = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trucks: Option<u32>,
    /// Disposal-site opening hours this day, replacing the template's; `None` = unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposal_hours: Option<Vec<[TimeOfDay; 2]>>,
}

/// Knobs of the week planner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct WeekOptions {
    /// A bin forecast to reach this fill (percent) before its next possible visit must be collected.
    pub must_pct: f64,
    /// Standard deviations of the forecast added before comparing with `must_pct`.
    pub safety_z: f64,
    /// Bins filled at least this much (percent) near a must-collect bin are offered as optional.
    pub cheap_pct: f64,
    /// "Near": within this distance of a must-collect bin, metres.
    pub cheap_radius_m: f64,
    /// Value of collecting a full optional bin, seconds of working time (scaled by its fill).
    pub cheap_value_s: f64,
    /// Visits per week of on-demand bins under the fixed policy.
    pub fixed_visits_per_week: usize,
    /// Waste density, kg per litre, to turn fill into weight.
    pub density_kg_per_l: f64,
    /// When in the day bins are emptied, for forecasts.
    pub collect_at: TimeOfDay,
    /// Pin each bin to one truck for the whole week (cluster-first sectors around the depot).
    pub territories: bool,
    /// Fuel per km driven, litres (default 0.8: diesel rear-loader refuse trucks use about
    /// 70-90 l/100 km in stop-and-go collection duty).
    pub fuel_l_per_km: f64,
    /// Fuel per hour worked but not driven (engine idling, compactor), litres (default 3).
    pub idle_fuel_l_per_h: f64,
    /// CO2 per litre of fuel, kg (default 2.68, tank-to-wheel combustion of diesel).
    pub co2_kg_per_l: f64,
}

impl Default for WeekOptions {
    fn default() -> Self {
        WeekOptions {
            must_pct: 100.0,
            safety_z: 1.0,
            cheap_pct: 60.0,
            cheap_radius_m: 200.0,
            cheap_value_s: 600.0,
            fixed_visits_per_week: 2,
            density_kg_per_l: 0.1,
            collect_at: TimeOfDay(10.0 * 3600.0),
            territories: true,
            fuel_l_per_km: 0.8,
            idle_fuel_l_per_h: 3.0,
            co2_kg_per_l: 2.68,
        }
    }
}

fn monday_to_friday() -> Vec<WorkingDay> {
    Weekday::ALL[..5]
        .iter()
        .map(|&weekday| WorkingDay {
            weekday,
            trucks: None,
            disposal_hours: None,
        })
        .collect()
}

fn monday() -> Weekday {
    Weekday::Mon
}

/// A week to plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionWeek {
    /// Free-form name.
    #[serde(default)]
    pub name: String,
    /// The day template: every bin of the week, depots, disposal sites, the whole fleet, options.
    pub day: CollectionDay,
    /// Per-bin week state, one per bin of `day`.
    pub bins: Vec<WeekBin>,
    /// Sensor readings (history up to the start, and any taken since).
    #[serde(default)]
    pub readings: Vec<Reading>,
    /// Unix time of 00:00 on the week's first day.
    #[serde(default)]
    pub start: f64,
    /// Weekday of `start`.
    #[serde(default = "monday")]
    pub first_weekday: Weekday,
    /// Working days (Monday to Friday by default; e.g. Sunday to Thursday in Saudi Arabia).
    #[serde(default = "monday_to_friday")]
    pub working_days: Vec<WorkingDay>,
    /// Planner knobs.
    #[serde(default)]
    pub options: WeekOptions,
}

impl CollectionWeek {
    /// Parses and validates a week from JSON.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let week: CollectionWeek = serde_json::from_str(text)
            .map_err(|e| Error::InvalidInput(format!("collection week JSON: {e}")))?;
        week.validate()?;
        Ok(week)
    }

    /// Checks the template day and what serde cannot: one week bin per day bin, positive
    /// capacities, sane rates and fills, known and distinct working days, day patterns on
    /// working days, truck counts within the fleet.
    pub fn validate(&self) -> Result<(), Error> {
        self.day.validate()?;
        let bad = |m: String| Err(Error::InvalidInput(m));
        let day_ids: HashSet<&str> = self.day.bins.iter().map(|b| b.id.as_str()).collect();
        let mut seen = HashSet::new();
        let working: HashSet<Weekday> = self.working_days.iter().map(|w| w.weekday).collect();
        if working.len() != self.working_days.len() {
            return bad("working_days lists a weekday twice".into());
        }
        if working.is_empty() {
            return bad("at least one working day is required".into());
        }
        for b in &self.bins {
            if !day_ids.contains(b.id.as_str()) {
                return bad(format!(
                    "week bin {:?} is not a bin of the day template",
                    b.id
                ));
            }
            if !seen.insert(b.id.as_str()) {
                return bad(format!("duplicate week bin {:?}", b.id));
            }
            if !(b.capacity_l.is_finite() && b.capacity_l > 0.0) {
                return bad(format!("bin {:?}: capacity_l must be positive", b.id));
            }
            for (what, v) in [
                ("rate_pct_per_day", b.rate_pct_per_day),
                ("fill_pct", b.fill_pct),
            ] {
                if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
                    return bad(format!(
                        "bin {:?}: {what} must be finite and non-negative",
                        b.id
                    ));
                }
            }
            if let Frequency::Days(days) = &b.frequency {
                if days.is_empty() {
                    return bad(format!("bin {:?}: an empty day pattern", b.id));
                }
                if let Some(d) = days.iter().find(|d| !working.contains(d)) {
                    return bad(format!(
                        "bin {:?}: pattern day {d:?} is not a working day",
                        b.id
                    ));
                }
            }
        }
        if let Some(b) = self.day.bins.iter().find(|b| !seen.contains(b.id.as_str())) {
            return bad(format!("day bin {:?} has no week state", b.id));
        }
        let fleet = self.day.size().trucks;
        for w in &self.working_days {
            if w.trucks == Some(0) {
                return bad(format!(
                    "{:?}: no trucks (leave the day out of working_days instead)",
                    w.weekday
                ));
            }
            if w.trucks.is_some_and(|t| u64::from(t) > fleet) {
                return bad(format!(
                    "{:?}: more trucks than the fleet of {fleet}",
                    w.weekday
                ));
            }
            if let Some(h) = &w.disposal_hours {
                if h.iter().any(|w| w[1].0 < w[0].0) {
                    return bad(format!(
                        "{:?}: disposal hours end before they start",
                        w.weekday
                    ));
                }
            }
        }
        let o = &self.options;
        for (what, v) in [
            ("must_pct", o.must_pct),
            ("safety_z", o.safety_z),
            ("cheap_pct", o.cheap_pct),
            ("cheap_radius_m", o.cheap_radius_m),
            ("cheap_value_s", o.cheap_value_s),
            ("density_kg_per_l", o.density_kg_per_l),
            ("fuel_l_per_km", o.fuel_l_per_km),
            ("idle_fuel_l_per_h", o.idle_fuel_l_per_h),
            ("co2_kg_per_l", o.co2_kg_per_l),
        ] {
            if !v.is_finite() || v < 0.0 {
                return bad(format!("options.{what} must be finite and non-negative"));
            }
        }
        if o.fixed_visits_per_week == 0 {
            return bad("options.fixed_visits_per_week must be at least 1".into());
        }
        if !self.start.is_finite() {
            return bad("start must be a finite Unix time".into());
        }
        Ok(())
    }

    /// The working days as `(calendar day index 0..7, working day)`, in order.
    pub fn calendar(&self) -> Vec<(usize, &WorkingDay)> {
        (0..7)
            .filter_map(|k| {
                let wd = self.first_weekday.plus(k);
                self.working_days
                    .iter()
                    .find(|w| w.weekday == wd)
                    .map(|w| (k, w))
            })
            .collect()
    }

    /// Each bin's fill model at the start: its readings' estimate, else its known rate and
    /// fill, else the median rate of the bins with estimates (a failed sensor).
    pub fn fill_models(&self) -> BTreeMap<String, RateEstimate> {
        let mut estimates = estimate_rates(&self.readings);
        let mut rates: Vec<f64> = estimates.values().map(|e| e.rate_pct_per_day).collect();
        rates.sort_by(f64::total_cmp);
        let fallback = rates.get(rates.len() / 2).copied().unwrap_or(10.0);
        let mut out = BTreeMap::new();
        for b in &self.bins {
            let model = match estimates.remove(&b.id) {
                Some(e) if b.rate_pct_per_day.is_none() || e.readings >= 3 => e,
                _ => {
                    let rate = b.rate_pct_per_day.unwrap_or(fallback);
                    let last = self
                        .readings
                        .iter()
                        .filter(|r| {
                            r.bin_id == b.id
                                && r.fill_pct.is_finite()
                                && (0.0..=150.0).contains(&r.fill_pct)
                        })
                        .map(|r| (r.timestamp, r.fill_pct))
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .unwrap_or((self.start, b.fill_pct.unwrap_or(0.0)));
                    RateEstimate {
                        rate_pct_per_day: rate,
                        // Unmeasured: a wide band.
                        rate_sd_pct_per_day: 0.3 * rate,
                        noise_sd_pct: 5.0,
                        last,
                        readings: 0,
                        rejected: 0,
                        resets: 0,
                        weekday_factors: None,
                    }
                }
            };
            out.insert(b.id.clone(), model);
        }
        out
    }

    /// Unix time at which bins are emptied on calendar day `k`.
    pub fn collect_time(&self, k: usize) -> f64 {
        self.start + k as f64 * DAY_S + self.options.collect_at.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: &str = r#"{
        "day": {
            "bins": [{"id": "a", "lon": 24.94, "lat": 60.17}],
            "depots": [{"id": "d", "lon": 24.95, "lat": 60.17}], "disposal_sites": [],
            "trucks": [{"id": "t", "depot": "d", "capacity_kg": 8000, "shift": ["06:00", "14:00"], "count": 2}]
        },
        "bins": [{"id": "a", "capacity_l": 240, "frequency": {"days": ["sun", "wed"]}}],
        "first_weekday": "sat",
        "working_days": [
            {"weekday": "sun"}, {"weekday": "mon"}, {"weekday": "tue"},
            {"weekday": "wed", "trucks": 1}, {"weekday": "thu"}
        ]
    }"#;

    #[test]
    fn a_sunday_to_thursday_week() {
        let week = CollectionWeek::from_json(WEEK).unwrap();
        let days: Vec<(usize, Weekday)> = week
            .calendar()
            .iter()
            .map(|(k, w)| (*k, w.weekday))
            .collect();
        assert_eq!(days[0], (1, Weekday::Sun));
        assert_eq!(days[4], (5, Weekday::Thu));
        assert_eq!(Weekday::Sat.plus(2), Weekday::Mon);
        // No readings: the known fill (0 %) and a fallback rate.
        let models = week.fill_models();
        assert_eq!(models["a"].last, (week.start, 0.0));
    }

    #[test]
    fn rejects_inconsistent_weeks() {
        for (from, to, message) in [
            (r#""sun", "wed""#, r#""sat""#, "not a working day"),
            (
                r#""trucks": 1"#,
                r#""trucks": 3"#,
                "more trucks than the fleet",
            ),
            (r#""capacity_l": 240"#, r#""capacity_l": 0"#, "capacity_l"),
            (r#"{"weekday": "mon"}"#, r#"{"weekday": "sun"}"#, "twice"),
            (
                r#""id": "a", "capacity_l""#,
                r#""id": "z", "capacity_l""#,
                "not a bin",
            ),
        ] {
            let text = WEEK.replace(from, to);
            assert_ne!(text, WEEK, "{from}");
            let e = CollectionWeek::from_json(&text).unwrap_err();
            assert!(e.to_string().contains(message), "{e}");
        }
    }
}
