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
pub mod generate;
pub mod html;
mod output;
mod pipeline;
pub mod streets;

pub use day::{
    Bin, Break, CollectionDay, DayOptions, Depot, DisposalSite, Street, StreetSide, StreetSides,
    TimeOfDay, Truck,
};
pub use generate::sample_day;
pub use pipeline::{
    is_right_of, plan_collection, plan_collection_with_progress, snap_bins, CollectionPlan,
    Service, SnappedBin, Stop, Timings, Totals, TruckRoute, UnassignedBin,
};

/// Errors of the collection pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The collection day (or a bin list) is malformed.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A road-graph operation failed (snapping, matrix, routing).
    #[error(transparent)]
    Graph(#[from] kerb_core::Error),
    /// The planner rejected the problem.
    #[error(transparent)]
    Plan(#[from] kerb_plan::Error),
}
