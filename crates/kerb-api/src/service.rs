//! One function per service (route, table, nearest, isochrone): coordinates and typed options
//! in, the response object out. Front ends only translate their transport into these calls.

use crate::coords::LonLat;
use crate::error::{Error, ErrorKind, Result};
use crate::format;
use crate::osrm::{NearestResponse, RouteResponse, TableResponse};
use crate::params::{IsochroneOptions, NearestOptions, RouteOptions, TableOptions};
use crate::waypoint::{snap, waypoint, waypoints};
use kerb_core::{Graph, Isochrone, Matrix, Point, RoadClass, Waypoint};
use serde_json::Value;

/// The route service: every coordinate snapped with its options, one route through them.
pub fn route(g: &Graph, coords: &[LonLat], o: &RouteOptions) -> Result<RouteResponse> {
    let w = waypoints(g, coords, &o.common)?;
    let r = g.route_excluding(&w, &o.common.exclude)?;
    Ok(format::route_response(g, &r, &w, o))
}

/// kerb-core's many-to-many matrix between waypoints (`INFINITY` = unreachable); a failure to
/// route is OSRM's `NoTable`.
pub fn matrix(g: &Graph, sources: &[Waypoint], destinations: &[Waypoint]) -> Result<Matrix> {
    matrix_excluding(g, sources, destinations, &[])
}

/// [`matrix`] avoiding the road classes in `exclude` (`exclude=`).
fn matrix_excluding(
    g: &Graph,
    sources: &[Waypoint],
    destinations: &[Waypoint],
    exclude: &[RoadClass],
) -> Result<Matrix> {
    g.matrix_excluding(sources, destinations, exclude)
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
    let mut snapped: Vec<Option<Waypoint>> = vec![None; coords.len()];
    for &i in src_idx.iter().chain(&dst_idx) {
        if snapped[i].is_none() {
            snapped[i] = Some(waypoint(g, coords, i, &o.common)?);
        }
    }
    let pick = |idx: &[usize]| -> Vec<Waypoint> {
        idx.iter().filter_map(|&i| snapped[i].clone()).collect()
    };
    let (sources, destinations) = (pick(&src_idx), pick(&dst_idx));
    let m = matrix_excluding(g, &sources, &destinations, &o.common.exclude)?;
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
/// (with a bearing filter: the one nearest matching road).
pub fn nearest(g: &Graph, c: LonLat, o: &NearestOptions) -> Result<NearestResponse> {
    let snaps = if o.common.bearings.first().is_some_and(Option::is_some) {
        if o.number != 1 {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                "bearings with number > 1 are not supported",
            ));
        }
        vec![snap(g, c, 0, &o.common)?]
    } else {
        let mut v = g.nearest(Point::new(c[0], c[1]), o.number)?;
        if let Some(Some(r)) = o.common.radiuses.first() {
            v.retain(|s| s.distance_m <= *r);
        }
        v
    };
    if snaps.is_empty() {
        return Err(Error::new(
            ErrorKind::NoSegment,
            "Could not find a matching segment for coordinate 0",
        ));
    }
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
