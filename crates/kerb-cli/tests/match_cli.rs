//! `kerb match` on a trace driven along a real route of data/helsinki.osm.pbf: its OSRM JSON
//! is kerb-api's match service's (the formatter HTTP `/match` uses), byte for byte, and bad
//! options are one-line errors.

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;

use kerb_core::{Graph, Point, SnapOptions, Waypoint};
use kerb_match::{generate_trace, TraceOptions};
use kerb_testdata::{helsinki_pbf, kerb_build, run, run_ok, temp_dir};

#[test]
fn match_prints_the_match_service_response() {
    let dir = temp_dir("cli-match");
    let graph_path = dir.join("helsinki-car.kerb");
    let kerb = env!("CARGO_BIN_EXE_kerb");
    kerb_build(kerb, &helsinki_pbf(), "car", &graph_path, &[]);
    let g = Graph::open(&graph_path).unwrap();
    let w = |x, y| Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default()).unwrap());
    let route = g
        .route(&[w(24.9414, 60.1699), w(24.9500, 60.1750)])
        .unwrap();
    let opts = TraceOptions {
        interval_s: 5.0,
        noise_m: 5.0,
        seed: 3,
        ..TraceOptions::default()
    };
    let trace = generate_trace(&g, &route, &[], &opts).unwrap().trace;
    let mut csv = String::from("lon,lat,time,accuracy\n");
    for p in trace.points() {
        let (t, a) = (p.time_s.unwrap(), p.accuracy_m.unwrap());
        writeln!(csv, "{},{},{t},{a}", p.point.x(), p.point.y()).unwrap();
    }
    let csv_path = dir.join("trace.csv");
    std::fs::write(&csv_path, csv).unwrap();

    let out = run_ok(
        kerb,
        [
            "match",
            csv_path.to_str().unwrap(),
            "--graph",
            graph_path.to_str().unwrap(),
            "--geometries",
            "geojson",
            "--annotations",
            "nodes",
        ],
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["code"], "Ok");
    assert_eq!(printed["matchings"].as_array().unwrap().len(), 1);
    assert!(printed["matchings"][0]["legs"][0]["annotation"]["nodes"].is_array());

    // The same request through kerb-api: the CLI only translated the file and the flags.
    let pairs =
        kerb_api::params::query_options([("geometries", "geojson"), ("annotations", "nodes")]);
    let mut o = kerb_api::matching::parse_match(&pairs, trace.len(), usize::MAX).unwrap();
    o.timestamps = trace.points().iter().map(|p| p.time_s.unwrap()).collect();
    o.common.radiuses = trace.points().iter().map(|p| p.accuracy_m).collect();
    let coords: Vec<[f64; 2]> = trace
        .points()
        .iter()
        .map(|p| [p.point.x(), p.point.y()])
        .collect();
    let direct = kerb_api::matching::match_trace(&g, &coords, &o, &AtomicBool::new(false)).unwrap();
    // Compared as text: serde_json's float parsing may move the last digit.
    let printed_text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(
        printed_text.trim_end(),
        serde_json::to_string_pretty(&direct).unwrap()
    );

    let bad = run(
        kerb,
        [
            "match",
            csv_path.to_str().unwrap(),
            "--graph",
            graph_path.to_str().unwrap(),
            "--gaps",
            "sometimes",
        ],
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("gaps"), "{err}");
}
