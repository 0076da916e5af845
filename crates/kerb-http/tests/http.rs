//! End-to-end tests of the HTTP server on real data (data/helsinki.osm.pbf, car profile):
//! every endpoint, every error code, bad and hostile input, limits, readiness and shutdown.

mod common;

use common::*;
use kerb_core::{Point, SnapOptions, Waypoint};
use kerb_http::{AppState, Limits};
use serde_json::{json, Value};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const A: &str = "24.941400,60.169900";
const B: &str = "24.950000,60.175000";
const C: &str = "24.945500,60.167000";

fn ok(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["code"], "Ok");
    v
}

fn decode_polyline(s: &str, precision: i32) -> Vec<[f64; 2]> {
    let (mut out, mut lat, mut lon, mut i) = (Vec::new(), 0i64, 0i64, 0);
    let b = s.as_bytes();
    let next = |i: &mut usize| {
        let (mut r, mut sh) = (0i64, 0);
        loop {
            let c = (b[*i] - 63) as i64;
            *i += 1;
            r |= (c & 0x1f) << sh;
            sh += 5;
            if c < 0x20 {
                break;
            }
        }
        if r & 1 == 1 {
            !(r >> 1)
        } else {
            r >> 1
        }
    };
    while i < b.len() {
        lat += next(&mut i);
        lon += next(&mut i);
        let f = 10f64.powi(precision);
        out.push([lon as f64 / f, lat as f64 / f]);
    }
    out
}

/// Two coordinates of the Helsinki graph with no route between them, if the graph has any
/// (the importer keeps the largest strongly connected component, so only turn rules can
/// separate positions). The mapping of unreachable cells is unit-tested in `handlers`.
fn unreachable_pair() -> Option<(Point<f64>, Point<f64>)> {
    let g = open_car();
    let main = g
        .snap(Point::new(24.9414, 60.1699), &SnapOptions::default())
        .unwrap();
    for i in 0..15 {
        for j in 0..15 {
            let p = Point::new(
                24.9352 + 0.0182 * i as f64 / 14.0,
                60.1642 + 0.0149 * j as f64 / 14.0,
            );
            let Ok(s) = g.snap(p, &SnapOptions::default()) else {
                continue;
            };
            let (a, b) = (Waypoint::new(main.clone()), Waypoint::new(s.clone()));
            if matches!(g.route(&[a, b]), Err(kerb_core::Error::NoRoute { .. })) {
                return Some((main.point, s.point));
            }
        }
    }
    println!("note: every position of the Helsinki car graph is reachable: NoRoute and table fallbacks are covered by unit tests only");
    None
}

fn lonlat(p: Point<f64>) -> String {
    format!("{:.6},{:.6}", p.x(), p.y())
}

#[test]
fn health_ready_and_openapi() {
    let h = get("/health");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    let r = get("/ready");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["profiles"], json!(["car"]));
    let o = get("/openapi.json");
    assert_eq!(o.status, 200);
    let doc = o.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/route/v1/{profile}/{coordinates}",
        "/table/v1/{profile}",
        "/nearest/v1/{profile}/{coordinates}",
        "/plan",
        "/health",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"].get("RouteResponse").is_some());
    for p in [
        "/route/v1/{profile}/{coordinates}",
        "/table/v1/{profile}/{coordinates}",
    ] {
        let params = doc["paths"][p]["get"]["parameters"].as_array().unwrap();
        let depart = params.iter().find(|q| q["name"] == "depart_at");
        let depart = depart.unwrap_or_else(|| panic!("{p}: no depart_at"));
        assert!(depart["schema"]["pattern"].as_str().is_some(), "{p}");
    }
}

#[test]
fn route_basic_matches_library() {
    let v = ok(&get(&format!("/route/v1/car/{A};{B}")));
    let route = &v["routes"][0];
    let wps = v["waypoints"].as_array().unwrap();
    assert_eq!(wps.len(), 2);
    for w in wps {
        assert!(w["hint"].as_str().is_some_and(|h| !h.is_empty()));
        assert!(w["distance"].as_f64().unwrap() < 100.0);
        assert!(w["name"].is_string());
        assert_eq!(w["location"].as_array().unwrap().len(), 2);
    }
    assert_eq!(route["legs"].as_array().unwrap().len(), 1);
    assert_eq!(route["weight_name"], "duration");
    // Same numbers as the library.
    let g = open_car();
    let snap = |s: &str| {
        let (x, y) = s.split_once(',').unwrap();
        Waypoint::new(
            g.snap(
                Point::new(x.parse().unwrap(), y.parse().unwrap()),
                &SnapOptions::default(),
            )
            .unwrap(),
        )
    };
    let lib = g.route(&[snap(A), snap(B)]).unwrap();
    assert!(
        (route["distance"].as_f64().unwrap() - lib.distance_m).abs() <= 0.06,
        "{route}"
    );
    assert!((route["duration"].as_f64().unwrap() - lib.duration_s).abs() <= 0.06);
    // Simplified overview: a valid polyline from the first to the last waypoint.
    let pts = decode_polyline(route["geometry"].as_str().unwrap(), 5);
    assert!(pts.len() >= 2 && pts.len() <= lib.geometry.0.len());
    let first = wps[0]["location"].as_array().unwrap();
    assert!((pts[0][0] - first[0].as_f64().unwrap()).abs() < 2e-5);
}

#[test]
fn route_steps_annotations_geometries() {
    let v = ok(&get(&format!(
        "/route/v1/car/{A};{C};{B}?overview=full&geometries=geojson&steps=true&annotations=true&approaches=curb;;unrestricted"
    )));
    let route = &v["routes"][0];
    assert_eq!(route["geometry"]["type"], "LineString");
    let legs = route["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    for leg in legs {
        let steps = leg["steps"].as_array().unwrap();
        assert!(steps.len() >= 2);
        assert_eq!(steps[0]["maneuver"]["type"], "depart");
        assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
        let sum: f64 = steps.iter().map(|s| s["distance"].as_f64().unwrap()).sum();
        let d = leg["distance"].as_f64().unwrap();
        assert!((sum - d).abs() <= 0.1 * steps.len() as f64, "{sum} vs {d}");
        for s in steps {
            assert_eq!(s["geometry"]["type"], "LineString");
            assert_eq!(s["mode"], "driving");
            assert!(s["intersections"].as_array().is_some_and(|i| !i.is_empty()));
        }
        let a = &leg["annotation"];
        let n = a["distance"].as_array().unwrap().len();
        assert!(n >= 1);
        for k in ["duration", "weight", "speed", "datasources"] {
            assert_eq!(a[k].as_array().unwrap().len(), n, "{k}");
        }
        let ad: f64 = a["distance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .sum();
        assert!(
            (ad - d).abs() <= 0.02 * d + 1.0,
            "annotation {ad} vs leg {d}"
        );
        assert!(!a["nodes"].as_array().unwrap().is_empty());
        assert!(a["metadata"]["datasource_names"].is_array());
    }
    // polyline6 and no overview.
    let v6 = ok(&get(&format!(
        "/route/v1/car/{A};{B}?overview=full&geometries=polyline6"
    )));
    let p6 = decode_polyline(v6["routes"][0]["geometry"].as_str().unwrap(), 6);
    assert!(p6
        .iter()
        .all(|p| (24.9..25.0).contains(&p[0]) && (60.1..60.2).contains(&p[1])));
    let vf = ok(&get(&format!(
        "/route/v1/car/{A};{B}?overview=false&skip_waypoints=true&generate_hints=false"
    )));
    assert!(vf["routes"][0].get("geometry").is_none());
    assert!(vf.get("waypoints").is_none());
    // Polyline-encoded input gives the same route as plain coordinates.
    let enc = kerb_core::encode_polyline(
        &[Point::new(24.9414, 60.1699), Point::new(24.95, 60.175)],
        5,
    );
    let vp = ok(&get(&format!(
        "/route/v1/car/polyline({})?overview=false",
        enc.replace('?', "%3F")
    )));
    assert_eq!(vp["routes"][0]["distance"], vf["routes"][0]["distance"]);
    // .json suffix, and the `driving` alias OSRM clients use.
    ok(&get(&format!(
        "/route/v1/driving/{A};{B}.json?overview=false"
    )));
}

#[test]
fn route_post_equals_get() {
    let g = ok(&get(&format!(
        "/route/v1/car/{A};{B}?steps=true&radiuses=50;unlimited"
    )));
    let p = ok(&post(
        "/route/v1/car",
        &json!({"coordinates": [[24.9414, 60.1699], [24.95, 60.175]], "steps": true, "radiuses": [50, "unlimited"]}),
    ));
    assert_eq!(g["routes"], p["routes"]);
}

#[test]
fn table_get_post_fallback() {
    let first = get(&format!(
        "/table/v1/car/{A};{B};{C}?annotations=duration,distance"
    ));
    let v = ok(&first);
    let d = v["durations"].as_array().unwrap();
    assert_eq!(d.len(), 3);
    for i in 0..3 {
        assert_eq!(d[i][i].as_f64(), Some(0.0));
        assert_eq!(v["distances"][i][i].as_f64(), Some(0.0));
    }
    assert_eq!(v["sources"].as_array().unwrap().len(), 3);
    // Table cell equals the route between the same points.
    let r = ok(&get(&format!("/route/v1/car/{A};{B}?overview=false")));
    assert_eq!(v["durations"][0][1], r["routes"][0]["duration"]);
    // sources/destinations subset, default annotations = durations only.
    let s = ok(&get(&format!(
        "/table/v1/car/{A};{B};{C}?sources=2&destinations=0;1"
    )));
    assert_eq!(
        s["durations"],
        json!([[v["durations"][2][0], v["durations"][2][1]]])
    );
    assert!(s.get("distances").is_none());
    assert_eq!(s["destinations"].as_array().unwrap().len(), 2);
    // POST form.
    let p = ok(&post(
        "/table/v1/car",
        &json!({"coordinates": [[24.9414, 60.1699], [24.95, 60.175], [24.9455, 60.167]], "annotations": ["duration", "distance"]}),
    ));
    assert_eq!(p["durations"], v["durations"]);
    assert_eq!(p["distances"], v["distances"]);
    // scale_factor multiplies durations.
    let sc = ok(&get(&format!("/table/v1/car/{A};{B}?scale_factor=2")));
    let (d1, d2) = (
        v["durations"][0][1].as_f64().unwrap(),
        sc["durations"][0][1].as_f64().unwrap(),
    );
    assert!((d2 - 2.0 * d1).abs() <= 0.2, "{d1} {d2}");
    // fallback_speed on reachable cells changes nothing and lists no cell.
    let fb = ok(&get(&format!(
        "/table/v1/car/{A};{B};{C}?fallback_speed=10"
    )));
    assert_eq!(fb["durations"], v["durations"]);
    assert_eq!(fb["fallback_speed_cells"], json!([]));
    // Unreachable cells: null, or crow-fly estimates with fallback_speed.
    let Some((x, y)) = unreachable_pair() else {
        return;
    };
    let q = format!("/table/v1/car/{};{}", lonlat(x), lonlat(y));
    let plain = ok(&get(&q));
    assert!(plain["durations"][0][1].is_null(), "{plain}");
    assert!(plain.get("fallback_speed_cells").is_none());
    let fb = ok(&get(&format!(
        "{q}?fallback_speed=10&annotations=duration,distance"
    )));
    let crow = kerb_core::haversine_m(x, y);
    let dist = fb["distances"][0][1].as_f64().unwrap();
    assert!((dist - crow).abs() < 1.0, "{dist} vs {crow}");
    assert!((fb["durations"][0][1].as_f64().unwrap() - crow / 10.0).abs() < 0.2);
    assert!(fb["fallback_speed_cells"]
        .as_array()
        .unwrap()
        .contains(&json!([0, 1])));
}

#[test]
fn nearest_number_and_radius() {
    let v = ok(&get(&format!("/nearest/v1/car/{A}?number=3")));
    let w = v["waypoints"].as_array().unwrap();
    assert_eq!(w.len(), 3);
    let ds: Vec<f64> = w.iter().map(|x| x["distance"].as_f64().unwrap()).collect();
    assert!(ds.windows(2).all(|p| p[0] <= p[1]), "{ds:?}");
    for x in w {
        assert_eq!(x["nodes"].as_array().unwrap().len(), 2);
    }
    let one = ok(&get(&format!("/nearest/v1/car/{A}")));
    assert_eq!(one["waypoints"].as_array().unwrap().len(), 1);
    assert_eq!(one["waypoints"][0]["location"], w[0]["location"]);
    err(
        &get(&format!("/nearest/v1/car/{A}?radiuses=0.001")),
        400,
        "NoSegment",
    );
}

#[test]
fn osrm_error_codes() {
    let cases: Vec<(String, u16, &str)> = vec![
        ("/".into(), 400, "InvalidUrl"),
        ("/route".into(), 400, "InvalidUrl"),
        ("/route/v1/car/".into(), 400, "InvalidUrl"),
        ("/route/v1/car/%ZZ".into(), 400, "InvalidUrl"),
        (format!("/foo/v1/car/{A};{B}"), 400, "InvalidService"),
        (format!("/route/v2/car/{A};{B}"), 400, "InvalidVersion"),
        (format!("/route/v1/car/{A}"), 400, "InvalidOptions"),
        (
            format!("/route/v1/car/{A};{B}?radiuses=1;2;3"),
            400,
            "InvalidOptions",
        ),
        (
            format!("/route/v1/car/{A};{B}?bearings=400,20;"),
            400,
            "InvalidOptions",
        ),
        (
            format!("/table/v1/car/{A};{B}?sources=5"),
            400,
            "InvalidOptions",
        ),
        (
            format!("/nearest/v1/car/{A}?number=0"),
            400,
            "InvalidOptions",
        ),
        (format!("/nearest/v1/car/{A};{B}"), 400, "InvalidOptions"),
        (
            format!("/route/v1/car/{A};{B}?overview=foo"),
            400,
            "InvalidQuery",
        ),
        (
            format!("/route/v1/car/{A};{B}?steps=yes"),
            400,
            "InvalidQuery",
        ),
        (
            format!("/route/v1/car/{A};{B}?foo=bar"),
            400,
            "InvalidQuery",
        ),
        ("/route/v1/car/nan,nan;1,1".into(), 400, "InvalidQuery"),
        ("/route/v1/car/inf,60;24.9,60.1".into(), 400, "InvalidQuery"),
        ("/route/v1/car/abc".into(), 400, "InvalidQuery"),
        ("/route/v1/car/polyline(%20)".into(), 400, "InvalidQuery"),
        (format!("/route/v1/car/-200,60;{B}"), 400, "InvalidValue"),
        (format!("/route/v1/car/{A};24.95,91"), 400, "InvalidValue"),
        (
            format!("/route/v1/car/{A};{B}?radiuses=0.01;0.01"),
            400,
            "NoSegment",
        ),
        // No default radius on the OSRM services (as osrm-routed): only a given one refuses.
        (
            "/route/v1/car/0,0;24.95,60.175?radiuses=1000;1000".into(),
            400,
            "NoSegment",
        ),
        (format!("/route/v1/bike/{A};{B}"), 400, "ProfileNotFound"),
        // The trip service refuses OSRM's unsupported combination and unknown values.
        (
            format!("/trip/v1/car/{A};{B}?roundtrip=false"),
            501,
            "NotImplemented",
        ),
        (
            format!("/trip/v1/car/{A};{B}?source=middle"),
            400,
            "InvalidQuery",
        ),
        (format!("/tile/v1/car/{A};{B}"), 501, "NotImplemented"),
        (
            format!("/route/v1/car/{A};{B}.flatbuffers"),
            501,
            "NotImplemented",
        ),
        (
            format!("/table/v1/car/{A};{B}?exclude=cobbles"),
            400,
            "InvalidValue",
        ),
        (
            format!("/route/v1/car/{A};{B}?depart_at=tomorrow"),
            400,
            "InvalidValue",
        ),
        (
            format!("/table/v1/car/{A};{B}?depart_at=2026-02-30T06:00"),
            400,
            "InvalidValue",
        ),
        // #20: values outside OSRM's grammar are 400 InvalidValue, not 501.
        (
            format!("/route/v1/car/{A};{B}?continue_straight=99999999999999999999999"),
            400,
            "InvalidValue",
        ),
        (
            format!("/route/v1/car/{A};{B}?snapping=inf"),
            400,
            "InvalidValue",
        ),
        (
            format!("/route/v1/car/{A};{B}?waypoints=1;1"),
            400,
            "InvalidValue",
        ),
        // #20: an overflowing scale factor is refused instead of answering `null` durations.
        (
            format!("/table/v1/car/{A};{B}?scale_factor=1e308"),
            400,
            "InvalidValue",
        ),
    ];
    for (path, status, code) in &cases {
        let r = get(path);
        let v = r.json();
        assert_eq!(
            (r.status, v["code"].as_str().unwrap_or("")),
            (*status, *code),
            "{path}: {v}"
        );
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{path}"
        );
    }
    // The trip service answers OSRM's shape: one trip back to the start, waypoints in order.
    let r = get(&format!("/trip/v1/car/{A};{B}?source=first"));
    let v = r.json();
    assert_eq!((r.status, v["code"].as_str()), (200, Some("Ok")), "{v}");
    assert_eq!(v["trips"][0]["legs"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["waypoints"][0]["waypoint_index"], 0);
    assert_eq!(v["waypoints"][1]["trips_index"], 0);
    // NoRoute between two positions with no path between them, where the graph has such.
    if let Some((x, y)) = unreachable_pair() {
        err(
            &get(&format!("/route/v1/car/{};{}", lonlat(x), lonlat(y))),
            400,
            "NoRoute",
        );
    }
    // Wrong method on a known path.
    err(
        &raw(
            server().addr,
            format!(
                "DELETE /route/v1/car/{A};{B} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap(),
        405,
        "MethodNotAllowed",
    );
    err(&get("/plan"), 405, "MethodNotAllowed");
    // Without a radius a far coordinate snaps to the nearest road, however far (OSRM).
    let far = get("/route/v1/car/0,0;24.95,60.175");
    ok(&far);
    assert!(far.json()["waypoints"][0]["distance"].as_f64().unwrap() > 1e6);
    // The server still serves.
    ok(&get(&format!("/route/v1/car/{A};{B}")));
    ok(&get(&format!("/route/v1/car/{A};{B}?exclude=motorway")));
    ok(&get(&format!("/table/v1/car/{A};{B}?exclude=motorway")));
    ok(&get(&format!("/route/v1/car/{A};{B}?exclude=toll")));
    ok(&get(&format!(
        "/table/v1/car/{A};{B}?exclude=motorway,toll"
    )));
    ok(&get(&format!(
        "/route/v1/car/{A};{B}?depart_at=2026-12-07T06:30"
    )));
    ok(&get(&format!("/table/v1/car/{A};{B}?depart_at=Mo%2006:30")));
}

#[test]
fn limits_give_too_big() {
    let many = vec![A; 501].join(";");
    err(&get(&format!("/route/v1/car/{many}")), 400, "TooBig");
    let body = json!({"coordinates": vec![[24.9414, 60.1699]; 501]});
    err(&post("/route/v1/car", &body), 400, "TooBig");
    let table = vec![A; 1001].join(";");
    err(&get(&format!("/table/v1/car/{table}")), 400, "TooBig");
    err(
        &get(&format!("/nearest/v1/car/{A}?number=101")),
        400,
        "TooBig",
    );
    // A body over max_body_bytes (1 MiB here): refused from Content-Length before it is sent.
    let r = raw(
        server().addr,
        format!("POST /table/v1/car HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", (1 << 20) + 1)
            .as_bytes(),
    )
    .unwrap();
    err(&r, 413, "TooBig");
    // Same with chunked encoding (no Content-Length): refused once 1 MiB + 1 byte has arrived
    // (the client stops there, so every byte sent is read and the server closes cleanly).
    let mut req = b"POST /route/v1/car HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..16 {
        req.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
        req.extend_from_slice(&vec![b' '; 64 * 1024]);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"10\r\n ");
    err(&raw(server().addr, &req).unwrap(), 413, "TooBig");
    ok(&get(&format!("/route/v1/car/{A};{B}")));
}

#[test]
fn invalid_json_bodies() {
    for body in [
        &b"{"[..],
        b"not json",
        b"[1,2]",
        b"{\"coordinates\": 5}",
        b"{\"coordinates\": [[1]]}",
        b"",
    ] {
        let r = post_at(server().addr, "/route/v1/car", body);
        err(&r, 400, "InvalidJson");
    }
    let r = post_at(
        server().addr,
        "/table/v1/car",
        b"{\"coordinates\": [[24.94, 60.17]], \"sources\": {\"x\": 1}}",
    );
    err(&r, 400, "InvalidJson");
    let r = post_at(
        server().addr,
        "/route/v1/car",
        b"{\"coordinates\": [[24.94, 60.17], [24.95, 600]]}",
    );
    err(&r, 400, "InvalidValue");
    let r = post_at(server().addr, "/route/v1/car/extra", b"{}");
    assert_eq!(r.status, 405);
    ok(&get(&format!("/route/v1/car/{A};{B}")));
}

/// Helsinki locations of the plan tests: a depot and four bins.
const PLAN_POINTS: [[f64; 2]; 5] = [
    [24.9414, 60.1699],
    [24.9500, 60.1750],
    [24.9455, 60.1670],
    [24.9390, 60.1720],
    [24.9480, 60.1690],
];

/// VROOM input over PLAN_POINTS: two trucks with capacity 2 from the depot, four bins.
fn vroom_jobs() -> Value {
    json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [2]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [2]}
        ],
        "jobs": (1..5).map(|k| json!({"id": 100 + k, "location_index": k, "pickup": [1], "service": 60})).collect::<Vec<_>>(),
    })
}

#[test]
fn plan_with_matrices_from_real_routes() {
    // The matrix the client sends: real Helsinki travel times from kerb's own routes.
    let g = open_car();
    let wps: Vec<Waypoint> = PLAN_POINTS
        .iter()
        .map(|p| {
            Waypoint::new(
                g.snap(Point::new(p[0], p[1]), &SnapOptions::default())
                    .unwrap(),
            )
        })
        .collect();
    let mut durations = vec![vec![0.0; 5]; 5];
    for i in 0..5 {
        for j in 0..5 {
            if i != j {
                durations[i][j] = g
                    .route(&[wps[i].clone(), wps[j].clone()])
                    .unwrap()
                    .duration_s
                    .round();
            }
        }
    }
    let mut input = vroom_jobs();
    input["matrices"] = json!({"car": {"durations": durations}});
    let r = post("/plan?iterations=200&seed=3", &input);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["code"], 0);
    assert_eq!(v["unassigned"], json!([]));
    // Every bin served, no truck over capacity, and the reported travel time is the matrix's
    // along the returned orders.
    let mut served = 0;
    let mut travel = 0.0;
    for route in v["routes"].as_array().unwrap() {
        let steps = route["steps"].as_array().unwrap();
        assert_eq!(steps[0]["type"], "start");
        assert_eq!(steps.last().unwrap()["type"], "end");
        let mut order = vec![0usize];
        for st in steps.iter().filter(|st| st["type"] == "job") {
            order.push(st["location_index"].as_u64().unwrap() as usize);
            served += 1;
        }
        order.push(0);
        assert!(order.len() - 2 <= 2, "truck over capacity: {route}");
        travel += order.windows(2).map(|w| durations[w[0]][w[1]]).sum::<f64>();
    }
    assert_eq!(served, 4);
    assert_eq!(v["summary"]["duration"].as_f64().unwrap(), travel, "{v}");
}

#[test]
fn plan_with_coordinates_routes_on_the_graph() {
    let input = json!({
        "vehicles": [{"id": 1, "start": PLAN_POINTS[0], "end": PLAN_POINTS[0], "profile": "car"}],
        "jobs": (1..5).map(|k| json!({"id": 100 + k, "location": PLAN_POINTS[k], "service": 60})).collect::<Vec<_>>(),
    });
    let r = post("/plan?iterations=200", &input);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["code"], 0);
    let steps = v["routes"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.iter().filter(|s| s["type"] == "job").count(), 4);
    assert!(v["summary"]["duration"].as_f64().unwrap() > 60.0);
}

#[test]
fn plan_errors() {
    err(
        &post_at(server().addr, "/plan", b"{nope"),
        400,
        "InvalidJson",
    );
    err(&post_at(server().addr, "/plan", b"[1]"), 400, "InvalidJson");
    let mut bad_index = vroom_jobs();
    bad_index["matrices"] = json!({"car": {"durations": [[0, 1], [1, 0]]}});
    err(&post("/plan", &bad_index), 400, "InvalidValue");
    // Setup times are planned; VROOM's plan mode (`options.c`) is not provided: 501.
    let mut setup = vroom_jobs();
    setup["jobs"][0]["setup"] = json!(30);
    setup["matrices"] = json!({"car": {"durations": vec![vec![0; 5]; 5]}});
    let r = post("/plan?iterations=50", &setup);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["summary"]["setup"], 30);
    setup["options"] = json!({"c": true});
    err(&post("/plan", &setup), 501, "NotImplemented");
    // An unknown key is refused, by name.
    let mut typo = vroom_jobs();
    typo["jobs"][0]["servcie"] = json!(30);
    typo["matrices"] = json!({"car": {"durations": vec![vec![0; 5]; 5]}});
    let r = post("/plan", &typo);
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("servcie"));
    // Shipments are planned: the pair on one route, pickup first.
    let mut shipments = vroom_jobs();
    shipments["shipments"] = json!([{"amount": [1], "pickup": {"id": 1, "location_index": 3}, "delivery": {"id": 2, "location_index": 1}}]);
    shipments["matrices"] = json!({"car": {"durations": (0..5).map(|i: i64| (0..5).map(|j: i64| 10 * (i - j).abs()).collect::<Vec<_>>()).collect::<Vec<_>>()}});
    let r = post("/plan", &shipments);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let out: Value = serde_json::from_slice(&r.body).unwrap();
    let kinds: Vec<String> = out["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["steps"].as_array().unwrap().iter())
        .map(|s| s["type"].as_str().unwrap().to_string())
        .filter(|t| t == "pickup" || t == "delivery")
        .collect();
    assert_eq!(kinds, ["pickup", "delivery"]);
    let no_vehicle = json!({"vehicles": [], "jobs": [{"id": 1, "location_index": 0}], "matrices": {"car": {"durations": [[0]]}}});
    let r = post("/plan", &no_vehicle);
    assert!(
        matches!(r.status, 400 | 422),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    err(
        &post("/plan?colour=red", &vroom_jobs()),
        400,
        "InvalidQuery",
    );
    err(
        &post("/plan?iterations=0", &vroom_jobs()),
        400,
        "InvalidQuery",
    );
    // A coordinate outside WGS84.
    let far = json!({"vehicles": [{"id": 1, "start": [24.94, 60.17]}], "jobs": [{"id": 1, "location": [24.94, 95.0]}]});
    let r = post("/plan", &far);
    assert!(
        matches!(r.status, 400 | 501),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    ok(&get(&format!("/route/v1/car/{A};{B}")));
}

/// VROOM's error shape on `POST /plan` (`code` 2 input, 3 routing, 4 too large, with the
/// `error` text and kerb's `kind`), and the output VROOM gives with `options.g`: a road
/// `geometry` per route and `summary.computing_times`.
#[test]
fn plan_speaks_vroom_errors_and_geometry() {
    let vroom_err = |r: &Reply, status: u16, code: u64, kind: &str| {
        let v = r.json();
        assert_eq!(r.status, status, "{v}");
        assert_eq!(v["code"], code, "{v}");
        assert_eq!(v["kind"], kind, "{v}");
        assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert!(v.get("message").is_none(), "{v}");
    };
    vroom_err(
        &post_at(server().addr, "/plan", b"{nope"),
        400,
        2,
        "InvalidJson",
    );
    let mut duplicate = vroom_jobs();
    duplicate["jobs"][1]["id"] = json!(101);
    duplicate["matrices"] = json!({"car": {"durations": vec![vec![0; 5]; 5]}});
    vroom_err(&post("/plan", &duplicate), 400, 2, "InvalidValue");
    // A profile the server has no graph for is VROOM's routing error.
    let bike = json!({
        "vehicles": [{"id": 1, "start": PLAN_POINTS[0], "profile": "bike"}],
        "jobs": [{"id": 1, "location": PLAN_POINTS[1]}],
    });
    let r = post("/plan", &bike);
    assert_eq!(r.json()["code"], 3, "{}", String::from_utf8_lossy(&r.body));
    // The OSRM endpoints keep OSRM's shape.
    err(&get("/route/v1/car/1,2;x"), 400, "InvalidQuery");

    let input = json!({
        "vehicles": [{"id": 1, "start": PLAN_POINTS[0], "end": PLAN_POINTS[0], "profile": "car"}],
        "jobs": (1..5).map(|k| json!({"id": k, "location": PLAN_POINTS[k], "service": 60})).collect::<Vec<_>>(),
        "options": {"g": true},
    });
    let r = post("/plan?iterations=200", &input);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let geometry = v["routes"][0]["geometry"].as_str().unwrap();
    let points = kerb_api::coords::decode_polyline(geometry, 5, 100_000).unwrap();
    assert!(points.len() > 10, "{geometry}");
    // The line starts and ends at the depot (within the snapping distance).
    for [lon, lat] in [points[0], points[points.len() - 1]] {
        let depot = Point::new(PLAN_POINTS[0][0], PLAN_POINTS[0][1]);
        let d = kerb_core::haversine_m(Point::new(lon, lat), depot);
        assert!(d < 100.0, "{d} m from the depot");
    }
    let times = &v["summary"]["computing_times"];
    for k in ["loading", "solving", "routing"] {
        assert!(times[k].is_u64(), "{times}");
    }
    // Without `g` there is no geometry; with `g` but no coordinates it is VROOM's input error.
    let mut plain = input.clone();
    plain.as_object_mut().unwrap().remove("options");
    let v = post("/plan?iterations=50", &plain).json();
    assert!(v["routes"][0].get("geometry").is_none(), "{v}");
    let mut indexed = vroom_jobs();
    indexed["matrices"] = json!({"car": {"durations": vec![vec![1; 5]; 5]}});
    indexed["options"] = json!({"g": true});
    vroom_err(
        &post("/plan?iterations=50", &indexed),
        400,
        2,
        "InvalidValue",
    );
}

#[test]
fn slow_clients_time_out_and_server_keeps_serving() {
    let limits = Limits {
        request_timeout: Duration::from_millis(600),
        header_read_timeout: Duration::from_millis(600),
        ..Limits::default()
    };
    let s = TestServer::start(AppState::with_graphs(limits, vec![open_car()]).unwrap());
    // Body promised but never completed: 408 Timeout.
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.write_all(b"POST /route/v1/car HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{\"coord").unwrap();
    let start = Instant::now();
    let r = read_reply(&mut c).unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
    err(&r, 408, "Timeout");
    // Headers never completed: the connection is closed after the header timeout.
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n").unwrap();
    let start = Instant::now();
    let mut buf = Vec::new();
    let _ = std::io::Read::read_to_end(&mut c, &mut buf);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "slow header client was not dropped"
    );
    // Many idle connections do not stop others from being served.
    let idle: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(s.addr).unwrap())
        .collect();
    ok(&get_at(s.addr, &format!("/route/v1/car/{A};{B}")));
    drop(idle);
    s.shutdown();
}

#[test]
fn concurrent_requests_all_succeed() {
    let addr = server().addr;
    let threads: Vec<_> = (0..24)
        .map(|i| {
            std::thread::spawn(move || {
                let path = match i % 3 {
                    0 => format!("/route/v1/car/{A};{B}?steps=true"),
                    1 => format!("/table/v1/car/{A};{B};{C}"),
                    _ => format!("/nearest/v1/car/{C}?number=5"),
                };
                get_at(addr, &path).status
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
}

#[test]
fn readiness_before_graphs_and_graceful_shutdown() {
    let state = AppState::new(Limits::default());
    let s = TestServer::start(state.clone());
    assert_eq!(get_at(s.addr, "/health").status, 200);
    err(&get_at(s.addr, "/ready"), 503, "NotReady");
    err(
        &get_at(s.addr, &format!("/route/v1/car/{A};{B}")),
        503,
        "NotReady",
    );
    state.set_graphs(vec![open_car()]).unwrap();
    assert_eq!(get_at(s.addr, "/ready").status, 200);
    ok(&get_at(s.addr, &format!("/route/v1/car/{A};{B}")));
    // A request in flight when shutdown starts still gets its answer.
    let addr = s.addr;
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(
        format!("GET /route/v1/car/{A};{C};{B}?steps=true HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let started = Instant::now();
    s.shutdown();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(read_reply(&mut c).unwrap().status, 200);
    assert!(!state.is_ready());
    assert!(
        TcpStream::connect(addr).is_err(),
        "listener still open after shutdown"
    );
}

#[test]
fn plan_a_collection_day() {
    let day = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let mut day: Value = serde_json::from_str(&day).unwrap();
    day["bins"] = Value::Array(day["bins"].as_array().unwrap()[..40].to_vec());
    let r = post("/plan?profile=car&iterations=50&time_limit_s=20", &day);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let served = v["totals"]["bins_served"].as_u64().unwrap();
    let unassigned = v["totals"]["bins_unassigned"].as_u64().unwrap();
    assert_eq!(served + unassigned, 40);
    assert!(served >= 35, "{v}");
    assert!(v["routes"][0]["geometry"].as_array().unwrap().len() > 2);
    assert_eq!(v["geojson"]["type"], "FeatureCollection");
    // A day of streets only (no "bins" key) is a collection day too.
    let mut streets_only = day.clone();
    streets_only.as_object_mut().unwrap().remove("bins");
    let r = post(
        "/plan?profile=car&iterations=50&time_limit_s=20",
        &streets_only,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let passes = v["totals"]["street_passes"].as_u64().unwrap();
    assert!(passes >= 12, "{v}");
    assert_eq!(v["totals"]["bins_served"], 0);
    // A day without depots is a 400 with a message, not a crash.
    day["depots"] = json!([]);
    let r = post("/plan?profile=car", &day);
    assert_eq!(r.status, 400);
    assert!(kind_and_message(&r.json()).1.contains("depot"));
}

#[test]
fn plan_a_collection_week() {
    let graph = open_car();
    let week = kerb_collect::week::sample::sample_week(&graph, 40, 2, 5);
    let body = serde_json::to_value(&week).unwrap();
    let r = post("/plan/week?profile=car&policy=fixed&iterations=30", &body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["code"], 0);
    assert_eq!(v["policy"], "fixed");
    assert_eq!(v["days"].as_array().unwrap().len(), week.working_days.len());
    for key in [
        "distance_km",
        "working_h",
        "overflows",
        "territory_stability",
    ] {
        assert!(v["totals"][key].is_number(), "{key}: {}", v["totals"]);
    }
    // The same week through the shared layer, as the CLI and Python plan it: the same routes.
    let options = kerb_api::plan::PlanOptions::default().with_iterations(30);
    // The test server's limits (a time limit shapes construction, so the same one is needed).
    let served = Limits::default();
    let limits =
        kerb_api::plan::PlanLimits::serve(served.plan_time_limit, served.max_table_coordinates);
    let library = kerb_api::plan::plan_week(
        &graph,
        week.clone(),
        kerb_collect::Policy::Fixed,
        &options,
        &limits,
        None,
    )
    .unwrap();
    // Each day's routes as (truck, stop ids): the float fields went through JSON text once more
    // on the HTTP side.
    let routes = |days: &Value| -> Vec<Vec<(String, Vec<String>)>> {
        days.as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d["routes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let stops = r["stops"].as_array().unwrap();
                        let ids = stops.iter().map(|s| s["id"].to_string()).collect();
                        (r["truck"].to_string(), ids)
                    })
                    .collect()
            })
            .collect()
    };
    let lib = serde_json::to_value(&library).unwrap();
    assert_eq!(routes(&v["days"]), routes(&lib["days"]));
    // Without `?profile=` the week plans on the default profile as `/plan` does: this server
    // serves car only, so the same routes as with `profile=car`.
    let r = post("/plan/week?policy=fixed&iterations=30", &body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(routes(&r.json()["days"]), routes(&v["days"]));
    // The forecast policy is the default; an unknown one is a 400 naming it.
    let r = post("/plan/week?profile=car&iterations=30", &body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["policy"], "forecast");
    let r = post("/plan/week?profile=car&policy=sometimes", &body);
    assert_eq!(r.status, 400);
    assert!(kind_and_message(&r.json()).1.contains("sometimes"));
    // An inconsistent week (no working days) is a 400 with the reason.
    let mut bad = body.clone();
    bad["working_days"] = json!([]);
    let r = post("/plan/week?profile=car", &bad);
    assert_eq!(r.status, 400);
    assert!(kind_and_message(&r.json()).1.contains("working day"));
}

/// `POST /plan` with coordinates on a server of a car and a truck graph: a car and a truck in
/// one request each drive on their own profile's graph (VROOM's per-vehicle profile), so the
/// same trip takes each the time of its own graph; a vehicle naming an unserved profile is
/// `ProfileNotFound`.
#[test]
fn plan_routes_each_vehicle_on_its_own_profile() {
    let truck =
        kerb_core::Graph::from_pbf(kerb_testdata::helsinki_pbf(), &kerb_core::Profile::truck())
            .unwrap();
    let car = open_car();
    let trip = |g: &kerb_core::Graph| {
        let wps: Vec<Waypoint> = [PLAN_POINTS[0], PLAN_POINTS[1]]
            .iter()
            .map(|&[x, y]| {
                Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default()).unwrap())
            })
            .collect();
        let m = g.matrix(&wps, &wps).unwrap();
        m.durations_s[1] + m.durations_s[2]
    };
    let (car_trip, truck_trip) = (trip(&car), trip(&truck));
    assert!(
        (car_trip - truck_trip).abs() > 10.0,
        "the graphs differ: car {car_trip} s, truck {truck_trip} s"
    );
    let s = TestServer::start(AppState::with_graphs(Limits::default(), vec![car, truck]).unwrap());
    // Each vehicle gets the one job only it may serve (skills), at the same place.
    let input = json!({
        "vehicles": [
            {"id": 1, "start": PLAN_POINTS[0], "end": PLAN_POINTS[0], "profile": "car", "skills": [1]},
            {"id": 2, "start": PLAN_POINTS[0], "end": PLAN_POINTS[0], "profile": "truck", "skills": [2]}
        ],
        "jobs": [
            {"id": 101, "location": PLAN_POINTS[1], "skills": [1]},
            {"id": 102, "location": PLAN_POINTS[1], "skills": [2]}
        ],
    });
    let r = post_at(s.addr, "/plan?iterations=100", input.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let duration = |vehicle: u64| {
        v["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["vehicle"] == vehicle)
            .unwrap_or_else(|| panic!("vehicle {vehicle} has a route: {v}"))["duration"]
            .as_f64()
            .unwrap()
    };
    assert!(
        (duration(1) - car_trip).abs() <= 1.0,
        "car {} vs {car_trip}: {v}",
        duration(1)
    );
    assert!(
        (duration(2) - truck_trip).abs() <= 1.0,
        "truck {} vs {truck_trip}: {v}",
        duration(2)
    );
    let mut unserved = input.clone();
    unserved["vehicles"][1]["profile"] = json!("bicycle");
    err(
        &post_at(
            s.addr,
            "/plan?iterations=100",
            unserved.to_string().as_bytes(),
        ),
        400,
        "ProfileNotFound",
    );
    s.shutdown();
}
