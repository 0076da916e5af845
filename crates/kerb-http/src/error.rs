//! Errors of the HTTP front end: kerb-api's [`ErrorKind`] mapped to an HTTP status and OSRM's
//! `{"code", "message"}` JSON; `From` impls let handlers use `?` on library errors.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kerb_api::ErrorKind;
use serde::Serialize;
use utoipa::ToSchema;

/// The machine-readable error `code` of a response: kerb-api's kind, shared with the CLI and
/// the Python exception hierarchy.
pub type ErrorCode = ErrorKind;

/// The HTTP status of an error kind: 400 for every code OSRM defines (as OSRM answers them),
/// the fitting status for conditions OSRM has no code for (not implemented, overload,
/// timeouts, infeasible plans, failures of the server itself).
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotImplemented => StatusCode::NOT_IMPLEMENTED,
        ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorKind::NotReady | ErrorKind::Overloaded | ErrorKind::Timeout => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ErrorKind::InvalidPlan => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Internal
        | ErrorKind::Io
        | ErrorKind::FileNotFound
        | ErrorKind::InvalidPbf
        | ErrorKind::EmptyGraph => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
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
    /// HTTP status; defaults to [`status`] of the code.
    pub status: StatusCode,
}

/// JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error kind's OSRM-style name, e.g. `"NoSegment"`.
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
            status: status(code),
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
            code: self.code.code().to_string(),
            message: self.message.clone(),
        }
    }
}

impl From<kerb_api::Error> for ApiError {
    fn from(e: kerb_api::Error) -> Self {
        ApiError::new(e.kind, e.message)
    }
}

impl From<kerb_core::Error> for ApiError {
    /// A road-graph error met while answering a request. Graph files are read at start-up, so
    /// a file-kind error here is a failure of the server: `InternalError`.
    fn from(e: kerb_core::Error) -> Self {
        let e = kerb_api::Error::from(e);
        let kind = match e.kind {
            ErrorKind::Io
            | ErrorKind::FileNotFound
            | ErrorKind::InvalidPbf
            | ErrorKind::EmptyGraph => ErrorKind::Internal,
            kind => kind,
        };
        ApiError::new(kind, e.message)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_map_to_osrm_codes() {
        let code = |e: kerb_core::Error| ApiError::from(e).code;
        assert_eq!(
            code(kerb_core::Error::NoRoute { from: 0, to: 1 }),
            ErrorCode::NoRoute
        );
        assert_eq!(
            code(kerb_core::Error::NoSegment {
                lon: 0.0,
                lat: 0.0,
                radius_m: 1.0
            }),
            ErrorCode::NoSegment
        );
        assert_eq!(
            code(kerb_core::Error::InvalidCoordinate {
                lon: 0.0,
                lat: 99.0
            }),
            ErrorCode::InvalidValue
        );
        assert_eq!(
            code(kerb_core::Error::UnknownProfile("bike".into())),
            ErrorCode::ProfileNotFound
        );
        assert_eq!(code(kerb_core::Error::Checksum), ErrorCode::Internal);
        assert_eq!(
            ApiError::from(kerb_core::Error::Checksum).body().code,
            "InternalError"
        );
    }

    #[test]
    fn statuses_follow_the_kind() {
        assert_eq!(status(ErrorKind::NoSegment), StatusCode::BAD_REQUEST);
        assert_eq!(
            status(ErrorKind::NotImplemented),
            StatusCode::NOT_IMPLEMENTED
        );
        assert_eq!(status(ErrorKind::Timeout), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            status(ErrorKind::InvalidPlan),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(ErrorKind::Internal),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        let e = ApiError::from(kerb_api::Error::new(ErrorKind::TooBig, "big"));
        assert_eq!(
            (e.status, e.body().code.as_str()),
            (StatusCode::BAD_REQUEST, "TooBig")
        );
    }
}
