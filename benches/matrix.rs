//! Many-to-many matrix benches (car profile, snapping excluded): 100 x 100 on the default
//! Helsinki extract, and 1000 x 1000 on Porto from the shared extracts when present.
//!
//! `cargo bench --bench matrix`

use criterion::{criterion_group, criterion_main, Criterion};
use kerb::Profile;

mod common;
use common::{contracted, waypoints};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("matrix");
    group.sample_size(10);
    let g = contracted(&kerb_testdata::helsinki_pbf(), &Profile::car());
    let w = waypoints(&g, 100, 1);
    group.bench_function("helsinki 100x100", |b| {
        b.iter(|| g.matrix(&w, &w).expect("matrix"))
    });
    if let Some(porto) = kerb_testdata::porto_pbf() {
        let g = contracted(&porto, &Profile::car());
        let w = waypoints(&g, 1000, 2);
        group.bench_function("porto 1000x1000", |b| {
            b.iter(|| g.matrix(&w, &w).expect("matrix"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
