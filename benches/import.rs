//! Import benchmark: OSM PBF -> truck graph, and graph file load, on the largest shared extract
//! (r5_porto_portugal.osm.pbf; override with KERB_BENCH_PBF). Skips with a message when absent.
//! The OSRM comparison (osrm-extract in the same run) is `scripts/bench-core.sh`.
//!
//! Run: `cargo bench --bench import`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use kerb::{Graph, Profile};

fn import(c: &mut Criterion) {
    let Some(pbf) = kerb_testdata::porto_pbf() else {
        return;
    };
    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for profile in [Profile::truck(), Profile::car()] {
        group.bench_function(format!("porto/{}", profile.name), |b| {
            b.iter(|| Graph::from_pbf(&pbf, &profile).expect("import"))
        });
    }
    let g = Graph::from_pbf(&pbf, &Profile::truck()).expect("import");
    let file = std::env::temp_dir().join(format!("kerb-bench-{}.kerb", std::process::id()));
    g.save(&file).expect("save");
    group.bench_function("porto/open_graph_file", |b| {
        b.iter(|| Graph::open(&file).expect("open"))
    });
    group.bench_function("porto/open_and_index", |b| {
        b.iter(|| {
            let g = Graph::open(&file).expect("open");
            g.prepare_index();
            g
        })
    });
    group.finish();
    let _ = std::fs::remove_file(file);
}

criterion_group!(benches, import);
criterion_main!(benches);
