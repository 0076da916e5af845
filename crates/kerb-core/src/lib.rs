//! kerb-core: OSM import, vehicle profiles, a compact road graph, R-tree snapping and shortest
//! routes for service vehicles.
//!
//! ```no_run
//! use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
//! let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//! let opts = SnapOptions::default();
//! let a = Waypoint::new(g.snap(Point::new(24.9384, 60.1699), &opts)?);
//! let b = Waypoint::new(g.snap(Point::new(24.9500, 60.1750), &opts)?);
//! let route = g.route(&[a, b])?;
//! println!("{:.0} m in {:.0} s", route.distance_m, route.duration_s);
//! # Ok::<(), kerb_core::Error>(())
//! ```
#![warn(missing_docs)]

pub mod ch;
pub mod error;
pub mod file;
pub mod graph;
mod import;
pub mod isochrone;
pub mod matrix;
pub mod profile;
pub mod route;
pub mod snap;
pub mod turn;

pub use error::{Error, Result};
pub use geo::{LineString, Point};
pub use graph::{
    haversine_m, EdgeId, EdgeRef, Graph, GraphBuilder, NodeId, Progress, Restriction,
    RestrictionKind, NO_EDGE,
};
pub use isochrone::{Isochrone, ReachedEdge};
pub use matrix::{Matrix, TripCost};
pub use profile::{
    DrivingSide, NodeDelays, Profile, ProfileBuilder, RoadClass, TurnCosts, TurnShape,
    UTurnPolicy, VehicleDims,
};
pub use route::{encode_polyline, Approach, Route, RouteLeg, RouteSegment, Waypoint};
pub use snap::{Side, Snap, SnapOptions};
pub use turn::{Algorithm, TurnGraph};
