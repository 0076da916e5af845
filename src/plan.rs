//! Vehicle routing: jobs, a heterogeneous fleet and disposal facilities over travel matrices
//! to feasible, near-optimal routes (the `kerb-plan` crate).
//!
//! A [`Problem`] holds one square [`Matrix`] per vehicle profile, [`Job`]s at matrix
//! locations, [`Vehicle`]s and optional disposal [`Facility`]s; [`solve`] returns a
//! [`Solution`] and [`check`] validates any solution independently of the solver. Matrices
//! can come from anywhere: a road graph ([`crate::Graph::matrix`], see below), a file
//! ([`io::read_file`] reads Solomon, VRPLIB and VROOM JSON) or your own code.
//!
//! Planning on real roads: the road matrix's durations (s) and distances (m) become the
//! planner's matrix.
//!
//! ```
//! use kerb::plan::{check, solve, Facility, Job, Matrix, Problem, SolveOptions, StepKind, Vehicle};
//! use kerb::{Graph, Point, Profile, SnapOptions, Waypoint};
//!
//! let graph = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//! // 0 = depot, 1..=4 = bins, 5 = transfer station.
//! let places = [
//!     (24.9384, 60.1699), (24.9500, 60.1750), (24.9420, 60.1660),
//!     (24.9470, 60.1720), (24.9440, 60.1770), (24.9510, 60.1680),
//! ];
//! let opts = SnapOptions::default();
//! let waypoints = places
//!     .iter()
//!     .map(|&(lon, lat)| graph.snap(Point::new(lon, lat), &opts).map(Waypoint::new))
//!     .collect::<kerb::Result<Vec<_>>>()?;
//! let road = graph.matrix(&waypoints, &waypoints)?;
//! let matrix = Matrix::new(places.len(), road.durations_s, road.distances_m)?;
//!
//! let mut problem = Problem::new(vec![matrix])
//!     .vehicle(Vehicle::new(1, Some(0)).capacity(vec![500]).disposal_required_at_end(true))
//!     .facility(Facility { id: 100, location: 5, time_windows: vec![], unload: 600.0 });
//! for bin in 1..=4 {
//!     problem = problem.job(Job::new(bin, bin as usize).demand(vec![200]).service(60.0));
//! }
//! let plan = solve(&problem, &SolveOptions::iterations(200))?;
//! assert!(check(&problem, &plan).is_empty(), "the plan is feasible");
//! assert!(plan.unassigned.is_empty());
//! // 800 kg with 500 kg capacity: the truck unloads at least twice.
//! let dumps = plan.routes[0].steps.iter()
//!     .filter(|s| matches!(s.kind, StepKind::Disposal { .. }))
//!     .count();
//! assert!(dumps >= 2);
//! println!("{:.0} m, {:.0} s driving", plan.summary.distance, plan.summary.travel_time);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use kerb_plan::{
    carp, check, io, solve, time_limit_from_secs, Break, Error, Facility, Job, Matrix, Objective,
    PlannedRoute, Problem, Progress, ProgressFn, Result, SizeEstimate, SizeLimits, Solution,
    SolveOptions, Step, StepKind, Summary, TimeWindow, Unassigned, UnassignedReason, Vehicle,
    VehicleCosts, Violation, HORIZON, MAX_DIMENSIONS, MAX_TIME_LIMIT_S,
};
