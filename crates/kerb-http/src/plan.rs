//! `POST /plan`: vehicle routing with VROOM-compatible JSON in and out. Locations are either
//! `location_index` into the request's `matrices`, or `[lon, lat]` coordinates for which one
//! matrix per vehicle profile is computed, each on the served graph of that profile
//! (vehicles naming none use `?profile=`, else `truck`).
//!
//! This module only translates HTTP: the query string into [`PlanOptions`], the server's
//! limits into [`PlanLimits::serve`], errors into VROOM's error JSON (`{"code": 1|2|3|4,
//! "error": "..."}` as VROOM and vroom-express answer, see [`kerb_api::plan::vroom_code`],
//! plus kerb's error `kind`; the HTTP status is kerb's for that kind); planning itself is
//! [`kerb_api::plan`], as for the CLI and Python. The OSRM endpoints keep OSRM's errors.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::handlers::{json_response, read_body};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kerb_api::plan::{self as api, PlanError, PlanLimits, PlanOptions, Routing};
use kerb_core::{Graph, GraphSet};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

/// JSON body of a failed `/plan` or `/plan/week` request: VROOM's error shape plus kerb's kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct VroomErrorBody {
    /// VROOM's error code: 1 internal, 2 input, 3 routing, 4 too large (vroom-express).
    #[schema(example = 2)]
    pub code: u8,
    /// Human-readable explanation.
    #[schema(example = "Duplicate job id: 1.")]
    pub error: String,
    /// kerb's error kind (the `code` the OSRM endpoints would answer), e.g. `"InvalidValue"`.
    #[schema(example = "InvalidValue")]
    pub kind: String,
}

/// `e` in VROOM's error shape, sent with `e`'s HTTP status.
fn vroom_error(e: ApiError) -> Response {
    if e.status.is_server_error() {
        tracing::warn!(code = %e.code, message = %e.message, "plan failed");
    } else {
        tracing::debug!(code = %e.code, message = %e.message, "plan rejected");
    }
    let body = VroomErrorBody {
        code: api::vroom_code(e.code),
        error: e.message,
        kind: e.code.code().to_string(),
    };
    (e.status, axum::Json(body)).into_response()
}

/// Solver options of one request: `?iterations=`, `?time_limit_s=`, `?threads=`, `?seed=`;
/// `profile` and the keys in `other` are read elsewhere, any other key is an error.
fn plan_options(query: Option<&str>, other: &[&str]) -> ApiResult<PlanOptions> {
    let mut o = PlanOptions::default();
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let bad = || ApiError::new(ErrorCode::InvalidQuery, format!("{k}: invalid value {v:?}"));
        match k.as_ref() {
            "iterations" => {
                o = o.with_iterations(v.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(bad)?)
            }
            "threads" => {
                o = o.with_threads(v.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(bad)?)
            }
            "time_limit_s" => {
                let s = v.parse::<f64>().map_err(|_| bad())?;
                o = o
                    .with_time_limit_s(s)
                    .map_err(|e| ApiError::new(ErrorCode::InvalidQuery, e.message))?;
            }
            "seed" => o = o.with_seed(v.parse().map_err(|_| bad())?),
            "profile" => {}
            k if other.contains(&k) => {}
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

/// The HTTP answer to a failed plan: the kind's OSRM code, `TooBig` as 413.
fn plan_error(e: PlanError) -> ApiError {
    let code = e.kind();
    let err = ApiError::new(code, kerb_api::Error::from(e).message);
    if code == ErrorCode::TooBig {
        err.with_status(StatusCode::PAYLOAD_TOO_LARGE)
    } else {
        err
    }
}

/// The default profile, for vehicles (or trucks) that name none: `?profile=`, else `truck`
/// when served, else the first served profile.
fn default_profile(query: Option<&str>, state: &AppState) -> String {
    if let Some(p) = query_param(query, "profile") {
        return p;
    }
    let served = state.profiles();
    if served.iter().any(|p| p == "truck") || served.is_empty() {
        "truck".into()
    } else {
        served[0].clone()
    }
}

/// The first value of `key` in a query string, percent-decoded.
fn query_param(query: Option<&str>, key: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The body of a plan request as JSON (an object) and as text.
async fn json_body(state: &AppState, req: Request) -> ApiResult<(Value, String)> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, state).await?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::new(
            ErrorCode::InvalidJson,
            "request body must be a JSON object",
        ));
    }
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::new(ErrorCode::InvalidJson, "body is not UTF-8"))?;
    Ok((value, text))
}

/// `POST /plan/week`: plans a collection week (kerb-collect's week JSON: a day template,
/// per-bin fill state and frequency, sensor readings, working days) on the truck graph.
/// Query options: `policy` (`forecast`, the default, or `fixed`) and `/plan`'s solver options,
/// where the time limit is the whole week's, shared equally by its working days.
#[utoipa::path(post, path = "/plan/week", tag = "plan",
    params(
        ("policy" = Option<String>, Query, description = "`forecast` (collect by fill forecast on the territories' zone days, the default) or `fixed` (a rota)"),
        ("profile" = Option<String>, Query, description = "graph the bins are planned on (default: truck, else the first served profile, as `/plan`)"),
        ("iterations" = Option<u64>, Query, description = "solver iterations per thread and day"),
        ("time_limit_s" = Option<f64>, Query, description = "time limit of the whole week, capped by the server's plan limit"),
        ("threads" = Option<usize>, Query, description = "solver threads, clamped to the server's cores"),
        ("seed" = Option<u64>, Query, description = "random seed"),
    ),
    request_body(content = Object, description = "A collection week: `day` (a collection-day template with every bin, depots, disposal sites, the fleet), `bins` (capacity_l, frequency, known rate/fill), `readings` (bin_id, timestamp, fill_pct), `start`, `first_weekday`, `working_days`, `options`"),
    responses((status = 200, description = "The week plan: `days` (each a collection-day plan with KPIs), `totals` (distance_km, working_h, overflows, balance, territory stability), `territories`, `forecasts`", body = Object),
              (status = 400, body = VroomErrorBody), (status = 413, body = VroomErrorBody), (status = 422, body = VroomErrorBody)))]
pub async fn plan_week(State(state): State<AppState>, uri: Uri, req: Request) -> Response {
    plan_week_json(state, uri, req)
        .await
        .unwrap_or_else(vroom_error)
}

async fn plan_week_json(state: AppState, uri: Uri, req: Request) -> ApiResult<Response> {
    let (_, text) = json_body(&state, req).await?;
    let options = plan_options(uri.query(), &["policy"])?;
    let policy = match query_param(uri.query(), "policy") {
        Some(p) => p
            .parse::<kerb_collect::Policy>()
            .map_err(|e| plan_error(PlanError::Collect(e)))?,
        None => kerb_collect::Policy::default(),
    };
    let limits = PlanLimits::serve(
        state.limits().plan_time_limit,
        state.limits().max_table_coordinates,
    );
    let graph = state.graph(&default_profile(uri.query(), &state));
    let week = kerb_collect::CollectionWeek::from_json(&text)
        .map_err(|e| plan_error(PlanError::Collect(e)))?;
    state
        .run_plan(move |cancel| {
            let g = graph?;
            let plan = api::plan_week(&g, week, policy, &options, &limits, Some(cancel))
                .map_err(plan_error)?;
            json_response(&api::week_output(&plan).map_err(|e| plan_error(e.into()))?)
        })
        .await
}

/// The served graphs a request plans on: the default profile's first, then those its
/// vehicles (VROOM) or trucks (collection day) name, so each is routed on its own profile.
fn fleet_graphs(query: Option<&str>, body: &Value, state: &AppState) -> ApiResult<Vec<Arc<Graph>>> {
    let mut graphs = vec![state.graph(&default_profile(query, state))?];
    let fleet = body["vehicles"]
        .as_array()
        .or_else(|| body["trucks"].as_array());
    for name in fleet
        .into_iter()
        .flatten()
        .filter_map(|v| v["profile"].as_str())
    {
        let g = state.graph(name)?;
        if !graphs.iter().any(|x| Arc::ptr_eq(x, &g)) {
            graphs.push(g);
        }
    }
    Ok(graphs)
}

/// The set of `graphs` as kerb-api takes it (the first is the default).
fn graph_set(graphs: &[Arc<Graph>]) -> GraphSet<'_> {
    graphs
        .iter()
        .fold(GraphSet::new(), |set, g| set.with(g.as_ref()))
}

/// `POST /plan`: plans routes for a fleet (VROOM JSON in, VROOM JSON out, plus kerb's disposal
/// facilities). Query options: `profile`, `iterations`, `time_limit_s`, `threads`, `seed`;
/// defaults and limits are kerb-api's ([`PlanOptions`], [`PlanLimits::serve`]).
#[utoipa::path(post, path = "/plan", tag = "plan",
    params(
        ("profile" = Option<String>, Query, description = "graph for vehicles (or trucks) that name no `profile` (default: truck, else the first served); the others are routed on their own profile's graph"),
        ("iterations" = Option<u64>, Query, description = "solver iterations per thread (default 20000 for VROOM input when no time limit is given; a collection day's options otherwise); at most 1,000,000"),
        ("time_limit_s" = Option<f64>, Query, description = "solver time limit, capped by the server's plan limit"),
        ("threads" = Option<usize>, Query, description = "solver threads (default 1, or the collection day's); clamped to 4 and the server's cores"),
        ("seed" = Option<u64>, Query, description = "random seed (default 1, or the collection day's)"),
    ),
    request_body(content = Object, description = "Either VROOM input: vehicles, jobs, and `matrices` (with location_index) or `location`/`start`/`end` as [lon, lat], `options` as vroom-express takes them (`g`: route geometry, `t`: threads, `l`: time limit; query options win), kerb extension `facilities`; or a collection day (an object with `bins`): bins, streets to serve along their length, depots, disposal_sites, trucks, options, planned on the truck graph"),
    responses((status = 200, description = "VROOM output (code, summary with computing_times, unassigned, routes with geometry when `options.g`), or for a collection day the plan (totals, routes with stops and road geometry, unassigned with reasons, timings)", body = Object),
              (status = 400, body = VroomErrorBody), (status = 413, description = "the request exceeds a plan limit (jobs, vehicles, locations, matrix cells, iterations), named in the message", body = VroomErrorBody),
              (status = 422, body = VroomErrorBody), (status = 501, body = VroomErrorBody)))]
pub async fn plan(State(state): State<AppState>, uri: Uri, req: Request) -> Response {
    plan_json(state, uri, req).await.unwrap_or_else(vroom_error)
}

async fn plan_json(state: AppState, uri: Uri, req: Request) -> ApiResult<Response> {
    let (value, text) = json_body(&state, req).await?;
    let options = plan_options(uri.query(), &[])?;
    let limits = PlanLimits::serve(
        state.limits().plan_time_limit,
        state.limits().max_table_coordinates,
    );
    let graphs = fleet_graphs(uri.query(), &value, &state);
    if api::is_collection_day(&value) {
        // A collection day (kerb-collect's format): snap with kerbside approaches, plan with
        // disposal trips, answer with routes, stops and road geometry (plus GeoJSON).
        let day = kerb_collect::CollectionDay::from_json(&text)
            .map_err(|e| plan_error(PlanError::Collect(e)))?;
        return state
            .run_plan(move |cancel| {
                let graphs = graphs?;
                let (_, plan) = api::plan_day_cancellable(
                    &graph_set(&graphs),
                    day,
                    &options,
                    &limits,
                    None,
                    Some(cancel),
                )
                .map_err(plan_error)?;
                json_response(&api::day_output(&plan).map_err(|e| plan_error(e.into()))?)
            })
            .await;
    }
    // With its own matrices the input needs no graph (and its profile need not be served).
    let own_matrices = value.get("matrices").is_some() || value.get("matrix").is_some();
    let graphs = match graphs {
        Ok(g) => g,
        Err(_) if own_matrices => Vec::new(),
        Err(e) => return Err(e),
    };
    state
        .run_plan(move |cancel| {
            let routing = Routing::fleet(graph_set(&graphs));
            let (vp, sol) =
                api::plan_vroom_cancellable(&text, &routing, &options, &limits, None, Some(cancel))
                    .map_err(plan_error)?;
            json_response(&api::vroom_output(&vp, &sol, &routing).map_err(plan_error)?)
        })
        .await
}
