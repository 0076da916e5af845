//! Typed OSRM request parameters (route, table, nearest, isochrone) and their validation.
//!
//! A transport hands over `(key, value)` pairs: from a query string (`?overview=full&radiuses=10;;20`)
//! each value is [`OptionValue::Text`]; from a JSON body (`{"radiuses": [10, null, 20]}`) arrays
//! are [`OptionValue::List`]. One parser per service validates them against the coordinates.

use crate::coords::{parse_number, validate, LonLat};
use crate::error::{Error, ErrorKind, Result};
use kerb_core::{DepartureTime, Exclude, SearchFilter};
use serde_json::Value;
use std::borrow::Cow;

/// One option's value as a transport delivers it.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// Query-string text: per-coordinate lists `;`-separated (annotation names `,`-separated),
    /// an empty element meaning the default.
    Text(String),
    /// A JSON array, one element per coordinate, index or name; `None` (JSON `null`) means the
    /// default.
    List(Vec<Option<String>>),
}

/// One option: its key and value.
pub type OptionPair = (String, OptionValue);

/// Options of one request as `(key, value)` pairs, in the order given (later keys win).
pub type OptionPairs = [OptionPair];

impl OptionValue {
    /// The value as text; a list is joined the way a query string writes it.
    pub fn text(&self, key: &str) -> Cow<'_, str> {
        match self {
            OptionValue::Text(s) => Cow::Borrowed(s),
            OptionValue::List(items) => {
                let sep = if key == "annotations" { "," } else { ";" };
                let parts: Vec<&str> = items.iter().map(|e| e.as_deref().unwrap_or("")).collect();
                Cow::Owned(parts.join(sep))
            }
        }
    }

    /// The elements of a list option; `None` for an empty (default) element.
    fn items(&self, sep: char) -> Vec<Option<&str>> {
        match self {
            OptionValue::Text(s) => s.split(sep).map(|e| (!e.is_empty()).then_some(e)).collect(),
            OptionValue::List(items) => items
                .iter()
                .map(|e| e.as_deref().filter(|e| !e.is_empty()))
                .collect(),
        }
    }
}

/// Query-string pairs (already percent-decoded by the transport) as option pairs.
///
/// ```
/// use kerb_api::params::{query_options, OptionValue};
/// let o = query_options([("steps", "true")]);
/// assert_eq!(o, vec![("steps".to_string(), OptionValue::Text("true".into()))]);
/// ```
pub fn query_options<K: Into<String>, V: Into<String>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> Vec<OptionPair> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.into(), OptionValue::Text(v.into())))
        .collect()
}

/// `overview=`: how much route geometry to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overview {
    /// No geometry.
    False,
    /// Douglas-Peucker simplified geometry (the default).
    Simplified,
    /// Every point.
    Full,
    /// No route geometry; each leg carries its own full geometry instead (`overview=by_legs`,
    /// OSRM's newer option for drawing legs apart without `steps`).
    ByLegs,
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
    /// OSM node ids along the route (graph node ids for graphs without them).
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
    /// Arrive/leave with the point on the side opposite the driving side.
    Opposite,
}

/// `bearings=` element: `{value},{range}` in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BearingOpt {
    /// Bearing 0..=360, clockwise from true north.
    pub value: f64,
    /// Allowed deviation 0..=180.
    pub range: f64,
}

/// `snapping=`: which roads a coordinate may snap to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Snapping {
    /// OSRM's default: roads that are start points (every road but ferries and car trains).
    #[default]
    Default,
    /// Any road of the graph, ferries and car trains included (they are no start points by
    /// default).
    Any,
}

/// Options shared by every service (per-coordinate arrays are empty or one element per coordinate).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonOptions {
    /// Snap radius per coordinate in metres; `None` = `default_radius_m`, `Some(INFINITY)` =
    /// `unlimited`.
    pub radiuses: Vec<Option<f64>>,
    /// Radius of coordinates without one in `radiuses`: unlimited for the OSRM services (as
    /// osrm-routed), kerb-core's default radius otherwise.
    pub default_radius_m: f64,
    /// `snapping=`.
    pub snapping: Snapping,
    /// Bearing filter per coordinate.
    pub bearings: Vec<Option<BearingOpt>>,
    /// Approach per coordinate.
    pub approaches: Vec<Option<ApproachOpt>>,
    /// `generate_hints=` (default true).
    pub generate_hints: bool,
    /// `skip_waypoints=` (default false).
    pub skip_waypoints: bool,
    /// `exclude=`: kinds of road the route or table must not use (OSRM's `motorway` class =
    /// `highway=motorway` and `motorway_link`, `ferry`, `toll`); empty = none.
    pub exclude: Vec<Exclude>,
    /// `depart_at=` (kerb's own option): when the vehicle leaves, a local date and time
    /// (`2026-12-07T06:30`) or a weekday and time (`Mo 06:30`). The graph's kept
    /// `*:conditional` rules then apply to each road at the time the vehicle reaches it.
    pub depart_at: Option<DepartureTime>,
}

impl CommonOptions {
    /// The search filter of these options (`exclude=`, `depart_at=`); empty when neither is
    /// given, and the search is then the unfiltered one.
    pub fn search_filter(&self) -> SearchFilter {
        let f = SearchFilter::default().excluding(&self.exclude);
        match self.depart_at {
            Some(t) => f.departing_at(t),
            None => f,
        }
    }
}

impl Default for CommonOptions {
    fn default() -> Self {
        CommonOptions {
            radiuses: Vec::new(),
            default_radius_m: kerb_core::SnapOptions::default().radius_m,
            snapping: Snapping::Default,
            bearings: Vec::new(),
            approaches: Vec::new(),
            generate_hints: true,
            skip_waypoints: false,
            exclude: Vec::new(),
            depart_at: None,
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
    /// `alternatives=`: number of alternatives asked for besides the best route (`true` = 1);
    /// between two waypoints only, and fewer when no plausible alternative exists (as OSRM).
    pub alternatives: u32,
    /// `annotations=`.
    pub annotations: RouteAnnotations,
    /// `geometries=`.
    pub geometries: Geometries,
    /// `overview=`.
    pub overview: Overview,
    /// `waypoints=`: the coordinates that end legs (ascending, with the first and the last);
    /// the others are passed through without a leg break. `None` = every coordinate.
    pub waypoints: Option<Vec<usize>>,
    /// `continue_straight=`: `None` = the profile's default, `Some(true)` = never turn around
    /// at an intermediate waypoint, `Some(false)` = turning around there is allowed.
    pub continue_straight: Option<bool>,
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
            waypoints: None,
            continue_straight: None,
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

    /// Refuses a table over more than `limit` coordinates, sources or destinations (`TooBig`).
    pub fn check_size(&self, n: usize, limit: usize) -> Result<()> {
        let (ns, nd) = (self.num_sources(n), self.num_destinations(n));
        if n > limit || ns > limit || nd > limit {
            return Err(Error::new(
                ErrorKind::TooBig,
                format!(
                    "table of {ns} x {nd} over {n} coordinates exceeds the limit of {limit} coordinates"
                ),
            ));
        }
        Ok(())
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

pub(crate) fn query_err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidQuery, msg)
}
pub(crate) fn options_err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOptions, msg)
}

pub(crate) fn parse_bool(key: &str, v: &str) -> Result<bool> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(query_err(format!(
            "{key}: expected true or false, got {v:?}"
        ))),
    }
}

/// Splits a `;`-separated per-coordinate list, checking that it has exactly `n` elements.
pub(crate) fn per_coordinate<T>(
    key: &str,
    v: &OptionValue,
    n: usize,
    parse: impl Fn(&str) -> Result<T>,
) -> Result<Vec<Option<T>>> {
    let items = v.items(';');
    let count = items.len();
    if count != n {
        return Err(options_err(format!(
            "Number of elements in {key} size {count} does not match coordinate size {n}"
        )));
    }
    items
        .into_iter()
        .map(|e| e.map(&parse).transpose())
        .collect()
}

pub(crate) fn parse_radius(e: &str) -> Result<f64> {
    if e == "unlimited" {
        return Ok(f64::INFINITY);
    }
    match parse_number(e) {
        Some(r) if r >= 0.0 && r.is_finite() => Ok(r),
        _ => Err(query_err(format!(
            "radiuses: expected a number >= 0 or unlimited, got {e:?}"
        ))),
    }
}

fn parse_bearing(e: &str) -> Result<BearingOpt> {
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

fn parse_approach(e: &str) -> Result<ApproachOpt> {
    match e {
        "curb" => Ok(ApproachOpt::Curb),
        "unrestricted" => Ok(ApproachOpt::Unrestricted),
        "opposite" => Ok(ApproachOpt::Opposite),
        _ => Err(query_err(format!(
            "approaches: expected curb, opposite or unrestricted, got {e:?}"
        ))),
    }
}

pub(crate) fn parse_indices(key: &str, v: &OptionValue, n: usize) -> Result<Option<Vec<usize>>> {
    if v.text(key) == "all" {
        return Ok(None);
    }
    let items = v.items(';');
    let count = items.len();
    if count > n {
        return Err(options_err(format!(
            "{key}: {count} indices given for {n} coordinates"
        )));
    }
    items
        .into_iter()
        .map(|e| {
            let e = e.unwrap_or("");
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
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

fn parse_positive(key: &str, v: &str) -> Result<f64> {
    match parse_number(v) {
        Some(x) if x > 0.0 && x.is_finite() => Ok(x),
        Some(_) => Err(options_err(format!("{key} must be a number > 0, got {v}"))),
        None => Err(query_err(format!("{key}: expected a number, got {v:?}"))),
    }
}

/// Options every service accepts but that only have their default meaning in kerb: a value
/// OSRM defines but kerb does not implement is `NotImplemented` (501), a value outside OSRM's
/// grammar is `InvalidValue` (400), never silently ignored.
fn parse_ignorable(key: &str, v: &str) -> Result<bool> {
    let not_implemented = || {
        Err(Error::new(
            ErrorKind::NotImplemented,
            format!("{key}={v} is not supported by kerb"),
        ))
    };
    let invalid = |expected: &str| {
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!("{key}: expected {expected}, got {v:?}"),
        ))
    };
    match (key, v) {
        // Hints only speed up OSRM's snapping; OSRM itself re-snaps when a hint is unusable,
        // so always re-snapping is a valid way of honouring them.
        ("hints", _) => Ok(true),
        ("format", "json") | ("continue_straight", "default") => Ok(true),
        ("format", "flatbuffers") | ("continue_straight", "true" | "false") => not_implemented(),
        ("waypoints", _) if v.split(';').all(|i| i.parse::<usize>().is_ok()) => not_implemented(),
        ("format", _) => invalid("json or flatbuffers"),
        ("continue_straight", _) => invalid("default, true or false"),
        ("snapping", _) => invalid("default or any"),
        ("waypoints", _) => invalid("coordinate indices separated by ;"),
        _ => Ok(false),
    }
}

pub(crate) fn parse_common(
    key: &str,
    value: &OptionValue,
    n: usize,
    c: &mut CommonOptions,
) -> Result<bool> {
    let v = value.text(key);
    let v = v.as_ref();
    match key {
        "radiuses" => c.radiuses = per_coordinate(key, value, n, parse_radius)?,
        "bearings" => c.bearings = per_coordinate(key, value, n, parse_bearing)?,
        "approaches" => c.approaches = per_coordinate(key, value, n, parse_approach)?,
        "generate_hints" => c.generate_hints = parse_bool(key, v)?,
        "skip_waypoints" => c.skip_waypoints = parse_bool(key, v)?,
        "snapping" => {
            c.snapping = match v {
                "default" => Snapping::Default,
                "any" => Snapping::Any,
                _ => {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!("snapping: expected default or any, got {v:?}"),
                    ))
                }
            }
        }
        "exclude" => c.exclude = parse_exclude(v)?,
        "depart_at" => c.depart_at = Some(parse_depart_at(v)?),
        _ => return parse_ignorable(key, v),
    }
    Ok(true)
}

/// `depart_at=`: `YYYY-MM-DDTHH:MM` (local time at the map, seconds allowed) or a weekday and
/// time (`Mo 06:30`); anything else is an invalid value naming the forms.
///
/// ```
/// use kerb_api::params::parse_depart_at;
/// assert_eq!(parse_depart_at("2026-12-07T06:30").unwrap().to_string(), "2026-12-07T06:30");
/// assert_eq!(parse_depart_at("Sa 07:00").unwrap().to_string(), "Sa 07:00");
/// assert_eq!(parse_depart_at("tomorrow").unwrap_err().kind, kerb_api::ErrorKind::InvalidValue);
/// ```
pub fn parse_depart_at(v: &str) -> Result<DepartureTime> {
    v.parse::<DepartureTime>().map_err(|_| {
        Error::new(
            ErrorKind::InvalidValue,
            format!(
                "depart_at: expected a local date and time like 2026-12-07T06:30 or a weekday and time like \"Mo 06:30\", got {v:?}"
            ),
        )
    })
}

/// `depart_at=` given to a service that does not apply it (nearest, isochrone, match, trip):
/// `NotImplemented` rather than an answer that silently ignores it.
pub(crate) fn depart_at_unsupported(key: &str, service: &str) -> Result<()> {
    if key == "depart_at" {
        return Err(Error::new(
            ErrorKind::NotImplemented,
            format!("depart_at is supported by route and table, not by {service}"),
        ));
    }
    Ok(())
}

/// OSRM's `exclude=` classes, comma-separated: `motorway` (motorways and their links),
/// `ferry` (ferries and car trains), `toll` (toll roads for the graph's vehicle); anything
/// else is an invalid value.
fn parse_exclude(v: &str) -> Result<Vec<Exclude>> {
    let mut out = Vec::new();
    for class in v.split(',').filter(|c| !c.is_empty()) {
        let Some(x) = Exclude::from_name(class) else {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("exclude: unknown class {class:?} (expected motorway, toll or ferry)"),
            ));
        };
        if !out.contains(&x) {
            out.push(x);
        }
    }
    Ok(out)
}

pub(crate) fn unknown(key: &str) -> Error {
    query_err(format!("Query string malformed: unknown option {key:?}"))
}

/// Parses and validates the route service's options for `n` coordinates.
///
/// ```
/// use kerb_api::params::{parse_route, query_options, Overview};
/// let q = query_options([("overview", "full"), ("steps", "true"), ("radiuses", "10;unlimited")]);
/// let o = parse_route(&q, 2).unwrap();
/// assert_eq!(o.overview, Overview::Full);
/// assert!(o.steps);
/// assert_eq!(o.common.radiuses, vec![Some(10.0), Some(f64::INFINITY)]);
/// ```
pub fn parse_route(options: &OptionPairs, n: usize) -> Result<RouteOptions> {
    let mut o = RouteOptions::default();
    o.common.default_radius_m = f64::INFINITY;
    for (k, value) in options {
        let route_only = matches!(k.as_str(), "waypoints" | "continue_straight");
        if !route_only && parse_common(k, value, n, &mut o.common)? {
            continue;
        }
        let v = value.text(k);
        let v = v.as_ref();
        match k.as_str() {
            "waypoints" => o.waypoints = Some(parse_leg_ends(value, n)?),
            "continue_straight" => {
                o.continue_straight = match v {
                    "default" => None,
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => {
                        return Err(Error::new(
                            ErrorKind::InvalidValue,
                            format!(
                                "continue_straight: expected default, true or false, got {v:?}"
                            ),
                        ))
                    }
                }
            }
            "steps" => o.steps = parse_bool(k, v)?,
            "alternatives" => {
                o.alternatives = match v {
                    "true" => 1,
                    "false" => 0,
                    _ => v.parse().map_err(|_| {
                        query_err(format!(
                            "alternatives: expected true, false or a number, got {v:?}"
                        ))
                    })?,
                }
            }
            "geometries" => o.geometries = parse_geometries(v)?,
            "overview" => o.overview = parse_overview(v)?,
            "annotations" => o.annotations = parse_route_annotations(v)?,
            _ => return Err(unknown(k)),
        }
    }
    if n < 2 {
        return Err(options_err(
            "Number of coordinates needs to be at least two.",
        ));
    }
    Ok(o)
}

/// `waypoints=` of the route service: ascending coordinate indices that start with the first
/// coordinate and end with the last, as OSRM requires.
fn parse_leg_ends(value: &OptionValue, n: usize) -> Result<Vec<usize>> {
    let invalid = |m: String| Error::new(ErrorKind::InvalidValue, m);
    let idx = value
        .items(';')
        .into_iter()
        .map(|e| {
            let e = e.unwrap_or("");
            e.parse::<usize>().map_err(|_| {
                invalid(format!(
                    "waypoints: expected coordinate indices separated by ;, got {e:?}"
                ))
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    if idx.first() != Some(&0) || idx.last() != Some(&n.saturating_sub(1)) {
        return Err(invalid(format!(
            "waypoints must start with coordinate 0 and end with coordinate {}",
            n.saturating_sub(1)
        )));
    }
    if idx.windows(2).any(|w| w[0] >= w[1]) {
        return Err(invalid(
            "waypoints must be ascending coordinate indices".into(),
        ));
    }
    Ok(idx)
}

/// `geometries=` of the route and match services.
pub(crate) fn parse_geometries(v: &str) -> Result<Geometries> {
    match v {
        "polyline" => Ok(Geometries::Polyline),
        "polyline6" => Ok(Geometries::Polyline6),
        "geojson" => Ok(Geometries::GeoJson),
        _ => Err(query_err(format!(
            "geometries: expected polyline, polyline6 or geojson, got {v:?}"
        ))),
    }
}

/// `overview=` of the route and match services.
pub(crate) fn parse_overview(v: &str) -> Result<Overview> {
    match v {
        "simplified" => Ok(Overview::Simplified),
        "full" => Ok(Overview::Full),
        "false" => Ok(Overview::False),
        "by_legs" => Ok(Overview::ByLegs),
        _ => Err(query_err(format!(
            "overview: expected simplified, full, by_legs or false, got {v:?}"
        ))),
    }
}

pub(crate) fn parse_route_annotations(v: &str) -> Result<RouteAnnotations> {
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

/// Parses and validates the table service's options for `n` coordinates.
///
/// ```
/// use kerb_api::params::{parse_table, query_options};
/// let q = query_options([("sources", "0"), ("annotations", "duration,distance")]);
/// let o = parse_table(&q, 3).unwrap();
/// assert_eq!(o.sources, Some(vec![0]));
/// assert!(o.durations && o.distances);
/// ```
pub fn parse_table(options: &OptionPairs, n: usize) -> Result<TableOptions> {
    let mut o = TableOptions::default();
    o.common.default_radius_m = f64::INFINITY;
    for (k, value) in options {
        if parse_common(k, value, n, &mut o.common)? {
            continue;
        }
        let v = value.text(k);
        let v = v.as_ref();
        match k.as_str() {
            "sources" => o.sources = parse_indices(k, value, n)?,
            "destinations" => o.destinations = parse_indices(k, value, n)?,
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
            "fallback_speed" => o.fallback_speed = Some(parse_positive(k, v)?),
            "fallback_coordinate" => {
                o.fallback_coordinate = match v {
                    "input" => FallbackCoordinate::Input,
                    "snapped" => FallbackCoordinate::Snapped,
                    _ => {
                        return Err(query_err(format!(
                            "fallback_coordinate: expected input or snapped, got {v:?}"
                        )))
                    }
                }
            }
            "scale_factor" => o.scale_factor = parse_positive(k, v)?,
            _ => return Err(unknown(k)),
        }
    }
    if n < 1 {
        return Err(options_err(
            "Number of coordinates needs to be at least one.",
        ));
    }
    Ok(o)
}

/// Parses and validates the nearest service's options for `n` coordinates (OSRM accepts
/// exactly one); `number` may not exceed `max_number`.
pub fn parse_nearest(options: &OptionPairs, n: usize, max_number: usize) -> Result<NearestOptions> {
    let mut o = NearestOptions {
        common: CommonOptions {
            default_radius_m: f64::INFINITY,
            ..CommonOptions::default()
        },
        number: 1,
    };
    for (k, value) in options {
        depart_at_unsupported(k, "nearest")?;
        if parse_common(k, value, n, &mut o.common)? {
            continue;
        }
        let v = value.text(k);
        let v = v.as_ref();
        match k.as_str() {
            "number" => {
                let num: usize = v.parse().map_err(|_| {
                    query_err(format!("number: expected an integer >= 1, got {v:?}"))
                })?;
                if num == 0 {
                    return Err(options_err("number must be at least 1"));
                }
                if num > max_number {
                    return Err(Error::new(
                        ErrorKind::TooBig,
                        format!("number={num} exceeds the limit of {max_number}"),
                    ));
                }
                o.number = num;
            }
            _ => return Err(unknown(k)),
        }
    }
    if n != 1 {
        return Err(options_err("Nearest service takes exactly one coordinate."));
    }
    Ok(o)
}

/// Most contours in one isochrone request.
pub const MAX_CONTOURS: usize = 10;

/// Options of the isochrone service.
#[derive(Debug, Clone, PartialEq)]
pub struct IsochroneOptions {
    /// Snapping options of the one coordinate.
    pub common: CommonOptions,
    /// Time budgets in seconds, in the order given.
    pub contours_s: Vec<f64>,
}

/// Parses and validates the isochrone service's options: `contours_minutes=` or `contours_s=`
/// (comma-separated, at most [`MAX_CONTOURS`], each at most `max_s`) plus the snapping options
/// of its one coordinate.
///
/// ```
/// use kerb_api::params::{parse_isochrone, query_options};
/// let o = parse_isochrone(&query_options([("contours_minutes", "5,10")]), 3600.0).unwrap();
/// assert_eq!(o.contours_s, vec![300.0, 600.0]);
/// assert!(parse_isochrone(&query_options([("contours_s", "7200")]), 3600.0).is_err());
/// ```
pub fn parse_isochrone(options: &OptionPairs, max_s: f64) -> Result<IsochroneOptions> {
    let mut o = IsochroneOptions {
        common: CommonOptions::default(),
        contours_s: Vec::new(),
    };
    for (k, value) in options {
        depart_at_unsupported(k, "isochrone")?;
        if parse_common(k, value, 1, &mut o.common)? {
            continue;
        }
        let scale = match k.as_str() {
            "contours_minutes" => 60.0,
            "contours_s" => 1.0,
            _ => return Err(unknown(k)),
        };
        o.contours_s = value
            .text(k)
            .split(',')
            .map(|e| {
                e.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .map(|x| x * scale)
                    .ok_or_else(|| query_err(format!("{k}: expected positive numbers, got {e:?}")))
            })
            .collect::<Result<_>>()?;
    }
    if o.contours_s.is_empty() {
        return Err(options_err(
            "isochrone needs contours_minutes= or contours_s= (e.g. contours_minutes=5,10)",
        ));
    }
    if o.contours_s.len() > MAX_CONTOURS {
        return Err(Error::new(
            ErrorKind::TooBig,
            format!("at most {MAX_CONTOURS} contours per request"),
        ));
    }
    if let Some(big) = o.contours_s.iter().find(|&&c| c > max_s) {
        return Err(Error::new(
            ErrorKind::TooBig,
            format!("contour of {big} s exceeds the limit of {max_s} s"),
        ));
    }
    Ok(o)
}

/// Splits a JSON body of the POST forms, `{"coordinates": [[lon, lat], ...], ...options}`, into
/// validated coordinates (at most `max_coordinates`) and option pairs for the service parsers.
///
/// Scalars become [`OptionValue::Text`], arrays [`OptionValue::List`] (`null` for the default,
/// nested arrays such as a bearing `[value, range]` joined with `,`).
///
/// ```
/// let body = serde_json::json!({"coordinates": [[24.94, 60.17], [24.95, 60.175]],
///                               "radiuses": [null, 50], "steps": true});
/// let (coords, options) = kerb_api::params::body_options(&body, 100).unwrap();
/// assert_eq!(coords.len(), 2);
/// let o = kerb_api::params::parse_route(&options, coords.len()).unwrap();
/// assert_eq!(o.common.radiuses, vec![None, Some(50.0)]);
/// assert!(o.steps);
/// ```
pub fn body_options(
    body: &Value,
    max_coordinates: usize,
) -> Result<(Vec<LonLat>, Vec<OptionPair>)> {
    let json_err = |m: String| Error::new(ErrorKind::InvalidJson, m);
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
        return Err(Error::new(
            ErrorKind::TooBig,
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
            validate(c, i)
        })
        .collect::<Result<Vec<_>>>()?;
    let options = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "coordinates")
        .map(|(k, v)| {
            let value = match v {
                Value::Array(items) => OptionValue::List(
                    items
                        .iter()
                        .map(|e| element(k, e))
                        .collect::<Result<Vec<_>>>()?,
                ),
                other => OptionValue::Text(scalar(k, other)?.unwrap_or_default()),
            };
            Ok((k.clone(), value))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((coords, options))
}

/// A JSON scalar as option text; `None` for `null`.
fn scalar(key: &str, v: &Value) -> Result<Option<String>> {
    match v {
        Value::Bool(b) => Ok(Some(b.to_string())),
        // `83.0` is the integer 83 in JSON (and to JSON Schema): an index, not "83.0".
        Value::Number(n) => Ok(Some(match n.as_f64() {
            Some(x) if n.is_f64() && x.fract() == 0.0 && x.abs() < 9e15 => (x as i64).to_string(),
            _ => n.to_string(),
        })),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Null => Ok(None),
        _ => Err(Error::new(
            ErrorKind::InvalidJson,
            format!("\"{key}\" has an unexpected JSON type"),
        )),
    }
}

/// One element of a JSON array option: a scalar, or a pair such as `[value, range]`.
fn element(key: &str, v: &Value) -> Result<Option<String>> {
    match v {
        Value::Array(items) => Ok(Some(
            items
                .iter()
                .map(|e| Ok(scalar(key, e)?.unwrap_or_default()))
                .collect::<Result<Vec<_>>>()?
                .join(","),
        )),
        other => scalar(key, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `a=b&c=d` as option pairs (no percent-decoding: the tests use none).
    fn q(s: &str) -> Vec<OptionPair> {
        query_options(
            s.split('&')
                .map(|kv| kv.split_once('=').unwrap_or((kv, ""))),
        )
    }
    fn parse_route_query(s: Option<&str>, n: usize) -> Result<RouteOptions> {
        parse_route(&s.map(q).unwrap_or_default(), n)
    }
    fn parse_table_query(s: Option<&str>, n: usize) -> Result<TableOptions> {
        parse_table(&s.map(q).unwrap_or_default(), n)
    }
    fn parse_nearest_query(s: Option<&str>, n: usize, max: usize) -> Result<NearestOptions> {
        parse_nearest(&s.map(q).unwrap_or_default(), n, max)
    }

    #[test]
    fn route_defaults() {
        let o = parse_route_query(None, 2).unwrap();
        assert_eq!(o.common.default_radius_m, f64::INFINITY);
        let mut unlimited = RouteOptions::default();
        unlimited.common.default_radius_m = f64::INFINITY;
        assert_eq!(o, unlimited);
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
        let code = |q: &str, n: usize| parse_route_query(Some(q), n).unwrap_err().kind;
        assert_eq!(code("overview=foo", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("steps=yes", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("foo=bar", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("radiuses=1;2;3", 2), ErrorKind::InvalidOptions);
        assert_eq!(code("radiuses=-1;", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("radiuses=nan;", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("bearings=400,20;", 2), ErrorKind::InvalidOptions);
        assert_eq!(code("bearings=10;", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("approaches=curb;foo", 2), ErrorKind::InvalidQuery);
        assert_eq!(
            parse_route_query(Some("approaches=opposite;curb"), 2)
                .unwrap()
                .common
                .approaches,
            vec![Some(ApproachOpt::Opposite), Some(ApproachOpt::Curb)]
        );
        assert_eq!(
            parse_route_query(Some("continue_straight=false"), 2)
                .unwrap()
                .continue_straight,
            Some(false)
        );
        assert_eq!(
            parse_route_query(Some("snapping=any"), 2)
                .unwrap()
                .common
                .snapping,
            Snapping::Any
        );
        assert_eq!(
            parse_route_query(Some("waypoints=0;2"), 3)
                .unwrap()
                .waypoints,
            Some(vec![0, 2])
        );
        assert_eq!(code("waypoints=1;2", 3), ErrorKind::InvalidValue);
        assert_eq!(code("waypoints=0;2;1;2", 3), ErrorKind::InvalidValue);
        assert_eq!(code("waypoints=0", 3), ErrorKind::InvalidValue);
        assert_eq!(
            parse_route_query(Some("exclude=motorway,toll,motorway"), 2)
                .unwrap()
                .common
                .exclude,
            vec![Exclude::Motorway, Exclude::Toll]
        );
        assert_eq!(
            parse_route_query(Some("exclude=motorway,ferry"), 2)
                .unwrap()
                .common
                .exclude,
            vec![Exclude::Motorway, Exclude::Ferry]
        );
        assert_eq!(code("exclude=cobbles", 2), ErrorKind::InvalidValue);
        assert_eq!(code("exclude=motorway,tolls", 2), ErrorKind::InvalidValue);
        assert_eq!(
            parse_route_query(Some("depart_at=2026-12-07T06:30"), 2)
                .unwrap()
                .common
                .depart_at
                .map(|t| t.to_string()),
            Some("2026-12-07T06:30".into())
        );
        assert_eq!(
            code("depart_at=2026-12-07T25:00", 2),
            ErrorKind::InvalidValue
        );
        let nearest = parse_nearest(&query_options([("depart_at", "Mo 06:00")]), 1, 10);
        assert_eq!(nearest.unwrap_err().kind, ErrorKind::NotImplemented);
        let iso = parse_isochrone(
            &query_options([("depart_at", "Mo 06:00"), ("contours_s", "60")]),
            600.0,
        );
        assert_eq!(iso.unwrap_err().kind, ErrorKind::NotImplemented);
        assert_eq!(
            parse_route_query(Some("exclude=motorway"), 2)
                .unwrap()
                .common
                .exclude,
            vec![Exclude::Motorway]
        );
        assert_eq!(code("format=flatbuffers", 2), ErrorKind::NotImplemented);
        // Values outside OSRM's grammar are invalid values, not missing features (#20).
        assert_eq!(
            code("continue_straight=99999999999999999999999", 2),
            ErrorKind::InvalidValue
        );
        assert_eq!(code("snapping=inf", 2), ErrorKind::InvalidValue);
        assert_eq!(code("format=xml", 2), ErrorKind::InvalidValue);
        assert_eq!(code("waypoints=a", 2), ErrorKind::InvalidValue);
        assert_eq!(code("annotations=colour", 2), ErrorKind::InvalidQuery);
        assert_eq!(code("overview=full", 1), ErrorKind::InvalidOptions);
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
        let code = |q: &str| parse_table_query(Some(q), 2).unwrap_err().kind;
        assert_eq!(code("sources=5"), ErrorKind::InvalidOptions);
        assert_eq!(code("sources=0;1;0"), ErrorKind::InvalidOptions);
        assert_eq!(code("sources=x"), ErrorKind::InvalidQuery);
        assert_eq!(code("annotations=speed"), ErrorKind::InvalidQuery);
        assert_eq!(code("fallback_speed=0"), ErrorKind::InvalidOptions);
        assert_eq!(code("fallback_speed=nan"), ErrorKind::InvalidQuery);
        assert_eq!(code("scale_factor=-1"), ErrorKind::InvalidOptions);
    }

    #[test]
    fn nearest_options() {
        assert_eq!(
            parse_nearest_query(Some("number=3"), 1, 10).unwrap().number,
            3
        );
        assert_eq!(parse_nearest_query(None, 1, 10).unwrap().number, 1);
        let code = |q: &str, n: usize| parse_nearest_query(Some(q), n, 10).unwrap_err().kind;
        assert_eq!(code("number=0", 1), ErrorKind::InvalidOptions);
        assert_eq!(code("number=11", 1), ErrorKind::TooBig);
        assert_eq!(code("number=-1", 1), ErrorKind::InvalidQuery);
        assert_eq!(code("number=1", 2), ErrorKind::InvalidOptions);
    }

    #[test]
    fn json_body_round_trip() {
        let body = json!({
            "coordinates": [[24.94, 60.17], [24.95, 60.175], [24.96, 60.18]],
            "sources": [0], "destinations": [1, 2], "annotations": ["duration", "distance"],
            "bearings": [[0, 90], null, null], "fallback_speed": 12.5
        });
        let (c, options) = body_options(&body, 10).unwrap();
        assert_eq!(c.len(), 3);
        let o = parse_table(&options, c.len()).unwrap();
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
        let code = |b: Value| body_options(&b, 2).unwrap_err().kind;
        assert_eq!(code(json!([1, 2])), ErrorKind::InvalidJson);
        assert_eq!(code(json!({})), ErrorKind::InvalidJson);
        assert_eq!(code(json!({"coordinates": [[1]]})), ErrorKind::InvalidJson);
        assert_eq!(
            code(json!({"coordinates": [["a", 1]]})),
            ErrorKind::InvalidJson
        );
        assert_eq!(
            code(json!({"coordinates": [[1, 1], [2, 2], [3, 3]]})),
            ErrorKind::TooBig
        );
        assert_eq!(
            code(json!({"coordinates": [[1, 100]]})),
            ErrorKind::InvalidValue
        );
        assert_eq!(
            code(json!({"coordinates": [[1, 1]], "steps": {"a": 1}})),
            ErrorKind::InvalidJson
        );
    }

    #[test]
    fn isochrone_options() {
        let o = parse_isochrone(&q("contours_s=60,120&approaches=curb"), 3600.0).unwrap();
        assert_eq!(o.contours_s, vec![60.0, 120.0]);
        assert_eq!(o.common.approaches, vec![Some(ApproachOpt::Curb)]);
        let kind = |s: &str| parse_isochrone(&q(s), 3600.0).unwrap_err().kind;
        assert_eq!(kind("contours_minutes=0"), ErrorKind::InvalidQuery);
        assert_eq!(kind("contours_minutes=x"), ErrorKind::InvalidQuery);
        assert_eq!(kind("radiuses=5"), ErrorKind::InvalidOptions);
        assert_eq!(
            kind("contours_minutes=1,2,3,4,5,6,7,8,9,10,11"),
            ErrorKind::TooBig
        );
        assert_eq!(kind("contours_minutes=61"), ErrorKind::TooBig);
        assert_eq!(kind("colour=red"), ErrorKind::InvalidQuery);
    }

    #[test]
    fn json_lists_are_per_coordinate() {
        let body = json!({"coordinates": [[24.94, 60.17], [24.95, 60.175]],
                          "radiuses": [null, "unlimited"], "approaches": ["curb", null]});
        let (c, options) = body_options(&body, 10).unwrap();
        let o = parse_route(&options, c.len()).unwrap();
        assert_eq!(o.common.radiuses, vec![None, Some(f64::INFINITY)]);
        assert_eq!(o.common.approaches, vec![Some(ApproachOpt::Curb), None]);
        let short = json!({"coordinates": [[24.94, 60.17], [24.95, 60.175]], "radiuses": [5]});
        let (c, options) = body_options(&short, 10).unwrap();
        assert_eq!(
            parse_route(&options, c.len()).unwrap_err().kind,
            ErrorKind::InvalidOptions
        );
    }

    #[test]
    fn integral_json_numbers_are_integers() {
        // Found by schemathesis: `"sources": [1.0]` is the index 1 to any JSON reader.
        let body = json!({"coordinates": [[24.94, 60.17], [24.95, 60.175]], "sources": [1.0], "fallback_speed": 2.5});
        let (c, options) = body_options(&body, 10).unwrap();
        let o = parse_table(&options, c.len()).unwrap();
        assert_eq!(o.sources, Some(vec![1]));
        assert_eq!(o.fallback_speed, Some(2.5));
    }
}
