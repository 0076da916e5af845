//! `POST /plan`: vehicle routing with VROOM-compatible JSON in and out. Locations are either
//! `location_index` into the request's `matrices`, or `[lon, lat]` coordinates for which the
//! matrix is computed on the road graph of the requested profile.

use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::handlers::{json_response, read_body, snap_one};
use crate::params::CommonOptions;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::response::Response;
use kerb_core::Graph;
use kerb_plan::io::vroom;
use serde_json::Value;
use std::time::Duration;

/// Solver options of one request: `?iterations=` and `?time_limit_s=` override the defaults.
fn solve_options(
    query: Option<&str>,
    default_limit: Duration,
) -> ApiResult<kerb_plan::SolveOptions> {
    let mut o = kerb_plan::SolveOptions::iterations(20_000).with_time_limit(Some(default_limit));
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let bad = || ApiError::new(ErrorCode::InvalidQuery, format!("{k}: invalid value {v:?}"));
        match k.as_ref() {
            "iterations" => {
                o.iterations = Some(v.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(bad)?)
            }
            "time_limit_s" => {
                let s = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .ok_or_else(bad)?;
                o.time_limit = Some(Duration::from_secs_f64(s).min(default_limit));
            }
            "seed" => o.seed = v.parse().map_err(|_| bad())?,
            "profile" => {}
            _ => {
                return Err(ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("unknown option {k:?}"),
                ))
            }
        }
    }
    Ok(o)
}

fn plan_error(e: kerb_plan::Error) -> ApiError {
    use kerb_plan::Error as E;
    match &e {
        E::Json(_) | E::Parse { .. } => ApiError::new(ErrorCode::InvalidJson, e.to_string()),
        E::InvalidInstance(_)
        | E::InvalidTimeLimit { .. }
        | E::DuplicateJobId { .. }
        | E::DuplicateVehicleId { .. }
        | E::InvalidPriority { .. }
        | E::InvalidSpeedFactor { .. }
        | E::UnknownStepJob { .. }
        | E::TooLarge { .. } => ApiError::new(ErrorCode::InvalidValue, e.to_string()),
        E::Unsupported(_) => ApiError::new(ErrorCode::NotImplemented, e.to_string()),
        E::Infeasible { .. } => ApiError::new(ErrorCode::InvalidPlan, e.to_string()),
        _ => ApiError::new(ErrorCode::Internal, e.to_string()),
    }
}

/// The profile whose graph routes coordinate locations: `?profile=`, else the vehicles'
/// `profile`, else `truck` when served, else the only served profile.
fn plan_profile(query: Option<&str>, body: &Value, state: &AppState) -> String {
    if let Some((_, p)) =
        form_urlencoded::parse(query.unwrap_or("").as_bytes()).find(|(k, _)| k == "profile")
    {
        return p.into_owned();
    }
    if let Some(p) = body["vehicles"]
        .as_array()
        .and_then(|v| v.iter().find_map(|v| v["profile"].as_str()))
    {
        return p.to_string();
    }
    let served = state.profiles();
    if served.iter().any(|p| p == "truck") || served.is_empty() {
        "truck".into()
    } else {
        served[0].clone()
    }
}

/// `POST /plan`: plans routes for a fleet (VROOM JSON in, VROOM JSON out, plus kerb's disposal
/// facilities). Query options: `profile`, `iterations`, `time_limit_s`, `seed`.
#[utoipa::path(post, path = "/plan", tag = "plan",
    params(
        ("profile" = Option<String>, Query, description = "graph for coordinate locations (default: vehicles' profile, else truck)"),
        ("iterations" = Option<u64>, Query, description = "solver iterations (default 20000)"),
        ("time_limit_s" = Option<f64>, Query, description = "solver time limit, capped by the server's plan limit"),
        ("seed" = Option<u64>, Query, description = "random seed"),
    ),
    request_body(content = Object, description = "Either VROOM input: vehicles, jobs, and `matrices` (with location_index) or `location`/`start`/`end` as [lon, lat], kerb extension `facilities`; or a collection day (an object with `bins`): bins, streets to serve along their length, depots, disposal_sites, trucks, options, planned on the truck graph"),
    responses((status = 200, description = "VROOM output (code, summary, unassigned, routes), or for a collection day the plan (totals, routes with stops and road geometry, unassigned with reasons, timings)", body = Object),
              (status = 400, body = ErrorBody), (status = 422, body = ErrorBody), (status = 501, body = ErrorBody)))]
pub async fn plan(State(state): State<AppState>, uri: Uri, req: Request) -> ApiResult<Response> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, &state).await?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::new(
            ErrorCode::InvalidJson,
            "request body must be a VROOM JSON object",
        ));
    }
    let opts = solve_options(uri.query(), state.limits().plan_time_limit)?;
    let profile = plan_profile(uri.query(), &value, &state);
    let graph = state.graph(&profile);
    let max_locations = state.limits().max_table_coordinates;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::new(ErrorCode::InvalidJson, "body is not UTF-8"))?;
    if value.get("bins").is_some() || value.get("streets").is_some() {
        // A collection day (kerb-collect's format): snap with kerbside approaches, plan with
        // disposal trips, answer with routes, stops and road geometry (plus GeoJSON).
        let mut day = kerb_collect::CollectionDay::from_json(&text)
            .map_err(|e| ApiError::new(ErrorCode::InvalidValue, e.to_string()))?;
        if let Some(limit) = opts.time_limit {
            day.options.time_limit_s = day.options.time_limit_s.min(limit.as_secs_f64());
        }
        let asked = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .any(|(k, _)| k == "iterations");
        if asked {
            day.options.iterations = opts.iterations;
        }
        return state
            .run_blocking(move || {
                let g = graph.clone()?;
                let plan = kerb_collect::plan_collection(&g, &day).map_err(|e| match e {
                    kerb_collect::Error::InvalidInput(m) => {
                        ApiError::new(ErrorCode::InvalidValue, m)
                    }
                    e => ApiError::new(ErrorCode::InvalidPlan, e.to_string()),
                })?;
                let mut out = serde_json::to_value(&plan)
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
                out["code"] = Value::from(0);
                out["geojson"] = plan.to_geojson();
                json_response(&out)
            })
            .await;
    }
    state
        .run_blocking(move || {
            let mut routing_error: Option<ApiError> = None;
            let mut router = |coords: &[[f64; 2]]| -> kerb_plan::Result<kerb_plan::Matrix> {
                let r = (|| -> ApiResult<kerb_plan::Matrix> {
                    if coords.len() > max_locations {
                        return Err(ApiError::new(
                            ErrorCode::TooBig,
                            format!(
                                "{} distinct locations exceed the limit of {max_locations}",
                                coords.len()
                            ),
                        ));
                    }
                    let g = graph.clone()?;
                    for (i, &c) in coords.iter().enumerate() {
                        crate::coords::validate(c, i)?;
                    }
                    let wps = snap_all(&g, coords)?;
                    let (durations_s, distances_m) = crate::handlers::matrix(&g, &wps, &wps)?;
                    if let Some(k) = durations_s.iter().position(|t| !t.is_finite()) {
                        let n = coords.len();
                        return Err(ApiError::new(
                            ErrorCode::NoRoute,
                            format!(
                                "no route from location {:?} to location {:?}",
                                coords[k / n],
                                coords[k % n]
                            ),
                        ));
                    }
                    kerb_plan::Matrix::new(coords.len(), durations_s, distances_m)
                        .map_err(plan_error)
                })();
                r.map_err(|e| {
                    routing_error = Some(e);
                    kerb_plan::Error::InvalidInstance("routing the coordinates failed".into())
                })
            };
            let vp = match vroom::read_vroom_with_router(&text, Some(&mut router)) {
                Ok(vp) => vp,
                Err(e) => return Err(routing_error.take().unwrap_or_else(|| plan_error(e))),
            };
            let sol = kerb_plan::solve(&vp.problem, &opts).map_err(plan_error)?;
            json_response(&vroom::write_output(&vp, &sol))
        })
        .await
}

/// Snaps coordinates with default options (no approach constraint), as `/plan` does.
fn snap_all(g: &Graph, coords: &[[f64; 2]]) -> ApiResult<Vec<kerb_core::Waypoint>> {
    let common = CommonOptions::default();
    coords
        .iter()
        .enumerate()
        .map(|(i, &c)| Ok(kerb_core::Waypoint::new(snap_one(g, c, i, &common)?)))
        .collect()
}
