//! Solves a Solomon VRPTW benchmark instance (100 customers, time windows, capacities) and
//! compares the plan with the best known solution.
//!
//! ```sh
//! cargo run --release --example plan_vrp                 # C101, 400 iterations
//! cargo run --release --example plan_vrp -- R101 2000    # another instance, longer run
//! ```
//! The instances and `bks.csv` are read from `../shared/data/bench` (or `$KERB_SHARED_DATA/bench`).
//! The objective is hierarchical like the literature's: fewest vehicles, then distance.

use std::time::Instant;

use kerb::plan::{check, io, solve, SolveOptions, StepKind};

/// `(vehicles, cost)` of the best known solution from `bks.csv`.
fn best_known(dir: &std::path::Path, instance: &str) -> Option<(usize, f64)> {
    let text = std::fs::read_to_string(dir.join("bks.csv")).ok()?;
    text.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split(',').collect();
        (cols.first() == Some(&instance))
            .then(|| Some((cols.get(4)?.parse().ok()?, cols.get(5)?.parse().ok()?)))
            .flatten()
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let instance = args.first().map(String::as_str).unwrap_or("C101");
    let iterations: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(400);
    // Without the shared folder there is nothing to solve (shared_bench says why on stderr).
    let Some(dir) = kerb_testdata::shared_bench() else {
        println!("skipping: the shared benchmark folder is absent");
        return Ok(());
    };
    let path = dir.join("solomon").join(format!("{instance}.txt"));
    let problem = io::read_file(&path)?;
    println!(
        "{instance}: {} customers, {} vehicles available, capacity {:?}",
        problem.jobs.len(),
        problem.vehicles.len(),
        problem.vehicles.first().map(|v| &v.capacity)
    );

    let t = Instant::now();
    let plan = solve(
        &problem,
        &SolveOptions::iterations(iterations)
            .with_threads(2)
            .with_seed(3),
    )?;
    let elapsed = t.elapsed().as_secs_f64();
    for r in &plan.routes {
        let customers: Vec<String> = r
            .steps
            .iter()
            .filter_map(|s| match s.kind {
                StepKind::Job { job } => Some(problem.jobs[job].id.to_string()),
                _ => None,
            })
            .collect();
        println!(
            "  vehicle {:>2}: {:>6.2} distance, {:>2} customers: {}",
            problem.vehicles[r.vehicle].id,
            r.distance,
            customers.len(),
            customers.join(" ")
        );
    }
    let violations = check(&problem, &plan);
    println!(
        "plan: {} vehicles, distance {:.2}, {} unassigned, {} iterations in {:.2} s",
        plan.summary.vehicles,
        plan.summary.distance,
        plan.unassigned.len(),
        plan.summary.iterations,
        elapsed
    );
    println!(
        "feasibility check: {}",
        if violations.is_empty() {
            "ok".to_string()
        } else {
            format!("{} violations: {:?}", violations.len(), violations)
        }
    );
    match best_known(&dir, instance) {
        Some((vehicles, cost)) => {
            // BKS are published to two decimals: a plan that matches one has no gap.
            let gap = 100.0 * (plan.summary.distance - cost) / cost;
            let gap = if (plan.summary.distance - cost).abs() < 0.005 {
                0.0
            } else {
                gap
            };
            println!(
                "best known: {vehicles} vehicles, distance {cost:.2}; gap {gap:+.2} %, vehicles {:+}",
                plan.summary.vehicles as i64 - vehicles as i64
            )
        }
        None => println!("best known: not listed in bks.csv"),
    }
    if !violations.is_empty() {
        return Err("the plan breaks constraints".into());
    }
    Ok(())
}
