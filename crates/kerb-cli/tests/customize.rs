//! `kerb customize`: one graph file, customized for a profile file and for the built-in
//! truck; the stored customizations equal what the library computes, the topology is built
//! once and reused, and a bad profile or graph file is a one-line error.

use kerb_core::{Graph, Profile};
use kerb_testdata::{helsinki_pbf, kerb_build, repo_root, run, run_ok, temp_dir};

#[test]
fn customize_stores_customizations_and_reuses_the_topology() {
    let dir = temp_dir("cli-customize");
    let graph = dir.join("car.kerb");
    let kerb = env!("CARGO_BIN_EXE_kerb");
    kerb_build(kerb, &helsinki_pbf(), "car", &graph, &["--no-contract"]);
    let file = repo_root().join("profiles/refuse-7.5t.json");
    let first = run_ok(
        kerb,
        [
            "customize",
            graph.to_str().unwrap(),
            "--profile",
            file.to_str().unwrap(),
        ],
    );
    let first = String::from_utf8_lossy(&first.stderr).to_string();
    assert!(first.contains("topology built"), "{first}");
    let second = run_ok(
        kerb,
        [
            "customize",
            graph.to_str().unwrap(),
            "--profile",
            "truck",
            "--name",
            "heavy",
        ],
    );
    let second = String::from_utf8_lossy(&second.stderr).to_string();
    assert!(second.contains("topology loaded"), "{second}");

    let g = Graph::open(&graph).unwrap();
    let mut names = g.customization_names();
    names.sort();
    assert_eq!(names, ["heavy", "refuse-7.5t"]);
    let light = Profile::from_json(&std::fs::read_to_string(&file).unwrap()).unwrap();
    for (name, profile) in [("refuse-7.5t", light), ("heavy", Profile::truck())] {
        let stored = g.customization(name).unwrap();
        assert_eq!(
            stored.metric_bytes(),
            g.customize(&profile).unwrap().metric_bytes()
        );
    }

    let bad = run(
        kerb,
        ["customize", graph.to_str().unwrap(), "--profile", "bike"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bike"));
    let missing = dir.join("missing.kerb");
    let bad = run(
        kerb,
        ["customize", missing.to_str().unwrap(), "--profile", "car"],
    );
    assert!(!bad.status.success());
}
