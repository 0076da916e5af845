//! One error type for every front end: a transport-independent [`ErrorKind`] plus a message.
//!
//! The HTTP server maps a kind to an HTTP status and OSRM's `code` string; the Python module maps
//! it to an exception class; the CLI prints the message. The kinds are OSRM's error codes plus
//! the few kerb adds.

/// What went wrong, as a closed set a front end can map to its own vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The URL path is malformed (not `/{service}/v1/{profile}/{coordinates}`).
    InvalidUrl,
    /// The service name is unknown.
    InvalidService,
    /// The protocol version is not `v1`.
    InvalidVersion,
    /// Options are invalid (wrong counts, indices out of range, too few coordinates).
    InvalidOptions,
    /// The query string (or the JSON body) is syntactically malformed.
    InvalidQuery,
    /// A parsed value is out of range (coordinate not finite or outside WGS84 bounds).
    InvalidValue,
    /// The request body is not valid JSON of the expected shape.
    InvalidJson,
    /// An input coordinate could not be snapped to a road within its radius.
    NoSegment,
    /// No route between two waypoints.
    NoRoute,
    /// No table could be computed.
    NoTable,
    /// A trace could not be matched onto the roads (OSRM's `/match` `NoMatch`).
    NoMatch,
    /// The trip service found no tour through the coordinates (OSRM's `NoTrips`).
    NoTrips,
    /// A request-size limit was exceeded.
    TooBig,
    /// No graph is loaded for the requested profile.
    ProfileNotFound,
    /// The option exists in OSRM's or VROOM's API but kerb does not provide it (yet).
    NotImplemented,
    /// The plan request is well-formed but has no feasible solution or violates a model rule.
    InvalidPlan,
    /// Reading or writing a file failed, or a file is not in the expected format.
    Io,
    /// A file does not exist.
    FileNotFound,
    /// An input file is not a valid OSM PBF.
    InvalidPbf,
    /// The extract contains no road the profile may use.
    EmptyGraph,
    /// The HTTP method is not supported on this path.
    MethodNotAllowed,
    /// The server is still loading its graphs or is shutting down.
    NotReady,
    /// Too many requests are being processed; retry later.
    Overloaded,
    /// The request did not complete (or its body did not arrive) within the configured time.
    Timeout,
    /// An unexpected internal failure (a bug).
    Internal,
}

impl ErrorKind {
    /// The kind's name as OSRM spells its `code` (kerb's own kinds in the same style).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidUrl => "InvalidUrl",
            ErrorKind::InvalidService => "InvalidService",
            ErrorKind::InvalidVersion => "InvalidVersion",
            ErrorKind::InvalidOptions => "InvalidOptions",
            ErrorKind::InvalidQuery => "InvalidQuery",
            ErrorKind::InvalidValue => "InvalidValue",
            ErrorKind::InvalidJson => "InvalidJson",
            ErrorKind::NoSegment => "NoSegment",
            ErrorKind::NoRoute => "NoRoute",
            ErrorKind::NoTable => "NoTable",
            ErrorKind::NoMatch => "NoMatch",
            ErrorKind::NoTrips => "NoTrips",
            ErrorKind::TooBig => "TooBig",
            ErrorKind::ProfileNotFound => "ProfileNotFound",
            ErrorKind::NotImplemented => "NotImplemented",
            ErrorKind::InvalidPlan => "InvalidPlan",
            ErrorKind::Io => "IoError",
            ErrorKind::FileNotFound => "FileNotFound",
            ErrorKind::InvalidPbf => "InvalidPbf",
            ErrorKind::EmptyGraph => "EmptyGraph",
            ErrorKind::MethodNotAllowed => "MethodNotAllowed",
            ErrorKind::NotReady => "NotReady",
            ErrorKind::Overloaded => "Overloaded",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Internal => "InternalError",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// An error of the front-end layer: its [`ErrorKind`] and a human-readable message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct Error {
    /// What went wrong, for mapping to an HTTP status or an exception class.
    pub kind: ErrorKind,
    /// Human-readable explanation, shown to the user as is.
    pub message: String,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
}

impl ErrorKind {
    /// The kind a road-graph error belongs to (the one mapping every front end reads).
    pub fn of_core(e: &kerb_core::Error) -> ErrorKind {
        use kerb_core::Error as E;
        match e {
            E::InvalidCoordinate { .. } => ErrorKind::InvalidValue,
            E::NoSegment { .. } => ErrorKind::NoSegment,
            E::NoRoute { .. } => ErrorKind::NoRoute,
            E::UnknownProfile(_) | E::ProfileMismatch { .. } | E::NoGraphForProfile { .. } => {
                ErrorKind::ProfileNotFound
            }
            E::InvalidInput(_) | E::InvalidProfile(_) | E::ProfileFile { .. } => {
                ErrorKind::InvalidOptions
            }
            E::Io(io) if io.kind() == std::io::ErrorKind::NotFound => ErrorKind::FileNotFound,
            E::Pbf(_) => ErrorKind::InvalidPbf,
            E::EmptyGraph => ErrorKind::EmptyGraph,
            E::Io(_)
            | E::BadMagic
            | E::UnsupportedVersion { .. }
            | E::Checksum
            | E::Truncated
            | E::Corrupt(_)
            | E::Cch(_) => ErrorKind::Io,
            _ => ErrorKind::Internal,
        }
    }
}

impl From<kerb_match::Error> for Error {
    /// The kind of a map-matching error: bad traces are the caller's (`InvalidValue`,
    /// `InvalidOptions`), an unmatched trace is OSRM's `NoMatch`, a cancelled one `Timeout`.
    fn from(e: kerb_match::Error) -> Self {
        use kerb_match::Error as E;
        let kind = match &e {
            E::Graph(core) => return Error::from_core_ref(core),
            E::NoMatch { .. } => ErrorKind::NoMatch,
            E::InvalidCoordinate { .. } | E::TimeBackwards { .. } => ErrorKind::InvalidValue,
            E::TooShort { .. } | E::InvalidOption { .. } => ErrorKind::InvalidOptions,
            E::Parse { .. } | E::UnknownFormat { .. } | E::InvalidPlan(_) => {
                ErrorKind::InvalidOptions
            }
            E::Cancelled => ErrorKind::Timeout,
            E::Io { .. } => ErrorKind::Io,
            _ => ErrorKind::Internal,
        };
        Error::new(kind, e.to_string())
    }
}

impl Error {
    pub(crate) fn from_core_ref(e: &kerb_core::Error) -> Self {
        match ErrorKind::of_core(e) {
            ErrorKind::NoRoute => Error::new(
                ErrorKind::NoRoute,
                format!("Impossible route between points: {e}"),
            ),
            kind => Error::new(kind, e.to_string()),
        }
    }
}

impl From<kerb_core::Error> for Error {
    /// The kind a road-graph error belongs to; the message is kerb-core's, with OSRM's wording
    /// in front of `NoRoute`.
    fn from(e: kerb_core::Error) -> Self {
        Error::from_core_ref(&e)
    }
}

/// Result alias of the front-end layer.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_carries_kind_and_text() {
        let e = Error::new(ErrorKind::NoSegment, "no road within 5 m");
        assert_eq!(e.to_string(), "NoSegment: no road within 5 m");
        assert_eq!(ErrorKind::Io.code(), "IoError");
    }

    #[test]
    fn core_errors_map_to_kinds() {
        let kind = |e: kerb_core::Error| Error::from(e).kind;
        assert_eq!(
            kind(kerb_core::Error::NoRoute { from: 0, to: 1 }),
            ErrorKind::NoRoute
        );
        assert_eq!(
            kind(kerb_core::Error::NoSegment {
                lon: 0.0,
                lat: 0.0,
                radius_m: 1.0
            }),
            ErrorKind::NoSegment
        );
        assert_eq!(
            kind(kerb_core::Error::InvalidCoordinate {
                lon: 0.0,
                lat: 99.0
            }),
            ErrorKind::InvalidValue
        );
        assert_eq!(
            kind(kerb_core::Error::UnknownProfile("bike".into())),
            ErrorKind::ProfileNotFound
        );
        assert_eq!(kind(kerb_core::Error::Checksum), ErrorKind::Io);
        assert_eq!(kind(kerb_core::Error::EmptyGraph), ErrorKind::EmptyGraph);
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        assert_eq!(kind(kerb_core::Error::Io(missing)), ErrorKind::FileNotFound);
    }
}
