//! Waste collection on real roads: a [`CollectionDay`] (bins, depots, disposal sites,
//! trucks) to truck routes with kerbside service, disposal trips and road geometry (the
//! `kerb-collect` crate; feature `collect`, on by default).
//!
//! [`plan_collection`] snaps every bin with its side of the street, computes a turn-aware
//! matrix that makes the truck stop with the bin on its kerb side, plans with
//! [`crate::plan`], and unpacks each route onto the roads. The result serialises to JSON
//! and converts to GeoJSON ([`CollectionPlan::to_geojson`]) or a self-contained HTML map
//! ([`CollectionPlan::to_html`]).
//!
//! ```
//! use kerb::collect::{plan_collection, sample_day};
//! use kerb::{Graph, Profile};
//!
//! let graph = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//! // A seeded synthetic day: 40 bins, 2 trucks. Real days come from JSON
//! // (`CollectionDay::from_json`) or bin lists (`read_bins_csv`, `read_bins_geojson`).
//! let mut day = sample_day(&graph, 40, 2, 7);
//! day.options.iterations = Some(100);
//! let plan = plan_collection(&graph, &day)?;
//! assert_eq!(plan.totals.bins_served + plan.totals.bins_unassigned, 40);
//! for route in &plan.routes {
//!     println!("{}: {} stops, {:.1} km", route.truck, route.stops.len(), route.distance_m / 1e3);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use kerb_collect::bins::{read_bins_csv, read_bins_geojson};
pub use kerb_collect::streets;
pub use kerb_collect::{
    plan_collection, plan_collection_cancellable, plan_collection_with_progress, sample_day,
    snap_bins, Bin, Break, CollectionDay, CollectionPlan, DayOptions, DaySize, Depot, Direction,
    DisposalSite, Error, Service, SnappedBin, Stop, StopKind, Street, StreetSide, StreetSides,
    TimeOfDay, Timings, Totals, Truck, TruckRoute, TruckSide, UnassignedBin, MAX_TRUCKS,
};
