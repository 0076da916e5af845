//! Readers: Solomon / Gehring-Homberger VRPTW, VRPLIB CVRP, kerb JSON.

mod solomon;
mod vrplib;

pub use solomon::read_solomon;
pub use vrplib::read_vrplib;

use crate::{Problem, Result};

/// Format of an instance file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Solomon / Gehring-Homberger text.
    Solomon,
    /// VRPLIB / TSPLIB CVRP.
    Vrplib,
    /// kerb's own JSON (serde form of [`Problem`]).
    Json,
}

/// Guesses the format from the file name and content.
pub fn detect(path: &std::path::Path, text: &str) -> Format {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "json" || text.trim_start().starts_with('{') {
        Format::Json
    } else if ext == "vrp" || text.contains("NODE_COORD_SECTION") {
        Format::Vrplib
    } else {
        Format::Solomon
    }
}

/// Reads an instance of any supported format (see [`detect`]).
pub fn read_file(path: impl AsRef<std::path::Path>) -> Result<Problem> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)?;
    match detect(path, &text) {
        Format::Solomon => read_solomon(&text),
        Format::Vrplib => read_vrplib(&text),
        Format::Json => {
            let p: Problem = serde_json::from_str(&text)?;
            p.validate()?;
            Ok(p)
        }
    }
}

/// Euclidean distance matrix over points (durations = distances), optionally rounded to the
/// nearest integer per edge (TSPLIB `EUC_2D`).
pub(crate) fn euclidean(points: &[(f64, f64)], round: bool) -> crate::Matrix {
    crate::Matrix::from_fn(points.len(), |i, j| {
        let (a, b) = (points[i], points[j]);
        let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        let d = if round { (d + 0.5).floor() } else { d };
        (d, d)
    })
}
