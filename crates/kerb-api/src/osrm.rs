//! OSRM v1 response objects (`Waypoint`, `Route`, `RouteLeg`, `RouteStep`, `Annotation`, table
//! and nearest responses), serialised with OSRM's field names.
//!
//! With the `openapi` feature they also derive `utoipa::ToSchema`, for the HTTP server's
//! OpenAPI document.

use serde::Serialize;
use serde_json::Value;

/// Rounds to one decimal, as OSRM does for distances, durations and weights of routes.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Rounds a coordinate to OSRM's fixed-point precision (1e-6 degrees).
pub fn round_coord(c: [f64; 2]) -> [f64; 2] {
    [(c[0] * 1e6).round() / 1e6, (c[1] * 1e6).round() / 1e6]
}

/// A snapped input coordinate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Waypoint {
    /// Opaque token identifying the snapped position (omitted with `generate_hints=false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Distance in metres from the input coordinate to the snapped location.
    pub distance: f64,
    /// Name of the street the coordinate snapped to (may be empty).
    pub name: String,
    /// `[longitude, latitude]` of the snapped location.
    pub location: [f64; 2],
    /// OSM node ids at both ends of the snapped segment (nearest service only; graph node ids
    /// for graphs without OSM ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<[u64; 2]>,
}

/// `code: "Ok"` marker of successful responses.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OkCode {
    /// Success.
    Ok,
}

/// Response of the route service.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteResponse {
    /// Always `"Ok"`.
    pub code: OkCode,
    /// Best route first (kerb returns one route).
    pub routes: Vec<Route>,
    /// One per input coordinate (omitted with `skip_waypoints=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waypoints: Option<Vec<Waypoint>>,
}

/// A route through all waypoints.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Route {
    /// Overview geometry: encoded polyline string or GeoJSON `LineString` (absent with `overview=false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: Option<Value>,
    /// One leg between each pair of consecutive waypoints.
    pub legs: Vec<RouteLeg>,
    /// Name of the weight (`"duration"`: kerb routes by travel time including turn costs).
    pub weight_name: String,
    /// Total weight.
    pub weight: f64,
    /// Total duration in seconds.
    pub duration: f64,
    /// Total distance in metres.
    pub distance: f64,
}

/// The route between two consecutive waypoints.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteLeg {
    /// Turn-by-turn steps (empty unless `steps=true`).
    pub steps: Vec<RouteStep>,
    /// Names of the two longest roads of the leg (with `steps=true`).
    pub summary: String,
    /// Weight of the leg.
    pub weight: f64,
    /// Duration in seconds.
    pub duration: f64,
    /// Distance in metres.
    pub distance: f64,
    /// Per-segment metadata (with `annotations`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
    /// Full geometry of the leg, encoded like the overview (only with `overview=by_legs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: Option<Value>,
}

/// Per-segment arrays along a leg's geometry (one element per pair of consecutive points).
#[derive(Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Annotation {
    /// OSM node id of each coordinate, as OSRM: the node before the start, every node passed
    /// and the node after the end (graph node ids for graphs without OSM ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<u64>>,
    /// Metres per segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<Vec<f64>>,
    /// Seconds per segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Vec<f64>>,
    /// Data source index per segment (0 = the profile's speeds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datasources: Option<Vec<u32>>,
    /// Weight per segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Vec<f64>>,
    /// Speed in m/s per segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<Vec<f64>>,
    /// Names of the data sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<AnnotationMetadata>,
}

/// `annotation.metadata`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnotationMetadata {
    /// Name of each data source index.
    pub datasource_names: Vec<String>,
}

/// One manoeuvre and the road travelled after it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteStep {
    /// Geometry of the step, encoded like the overview.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: Value,
    /// The manoeuvre at the start of the step.
    pub maneuver: StepManeuver,
    /// Travel mode (`"driving"`).
    pub mode: String,
    /// `"right"` or `"left"`.
    pub driving_side: String,
    /// Road name.
    pub name: String,
    /// Road reference (`ref`), omitted when empty.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Pronunciation of the name (`name:pronunciation`), omitted when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronunciation: Option<String>,
    /// Signposted destinations of the road (`destination:ref: destination`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destinations: Option<String>,
    /// Exit numbers of a ramp (`junction:ref`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exits: Option<String>,
    /// Name of the rotary a `rotary` step enters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotary_name: Option<String>,
    /// Intersections passed on the step (the first is the manoeuvre location).
    pub intersections: Vec<Intersection>,
    /// Weight of the step.
    pub weight: f64,
    /// Duration in seconds.
    pub duration: f64,
    /// Distance in metres.
    pub distance: f64,
}

/// A manoeuvre.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepManeuver {
    /// `[longitude, latitude]` of the manoeuvre.
    pub location: [f64; 2],
    /// Bearing before the manoeuvre, degrees clockwise from north.
    pub bearing_before: u16,
    /// Bearing after the manoeuvre.
    pub bearing_after: u16,
    /// `depart`, `arrive`, `turn`, `new name`, `continue`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `uturn`, `sharp right`, `right`, `slight right`, `straight`, `slight left`, `left`, `sharp left`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// Exit to take on a roundabout or rotary (1 = first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit: Option<usize>,
}

/// An intersection on a step.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Intersection {
    /// `[longitude, latitude]`.
    pub location: [f64; 2],
    /// Bearings of the roads used at the intersection (entry reversed, exit).
    pub bearings: Vec<u16>,
    /// Whether each bearing may be entered.
    pub entry: Vec<bool>,
    /// Index into `bearings` of the incoming road (absent on depart).
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<usize>,
    /// Index into `bearings` of the outgoing road (absent on arrive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out: Option<usize>,
    /// Classes of the road left by (`toll`, `motorway`, `ferry`, `restricted`, `tunnel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<String>>,
    /// Turn lanes of the road arriving (`turn:lanes`), each with the turns it allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lanes: Option<Vec<Lane>>,
}

/// A lane at an intersection.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lane {
    /// Turns the lane's markings allow (`left`, `straight`, `right`, ..., `none`).
    pub indications: Vec<String>,
    /// Whether the lane can be used for the manoeuvre.
    pub valid: bool,
}

/// Response of the table service. Unreachable cells are `null`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableResponse {
    /// Always `"Ok"`.
    pub code: OkCode,
    /// `durations[i][j]`: seconds from source i to destination j.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub durations: Option<Vec<Vec<Option<f64>>>>,
    /// `distances[i][j]`: metres from source i to destination j.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distances: Option<Vec<Vec<Option<f64>>>>,
    /// Snapped sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<Waypoint>>,
    /// Snapped destinations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destinations: Option<Vec<Waypoint>>,
    /// `[row, column]` of cells estimated with `fallback_speed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_speed_cells: Option<Vec<[usize; 2]>>,
}

/// Response of the nearest service.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearestResponse {
    /// Always `"Ok"`.
    pub code: OkCode,
    /// Nearest roads, nearest first.
    pub waypoints: Vec<Waypoint>,
}
