//! Contraction hierarchy benches on the default Helsinki extract (car profile): turn-aware
//! contraction, and point-to-point routes (snapping excluded) with the hierarchy and with the
//! turn-aware Dijkstra it replaces.
//!
//! `cargo bench --bench ch`

use criterion::{criterion_group, criterion_main, Criterion};
use kerb::{Algorithm, Graph, Profile};

mod common;
use common::waypoints;

fn helsinki() -> Graph {
    common::import(&kerb_testdata::helsinki_pbf(), &Profile::car())
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
