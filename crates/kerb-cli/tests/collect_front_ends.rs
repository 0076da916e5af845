//! The Helsinki collection day (data/helsinki-day.json, 300 bins) through three front ends —
//! the library (`kerb_collect::plan_collection`), the `kerb collect` binary and `POST /plan`
//! of the HTTP router — on one graph file from `kerb build`: the same plan, to the bit.
//!
//! With an iteration limit (the time limit only as a guard) and one solver thread the planner
//! is deterministic, so routes, stop order, times, loads, distances and geometry must be
//! equal. Only the wall-clock `timings` differ. The Python front end is compared with the
//! CLI in python/tests/test_front_ends.py.
//!
//! VROOM input with `[lon, lat]` locations goes the same three ways (`kerb plan --graph`,
//! `POST /plan`, `kerb_api::plan::plan_vroom`) with no solver option at all: kerb-api's one
//! set of defaults (20,000 iterations, one thread, seed 1) makes the plans identical.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kerb_collect::CollectionDay;
use kerb_core::Graph;
use kerb_http::{AppState, Limits};
use serde_json::Value;
use tower::ServiceExt;

const ITERATIONS: u64 = 50;

fn tmp(name: &str) -> PathBuf {
    kerb_testdata::temp_dir("front-ends").join(name)
}

fn kerb(args: &[&str]) -> std::process::Output {
    kerb_testdata::run_ok(env!("CARGO_BIN_EXE_kerb"), args)
}

/// The committed day, made deterministic: iteration limit, one thread, generous time limit.
fn deterministic_day() -> Value {
    let text = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let mut day: Value = serde_json::from_str(&text).unwrap();
    day["options"]["iterations"] = ITERATIONS.into();
    day["options"]["threads"] = 1.into();
    day["options"]["time_limit_s"] = 300.0.into();
    day
}

/// A plan JSON without its wall-clock timings, parsed from text so every front end's floats go
/// through the same printing and parsing.
fn comparable(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    let obj = v.as_object_mut().unwrap();
    for key in ["timings", "code", "geojson"] {
        obj.remove(key);
    }
    v
}

fn via_http(graph: &Path, day: &Value) -> String {
    via_http_at(graph, "/plan?profile=truck", day)
}

fn via_http_at(graph: &Path, uri: &str, day: &Value) -> String {
    let limits = Limits {
        plan_time_limit: std::time::Duration::from_secs(300),
        request_timeout: std::time::Duration::from_secs(600),
        ..Limits::default()
    };
    let state = AppState::with_graphs(limits, vec![Graph::open(graph).unwrap()]).unwrap();
    let app = kerb_http::router(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let req = Request::post(uri)
            .header("content-type", "application/json")
            .body(Body::from(day.to_string()))
            .unwrap();
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    })
}

#[test]
fn library_cli_and_http_plan_the_same_day_identically() {
    let graph = tmp("helsinki-truck.kerb");
    let g = graph.to_str().unwrap();
    kerb_testdata::kerb_build(
        env!("CARGO_BIN_EXE_kerb"),
        &kerb_testdata::helsinki_pbf(),
        "truck",
        &graph,
        &[],
    );
    let day = deterministic_day();
    let day_path = tmp("day.json");
    std::fs::write(&day_path, day.to_string()).unwrap();

    // (a) The library.
    let parsed = CollectionDay::from_json(&day.to_string()).unwrap();
    let lib = kerb_collect::plan_collection(&Graph::open(&graph).unwrap(), &parsed).unwrap();
    let lib = comparable(&serde_json::to_string(&lib).unwrap());

    // (b) The CLI.
    let out_path = tmp("plan.json");
    kerb(&[
        "collect",
        day_path.to_str().unwrap(),
        "--graph",
        g,
        "-o",
        out_path.to_str().unwrap(),
        "--quiet",
    ]);
    let cli = comparable(&std::fs::read_to_string(&out_path).unwrap());

    // (c) The HTTP server.
    let http = comparable(&via_http(&graph, &day));

    // A real plan: most bins served, several trucks' worth of disposal trips.
    let served = lib["totals"]["bins_served"].as_u64().unwrap();
    assert!(served >= 280, "{}", lib["totals"]);
    assert!(lib["totals"]["disposal_trips"].as_u64().unwrap() >= 3);
    // Same routes first (readable failure), then everything.
    let order = |v: &Value| -> Vec<(String, Vec<String>)> {
        v["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let ids = r["stops"].as_array().unwrap().iter();
                (
                    r["truck"].as_str().unwrap().to_string(),
                    ids.map(|s| format!("{}:{}", s["type"], s["id"])).collect(),
                )
            })
            .collect()
    };
    assert_eq!(order(&cli), order(&lib), "CLI vs library: stop order");
    assert_eq!(order(&http), order(&lib), "HTTP vs library: stop order");
    assert_eq!(
        cli, lib,
        "CLI vs library: distances, times, loads, geometry"
    );
    assert_eq!(
        http, lib,
        "HTTP vs library: distances, times, loads, geometry"
    );
    vroom_on_a_graph_with_default_options(&graph, &day);
    let _ = std::fs::remove_dir_all(graph.parent().unwrap());
}

/// VROOM output without its wall-clock `computing_times`.
fn comparable_vroom(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    v["summary"]
        .as_object_mut()
        .unwrap()
        .remove("computing_times");
    v
}

/// A dozen of the day's bins as VROOM jobs at their coordinates, two trucks from the depot,
/// through the CLI, HTTP and the library, none given a solver option.
fn vroom_on_a_graph_with_default_options(graph: &Path, day: &Value) {
    let depot = &day["depots"][0];
    let at = |v: &Value| Value::from(vec![v["lon"].clone(), v["lat"].clone()]);
    let jobs: Vec<Value> = day["bins"].as_array().unwrap()[..12]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            serde_json::json!({"id": i + 1, "location": at(b), "service": 30,
                               "pickup": [b["weight_kg"].as_f64().unwrap().round() as i64]})
        })
        .collect();
    let vehicles: Vec<Value> = (1..=2)
        .map(|id| {
            serde_json::json!({"id": id, "profile": "truck", "start": at(depot), "end": at(depot),
                               "capacity": [600]})
        })
        .collect();
    let input = serde_json::json!({"vehicles": vehicles, "jobs": jobs});
    let text = input.to_string();

    let g = Graph::open(graph).unwrap();
    let (vp, sol) = kerb_api::plan::plan_vroom(
        &text,
        &kerb_api::plan::Routing::on(Some(&g)),
        &kerb_api::plan::PlanOptions::default(),
        &kerb_api::plan::PlanLimits::cli(),
        None,
    )
    .unwrap();
    let lib = comparable_vroom(&kerb_plan::io::vroom::write_output(&vp, &sol).to_string());

    let path = tmp("vroom.json");
    std::fs::write(&path, &text).unwrap();
    let out = kerb(&[
        "plan",
        path.to_str().unwrap(),
        "--graph",
        graph.to_str().unwrap(),
        "--quiet",
    ]);
    let cli = comparable_vroom(&String::from_utf8(out.stdout).unwrap());
    let http = comparable_vroom(&via_http_at(graph, "/plan", &input));

    assert_eq!(lib["code"], 0);
    assert_eq!(lib["unassigned"], serde_json::json!([]), "{lib}");
    assert_eq!(cli, lib, "CLI vs library: VROOM plan with default options");
    assert_eq!(
        http, lib,
        "HTTP vs library: VROOM plan with default options"
    );
}
