//! kerb-core: OSM import, vehicle profiles, a compact road graph, R-tree snapping and shortest
//! routes for service vehicles.
//!
//! ```
//! # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
//! use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
//! let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//! let opts = SnapOptions::default();
//! let a = Waypoint::new(g.snap(Point::new(24.9384, 60.1699), &opts)?);
//! let b = Waypoint::new(g.snap(Point::new(24.9500, 60.1750), &opts)?);
//! let route = g.route(&[a, b])?;
//! println!("{:.0} m in {:.0} s", route.distance_m, route.duration_s);
//! # Ok::<(), kerb_core::Error>(())
//! ```
#![deny(missing_docs)]

// One module per concept; their public items are re-exported below, so callers write
// `kerb_core::Graph`, not `kerb_core::graph::Graph`. `ch` and `turn` stay public as the
// low-level layer (a contraction hierarchy over any arc list, the turn-expanded graph).
mod accessibility;
pub mod cch;
pub mod ch;
mod driving_side;
mod engine;
mod error;
pub mod geo;
mod graph;
mod graph_set;
mod ids;
mod isochrone;
mod matrix;
mod osm;
mod profile;
mod route;
mod search;
mod snap;
pub mod turn;
pub mod weights;

/// OSM data in memory: nodes, ways and relations with tags, read from OSM XML (`.osm`,
/// `.osm.gz`) or built by hand, and written as OSM PBF for the importer
/// ([`Graph::from_file`] imports `.osm`/`.osm.gz`/`.pbf` with these).
pub mod osm_data {
    pub use crate::osm::data::*;
    pub use crate::osm::xml::{read_xml, read_xml_file};
}

pub use ::geo::{LineString, Point, Polygon, Rect};
pub use accessibility::Aggregation;
pub use driving_side::{country_code_at, driving_side_at, COAST_M};
pub use engine::{Graph, GraphBuilder, Router, RoutingEngine};
pub use error::{Error, Result};
pub use geo::{encode_polyline, haversine_m, road_distance_m};
pub use graph::{
    is_language, EdgeGuidance, EdgeRef, EdgeTags, InEdges, LocalNames, RoadGraph, FORMAT_VERSION,
    MAGIC,
};
pub use graph_set::GraphSet;
pub use ids::{EdgeId, NodeId, Restriction, RestrictionKind, ViaWayRestriction, NO_EDGE};
pub use isochrone::{Isochrone, ReachedEdge};
pub use matrix::{Matrix, TripCost};
pub use osm::Progress;
pub use profile::{
    AccessTime, DepartureTime, DrivingSide, DrivingSideRule, Exclude, NodeDelays, Profile,
    ProfileBuilder, RoadClass, TurnCosts, TurnShape, UTurnPolicy, VehicleDims, Weekday,
};
pub use route::{
    Algorithm, Approach, Route, RouteLeg, RouteSegment, SearchFilter, ViaRule, Waypoint,
};
pub use snap::{Component, Side, Snap, SnapComponents, SnapOptions, TINY_COMPONENT_EDGES};
pub use turn::{TurnGraph, RESTRICTED_ENTRY_MS};
pub use weights::EdgeWeights;

/// The code in the crate's README.md compiles (and runs, unless marked `no_run`) as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
