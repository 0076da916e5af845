//! Reachability and isochrones: where a vehicle gets within a time budget.
//!
//! One bounded turn-aware Dijkstra from the origin (same turn rules, restrictions, U-turn
//! policy and kerb approach as routes) gives the time at which every road edge is entered;
//! an edge entered before the budget runs out is reached up to the fraction the remaining
//! time covers. [`Graph::reachable`] returns those pieces of road; [`Graph::isochrones`] wraps
//! them into one polygon per time limit (a concave hull of the reached road, as the contours of
//! GraphHopper's and Valhalla's isochrone services), with the road length reached.
//!
//! For a refuse truck this answers "which bins can be served within 20 minutes of the depot"
//! or "how far does the shift reach before the first disposal trip".

use geo::concave_hull::ConcaveHullOptions;
use geo::{Area, ConcaveHull, Coord, MapCoords, MultiPoint, Point, Polygon};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::geo::haversine_m;
use crate::graph::RoadGraph;
use crate::ids::EdgeId;
use crate::route::{accesses, check_waypoint, source_seeds, Waypoint};
use crate::search;
use crate::turn::TurnGraph;

/// A piece of one directed edge reached from the origin.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ReachedEdge {
    /// The directed edge.
    pub edge: EdgeId,
    /// Start of the reached piece, as a fraction of the edge from its tail.
    pub from_fraction: f64,
    /// End of the reached piece (1.0 when the whole rest of the edge is reached).
    pub to_fraction: f64,
    /// Time in seconds at which the vehicle is at `from_fraction`.
    pub start_s: f64,
    /// Time in seconds at which the vehicle is at `to_fraction`.
    pub end_s: f64,
}

/// The area reached within one time limit.
#[derive(Clone, Debug, Serialize)]
pub struct Isochrone {
    /// The time limit in seconds.
    pub limit_s: f64,
    /// Outline of the reached road network (a concave hull of the reached road geometry).
    pub polygon: Polygon<f64>,
    /// Area of the polygon in square kilometres.
    pub area_km2: f64,
    /// Length of directed road reached, in kilometres.
    pub road_km: f64,
}

impl Isochrone {
    /// A GeoJSON `Feature` with the polygon and `limit_s`, `area_km2`, `road_km` properties.
    pub fn to_geojson(&self) -> serde_json::Value {
        let ring = |r: &geo::LineString<f64>| -> Vec<[f64; 2]> {
            r.coords().map(|c| [c.x, c.y]).collect()
        };
        let mut rings = vec![ring(self.polygon.exterior())];
        rings.extend(self.polygon.interiors().iter().map(ring));
        serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": rings},
            "properties": {
                "limit_s": self.limit_s,
                "area_km2": self.area_km2,
                "road_km": self.road_km,
            }
        })
    }
}

/// Concavity of the hull: lower follows the road network more closely (see
/// [`geo::ConcaveHull`]); 2.0 keeps a city's outline without spikes along single roads.
const CONCAVITY: f64 = 2.0;
/// Hull edges shorter than this (degrees, ~50 m) are not refined further.
const MIN_HULL_EDGE_DEG: f64 = 0.0005;
/// Reached road geometry is sampled into cells of this size (degrees, ~20 m) before the hull.
const CELL_DEG: f64 = 0.0002;
/// Upper bound on a time budget: one day.
const MAX_LIMIT_S: f64 = 86_400.0;

/// Every piece of road reachable from `origin` within `max_s` seconds, in the direction of
/// travel (a two-way street appears once per reached direction).
pub(crate) fn reachable(
    road: &RoadGraph,
    turns: &TurnGraph,
    origin: &Waypoint,
    max_s: f64,
) -> Result<Vec<ReachedEdge>> {
    check_waypoint(road, origin)?;
    if !(max_s.is_finite() && max_s > 0.0 && max_s <= MAX_LIMIT_S) {
        return Err(Error::InvalidInput(format!(
            "time limit must be in (0, {MAX_LIMIT_S}] seconds, got {max_s}"
        )));
    }
    let tg = turns;
    let max_ms = (max_s * 1000.0).round() as u32;
    let acc = accesses(road, road.profile().turn_costs.driving_side, origin);
    let mut out = Vec::new();
    // The origin's own edges, from the snapped point onwards.
    for a in &acc {
        let len_ms = tg.edge_weight_ms(a.edge) as f64;
        let rest = (1.0 - a.fraction) * len_ms;
        let to = if rest <= max_ms as f64 || len_ms <= 0.0 {
            1.0
        } else {
            a.fraction + max_ms as f64 / len_ms
        };
        out.push(ReachedEdge {
            edge: EdgeId(a.edge),
            from_fraction: a.fraction,
            to_fraction: to.min(1.0),
            start_s: 0.0,
            end_s: (to.min(1.0) - a.fraction) * len_ms / 1000.0,
        });
    }
    let (seeds, _) = source_seeds(tg, &acc);
    let reached = search::with_thread_workspace(|ws| {
        search::dijkstra_bounded(tg, &mut ws.dijkstra, &seeds, max_ms)
    });
    // A via edge reached both as itself and as copies (along restriction paths) counts once,
    // at its earliest time.
    let mut earliest: std::collections::BTreeMap<u32, i64> = std::collections::BTreeMap::new();
    for (node, end_ms) in reached {
        let t = earliest.entry(tg.edge_of(node).0).or_insert(end_ms);
        *t = (*t).min(end_ms);
    }
    for (e, end_ms) in earliest {
        let len_ms = tg.edge_weight_ms(e);
        let start_ms = end_ms - len_ms;
        let to = if end_ms <= max_ms as i64 || len_ms <= 0 {
            1.0
        } else {
            (max_ms as i64 - start_ms) as f64 / len_ms as f64
        };
        out.push(ReachedEdge {
            edge: EdgeId(e),
            from_fraction: 0.0,
            to_fraction: to.clamp(0.0, 1.0),
            start_s: start_ms as f64 / 1000.0,
            end_s: (start_ms as f64 + to.clamp(0.0, 1.0) * len_ms as f64) / 1000.0,
        });
    }
    Ok(out)
}

/// Isochrones around `origin`: one polygon per time limit (seconds), from a single search
/// to the largest limit. Limits are returned in the order given.
pub(crate) fn isochrones(
    road: &RoadGraph,
    turns: &TurnGraph,
    origin: &Waypoint,
    limits_s: &[f64],
) -> Result<Vec<Isochrone>> {
    if limits_s.is_empty() {
        return Err(Error::InvalidInput(
            "at least one time limit is needed".into(),
        ));
    }
    let max = limits_s.iter().copied().fold(f64::NAN, f64::max);
    if limits_s.iter().any(|l| !(l.is_finite() && *l > 0.0)) {
        return Err(Error::InvalidInput(format!(
            "time limits must be positive seconds, got {limits_s:?}"
        )));
    }
    let reached = reachable(road, turns, origin, max)?;
    Ok(limits_s
        .iter()
        .map(|&limit| isochrone_of(road, &reached, limit, origin))
        .collect())
}

/// The isochrone of one limit from the reached edge pieces.
fn isochrone_of(
    road: &RoadGraph,
    reached: &[ReachedEdge],
    limit_s: f64,
    origin: &Waypoint,
) -> Isochrone {
    let mut cells = std::collections::HashSet::new();
    let mut pts: Vec<Point<f64>> = Vec::new();
    let mut road_m = 0.0;
    let mut add = |p: Point<f64>, pts: &mut Vec<Point<f64>>| {
        let key = (
            (p.x() / CELL_DEG).floor() as i64,
            (p.y() / CELL_DEG).floor() as i64,
        );
        if cells.insert(key) {
            pts.push(p);
        }
    };
    add(origin.snap.point, &mut pts);
    for r in reached {
        if r.start_s > limit_s {
            continue;
        }
        let to = if r.end_s <= limit_s || r.end_s <= r.start_s {
            r.to_fraction
        } else {
            let t = (limit_s - r.start_s) / (r.end_s - r.start_s);
            r.from_fraction + t * (r.to_fraction - r.from_fraction)
        };
        let piece = road.partial_points(r.edge, r.from_fraction, to);
        for w in piece.windows(2) {
            road_m += haversine_m(w[0], w[1]);
        }
        let last = piece.len().saturating_sub(1);
        for (i, p) in piece.into_iter().enumerate() {
            if i == 0 || i == last {
                // The ends of reached pieces always count: the boundary runs through them.
                pts.push(p);
            } else {
                add(p, &mut pts);
            }
        }
    }
    let polygon = if pts.len() >= 3 {
        MultiPoint::from(pts).concave_hull_with_options(ConcaveHullOptions {
            concavity: CONCAVITY,
            length_threshold: MIN_HULL_EDGE_DEG,
        })
    } else {
        // A tiny reach (or a dead end): a small square around the origin.
        let p = origin.snap.point;
        let d = CELL_DEG / 2.0;
        Polygon::new(
            vec![
                Coord {
                    x: p.x() - d,
                    y: p.y() - d,
                },
                Coord {
                    x: p.x() + d,
                    y: p.y() - d,
                },
                Coord {
                    x: p.x() + d,
                    y: p.y() + d,
                },
                Coord {
                    x: p.x() - d,
                    y: p.y() + d,
                },
                Coord {
                    x: p.x() - d,
                    y: p.y() - d,
                },
            ]
            .into(),
            vec![],
        )
    };
    Isochrone {
        limit_s,
        area_km2: area_km2(&polygon),
        polygon,
        road_km: road_m / 1000.0,
    }
}

/// Area of a lon/lat polygon in km², on a local equirectangular projection (accurate to a
/// fraction of a percent at city scale).
fn area_km2(p: &Polygon<f64>) -> f64 {
    let lat0 = p.exterior().coords().map(|c| c.y).sum::<f64>()
        / p.exterior().coords().count().max(1) as f64;
    let kx = 111.320 * lat0.to_radians().cos();
    let ky = 110.574;
    let projected = p.map_coords(|c| Coord {
        x: c.x * kx,
        y: c.y * ky,
    });
    projected.unsigned_area()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_of_a_small_square() {
        // 0.01 deg x 0.01 deg at 60 N: 0.557 km x 1.106 km.
        let p = Polygon::new(
            vec![
                Coord { x: 24.0, y: 60.0 },
                Coord { x: 24.01, y: 60.0 },
                Coord { x: 24.01, y: 60.01 },
                Coord { x: 24.0, y: 60.01 },
                Coord { x: 24.0, y: 60.0 },
            ]
            .into(),
            vec![],
        );
        let a = area_km2(&p);
        assert!((a - 0.5566 * 1.1057).abs() < 0.01, "{a}");
    }
}
