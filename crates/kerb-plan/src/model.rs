//! The planning problem: jobs, vehicles, disposal facilities and travel matrices.
//!
//! Units: durations and times are in the unit of the duration matrix (seconds for road data),
//! distances in the unit of the distance matrix (metres for road data). Locations are indices
//! into the matrices.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Most capacity dimensions a problem may use (e.g. kg, m3, bins).
pub const MAX_DIMENSIONS: usize = 4;

/// A time interval `[start, end]` (service or break must *start* inside it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Earliest start.
    pub start: f64,
    /// Latest start.
    pub end: f64,
}

impl TimeWindow {
    /// A window `[start, end]`.
    pub fn new(start: f64, end: f64) -> Self {
        Self { start, end }
    }
    /// The unbounded window `[0, +inf)` (represented by a very large end).
    pub fn unbounded() -> Self {
        Self {
            start: 0.0,
            end: HORIZON,
        }
    }
}

/// Time used for "no limit" (finite so that arithmetic never produces NaN).
pub const HORIZON: f64 = 1e15;

/// Square travel matrices for one vehicle profile (row = from, column = to).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    /// Number of locations.
    pub size: usize,
    /// Row-major `size * size` travel durations.
    pub durations: Vec<f64>,
    /// Row-major `size * size` travel distances.
    pub distances: Vec<f64>,
    /// Row-major `size * size` travel costs (VROOM's `matrices.{profile}.costs`): when given,
    /// a vehicle of this profile pays this entry per arc instead of its `per_hour`/`per_km`
    /// rates (and its speed factor does not change it), as VROOM does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Vec<f64>>,
}

impl Matrix {
    /// Builds a matrix from row-major durations and distances; checks sizes and values.
    ///
    /// ```
    /// let m = kerb_plan::Matrix::new(2, vec![0.0, 5.0, 6.0, 0.0], vec![0.0, 50.0, 60.0, 0.0]).unwrap();
    /// assert_eq!(m.duration(1, 0), 6.0);
    /// assert!(kerb_plan::Matrix::new(2, vec![0.0; 3], vec![0.0; 4]).is_err());
    /// ```
    pub fn new(size: usize, durations: Vec<f64>, distances: Vec<f64>) -> Result<Self> {
        let m = Self {
            size,
            durations,
            distances,
            costs: None,
        };
        m.validate()?;
        Ok(m)
    }

    /// The same matrix with custom row-major travel `costs` (see [`Matrix::costs`]).
    ///
    /// ```
    /// let m = kerb_plan::Matrix::new(2, vec![0.0, 5.0, 6.0, 0.0], vec![0.0; 4]).unwrap()
    ///     .with_costs(vec![0.0, 1.0, 2.0, 0.0]).unwrap();
    /// assert_eq!(m.cost(1, 0), Some(2.0));
    /// ```
    pub fn with_costs(mut self, costs: Vec<f64>) -> Result<Self> {
        self.costs = Some(costs);
        self.validate()?;
        Ok(self)
    }

    /// Custom travel cost from `i` to `j`, if the matrix has costs.
    #[inline]
    pub fn cost(&self, i: usize, j: usize) -> Option<f64> {
        self.costs.as_ref().map(|c| c[i * self.size + j])
    }

    /// Builds a matrix by calling `f(from, to) -> (duration, distance)` for every pair.
    ///
    /// ```
    /// let m = kerb_plan::Matrix::from_fn(3, |i, j| ((i as f64 - j as f64).abs(), 1.0));
    /// assert_eq!(m.duration(0, 2), 2.0);
    /// ```
    pub fn from_fn(size: usize, mut f: impl FnMut(usize, usize) -> (f64, f64)) -> Self {
        let mut durations = Vec::with_capacity(size * size);
        let mut distances = Vec::with_capacity(size * size);
        for i in 0..size {
            for j in 0..size {
                let (t, d) = f(i, j);
                durations.push(t);
                distances.push(d);
            }
        }
        Self {
            size,
            durations,
            distances,
            costs: None,
        }
    }

    /// Travel duration from `i` to `j`.
    #[inline]
    pub fn duration(&self, i: usize, j: usize) -> f64 {
        self.durations[i * self.size + j]
    }

    /// Travel distance from `i` to `j`.
    #[inline]
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        self.distances[i * self.size + j]
    }

    fn validate(&self) -> Result<()> {
        let n2 = self.size * self.size;
        if self.durations.len() != n2 || self.distances.len() != n2 {
            return Err(Error::InvalidInstance(format!(
                "matrix of size {} needs {} entries, got {} durations and {} distances",
                self.size,
                n2,
                self.durations.len(),
                self.distances.len()
            )));
        }
        if let Some(c) = &self.costs {
            if c.len() != n2 {
                return Err(Error::InvalidInstance(format!(
                    "matrix of size {} needs {} cost entries, got {}",
                    self.size,
                    n2,
                    c.len()
                )));
            }
        }
        if let Some(x) = self
            .durations
            .iter()
            .chain(self.distances.iter())
            .chain(self.costs.iter().flatten())
            .find(|x| !x.is_finite() || **x < 0.0)
        {
            return Err(Error::InvalidInstance(format!(
                "matrix entries must be finite and non-negative, found {x}"
            )));
        }
        Ok(())
    }
}

/// A stop to serve (a bin to collect, a customer to visit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Caller's identifier (echoed in outputs).
    pub id: u64,
    /// Location index into the matrices.
    pub location: usize,
    /// Amount collected, one entry per capacity dimension (empty = nothing): on board from
    /// the job to the route's end (or the next disposal stop).
    #[serde(default)]
    pub demand: Vec<i64>,
    /// Amount delivered (VROOM's `delivery`): on board from the route's start up to the job,
    /// or from its pickup when the job is the delivery of a [`Shipment`]. Empty = nothing.
    /// Problems with deliveries cannot have disposal facilities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery: Vec<i64>,
    /// Service duration at the stop.
    #[serde(default)]
    pub service: f64,
    /// Windows in which service may start; empty = any time.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Skills a vehicle needs to serve this job.
    #[serde(default)]
    pub skills: Vec<u32>,
    /// Priority (0..=100 in VROOM); higher priorities are assigned first when not all fit.
    #[serde(default)]
    pub priority: u32,
    /// `None`: the job should be served (leaving it out is worse than any cost).
    /// `Some(p)`: optional, leaving it unassigned costs `p`.
    #[serde(default)]
    pub unassigned_penalty: Option<f64>,
    /// Free text echoed in outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Setup duration (VROOM's `setup`): spent before the service when the vehicle comes from
    /// another location, skipped when the previous stop is at the same location. The time
    /// window constrains the start of setup and service together.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub setup: f64,
    /// Service durations per vehicle type (VROOM's `service_per_type`): a vehicle whose
    /// [`Vehicle::vehicle_type`] is a key serves the job in that time instead of `service`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_per_type: BTreeMap<String, f64>,
    /// Setup durations per vehicle type (VROOM's `setup_per_type`), as `service_per_type`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub setup_per_type: BTreeMap<String, f64>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Job {
    /// The service duration for a vehicle of type `vehicle_type`.
    ///
    /// ```
    /// let mut j = kerb_plan::Job::new(1, 0).service(60.0);
    /// j.service_per_type.insert("big".into(), 300.0);
    /// assert_eq!((j.service_for(Some("big")), j.service_for(Some("small")), j.service_for(None)), (300.0, 60.0, 60.0));
    /// ```
    pub fn service_for(&self, vehicle_type: Option<&str>) -> f64 {
        vehicle_type
            .and_then(|t| self.service_per_type.get(t))
            .copied()
            .unwrap_or(self.service)
    }

    /// The setup duration for a vehicle of type `vehicle_type` (see [`Job::service_for`]).
    pub fn setup_for(&self, vehicle_type: Option<&str>) -> f64 {
        vehicle_type
            .and_then(|t| self.setup_per_type.get(t))
            .copied()
            .unwrap_or(self.setup)
    }

    /// A job with no demand, no service time and no time window.
    ///
    /// ```
    /// use kerb_plan::Job;
    /// let j = Job::new(7, 3).demand(vec![120]).service(30.0).time_window(0.0, 3600.0).skills(vec![1]);
    /// assert_eq!(j.time_windows.len(), 1);
    /// ```
    pub fn new(id: u64, location: usize) -> Self {
        Self {
            id,
            location,
            demand: Vec::new(),
            delivery: Vec::new(),
            service: 0.0,
            time_windows: Vec::new(),
            skills: Vec::new(),
            priority: 0,
            unassigned_penalty: None,
            description: None,
            setup: 0.0,
            service_per_type: BTreeMap::new(),
            setup_per_type: BTreeMap::new(),
        }
    }
    /// Sets the demand.
    pub fn demand(mut self, demand: Vec<i64>) -> Self {
        self.demand = demand;
        self
    }
    /// Sets the delivered amount (loaded at the start, or at the pickup of a shipment).
    pub fn delivery(mut self, delivery: Vec<i64>) -> Self {
        self.delivery = delivery;
        self
    }
    /// Sets the service duration.
    pub fn service(mut self, service: f64) -> Self {
        self.service = service;
        self
    }
    /// Adds a time window.
    pub fn time_window(mut self, start: f64, end: f64) -> Self {
        self.time_windows.push(TimeWindow::new(start, end));
        self
    }
    /// Sets the required skills.
    pub fn skills(mut self, skills: Vec<u32>) -> Self {
        self.skills = skills;
        self
    }
    /// Sets the priority.
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = priority;
        self
    }
    /// Makes the job optional with the given penalty when unassigned.
    pub fn optional(mut self, penalty: f64) -> Self {
        self.unassigned_penalty = Some(penalty);
        self
    }
}

/// A break (e.g. lunch) a vehicle must take during its shift, at the location it is at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Break {
    /// Caller's identifier.
    pub id: u64,
    /// Windows in which the break may start.
    pub time_windows: Vec<TimeWindow>,
    /// Break duration.
    pub duration: f64,
    /// Most load on board (per dimension) with which the break may be taken (VROOM's break
    /// `max_load`); `None` = any load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_load: Option<Vec<i64>>,
}

/// Cost rates of a vehicle (VROOM conventions).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct VehicleCosts {
    /// Cost of using the vehicle at all.
    pub fixed: f64,
    /// Cost per 3600 duration units of travel.
    pub per_hour: f64,
    /// Cost per 1000 distance units of travel.
    pub per_km: f64,
    /// Cost per 3600 duration units of task time (service at jobs), VROOM's `per_task_hour`.
    #[serde(default)]
    pub per_task_hour: f64,
}

impl Default for VehicleCosts {
    /// VROOM's default: cost = travel duration (`per_hour = 3600`).
    fn default() -> Self {
        Self {
            fixed: 0.0,
            per_hour: 3600.0,
            per_km: 0.0,
            per_task_hour: 0.0,
        }
    }
}

/// A vehicle of the (heterogeneous) fleet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Caller's identifier.
    pub id: u64,
    /// Index into [`Problem::matrices`].
    #[serde(default)]
    pub profile: usize,
    /// Start location; `None` = the route starts at its first stop.
    pub start: Option<usize>,
    /// End location; `None` = the route ends at its last stop.
    pub end: Option<usize>,
    /// Capacity per dimension; empty = unlimited.
    #[serde(default)]
    pub capacity: Vec<i64>,
    /// Working window: leave the start no earlier than `start`, reach the end no later than `end`.
    pub shift: TimeWindow,
    /// Limit on end time minus start time (travel + service + waiting + breaks).
    #[serde(default)]
    pub max_working_time: Option<f64>,
    /// Limit on total travel duration.
    #[serde(default)]
    pub max_travel_time: Option<f64>,
    /// Limit on total travel distance.
    #[serde(default)]
    pub max_distance: Option<f64>,
    /// Limit on the number of jobs.
    #[serde(default)]
    pub max_stops: Option<usize>,
    /// Breaks to take during the shift.
    #[serde(default)]
    pub breaks: Vec<Break>,
    /// Cost rates.
    #[serde(default)]
    pub costs: VehicleCosts,
    /// Skills the vehicle has.
    #[serde(default)]
    pub skills: Vec<u32>,
    /// Travel durations of its profile are divided by this factor.
    #[serde(default = "one")]
    pub speed_factor: f64,
    /// When true, a route that collected anything must visit a disposal facility before the end.
    #[serde(default)]
    pub disposal_required_at_end: bool,
    /// The vehicle's type (VROOM's vehicle `type`), the key of jobs' `service_per_type` and
    /// `setup_per_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<String>,
    /// Jobs (indices into [`Problem::jobs`]) this vehicle starts the search with, in order
    /// (VROOM's vehicle `steps`); the solve fails with [`Error::InvalidInitialRoute`] when
    /// they do not make a feasible route.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub initial_route: Vec<usize>,
}

fn one() -> f64 {
    1.0
}

impl Vehicle {
    /// A vehicle starting and ending at `depot`, unlimited capacity, unbounded shift.
    ///
    /// ```
    /// use kerb_plan::Vehicle;
    /// let v = Vehicle::new(1, Some(0)).capacity(vec![10_000]).shift(6.0 * 3600.0, 14.0 * 3600.0)
    ///     .disposal_required_at_end(true);
    /// assert_eq!(v.end, Some(0));
    /// ```
    pub fn new(id: u64, depot: Option<usize>) -> Self {
        Self {
            id,
            profile: 0,
            start: depot,
            end: depot,
            capacity: Vec::new(),
            shift: TimeWindow::unbounded(),
            max_working_time: None,
            max_travel_time: None,
            max_distance: None,
            max_stops: None,
            breaks: Vec::new(),
            costs: VehicleCosts::default(),
            skills: Vec::new(),
            speed_factor: 1.0,
            disposal_required_at_end: false,
            vehicle_type: None,
            initial_route: Vec::new(),
        }
    }
    /// Sets the end location (may differ from the start).
    pub fn end(mut self, end: Option<usize>) -> Self {
        self.end = end;
        self
    }
    /// Sets the capacity.
    pub fn capacity(mut self, capacity: Vec<i64>) -> Self {
        self.capacity = capacity;
        self
    }
    /// Sets the shift window.
    pub fn shift(mut self, start: f64, end: f64) -> Self {
        self.shift = TimeWindow::new(start, end);
        self
    }
    /// Sets the cost rates.
    pub fn costs(mut self, costs: VehicleCosts) -> Self {
        self.costs = costs;
        self
    }
    /// Adds a break.
    pub fn with_break(mut self, id: u64, start: f64, end: f64, duration: f64) -> Self {
        self.breaks.push(Break {
            id,
            time_windows: vec![TimeWindow::new(start, end)],
            duration,
            max_load: None,
        });
        self
    }
    /// Sets the skills.
    pub fn skills(mut self, skills: Vec<u32>) -> Self {
        self.skills = skills;
        self
    }
    /// Requires a disposal visit before the end when loaded.
    pub fn disposal_required_at_end(mut self, yes: bool) -> Self {
        self.disposal_required_at_end = yes;
        self
    }
}

/// A disposal facility (landfill, transfer station): a vehicle unloads there and continues.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facility {
    /// Caller's identifier.
    pub id: u64,
    /// Location index into the matrices.
    pub location: usize,
    /// Opening windows (unloading must start inside one); empty = always open.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Unloading duration.
    #[serde(default)]
    pub unload: f64,
}

/// A pickup-and-delivery pair (VROOM's `shipment`): both jobs are served by the same
/// vehicle, the pickup first, or neither is. The pickup job's `demand` is the amount taken on
/// board, the delivery job's `delivery` the same amount dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    /// Index of the pickup job in [`Problem::jobs`].
    pub pickup: usize,
    /// Index of the delivery job in [`Problem::jobs`].
    pub delivery: usize,
}

/// What the solver minimises.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// First minimise the number of vehicles used, then cost (the classic hierarchical VRPTW
    /// objective). When false, vehicles only count through their fixed cost (VROOM behaviour).
    pub minimize_vehicles: bool,
}

impl Default for Objective {
    fn default() -> Self {
        Self {
            minimize_vehicles: true,
        }
    }
}

/// A complete planning problem.
///
/// ```
/// use kerb_plan::{Job, Matrix, Problem, Vehicle};
/// let m = Matrix::from_fn(3, |i, j| ((i as f64 - j as f64).abs(), (i as f64 - j as f64).abs()));
/// let p = Problem::new(vec![m])
///     .job(Job::new(1, 1).demand(vec![1]))
///     .job(Job::new(2, 2).demand(vec![1]))
///     .vehicle(Vehicle::new(1, Some(0)).capacity(vec![5]));
/// p.validate().unwrap();
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Travel matrices, one per vehicle profile.
    pub matrices: Vec<Matrix>,
    /// Jobs to serve.
    pub jobs: Vec<Job>,
    /// The fleet.
    pub vehicles: Vec<Vehicle>,
    /// Disposal facilities.
    #[serde(default)]
    pub facilities: Vec<Facility>,
    /// Pickup-and-delivery pairs over [`Problem::jobs`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipments: Vec<Shipment>,
    /// Objective.
    #[serde(default)]
    pub objective: Objective,
}

impl Problem {
    /// An empty problem over the given matrices.
    pub fn new(matrices: Vec<Matrix>) -> Self {
        Self {
            matrices,
            jobs: Vec::new(),
            vehicles: Vec::new(),
            facilities: Vec::new(),
            shipments: Vec::new(),
            objective: Objective::default(),
        }
    }
    /// Adds a job.
    pub fn job(mut self, job: Job) -> Self {
        self.jobs.push(job);
        self
    }
    /// Adds a vehicle.
    pub fn vehicle(mut self, vehicle: Vehicle) -> Self {
        self.vehicles.push(vehicle);
        self
    }
    /// Adds a disposal facility.
    pub fn facility(mut self, facility: Facility) -> Self {
        self.facilities.push(facility);
        self
    }
    /// Adds a pickup-and-delivery pair: two jobs, the pickup collecting `amount`, the delivery
    /// dropping it. Returns the problem with both jobs and the [`Shipment`] appended.
    ///
    /// ```
    /// use kerb_plan::{Job, Matrix, Problem, Vehicle};
    /// let m = Matrix::from_fn(3, |i, j| ((i as f64 - j as f64).abs(), 0.0));
    /// let p = Problem::new(vec![m])
    ///     .shipment(Job::new(1, 2), Job::new(2, 1), vec![3])
    ///     .vehicle(Vehicle::new(1, Some(0)).capacity(vec![3]));
    /// p.validate().unwrap();
    /// assert_eq!(p.jobs[1].delivery, vec![3]);
    /// ```
    pub fn shipment(mut self, pickup: Job, delivery: Job, amount: Vec<i64>) -> Self {
        let k = self.jobs.len();
        self.jobs.push(pickup.demand(amount.clone()));
        self.jobs.push(delivery.delivery(amount));
        self.shipments.push(Shipment {
            pickup: k,
            delivery: k + 1,
        });
        self
    }
    /// Sets the objective.
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Number of capacity dimensions used by the problem.
    pub fn dimensions(&self) -> usize {
        self.jobs
            .iter()
            .map(|j| j.demand.len().max(j.delivery.len()))
            .chain(self.vehicles.iter().map(|v| v.capacity.len()))
            .max()
            .unwrap_or(0)
    }

    /// Checks ids, indices, dimensions and values; returns [`Error::DuplicateJobId`],
    /// [`Error::DuplicateVehicleId`] or [`Error::InvalidInstance`] on the first problem found.
    pub fn validate(&self) -> Result<()> {
        let bad = |s: String| Err(Error::InvalidInstance(s));
        if self.matrices.is_empty() {
            return bad("at least one matrix is required".into());
        }
        let n = self.matrices[0].size;
        for (k, m) in self.matrices.iter().enumerate() {
            m.validate()?;
            if m.size != n {
                return bad(format!("matrix {k} has size {}, matrix 0 has {n}", m.size));
            }
        }
        let dims = self.dimensions();
        if dims > MAX_DIMENSIONS {
            return bad(format!(
                "{dims} capacity dimensions, at most {MAX_DIMENSIONS} are supported"
            ));
        }
        let windows_ok = |tws: &[TimeWindow]| {
            tws.iter()
                .all(|w| w.start.is_finite() && w.end.is_finite() && w.start <= w.end)
        };
        let nonneg = |x: f64| x.is_finite() && x >= 0.0;
        let mut job_ids = std::collections::HashSet::with_capacity(self.jobs.len());
        for (i, j) in self.jobs.iter().enumerate() {
            if !job_ids.insert(j.id) {
                return Err(Error::DuplicateJobId { id: j.id });
            }
            if j.location >= n {
                return bad(format!("job {} location {} >= {n}", j.id, j.location));
            }
            if !j.demand.is_empty() && j.demand.len() != dims {
                return bad(format!(
                    "job {} has {} demand dimensions, expected {dims}",
                    j.id,
                    j.demand.len()
                ));
            }
            if !j.delivery.is_empty() && j.delivery.len() != dims {
                return bad(format!(
                    "job {} has {} delivery dimensions, expected {dims}",
                    j.id,
                    j.delivery.len()
                ));
            }
            if j.demand.iter().chain(&j.delivery).any(|&d| d < 0) {
                return bad(format!("job {} has a negative amount", j.id));
            }
            let durations_ok = [j.service, j.setup]
                .into_iter()
                .chain(j.service_per_type.values().copied())
                .chain(j.setup_per_type.values().copied())
                .all(nonneg);
            if !durations_ok || !windows_ok(&j.time_windows) {
                return bad(format!(
                    "job {} (#{i}) has an invalid service time or time window",
                    j.id
                ));
            }
            if let Some(p) = j.unassigned_penalty {
                if !nonneg(p) {
                    return bad(format!("job {} has an invalid unassigned penalty", j.id));
                }
            }
        }
        let mut vehicle_ids = std::collections::HashSet::with_capacity(self.vehicles.len());
        for v in &self.vehicles {
            if !vehicle_ids.insert(v.id) {
                return Err(Error::DuplicateVehicleId { id: v.id });
            }
            if v.profile >= self.matrices.len() {
                return bad(format!(
                    "vehicle {} uses profile {} which has no matrix",
                    v.id, v.profile
                ));
            }
            for loc in [v.start, v.end].into_iter().flatten() {
                if loc >= n {
                    return bad(format!("vehicle {} location {loc} >= {n}", v.id));
                }
            }
            if !v.capacity.is_empty() && v.capacity.len() != dims {
                return bad(format!(
                    "vehicle {} has {} capacity dimensions, expected {dims}",
                    v.id,
                    v.capacity.len()
                ));
            }
            if v.capacity.iter().any(|&c| c < 0) {
                return bad(format!("vehicle {} has a negative capacity", v.id));
            }
            if !windows_ok(&[v.shift]) {
                return bad(format!("vehicle {} has an invalid shift", v.id));
            }
            if !(v.speed_factor.is_finite() && v.speed_factor > 0.0) {
                return bad(format!("vehicle {} speed factor must be > 0", v.id));
            }
            let c = v.costs;
            if !(nonneg(c.fixed)
                && nonneg(c.per_hour)
                && nonneg(c.per_km)
                && nonneg(c.per_task_hour))
            {
                return bad(format!("vehicle {} has invalid costs", v.id));
            }
            for lim in [v.max_working_time, v.max_travel_time, v.max_distance]
                .into_iter()
                .flatten()
            {
                if !nonneg(lim) {
                    return bad(format!("vehicle {} has an invalid limit {lim}", v.id));
                }
            }
            for b in &v.breaks {
                if !nonneg(b.duration) || b.time_windows.is_empty() || !windows_ok(&b.time_windows)
                {
                    return bad(format!(
                        "vehicle {} break {} needs a duration and a valid window",
                        v.id, b.id
                    ));
                }
                if let Some(l) = &b.max_load {
                    if l.len() != v.capacity.len() || l.iter().any(|&x| x < 0) {
                        return bad(format!(
                            "vehicle {} break {}: max_load needs one non-negative amount per \
                             capacity dimension",
                            v.id, b.id
                        ));
                    }
                }
            }
        }
        let mut in_shipment = vec![false; self.jobs.len()];
        for (k, s) in self.shipments.iter().enumerate() {
            let (Some(p), Some(d)) = (self.jobs.get(s.pickup), self.jobs.get(s.delivery)) else {
                return bad(format!("shipment {k} names a job index out of range"));
            };
            for x in [s.pickup, s.delivery] {
                if std::mem::replace(&mut in_shipment[x], true) {
                    return bad(format!(
                        "job {} belongs to more than one shipment (or to both ends of one)",
                        self.jobs[x].id
                    ));
                }
            }
            let amount = |v: &[i64]| -> Vec<i64> {
                let mut a = v.to_vec();
                a.resize(dims, 0);
                a
            };
            if !p.delivery.iter().all(|&x| x == 0)
                || !d.demand.iter().all(|&x| x == 0)
                || amount(&p.demand) != amount(&d.delivery)
            {
                return bad(format!(
                    "shipment {k}: the pickup (job {}) must collect exactly what the delivery \
                     (job {}) drops",
                    p.id, d.id
                ));
            }
        }
        let delivers = self.jobs.iter().any(|j| j.delivery.iter().any(|&x| x != 0));
        if !self.facilities.is_empty() && (delivers || !self.shipments.is_empty()) {
            return Err(Error::Unsupported(
                "deliveries or shipments together with disposal facilities".into(),
            ));
        }
        let mut in_route = vec![false; self.jobs.len()];
        for v in &self.vehicles {
            for &j in &v.initial_route {
                if j >= self.jobs.len() || std::mem::replace(&mut in_route[j], true) {
                    return bad(format!(
                        "vehicle {}: initial route names job index {j} out of range or twice",
                        v.id
                    ));
                }
            }
        }
        for f in &self.facilities {
            if f.location >= n {
                return bad(format!("facility {} location {} >= {n}", f.id, f.location));
            }
            if !nonneg(f.unload) || !windows_ok(&f.time_windows) {
                return bad(format!(
                    "facility {} has invalid unload time or windows",
                    f.id
                ));
            }
        }
        Ok(())
    }
}
