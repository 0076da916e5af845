//! The OpenAPI 3 document, generated from the handlers' annotations and the response types,
//! then told the truth about what the server accepts ([`tighten`]): the served profile names,
//! the coordinate-list grammar with its ranges and per-service counts, every option's enum,
//! pattern or range, the JSON bodies of the POST forms (required fields, no unknown keys).
//! `scripts/schemathesis/run.sh` checks the server against it.

use crate::config::Limits;
use crate::error::ErrorBody;
use crate::handlers::{self, Health};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use kerb_api::matching::{MatchResponse, Matching, Tracepoint};
use kerb_api::osrm::{
    Annotation, AnnotationMetadata, Intersection, NearestResponse, OkCode, Route, RouteLeg,
    RouteResponse, RouteStep, StepManeuver, TableResponse, Waypoint,
};
use kerb_api::trip::{TripResponse, TripWaypoint};
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

/// The API description served at `/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "kerb HTTP API",
        description = "OSRM v1 compatible routing (route, table, nearest, match) and vehicle-routing plans"
    ),
    paths(
        handlers::route_get,
        handlers::route_post,
        handlers::table_get,
        handlers::table_post,
        handlers::nearest_get,
        handlers::trip_get,
        handlers::match_get,
        handlers::match_post,
        crate::isochrone::isochrone_get,
        crate::plan::plan,
        crate::plan::plan_week,
        handlers::health,
        handlers::ready
    ),
    components(schemas(
        ErrorBody,
        crate::plan::VroomErrorBody,
        Health,
        OkCode,
        Waypoint,
        RouteResponse,
        Route,
        RouteLeg,
        RouteStep,
        StepManeuver,
        Intersection,
        Annotation,
        AnnotationMetadata,
        TableResponse,
        NearestResponse,
        TripResponse,
        TripWaypoint,
        MatchResponse,
        Matching,
        Tracepoint
    ))
)]
pub(crate) struct ApiDoc;

/// `GET /openapi.json`: the generated document, tightened for this server's profiles and
/// limits, with an example coordinate on its first graph.
pub(crate) async fn serve(State(state): State<AppState>) -> Json<Value> {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let mut profiles = state.profiles();
    if profiles.iter().any(|p| p == "car") && !profiles.iter().any(|p| p == "driving") {
        profiles.push("driving".into());
    }
    let example = profiles
        .first()
        .and_then(|p| state.graph(p).ok())
        .and_then(|g| example_points(&g));
    tighten(&mut doc, &profiles, state.limits(), example);
    Json(doc)
}

/// Two nearby points on the graph's roads (the coordinates of two of its nodes), for the
/// examples of the coordinate parameters.
fn example_points(g: &kerb_core::Graph) -> Option<[[f64; 2]; 2]> {
    let n = g.num_nodes();
    if n < 2 {
        return None;
    }
    let a = g.node_point(kerb_core::NodeId(n as u32 / 2));
    let b = g.node_point(kerb_core::NodeId(n as u32 / 2 + 1));
    Some([[a.x(), a.y()], [b.x(), b.y()]])
}

/// A longitude in decimal degrees, -180..=180, at most six decimals.
const LON: &str = r"-?(180(\.0{1,6})?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]{1,6})?)";
/// A latitude in decimal degrees, -90..=90, at most six decimals.
const LAT: &str = r"-?(90(\.0{1,6})?|[1-8]?[0-9](\.[0-9]{1,6})?)";
/// One `radiuses` element: metres or `unlimited`.
const RADIUS: &str = r"([0-9]{1,6}(\.[0-9]{1,3})?|unlimited)";
/// One `bearings` element: `{value},{range}`, value 0..=360 and range 0..=180 degrees.
const BEARING: &str = r"(360|3[0-5][0-9]|[12]?[0-9]?[0-9]),(180|1[0-7][0-9]|[1-9]?[0-9])";
/// One `approaches` element.
const APPROACH: &str = "(curb|opposite|unrestricted)";
/// `depart_at`: a local date and time, or a weekday and time (kerb-api's `parse_depart_at`).
const DEPART_AT: &str = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?|(Mo|Tu|We|Th|Fr|Sa|Su) [0-9]{1,2}:[0-9]{2})$";
/// The route and match services' annotation names.
const ROUTE_ANNOTATION: &str = "(nodes|distance|duration|datasources|weight|speed)";

/// `^(E)?(;(E)?)*$`: a `;`-separated list with one (possibly empty) element per coordinate.
fn per_coordinate(element: &str) -> Value {
    json!({"type": "string", "pattern": format!("^({element})?(;({element})?)*$")})
}

/// One contour in minutes: positive, at most `most` (only the bounds 60 and 10 are spelled
/// out; a server whose limit lies between allows what the smaller one does).
fn contour_pattern(most: u64) -> &'static str {
    if most >= 60 {
        r"(0\.[0-9]{0,2}[1-9]|[1-9](\.[0-9]{1,3})?|[1-5][0-9](\.[0-9]{1,3})?|60)"
    } else if most >= 10 {
        r"(0\.[0-9]{0,2}[1-9]|[1-9](\.[0-9]{1,3})?)"
    } else {
        "1"
    }
}

fn enumeration(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

/// The coordinates path parameter of a service taking `min..=max` coordinates.
fn coordinates(min: usize, max: usize) -> Value {
    let c = format!("{LON},{LAT}");
    let pattern = match (min, max) {
        (_, 1) => format!("^{c}$"),
        (min, max) => format!("^{c}(;{c}){{{},{}}}$", min.max(1) - 1, max.max(1) - 1),
    };
    json!({"type": "string", "pattern": pattern})
}

/// The schema of a query option `name` of the operation at `path`, if kerb knows it.
fn option_schema(path: &str, name: &str, profiles: &[String], limits: &Limits) -> Option<Value> {
    let table = path.starts_with("/table/");
    let index_list = json!({"type": "string", "pattern": "^(all|[0-9]{1,4}(;[0-9]{1,4})*)$"});
    Some(match name {
        "profile" => json!({"type": "string", "enum": profiles}),
        "overview" => enumeration(&["simplified", "full", "false"]),
        "geometries" => enumeration(&["polyline", "polyline6", "geojson"]),
        "steps" | "generate_hints" | "skip_waypoints" | "tidy" => json!({"type": "boolean"}),
        "annotations" if table => {
            json!({"type": "string", "pattern": "^(duration|distance)(,(duration|distance))*$"})
        }
        "annotations" => {
            json!({"type": "string", "pattern": format!("^(true|false|{ROUTE_ANNOTATION}(,{ROUTE_ANNOTATION})*)$")})
        }
        "alternatives" => json!({"type": "string", "pattern": "^(true|false|[0-9])$"}),
        "approaches" => per_coordinate(APPROACH),
        "radiuses" => per_coordinate(RADIUS),
        "bearings" => per_coordinate(BEARING),
        "sources" | "destinations" => index_list,
        "fallback_speed" => json!({"type": "number", "exclusiveMinimum": 0}),
        "fallback_coordinate" => enumeration(&["input", "snapped"]),
        "scale_factor" => json!({"type": "number", "exclusiveMinimum": 0}),
        "number" => json!({"type": "integer", "minimum": 1, "maximum": limits.max_nearest}),
        "timestamps" => json!({"type": "string", "pattern": "^[0-9]{1,10}(;[0-9]{1,10})*$"}),
        "gaps" => enumeration(&["split", "ignore"]),
        "waypoints" => json!({"type": "string", "pattern": "^[0-9]{1,4}(;[0-9]{1,4})*$"}),
        "contours_minutes" => {
            let most = (limits.max_isochrone_s / 60.0).floor().max(1.0) as u64;
            let c = contour_pattern(most);
            json!({"type": "string", "pattern": format!("^{c}(,{c}){{0,9}}$"),
                   "description": format!("1 to 10 contours in minutes, each at most {most}")})
        }
        // More iterations than the plan limit are a 413 naming it; threads are clamped.
        "iterations" => json!({"type": "integer", "minimum": 1}),
        "threads" => json!({"type": "integer", "minimum": 1}),
        "time_limit_s" => {
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": kerb_api::plan::MAX_TIME_LIMIT_S})
        }
        "seed" => json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}),
        "policy" => enumeration(&["forecast", "fixed"]),
        "depart_at" => json!({"type": "string", "pattern": DEPART_AT}),
        _ => return None,
    })
}

/// The JSON body of `POST /{service}/v1/{profile}`: `coordinates` as `[lon, lat]` pairs and
/// the service's options with JSON types, nothing else.
fn osrm_body(service: &str, limits: &Limits) -> Value {
    let (min, max) = match service {
        "route" => (2, limits.max_route_coordinates),
        "table" => (1, limits.max_table_coordinates),
        _ => (2, limits.max_match_coordinates),
    };
    let pair = json!({"type": "array", "minItems": 2, "maxItems": 2, "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90}]});
    let nullable = |s: Value| json!({"oneOf": [s, {"type": "null"}]});
    let mut props = Map::new();
    props.insert(
        "coordinates".into(),
        json!({"type": "array", "items": pair, "minItems": min, "maxItems": max}),
    );
    props.insert("radiuses".into(), json!({"type": "array", "items": nullable(json!({"type": "number", "minimum": 0, "maximum": 1e6}))}));
    if service != "match" {
        // The match service answers approaches (and bearings) with 501.
        props.insert("approaches".into(), json!({"type": "array", "items": nullable(enumeration(&["curb", "opposite", "unrestricted"]))}));
    }
    props.insert("generate_hints".into(), json!({"type": "boolean"}));
    props.insert("skip_waypoints".into(), json!({"type": "boolean"}));
    if service != "match" {
        props.insert(
            "depart_at".into(),
            json!({"type": "string", "pattern": DEPART_AT}),
        );
    }
    let route_like = |props: &mut Map<String, Value>| {
        props.insert("steps".into(), json!({"type": "boolean"}));
        props.insert(
            "overview".into(),
            enumeration(&["simplified", "full", "false"]),
        );
        props.insert(
            "geometries".into(),
            enumeration(&["polyline", "polyline6", "geojson"]),
        );
        props.insert("annotations".into(), json!({"oneOf": [{"type": "boolean"},
            {"type": "array", "minItems": 1, "items": enumeration(&["nodes", "distance", "duration", "datasources", "weight", "speed"])}]}));
    };
    match service {
        "route" => {
            route_like(&mut props);
            props.insert("bearings".into(), json!({"type": "array", "items": nullable(json!({"type": "array", "minItems": 2, "maxItems": 2, "prefixItems": [
                {"type": "integer", "minimum": 0, "maximum": 360}, {"type": "integer", "minimum": 0, "maximum": 180}]}))}));
            props.insert("alternatives".into(), json!({"oneOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 9}]}));
        }
        "table" => {
            let indices = json!({"oneOf": [{"const": "all"}, {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 9999}}]});
            props.insert("sources".into(), indices.clone());
            props.insert("destinations".into(), indices);
            props.insert("annotations".into(), json!({"type": "array", "minItems": 1, "items": enumeration(&["duration", "distance"])}));
            props.insert(
                "fallback_speed".into(),
                json!({"type": "number", "exclusiveMinimum": 0}),
            );
            props.insert(
                "fallback_coordinate".into(),
                enumeration(&["input", "snapped"]),
            );
            props.insert(
                "scale_factor".into(),
                json!({"type": "number", "exclusiveMinimum": 0}),
            );
        }
        _ => {
            route_like(&mut props);
            props.insert("timestamps".into(), json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 9_999_999_999_u64}}));
            props.insert("gaps".into(), enumeration(&["split", "ignore"]));
            props.insert("tidy".into(), json!({"type": "boolean"}));
            props.insert("waypoints".into(), json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 9999}}));
        }
    }
    json!({"type": "object", "required": ["coordinates"], "properties": props, "additionalProperties": false})
}

/// Rewrites the generated document `doc` to say exactly what this server accepts: path and
/// query parameter schemas from [`option_schema`] (profiles from `profiles`), coordinate
/// lists with the counts of each service under `limits`, the POST bodies, and `example` as the
/// example of every coordinate parameter.
pub(crate) fn tighten(
    doc: &mut Value,
    profiles: &[String],
    limits: &Limits,
    example: Option<[[f64; 2]; 2]>,
) {
    // A geometry is an encoded polyline (a string) or GeoJSON (an object), as `geometries=` asks.
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            if let Some(g) = schema.pointer_mut("/properties/geometry") {
                let description = g.get("description").cloned().unwrap_or(Value::Null);
                *g = json!({"oneOf": [{"type": "string"}, {"type": "object"}], "description": description});
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let fmt = |p: [f64; 2]| format!("{:.6},{:.6}", p[0], p[1]);
    for (path, item) in paths.iter_mut() {
        let service = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
            .to_string();
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for op in ops.values_mut() {
            for param in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                let name = param["name"].as_str().unwrap_or("").to_string();
                let schema = if name == "coordinates" {
                    let (min, max) = match service.as_str() {
                        "route" => (2, limits.max_route_coordinates),
                        "table" => (1, limits.max_table_coordinates),
                        "match" => (2, limits.max_match_coordinates),
                        _ => (1, 1),
                    };
                    if let Some([a, b]) = example {
                        param["example"] = Value::String(if max == 1 {
                            fmt(a)
                        } else {
                            format!("{};{}", fmt(a), fmt(b))
                        });
                    }
                    Some(coordinates(min, max))
                } else {
                    option_schema(path, &name, profiles, limits)
                };
                if let Some(schema) = schema {
                    param["schema"] = schema;
                }
            }
            if matches!(
                service.as_str(),
                "route" | "table" | "nearest" | "match" | "isochrone"
            ) {
                // OSRM values kerb does not implement (format=flatbuffers, ...).
                op["responses"]["501"] = json!({"description": "an OSRM option value kerb does not implement",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}});
            }
            if matches!(service.as_str(), "route" | "table" | "match")
                && op.get("requestBody").is_some()
            {
                let mut body = osrm_body(&service, limits);
                if let Some([a, b]) = example {
                    let n = if service == "table" { 1 } else { 2 };
                    let pairs = &[a, b][..n];
                    body["example"] = json!({ "coordinates": pairs });
                }
                op["requestBody"]["content"]["application/json"]["schema"] = body;
            }
        }
    }
}
