//! `kerb plan FILE.dat`: CARPLIB arc routing end to end (gdb1, optimum 316).

use std::process::Output;

fn kerb(args: &[&str]) -> Output {
    kerb_testdata::run(env!("CARGO_BIN_EXE_kerb"), args)
}

#[test]
fn plan_carplib_prints_routes_and_totals() {
    let Some(bench) = kerb_testdata::shared_bench() else {
        return;
    };
    let gdb1 = bench.join("carp/gdb1.dat");
    let o = kerb(&[
        "plan",
        "--iterations",
        "300",
        "--threads",
        "1",
        "--quiet",
        gdb1.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["instance"], "gdb1");
    assert_eq!(out["summary"]["cost"], 316);
    assert_eq!(out["summary"]["service_cost"], 252);
    let routes = out["routes"].as_array().unwrap();
    let mut served: Vec<u64> = routes
        .iter()
        .flat_map(|r| r["tasks"].as_array().unwrap())
        .map(|t| t["edge"].as_u64().unwrap())
        .collect();
    served.sort();
    assert_eq!(served, (0..22).collect::<Vec<u64>>());
    let total: u64 = routes.iter().map(|r| r["cost"].as_u64().unwrap()).sum();
    assert_eq!(total, 316);
    assert!(routes.iter().all(|r| r["load"].as_u64().unwrap() <= 5));

    // A truncated file is a parse error with its line, not a panic.
    let dir = kerb_testdata::temp_dir("plan-carp");
    let bad = dir.join("bad.dat");
    std::fs::write(
        &bad,
        "NOMBRE : x\nVERTICES : 2\nLISTA_ARISTAS_REQ :\n( 1, 2) coste 1\n",
    )
    .unwrap();
    let o = kerb(&["plan", "--quiet", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("line 4"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}
