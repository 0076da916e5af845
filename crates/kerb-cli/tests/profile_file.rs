//! `kerb build --profile FILE` on data/helsinki.osm.pbf: the 7.5 t old-town truck of
//! profiles/refuse-7.5t.json reaches roads the 26 t truck may not; bad files are one-line errors.

use std::path::PathBuf;

use kerb_testdata::{helsinki_pbf, repo_root, temp_dir};

/// Builds a graph for `profile` and returns the edge count from the summary line.
fn build_edges(profile: &str, out: &str) -> Result<usize, String> {
    let graph: PathBuf = temp_dir("cli-profile-file").join(out);
    let pbf = helsinki_pbf();
    let run = kerb_testdata::run(
        env!("CARGO_BIN_EXE_kerb"),
        [
            "build",
            pbf.to_str().unwrap(),
            "--profile",
            profile,
            "-o",
            graph.to_str().unwrap(),
            "--quiet",
            "--no-contract",
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    if !run.status.success() {
        return Err(stderr);
    }
    let edges = stderr
        .split(", ")
        .find_map(|part| part.strip_suffix(" edges"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no edge count in {stderr:?}"))?;
    Ok(edges)
}

#[test]
fn light_truck_file_reaches_more_than_the_heavy_truck() {
    let file = repo_root().join("profiles/refuse-7.5t.json");
    let light = build_edges(file.to_str().unwrap(), "light.kerb").unwrap();
    let heavy = build_edges("truck", "heavy.kerb").unwrap();
    let heavy_file = repo_root().join("profiles/truck.json");
    assert_eq!(
        build_edges(heavy_file.to_str().unwrap(), "heavy-file.kerb").unwrap(),
        heavy,
        "profiles/truck.json is the built-in truck"
    );
    assert!(
        light > heavy,
        "7.5 t truck {light} edges, 26 t truck {heavy}"
    );
}

#[test]
fn bad_profile_files_are_errors() {
    let dir = temp_dir("cli-profile-file");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"name": "x"}"#).unwrap();
    let err = build_edges(bad.to_str().unwrap(), "bad.kerb").unwrap_err();
    assert!(err.contains("profile"), "{err}");
    assert!(build_edges("no-such-profile.json", "none.kerb").is_err());
    assert!(build_edges("bicycle", "bicycle.kerb").is_err());
    // A misspelt key: one line naming the file and the key.
    let text = std::fs::read_to_string(repo_root().join("profiles/refuse-32t.json")).unwrap();
    let typo = dir.join("typo-truck.json");
    std::fs::write(&typo, text.replace("\"height_m\"", "\"heigth_m\"")).unwrap();
    let err = build_edges(typo.to_str().unwrap(), "typo.kerb").unwrap_err();
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        err.contains("typo-truck.json") && err.contains("vehicle.heigth_m"),
        "{err}"
    );
    // Presets by name, the new ones included.
    let big = build_edges("refuse-32t", "refuse-32t.kerb").unwrap();
    let small = build_edges("refuse-7.5t", "refuse-7.5t.kerb").unwrap();
    assert!(small > big, "7.5 t truck {small} edges, 32 t truck {big}");
}
