//! Edge passes of a matched trace on the Helsinki extract: they cover the matched route, in
//! order, with entry and exit times inside the trace's time span.

use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
use kerb_match::{edge_passes, generate_trace, match_trace, MatchOptions, TraceOptions};

#[test]
fn passes_cover_the_matched_route_with_times() {
    let g = Graph::from_pbf(kerb_testdata::helsinki_pbf(), &Profile::truck()).unwrap();
    let w = |x, y| Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default()).unwrap());
    let route = g
        .route(&[w(24.9384, 60.1699), w(24.9500, 60.1750)])
        .unwrap();
    let opts = TraceOptions {
        interval_s: 5.0,
        start_s: 1000.0,
        ..TraceOptions::default()
    };
    let trace = generate_trace(&g, &route, &[], &opts).unwrap().trace;
    let matched = match_trace(&g, &trace, &MatchOptions::default()).unwrap();
    let passes = edge_passes(&matched);
    assert!(!passes.is_empty());
    let total: f64 = passes.iter().map(|p| p.distance_m).sum();
    let matched_m: f64 = matched.matchings.iter().map(|m| m.distance_m).sum();
    assert!((total - matched_m).abs() < 1.0, "{total} vs {matched_m}");
    let end = trace.points().last().unwrap().time_s.unwrap();
    let mut last = 1000.0;
    for p in &passes {
        let (a, b) = (p.enter_s.unwrap(), p.exit_s.unwrap());
        assert!(a >= last - 1e-6 && b >= a && b <= end + 1e-6, "{p:?}");
        assert!(p.from_fraction <= p.to_fraction);
        last = b;
    }
    // Joined pieces: no two consecutive passes on one edge continue each other.
    for w in passes.windows(2) {
        assert!(!(w[0].edge == w[1].edge && w[0].to_fraction == w[1].from_fraction));
    }
}
