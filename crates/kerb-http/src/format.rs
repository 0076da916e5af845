//! Turns kerb-core results into OSRM JSON: waypoints with hints, route geometry in the requested
//! encoding, legs with steps (manoeuvres from the bearing change where the road name changes)
//! and per-segment annotations.

use crate::osrm::{
    round1, round_coord, Annotation, AnnotationMetadata, Intersection, Route, RouteLeg, RouteStep,
    StepManeuver, Waypoint,
};
use crate::params::{Geometries, Overview, RouteAnnotations, RouteOptions};
use geo::Simplify;
use kerb_core::{haversine_m, DrivingSide, Graph, LineString, Point, Snap};
use serde_json::Value;

/// Encodes a list of points in the requested geometry format.
pub fn encode_geometry(points: &[Point<f64>], g: Geometries) -> Value {
    match g {
        Geometries::Polyline => Value::String(kerb_core::encode_polyline(points, 5)),
        Geometries::Polyline6 => Value::String(kerb_core::encode_polyline(points, 6)),
        Geometries::GeoJson => serde_json::json!({
            "type": "LineString",
            "coordinates": points.iter().map(|p| round_coord([p.x(), p.y()])).collect::<Vec<_>>(),
        }),
    }
}

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

/// Initial bearing from `a` to `b` in degrees clockwise from north, 0..360.
pub fn bearing(a: Point<f64>, b: Point<f64>) -> f64 {
    let (la1, la2) = (a.y().to_radians(), b.y().to_radians());
    let dl = (b.x() - a.x()).to_radians();
    let y = dl.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

fn push_dedup(pts: &mut Vec<Point<f64>>, p: Point<f64>) {
    if pts.last() != Some(&p) {
        pts.push(p);
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
    points: Vec<Point<f64>>,
    distance_m: f64,
    duration_s: f64,
    name: String,
    from_node: u64,
    to_node: u64,
}

fn pieces(g: &Graph, leg: &kerb_core::RouteLeg) -> Vec<Piece> {
    leg.segments
        .iter()
        .map(|s| {
            let e = g.edge(s.edge);
            Piece {
                points: g.partial_points(s.edge, s.from_fraction, s.to_fraction),
                distance_m: s.distance_m,
                duration_s: s.duration_s,
                name: e.name.to_string(),
                from_node: e.from.0 as u64,
                to_node: e.to.0 as u64,
            }
        })
        .collect()
}

fn modifier(turn: f64) -> &'static str {
    // `turn`: change of heading in degrees, -180..180, positive = clockwise (right).
    let a = turn.abs();
    let side_right = turn > 0.0;
    match a {
        a if a < 15.0 => "straight",
        a if a < 60.0 => {
            if side_right {
                "slight right"
            } else {
                "slight left"
            }
        }
        a if a < 135.0 => {
            if side_right {
                "right"
            } else {
                "left"
            }
        }
        a if a < 170.0 => {
            if side_right {
                "sharp right"
            } else {
                "sharp left"
            }
        }
        _ => "uturn",
    }
}

fn first_bearing(pts: &[Point<f64>]) -> f64 {
    pts.windows(2)
        .find(|w| w[0] != w[1])
        .map_or(0.0, |w| bearing(w[0], w[1]))
}

fn last_bearing(pts: &[Point<f64>]) -> f64 {
    pts.windows(2)
        .rev()
        .find(|w| w[0] != w[1])
        .map_or(0.0, |w| bearing(w[0], w[1]))
}

fn intersection(
    location: Point<f64>,
    in_bearing: Option<f64>,
    out_bearing: Option<f64>,
) -> Intersection {
    let mut roads: Vec<(u16, bool, bool)> = Vec::new(); // (bearing, is_in, is_out)
    if let Some(b) = in_bearing {
        roads.push((((b + 180.0) % 360.0).round() as u16 % 360, true, false));
    }
    if let Some(b) = out_bearing {
        roads.push((b.round() as u16 % 360, false, true));
    }
    roads.sort_by_key(|r| r.0);
    Intersection {
        location: round_coord([location.x(), location.y()]),
        bearings: roads.iter().map(|r| r.0).collect(),
        entry: roads.iter().map(|r| r.2 || in_bearing.is_none()).collect(),
        in_: roads.iter().position(|r| r.1),
        out: roads.iter().position(|r| r.2),
    }
}

fn steps(g: &Graph, pieces: &[Piece], geometries: Geometries) -> Vec<RouteStep> {
    let driving_side = match g.profile().turn_costs.driving_side {
        DrivingSide::Left => "left",
        _ => "right",
    };
    // Group consecutive pieces by road name: a step is a stretch on one named road.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        match groups.last_mut() {
            Some((_, end)) if pieces[*end - 1].name == p.name => *end = i + 1,
            _ => groups.push((i, i + 1)),
        }
    }
    let mut out = Vec::with_capacity(groups.len() + 1);
    let mut prev_bearing: Option<f64> = None;
    let mut last_point = pieces.first().and_then(|p| p.points.first().copied());
    for (gi, &(a, b)) in groups.iter().enumerate() {
        let mut pts = Vec::new();
        for p in &pieces[a..b] {
            for &q in &p.points {
                push_dedup(&mut pts, q);
            }
        }
        if pts.len() == 1 {
            pts.push(pts[0]);
        }
        let distance: f64 = pieces[a..b].iter().map(|p| p.distance_m).sum();
        let duration: f64 = pieces[a..b].iter().map(|p| p.duration_s).sum();
        let after = first_bearing(&pts);
        let (kind, modifier) = match prev_bearing {
            None => ("depart".to_string(), None),
            Some(before) => {
                let turn = (after - before + 540.0) % 360.0 - 180.0;
                let m = modifier(turn);
                let kind = if m == "straight" { "new name" } else { "turn" };
                (kind.to_string(), Some(m.to_string()))
            }
        };
        let location = pts[0];
        let mut intersections = vec![intersection(location, prev_bearing, Some(after))];
        // Every further graph node on the step is an intersection passed straight through.
        for w in pieces[a..b].windows(2) {
            let (Some(at), true) = (
                w[1].points.first().copied(),
                w[0].points.len() > 1 && w[1].points.len() > 1,
            ) else {
                continue;
            };
            intersections.push(intersection(
                at,
                Some(last_bearing(&w[0].points)),
                Some(first_bearing(&w[1].points)),
            ));
        }
        out.push(RouteStep {
            geometry: encode_geometry(&pts, geometries),
            maneuver: StepManeuver {
                location: round_coord([location.x(), location.y()]),
                bearing_before: prev_bearing.map_or(0, |b| b.round() as u16 % 360),
                bearing_after: after.round() as u16 % 360,
                kind,
                modifier,
            },
            mode: "driving".into(),
            driving_side: driving_side.into(),
            name: pieces[a].name.clone(),
            intersections,
            weight: round1(duration),
            duration: round1(duration),
            distance: round1(distance),
        });
        prev_bearing = Some(last_bearing(&pts));
        last_point = pts.last().copied();
        let _ = gi;
    }
    if let Some(end) = last_point {
        let before = prev_bearing.unwrap_or(0.0);
        out.push(RouteStep {
            geometry: encode_geometry(&[end, end], geometries),
            maneuver: StepManeuver {
                location: round_coord([end.x(), end.y()]),
                bearing_before: before.round() as u16 % 360,
                bearing_after: 0,
                kind: "arrive".into(),
                modifier: None,
            },
            mode: "driving".into(),
            driving_side: driving_side.into(),
            name: pieces.last().map(|p| p.name.clone()).unwrap_or_default(),
            intersections: vec![intersection(end, prev_bearing, None)],
            weight: 0.0,
            duration: 0.0,
            distance: 0.0,
        });
    }
    out
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
        if nodes.last() != Some(&p.from_node) {
            nodes.push(p.from_node);
        }
        nodes.push(p.to_node);
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
            }
        })
        .collect();
    let pts: Vec<Point<f64>> = r.geometry.points().collect();
    let geometry = match o.overview {
        Overview::False => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearings_and_modifiers() {
        let o = Point::new(24.0, 60.0);
        assert!((bearing(o, Point::new(24.0, 60.1)) - 0.0).abs() < 1e-6);
        assert!((bearing(o, Point::new(24.1, 60.0)) - 90.0).abs() < 0.1);
        assert!((bearing(o, Point::new(24.0, 59.9)) - 180.0).abs() < 1e-6);
        assert_eq!(modifier(0.0), "straight");
        assert_eq!(modifier(90.0), "right");
        assert_eq!(modifier(-90.0), "left");
        assert_eq!(modifier(30.0), "slight right");
        assert_eq!(modifier(-150.0), "sharp left");
        assert_eq!(modifier(179.0), "uturn");
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(b"fooba"), "Zm9vYmE");
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn intersection_indices() {
        let i = intersection(Point::new(0.0, 0.0), Some(0.0), Some(90.0));
        assert_eq!(i.bearings, vec![90, 180]);
        assert_eq!((i.in_, i.out), (Some(1), Some(0)));
        let d = intersection(Point::new(0.0, 0.0), None, Some(45.0));
        assert_eq!(
            (d.bearings, d.entry, d.in_, d.out),
            (vec![45], vec![true], None, Some(0))
        );
    }
}
