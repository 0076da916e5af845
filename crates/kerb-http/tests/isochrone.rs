//! `GET /isochrone/v1/...` on the Helsinki car graph: polygons that match the library's
//! isochrones, largest first, and 4xx answers for bad requests.

mod common;

use common::{err, get, open_car};
use kerb_core::{Point, SnapOptions, Waypoint};

const A: &str = "24.9414,60.1699";

#[test]
fn isochrones_over_http_match_the_library() {
    let r = get(&format!("/isochrone/v1/car/{A}?contours_minutes=2,4"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["type"], "FeatureCollection");
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    // Largest first, so that drawing in order leaves the small one visible.
    assert_eq!(f[0]["properties"]["limit_s"], 240.0);
    assert_eq!(f[1]["properties"]["contour_minutes"], 2.0);
    assert_eq!(f[0]["geometry"]["type"], "Polygon");

    let g = open_car();
    let origin = Waypoint::new(
        g.snap(Point::new(24.9414, 60.1699), &SnapOptions::default())
            .unwrap(),
    );
    let lib = g.isochrones(&origin, &[240.0]).unwrap();
    let area = f[0]["properties"]["area_km2"].as_f64().unwrap();
    assert!(
        (area - lib[0].area_km2).abs() < 1e-9,
        "{area} vs {}",
        lib[0].area_km2
    );
    // Same outline, up to the server's coordinate rounding.
    let ring = |v: &serde_json::Value| -> Vec<(f64, f64)> {
        v["coordinates"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
            .collect()
    };
    let (http, local) = (
        ring(&f[0]["geometry"]),
        ring(&lib[0].to_geojson()["geometry"]),
    );
    assert_eq!(http.len(), local.len());
    for (a, b) in http.iter().zip(&local) {
        assert!(
            (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6,
            "{a:?} vs {b:?}"
        );
    }
    assert!(
        f[0]["properties"]["road_km"].as_f64().unwrap()
            > f[1]["properties"]["road_km"].as_f64().unwrap()
    );
}

#[test]
fn bad_isochrone_requests_are_4xx() {
    err(
        &get(&format!("/isochrone/v1/car/{A}")),
        400,
        "InvalidOptions",
    );
    err(
        &get(&format!("/isochrone/v1/car/{A}?contours_minutes=abc")),
        400,
        "InvalidQuery",
    );
    err(
        &get(&format!("/isochrone/v1/car/{A}?contours_minutes=-5")),
        400,
        "InvalidQuery",
    );
    err(
        &get(&format!("/isochrone/v1/car/{A}?contours_minutes=600")),
        400,
        "TooBig",
    );
    err(
        &get(&format!(
            "/isochrone/v1/car/{A}?contours_s=1,2,3,4,5,6,7,8,9,10,11"
        )),
        400,
        "TooBig",
    );
    err(
        &get(&format!("/isochrone/v1/car/{A};24.95,60.17?contours_s=60")),
        400,
        "InvalidOptions",
    );
    err(
        &get(&format!("/isochrone/v1/car/{A}?contours_s=60&colour=red")),
        400,
        "InvalidQuery",
    );
    err(
        &get(&format!("/isochrone/v1/bus/{A}?contours_s=60")),
        400,
        "ProfileNotFound",
    );
    err(
        &get("/isochrone/v1/car/10.0,10.0?contours_s=60"),
        400,
        "NoSegment",
    );
}
