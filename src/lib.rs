//! # kerb: routing and route planning for service vehicles
//!
//! kerb imports OpenStreetMap data into a compact road graph for a vehicle [`Profile`], snaps
//! coordinates to the roads, computes turn-aware routes and duration/distance matrices, and
//! plans multi-vehicle routes with capacities, time windows and disposal trips
//! ([`plan`]). The [`collect`] module runs a whole waste-collection day from bins to truck
//! routes on the roads.
//!
//! ## A complete example
//!
//! Import the bundled Helsinki extract for a refuse truck, snap two addresses, route between
//! them and compute a matrix:
//!
//! ```
//! use kerb::{Approach, Graph, Point, Profile, SnapOptions, Waypoint};
//!
//! // Import once (about a second for a city centre); `graph.save(..)` + `Graph::open(..)`
//! // skip the import next time.
//! let graph = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//!
//! // Snap coordinates (lon, lat) onto roads the truck may use.
//! let opts = SnapOptions::default();
//! let depot = graph.snap(Point::new(24.9384, 60.1699), &opts)?;
//! let bin = graph.snap(Point::new(24.9500, 60.1750), &opts)?;
//! assert!(depot.distance_m < 100.0);
//!
//! // A route that reaches the bin with it on the kerb side (no crossing the street).
//! let waypoints = [
//!     Waypoint::new(depot),
//!     Waypoint::new(bin).with_approach(Approach::Curb),
//! ];
//! let route = graph.route(&waypoints)?;
//! assert!(route.distance_m > 500.0 && route.duration_s > 0.0);
//! println!("{:.0} m, {:.0} s, polyline {}", route.distance_m, route.duration_s, route.polyline(5));
//!
//! // Duration/distance matrix between the same points, both ways.
//! let m = graph.matrix(&waypoints, &waypoints)?;
//! assert_eq!(m.duration_s(0, 0), 0.0);
//! assert!((m.duration_s(0, 1) - route.duration_s).abs() < 1e-6);
//! # Ok::<(), kerb::Error>(())
//! ```
//!
//! ## What is where
//!
//! | you want to | use |
//! |---|---|
//! | build a graph from OSM | [`Graph::from_pbf`], [`Graph::builder`] (progress, contraction) |
//! | save and load graphs in milliseconds | [`Graph::save`], [`Graph::open`] |
//! | describe your own vehicle | [`Profile::builder`], or modify [`Profile::truck`] |
//! | coordinates to roads | [`Graph::snap`], [`Graph::nearest`], [`SnapOptions`] |
//! | routes | [`Graph::route`] with [`Waypoint`]s and [`Approach`] |
//! | matrices | [`Graph::matrix`] → [`Matrix`] |
//! | isochrones, reachable roads | [`Graph::isochrones`] → [`Isochrone`], [`Graph::reachable`] |
//! | where a vehicle gets within a time budget | [`Graph::reachable`], [`Graph::isochrones`] → [`Isochrone`] |
//! | vehicle routing over any matrix | [`plan::solve`] on a [`plan::Problem`], [`plan::check`] |
//! | serving street segments (arc routing, CARP) | [`plan::carp::solve`] on a [`plan::carp::CarpInstance`], [`plan::carp::check`] |
//! | a waste-collection day on real roads | [`collect::plan_collection`] (feature `collect`) |
//! | an OSRM-compatible HTTP server | `kerb::http` (feature `http`) |
//!
//! ## Sharing a graph between threads
//!
//! A [`Graph`] is immutable after import and `Send + Sync`: wrap it in an
//! [`Arc`](std::sync::Arc) (or borrow it in a rayon scope) and query it from any number of
//! threads. Queries take `&self`; each thread keeps its own reusable search state, so a
//! `&Graph` *is* the per-thread query handle and queries do not allocate search arrays.
//!
//! ```
//! use std::sync::Arc;
//! use kerb::{Graph, Point, Profile, SnapOptions, Waypoint};
//!
//! let graph = Arc::new(Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?);
//! let from = Point::new(24.9384, 60.1699);
//! let handles: Vec<_> = [(24.9500, 60.1750), (24.9420, 60.1650), (24.9480, 60.1700)]
//!     .into_iter()
//!     .map(|(lon, lat)| {
//!         let graph = Arc::clone(&graph);
//!         std::thread::spawn(move || -> kerb::Result<f64> {
//!             let opts = SnapOptions::default();
//!             let a = Waypoint::new(graph.snap(from, &opts)?);
//!             let b = Waypoint::new(graph.snap(Point::new(lon, lat), &opts)?);
//!             Ok(graph.route(&[a, b])?.duration_s)
//!         })
//!     })
//!     .collect();
//! for h in handles {
//!     assert!(h.join().unwrap()? > 0.0);
//! }
//! # Ok::<(), kerb::Error>(())
//! ```
//!
//! ## Isochrones
//!
//! ```
//! use kerb::{Graph, Point, Profile, SnapOptions, Waypoint};
//! let graph = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//! let depot = Waypoint::new(graph.snap(Point::new(24.9384, 60.1699), &SnapOptions::default())?);
//! let rings = graph.isochrones(&depot, &[60.0, 180.0])?;
//! assert!(rings[0].road_km < rings[1].road_km);
//! assert!(rings[1].polygon.exterior().0.len() >= 4);
//! # Ok::<(), kerb::Error>(())
//! ```
//!
//! ## Custom vehicles
//!
//! [`Profile::builder`] describes your own vehicle (size and weight against OSM limits,
//! speeds per [`RoadClass`], access keys and values, barriers, turn costs); the profile is
//! validated, stored in the graph file and checked again by [`Graph::open_for_profile`].
//!
//! ```
//! use kerb::{Graph, Profile, RoadClass};
//! let tall = Profile::builder("tall-truck")
//!     .base(Profile::truck())
//!     .height_m(4.6)
//!     .deny_road(RoadClass::LivingStreet)
//!     .build()?;
//! let tall_graph = Graph::from_pbf("data/helsinki.osm.pbf", &tall)?;
//! let truck_graph = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
//! // Roads under bridges lower than 4.6 m are gone.
//! assert!(tall_graph.num_edges() < truck_graph.num_edges());
//! # Ok::<(), kerb::Error>(())
//! ```
//!
//! ## What is not public
//!
//! The facade exposes the types above and nothing of the crates' internals: the contraction
//! hierarchy, the turn-expanded graph and the graph's raw storage stay inside.
//!
//! ```compile_fail
//! use kerb::ch::ContractionHierarchy; // not part of the facade
//! ```
//!
//! ```compile_fail
//! let g: kerb::Graph = unimplemented!();
//! let _ = &g.head; // storage fields are private
//! ```
//!
//! ## Feature flags
//!
//! - `collect` (default): the waste-collection day pipeline, [`collect`].
//! - `http`: the OSRM-compatible HTTP server, `kerb::http`. Pulls in tokio, axum and hyper;
//!   a plain library build does not.
//!
//! ## Examples
//!
//! `examples/route.rs`, `examples/matrix.rs`, `examples/plan_vrp.rs` and
//! `examples/waste_collection.rs` are small programs on the bundled data; run them with
//! `cargo run --release --example NAME`.
#![deny(missing_docs)]

pub use kerb_core::{
    driving_side_at, encode_polyline, haversine_m, road_distance_m, Algorithm, Approach, Component,
    DepartureTime, DrivingSide, DrivingSideRule, EdgeId, EdgeRef, Error, Graph, GraphBuilder,
    GraphSet, Isochrone, LineString, Matrix, NodeDelays, NodeId, Point, Polygon, Profile,
    ProfileBuilder, Progress, ReachedEdge, Rect, Restriction, RestrictionKind, Result, RoadClass,
    Route, RouteLeg, RouteSegment, RoutingEngine, SearchFilter, Side, Snap, SnapComponents,
    SnapOptions, TripCost, TurnCosts, TurnShape, UTurnPolicy, VehicleDims, ViaRule, Waypoint,
    FORMAT_VERSION, NO_EDGE,
};

pub mod plan;

#[cfg(feature = "collect")]
pub mod collect;

#[cfg(feature = "http")]
pub mod http;
