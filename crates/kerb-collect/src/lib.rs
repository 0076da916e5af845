//! Waste collection on a real road network: bins, depots, disposal sites and trucks in,
//! truck routes with kerbside service, disposal trips and full road geometry out.
//!
//! The pipeline ([`plan_collection`]) snaps every bin to the truck graph with its side of
//! the street (and every street stretch to serve along its length into one pass per kerb,
//! see [`streets`]), computes a turn-aware duration/distance matrix that respects the approach
//! side, hands it to the planner ([`kerb_plan`]) and unpacks each truck's route back onto
//! the roads.
#![deny(missing_docs)]

pub mod bins;
pub mod day;
mod export;
pub mod fill;
pub mod generate;
pub mod html;
mod pipeline;
pub mod plan;
pub mod streets;
mod territory;
pub mod week;

pub use day::{
    Bin, Break, CollectionDay, DayOptions, DaySize, Depot, DisposalSite, Street, StreetSide,
    StreetSides, TimeOfDay, Truck, MAX_TRUCKS,
};
pub use generate::sample_day;
pub use pipeline::{
    is_right_of, plan_collection, plan_collection_cancellable, plan_collection_with_progress,
    snap_bins, SnappedBin,
};
pub use plan::{
    CollectionPlan, Direction, Service, Stop, StopKind, Timings, Totals, TruckRoute, TruckSide,
    UnassignedBin,
};
pub use week::{
    plan_week, plan_week_cancellable, replan_week, CollectionWeek, Frequency, Policy, WeekBin,
    WeekPlan, WeekTotals, Weekday, WorkingDay,
};

/// Errors of the collection pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The collection day (or a bin list) is malformed.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The trucks' `count`s add up to a fleet larger than [`MAX_TRUCKS`].
    #[error(
        "truck {truck:?}: count brings the fleet to {fleet} vehicles, more than the limit of {limit} trucks"
    )]
    TooManyTrucks {
        /// The truck entry whose `count` crosses the limit.
        truck: String,
        /// Trucks after expanding every `count` up to and including that entry.
        fleet: u64,
        /// [`MAX_TRUCKS`].
        limit: u64,
    },
    /// A road-graph operation failed (snapping, matrix, routing).
    #[error(transparent)]
    Graph(#[from] kerb_core::Error),
    /// The planner rejected the problem.
    #[error(transparent)]
    Plan(#[from] kerb_plan::Error),
}
