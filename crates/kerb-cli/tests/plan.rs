//! `kerb plan` end to end: VROOM JSON in, VROOM JSON out; typed failure on bad input.

use std::process::Output;

fn kerb(args: &[&str]) -> Output {
    kerb_testdata::run(env!("CARGO_BIN_EXE_kerb"), args)
}

#[test]
fn plan_vroom_json_round_trip() {
    let dir = kerb_testdata::temp_dir("plan-cli");
    let input = dir.join("in.json");
    let output = dir.join("out.json");
    std::fs::write(
        &input,
        r#"{"vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [3], "disposal_required_at_end": true}],
            "jobs": [{"id": 5, "location_index": 1, "pickup": [2]}, {"id": 6, "location_index": 2, "pickup": [2]}],
            "facilities": [{"id": 9, "location_index": 3, "service": 60}],
            "matrices": {"car": {"durations": [[0,10,20,30],[10,0,10,20],[20,10,0,10],[30,20,10,0]]}}}"#,
    )
    .unwrap();
    let st = kerb(&[
        "plan",
        "--iterations",
        "50",
        "--threads",
        "2",
        "--quiet",
        "-o",
        output.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(st.status.success());
    let out: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(out["code"], 0);
    assert_eq!(out["summary"]["unassigned"], 0);
    let types: Vec<&str> = out["routes"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    // 4 units, capacity 3: two trips, each ending at the facility.
    assert_eq!(
        types.iter().filter(|t| **t == "disposal").count(),
        2,
        "{types:?}"
    );
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"vehicles": [{"id": 1, "start_index": 0}], "jobs": [{"id": 1}], "matrix": [[0]]}"#,
    )
    .unwrap();
    let o = kerb(&["plan", "--quiet", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.to_lowercase().contains("location"), "{stderr}");
    // No vehicle at all is VROOM's "No vehicle defined."
    std::fs::write(
        &bad,
        r#"{"vehicles": [], "jobs": [{"id": 1, "location_index": 0}], "matrix": [[0]]}"#,
    )
    .unwrap();
    let o = kerb(&["plan", "--quiet", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("No vehicle"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}
