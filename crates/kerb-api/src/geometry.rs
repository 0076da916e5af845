//! Point-list helpers the OSRM formatter and the guidance layer share: geometry encoding,
//! bearings, and appending a point once. A leaf module, so `format` and `guidance` both import
//! it and not each other.

use crate::osrm::round_coord;
use crate::params::Geometries;
use kerb_core::Point;
use serde_json::Value;

/// Encodes a list of points in the requested geometry format.
pub fn encode_geometry(points: &[Point<f64>], g: Geometries) -> Value {
    match g {
        Geometries::Polyline => Value::String(kerb_core::encode_polyline(points, 5)),
        Geometries::Polyline6 => Value::String(kerb_core::encode_polyline(points, 6)),
        Geometries::GeoJson => serde_json::json!({
            "type": "LineString",
            "coordinates": points.iter().map(|p| round_coord([p.x(), p.y()])).collect::<Vec<_>>(),
        }),
    }
}

/// Initial bearing from `a` to `b` in degrees clockwise from north, 0..360.
pub fn bearing(a: Point<f64>, b: Point<f64>) -> f64 {
    let (la1, la2) = (a.y().to_radians(), b.y().to_radians());
    let dl = (b.x() - a.x()).to_radians();
    let y = dl.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// Appends `p` unless it repeats the last point (shared ends of consecutive pieces).
pub(crate) fn push_dedup(pts: &mut Vec<Point<f64>>, p: Point<f64>) {
    if pts.last() != Some(&p) {
        pts.push(p);
    }
}
