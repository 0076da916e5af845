//! `kerb collect` and `kerb plan` under sizes that used to exhaust memory (issue #20): the
//! CLI's own limits (kerb-api's `PlanLimits::cli`) refuse them at once with a message naming
//! the limit, before a graph is even loaded; time limits are checked instead of panicking.

use std::path::PathBuf;
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn kerb(args: &[&str]) -> Output {
    kerb_testdata::run(env!("CARGO_BIN_EXE_kerb"), args)
}

fn tmp(name: &str) -> PathBuf {
    kerb_testdata::temp_dir("plan-limits").join(name)
}

fn fails_with(out: &Output, words: &[&str]) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for w in words {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
}

#[test]
fn a_billion_trucks_fail_fast_naming_the_limit() {
    // Before: `kerb collect` with `count: 1000000000` grew to 9 GB.
    let text = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let mut day: Value = serde_json::from_str(&text).unwrap();
    day["trucks"][0]["count"] = 1_000_000_000u32.into();
    let path = tmp("billion.json");
    std::fs::write(&path, day.to_string()).unwrap();
    let started = Instant::now();
    // The graph file does not exist: the size check comes first.
    for command in ["collect", "plan"] {
        let out = kerb(&[
            command,
            path.to_str().unwrap(),
            "--graph",
            "missing.kerb",
            "--quiet",
        ]);
        fails_with(&out, &["vehicles", "limit"]);
    }
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn vroom_jobs_beyond_the_limit_and_bad_time_limits_are_errors() {
    let jobs: Vec<Value> = (0..100_001)
        .map(|i| json!({"id": i, "location": [24.945, 60.171]}))
        .collect();
    let input = json!({"vehicles": [{"id": 1, "start": [24.94, 60.17]}], "jobs": jobs});
    let path = tmp("jobs.json");
    std::fs::write(&path, input.to_string()).unwrap();
    let out = kerb(&[
        "plan",
        path.to_str().unwrap(),
        "--graph",
        "missing.kerb",
        "--quiet",
    ]);
    fails_with(&out, &["jobs", "limit"]);

    let small = tmp("small.json");
    std::fs::write(
        &small,
        r#"{"vehicles":[{"id":1,"start_index":0}],"jobs":[{"id":1,"location_index":1}],
            "matrices":{"car":{"durations":[[0,5],[5,0]]}}}"#,
    )
    .unwrap();
    // Before: `Duration::from_secs_f64` panicked on 1e308 and NaN ran without a limit.
    for bad in ["1e308", "NaN", "-3"] {
        let out = kerb(&[
            "plan",
            small.to_str().unwrap(),
            "--quiet",
            &format!("--time-limit={bad}"),
        ]);
        fails_with(&out, &["time_limit_s"]);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    let out = kerb(&["plan", small.to_str().unwrap(), "--quiet", "--iterations=0"]);
    fails_with(&out, &["iterations"]);
}
