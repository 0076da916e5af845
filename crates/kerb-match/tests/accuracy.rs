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
