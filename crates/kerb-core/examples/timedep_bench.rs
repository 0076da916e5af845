//! One-run measurement of time-conditional access (BENCHMARKS.md, "Time-conditional
//! access"): import time and graph file size with the `*:conditional` rules kept against the
//! importer ignoring them (`GraphBuilder::keep_conditional(false)`), then route and matrix
//! times on the kept graph without a departure time (the CH) and with one (the filtered
//! Dijkstra on the timed turn graph), and the same Dijkstra with only `exclude=` for scale.
//!
//! `cargo run --release -p kerb-core --example timedep_bench -- [PBF]` (default: the shared
//! Heidelberg extract), 26 t truck profile.

use std::time::Instant;

use kerb_core::{Exclude, Graph, Point, Profile, SearchFilter, SnapOptions, ViaRule, Waypoint};

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.expect("n > 0"))
}

fn main() {
    let pbf = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .or_else(|| kerb_testdata::shared_osm("ors_heidelberg.osm.pbf"))
        .expect("a PBF extract (argument or the shared Heidelberg extract)");
    let truck = Profile::truck();
    let dir = kerb_testdata::temp_dir("timedep_bench");
    let mut kept_graph = None;
    for keep in [false, true] {
        let (s, g) = best_of(3, || {
            Graph::builder(&truck)
                .keep_conditional(keep)
                .build_from_pbf(&pbf)
                .expect("import")
        });
        let path = dir.join(format!("keep-{keep}.kerb"));
        g.save(&path).expect("save");
        let bytes = std::fs::metadata(&path).expect("file").len();
        println!(
            "import keep_conditional={keep}: {s:.3} s (best of 3), {} edges, {} with a rule, file {bytes} bytes",
            g.num_edges(),
            g.num_conditional_edges()
        );
        if keep {
            kept_graph = Some(g);
        }
    }
    let mut g = kept_graph.expect("kept graph");
    let t = Instant::now();
    g.contract().expect("contract");
    println!("CH contraction {:.2} s", t.elapsed().as_secs_f64());
    let (w, s, e, n) = (8.64, 49.38, 8.72, 49.42);
    let o = SnapOptions::default();
    let pts: Vec<Waypoint> = kerb_testdata::random_points((w, s, e, n), 200, 7)
        .into_iter()
        .filter_map(|(x, y)| g.snap(Point::new(x, y), &o).ok().map(Waypoint::new))
        .collect();
    let pairs: Vec<[Waypoint; 2]> = pts
        .chunks_exact(2)
        .map(|p| [p[0].clone(), p[1].clone()])
        .collect();
    let nine = SearchFilter::default().departing_at("2026-12-07T09:00".parse().expect("time"));
    let exclude = SearchFilter::default().excluding(&[Exclude::Motorway]);
    for (name, filter) in [
        ("no departure time (CH)", SearchFilter::default()),
        ("depart_at Mo 09:00", nine.clone()),
        ("exclude=motorway only", exclude),
    ] {
        let (secs, found) = best_of(3, || {
            pairs
                .iter()
                .filter(|p| g.route_filtered(&p[..], ViaRule::Profile, &filter).is_ok())
                .count()
        });
        println!(
            "routes, {name}: {} pairs, {found} found, {:.3} ms per route",
            pairs.len(),
            secs * 1e3 / pairs.len() as f64
        );
    }
    let m = &pts[..pts.len().min(100)];
    for (name, filter) in [
        ("no departure time (CH)", SearchFilter::default()),
        ("depart_at Mo 09:00", nine),
    ] {
        let (secs, matrix) = best_of(3, || g.matrix_filtered(m, m, &filter).expect("matrix"));
        let reachable = matrix.durations_s.iter().filter(|d| d.is_finite()).count();
        println!(
            "matrix {}x{}, {name}: {:.1} ms ({reachable} cells reachable)",
            m.len(),
            m.len(),
            secs * 1e3
        );
    }
}
