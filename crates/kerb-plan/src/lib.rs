//! # kerb-plan: vehicle routing for service fleets
//!
//! Plans routes for a heterogeneous fleet over given travel matrices: capacities in several
//! dimensions, time windows, shifts, working/travel time and distance limits, breaks, skills,
//! priorities and optional jobs, and **disposal trips** (a truck that fills up unloads at a
//! facility and continues; a route may be required to end with a disposal visit).
//!
//! Entry point: [`solve`]`(&Problem, &SolveOptions) -> Result<Solution>`. Every returned plan
//! can be validated with the independent [`check`].
//!
//! ```
//! use kerb_plan::{check, solve, Facility, Job, Matrix, Problem, SolveOptions, Vehicle};
//! // Locations on a line: 0 = depot, 1..=4 bins, 5 = landfill.
//! let m = Matrix::from_fn(6, |i, j| {
//!     let d = (i as f64 - j as f64).abs() * 100.0;
//!     (d / 10.0, d)
//! });
//! let mut p = Problem::new(vec![m])
//!     .vehicle(Vehicle::new(1, Some(0)).capacity(vec![10]).disposal_required_at_end(true))
//!     .facility(Facility { id: 9, location: 5, time_windows: vec![], unload: 600.0 });
//! for k in 1..=4 {
//!     p = p.job(Job::new(k, k as usize).demand(vec![4]).service(60.0));
//! }
//! let plan = solve(&p, &SolveOptions::iterations(200)).unwrap();
//! assert!(check(&p, &plan).is_empty());
//! assert!(plan.unassigned.is_empty());
//! // 16 units with capacity 10: at least two trips, the last one ends at the landfill.
//! let dumps = plan.routes[0].steps.iter()
//!     .filter(|s| matches!(s.kind, kerb_plan::StepKind::Disposal { .. })).count();
//! assert!(dumps >= 2);
//! ```
//!
//! The solver: regret-2 insertion construction, then Slack Induction by String Removals
//! (string ruin, blink recreate, simulated annealing) with a fleet-minimisation phase for the
//! hierarchical objective, in parallel threads that share their best plan at fixed iteration
//! counts. Insertion feasibility is O(1) through time-window segment concatenation (Vidal et
//! al.), per-trip load prefixes and cumulative distances; routes with breaks or several
//! windows per stop are re-simulated exactly.
#![deny(missing_docs)]

pub mod carp;
mod check;
mod error;
pub mod io;
mod model;
mod rng;
mod size;
mod solution;
mod solver;

pub use check::{check, Violation};
pub use error::{Error, Result};
pub use model::{
    Break, Facility, Job, Matrix, Objective, Problem, Shipment, TimeWindow, Vehicle, VehicleCosts,
    HORIZON, MAX_DIMENSIONS,
};
pub use size::{SizeEstimate, SizeLimits};
pub use solution::{PlannedRoute, Solution, Step, StepKind, Summary, Unassigned, UnassignedReason};
pub use solver::{
    solve, time_limit_from_secs, Progress, ProgressFn, SolveOptions, MAX_TIME_LIMIT_S,
};

/// The code in the crate's README.md compiles (and runs, unless marked `no_run`) as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
