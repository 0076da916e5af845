//! Geometry helpers shared by every crate: great-circle distance, OSRM's road distance,
//! bearings, side of a line,
//! points along a segment and the Google polyline codec. Pure functions on `geo::Point`s.

use geo::Point;

/// Mean earth radius in metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A coordinate stored as (lon, lat) in 1e-7 degrees, as a point in degrees.
#[inline]
pub(crate) fn e7_to_point(c: [i32; 2]) -> Point<f64> {
    Point::new(c[0] as f64 * 1e-7, c[1] as f64 * 1e-7)
}

/// WGS84 equatorial radius in metres and flattening (cheap-ruler's ellipsoid).
const WGS84_A_M: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// Distance in metres as OSRM measures roads and snaps (`fccApproximateDistance`): Mapbox's
/// cheap ruler on the WGS84 ellipsoid (the FCC method), with the ruler of the pair's mean
/// latitude taken from 1800 bins of 0.05 degrees like OSRM's ruler cache. Within 0.1 % of
/// the geodesic at city scale; on a sphere the haversine is up to 0.6 % off north-south.
///
/// ```
/// use kerb_core::{geo::road_distance_m, Point};
/// // 80 degrees along the equator and along a meridian (OSRM's planetary scenarios).
/// let east = road_distance_m(Point::new(0.0, 0.0), Point::new(80.0, 0.0));
/// assert!((east - 8_905_559.0).abs() < 0.001 * 8_905_559.0, "{east}");
/// let north = road_distance_m(Point::new(0.0, 0.0), Point::new(0.0, 80.0));
/// assert!((north - 8_882_574.6).abs() < 0.001 * 8_882_574.6, "{north}");
/// ```
#[inline]
pub fn road_distance_m(a: Point<f64>, b: Point<f64>) -> f64 {
    // OSRM's bin of the mean latitude in 1e-6 degrees: (|lat| - 1) / 50000, centred.
    let mean_e6 = ((a.y() + b.y()) / 2.0 * 1e6).abs();
    let bin = ((mean_e6 - 1.0).max(0.0) / 50_000.0).floor().min(1799.0);
    let lat = ((bin + 0.5) * 0.05).to_radians();
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let m = WGS84_A_M * std::f64::consts::PI / 180.0;
    let cos = lat.cos();
    let w2 = 1.0 / (1.0 - e2 * (1.0 - cos * cos));
    let w = w2.sqrt();
    let (kx, ky) = (m * w * cos, m * w * w2 * (1.0 - e2));
    // Across the antimeridian the short way round.
    let dlon = (b.x() - a.x() + 180.0).rem_euclid(360.0) - 180.0;
    let (dx, dy) = (dlon * kx, (b.y() - a.y()) * ky);
    (dx * dx + dy * dy).sqrt()
}

/// Great-circle distance in metres (haversine, mean earth radius).
///
/// ```
/// use kerb_core::{geo::haversine_m, Point};
/// let d = haversine_m(Point::new(24.9384, 60.1699), Point::new(24.9500, 60.1750));
/// assert!((d - 856.3).abs() < 1.0, "{d}");
/// ```
#[inline]
pub fn haversine_m(a: Point<f64>, b: Point<f64>) -> f64 {
    let (lat1, lat2) = (a.y().to_radians(), b.y().to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x() - a.x()).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Initial great-circle bearing from `a` to `b` in degrees clockwise from north, `0..360`.
///
/// ```
/// use kerb_core::{geo::bearing_deg, Point};
/// assert!((bearing_deg(Point::new(0.0, 0.0), Point::new(0.0, 1.0)) - 0.0).abs() < 1e-9);
/// assert!((bearing_deg(Point::new(0.0, 0.0), Point::new(1.0, 0.0)) - 90.0).abs() < 1e-9);
/// ```
#[inline]
pub fn bearing_deg(a: Point<f64>, b: Point<f64>) -> f64 {
    let (lat1, lat2) = (a.y().to_radians(), b.y().to_radians());
    let dlon = (b.x() - a.x()).to_radians();
    let y = dlon.sin() * lat2.cos();
    let x = lat1.cos() * lat2.sin() - lat1.sin() * lat2.cos() * dlon.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// Bearing in degrees (0 = north, clockwise, `-180..=180`) from `a` to `b` given in 1e-7
/// degrees, on the local equirectangular plane at `a`. The turn model measures turn angles
/// with it; it is kept apart from [`bearing_deg`] because turn penalties (and so the
/// fingerprints of stored contraction hierarchies) are defined by it.
#[inline]
pub(crate) fn planar_bearing_e7(a: [i32; 2], b: [i32; 2]) -> f64 {
    let lat = (a[1] as f64 * 1e-7).to_radians();
    let dx = (b[0] - a[0]) as f64 * lat.cos();
    let dy = (b[1] - a[1]) as f64;
    dx.atan2(dy).to_degrees()
}

/// Whether `actual` lies within `range` degrees of `wanted` (all in degrees, any turn count).
#[inline]
pub fn bearing_within(actual: f64, wanted: f64, range: f64) -> bool {
    let d = (actual - wanted).rem_euclid(360.0);
    d.min(360.0 - d) <= range
}

/// Which side of the directed line `a -> b` the point `q` lies on, in a planar frame: the
/// sign of the cross product (positive = left, negative = right, zero = on the line).
///
/// ```
/// use kerb_core::geo::side_of_line;
/// assert!(side_of_line([0.0, 0.0], [1.0, 0.0], [0.5, 1.0]) > 0.0);
/// assert!(side_of_line([0.0, 0.0], [1.0, 0.0], [0.5, -1.0]) < 0.0);
/// ```
#[inline]
pub fn side_of_line(a: [f64; 2], b: [f64; 2], q: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])
}

/// The point a fraction `t` of the way from `p` to `q` (linear in degrees).
///
/// ```
/// use kerb_core::{geo::point_along, Point};
/// assert_eq!(point_along(Point::new(0.0, 0.0), Point::new(2.0, 4.0), 0.5), Point::new(1.0, 2.0));
/// ```
#[inline]
pub fn point_along(p: Point<f64>, q: Point<f64>, t: f64) -> Point<f64> {
    Point::new(p.x() + t * (q.x() - p.x()), p.y() + t * (q.y() - p.y()))
}

/// Encodes coordinates in Google's polyline format (latitude first), `precision` decimal
/// digits (5 or 6; clamped to 1..=7).
///
/// ```
/// use kerb_core::{encode_polyline, Point};
/// let pts = [Point::new(-120.2, 38.5), Point::new(-120.95, 40.7), Point::new(-126.453, 43.252)];
/// assert_eq!(encode_polyline(&pts, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
/// ```
pub fn encode_polyline(coords: &[Point<f64>], precision: u32) -> String {
    let factor = 10f64.powi(precision.clamp(1, 7) as i32);
    let mut out = String::new();
    let (mut plat, mut plon) = (0i64, 0i64);
    for p in coords {
        let lat = (p.y() * factor).round() as i64;
        let lon = (p.x() * factor).round() as i64;
        for d in [lat - plat, lon - plon] {
            let mut v = if d < 0 { !(d << 1) } else { d << 1 } as u64;
            while v >= 0x20 {
                out.push(char::from((((v & 0x1f) | 0x20) + 63) as u8));
                v >>= 5;
            }
            out.push(char::from((v + 63) as u8));
        }
        plat = lat;
        plon = lon;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_precision_6() {
        let pts = [Point::new(-120.2, 38.5), Point::new(-120.95, 40.7)];
        let p5 = encode_polyline(&pts, 5);
        let p6 = encode_polyline(&pts, 6);
        assert_eq!(p5, "_p~iF~ps|U_ulLnnqC");
        assert!(p6.len() > p5.len());
        assert_eq!(encode_polyline(&[], 5), "");
    }

    #[test]
    fn bearings() {
        let a = Point::new(25.0, 60.0);
        assert!((bearing_deg(a, Point::new(25.0, 60.1)) - 0.0).abs() < 1e-6);
        assert!((bearing_deg(a, Point::new(25.1, 60.0)) - 90.0).abs() < 0.1);
        assert!(bearing_within(355.0, 5.0, 15.0));
        assert!(!bearing_within(180.0, 5.0, 15.0));
    }

    #[test]
    fn planar_bearings() {
        assert!((planar_bearing_e7([0, 0], [0, 10]) - 0.0).abs() < 1e-9);
        assert!((planar_bearing_e7([0, 0], [10, 0]) - 90.0).abs() < 1e-9);
    }
}
