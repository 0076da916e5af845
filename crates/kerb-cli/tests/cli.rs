//! End-to-end tests of the `kerb` binary on data/helsinki.osm.pbf: build, route, nearest, and
//! one-line errors with a non-zero exit code.

use std::path::PathBuf;
use std::process::Output;

use kerb_testdata::{helsinki_pbf, repo_root as root, temp_dir};

fn kerb(args: &[&str]) -> Output {
    kerb_testdata::run(env!("CARGO_BIN_EXE_kerb"), args)
}

fn tmp(name: &str) -> PathBuf {
    temp_dir("cli-test").join(name)
}

#[test]
fn build_route_nearest_and_errors() {
    let pbf = helsinki_pbf();
    let graph = tmp("helsinki-truck.kerb");
    let out = kerb(&[
        "build",
        pbf.to_str().unwrap(),
        "--profile",
        "truck",
        "-o",
        graph.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains("nodes") && summary.contains("edges") && summary.contains("MiB"),
        "{summary}"
    );
    let g = graph.to_str().unwrap();

    let out = kerb(&[
        "route",
        "--graph",
        g,
        "--from",
        "24.9480,60.1665",
        "--to",
        "24.9500,60.1750",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "Ok");
    let route = &v["routes"][0];
    let d = route["distance"].as_f64().unwrap();
    assert!(d > 900.0 && d < 5000.0, "{d}");
    assert_eq!(route["geometry"]["type"], "LineString");
    assert_eq!(v["waypoints"].as_array().unwrap().len(), 2);

    let out = kerb(&[
        "route",
        "--graph",
        g,
        "--from",
        "24.9480,60.1665",
        "--via",
        "24.9414,60.1699",
        "--to",
        "24.9500,60.1750",
        "--geometries",
        "polyline6",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["routes"][0]["legs"].as_array().unwrap().len(), 2);
    assert!(v["routes"][0]["geometry"].is_string());
    assert_eq!(v["routes"][0]["legs"][0]["steps"], serde_json::json!([]));

    // `--steps`: the OSRM steps `/route?steps=true` returns, from the same formatter.
    let out = kerb(&[
        "route",
        "--graph",
        g,
        "--from",
        "24.9480,60.1665",
        "--to",
        "24.9500,60.1750",
        "--steps",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = v["routes"][0]["legs"][0]["steps"].as_array().unwrap();
    assert!(steps.len() >= 2, "{steps:?}");
    assert_eq!(steps[0]["maneuver"]["type"], "depart");
    assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
    assert_eq!(steps[0]["geometry"]["type"], "LineString");

    let out = kerb(&[
        "nearest",
        "--graph",
        g,
        "--at",
        "24.9480,60.1665",
        "--number",
        "3",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["waypoints"].as_array().unwrap().len(), 3);

    let out = kerb(&[
        "isochrone",
        "--graph",
        g,
        "--at",
        "24.9480,60.1665",
        "--minutes",
        "2,5",
        "--curb",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["properties"]["limit_s"], 300.0);
    assert!(
        f[0]["properties"]["road_km"].as_f64().unwrap()
            > f[1]["properties"]["road_km"].as_f64().unwrap()
    );
    let out = kerb(&[
        "isochrone",
        "--graph",
        g,
        "--at",
        "24.9480,60.1665",
        "--minutes",
        "0",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("time limit"));

    // Errors: one line on stderr, non-zero exit.
    let readme = root().join("README.md");
    for args in [
        vec![
            "route",
            "--graph",
            g,
            "--from",
            "0,0",
            "--to",
            "24.9500,60.1750",
        ],
        vec![
            "route",
            "--graph",
            g,
            "--from",
            "200,60",
            "--to",
            "24.9500,60.1750",
        ],
        vec![
            "route",
            "--graph",
            g,
            "--from",
            "abc",
            "--to",
            "24.9500,60.1750",
        ],
        vec![
            "route",
            "--graph",
            readme.to_str().unwrap(),
            "--from",
            "24.9480,60.1665",
            "--to",
            "24.9500,60.1750",
        ],
        vec!["build", readme.to_str().unwrap(), "-o", "/tmp/never.kerb"],
        vec![
            "build",
            pbf.to_str().unwrap(),
            "--profile",
            "boat",
            "-o",
            "/tmp/never.kerb",
        ],
    ] {
        let out = kerb(&args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}

/// `kerb serve --graph /dev/zero` (a file that never ends) and a graph followed by junk are
/// refused at start with a one-line error, quickly and in bounded memory. The address space is
/// capped so a loader that reads the whole input fails here instead of exhausting the machine.
#[test]
fn serve_refuses_a_device_and_a_graph_with_trailing_junk() {
    let pbf = helsinki_pbf();
    let graph = tmp("junk-base.kerb");
    kerb_testdata::run_ok(
        env!("CARGO_BIN_EXE_kerb"),
        [
            "build",
            pbf.to_str().unwrap(),
            "--no-contract",
            "-o",
            graph.to_str().unwrap(),
            "--quiet",
        ],
    );
    let mut junk = std::fs::read(&graph).unwrap();
    junk.extend(std::iter::repeat_n(0x42u8, 1 << 20));
    let junk_path = tmp("junk.kerb");
    std::fs::write(&junk_path, junk).unwrap();
    for (file, needle) in [
        ("/dev/zero", "not a regular file"),
        (junk_path.to_str().unwrap(), "trailing bytes"),
    ] {
        let start = std::time::Instant::now();
        let out = std::process::Command::new("sh")
            .args(["-c", "ulimit -v 4000000; exec \"$0\" \"$@\""])
            .arg(env!("CARGO_BIN_EXE_kerb"))
            .args(["serve", "--graph", file, "--bind", "127.0.0.1:0"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert!(stderr.contains(needle), "{file}: {stderr}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{file}: {:?}",
            start.elapsed()
        );
    }
}

/// `--depart-at` on `kerb route` and `kerb table` (shared Heidelberg extract, 26 t truck):
/// the Plöck (closed 7:30-19:00 above 7.5 t) is the short way at 06:30, a detour is taken at
/// 09:00; an unreadable time is a one-line error.
#[test]
fn route_and_table_depart_at() {
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let graph = tmp("heidelberg-truck.kerb");
    kerb_testdata::kerb_build(env!("CARGO_BIN_EXE_kerb"), &pbf, "truck", &graph, &[]);
    let g = graph.to_str().unwrap();
    let (from, to) = ("8.69540,49.40886", "8.69812,49.40907");
    let route_s = |at: &str| {
        let out = kerb(&[
            "route",
            "--graph",
            g,
            "--from",
            from,
            "--to",
            to,
            "--depart-at",
            at,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["routes"][0]["duration"].as_f64().unwrap()
    };
    let (early, nine) = (route_s("2026-12-07T06:30"), route_s("Mo 09:00"));
    assert!(nine > early + 60.0, "{nine} vs {early}");
    let table = |at: &str| {
        let sources = format!("{from};{to}");
        let out = kerb(&[
            "table",
            "--graph",
            g,
            "--sources",
            &sources,
            "--depart-at",
            at,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let csv = String::from_utf8(out.stdout).unwrap();
        let cell = csv
            .lines()
            .find(|l| l.starts_with("0,1,"))
            .unwrap()
            .to_string();
        cell.split(',').nth(2).unwrap().parse::<f64>().unwrap()
    };
    assert!(table("2026-12-07T09:00") > table("2026-12-07T06:30") + 60.0);
    let out = kerb(&[
        "route",
        "--graph",
        g,
        "--from",
        from,
        "--to",
        to,
        "--depart-at",
        "soon",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("depart_at") && err.lines().count() <= 2,
        "{err}"
    );
}
