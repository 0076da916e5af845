//! `GET/POST /match` end to end on real data (data/helsinki.osm.pbf, car profile): traces
//! generated from real routes, OSRM's response shape, gaps, tidying, waypoints, limits, errors
//! and cancellation of abandoned requests.

mod common;

use common::*;
use kerb_core::{Point, Route, SnapOptions, Waypoint};
use kerb_http::{AppState, Limits};
use kerb_match::{generate_trace, GeneratedTrace, TraceOptions};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn ok(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["code"], "Ok");
    v
}

/// A car route across central Helsinki and a trace driven along it.
// A third leg on to (24.9455, 60.1670) splits at Erottajankatu -> Eteläesplanadi with
// OSRM's 15 m search radius: a known matcher gap, not yet found.
fn drive(interval_s: f64, noise_m: f64) -> (Route, GeneratedTrace) {
    let g = open_car();
    let w = |x, y| Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default()).unwrap());
    let route = g
        .route(&[w(24.9414, 60.1699), w(24.9500, 60.1750)])
        .unwrap();
    let opts = TraceOptions {
        interval_s,
        noise_m,
        seed: 7,
        ..TraceOptions::default()
    };
    let trace = generate_trace(&g, &route, &[], &opts).unwrap();
    (route, trace)
}

fn coords(t: &GeneratedTrace) -> String {
    t.trace
        .points()
        .iter()
        .map(|p| format!("{:.6},{:.6}", p.point.x(), p.point.y()))
        .collect::<Vec<_>>()
        .join(";")
}

fn times(t: &GeneratedTrace, gap_after: Option<usize>) -> Vec<u64> {
    t.trace
        .points()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let jump = gap_after.filter(|&g| i > g).map_or(0, |_| 3600);
            p.time_s.unwrap() as u64 + jump
        })
        .collect()
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(";")
}

#[test]
fn match_get_answers_like_osrm() {
    let (route, t) = drive(5.0, 5.0);
    let n = t.trace.len();
    let uri = format!(
        "/match/v1/car/{}?timestamps={}&radiuses={}&steps=true&annotations=true&geometries=geojson&overview=full",
        coords(&t),
        join(&times(&t, None)),
        join(&vec![5; n]),
    );
    let v = ok(&get(&uri));
    let matchings = v["matchings"].as_array().unwrap();
    assert_eq!(matchings.len(), 1, "{v}");
    let m = &matchings[0];
    let confidence = m["confidence"].as_f64().unwrap();
    assert!(confidence > 0.8 && confidence <= 1.0, "{confidence}");
    let distance = m["distance"].as_f64().unwrap();
    assert!(
        (distance - route.distance_m).abs() < 0.1 * route.distance_m,
        "matched {distance} m, drove {} m",
        route.distance_m
    );
    assert_eq!(m["geometry"]["type"], "LineString");
    let legs = m["legs"].as_array().unwrap();
    let tracepoints = v["tracepoints"].as_array().unwrap();
    assert_eq!(tracepoints.len(), n);
    let matched: Vec<&Value> = tracepoints.iter().filter(|t| !t.is_null()).collect();
    assert!(matched.len() >= n - 2, "{} of {n} matched", matched.len());
    assert_eq!(legs.len(), matched.len() - 1);
    for (i, tp) in matched.iter().enumerate() {
        assert_eq!(tp["matchings_index"], 0);
        assert_eq!(tp["waypoint_index"], i);
        assert!(tp["alternatives_count"].as_u64().is_some());
        assert!(tp["distance"].as_f64().unwrap() < 30.0, "{tp}");
    }
    assert!(legs
        .iter()
        .any(|l| !l["steps"].as_array().unwrap().is_empty()));
    assert!(legs[0]["annotation"]["duration"].is_array());

    // The POST form answers the same.
    let body = json!({
        "coordinates": t.trace.points().iter().map(|p| [(p.point.x() * 1e6).round() / 1e6, (p.point.y() * 1e6).round() / 1e6]).collect::<Vec<_>>(),
        "timestamps": times(&t, None),
        "radiuses": vec![5; n],
        "steps": true, "annotations": true, "geometries": "geojson", "overview": "full",
    });
    assert_eq!(ok(&post("/match/v1/car", &body)), v);
}

#[test]
fn gaps_split_unless_ignored_and_waypoints_collapse_legs() {
    let (_, t) = drive(10.0, 5.0);
    let n = t.trace.len();
    let half = n / 2;
    let ts = join(&times(&t, Some(half)));
    let split = ok(&get(&format!(
        "/match/v1/car/{}?timestamps={ts}",
        coords(&t)
    )));
    assert_eq!(split["matchings"].as_array().unwrap().len(), 2, "{split}");
    let second: Vec<u64> = split["tracepoints"].as_array().unwrap()[half + 1..]
        .iter()
        .filter_map(|t| t["matchings_index"].as_u64())
        .collect();
    assert!(!second.is_empty() && second.iter().all(|&i| i == 1));
    let ignore = ok(&get(&format!(
        "/match/v1/car/{}?timestamps={ts}&gaps=ignore",
        coords(&t)
    )));
    assert_eq!(ignore["matchings"].as_array().unwrap().len(), 1);

    // Waypoints: only the first, middle and last fix end legs.
    let plain = join(&times(&t, None));
    let q = format!("timestamps={plain}&waypoints=0;{half};{}", n - 1);
    let v = ok(&get(&format!("/match/v1/car/{}?{q}", coords(&t))));
    assert_eq!(
        v["matchings"][0]["legs"].as_array().unwrap().len(),
        2,
        "{v}"
    );
    let indices: Vec<&Value> = v["tracepoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["waypoint_index"])
        .filter(|w| !w.is_null())
        .collect();
    assert_eq!(indices, [&json!(0), &json!(1), &json!(2)]);
    // A split trace cannot honour waypoints.
    let q = format!("timestamps={ts}&waypoints=0;{}", n - 1);
    err(
        &get(&format!("/match/v1/car/{}?{q}", coords(&t))),
        400,
        "NoMatch",
    );

    // Tidying drops fixes of a standing vehicle: 20 fixes 1 s apart at one spot.
    let p = t.trace.points()[0].point;
    let mut standing = vec![format!("{:.6},{:.6}", p.x(), p.y()); 20];
    standing.push(coords(&t));
    let mut stamps: Vec<u64> = (0..20).collect();
    stamps.extend(times(&t, None).iter().map(|s| s + 20));
    let uri = format!(
        "/match/v1/car/{}?timestamps={}&tidy=true",
        standing.join(";"),
        join(&stamps)
    );
    let v = ok(&get(&uri));
    let nulls = v["tracepoints"].as_array().unwrap()[..20]
        .iter()
        .filter(|t| t.is_null())
        .count();
    assert!(nulls >= 18, "{nulls} of the standing fixes tidied away");
}

#[test]
fn bad_traces_get_typed_errors() {
    let (_, t) = drive(5.0, 5.0);
    let c = coords(&t);
    let n = t.trace.len();
    let mut back = times(&t, None);
    back.swap(1, 2);
    err(
        &get(&format!("/match/v1/car/{c}?timestamps={}", join(&back))),
        400,
        "InvalidValue",
    );
    err(
        &get(&format!("/match/v1/car/{c}?timestamps=1;2")),
        400,
        "InvalidOptions",
    );
    err(
        &get(&format!("/match/v1/car/{c}?gaps=sometimes")),
        400,
        "InvalidQuery",
    );
    err(
        &get(&format!("/match/v1/car/{c}?waypoints=0;{n}")),
        400,
        "InvalidOptions",
    );
    err(
        &get(&format!("/match/v1/car/{c}?waypoints=1;{}", n - 1)),
        400,
        "InvalidValue",
    );
    err(&get("/match/v1/car/24.9414,60.1699"), 400, "InvalidOptions");
    // In the sea, far from any road.
    err(&get("/match/v1/car/25.3,59.9;25.301,59.9"), 400, "NoMatch");
    err(&get(&format!("/match/v2/car/{c}")), 400, "InvalidVersion");
    let many = json!({"coordinates": vec![[24.9414, 60.1699]; 5001]});
    err(&post("/match/v1/car", &many), 400, "TooBig");
}

#[test]
fn abandoned_matches_are_cancelled_and_free_their_slot() {
    // One compute slot and a 300 ms deadline: a long trace times out, and the next request
    // gets the slot at once instead of waiting for the whole trace to be matched.
    let limits = Limits {
        max_concurrent_requests: 1,
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let s = TestServer::start(AppState::with_graphs(limits, vec![open_car()]).unwrap());
    let (_, t) = drive(1.0, 10.0);
    let mut coords = Vec::new();
    while coords.len() < 4000 {
        coords.extend(t.trace.points().iter().map(|p| [p.point.x(), p.point.y()]));
    }
    let started = Instant::now();
    let r = post_at(
        s.addr,
        "/match/v1/car",
        json!({"coordinates": coords, "gaps": "ignore"})
            .to_string()
            .as_bytes(),
    );
    err(&r, 503, "Timeout");
    let r = get_at(s.addr, "/route/v1/car/24.9414,60.1699;24.95,60.175");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the slot was held {:?}",
        started.elapsed()
    );
    s.shutdown();
}
