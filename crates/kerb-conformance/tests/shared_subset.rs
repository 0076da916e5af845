//! CI hook: runs the shared subset of OSRM's scenarios and fails when any folder passes fewer
//! scenarios than recorded in `baseline.txt` (skipped with a message if the subset is absent).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `../shared/peer-tests/osrm-features/features` beside the repository, like kerb-testdata
/// finds `../shared/data`.
fn features_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/peer-tests/osrm-features/features");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: OSRM's feature files not found at {}",
            dir.display()
        );
        None
    }
}

fn baseline() -> BTreeMap<String, usize> {
    include_str!("../baseline.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (folder, n) = l.split_once(' ').expect("`folder count` lines");
            (folder.to_string(), n.trim().parse().expect("a count"))
        })
        .collect()
}

#[test]
fn shared_subset_does_not_regress() {
    let Some(dir) = features_dir() else {
        return;
    };
    let baseline = baseline();
    let paths: Vec<PathBuf> = baseline.keys().map(|f| dir.join(f)).collect();
    let results = kerb_conformance::run_paths(&paths, &mut |_| {}).expect("feature files run");
    let summary = kerb_conformance::Summary::of(&results);
    eprint!("{}", summary.text());
    let mut regressions = Vec::new();
    for (folder, min) in &baseline {
        let passed = summary.per_folder.get(folder).map_or(0, |c| c.0);
        if passed < *min {
            regressions.push(format!("{folder}: {passed} passed, baseline {min}"));
        }
    }
    assert!(
        regressions.is_empty(),
        "conformance regressed below crates/kerb-conformance/baseline.txt: {}",
        regressions.join("; ")
    );
}
