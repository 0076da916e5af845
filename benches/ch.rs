//! Contraction hierarchy benches on the default Helsinki extract (car profile): turn-aware
//! contraction, and point-to-point routes (snapping excluded) with the hierarchy and with the
//! turn-aware Dijkstra it replaces.
//!
//! `cargo bench --bench ch`

use criterion::{criterion_group, criterion_main, Criterion};
use kerb::{Algorithm, Graph, Point, Profile, SnapOptions, Waypoint};
use rand::{Rng, SeedableRng};

fn helsinki() -> Graph {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/helsinki.osm.pbf");
    Graph::from_pbf(path, &Profile::car()).expect("data/helsinki.osm.pbf imports")
}

/// Random waypoints on the graph's roads.
pub fn waypoints(g: &Graph, n: usize, seed: u64) -> Vec<Waypoint> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let b = g.bbox();
    let opts = SnapOptions {
        radius_m: f64::INFINITY,
        ..SnapOptions::default()
    };
    (0..n)
        .map(|_| {
            let p = Point::new(
                rng.gen_range(b.min().x..b.max().x),
                rng.gen_range(b.min().y..b.max().y),
            );
            Waypoint::new(g.snap(p, &opts).expect("snaps"))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = helsinki();
    let mut group = c.benchmark_group("ch");
    group.sample_size(10);
    group.bench_function("contract helsinki car", |b| {
        b.iter(|| {
            let mut h = helsinki();
            h.contract().expect("contracts");
            h
        })
    });
    g.contract().expect("contracts");
    let wps = waypoints(&g, 2000, 1);
    let mut i = 0;
    group.bench_function("p2p route (CH)", |b| {
        b.iter(|| {
            i = (i + 2) % wps.len();
            g.route_with(&wps[i..i + 2], Algorithm::Ch).ok()
        })
    });
    group.bench_function("p2p route (turn-aware Dijkstra)", |b| {
        b.iter(|| {
            i = (i + 2) % wps.len();
            g.route_with(&wps[i..i + 2], Algorithm::Dijkstra).ok()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
