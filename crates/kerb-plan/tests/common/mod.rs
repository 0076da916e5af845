//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/data/bench` relative to the repository root, or `$KERB_SHARED_DATA/bench`.
pub fn bench_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("KERB_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    let d = base.join("bench");
    if d.is_dir() {
        Some(d)
    } else {
        println!("skipping: benchmark instances not found at {}", d.display());
        None
    }
}

/// Points on a plane -> matrix with duration = distance.
pub fn plane(points: &[(f64, f64)]) -> kerb_plan::Matrix {
    kerb_plan::Matrix::from_fn(points.len(), |i, j| {
        let d = ((points[i].0 - points[j].0).powi(2) + (points[i].1 - points[j].1).powi(2)).sqrt();
        (d, d)
    })
}
