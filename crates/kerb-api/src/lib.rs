//! kerb-api: the one layer every front end (HTTP, CLI, Python) goes through.
//!
//! It owns what a front end would otherwise repeat: typed request parameters and their
//! validation, coordinates to waypoints, solver defaults, the OSRM/VROOM/GeoJSON formatters and
//! one [`ErrorKind`] that the HTTP status mapping and the Python exception hierarchy both read.
#![deny(missing_docs)]

pub mod coords;
pub mod error;
pub mod format;
mod geometry;
pub mod graphs;
mod guidance;
pub mod isochrone;
pub mod matching;
pub mod osrm;
pub mod params;
pub mod plan;
pub mod service;
pub mod trip;
pub mod waypoint;

pub use error::{Error, ErrorKind, Result};
