//! Request handlers: OSRM `route`, `table`, `nearest` (GET and POST forms), `/plan`, health,
//! readiness and the OSRM-style answers for unknown services, versions and methods.

use crate::coords::{parse_coordinates, parse_one_coordinate, LonLat};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::format;
use crate::osrm::{round1, NearestResponse, OkCode, RouteResponse, TableResponse, Waypoint};
use crate::params::{
    body_to_query, parse_nearest_query, parse_route_query, parse_table_query, ApproachOpt,
    CommonOptions, FallbackCoordinate, RouteOptions, TableOptions,
};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kerb_core::{haversine_m, Approach, Graph, Point, Snap, SnapOptions};
use serde::Serialize;
use serde_json::Value;

/// An OSRM URL split into its parts.
#[derive(Debug, PartialEq)]
pub struct OsrmPath {
    /// `route`, `table`, ...
    pub service: String,
    /// `v1`.
    pub version: String,
    /// Profile name.
    pub profile: String,
    /// Percent-decoded coordinates segment without a `.json` suffix.
    pub coordinates: String,
}

/// Splits `/{service}/{version}/{profile}/{coordinates}[.json]`, percent-decoding the parts.
///
/// ```
/// let p = kerb_http::handlers::parse_osrm_path("/route/v1/car/24.9,60.1;24.8,60.2.json").unwrap();
/// assert_eq!((p.service.as_str(), p.profile.as_str()), ("route", "car"));
/// assert_eq!(p.coordinates, "24.9,60.1;24.8,60.2");
/// ```
pub fn parse_osrm_path(path: &str) -> ApiResult<OsrmPath> {
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
    let profile = next().ok_or_else(malformed)?.to_string();
    let mut coordinates = next().ok_or_else(malformed)?.to_string();
    if let Some(c) = coordinates.strip_suffix(".json") {
        coordinates = c.to_string();
    } else if coordinates.ends_with(".flatbuffers") {
        return Err(ApiError::new(
            ErrorCode::NotImplemented,
            "the flatbuffers format is not supported; use json",
        ));
    }
    Ok(OsrmPath {
        service,
        version,
        profile,
        coordinates,
    })
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

/// Serialises on the calling (blocking) thread so that big tables never block the executor.
pub(crate) fn json_response<T: Serialize>(v: &T) -> ApiResult<Response> {
    let bytes = serde_json::to_vec(v)
        .map_err(|e| ApiError::new(ErrorCode::InternalError, e.to_string()))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response())
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

/// Reads a JSON request body (see [`read_body`]); `InvalidJson` if it does not parse.
async fn read_json(headers: &HeaderMap, body: Body, state: &AppState) -> ApiResult<Value> {
    let bytes = read_body(headers, body, state).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON: {e}")))
}

fn snap_options(common: &CommonOptions, i: usize) -> SnapOptions {
    let mut o = SnapOptions::default();
    if let Some(Some(r)) = common.radiuses.get(i) {
        o.radius_m = *r;
    }
    if let Some(Some(b)) = common.bearings.get(i) {
        o.bearing = Some((b.value, b.range));
    }
    o
}

pub(crate) fn snap_one(g: &Graph, c: LonLat, i: usize, common: &CommonOptions) -> ApiResult<Snap> {
    let o = snap_options(common, i);
    g.snap(Point::new(c[0], c[1]), &o).map_err(|e| match e {
        kerb_core::Error::NoSegment { .. } => ApiError::new(
            ErrorCode::NoSegment,
            format!(
                "Could not find a matching segment for coordinate {i} within {} m",
                o.radius_m
            ),
        ),
        other => core_error(other),
    })
}

/// Maps kerb-core errors that are not tied to one coordinate.
pub(crate) fn core_error(e: kerb_core::Error) -> ApiError {
    use kerb_core::Error as E;
    match &e {
        E::InvalidCoordinate { .. } => ApiError::new(ErrorCode::InvalidValue, e.to_string()),
        E::NoSegment { .. } => ApiError::new(ErrorCode::NoSegment, e.to_string()),
        E::NoRoute { .. } => ApiError::new(
            ErrorCode::NoRoute,
            format!("Impossible route between points: {e}"),
        ),
        E::UnknownProfile(_) => ApiError::new(ErrorCode::ProfileNotFound, e.to_string()),
        E::InvalidInput(_) => ApiError::new(ErrorCode::InvalidOptions, e.to_string()),
        _ => ApiError::new(ErrorCode::InternalError, e.to_string()),
    }
}

fn approach(common: &CommonOptions, i: usize) -> Approach {
    match common.approaches.get(i) {
        Some(Some(ApproachOpt::Curb)) => Approach::Curb,
        _ => Approach::Unrestricted,
    }
}

/// Coordinate `i` snapped with its radius and bearing, with its approach: a route or table
/// waypoint.
fn waypoint(
    g: &Graph,
    coords: &[LonLat],
    i: usize,
    common: &CommonOptions,
) -> ApiResult<kerb_core::Waypoint> {
    Ok(kerb_core::Waypoint::new(snap_one(g, coords[i], i, common)?)
        .with_approach(approach(common, i)))
}

/// Profile, coordinates and options of a multi-coordinate GET request
/// `/{service}/v1/{profile}/{coordinates}?{options}` (route, table).
fn get_request<O>(
    uri: &Uri,
    service: &str,
    max_coordinates: usize,
    parse_query: fn(Option<&str>, usize) -> ApiResult<O>,
) -> ApiResult<(String, Vec<LonLat>, O)> {
    let p = parse_osrm_path(uri.path())?;
    check_service(&p, service)?;
    let coords = parse_coordinates(&p.coordinates, max_coordinates)?;
    let o = parse_query(uri.query(), coords.len())?;
    Ok((p.profile, coords, o))
}

/// Profile, coordinates and options of a multi-coordinate POST request
/// `/{service}/v1/{profile}` with a JSON body `{"coordinates": [...], ...options}`.
async fn post_request<O>(
    state: &AppState,
    uri: &Uri,
    req: Request,
    service: &str,
    max_coordinates: usize,
    parse_query: fn(Option<&str>, usize) -> ApiResult<O>,
) -> ApiResult<(String, Vec<LonLat>, O)> {
    let profile = post_profile(uri.path(), service)?;
    let (parts, body) = req.into_parts();
    let v = read_json(&parts.headers, body, state).await?;
    let (coords, q) = body_to_query(&v, max_coordinates)?;
    let o = parse_query(Some(&q), coords.len())?;
    Ok((profile, coords, o))
}

fn check_service(p: &OsrmPath, service: &str) -> ApiResult<()> {
    if p.version != "v1" {
        return Err(ApiError::new(
            ErrorCode::InvalidVersion,
            format!("version {:?} not found; kerb implements v1", p.version),
        ));
    }
    debug_assert_eq!(p.service, service);
    Ok(())
}

// ---------------------------------------------------------------- route

/// Computes a route (shared by GET and POST).
async fn route(
    state: AppState,
    profile: &str,
    coords: Vec<LonLat>,
    o: RouteOptions,
) -> ApiResult<Response> {
    let g = state.graph(profile)?;
    state
        .run_blocking(move || {
            let waypoints = (0..coords.len())
                .map(|i| waypoint(&g, &coords, i, &o.common))
                .collect::<ApiResult<Vec<_>>>()?;
            let r = g.route(&waypoints).map_err(core_error)?;
            let resp = RouteResponse {
                code: OkCode::Ok,
                routes: vec![format::route(&g, &r, &o)],
                waypoints: (!o.common.skip_waypoints).then(|| {
                    waypoints
                        .iter()
                        .map(|w| format::waypoint(&w.snap, o.common.generate_hints))
                        .collect()
                }),
            };
            json_response(&resp)
        })
        .await
}

/// `GET /route/v1/{profile}/{coordinates}`: OSRM route service.
#[utoipa::path(get, path = "/route/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "Profile name: car, truck (driving = car)"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat... or polyline(..) / polyline6(..)"),
        ("overview" = Option<String>, Query, description = "simplified (default), full, false"),
        ("geometries" = Option<String>, Query, description = "polyline (default), polyline6, geojson"),
        ("steps" = Option<bool>, Query, description = "return turn-by-turn steps"),
        ("annotations" = Option<String>, Query, description = "true, false or nodes,distance,duration,datasources,weight,speed"),
        ("alternatives" = Option<String>, Query, description = "accepted; kerb returns the best route only"),
        ("approaches" = Option<String>, Query, description = "curb|unrestricted per coordinate, ; separated"),
        ("radiuses" = Option<String>, Query, description = "snap radius in metres or unlimited per coordinate"),
        ("bearings" = Option<String>, Query, description = "value,range per coordinate"),
        ("generate_hints" = Option<bool>, Query, description = "include hints (default true)"),
        ("skip_waypoints" = Option<bool>, Query, description = "omit waypoints (default false)"),
    ),
    responses((status = 200, body = RouteResponse), (status = 400, body = ErrorBody)))]
pub async fn route_get(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let limit = state.limits().max_route_coordinates;
    let (profile, coords, o) = get_request(&uri, "route", limit, parse_route_query)?;
    route(state, &profile, coords, o).await
}

/// `POST /route/v1/{profile}`: the route service with a JSON body `{"coordinates": [[lon, lat], ...],
/// ...options}` for coordinate lists too long for a URL.
#[utoipa::path(post, path = "/route/v1/{profile}", tag = "osrm",
    params(("profile" = String, Path, description = "Profile name")),
    request_body(content = Object, description = "{\"coordinates\": [[lon, lat], ...], plus any route option: \"steps\": true, \"radiuses\": [null, 20], ...}"),
    responses((status = 200, body = RouteResponse), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn route_post(
    State(state): State<AppState>,
    uri: Uri,
    req: Request,
) -> ApiResult<Response> {
    let limit = state.limits().max_route_coordinates;
    let (profile, coords, o) =
        post_request(&state, &uri, req, "route", limit, parse_route_query).await?;
    route(state, &profile, coords, o).await
}

fn post_profile(path: &str, service: &str) -> ApiResult<String> {
    let decoded = percent_decode(path)?;
    decoded
        .strip_prefix(&format!("/{service}/v1/"))
        .filter(|p| !p.is_empty() && !p.contains('/'))
        .map(str::to_string)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidUrl,
                format!("expected POST /{service}/v1/{{profile}}"),
            )
        })
}

// ---------------------------------------------------------------- table

async fn table(
    state: AppState,
    profile: &str,
    coords: Vec<LonLat>,
    o: TableOptions,
) -> ApiResult<Response> {
    let limit = state.limits().max_table_coordinates;
    let (ns, nd) = (
        o.num_sources(coords.len()),
        o.num_destinations(coords.len()),
    );
    if coords.len() > limit || ns > limit || nd > limit {
        return Err(ApiError::new(
            ErrorCode::TooBig,
            format!(
                "table of {ns} x {nd} over {} coordinates exceeds the limit of {limit} coordinates",
                coords.len()
            ),
        ));
    }
    let g = state.graph(profile)?;
    state
        .run_blocking(move || table_blocking(&g, &coords, &o))
        .await
}

/// Rows of table cells, `None` = unreachable (`null`).
pub type Cells = Vec<Vec<Option<f64>>>;

fn fallback_point(s: &Snap, which: FallbackCoordinate) -> Point<f64> {
    match which {
        FallbackCoordinate::Input => s.input,
        FallbackCoordinate::Snapped => s.point,
    }
}

/// Cells of OSRM's `durations` and `distances` from a matrix: rounded to 0.1, durations scaled
/// by `scale_factor`, unreachable cells `null` or, with `fallback_speed`, the crow-fly distance
/// between the given points and its travel time at that speed (listed in the third result).
pub fn table_cells(
    durations_s: &[f64],
    distances_m: &[f64],
    src: &[Point<f64>],
    dst: &[Point<f64>],
    o: &TableOptions,
) -> (Cells, Cells, Vec<[usize; 2]>) {
    let (ns, nd) = (src.len(), dst.len());
    let mut durations = vec![vec![None; nd]; ns];
    let mut distances = vec![vec![None; nd]; ns];
    let mut fallback_cells = Vec::new();
    for r in 0..ns {
        for c in 0..nd {
            let k = r * nd + c;
            let (t, d) = (durations_s[k], distances_m[k]);
            if t.is_finite() {
                durations[r][c] = Some(round1(t * o.scale_factor));
                distances[r][c] = Some(round1(d));
            } else if let Some(speed) = o.fallback_speed {
                let crow = haversine_m(src[r], dst[c]);
                durations[r][c] = Some(round1(crow / speed * o.scale_factor));
                distances[r][c] = Some(round1(crow));
                fallback_cells.push([r, c]);
            }
        }
    }
    (durations, distances, fallback_cells)
}

/// Row-major durations and distances between waypoints (`INFINITY` = unreachable), from
/// kerb-core's many-to-many matrix.
pub(crate) fn matrix(
    g: &Graph,
    sources: &[kerb_core::Waypoint],
    destinations: &[kerb_core::Waypoint],
) -> ApiResult<(Vec<f64>, Vec<f64>)> {
    let m = g
        .matrix(sources, destinations)
        .map_err(|e| match core_error(e) {
            e if e.code == ErrorCode::NoRoute => ApiError::new(ErrorCode::NoTable, e.message),
            e => e,
        })?;
    Ok((m.durations_s, m.distances_m))
}

fn table_blocking(g: &Graph, coords: &[LonLat], o: &TableOptions) -> ApiResult<Response> {
    let all: Vec<usize> = (0..coords.len()).collect();
    let src_idx = o.sources.clone().unwrap_or_else(|| all.clone());
    let dst_idx = o.destinations.clone().unwrap_or(all);
    // Snap every used coordinate once.
    let mut snaps: Vec<Option<kerb_core::Waypoint>> = vec![None; coords.len()];
    for &i in src_idx.iter().chain(&dst_idx) {
        if snaps[i].is_none() {
            snaps[i] = Some(waypoint(g, coords, i, &o.common)?);
        }
    }
    let wp = |i: usize| snaps[i].clone().expect("snapped above");
    let sources: Vec<_> = src_idx.iter().map(|&i| wp(i)).collect();
    let destinations: Vec<_> = dst_idx.iter().map(|&i| wp(i)).collect();
    let (durations_s, distances_m) = matrix(g, &sources, &destinations)?;
    let src_pts: Vec<_> = sources
        .iter()
        .map(|w| fallback_point(&w.snap, o.fallback_coordinate))
        .collect();
    let dst_pts: Vec<_> = destinations
        .iter()
        .map(|w| fallback_point(&w.snap, o.fallback_coordinate))
        .collect();
    let (durations, distances, fallback_cells) =
        table_cells(&durations_s, &distances_m, &src_pts, &dst_pts, o);
    let hints = o.common.generate_hints;
    let wps = |v: &[kerb_core::Waypoint]| -> Vec<Waypoint> {
        v.iter().map(|w| format::waypoint(&w.snap, hints)).collect()
    };
    let resp = TableResponse {
        code: OkCode::Ok,
        durations: o.durations.then_some(durations),
        distances: o.distances.then_some(distances),
        sources: (!o.common.skip_waypoints).then(|| wps(&sources)),
        destinations: (!o.common.skip_waypoints).then(|| wps(&destinations)),
        fallback_speed_cells: o.fallback_speed.map(|_| fallback_cells),
    };
    json_response(&resp)
}

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
    ),
    responses((status = 200, body = TableResponse), (status = 400, body = ErrorBody)))]
pub async fn table_get(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let limit = state.limits().max_table_coordinates;
    let (profile, coords, o) = get_request(&uri, "table", limit, parse_table_query)?;
    table(state, &profile, coords, o).await
}

/// `POST /table/v1/{profile}`: the table service with a JSON body
/// `{"coordinates": [[lon, lat], ...], "sources": [0], "annotations": ["duration", "distance"], ...}`.
#[utoipa::path(post, path = "/table/v1/{profile}", tag = "osrm",
    params(("profile" = String, Path, description = "Profile name")),
    request_body(content = Object, description = "{\"coordinates\": [[lon, lat], ...], plus any table option}"),
    responses((status = 200, body = TableResponse), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn table_post(
    State(state): State<AppState>,
    uri: Uri,
    req: Request,
) -> ApiResult<Response> {
    let limit = state.limits().max_table_coordinates;
    let (profile, coords, o) =
        post_request(&state, &uri, req, "table", limit, parse_table_query).await?;
    table(state, &profile, coords, o).await
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
pub async fn nearest_get(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let p = parse_osrm_path(uri.path())?;
    check_service(&p, "nearest")?;
    let coords = [parse_one_coordinate(&p.coordinates, "Nearest")?];
    let o = parse_nearest_query(uri.query(), coords.len(), state.limits().max_nearest)?;
    let g = state.graph(&p.profile)?;
    state
        .run_blocking(move || {
            let c = coords[0];
            let snaps = if o.common.bearings.first().is_some_and(Option::is_some) {
                if o.number != 1 {
                    return Err(ApiError::new(
                        ErrorCode::NotImplemented,
                        "bearings with number > 1 are not supported",
                    ));
                }
                vec![snap_one(&g, c, 0, &o.common)?]
            } else {
                let mut v = g
                    .nearest(Point::new(c[0], c[1]), o.number)
                    .map_err(core_error)?;
                if let Some(Some(r)) = o.common.radiuses.first() {
                    v.retain(|s| s.distance_m <= *r);
                }
                v
            };
            if snaps.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::NoSegment,
                    "Could not find a matching segment for coordinate 0",
                ));
            }
            let waypoints = snaps
                .iter()
                .map(|s| {
                    let e = g.edge(s.edge);
                    Waypoint {
                        nodes: Some([e.from.0 as u64, e.to.0 as u64]),
                        ..format::waypoint(s, o.common.generate_hints)
                    }
                })
                .collect();
            json_response(&NearestResponse {
                code: OkCode::Ok,
                waypoints,
            })
        })
        .await
}

// ---------------------------------------------------------------- health

/// Liveness and readiness answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` (alive), `ready` or `not ready`.
    pub status: String,
    /// Served profiles.
    pub profiles: Vec<String>,
}

/// `GET /health`: 200 while the process serves HTTP at all.
#[utoipa::path(get, path = "/health", tag = "ops", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok".into(),
        profiles: state.profiles(),
    })
}

/// `GET /ready`: 200 once the graphs are loaded, 503 while loading or shutting down.
#[utoipa::path(get, path = "/ready", tag = "ops", responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
pub async fn ready(State(state): State<AppState>) -> ApiResult<axum::Json<Health>> {
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

// ---------------------------------------------------------------- errors for unknown paths

/// Answers paths no route matched the way OSRM does: `InvalidService`, `InvalidVersion`,
/// `NotImplemented` (match, trip, tile) or `InvalidUrl`.
pub async fn fallback(uri: Uri) -> ApiError {
    match parse_osrm_path(uri.path()) {
        Err(e) => e,
        Ok(p) => match p.service.as_str() {
            "route" | "table" | "nearest" if p.version != "v1" => ApiError::new(
                ErrorCode::InvalidVersion,
                format!("version {:?} not found; kerb implements v1", p.version),
            ),
            "route" | "table" | "nearest" => ApiError::new(ErrorCode::InvalidUrl, format!("URL string malformed: {:?}", uri.path())),
            "match" | "trip" | "tile" => ApiError::new(
                ErrorCode::NotImplemented,
                format!("the {} service is not implemented by kerb; use route, table, nearest or POST /plan", p.service),
            ),
            other => ApiError::new(ErrorCode::InvalidService, format!("Service {other} not found!")),
        },
    }
}

/// Answers a known path with the wrong HTTP method.
pub async fn method_not_allowed(uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("method not allowed on {}", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osrm_paths() {
        let p = parse_osrm_path("/route/v1/car/polyline(a%3Fb)").unwrap();
        assert_eq!(
            (p.service.as_str(), p.version.as_str(), p.profile.as_str()),
            ("route", "v1", "car")
        );
        assert_eq!(p.coordinates, "polyline(a?b)");
        for bad in [
            "/",
            "/route",
            "/route/v1",
            "/route/v1/car",
            "/route/v1/car/",
            "/route/v1/car/%G0",
        ] {
            assert_eq!(
                parse_osrm_path(bad).unwrap_err().code,
                ErrorCode::InvalidUrl,
                "{bad}"
            );
        }
        assert_eq!(
            parse_osrm_path("/route/v1/car/1,2.flatbuffers")
                .unwrap_err()
                .code,
            ErrorCode::NotImplemented
        );
        assert_eq!(post_profile("/table/v1/truck", "table").unwrap(), "truck");
        assert!(post_profile("/table/v1/", "table").is_err());
    }

    #[test]
    fn core_errors_map_to_osrm_codes() {
        let code = |e| core_error(e).code;
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
        assert_eq!(code(kerb_core::Error::Checksum), ErrorCode::InternalError);
    }

    #[test]
    fn unreachable_cells_are_null_or_fallback_estimates() {
        let inf = f64::INFINITY;
        let (t, d) = (vec![0.0, 12.34, inf, 0.0], vec![0.0, 100.06, inf, 0.0]);
        let pts = [Point::new(24.94, 60.17), Point::new(24.95, 60.17)];
        let plain = TableOptions::default();
        let (t1, d1, f) = table_cells(&t, &d, &pts, &pts, &plain);
        assert_eq!(t1, vec![vec![Some(0.0), Some(12.3)], vec![None, Some(0.0)]]);
        assert_eq!(d1[0][1], Some(100.1));
        assert!(f.is_empty());
        let fb = TableOptions {
            fallback_speed: Some(5.0),
            scale_factor: 2.0,
            ..TableOptions::default()
        };
        let (t2, d2, f) = table_cells(&t, &d, &pts, &pts, &fb);
        let crow = haversine_m(pts[1], pts[0]);
        assert_eq!(f, vec![[1, 0]]);
        assert_eq!(d2[1][0], Some(round1(crow)));
        assert_eq!(t2[1][0], Some(round1(crow / 5.0 * 2.0)));
        assert_eq!(t2[0][1], Some(round1(12.34 * 2.0)));
    }
}
