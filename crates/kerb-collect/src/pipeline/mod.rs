//! The collection pipeline, one module per step: snap -> matrix -> problem -> (planner) ->
//! unpack -> output, each step using only the ones before it and the shared location table.

use std::time::Instant;

use kerb_core::{Graph, GraphSet};
use kerb_plan::SolveOptions;

use crate::day::CollectionDay;
use crate::plan::{CollectionPlan, Timings};
use crate::Error;

mod fleet;
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
/// Trucks naming a `profile` other than `graph`'s are an error; plan a mixed fleet with
/// [`plan_collection_cancellable`] and a [`GraphSet`].
pub fn plan_collection(graph: &Graph, day: &CollectionDay) -> Result<CollectionPlan, Error> {
    plan_collection_with_progress(graph, day, None)
}

/// [`plan_collection`] reporting the planner's progress to `progress` (for a progress bar).
pub fn plan_collection_with_progress(
    graph: &Graph,
    day: &CollectionDay,
    progress: Option<kerb_plan::ProgressFn>,
) -> Result<CollectionPlan, Error> {
    plan_collection_cancellable(&GraphSet::single(graph), day, progress, None)
}

/// Plans a collection day whose trucks may drive on different profiles: each truck on the
/// graph of its `profile` in `graphs` (the set's default for trucks naming none). The day is
/// snapped and its matrix computed once per profile used; the planner gives each truck its
/// own profile's matrix, so a bin only some profiles can reach goes to their trucks.
/// Storing `true` in `cancel` stops the planner within milliseconds (with the best plan
/// found so far), for a server whose request was abandoned; `progress` gets the planner's
/// progress.
///
/// Errors: a profile with no graph in `graphs` ([`kerb_core::Error::NoGraphForProfile`]),
/// and those of [`plan_collection`].
pub fn plan_collection_cancellable(
    graphs: &GraphSet<'_>,
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
    let (profiles, truck_profiles) = fleet::truck_profiles(day);
    let t0 = Instant::now();
    let snapped = fleet::snap_fleet(graphs, &profiles, day)?;
    let snap_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let mut views = fleet::profile_views(snapped, &profiles, day)?;
    let fleet::Merged {
        table,
        matrices,
        mut unassigned,
    } = fleet::merge(&mut views, day)?;
    let matrix_s = t1.elapsed().as_secs_f64();

    let planned = problem::problem(day, &table, matrices, &truck_profiles)?;
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
    let unpacked = unpack::unpack(&views, day, &table, &planned, &solution, &mut unassigned)?;
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
