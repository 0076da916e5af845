//! VROOM-compatible JSON: read VROOM input (jobs, vehicles, breaks, skills, priorities,
//! `matrices` per profile or the legacy `matrix`), write VROOM output (`code`, `summary`,
//! `unassigned`, `routes[].steps`), so VROOM clients can switch.
//!
//! kerb extensions (ignored by VROOM, optional here):
//! - top level `"facilities": [{"id", "location_index", "time_windows", "service"}]` —
//!   disposal sites; output steps of `"type": "disposal"` with `"id"` = facility id;
//! - vehicle `"disposal_required_at_end": bool`, `"max_working_time": seconds`;
//! - job `"unassigned_penalty"` (optional job), top level `"objective":
//!   {"minimize_vehicles": bool}` (default false, i.e. VROOM's cost-only objective);
//! - unassigned entries carry a `"reason"`.
//!
//! Read as VROOM does: `shipments` (pickup-and-delivery pairs, [`crate::Shipment`]), jobs
//! with both `pickup` and `delivery`, vehicle `steps` (the starting route, an input error
//! when infeasible; `service_at/after/before` are ignored, as VROOM does outside plan mode),
//! custom `costs` matrices (they replace `per_hour`/`per_km`; a non-default `per_hour` with
//! them is VROOM's input error), `costs.per_task_hour` (service time paid at that rate),
//! break `max_load` (a break is only taken with at most that load on board),
//! vroom-express's request `options` (`g` geometry, `t` threads, `l` time limit, `x` read;
//! see [`VroomOptions`]), `description`s echoed in the output; an unknown key is a JSON
//! error naming it; VROOM's own input checks (duplicate ids per task type, priority, speed
//! factor, step ids and order, location indices given for all locations or none, amount
//! sizes, time windows, `No vehicle defined.`). Output carries VROOM's
//! `summary.computing_times` (loading, solving, routing in ms).
//!
//! Job and shipment-step `setup` times (done when the vehicle comes from another location)
//! and `service_per_type`/`setup_per_type` with vehicle `type` are read as VROOM defines
//! them, steps and routes report their `setup`.
//!
//! Not supported yet (typed [`Error::Unsupported`], never silently ignored): plan mode
//! (`options.c`); deliveries or shipments together with kerb's facilities. Coordinates without a matrix need a router: see
//! [`read_vroom_with_router`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{
    Break, Error, Facility, Job, Matrix, Objective, Problem, Result, Solution, Step, StepKind,
    TimeWindow, Vehicle, VehicleCosts, HORIZON,
};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VInput {
    #[serde(default)]
    jobs: Vec<VTask>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    shipments: Vec<VShipment>,
    vehicles: Vec<VVehicle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    matrix: Option<Vec<Vec<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    matrices: Option<BTreeMap<String, VMatrix>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    facilities: Vec<VFacility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    objective: Option<Objective>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<VOptions>,
}

/// vroom-express's request `options` (its command-line flags): `g` route geometry, `t`
/// threads, `l` time limit in seconds, `x` exploration level, `c` plan mode.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    g: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    c: Option<bool>,
}

/// The request options of VROOM input (vroom-express's `options`), for the front end to
/// apply where its own transport (query string, flags) gave none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VroomOptions {
    /// `g`: add each route's road `geometry` (an encoded polyline) to the output.
    pub geometry: bool,
    /// `t`: solver threads.
    pub threads: Option<usize>,
    /// `l`: time limit, seconds.
    pub time_limit_s: Option<f64>,
    /// `x`: VROOM's exploration level (0-5). kerb's search has no levels; the value is
    /// checked (at most 5) and kept for the caller, the search is unchanged.
    pub exploration_level: Option<u32>,
}

/// A VROOM task: a `job`, or one end (`pickup`, `delivery`) of a shipment. The amounts,
/// skills and priority of a shipment belong to the shipment, so on its ends they are refused
/// by name (`job_only_keys`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VTask {
    id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location_index: Option<usize>,
    #[serde(default)]
    setup: f64,
    #[serde(default)]
    service: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    delivery: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pickup: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    amount: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skills: Vec<u32>,
    #[serde(default)]
    priority: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    time_windows: Vec<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unassigned_penalty: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    setup_per_type: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    service_per_type: BTreeMap<String, f64>,
}

impl VTask {
    /// The job-only keys this task sets: an error on a shipment's pickup or delivery.
    fn job_only_keys(&self) -> Vec<&'static str> {
        [
            ("delivery", !self.delivery.is_empty()),
            ("pickup", !self.pickup.is_empty()),
            ("amount", !self.amount.is_empty()),
            ("skills", !self.skills.is_empty()),
            ("priority", self.priority != 0),
            ("unassigned_penalty", self.unassigned_penalty.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VShipment {
    pickup: VTask,
    delivery: VTask,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    amount: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skills: Vec<u32>,
    #[serde(default)]
    priority: u32,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VCosts {
    #[serde(default)]
    fixed: f64,
    #[serde(default = "per_hour_default")]
    per_hour: f64,
    #[serde(default)]
    per_km: f64,
    #[serde(default)]
    per_task_hour: f64,
}

fn per_hour_default() -> f64 {
    3600.0
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VBreak {
    id: u64,
    #[serde(default)]
    time_windows: Vec<[f64; 2]>,
    #[serde(default)]
    service: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_load: Option<Vec<i64>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VVehicle {
    id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_index: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    capacity: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    costs: Option<VCosts>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skills: Vec<u32>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    vehicle_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_window: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    breaks: Vec<VBreak>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    speed_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_tasks: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_travel_time: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_distance: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_working_time: Option<f64>,
    #[serde(default)]
    disposal_required_at_end: bool,
    /// VROOM's initial route or fixed plan; kerb only checks that the jobs it names exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    steps: Vec<VStep>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VStep {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_after: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_before: Option<f64>,
}

/// VROOM's own input limits: job priority at most 100, `speed_factor` in `(0, 5]`, `steps`
/// naming only jobs of the input.
fn check_vroom_limits(inp: &VInput) -> Result<()> {
    use std::collections::HashSet;
    let invalid = |m: String| Err(Error::InvalidInstance(m));
    if inp.vehicles.is_empty() {
        return invalid("No vehicle defined.".into());
    }
    if let Some(o) = &inp.options {
        if o.c == Some(true) {
            return Err(Error::Unsupported(
                "plan mode (`options.c`): kerb plans, it does not only choose ETAs".into(),
            ));
        }
        if o.x.is_some_and(|x| x > 5) {
            return invalid("options.x: the exploration level is at most 5".into());
        }
        if o.t == Some(0) {
            return invalid("options.t: at least one thread".into());
        }
        if o.l.is_some_and(|l| !(l.is_finite() && l > 0.0)) {
            return invalid(
                "options.l: the time limit must be a positive number of seconds".into(),
            );
        }
    }
    for s in &inp.shipments {
        for (kind, t) in [("pickup", &s.pickup), ("delivery", &s.delivery)] {
            if let Some(key) = t.job_only_keys().first() {
                return invalid(format!(
                    "{kind} {}: `{key}` belongs to the shipment, not to its {kind}",
                    t.id
                ));
            }
        }
    }
    // Locations: all given by index or none (VROOM's "Missing location index.").
    let mut indexed = inp
        .jobs
        .iter()
        .map(|j| j.location_index.is_some())
        .chain(inp.shipments.iter().flat_map(|s| {
            [
                s.pickup.location_index.is_some(),
                s.delivery.location_index.is_some(),
            ]
        }))
        .chain(inp.vehicles.iter().flat_map(|v| {
            [
                (v.start.is_some() || v.start_index.is_some()).then_some(v.start_index.is_some()),
                (v.end.is_some() || v.end_index.is_some()).then_some(v.end_index.is_some()),
            ]
            .into_iter()
            .flatten()
        }));
    if let Some(first) = indexed.next() {
        if indexed.any(|x| x != first) {
            return invalid(
                "Missing location index: give every location a `location_index` (with \
                 `matrices`) or none (coordinates routed on the road graph)"
                    .into(),
            );
        }
    }
    for j in &inp.jobs {
        if j.priority > 100 {
            return Err(Error::InvalidPriority {
                job: j.id,
                priority: j.priority,
            });
        }
    }
    for s in &inp.shipments {
        if s.priority > 100 {
            return Err(Error::InvalidPriority {
                job: s.pickup.id,
                priority: s.priority,
            });
        }
    }
    let mut job_ids = HashSet::new();
    for j in &inp.jobs {
        if !job_ids.insert(j.id) {
            return Err(Error::DuplicateJobId { id: j.id });
        }
    }
    let (mut pickup_ids, mut delivery_ids) = (HashSet::new(), HashSet::new());
    for s in &inp.shipments {
        if !pickup_ids.insert(s.pickup.id) {
            return Err(Error::InvalidInstance(format!(
                "duplicate pickup id {}",
                s.pickup.id
            )));
        }
        if !delivery_ids.insert(s.delivery.id) {
            return Err(Error::InvalidInstance(format!(
                "duplicate delivery id {}",
                s.delivery.id
            )));
        }
    }
    for v in &inp.vehicles {
        if let Some(f) = v.speed_factor {
            if !(f > 0.0 && f <= 5.0) {
                return Err(Error::InvalidSpeedFactor {
                    vehicle: v.id,
                    speed_factor: f,
                });
            }
        }
        let mut break_ids = HashSet::new();
        for b in &v.breaks {
            if !break_ids.insert(b.id) {
                return Err(Error::InvalidInstance(format!(
                    "vehicle {}: duplicate break id {}",
                    v.id, b.id
                )));
            }
        }
        for (k, step) in v.steps.iter().enumerate() {
            match step.kind.as_str() {
                "start" if k != 0 => {
                    return invalid(format!(
                        "Unexpected start in input steps for vehicle {}.",
                        v.id
                    ))
                }
                "end" if k + 1 != v.steps.len() => {
                    return invalid(format!(
                        "Unexpected end in input steps for vehicle {}.",
                        v.id
                    ))
                }
                _ => {}
            }
            let ids = match step.kind.as_str() {
                "start" | "end" => continue,
                "job" => &job_ids,
                "pickup" => &pickup_ids,
                "delivery" => &delivery_ids,
                "break" => &break_ids,
                other => {
                    return Err(Error::InvalidInstance(format!(
                        "vehicle {}: unknown step type `{other}`",
                        v.id
                    )))
                }
            };
            match step.id {
                Some(id) if ids.contains(&id) => {}
                Some(id) if step.kind == "job" => {
                    return Err(Error::UnknownStepJob {
                        vehicle: v.id,
                        job: id,
                    })
                }
                Some(id) => {
                    return Err(Error::InvalidInstance(format!(
                        "vehicle {}: invalid {} id {id} in steps",
                        v.id, step.kind
                    )))
                }
                None => {
                    return Err(Error::InvalidInstance(format!(
                        "vehicle {}: a {} step without an `id`",
                        v.id, step.kind
                    )))
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VMatrix {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    durations: Option<Vec<Vec<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    distances: Option<Vec<Vec<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    costs: Option<Vec<Vec<f64>>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VFacility {
    id: u64,
    location_index: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    time_windows: Vec<[f64; 2]>,
    #[serde(default)]
    service: f64,
}

/// A problem read from VROOM JSON plus what is needed to write VROOM output for it.
#[derive(Clone, Debug, PartialEq)]
pub struct VroomProblem {
    /// The problem.
    pub problem: Problem,
    /// Profile names; `problem.matrices[k]` belongs to `profiles[k]`.
    pub profiles: Vec<String>,
    /// Some jobs carry `delivery` amounts or the input has shipments.
    pub delivery: bool,
    /// Coordinates per location index, when the input had them.
    pub coordinates: Vec<Option<[f64; 2]>>,
    /// VROOM's task type and id of each job of `problem` (pickup and delivery ids may repeat
    /// job ids in VROOM, so the problem's own job ids are not always VROOM's).
    pub tasks: Vec<Task>,
    /// VROOM `description` of each vehicle, if given.
    pub vehicle_descriptions: Vec<Option<String>>,
    /// VROOM `description` of each break, per vehicle, if given.
    pub break_descriptions: Vec<Vec<Option<String>>>,
    /// Each vehicle's `profile` as given (`None`: the router's default), to route its
    /// geometry on the same graph as its matrix.
    pub vehicle_profiles: Vec<Option<String>>,
    /// The input's `options` (vroom-express's request options).
    pub options: VroomOptions,
    /// Seconds spent reading the input (parsing, checks, building the problem), routing
    /// included: VROOM's `computing_times.loading`.
    pub loading_s: f64,
    /// Seconds of that spent computing matrices on the road graph: VROOM's
    /// `computing_times.routing` (geometry added by the front end counts there too).
    pub routing_s: f64,
}

/// What a job of the problem is in VROOM's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// A `job`.
    Job,
    /// The `pickup` of a shipment.
    Pickup,
    /// The `delivery` of a shipment.
    Delivery,
}

impl TaskKind {
    /// VROOM's step `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Job => "job",
            TaskKind::Pickup => "pickup",
            TaskKind::Delivery => "delivery",
        }
    }
}

/// A job's VROOM identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Task {
    /// Job, pickup or delivery.
    pub kind: TaskKind,
    /// VROOM id (unique per kind).
    pub id: u64,
}

impl VroomProblem {
    /// Wraps a problem from another source (profile names `p0, p1, ...`; shipments' ends
    /// become pickups and deliveries).
    pub fn from_problem(problem: Problem) -> Self {
        let n = problem.matrices.first().map(|m| m.size).unwrap_or(0);
        let profiles = (0..problem.matrices.len())
            .map(|k| format!("p{k}"))
            .collect();
        let mut tasks: Vec<Task> = problem
            .jobs
            .iter()
            .map(|j| Task {
                kind: TaskKind::Job,
                id: j.id,
            })
            .collect();
        for s in &problem.shipments {
            if let Some(t) = tasks.get_mut(s.pickup) {
                t.kind = TaskKind::Pickup;
            }
            if let Some(t) = tasks.get_mut(s.delivery) {
                t.kind = TaskKind::Delivery;
            }
        }
        let delivery = !problem.shipments.is_empty()
            || problem
                .jobs
                .iter()
                .any(|j| j.delivery.iter().any(|&x| x != 0));
        Self {
            vehicle_descriptions: vec![None; problem.vehicles.len()],
            vehicle_profiles: vec![None; problem.vehicles.len()],
            options: VroomOptions::default(),
            loading_s: 0.0,
            routing_s: 0.0,
            break_descriptions: problem
                .vehicles
                .iter()
                .map(|v| vec![None; v.breaks.len()])
                .collect(),
            problem,
            profiles,
            delivery,
            coordinates: vec![None; n],
            tasks,
        }
    }

    /// Index of the job VROOM calls `(kind, id)`.
    pub fn task_index(&self, kind: TaskKind, id: u64) -> Option<usize> {
        self.tasks.iter().position(|t| t.kind == kind && t.id == id)
    }
}

/// The job of task `t` (id `id`, location `l`) with what every task has: service, setup,
/// their values per vehicle type, windows, description.
fn task_job(t: &VTask, id: u64, l: usize) -> Job {
    Job {
        service: t.service,
        setup: t.setup,
        service_per_type: t.service_per_type.clone(),
        setup_per_type: t.setup_per_type.clone(),
        time_windows: t.time_windows.iter().map(tw).collect(),
        description: t.description.clone(),
        ..Job::new(id, l)
    }
}

fn tw(w: &[f64; 2]) -> TimeWindow {
    TimeWindow::new(w[0], w[1])
}

fn square(name: &str, rows: &[Vec<f64>]) -> Result<(usize, Vec<f64>)> {
    let n = rows.len();
    if rows.iter().any(|r| r.len() != n) {
        return Err(Error::InvalidInstance(format!(
            "matrix `{name}` is not square"
        )));
    }
    Ok((n, rows.concat()))
}

/// Reads VROOM JSON whose locations are all given as `location_index` into matrices.
///
/// ```
/// let input = r#"{
///   "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4]}],
///   "jobs": [{"id": 10, "location_index": 1, "pickup": [2], "service": 60},
///            {"id": 11, "location_index": 2, "pickup": [2], "time_windows": [[0, 900]]}],
///   "matrices": {"car": {"durations": [[0, 100, 200], [100, 0, 100], [200, 100, 0]]}}
/// }"#;
/// let vp = kerb_plan::io::vroom::read_vroom(input).unwrap();
/// let sol = kerb_plan::solve(&vp.problem, &kerb_plan::SolveOptions::iterations(50)).unwrap();
/// let out = kerb_plan::io::vroom::write_output(&vp, &sol);
/// assert_eq!(out["code"], 0);
/// assert_eq!(out["summary"]["cost"], 400);
/// assert_eq!(out["routes"][0]["steps"][0]["type"], "start");
/// ```
pub fn read_vroom(text: &str) -> Result<VroomProblem> {
    read_vroom_with_router(text, &mut NoRouter)
}

/// Where the matrix over coordinate locations comes from (VROOM's `routing::Wrapper`: the
/// reader does not care whether a road graph, OSRM or a test table answers).
///
/// The source keeps its own error type, so a road-graph failure (no segment near a
/// coordinate, no route between two) reaches the caller as itself rather than as a planner
/// error; planner errors of the reader are converted with `From`.
///
/// ```
/// use kerb_plan::io::vroom::{read_vroom_with_router, MatrixSource};
/// /// Straight-line "routing" at 10 m/s on a flat plane, for the example.
/// struct Flat;
/// impl MatrixSource for Flat {
///     type Error = kerb_plan::Error;
///     fn get_matrix(
///         &mut self,
///         _profile: Option<&str>,
///         coords: &[[f64; 2]],
///     ) -> kerb_plan::Result<kerb_plan::Matrix> {
///         let n = coords.len();
///         let d: Vec<f64> = (0..n * n)
///             .map(|k| {
///                 let (a, b) = (coords[k / n], coords[k % n]);
///                 ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
///             })
///             .collect();
///         kerb_plan::Matrix::new(n, d.iter().map(|m| m / 10.0).collect(), d)
///     }
/// }
/// let input = r#"{"vehicles": [{"id": 1, "start": [0, 0], "end": [0, 0]}],
///                 "jobs": [{"id": 7, "location": [300, 400]}]}"#;
/// let vp = read_vroom_with_router(input, &mut Flat).unwrap();
/// assert_eq!(vp.problem.matrices[0].duration(0, 1), 50.0);
/// ```
pub trait MatrixSource {
    /// The source's failure; the reader's own errors convert into it.
    type Error: From<Error>;

    /// The duration/distance matrix of routing profile `profile` over `coords` (`[lon, lat]`,
    /// distinct, in first-use order), one location per coordinate. `profile` is a vehicle's
    /// `profile` field; `None` for vehicles that name none (the source's default profile).
    fn get_matrix(
        &mut self,
        profile: Option<&str>,
        coords: &[[f64; 2]],
    ) -> std::result::Result<Matrix, Self::Error>;
}

/// The source of [`read_vroom`]: coordinates are an error, there is no road graph.
struct NoRouter;

impl MatrixSource for NoRouter {
    type Error = Error;

    fn get_matrix(&mut self, _profile: Option<&str>, _coords: &[[f64; 2]]) -> Result<Matrix> {
        Err(Error::InvalidInstance(
            "locations given as coordinates need a road graph: give `location_index` with \
             `matrices`, or route them on a graph (`kerb plan --graph`, Python \
             `kerb.plan(..., graph=)`, POST /plan)"
                .into(),
        ))
    }
}

/// Like [`read_vroom`], but locations given only as coordinates are routed with `source`:
/// one matrix per distinct vehicle `profile` (VROOM's one routing profile per vehicle), each
/// vehicle planned on its own profile's matrix; vehicles that name no profile share the
/// source's default one (written out as VROOM's `car`). The source's error comes back as it
/// is; the reader's own errors convert into it.
pub fn read_vroom_with_router<S: MatrixSource + ?Sized>(
    text: &str,
    source: &mut S,
) -> std::result::Result<VroomProblem, S::Error> {
    let loading = std::time::Instant::now();
    let mut routing_s = 0.0;
    let inp: VInput = serde_json::from_str(text).map_err(Error::from)?;
    check_vroom_limits(&inp)?;
    // Locations: either all indices, or all coordinates (routed).
    let uses_coords = inp.jobs.iter().any(|j| j.location_index.is_none())
        || inp
            .shipments
            .iter()
            .any(|s| s.pickup.location_index.is_none() || s.delivery.location_index.is_none())
        || inp.vehicles.iter().any(|v| {
            (v.start.is_some() && v.start_index.is_none())
                || (v.end.is_some() && v.end_index.is_none())
        });
    let mut coords: Vec<[f64; 2]> = Vec::new();
    let mut coord_index = |c: [f64; 2]| -> usize {
        match coords.iter().position(|x| *x == c) {
            Some(i) => i,
            None => {
                coords.push(c);
                coords.len() - 1
            }
        }
    };
    let loc = |idx: Option<usize>,
               c: Option<[f64; 2]>,
               ci: &mut dyn FnMut([f64; 2]) -> usize|
     -> Option<usize> {
        if uses_coords {
            c.map(ci)
        } else {
            idx
        }
    };
    let mut job_locs = Vec::new();
    for j in &inp.jobs {
        let l = loc(j.location_index, j.location, &mut coord_index)
            .ok_or_else(|| Error::InvalidInstance(format!("job {} has no location", j.id)))?;
        job_locs.push(l);
    }
    let mut shipment_locs = Vec::new();
    for s in &inp.shipments {
        let mut end = |t: &VTask, kind: &str| {
            loc(t.location_index, t.location, &mut coord_index)
                .ok_or_else(|| Error::InvalidInstance(format!("{kind} {} has no location", t.id)))
        };
        let p = end(&s.pickup, "pickup")?;
        let d = end(&s.delivery, "delivery")?;
        shipment_locs.push((p, d));
    }
    let mut veh_locs = Vec::new();
    for v in &inp.vehicles {
        let s = loc(v.start_index, v.start, &mut coord_index);
        let e = loc(v.end_index, v.end, &mut coord_index);
        if s.is_none() && e.is_none() {
            return Err(S::Error::from(Error::InvalidInstance(format!(
                "vehicle {} has neither start nor end",
                v.id
            ))));
        }
        veh_locs.push((s, e));
    }
    if uses_coords && !inp.facilities.is_empty() {
        return Err(S::Error::from(Error::Unsupported(
            "facilities with coordinate-based locations".into(),
        )));
    }
    let mut profiles: Vec<String> = Vec::new();
    let mut matrices: Vec<Matrix> = Vec::new();
    // Routed profiles as the vehicles give them (`None`: the source's default).
    let mut routed: Vec<Option<String>> = Vec::new();
    if uses_coords {
        routed = inp.vehicles.iter().map(|v| v.profile.clone()).collect();
        routed.sort();
        routed.dedup();
        let routing = std::time::Instant::now();
        for key in &routed {
            matrices.push(source.get_matrix(key.as_deref(), &coords)?);
            profiles.push(key.clone().unwrap_or_else(|| "car".into()));
        }
        routing_s = routing.elapsed().as_secs_f64();
    } else if let Some(ms) = &inp.matrices {
        for (name, vm) in ms {
            let (n, durations) = match &vm.durations {
                Some(d) => square("durations", d)?,
                None => {
                    return Err(S::Error::from(Error::InvalidInstance(format!(
                        "matrices.{name} needs `durations`"
                    ))))
                }
            };
            let distances = match &vm.distances {
                Some(d) => {
                    let (n2, d) = square("distances", d)?;
                    if n2 != n {
                        return Err(S::Error::from(Error::InvalidInstance(format!(
                            "matrices.{name}: sizes differ"
                        ))));
                    }
                    d
                }
                None => vec![0.0; n * n],
            };
            let mut m = Matrix::new(n, durations, distances)?;
            if let Some(c) = &vm.costs {
                let (n3, c) = square("costs", c)?;
                if n3 != n {
                    return Err(S::Error::from(Error::InvalidInstance(format!(
                        "matrices.{name}: sizes differ"
                    ))));
                }
                if let Some(v) = inp.vehicles.iter().find(|v| {
                    v.profile.as_deref().unwrap_or("car") == name
                        && v.costs.as_ref().is_some_and(|c| c.per_hour != 3600.0)
                }) {
                    return Err(S::Error::from(Error::InvalidInstance(format!(
                        "vehicle {}: Custom costs are incompatible with using a per_hour value.",
                        v.id
                    ))));
                }
                m = m.with_costs(c)?;
            }
            profiles.push(name.clone());
            matrices.push(m);
        }
    } else if let Some(m) = &inp.matrix {
        let (n, durations) = square("matrix", m)?;
        profiles.push("car".into());
        matrices.push(Matrix::new(n, durations, vec![0.0; n * n])?);
    } else {
        return Err(S::Error::from(Error::InvalidInstance(
            "no `matrices` (or `matrix`) given".into(),
        )));
    }
    let has_delivery =
        !inp.shipments.is_empty() || inp.jobs.iter().any(|j| j.delivery.iter().any(|&x| x != 0));
    let mut p = Problem::new(matrices);
    p.objective = inp.objective.unwrap_or(Objective {
        minimize_vehicles: false,
    });
    let mut tasks = Vec::new();
    for (j, l) in inp.jobs.iter().zip(job_locs) {
        let demand = if !j.pickup.is_empty() {
            j.pickup.clone()
        } else {
            j.amount.clone()
        };
        tasks.push(Task {
            kind: TaskKind::Job,
            id: j.id,
        });
        p.jobs.push(Job {
            demand,
            delivery: j.delivery.clone(),
            skills: j.skills.clone(),
            priority: j.priority,
            unassigned_penalty: j.unassigned_penalty,
            ..task_job(j, j.id, l)
        });
    }
    // Pickup and delivery ids may repeat job ids in VROOM: the problem's ids stay unique.
    let mut used: std::collections::HashSet<u64> = inp.jobs.iter().map(|j| j.id).collect();
    let mut fresh = used.iter().max().map(|m| m + 1).unwrap_or(0);
    let mut internal_id = |id: u64| {
        if used.insert(id) {
            id
        } else {
            while !used.insert(fresh) {
                fresh += 1;
            }
            fresh
        }
    };
    for (s, (pl, dl)) in inp.shipments.iter().zip(shipment_locs) {
        let end = |t: &VTask, id: u64, l: usize| Job {
            skills: s.skills.clone(),
            priority: s.priority,
            ..task_job(t, id, l)
        };
        let pickup = end(&s.pickup, internal_id(s.pickup.id), pl);
        let delivery = end(&s.delivery, internal_id(s.delivery.id), dl);
        p = p.shipment(pickup, delivery, s.amount.clone());
        tasks.push(Task {
            kind: TaskKind::Pickup,
            id: s.pickup.id,
        });
        tasks.push(Task {
            kind: TaskKind::Delivery,
            id: s.delivery.id,
        });
    }
    for (v, (s, e)) in inp.vehicles.iter().zip(veh_locs) {
        let name = v.profile.clone().unwrap_or_else(|| "car".into());
        let profile = if uses_coords {
            routed.iter().position(|x| *x == v.profile)
        } else {
            profiles.iter().position(|x| *x == name)
        }
        .ok_or_else(|| {
            Error::InvalidInstance(format!("vehicle {}: no matrix for profile `{name}`", v.id))
        })?;
        let c = v.costs.as_ref();
        p.vehicles.push(Vehicle {
            id: v.id,
            profile,
            start: s,
            end: e,
            capacity: v.capacity.clone(),
            shift: v
                .time_window
                .as_ref()
                .map(tw)
                .unwrap_or(TimeWindow::new(0.0, HORIZON)),
            max_working_time: v.max_working_time,
            max_travel_time: v.max_travel_time,
            max_distance: v.max_distance,
            max_stops: v.max_tasks,
            breaks: v
                .breaks
                .iter()
                .map(|b| Break {
                    id: b.id,
                    time_windows: if b.time_windows.is_empty() {
                        vec![TimeWindow::new(0.0, HORIZON)]
                    } else {
                        b.time_windows.iter().map(tw).collect()
                    },
                    duration: b.service,
                    max_load: b.max_load.clone(),
                })
                .collect(),
            costs: VehicleCosts {
                fixed: c.map(|c| c.fixed).unwrap_or(0.0),
                per_hour: c.map(|c| c.per_hour).unwrap_or(3600.0),
                per_km: c.map(|c| c.per_km).unwrap_or(0.0),
                per_task_hour: c.map(|c| c.per_task_hour).unwrap_or(0.0),
            },
            skills: v.skills.clone(),
            speed_factor: v.speed_factor.unwrap_or(1.0),
            disposal_required_at_end: v.disposal_required_at_end,
            vehicle_type: v.vehicle_type.clone(),
            initial_route: v
                .steps
                .iter()
                .filter_map(|st| {
                    let kind = match st.kind.as_str() {
                        "job" => TaskKind::Job,
                        "pickup" => TaskKind::Pickup,
                        "delivery" => TaskKind::Delivery,
                        _ => return None,
                    };
                    st.id
                        .and_then(|id| tasks.iter().position(|t| t.kind == kind && t.id == id))
                })
                .collect(),
        });
    }
    for f in &inp.facilities {
        p.facilities.push(Facility {
            id: f.id,
            location: f.location_index,
            time_windows: f.time_windows.iter().map(tw).collect(),
            unload: f.service,
        });
    }
    p.validate()?;
    let n = p.matrices[0].size;
    let mut coordinates = vec![None; n];
    for (i, c) in coords.into_iter().enumerate() {
        if i < n {
            coordinates[i] = Some(c);
        }
    }
    Ok(VroomProblem {
        problem: p,
        profiles,
        delivery: has_delivery,
        coordinates,
        tasks,
        vehicle_descriptions: inp.vehicles.iter().map(|v| v.description.clone()).collect(),
        break_descriptions: inp
            .vehicles
            .iter()
            .map(|v| v.breaks.iter().map(|b| b.description.clone()).collect())
            .collect(),
        vehicle_profiles: inp.vehicles.iter().map(|v| v.profile.clone()).collect(),
        options: inp
            .options
            .as_ref()
            .map(|o| VroomOptions {
                geometry: o.g.unwrap_or(false),
                threads: o.t,
                time_limit_s: o.l,
                exploration_level: o.x,
            })
            .unwrap_or_default(),
        loading_s: loading.elapsed().as_secs_f64(),
        routing_s,
    })
}

/// Writes `vp` back as VROOM input JSON (with kerb extensions where used).
pub fn write_input(vp: &VroomProblem) -> Value {
    let p = &vp.problem;
    let rows =
        |v: &[f64], n: usize| -> Vec<Vec<f64>> { v.chunks(n.max(1)).map(|r| r.to_vec()).collect() };
    let vroom_id = |k: usize| vp.tasks.get(k).map(|t| t.id).unwrap_or(p.jobs[k].id);
    let mut in_shipment = vec![false; p.jobs.len()];
    for s in &p.shipments {
        in_shipment[s.pickup] = true;
        in_shipment[s.delivery] = true;
    }
    // What every task has (the inverse of `task_job`).
    let task = |k: usize| {
        let j = &p.jobs[k];
        VTask {
            id: vroom_id(k),
            description: j.description.clone(),
            location_index: Some(j.location),
            setup: j.setup,
            service: j.service,
            setup_per_type: j.setup_per_type.clone(),
            service_per_type: j.service_per_type.clone(),
            time_windows: j.time_windows.iter().map(|w| [w.start, w.end]).collect(),
            ..VTask::default()
        }
    };
    let inp = VInput {
        shipments: p
            .shipments
            .iter()
            .map(|s| VShipment {
                pickup: task(s.pickup),
                delivery: task(s.delivery),
                amount: p.jobs[s.pickup].demand.clone(),
                skills: p.jobs[s.pickup].skills.clone(),
                priority: p.jobs[s.pickup].priority,
            })
            .collect(),
        jobs: p
            .jobs
            .iter()
            .enumerate()
            .filter(|(k, _)| !in_shipment[*k])
            .map(|(k, j)| VTask {
                delivery: j.delivery.clone(),
                pickup: j.demand.clone(),
                skills: j.skills.clone(),
                priority: j.priority,
                unassigned_penalty: j.unassigned_penalty,
                ..task(k)
            })
            .collect(),
        vehicles: p
            .vehicles
            .iter()
            .map(|v| VVehicle {
                id: v.id,
                profile: Some(vp.profiles[v.profile].clone()),
                start_index: v.start,
                end_index: v.end,
                capacity: v.capacity.clone(),
                costs: Some(VCosts {
                    fixed: v.costs.fixed,
                    per_hour: v.costs.per_hour,
                    per_km: v.costs.per_km,
                    per_task_hour: v.costs.per_task_hour,
                }),
                skills: v.skills.clone(),
                time_window: Some([v.shift.start, v.shift.end]),
                breaks: v
                    .breaks
                    .iter()
                    .map(|b| VBreak {
                        id: b.id,
                        time_windows: b.time_windows.iter().map(|w| [w.start, w.end]).collect(),
                        service: b.duration,
                        description: None,
                        max_load: b.max_load.clone(),
                    })
                    .collect(),
                speed_factor: Some(v.speed_factor),
                max_tasks: v.max_stops,
                max_travel_time: v.max_travel_time,
                max_distance: v.max_distance,
                max_working_time: v.max_working_time,
                disposal_required_at_end: v.disposal_required_at_end,
                vehicle_type: v.vehicle_type.clone(),
                ..VVehicle::default()
            })
            .collect(),
        matrices: Some(
            vp.profiles
                .iter()
                .zip(&p.matrices)
                .map(|(name, m)| {
                    (
                        name.clone(),
                        VMatrix {
                            durations: Some(rows(&m.durations, m.size)),
                            distances: Some(rows(&m.distances, m.size)),
                            costs: m.costs.as_ref().map(|c| rows(c, m.size)),
                        },
                    )
                })
                .collect(),
        ),
        facilities: p
            .facilities
            .iter()
            .map(|f| VFacility {
                id: f.id,
                location_index: f.location,
                time_windows: f.time_windows.iter().map(|w| [w.start, w.end]).collect(),
                service: f.unload,
            })
            .collect(),
        objective: Some(p.objective),
        ..VInput::default()
    };
    serde_json::to_value(inp).unwrap_or(Value::Null)
}

/// A JSON number, as an integer when it is one (VROOM prints integers).
pub(crate) fn num(x: f64) -> Value {
    if (x - x.round()).abs() < 1e-9 && x.abs() < 9e15 {
        json!(x.round() as i64)
    } else {
        json!((x * 1000.0).round() / 1000.0)
    }
}

fn loc_json(vp: &VroomProblem, l: Option<usize>, obj: &mut serde_json::Map<String, Value>) {
    if let Some(l) = l {
        obj.insert("location_index".into(), json!(l));
        if let Some(Some(c)) = vp.coordinates.get(l) {
            obj.insert("location".into(), json!(c));
        }
    }
}

/// Seconds as VROOM's whole milliseconds.
fn ms(seconds: f64) -> u64 {
    (seconds * 1000.0).round() as u64
}

/// Writes a solution as VROOM output JSON (`code` 0, `summary`, `unassigned`, `routes`).
pub fn write_output(vp: &VroomProblem, sol: &Solution) -> Value {
    let p = &vp.problem;
    let dims = p.dimensions();
    let task = |j: usize| {
        vp.tasks.get(j).copied().unwrap_or(Task {
            kind: TaskKind::Job,
            id: p.jobs[j].id,
        })
    };
    let mut routes = Vec::new();
    let (mut total_pickup, mut total_delivery) = (vec![0i64; dims], vec![0i64; dims]);
    let mut total_priority = 0u64;
    for r in &sol.routes {
        let v = &p.vehicles[r.vehicle];
        let (mut pickup, mut delivery) = (vec![0i64; dims], vec![0i64; dims]);
        let mut priority = 0u64;
        for s in &r.steps {
            if let StepKind::Job { job } = s.kind {
                let j = &p.jobs[job];
                for (a, d) in pickup.iter_mut().zip(&j.demand) {
                    *a += d;
                }
                for (a, d) in delivery.iter_mut().zip(&j.delivery) {
                    *a += d;
                }
                // VROOM counts a shipment's priority once, at its pickup.
                if task(job).kind != TaskKind::Delivery {
                    priority += j.priority as u64;
                }
            }
        }
        let mut steps = Vec::new();
        let (mut travel, mut prev_loc) = (0.0, r.steps.first().and_then(|s| s.location));
        for s in &r.steps {
            if !matches!(s.kind, StepKind::Break { .. }) {
                if let (Some(a), Some(b)) = (prev_loc, s.location) {
                    travel += p.matrices[v.profile].duration(a, b) / v.speed_factor;
                }
                prev_loc = s.location.or(prev_loc);
            }
            let mut o = serde_json::Map::new();
            let (ty, id, desc) = match s.kind {
                StepKind::Start => ("start", None, None),
                StepKind::End => ("end", None, None),
                StepKind::Job { job } => {
                    let t = task(job);
                    (t.kind.as_str(), Some(t.id), p.jobs[job].description.clone())
                }
                StepKind::Break { index } => (
                    "break",
                    Some(v.breaks[index].id),
                    vp.break_descriptions
                        .get(r.vehicle)
                        .and_then(|b| b.get(index).cloned())
                        .flatten(),
                ),
                StepKind::Disposal { facility } => {
                    ("disposal", Some(p.facilities[facility].id), None)
                }
            };
            o.insert("type".into(), json!(ty));
            if let Some(id) = id {
                o.insert("id".into(), json!(id));
            }
            if let Some(d) = desc {
                o.insert("description".into(), json!(d));
            }
            if !matches!(s.kind, StepKind::Break { .. }) {
                loc_json(vp, s.location, &mut o);
            }
            // The load on board after the step, as VROOM reports it.
            o.insert("setup".into(), num(s.setup));
            o.insert("service".into(), num(s.service));
            o.insert("waiting_time".into(), num(s.start - s.arrival));
            o.insert("load".into(), json!(s.load));
            o.insert("arrival".into(), num(s.arrival));
            o.insert("duration".into(), num(travel));
            o.insert("distance".into(), num(s.distance));
            o.insert("violations".into(), json!([]));
            steps.push(Value::Object(o));
        }
        for (t, a) in total_pickup.iter_mut().zip(&pickup) {
            *t += a;
        }
        for (t, a) in total_delivery.iter_mut().zip(&delivery) {
            *t += a;
        }
        total_priority += priority;
        let mut route = json!({
            "vehicle": v.id,
            "cost": num(r.cost),
            "delivery": delivery,
            "pickup": pickup,
            "amount": pickup,
            "setup": num(r.setup),
            "service": num(r.service),
            "duration": num(r.travel_time),
            "waiting_time": num(r.waiting),
            "priority": priority,
            "distance": num(r.distance),
            "steps": steps,
            "violations": [],
        });
        if let Some(Some(d)) = vp.vehicle_descriptions.get(r.vehicle) {
            route["description"] = json!(d);
        }
        routes.push(route);
    }
    let unassigned: Vec<Value> = sol
        .unassigned
        .iter()
        .map(|u| {
            let j = &p.jobs[u.job];
            let t = task(u.job);
            let mut o = serde_json::Map::new();
            o.insert("id".into(), json!(t.id));
            o.insert("type".into(), json!(t.kind.as_str()));
            loc_json(vp, Some(j.location), &mut o);
            if let Some(d) = &j.description {
                o.insert("description".into(), json!(d));
            }
            o.insert("reason".into(), json!(u.reason.to_string()));
            o.insert("reason_code".into(), json!(u.reason));
            Value::Object(o)
        })
        .collect();
    json!({
        "code": 0,
        "summary": {
            "cost": num(sol.summary.cost),
            "routes": sol.routes.len(),
            "unassigned": sol.unassigned.len(),
            "delivery": total_delivery,
            "pickup": total_pickup,
            "amount": total_pickup,
            "setup": num(sol.routes.iter().map(|r| r.setup).sum()),
            "service": num(sol.summary.service),
            "duration": num(sol.summary.travel_time),
            "waiting_time": num(sol.summary.waiting),
            "priority": total_priority,
            "distance": num(sol.summary.distance),
            "violations": [],
            "computing_times": {
                "loading": ms(vp.loading_s),
                "solving": ms(sol.summary.elapsed_s),
                "routing": ms(vp.routing_s),
            },
        },
        "unassigned": unassigned,
        "routes": routes,
    })
}

/// Reads VROOM output JSON (from kerb or from VROOM itself) back into a [`Solution`] for
/// `vp`, so that it can be validated with [`crate::check`].
pub fn read_output(vp: &VroomProblem, out: &Value) -> Result<Solution> {
    let p = &vp.problem;
    let bad = |m: String| Error::InvalidInstance(format!("VROOM output: {m}"));
    let f = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let mut sol = Solution::default();
    for r in out["routes"]
        .as_array()
        .ok_or_else(|| bad("no routes".into()))?
    {
        let vid = r["vehicle"]
            .as_u64()
            .ok_or_else(|| bad("route without vehicle".into()))?;
        let vi = p
            .vehicles
            .iter()
            .position(|v| v.id == vid)
            .ok_or_else(|| bad(format!("unknown vehicle {vid}")))?;
        let v = &p.vehicles[vi];
        let mut steps = Vec::new();
        for st in r["steps"]
            .as_array()
            .ok_or_else(|| bad("route without steps".into()))?
        {
            let id = st["id"].as_u64();
            let kind = match st["type"].as_str().unwrap_or("") {
                "start" => StepKind::Start,
                "end" => StepKind::End,
                t @ ("job" | "pickup" | "delivery") => {
                    let kind = match t {
                        "job" => TaskKind::Job,
                        "pickup" => TaskKind::Pickup,
                        _ => TaskKind::Delivery,
                    };
                    StepKind::Job {
                        job: id
                            .and_then(|id| vp.task_index(kind, id))
                            .ok_or_else(|| bad(format!("unknown {t} {id:?}")))?,
                    }
                }
                "break" => StepKind::Break {
                    index: v
                        .breaks
                        .iter()
                        .position(|b| Some(b.id) == id)
                        .ok_or_else(|| bad(format!("unknown break {id:?}")))?,
                },
                "disposal" => StepKind::Disposal {
                    facility: p
                        .facilities
                        .iter()
                        .position(|x| Some(x.id) == id)
                        .ok_or_else(|| bad(format!("unknown facility {id:?}")))?,
                },
                t => return Err(bad(format!("unsupported step type `{t}`"))),
            };
            let arrival = f(st, "arrival");
            let start = arrival + f(st, "waiting_time");
            let setup = f(st, "setup");
            let service = f(st, "service");
            let load: Vec<i64> = st["load"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            let location = match kind {
                StepKind::Break { .. } => steps.last().and_then(|s: &Step| s.location),
                _ => st["location_index"].as_u64().map(|x| x as usize),
            };
            steps.push(Step {
                kind,
                location,
                arrival,
                start,
                setup,
                service,
                departure: start + setup + service,
                load,
                distance: f(st, "distance"),
            });
        }
        let first = steps.first().map(|s| s.departure).unwrap_or(0.0);
        let last = steps.last().map(|s| s.arrival).unwrap_or(0.0);
        sol.routes.push(crate::PlannedRoute {
            vehicle: vi,
            cost: f(r, "cost"),
            distance: f(r, "distance"),
            travel_time: f(r, "duration"),
            setup: f(r, "setup"),
            service: f(r, "service"),
            waiting: f(r, "waiting_time"),
            working_time: last - first,
            steps,
        });
    }
    for u in out["unassigned"].as_array().into_iter().flatten() {
        let id = u["id"].as_u64();
        let kind = match u["type"].as_str() {
            Some("pickup") => TaskKind::Pickup,
            Some("delivery") => TaskKind::Delivery,
            _ => TaskKind::Job,
        };
        let job = id
            .and_then(|id| vp.task_index(kind, id))
            .ok_or_else(|| bad(format!("unknown job {id:?}")))?;
        let reason = serde_json::from_value(u["reason_code"].clone())
            .unwrap_or(crate::UnassignedReason::NoRoom);
        sol.unassigned.push(crate::Unassigned { job, reason });
    }
    sol.summary.cost = f(&out["summary"], "cost");
    sol.summary.vehicles = sol.routes.len();
    sol.summary.unassigned = sol.unassigned.len();
    sol.summary.distance = f(&out["summary"], "distance");
    sol.summary.travel_time = f(&out["summary"], "duration");
    Ok(sol)
}
