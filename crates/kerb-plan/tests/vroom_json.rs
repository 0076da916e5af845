//! VROOM JSON: input round-trip, output that VROOM clients can read, output read back and
//! validated by the checker, kerb extensions (disposal steps), typed errors.

use kerb_plan::io::vroom::{read_output, read_vroom, write_input, write_output};
use kerb_plan::{check, solve, SolveOptions};
use serde_json::json;

fn input() -> serde_json::Value {
    // 0 depot, 1..=5 bins, 6 landfill; durations in seconds, distances in metres.
    let pts: [(f64, f64); 7] = [
        (0.0, 0.0),
        (1.0, 0.0),
        (2.0, 1.0),
        (1.0, 2.0),
        (3.0, 3.0),
        (0.0, 3.0),
        (4.0, 0.0),
    ];
    let d: Vec<Vec<f64>> = pts
        .iter()
        .map(|a| {
            pts.iter()
                .map(|b| (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() * 300.0).round())
                .collect()
        })
        .collect();
    let m: Vec<Vec<f64>> = d
        .iter()
        .map(|r| r.iter().map(|x| x * 10.0).collect())
        .collect();
    json!({
        "vehicles": [
            {"id": 7, "profile": "truck", "start_index": 0, "end_index": 0, "capacity": [10, 4],
             "time_window": [21600, 50400], "skills": [1, 2],
             "breaks": [{"id": 1, "time_windows": [[30000, 36000]], "service": 1800}],
             "costs": {"fixed": 100, "per_hour": 3600, "per_km": 2},
             "disposal_required_at_end": true, "max_tasks": 10},
            {"id": 8, "profile": "truck", "start_index": 0, "end_index": 0, "capacity": [10, 4],
             "time_window": [21600, 50400], "disposal_required_at_end": true}
        ],
        "jobs": [
            {"id": 1, "location_index": 1, "pickup": [4, 1], "service": 120, "description": "bin A"},
            {"id": 2, "location_index": 2, "pickup": [4, 1], "service": 120, "skills": [2]},
            {"id": 3, "location_index": 3, "pickup": [4, 1], "service": 120, "time_windows": [[25000, 40000]]},
            {"id": 4, "location_index": 4, "pickup": [4, 1], "service": 120, "priority": 10},
            {"id": 5, "location_index": 5, "pickup": [40, 1], "service": 120}
        ],
        "facilities": [{"id": 99, "location_index": 6, "time_windows": [[21600, 48000]], "service": 900}],
        "matrices": {"truck": {"durations": d, "distances": m}}
    })
}

#[test]
fn input_round_trip() {
    let text = input().to_string();
    let vp = read_vroom(&text).unwrap();
    assert_eq!(vp.problem.jobs.len(), 5);
    assert_eq!(vp.profiles, vec!["truck".to_string()]);
    let mut again = read_vroom(&write_input(&vp).to_string()).unwrap();
    // How long each read took is no part of the problem.
    (again.loading_s, again.routing_s) = (vp.loading_s, vp.routing_s);
    assert_eq!(again, vp);
}

#[test]
fn output_is_vroom_shaped_and_checks() {
    let vp = read_vroom(&input().to_string()).unwrap();
    let sol = solve(&vp.problem, &SolveOptions::iterations(200)).unwrap();
    assert!(check(&vp.problem, &sol).is_empty());
    let out = write_output(&vp, &sol);
    assert_eq!(out["code"], 0);
    // Job 5 is heavier than any truck.
    assert_eq!(out["unassigned"][0]["id"], 5);
    assert!(out["unassigned"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("capacity"));
    assert_eq!(out["summary"]["unassigned"], 1);
    let routes = out["routes"].as_array().unwrap();
    let mut served = 0;
    for r in routes {
        let steps = r["steps"].as_array().unwrap();
        assert_eq!(steps[0]["type"], "start");
        assert_eq!(steps[steps.len() - 1]["type"], "end");
        let last_visit = steps
            .iter()
            .rev()
            .find(|s| s["type"] != "end" && s["type"] != "break")
            .unwrap();
        assert_eq!(last_visit["type"], "disposal");
        assert_eq!(last_visit["id"], 99);
        for s in steps {
            for k in [
                "arrival",
                "duration",
                "distance",
                "service",
                "waiting_time",
                "load",
            ] {
                assert!(s.get(k).is_some(), "step lacks {k}: {s}");
            }
            let load = s["load"].as_array().unwrap();
            assert!(load[0].as_i64().unwrap() <= 10);
            served += usize::from(s["type"] == "job");
        }
    }
    assert_eq!(served, 4);
    // Read back (as a VROOM client would) and validate independently.
    let back = read_output(&vp, &out).unwrap();
    assert!(
        check(&vp.problem, &back).is_empty(),
        "{:?}",
        check(&vp.problem, &back)
    );
    assert_eq!(back.routes.len(), sol.routes.len());
}

#[test]
fn legacy_matrix_and_delivery_loads() {
    let text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [5]}],
        "jobs": [{"id": 1, "location_index": 1, "delivery": [2]}, {"id": 2, "location_index": 2, "delivery": [3]}],
        "matrix": [[0, 10, 20], [10, 0, 10], [20, 10, 0]]
    })
    .to_string();
    let vp = read_vroom(&text).unwrap();
    assert!(vp.delivery);
    let sol = solve(&vp.problem, &SolveOptions::iterations(50)).unwrap();
    let out = write_output(&vp, &sol);
    let steps = out["routes"][0]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["load"], json!([5]));
    assert_eq!(steps[steps.len() - 1]["load"], json!([0]));
    assert_eq!(out["summary"]["cost"], 40);
    let back = read_output(&vp, &out).unwrap();
    assert!(check(&vp.problem, &back).is_empty());
}

#[test]
fn unsupported_and_invalid_inputs_are_typed_errors() {
    let base = json!({"vehicles": [{"id": 1, "start_index": 0}], "jobs": [], "matrix": [[0]]});
    // Setup times are read (tests/pyvroom.rs plans them); VROOM's plan mode is refused by name.
    let mut setup = base.clone();
    setup["jobs"] = json!([{"id": 1, "location_index": 0, "setup": 30}]);
    assert_eq!(
        read_vroom(&setup.to_string()).unwrap().problem.jobs[0].setup,
        30.0
    );
    let mut plan_mode = base.clone();
    plan_mode["options"] = json!({"c": true});
    match read_vroom(&plan_mode.to_string()) {
        Err(kerb_plan::Error::Unsupported(m)) => assert!(m.contains("options.c"), "{m}"),
        other => panic!("plan mode: {other:?}"),
    }
    // An unknown key is an error that names it, at any depth.
    for (path, input) in [
        ("top", json!({"vehicles": [], "matrix": [[0]], "jobz": []})),
        (
            "job",
            json!({"vehicles": [], "matrix": [[0]], "jobs": [{"id": 1, "location_index": 0, "servcie": 3}]}),
        ),
        (
            "vehicle",
            json!({"vehicles": [{"id": 1, "start_index": 0, "capacty": [3]}], "matrix": [[0]]}),
        ),
    ] {
        match read_vroom(&input.to_string()) {
            Err(kerb_plan::Error::Json(e)) => {
                let m = e.to_string();
                let key = ["jobz", "servcie", "capacty"]
                    .into_iter()
                    .find(|k| m.contains(k));
                assert!(key.is_some(), "{path}: {m}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    let mut coords = base.clone();
    coords["jobs"] = json!([{"id": 1, "location": [24.9, 60.1]}]);
    assert!(matches!(
        read_vroom(&coords.to_string()),
        Err(kerb_plan::Error::InvalidInstance(_))
    ));
    let mut oob = base.clone();
    oob["jobs"] = json!([{"id": 1, "location_index": 3}]);
    assert!(matches!(
        read_vroom(&oob.to_string()),
        Err(kerb_plan::Error::InvalidInstance(_))
    ));
    assert!(matches!(
        read_vroom("{not json"),
        Err(kerb_plan::Error::Json(_))
    ));
}

/// Straight-line test routing whose speed depends on the profile: `slow` at 5 m/s, every
/// other profile (and the default) at 10 m/s. Records which profiles were asked for.
struct SpeedBySource(Vec<Option<String>>);

impl kerb_plan::io::vroom::MatrixSource for SpeedBySource {
    type Error = kerb_plan::Error;
    fn get_matrix(
        &mut self,
        profile: Option<&str>,
        coords: &[[f64; 2]],
    ) -> kerb_plan::Result<kerb_plan::Matrix> {
        self.0.push(profile.map(str::to_string));
        let speed = if profile == Some("slow") { 5.0 } else { 10.0 };
        let n = coords.len();
        let d: Vec<f64> = (0..n * n)
            .map(|k| {
                let (a, b) = (coords[k / n], coords[k % n]);
                ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
            })
            .collect();
        kerb_plan::Matrix::new(n, d.iter().map(|m| m / speed).collect(), d)
    }
}

/// Coordinate input with vehicles of two profiles and one without: one matrix per profile,
/// each vehicle on its own (VROOM's per-vehicle routing profile), and the plan's travel
/// times follow the vehicle's matrix.
#[test]
fn coordinates_are_routed_once_per_vehicle_profile() {
    let input = json!({
        "vehicles": [
            {"id": 1, "start": [0.0, 0.0], "end": [0.0, 0.0], "profile": "slow"},
            {"id": 2, "start": [0.0, 0.0], "end": [0.0, 0.0], "profile": "fast"},
            {"id": 3, "start": [0.0, 0.0], "end": [0.0, 0.0]},
            {"id": 4, "start": [0.0, 0.0], "end": [0.0, 0.0], "profile": "slow"}
        ],
        "jobs": [{"id": 7, "location": [300.0, 400.0]}]
    })
    .to_string();
    let mut source = SpeedBySource(Vec::new());
    let vp = kerb_plan::io::vroom::read_vroom_with_router(&input, &mut source).unwrap();
    assert_eq!(
        source.0,
        vec![None, Some("fast".into()), Some("slow".into())],
        "one matrix per distinct profile"
    );
    assert_eq!(vp.problem.matrices.len(), 3);
    let legs: Vec<f64> = vp
        .problem
        .vehicles
        .iter()
        .map(|v| vp.problem.matrices[v.profile].duration(0, 1))
        .collect();
    assert_eq!(legs, vec![100.0, 50.0, 50.0, 100.0]);
    let names: Vec<&str> = vp
        .problem
        .vehicles
        .iter()
        .map(|v| vp.profiles[v.profile].as_str())
        .collect();
    assert_eq!(names, vec!["slow", "fast", "car", "slow"]);
    // Only the slow trucks may serve the job: the plan drives it at 5 m/s.
    let mut only_slow: serde_json::Value = serde_json::from_str(&input).unwrap();
    only_slow["jobs"][0]["skills"] = json!([1]);
    for v in [0, 3] {
        only_slow["vehicles"][v]["skills"] = json!([1]);
    }
    let vp = kerb_plan::io::vroom::read_vroom_with_router(
        &only_slow.to_string(),
        &mut SpeedBySource(Vec::new()),
    )
    .unwrap();
    let sol = solve(&vp.problem, &SolveOptions::iterations(100).with_seed(1)).unwrap();
    assert!(check(&vp.problem, &sol).is_empty());
    let out = write_output(&vp, &sol);
    assert_eq!(out["summary"]["duration"], 200, "{out}");
}
