//! Where kerb's tests, benches and examples find their data.
//!
//! Two places hold real data:
//! - `data/` in the repository: the default Helsinki extract and the sample collection day,
//!   always present;
//! - the shared folder beside the repository (`../shared/data`, or `$KERB_SHARED_DATA`): larger
//!   OSM extracts (`osm/`) and routing benchmark instances (`bench/`). It is never copied into
//!   the repository; when it is absent the callers skip with the message printed here.
//!
//! This crate depends on nothing of kerb's own, so that every crate can use it as a
//! dev-dependency without a dependency cycle.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};

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

/// `n` reproducible random `(lon, lat)` points inside a bounding box given as
/// `(min_lon, min_lat, max_lon, max_lat)`: query points for tests and benches, which snap
/// them to the graph themselves.
pub fn random_points(bbox: (f64, f64, f64, f64), n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    random_points_with(bbox, n, &mut rng)
}

/// As [`random_points`], drawing from a caller's generator (so a test can interleave other
/// random choices with the same stream).
pub fn random_points_with(
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    n: usize,
    rng: &mut impl Rng,
) -> Vec<(f64, f64)> {
    (0..n)
        .map(|_| (rng.gen_range(x0..=x1), rng.gen_range(y0..=y1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_is_found() {
        assert!(helsinki_pbf().is_file(), "{}", helsinki_pbf().display());
        assert!(helsinki_day().is_file(), "{}", helsinki_day().display());
    }

    #[test]
    fn random_points_stay_in_the_box_and_repeat_with_the_seed() {
        let b = (24.9, 60.1, 25.0, 60.2);
        let a = random_points(b, 100, 7);
        assert_eq!(a, random_points(b, 100, 7));
        assert_ne!(a, random_points(b, 100, 8));
        assert!(a
            .iter()
            .all(|&(x, y)| (b.0..=b.2).contains(&x) && (b.1..=b.3).contains(&y)));
    }
}
