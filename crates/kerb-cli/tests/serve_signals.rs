//! `kerb serve` under process signals (issue #20): SIGHUP reloads the graphs and keeps the
//! server answering (it used to kill it); SIGTERM stops it within the grace period.

use std::time::{Duration, Instant};

use kerb_testdata::{helsinki_pbf, kerb_build, temp_dir, Server};

#[test]
fn sighup_reloads_and_sigterm_stops_within_the_grace_period() {
    let graph = temp_dir("serve-signals").join("helsinki-car.kerb");
    let kerb = env!("CARGO_BIN_EXE_kerb");
    kerb_build(kerb, &helsinki_pbf(), "car", &graph, &[]);
    let mut server = Server::start(
        kerb,
        [
            "--graph",
            graph.to_str().unwrap(),
            "--shutdown-grace-ms",
            "1000",
        ],
    );
    server.wait_for("ready");

    server.signal("-HUP");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "SIGHUP must not stop the server"
    );
    let ready = server.get("/ready");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let route = server.get("/route/v1/car/24.9414,60.1699;24.9450,60.1710?overview=false");
    assert!(route.starts_with("HTTP/1.1 200"), "{route}");

    server.signal("-TERM");
    let t = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `"duration"` of the first route in an OSRM route response (HTTP or CLI output).
fn first_duration(body: &str) -> f64 {
    let json = &body[body.find('{').unwrap()..];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["routes"][0]["duration"].as_f64().unwrap()
}

#[test]
fn serve_and_route_customize_the_profiles_asked_for_on_one_file() {
    let dir = temp_dir("serve-profiles");
    let graph = dir.join("helsinki-car.kerb");
    let kerb = env!("CARGO_BIN_EXE_kerb");
    kerb_build(kerb, &helsinki_pbf(), "car", &graph, &[]);
    let light_file = kerb_testdata::repo_root().join("profiles/refuse-7.5t.json");
    let light =
        kerb_core::Profile::from_json(&std::fs::read_to_string(&light_file).unwrap()).unwrap();
    // One profile stored by `kerb customize`, the other customized when serving.
    kerb_testdata::run_ok(
        kerb,
        [
            "customize",
            graph.to_str().unwrap(),
            "--profile",
            light_file.to_str().unwrap(),
        ],
    );
    let (a, b) = ("24.9384,60.1699", "24.9500,60.1750");
    let library = |p: &kerb_core::Profile| {
        let g = kerb_core::Graph::open(&graph)
            .unwrap()
            .with_profile(p)
            .unwrap();
        let o = kerb_core::SnapOptions::default();
        let w = |lon, lat| {
            kerb_core::Waypoint::new(g.snap(kerb_core::Point::new(lon, lat), &o).unwrap())
        };
        g.route(&[w(24.9384, 60.1699), w(24.9500, 60.1750)])
            .unwrap()
            .duration_s
    };
    let cli = kerb_testdata::run_ok(
        kerb,
        [
            "route",
            "--graph",
            graph.to_str().unwrap(),
            "--profile",
            "truck",
            "--from",
            a,
            "--to",
            b,
        ],
    );
    let truck_s = library(&kerb_core::Profile::truck());
    assert!((first_duration(&String::from_utf8_lossy(&cli.stdout)) - truck_s).abs() < 1e-6);

    let light_arg = light_file.to_str().unwrap();
    let server = Server::start(
        kerb,
        [
            "--graph",
            graph.to_str().unwrap(),
            "--profile",
            "car",
            "--profile",
            light_arg,
            "--profile",
            "truck",
        ],
    );
    let ready = server.wait_for("ready");
    assert!(
        ready.contains("car (ch), refuse-7.5t (cch), truck (cch)"),
        "{ready}"
    );
    let served = |profile: &str| {
        let body = server.get(&format!("/route/v1/{profile}/{a};{b}?overview=false"));
        assert!(body.starts_with("HTTP/1.1 200"), "{body}");
        first_duration(&body)
    };
    let car_s = library(&kerb_core::Profile::car());
    let light_s = library(&light);
    // OSRM rounds durations to 0.1 s in responses.
    for (profile, expect) in [("car", car_s), ("refuse-7.5t", light_s), ("truck", truck_s)] {
        assert!((served(profile) - expect).abs() < 0.06, "{profile}");
    }
    assert!(truck_s > car_s, "truck {truck_s} s, car {car_s} s");
    // A reload customizes again and keeps every profile.
    server.signal("-HUP");
    std::thread::sleep(Duration::from_millis(3000));
    assert!((served("truck") - truck_s).abs() < 0.06);
}
