//! The error type of kerb-core: every failure a caller can act on has its own variant.

/// Everything that can go wrong in kerb-core. Input problems are always reported as one of
/// these, never as a panic.
#[non_exhaustive]
#[derive(thiserror::Error, Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The input is not an OSM PBF file, or the PBF is corrupt.
    #[error("invalid OSM PBF: {0}")]
    Pbf(String),
    /// A coordinate is NaN, infinite or outside lon -180..180 / lat -90..90.
    #[error("invalid coordinate lon={lon}, lat={lat}")]
    InvalidCoordinate {
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },
    /// No routable road lies within the search radius of the coordinate.
    #[error("no road within {radius_m} m of lon={lon}, lat={lat}")]
    NoSegment {
        /// Longitude of the query.
        lon: f64,
        /// Latitude of the query.
        lat: f64,
        /// Search radius that was used.
        radius_m: f64,
    },
    /// No route connects two waypoints (indices into the waypoint list).
    #[error("no route from waypoint {from} to waypoint {to}")]
    NoRoute {
        /// Index of the start waypoint.
        from: usize,
        /// Index of the end waypoint.
        to: usize,
    },
    /// The file does not start with the kerb graph magic bytes.
    #[error("not a kerb graph file (bad magic bytes)")]
    BadMagic,
    /// The graph file was written by an incompatible format version.
    #[error("unsupported graph file version {found} (this build reads version {expected})")]
    UnsupportedVersion {
        /// Version found in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// A checksum of the graph file did not match: the file is corrupt.
    #[error("graph file is corrupt (checksum mismatch)")]
    Checksum,
    /// The graph file ends before its declared content.
    #[error("graph file is truncated")]
    Truncated,
    /// The graph file passed its checksums but its content is inconsistent.
    #[error("graph file is corrupt: {0}")]
    Corrupt(String),
    /// A graph was built for another profile than the one requested.
    #[error("graph was built for profile '{found}', expected '{expected}'")]
    ProfileMismatch {
        /// Profile the graph was built with.
        found: String,
        /// Profile the caller asked for.
        expected: String,
    },
    /// A fleet names a profile for which no road graph was given (or is served).
    #[error("no road graph for profile '{profile}' (graphs: {available})")]
    NoGraphForProfile {
        /// The profile asked for.
        profile: String,
        /// The profiles that have a graph, comma-separated.
        available: String,
    },
    /// No built-in profile has this name (and it is no profile file).
    #[error("unknown profile '{0}' (built-in profiles: car, truck, refuse-7.5t, refuse-32t; or the path of a profile JSON file)")]
    UnknownProfile(String),
    /// A profile file cannot be read, or its content is no valid profile.
    #[error("profile file {path}: {reason}")]
    ProfileFile {
        /// The file as given.
        path: String,
        /// What is wrong: the read error, or the key and what is wrong with its value.
        reason: String,
    },
    /// A custom profile is inconsistent (see [`crate::ProfileBuilder::build`]).
    #[error("invalid profile: {0}")]
    InvalidProfile(String),
    /// The import produced no routable road.
    #[error("the graph is empty: no road routable for this profile")]
    EmptyGraph,
    /// A stored customizable-hierarchy topology or metric is stale or corrupt, or a metric
    /// does not fit its topology.
    #[error(transparent)]
    Cch(#[from] crate::cch::CchError),
    /// Any other invalid argument.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

/// Result alias with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that a point is a valid WGS84 lon/lat pair.
pub(crate) fn check_coordinate(p: geo::Point<f64>) -> Result<()> {
    let (lon, lat) = (p.x(), p.y());
    if lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
    {
        Ok(())
    } else {
        Err(Error::InvalidCoordinate { lon, lat })
    }
}
