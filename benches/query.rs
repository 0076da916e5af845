//! Query benchmarks on the largest shared extract (Porto, truck profile): snapping, nearest,
//! point-to-point routes (bidirectional Dijkstra) and restriction-aware routes, over a fixed
//! set of random coordinate pairs. Skips with a message when the extract is absent.
//!
//! Run: `cargo bench --bench query`

use criterion::{criterion_group, criterion_main, Criterion};
use kerb::{Point, Profile, SnapOptions, Waypoint};
use rand::{Rng, SeedableRng};

mod common;

fn query(c: &mut Criterion) {
    let Some(pbf) = kerb_testdata::porto_pbf() else {
        return;
    };
    let g = common::import(&pbf, &Profile::truck());
    g.prepare_index();
    let bbox = g.bbox();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let opts = SnapOptions::default().with_radius_m(5000.0);
    let mut points = Vec::new();
    while points.len() < 200 {
        let p = Point::new(
            rng.gen_range(bbox.min().x..bbox.max().x),
            rng.gen_range(bbox.min().y..bbox.max().y),
        );
        if g.snap(p, &opts).is_ok() {
            points.push(p);
        }
    }
    let waypoints: Vec<Waypoint> = points
        .iter()
        .map(|p| Waypoint::new(g.snap(*p, &opts).unwrap()))
        .collect();
    let mut group = c.benchmark_group("query");
    let mut i = 0;
    group.bench_function("porto/snap", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            g.snap(points[i], &opts).unwrap()
        })
    });
    group.bench_function("porto/nearest5", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            g.nearest(points[i], 5).unwrap()
        })
    });
    group.bench_function("porto/route_bidir_dijkstra", |b| {
        b.iter(|| {
            i = (i + 1) % (points.len() - 1);
            g.route(&waypoints[i..i + 2]).unwrap()
        })
    });
    group.sample_size(20);
    group.bench_function("porto/route_with_restrictions", |b| {
        b.iter(|| {
            i = (i + 1) % (points.len() - 1);
            g.route_with_restrictions(&waypoints[i..i + 2])
        })
    });
    group.finish();
}

criterion_group!(benches, query);
criterion_main!(benches);
