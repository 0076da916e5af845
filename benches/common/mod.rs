//! Shared by the criterion benches: graphs imported from the extracts kerb_testdata finds,
//! and random query waypoints on a graph's roads.
#![allow(dead_code)]

use std::path::Path;

use kerb::{Graph, Point, Profile, SnapOptions, Waypoint};

/// The graph of the extract at `pbf` for `profile`; panics naming the file when it does not
/// import (a bench has nothing to measure then).
pub fn import(pbf: &Path, profile: &Profile) -> Graph {
    Graph::from_pbf(pbf, profile)
        .unwrap_or_else(|e| panic!("{} does not import: {e}", pbf.display()))
}

/// As [`import`], with the contraction hierarchy built.
pub fn contracted(pbf: &Path, profile: &Profile) -> Graph {
    let mut g = import(pbf, profile);
    g.contract().expect("contracts");
    g
}

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
