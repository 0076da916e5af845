//! Request handlers: OSRM `route`, `table`, `nearest`, `match` (GET and POST forms), health, readiness
//! and the OSRM-style answers for unknown services, versions and methods.
//!
//! Each handler takes the typed inputs from the extractors, calls kerb-api's service function
//! on the blocking pool and serialises its response; errors reach the client through `?`.

use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::extract::{JsonBody, Options, OsrmPath, ProfilePath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use kerb_api::coords::{parse_coordinates, parse_one_coordinate};
use kerb_api::matching::{parse_match, MatchResponse};
use kerb_api::osrm::{NearestResponse, RouteResponse, TableResponse};
use kerb_api::params::{body_options, parse_nearest, parse_route, parse_table};
use kerb_api::service;
use kerb_api::trip::{parse_trip, TripResponse, MAX_TRIP_COORDINATES};
use kerb_core::Graph;
use serde::Serialize;

pub(crate) use crate::extract::read_body;

/// Serialises on the calling (blocking) thread so that big tables never block the executor.
pub(crate) fn json_response<T: Serialize>(v: &T) -> ApiResult<Response> {
    let bytes =
        serde_json::to_vec(v).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response())
}

/// Runs a kerb-api service on `profile`'s graph on the blocking pool and serialises its answer.
pub(crate) async fn answer<R: Serialize>(
    state: &AppState,
    profile: &str,
    run: impl FnOnce(&Graph) -> kerb_api::Result<R> + Send + 'static,
) -> ApiResult<Response> {
    let g = state.graph(profile)?;
    state.run_blocking(move || json_response(&run(&g)?)).await
}

// ---------------------------------------------------------------- route

/// `GET /route/v1/{profile}/{coordinates}`: OSRM route service.
#[utoipa::path(get, path = "/route/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "Profile name: car, truck (driving = car)"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat... or polyline(..) / polyline6(..)"),
        ("overview" = Option<String>, Query, description = "simplified (default), full, false"),
        ("geometries" = Option<String>, Query, description = "polyline (default), polyline6, geojson"),
        ("steps" = Option<bool>, Query, description = "return turn-by-turn steps"),
        ("annotations" = Option<String>, Query, description = "true, false or nodes,distance,duration,datasources,weight,speed"),
        ("alternatives" = Option<String>, Query, description = "true or a number (at most 3): plausible alternative routes between two coordinates"),
        ("approaches" = Option<String>, Query, description = "curb|unrestricted per coordinate, ; separated"),
        ("radiuses" = Option<String>, Query, description = "snap radius in metres or unlimited per coordinate"),
        ("bearings" = Option<String>, Query, description = "value,range per coordinate"),
        ("generate_hints" = Option<bool>, Query, description = "include hints (default true)"),
        ("skip_waypoints" = Option<bool>, Query, description = "omit waypoints (default false)"),
        ("depart_at" = Option<String>, Query, description = "kerb: departure as local date and time 2026-12-07T06:30 or weekday and time \"Mo 06:30\"; the graph's *:conditional rules (access, hgv, maxweight, oneway, maxspeed, ...) then apply to each road at the time the vehicle reaches it (plain Dijkstra); without it they are ignored"),
    ),
    responses((status = 200, body = RouteResponse), (status = 400, body = ErrorBody)))]
pub(crate) async fn route_get(
    State(state): State<AppState>,
    path: OsrmPath,
    Options(options): Options,
) -> ApiResult<Response> {
    let coords = parse_coordinates(&path.coordinates, state.limits().max_route_coordinates)?;
    let o = parse_route(&options, coords.len())?;
    answer(&state, &path.profile, move |g| {
        service::route(g, &coords, &o)
    })
    .await
}

/// `POST /route/v1/{profile}`: the route service with a JSON body `{"coordinates": [[lon, lat], ...],
/// ...options}` for coordinate lists too long for a URL.
#[utoipa::path(post, path = "/route/v1/{profile}", tag = "osrm",
    params(("profile" = String, Path, description = "Profile name")),
    request_body(content = Object, description = "{\"coordinates\": [[lon, lat], ...], plus any route option: \"steps\": true, \"radiuses\": [null, 20], ...}"),
    responses((status = 200, body = RouteResponse), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn route_post(
    State(state): State<AppState>,
    ProfilePath(profile): ProfilePath,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let (coords, options) = body_options(&body, state.limits().max_route_coordinates)?;
    let o = parse_route(&options, coords.len())?;
    answer(&state, &profile, move |g| service::route(g, &coords, &o)).await
}

// ---------------------------------------------------------------- table

/// `GET /table/v1/{profile}/{coordinates}`: OSRM table (matrix) service. Unreachable cells are
/// `null` unless `fallback_speed` is given.
#[utoipa::path(get, path = "/table/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "Profile name"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat... or polyline(..)"),
        ("sources" = Option<String>, Query, description = "indices ; separated, or all"),
        ("destinations" = Option<String>, Query, description = "indices ; separated, or all"),
        ("annotations" = Option<String>, Query, description = "duration (default), distance, or duration,distance"),
        ("fallback_speed" = Option<f64>, Query, description = "m/s: estimate unreachable cells by crow-fly distance"),
        ("fallback_coordinate" = Option<String>, Query, description = "input (default) or snapped"),
        ("scale_factor" = Option<f64>, Query, description = "multiplies durations"),
        ("approaches" = Option<String>, Query, description = "curb|unrestricted per coordinate"),
        ("radiuses" = Option<String>, Query, description = "snap radius per coordinate"),
        ("depart_at" = Option<String>, Query, description = "kerb: departure as local date and time 2026-12-07T06:30 or weekday and time \"Mo 06:30\"; the graph's *:conditional rules (access, hgv, maxweight, oneway, maxspeed, ...) then apply to each road at the time the vehicle reaches it, every source leaving then (plain Dijkstra); without it they are ignored"),
    ),
    responses((status = 200, body = TableResponse), (status = 400, body = ErrorBody)))]
pub(crate) async fn table_get(
    State(state): State<AppState>,
    path: OsrmPath,
    Options(options): Options,
) -> ApiResult<Response> {
    let coords = parse_coordinates(&path.coordinates, state.limits().max_table_coordinates)?;
    let o = parse_table(&options, coords.len())?;
    o.check_size(coords.len(), state.limits().max_table_coordinates)?;
    answer(&state, &path.profile, move |g| {
        service::table(g, &coords, &o)
    })
    .await
}

/// `POST /table/v1/{profile}`: the table service with a JSON body
/// `{"coordinates": [[lon, lat], ...], "sources": [0], "annotations": ["duration", "distance"], ...}`.
#[utoipa::path(post, path = "/table/v1/{profile}", tag = "osrm",
    params(("profile" = String, Path, description = "Profile name")),
    request_body(content = Object, description = "{\"coordinates\": [[lon, lat], ...], plus any table option}"),
    responses((status = 200, body = TableResponse), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn table_post(
    State(state): State<AppState>,
    ProfilePath(profile): ProfilePath,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let (coords, options) = body_options(&body, state.limits().max_table_coordinates)?;
    let o = parse_table(&options, coords.len())?;
    o.check_size(coords.len(), state.limits().max_table_coordinates)?;
    answer(&state, &profile, move |g| service::table(g, &coords, &o)).await
}

// ---------------------------------------------------------------- nearest

/// `GET /nearest/v1/{profile}/{lon,lat}`: the `number` nearest roads, nearest first.
#[utoipa::path(get, path = "/nearest/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "Profile name"),
        ("coordinates" = String, Path, description = "exactly one lon,lat"),
        ("number" = Option<usize>, Query, description = "number of results (default 1)"),
        ("radiuses" = Option<String>, Query, description = "only roads within this many metres"),
        ("bearings" = Option<String>, Query, description = "value,range (with number=1)"),
    ),
    responses((status = 200, body = NearestResponse), (status = 400, body = ErrorBody)))]
pub(crate) async fn nearest_get(
    State(state): State<AppState>,
    path: OsrmPath,
    Options(options): Options,
) -> ApiResult<Response> {
    let c = parse_one_coordinate(&path.coordinates, "Nearest")?;
    let o = parse_nearest(&options, 1, state.limits().max_nearest)?;
    answer(&state, &path.profile, move |g| service::nearest(g, c, &o)).await
}

// ---------------------------------------------------------------- trip

/// `GET /trip/v1/{profile}/{coordinates}`: OSRM's trip service, the fastest tour through the
/// coordinates (kerb-plan on the CH matrix; exact up to 8 free stops).
#[utoipa::path(get, path = "/trip/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "Profile name"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat... (2 to 100) or polyline(..)"),
        ("roundtrip" = Option<bool>, Query, description = "return to the first stop (default true)"),
        ("source" = Option<String>, Query, description = "any (default) or first"),
        ("destination" = Option<String>, Query, description = "any (default) or last"),
        ("overview" = Option<String>, Query, description = "simplified (default), full, by_legs, false"),
        ("geometries" = Option<String>, Query, description = "polyline (default), polyline6, geojson"),
        ("steps" = Option<bool>, Query, description = "return turn-by-turn steps"),
        ("annotations" = Option<String>, Query, description = "true, false or nodes,distance,duration,datasources,weight,speed"),
        ("radiuses" = Option<String>, Query, description = "snap radius in metres or unlimited per coordinate"),
    ),
    responses((status = 200, body = TripResponse), (status = 400, body = ErrorBody), (status = 501, body = ErrorBody)))]
pub(crate) async fn trip_get(
    State(state): State<AppState>,
    path: OsrmPath,
    Options(options): Options,
) -> ApiResult<Response> {
    let coords = parse_coordinates(&path.coordinates, MAX_TRIP_COORDINATES)?;
    let o = parse_trip(&options, coords.len())?;
    answer(&state, &path.profile, move |g| {
        kerb_api::trip::trip(g, &coords, &o)
    })
    .await
}

// ---------------------------------------------------------------- match

/// `GET /match/v1/{profile}/{coordinates}`: OSRM's map matching of a GPS trace.
#[utoipa::path(get, path = "/match/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "Profile name"),
        ("coordinates" = String, Path, description = "the trace: lon,lat;lon,lat... or polyline(..)"),
        ("timestamps" = Option<String>, Query, description = "seconds per coordinate, ; separated, non-decreasing"),
        ("radiuses" = Option<String>, Query, description = "GPS precision (standard deviation) in metres per coordinate (default 5)"),
        ("gaps" = Option<String>, Query, description = "split (default): long time gaps split the trace; ignore"),
        ("tidy" = Option<bool>, Query, description = "drop fixes within 15 m / 5 s of the last kept one"),
        ("waypoints" = Option<String>, Query, description = "indices of the coordinates that end legs (first and last required)"),
        ("overview" = Option<String>, Query, description = "simplified (default), full, false"),
        ("geometries" = Option<String>, Query, description = "polyline (default), polyline6, geojson"),
        ("steps" = Option<bool>, Query, description = "return turn-by-turn steps"),
        ("annotations" = Option<String>, Query, description = "true, false or nodes,distance,duration,datasources,weight,speed"),
    ),
    responses((status = 200, body = MatchResponse), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn match_get(
    State(state): State<AppState>,
    path: OsrmPath,
    Options(options): Options,
) -> ApiResult<Response> {
    let max = state.limits().max_match_coordinates;
    let coords = parse_coordinates(&path.coordinates, max)?;
    let o = parse_match(&options, coords.len(), max)?;
    answer_match(&state, &path.profile, coords, o).await
}

/// `POST /match/v1/{profile}`: the match service with a JSON body
/// `{"coordinates": [[lon, lat], ...], "timestamps": [0, 5, ...], ...options}` for long traces.
#[utoipa::path(post, path = "/match/v1/{profile}", tag = "osrm",
    params(("profile" = String, Path, description = "Profile name")),
    request_body(content = Object, description = "{\"coordinates\": [[lon, lat], ...], plus any match option: \"timestamps\": [0, 5], \"radiuses\": [10, null], ...}"),
    responses((status = 200, body = MatchResponse), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn match_post(
    State(state): State<AppState>,
    ProfilePath(profile): ProfilePath,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let max = state.limits().max_match_coordinates;
    let (coords, options) = body_options(&body, max)?;
    let o = parse_match(&options, coords.len(), max)?;
    answer_match(&state, &profile, coords, o).await
}

/// Matches on the blocking pool, cancelled when the request is abandoned.
async fn answer_match(
    state: &AppState,
    profile: &str,
    coords: Vec<kerb_api::coords::LonLat>,
    o: kerb_api::matching::MatchOptions,
) -> ApiResult<Response> {
    let g = state.graph(profile)?;
    state
        .run_cancellable(move |cancel| {
            json_response(&kerb_api::matching::match_trace(&g, &coords, &o, cancel)?)
        })
        .await
}

// ---------------------------------------------------------------- unknown paths

/// An OSRM URL split into its parts (for answering paths no route matched).
#[derive(Debug, PartialEq)]
struct OsrmUrl {
    service: String,
    version: String,
}

/// Splits `/{service}/{version}/{profile}/{coordinates}`, percent-decoding the parts; the
/// coordinates part is optional when `with_coordinates` is false (the POST form
/// `/{service}/{version}/{profile}` carries them in the body).
fn parse_osrm_path(path: &str, with_coordinates: bool) -> ApiResult<OsrmUrl> {
    let decoded = percent_decode(path)?;
    let rest = decoded.strip_prefix('/').unwrap_or(&decoded);
    let mut parts = rest.splitn(4, '/');
    let mut next = || parts.next().filter(|s| !s.is_empty());
    let malformed = || {
        ApiError::new(
            ErrorCode::InvalidUrl,
            format!("URL string malformed: {path:?} (expected /{{service}}/v1/{{profile}}/{{coordinates}})"),
        )
    };
    let service = next().ok_or_else(malformed)?.to_string();
    let version = next().ok_or_else(malformed)?.to_string();
    let _profile = next().ok_or_else(malformed)?;
    let coordinates = match next() {
        Some(c) => c,
        None if !with_coordinates => return Ok(OsrmUrl { service, version }),
        None => return Err(malformed()),
    };
    if coordinates.ends_with(".flatbuffers") {
        return Err(ApiError::new(
            ErrorCode::NotImplemented,
            "the flatbuffers format is not supported; use json",
        ));
    }
    Ok(OsrmUrl { service, version })
}

fn percent_decode(s: &str) -> ApiResult<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidUrl,
                        format!("bad percent-encoding at position {i}"),
                    )
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| ApiError::new(ErrorCode::InvalidUrl, "URL is not valid UTF-8"))
}

// ---------------------------------------------------------------- health

/// Liveness and readiness answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Health {
    /// `ok` (alive), `ready` or `not ready`.
    pub(crate) status: String,
    /// Served profiles.
    pub(crate) profiles: Vec<String>,
}

/// `GET /health`: 200 while the process serves HTTP at all.
#[utoipa::path(get, path = "/health", tag = "ops", responses((status = 200, body = Health)))]
pub(crate) async fn health(State(state): State<AppState>) -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok".into(),
        profiles: state.profiles(),
    })
}

/// `GET /ready`: 200 once the graphs are loaded, 503 while loading or shutting down.
#[utoipa::path(get, path = "/ready", tag = "ops", responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
pub(crate) async fn ready(State(state): State<AppState>) -> ApiResult<axum::Json<Health>> {
    if state.is_ready() {
        Ok(axum::Json(Health {
            status: "ready".into(),
            profiles: state.profiles(),
        }))
    } else {
        Err(ApiError::new(
            ErrorCode::NotReady,
            "graphs are loading or the server is shutting down",
        ))
    }
}

/// Answers paths no route matched the way OSRM does: `InvalidService`, `InvalidVersion`,
/// `NotImplemented` (tile, POST forms of nearest and trip) or `InvalidUrl`.
pub(crate) async fn fallback(method: Method, uri: Uri) -> ApiError {
    match parse_osrm_path(uri.path(), method != Method::POST) {
        Err(e) => e,
        Ok(p) => match p.service.as_str() {
            "route" | "table" | "nearest" | "match" | "trip" if p.version != "v1" => ApiError::new(
                ErrorCode::InvalidVersion,
                format!("version {:?} not found; kerb implements v1", p.version),
            ),
            "nearest" | "trip" | "tile" if method == Method::POST => ApiError::new(
                ErrorCode::NotImplemented,
                format!("the {} service has no POST form; use GET", p.service),
            ),
            "route" | "table" | "nearest" | "match" | "trip" => ApiError::new(ErrorCode::InvalidUrl, format!("URL string malformed: {:?}", uri.path())),
            "tile" => ApiError::new(
                ErrorCode::NotImplemented,
                format!("the {} service is not implemented by kerb; use route, table, nearest, match, trip or POST /plan", p.service),
            ),
            other => ApiError::new(ErrorCode::InvalidService, format!("Service {other} not found!")),
        },
    }
}

/// Answers a known path with the wrong HTTP method.
pub(crate) async fn method_not_allowed(uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("method not allowed on {}", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osrm_urls() {
        let p = parse_osrm_path("/route/v1/car/polyline(a%3Fb)", true).unwrap();
        assert_eq!((p.service.as_str(), p.version.as_str()), ("route", "v1"));
        for bad in [
            "/",
            "/route",
            "/route/v1",
            "/route/v1/car",
            "/route/v1/car/",
            "/route/v1/car/%G0",
        ] {
            assert_eq!(
                parse_osrm_path(bad, true).unwrap_err().code,
                ErrorCode::InvalidUrl,
                "{bad}"
            );
        }
        let post = parse_osrm_path("/nonsense/v1/car", false).unwrap();
        assert_eq!(post.service, "nonsense");
        assert_eq!(
            parse_osrm_path("/route/v1/car/1,2.flatbuffers", true)
                .unwrap_err()
                .code,
            ErrorCode::NotImplemented
        );
    }
}
