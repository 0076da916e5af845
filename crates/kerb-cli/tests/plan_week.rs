//! `kerb sample-week` and `kerb plan-week` end to end on data/helsinki.osm.pbf: the plan's
//! JSON has `days` with routes, stops and unassigned, and `totals`; bad input is one line.

use std::process::{Command, Output};

use serde_json::Value;

fn kerb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kerb"))
        .args(args)
        .output()
        .expect("run kerb")
}

fn tmp(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("kerb-cli-week-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name).to_str().unwrap().to_string()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sample_week_then_plan_week_under_both_policies() {
    let pbf = kerb_testdata::helsinki_pbf();
    let graph = tmp("helsinki.kerb");
    kerb_testdata::kerb_build(
        env!("CARGO_BIN_EXE_kerb"),
        &pbf,
        "truck",
        graph.as_ref(),
        &[],
    );
    let week = tmp("week.json");
    ok(&kerb(&[
        "sample-week",
        "--graph",
        &graph,
        "--bins",
        "40",
        "--trucks",
        "2",
        "--seed",
        "3",
        "-o",
        &week,
        "--truth",
        &tmp("truth.json"),
    ]));
    for policy in ["fixed", "forecast"] {
        let plan = tmp(&format!("plan-{policy}.json"));
        let out = kerb(&[
            "plan-week",
            &week,
            "--graph",
            &graph,
            "--policy",
            policy,
            "--iterations",
            "30",
            "-o",
            &plan,
            "-q",
            "--truth",
            &tmp("truth.json"),
        ]);
        ok(&out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("overflows on the truth"), "{stderr}");
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
        let days = json["days"].as_array().unwrap();
        assert_eq!(days.len(), 5);
        assert!(days[0]["routes"][0]["stops"].is_array());
        assert!(days[0]["unassigned"].is_array());
        for key in ["distance_km", "working_h", "overflows"] {
            assert!(json["totals"][key].is_number(), "{key}");
        }
        assert_eq!(json["policy"], policy);
    }
    let out = kerb(&[
        "plan-week",
        &week,
        "--graph",
        &graph,
        "--policy",
        "sometimes",
        "-o",
        &tmp("x.json"),
    ]);
    assert!(!out.status.success());
    let bad = tmp("bad.json");
    std::fs::write(&bad, "{\"day\": 1}").unwrap();
    let out = kerb(&["plan-week", &bad, "--graph", &graph, "-o", &tmp("x.json")]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("collection week JSON") && stderr.lines().count() == 1,
        "{stderr}"
    );
}
