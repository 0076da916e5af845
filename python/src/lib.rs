//! `kerb._kerb`: the pyo3 extension behind the `kerb` Python package.
//!
//! Thin by design: it converts numpy arrays to `kerb_api`/`kerb_core` calls and results back to
//! numpy, maps each error's `kerb_api::ErrorKind` to a class of `kerb.exceptions`, snaps
//! through kerb-api's coordinates -> waypoints function, and releases the GIL around
//! everything that touches the road graph. No routing logic lives here: collection days go
//! to `kerb_collect` as JSON text and come back as its `CollectionPlan`.

use kerb_api::coords::LonLat;
use kerb_api::params::{ApproachOpt, CommonOptions};
use kerb_api::ErrorKind;
use kerb_core::{Approach, Error, Graph, Point, Profile, Side, Snap, SnapOptions, Waypoint};
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyType};
use rayon::prelude::*;
use std::path::PathBuf;

/// Python exception class (in `kerb.exceptions`) of an error kind: the one place the Python
/// hierarchy is chosen, from the same [`ErrorKind`] the HTTP status mapping reads.
fn exception_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidValue => "InvalidCoordinateError",
        ErrorKind::InvalidOptions
        | ErrorKind::InvalidQuery
        | ErrorKind::InvalidJson
        | ErrorKind::InvalidUrl
        | ErrorKind::InvalidService
        | ErrorKind::InvalidVersion
        | ErrorKind::TooBig
        | ErrorKind::NotImplemented => "InvalidInputError",
        ErrorKind::NoSegment => "NoSegmentError",
        ErrorKind::NoRoute | ErrorKind::NoTable | ErrorKind::NoMatch | ErrorKind::NoTrips => {
            "NoRouteError"
        }
        ErrorKind::ProfileNotFound => "ProfileError",
        ErrorKind::Io => "GraphFileError",
        ErrorKind::FileNotFound => "GraphFileNotFoundError",
        ErrorKind::InvalidPbf => "PbfError",
        ErrorKind::EmptyGraph => "EmptyGraphError",
        ErrorKind::InvalidPlan => "PlanError",
        _ => "KerbError",
    }
}

/// Converts a front-end error into the `kerb.KerbError` subclass of its kind, keeping the
/// message.
fn api_err(e: kerb_api::Error) -> PyErr {
    raise(exception_name(e.kind), e.message)
}

/// Converts a library error into the matching `kerb.KerbError` subclass (through its kind).
fn to_pyerr(e: Error) -> PyErr {
    api_err(kerb_api::Error::from(e))
}

/// Converts an error about the file at `path` like [`to_pyerr`], but an operating-system
/// failure becomes an `OSError` subclass built as `(errno, strerror, filename)`, so that
/// `e.errno` and `e.filename` are set and the message names the file.
fn file_err(e: Error, path: &std::path::Path) -> PyErr {
    let Error::Io(io) = &e else {
        return to_pyerr(e);
    };
    let errno = io.raw_os_error();
    let strerror = match io.kind() {
        std::io::ErrorKind::NotFound => String::from("No such file or directory"),
        _ => io.to_string(),
    };
    let name = exception_name(kerb_api::Error::from(e).kind);
    let filename = path.display().to_string();
    Python::attach(|py| {
        let class = exception_class(py, name);
        match class {
            Ok(class) => PyErr::from_type(class, (errno, strerror, filename)),
            Err(_) => PyRuntimeError::new_err(format!("{name}: {filename}: {strerror}")),
        }
    })
}

/// The exception class `name` of `kerb.exceptions`.
fn exception_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let class = py.import("kerb.exceptions")?.getattr(name)?;
    Ok(class.cast_into::<PyType>()?)
}

/// An instance of the exception class `name` of `kerb.exceptions` with `message`.
fn raise(name: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let class = exception_class(py, name);
        match class {
            Ok(class) => PyErr::from_type(class, (message,)),
            Err(_) => PyRuntimeError::new_err(format!("{name}: {message}")),
        }
    })
}

fn snap_options(radius_m: Option<f64>) -> SnapOptions {
    let mut opts = SnapOptions::default();
    if let Some(r) = radius_m {
        opts.radius_m = r;
    }
    opts
}

fn side_code(side: Side) -> i8 {
    match side {
        Side::Left => 1,
        Side::Right => 2,
        _ => 0,
    }
}

fn side_name(side: Side) -> &'static str {
    ["on", "left", "right"][side_code(side) as usize]
}

fn snap_dict<'py>(py: Python<'py>, s: &Snap) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("edge", s.edge.0)?;
    d.set_item("fraction", s.fraction)?;
    d.set_item("lon", s.point.x())?;
    d.set_item("lat", s.point.y())?;
    d.set_item("distance_m", s.distance_m)?;
    d.set_item("side", side_name(s.side))?;
    d.set_item("name", &s.name)?;
    Ok(d)
}

/// `(lons[i], lats[i])` as kerb-api coordinates.
fn lonlats(lons: &[f64], lats: &[f64]) -> Vec<LonLat> {
    lons.iter().zip(lats).map(|(&x, &y)| [x, y]).collect()
}

/// The same snap radius and approach for `n` points.
/// The search filter of a `depart_at` argument (kerb-api's parser, its error kinds); custom
/// weights have no time rules, so the two do not combine.
fn search_filter(depart_at: Option<&str>, weighted: bool) -> PyResult<kerb_core::SearchFilter> {
    let common = CommonOptions {
        depart_at: depart_at
            .map(kerb_api::params::parse_depart_at)
            .transpose()
            .map_err(api_err)?,
        ..CommonOptions::default()
    };
    if weighted && common.depart_at.is_some() {
        return Err(api_err(kerb_api::Error::new(
            ErrorKind::InvalidValue,
            "depart_at cannot be combined with custom weights",
        )));
    }
    Ok(common.search_filter())
}

fn common(n: usize, radius_m: Option<f64>, curb: bool) -> CommonOptions {
    let approach = if curb {
        ApproachOpt::Curb
    } else {
        ApproachOpt::Unrestricted
    };
    CommonOptions::uniform(n, radius_m, approach)
}

/// A failure of one input point: the front-end error and the point's index in its array
/// (`None` for errors that are not about one point).
struct PointError {
    index: Option<usize>,
    error: kerb_api::Error,
}

impl From<kerb_api::Error> for PointError {
    fn from(error: kerb_api::Error) -> Self {
        PointError { index: None, error }
    }
}

impl From<Error> for PointError {
    fn from(e: Error) -> Self {
        PointError::from(kerb_api::Error::from(e))
    }
}

/// The exception of `e`, with its point index as the attribute `index` (`None` otherwise).
fn point_err(e: PointError) -> PyErr {
    let err = api_err(e.error);
    if let Some(i) = e.index {
        Python::attach(|py| {
            // Setting an attribute on a fresh exception instance cannot fail in practice; if it
            // did, the message still names the index.
            let _ = err.value(py).setattr("index", i);
        });
    }
    err
}

/// A hint when `(lon, lat)` lies outside the graph's bounding box but `(lat, lon)` inside it,
/// the usual sign of coordinates given in latitude, longitude order.
fn swap_hint(g: &Graph, lon: f64, lat: f64) -> Option<String> {
    let b = g.bbox();
    let inside = |x: f64, y: f64| {
        (b.min().x..=b.max().x).contains(&x) && (b.min().y..=b.max().y).contains(&y)
    };
    (!inside(lon, lat) && inside(lat, lon)).then(|| {
        format!(
            " (lon/lat look swapped: the graph covers lon {:.4}..{:.4}, lat {:.4}..{:.4}; \
             points are (lon, lat), so try ({lat}, {lon}))",
            b.min().x,
            b.max().x,
            b.min().y,
            b.max().y
        )
    })
}

/// `e`, a failure to snap `c`, with the swapped-coordinates hint where it applies.
fn hinted(g: &Graph, c: LonLat, mut e: kerb_api::Error) -> kerb_api::Error {
    if matches!(e.kind, ErrorKind::NoSegment | ErrorKind::InvalidValue) {
        if let Some(hint) = swap_hint(g, c[0], c[1]) {
            e.message.push_str(&hint);
        }
    }
    e
}

/// `e`, the failure of point `i` at `c`, with its index and the hint of [`hinted`].
fn with_point(g: &Graph, i: usize, c: LonLat, e: kerb_api::Error) -> PointError {
    PointError {
        index: Some(i),
        error: hinted(g, c, e),
    }
}

/// Snaps every `(lons[i], lats[i])` in parallel with kerb-api; one result per point, failures
/// carrying the point's index.
fn waypoint_results(
    g: &Graph,
    lons: &[f64],
    lats: &[f64],
    radius_m: Option<f64>,
    curb: bool,
) -> Vec<Result<Waypoint, PointError>> {
    let coords = lonlats(lons, lats);
    let options = common(coords.len(), radius_m, curb);
    (0..coords.len())
        .into_par_iter()
        .map(|i| {
            kerb_api::waypoint::waypoint(g, &coords, i, &options)
                .map_err(|e| with_point(g, i, coords[i], e))
        })
        .collect()
}

/// [`waypoint_results`], failing with the first failing point (the lowest index).
fn waypoints(
    g: &Graph,
    lons: &[f64],
    lats: &[f64],
    radius_m: Option<f64>,
    curb: bool,
) -> Result<Vec<Waypoint>, PointError> {
    waypoint_results(g, lons, lats, radius_m, curb)
        .into_iter()
        .collect()
}

/// The waypoints that snapped and, per input point, its position among them (`None` where
/// it failed): `errors="coerce"`.
fn coerced(results: Vec<Result<Waypoint, PointError>>) -> (Vec<Waypoint>, Vec<Option<usize>>) {
    let mut ok = Vec::with_capacity(results.len());
    let slots = results
        .into_iter()
        .map(|r| {
            r.ok().map(|w| {
                ok.push(w);
                ok.len() - 1
            })
        })
        .collect();
    (ok, slots)
}

/// Snaps points of interest (for `aggregate`, `nearest_pois`) in parallel: the snaps and the
/// input position of each. A point that fails raises (its index kept), or with `coerce` is
/// left out.
fn point_snaps(
    g: &Graph,
    lons: &[f64],
    lats: &[f64],
    radius_m: Option<f64>,
    coerce: bool,
) -> Result<(Vec<Snap>, Vec<usize>), PointError> {
    let coords = lonlats(lons, lats);
    let options = common(coords.len(), radius_m, false);
    let results: Vec<Result<Snap, PointError>> = coords
        .par_iter()
        .enumerate()
        .map(|(i, &c)| {
            kerb_api::waypoint::snap(g, c, i, &options).map_err(|e| with_point(g, i, c, e))
        })
        .collect();
    let (mut snaps, mut kept) = (Vec::with_capacity(results.len()), Vec::new());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(s) => {
                snaps.push(s);
                kept.push(i);
            }
            Err(_) if coerce => {}
            Err(e) => return Err(e),
        }
    }
    Ok((snaps, kept))
}

fn slices<'a>(
    lons: &'a PyReadonlyArray1<'_, f64>,
    lats: &'a PyReadonlyArray1<'_, f64>,
) -> PyResult<(&'a [f64], &'a [f64])> {
    let (x, y) = (lons.as_slice()?, lats.as_slice()?);
    if x.len() != y.len() {
        return Err(to_pyerr(Error::InvalidInput(format!(
            "{} longitudes but {} latitudes",
            x.len(),
            y.len()
        ))));
    }
    Ok((x, y))
}

/// Duration and distance matrices handed to Python.
type Matrices<'py> = (Bound<'py, PyArray2<f64>>, Bound<'py, PyArray2<f64>>);
/// `(times, poi positions)` of `nearest_pois`, each `(origins, k)`.
type NearestPois<'py> = (Bound<'py, PyArray2<f64>>, Bound<'py, PyArray2<i64>>);
/// `(durations_s, distances_m)` of one-to-one trips.
type Columns<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Maps planner errors to `kerb.PlanError` (bad JSON and malformed instances are also
/// `ValueError`s through `PlanInputError`).
fn plan_err(e: kerb_plan::Error) -> PyErr {
    let name = match e {
        kerb_plan::Error::Io(_) => "GraphFileError",
        kerb_plan::Error::Infeasible { .. } => "PlanError",
        _ => "PlanInputError",
    };
    raise(name, e.to_string())
}

/// Maps kerb-api planning errors: limits and option values to `kerb.PlanInputError`, the
/// failing layer's own errors as that layer's classes.
fn api_plan_err(e: kerb_api::plan::PlanError) -> PyErr {
    use kerb_api::plan::PlanError;
    match e {
        PlanError::Graph(e) => to_pyerr(e),
        // A location with no road, named by its job or vehicle: still a NoSegmentError.
        PlanError::Request(e) if e.kind == ErrorKind::NoSegment => api_err(e),
        PlanError::Plan(e) => plan_err(e),
        PlanError::Collect(e) => collect_err(e),
        e => raise("PlanInputError", e.to_string()),
    }
}

/// kerb-api's solver options from the keyword arguments (`None` = kerb-api's default).
fn plan_options(
    iterations: Option<u64>,
    time_limit_s: Option<f64>,
    threads: Option<usize>,
    seed: Option<u64>,
) -> PyResult<kerb_api::plan::PlanOptions> {
    let mut o = kerb_api::plan::PlanOptions {
        iterations,
        threads,
        seed,
        ..Default::default()
    };
    if let Some(t) = time_limit_s {
        o = o
            .with_time_limit_s(t)
            .map_err(|e| raise("PlanInputError", e.message))?;
    }
    Ok(o)
}

/// Solves a VROOM-style problem given as JSON text and returns VROOM-style output JSON.
/// Locations given as `[lon, lat]` are routed on `graph` (snapped with the approach given).
/// Defaults and limits are kerb-api's, as for `kerb plan`.
#[pyfunction]
#[pyo3(signature = (problem_json, graph=None, curb=false, radius_m=None, iterations=None, time_limit_s=None, threads=None, seed=None))]
#[allow(clippy::too_many_arguments)]
fn plan(
    py: Python<'_>,
    problem_json: &str,
    graph: Option<&PyGraph>,
    curb: bool,
    radius_m: Option<f64>,
    iterations: Option<u64>,
    time_limit_s: Option<f64>,
    threads: Option<usize>,
    seed: Option<u64>,
) -> PyResult<String> {
    let options = plan_options(iterations, time_limit_s, threads, seed)?;
    let mut routing = kerb_api::plan::Routing::on(graph.map(|g| &g.g));
    routing.snap = snap_options(radius_m);
    if curb {
        routing.approach = Approach::Curb;
    }
    py.detach(|| {
        let limits = kerb_api::plan::PlanLimits::cli();
        let (vp, sol) =
            kerb_api::plan::plan_vroom(problem_json, &routing, &options, &limits, None)?;
        Ok(kerb_api::plan::vroom_output(&vp, &sol, &routing)?.to_string())
    })
    .map_err(api_plan_err)
}

/// Maps collection-pipeline errors: malformed days to `kerb.PlanInputError`, road-graph
/// failures to their usual classes, planner failures as in [`plan_err`].
fn collect_err(e: kerb_collect::Error) -> PyErr {
    match e {
        kerb_collect::Error::Graph(e) => to_pyerr(e),
        kerb_collect::Error::Plan(e) => plan_err(e),
        e @ kerb_collect::Error::InvalidInput(_) => raise("PlanInputError", e.to_string()),
        e => raise("PlanError", e.to_string()),
    }
}

/// A planned collection day: the Rust `kerb_collect::CollectionPlan` with the day it answers
/// (wrapped by `kerb.CollectionPlan`, which adds the DataFrames).
#[pyclass(frozen, module = "kerb._kerb", name = "CollectionPlan")]
struct PyCollectionPlan {
    plan: kerb_collect::CollectionPlan,
    day: kerb_collect::CollectionDay,
}

#[pymethods]
impl PyCollectionPlan {
    /// The plan as JSON text, exactly as `kerb collect -o` writes it.
    #[pyo3(signature = (pretty=false))]
    fn to_json(&self, pretty: bool) -> PyResult<String> {
        let text = if pretty {
            serde_json::to_string_pretty(&self.plan)
        } else {
            serde_json::to_string(&self.plan)
        };
        text.map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Routes and stops as GeoJSON text (a `FeatureCollection`), as `kerb collect --geojson`.
    fn to_geojson(&self) -> String {
        self.plan.to_geojson().to_string()
    }

    /// The day as JSON text after validation (defaults filled in).
    fn day_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.day).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Self-contained HTML map of the plan over the roads of `graph`.
    fn to_html(&self, py: Python<'_>, graph: &PyGraph) -> String {
        py.detach(|| self.plan.to_html(&graph.g, &self.day))
    }
}

/// Plans a collection day (kerb-collect JSON text) on `graph`: snapping with kerbside
/// approaches, turn-aware matrix, planning with disposal trips, road geometry. The solver
/// options are the day's own, bounded by kerb-api's limits as for `kerb collect`. The GIL is
/// released throughout.
///
/// A mixed fleet: `graphs` are more graphs, one per profile (each keyed by its profile's
/// name); every truck is planned on the graph of the `profile` it names, trucks naming none
/// on `graph`.
#[pyfunction]
#[pyo3(signature = (graph, day_json, graphs=Vec::new()))]
fn plan_collection(
    py: Python<'_>,
    graph: &PyGraph,
    day_json: &str,
    graphs: Vec<PyRef<'_, PyGraph>>,
) -> PyResult<PyCollectionPlan> {
    let day = kerb_collect::CollectionDay::from_json(day_json).map_err(collect_err)?;
    let options = kerb_api::plan::PlanOptions::default();
    let limits = kerb_api::plan::PlanLimits::cli();
    let set = graphs
        .iter()
        .fold(kerb_core::GraphSet::single(&graph.g), |set, g| {
            set.with(&g.g)
        });
    let set = set
        .with_default(&graph.g.profile().name)
        .map_err(to_pyerr)?;
    let (day, plan) = py
        .detach(|| kerb_api::plan::plan_day_cancellable(&set, day, &options, &limits, None, None))
        .map_err(api_plan_err)?;
    Ok(PyCollectionPlan { plan, day })
}

/// A seeded sample collection day on `graph` as JSON text (`kerb sample-day`).
#[pyfunction]
#[pyo3(signature = (graph, n_bins, trucks, seed, streets=0))]
fn sample_day(
    py: Python<'_>,
    graph: &PyGraph,
    n_bins: usize,
    trucks: u32,
    seed: u64,
    streets: usize,
) -> PyResult<String> {
    let day = py.detach(|| {
        kerb_collect::generate::sample_day_with_streets(&graph.g, n_bins, streets, trucks, seed)
    });
    serde_json::to_string(&day).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Plans a collection week (kerb-collect week JSON text) on `graph` under `policy`
/// (`"forecast"` or `"fixed"`) and returns the week plan as JSON text. Options are kerb-api's,
/// as for `POST /plan/week`: the time limit is the whole week's. The GIL is released.
#[pyfunction]
#[pyo3(signature = (graph, week_json, policy="forecast", iterations=None, time_limit_s=None, threads=None, seed=None))]
#[allow(clippy::too_many_arguments)]
fn plan_week(
    py: Python<'_>,
    graph: &PyGraph,
    week_json: &str,
    policy: &str,
    iterations: Option<u64>,
    time_limit_s: Option<f64>,
    threads: Option<usize>,
    seed: Option<u64>,
) -> PyResult<String> {
    let week = kerb_collect::CollectionWeek::from_json(week_json).map_err(collect_err)?;
    let policy: kerb_collect::Policy = policy.parse().map_err(collect_err)?;
    let options = plan_options(iterations, time_limit_s, threads, seed)?;
    let limits = kerb_api::plan::PlanLimits::cli();
    let plan = py
        .detach(|| kerb_api::plan::plan_week(&graph.g, week, policy, &options, &limits, None))
        .map_err(api_plan_err)?;
    serde_json::to_string(&plan).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// A seeded sample collection week on `graph` as JSON text (`kerb sample-week`).
#[pyfunction]
fn sample_week(
    py: Python<'_>,
    graph: &PyGraph,
    n_bins: usize,
    trucks: u32,
    seed: u64,
) -> PyResult<String> {
    let week =
        py.detach(|| kerb_collect::week::sample::sample_week(&graph.g, n_bins, trucks, seed));
    serde_json::to_string(&week).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Names of the built-in vehicle profiles (`profiles/*.json`).
#[pyfunction]
fn profiles() -> Vec<&'static str> {
    Profile::PRESETS.to_vec()
}

/// Immutable road graph for one profile (wrapped by `kerb.Graph`).
#[pyclass(frozen, module = "kerb._kerb", name = "Graph")]
struct PyGraph {
    g: Graph,
}

#[pymethods]
impl PyGraph {
    /// Imports an OSM PBF extract for `profile` (a preset name, a profile JSON file or
    /// profile JSON text: `Profile::resolve`, as `kerb build --profile`) and builds its
    /// contraction hierarchy (as `kerb build` does), so routes and matrices use the fast CH
    /// queries.
    #[staticmethod]
    fn from_pbf(py: Python<'_>, path: PathBuf, profile: &str) -> PyResult<Self> {
        // The importer tells PBF from OSM XML by name and first bytes: one path for both.
        Self::from_file(py, path, profile)
    }

    /// Imports an OSM file of any usual format (`.pbf`, `.osm`, `.osm.gz`; kerb-core's
    /// `GraphBuilder::build_from_file`) and contracts it, as [`PyGraph::from_pbf`].
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf, profile: &str) -> PyResult<Self> {
        let profile = Profile::resolve(profile).map_err(to_pyerr)?;
        let g = py
            .detach(|| {
                Graph::builder(&profile)
                    .contract(true)
                    .build_from_file(&path)
            })
            .map_err(|e| file_err(e, &path))?;
        Ok(PyGraph { g })
    }

    /// Opens a graph file.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let g = py
            .detach(|| Graph::open(&path))
            .map_err(|e| file_err(e, &path))?;
        Ok(PyGraph { g })
    }

    /// The same roads routed for another profile: a preset name, a profile JSON file or
    /// profile JSON text (`Profile::resolve`).
    /// The imported profile keeps the contraction hierarchy; any other routes on a CCH
    /// customization (the one stored by `kerb customize`, else customized now, with the
    /// GIL released).
    fn customize(&self, py: Python<'_>, profile: &str) -> PyResult<Self> {
        let profile = Profile::resolve(profile).map_err(to_pyerr)?;
        let g = py
            .detach(|| self.g.with_profile(&profile))
            .map_err(to_pyerr)?;
        Ok(PyGraph { g })
    }

    /// Which search routes and matrices use: "ch", "cch" or "dijkstra".
    #[getter]
    fn engine(&self) -> &'static str {
        self.g.engine().name()
    }

    /// Writes the graph file.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| self.g.save(&path))
            .map_err(|e| file_err(e, &path))
    }

    #[getter]
    fn profile(&self) -> String {
        self.g.profile().name.clone()
    }

    /// The profile the graph routes for, as profile JSON text (the file format).
    #[getter]
    fn profile_json(&self) -> PyResult<String> {
        serde_json::to_string(self.g.profile()).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    #[getter]
    fn num_nodes(&self) -> usize {
        self.g.num_nodes()
    }

    #[getter]
    fn num_edges(&self) -> usize {
        self.g.num_edges()
    }

    #[getter]
    fn bbox(&self) -> (f64, f64, f64, f64) {
        let b = self.g.bbox();
        (b.min().x, b.min().y, b.max().x, b.max().y)
    }

    /// Summary dict: profile, num_nodes, num_edges, bbox.
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("profile", self.profile())?;
        d.set_item("num_nodes", self.num_nodes())?;
        d.set_item("num_edges", self.num_edges())?;
        d.set_item("bbox", self.bbox())?;
        Ok(d)
    }

    /// The `k` nearest distinct roads as dicts, nearest first, only those within
    /// `max_distance_m` (default: the snapping radius); none within it is a `NoSegmentError`.
    #[pyo3(signature = (lon, lat, k, max_distance_m=None))]
    fn nearest<'py>(
        &self,
        py: Python<'py>,
        lon: f64,
        lat: f64,
        k: usize,
        max_distance_m: Option<f64>,
    ) -> PyResult<Bound<'py, PyList>> {
        let max_m = max_distance_m.unwrap_or(SnapOptions::default().radius_m);
        let mut snaps = py
            .detach(|| {
                // The routable network, as `snap` uses it: islands too small to route on
                // (OSRM's tiny components) are not offered.
                let opts = SnapOptions::default()
                    .with_radius_m(f64::INFINITY)
                    .with_components(kerb_core::SnapComponents::NotTiny);
                self.g.nearest_with(Point::new(lon, lat), k, &opts)
            })
            .map_err(|e| api_err(hinted(&self.g, [lon, lat], e.into())))?;
        let closest_m = snaps.first().map(|s| s.distance_m);
        snaps.retain(|s| s.distance_m <= max_m);
        if snaps.is_empty() {
            let found = closest_m.map_or(String::from("the graph has no roads"), |d| {
                format!("the nearest is {:.0} m away", d)
            });
            let message = format!(
                "no road within {max_m} m of lon={lon}, lat={lat} ({found}; raise max_distance_m \
                 to accept it){}",
                swap_hint(&self.g, lon, lat).unwrap_or_default()
            );
            return Err(raise("NoSegmentError", message));
        }
        let items = snaps
            .iter()
            .map(|s| snap_dict(py, s))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Snaps points in parallel; returns a dict of column arrays. `strict=False` turns
    /// per-point failures (no road within the radius, NaN or out-of-range coordinates) into
    /// edge -1 / NaN rows; with `strict=True` the first failing point raises, its index in
    /// the exception's `index`.
    fn snap<'py>(
        &self,
        py: Python<'py>,
        lons: PyReadonlyArray1<'py, f64>,
        lats: PyReadonlyArray1<'py, f64>,
        radius_m: Option<f64>,
        strict: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (x, y) = slices(&lons, &lats)?;
        let coords = lonlats(x, y);
        let options = common(coords.len(), radius_m, false);
        let snaps: Vec<Result<Snap, PointError>> = py.detach(|| {
            coords
                .par_iter()
                .enumerate()
                .map(|(i, &c)| {
                    kerb_api::waypoint::snap(&self.g, c, i, &options)
                        .map_err(|e| with_point(&self.g, i, c, e))
                })
                .collect()
        });
        let n = snaps.len();
        let (mut edge, mut fraction, mut plon, mut plat, mut dist, mut side, mut name) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for s in snaps {
            match s {
                Ok(s) => {
                    edge.push(i64::from(s.edge.0));
                    fraction.push(s.fraction);
                    plon.push(s.point.x());
                    plat.push(s.point.y());
                    dist.push(s.distance_m);
                    side.push(side_code(s.side));
                    name.push(s.name);
                }
                Err(e)
                    if !strict
                        && matches!(
                            e.error.kind,
                            ErrorKind::NoSegment | ErrorKind::InvalidValue
                        ) =>
                {
                    edge.push(-1);
                    fraction.push(f64::NAN);
                    plon.push(f64::NAN);
                    plat.push(f64::NAN);
                    dist.push(f64::NAN);
                    side.push(0);
                    name.push(String::new());
                }
                Err(e) => return Err(point_err(e)),
            }
        }
        let d = PyDict::new(py);
        d.set_item("edge", PyArray1::from_vec(py, edge))?;
        d.set_item("fraction", PyArray1::from_vec(py, fraction))?;
        d.set_item("lon", PyArray1::from_vec(py, plon))?;
        d.set_item("lat", PyArray1::from_vec(py, plat))?;
        d.set_item("distance_m", PyArray1::from_vec(py, dist))?;
        d.set_item("side", PyArray1::from_vec(py, side))?;
        d.set_item("name", name)?;
        Ok(d)
    }

    /// Route through the points in order; dict with distance_m, duration_s, coords (N, 2),
    /// legs, polyline (precision 5), the driven pieces of edges (`edge`, `leg`,
    /// `from_fraction`, `to_fraction`, `segment_distance_m`, `segment_duration_s`,
    /// `segment_osmid` = OSM way), the graph `nodes` passed and their `osm_nodes`. With
    /// `weights` (one per edge) the route is the cheapest under them and `weight` its cost.
    /// With `depart_at` (kerb-api's `depart_at=` text) the graph's conditional rules apply at
    /// the time the vehicle reaches each road.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (lons, lats, curb, radius_m, weights=None, depart_at=None))]
    fn route<'py>(
        &self,
        py: Python<'py>,
        lons: PyReadonlyArray1<'py, f64>,
        lats: PyReadonlyArray1<'py, f64>,
        curb: bool,
        radius_m: Option<f64>,
        weights: Option<PyReadonlyArray1<'py, f64>>,
        depart_at: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (x, y) = slices(&lons, &lats)?;
        let w = weights.as_ref().map(|w| w.as_slice()).transpose()?;
        let filter = search_filter(depart_at, w.is_some())?;
        let (route, weight) = py
            .detach(|| {
                let wps = waypoints(&self.g, x, y, radius_m, curb)?;
                match w {
                    Some(w) => {
                        let (r, cost) = self.g.route_weighted(&wps, &self.g.weights(w)?)?;
                        Ok((r, Some(cost)))
                    }
                    None => Ok((
                        self.g
                            .route_filtered(&wps, kerb_core::ViaRule::Profile, &filter)?,
                        None,
                    )),
                }
            })
            .map_err(point_err)?;
        let coords: Vec<f64> = route
            .geometry
            .points()
            .flat_map(|p| [p.x(), p.y()])
            .collect();
        let n = coords.len() / 2;
        let d = PyDict::new(py);
        d.set_item("distance_m", route.distance_m)?;
        d.set_item("duration_s", route.duration_s)?;
        d.set_item("weight", weight)?;
        d.set_item("coords", PyArray1::from_vec(py, coords).reshape([n, 2])?)?;
        let legs = PyList::empty(py);
        for leg in &route.legs {
            let l = PyDict::new(py);
            l.set_item("distance_m", leg.distance_m)?;
            l.set_item("duration_s", leg.duration_s)?;
            legs.append(l)?;
        }
        d.set_item("legs", legs)?;
        d.set_item("polyline", route.polyline(5))?;
        let segments: Vec<(usize, &kerb_core::RouteSegment)> = route
            .legs
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.segments.iter().map(move |s| (i, s)))
            .collect();
        let seg = |f: &dyn Fn(&kerb_core::RouteSegment) -> f64| -> Vec<f64> {
            segments.iter().map(|(_, s)| f(s)).collect()
        };
        d.set_item(
            "edge",
            PyArray1::from_vec(
                py,
                segments.iter().map(|(_, s)| i64::from(s.edge.0)).collect(),
            ),
        )?;
        d.set_item(
            "leg",
            PyArray1::from_vec(py, segments.iter().map(|(i, _)| *i as i64).collect()),
        )?;
        d.set_item(
            "from_fraction",
            PyArray1::from_vec(py, seg(&|s| s.from_fraction)),
        )?;
        d.set_item(
            "to_fraction",
            PyArray1::from_vec(py, seg(&|s| s.to_fraction)),
        )?;
        d.set_item(
            "segment_distance_m",
            PyArray1::from_vec(py, seg(&|s| s.distance_m)),
        )?;
        d.set_item(
            "segment_duration_s",
            PyArray1::from_vec(py, seg(&|s| s.duration_s)),
        )?;
        d.set_item(
            "segment_osmid",
            PyArray1::from_vec(
                py,
                segments
                    .iter()
                    .map(|(_, s)| self.g.osm_way_id(s.edge).map_or(-1, |w| w as i64))
                    .collect(),
            ),
        )?;
        // Graph nodes passed (an edge's end counts when the route covers it), and the OSM
        // nodes of the driven pieces (OSRM's `annotations=nodes`), each without repeats.
        let (mut nodes, mut osm_nodes) = (Vec::<i64>::new(), Vec::<i64>::new());
        let push = |v: &mut Vec<i64>, x: i64| {
            if v.last() != Some(&x) {
                v.push(x);
            }
        };
        for (_, s) in &segments {
            let e = self.g.edge(s.edge);
            if s.from_fraction <= 1e-9 {
                push(&mut nodes, i64::from(e.from.0));
            }
            if s.to_fraction >= 1.0 - 1e-9 {
                push(&mut nodes, i64::from(e.to.0));
            }
            let (a, b) = (
                s.from_fraction.min(s.to_fraction),
                s.from_fraction.max(s.to_fraction),
            );
            for id in self.g.partial_osm_nodes(s.edge, a, b).unwrap_or_default() {
                push(&mut osm_nodes, id as i64);
            }
        }
        d.set_item("nodes", PyArray1::from_vec(py, nodes))?;
        d.set_item("osm_nodes", PyArray1::from_vec(py, osm_nodes))?;
        Ok(d)
    }

    /// For each origin, `how` (`sum`, `count`, `mean`, `min`, `max`, `std`, `median`) of
    /// `values` over the points reachable within `within` (seconds, or the unit of
    /// `weights`): kerb-core's `Graph::aggregate`. Points that fail to snap raise (their
    /// index in `index`), or with `coerce` are left out.
    #[pyo3(signature = (origin_lons, origin_lats, lons, lats, values, within, how, weights, curb, radius_m, coerce))]
    #[allow(clippy::too_many_arguments)]
    fn aggregate<'py>(
        &self,
        py: Python<'py>,
        origin_lons: PyReadonlyArray1<'py, f64>,
        origin_lats: PyReadonlyArray1<'py, f64>,
        lons: PyReadonlyArray1<'py, f64>,
        lats: PyReadonlyArray1<'py, f64>,
        values: PyReadonlyArray1<'py, f64>,
        within: f64,
        how: &str,
        weights: Option<PyReadonlyArray1<'py, f64>>,
        curb: bool,
        radius_m: Option<f64>,
        coerce: bool,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let how: kerb_core::Aggregation = how.parse().map_err(to_pyerr)?;
        let (ox, oy) = slices(&origin_lons, &origin_lats)?;
        let (px, py_) = slices(&lons, &lats)?;
        let values = values.as_slice()?;
        let w = weights.as_ref().map(|w| w.as_slice()).transpose()?;
        let out = py
            .detach(|| {
                let origins = waypoints(&self.g, ox, oy, radius_m, curb)?;
                let (points, kept) = point_snaps(&self.g, px, py_, radius_m, coerce)?;
                let values: Vec<f64> = if values.len() == px.len() {
                    kept.iter().map(|&i| values[i]).collect()
                } else {
                    values.to_vec() // the length error comes from kerb-core
                };
                let w = w.map(|w| self.g.weights(w)).transpose()?;
                Ok(self
                    .g
                    .aggregate(&origins, &points, &values, within, how, w.as_ref())?)
            })
            .map_err(point_err)?;
        Ok(PyArray1::from_vec(py, out))
    }

    /// For each origin, the `k` points of interest reached first within `max` (seconds, or
    /// the unit of `weights`): `(times, pois)`, both `(origins, k)`, times inf and poi -1
    /// where fewer are in reach; poi is the position in the input.
    #[pyo3(signature = (origin_lons, origin_lats, lons, lats, k, max, weights, curb, radius_m, coerce))]
    #[allow(clippy::too_many_arguments)]
    fn nearest_pois<'py>(
        &self,
        py: Python<'py>,
        origin_lons: PyReadonlyArray1<'py, f64>,
        origin_lats: PyReadonlyArray1<'py, f64>,
        lons: PyReadonlyArray1<'py, f64>,
        lats: PyReadonlyArray1<'py, f64>,
        k: usize,
        max: f64,
        weights: Option<PyReadonlyArray1<'py, f64>>,
        curb: bool,
        radius_m: Option<f64>,
        coerce: bool,
    ) -> PyResult<NearestPois<'py>> {
        let (ox, oy) = slices(&origin_lons, &origin_lats)?;
        let (px, py_) = slices(&lons, &lats)?;
        let w = weights.as_ref().map(|w| w.as_slice()).transpose()?;
        let found = py
            .detach(|| {
                let origins = waypoints(&self.g, ox, oy, radius_m, curb)?;
                let (pois, kept) = point_snaps(&self.g, px, py_, radius_m, coerce)?;
                let w = w.map(|w| self.g.weights(w)).transpose()?;
                let found = self.g.nearest_pois(&origins, &pois, k, max, w.as_ref())?;
                Ok(found
                    .into_iter()
                    .map(|row| row.into_iter().map(|(i, t)| (kept[i], t)).collect())
                    .collect::<Vec<Vec<(usize, f64)>>>())
            })
            .map_err(point_err)?;
        let n = found.len();
        let (mut times, mut ids) = (vec![f64::INFINITY; n * k], vec![-1i64; n * k]);
        for (r, row) in found.iter().enumerate() {
            for (j, &(i, t)) in row.iter().enumerate() {
                times[r * k + j] = t;
                ids[r * k + j] = i as i64;
            }
        }
        Ok((
            PyArray1::from_vec(py, times).reshape([n, k])?,
            PyArray1::from_vec(py, ids).reshape([n, k])?,
        ))
    }

    /// Matches a GPS trace with kerb-match's HMM: a dict of the driven edge passes (`edge`,
    /// `matching`, `from_fraction`, `to_fraction`, `distance_m`, `duration_s`, `enter_s`,
    /// `exit_s` (NaN without times), `geometry_lon/lat/offsets`) and of the tracepoints
    /// (`tp_lon`, `tp_lat` (NaN when unmatched), `tp_matching` (-1), `tp_distance_m`), plus
    /// `confidence` per matching. `times` and `accuracy_m` may be empty (none).
    #[allow(clippy::too_many_arguments)]
    fn match_trace<'py>(
        &self,
        py: Python<'py>,
        lons: PyReadonlyArray1<'py, f64>,
        lats: PyReadonlyArray1<'py, f64>,
        times: PyReadonlyArray1<'py, f64>,
        accuracy_m: PyReadonlyArray1<'py, f64>,
        radius_m: Option<f64>,
        sigma_m: Option<f64>,
        max_gap_s: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (x, y) = slices(&lons, &lats)?;
        let (t, a) = (times.as_slice()?, accuracy_m.as_slice()?);
        for (name, len) in [("times", t.len()), ("accuracy_m", a.len())] {
            if len != 0 && len != x.len() {
                return Err(raise(
                    "InvalidInputError",
                    format!("{name} has {len} values for {} points", x.len()),
                ));
            }
        }
        let defaults = kerb_match::MatchOptions::default();
        let opts = kerb_match::MatchOptions {
            radius_m: radius_m.unwrap_or(defaults.radius_m),
            sigma_m: sigma_m.unwrap_or(defaults.sigma_m),
            max_gap_s: max_gap_s.unwrap_or(defaults.max_gap_s),
            ..defaults
        };
        let points = (0..x.len())
            .map(|i| {
                let mut p = kerb_match::TracePoint::new(x[i], y[i]);
                if let Some(&ti) = t.get(i) {
                    p = p.with_time_s(ti);
                }
                if let Some(&ai) = a.get(i).filter(|a| !a.is_nan()) {
                    p = p.with_accuracy_m(ai);
                }
                p
            })
            .collect();
        let (result, passes) = py
            .detach(|| {
                let trace = kerb_match::Trace::new(points)?;
                let r = kerb_match::match_trace(&self.g, &trace, &opts)?;
                let passes = kerb_match::edge_passes(&r);
                Ok::<_, kerb_match::Error>((r, passes))
            })
            .map_err(|e| api_err(kerb_api::Error::from(e)))?;
        let d = PyDict::new(py);
        let col = |f: &dyn Fn(&kerb_match::EdgePass) -> f64| -> Vec<f64> {
            passes.iter().map(f).collect()
        };
        d.set_item(
            "edge",
            PyArray1::from_vec(py, passes.iter().map(|p| p.edge.0).collect()),
        )?;
        d.set_item(
            "matching",
            PyArray1::from_vec(py, passes.iter().map(|p| p.matching as i64).collect()),
        )?;
        d.set_item(
            "from_fraction",
            PyArray1::from_vec(py, col(&|p| p.from_fraction)),
        )?;
        d.set_item(
            "to_fraction",
            PyArray1::from_vec(py, col(&|p| p.to_fraction)),
        )?;
        d.set_item("distance_m", PyArray1::from_vec(py, col(&|p| p.distance_m)))?;
        d.set_item("duration_s", PyArray1::from_vec(py, col(&|p| p.duration_s)))?;
        d.set_item(
            "enter_s",
            PyArray1::from_vec(py, col(&|p| p.enter_s.unwrap_or(f64::NAN))),
        )?;
        d.set_item(
            "exit_s",
            PyArray1::from_vec(py, col(&|p| p.exit_s.unwrap_or(f64::NAN))),
        )?;
        let (mut gx, mut gy, mut offsets) = (Vec::new(), Vec::new(), vec![0i64]);
        for p in &passes {
            for q in self
                .g
                .road()
                .partial_points(p.edge, p.from_fraction, p.to_fraction)
            {
                gx.push(q.x());
                gy.push(q.y());
            }
            offsets.push(gx.len() as i64);
        }
        d.set_item("geometry_lon", PyArray1::from_vec(py, gx))?;
        d.set_item("geometry_lat", PyArray1::from_vec(py, gy))?;
        d.set_item("geometry_offsets", PyArray1::from_vec(py, offsets))?;
        let tp = &result.tracepoints;
        let tp_col = |f: &dyn Fn(&kerb_match::MatchedPoint) -> f64| -> Vec<f64> {
            tp.iter().map(|t| t.as_ref().map_or(f64::NAN, f)).collect()
        };
        d.set_item(
            "tp_lon",
            PyArray1::from_vec(py, tp_col(&|t| t.snap.point.x())),
        )?;
        d.set_item(
            "tp_lat",
            PyArray1::from_vec(py, tp_col(&|t| t.snap.point.y())),
        )?;
        d.set_item(
            "tp_distance_m",
            PyArray1::from_vec(py, tp_col(&|t| t.snap.distance_m)),
        )?;
        d.set_item(
            "tp_matching",
            PyArray1::from_vec(
                py,
                tp.iter()
                    .map(|t| t.as_ref().map_or(-1, |t| t.matching as i64))
                    .collect(),
            ),
        )?;
        d.set_item(
            "confidence",
            PyArray1::from_vec(py, result.matchings.iter().map(|m| m.confidence).collect()),
        )?;
        Ok(d)
    }

    /// One-to-one trips `src[i] -> dst[i]` in parallel: `(durations_s, distances_m)`, each a
    /// 1-D float64 array, inf where unreachable; with `coerce` a trip with an end that fails
    /// to snap is NaN instead of raising.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (src_lons, src_lats, dst_lons, dst_lats, curb, radius_m, coerce=false))]
    fn pairwise<'py>(
        &self,
        py: Python<'py>,
        src_lons: PyReadonlyArray1<'py, f64>,
        src_lats: PyReadonlyArray1<'py, f64>,
        dst_lons: PyReadonlyArray1<'py, f64>,
        dst_lats: PyReadonlyArray1<'py, f64>,
        curb: bool,
        radius_m: Option<f64>,
        coerce: bool,
    ) -> PyResult<Columns<'py>> {
        let (sx, sy) = slices(&src_lons, &src_lats)?;
        let (dx, dy) = slices(&dst_lons, &dst_lats)?;
        let (durations, distances) = py
            .detach(|| {
                let src = waypoint_results(&self.g, sx, sy, radius_m, curb);
                let dst = waypoint_results(&self.g, dx, dy, radius_m, curb);
                if !coerce {
                    let src = src.into_iter().collect::<Result<Vec<_>, _>>()?;
                    let dst = dst.into_iter().collect::<Result<Vec<_>, _>>()?;
                    let costs = self.g.pairwise(&src, &dst)?;
                    return Ok(costs.iter().map(|c| (c.duration_s, c.distance_m)).unzip());
                }
                // Only the trips whose both ends snapped; the others are NaN.
                let trips: Vec<usize> = (0..src.len())
                    .filter(|&i| src[i].is_ok() && dst[i].is_ok())
                    .collect();
                let pick = |v: &[Result<Waypoint, PointError>]| -> Vec<Waypoint> {
                    trips
                        .iter()
                        .filter_map(|&i| v[i].as_ref().ok().cloned())
                        .collect()
                };
                let costs = self.g.pairwise(&pick(&src), &pick(&dst))?;
                let (mut dur, mut dist) = (vec![f64::NAN; src.len()], vec![f64::NAN; src.len()]);
                for (&i, c) in trips.iter().zip(&costs) {
                    dur[i] = c.duration_s;
                    dist[i] = c.distance_m;
                }
                Ok::<_, PointError>((dur, dist))
            })
            .map_err(point_err)?;
        Ok((
            PyArray1::from_vec(py, durations),
            PyArray1::from_vec(py, distances),
        ))
    }

    /// Isochrones around one point: a list of dicts (limit_s, area_km2, road_km, exterior
    /// `(N, 2)` lon/lat ring, interiors: list of rings), one per limit in the order given.
    fn isochrones<'py>(
        &self,
        py: Python<'py>,
        lon: f64,
        lat: f64,
        limits_s: Vec<f64>,
        curb: bool,
        radius_m: Option<f64>,
    ) -> PyResult<Bound<'py, PyList>> {
        let isos = py
            .detach(|| {
                let wp = waypoints(&self.g, &[lon], &[lat], radius_m, curb)?;
                Ok(self.g.isochrones(&wp[0], &limits_s)?)
            })
            .map_err(point_err)?;
        let ring = |py: Python<'py>,
                    r: &kerb_core::LineString<f64>|
         -> PyResult<Bound<'py, PyArray2<f64>>> {
            let flat: Vec<f64> = r.coords().flat_map(|c| [c.x, c.y]).collect();
            let n = flat.len() / 2;
            PyArray1::from_vec(py, flat).reshape([n, 2])
        };
        let out = PyList::empty(py);
        for iso in &isos {
            let d = PyDict::new(py);
            d.set_item("limit_s", iso.limit_s)?;
            d.set_item("area_km2", iso.area_km2)?;
            d.set_item("road_km", iso.road_km)?;
            d.set_item("exterior", ring(py, iso.polygon.exterior())?)?;
            let holes = PyList::empty(py);
            for h in iso.polygon.interiors() {
                holes.append(ring(py, h)?)?;
            }
            d.set_item("interiors", holes)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Pieces of road reachable within `max_s`: dict of column arrays edge, from_fraction,
    /// to_fraction, start_s, end_s.
    fn reachable<'py>(
        &self,
        py: Python<'py>,
        lon: f64,
        lat: f64,
        max_s: f64,
        curb: bool,
        radius_m: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let r = py
            .detach(|| {
                let wp = waypoints(&self.g, &[lon], &[lat], radius_m, curb)?;
                Ok(self.g.reachable(&wp[0], max_s)?)
            })
            .map_err(point_err)?;
        let d = PyDict::new(py);
        d.set_item(
            "edge",
            PyArray1::from_vec(py, r.iter().map(|x| i64::from(x.edge.0)).collect()),
        )?;
        d.set_item(
            "from_fraction",
            PyArray1::from_vec(py, r.iter().map(|x| x.from_fraction).collect()),
        )?;
        d.set_item(
            "to_fraction",
            PyArray1::from_vec(py, r.iter().map(|x| x.to_fraction).collect()),
        )?;
        d.set_item(
            "start_s",
            PyArray1::from_vec(py, r.iter().map(|x| x.start_s).collect()),
        )?;
        d.set_item(
            "end_s",
            PyArray1::from_vec(py, r.iter().map(|x| x.end_s).collect()),
        )?;
        Ok(d)
    }

    /// Duration (s) and distance (m) matrices, row-major `(sources, destinations)`, inf where
    /// unreachable. The first point that fails to snap raises (its index in `index`), or with
    /// `coerce` gives a NaN row or column. Snapping and the search run without the GIL.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (src_lons, src_lats, dst_lons, dst_lats, curb, radius_m, coerce=false, weights=None, depart_at=None))]
    fn matrix<'py>(
        &self,
        py: Python<'py>,
        src_lons: PyReadonlyArray1<'py, f64>,
        src_lats: PyReadonlyArray1<'py, f64>,
        dst_lons: PyReadonlyArray1<'py, f64>,
        dst_lats: PyReadonlyArray1<'py, f64>,
        curb: bool,
        radius_m: Option<f64>,
        coerce: bool,
        weights: Option<PyReadonlyArray1<'py, f64>>,
        depart_at: Option<&str>,
    ) -> PyResult<Matrices<'py>> {
        let (sx, sy) = slices(&src_lons, &src_lats)?;
        let (dx, dy) = slices(&dst_lons, &dst_lats)?;
        let w = weights.as_ref().map(|w| w.as_slice()).transpose()?;
        let filter = search_filter(depart_at, w.is_some())?;
        let (durations, distances) = py
            .detach(|| {
                let weights = w.map(|w| self.g.weights(w)).transpose()?;
                let matrix = |src: &[Waypoint], dst: &[Waypoint]| match &weights {
                    Some(w) => self.g.matrix_weighted(src, dst, w),
                    None => self.g.matrix_filtered(src, dst, &filter),
                };
                let src = waypoint_results(&self.g, sx, sy, radius_m, curb);
                let dst = waypoint_results(&self.g, dx, dy, radius_m, curb);
                if !coerce {
                    let src = src.into_iter().collect::<Result<Vec<_>, _>>()?;
                    let dst = dst.into_iter().collect::<Result<Vec<_>, _>>()?;
                    let m = matrix(&src, &dst)?;
                    return Ok((m.durations_s, m.distances_m));
                }
                let ((src, rows), (dst, cols)) = (coerced(src), coerced(dst));
                let m = matrix(&src, &dst)?;
                let n = rows.len() * cols.len();
                let (mut dur, mut dist) = (vec![f64::NAN; n], vec![f64::NAN; n]);
                for (i, r) in rows.iter().enumerate() {
                    for (j, c) in cols.iter().enumerate() {
                        if let (Some(r), Some(c)) = (r, c) {
                            let k = r * m.num_destinations + c;
                            dur[i * cols.len() + j] = m.durations_s[k];
                            dist[i * cols.len() + j] = m.distances_m[k];
                        }
                    }
                }
                Ok((dur, dist))
            })
            .map_err(point_err)?;
        let shape = [sx.len(), dx.len()];
        let dur = PyArray1::from_vec(py, durations).reshape(shape)?;
        let dist = PyArray1::from_vec(py, distances).reshape(shape)?;
        Ok((dur, dist))
    }

    /// Node coordinates as two arrays (lon, lat), indexed by node id.
    fn nodes<'py>(
        &self,
        py: Python<'py>,
    ) -> (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>) {
        let (lon, lat): (Vec<f64>, Vec<f64>) = (0..self.g.num_nodes())
            .map(|i| {
                let p = self.g.node_point(kerb_core::NodeId(i as u32));
                (p.x(), p.y())
            })
            .unzip();
        (PyArray1::from_vec(py, lon), PyArray1::from_vec(py, lat))
    }

    /// Per node: its OSM node id (`osmid`, -1 in graph files without OSM ids) and
    /// `street_count`, the number of streets meeting there (OSMnx's: a two-way street
    /// counts once, a self-loop twice).
    fn node_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let n = self.g.num_nodes();
        let osmid: Vec<i64> = (0..n)
            .map(|i| {
                self.g
                    .osm_node_id(kerb_core::NodeId(i as u32))
                    .map_or(-1, |id| id as i64)
            })
            .collect();
        let mut streets = vec![0i64; n];
        for e in self.g.edges() {
            if e.reverse().is_none_or(|r| e.id.0 < r.0) {
                streets[e.from.index()] += 1;
                streets[e.to.index()] += 1;
            }
        }
        let d = PyDict::new(py);
        d.set_item("osmid", PyArray1::from_vec(py, osmid))?;
        d.set_item("street_count", PyArray1::from_vec(py, streets))?;
        Ok(d)
    }

    /// Edge table as column arrays; geometries flattened with offsets (CSR style).
    fn edges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = self.g.num_edges();
        let mut from = Vec::with_capacity(m);
        let mut to = Vec::with_capacity(m);
        let mut distance = Vec::with_capacity(m);
        let mut duration = Vec::with_capacity(m);
        let mut names = Vec::with_capacity(m);
        let mut classes = Vec::with_capacity(m);
        let mut routable = Vec::with_capacity(m);
        let mut osmid = Vec::with_capacity(m);
        let mut key = Vec::with_capacity(m);
        let mut oneway = Vec::with_capacity(m);
        let mut maxspeed = Vec::with_capacity(m);
        let mut lanes = Vec::with_capacity(m);
        // OSMnx's `key`: 0, 1, ... among the parallel edges of one (u, v) pair.
        let mut parallel: std::collections::HashMap<(u32, u32), i64> =
            std::collections::HashMap::new();
        let mut offsets = Vec::with_capacity(m + 1);
        let (mut gx, mut gy) = (Vec::new(), Vec::new());
        offsets.push(0i64);
        for e in self.g.edges() {
            from.push(e.from.0);
            to.push(e.to.0);
            distance.push(e.distance_m);
            duration.push(e.duration_s);
            names.push(e.name.to_string());
            classes.push(e.road_class.as_str());
            routable.push(self.g.component(e.id).is_ok_and(|c| !c.tiny));
            osmid.push(self.g.osm_way_id(e.id).map_or(-1, |w| w as i64));
            let k = parallel.entry((e.from.0, e.to.0)).or_insert(0);
            key.push(*k);
            *k += 1;
            oneway.push(e.reverse().is_none());
            let tags = self.g.edge_tags(e.id).unwrap_or_default();
            maxspeed.push(tags.maxspeed_kmh.unwrap_or(f64::NAN));
            lanes.push(tags.lanes.map_or(0, i64::from));
            for p in e.geometry().points() {
                gx.push(p.x());
                gy.push(p.y());
            }
            offsets.push(gx.len() as i64);
        }
        let d = PyDict::new(py);
        d.set_item("from", PyArray1::from_vec(py, from))?;
        d.set_item("to", PyArray1::from_vec(py, to))?;
        d.set_item("distance_m", PyArray1::from_vec(py, distance))?;
        d.set_item("duration_s", PyArray1::from_vec(py, duration))?;
        d.set_item("name", names)?;
        d.set_item("road_class", classes)?;
        d.set_item("routable", PyArray1::from_vec(py, routable))?;
        d.set_item("osmid", PyArray1::from_vec(py, osmid))?;
        d.set_item("key", PyArray1::from_vec(py, key))?;
        d.set_item("oneway", PyArray1::from_vec(py, oneway))?;
        d.set_item("maxspeed", PyArray1::from_vec(py, maxspeed))?;
        d.set_item("lanes", PyArray1::from_vec(py, lanes))?;
        d.set_item("geometry_lon", PyArray1::from_vec(py, gx))?;
        d.set_item("geometry_lat", PyArray1::from_vec(py, gy))?;
        d.set_item("geometry_offsets", PyArray1::from_vec(py, offsets))?;
        Ok(d)
    }
}

#[pymodule]
fn _kerb(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGraph>()?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_class::<PyCollectionPlan>()?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(plan_collection, m)?)?;
    m.add_function(wrap_pyfunction!(sample_day, m)?)?;
    m.add_function(wrap_pyfunction!(plan_week, m)?)?;
    m.add_function(wrap_pyfunction!(sample_week, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
