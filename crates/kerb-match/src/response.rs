//! The OSRM `/match` response shape of a [`MatchResult`], shared by every front end: the CLI
//! now, the HTTP `/match` endpoint and Python later.

use kerb_core::encode_polyline;
use serde_json::{json, Value};

use crate::matcher::MatchResult;

/// How matching geometries are encoded, as OSRM's `geometries` parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Geometries {
    /// Encoded polyline, precision 5 (OSRM's default).
    #[default]
    Polyline,
    /// Encoded polyline, precision 6.
    Polyline6,
    /// A GeoJSON LineString.
    GeoJson,
}

impl std::str::FromStr for Geometries {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "polyline" => Ok(Geometries::Polyline),
            "polyline6" => Ok(Geometries::Polyline6),
            "geojson" => Ok(Geometries::GeoJson),
            other => Err(crate::Error::InvalidOption {
                name: "geometries",
                reason: format!("{other:?} is not polyline, polyline6 or geojson"),
            }),
        }
    }
}

/// The result as OSRM's match response: `code`, `matchings` (confidence, geometry, legs,
/// distance, duration, weight) and `tracepoints` (`null` for unmatched fixes, else location,
/// name, distance, `matchings_index`, `waypoint_index`, `alternatives_count`).
pub fn osrm_match_response(result: &MatchResult, geometries: Geometries) -> Value {
    let matchings: Vec<Value> = result
        .matchings
        .iter()
        .map(|m| {
            let coords: Vec<_> = m.geometry.points().collect();
            let geometry = match geometries {
                Geometries::Polyline => json!(encode_polyline(&coords, 5)),
                Geometries::Polyline6 => json!(encode_polyline(&coords, 6)),
                Geometries::GeoJson => json!({
                    "type": "LineString",
                    "coordinates": coords.iter().map(|p| [p.x(), p.y()]).collect::<Vec<_>>(),
                }),
            };
            json!({
                "confidence": m.confidence,
                "geometry": geometry,
                "legs": m.legs.iter().map(|l| json!({
                    "distance": l.distance_m,
                    "duration": l.duration_s,
                    "weight": l.duration_s,
                    "summary": "",
                    "steps": [],
                })).collect::<Vec<_>>(),
                "distance": m.distance_m,
                "duration": m.duration_s,
                "weight": m.duration_s,
                "weight_name": "duration",
            })
        })
        .collect();
    let tracepoints: Vec<Value> = result
        .tracepoints
        .iter()
        .map(|t| match t {
            None => Value::Null,
            Some(t) => json!({
                "location": [t.snap.point.x(), t.snap.point.y()],
                "name": t.snap.name,
                "distance": t.snap.distance_m,
                "hint": "",
                "matchings_index": t.matching,
                "waypoint_index": t.waypoint_index,
                "alternatives_count": t.alternatives_count,
            }),
        })
        .collect();
    json!({ "code": "Ok", "matchings": matchings, "tracepoints": tracepoints })
}
