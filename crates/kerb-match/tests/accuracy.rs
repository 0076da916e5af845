//! Matching accuracy on traces generated from routes on the Helsinki extract: the share of
//! route length matched to the right directed edge, and a rough dev-build throughput.

use std::sync::OnceLock;
use std::time::Instant;

use kerb_core::{Graph, Point, Profile, Route, SnapOptions, Waypoint};
use kerb_match::{edge_share, generate_trace, match_trace, MatchOptions, TraceOptions};

fn graph() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        Graph::builder(&Profile::truck())
            .contract(true)
            .build_from_pbf(kerb_testdata::helsinki_pbf())
            .expect("Helsinki imports")
    })
}

/// Reproducible routes between random points of the extract, each a few kilometres.
fn routes(n: usize, seed: u64) -> Vec<Route> {
    let g = graph();
    let b = g.bbox();
    let bbox = (b.min().x, b.min().y, b.max().x, b.max().y);
    let pts = kerb_testdata::random_points(bbox, 20 * n, seed);
    let opts = SnapOptions::default().with_radius_m(200.0);
    let mut out = Vec::new();
    for pair in pts.chunks(2) {
        let snap = |(x, y): (f64, f64)| g.snap(Point::new(x, y), &opts).map(Waypoint::new);
        let (Ok(a), Ok(b)) = (snap(pair[0]), snap(pair[1])) else {
            continue;
        };
        if let Ok(r) = g.route(&[a, b]) {
            if r.distance_m > 1000.0 {
                out.push(r);
            }
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// Length-weighted accuracy over `routes` and the points matched per second.
fn accuracy(routes: &[Route], noise_m: f64, interval_s: f64) -> (f64, f64) {
    let (mut right, mut total, mut points, mut secs) = (0.0, 0.0, 0usize, 0.0);
    for (i, r) in routes.iter().enumerate() {
        let opts = TraceOptions {
            interval_s,
            noise_m,
            seed: i as u64 + 7,
            ..TraceOptions::default()
        };
        let generated = generate_trace(graph(), r, &[], &opts).unwrap();
        let start = Instant::now();
        let matched = match_trace(graph(), &generated.trace, &MatchOptions::default()).unwrap();
        secs += start.elapsed().as_secs_f64();
        points += generated.trace.len();
        right += edge_share(r, &matched) * r.distance_m;
        total += r.distance_m;
    }
    (right / total, points as f64 / secs)
}

#[test]
fn five_metre_noise_one_second_sampling_is_matched_to_the_right_edges() {
    let routes = routes(4, 11);
    assert_eq!(routes.len(), 4);
    let (share, points_per_s) = accuracy(&routes, 5.0, 1.0);
    eprintln!(
        "5 m / 1 s: {:.1} % at {points_per_s:.0} points/s (dev build)",
        share * 100.0
    );
    assert!(share >= 0.95, "only {:.1} % matched", share * 100.0);
}

/// The table in the crate README: `cargo test -p kerb-match --test accuracy -- --ignored --nocapture`.
#[test]
#[ignore]
fn accuracy_table() {
    let routes = routes(6, 23);
    println!("| noise \\ sampling | 1 s | 5 s | 15 s | 30 s |");
    println!("|---|---|---|---|---|");
    for noise in [5.0, 15.0, 30.0] {
        let mut row = format!("| {noise} m |");
        for interval in [1.0, 5.0, 15.0, 30.0] {
            let (share, pps) = accuracy(&routes, noise, interval);
            row += &format!(" {:.1} % ({pps:.0} pt/s) |", share * 100.0);
        }
        println!("{row}");
    }
}

#[test]
fn a_long_time_gap_splits_the_trace_into_two_matchings() {
    let route = &routes(1, 5)[0];
    let opts = TraceOptions {
        interval_s: 2.0,
        ..TraceOptions::default()
    };
    let generated = generate_trace(graph(), route, &[], &opts).unwrap();
    let half = generated.trace.len() / 2;
    // The truck is parked (no fixes) for an hour half-way.
    let points: Vec<_> = generated
        .trace
        .points()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut p = *p;
            if i >= half {
                p.time_s = p.time_s.map(|t| t + 3600.0);
            }
            p
        })
        .collect();
    let trace = kerb_match::Trace::new(points).unwrap();
    let matched = match_trace(graph(), &trace, &MatchOptions::default()).unwrap();
    assert_eq!(matched.matchings.len(), 2);
    // Fixes close to their predecessor stay unmatched: compare the last matched one before
    // the gap with the first after it.
    let first = matched.tracepoints[..half].iter().flatten().last().unwrap();
    let second = matched.tracepoints[half..].iter().flatten().next().unwrap();
    assert_eq!((first.matching, second.matching), (0, 1));
    assert_eq!(second.waypoint_index, 0);
}

#[test]
fn a_fix_far_from_any_road_is_left_unmatched() {
    let route = &routes(1, 9)[0];
    let generated = generate_trace(graph(), route, &[], &TraceOptions::default()).unwrap();
    let mut points = generated.trace.points().to_vec();
    let k = points.len() / 3;
    // 0.2 degrees of latitude north: over 20 km off, far outside the extract and the radius.
    points[k].point = Point::new(points[k].point.x(), points[k].point.y() + 0.2);
    let trace = kerb_match::Trace::new(points).unwrap();
    let matched = match_trace(graph(), &trace, &MatchOptions::default()).unwrap();
    assert!(matched.tracepoints[k].is_none());
    assert_eq!(matched.matchings.len(), 1);
    assert!(edge_share(route, &matched) >= 0.95);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]

    /// Whatever the noise seed, every matched fix lies on an edge its matching drives and the
    /// legs join the fixes. (The share of right edges is checked in aggregate above; per route
    /// and seed it could collapse, see `known_loop_seed_492`.)
    #[test]
    fn matched_fixes_lie_on_the_matched_route(seed in 0u64..1000, route_index in 0usize..4) {
        let routes = routes(4, 11);
        let route = &routes[route_index];
        let opts = TraceOptions { seed, ..TraceOptions::default() };
        let generated = generate_trace(graph(), route, &[], &opts).unwrap();
        let matched = match_trace(graph(), &generated.trace, &MatchOptions::default()).unwrap();
        proptest::prop_assert!(!matched.matchings.is_empty());
        for m in &matched.matchings {
            proptest::prop_assert_eq!(m.legs.len() + 1, m.trace_indices.len());
        }
        for t in matched.tracepoints.iter().flatten() {
            let m = &matched.matchings[t.matching];
            let on_route = m.legs.iter().flat_map(|l| &l.segments).any(|s| s.edge == t.snap.edge);
            proptest::prop_assert!(on_route || m.legs.iter().all(|l| l.segments.is_empty()));
        }
    }
}

/// A former failure of the matcher, kept as a regression test: on this route and seed
/// (5 m / 1 s) along-track noise puts a fix 15+ m behind the previous one on a one-way edge
/// (fixes 155 -> 156), which the matcher used to explain by a 1 km loop (73 % of the true
/// length on the right edges, 4.1 km matched for 1.2 km driven). Now the vehicle holds its
/// place for a fix behind it on the same edge.
#[test]
fn known_loop_seed_492() {
    let route = &routes(4, 11)[1];
    let opts = TraceOptions {
        seed: 492,
        ..TraceOptions::default()
    };
    let generated = generate_trace(graph(), route, &[], &opts).unwrap();
    let matched = match_trace(graph(), &generated.trace, &MatchOptions::default()).unwrap();
    let share = edge_share(route, &matched);
    assert!(share >= 0.95, "share {share}");
}
