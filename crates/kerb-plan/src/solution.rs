//! The plan returned by the solver.

use serde::{Deserialize, Serialize};

/// What happens at a step of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepKind {
    /// Leaving the start location.
    Start,
    /// Serving job `job` (index into [`crate::Problem::jobs`]).
    Job {
        /// Job index.
        job: usize,
    },
    /// Taking break `index` (index into the vehicle's breaks), at the current location.
    Break {
        /// Break index.
        index: usize,
    },
    /// Unloading at facility `facility` (index into [`crate::Problem::facilities`]).
    Disposal {
        /// Facility index.
        facility: usize,
    },
    /// Arriving at the end location.
    End,
}

/// One step of a route with its schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// What happens.
    #[serde(flatten)]
    pub kind: StepKind,
    /// Location index, `None` for an absent start/end (or a break: see `kind`).
    pub location: Option<usize>,
    /// Arrival time.
    pub arrival: f64,
    /// Start of service (arrival + waiting); setup, if any, comes first.
    pub start: f64,
    /// Setup duration at a job reached from another location (see [`crate::Job::setup`]).
    #[serde(default)]
    pub setup: f64,
    /// Service / unloading / break duration.
    pub service: f64,
    /// Departure time (start + setup + service).
    pub departure: f64,
    /// Load on board after the step.
    pub load: Vec<i64>,
    /// Distance travelled since the start.
    pub distance: f64,
}

/// A vehicle's planned route (named apart from the road route `kerb::Route` of kerb-core).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedRoute {
    /// Vehicle index into [`crate::Problem::vehicles`].
    pub vehicle: usize,
    /// Steps, from `Start` to `End`.
    pub steps: Vec<Step>,
    /// Cost (fixed + travel).
    pub cost: f64,
    /// Travel distance.
    pub distance: f64,
    /// Travel duration.
    pub travel_time: f64,
    /// Total setup time at its jobs.
    #[serde(default)]
    pub setup: f64,
    /// Total service, unloading and break time.
    pub service: f64,
    /// Total waiting time.
    pub waiting: f64,
    /// End time minus start time.
    pub working_time: f64,
}

/// Why a job was left out of the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnassignedReason {
    /// No vehicle has all the skills the job needs.
    Skills,
    /// The demand exceeds the capacity of every vehicle that could serve it.
    Capacity,
    /// No vehicle can reach the job inside one of its time windows within its shift
    /// (or return in time afterwards).
    TimeWindow,
    /// A route serving only this job already breaks a vehicle limit (distance, travel or
    /// working time, stops, breaks, facility hours).
    RouteLimits,
    /// The job could be served alone but does not fit in the plan (fleet too small, or its
    /// penalty is lower than its cost).
    NoRoom,
}

impl std::fmt::Display for UnassignedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Skills => "no vehicle has the required skills",
            Self::Capacity => "demand exceeds the capacity of every compatible vehicle",
            Self::TimeWindow => "no compatible vehicle can reach it within its time windows and shift",
            Self::RouteLimits => "serving it alone already breaks a vehicle limit (distance, time, stops, breaks or facility hours)",
            Self::NoRoom => "feasible alone but no room left in the fleet (or optional and not worth its cost)",
        })
    }
}

/// A job left out of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// Job index into [`crate::Problem::jobs`].
    pub job: usize,
    /// Why.
    pub reason: UnassignedReason,
}

/// Totals over the plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Total cost (fixed + travel + penalties of optional unassigned jobs).
    pub cost: f64,
    /// Vehicles used.
    pub vehicles: usize,
    /// Number of unassigned jobs.
    pub unassigned: usize,
    /// Total distance.
    pub distance: f64,
    /// Total travel duration.
    pub travel_time: f64,
    /// Total service time (incl. unloading and breaks).
    pub service: f64,
    /// Total waiting time.
    pub waiting: f64,
    /// Solver iterations (per thread).
    pub iterations: u64,
    /// Solve time in seconds.
    pub elapsed_s: f64,
}

/// A complete plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Used vehicles' routes.
    pub routes: Vec<PlannedRoute>,
    /// Jobs not served, with reasons.
    pub unassigned: Vec<Unassigned>,
    /// Totals.
    pub summary: Summary,
}
