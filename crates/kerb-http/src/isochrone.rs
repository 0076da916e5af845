//! `GET /isochrone/v1/{profile}/{lon},{lat}?contours_minutes=5,10`: where a vehicle gets from
//! one point within each time budget, as kerb-api's GeoJSON `FeatureCollection` of polygons.
//!
//! Options: `contours_minutes=` or `contours_s=` (comma-separated, at most
//! [`kerb_api::params::MAX_CONTOURS`]), plus OSRM's per-coordinate `radiuses`, `bearings` and
//! `approaches` (`approaches=curb` starts with the point on the kerb side).

use axum::extract::State;
use axum::response::Response;
use kerb_api::coords::parse_one_coordinate;
use kerb_api::params::parse_isochrone;
use kerb_api::service;

use crate::error::ApiResult;
use crate::extract::{Options, OsrmPath};
use crate::handlers::answer;
use crate::state::AppState;

/// The isochrone handler.
#[utoipa::path(get, path = "/isochrone/v1/{profile}/{coordinates}", tag = "kerb",
    params(
        ("profile" = String, Path, description = "Profile name"),
        ("coordinates" = String, Path, description = "one lon,lat"),
        ("contours_minutes" = Option<String>, Query, description = "time budgets in minutes, comma-separated (or contours_s in seconds)"),
        ("approaches" = Option<String>, Query, description = "curb: leave with the point on the kerb side"),
        ("radiuses" = Option<String>, Query, description = "snap radius in metres"),
    ),
    responses((status = 200, description = "GeoJSON FeatureCollection, one Polygon per contour, largest first"),
              (status = 400, body = crate::error::ErrorBody)))]
pub(crate) async fn isochrone_get(
    State(state): State<AppState>,
    path: OsrmPath,
    Options(options): Options,
) -> ApiResult<Response> {
    let c = parse_one_coordinate(&path.coordinates, "Isochrone")?;
    let o = parse_isochrone(&options, state.limits().max_isochrone_s)?;
    answer(&state, &path.profile, move |g| service::isochrone(g, c, &o)).await
}
