//! Production hardening of `kerb serve` (issue #20): abandoned plans are cancelled, plans run
//! on their own permits, shutdown is bounded, graphs reload, transport errors are JSON.

mod common;

use common::*;
use kerb_http::{AppState, Limits};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// VROOM input with `n` jobs on a ring matrix: enough work that a million iterations take far
/// longer than any deadline below.
fn slow_plan(n: usize) -> Value {
    let size = n + 1;
    let durations: Vec<Vec<u64>> = (0..size)
        .map(|i| {
            (0..size)
                .map(|j| {
                    let d = i.abs_diff(j);
                    (d.min(size - d) * 60 + (i * 7 + j * 13) % 50) as u64
                })
                .collect()
        })
        .collect();
    let jobs: Vec<Value> = (1..size)
        .map(|i| json!({"id": i, "location_index": i, "delivery": [1]}))
        .collect();
    json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [n / 2 + 1]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [n / 2 + 1]}
        ],
        "jobs": jobs,
        "matrices": {"car": {"durations": durations}},
    })
}

fn one_slot_server(request_timeout: Duration) -> TestServer {
    let limits = Limits {
        request_timeout,
        plan_time_limit: Duration::from_secs(600),
        max_concurrent_requests: 1,
        max_concurrent_plans: 1,
        ..Limits::default()
    };
    TestServer::start(AppState::with_graphs(limits, vec![open_car()]).unwrap())
}

#[test]
fn a_timed_out_plan_is_cancelled_and_frees_its_slot() {
    // Before: the solve kept its slot (and a core) for its whole time limit after the 503, so
    // the next plan waited behind it until its own deadline and answered 503 too.
    let server = one_slot_server(Duration::from_millis(1500));
    let body = serde_json::to_vec(&slow_plan(120)).unwrap();
    let t = Instant::now();
    let r = post_at(
        server.addr,
        "/plan?iterations=1000000&time_limit_s=600",
        &body,
    );
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.code(), "Timeout");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let small = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": 1, "location_index": 1}],
        "matrices": {"car": {"durations": [[0, 10], [10, 0]]}},
    });
    let r = post_at(
        server.addr,
        "/plan?iterations=10",
        &serde_json::to_vec(&small).unwrap(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    server.shutdown();
}

#[test]
fn routing_answers_while_plans_run() {
    // Before: plans took the routing slots, so with one slot every /route was 503 while a
    // plan ran.
    let server = one_slot_server(Duration::from_secs(3));
    let addr = server.addr;
    let body = serde_json::to_vec(&slow_plan(120)).unwrap();
    let planner = std::thread::spawn(move || {
        post_at(addr, "/plan?iterations=1000000&time_limit_s=600", &body)
    });
    std::thread::sleep(Duration::from_millis(300));
    let r = get_at(
        addr,
        "/route/v1/car/24.9414,60.1699;24.9450,60.1710?overview=false",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(planner.join().unwrap().status, 503);
    server.shutdown();
}

#[test]
fn shutdown_is_bounded_by_the_grace_period_and_cancels_plans() {
    // Before: shutdown waited the whole request timeout, then the runtime waited for the
    // running solve (minutes) before the process could exit.
    let limits = Limits {
        request_timeout: Duration::from_secs(600),
        plan_time_limit: Duration::from_secs(600),
        shutdown_grace: Duration::from_millis(500),
        ..Limits::default()
    };
    let server = TestServer::start(AppState::with_graphs(limits, vec![open_car()]).unwrap());
    let addr = server.addr;
    let body = serde_json::to_vec(&slow_plan(120)).unwrap();
    let planner = std::thread::spawn(move || {
        post_at(addr, "/plan?iterations=1000000&time_limit_s=600", &body)
    });
    std::thread::sleep(Duration::from_millis(500));
    let t = Instant::now();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        server.shutdown();
        let _ = done_tx.send(());
    });
    done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("server still running 10 s after shutdown with a 0.5 s grace period");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let r = planner.join().unwrap();
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn reload_swaps_graphs_and_keeps_the_old_ones_on_a_bad_file() {
    let server =
        TestServer::start(AppState::with_graphs(Limits::default(), vec![open_car()]).unwrap());
    let route = "/route/v1/car/24.9414,60.1699;24.9450,60.1710?overview=false";
    let before = get_at(server.addr, route);
    assert_eq!(before.status, 200);
    let held = server.state.graph("car").unwrap();

    let missing = std::env::temp_dir().join("kerb-reload-no-such-file.kerb");
    let e = server
        .state
        .reload(&[car_graph_path().clone(), missing])
        .unwrap_err();
    assert!(
        e.message.contains("kerb-reload-no-such-file"),
        "{}",
        e.message
    );
    assert!(Arc::ptr_eq(&held, &server.state.graph("car").unwrap()));
    assert_eq!(get_at(server.addr, route).status, 200);

    let profiles = server.state.reload(&[car_graph_path()]).unwrap();
    assert_eq!(profiles, vec!["car".to_string()]);
    let now = server.state.graph("car").unwrap();
    assert!(
        !Arc::ptr_eq(&held, &now),
        "reload must swap in the new graph"
    );
    // The old graph stays valid for whoever holds it (an in-flight request).
    assert_eq!(held.profile().name, "car");
    let after = get_at(server.addr, route);
    assert_eq!(after.status, 200);
    assert_eq!(after.json()["routes"], before.json()["routes"]);
    server.shutdown();
}

#[test]
fn long_targets_and_headers_are_answered_as_osrm_json() {
    // Before: hyper's bare 414/431 without a body (or, below its ceilings, no check at all).
    let long = format!(
        "/route/v1/car/{}?overview=false",
        vec!["24.9414000000,60.1699000000"; 1300].join(";")
    );
    let r = get_at(server().addr, &long);
    err(&r, 414, "TooBig");
    assert!(r.json()["message"].as_str().unwrap().contains("POST"));

    let big = "x".repeat(70 << 10);
    let req =
        format!("GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Big: {big}\r\n\r\n");
    let r = raw(server().addr, req.as_bytes()).unwrap();
    err(&r, 431, "TooBig");
}

#[test]
fn an_oversized_upload_gets_its_413_not_a_reset() {
    // The reported reset did not reproduce on loopback (8 MiB against a 1 MiB limit): the
    // client reads the JSON 413 both before and after this round; kept as a guard.
    use std::io::{Read, Write};
    let size = 8 << 20; // the shared server's limit is 1 MiB
    let mut s = std::net::TcpStream::connect(server().addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!("POST /table/v1/car HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 64 << 10];
    let mut sent = 0;
    while sent < size {
        let n = chunk.len().min(size - sent);
        if s.write_all(&chunk[..n]).is_err() {
            break;
        }
        sent += n;
    }
    let mut buf = Vec::new();
    let read = s.read_to_end(&mut buf);
    assert!(read.is_ok(), "{read:?} after {} bytes of answer", buf.len());
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("\"TooBig\""), "{text}");
}

#[test]
fn a_timed_out_collection_day_is_cancelled_too() {
    let server = one_slot_server(Duration::from_millis(2500));
    let text = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let mut day: Value = serde_json::from_str(&text).unwrap();
    day["options"]["iterations"] = 1_000_000.into();
    day["options"]["time_limit_s"] = 600.into();
    let r = post_at(
        server.addr,
        "/plan?profile=car",
        &serde_json::to_vec(&day).unwrap(),
    );
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
    let small = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": 1, "location_index": 1}],
        "matrices": {"car": {"durations": [[0, 10], [10, 0]]}},
    });
    let r = post_at(
        server.addr,
        "/plan?iterations=10",
        &serde_json::to_vec(&small).unwrap(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    server.shutdown();
}

/// A tiny plan: it answers as soon as a plan slot is free.
fn small_plan() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": 1, "location_index": 1}],
        "matrices": {"car": {"durations": [[0, 10], [10, 0]]}},
    }))
    .unwrap()
}

#[test]
fn a_plan_whose_client_disconnects_stops_within_100_ms() {
    // The request future is dropped when hyper sees the connection close; its cancel token
    // stops the solve, which frees the only plan slot. A small plan sent right after the
    // drop therefore answers about as fast as on an idle server (+ one solver step), instead
    // of waiting for the abandoned plan's whole time limit (600 s here).
    use std::io::Write;
    let server = one_slot_server(Duration::from_secs(600));
    let addr = server.addr;
    let idle = (0..3)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(
                post_at(addr, "/plan?iterations=10", &small_plan()).status,
                200
            );
            t.elapsed()
        })
        .max()
        .unwrap();
    let body = serde_json::to_vec(&slow_plan(120)).unwrap();
    // Best of three: on a loaded machine the scheduler alone can add tens of milliseconds to
    // one attempt; a plan that is not cancelled would hold the slot for 600 s in every one.
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let head = format!(
            "POST /plan?iterations=1000000&time_limit_s=600 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(&body).unwrap();
        std::thread::sleep(Duration::from_millis(700));
        let dropped = Instant::now();
        drop(s);
        let r = post_at(addr, "/plan?iterations=10", &small_plan());
        let waited = dropped.elapsed();
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let late = waited.saturating_sub(idle);
        eprintln!("small plan after the drop: {waited:?} (idle {idle:?}): {late:?} late");
        best = best.min(late);
        if best < Duration::from_millis(100) {
            break;
        }
    }
    assert!(
        best < Duration::from_millis(100),
        "the abandoned plan held its slot {best:?} after the client left"
    );
    server.shutdown();
}

#[test]
fn a_job_with_no_road_fails_the_plan_naming_the_job() {
    // As VROOM does (a routing error naming the location), the plan fails, but the message
    // names the job so the caller can fix or drop it. Before: "no road within 1000 m of
    // lon=.., lat=..", naming neither the job nor what to do.
    let input = json!({
        "vehicles": [{"id": 7, "start": [24.9414, 60.1699], "profile": "car"}],
        "jobs": [
            {"id": 1, "location": [24.9450, 60.1710]},
            {"id": 42, "location": [25.5, 60.5]},
        ],
    });
    let r = post_at(
        server().addr,
        "/plan?iterations=10",
        &serde_json::to_vec(&input).unwrap(),
    );
    err(&r, 400, "NoSegment");
    // /plan answers VROOM's error shape (`error`), the others OSRM's (`message`).
    let (_, message) = kind_and_message(&r.json());
    assert!(message.contains("job 42"), "{message}");
    assert!(message.contains("[25.5, 60.5]"), "{message}");
    // A vehicle starting off the roads is named the same way.
    let input = json!({
        "vehicles": [{"id": 7, "start": [25.5, 60.5], "profile": "car"}],
        "jobs": [{"id": 1, "location": [24.9450, 60.1710]}],
    });
    let r = post_at(
        server().addr,
        "/plan?iterations=10",
        &serde_json::to_vec(&input).unwrap(),
    );
    err(&r, 400, "NoSegment");
    assert!(kind_and_message(&r.json()).1.contains("vehicle 7 start"));
}

/// Serves the admin endpoint for `state` reloading `paths` on its own runtime thread.
fn admin_server(state: AppState, paths: Vec<std::path::PathBuf>) -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            kerb_http::serve_admin(listener, state, paths, std::future::pending())
                .await
                .unwrap();
        });
    });
    rx.recv().unwrap()
}

#[test]
fn the_admin_endpoint_reloads_and_keeps_the_old_graphs_on_a_bad_file() {
    let server =
        TestServer::start(AppState::with_graphs(Limits::default(), vec![open_car()]).unwrap());
    let held = server.state.graph("car").unwrap();
    let admin = admin_server(server.state.clone(), vec![car_graph_path().clone()]);
    let r = post_at(admin, "/reload", b"");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json(), json!({"code": "Ok", "profiles": ["car"]}));
    let swapped = server.state.graph("car").unwrap();
    assert!(!Arc::ptr_eq(&held, &swapped));
    err(&get_at(admin, "/reload"), 405, "MethodNotAllowed");
    err(&get_at(admin, "/route/v1/car/1,2;3,4"), 404, "InvalidUrl");

    // A truncated graph file: refused with its name, the served graph stays.
    let bad = kerb_testdata::temp_dir("admin-reload").join("truncated.kerb");
    let bytes = std::fs::read(car_graph_path()).unwrap();
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let admin_bad = admin_server(server.state.clone(), vec![bad]);
    let r = post_at(admin_bad, "/reload", b"");
    err(&r, 500, "InternalError");
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("truncated.kerb"));
    assert!(Arc::ptr_eq(&swapped, &server.state.graph("car").unwrap()));
    let route = "/route/v1/car/24.9414,60.1699;24.9450,60.1710?overview=false";
    assert_eq!(get_at(server.addr, route).status, 200);
    server.shutdown();
}

#[test]
fn the_admin_endpoint_refuses_a_non_loopback_address() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let e = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
        let state = AppState::new(Limits::default());
        kerb_http::serve_admin(listener, state, vec![], std::future::pending())
            .await
            .unwrap_err()
    });
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("loopback"), "{e}");
}

#[test]
fn errors_hyper_answers_itself_are_osrm_json_too() {
    // Before: a bare "HTTP/1.1 400 Bad Request" / 414 / 431 with content-length 0.
    let cases: [(&[u8], u16, &str); 4] = [
        (b"POST /plan HTTP/1.1\r\nHost: t\r\nContent-Length: zz\r\n\r\n", 400, "InvalidUrl"),
        (b"GET /health HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n", 400, "InvalidUrl"),
        (b"GARBAGE\r\n\r\n", 400, "InvalidUrl"),
        (b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400, "InvalidUrl"),
    ];
    for (req, status, code) in cases {
        let r = raw(server().addr, req).unwrap();
        err(&r, status, code);
        assert!(r
            .headers
            .to_ascii_lowercase()
            .contains("content-type: application/json"));
    }
    // A target beyond hyper's 65,534-byte ceiling (the router's own 414 sits below it).
    let long = format!("GET /{} HTTP/1.1\r\nHost: t\r\n\r\n", "a".repeat(70_000));
    err(&raw(server().addr, long.as_bytes()).unwrap(), 414, "TooBig");
    // More than hyper's 100 headers.
    let many: String = (0..120).map(|i| format!("X-{i}: 1\r\n")).collect();
    let req = format!("GET /health HTTP/1.1\r\nHost: t\r\n{many}\r\n");
    err(&raw(server().addr, req.as_bytes()).unwrap(), 431, "TooBig");
    // The application's answers are unchanged, keep-alive included.
    let r = get_at(server().addr, "/health");
    assert_eq!(r.status, 200);
}
