//! The isochrone GeoJSON writer: a `FeatureCollection` of one polygon per time budget, with
//! the snapped origin, as `GET /isochrone` answers and `kerb isochrone` writes.

use kerb_core::{Isochrone, Snap};
use serde_json::{json, Value};

/// The FeatureCollection of `isochrones` (in the order given) around the snapped `origin`.
///
/// Each feature is [`Isochrone::to_geojson`] plus `contour_minutes`; the collection carries
/// OSRM's `code: "Ok"` and the origin as `waypoint` (location, street name, snap distance).
pub fn feature_collection(isochrones: &[Isochrone], origin: &Snap) -> Value {
    let features: Vec<Value> = isochrones
        .iter()
        .map(|iso| {
            let mut f = iso.to_geojson();
            f["properties"]["contour_minutes"] = (iso.limit_s / 60.0).into();
            f
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "code": "Ok",
        "features": features,
        "waypoint": {"location": [origin.point.x(), origin.point.y()], "name": origin.name,
                      "distance": origin.distance_m},
    })
}
