//! Mixed fleets from the command line: `kerb collect --pbf` imports one graph per profile the
//! day's trucks name and gives the old town's bins (Heidelberg, pedestrian Hauptstraße) to
//! the 7.5 t truck only; `kerb plan --graph car.kerb --graph truck.kerb` routes each VROOM
//! vehicle of a Helsinki problem on its own profile's graph, so a car and a truck in one
//! problem drive their own durations.

use std::path::PathBuf;

use kerb_core::{Graph, Profile};
use serde_json::{json, Value};

#[path = "../../kerb-collect/tests/support/heidelberg_day.rs"]
mod heidelberg_day;

const KERB: &str = env!("CARGO_BIN_EXE_kerb");

fn tmp(name: &str) -> PathBuf {
    kerb_testdata::temp_dir("cli-mixed-fleet").join(name)
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn collect_from_an_extract_imports_a_graph_per_truck_profile() {
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let small = Graph::from_pbf(&pbf, &Profile::by_name("refuse-7.5t").unwrap()).unwrap();
    let big = Graph::from_pbf(&pbf, &Profile::truck()).unwrap();
    let (day, zone) = heidelberg_day::mixed_day(&small, &big);
    let day_file = tmp("heidelberg-day.json");
    std::fs::write(&day_file, serde_json::to_string(&day).unwrap()).unwrap();
    let plan_file = tmp("heidelberg-plan.json");
    // No --profile: the day's trucks name `truck` and `refuse-7.5t`, both are imported.
    kerb_testdata::run_ok(
        KERB,
        [
            "collect",
            path(&day_file),
            "--pbf",
            path(&pbf),
            "--quiet",
            "-o",
            path(&plan_file),
        ],
    );
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    let served_by = |truck: &str| -> Vec<String> {
        plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["truck"] == truck)
            .flat_map(|r| r["stops"].as_array().unwrap().iter())
            .filter_map(|s| s["id"].as_str().map(String::from))
            .collect()
    };
    let (by_small, by_big) = (served_by("small"), served_by("big"));
    for id in &zone {
        assert!(
            by_small.contains(id),
            "{id} served by the small truck: {plan}"
        );
        assert!(!by_big.contains(id), "{id} not by the big truck");
    }
    assert!(
        !by_big.is_empty(),
        "the big truck serves the rest of the day"
    );
    // Only the 26 t graph given: the small truck's profile has no graph, one clear error.
    let big_file = tmp("heidelberg-truck.kerb");
    big.save(&big_file).unwrap();
    let out = kerb_testdata::run(
        KERB,
        [
            "collect",
            path(&day_file),
            "--graph",
            path(&big_file),
            "--quiet",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("refuse-7.5t") && stderr.contains("truck"),
        "{stderr}"
    );
}

/// Route durations of `kerb plan` on a VROOM problem whose two vehicles name `profiles`:
/// each has a job only it can do (skills) at the same place, so both drive the same trip.
fn durations(graphs: &[PathBuf], profiles: [&str; 2]) -> Vec<f64> {
    let (depot, job) = ([24.9384, 60.1699], [24.9500, 60.1750]);
    let vehicle = |id: u32, profile: &str| json!({"id": id, "profile": profile, "start": depot, "end": depot, "skills": [id]});
    let problem = json!({
        "vehicles": [vehicle(1, profiles[0]), vehicle(2, profiles[1])],
        "jobs": [{"id": 1, "location": job, "skills": [1]},
                 {"id": 2, "location": job, "skills": [2]}],
    });
    let input = tmp(&format!("vroom-{}-{}.json", profiles[0], profiles[1]));
    std::fs::write(&input, problem.to_string()).unwrap();
    let mut args = vec!["plan".to_string(), path(&input).to_string()];
    for g in graphs {
        args.extend(["--graph".to_string(), path(g).to_string()]);
    }
    args.extend(["--iterations", "20", "--threads", "1", "--quiet"].map(String::from));
    let out = kerb_testdata::run_ok(KERB, &args);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut routes: Vec<&Value> = v["routes"].as_array().unwrap().iter().collect();
    routes.sort_by_key(|r| r["vehicle"].as_u64());
    assert_eq!(routes.len(), 2, "{v}");
    routes
        .iter()
        .map(|r| r["duration"].as_f64().unwrap())
        .collect()
}

#[test]
fn plan_routes_each_vehicle_on_its_own_profile_graph() {
    let pbf = kerb_testdata::helsinki_pbf();
    let graphs: Vec<PathBuf> = ["car", "truck"]
        .iter()
        .map(|profile| {
            let out = tmp(&format!("helsinki-{profile}.kerb"));
            kerb_testdata::run_ok(
                KERB,
                [
                    "build",
                    path(&pbf),
                    "--profile",
                    profile,
                    "-o",
                    path(&out),
                    "--quiet",
                ],
            );
            out
        })
        .collect();
    let cars = durations(&graphs, ["car", "car"]);
    let trucks = durations(&graphs, ["truck", "truck"]);
    let mixed = durations(&graphs, ["car", "truck"]);
    assert_eq!(cars[0], cars[1]);
    assert_eq!(trucks[0], trucks[1]);
    assert!(
        trucks[0] > cars[0],
        "the truck is slower: {trucks:?} {cars:?}"
    );
    assert_eq!(mixed, [cars[0], trucks[0]], "each vehicle on its own graph");
}
