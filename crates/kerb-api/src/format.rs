//! Turns kerb-core results into OSRM JSON: waypoints with hints, route geometry in the requested
//! encoding, legs with steps (OSRM's turn instructions, built by the `guidance` module),
//! per-segment annotations, table cells with fallback estimates, and nearest answers.

use crate::osrm::{
    round1, round_coord, Annotation, AnnotationMetadata, NearestResponse, OkCode, Route, RouteLeg,
    RouteResponse, RouteStep, TableResponse, Waypoint,
};
use crate::params::{
    FallbackCoordinate, Geometries, Overview, RouteAnnotations, RouteOptions, TableOptions,
};
use geo::Simplify;
use kerb_core::{haversine_m, Graph, LineString, Matrix, Point, Snap};

use crate::geometry::push_dedup;
pub use crate::geometry::{bearing, encode_geometry};

/// An opaque OSRM-style hint: URL-safe base64 of the snapped edge id and fraction. kerb accepts
/// hints in requests (as OSRM does when a hint is stale, it snaps again) but never trusts them.
pub fn hint(s: &Snap) -> String {
    let mut bytes = Vec::with_capacity(12);
    bytes.extend_from_slice(&s.edge.0.to_le_bytes());
    bytes.extend_from_slice(&s.fraction.to_le_bytes());
    base64url(&bytes)
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The OSRM waypoint of a snap.
pub fn waypoint(s: &Snap, with_hint: bool) -> Waypoint {
    Waypoint {
        hint: with_hint.then(|| hint(s)),
        distance: s.distance_m,
        name: s.name.clone(),
        location: round_coord([s.point.x(), s.point.y()]),
        nodes: None,
    }
}

/// Douglas-Peucker tolerance for `overview=simplified`: 1/2000 of the route's extent, which keeps
/// the shape at the zoom level that shows the whole route (OSRM picks a zoom level the same way).
fn simplify(points: &[Point<f64>]) -> Vec<Point<f64>> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in points {
        minx = minx.min(p.x());
        miny = miny.min(p.y());
        maxx = maxx.max(p.x());
        maxy = maxy.max(p.y());
    }
    let eps = ((maxx - minx).max(maxy - miny) / 2000.0).max(1e-7);
    let ls: LineString<f64> = points.iter().copied().collect();
    ls.simplify(eps).points().collect()
}

/// One edge piece of a leg with its shape.
struct Piece {
    edge: kerb_core::EdgeId,
    points: Vec<Point<f64>>,
    distance_m: f64,
    duration_s: f64,
    name: String,
    /// OSM node ids of the piece (graph node ids for graphs without OSM ids).
    nodes: Vec<u64>,
}

fn pieces(g: &Graph, leg: &kerb_core::RouteLeg) -> Vec<Piece> {
    leg.segments
        .iter()
        .map(|s| {
            let e = g.edge(s.edge);
            Piece {
                edge: s.edge,
                points: g.partial_points(s.edge, s.from_fraction, s.to_fraction),
                distance_m: s.distance_m,
                duration_s: s.duration_s,
                name: e.name.to_string(),
                nodes: g
                    .partial_osm_nodes(s.edge, s.from_fraction, s.to_fraction)
                    .unwrap_or_else(|| vec![e.from.0 as u64, e.to.0 as u64]),
            }
        })
        .collect()
}

/// The steps of a leg: OSRM's guidance over the leg's edge pieces.
fn steps(g: &Graph, pieces: &[Piece], geometries: Geometries) -> Vec<RouteStep> {
    let spans: Vec<crate::guidance::Span> = pieces
        .iter()
        .map(|p| crate::guidance::Span {
            edge: p.edge,
            points: &p.points,
            distance_m: p.distance_m,
            duration_s: p.duration_s,
        })
        .collect();
    crate::guidance::steps(g, &spans, geometries)
}

/// The two longest named roads of a leg, in route order (OSRM's `summary`).
fn summary(pieces: &[Piece]) -> String {
    let mut by_name: Vec<(String, f64, usize)> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        if p.name.is_empty() {
            continue;
        }
        match by_name.iter_mut().find(|e| e.0 == p.name) {
            Some(e) => e.1 += p.distance_m,
            None => by_name.push((p.name.clone(), p.distance_m, i)),
        }
    }
    by_name.sort_by(|a, b| b.1.total_cmp(&a.1));
    by_name.truncate(2);
    by_name.sort_by_key(|e| e.2);
    by_name
        .into_iter()
        .map(|e| e.0)
        .collect::<Vec<_>>()
        .join(", ")
}

fn annotation(g: &Graph, pieces: &[Piece], sel: RouteAnnotations) -> Annotation {
    let (mut dist, mut dur, mut nodes) = (Vec::new(), Vec::new(), Vec::new());
    for p in pieces {
        let lens: Vec<f64> = p
            .points
            .windows(2)
            .map(|w| haversine_m(w[0], w[1]))
            .collect();
        let total: f64 = lens.iter().sum();
        for l in lens {
            if l == 0.0 {
                continue;
            }
            dist.push(l);
            dur.push(if total > 0.0 {
                p.duration_s * l / total
            } else {
                0.0
            });
        }
        // OSRM lists the OSM node of every coordinate; consecutive pieces share their node.
        for &n in &p.nodes {
            if nodes.last() != Some(&n) {
                nodes.push(n);
            }
        }
    }
    let speed: Vec<f64> = dist
        .iter()
        .zip(&dur)
        .map(|(d, t)| if *t > 0.0 { round1(d / t) } else { 0.0 })
        .collect();
    let n = dist.len();
    Annotation {
        nodes: sel.nodes.then_some(nodes),
        distance: sel
            .distance
            .then(|| dist.iter().map(|d| (d * 1e3).round() / 1e3).collect()),
        duration: sel
            .duration
            .then(|| dur.iter().map(|&t| round1(t)).collect()),
        datasources: sel.datasources.then(|| vec![0; n]),
        weight: sel.weight.then(|| dur.iter().map(|&t| round1(t)).collect()),
        speed: sel.speed.then_some(speed),
        metadata: sel.datasources.then(|| AnnotationMetadata {
            datasource_names: vec![g.profile().name.clone()],
        }),
    }
}

/// Every point of a leg, in order (shared ends of consecutive pieces once).
fn leg_points(g: &Graph, leg: &kerb_core::RouteLeg) -> Vec<Point<f64>> {
    let mut pts = Vec::new();
    for s in &leg.segments {
        for p in g.partial_points(s.edge, s.from_fraction, s.to_fraction) {
            push_dedup(&mut pts, p);
        }
    }
    if pts.len() == 1 {
        pts.push(pts[0]);
    }
    pts
}

/// The OSRM route object of a kerb route.
pub fn route(g: &Graph, r: &kerb_core::Route, o: &RouteOptions) -> Route {
    let legs = r
        .legs
        .iter()
        .map(|leg| {
            // Edge shapes are only needed for steps and annotations.
            let pieces = if o.steps || o.annotations.any() {
                pieces(g, leg)
            } else {
                Vec::new()
            };
            RouteLeg {
                steps: if o.steps {
                    steps(g, &pieces, o.geometries)
                } else {
                    Vec::new()
                },
                summary: if o.steps {
                    summary(&pieces)
                } else {
                    String::new()
                },
                weight: round1(leg.duration_s),
                duration: round1(leg.duration_s),
                distance: round1(leg.distance_m),
                annotation: o
                    .annotations
                    .any()
                    .then(|| annotation(g, &pieces, o.annotations)),
                geometry: (o.overview == Overview::ByLegs)
                    .then(|| encode_geometry(&leg_points(g, leg), o.geometries)),
            }
        })
        .collect();
    let pts: Vec<Point<f64>> = r.geometry.points().collect();
    let geometry = match o.overview {
        Overview::False | Overview::ByLegs => None,
        Overview::Full => Some(encode_geometry(&pts, o.geometries)),
        Overview::Simplified => Some(encode_geometry(&simplify(&pts), o.geometries)),
    };
    Route {
        geometry,
        legs,
        weight_name: "duration".into(),
        weight: round1(r.duration_s),
        duration: round1(r.duration_s),
        distance: round1(r.distance_m),
    }
}

/// The OSRM route response of a kerb route through `waypoints` (omitted with `skip_waypoints`).
pub fn route_response(
    g: &Graph,
    r: &kerb_core::Route,
    waypoints: &[kerb_core::Waypoint],
    o: &RouteOptions,
) -> RouteResponse {
    routes_response(g, std::slice::from_ref(r), waypoints, o)
}

/// The OSRM route response of several kerb routes between the same waypoints (the best one
/// first, then its alternatives).
pub fn routes_response(
    g: &Graph,
    routes: &[kerb_core::Route],
    waypoints: &[kerb_core::Waypoint],
    o: &RouteOptions,
) -> RouteResponse {
    RouteResponse {
        code: OkCode::Ok,
        routes: routes.iter().map(|r| route(g, r, o)).collect(),
        waypoints: (!o.common.skip_waypoints).then(|| {
            waypoints
                .iter()
                .map(|w| waypoint(&w.snap, o.common.generate_hints))
                .collect()
        }),
    }
}

/// Rows of table cells, `None` = unreachable (`null`).
pub type Cells = Vec<Vec<Option<f64>>>;

fn fallback_point(s: &Snap, which: FallbackCoordinate) -> Point<f64> {
    match which {
        FallbackCoordinate::Input => s.input,
        FallbackCoordinate::Snapped => s.point,
    }
}

/// Cells of OSRM's `durations` and `distances` from a matrix: rounded to 0.1, durations scaled
/// by `scale_factor`, unreachable cells `null` or, with `fallback_speed`, the crow-fly distance
/// between the given points and its travel time at that speed (listed in the third result).
pub fn table_cells(
    durations_s: &[f64],
    distances_m: &[f64],
    src: &[Point<f64>],
    dst: &[Point<f64>],
    o: &TableOptions,
) -> (Cells, Cells, Vec<[usize; 2]>) {
    let (ns, nd) = (src.len(), dst.len());
    let mut durations = vec![vec![None; nd]; ns];
    let mut distances = vec![vec![None; nd]; ns];
    let mut fallback_cells = Vec::new();
    for r in 0..ns {
        for c in 0..nd {
            let k = r * nd + c;
            let (t, d) = (durations_s[k], distances_m[k]);
            if t.is_finite() {
                durations[r][c] = Some(round1(t * o.scale_factor));
                distances[r][c] = Some(round1(d));
            } else if let Some(speed) = o.fallback_speed {
                let crow = haversine_m(src[r], dst[c]);
                durations[r][c] = Some(round1(crow / speed * o.scale_factor));
                distances[r][c] = Some(round1(crow));
                fallback_cells.push([r, c]);
            }
        }
    }
    (durations, distances, fallback_cells)
}

/// The OSRM table response of matrix `m` between the snapped `sources` and `destinations`.
pub fn table_response(
    m: &Matrix,
    sources: &[kerb_core::Waypoint],
    destinations: &[kerb_core::Waypoint],
    o: &TableOptions,
) -> TableResponse {
    let points = |v: &[kerb_core::Waypoint]| -> Vec<Point<f64>> {
        v.iter()
            .map(|w| fallback_point(&w.snap, o.fallback_coordinate))
            .collect()
    };
    let (durations, distances, fallback_cells) = table_cells(
        &m.durations_s,
        &m.distances_m,
        &points(sources),
        &points(destinations),
        o,
    );
    let hints = o.common.generate_hints;
    let wps = |v: &[kerb_core::Waypoint]| -> Vec<Waypoint> {
        v.iter().map(|w| waypoint(&w.snap, hints)).collect()
    };
    TableResponse {
        code: OkCode::Ok,
        durations: o.durations.then_some(durations),
        distances: o.distances.then_some(distances),
        sources: (!o.common.skip_waypoints).then(|| wps(sources)),
        destinations: (!o.common.skip_waypoints).then(|| wps(destinations)),
        fallback_speed_cells: o.fallback_speed.map(|_| fallback_cells),
    }
}

/// The OSRM nearest response: one waypoint per snap, with the OSM nodes of its road (graph node
/// ids for graphs without OSM ids).
pub fn nearest_response(g: &Graph, snaps: &[Snap], generate_hints: bool) -> NearestResponse {
    let waypoints = snaps
        .iter()
        .map(|s| {
            let e = g.edge(s.edge);
            Waypoint {
                nodes: Some(match (g.osm_node_id(e.from), g.osm_node_id(e.to)) {
                    (Some(a), Some(b)) => [a, b],
                    _ => [e.from.0 as u64, e.to.0 as u64],
                }),
                ..waypoint(s, generate_hints)
            }
        })
        .collect();
    NearestResponse {
        code: OkCode::Ok,
        waypoints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearings() {
        let o = Point::new(24.0, 60.0);
        assert!((bearing(o, Point::new(24.0, 60.1)) - 0.0).abs() < 1e-6);
        assert!((bearing(o, Point::new(24.1, 60.0)) - 90.0).abs() < 0.1);
        assert!((bearing(o, Point::new(24.0, 59.9)) - 180.0).abs() < 1e-6);
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(b"fooba"), "Zm9vYmE");
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn unreachable_cells_are_null_or_fallback_estimates() {
        let inf = f64::INFINITY;
        let (t, d) = (vec![0.0, 12.34, inf, 0.0], vec![0.0, 100.06, inf, 0.0]);
        let pts = [Point::new(24.94, 60.17), Point::new(24.95, 60.17)];
        let plain = TableOptions::default();
        let (t1, d1, f) = table_cells(&t, &d, &pts, &pts, &plain);
        assert_eq!(t1, vec![vec![Some(0.0), Some(12.3)], vec![None, Some(0.0)]]);
        assert_eq!(d1[0][1], Some(100.1));
        assert!(f.is_empty());
        let fb = TableOptions {
            fallback_speed: Some(5.0),
            scale_factor: 2.0,
            ..TableOptions::default()
        };
        let (t2, d2, f) = table_cells(&t, &d, &pts, &pts, &fb);
        let crow = haversine_m(pts[1], pts[0]);
        assert_eq!(f, vec![[1, 0]]);
        assert_eq!(d2[1][0], Some(round1(crow)));
        assert_eq!(t2[1][0], Some(round1(crow / 5.0 * 2.0)));
        assert_eq!(t2[0][1], Some(round1(12.34 * 2.0)));
    }

    mod helsinki {
        use crate::params::{
            CommonOptions, Geometries, NearestOptions, RouteOptions, TableOptions,
        };
        use crate::service;
        use crate::waypoint::tests::helsinki;

        const A: [f64; 2] = [24.9480, 60.1665];
        const B: [f64; 2] = [24.9500, 60.1750];
        const C: [f64; 2] = [24.9414, 60.1699];

        #[test]
        fn route_with_steps_on_helsinki() {
            let o = RouteOptions {
                steps: true,
                geometries: Geometries::GeoJson,
                ..RouteOptions::default()
            };
            let r = service::route(helsinki(), &[A, C, B], &o).unwrap();
            let v = serde_json::to_value(&r).unwrap();
            assert_eq!(v["code"], "Ok");
            let route = &v["routes"][0];
            assert_eq!(route["geometry"]["type"], "LineString");
            let legs = route["legs"].as_array().unwrap();
            assert_eq!(legs.len(), 2);
            let total: f64 = legs.iter().map(|l| l["distance"].as_f64().unwrap()).sum();
            assert!((total - route["distance"].as_f64().unwrap()).abs() < 0.2);
            for leg in legs {
                let steps = leg["steps"].as_array().unwrap();
                assert!(steps.len() >= 2, "{leg}");
                assert_eq!(steps[0]["maneuver"]["type"], "depart");
                assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
                let d: f64 = steps.iter().map(|s| s["distance"].as_f64().unwrap()).sum();
                assert!(
                    (d - leg["distance"].as_f64().unwrap()).abs() < 1.0,
                    "{d} {leg}"
                );
                assert!(!leg["summary"].as_str().unwrap().is_empty());
            }
            let w = v["waypoints"].as_array().unwrap();
            assert_eq!(w.len(), 3);
            assert!(w[0]["hint"].is_string());
            // Without steps the legs carry none, as OSRM's default.
            let plain = service::route(helsinki(), &[A, B], &RouteOptions::default()).unwrap();
            let plain = serde_json::to_value(&plain).unwrap();
            assert_eq!(
                plain["routes"][0]["legs"][0]["steps"],
                serde_json::json!([])
            );
            assert!(plain["routes"][0]["geometry"].is_string());
        }

        /// OSRM's guidance on real streets: every step is one of OSRM's manoeuvres, every
        /// intersection lists its roads with entry flags and in/out indices, and steps join
        /// up and add up to the leg.
        #[test]
        fn guidance_steps_on_helsinki() {
            const KINDS: [&str; 14] = [
                "depart",
                "arrive",
                "turn",
                "new name",
                "continue",
                "merge",
                "on ramp",
                "off ramp",
                "fork",
                "end of road",
                "notification",
                "roundabout",
                "rotary",
                "exit roundabout",
            ];
            let g = helsinki();
            let o = RouteOptions {
                steps: true,
                geometries: Geometries::GeoJson,
                ..RouteOptions::default()
            };
            let (mut turns, mut with_choice) = (0, 0);
            for (from, to) in [(A, B), (B, C), (C, A), ([24.9384, 60.1699], B)] {
                let r = service::route(g, &[from, to], &o).unwrap();
                let v = serde_json::to_value(&r).unwrap();
                let leg = &v["routes"][0]["legs"][0];
                let steps = leg["steps"].as_array().unwrap();
                let mut end: Option<serde_json::Value> = None;
                for s in steps {
                    let kind = s["maneuver"]["type"].as_str().unwrap();
                    assert!(
                        KINDS.contains(&kind) || kind == "exit rotary" || kind == "roundabout turn",
                        "{kind}"
                    );
                    if !matches!(kind, "depart" | "arrive") {
                        turns += 1;
                        assert!(s["maneuver"]["modifier"].is_string(), "{s}");
                    }
                    for i in s["intersections"].as_array().unwrap() {
                        let n = i["bearings"].as_array().unwrap().len();
                        assert_eq!(i["entry"].as_array().unwrap().len(), n, "{i}");
                        for k in ["in", "out"] {
                            assert!(i.get(k).is_none_or(|x| (x.as_u64().unwrap() as usize) < n));
                        }
                        if n > 2 {
                            with_choice += 1;
                        }
                    }
                    let coords = s["geometry"]["coordinates"].as_array().unwrap();
                    if let Some(e) = &end {
                        assert_eq!(&coords[0], e, "steps join up");
                    }
                    end = coords.last().cloned();
                }
                let d: f64 = steps.iter().map(|s| s["distance"].as_f64().unwrap()).sum();
                assert!((d - leg["distance"].as_f64().unwrap()).abs() < 1.0);
            }
            assert!(turns > 0 && with_choice > 0, "{turns} turns, {with_choice}");
        }

        #[test]
        fn annotation_and_nearest_nodes_are_osm_ids() {
            let g = helsinki();
            assert!(g.has_osm_ids());
            let o = RouteOptions {
                annotations: crate::params::RouteAnnotations {
                    nodes: true,
                    distance: true,
                    ..Default::default()
                },
                ..RouteOptions::default()
            };
            let r = service::route(g, &[A, C, B], &o).unwrap();
            let v = serde_json::to_value(&r).unwrap();
            // Consecutive OSM nodes of every edge shape, as OSRM's node list walks them.
            let mut steps = std::collections::HashSet::new();
            for e in g.edges() {
                for w in g.edge_osm_nodes(e.id).unwrap().windows(2) {
                    steps.insert((w[0], w[1]));
                }
            }
            for leg in v["routes"][0]["legs"].as_array().unwrap() {
                let nodes: Vec<u64> = leg["annotation"]["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_u64().unwrap())
                    .collect();
                let dist = leg["annotation"]["distance"].as_array().unwrap();
                assert!(nodes.len() >= 2 && nodes.len() <= dist.len() + 1, "{leg}");
                for w in nodes.windows(2) {
                    assert!(
                        steps.contains(&(w[0], w[1])),
                        "{} -> {} is no road step",
                        w[0],
                        w[1]
                    );
                }
            }
            let n = NearestOptions {
                common: CommonOptions::default(),
                number: 2,
            };
            let near = service::nearest(g, A, &n).unwrap();
            let s = g
                .snap(kerb_core::Point::new(A[0], A[1]), &Default::default())
                .unwrap();
            let e = g.edge(s.edge);
            let want = [g.osm_node_id(e.from).unwrap(), g.osm_node_id(e.to).unwrap()];
            let got = near.waypoints[0].nodes.unwrap();
            assert!(
                got == want || got == [want[1], want[0]],
                "{got:?} vs {want:?}"
            );
        }

        #[test]
        fn table_and_nearest_on_helsinki() {
            let o = TableOptions {
                sources: Some(vec![0]),
                distances: true,
                ..TableOptions::default()
            };
            let t = service::table(helsinki(), &[A, B, C], &o).unwrap();
            let v = serde_json::to_value(&t).unwrap();
            let durations = v["durations"].as_array().unwrap();
            assert_eq!(durations.len(), 1);
            assert_eq!(durations[0].as_array().unwrap().len(), 3);
            assert_eq!(v["durations"][0][0], 0.0);
            assert!(v["distances"][0][1].as_f64().unwrap() > 500.0);
            assert_eq!(v["sources"].as_array().unwrap().len(), 1);
            assert!(v.get("fallback_speed_cells").is_none());
            // #20: a scale factor that overflows is an invalid value, not `null` ("no route").
            let huge = TableOptions {
                scale_factor: 1e308,
                ..TableOptions::default()
            };
            let e = service::table(helsinki(), &[A, B], &huge).unwrap_err();
            assert_eq!(e.kind, crate::ErrorKind::InvalidValue);
            let n = NearestOptions {
                common: CommonOptions::default(),
                number: 3,
            };
            let near = service::nearest(helsinki(), A, &n).unwrap();
            assert_eq!(near.waypoints.len(), 3);
            assert!(near
                .waypoints
                .windows(2)
                .all(|w| w[0].distance <= w[1].distance));
            assert!(near.waypoints.iter().all(|w| w.nodes.is_some()));
        }

        #[test]
        fn isochrone_collection_on_helsinki() {
            let o = crate::params::IsochroneOptions {
                common: CommonOptions::default(),
                contours_s: vec![120.0, 300.0],
            };
            let v = service::isochrone(helsinki(), A, &o).unwrap();
            assert_eq!(v["type"], "FeatureCollection");
            let f = v["features"].as_array().unwrap();
            assert_eq!(f.len(), 2);
            assert_eq!(f[0]["properties"]["limit_s"], 300.0);
            assert_eq!(f[0]["properties"]["contour_minutes"], 5.0);
            assert_eq!(f[0]["geometry"]["type"], "Polygon");
            assert!(v["waypoint"]["distance"].as_f64().unwrap() < 100.0);
        }
    }
}
