//! One function per service (route, table, nearest, isochrone): coordinates and typed options
//! in, the response object out. Front ends only translate their transport into these calls.

use crate::coords::LonLat;
use crate::error::{Error, ErrorKind, Result};
use crate::format;
use crate::osrm::{NearestResponse, RouteResponse, TableResponse};
use crate::params::{IsochroneOptions, NearestOptions, RouteOptions, TableOptions};
use crate::waypoint::{waypoint, waypoints, waypoints_at};
use kerb_core::{Graph, Isochrone, Matrix, Point, SearchFilter, ViaRule, Waypoint};
use serde_json::Value;

/// Most alternatives a route request gets (osrm-routed's default `--max-alternatives`).
pub const MAX_ALTERNATIVES: usize = 3;

/// The route service: every coordinate snapped with its options, one route through them;
/// with `waypoints=`, the legs between the listed coordinates (the others are passed through).
pub fn route(g: &Graph, coords: &[LonLat], o: &RouteOptions) -> Result<RouteResponse> {
    let w = waypoints(g, coords, &o.common)?;
    let via = match o.continue_straight {
        None => ViaRule::Profile,
        Some(true) => ViaRule::ContinueStraight,
        Some(false) => ViaRule::TurnAround,
    };
    // Alternatives exist between two waypoints only (as in OSRM), on the unfiltered graph.
    let alternatives = (o.alternatives as usize).min(MAX_ALTERNATIVES);
    let filter = o.common.search_filter();
    if alternatives > 0 && w.len() == 2 && filter.is_empty() && o.waypoints.is_none() {
        let routes = g.route_alternatives(&w, alternatives)?;
        return Ok(format::routes_response(g, &routes, &w, o));
    }
    let r = route_waypoints(g, &w, via, &filter)?;
    match &o.waypoints {
        Some(ends) => {
            let r = merge_legs(r, ends);
            let w: Vec<Waypoint> = ends.iter().filter_map(|&i| w.get(i).cloned()).collect();
            Ok(format::route_response(g, &r, &w, o))
        }
        None => Ok(format::route_response(g, &r, &w, o)),
    }
}

/// The route through snapped waypoints under the request's filter (`exclude=`,
/// `depart_at=`: the filtered Dijkstra), else the graph's fastest search; what `/route`, `kerb
/// route` and Python's `Graph.route` all call.
pub fn route_waypoints(
    g: &Graph,
    w: &[Waypoint],
    via: ViaRule,
    filter: &SearchFilter,
) -> Result<kerb_core::Route> {
    Ok(g.route_filtered(w, via, filter)?)
}

/// The route with one leg per pair of consecutive `ends` (ascending waypoint indices from the
/// first to the last): the legs in between joined.
fn merge_legs(mut r: kerb_core::Route, ends: &[usize]) -> kerb_core::Route {
    let mut legs = std::mem::take(&mut r.legs).into_iter();
    r.legs = ends
        .windows(2)
        .map(|e| {
            let mut joined = kerb_core::RouteLeg {
                distance_m: 0.0,
                duration_s: 0.0,
                segments: Vec::new(),
            };
            for leg in legs.by_ref().take(e[1] - e[0]) {
                joined.distance_m += leg.distance_m;
                joined.duration_s += leg.duration_s;
                joined.segments.extend(leg.segments);
            }
            joined
        })
        .collect();
    r
}

/// kerb-core's many-to-many matrix between waypoints (`INFINITY` = unreachable); a failure to
/// route is OSRM's `NoTable`.
pub fn matrix(g: &Graph, sources: &[Waypoint], destinations: &[Waypoint]) -> Result<Matrix> {
    matrix_filtered(g, sources, destinations, &SearchFilter::default())
}

/// [`matrix`] under a search filter (`exclude=`, `depart_at=`: one filtered Dijkstra per
/// source, leaving at the departure time).
pub fn matrix_filtered(
    g: &Graph,
    sources: &[Waypoint],
    destinations: &[Waypoint],
    filter: &SearchFilter,
) -> Result<Matrix> {
    g.matrix_filtered(sources, destinations, filter)
        .map_err(|e| match Error::from(e) {
            e if e.kind == ErrorKind::NoRoute => Error::new(ErrorKind::NoTable, e.message),
            e => e,
        })
}

/// The table service: the used coordinates snapped once each, the matrix between the chosen
/// sources and destinations, cells as OSRM writes them.
pub fn table(g: &Graph, coords: &[LonLat], o: &TableOptions) -> Result<TableResponse> {
    let all: Vec<usize> = (0..coords.len()).collect();
    let src_idx = o.sources.clone().unwrap_or_else(|| all.clone());
    let dst_idx = o.destinations.clone().unwrap_or(all);
    let mut used: Vec<usize> = src_idx.iter().chain(&dst_idx).copied().collect();
    used.sort_unstable();
    used.dedup();
    let mut snapped: Vec<Option<Waypoint>> = vec![None; coords.len()];
    for (w, &i) in waypoints_at(g, coords, &used, &o.common)?
        .into_iter()
        .zip(&used)
    {
        snapped[i] = Some(w);
    }
    let pick = |idx: &[usize]| -> Vec<Waypoint> {
        idx.iter().filter_map(|&i| snapped[i].clone()).collect()
    };
    let (sources, destinations) = (pick(&src_idx), pick(&dst_idx));
    let m = matrix_filtered(g, &sources, &destinations, &o.common.search_filter())?;
    let t = format::table_response(&m, &sources, &destinations, o);
    // A huge `scale_factor` overflows to infinity, which JSON writes as `null`: "no route".
    let overflow = t
        .durations
        .iter()
        .flatten()
        .flatten()
        .flatten()
        .any(|d| !d.is_finite());
    if overflow {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "scale_factor={} makes durations overflow; use a smaller factor",
                o.scale_factor
            ),
        ));
    }
    Ok(t)
}

/// The nearest service: the `number` nearest roads to `c`, nearest first, within its radius
/// and matching its bearing filter.
pub fn nearest(g: &Graph, c: LonLat, o: &NearestOptions) -> Result<NearestResponse> {
    let opts = crate::waypoint::snap_options(&o.common, 0);
    let snaps = match g.nearest_with(Point::new(c[0], c[1]), o.number, &opts) {
        Err(kerb_core::Error::NoSegment { .. }) => {
            return Err(Error::new(
                ErrorKind::NoSegment,
                "Could not find a matching segment for coordinate 0",
            ))
        }
        r => r?,
    };
    Ok(format::nearest_response(g, &snaps, o.common.generate_hints))
}

/// Isochrones around `c` snapped with its options, largest first (as Valhalla and GraphHopper
/// return them for drawing), with the snapped origin.
pub fn isochrones(
    g: &Graph,
    c: LonLat,
    o: &IsochroneOptions,
) -> Result<(Vec<Isochrone>, kerb_core::Snap)> {
    let origin = waypoint(g, &[c], 0, &o.common)?;
    let mut isos = g.isochrones(&origin, &o.contours_s)?;
    isos.sort_by(|a, b| b.limit_s.total_cmp(&a.limit_s));
    Ok((isos, origin.snap))
}

/// The isochrone service's GeoJSON answer (see [`crate::isochrone::feature_collection`]).
pub fn isochrone(g: &Graph, c: LonLat, o: &IsochroneOptions) -> Result<Value> {
    let (isos, origin) = isochrones(g, c, o)?;
    Ok(crate::isochrone::feature_collection(&isos, &origin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{parse_route, query_options};
    use crate::waypoint::tests::helsinki;

    const C: [LonLat; 3] = [[24.9384, 60.1699], [24.9450, 60.1720], [24.9500, 60.1750]];

    fn get(pairs: &[(&str, &str)]) -> RouteResponse {
        let o = parse_route(&query_options(pairs.iter().copied()), C.len()).unwrap();
        route(helsinki(), &C, &o).unwrap()
    }

    #[test]
    fn waypoints_join_the_legs_between_listed_coordinates() {
        let all = get(&[("steps", "true")]);
        let joined = get(&[("steps", "true"), ("waypoints", "0;2")]);
        assert_eq!(all.routes[0].legs.len(), 2);
        assert_eq!(joined.routes[0].legs.len(), 1);
        assert_eq!(joined.waypoints.as_ref().unwrap().len(), 2);
        let (a, b) = (&all.routes[0], &joined.routes[0]);
        assert!(
            (a.distance - b.distance).abs() < 0.2,
            "{} vs {}",
            a.distance,
            b.distance
        );
        assert!((b.legs[0].distance - b.distance).abs() < 0.2);
    }

    #[test]
    fn continue_straight_false_may_turn_around_at_a_via() {
        let straight = get(&[("continue_straight", "true")]);
        let around = get(&[("continue_straight", "false")]);
        assert!(around.routes[0].duration <= straight.routes[0].duration + 0.1);
        let default = get(&[]);
        assert!(default.routes[0].duration >= around.routes[0].duration - 0.1);
    }
}
