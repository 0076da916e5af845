//! Many-to-many matrix benches (car profile, snapping excluded): 100 x 100 on the default
//! Helsinki extract, and 1000 x 1000 on Porto from the shared extracts when present.
//!
//! `cargo bench --bench matrix`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use kerb::{Graph, Point, Profile, SnapOptions, Waypoint};
use rand::{Rng, SeedableRng};

fn waypoints(g: &Graph, n: usize, seed: u64) -> Vec<Waypoint> {
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

fn contracted(path: &PathBuf) -> Graph {
    let mut g = Graph::from_pbf(path, &Profile::car()).expect("imports");
    g.contract().expect("contracts");
    g
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("matrix");
    group.sample_size(10);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let g = contracted(&root.join("data/helsinki.osm.pbf"));
    let w = waypoints(&g, 100, 1);
    group.bench_function("helsinki 100x100", |b| {
        b.iter(|| g.matrix(&w, &w).expect("matrix"))
    });
    let shared = std::env::var_os("KERB_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data"));
    let porto = shared.join("osm/r5_porto_portugal.osm.pbf");
    if porto.exists() {
        let g = contracted(&porto);
        let w = waypoints(&g, 1000, 2);
        group.bench_function("porto 1000x1000", |b| {
            b.iter(|| g.matrix(&w, &w).expect("matrix"))
        });
    } else {
        eprintln!("skipping porto 1000x1000: {} not found", porto.display());
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
