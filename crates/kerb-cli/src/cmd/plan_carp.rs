//! `kerb plan FILE.dat`: capacitated arc routing on a CARPLIB instance (serve street segments),
//! solved by `kerb_plan::carp` and written as JSON: trips of served edges with their direction,
//! load and cost, and the totals. Vertices are 0-based indices (CARPLIB vertex `k` is `k - 1`);
//! `edge` indexes the file's `LISTA_ARISTAS_REQ` in order.

use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kerb_plan::carp;
use kerb_plan::SolveOptions;

use super::plan::PlanArgs;

/// Runs `kerb plan` on the CARPLIB text of `args.input`.
pub fn run(args: &PlanArgs, text: &str) -> anyhow::Result<()> {
    if args.minimize_vehicles.is_some() || args.format.is_some() {
        anyhow::bail!("--minimize-vehicles and --format do not apply to arc routing (CARPLIB)");
    }
    let inst =
        carp::read_carplib(text).with_context(|| format!("reading {}", args.input.display()))?;
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let mut opts = SolveOptions::default()
        .with_threads(threads)
        .with_seed(args.seed.unwrap_or(1));
    opts.iterations = args.iterations;
    opts.time_limit = match (args.time_limit, args.iterations) {
        (Some(t), _) => Some(std::time::Duration::from_secs_f64(t.max(0.0))),
        (None, None) => Some(std::time::Duration::from_secs(10)),
        (None, Some(_)) => None,
    };
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(1000);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let pb = bar.clone();
    opts.progress = Some(Arc::new(move |p: &kerb_plan::Progress| {
        pb.set_position((p.fraction * 1000.0) as u64);
        pb.set_message(format!(
            "{} it  {} trips  cost {}",
            p.iterations, p.vehicles, p.cost
        ));
    }));
    tracing::info!(
        required = inst.required.len(),
        vertices = inst.vertices,
        threads,
        "arc routing {}",
        args.input.display()
    );
    let sol = carp::solve(&inst, &opts)?;
    bar.finish_and_clear();
    let violations = carp::check(&inst, &sol);
    if let Some(v) = violations.first() {
        anyhow::bail!("internal error: the plan fails the CARP checker: {v}");
    }
    tracing::info!(
        cost = sol.cost,
        trips = sol.routes.len(),
        iterations = sol.iterations,
        "plan ready in {:.1} s",
        sol.elapsed_s
    );
    let json = serde_json::json!({
        "instance": inst.name,
        "problem": "carp",
        "summary": {
            "cost": sol.cost,
            "service_cost": sol.service_cost,
            "deadhead_cost": sol.deadhead_cost,
            "routes": sol.routes.len(),
            "iterations": sol.iterations,
            "elapsed_s": sol.elapsed_s,
        },
        "routes": sol.routes,
    });
    let text = serde_json::to_string_pretty(&json)?;
    match &args.output {
        Some(p) => {
            std::fs::write(p, text + "\n").with_context(|| format!("writing {}", p.display()))?
        }
        None => println!("{text}"),
    }
    Ok(())
}
