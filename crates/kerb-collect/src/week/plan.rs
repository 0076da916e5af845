//! The week planner: simulate the week's fill levels day by day, choose each working day's
//! bins by policy, plan the day with the collection pipeline, and add up the KPIs.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use kerb_core::Graph;
use serde::{Deserialize, Serialize};

use super::sectors::sectors;
use super::select::{choose, fixed_rota, next_visit_time, Policy};
use super::{CollectionWeek, Frequency, Weekday};
use crate::day::{Bin, CollectionDay, Truck};
use crate::fill::{FillForecast, RateEstimate, DAY_S};
use crate::plan::{CollectionPlan, StopKind};
use crate::{plan_collection_cancellable, Error};

/// KPIs of one working day.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DayKpis {
    /// Kilometres driven.
    pub distance_km: f64,
    /// Hours driven, all trucks.
    pub driving_h: f64,
    /// Hours worked (shift start to end), all trucks used.
    pub working_h: f64,
    /// Disposal-site visits.
    pub disposal_trips: usize,
    /// Bins offered as must-collect.
    pub bins_must: usize,
    /// Bins offered as optional.
    pub bins_optional: usize,
    /// Bins collected.
    pub bins_collected: usize,
    /// Must-collect bins the plan left out.
    pub must_unassigned: usize,
    /// Mean forecast fill of the bins collected, percent.
    pub mean_fill_collected_pct: f64,
    /// Bins forecast to be over 100 % this calendar day (and the rest days up to the next
    /// working day).
    pub overflows: usize,
    /// Expected number of bins left uncollected that overflow before the next working day
    /// (sum of their forecast probabilities).
    pub overflow_risk: f64,
    /// Fuel estimate, litres: driven km times [`fuel_l_per_km`] plus the hours worked but not
    /// driven (service, disposal, waiting) times [`idle_fuel_l_per_h`].
    ///
    /// [`fuel_l_per_km`]: super::WeekOptions::fuel_l_per_km
    /// [`idle_fuel_l_per_h`]: super::WeekOptions::idle_fuel_l_per_h
    pub fuel_l: f64,
    /// CO2 estimate, kg: `fuel_l` times [`co2_kg_per_l`](super::WeekOptions::co2_kg_per_l).
    pub co2_kg: f64,
}

/// One working day of the week plan: the day's collection plan (routes, stops,
/// unassigned, totals) and its KPIs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeekDay {
    /// Which weekday.
    pub weekday: Weekday,
    /// Calendar day of the week, 0 = the week's first day.
    pub day_index: usize,
    /// KPIs.
    pub kpis: DayKpis,
    /// The collection plan.
    #[serde(flatten)]
    pub plan: CollectionPlan,
}

/// Totals over the week.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WeekTotals {
    /// Kilometres driven.
    pub distance_km: f64,
    /// Hours driven.
    pub driving_h: f64,
    /// Hours worked.
    pub working_h: f64,
    /// Disposal-site visits.
    pub disposal_trips: usize,
    /// Bin collections.
    pub bins_collected: usize,
    /// Mean forecast fill at collection, percent.
    pub mean_fill_collected_pct: f64,
    /// Bin-days forecast over 100 % during the week.
    pub overflows: usize,
    /// Of `overflows`, those of weekly and on-demand bins, whose days the policy chooses
    /// (daily and day-pattern bins overflow alike under either policy, e.g. over rest days).
    pub overflows_flexible: usize,
    /// Bins forecast over 100 % at the first collection of the next week.
    pub overflows_carried: usize,
    /// Sum of the days' [`DayKpis::overflow_risk`].
    pub overflow_risk: f64,
    /// Sum of the days' [`DayKpis::fuel_l`].
    pub fuel_l: f64,
    /// Sum of the days' [`DayKpis::co2_kg`].
    pub co2_kg: f64,
    /// Most working hours of a working day.
    pub working_h_max: f64,
    /// Fewest working hours of a working day.
    pub working_h_min: f64,
    /// Working hours per truck (crew) over the week.
    pub working_h_by_truck: BTreeMap<String, f64>,
    /// Share of bins collected at least twice that were collected by the same truck each time.
    pub territory_stability: f64,
    /// Wall-clock time of the week planner, seconds.
    pub run_s: f64,
}

/// A planned week.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeekPlan {
    /// The week's name.
    pub name: String,
    /// The policy that chose the bins.
    pub policy: Policy,
    /// One entry per working day.
    pub days: Vec<WeekDay>,
    /// Totals.
    pub totals: WeekTotals,
    /// The truck each bin is pinned to (empty without territories).
    pub territories: BTreeMap<String, String>,
    /// Each bin's fill forecast from the readings at the start, at the collection time of
    /// each of the week's seven days, as if it were not emptied.
    pub forecasts: BTreeMap<String, Vec<FillForecast>>,
}

/// Plans `week` under `policy` on `graph`: each working day's plan passes the planner's
/// checker; day patterns and each day's truck availability are kept.
pub fn plan_week(graph: &Graph, week: &CollectionWeek, policy: Policy) -> Result<WeekPlan, Error> {
    plan_week_keeping(graph, week, policy, &[], None)
}

/// [`plan_week`] with a cancel token: setting it stops the day being planned (as
/// [`plan_collection_cancellable`](crate::plan_collection_cancellable)) and the week with its error.
pub fn plan_week_cancellable(
    graph: &Graph,
    week: &CollectionWeek,
    policy: Policy,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<WeekPlan, Error> {
    plan_week_keeping(graph, week, policy, &[], cancel)
}

/// Re-plans `week` from working day `from` on (with the sensor readings `week` now has),
/// keeping the first `from` days of `previous` as they were driven.
pub fn replan_week(
    graph: &Graph,
    week: &CollectionWeek,
    previous: &WeekPlan,
    from: usize,
) -> Result<WeekPlan, Error> {
    let keep = previous.days.get(..from).ok_or_else(|| {
        Error::InvalidInput(format!(
            "cannot keep {from} days of a plan with {} working days",
            previous.days.len()
        ))
    })?;
    plan_week_keeping(graph, week, previous.policy, keep, None)
}

/// The fleet expanded to one entry per truck, each named as its routes will be.
fn expanded_trucks(day: &CollectionDay) -> Vec<Truck> {
    let each = day
        .trucks
        .iter()
        .flat_map(|t| std::iter::repeat_n(t, t.count as usize));
    day.truck_names()
        .zip(each)
        .map(|(id, t)| Truck {
            id,
            count: 1,
            ..t.clone()
        })
        .collect()
}

fn plan_week_keeping(
    graph: &Graph,
    week: &CollectionWeek,
    policy: Policy,
    keep: &[WeekDay],
    cancel: Option<Arc<AtomicBool>>,
) -> Result<WeekPlan, Error> {
    week.validate()?;
    let t0 = Instant::now();
    let start_models = week.fill_models();
    let mut models: Vec<RateEstimate> = week.bins.iter().map(|b| start_models[&b.id]).collect();
    let forecasts = week
        .bins
        .iter()
        .zip(&models)
        .map(|(b, m)| (b.id.clone(), m.forecast_days(week.collect_time(0), 7)))
        .collect();
    let fleet = expanded_trucks(&week.day);
    let sector = sectors(week, &models, fleet.len());
    let rota = fixed_rota(week, &sector);
    let territories: BTreeMap<String, String> = if week.options.territories {
        week.bins
            .iter()
            .zip(&sector)
            .map(|(b, s)| (b.id.clone(), fleet[s.truck].id.clone()))
            .collect()
    } else {
        BTreeMap::new()
    };
    let template: HashMap<&str, &Bin> = week.day.bins.iter().map(|b| (b.id.as_str(), b)).collect();
    let index: HashMap<&str, usize> = week
        .bins
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let calendar = week.calendar();
    let mut collected = vec![0usize; week.bins.len()];
    let mut trucks_of: Vec<Vec<String>> = vec![Vec::new(); week.bins.len()];
    let mut days = Vec::new();
    let mut overflows_by_day = [0usize; 7];
    let mut overflows_flexible = 0;
    // Bins whose days the policy chooses (the others overflow alike under any policy).
    let flexible = |f: &Frequency| matches!(f, Frequency::Weekly | Frequency::OnDemand);
    let mut collected_on = vec![None; week.bins.len()];
    let mut next_working = 0;
    for (k, overflows_today) in overflows_by_day.iter_mut().enumerate() {
        collected_on.iter_mut().for_each(|c| *c = None);
        if let Some(&(_, wd)) = calendar.get(next_working).filter(|c| c.0 == k) {
            let w = next_working;
            next_working += 1;
            let t_collect = week.collect_time(k);
            let choices = choose(week, policy, w, &models, &rota, &collected);
            let (plan, offered) = match keep.get(w) {
                Some(kept) => (
                    kept.plan.clone(),
                    (kept.kpis.bins_must, kept.kpis.bins_optional),
                ),
                None => {
                    let mut day = week.day.clone();
                    day.name = format!("{} {:?}", week.name, wd.weekday);
                    let available = wd.trucks.map_or(fleet.len(), |t| t as usize);
                    day.trucks = fleet[..available].to_vec();
                    if let Some(hours) = &wd.disposal_hours {
                        for s in &mut day.disposal_sites {
                            s.opening_hours = hours.clone();
                        }
                    }
                    day.bins = choices
                        .iter()
                        .map(|c| {
                            let wb = &week.bins[c.bin];
                            let fill = models[c.bin].forecast_at(t_collect).mean_pct.min(100.0);
                            let volume_l = wb.capacity_l * fill / 100.0;
                            let truck = territories
                                .get(&wb.id)
                                .filter(|t| day.trucks.iter().any(|d| &&d.id == t))
                                .cloned();
                            Bin {
                                volume_l: volume_l.round(),
                                weight_kg: (volume_l * week.options.density_kg_per_l).round(),
                                value: c.value,
                                truck,
                                ..template[wb.id.as_str()].clone()
                            }
                        })
                        .collect();
                    day.options.seed = day.options.seed.wrapping_add(w as u64);
                    let must = choices.iter().filter(|c| c.value.is_none()).count();
                    let plan = plan_collection_cancellable(
                        &kerb_core::GraphSet::single(graph),
                        &day,
                        None,
                        cancel.clone(),
                    )?;
                    (plan, (must, choices.len() - must))
                }
            };
            let mut kpis = DayKpis {
                bins_must: offered.0,
                bins_optional: offered.1,
                ..DayKpis::default()
            };
            let mut fill_sum = 0.0;
            for route in &plan.routes {
                kpis.distance_km += route.distance_m / 1000.0;
                kpis.driving_h += route.driving_s / 3600.0;
                kpis.working_h += route.working_s / 3600.0;
                kpis.disposal_trips += route.disposal_trips;
                for stop in route.stops.iter().filter(|s| s.kind == StopKind::Bin) {
                    let Some(&i) = index.get(stop.id.as_str()) else {
                        continue;
                    };
                    let fill = models[i].forecast_at(t_collect).mean_pct;
                    fill_sum += fill.min(100.0);
                    kpis.bins_collected += 1;
                    collected[i] += 1;
                    collected_on[i] = Some(fill);
                    trucks_of[i].push(route.truck.clone());
                }
            }
            let o = &week.options;
            kpis.fuel_l = kpis.distance_km * o.fuel_l_per_km
                + (kpis.working_h - kpis.driving_h).max(0.0) * o.idle_fuel_l_per_h;
            kpis.co2_kg = kpis.fuel_l * o.co2_kg_per_l;
            kpis.mean_fill_collected_pct = if kpis.bins_collected > 0 {
                fill_sum / kpis.bins_collected as f64
            } else {
                0.0
            };
            let choice_must: Vec<usize> = choices
                .iter()
                .filter(|c| c.value.is_none())
                .map(|c| c.bin)
                .collect();
            kpis.must_unassigned = choice_must
                .iter()
                .filter(|&&i| collected_on[i].is_none())
                .count();
            let t_next = next_visit_time(week, w);
            for i in 0..week.bins.len() {
                match collected_on[i] {
                    Some(_) => {
                        if models[i].last.0 < t_collect {
                            models[i].last = (t_collect, 0.0);
                        }
                    }
                    None => {
                        kpis.overflow_risk += models[i].forecast_at(t_next).probability_above(100.0)
                    }
                }
            }
            days.push(WeekDay {
                weekday: wd.weekday,
                day_index: k,
                kpis,
                plan,
            });
        }
        let end_of_day = week.start + (k + 1) as f64 * DAY_S;
        let overflowing: Vec<usize> = (0..week.bins.len())
            .filter(|&i| match collected_on[i] {
                Some(fill) => fill > 100.0,
                None => models[i].forecast_at(end_of_day).mean_pct > 100.0,
            })
            .collect();
        *overflows_today = overflowing.len();
        overflows_flexible += overflowing
            .iter()
            .filter(|&&i| flexible(&week.bins[i].frequency))
            .count();
    }
    // Each day's overflows go to the working day they fall on or the last one before.
    let mut owner = 0;
    for (k, &n) in overflows_by_day.iter().enumerate() {
        if let Some(d) = days.iter().rposition(|d| d.day_index <= k) {
            owner = d;
        }
        if let Some(d) = days.get_mut(owner) {
            d.kpis.overflows += n;
        }
    }
    let next_week = week.collect_time(calendar[0].0) + 7.0 * DAY_S;
    let mut totals = WeekTotals {
        overflows: overflows_by_day.iter().sum(),
        overflows_flexible,
        overflows_carried: models
            .iter()
            .filter(|m| m.forecast_at(next_week).mean_pct > 100.0)
            .count(),
        working_h_min: f64::MAX,
        ..WeekTotals::default()
    };
    let mut fill_sum = 0.0;
    for d in &days {
        for route in &d.plan.routes {
            *totals
                .working_h_by_truck
                .entry(route.truck.clone())
                .or_default() += route.working_s / 3600.0;
        }
        let k = &d.kpis;
        totals.distance_km += k.distance_km;
        totals.driving_h += k.driving_h;
        totals.working_h += k.working_h;
        totals.disposal_trips += k.disposal_trips;
        totals.bins_collected += k.bins_collected;
        totals.overflow_risk += k.overflow_risk;
        totals.fuel_l += k.fuel_l;
        totals.co2_kg += k.co2_kg;
        totals.working_h_max = totals.working_h_max.max(k.working_h);
        totals.working_h_min = totals.working_h_min.min(k.working_h);
        fill_sum += k.mean_fill_collected_pct * k.bins_collected as f64;
    }
    if totals.bins_collected > 0 {
        totals.mean_fill_collected_pct = fill_sum / totals.bins_collected as f64;
    }
    let repeated: Vec<&Vec<String>> = trucks_of.iter().filter(|t| t.len() >= 2).collect();
    totals.territory_stability = if repeated.is_empty() {
        1.0
    } else {
        repeated
            .iter()
            .filter(|t| t.iter().all(|x| x == &t[0]))
            .count() as f64
            / repeated.len() as f64
    };
    totals.run_s = t0.elapsed().as_secs_f64();
    Ok(WeekPlan {
        name: week.name.clone(),
        policy,
        days,
        totals,
        territories,
        forecasts,
    })
}
