//! Shared by the criterion benches: random query waypoints on a graph's roads.
#![allow(dead_code)]

use kerb::{Graph, Point, SnapOptions, Waypoint};

/// `n` reproducible random waypoints: points drawn in the graph's bounding box, snapped to the
/// nearest road however far it is.
pub fn waypoints(g: &Graph, n: usize, seed: u64) -> Vec<Waypoint> {
    let b = g.bbox();
    let opts = SnapOptions::default().with_radius_m(f64::INFINITY);
    kerb_testdata::random_points((b.min().x, b.min().y, b.max().x, b.max().y), n, seed)
        .into_iter()
        .map(|(x, y)| Waypoint::new(g.snap(Point::new(x, y), &opts).expect("snaps")))
        .collect()
}
