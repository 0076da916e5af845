//! Solves benchmark instances and prints one JSON line per instance (used by
//! `benches/plan_bench/run.py`, which adds VROOM and PyVRP side by side).
//!
//! `cargo run --release -p kerb-plan --example plan_bench -- [--time-limit S] [--iterations N]
//!  [--threads T] [--seed X] [--distance-only] FILE...`

use std::time::Instant;

use kerb_plan::{check, io, solve, SolveOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut opts = SolveOptions::default().with_threads(2);
    let mut files = Vec::new();
    let mut distance_only = false;
    while let Some(a) = args.next() {
        let mut val = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match a.as_str() {
            "--time-limit" => {
                opts.time_limit = Some(std::time::Duration::from_secs_f64(
                    val(&a).parse().expect("seconds"),
                ))
            }
            "--iterations" => opts.iterations = Some(val(&a).parse().expect("count")),
            "--threads" => opts.threads = val(&a).parse().expect("count"),
            "--seed" => opts.seed = val(&a).parse().expect("seed"),
            "--distance-only" => distance_only = true,
            _ => files.push(a),
        }
    }
    for f in files {
        let mut p = match io::read_file(&f) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{f}: {e}");
                continue;
            }
        };
        if distance_only {
            p.objective.minimize_vehicles = false;
        }
        let t = Instant::now();
        let s = solve(&p, &opts).expect("solve");
        let secs = t.elapsed().as_secs_f64();
        let violations = check(&p, &s);
        let name = std::path::Path::new(&f)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        println!(
            "{{\"instance\":\"{name}\",\"vehicles\":{},\"cost\":{:.4},\"unassigned\":{},\"time_s\":{secs:.2},\"iterations\":{},\"violations\":{}}}",
            s.summary.vehicles,
            s.summary.distance,
            s.unassigned.len(),
            s.summary.iterations,
            violations.len()
        );
        for v in violations.iter().take(5) {
            eprintln!("{name}: {v}");
        }
    }
}
