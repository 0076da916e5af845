//! Errors of the HTTP front end, mapped to OSRM's `{"code", "message"}` JSON and an HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The machine-readable error `code` of a response, as OSRM names them plus a few of kerb's own.
///
/// OSRM answers every error with HTTP 400; kerb keeps 400 for all of OSRM's codes and uses the
/// fitting status for conditions OSRM has no code for (body too large, timeouts, overload).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum ErrorCode {
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
    /// The service exists in OSRM's API but is not provided by kerb (yet).
    NotImplemented,
    /// The HTTP method is not supported on this path.
    MethodNotAllowed,
    /// The server is still loading its graphs or is shutting down.
    NotReady,
    /// Too many requests are being processed; retry later.
    Overloaded,
    /// The request did not complete within the configured timeout (503), or its body did not
    /// arrive in time (408).
    Timeout,
    /// The plan request is well-formed but has no feasible solution or violates a model rule.
    InvalidPlan,
    /// An unexpected internal failure (a bug): the server keeps serving.
    InternalError,
}

impl ErrorCode {
    /// The code as it appears in the JSON `code` field.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidUrl => "InvalidUrl",
            ErrorCode::InvalidService => "InvalidService",
            ErrorCode::InvalidVersion => "InvalidVersion",
            ErrorCode::InvalidOptions => "InvalidOptions",
            ErrorCode::InvalidQuery => "InvalidQuery",
            ErrorCode::InvalidValue => "InvalidValue",
            ErrorCode::InvalidJson => "InvalidJson",
            ErrorCode::NoSegment => "NoSegment",
            ErrorCode::NoRoute => "NoRoute",
            ErrorCode::NoTable => "NoTable",
            ErrorCode::TooBig => "TooBig",
            ErrorCode::ProfileNotFound => "ProfileNotFound",
            ErrorCode::NotImplemented => "NotImplemented",
            ErrorCode::MethodNotAllowed => "MethodNotAllowed",
            ErrorCode::NotReady => "NotReady",
            ErrorCode::Overloaded => "Overloaded",
            ErrorCode::Timeout => "Timeout",
            ErrorCode::InvalidPlan => "InvalidPlan",
            ErrorCode::InternalError => "InternalError",
        }
    }

    /// The HTTP status used for this code (400 for every code OSRM defines, as OSRM does).
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::NotImplemented => StatusCode::NOT_IMPLEMENTED,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::NotReady | ErrorCode::Overloaded | ErrorCode::Timeout => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ErrorCode::InvalidPlan => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer: OSRM `code`, human-readable `message` and the HTTP status to send.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Human-readable explanation.
    pub message: String,
    /// HTTP status; defaults to [`ErrorCode::status`].
    pub status: StatusCode,
}

/// JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// One of [`ErrorCode`]'s names, e.g. `"NoSegment"`.
    #[schema(example = "InvalidValue")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "Invalid coordinate value.")]
    pub message: String,
}

impl ApiError {
    /// An error with `code`'s default HTTP status.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            status: code.status(),
        }
    }

    /// The same error sent with another HTTP status (e.g. `TooBig` as 413 for an oversized body).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.as_str().to_string(),
            message: self.message.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::warn!(code = %self.code, message = %self.message, "request failed");
        } else {
            tracing::debug!(code = %self.code, message = %self.message, "request rejected");
        }
        (self.status, axum::Json(self.body())).into_response()
    }
}

/// Result alias of the HTTP layer.
pub type ApiResult<T> = std::result::Result<T, ApiError>;
