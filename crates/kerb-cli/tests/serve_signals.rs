//! `kerb serve` under process signals (issue #20): SIGHUP reloads the graphs and keeps the
//! server answering (it used to kill it); SIGTERM stops it within the grace period.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kerb_testdata::{helsinki_pbf, temp_dir};

fn kill(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {signal} {pid}");
}

fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// Waits for a stderr line containing `needle`, returning it.
fn wait_for(lines: &mpsc::Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no stderr line with {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}

#[test]
fn sighup_reloads_and_sigterm_stops_within_the_grace_period() {
    let graph = temp_dir("serve-signals").join("helsinki-car.kerb");
    kerb_testdata::run_ok(
        env!("CARGO_BIN_EXE_kerb"),
        [
            "build",
            helsinki_pbf().to_str().unwrap(),
            "--profile",
            "car",
            "-o",
            graph.to_str().unwrap(),
            "--quiet",
        ],
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_kerb"))
        .args(["serve", "--graph", graph.to_str().unwrap()])
        .args(["--bind", "127.0.0.1:0", "--shutdown-grace-ms", "1000"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let listening = wait_for(&lines, "listening on http://");
    let addr: SocketAddr = listening
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    wait_for(&lines, "ready");

    kill(child.id(), "-HUP");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "SIGHUP must not stop the server"
    );
    let ready = get(addr, "/ready");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let route = get(
        addr,
        "/route/v1/car/24.9414,60.1699;24.9450,60.1710?overview=false",
    );
    assert!(route.starts_with("HTTP/1.1 200"), "{route}");

    kill(child.id(), "-TERM");
    let t = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
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
    kerb_testdata::run_ok(
        kerb,
        [
            "build",
            helsinki_pbf().to_str().unwrap(),
            "--profile",
            "car",
            "-o",
            graph.to_str().unwrap(),
            "--quiet",
        ],
    );
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

    let mut child = Command::new(kerb)
        .args(["serve", "--graph", graph.to_str().unwrap()])
        .args(["--profile", "car", "--profile"])
        .arg(&light_file)
        .args(["--profile", "truck", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let listening = wait_for(&lines, "listening on http://");
    let addr: SocketAddr = listening
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    let ready = wait_for(&lines, "ready");
    assert!(
        ready.contains("car (ch), refuse-7.5t (cch), truck (cch)"),
        "{ready}"
    );
    let served = |profile: &str| {
        let body = get(addr, &format!("/route/v1/{profile}/{a};{b}?overview=false"));
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
    kill(child.id(), "-HUP");
    std::thread::sleep(Duration::from_millis(3000));
    assert!((served("truck") - truck_s).abs() < 0.06);
    kill(child.id(), "-TERM");
    let _ = child.wait();
}
