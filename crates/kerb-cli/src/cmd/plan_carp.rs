//! `kerb plan FILE.dat`: capacitated arc routing on a CARPLIB instance (serve street segments),
//! solved by `kerb_plan::carp` and written as JSON: trips of served edges with their direction,
//! load and cost, and the totals. Vertices are 0-based indices (CARPLIB vertex `k` is `k - 1`);
//! `edge` indexes the file's `LISTA_ARISTAS_REQ` in order.

use std::path::Path;

use anyhow::Context;
use indicatif::ProgressBar;
use kerb_plan::carp;
use kerb_plan::SolveOptions;

use super::collect::emit;

/// Runs `kerb plan` on the CARPLIB `text` of `input` with the solver options `opts` (kerb-api's
/// defaults resolved, progress reported to `bar`), writing to `output` or stdout.
pub fn run(
    input: &Path,
    text: &str,
    opts: &SolveOptions,
    bar: &ProgressBar,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let inst = carp::read_carplib(text).with_context(|| format!("reading {}", input.display()))?;
    tracing::info!(
        required = inst.required.len(),
        vertices = inst.vertices,
        threads = opts.threads,
        "arc routing {}",
        input.display()
    );
    let sol = carp::solve(&inst, opts)?;
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
    emit(output, &serde_json::to_string_pretty(&json)?)?;
    Ok(())
}
