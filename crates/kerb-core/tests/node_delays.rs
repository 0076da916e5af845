//! Traffic signals, stop and give-way signs on the Helsinki extract: their delays reach the
//! edges that pass or enter them, and nothing else changes.

use kerb_core::{Graph, NodeDelays, Profile};
use kerb_testdata::helsinki_pbf;

#[test]
fn signal_delays_reach_the_edges_through_them() {
    let with = Graph::from_pbf(helsinki_pbf(), &Profile::car()).unwrap();
    let mut p = Profile::car();
    p.turn_costs.node_delays = NodeDelays::default();
    let without = Graph::from_pbf(helsinki_pbf(), &p).unwrap();
    assert_eq!(with.num_edges(), without.num_edges());
    assert_eq!(with.heads(), without.heads());
    assert_eq!(with.distances_m(), without.distances_m());
    let mut delayed = 0;
    for (a, b) in with.durations_s().iter().zip(without.durations_s()) {
        let extra = (a - b) as f64;
        // Whole multiples of the 1 s / 2 s delays (f32 rounding aside), never negative.
        assert!(
            extra > -1e-3 && (extra - extra.round()).abs() < 1e-3,
            "{extra}"
        );
        if extra >= 1.0 {
            delayed += 1;
        }
    }
    // Central Helsinki is full of signals: hundreds of directed edges enter one.
    assert!(delayed > 100, "only {delayed} edges delayed");
    // A car route across the centre takes longer with the delays.
    let pts = [(24.9384, 60.1699), (24.9500, 60.1750)];
    let dur = |g: &Graph| {
        let w: Vec<_> = pts
            .iter()
            .map(|&(x, y)| {
                kerb_core::Waypoint::new(
                    g.snap(kerb_core::Point::new(x, y), &Default::default())
                        .unwrap(),
                )
            })
            .collect();
        g.route(&w).unwrap().duration_s
    };
    assert!(dur(&with) > dur(&without));
}
