//! The OSRM `match` service, shared by every front end: its options (`timestamps`, `radiuses`,
//! `gaps`, `tidy`, `waypoints`, `steps`, `annotations`, `geometries`, `overview`), OSRM's
//! defaults for them, the trace tidying, and the response (`matchings` with `confidence`,
//! `tracepoints` with `matchings_index`, `waypoint_index`, `alternatives_count`).
//!
//! Matching itself is kerb-match's HMM ([`kerb_match::match_trace_cancellable`]); this module
//! only turns OSRM's parameters into its options and its result into OSRM's objects, with the
//! route formatter of the route service.

use std::sync::atomic::AtomicBool;

use kerb_core::{haversine_m, Graph, LineString, Point, RouteLeg};
use kerb_match::{MatchResult, Trace, TracePoint};
use serde::Serialize;

use crate::coords::LonLat;
use crate::error::{Error, ErrorKind, Result};
use crate::format;
use crate::osrm::{OkCode, Route, Waypoint};
use crate::params::{
    options_err, parse_bool, parse_common, parse_geometries, parse_indices, parse_overview,
    parse_route_annotations, per_coordinate, query_err, unknown, CommonOptions, Geometries,
    OptionPairs, Overview, RouteAnnotations, RouteOptions,
};

/// OSRM's GPS precision when a coordinate has no `radiuses` entry, metres (one standard
/// deviation).
pub const DEFAULT_GPS_PRECISION_M: f64 = 5.0;
/// Candidate roads are searched within this many standard deviations of a fix, as OSRM does.
pub const RADIUS_MULTIPLIER: f64 = 3.0;
/// OSRM's fastest plausible speed between two timestamped fixes (180 km/h), m/s.
pub const MAX_SPEED_MPS: f64 = 50.0;
/// With `gaps=split`, a time step this many median sample intervals long splits the trace.
pub const MAX_BROKEN_STATES: f64 = 10.0;
/// `tidy=true` drops fixes until this distance from the last kept one is covered, metres...
pub const TIDY_DISTANCE_M: f64 = 15.0;
/// ... and (with timestamps) this much time has passed, seconds.
pub const TIDY_DURATION_S: f64 = 5.0;

/// `gaps=`: whether long time gaps split the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gaps {
    /// A step longer than ten median sample intervals starts a new matching (the default).
    Split,
    /// Time gaps never split; only implausible transitions do.
    Ignore,
}

/// Options of the match service.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Shared options: `radiuses` are the GPS precision (standard deviation) per coordinate.
    pub common: CommonOptions,
    /// `timestamps=`: seconds per coordinate (empty = none).
    pub timestamps: Vec<f64>,
    /// `gaps=`.
    pub gaps: Gaps,
    /// `tidy=`: drop fixes closer than 15 m / 5 s to the last kept one before matching.
    pub tidy: bool,
    /// `waypoints=`: coordinate indices that end legs (the others only shape the route);
    /// `None` = every matched coordinate.
    pub waypoints: Option<Vec<usize>>,
    /// `steps=`.
    pub steps: bool,
    /// `annotations=`.
    pub annotations: RouteAnnotations,
    /// `geometries=`.
    pub geometries: Geometries,
    /// `overview=`.
    pub overview: Overview,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            common: CommonOptions::default(),
            timestamps: Vec::new(),
            gaps: Gaps::Split,
            tidy: false,
            waypoints: None,
            steps: false,
            annotations: RouteAnnotations::default(),
            geometries: Geometries::Polyline,
            overview: Overview::Simplified,
        }
    }
}

fn parse_timestamp(e: &str) -> Result<f64> {
    match e.parse::<f64>() {
        Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
        _ => Err(query_err(format!(
            "timestamps: expected seconds >= 0, got {e:?}"
        ))),
    }
}

/// Parses and checks the match options of a trace of `n` coordinates, at most `max_points`.
///
/// ```
/// use kerb_api::matching::{parse_match, Gaps};
/// use kerb_api::params::query_options;
/// let o = parse_match(&query_options([("timestamps", "0;1;62"), ("gaps", "ignore")]), 3, 100)?;
/// assert_eq!((o.timestamps, o.gaps), (vec![0.0, 1.0, 62.0], Gaps::Ignore));
/// assert!(parse_match(&query_options([("timestamps", "5;1;6")]), 3, 100).is_err());
/// # Ok::<(), kerb_api::Error>(())
/// ```
pub fn parse_match(options: &OptionPairs, n: usize, max_points: usize) -> Result<MatchOptions> {
    if n > max_points {
        return Err(Error::new(
            ErrorKind::TooBig,
            format!("Too many trace coordinates: {n} given, the limit is {max_points}"),
        ));
    }
    let mut o = MatchOptions::default();
    for (k, value) in options {
        let v = value.text(k);
        let v = v.as_ref();
        match k.as_str() {
            "timestamps" => {
                o.timestamps = per_coordinate(k, value, n, parse_timestamp)?
                    .into_iter()
                    .map(|t| t.ok_or_else(|| query_err("timestamps: every element is required")))
                    .collect::<Result<_>>()?;
                if o.timestamps.windows(2).any(|w| w[1] < w[0]) {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        "Timestamps need to be monotonically increasing.",
                    ));
                }
            }
            "gaps" => {
                o.gaps = match v {
                    "split" => Gaps::Split,
                    "ignore" => Gaps::Ignore,
                    _ => {
                        return Err(query_err(format!(
                            "gaps: expected split or ignore, got {v:?}"
                        )))
                    }
                }
            }
            "tidy" => o.tidy = parse_bool(k, v)?,
            "waypoints" => o.waypoints = parse_indices(k, value, n)?,
            "steps" => o.steps = parse_bool(k, v)?,
            "annotations" => o.annotations = parse_route_annotations(v)?,
            "geometries" => o.geometries = parse_geometries(v)?,
            "overview" => o.overview = parse_overview(v)?,
            "bearings" | "approaches" => {
                return Err(Error::new(
                    ErrorKind::NotImplemented,
                    format!("{k} are not supported by kerb's match service"),
                ))
            }
            _ => {
                crate::params::depart_at_unsupported(k, "match")?;
                if !parse_common(k, value, n, &mut o.common)? {
                    return Err(unknown(k));
                }
            }
        }
    }
    if let Some(r) = o.common.radiuses.iter().flatten().find(|r| !r.is_finite()) {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("radiuses: {r} is no GPS precision; give metres"),
        ));
    }
    if n < 2 {
        return Err(options_err(
            "Number of coordinates needs to be at least two.",
        ));
    }
    if let Some(w) = &o.waypoints {
        if w.first() != Some(&0) || w.last() != Some(&(n - 1)) {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                "First and last coordinates must be specified as waypoints.",
            ));
        }
        if w.windows(2).any(|p| p[1] <= p[0]) {
            return Err(options_err(
                "waypoints must be increasing coordinate indices",
            ));
        }
    }
    Ok(o)
}

/// The indices of the fixes `tidy=true` keeps: the first, the last, and every fix by which
/// at least [`TIDY_DISTANCE_M`] (and, with timestamps, [`TIDY_DURATION_S`]) have passed since
/// the last kept one, the running sums taken along the trace as OSRM does.
///
/// ```
/// use kerb_api::matching::tidy;
/// // Three fixes 1 m apart, then one 100 m on: the middle ones go.
/// let c = [[0.0, 0.0], [0.00001, 0.0], [0.00002, 0.0], [0.001, 0.0]];
/// assert_eq!(tidy(&c, &[]), vec![0, 3]);
/// ```
pub fn tidy(coords: &[LonLat], timestamps: &[f64]) -> Vec<usize> {
    let mut keep = vec![0];
    let (mut distance, mut duration) = (0.0, 0.0);
    let point = |i: usize| Point::new(coords[i][0], coords[i][1]);
    for next in 1..coords.len().saturating_sub(1) {
        distance += haversine_m(point(next - 1), point(next));
        let far = distance >= TIDY_DISTANCE_M;
        let late = match timestamps {
            [] => true,
            t => {
                duration += t[next] - t[next - 1];
                duration >= TIDY_DURATION_S
            }
        };
        if far && late {
            keep.push(next);
            (distance, duration) = (0.0, 0.0);
        }
    }
    if coords.len() > 1 {
        keep.push(coords.len() - 1);
    }
    keep
}

/// kerb-match's options for this request: OSRM's precision, search radius, transition scale,
/// speed bound and gap rule.
fn matcher_options(timestamps: &[f64], gaps: Gaps) -> kerb_match::MatchOptions {
    let max_gap_s = match (gaps, timestamps.len() > 1) {
        (Gaps::Split, true) => {
            let mut steps: Vec<f64> = timestamps.windows(2).map(|w| w[1] - w[0]).collect();
            let mid = steps.len() / 2;
            let median = *steps.select_nth_unstable_by(mid, f64::total_cmp).1;
            median.max(1.0) * MAX_BROKEN_STATES
        }
        _ => f64::INFINITY,
    };
    kerb_match::MatchOptions {
        radius_m: DEFAULT_GPS_PRECISION_M * RADIUS_MULTIPLIER,
        sigma_m: DEFAULT_GPS_PRECISION_M,
        beta_m: 10.0,
        max_gap_s,
        max_speed_mps: MAX_SPEED_MPS,
        ..kerb_match::MatchOptions::default()
    }
}

/// One matching of the response: a route object plus its confidence.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Matching {
    /// 0..1: how far the matched route and the trace agree in length.
    pub confidence: f64,
    /// The route (geometry, legs, distance, duration, weight).
    #[serde(flatten)]
    pub route: Route,
}

/// A coordinate of the trace on the road (`null` in the response when unmatched).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tracepoint {
    /// Snapped location, name, distance and hint.
    #[serde(flatten)]
    pub waypoint: Waypoint,
    /// Index of its matching in `matchings`.
    pub matchings_index: usize,
    /// Index of its leg end in that matching; `null` for fixes that are no waypoint.
    pub waypoint_index: Option<usize>,
    /// Number of other plausible positions of the fix (0 = unambiguous).
    pub alternatives_count: usize,
}

/// The match response.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchResponse {
    /// Always `Ok` (errors are answered as errors).
    pub code: OkCode,
    /// The continuous stretches of the trace, in trace order.
    pub matchings: Vec<Matching>,
    /// One per input coordinate, `null` where it was not matched or tidied away.
    pub tracepoints: Vec<Option<Tracepoint>>,
}

/// Joins the legs of `legs` that end at a fix that is no waypoint into their successor.
fn collapse_legs(legs: Vec<RouteLeg>, ends_leg: &[bool]) -> Vec<RouteLeg> {
    let mut out: Vec<RouteLeg> = Vec::new();
    let mut open: Option<RouteLeg> = None;
    // `ends_leg[i + 1]` says whether leg `i` ends at a waypoint.
    for (i, leg) in legs.into_iter().enumerate() {
        let merged = match open.take() {
            None => leg,
            Some(mut acc) => {
                acc.distance_m += leg.distance_m;
                acc.duration_s += leg.duration_s;
                let mut rest = leg.segments.into_iter();
                // A fix that ends no leg splits no edge: join the two pieces of its edge.
                if let (Some(last), Some(next)) = (acc.segments.last_mut(), rest.next()) {
                    if last.edge == next.edge
                        && (last.to_fraction - next.from_fraction).abs() < 1e-9
                    {
                        last.to_fraction = next.to_fraction;
                        last.distance_m += next.distance_m;
                        last.duration_s += next.duration_s;
                    } else {
                        acc.segments.push(next);
                    }
                }
                acc.segments.extend(rest);
                acc
            }
        };
        if ends_leg.get(i + 1).copied().unwrap_or(true) {
            out.push(merged);
        } else {
            open = Some(merged);
        }
    }
    out.extend(open);
    out
}

/// The shape of `legs` as OSRM draws a matching: each leg's edge pieces without repeated
/// points, legs joined with their common end repeated.
fn legs_geometry(g: &Graph, legs: &[RouteLeg]) -> LineString<f64> {
    let mut out: Vec<Point<f64>> = Vec::new();
    for leg in legs {
        let mut points: Vec<Point<f64>> = Vec::new();
        for s in &leg.segments {
            for p in g
                .road()
                .partial_points(s.edge, s.from_fraction, s.to_fraction)
            {
                if points.last() != Some(&p) {
                    points.push(p);
                }
            }
        }
        out.extend(points);
    }
    LineString::from(out)
}

/// The match service: the trace `coords` (with the options' timestamps and precisions)
/// matched onto `g`'s roads. Stops with a `Timeout` error soon after `cancel` turns true.
pub fn match_trace(
    g: &Graph,
    coords: &[LonLat],
    o: &MatchOptions,
    cancel: &AtomicBool,
) -> Result<MatchResponse> {
    let all: Vec<usize> = (0..coords.len()).collect();
    let kept = if o.tidy {
        tidy(coords, &o.timestamps)
    } else {
        all
    };
    let points = kept
        .iter()
        .map(|&i| {
            let mut p = TracePoint::new(coords[i][0], coords[i][1]);
            if let Some(&t) = o.timestamps.get(i) {
                p = p.with_time_s(t);
            }
            if let Some(Some(r)) = o.common.radiuses.get(i) {
                p = p.with_accuracy_m(*r);
            }
            p
        })
        .collect();
    let trace = Trace::new(points)?;
    let kept_times: Vec<f64> = kept
        .iter()
        .filter_map(|&i| o.timestamps.get(i))
        .copied()
        .collect();
    let opts = matcher_options(&kept_times, o.gaps);
    let result = kerb_match::match_trace_cancellable(g, &trace, &opts, cancel)?;
    // Waypoints as positions in the kept trace: a tidied-away one moves to the kept fix before it.
    let waypoints: Option<Vec<usize>> = o.waypoints.as_ref().map(|w| {
        let mut out: Vec<usize> = w
            .iter()
            .map(|&orig| kept.partition_point(|&k| k <= orig) - 1)
            .collect();
        out.dedup();
        out
    });
    if let Some(w) = &waypoints {
        if result.matchings.len() > 1 {
            return Err(Error::new(
                ErrorKind::NoMatch,
                "Could not match the trace with the given waypoints.",
            ));
        }
        if w.iter().any(|&k| result.tracepoints[k].is_none()) {
            return Err(Error::new(
                ErrorKind::NoMatch,
                "Requested waypoint parameter could not be matched.",
            ));
        }
    }
    Ok(response(
        g,
        result,
        &kept,
        coords.len(),
        waypoints.as_deref(),
        o,
    ))
}

fn response(
    g: &Graph,
    result: MatchResult,
    kept: &[usize],
    n: usize,
    waypoints: Option<&[usize]>,
    o: &MatchOptions,
) -> MatchResponse {
    let route_options = RouteOptions {
        steps: o.steps,
        annotations: o.annotations,
        geometries: o.geometries,
        overview: o.overview,
        ..RouteOptions::default()
    };
    let is_waypoint = |k: usize| waypoints.is_none_or(|w| w.binary_search(&k).is_ok());
    let matchings = result
        .matchings
        .into_iter()
        .map(|m| {
            let ends_leg: Vec<bool> = m.trace_indices.iter().map(|&k| is_waypoint(k)).collect();
            let legs = collapse_legs(m.legs, &ends_leg);
            let shape = legs_geometry(g, &legs);
            let route = kerb_core::Route {
                distance_m: m.distance_m,
                duration_s: m.duration_s,
                // A leg of zero length has no piece: keep the matcher's shape then.
                geometry: if shape.0.len() >= 2 {
                    shape
                } else {
                    m.geometry
                },
                legs,
            };
            Matching {
                confidence: m.confidence,
                route: format::route(g, &route, &route_options),
            }
        })
        .collect();
    let mut tracepoints: Vec<Option<Tracepoint>> = (0..n).map(|_| None).collect();
    let mut leg_end = 0;
    let mut matching = usize::MAX;
    for (k, t) in result.tracepoints.into_iter().enumerate() {
        let Some(t) = t else { continue };
        if t.matching != matching {
            (matching, leg_end) = (t.matching, 0);
        }
        let waypoint_index = is_waypoint(k).then(|| {
            leg_end += 1;
            leg_end - 1
        });
        tracepoints[kept[k]] = Some(Tracepoint {
            waypoint: format::waypoint(&t.snap, o.common.generate_hints),
            matchings_index: t.matching,
            waypoint_index,
            alternatives_count: t.alternatives_count,
        });
    }
    MatchResponse {
        code: OkCode::Ok,
        matchings,
        tracepoints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::query_options;

    #[test]
    fn options_are_checked_against_the_trace() {
        let q = |pairs: &[(&str, &str)], n| parse_match(&query_options(pairs.to_vec()), n, 10);
        let kind = |r: Result<MatchOptions>| r.unwrap_err().kind;
        assert_eq!(kind(q(&[], 11)), ErrorKind::TooBig);
        assert_eq!(kind(q(&[], 1)), ErrorKind::InvalidOptions);
        assert_eq!(
            kind(q(&[("timestamps", "1;2")], 3)),
            ErrorKind::InvalidOptions
        );
        assert_eq!(
            kind(q(&[("timestamps", "1;x;3")], 3)),
            ErrorKind::InvalidQuery
        );
        assert_eq!(
            kind(q(&[("timestamps", "3;2;1")], 3)),
            ErrorKind::InvalidValue
        );
        assert_eq!(kind(q(&[("gaps", "maybe")], 3)), ErrorKind::InvalidQuery);
        assert_eq!(
            kind(q(&[("waypoints", "0;4")], 4)),
            ErrorKind::InvalidOptions
        );
        assert_eq!(kind(q(&[("waypoints", "1;3")], 4)), ErrorKind::InvalidValue);
        assert_eq!(
            kind(q(&[("radiuses", "5;unlimited")], 2)),
            ErrorKind::InvalidValue
        );
        assert_eq!(
            kind(q(&[("bearings", "0,10;0,10")], 2)),
            ErrorKind::NotImplemented
        );
        assert_eq!(kind(q(&[("frobnicate", "1")], 2)), ErrorKind::InvalidQuery);
        let o = q(
            &[
                ("tidy", "true"),
                ("waypoints", "0;2;3"),
                ("radiuses", "5;;10;20"),
            ],
            4,
        )
        .unwrap();
        assert!(o.tidy);
        assert_eq!(o.waypoints, Some(vec![0, 2, 3]));
        assert_eq!(
            o.common.radiuses,
            vec![Some(5.0), None, Some(10.0), Some(20.0)]
        );
    }

    #[test]
    fn split_gaps_follow_the_median_sample_time() {
        assert_eq!(
            matcher_options(&[0.0, 1.0, 62.0, 63.0], Gaps::Split).max_gap_s,
            10.0
        );
        assert_eq!(
            matcher_options(&[0.0, 30.0, 60.0], Gaps::Split).max_gap_s,
            300.0
        );
        assert!(matcher_options(&[0.0, 1.0, 62.0], Gaps::Ignore)
            .max_gap_s
            .is_infinite());
        assert!(matcher_options(&[], Gaps::Split).max_gap_s.is_infinite());
    }

    #[test]
    fn tidy_needs_distance_and_time() {
        // 20 m steps: distance alone keeps every fix, 1 s steps need five of them.
        let c: Vec<LonLat> = (0..12).map(|i| [i as f64 * 0.00018, 0.0]).collect();
        assert_eq!(tidy(&c, &[]), (0..12).collect::<Vec<_>>());
        let t: Vec<f64> = (0..12).map(f64::from).collect();
        assert_eq!(tidy(&c, &t), vec![0, 5, 10, 11]);
    }

    #[test]
    fn legs_collapse_onto_waypoints() {
        let leg = |d| RouteLeg {
            distance_m: d,
            duration_s: d,
            segments: Vec::new(),
        };
        let legs = collapse_legs(
            vec![leg(1.0), leg(2.0), leg(4.0)],
            &[true, false, true, true],
        );
        assert_eq!(
            legs.iter().map(|l| l.distance_m).collect::<Vec<_>>(),
            vec![3.0, 4.0]
        );
    }
}
