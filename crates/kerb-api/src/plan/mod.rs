//! Planning for every front end: typed options with one set of defaults ([`PlanOptions`]),
//! the request cost model ([`PlanLimits`]), VROOM input routed on a graph ([`GraphMatrix`]).
//!
//! `kerb plan`, `kerb collect`, `POST /plan` and Python's `kerb.plan`/`kerb.plan_collection`
//! translate their transport into a text body, a [`PlanOptions`] and a [`PlanLimits`], then
//! call [`plan_vroom`] or [`plan_day`]; so the same input with the same options gives the
//! same plan from each of them.
//!
//! # Defaults
//!
//! VROOM input: [`DEFAULT_ITERATIONS`] (20,000) iterations per thread when no time limit is
//! given, [`DEFAULT_THREADS`] (1) thread, seed [`DEFAULT_SEED`] (1). Chosen so that a request
//! without options is reproducible: before, the CLI ran 10 s on every core (a plan that
//! depended on the machine and its load), HTTP 20,000 iterations on one thread, Python 20,000
//! iterations on one thread; the HTTP/Python choice was the deterministic one, and the
//! existing front-end tests all pass explicit iterations and threads, so they are unchanged.
//! A collection day brings its own `options` block (5 s, 2 threads, seed 1 by default), read
//! identically everywhere; options given by the front end override it.
//!
//! Every run has a time limit: the one asked for, capped at [`PlanLimits::max_time_limit`],
//! or that cap itself as a guard of iteration-limited runs.

mod graph;
mod limits;
mod options;

pub use graph::GraphMatrix;
pub use limits::PlanLimits;
pub use options::{
    checked_time_limit, PlanOptions, DEFAULT_ITERATIONS, DEFAULT_SEED, DEFAULT_THREADS,
    MAX_TIME_LIMIT_S,
};

use kerb_core::{Approach, Graph, GraphSet, SnapOptions};
use kerb_plan::io::vroom::{self, VroomProblem};
use serde_json::Value;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::{Error, ErrorKind};

/// Why a plan request failed, keeping the failing layer's own error so that a front end can
/// map it precisely (the Python module to its exception classes); [`PlanError::kind`] is the
/// transport-independent kind the HTTP server maps.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// An option is out of range or the request exceeds a [`PlanLimits`] bound.
    #[error(transparent)]
    Request(#[from] Error),
    /// Routing coordinate locations on the graph failed (snapping, no route).
    #[error(transparent)]
    Graph(#[from] kerb_core::Error),
    /// The planner rejected the VROOM input (malformed, unsupported, infeasible).
    #[error(transparent)]
    Plan(#[from] kerb_plan::Error),
    /// The collection pipeline failed (malformed day, snapping, planning).
    #[error(transparent)]
    Collect(#[from] kerb_collect::Error),
}

impl PlanError {
    /// The front-end error kind of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            PlanError::Request(e) => e.kind,
            PlanError::Graph(e) => ErrorKind::of_core(e),
            PlanError::Plan(e) => plan_kind(e),
            PlanError::Collect(kerb_collect::Error::InvalidInput(_)) => ErrorKind::InvalidValue,
            PlanError::Collect(kerb_collect::Error::TooManyTrucks { .. }) => ErrorKind::TooBig,
            PlanError::Collect(kerb_collect::Error::Graph(
                e @ kerb_core::Error::NoGraphForProfile { .. },
            )) => ErrorKind::of_core(e),
            PlanError::Collect(_) => ErrorKind::InvalidPlan,
        }
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Request(e) => e,
            e => Error::new(e.kind(), e.to_string()),
        }
    }
}

fn plan_kind(e: &kerb_plan::Error) -> ErrorKind {
    use kerb_plan::Error as E;
    match e {
        E::Json(_) | E::Parse { .. } => ErrorKind::InvalidJson,
        E::InvalidInstance(_)
        | E::InvalidTimeLimit { .. }
        | E::DuplicateJobId { .. }
        | E::DuplicateVehicleId { .. }
        | E::InvalidPriority { .. }
        | E::InvalidSpeedFactor { .. }
        | E::UnknownStepJob { .. }
        | E::InvalidInitialRoute { .. } => ErrorKind::InvalidValue,
        E::TooLarge { .. } => ErrorKind::TooBig,
        E::Unsupported(_) => ErrorKind::NotImplemented,
        E::Infeasible { .. } => ErrorKind::InvalidPlan,
        _ => ErrorKind::Internal,
    }
}

/// VROOM's error `code` of a failure of `kind`, as VROOM and vroom-express answer it
/// (`{"code": 1|2|3|4, "error": "..."}`): 1 internal (kerb's own failures, overload,
/// timeouts), 2 input (bad JSON, values, unsupported keys, infeasible requests), 3 routing
/// (no road near a location, no route between two, no graph for a profile), 4 too large
/// (vroom-express's size limits).
///
/// ```
/// use kerb_api::{plan::vroom_code, ErrorKind};
/// assert_eq!(vroom_code(ErrorKind::InvalidValue), 2);
/// assert_eq!(vroom_code(ErrorKind::NoRoute), 3);
/// assert_eq!(vroom_code(ErrorKind::TooBig), 4);
/// assert_eq!(vroom_code(ErrorKind::Internal), 1);
/// ```
pub fn vroom_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Internal
        | ErrorKind::Io
        | ErrorKind::FileNotFound
        | ErrorKind::InvalidPbf
        | ErrorKind::EmptyGraph
        | ErrorKind::NotReady
        | ErrorKind::Overloaded
        | ErrorKind::Timeout => 1,
        ErrorKind::NoSegment
        | ErrorKind::NoRoute
        | ErrorKind::NoTable
        | ErrorKind::NoMatch
        | ErrorKind::ProfileNotFound => 3,
        ErrorKind::TooBig => 4,
        _ => 2,
    }
}

/// How coordinate locations of VROOM input are routed: on which graphs (one per vehicle
/// profile), snapped how.
#[derive(Debug, Clone)]
pub struct Routing<'g> {
    /// The road graphs by profile name: a vehicle's `profile` picks its graph, vehicles
    /// naming none use the set's default (its first graph). Empty means every location must
    /// be a `location_index`.
    pub graphs: GraphSet<'g>,
    /// Snapping options (radius, bearing) of every coordinate.
    pub snap: SnapOptions,
    /// Side of the road every coordinate is approached from.
    pub approach: Approach,
}

impl<'g> Routing<'g> {
    /// Routes on `graph` (if any) with default snapping and no approach constraint: vehicles
    /// naming no profile, or the graph's own, are routed on it; a vehicle naming another
    /// profile is an error ([`kerb_core::Error::NoGraphForProfile`]).
    pub fn on(graph: Option<&'g Graph>) -> Self {
        Routing::fleet(graph.map(GraphSet::single).unwrap_or_default())
    }

    /// Routes on `graphs`, each vehicle on the graph of its `profile` (as `POST /plan` does
    /// with the graphs it serves), with default snapping and no approach constraint.
    pub fn fleet(graphs: GraphSet<'g>) -> Self {
        Routing {
            graphs,
            snap: SnapOptions::default(),
            approach: Approach::Unrestricted,
        }
    }
}

/// Reads VROOM input `text` after checking its size against `limits`; coordinate locations
/// are routed on `routing.graphs` with [`GraphMatrix`]: one matrix per vehicle profile, each
/// on that profile's graph.
pub fn read_vroom(
    text: &str,
    routing: &Routing<'_>,
    limits: &PlanLimits,
) -> Result<VroomProblem, PlanError> {
    let value: Value = serde_json::from_str(text).map_err(kerb_plan::Error::from)?;
    if !value.is_object() {
        return Err(Error::new(ErrorKind::InvalidJson, "VROOM input must be a JSON object").into());
    }
    limits.check_vroom(&value)?;
    if routing.graphs.is_empty() {
        return Ok(vroom::read_vroom(text)?);
    }
    let mut source = GraphMatrix::fleet(routing.graphs.clone())
        .with_snap(routing.snap)
        .with_approach(routing.approach)
        .with_max_locations(limits.max_locations);
    vroom::read_vroom_with_router(text, &mut source).map_err(|e| name_unroutable(e, &value))
}

/// A location with no road nearby fails the whole plan, as in VROOM (whose routing error
/// names the location): the message names the jobs, shipments and vehicles placed there, so
/// the caller knows which one to fix or leave out.
fn name_unroutable(e: PlanError, input: &Value) -> PlanError {
    let PlanError::Graph(kerb_core::Error::NoSegment { lon, lat, radius_m }) = e else {
        return e;
    };
    let at = |v: &Value| {
        v.as_array().is_some_and(|c| {
            c.len() == 2 && c[0].as_f64() == Some(lon) && c[1].as_f64() == Some(lat)
        })
    };
    let id = |x: &Value| x.get("id").map_or_else(|| "?".into(), Value::to_string);
    let mut who = Vec::new();
    let list = |key: &str| {
        input
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    for job in list("jobs").filter(|j| at(&j["location"])) {
        who.push(format!("job {}", id(job)));
    }
    for s in list("shipments") {
        for end in ["pickup", "delivery"] {
            if at(&s[end]["location"]) {
                who.push(format!("shipment {} {end}", id(&s[end])));
            }
        }
    }
    for v in list("vehicles") {
        for end in ["start", "end"] {
            if at(&v[end]) {
                who.push(format!("vehicle {} {end}", id(v)));
            }
        }
    }
    let who = if who.is_empty() {
        "a location".to_string()
    } else {
        who.join(", ")
    };
    Error::new(
        ErrorKind::NoSegment,
        format!("{who} at [{lon}, {lat}]: no road within {radius_m} m; move it onto the road network or leave it out"),
    )
    .into()
}

/// Plans VROOM input `text`: [`read_vroom`], then the solver with `options` resolved under
/// `limits`. Returns the problem (for writing the output) and the solution.
///
/// ```
/// use kerb_api::plan::{plan_vroom, PlanLimits, PlanOptions, Routing};
/// let input = r#"{
///   "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4]}],
///   "jobs": [{"id": 10, "location_index": 1, "pickup": [2]},
///            {"id": 11, "location_index": 2, "pickup": [2]}],
///   "matrices": {"car": {"durations": [[0, 100, 200], [100, 0, 100], [200, 100, 0]]}}
/// }"#;
/// let (vp, sol) = plan_vroom(input, &Routing::on(None), &PlanOptions::default(), &PlanLimits::cli(), None)?;
/// let out = kerb_plan::io::vroom::write_output(&vp, &sol);
/// assert_eq!(out["summary"]["cost"], 400);
/// # Ok::<(), kerb_api::plan::PlanError>(())
/// ```
pub fn plan_vroom(
    text: &str,
    routing: &Routing<'_>,
    options: &PlanOptions,
    limits: &PlanLimits,
    progress: Option<kerb_plan::ProgressFn>,
) -> Result<(VroomProblem, kerb_plan::Solution), PlanError> {
    plan_vroom_cancellable(text, routing, options, limits, progress, None)
}

/// [`plan_vroom`] with a cancel token: storing `true` in `cancel` stops the solver within
/// milliseconds (it then returns the best solution found so far), so a front end whose
/// client went away or whose deadline passed frees its core at once.
pub fn plan_vroom_cancellable(
    text: &str,
    routing: &Routing<'_>,
    options: &PlanOptions,
    limits: &PlanLimits,
    progress: Option<kerb_plan::ProgressFn>,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<(VroomProblem, kerb_plan::Solution), PlanError> {
    // The front end's options are checked before any routing; the input's own `options`
    // (vroom-express's `t`, `l`) fill what the front end left unset.
    options.solve_options(limits)?;
    let vp = read_vroom(text, routing, limits)?;
    let mut options = *options;
    if options.threads.is_none() {
        options.threads = vp.options.threads;
    }
    if let (None, Some(l)) = (options.time_limit, vp.options.time_limit_s) {
        options = options.with_time_limit_s(l)?;
    }
    let mut solve = options.solve_options(limits)?;
    solve.progress = progress;
    solve.cancel = cancel;
    let sol = kerb_plan::solve(&vp.problem, &solve)?;
    Ok((vp, sol))
}

/// The VROOM output of a planned VROOM problem ([`vroom::write_output`]), with each route's
/// road `geometry` (encoded polyline, precision 5) when the input asked for it
/// (`options.g`), routed on the vehicle's profile graph in `routing`; the time spent is
/// added to `summary.computing_times.routing`.
///
/// Errors as VROOM's: geometry asked for a location without coordinates (an input error), or
/// without a road graph; the routing errors of [`GraphMatrix::route_geometry`].
pub fn vroom_output(
    vp: &VroomProblem,
    sol: &kerb_plan::Solution,
    routing: &Routing<'_>,
) -> Result<Value, PlanError> {
    let mut out = vroom::write_output(vp, sol);
    if !vp.options.geometry {
        return Ok(out);
    }
    let started = std::time::Instant::now();
    let source = GraphMatrix::fleet(routing.graphs.clone())
        .with_snap(routing.snap)
        .with_approach(routing.approach);
    for (k, r) in sol.routes.iter().enumerate() {
        let mut coords = Vec::with_capacity(r.steps.len());
        for s in &r.steps {
            if matches!(s.kind, kerb_plan::StepKind::Break { .. }) {
                continue;
            }
            let c = s
                .location
                .and_then(|l| vp.coordinates.get(l).copied().flatten());
            match c {
                Some(c) => coords.push(c),
                None if s.location.is_none() => {}
                None => {
                    return Err(kerb_plan::Error::InvalidInstance(
                        "Route geometry request with missing coordinates.".into(),
                    )
                    .into())
                }
            }
        }
        if routing.graphs.is_empty() {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                "route geometry needs a road graph (`kerb plan --graph`, POST /plan)",
            )
            .into());
        }
        let profile = vp.vehicle_profiles.get(r.vehicle).cloned().flatten();
        out["routes"][k]["geometry"] =
            Value::from(source.route_geometry(profile.as_deref(), &coords)?);
    }
    let routing_ms = out["summary"]["computing_times"]["routing"]
        .as_u64()
        .unwrap_or(0)
        + started.elapsed().as_millis() as u64;
    out["summary"]["computing_times"]["routing"] = Value::from(routing_ms);
    Ok(out)
}

/// Plans a collection day on `graph`: the size check, `options` over the day's own (see
/// [`PlanOptions::apply_to_day`]), then [`kerb_collect::plan_collection_with_progress`].
/// Returns the day as planned (its options resolved) and the plan.
pub fn plan_day(
    graph: &Graph,
    day: kerb_collect::CollectionDay,
    options: &PlanOptions,
    limits: &PlanLimits,
    progress: Option<kerb_plan::ProgressFn>,
) -> Result<(kerb_collect::CollectionDay, kerb_collect::CollectionPlan), PlanError> {
    plan_day_cancellable(
        &GraphSet::single(graph),
        day,
        options,
        limits,
        progress,
        None,
    )
}

/// [`plan_day`] for a mixed fleet, with a cancel token as in [`plan_vroom_cancellable`]: each
/// truck is planned on the graph of its `profile` in `graphs` (the default one for trucks
/// naming none), see [`kerb_collect::plan_collection_cancellable`].
pub fn plan_day_cancellable(
    graphs: &GraphSet<'_>,
    mut day: kerb_collect::CollectionDay,
    options: &PlanOptions,
    limits: &PlanLimits,
    progress: Option<kerb_plan::ProgressFn>,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<(kerb_collect::CollectionDay, kerb_collect::CollectionPlan), PlanError> {
    limits.check_day(&day)?;
    options.apply_to_day(&mut day, limits)?;
    let plan = kerb_collect::plan_collection_cancellable(graphs, &day, progress, cancel)?;
    Ok((day, plan))
}

/// Plans a collection week on `graph` under `policy`: the size check on its template day,
/// `options` over the template's own (see [`PlanOptions::apply_to_day`]), then
/// [`kerb_collect::plan_week_cancellable`]. A week plans one collection day per working day,
/// so the resolved time limit is the whole week's: each working day gets an equal share of
/// it, and a request stays within the limit it was given.
pub fn plan_week(
    graph: &Graph,
    mut week: kerb_collect::CollectionWeek,
    policy: kerb_collect::Policy,
    options: &PlanOptions,
    limits: &PlanLimits,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<kerb_collect::WeekPlan, PlanError> {
    limits.check_day(&week.day)?;
    options.apply_to_day(&mut week.day, limits)?;
    let days = week.working_days.len().max(1) as f64;
    week.day.options.time_limit_s /= days;
    Ok(kerb_collect::plan_week_cancellable(
        graph, &week, policy, cancel,
    )?)
}

/// A planned week as `POST /plan/week` answers it: the week plan JSON (`days`, `totals`,
/// `territories`, `forecasts`) with VROOM's `"code": 0`.
pub fn week_output(plan: &kerb_collect::WeekPlan) -> Result<Value, Error> {
    let mut out =
        serde_json::to_value(plan).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))?;
    out["code"] = Value::from(0);
    Ok(out)
}

/// True for a collection day rather than VROOM input: a JSON object with `bins` or `streets`
/// (the test `POST /plan` and `kerb plan` apply).
pub fn is_collection_day(input: &Value) -> bool {
    input.get("bins").is_some() || input.get("streets").is_some()
}

/// The profiles a fleet needs graphs for, to import them from an extract: the distinct
/// `profile` of a collection day's `trucks` or a VROOM problem's `vehicles`, in order, with
/// `default` first when some truck or vehicle names none (the first graph of a
/// [`GraphSet`] is the one those route on). A fleet naming no profile needs `default` alone.
///
/// ```
/// let day = serde_json::json!({"bins": [], "trucks": [
///     {"id": "a", "profile": "refuse-32t"}, {"id": "b"}, {"id": "c", "profile": "refuse-7.5t"},
///     {"id": "d", "profile": "refuse-32t"}]});
/// assert_eq!(kerb_api::plan::fleet_profiles(&day, "truck"), ["truck", "refuse-32t", "refuse-7.5t"]);
/// let vroom = serde_json::json!({"vehicles": [{"id": 1, "profile": "car"}], "jobs": []});
/// assert_eq!(kerb_api::plan::fleet_profiles(&vroom, "truck"), ["car"]);
/// assert_eq!(kerb_api::plan::fleet_profiles(&serde_json::json!({}), "truck"), ["truck"]);
/// ```
pub fn fleet_profiles(input: &Value, default: &str) -> Vec<String> {
    let key = if is_collection_day(input) {
        "trucks"
    } else {
        "vehicles"
    };
    let fleet = input.get(key).and_then(Value::as_array);
    let named: Vec<Option<&str>> = fleet
        .into_iter()
        .flatten()
        .map(|v| v.get("profile").and_then(Value::as_str))
        .collect();
    let mut out: Vec<String> = Vec::new();
    if named.is_empty() || named.iter().any(Option::is_none) {
        out.push(default.to_string());
    }
    for name in named.into_iter().flatten() {
        if !out.iter().any(|p| p == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The plan of a collection day as `POST /plan` answers it: the plan JSON with VROOM's
/// `"code": 0` and the GeoJSON of its routes and stops.
pub fn day_output(plan: &kerb_collect::CollectionPlan) -> Result<Value, Error> {
    let mut out =
        serde_json::to_value(plan).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))?;
    out["code"] = Value::from(0);
    out["geojson"] = plan.to_geojson();
    Ok(out)
}
