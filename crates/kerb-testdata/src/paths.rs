//! Where the data lives: `data/` in the repository and the shared folder beside it.
//! Paths only; whether a caller skips or fails on an absent file is the caller's choice.

use std::path::{Path, PathBuf};

/// The repository root (the workspace directory holding `data/`).
pub fn repo_root() -> PathBuf {
    // This crate lives at <root>/crates/kerb-testdata.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// `data/helsinki.osm.pbf`: the default extract (© OpenStreetMap contributors, ODbL).
pub fn helsinki_pbf() -> PathBuf {
    repo_root().join("data/helsinki.osm.pbf")
}

/// `data/helsinki-day.json`: the sample collection day on the Helsinki extract.
pub fn helsinki_day() -> PathBuf {
    repo_root().join("data/helsinki-day.json")
}

/// The shared data folder: `$KERB_SHARED_DATA` when set, else `../shared/data` beside the
/// repository. `None` (with a message on stderr saying what is skipped) when it is absent.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("KERB_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: shared data folder {} not found (set KERB_SHARED_DATA)",
            dir.display()
        );
        None
    }
}

/// A shared OSM extract by file name, e.g. `r5_porto_portugal.osm.pbf`; `None` with a message
/// when it is absent.
pub fn shared_osm(name: &str) -> Option<PathBuf> {
    let p = shared_data()?.join("osm").join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: shared extract {} not found", p.display());
        None
    }
}

/// The largest shared extract, Porto (`osm/r5_porto_portugal.osm.pbf`), or the file named by
/// `$KERB_BENCH_PBF`; `None` with a message when absent.
pub fn porto_pbf() -> Option<PathBuf> {
    match std::env::var_os("KERB_BENCH_PBF") {
        Some(p) => {
            let p = PathBuf::from(p);
            if p.exists() {
                Some(p)
            } else {
                eprintln!("skipping: KERB_BENCH_PBF={} not found", p.display());
                None
            }
        }
        None => shared_osm("r5_porto_portugal.osm.pbf"),
    }
}

/// The shared benchmark instances folder (`bench/`: Solomon, VRPLIB, `bks.csv`); `None` with a
/// message when absent.
pub fn shared_bench() -> Option<PathBuf> {
    let d = shared_data()?.join("bench");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("skipping: benchmark instances not found at {}", d.display());
        None
    }
}
