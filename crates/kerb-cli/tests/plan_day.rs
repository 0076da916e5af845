//! `kerb plan` on a collection day (data/helsinki-day.json): the same pipeline and outputs as
//! `kerb collect`, from a graph file or straight from the PBF; clear errors when the options
//! do not fit the input.

use std::process::Output;

use kerb_testdata::{helsinki_day, helsinki_pbf, temp_dir};
use serde_json::Value;

fn kerb(args: &[&str]) -> Output {
    kerb_testdata::run(env!("CARGO_BIN_EXE_kerb"), args)
}

fn tmp(name: &str) -> String {
    let path = temp_dir("plan-day-test").join(name);
    path.to_str().unwrap().to_string()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect(path)).expect(path)
}

#[test]
fn plan_accepts_a_collection_day_and_writes_json_geojson_and_html() {
    let day_path = helsinki_day();
    let day_file = day_path.to_str().unwrap();
    let pbf = helsinki_pbf();
    let day = read_json(day_file);
    let n_bins = day["bins"].as_array().unwrap().len();
    let (plan, geojson, html) = (tmp("plan.json"), tmp("plan.geojson"), tmp("plan.html"));
    let out = kerb(&[
        "plan",
        day_file,
        "--pbf",
        pbf.to_str().unwrap(),
        "--iterations",
        "300",
        "--threads",
        "1",
        "--quiet",
        "-o",
        &plan,
        "--geojson",
        &geojson,
        "--html",
        &html,
    ]);
    ok(&out);
    // The summary kerb collect prints.
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("bins served"), "{summary}");

    let p = read_json(&plan);
    let routes = p["routes"].as_array().unwrap();
    let served = p["totals"]["bins_served"].as_u64().unwrap() as usize;
    let unassigned = p["totals"]["bins_unassigned"].as_u64().unwrap() as usize;
    assert!(!routes.is_empty());
    assert_eq!(served + unassigned, n_bins);
    // The sample day also has streets served along their length.
    let passes = p["totals"]["street_passes"].as_u64().unwrap();
    assert!(passes >= 12, "{passes} street passes");
    assert!(served > n_bins * 9 / 10, "{served} of {n_bins} served");
    let bin_stops: usize = routes
        .iter()
        .map(|r| {
            r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["type"] == "bin")
                .count()
        })
        .sum();
    assert_eq!(bin_stops, served);
    assert!(routes
        .iter()
        .all(|r| r["geometry"].as_array().unwrap().len() > 10));

    let g = read_json(&geojson);
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    let lines = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .count();
    assert_eq!(lines, routes.len());

    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>") && h.trim_end().ends_with("</html>"));
    assert_eq!(h.matches("class=\"route\"").count(), routes.len());
    assert_eq!(h.matches("class=\"bin\"").count(), n_bins);
    assert!(
        !h.contains("http"),
        "the page must not reference the network"
    );

    // The same day from a graph file gives the same plan as `kerb collect` (fixed iterations,
    // one thread: deterministic).
    let graph = tmp("helsinki-truck.kerb");
    kerb_testdata::kerb_build(
        env!("CARGO_BIN_EXE_kerb"),
        &pbf,
        "truck",
        graph.as_ref(),
        &[],
    );
    let common = ["--iterations", "200", "--threads", "1", "--quiet"];
    let mut args = vec!["plan", day_file, "--graph", &graph];
    args.extend(common);
    let via_plan = kerb(&args);
    ok(&via_plan);
    let mut args = vec!["collect", day_file, "--graph", &graph];
    args.extend(common);
    let via_collect = kerb(&args);
    ok(&via_collect);
    let a: Value = serde_json::from_slice(&via_plan.stdout).unwrap();
    let b: Value = serde_json::from_slice(&via_collect.stdout).unwrap();
    assert_eq!(a["totals"], b["totals"]);
    assert_eq!(a["routes"], b["routes"]);

    vroom_coordinates_are_routed_on_the_graph(&graph);
}

/// VROOM JSON with `[lon, lat]` locations and `--graph`: every leg of the plan costs what
/// `kerb table` says between the same coordinates.
fn vroom_coordinates_are_routed_on_the_graph(graph: &str) {
    let pts = [
        [24.9414, 60.1699],
        [24.9480, 60.1665],
        [24.9500, 60.1750],
        [24.9320, 60.1630],
        [24.9560, 60.1690],
    ];
    let vroom = serde_json::json!({
        "vehicles": [{"id": 1, "start": pts[0], "end": pts[0], "capacity": [10]}],
        "jobs": (1..pts.len()).map(|i| serde_json::json!(
            {"id": i, "location": pts[i], "pickup": [1], "service": 60})).collect::<Vec<_>>(),
    });
    let file = tmp("vroom-coords.json");
    std::fs::write(&file, vroom.to_string()).unwrap();

    let out = kerb(&["plan", &file, "--quiet", "--iterations", "50"]);
    assert!(
        !out.status.success(),
        "coordinates without a graph must fail"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--graph"), "{err}");

    let out = kerb(&[
        "plan",
        &file,
        "--graph",
        graph,
        "--quiet",
        "--iterations",
        "100",
    ]);
    ok(&out);
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["code"], 0);
    assert_eq!(plan["unassigned"].as_array().unwrap().len(), 0);

    let sources = pts
        .iter()
        .map(|p| format!("{},{}", p[0], p[1]))
        .collect::<Vec<_>>();
    let table = kerb(&[
        "table",
        "--graph",
        graph,
        "--sources",
        &sources.join(";"),
        "--format",
        "json",
    ]);
    ok(&table);
    let table: Value = serde_json::from_slice(&table.stdout).unwrap();
    let dur = |a: usize, b: usize| table["durations"][a][b].as_f64().unwrap();
    let steps = plan["routes"][0]["steps"].as_array().unwrap();
    let order: Vec<usize> = steps
        .iter()
        .map(|s| match s["type"].as_str().unwrap() {
            "job" => s["id"].as_u64().unwrap() as usize,
            _ => 0,
        })
        .collect();
    assert_eq!(
        order.len(),
        pts.len() + 1,
        "start, four jobs, end: {order:?}"
    );
    let travel: f64 = order.windows(2).map(|w| dur(w[0], w[1])).sum();
    let got = plan["summary"]["duration"].as_f64().unwrap();
    assert!(
        (got - travel).abs() <= order.len() as f64,
        "plan {got} s vs table {travel} s"
    );
}

#[test]
fn plan_day_option_errors_are_one_line() {
    let day = helsinki_day();
    let day = day.to_str().unwrap();
    let out = kerb(&["plan", day, "--quiet"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--graph") && err.contains("--pbf"), "{err}");

    let out = kerb(&["plan", day, "--pbf", "x.pbf", "--format", "kerb"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));

    let out = kerb(&["plan", day, "--graph", "a.kerb", "--pbf", "b.pbf"]);
    assert!(!out.status.success(), "--graph and --pbf conflict");

    // A routing instance does not take map outputs.
    let vroom = tmp("vroom.json");
    std::fs::write(
        &vroom,
        r#"{"vehicles":[{"id":1,"start_index":0}],"jobs":[{"id":1,"location_index":1}],
            "matrices":{"car":{"durations":[[0,5],[5,0]]}}}"#,
    )
    .unwrap();
    let out = kerb(&["plan", &vroom, "--html", &tmp("x.html")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("collection day"), "{err}");
    let out = kerb(&["plan", &vroom, "--iterations", "10", "--quiet"]);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], 0);
}
