//! kerb-conformance: runs OSRM's Cucumber scenarios against kerb, through kerb's real HTTP
//! router, and reports per scenario (text lines, a summary, JSON lines).
//!
//! Each scenario's map is drawn from its tables, written as an OSM PBF file ([`pbf`]),
//! imported with the named profile (`car` is kerb's car profile, `testbot` is rebuilt in
//! [`testbot`]) and queried in-process; cells are compared with OSRM's tolerances ([`fuzzy`]).
#![deny(missing_docs)]

pub mod error;
pub mod fuzzy;
pub mod gherkin;
pub mod intentional;
pub mod pbf;
pub mod report;
pub mod server;
pub mod steps;
pub mod testbot;
pub mod world;

use std::path::{Path, PathBuf};

pub use error::{Error, Result};
pub use report::{Outcome, ScenarioResult, Summary};

/// Feature files under `paths` (files as given, directories searched recursively), sorted.
pub fn feature_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|x| x == "feature") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The path shown in reports (from the `features` directory on) and the folder it counts in.
fn display_path(path: &Path) -> (String, String) {
    let s = path.display().to_string();
    let shown = match s.rfind("features/") {
        Some(i) => s[i + "features/".len()..].to_string(),
        None => s,
    };
    let folder = shown
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_else(|| ".".into());
    (shown, folder)
}

/// Runs every scenario of `file`, calling `each` as results come in.
pub fn run_file(
    file: &Path,
    intentional: &[intentional::Difference],
    rt: &tokio::runtime::Runtime,
    each: &mut dyn FnMut(&ScenarioResult),
) -> Result<Vec<ScenarioResult>> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
        path: file.display().to_string(),
        source,
    })?;
    let (shown, folder) = display_path(file);
    let feature = match gherkin::parse(&text) {
        Ok(f) => f,
        Err(e) => {
            let r = ScenarioResult {
                file: shown,
                folder,
                line: 0,
                scenario: "(feature file)".into(),
                outcome: Outcome::Failed {
                    reason: "runner: feature file does not parse".into(),
                    detail: e.to_string(),
                },
            };
            each(&r);
            return Ok(vec![r]);
        }
    };
    let mut results = Vec::new();
    for sc in &feature.scenarios {
        let outcome = match intentional::lookup(intentional, &shown, &sc.name) {
            Some(reason) => Outcome::Skipped {
                reason: format!("intentional difference: {reason}"),
            },
            None => steps::run(sc, rt),
        };
        let r = ScenarioResult {
            file: shown.clone(),
            folder: folder.clone(),
            line: sc.line,
            scenario: sc.name.clone(),
            outcome,
        };
        each(&r);
        results.push(r);
    }
    Ok(results)
}

/// A runtime for the in-process server: kerb-http computes on its blocking pool.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            path: "tokio runtime".into(),
            source,
        })
}

/// Runs all feature files under `paths`.
pub fn run_paths(
    paths: &[PathBuf],
    each: &mut dyn FnMut(&ScenarioResult),
) -> Result<Vec<ScenarioResult>> {
    let intentional = intentional::parse(intentional::LIST)?;
    let rt = runtime()?;
    let mut all = Vec::new();
    for f in feature_files(paths)? {
        all.extend(run_file(&f, &intentional, &rt, each)?);
    }
    Ok(all)
}
