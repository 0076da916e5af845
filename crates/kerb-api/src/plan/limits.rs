//! The cost model of planning requests: sizes (jobs, vehicles after `count` expansion,
//! locations, matrix cells) and solver effort, checked before anything is allocated for them.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;

use crate::{Error, ErrorKind, Result};

/// Bounds on one planning request. Requests beyond them are refused with
/// [`ErrorKind::TooBig`] naming the limit (HTTP 413), before the solver, the snapper or the
/// matrix allocate anything; `threads` is clamped instead.
///
/// Two sets of defaults: [`PlanLimits::serve`] for `kerb serve` (any client may send a
/// request) and [`PlanLimits::cli`] for the CLI and the Python module (the user owns the
/// machine, but a typo such as `"count": 1000000000` should still fail fast rather than
/// exhaust memory).
///
/// | limit | `kerb serve` | CLI / Python |
/// |---|---|---|
/// | `max_jobs` (VROOM jobs; bins + street stretches) | 10,000 | 100,000 |
/// | `max_vehicles` (after `count`) | 1,000 | 10,000 |
/// | `max_locations` (distinct) | `--max-table-coordinates` (1,000) | 10,000 |
/// | `max_total_locations` (with repeats) | 20,000 | 200,000 |
/// | `max_matrix_cells` (given `matrices`, per profile summed) | 4,000,000 | 100,000,000 |
/// | `max_threads` (clamped to the machine's cores) | 4 | all cores |
/// | `max_iterations` per thread | 1,000,000 | 1,000,000,000 |
/// | `max_time_limit` | `--plan-time-limit-s` (10 s) | one day |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLimits {
    /// Most jobs (VROOM `jobs`; a collection day's bins plus street stretches).
    pub max_jobs: usize,
    /// Most vehicles after expanding a truck's `count`.
    pub max_vehicles: usize,
    /// Most distinct locations (the matrix side).
    pub max_locations: usize,
    /// Most locations counting repeats (every job, vehicle start and end, facility).
    pub max_total_locations: usize,
    /// Most cells of the `matrices` a VROOM request carries (summed over profiles).
    pub max_matrix_cells: usize,
    /// Most solver threads; the machine's cores bound it further (see
    /// [`PlanLimits::max_threads`]).
    pub threads_cap: usize,
    /// Most iterations per thread.
    pub max_iterations: u64,
    /// Longest solver run; also the guard of iteration-limited runs.
    pub max_time_limit: Duration,
}

impl PlanLimits {
    /// The limits of `kerb serve`, whose plan time limit is `plan_time_limit` and whose table
    /// size limit (`max_table_coordinates`) bounds the distinct locations.
    pub fn serve(plan_time_limit: Duration, max_table_coordinates: usize) -> Self {
        PlanLimits {
            max_jobs: 10_000,
            max_vehicles: 1_000,
            max_locations: max_table_coordinates,
            max_total_locations: 20_000,
            max_matrix_cells: 4_000_000,
            threads_cap: 4,
            max_iterations: 1_000_000,
            max_time_limit: plan_time_limit,
        }
    }

    /// The limits of the CLI and the Python module.
    pub fn cli() -> Self {
        PlanLimits {
            max_jobs: 100_000,
            max_vehicles: 10_000,
            max_locations: 10_000,
            max_total_locations: 200_000,
            max_matrix_cells: 100_000_000,
            threads_cap: usize::MAX,
            max_iterations: 1_000_000_000,
            max_time_limit: Duration::from_secs(86_400),
        }
    }

    /// Threads a request may use: [`PlanLimits::threads_cap`], at most the machine's cores,
    /// at least one.
    pub fn max_threads(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.threads_cap.min(cores).max(1)
    }

    fn check(&self, what: &str, value: u128, max: usize) -> Result<()> {
        if value > max as u128 {
            return Err(Error::new(
                ErrorKind::TooBig,
                format!("{what}: {value} exceed the limit of {max}"),
            ));
        }
        Ok(())
    }

    /// Checks the size of VROOM input (parsed as JSON, not yet read into a problem).
    ///
    /// ```
    /// use kerb_api::plan::PlanLimits;
    /// let one_point = serde_json::json!({
    ///     "vehicles": [{"id": 1, "start": [24.94, 60.17]}],
    ///     "jobs": (0..30_000).map(|i| serde_json::json!({"id": i, "location": [24.95, 60.17]})).collect::<Vec<_>>(),
    /// });
    /// assert!(PlanLimits::cli().check_vroom(&one_point).is_ok());
    /// let serve = PlanLimits::serve(std::time::Duration::from_secs(10), 1000);
    /// let e = serve.check_vroom(&one_point).unwrap_err();
    /// assert_eq!(e.kind, kerb_api::ErrorKind::TooBig);
    /// assert!(e.message.contains("jobs"), "{e}");
    /// ```
    pub fn check_vroom(&self, input: &Value) -> Result<()> {
        let list = |k: &str| input[k].as_array().map_or(&[][..], |v| v.as_slice());
        let (jobs, vehicles) = (list("jobs"), list("vehicles"));
        self.check("jobs", jobs.len() as u128, self.max_jobs)?;
        self.check("vehicles", vehicles.len() as u128, self.max_vehicles)?;
        let facilities = list("facilities");
        let total = jobs.len() + 2 * vehicles.len() + facilities.len();
        self.check("locations", total as u128, self.max_total_locations)?;
        // Distinct locations: coordinates (as bits) or indices, whichever the input uses.
        let mut distinct = HashSet::new();
        let places = jobs
            .iter()
            .flat_map(|j| [&j["location"], &j["location_index"]])
            .chain(
                vehicles
                    .iter()
                    .flat_map(|v| [&v["start"], &v["start_index"], &v["end"], &v["end_index"]]),
            );
        for place in places.filter(|p| !p.is_null()) {
            let key = match place {
                Value::Array(c) => c.iter().map(|x| x.as_f64().map(f64::to_bits)).collect(),
                other => vec![other.as_u64()],
            };
            distinct.insert(key);
        }
        self.check(
            "distinct locations",
            distinct.len() as u128,
            self.max_locations,
        )?;
        let mut cells: u128 = 0;
        if let Some(ms) = input["matrices"].as_object() {
            for m in ms.values() {
                for k in ["durations", "distances", "costs"] {
                    let rows = m[k].as_array().map_or(0, |r| r.len()) as u128;
                    cells += rows * rows;
                }
            }
        }
        let legacy = input["matrix"].as_array().map_or(0, |r| r.len()) as u128;
        cells += legacy * legacy;
        self.check("matrix cells", cells, self.max_matrix_cells)
    }

    /// Checks the size of a collection day: bins and streets, trucks after `count`, and the
    /// locations its matrix spans (every bin, both kerbs of every street point, depots and
    /// disposal sites).
    ///
    /// ```
    /// use kerb_api::plan::PlanLimits;
    /// let mut day: kerb_collect::CollectionDay = serde_json::from_str(r#"{
    ///     "depots": [{"id": "d", "lon": 24.95, "lat": 60.17}],
    ///     "disposal_sites": [{"id": "s", "lon": 24.96, "lat": 60.18}],
    ///     "trucks": [{"id": "t", "depot": "d", "capacity_kg": 5000,
    ///                 "shift": ["06:00", "14:00"], "count": 1000000000}]
    /// }"#)?;
    /// let e = PlanLimits::cli().check_day(&day).unwrap_err();
    /// assert!(e.message.contains("vehicles"), "{e}");
    /// day.trucks[0].count = 3;
    /// assert!(PlanLimits::cli().check_day(&day).is_ok());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn check_day(&self, day: &kerb_collect::CollectionDay) -> Result<()> {
        let jobs = day.bins.len() + day.streets.len();
        self.check("jobs (bins and streets)", jobs as u128, self.max_jobs)?;
        let vehicles: u128 = day.trucks.iter().map(|t| u128::from(t.count)).sum();
        self.check("vehicles (trucks after count)", vehicles, self.max_vehicles)?;
        let street_points: usize = day.streets.iter().map(|s| s.coordinates.len()).sum();
        let locations =
            day.bins.len() + 2 * street_points + day.depots.len() + day.disposal_sites.len();
        self.check(
            "total locations",
            locations as u128,
            self.max_total_locations,
        )?;
        self.check("distinct locations", locations as u128, self.max_locations)
    }
}
