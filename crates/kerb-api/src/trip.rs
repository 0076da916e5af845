//! The trip service (OSRM's `/trip/v1`): the fastest order through the coordinates, a
//! travelling-salesman tour solved by kerb-plan on the CH matrix between the snapped
//! waypoints, routed leg by leg, with OSRM's `roundtrip`, `source` and `destination` rules
//! and its response shape (`trips`, waypoints with `waypoint_index` and `trips_index`).

use serde::Serialize;

use crate::coords::LonLat;
use crate::error::{Error, ErrorKind, Result};
use crate::format;
use crate::osrm::{OkCode, Route, Waypoint};
use crate::params::{parse_bool, parse_route, query_err, OptionPair, OptionPairs, RouteOptions};
use crate::waypoint::waypoints;
use kerb_core::Graph;

/// Most coordinates of one trip (osrm-routed's default `--max-trip-size`).
pub const MAX_TRIP_COORDINATES: usize = 100;

/// Iterations of kerb-plan's search per trip: enough for the optimum on OSRM-sized trips
/// (exact by enumeration below [`EXACT_UP_TO`] coordinates), bounded for the largest.
const SOLVER_ITERATIONS: u64 = 3_000;

/// Trips with at most this many free stops are solved exactly by enumeration.
const EXACT_UP_TO: usize = 8;

/// Where a trip starts (`source=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TripSource {
    /// Any coordinate (the default).
    #[default]
    Any,
    /// The first coordinate.
    First,
}

/// Where a trip ends (`destination=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TripDestination {
    /// Any coordinate (the default).
    #[default]
    Any,
    /// The last coordinate.
    Last,
}

/// Options of the trip service: OSRM's `roundtrip`, `source`, `destination`, and the route
/// options that shape each trip (`steps`, `geometries`, `overview`, `annotations`, snapping).
#[derive(Debug, Clone, PartialEq)]
pub struct TripOptions {
    /// `roundtrip=` (default true): return to the first stop of the trip.
    pub roundtrip: bool,
    /// `source=`.
    pub source: TripSource,
    /// `destination=`.
    pub destination: TripDestination,
    /// Everything else, as the route service reads it.
    pub route: RouteOptions,
}

/// A waypoint of the trip response: the snapped input coordinate, its trip and its place in
/// that trip.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TripWaypoint {
    /// The snapped coordinate (hint, distance, name, location).
    #[serde(flatten)]
    pub waypoint: Waypoint,
    /// Index of the trip the coordinate belongs to (kerb answers one trip: 0).
    pub trips_index: usize,
    /// Position of the coordinate in its trip.
    pub waypoint_index: usize,
}

/// Response of the trip service.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TripResponse {
    /// Always `"Ok"`.
    pub code: OkCode,
    /// The trips (one: kerb refuses coordinates that cannot all reach each other).
    pub trips: Vec<Route>,
    /// One per input coordinate, in input order.
    pub waypoints: Vec<TripWaypoint>,
}

/// Parses and validates the trip service's options for `n` coordinates.
///
/// ```
/// use kerb_api::params::query_options;
/// use kerb_api::trip::{parse_trip, TripSource};
/// let o = parse_trip(&query_options([("source", "first"), ("roundtrip", "false"), ("destination", "last")]), 3).unwrap();
/// assert_eq!(o.source, TripSource::First);
/// assert!(!o.roundtrip);
/// // OSRM has no trip with free ends at both sides.
/// assert!(parse_trip(&query_options([("roundtrip", "false")]), 3).is_err());
/// ```
pub fn parse_trip(options: &OptionPairs, n: usize) -> Result<TripOptions> {
    let mut roundtrip = true;
    let mut source = TripSource::Any;
    let mut destination = TripDestination::Any;
    let mut rest: Vec<OptionPair> = Vec::new();
    for (k, value) in options {
        crate::params::depart_at_unsupported(k, "trip")?;
        let v = value.text(k);
        let v = v.as_ref();
        match k.as_str() {
            "roundtrip" => roundtrip = parse_bool(k, v)?,
            "source" => {
                source = match v {
                    "any" => TripSource::Any,
                    "first" => TripSource::First,
                    _ => {
                        return Err(query_err(format!(
                            "source: expected any or first, got {v:?}"
                        )))
                    }
                }
            }
            "destination" => {
                destination = match v {
                    "any" => TripDestination::Any,
                    "last" => TripDestination::Last,
                    _ => {
                        return Err(query_err(format!(
                            "destination: expected any or last, got {v:?}"
                        )))
                    }
                }
            }
            "alternatives" | "waypoints" | "continue_straight" => {
                return Err(query_err(format!(
                    "Query string malformed: {k} is not an option of the trip service"
                )))
            }
            _ => rest.push((k.clone(), value.clone())),
        }
    }
    if !roundtrip && source == TripSource::Any && destination == TripDestination::Any {
        return Err(not_supported());
    }
    if n < 2 {
        return Err(Error::new(
            ErrorKind::InvalidOptions,
            format!("a trip needs at least 2 coordinates, got {n}"),
        ));
    }
    if n > MAX_TRIP_COORDINATES {
        return Err(Error::new(
            ErrorKind::TooBig,
            format!("a trip takes at most {MAX_TRIP_COORDINATES} coordinates, got {n}"),
        ));
    }
    Ok(TripOptions {
        roundtrip,
        source,
        destination,
        route: parse_route(&rest, n)?,
    })
}

/// OSRM's answer to an open trip with free ends at both sides.
fn not_supported() -> Error {
    Error::new(
        ErrorKind::NotImplemented,
        "This request is not supported: a trip with roundtrip=false needs source=first or \
         destination=last",
    )
}

/// The stops of a trip in visiting order (input indices), without the return to the start of
/// a round trip, from the travel times between all `n` stops (`INFINITY` = unreachable).
pub fn trip_order(
    n: usize,
    duration: impl Fn(usize, usize) -> f64,
    distance: impl Fn(usize, usize) -> f64,
    o: &TripOptions,
) -> Result<Vec<usize>> {
    let unreachable = (0..n).any(|i| (0..n).any(|j| !duration(i, j).is_finite()));
    if unreachable {
        return Err(Error::new(
            ErrorKind::NoTrips,
            "No trip visiting all destinations possible.",
        ));
    }
    let last = n - 1;
    // The fixed ends of the open path the solver works on; a round trip from the first to the
    // last stop is that path plus the fixed leg back. As OSRM, a round trip starts at the
    // first coordinate, or with `destination=last` alone at the last one.
    let (start, end) = match (o.roundtrip, o.source, o.destination) {
        (true, TripSource::First, TripDestination::Last) => (Some(0), Some(last)),
        (true, TripSource::Any, TripDestination::Last) => (Some(last), Some(last)),
        (true, _, _) => (Some(0), Some(0)),
        (false, TripSource::First, TripDestination::Last) => (Some(0), Some(last)),
        (false, TripSource::First, TripDestination::Any) => (Some(0), None),
        (false, TripSource::Any, TripDestination::Last) => (None, Some(last)),
        (false, TripSource::Any, TripDestination::Any) => return Err(not_supported()),
    };
    let free: Vec<usize> = (0..n)
        .filter(|&i| Some(i) != start && Some(i) != end)
        .collect();
    let mut order = if free.len() <= EXACT_UP_TO {
        exact_order(&free, start, end, &duration)
    } else {
        solved_order(n, &free, start, end, &duration, &distance)?
    };
    if let Some(s) = start {
        order.insert(0, s);
    }
    if let Some(e) = end.filter(|&e| Some(e) != start) {
        order.push(e);
    }
    Ok(order)
}

/// Cost of visiting `free` in this order between the fixed ends.
fn path_cost(
    order: &[usize],
    start: Option<usize>,
    end: Option<usize>,
    duration: &impl Fn(usize, usize) -> f64,
) -> f64 {
    let mut cost = 0.0;
    let mut prev = start;
    for &i in order {
        if let Some(p) = prev {
            cost += duration(p, i);
        }
        prev = Some(i);
    }
    if let (Some(p), Some(e)) = (prev, end) {
        cost += duration(p, e);
    }
    cost
}

/// The cheapest order of `free` by trying every permutation (Heap's algorithm); ties keep the
/// first order found, so the answer is deterministic.
fn exact_order(
    free: &[usize],
    start: Option<usize>,
    end: Option<usize>,
    duration: &impl Fn(usize, usize) -> f64,
) -> Vec<usize> {
    let mut a = free.to_vec();
    let mut best = a.clone();
    let mut best_cost = path_cost(&a, start, end, duration);
    let mut c = vec![0usize; a.len()];
    let mut i = 0;
    while i < a.len() {
        if c[i] < i {
            if i % 2 == 0 {
                a.swap(0, i);
            } else {
                a.swap(c[i], i);
            }
            let cost = path_cost(&a, start, end, duration);
            if cost < best_cost - 1e-9 {
                best_cost = cost;
                best.clone_from(&a);
            }
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    best
}

/// The order kerb-plan finds for one uncapacitated vehicle between the fixed ends.
fn solved_order(
    n: usize,
    free: &[usize],
    start: Option<usize>,
    end: Option<usize>,
    duration: &impl Fn(usize, usize) -> f64,
    distance: &impl Fn(usize, usize) -> f64,
) -> Result<Vec<usize>> {
    let plan_err = |e: kerb_plan::Error| Error::new(ErrorKind::Internal, e.to_string());
    let matrix = kerb_plan::Matrix::from_fn(n, |i, j| (duration(i, j), distance(i, j)));
    let mut problem =
        kerb_plan::Problem::new(vec![matrix]).vehicle(kerb_plan::Vehicle::new(0, start).end(end));
    for &i in free {
        problem = problem.job(kerb_plan::Job::new(i as u64, i));
    }
    let mut opts = kerb_plan::SolveOptions::default();
    opts.iterations = Some(SOLVER_ITERATIONS);
    let solution = kerb_plan::solve(&problem, &opts).map_err(plan_err)?;
    if !solution.unassigned.is_empty() {
        return Err(Error::new(
            ErrorKind::NoTrips,
            "the planner left stops out of the trip",
        ));
    }
    Ok(solution
        .routes
        .iter()
        .flat_map(|r| r.steps.iter())
        .filter_map(|s| match s.kind {
            kerb_plan::StepKind::Job { job } => Some(problem.jobs[job].location),
            _ => None,
        })
        .collect())
}

/// The trip service: the coordinates snapped with the route options, the matrix between
/// them, the tour through them and its route (a round trip ends where it started).
pub fn trip(g: &Graph, coords: &[LonLat], o: &TripOptions) -> Result<TripResponse> {
    let w = waypoints(g, coords, &o.route.common)?;
    let m = g.matrix(&w, &w).map_err(Error::from)?;
    let n = w.len();
    let order = trip_order(n, |i, j| m.duration_s(i, j), |i, j| m.distance_m(i, j), o)?;
    let mut stops: Vec<kerb_core::Waypoint> = order.iter().map(|&i| w[i].clone()).collect();
    if o.roundtrip {
        stops.push(w[order[0]].clone());
    }
    let r = g.route(&stops).map_err(|e| match Error::from(e) {
        e if e.kind == ErrorKind::NoRoute => Error::new(ErrorKind::NoTrips, e.message),
        e => e,
    })?;
    let mut waypoints: Vec<Option<TripWaypoint>> = vec![None; n];
    for (place, &i) in order.iter().enumerate() {
        waypoints[i] = Some(TripWaypoint {
            waypoint: format::waypoint(&w[i].snap, o.route.common.generate_hints),
            trips_index: 0,
            waypoint_index: place,
        });
    }
    Ok(TripResponse {
        code: OkCode::Ok,
        trips: vec![format::route(g, &r, &o.route)],
        waypoints: waypoints.into_iter().flatten().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::query_options;

    fn options(pairs: &[(&str, &str)]) -> TripOptions {
        parse_trip(&query_options(pairs.iter().copied()), 6).unwrap()
    }

    /// Six stops on a line at 0, 10, ..., 50 s from each other, in shuffled input order.
    fn line(i: usize, j: usize) -> f64 {
        const AT: [f64; 6] = [20.0, 0.0, 50.0, 10.0, 40.0, 30.0];
        (AT[i] - AT[j]).abs()
    }

    #[test]
    fn orders_follow_the_roundtrip_rules() {
        let order = |pairs: &[(&str, &str)]| trip_order(6, line, line, &options(pairs)).unwrap();
        // A round trip from the first coordinate visits the line end to end.
        let round = order(&[("source", "first")]);
        assert_eq!(round[0], 0);
        let cost: f64 = round.windows(2).map(|p| line(p[0], p[1])).sum::<f64>()
            + line(*round.last().unwrap(), round[0]);
        assert_eq!(cost, 100.0);
        // An open trip from the first to the last coordinate.
        let open = order(&[
            ("roundtrip", "false"),
            ("source", "first"),
            ("destination", "last"),
        ]);
        assert_eq!((open[0], open[5]), (0, 5));
        let free_end = order(&[("roundtrip", "false"), ("destination", "last")]);
        assert_eq!(free_end.last(), Some(&5));
        // A round trip with destination=last starts (and ends) there, as OSRM's.
        let from_last = order(&[("destination", "last")]);
        assert_eq!(from_last[0], 5);
        assert_eq!(from_last.len(), 6);
    }

    #[test]
    fn unreachable_stops_are_no_trips() {
        let o = options(&[]);
        let far = |i: usize, j: usize| {
            if (i < 3) == (j < 3) {
                1.0
            } else {
                f64::INFINITY
            }
        };
        assert_eq!(
            trip_order(6, far, far, &o).unwrap_err().kind,
            ErrorKind::NoTrips
        );
    }

    #[test]
    fn the_planner_agrees_with_enumeration() {
        // Twelve stops: kerb-plan's tour costs what the exact order of the same stops costs
        // on a line (the line's optimum is known: twice its length).
        let at: Vec<f64> = (0..12).map(|i| ((i * 7) % 12) as f64 * 10.0).collect();
        let d = |i: usize, j: usize| (at[i] - at[j]).abs();
        let o = parse_trip(&query_options([("source", "first")]), 12).unwrap();
        let order = trip_order(12, d, d, &o).unwrap();
        let cost: f64 =
            order.windows(2).map(|p| d(p[0], p[1])).sum::<f64>() + d(order[11], order[0]);
        assert_eq!(cost, 220.0);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..12).collect::<Vec<_>>());
    }
}
