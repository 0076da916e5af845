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
