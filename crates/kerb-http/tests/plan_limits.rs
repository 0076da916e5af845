//! `POST /plan` under hostile sizes (issue #20): thread counts, fleets, jobs and locations
//! beyond the documented `kerb serve` limits are clamped or refused with 413/400 JSON naming
//! the limit, before anything is allocated for them; none of them takes the server down.

mod common;

use common::*;
use kerb_http::{AppState, Limits};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A server with the default limits (16 MB bodies), serving the Helsinki car graph.
fn default_server() -> &'static TestServer {
    kerb_testdata::cached("default-limits server", || {
        TestServer::start(AppState::with_graphs(Limits::default(), vec![open_car()]).unwrap())
    })
}

fn post_big(path: &str, body: &[u8]) -> Reply {
    post_at(default_server().addr, path, body)
}

/// The first `n` bins of the committed Helsinki day, deterministic options.
fn day(n: usize) -> Value {
    let text = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let mut day: Value = serde_json::from_str(&text).unwrap();
    day["bins"] = Value::Array(day["bins"].as_array().unwrap()[..n].to_vec());
    day["options"]["iterations"] = 30.into();
    day
}

fn too_big(r: &Reply, names: &str) {
    assert_eq!(r.status, 413, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["code"], 4, "{v}"); // vroom-express's "too large"
    let (kind, message) = kind_and_message(&v);
    assert_eq!(kind, "TooBig");
    assert!(message.contains(names), "{message}");
    assert!(message.contains("limit"), "{message}");
}

#[test]
fn a_huge_thread_count_is_clamped_not_spawned() {
    // Before: `failed to spawn thread`, SIGABRT of the whole server.
    let mut d = day(20);
    d["options"]["threads"] = 100_000.into();
    let r = post("/plan?profile=car", &d);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["totals"]["bins_served"].as_u64().unwrap() > 0);
    let vroom = json!({
        "vehicles": [{"id": 1, "start": [24.9414, 60.1699], "profile": "car"}],
        "jobs": [{"id": 1, "location": [24.9450, 60.1710]}],
    });
    let r = post("/plan?iterations=20&threads=100000", &vroom);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn fleets_jobs_and_locations_beyond_the_limits_are_413() {
    // `count` expands the fleet: 10 million trucks in 48 bytes.
    let mut d = day(5);
    d["trucks"][0]["count"] = 10_000_000.into();
    let started = Instant::now();
    too_big(&post("/plan?profile=car", &d), "vehicles");
    // 250,000 jobs at one point: one distinct location, but every job is a solver object.
    let jobs = (0..250_000)
        .map(|i| format!(r#"{{"id":{i},"location":[24.945,60.171]}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let body = format!(
        r#"{{"vehicles":[{{"id":1,"start":[24.9414,60.1699],"profile":"car"}}],"jobs":[{jobs}]}}"#
    );
    too_big(&post_big("/plan", body.as_bytes()), "jobs");
    // A collection day counts its bins against the location limit (1000 by default).
    let text = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let mut big: Value = serde_json::from_str(&text).unwrap();
    let bins = big["bins"].as_array().unwrap().clone();
    big["bins"] = (0..3000)
        .map(|i| {
            let mut b = bins[i % bins.len()].clone();
            b["id"] = format!("bin-{i}").into();
            b
        })
        .collect();
    too_big(
        &post_big("/plan?profile=car", big.to_string().as_bytes()),
        "locations",
    );
    // Given matrices count too: 2100 x 2100 cells.
    let row = format!("[{}]", vec!["0"; 2100].join(","));
    let body = format!(
        r#"{{"vehicles":[{{"id":1,"start_index":0}}],"jobs":[{{"id":1,"location_index":1}}],"matrices":{{"car":{{"durations":[{}]}}}}}}"#,
        vec![row.as_str(); 2100].join(",")
    );
    too_big(&post_big("/plan", body.as_bytes()), "matrix cells");
    // Iterations beyond the limit.
    too_big(
        &post("/plan?profile=car&iterations=1000000000", &day(5)),
        "iterations",
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "refusals must not do the work first"
    );
}

#[test]
fn time_limits_are_checked_not_panicking() {
    let vroom = json!({
        "vehicles": [{"id": 1, "start": [24.9414, 60.1699], "profile": "car"}],
        "jobs": [{"id": 1, "location": [24.9450, 60.1710]}],
    });
    // Before: `Duration::from_secs_f64(1e308)` panicked in the handler.
    for bad in ["1e308", "NaN", "inf", "-1", "0"] {
        err(
            &post(&format!("/plan?time_limit_s={bad}"), &vroom),
            400,
            "InvalidQuery",
        );
    }
    let mut d = day(5);
    d["options"]["time_limit_s"] = 1e308.into();
    let r = post("/plan?profile=car", &d);
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    // The server still answers.
    let r = post("/plan?iterations=20", &vroom);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn the_location_limit_follows_the_server_table_limit() {
    let limits = Limits {
        max_table_coordinates: 3,
        ..Limits::default()
    };
    let s = TestServer::start(AppState::with_graphs(limits, vec![open_car()]).unwrap());
    let vroom = json!({
        "vehicles": [{"id": 1, "start": [24.9414, 60.1699], "profile": "car"}],
        "jobs": [{"id": 1, "location": [24.9450, 60.1710]}, {"id": 2, "location": [24.9460, 60.1720]},
                 {"id": 3, "location": [24.9470, 60.1730]}],
    });
    let body = serde_json::to_vec(&vroom).unwrap();
    too_big(&post_at(s.addr, "/plan", &body), "distinct locations");
    s.shutdown();
}
