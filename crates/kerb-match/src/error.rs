//! The crate's error type: what can go wrong reading a trace, matching it or checking a
//! collection day against it.

use std::path::PathBuf;

/// Errors of trace reading, matching and proof of service.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A trace file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file extension names no trace format kerb reads.
    #[error("unknown trace format {extension:?} (expected .csv, .gpx, .geojson or .json)")]
    UnknownFormat {
        /// The extension found (empty if none).
        extension: String,
    },
    /// A line or element of a trace is malformed.
    #[error("{format} trace, {location}: {reason}")]
    Parse {
        /// `csv`, `geojson` or `gpx`.
        format: &'static str,
        /// Where: `line 3`, `feature 2`, `trkpt 7`.
        location: String,
        /// What is wrong.
        reason: String,
    },
    /// A coordinate outside WGS84 bounds or not finite.
    #[error("invalid coordinate lon={lon}, lat={lat} at point {index}")]
    InvalidCoordinate {
        /// Index of the point in the trace.
        index: usize,
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// Timestamps go backwards.
    #[error("timestamp of point {index} ({time_s} s) is before the previous one")]
    TimeBackwards {
        /// Index of the point.
        index: usize,
        /// Its timestamp.
        time_s: f64,
    },
    /// The trace has fewer than two points.
    #[error("a trace needs at least two points, got {points}")]
    TooShort {
        /// Number of points.
        points: usize,
    },
    /// No matching could be found: no point has a road within the search radius, or no two
    /// consecutive points are connected plausibly.
    #[error("no matching: {reason}")]
    NoMatch {
        /// Why.
        reason: String,
    },
    /// Invalid options (non-positive radius, sigma, beta, interval...).
    #[error("invalid option {name}: {reason}")]
    InvalidOption {
        /// Option name.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// Matching was cancelled by the caller (its client went away or its deadline passed).
    #[error("matching cancelled")]
    Cancelled,
    /// A plan and its traces do not fit together (unknown truck, stop without location...).
    #[error("invalid plan: {0}")]
    InvalidPlan(String),
    /// A road-graph operation failed (snapping, matrix, routing).
    #[error(transparent)]
    Graph(#[from] kerb_core::Error),
    /// The collection pipeline failed (snapping the bins).
    #[error(transparent)]
    Collect(#[from] kerb_collect::Error),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
