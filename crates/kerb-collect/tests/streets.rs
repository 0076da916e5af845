//! Street stretches served along their length, on the bundled Helsinki extract: one pass per
//! kerb on two-way roads, one pass on one-way roads and quiet streets, the truck's road
//! geometry runs along every served stretch, and bad streets give reasons.

use std::sync::OnceLock;

use kerb_collect::{plan_collection, sample_day, CollectionDay, StopKind, Street, StreetSides};
use kerb_core::{haversine_m, Graph, Point, Profile, RoadClass, SnapOptions};

fn graph() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        let pbf = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/helsinki.osm.pbf");
        Graph::builder(&Profile::truck())
            .build_from_pbf(pbf)
            .expect("Helsinki imports")
    })
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    TwoWay,
    OneWay,
    Quiet,
}

/// Real stretches: whole edges (junction to junction) of 60-250 m near the centre, `n` of
/// each kind, picked deterministically across the edge list.
fn streets(n: usize) -> Vec<(Street, Kind)> {
    let g = graph();
    let mut out = Vec::new();
    for kind in [Kind::TwoWay, Kind::OneWay, Kind::Quiet] {
        let cands: Vec<_> = g
            .edges()
            .filter(|e| {
                let two_way = e.reverse().is_some();
                let quiet = matches!(e.road_class, RoadClass::Service | RoadClass::LivingStreet);
                let ok_kind = match kind {
                    Kind::TwoWay => two_way && !quiet && e.road_class == RoadClass::Residential,
                    Kind::OneWay => !two_way && !quiet,
                    Kind::Quiet => two_way && quiet,
                };
                // One direction of each two-way road.
                let first = e.reverse().is_none_or(|r| e.id.index() < r.index());
                let pts = g.edge_points(e.id);
                let p = pts[0];
                // Streets on the routable network: the middle snaps back onto the edge
                // (roads a truck can enter but not leave snap elsewhere).
                let mid = Point::new(
                    (pts[0].x() + pts[1].x()) / 2.0,
                    (pts[0].y() + pts[1].y()) / 2.0,
                );
                let on_network = g.snap(mid, &SnapOptions::default()).is_ok_and(|s| {
                    s.distance_m < 0.5 && (s.edge == e.id || Some(s.edge) == e.reverse())
                });
                on_network
                    && ok_kind
                    && first
                    && (60.0..250.0).contains(&e.distance_m)
                    && (24.92..24.97).contains(&p.x())
                    && (60.155..60.185).contains(&p.y())
            })
            .collect();
        assert!(
            cands.len() >= n,
            "{kind:?}: only {} candidates",
            cands.len()
        );
        for k in 0..n {
            let e = &cands[k * cands.len() / n];
            out.push((
                Street {
                    id: format!("{kind:?}-{k}"),
                    coordinates: g.edge_points(e.id).iter().map(|p| [p.x(), p.y()]).collect(),
                    weight_kg: 120.0,
                    volume_l: 0.0,
                    service_s: 60.0,
                    time_windows: vec![],
                    sides: StreetSides::Auto,
                },
                kind,
            ));
        }
    }
    out
}

fn day(streets: &[(Street, Kind)]) -> CollectionDay {
    let mut day = sample_day(graph(), 10, 2, 7);
    day.streets = streets.iter().map(|(s, _)| s.clone()).collect();
    day.options.iterations = Some(100);
    day.options.time_limit_s = 60.0;
    day
}

/// Distance from `p` to the nearest segment of `line`, metres (planar near `p`).
fn distance_to(line: &[[f64; 2]], p: [f64; 2]) -> f64 {
    let k = p[1].to_radians().cos();
    let mut best = f64::MAX;
    for w in line.windows(2) {
        let (ax, ay) = ((w[0][0] - p[0]) * k, w[0][1] - p[1]);
        let (bx, by) = ((w[1][0] - p[0]) * k, w[1][1] - p[1]);
        let (dx, dy) = (bx - ax, by - ay);
        let l2 = dx * dx + dy * dy;
        let t = if l2 > 0.0 {
            (-(ax * dx + ay * dy) / l2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (cx, cy) = (ax + t * dx, ay + t * dy);
        best = best.min((cx * cx + cy * cy).sqrt() * 111_319.49);
    }
    best
}

#[test]
fn streets_are_served_along_their_length_once_per_kerb() {
    let s = streets(4);
    let day = day(&s);
    let p = plan_collection(graph(), &day).expect("the day plans");
    assert!(p.unassigned.is_empty(), "{:?}", p.unassigned);
    let expected: usize = s
        .iter()
        .map(|(_, k)| if *k == Kind::TwoWay { 2 } else { 1 })
        .sum();
    assert_eq!(p.totals.street_passes, expected);
    let bins_kg: f64 = day.bins.iter().map(|b| b.weight_kg).sum();
    let streets_kg: f64 = day.streets.iter().map(|s| s.weight_kg).sum();
    assert!((p.totals.collected[0] - bins_kg - streets_kg).abs() < 1e-6);

    for (street, kind) in &s {
        let passes: Vec<_> = p
            .routes
            .iter()
            .flat_map(|r| r.stops.iter().map(move |st| (r, st)))
            .filter(|(_, st)| st.kind == StopKind::Street && st.id == street.id)
            .collect();
        let mut dirs: Vec<&str> = passes
            .iter()
            .map(|(_, st)| st.direction.unwrap().as_str())
            .collect();
        dirs.sort();
        match kind {
            Kind::TwoWay => assert_eq!(dirs, ["backward", "forward"], "{}", street.id),
            _ => assert_eq!(dirs.len(), 1, "{}: {dirs:?}", street.id),
        }
        let len: f64 = street
            .coordinates
            .windows(2)
            .map(|w| haversine_m(Point::new(w[0][0], w[0][1]), Point::new(w[1][0], w[1][1])))
            .sum();
        for (route, st) in passes {
            // The truck drives the stretch: every point of it lies on the day's road geometry.
            for &c in &street.coordinates {
                let d = distance_to(&route.geometry, c);
                assert!(
                    d < 3.0,
                    "{}: {c:?} is {d:.1} m off {}'s route",
                    street.id,
                    route.truck
                );
            }
            // The pass takes at least the drive along it at 50 km/h plus its collection time.
            let share = if *kind == Kind::TwoWay { 0.5 } else { 1.0 };
            let took = st.departure_s - st.arrival_s;
            assert!(
                took >= (len - 20.0) / 13.9 + 60.0 * share - 1e-6,
                "{}: {took:.0} s for {len:.0} m",
                street.id
            );
        }
    }
}

#[test]
fn sides_option_and_bad_streets() {
    let mut s = streets(1);
    // Both kerbs asked for on a quiet street: two passes; once on a two-way road: one.
    s[2].0.sides = StreetSides::Both;
    s[0].0.sides = StreetSides::Once;
    let mut day = day(&s);
    day.streets.push(Street {
        id: "in-the-sea".into(),
        coordinates: vec![[24.95, 60.10], [24.951, 60.10]],
        weight_kg: 10.0,
        volume_l: 0.0,
        service_s: 0.0,
        time_windows: vec![],
        sides: StreetSides::Auto,
    });
    let p = plan_collection(graph(), &day).expect("the day plans");
    let count = |id: &str| {
        p.routes
            .iter()
            .flat_map(|r| &r.stops)
            .filter(|st| st.kind == StopKind::Street && st.id == id)
            .count()
    };
    assert_eq!(count(&s[0].0.id), 1);
    assert_eq!(count(&s[1].0.id), 1, "one-way");
    assert_eq!(count(&s[2].0.id), 2);
    let sea = p
        .unassigned
        .iter()
        .find(|u| u.id == "in-the-sea")
        .expect("unassigned");
    assert!(sea.reason.contains("no road"), "{}", sea.reason);

    let mut bad = self::day(&s);
    bad.streets[0].coordinates.truncate(1);
    let e = plan_collection(graph(), &bad).unwrap_err();
    assert!(e.to_string().contains("at least two points"), "{e}");
    let mut dup = self::day(&s);
    dup.streets[1].id = dup.streets[0].id.clone();
    assert!(plan_collection(graph(), &dup)
        .unwrap_err()
        .to_string()
        .contains("duplicate"));
}
