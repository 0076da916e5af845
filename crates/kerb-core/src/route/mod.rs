//! Shortest (fastest) routes between snapped positions: waypoint and route types here, the
//! turn-aware seeding in `seed`, legs and their assembly in `legs`.
//!
//! Positions lie anywhere on an edge: a search starts with the remaining part of the source
//! edge (and of its reverse, for two-way roads) and ends with the first part of the target
//! edge, so one-way streets are respected even for partial edges. Searches run on the
//! turn-aware edge-based graph of `turn` (turn restrictions, U-turn policy, turn
//! penalties): the contraction hierarchy of `ch` when the graph has one, a plain
//! Dijkstra otherwise. Both use per-thread reusable workspaces (no allocation per query once
//! warm).

use geo::{LineString, Point};
use serde::{Deserialize, Serialize};

use crate::ch::ContractionHierarchy;
use crate::geo::encode_polyline;
use crate::graph::{InEdges, RoadGraph};
use crate::ids::EdgeId;
use crate::snap::Snap;
use crate::turn::TurnGraph;

mod alternatives;
mod legs;
mod seed;

pub(crate) use alternatives::alternative_legs;
pub(crate) use legs::{assemble_legs, check_waypoint, route_with, turn_leg};
pub(crate) use seed::{
    accesses, direct, source_accesses, source_seeds, target_accesses, target_seeds, Access,
};

/// How a vehicle must approach a waypoint.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approach {
    /// Either direction.
    #[default]
    Unrestricted,
    /// Arrive and leave with the point on the driving side (the kerb: right in right-hand
    /// traffic), so a refuse truck never crosses the road to a bin. Ignored on one-way roads
    /// where only the other side is reachable.
    Curb,
    /// Arrive and leave with the point on the side opposite the driving side (OSRM's
    /// `approaches=opposite`: the left in right-hand traffic). Ignored on one-way roads where
    /// only the other side is reachable.
    Opposite,
    /// Arrive and leave in the direction of the snapped edge (`snap.edge`), e.g. to drive
    /// down a street in a chosen direction: snap with
    /// [`SnapOptions::with_bearing`](crate::SnapOptions::with_bearing) to pick the edge.
    Along,
}

/// A snapped position to route through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    /// Where on the road network the waypoint lies.
    pub snap: Snap,
    /// Approach constraint.
    pub approach: Approach,
}

impl Waypoint {
    /// A waypoint without approach constraint.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Approach, Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let snap = g.snap(Point::new(24.9500, 60.1750), &SnapOptions::default())?;
    /// let bin = Waypoint::new(snap).with_approach(Approach::Curb);
    /// assert_eq!(bin.approach, Approach::Curb);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn new(snap: Snap) -> Self {
        Waypoint {
            snap,
            approach: Approach::Unrestricted,
        }
    }

    /// Sets the approach constraint.
    pub fn with_approach(mut self, approach: Approach) -> Self {
        self.approach = approach;
        self
    }
}

/// A piece of one edge travelled by a route.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteSegment {
    /// The directed edge.
    pub edge: EdgeId,
    /// Start position along the edge (0..1).
    pub from_fraction: f64,
    /// End position along the edge (0..1), `>= from_fraction`.
    pub to_fraction: f64,
    /// Length travelled on this edge in metres.
    pub distance_m: f64,
    /// Time spent on this edge in seconds.
    pub duration_s: f64,
}

/// The route between two consecutive waypoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteLeg {
    /// Length in metres.
    pub distance_m: f64,
    /// Travel time in seconds.
    pub duration_s: f64,
    /// Edges travelled, in order.
    pub segments: Vec<RouteSegment>,
}

/// A route through two or more waypoints.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Total length in metres.
    pub distance_m: f64,
    /// Total travel time in seconds.
    pub duration_s: f64,
    /// Shape from the first to the last snapped waypoint.
    pub geometry: LineString<f64>,
    /// One leg per pair of consecutive waypoints.
    pub legs: Vec<RouteLeg>,
}

impl Route {
    /// The geometry as an encoded polyline (precision 5 like Google/OSRM default, or 6).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let r = g.route(&[w(24.9384, 60.1699)?, w(24.9500, 60.1750)?])?;
    /// assert!(!r.polyline(5).is_empty());
    /// assert_eq!(r.to_geojson()["type"], "LineString");
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn polyline(&self, precision: u32) -> String {
        let pts: Vec<Point<f64>> = self.geometry.points().collect();
        encode_polyline(&pts, precision)
    }

    /// The geometry as a GeoJSON `LineString` object.
    pub fn to_geojson(&self) -> serde_json::Value {
        let coords: Vec<[f64; 2]> = self.geometry.points().map(|p| [p.x(), p.y()]).collect();
        serde_json::json!({ "type": "LineString", "coordinates": coords })
    }
}

/// What a vehicle may do at an intermediate waypoint (OSRM's `continue_straight`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ViaRule {
    /// The profile decides: leave in the direction of arrival unless U-turns are allowed
    /// anywhere ([`crate::UTurnPolicy::Allowed`]).
    #[default]
    Profile,
    /// Always leave in the direction of arrival (`continue_straight=true`).
    ContinueStraight,
    /// Leave in either direction (`continue_straight=false`): turning around at the stop.
    TurnAround,
}

/// What a filtered route or matrix search avoids, and when it runs: kinds of road it never
/// enters (OSRM's `exclude=`: toll, motorway, ferry) and a departure time at which the graph's kept `*:conditional`
/// rules apply to each road as the vehicle reaches it ([`crate::Graph::route_filtered`],
/// [`crate::Graph::matrix_filtered`]). Either runs the plain turn-aware Dijkstra; the empty
/// filter is the unfiltered search (the contraction hierarchy when there is one).
///
/// ```
/// use kerb_core::{Exclude, SearchFilter};
/// let f = SearchFilter::default()
///     .excluding(&[Exclude::Motorway])
///     .departing_at("2026-12-07T06:30".parse()?);
/// assert!(!f.is_empty());
/// assert!(SearchFilter::default().is_empty());
/// # Ok::<(), kerb_core::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchFilter {
    /// Kinds of road (OSRM's `exclude=` names) never entered after the start.
    pub exclude: Vec<crate::profile::Exclude>,
    /// When the vehicle leaves the first waypoint (each matrix source).
    pub depart_at: Option<crate::profile::DepartureTime>,
}

impl SearchFilter {
    /// The filter also avoiding the kinds of road in `exclude`.
    pub fn excluding(mut self, exclude: &[crate::profile::Exclude]) -> Self {
        self.exclude.extend_from_slice(exclude);
        self
    }

    /// The filter with a departure time.
    pub fn departing_at(mut self, t: crate::profile::DepartureTime) -> Self {
        self.depart_at = Some(t);
        self
    }

    /// Whether the filter changes nothing.
    pub fn is_empty(&self) -> bool {
        self.exclude.is_empty() && self.depart_at.is_none()
    }
}

/// The route with each segment's travel time scaled by its edge's rule at the moment the
/// vehicle enters it (the factor a timed search weighed it by), legs and total summed again.
pub(crate) fn retime(road: &RoadGraph, route: &mut Route, timed: crate::search::Timed<'_>) {
    let mut clock_s = 0.0;
    for leg in &mut route.legs {
        for s in &mut leg.segments {
            if let Some(rule) = timed.rules.rule(s.edge.0) {
                let state = rule.state_at(timed.depart.after_s(clock_s));
                let travel_s = road.duration_s[s.edge.index()] as f64
                    * (s.to_fraction - s.from_fraction).abs();
                s.duration_s += (f64::from(state.factor) - 1.0) * travel_s;
            }
            clock_s += s.duration_s;
        }
        leg.duration_s = leg.segments.iter().map(|s| s.duration_s).sum();
    }
    route.duration_s = route.legs.iter().map(|l| l.duration_s).sum();
}

/// Which search answers a route query.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Algorithm {
    /// The contraction hierarchy when the graph has one, else Dijkstra.
    #[default]
    Auto,
    /// Plain turn-aware Dijkstra (the reference).
    Dijkstra,
    /// The contraction hierarchy, or the customizable one of a graph routing another
    /// profile; [`crate::Error::InvalidInput`] if the graph has neither.
    Ch,
}

/// What every route-like query reads: the road storage, its turn graph and, when the graph
/// is contracted, its hierarchy. The engine hands one out per query.
#[derive(Clone, Copy)]
pub(crate) struct Network<'a> {
    pub road: &'a RoadGraph,
    /// The profile routed (the imported one, or the one a customization is for).
    pub profile: &'a crate::profile::Profile,
    /// The edges into each node (waypoints on a node can be reached by any of them).
    pub in_edges: &'a InEdges,
    pub turns: &'a TurnGraph,
    pub ch: Option<&'a ContractionHierarchy>,
    /// The customization of another profile (then `ch` is `None`); used like `ch`.
    pub cch: Option<&'a crate::cch::Cch>,
    /// Per turn-graph node (directed road edge): never entered by the search (`exclude=`).
    /// Searches with exclusions run on Dijkstra; the hierarchy (`ch`) is then `None`.
    pub excluded: Option<&'a [bool]>,
    /// The conditional rules and departure time of a timed search (Dijkstra on the timed
    /// turn graph, `ch` and `cch` `None`).
    pub timed: Option<crate::search::Timed<'a>>,
}

impl Network<'_> {
    /// What the plain Dijkstras of this network filter.
    pub(crate) fn filter(&self) -> crate::search::Filter<'_> {
        crate::search::Filter {
            excluded: self.excluded,
            timed: self.timed,
        }
    }
}
