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
            ErrorKind::TooBig => "TooBig",
            ErrorKind::ProfileNotFound => "ProfileNotFound",
            ErrorKind::NotImplemented => "NotImplemented",
            ErrorKind::InvalidPlan => "InvalidPlan",
            ErrorKind::Io => "IoError",
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
}
