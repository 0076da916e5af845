//! Solves the CARP benchmark instances (gdb, val, egl) and prints cost against the best-known
//! solution per instance and the mean gap per family.
//!
//! `cargo run --release -p kerb-plan --example carp_bench -- [--time-limit S] [--iterations N]
//!  [--threads T] [--seed X] [DIR_OR_FILE...]`
//!
//! Default: every `*.dat` in `../shared/data/bench/carp` (or `$KERB_SHARED_DATA/bench/carp`),
//! BKS from `bench/bks.csv`, 2 s and 1 thread per instance.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kerb_plan::carp::{check, read_carplib_file, solve};
use kerb_plan::SolveOptions;

fn family(name: &str) -> &str {
    if name.starts_with("gdb") {
        "gdb"
    } else if name.starts_with("val") {
        "val"
    } else if name.starts_with("egl") {
        "egl"
    } else {
        "other"
    }
}

/// Natural order: gdb2 before gdb10.
fn sort_key(p: &Path) -> (String, u32, String) {
    let s = p
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let digits: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (family(&s).to_string(), digits.parse().unwrap_or(0), s)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut opts = SolveOptions::time_limit(2.0);
    let mut inputs = Vec::new();
    while let Some(a) = args.next() {
        let mut val = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match a.as_str() {
            "--time-limit" => {
                opts.time_limit = Some(Duration::from_secs_f64(val(&a).parse().expect("seconds")))
            }
            "--iterations" => {
                opts.iterations = Some(val(&a).parse().expect("count"));
                opts.time_limit = None;
            }
            "--threads" => opts.threads = val(&a).parse().expect("count"),
            "--seed" => opts.seed = val(&a).parse().expect("seed"),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let bench = kerb_testdata::shared_bench();
    if inputs.is_empty() {
        // Without the shared folder there is nothing to run (shared_bench said why).
        let Some(bench) = &bench else { return };
        inputs.push(bench.join("carp"));
    }
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let entries = std::fs::read_dir(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            files.extend(
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "dat")),
            );
        } else {
            files.push(p);
        }
    }
    files.sort_by_key(|p| sort_key(p));
    let mut bks = BTreeMap::new();
    if let Some(text) = bench.and_then(|b| std::fs::read_to_string(b.join("bks.csv")).ok()) {
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() > 5 && f[1] == "CARP" {
                if let Ok(c) = f[5].parse::<f64>() {
                    bks.insert(f[0].to_string(), c);
                }
            }
        }
    }
    println!("| instance | edges | BKS | kerb | gap % | routes | iterations | time s |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut gaps: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for f in files {
        let name = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let inst = match read_carplib_file(&f) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                continue;
            }
        };
        let sol = solve(&inst, &opts).expect("solve");
        let violations = check(&inst, &sol);
        for v in violations.iter().take(5) {
            eprintln!("{name}: {v}");
        }
        assert!(violations.is_empty(), "{name}: plan fails the checker");
        let (b, gap) = match bks.get(&name) {
            Some(&b) => (format!("{b}"), Some(100.0 * (sol.cost as f64 - b) / b)),
            None => ("?".into(), None),
        };
        if let Some(g) = gap {
            gaps.entry(family(&name).to_string()).or_default().push(g);
        }
        println!(
            "| {name} | {} | {b} | {} | {} | {} | {} | {:.1} |",
            inst.required.len(),
            sol.cost,
            gap.map_or("?".into(), |g| format!("{g:.2}")),
            sol.routes.len(),
            sol.iterations,
            sol.elapsed_s
        );
    }
    println!();
    println!("| family | instances | mean gap % | at BKS |");
    println!("|---|---|---|---|");
    let mut all: Vec<f64> = Vec::new();
    for (fam, g) in &gaps {
        let at = g.iter().filter(|&&x| x.abs() < 1e-9).count();
        println!(
            "| {fam} | {} | {:.2} | {at} |",
            g.len(),
            g.iter().sum::<f64>() / g.len() as f64
        );
        all.extend(g);
    }
    if !all.is_empty() {
        let at = all.iter().filter(|&&x| x.abs() < 1e-9).count();
        println!(
            "| all | {} | {:.2} | {at} |",
            all.len(),
            all.iter().sum::<f64>() / all.len() as f64
        );
    }
}
