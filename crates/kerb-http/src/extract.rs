//! Axum extractors: the matched path, the query string and the JSON body as kerb-api's inputs,
//! each rejection answered as OSRM-style JSON (no re-parsing of the raw URI).

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use kerb_api::params::{query_options, OptionPair};
use serde_json::Value;

/// `{profile}` and `{coordinates}` of a matched `/{service}/v1/{profile}/{coordinates}[.json]`
/// route, percent-decoded by axum, without the `.json` suffix.
pub(crate) struct OsrmPath {
    /// Profile name.
    pub profile: String,
    /// The coordinates segment: `lon,lat;...`, `polyline(..)` or `polyline6(..)`.
    pub coordinates: String,
}

impl<S: Send + Sync> FromRequestParts<S> for OsrmPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Path((profile, coordinates)) =
            Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|e| {
                    ApiError::new(ErrorCode::InvalidUrl, format!("URL string malformed: {e}"))
                })?;
        // axum leaves a `%` that starts no valid escape as it is; OSRM calls that a bad URL.
        if coordinates.contains('%') {
            return Err(ApiError::new(
                ErrorCode::InvalidUrl,
                format!("bad percent-encoding in {coordinates:?}"),
            ));
        }
        let coordinates = match coordinates.strip_suffix(".json") {
            Some(c) => c.to_string(),
            None if coordinates.ends_with(".flatbuffers") => {
                return Err(ApiError::new(
                    ErrorCode::NotImplemented,
                    "the flatbuffers format is not supported; use json",
                ))
            }
            None => coordinates,
        };
        Ok(OsrmPath {
            profile,
            coordinates,
        })
    }
}

/// `{profile}` of a matched `POST /{service}/v1/{profile}` route.
pub(crate) struct ProfilePath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ProfilePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Path(profile) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                ApiError::new(ErrorCode::InvalidUrl, format!("URL string malformed: {e}"))
            })?;
        Ok(ProfilePath(profile))
    }
}

/// The query string as kerb-api option pairs (percent-decoded, in order).
pub(crate) struct Options(pub Vec<OptionPair>);

impl<S: Send + Sync> FromRequestParts<S> for Options {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("Query string malformed: {e}"),
                )
            })?;
        Ok(Options(query_options(pairs)))
    }
}

/// A JSON request body read within the server's size and time limits (see [`read_body`]).
pub(crate) struct JsonBody(pub Value);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> ApiResult<Self> {
        let (parts, body) = req.into_parts();
        let bytes = read_body(&parts.headers, body, state).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON: {e}")))
    }
}

/// Reads a request body of at most `max_body_bytes`: `TooBig` (413) beyond it, `Timeout` (408)
/// if the client sends too slowly.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    state: &AppState,
) -> ApiResult<Bytes> {
    let limit = state.limits().max_body_bytes;
    let too_big = || {
        ApiError::new(
            ErrorCode::TooBig,
            format!("request body larger than {limit} bytes"),
        )
        .with_status(StatusCode::PAYLOAD_TOO_LARGE)
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_big());
    }
    let timeout = state.limits().request_timeout;
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(ApiError::new(
            ErrorCode::Timeout,
            format!(
                "request body not received within {} ms",
                timeout.as_millis()
            ),
        )
        .with_status(StatusCode::REQUEST_TIMEOUT)),
        Ok(Err(e)) => {
            let is_limit = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit");
            Err(if is_limit {
                too_big()
            } else {
                ApiError::new(
                    ErrorCode::InvalidJson,
                    format!("failed to read the request body: {e}"),
                )
            })
        }
        Ok(Ok(b)) => Ok(b),
    }
}
