//! Readers: Solomon / Gehring-Homberger VRPTW, VRPLIB CVRP, kerb JSON; [`detect`] also
//! recognises CARPLIB arc-routing files, read by [`crate::carp::read_carplib`].

mod solomon;
pub mod vroom;
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
    /// JSON: VROOM input, or kerb's own serde form of [`Problem`] (`"matrices"` is an array).
    Json,
    /// CARPLIB arc routing (`.dat` with `LISTA_ARISTAS_REQ`): see [`crate::carp`].
    Carplib,
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
    } else if text.contains("LISTA_ARISTAS_REQ") {
        Format::Carplib
    } else if ext == "vrp" || text.contains("NODE_COORD_SECTION") {
        Format::Vrplib
    } else {
        Format::Solomon
    }
}

/// Reads a vehicle-routing instance of any supported format (see [`detect`]). A CARPLIB file
/// is an arc-routing instance, not a [`Problem`]: it gives [`crate::Error::Unsupported`]
/// pointing to [`crate::carp::read_carplib`].
pub fn read_file(path: impl AsRef<std::path::Path>) -> Result<Problem> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)?;
    match detect(path, &text) {
        Format::Solomon => read_solomon(&text),
        Format::Vrplib => read_vrplib(&text),
        Format::Json => read_json(&text).map(|vp| vp.problem),
        Format::Carplib => Err(crate::Error::Unsupported(format!(
            "{} is a CARPLIB arc-routing instance: read it with kerb_plan::carp::read_carplib",
            path.display()
        ))),
    }
}

/// Reads JSON input: kerb's own [`Problem`] form when `"matrices"` is an array, VROOM input
/// otherwise.
pub fn read_json(text: &str) -> Result<vroom::VroomProblem> {
    let v: serde_json::Value = serde_json::from_str(text)?;
    if v.get("matrices").map(|m| m.is_array()).unwrap_or(false) {
        let p: Problem = serde_json::from_value(v)?;
        p.validate()?;
        Ok(vroom::VroomProblem::from_problem(p))
    } else {
        vroom::read_vroom(text)
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
