//! Problem step: the planner's problem from the day and its location table: one job per
//! stop, one facility per disposal site, one vehicle per truck.

use kerb_plan::{Facility, Job, Problem, Vehicle, VehicleCosts};

use super::locations::LocationTable;
use crate::day::CollectionDay;
use crate::Error;

/// The planner's problem and what unpacking its solution needs.
pub(super) struct PlannerProblem {
    /// The problem.
    pub problem: Problem,
    /// Truck name per planner vehicle.
    pub truck_names: Vec<String>,
    /// Whether volume is the second capacity dimension.
    pub use_volume: bool,
    /// Profile (index into the matrices) per planner vehicle.
    pub vehicle_profiles: Vec<usize>,
}

/// Builds the problem over `matrices` (the planner's matrices over `table`, one per
/// profile); truck `t` of the day drives on `matrices[truck_profiles[t]]`.
pub(super) fn problem(
    day: &CollectionDay,
    table: &LocationTable,
    matrices: Vec<kerb_plan::Matrix>,
    truck_profiles: &[usize],
) -> Result<PlannerProblem, Error> {
    // Volume is a second capacity dimension only if some truck limits it.
    let use_volume = day.trucks.iter().any(|t| t.capacity_l > 0.0);
    let dims = |kg: f64, l: f64| {
        if use_volume {
            vec![kg.round() as i64, l.round() as i64]
        } else {
            vec![kg.round() as i64]
        }
    };
    let mut problem = Problem::new(matrices);
    let first_stop = table.first_stop();
    for (k, b) in table.bins().enumerate() {
        let bin = &day.bins[b.bin];
        let mut job = Job::new(k as u64, first_stop + k)
            .demand(dims(bin.weight_kg, bin.volume_l))
            .service(bin.service_s);
        for w in &bin.time_windows {
            job = job.time_window(w[0].0, w[1].0);
        }
        if let Some(value) = bin.value {
            job = job.optional(value);
        }
        if let Some(truck) = &bin.truck {
            // One skill per truck: only that truck carries it.
            let skill = day.truck_names().position(|n| &n == truck).ok_or_else(|| {
                Error::InvalidInput(format!("bin {:?}: unknown truck {truck:?}", bin.id))
            })?;
            job = job.skills(vec![skill as u32]);
        }
        problem = problem.job(job);
    }
    let nb = table.num_bins();
    for (k, p) in table.passes().enumerate() {
        let street = &day.streets[p.street];
        // Driving the stretch is part of serving it: its time is service time, its
        // distance is counted when the route is unpacked onto the roads.
        let mut job = Job::new((nb + k) as u64, first_stop + nb + k)
            .demand(dims(street.weight_kg * p.share, street.volume_l * p.share))
            .service(p.drive_s + street.service_s * p.share);
        for w in &street.time_windows {
            job = job.time_window(w[0].0, w[1].0);
        }
        problem = problem.job(job);
    }
    for (k, s) in day.disposal_sites.iter().enumerate() {
        problem = problem.facility(Facility {
            id: k as u64,
            location: table.disposal_site(k),
            time_windows: s
                .opening_hours
                .iter()
                .map(|w| kerb_plan::TimeWindow::new(w[0].0, w[1].0))
                .collect(),
            unload: s.unload_s,
        });
    }
    let depot_index = |truck: &str, id: &str| {
        day.depots
            .iter()
            .position(|d| d.id == id)
            .ok_or_else(|| Error::InvalidInput(format!("truck {truck:?}: unknown depot {id:?}")))
    };
    let pinned = day.bins.iter().any(|b| b.truck.is_some());
    let mut truck_names = Vec::new();
    let mut vehicle_profiles = Vec::new();
    for (t, &profile) in day.trucks.iter().zip(truck_profiles) {
        let start = depot_index(&t.id, &t.depot)?;
        let end = match t.end_depot.as_deref() {
            Some(id) => depot_index(&t.id, id)?,
            None => start,
        };
        for c in 0..t.count {
            let name = if t.count == 1 {
                t.id.clone()
            } else {
                format!("{}-{}", t.id, c + 1)
            };
            let volume = if t.capacity_l > 0.0 {
                t.capacity_l
            } else {
                1e12
            };
            let mut v = Vehicle::new(truck_names.len() as u64, Some(start))
                .end(Some(end))
                .capacity(dims(t.capacity_kg, volume))
                .shift(t.shift[0].0, t.shift[1].0)
                .costs(VehicleCosts {
                    fixed: t.fixed_cost,
                    per_hour: 3600.0,
                    per_km: 0.0,
                    ..VehicleCosts::default()
                })
                .disposal_required_at_end(!day.disposal_sites.is_empty());
            if pinned {
                v = v.skills(vec![truck_names.len() as u32]);
            }
            if let Some(b) = &t.break_ {
                v = v.with_break(0, b.window[0].0, b.window[1].0, b.duration_s);
            }
            v.profile = profile;
            problem = problem.vehicle(v);
            truck_names.push(name);
            vehicle_profiles.push(profile);
        }
    }
    Ok(PlannerProblem {
        problem,
        truck_names,
        use_volume,
        vehicle_profiles,
    })
}
