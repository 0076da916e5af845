//! Snapping prefers roads in the main strongly connected component of the turn graph: on the
//! Helsinki truck graph a bin beside a road the truck can enter but never leave (no U-turns for
//! trucks) snaps to a road it can serve, so every snapped point is reachable both ways.

use kerb_core::{Error, Graph, Point, Profile, SnapOptions, Waypoint};
use kerb_testdata::{helsinki_pbf, random_points};

fn wp(g: &Graph, x: f64, y: f64) -> Waypoint {
    Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default()).unwrap())
}

#[test]
fn snapped_points_are_reachable_both_ways() {
    let g = Graph::from_pbf(helsinki_pbf(), &Profile::truck()).unwrap();
    let depot = wp(&g, 24.9414, 60.1699);
    // South end of Erottajankatu: the nearest road is a trap for a truck.
    let bin = wp(&g, 24.944236, 60.164278);
    assert!(bin.snap.distance_m < 60.0, "{}", bin.snap.distance_m);
    g.route(&[depot.clone(), bin.clone()]).unwrap();
    g.route(&[bin, depot.clone()]).unwrap();

    let b = g.bbox();
    let mut unreachable = 0;
    for (x, y) in random_points((b.min().x, b.min().y, b.max().x, b.max().y), 300, 9) {
        let Ok(s) = g.snap(Point::new(x, y), &SnapOptions::default()) else {
            continue;
        };
        let w = Waypoint::new(s);
        for pair in [[depot.clone(), w.clone()], [w.clone(), depot.clone()]] {
            match g.route(&pair) {
                Ok(_) => {}
                Err(Error::NoRoute { .. }) => unreachable += 1,
                Err(e) => panic!("{e}"),
            }
        }
    }
    assert_eq!(unreachable, 0);
}

/// The import keeps islands (every component); snapping for plans never lands on one, while
/// OSRM's nearest segment does, and the component of each edge tells them apart.
#[test]
fn islands_are_kept_and_plans_never_snap_to_them() {
    use kerb_core::{EdgeId, SnapComponents};
    let g = Graph::from_pbf(helsinki_pbf(), &Profile::truck()).unwrap();
    let comp = |e: EdgeId| g.component(e).unwrap();
    let islands: Vec<EdgeId> = (0..g.num_edges() as u32)
        .map(EdgeId)
        .filter(|&e| comp(e).tiny && !comp(e).main)
        .collect();
    assert!(!islands.is_empty(), "no island kept");
    assert!(g.component(EdgeId(g.num_edges() as u32)).is_err());
    let mut checked = 0;
    for &e in islands
        .iter()
        .filter(|&&e| g.edge(e).distance_m > 5.0)
        .take(20)
    {
        let mid = *g.partial_points(e, 0.0, 0.5).last().unwrap();
        let any = SnapOptions::default().with_components(SnapComponents::Any);
        let near = g.snap(mid, &any).unwrap();
        assert!(near.distance_m < 0.5, "{}", near.distance_m);
        assert!(comp(near.edge).tiny);
        let plan = SnapOptions::default()
            .with_radius_m(f64::INFINITY)
            .with_components(SnapComponents::MainNetwork);
        let s = g.snap(mid, &plan).unwrap();
        assert!(!comp(s.edge).tiny, "plan snap on an island");
        assert!(s.distance_m >= near.distance_m);
        let big = SnapOptions::default()
            .with_radius_m(f64::INFINITY)
            .with_components(SnapComponents::NotTiny);
        assert!(!comp(g.snap(mid, &big).unwrap().edge).tiny);
        let near_big = g.nearest_with(mid, 3, &big).unwrap();
        assert!(near_big.iter().all(|s| !comp(s.edge).tiny));
        assert!(comp(g.nearest(mid, 1).unwrap()[0].edge).tiny);
        checked += 1;
    }
    assert!(checked > 0);
}

/// `nearest_with` keeps to the radius and the bearing filter, like OSRM's nearest service.
#[test]
fn nearest_with_radius_and_bearing() {
    let g = Graph::from_pbf(helsinki_pbf(), &Profile::car()).unwrap();
    let p = Point::new(24.9414, 60.1699);
    let all = g.nearest(p, 5).unwrap();
    let within = g
        .nearest_with(
            p,
            5,
            &SnapOptions::default().with_radius_m(all[1].distance_m),
        )
        .unwrap();
    assert!(within.len() >= 2 && within.iter().all(|s| s.distance_m <= all[1].distance_m));
    let east = SnapOptions::default()
        .with_radius_m(f64::INFINITY)
        .with_bearing(90.0, 20.0);
    for s in g.nearest_with(p, 3, &east).unwrap() {
        // Direction of travel within a metre of the snapped point.
        let d = 1.0 / g.edge(s.edge).distance_m.max(1.0);
        let pts = g.partial_points(s.edge, (s.fraction - d).max(0.0), (s.fraction + d).min(1.0));
        let b = kerb_core::geo::bearing_deg(pts[0], pts[pts.len() - 1]);
        assert!((b - 90.0).abs() <= 25.0, "bearing {b}");
    }
    let tight = SnapOptions::default().with_radius_m(0.0);
    assert!(g.nearest_with(Point::new(24.95, 60.10), 1, &tight).is_err());
}
