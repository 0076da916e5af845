//! The collection pipeline, one module per step: snap -> matrix -> problem -> (planner) ->
//! unpack -> output, each step using only the ones before it and the shared location table.

use std::time::Instant;

use kerb_core::Graph;
use kerb_plan::SolveOptions;

use crate::day::CollectionDay;
use crate::plan::{CollectionPlan, Timings};
use crate::Error;

mod locations;
mod matrix;
mod output;
mod problem;
mod snap;
mod unpack;

pub use snap::{is_right_of, snap_bins, SnappedBin};

/// Plans a collection day on `graph` (which should be built with the truck profile):
/// snaps bins with their side of the street, computes the turn-aware matrix respecting
/// kerbside approaches, plans with disposal trips, and unpacks each route onto the roads.
pub fn plan_collection(graph: &Graph, day: &CollectionDay) -> Result<CollectionPlan, Error> {
    plan_collection_with_progress(graph, day, None)
}

/// [`plan_collection`] reporting the planner's progress to `progress` (for a progress bar).
pub fn plan_collection_with_progress(
    graph: &Graph,
    day: &CollectionDay,
    progress: Option<kerb_plan::ProgressFn>,
) -> Result<CollectionPlan, Error> {
    plan_collection_cancellable(graph, day, progress, None)
}

/// [`plan_collection_with_progress`] with a cancel token: storing `true` in `cancel` stops
/// the planner within milliseconds (with the best plan found so far), for a server whose
/// request was abandoned.
pub fn plan_collection_cancellable(
    graph: &Graph,
    day: &CollectionDay,
    progress: Option<kerb_plan::ProgressFn>,
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
) -> Result<CollectionPlan, Error> {
    day.validate()?;
    let pinned;
    let day = if day.options.territories {
        pinned = crate::territory::pin_day_territories(day);
        &pinned
    } else {
        day
    };
    let t0 = Instant::now();
    let mut snapped = snap::snap_day(graph, day)?;
    let mut unassigned = std::mem::take(&mut snapped.unassigned);
    let mut table = locations::LocationTable::new(snapped);
    let snap_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let matrix = matrix::planner_matrix(graph, day, &mut table, &mut unassigned)?;
    let matrix_s = t1.elapsed().as_secs_f64();

    let planned = problem::problem(day, &table, matrix)?;
    let t2 = Instant::now();
    let mut opts = SolveOptions::time_limit(day.options.time_limit_s)
        .with_iterations(day.options.iterations)
        .with_threads(day.options.threads)
        .with_seed(day.options.seed);
    opts.progress = progress;
    opts.cancel = cancel;
    let solution = kerb_plan::solve(&planned.problem, &opts)?;
    let violations = kerb_plan::check(&planned.problem, &solution);
    if !violations.is_empty() {
        return Err(Error::InvalidInput(format!(
            "planner returned an infeasible plan: {violations:?}"
        )));
    }
    let plan_s = t2.elapsed().as_secs_f64();

    let t3 = Instant::now();
    let unpacked = unpack::unpack(graph, day, &table, &planned, &solution, &mut unassigned)?;
    let geometry_s = t3.elapsed().as_secs_f64();
    let timings = Timings {
        snap_s,
        matrix_s,
        plan_s,
        geometry_s,
    };
    Ok(output::collection_plan(
        day, &table, unpacked, unassigned, timings,
    ))
}
