//! `GET /isochrone/v1/{profile}/{lon},{lat}?contours_minutes=5,10`: where a vehicle gets from
//! one point within each time budget, as a GeoJSON `FeatureCollection` of polygons (largest
//! first, as Valhalla and GraphHopper return them for drawing).
//!
//! Options: `contours_minutes=` or `contours_s=` (comma-separated, at most
//! [`MAX_CONTOURS`]), plus OSRM's per-coordinate `radiuses`, `bearings` and `approaches`
//! (`approaches=curb` starts with the point on the kerb side).

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use kerb_core::{Approach, Waypoint};

use crate::coords::parse_one_coordinate;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::handlers::{core_error, json_response, parse_osrm_path, snap_one};
use crate::params::{
    options_err, pairs, parse_common, query_err, unknown, ApproachOpt, CommonOptions,
};
use crate::state::AppState;

/// Most contours in one request.
pub const MAX_CONTOURS: usize = 10;

/// Options of the isochrone service.
#[derive(Debug, Clone, PartialEq)]
pub struct IsochroneOptions {
    /// Snapping options of the one coordinate.
    pub common: CommonOptions,
    /// Time budgets in seconds, in the order given.
    pub contours_s: Vec<f64>,
}

/// Parses the isochrone service's query string; `max_s` bounds every contour.
///
/// ```
/// let o = kerb_http::isochrone::parse_isochrone_query(Some("contours_minutes=5,10"), 3600.0).unwrap();
/// assert_eq!(o.contours_s, vec![300.0, 600.0]);
/// assert!(kerb_http::isochrone::parse_isochrone_query(Some("contours_s=7200"), 3600.0).is_err());
/// ```
pub fn parse_isochrone_query(query: Option<&str>, max_s: f64) -> ApiResult<IsochroneOptions> {
    let mut o = IsochroneOptions {
        common: CommonOptions::default(),
        contours_s: Vec::new(),
    };
    for (k, v) in pairs(query) {
        if parse_common(&k, &v, 1, &mut o.common)? {
            continue;
        }
        let scale = match k.as_str() {
            "contours_minutes" => 60.0,
            "contours_s" => 1.0,
            _ => return Err(unknown(&k)),
        };
        o.contours_s = v
            .split(',')
            .map(|e| {
                e.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .map(|x| x * scale)
                    .ok_or_else(|| query_err(format!("{k}: expected positive numbers, got {e:?}")))
            })
            .collect::<ApiResult<_>>()?;
    }
    if o.contours_s.is_empty() {
        return Err(options_err(
            "isochrone needs contours_minutes= or contours_s= (e.g. contours_minutes=5,10)",
        ));
    }
    if o.contours_s.len() > MAX_CONTOURS {
        return Err(ApiError::new(
            ErrorCode::TooBig,
            format!("at most {MAX_CONTOURS} contours per request"),
        ));
    }
    if let Some(big) = o.contours_s.iter().find(|&&c| c > max_s) {
        return Err(ApiError::new(
            ErrorCode::TooBig,
            format!("contour of {big} s exceeds the limit of {max_s} s"),
        ));
    }
    Ok(o)
}

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
pub async fn isochrone_get(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let p = parse_osrm_path(uri.path())?;
    if p.version != "v1" {
        return Err(ApiError::new(
            ErrorCode::InvalidVersion,
            format!("version {:?} not found; kerb implements v1", p.version),
        ));
    }
    let coord = parse_one_coordinate(&p.coordinates, "Isochrone")?;
    let o = parse_isochrone_query(uri.query(), state.limits().max_isochrone_s)?;
    let g = state.graph(&p.profile)?;
    state
        .run_blocking(move || {
            let snap = snap_one(&g, coord, 0, &o.common)?;
            let approach = match o.common.approaches.first() {
                Some(Some(ApproachOpt::Curb)) => Approach::Curb,
                _ => Approach::Unrestricted,
            };
            let origin = Waypoint::new(snap.clone()).with_approach(approach);
            let mut isos = g.isochrones(&origin, &o.contours_s).map_err(core_error)?;
            isos.sort_by(|a, b| b.limit_s.total_cmp(&a.limit_s));
            let features: Vec<_> = isos
                .iter()
                .map(|iso| {
                    let mut f = iso.to_geojson();
                    f["properties"]["contour_minutes"] = (iso.limit_s / 60.0).into();
                    f
                })
                .collect();
            json_response(&serde_json::json!({
                "type": "FeatureCollection",
                "code": "Ok",
                "features": features,
                "waypoint": {"location": [snap.point.x(), snap.point.y()], "name": snap.name,
                              "distance": snap.distance_m},
            }))
        })
        .await
}
