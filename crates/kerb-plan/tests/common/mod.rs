//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared benchmark instances folder, or `None` (with a message) when it is absent.
pub fn bench_dir() -> Option<PathBuf> {
    kerb_testdata::shared_bench()
}

/// Points on a plane -> matrix with duration = distance.
pub fn plane(points: &[(f64, f64)]) -> kerb_plan::Matrix {
    kerb_plan::Matrix::from_fn(points.len(), |i, j| {
        let d = ((points[i].0 - points[j].0).powi(2) + (points[i].1 - points[j].1).powi(2)).sqrt();
        (d, d)
    })
}
