//! OSRM query options: parsing of the query string (`?overview=full&radiuses=10;;20`) and of the
//! equivalent JSON bodies of the POST forms, validated against the number of coordinates.

use crate::error::{ApiError, ApiResult, ErrorCode};
use serde_json::Value;

/// `overview=`: how much route geometry to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overview {
    /// No geometry.
    False,
    /// Douglas-Peucker simplified geometry (the default).
    Simplified,
    /// Every point.
    Full,
}

/// `geometries=`: encoding of returned geometries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Geometries {
    /// Google polyline, precision 5 (the default).
    Polyline,
    /// Google polyline, precision 6.
    Polyline6,
    /// GeoJSON `LineString` object.
    GeoJson,
}

/// `annotations=` of the route service: which per-segment arrays to return.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteAnnotations {
    /// Graph node ids along the route.
    pub nodes: bool,
    /// Metres per segment.
    pub distance: bool,
    /// Seconds per segment.
    pub duration: bool,
    /// Data source index per segment (always 0: the profile).
    pub datasources: bool,
    /// Routing weight per segment.
    pub weight: bool,
    /// Speed in m/s per segment.
    pub speed: bool,
}

impl RouteAnnotations {
    /// True when any annotation is requested.
    pub fn any(&self) -> bool {
        self.nodes
            || self.distance
            || self.duration
            || self.datasources
            || self.weight
            || self.speed
    }
}

/// `approaches=` element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApproachOpt {
    /// Either side of the road.
    Unrestricted,
    /// Arrive/leave with the point on the driving side (kerb-side collection).
    Curb,
}

/// `bearings=` element: `{value},{range}` in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BearingOpt {
    /// Bearing 0..=360, clockwise from true north.
    pub value: f64,
    /// Allowed deviation 0..=180.
    pub range: f64,
}

/// Options shared by every service (per-coordinate arrays are empty or one element per coordinate).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonOptions {
    /// Snap radius per coordinate in metres; `None` = default, `Some(INFINITY)` = `unlimited`.
    pub radiuses: Vec<Option<f64>>,
    /// Bearing filter per coordinate.
    pub bearings: Vec<Option<BearingOpt>>,
    /// Approach per coordinate.
    pub approaches: Vec<Option<ApproachOpt>>,
    /// `generate_hints=` (default true).
    pub generate_hints: bool,
    /// `skip_waypoints=` (default false).
    pub skip_waypoints: bool,
}

impl Default for CommonOptions {
    fn default() -> Self {
        CommonOptions {
            radiuses: Vec::new(),
            bearings: Vec::new(),
            approaches: Vec::new(),
            generate_hints: true,
            skip_waypoints: false,
        }
    }
}

/// Options of the route service.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteOptions {
    /// Shared options.
    pub common: CommonOptions,
    /// `steps=` (default false).
    pub steps: bool,
    /// `alternatives=`: number of alternatives asked for (kerb returns the best route only,
    /// which OSRM's API allows: alternatives are not guaranteed).
    pub alternatives: u32,
    /// `annotations=`.
    pub annotations: RouteAnnotations,
    /// `geometries=`.
    pub geometries: Geometries,
    /// `overview=`.
    pub overview: Overview,
}

impl Default for RouteOptions {
    fn default() -> Self {
        RouteOptions {
            common: CommonOptions::default(),
            steps: false,
            alternatives: 0,
            annotations: RouteAnnotations::default(),
            geometries: Geometries::Polyline,
            overview: Overview::Simplified,
        }
    }
}

/// `fallback_coordinate=` of the table service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackCoordinate {
    /// Crow-fly distance between the input coordinates (the default).
    Input,
    /// Crow-fly distance between the snapped coordinates.
    Snapped,
}

/// Options of the table service.
#[derive(Debug, Clone, PartialEq)]
pub struct TableOptions {
    /// Shared options.
    pub common: CommonOptions,
    /// Source indices; `None` = all.
    pub sources: Option<Vec<usize>>,
    /// Destination indices; `None` = all.
    pub destinations: Option<Vec<usize>>,
    /// Return `durations` (default true).
    pub durations: bool,
    /// Return `distances` (default false).
    pub distances: bool,
    /// `fallback_speed=` in m/s: unreachable cells get crow-fly estimates at this speed.
    pub fallback_speed: Option<f64>,
    /// `fallback_coordinate=`.
    pub fallback_coordinate: FallbackCoordinate,
    /// `scale_factor=`: multiplies durations.
    pub scale_factor: f64,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            common: CommonOptions::default(),
            sources: None,
            destinations: None,
            durations: true,
            distances: false,
            fallback_speed: None,
            fallback_coordinate: FallbackCoordinate::Input,
            scale_factor: 1.0,
        }
    }
}

impl TableOptions {
    /// Number of sources once `sources=` is applied to `n` coordinates.
    pub fn num_sources(&self, n: usize) -> usize {
        self.sources.as_ref().map_or(n, Vec::len)
    }
    /// Number of destinations once `destinations=` is applied to `n` coordinates.
    pub fn num_destinations(&self, n: usize) -> usize {
        self.destinations.as_ref().map_or(n, Vec::len)
    }
}

/// Options of the nearest service.
#[derive(Debug, Clone, PartialEq)]
pub struct NearestOptions {
    /// Shared options.
    pub common: CommonOptions,
    /// `number=` of results (default 1).
    pub number: usize,
}

pub(crate) fn query_err(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, msg)
}
pub(crate) fn options_err(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidOptions, msg)
}

fn parse_bool(key: &str, v: &str) -> ApiResult<bool> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(query_err(format!(
            "{key}: expected true or false, got {v:?}"
        ))),
    }
}

/// Splits a `;`-separated per-coordinate list, checking that it has exactly `n` elements.
fn per_coordinate<T>(
    key: &str,
    v: &str,
    n: usize,
    parse: impl Fn(&str) -> ApiResult<T>,
) -> ApiResult<Vec<Option<T>>> {
    let count = v.split(';').count();
    if count != n {
        return Err(options_err(format!(
            "Number of elements in {key} size {count} does not match coordinate size {n}"
        )));
    }
    v.split(';')
        .map(|e| {
            if e.is_empty() {
                Ok(None)
            } else {
                parse(e).map(Some)
            }
        })
        .collect()
}

fn parse_radius(e: &str) -> ApiResult<f64> {
    if e == "unlimited" {
        return Ok(f64::INFINITY);
    }
    match crate::coords::parse_number(e) {
        Some(r) if r >= 0.0 && r.is_finite() => Ok(r),
        _ => Err(query_err(format!(
            "radiuses: expected a number >= 0 or unlimited, got {e:?}"
        ))),
    }
}

fn parse_bearing(e: &str) -> ApiResult<BearingOpt> {
    let bad = || query_err(format!("bearings: expected {{value}},{{range}}, got {e:?}"));
    let (v, r) = e.split_once(',').ok_or_else(bad)?;
    let value: u32 = v.parse().map_err(|_| bad())?;
    let range: u32 = r.parse().map_err(|_| bad())?;
    if value > 360 || range > 180 {
        return Err(options_err(format!(
            "bearings: value must be in 0..=360 and range in 0..=180, got {value},{range}"
        )));
    }
    Ok(BearingOpt {
        value: value as f64,
        range: range as f64,
    })
}

fn parse_approach(e: &str) -> ApiResult<ApproachOpt> {
    match e {
        "curb" => Ok(ApproachOpt::Curb),
        "unrestricted" => Ok(ApproachOpt::Unrestricted),
        "opposite" => Err(ApiError::new(
            ErrorCode::NotImplemented,
            "approaches=opposite is not supported; use curb or unrestricted",
        )),
        _ => Err(query_err(format!(
            "approaches: expected curb or unrestricted, got {e:?}"
        ))),
    }
}

fn parse_indices(key: &str, v: &str, n: usize) -> ApiResult<Option<Vec<usize>>> {
    if v == "all" {
        return Ok(None);
    }
    let count = v.split(';').count();
    if count > n {
        return Err(options_err(format!(
            "{key}: {count} indices given for {n} coordinates"
        )));
    }
    v.split(';')
        .map(|e| {
            let i: usize = e
                .parse()
                .map_err(|_| query_err(format!("{key}: expected an index or all, got {e:?}")))?;
            if i >= n {
                return Err(options_err(format!(
                    "{key}: index {i} out of range for {n} coordinates"
                )));
            }
            Ok(i)
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

fn parse_positive(key: &str, v: &str) -> ApiResult<f64> {
    match crate::coords::parse_number(v) {
        Some(x) if x > 0.0 && x.is_finite() => Ok(x),
        Some(_) => Err(options_err(format!("{key} must be a number > 0, got {v}"))),
        None => Err(query_err(format!("{key}: expected a number, got {v:?}"))),
    }
}

/// Options every service accepts but that only have their default meaning in kerb; any other
/// value is refused instead of silently ignored.
fn parse_ignorable(key: &str, v: &str) -> ApiResult<bool> {
    match key {
        // Hints only speed up OSRM's snapping; OSRM itself re-snaps when a hint is unusable,
        // so always re-snapping is a valid way of honouring them.
        "hints" => Ok(true),
        "format" if v == "json" => Ok(true),
        "continue_straight" if v == "default" => Ok(true),
        "snapping" if v == "default" => Ok(true),
        "exclude" if v.is_empty() => Ok(true),
        "format" | "continue_straight" | "snapping" | "exclude" | "waypoints" => {
            Err(ApiError::new(
                ErrorCode::NotImplemented,
                format!("{key}={v} is not supported by kerb"),
            ))
        }
        _ => Ok(false),
    }
}

pub(crate) fn parse_common(key: &str, v: &str, n: usize, c: &mut CommonOptions) -> ApiResult<bool> {
    match key {
        "radiuses" => c.radiuses = per_coordinate(key, v, n, parse_radius)?,
        "bearings" => c.bearings = per_coordinate(key, v, n, parse_bearing)?,
        "approaches" => c.approaches = per_coordinate(key, v, n, parse_approach)?,
        "generate_hints" => c.generate_hints = parse_bool(key, v)?,
        "skip_waypoints" => c.skip_waypoints = parse_bool(key, v)?,
        _ => return parse_ignorable(key, v),
    }
    Ok(true)
}

/// Decodes a query string into `(key, value)` pairs (percent-decoding, later keys win).
pub(crate) fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

pub(crate) fn unknown(key: &str) -> ApiError {
    query_err(format!("Query string malformed: unknown option {key:?}"))
}

/// Parses the route service's query string for `n` coordinates.
///
/// ```
/// use kerb_http::params::{parse_route_query, Overview};
/// let o = parse_route_query(Some("overview=full&steps=true&radiuses=10;unlimited"), 2).unwrap();
/// assert_eq!(o.overview, Overview::Full);
/// assert!(o.steps);
/// assert_eq!(o.common.radiuses, vec![Some(10.0), Some(f64::INFINITY)]);
/// ```
pub fn parse_route_query(query: Option<&str>, n: usize) -> ApiResult<RouteOptions> {
    let mut o = RouteOptions::default();
    for (k, v) in pairs(query) {
        if parse_common(&k, &v, n, &mut o.common)? {
            continue;
        }
        match k.as_str() {
            "steps" => o.steps = parse_bool(&k, &v)?,
            "alternatives" => {
                o.alternatives = match v.as_str() {
                    "true" => 1,
                    "false" => 0,
                    _ => v.parse().map_err(|_| {
                        query_err(format!(
                            "alternatives: expected true, false or a number, got {v:?}"
                        ))
                    })?,
                }
            }
            "geometries" => {
                o.geometries = match v.as_str() {
                    "polyline" => Geometries::Polyline,
                    "polyline6" => Geometries::Polyline6,
                    "geojson" => Geometries::GeoJson,
                    _ => {
                        return Err(query_err(format!(
                            "geometries: expected polyline, polyline6 or geojson, got {v:?}"
                        )))
                    }
                }
            }
            "overview" => {
                o.overview = match v.as_str() {
                    "simplified" => Overview::Simplified,
                    "full" => Overview::Full,
                    "false" => Overview::False,
                    _ => {
                        return Err(query_err(format!(
                            "overview: expected simplified, full or false, got {v:?}"
                        )))
                    }
                }
            }
            "annotations" => o.annotations = parse_route_annotations(&v)?,
            _ => return Err(unknown(&k)),
        }
    }
    if n < 2 {
        return Err(options_err(
            "Number of coordinates needs to be at least two.",
        ));
    }
    Ok(o)
}

fn parse_route_annotations(v: &str) -> ApiResult<RouteAnnotations> {
    let mut a = RouteAnnotations::default();
    match v {
        "true" => {
            return Ok(RouteAnnotations {
                nodes: true,
                distance: true,
                duration: true,
                datasources: true,
                weight: true,
                speed: true,
            })
        }
        "false" => return Ok(a),
        _ => {}
    }
    for part in v.split(',') {
        match part {
            "nodes" => a.nodes = true,
            "distance" => a.distance = true,
            "duration" => a.duration = true,
            "datasources" => a.datasources = true,
            "weight" => a.weight = true,
            "speed" => a.speed = true,
            _ => {
                return Err(query_err(format!(
                    "annotations: expected true, false or a list of nodes,distance,duration,datasources,weight,speed; got {part:?}"
                )))
            }
        }
    }
    Ok(a)
}

/// Parses the table service's query string for `n` coordinates.
///
/// ```
/// let o = kerb_http::params::parse_table_query(Some("sources=0&annotations=duration,distance"), 3).unwrap();
/// assert_eq!(o.sources, Some(vec![0]));
/// assert!(o.durations && o.distances);
/// ```
pub fn parse_table_query(query: Option<&str>, n: usize) -> ApiResult<TableOptions> {
    let mut o = TableOptions::default();
    for (k, v) in pairs(query) {
        if parse_common(&k, &v, n, &mut o.common)? {
            continue;
        }
        match k.as_str() {
            "sources" => o.sources = parse_indices(&k, &v, n)?,
            "destinations" => o.destinations = parse_indices(&k, &v, n)?,
            "annotations" => {
                o.durations = false;
                o.distances = false;
                for part in v.split(',') {
                    match part {
                        "duration" => o.durations = true,
                        "distance" => o.distances = true,
                        _ => {
                            return Err(query_err(format!(
                                "annotations: expected duration and/or distance, got {part:?}"
                            )))
                        }
                    }
                }
            }
            "fallback_speed" => o.fallback_speed = Some(parse_positive(&k, &v)?),
            "fallback_coordinate" => {
                o.fallback_coordinate = match v.as_str() {
                    "input" => FallbackCoordinate::Input,
                    "snapped" => FallbackCoordinate::Snapped,
                    _ => {
                        return Err(query_err(format!(
                            "fallback_coordinate: expected input or snapped, got {v:?}"
                        )))
                    }
                }
            }
            "scale_factor" => o.scale_factor = parse_positive(&k, &v)?,
            _ => return Err(unknown(&k)),
        }
    }
    if n < 1 {
        return Err(options_err(
            "Number of coordinates needs to be at least one.",
        ));
    }
    Ok(o)
}

/// Parses the nearest service's query string for `n` coordinates (OSRM accepts exactly one).
pub fn parse_nearest_query(
    query: Option<&str>,
    n: usize,
    max_number: usize,
) -> ApiResult<NearestOptions> {
    let mut o = NearestOptions {
        common: CommonOptions::default(),
        number: 1,
    };
    for (k, v) in pairs(query) {
        if parse_common(&k, &v, n, &mut o.common)? {
            continue;
        }
        match k.as_str() {
            "number" => {
                let num: usize = v.parse().map_err(|_| {
                    query_err(format!("number: expected an integer >= 1, got {v:?}"))
                })?;
                if num == 0 {
                    return Err(options_err("number must be at least 1"));
                }
                if num > max_number {
                    return Err(ApiError::new(
                        ErrorCode::TooBig,
                        format!("number={num} exceeds the limit of {max_number}"),
                    ));
                }
                o.number = num;
            }
            _ => return Err(unknown(&k)),
        }
    }
    if n != 1 {
        return Err(options_err("Nearest service takes exactly one coordinate."));
    }
    Ok(o)
}

/// Converts a JSON body of the POST forms into `coordinates` plus a query string with the same
/// meaning, so that both forms share one validator.
///
/// Values map as: booleans and numbers to their text, arrays to `;`-separated elements (`null`
/// for the default, nested arrays joined with `,`), `annotations` arrays to `,`-separated names.
///
/// ```
/// let body = serde_json::json!({"coordinates": [[24.94, 60.17], [24.95, 60.175]],
///                               "radiuses": [null, 50], "steps": true});
/// let (coords, query) = kerb_http::params::body_to_query(&body, 100).unwrap();
/// assert_eq!(coords.len(), 2);
/// let o = kerb_http::params::parse_route_query(Some(&query), coords.len()).unwrap();
/// assert_eq!(o.common.radiuses, vec![None, Some(50.0)]);
/// ```
pub fn body_to_query(
    body: &Value,
    max_coordinates: usize,
) -> ApiResult<(Vec<crate::coords::LonLat>, String)> {
    let json_err = |m: String| ApiError::new(ErrorCode::InvalidJson, m);
    let obj = body
        .as_object()
        .ok_or_else(|| json_err("request body must be a JSON object".into()))?;
    let coords = obj
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            json_err("\"coordinates\" must be an array of [longitude, latitude] pairs".into())
        })?;
    if coords.len() > max_coordinates {
        return Err(ApiError::new(
            ErrorCode::TooBig,
            format!(
                "Too many coordinates: {} given, the limit is {max_coordinates}",
                coords.len()
            ),
        ));
    }
    let coords = coords
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let pair = c.as_array().filter(|a| a.len() == 2);
            let nums = pair.and_then(|a| Some([a[0].as_f64()?, a[1].as_f64()?]));
            let c = nums.ok_or_else(|| {
                json_err(format!("coordinates[{i}] must be [longitude, latitude]"))
            })?;
            crate::coords::validate(c, i)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in obj {
        if k == "coordinates" {
            continue;
        }
        let text = match v {
            Value::Array(items) => {
                let sep = if k == "annotations" { "," } else { ";" };
                items
                    .iter()
                    .map(|e| scalar_or_pair(k, e))
                    .collect::<ApiResult<Vec<_>>>()?
                    .join(sep)
            }
            other => scalar(k, other)?,
        };
        q.append_pair(k, &text);
    }
    Ok((coords, q.finish()))
}

fn scalar(key: &str, v: &Value) -> ApiResult<String> {
    match v {
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        _ => Err(ApiError::new(
            ErrorCode::InvalidJson,
            format!("\"{key}\" has an unexpected JSON type"),
        )),
    }
}

fn scalar_or_pair(key: &str, v: &Value) -> ApiResult<String> {
    match v {
        Value::Array(items) => Ok(items
            .iter()
            .map(|e| scalar(key, e))
            .collect::<ApiResult<Vec<_>>>()?
            .join(",")),
        other => scalar(key, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn route_defaults() {
        let o = parse_route_query(None, 2).unwrap();
        assert_eq!(o, RouteOptions::default());
        assert_eq!(o.overview, Overview::Simplified);
        assert_eq!(o.geometries, Geometries::Polyline);
    }

    #[test]
    fn route_all_options() {
        let o = parse_route_query(
            Some("overview=false&geometries=geojson&steps=true&annotations=distance,speed&alternatives=2&approaches=curb;&bearings=10,20;&radiuses=;5.5&generate_hints=false&hints=;&continue_straight=default"),
            2,
        )
        .unwrap();
        assert_eq!(o.overview, Overview::False);
        assert_eq!(o.geometries, Geometries::GeoJson);
        assert!(o.steps);
        assert!(o.annotations.distance && o.annotations.speed && !o.annotations.nodes);
        assert_eq!(o.alternatives, 2);
        assert_eq!(o.common.approaches, vec![Some(ApproachOpt::Curb), None]);
        assert_eq!(
            o.common.bearings,
            vec![
                Some(BearingOpt {
                    value: 10.0,
                    range: 20.0
                }),
                None
            ]
        );
        assert_eq!(o.common.radiuses, vec![None, Some(5.5)]);
        assert!(!o.common.generate_hints);
        assert!(parse_route_query(Some("annotations=true"), 2)
            .unwrap()
            .annotations
            .any());
    }

    #[test]
    fn route_errors() {
        let code = |q: &str, n: usize| parse_route_query(Some(q), n).unwrap_err().code;
        assert_eq!(code("overview=foo", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("steps=yes", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("foo=bar", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("radiuses=1;2;3", 2), ErrorCode::InvalidOptions);
        assert_eq!(code("radiuses=-1;", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("radiuses=nan;", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("bearings=400,20;", 2), ErrorCode::InvalidOptions);
        assert_eq!(code("bearings=10;", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("approaches=curb;foo", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("approaches=opposite;", 2), ErrorCode::NotImplemented);
        assert_eq!(code("exclude=motorway", 2), ErrorCode::NotImplemented);
        assert_eq!(code("annotations=colour", 2), ErrorCode::InvalidQuery);
        assert_eq!(code("overview=full", 1), ErrorCode::InvalidOptions);
    }

    #[test]
    fn table_options() {
        let o = parse_table_query(
            Some("sources=0;2&destinations=all&annotations=distance&fallback_speed=10&fallback_coordinate=snapped&scale_factor=1.5"),
            3,
        )
        .unwrap();
        assert_eq!(o.sources, Some(vec![0, 2]));
        assert_eq!(o.destinations, None);
        assert!(!o.durations && o.distances);
        assert_eq!(o.fallback_speed, Some(10.0));
        assert_eq!(o.fallback_coordinate, FallbackCoordinate::Snapped);
        assert_eq!(o.scale_factor, 1.5);
        assert_eq!((o.num_sources(3), o.num_destinations(3)), (2, 3));
        let code = |q: &str| parse_table_query(Some(q), 2).unwrap_err().code;
        assert_eq!(code("sources=5"), ErrorCode::InvalidOptions);
        assert_eq!(code("sources=0;1;0"), ErrorCode::InvalidOptions);
        assert_eq!(code("sources=x"), ErrorCode::InvalidQuery);
        assert_eq!(code("annotations=speed"), ErrorCode::InvalidQuery);
        assert_eq!(code("fallback_speed=0"), ErrorCode::InvalidOptions);
        assert_eq!(code("fallback_speed=nan"), ErrorCode::InvalidQuery);
        assert_eq!(code("scale_factor=-1"), ErrorCode::InvalidOptions);
    }

    #[test]
    fn nearest_options() {
        assert_eq!(
            parse_nearest_query(Some("number=3"), 1, 10).unwrap().number,
            3
        );
        assert_eq!(parse_nearest_query(None, 1, 10).unwrap().number, 1);
        let code = |q: &str, n: usize| parse_nearest_query(Some(q), n, 10).unwrap_err().code;
        assert_eq!(code("number=0", 1), ErrorCode::InvalidOptions);
        assert_eq!(code("number=11", 1), ErrorCode::TooBig);
        assert_eq!(code("number=-1", 1), ErrorCode::InvalidQuery);
        assert_eq!(code("number=1", 2), ErrorCode::InvalidOptions);
    }

    #[test]
    fn json_body_round_trip() {
        let body = json!({
            "coordinates": [[24.94, 60.17], [24.95, 60.175], [24.96, 60.18]],
            "sources": [0], "destinations": [1, 2], "annotations": ["duration", "distance"],
            "bearings": [[0, 90], null, null], "fallback_speed": 12.5
        });
        let (c, q) = body_to_query(&body, 10).unwrap();
        assert_eq!(c.len(), 3);
        let o = parse_table_query(Some(&q), c.len()).unwrap();
        assert_eq!(o.sources, Some(vec![0]));
        assert_eq!(o.destinations, Some(vec![1, 2]));
        assert!(o.durations && o.distances);
        assert_eq!(
            o.common.bearings[0],
            Some(BearingOpt {
                value: 0.0,
                range: 90.0
            })
        );
        assert_eq!(o.fallback_speed, Some(12.5));
    }

    #[test]
    fn json_body_errors() {
        let code = |b: Value| body_to_query(&b, 2).unwrap_err().code;
        assert_eq!(code(json!([1, 2])), ErrorCode::InvalidJson);
        assert_eq!(code(json!({})), ErrorCode::InvalidJson);
        assert_eq!(code(json!({"coordinates": [[1]]})), ErrorCode::InvalidJson);
        assert_eq!(
            code(json!({"coordinates": [["a", 1]]})),
            ErrorCode::InvalidJson
        );
        assert_eq!(
            code(json!({"coordinates": [[1, 1], [2, 2], [3, 3]]})),
            ErrorCode::TooBig
        );
        assert_eq!(
            code(json!({"coordinates": [[1, 100]]})),
            ErrorCode::InvalidValue
        );
        assert_eq!(
            code(json!({"coordinates": [[1, 1]], "steps": {"a": 1}})),
            ErrorCode::InvalidJson
        );
    }
}
