//! The engine: [`Graph`] owns a [`RoadGraph`] plus what queries derive from it (snap index,
//! in-edges, turn graph, contraction hierarchy) and delegates every query to its module.
//!
//! The derived data is built on first use and cached here, never in the storage. Per-thread
//! query objects ([`Router`]) own their search workspace; the convenience methods on
//! [`Graph`] lend each thread its own.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use geo::Point;

use crate::accessibility::{self, Aggregation};
use crate::cch::{Cch, CchTopology};
use crate::ch::{self, ContractionHierarchy};
use crate::error::{Error, Result};
use crate::graph::{InEdges, RoadGraph};
use crate::ids::{EdgeId, NodeId};
use crate::isochrone::{self, Isochrone, ReachedEdge};
use crate::matrix::{self, Matrix, TripCost};
use crate::osm::{self, Progress};
use crate::profile::{DrivingSide, Exclude, Profile};
use crate::route::{self, Algorithm, Network, Route, SearchFilter, ViaRule, Waypoint};
use crate::search::{self, Workspace};
use crate::snap::{self, Component, EdgeComponents, Snap, SnapIndex, SnapOptions};
use crate::turn::TurnGraph;
use crate::weights::EdgeWeights;

/// Name of the graph file section holding the hierarchy.
const CH_SECTION: &str = "ch";
/// Name of the graph file section holding the customizable hierarchy's topology.
const CCH_SECTION: &str = "cch";
/// Prefix of the graph file sections holding customizations (metrics) by name.
const METRIC_PREFIX: &str = "cm.";
/// Prefix of the graph file sections holding the profile of a customization (same name):
/// the fingerprint of the profile's turn graph on these roads, then the profile as JSON.
const PROFILE_PREFIX: &str = "cp.";

/// The searches of a graph: its turn graph, its hierarchy when contracted, and the
/// components of its directed edges: the mask of the largest strongly connected component of
/// the turn graph (from each of them every other one is reachable under the turn rules, so
/// snapping can prefer or require them) and OSRM's components (strongly connected with the
/// two directions of a road joined, tiny below [`crate::TINY_COMPONENT_EDGES`]).
#[derive(Debug)]
struct Routing {
    turns: TurnGraph,
    ch: Option<ContractionHierarchy>,
    /// The customization routes run on when the graph routes another profile than the one it
    /// was built for (see [`Graph::with_profile`]); `ch` is then `None`.
    cch: Option<Cch>,
    components: EdgeComponents,
    /// The turn graph of searches with a departure time (`TurnGraph::timed`), built on the
    /// first one.
    timed_turns: OnceLock<TurnGraph>,
    /// The components of `timed_turns`, for snapping with a departure time.
    timed_components: OnceLock<EdgeComponents>,
}

impl Routing {
    fn new(
        road: &RoadGraph,
        turns: TurnGraph,
        ch: Option<ContractionHierarchy>,
        tiny_below: u32,
    ) -> Self {
        let components = components_of(road, &turns, tiny_below);
        Routing {
            turns,
            ch,
            cch: None,
            components,
            timed_turns: OnceLock::new(),
            timed_components: OnceLock::new(),
        }
    }
}

/// The components of the directed edges of `road` under `turns` (see [`Routing`]).
fn components_of(road: &RoadGraph, turns: &TurnGraph, tiny_below: u32) -> EdgeComponents {
    let n = turns.num_nodes();
    let main = search::components(n, turns.turn_pairs()).largest();
    let both_directions = road
        .reverse
        .iter()
        .enumerate()
        .filter(|&(_, &r)| r != crate::ids::NO_EDGE)
        .map(|(e, &r)| (e as u32, r));
    let joined = search::components(n, turns.turn_pairs().chain(both_directions));
    let road_main = search::components(
        road.num_nodes(),
        road.tails()
            .iter()
            .copied()
            .zip(road.heads().iter().copied()),
    )
    .largest();
    let main_road = road
        .tails()
        .iter()
        .zip(road.heads())
        .map(|(&t, &h)| road_main[t as usize] && road_main[h as usize])
        .collect();
    EdgeComponents {
        main,
        id: joined.id,
        size: joined.size,
        tiny_below,
        main_road,
    }
}

/// An immutable road graph for one [`Profile`]; cheap to share between threads.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, Profile};
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// println!("{} nodes, {} edges", g.num_nodes(), g.num_edges());
/// # Ok::<(), kerb_core::Error>(())
/// ```
pub struct Graph {
    /// Shared with the graphs of other profiles on the same roads ([`Graph::with_profile`]),
    /// as are the snap index, the in-edges and the CCH topology.
    road: Arc<RoadGraph>,
    index: Arc<OnceLock<SnapIndex>>,
    in_edges: Arc<OnceLock<InEdges>>,
    routing: OnceLock<Routing>,
    small_component_size: u32,
    cch: Arc<OnceLock<Arc<CchTopology>>>,
    /// The profile routed when it is not the one the roads were imported for.
    profile: Option<Box<Profile>>,
}

/// Which search serves a graph's routes and matrices (see [`Graph::engine`]).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingEngine {
    /// The contraction hierarchy built for the graph's own profile (`kerb build`): the
    /// fastest queries, for the one fixed profile.
    Ch,
    /// A customization of the customizable contraction hierarchy for another profile on the
    /// same roads (`kerb customize`, [`Graph::with_profile`]).
    Cch,
    /// The plain turn-aware Dijkstra (a graph neither contracted nor customized).
    Dijkstra,
}

impl RoutingEngine {
    /// Lower-case name (`ch`, `cch`, `dijkstra`) for logs and reports.
    pub fn name(self) -> &'static str {
        match self {
            RoutingEngine::Ch => "ch",
            RoutingEngine::Cch => "cch",
            RoutingEngine::Dijkstra => "dijkstra",
        }
    }
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("road", &self.road)
            .field("profile", &self.profile().name)
            .field("contracted", &self.routing.get().map(|r| r.ch.is_some()))
            .field("customized", &self.routing.get().map(|r| r.cch.is_some()))
            .finish()
    }
}

/// The storage accessors (`num_nodes`, `edge`, `out_edges`, `partial_points`, ...) of the
/// owned [`RoadGraph`] are available on the engine directly.
impl std::ops::Deref for Graph {
    type Target = RoadGraph;
    fn deref(&self) -> &RoadGraph {
        &self.road
    }
}

impl From<RoadGraph> for Graph {
    fn from(road: RoadGraph) -> Self {
        Graph {
            road: Arc::new(road),
            index: Arc::new(OnceLock::new()),
            in_edges: Arc::new(OnceLock::new()),
            routing: OnceLock::new(),
            small_component_size: snap::TINY_COMPONENT_EDGES,
            cch: Arc::new(OnceLock::new()),
            profile: None,
        }
    }
}

impl Graph {
    /// Imports an OSM PBF file for a profile (see [`GraphBuilder`] for progress reporting).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// assert!(g.num_nodes() > 500 && g.num_edges() > g.num_nodes());
    /// assert!(Graph::from_pbf("data/missing.osm.pbf", &Profile::truck()).is_err());
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn from_pbf(path: impl AsRef<Path>, profile: &Profile) -> Result<Graph> {
        GraphBuilder::new(profile).build_from_pbf(path)
    }

    /// Imports an OSM file in any of the usual formats (`.pbf`, `.osm`, `.osm.gz`; see
    /// [`GraphBuilder::build_from_file`]) for a profile.
    pub fn from_file(path: impl AsRef<Path>, profile: &Profile) -> Result<Graph> {
        GraphBuilder::new(profile).build_from_file(path)
    }

    /// A builder for imports with progress reporting.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use std::sync::{Arc, Mutex};
    /// use kerb_core::{Graph, Profile};
    /// let stages = Arc::new(Mutex::new(Vec::new()));
    /// let seen = Arc::clone(&stages);
    /// let g = Graph::builder(&Profile::car())
    ///     .progress(move |p| seen.lock().unwrap().push(p.stage))
    ///     .contract(true)
    ///     .build_from_pbf("data/helsinki.osm.pbf")?;
    /// assert!(g.is_contracted());
    /// assert!(stages.lock().unwrap().contains(&"contracting"));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn builder(profile: &Profile) -> GraphBuilder {
        GraphBuilder::new(profile)
    }

    /// The road storage: nodes, edges, geometry, names, restrictions and extra sections.
    pub fn road(&self) -> &RoadGraph {
        &self.road
    }

    /// Gives up the engine's caches and returns the road storage.
    pub fn into_road(self) -> RoadGraph {
        Arc::try_unwrap(self.road).unwrap_or_else(|shared| (*shared).clone())
    }

    /// The profile this graph routes: the one it was imported for, or the one given to
    /// [`Graph::with_profile`].
    pub fn profile(&self) -> &Profile {
        self.profile.as_deref().unwrap_or(self.road.profile())
    }

    /// The side this graph's profile drives on along edge `e`: the profile's fixed side, or
    /// with `driving_side: auto` the side looked up for the edge's location at import (see
    /// [`RoadGraph::local_driving_side`]; right for files imported before the lookup).
    pub fn driving_side(&self, e: EdgeId) -> DrivingSide {
        self.profile()
            .turn_costs
            .driving_side
            .resolve(self.road.local_driving_side(e))
    }

    /// Mutable storage (copied first if graphs of other profiles share it).
    fn road_mut(&mut self) -> &mut RoadGraph {
        Arc::make_mut(&mut self.road)
    }

    /// Opens a graph file written by [`Graph::save`].
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let path = std::env::temp_dir().join(format!("kerb-doc-{}.kerb", std::process::id()));
    /// g.save(&path)?;
    /// let back = Graph::open(&path)?; // no import: loads in milliseconds
    /// std::fs::remove_file(&path)?;
    /// assert_eq!(back.num_edges(), g.num_edges());
    /// assert_eq!(back.profile(), g.profile());
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Graph> {
        RoadGraph::open(path).map(Graph::from)
    }

    /// Opens a graph file and checks it was built for the named profile.
    pub fn open_for_profile(path: impl AsRef<Path>, profile: &str) -> Result<Graph> {
        let g = Graph::open(path)?;
        if g.profile().name != profile {
            return Err(Error::ProfileMismatch {
                found: g.profile().name.clone(),
                expected: profile.to_string(),
            });
        }
        Ok(g)
    }

    /// Writes the graph to a versioned binary file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.road.save(path)
    }

    /// Adds or replaces an extra named section; it is written by [`Graph::save`] and read back
    /// by [`Graph::open`]. Names are at most 16 bytes and must not clash with core sections
    /// (which are upper case; use lower case names).
    pub fn set_section(&mut self, name: &str, bytes: Vec<u8>) -> Result<()> {
        self.road_mut().set_section(name, bytes)
    }

    fn snap_index(&self) -> &SnapIndex {
        self.index.get_or_init(|| SnapIndex::build(&self.road))
    }

    fn in_edges(&self) -> &InEdges {
        self.in_edges.get_or_init(|| InEdges::new(&self.road))
    }

    /// The edges into node `n` (as raw edge ids), e.g. for the roads of an intersection.
    pub fn in_edges_of(&self, n: NodeId) -> &[u32] {
        self.in_edges().of(n)
    }

    fn routing(&self) -> &Routing {
        self.routing.get_or_init(|| {
            let turns = TurnGraph::new(&self.road, self.in_edges());
            let ch = self.road.section(CH_SECTION).and_then(|b| {
                let ch = ch::from_section(b, turns.fingerprint(), turns.num_nodes());
                if ch.is_none() {
                    tracing::warn!("ignoring a stale or corrupt contraction hierarchy section");
                }
                ch
            });
            Routing::new(&self.road, turns, ch, self.small_component_size)
        })
    }

    fn network(&self) -> Network<'_> {
        let r = self.routing();
        Network {
            road: &self.road,
            profile: self.profile(),
            in_edges: self.in_edges(),
            turns: &r.turns,
            ch: r.ch.as_ref(),
            cch: r.cch.as_ref(),
            excluded: None,
            timed: None,
        }
    }

    /// Which search serves [`Graph::route`] and [`Graph::matrix`]: the contraction hierarchy
    /// of the imported profile when the graph was contracted (`kerb build`), the CCH
    /// customization when it routes another profile ([`Graph::with_profile`]), else Dijkstra.
    pub fn engine(&self) -> RoutingEngine {
        let r = self.routing();
        if r.ch.is_some() {
            RoutingEngine::Ch
        } else if r.cch.is_some() {
            RoutingEngine::Cch
        } else {
            RoutingEngine::Dijkstra
        }
    }

    /// This map's roads routed for `profile`, sharing the storage, snap index and CCH
    /// topology with `self` (a second profile costs its turn graph and metric, not a copy
    /// of the map).
    ///
    /// * `profile` equal to the imported one: the graph as built (its contraction hierarchy
    ///   when contracted, the fastest for one fixed profile).
    /// * any other profile: a CCH customization, the one stored in the file for an equal
    ///   profile (`kerb customize`, [`Graph::save_profile_customization`]) when it is still
    ///   valid, else customized now (seconds on a city; a stale stored one is ignored with a
    ///   warning). Only weights change (see [`TurnGraph::for_profile`]: speeds by road class,
    ///   turn costs, U-turn rule, classes not routed); access rules need a re-import.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, RoutingEngine, SnapOptions, Waypoint};
    /// let mut car = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// car.contract()?;
    /// let truck = car.with_profile(&Profile::truck())?;
    /// assert_eq!((car.engine(), truck.engine()), (RoutingEngine::Ch, RoutingEngine::Cch));
    /// assert_eq!(truck.profile().name, "truck");
    /// let w = |g: &Graph, lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let trip = [w(&truck, 24.9384, 60.1699)?, w(&truck, 24.9500, 60.1750)?];
    /// assert!(truck.route(&trip)?.duration_s > 0.0);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn with_profile(&self, profile: &Profile) -> Result<Graph> {
        if profile == self.road.profile() {
            profile.validate()?;
            return Ok(self.shared());
        }
        self.customized(profile)
    }

    /// This map's roads routed for `profile` through a CCH customization, even when
    /// `profile` is the imported one (which [`Graph::with_profile`] routes on its own
    /// hierarchy): the stored customization of an equal profile when valid, else customized
    /// now.
    pub fn customized(&self, profile: &Profile) -> Result<Graph> {
        profile.validate()?;
        let turns = self.turn_graph_for(profile);
        let cch = match self.stored_customization(profile, turns.fingerprint()) {
            Some(cch) => cch,
            None => {
                let t = std::time::Instant::now();
                let cch = self.cch_topology().customize(&turns.arcs())?;
                tracing::info!(
                    profile = %profile.name,
                    seconds = t.elapsed().as_secs_f64(),
                    "CCH customized"
                );
                cch
            }
        };
        Ok(self.routed(profile, turns, cch))
    }

    /// This map's roads routed for `profile` on a customization made for it (by
    /// [`Graph::customize`]); [`crate::cch::CchError::StaleMetric`] if `cch` was customized on
    /// another map's topology.
    pub fn with_customization(&self, profile: &Profile, cch: Cch) -> Result<Graph> {
        profile.validate()?;
        let expected = self.cch_topology().checksum();
        if cch.topology().checksum() != expected {
            return Err(crate::cch::CchError::StaleMetric {
                found: cch.topology().checksum(),
                expected,
            }
            .into());
        }
        Ok(self.routed(profile, self.turn_graph_for(profile), cch))
    }

    fn routed(&self, profile: &Profile, turns: TurnGraph, cch: Cch) -> Graph {
        let mut routing = Routing::new(&self.road, turns, None, self.small_component_size);
        routing.cch = Some(cch);
        let mut g = self.shared();
        let _ = g.routing.set(routing);
        g.profile = Some(Box::new(profile.clone()));
        g
    }

    /// A graph of the imported profile sharing this one's storage and caches.
    fn shared(&self) -> Graph {
        Graph {
            road: Arc::clone(&self.road),
            index: Arc::clone(&self.index),
            in_edges: Arc::clone(&self.in_edges),
            routing: OnceLock::new(),
            small_component_size: self.small_component_size,
            cch: Arc::clone(&self.cch),
            profile: None,
        }
    }

    /// The stored customization of a profile equal to `profile` whose turn graph had this
    /// fingerprint, if any is valid.
    fn stored_customization(&self, profile: &Profile, turns_fingerprint: u64) -> Option<Cch> {
        for name in self.customization_names() {
            let Some((fingerprint, stored)) = self.customization_profile_entry(&name) else {
                continue;
            };
            if &stored != profile {
                continue;
            }
            if fingerprint != turns_fingerprint {
                tracing::warn!(
                    "ignoring stale customization '{name}': the profile's weights on these roads changed"
                );
                continue;
            }
            match self.customization(&name) {
                Ok(cch) => return Some(cch),
                Err(e) => tracing::warn!("ignoring customization '{name}': {e}"),
            }
        }
        None
    }

    fn customization_profile_entry(&self, name: &str) -> Option<(u64, Profile)> {
        let b = self.road.section(&format!("{PROFILE_PREFIX}{name}"))?;
        let fingerprint = u64::from_le_bytes(b.get(..8)?.try_into().ok()?);
        let profile = serde_json::from_slice(&b[8..]).ok()?;
        Some((fingerprint, profile))
    }

    /// The profile stored with customization `name` by
    /// [`Graph::save_profile_customization`] (an error if there is none or it is damaged).
    pub fn customization_profile(&self, name: &str) -> Result<Profile> {
        self.customization_profile_entry(name)
            .map(|(_, p)| p)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "no valid profile stored for customization '{name}'"
                ))
            })
    }

    /// Stores the customization a graph from [`Graph::customized`] (or
    /// [`Graph::with_profile`]) routes on under `name`, with its profile, so that
    /// [`Graph::with_profile`] of an equal profile on the reopened file loads it instead of
    /// customizing. An error if `customized` routes on no customization or one of another map.
    pub fn save_profile_customization(&mut self, name: &str, customized: &Graph) -> Result<()> {
        let routing = customized.routing();
        let cch = routing.cch.as_ref().ok_or_else(|| {
            Error::InvalidInput(format!(
                "profile '{}' routes on the imported profile's own search, not a customization",
                customized.profile().name
            ))
        })?;
        self.save_customization(name, cch)?;
        let mut bytes = routing.turns.fingerprint().to_le_bytes().to_vec();
        bytes.extend(
            serde_json::to_vec(customized.profile()).map_err(|e| {
                Error::InvalidInput(format!("profile '{name}' cannot be stored: {e}"))
            })?,
        );
        self.road_mut()
            .set_section(&format!("{PROFILE_PREFIX}{name}"), bytes)
    }

    /// Per directed edge: true when it is of a kind in `exclude` (its road class, or a toll
    /// road for the graph's vehicle); per node of the turn graph (copies of via
    /// edges take their edge's flag).
    fn excluded_edges(&self, exclude: &[Exclude]) -> Vec<bool> {
        let mut mask = vec![false; self.road.num_edges()];
        for e in self.road.edges() {
            let toll = self.road.edge_access(e.id).toll;
            mask[e.id.index()] = exclude.iter().any(|x| x.covers(e.road_class, toll));
        }
        self.turn_graph().node_mask(&mask)
    }

    /// [`Graph::route`] avoiding the kinds of road in `exclude` (OSRM's `exclude=motorway`,
    /// `toll`, `ferry`): [`Graph::route_filtered`] with only an exclusion. The edges the
    /// waypoints are snapped to are the route's ends whatever their kind; snap away from
    /// excluded roads to avoid them there. (A profile's own [`Profile::exclude`] closes them in
    /// every search instead.)
    pub fn route_excluding(&self, waypoints: &[Waypoint], exclude: &[Exclude]) -> Result<Route> {
        self.route_filtered(
            waypoints,
            ViaRule::Profile,
            &SearchFilter::default().excluding(exclude),
        )
    }

    /// [`Graph::matrix`] avoiding the kinds of road in `exclude`: [`Graph::matrix_filtered`]
    /// with only an exclusion.
    pub fn matrix_excluding(
        &self,
        sources: &[Waypoint],
        destinations: &[Waypoint],
        exclude: &[Exclude],
    ) -> Result<Matrix> {
        self.matrix_filtered(
            sources,
            destinations,
            &SearchFilter::default().excluding(exclude),
        )
    }

    /// The network of a filtered search, with the exclusion mask it borrows: the plain
    /// Dijkstra (the hierarchy was built without the filter), on the timed turn graph with
    /// the graph's conditional rules when the filter has a departure time and the graph kept
    /// rules. `None` when the filter changes nothing (the caller runs the unfiltered search).
    fn filtered_network<'a>(
        &'a self,
        filter: &SearchFilter,
        mask: &'a mut Option<Vec<bool>>,
    ) -> Result<Option<Network<'a>>> {
        let rules = self.road.conditional.as_ref();
        let timed = match (filter.depart_at, rules) {
            (Some(depart), Some(rules)) => {
                if self.profile.is_some() {
                    return Err(Error::InvalidInput(format!(
                        "departure times need the graph imported for profile '{}': its conditional rules were evaluated for the vehicle of '{}'",
                        self.profile().name,
                        self.road.profile().name
                    )));
                }
                Some(search::Timed { rules, depart })
            }
            _ => None,
        };
        if filter.exclude.is_empty() && timed.is_none() {
            return Ok(None);
        }
        if !filter.exclude.is_empty() {
            *mask = Some(self.excluded_edges(&filter.exclude));
        }
        let turns = match timed {
            Some(_) => {
                let r = self.routing();
                r.timed_turns
                    .get_or_init(|| TurnGraph::timed(&self.road, self.in_edges()))
            }
            None => &self.routing().turns,
        };
        Ok(Some(Network {
            turns,
            ch: None,
            cch: None,
            excluded: mask.as_deref(),
            timed,
            ..self.network()
        }))
    }

    /// The fastest route through the waypoints under a [`SearchFilter`]: the plain
    /// turn-aware Dijkstra never enters an excluded class after the start (the edges the
    /// waypoints are snapped to are the route's ends whatever their class; snap away from
    /// excluded roads to avoid them there) and, with a departure time, judges each road by
    /// its conditional rules at the moment the vehicle reaches it (closed ones skipped,
    /// `maxspeed:conditional` applied; segment and leg durations follow). The empty filter
    /// (or a departure time on a graph without kept rules) is [`Graph::route_via`].
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SearchFilter, SnapOptions, ViaRule, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let trip = [w(24.9384, 60.1699)?, w(24.9500, 60.1750)?];
    /// let monday = SearchFilter::default().departing_at("2026-12-07T06:30".parse()?);
    /// let r = g.route_filtered(&trip, ViaRule::Profile, &monday)?;
    /// assert!(r.duration_s > 0.0);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn route_filtered(
        &self,
        waypoints: &[Waypoint],
        via: ViaRule,
        filter: &SearchFilter,
    ) -> Result<Route> {
        let mut mask = None;
        let Some(net) = self.filtered_network(filter, &mut mask)? else {
            return self.route_via(waypoints, via);
        };
        let mut route = search::with_thread_workspace(|ws| {
            route::route_with(net, ws, waypoints, Algorithm::Dijkstra, via)
        })?;
        if let Some(timed) = net.timed {
            route::retime(&self.road, &mut route, timed);
        }
        Ok(route)
    }

    /// [`Graph::matrix`] under a [`SearchFilter`], as [`Graph::route_filtered`]: one
    /// Dijkstra per source, each leaving at the filter's departure time.
    pub fn matrix_filtered(
        &self,
        sources: &[Waypoint],
        destinations: &[Waypoint],
        filter: &SearchFilter,
    ) -> Result<Matrix> {
        let mut mask = None;
        match self.filtered_network(filter, &mut mask)? {
            Some(net) => matrix::matrix(net, sources, destinations),
            None => self.matrix(sources, destinations),
        }
    }

    /// Custom edge weights for [`Graph::matrix_weighted`], [`Graph::route_weighted`],
    /// [`Graph::aggregate`] and [`Graph::nearest_pois`]: one cost per directed edge (indexed
    /// by [`EdgeId`]) in any unit, `f64::INFINITY` to close an edge; see
    /// [`crate::weights`] for what the searches then do.
    pub fn weights(&self, weights: &[f64]) -> Result<EdgeWeights> {
        EdgeWeights::new(self.turn_graph(), weights)
    }

    /// The network searched under custom weights (plain Dijkstra, no hierarchy).
    fn weighted_network<'a>(&'a self, weights: &'a EdgeWeights) -> Result<Network<'a>> {
        if weights.len() != self.road.num_edges() {
            return Err(Error::InvalidInput(format!(
                "the weights are for a graph of {} edges, this one has {}",
                weights.len(),
                self.road.num_edges()
            )));
        }
        Ok(Network {
            turns: &weights.turns,
            ch: None,
            excluded: None,
            timed: None,
            ..self.network()
        })
    }

    /// The cheapest cost under custom weights from every source to every destination: the
    /// result's `durations_s` holds the cost in the weights' unit, `distances_m` the length
    /// of the cheapest path (one Dijkstra per source, on all cores).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let o = SnapOptions::default();
    /// let w = |x, y| -> kerb_core::Result<Waypoint> { Ok(Waypoint::new(g.snap(Point::new(x, y), &o)?)) };
    /// let pts = [w(24.9384, 60.1699)?, w(24.9500, 60.1750)?];
    /// let lengths: Vec<f64> = g.edges().map(|e| e.distance_m).collect();
    /// let shortest = g.matrix_weighted(&pts, &pts, &g.weights(&lengths)?)?;
    /// let fastest = g.matrix(&pts, &pts)?;
    /// assert!(shortest.duration_s(0, 1) <= fastest.distance_m(0, 1) + 1.0);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn matrix_weighted(
        &self,
        sources: &[Waypoint],
        destinations: &[Waypoint],
        weights: &EdgeWeights,
    ) -> Result<Matrix> {
        matrix::matrix(self.weighted_network(weights)?, sources, destinations)
    }

    /// The cheapest route under custom weights through the waypoints: the route (its
    /// `duration_s` and segment durations are the roads' travel times, without turn
    /// penalties) and its cost in the weights' unit.
    pub fn route_weighted(
        &self,
        waypoints: &[Waypoint],
        weights: &EdgeWeights,
    ) -> Result<(Route, f64)> {
        let net = self.weighted_network(weights)?;
        let mut route = search::with_thread_workspace(|ws| {
            route::route_with(net, ws, waypoints, Algorithm::Dijkstra, ViaRule::Profile)
        })?;
        let cost = route.duration_s;
        for leg in &mut route.legs {
            for s in &mut leg.segments {
                s.duration_s =
                    (s.to_fraction - s.from_fraction).abs() * self.road.edge(s.edge).duration_s;
            }
            leg.duration_s = leg.segments.iter().map(|s| s.duration_s).sum();
        }
        route.duration_s = route.legs.iter().map(|l| l.duration_s).sum();
        Ok((route, cost))
    }

    /// For each origin, `how` of `values[i]` over the `points` reachable within `within`
    /// (seconds, or the unit of `weights` when given), pandana's `aggregate`; see
    /// the `accessibility` module. Points are snaps (e.g. of bins, shops, homes); one bounded
    /// search per origin, on all cores.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Aggregation, Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let o = SnapOptions::default();
    /// let depot = Waypoint::new(g.snap(Point::new(24.9384, 60.1699), &o)?);
    /// // Two bins: the one-way streets put them 5.3 and 6.8 minutes from the depot.
    /// let bins = [g.snap(Point::new(24.9390, 60.1702), &o)?, g.snap(Point::new(24.9500, 60.1750), &o)?];
    /// let n = g.aggregate(&[depot], &bins, &[1.0, 1.0], 360.0, Aggregation::Count, None)?;
    /// assert_eq!(n, vec![1.0]);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn aggregate(
        &self,
        origins: &[Waypoint],
        points: &[Snap],
        values: &[f64],
        within: f64,
        how: Aggregation,
        weights: Option<&EdgeWeights>,
    ) -> Result<Vec<f64>> {
        let net = match weights {
            Some(w) => self.weighted_network(w)?,
            None => self.network(),
        };
        accessibility::aggregate(net, origins, points, values, within, how)
    }

    /// For each origin, the `k` points of interest reached first within `max` (seconds, or
    /// the unit of `weights`): `(index into pois, time)`, nearest first; fewer when fewer
    /// are in reach (pandana's `nearest_pois`).
    pub fn nearest_pois(
        &self,
        origins: &[Waypoint],
        pois: &[Snap],
        k: usize,
        max: f64,
        weights: Option<&EdgeWeights>,
    ) -> Result<Vec<Vec<(usize, f64)>>> {
        let net = match weights {
            Some(w) => self.weighted_network(w)?,
            None => self.network(),
        };
        accessibility::nearest_pois(net, origins, pois, k, max)
    }

    /// Builds the spatial index now instead of on the first query (e.g. before serving).
    pub fn prepare_index(&self) {
        self.snap_index();
    }

    /// Snaps a coordinate to the nearest road within `opts.radius_m`.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let s = g.snap(Point::new(24.9414, 60.1699), &SnapOptions::default())?;
    /// println!("{} m from {}", s.distance_m, s.name);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn snap(&self, p: Point<f64>, opts: &SnapOptions) -> Result<Snap> {
        snap::snap(
            &self.road,
            self.snap_index(),
            &self.routing().components,
            p,
            opts,
        )
    }

    /// Snaps as [`Graph::snap`] for a search under `filter`: with a departure time (on a
    /// graph that kept conditional rules) the components are those of the network such
    /// searches run on, where the roads only a rule opens (a pedestrian street open for
    /// deliveries 06:00-11:00) join the roads around them, so that `MainNetwork` and
    /// `PreferMain` snapping can land on them; whether the road is open at that time is the
    /// search's question. Without one, [`Graph::snap`].
    pub fn snap_filtered(
        &self,
        p: Point<f64>,
        opts: &SnapOptions,
        filter: &SearchFilter,
    ) -> Result<Snap> {
        if filter.depart_at.is_none() || self.road.conditional.is_none() {
            return self.snap(p, opts);
        }
        let r = self.routing();
        let turns = r
            .timed_turns
            .get_or_init(|| TurnGraph::timed(&self.road, self.in_edges()));
        let components = r
            .timed_components
            .get_or_init(|| components_of(&self.road, turns, self.small_component_size));
        snap::snap(&self.road, self.snap_index(), components, p, opts)
    }

    /// Components with fewer directed edges than `n` count as tiny (OSRM's
    /// `--small-component-size`, default [`crate::TINY_COMPONENT_EDGES`]): a route or table
    /// waypoint whose nearest road lies in a tiny component also gets the nearest road of a
    /// bigger one (see [`Component`]).
    pub fn set_small_component_size(&mut self, n: u32) {
        self.small_component_size = n;
        if let Some(r) = self.routing.get_mut() {
            r.components.tiny_below = n;
        }
    }

    /// The connected component of a directed edge: its id, whether it is tiny (OSRM's small
    /// components) and whether it is in the main component, where every edge reaches every
    /// other under the turn rules.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapComponents, SnapOptions};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let o = SnapOptions::default().with_components(SnapComponents::MainNetwork);
    /// let s = g.snap(Point::new(24.9414, 60.1699), &o)?;
    /// let c = g.component(s.edge)?;
    /// assert!(c.main && !c.tiny);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn component(&self, edge: EdgeId) -> Result<Component> {
        if edge.index() >= self.road.num_edges() {
            return Err(Error::InvalidInput(format!(
                "edge {} is not in this graph",
                edge.0
            )));
        }
        Ok(self.routing().components.of(&self.road, edge.0))
    }

    /// The `k` nearest distinct roads (edge geometries) to a coordinate, nearest first, with no
    /// radius limit (like OSRM's `nearest` service).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let near = g.nearest(Point::new(24.9414, 60.1699), 3)?;
    /// assert_eq!(near.len(), 3);
    /// assert!(near[0].distance_m <= near[2].distance_m);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn nearest(&self, p: Point<f64>, k: usize) -> Result<Vec<Snap>> {
        let unlimited = SnapOptions::default().with_radius_m(f64::INFINITY);
        let comps = &self.routing().components;
        snap::nearest(&self.road, self.snap_index(), comps, p, k, &unlimited)
    }

    /// The `k` nearest distinct roads within `opts.radius_m` whose direction of travel
    /// matches `opts.bearing` (OSRM's `nearest` with `radiuses` and `bearings`), nearest
    /// first; in any component unless `opts.components` is `NotTiny` or `MainNetwork`.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let east = SnapOptions::default().with_bearing(90.0, 45.0);
    /// let near = g.nearest_with(Point::new(24.9414, 60.1699), 2, &east)?;
    /// assert!(!near.is_empty() && near.len() <= 2);
    /// assert!(near.iter().all(|s| s.distance_m <= 1000.0));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn nearest_with(&self, p: Point<f64>, k: usize, opts: &SnapOptions) -> Result<Vec<Snap>> {
        let comps = &self.routing().components;
        snap::nearest(&self.road, self.snap_index(), comps, p, k, opts)
    }

    /// The turn-aware edge-based graph all searches run on.
    pub fn turn_graph(&self) -> &TurnGraph {
        &self.routing().turns
    }

    /// Whether routes and matrices use a contraction hierarchy.
    pub fn is_contracted(&self) -> bool {
        self.routing().ch.is_some()
    }

    /// Builds the contraction hierarchy of the turn-aware graph; it is stored by
    /// [`Graph::save`] and used by [`Graph::route`] and [`Graph::matrix`] from then on.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let mut g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |g: &Graph, lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let trip = [w(&g, 24.9384, 60.1699)?, w(&g, 24.9500, 60.1750)?];
    /// let before = g.route(&trip)?.duration_s;
    /// g.contract()?;
    /// assert!(g.is_contracted());
    /// assert_eq!(g.route(&trip)?.duration_s, before); // same answer, faster
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn contract(&mut self) -> Result<()> {
        self.contract_with_progress(|_, _| {})
    }

    /// Like [`Graph::contract`], calling `progress(done, total)` as nodes are contracted.
    pub fn contract_with_progress(&mut self, progress: impl FnMut(usize, usize)) -> Result<()> {
        if self.profile.is_some() {
            return Err(Error::InvalidInput(format!(
                "a hierarchy is built for the imported profile '{}'; '{}' routes on a customization",
                self.road.profile().name,
                self.profile().name
            )));
        }
        let turns = TurnGraph::new(&self.road, self.in_edges());
        let t = std::time::Instant::now();
        let ch =
            ContractionHierarchy::build_with_progress(turns.num_nodes(), &turns.arcs(), progress);
        tracing::info!(
            nodes = turns.num_nodes(),
            turns = turns.num_turns(),
            ch_arcs = ch.num_arcs(),
            seconds = t.elapsed().as_secs_f64(),
            "contracted"
        );
        self.road_mut()
            .set_section(CH_SECTION, ch::to_section(&ch, turns.fingerprint()))?;
        self.routing = OnceLock::new();
        let routing = Routing::new(&self.road, turns, Some(ch), self.small_component_size);
        let _ = self.routing.set(routing);
        Ok(())
    }

    /// The metric-independent topology of the customizable contraction hierarchy (CCH) over
    /// every possible turn of this road graph: read from the graph file's `cch` section when
    /// it was built for these roads, else built now (nested dissection, seconds on a city) and
    /// kept for the life of the graph. A stale or corrupt section is ignored with a warning.
    pub fn cch_topology(&self) -> Arc<CchTopology> {
        Arc::clone(self.cch.get_or_init(|| {
            let fingerprint = TurnGraph::possible_turns_fingerprint(&self.road);
            if let Some(b) = self.road.section(CCH_SECTION) {
                match CchTopology::from_bytes(b, fingerprint) {
                    Ok(t) => return Arc::new(t),
                    Err(e) => tracing::warn!("ignoring the graph file's CCH topology: {e}"),
                }
            }
            let t = std::time::Instant::now();
            let topology = CchTopology::build(
                TurnGraph::possible_nodes(&self.road),
                &TurnGraph::possible_turns(&self.road),
                &TurnGraph::positions(&self.road),
                fingerprint,
            );
            tracing::info!(
                nodes = topology.num_nodes(),
                arcs = topology.num_arcs(),
                seconds = t.elapsed().as_secs_f64(),
                "CCH topology built"
            );
            Arc::new(topology)
        }))
    }

    /// Builds (or loads) the CCH topology and stores it in the `cch` section, so that
    /// [`Graph::save`] writes it and every later [`Graph::customize`] of the file skips it.
    pub fn prepare_cch(&mut self) -> Result<()> {
        let bytes = self.cch_topology().to_bytes();
        self.road_mut().set_section(CCH_SECTION, bytes)
    }

    /// The edge-based graph of this map with another profile's weights (see
    /// [`TurnGraph::for_profile`]): what [`Graph::customize`] customizes.
    pub fn turn_graph_for(&self, profile: &Profile) -> TurnGraph {
        TurnGraph::for_profile(&self.road, self.in_edges(), profile)
    }

    /// Customizes the CCH for a profile's weights on this map's roads (basic + perfect
    /// customization on rayon): a new vehicle or speed set costs this, not an import. Only
    /// weights change (speeds by road class, turn costs, U-turn rule; see
    /// [`TurnGraph::for_profile`] for what needs a re-import). The result answers queries on
    /// the edge-based graph: node `e` is directed road edge `e`.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{ch::Seed, Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let truck = g.customize(&Profile::truck())?;
    /// let mut ws = truck.workspace();
    /// let r = truck.query(&mut ws, &[Seed::node(0)], &[Seed::node(40)]);
    /// println!("{:?} ms", r.map(|r| r.weight));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn customize(&self, profile: &Profile) -> Result<Cch> {
        profile.validate()?;
        let turns = self.turn_graph_for(profile);
        Ok(self.cch_topology().customize(&turns.arcs())?)
    }

    /// Stores a customization under `name` (at most 13 bytes, lower case) in a `cm.<name>`
    /// section, written by [`Graph::save`]; the topology goes with it (`cch` section).
    pub fn save_customization(&mut self, name: &str, cch: &Cch) -> Result<()> {
        if cch.topology().checksum() != self.cch_topology().checksum() {
            return Err(crate::cch::CchError::StaleMetric {
                found: cch.topology().checksum(),
                expected: self.cch_topology().checksum(),
            }
            .into());
        }
        self.prepare_cch()?;
        self.road_mut()
            .set_section(&format!("{METRIC_PREFIX}{name}"), cch.metric_bytes())
    }

    /// The customization stored under `name` by [`Graph::save_customization`]; a stale one
    /// (customized before the map changed) or a damaged one is an [`Error::Cch`].
    pub fn customization(&self, name: &str) -> Result<Cch> {
        let bytes = self
            .road
            .section(&format!("{METRIC_PREFIX}{name}"))
            .ok_or_else(|| Error::InvalidInput(format!("no customization named '{name}'")))?;
        Ok(Cch::from_metric_bytes(self.cch_topology(), bytes)?)
    }

    /// Names of the customizations stored in the graph file.
    pub fn customization_names(&self) -> Vec<String> {
        self.road
            .section_names()
            .filter_map(|n| n.strip_prefix(METRIC_PREFIX).map(str::to_string))
            .collect()
    }

    /// A query object for this graph that owns its search workspace (keep one per thread
    /// and reuse it: queries then allocate no search arrays).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let trip = [w(24.9384, 60.1699)?, w(24.9500, 60.1750)?];
    /// let mut router = g.router();
    /// assert_eq!(router.route(&trip)?.duration_s, g.route(&trip)?.duration_s);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn router(&self) -> Router<'_> {
        Router {
            graph: self,
            workspace: Workspace::default(),
        }
    }

    /// Fastest route through the waypoints, in order, obeying turn restrictions, the profile's
    /// U-turn policy and turn penalties (each segment's duration includes the penalty of the
    /// turn onto it). Uses the contraction hierarchy when present (see [`Graph::contract`]).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let a = g.snap(Point::new(24.9384, 60.1699), &SnapOptions::default())?;
    /// let b = g.snap(Point::new(24.9500, 60.1750), &SnapOptions::default())?;
    /// let r = g.route(&[Waypoint::new(a), Waypoint::new(b)])?;
    /// println!("{:.0} m, {:.0} s, {}", r.distance_m, r.duration_s, r.polyline(5));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn route(&self, waypoints: &[Waypoint]) -> Result<Route> {
        self.route_with(waypoints, Algorithm::Auto)
    }

    /// Fastest route through the waypoints with a chosen search (see [`Algorithm`]); all
    /// searches obey the same turn rules and return equally fast routes.
    pub fn route_with(&self, waypoints: &[Waypoint], algorithm: Algorithm) -> Result<Route> {
        let net = self.network();
        search::with_thread_workspace(|ws| {
            route::route_with(net, ws, waypoints, algorithm, ViaRule::Profile)
        })
    }

    /// Fastest route through the waypoints with a rule for the intermediate ones (OSRM's
    /// `continue_straight`: [`ViaRule::ContinueStraight`] leaves each in the direction it
    /// was reached, [`ViaRule::TurnAround`] may turn around there).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, ViaRule, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let w = |lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let trip = [w(24.9384, 60.1699)?, w(24.9450, 60.1720)?, w(24.9384, 60.1699)?];
    /// let straight = g.route_via(&trip, ViaRule::ContinueStraight)?;
    /// let around = g.route_via(&trip, ViaRule::TurnAround)?;
    /// assert!(around.duration_s <= straight.duration_s + 1e-9);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn route_via(&self, waypoints: &[Waypoint], via: ViaRule) -> Result<Route> {
        let net = self.network();
        search::with_thread_workspace(|ws| {
            route::route_with(net, ws, waypoints, Algorithm::Auto, via)
        })
    }

    /// The fastest route between two waypoints, then up to `alternatives` other plausible
    /// routes, faster first (OSRM's `alternatives=N`): each at most 25 % slower than the best
    /// and with at most 75 % of its length on roads of the routes before it, found by the
    /// penalty method on the turn graph (see `route/alternatives.rs`). With more than two
    /// waypoints there are no alternatives (as in OSRM): the answer is the best route alone.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let w = |lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let routes = g.route_alternatives(&[w(24.9384, 60.1699)?, w(24.9500, 60.1750)?], 2)?;
    /// assert!(!routes.is_empty() && routes.len() <= 3);
    /// assert!(routes.iter().all(|r| r.duration_s >= routes[0].duration_s - 1e-6));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn route_alternatives(
        &self,
        waypoints: &[Waypoint],
        alternatives: usize,
    ) -> Result<Vec<Route>> {
        let best = self.route(waypoints)?;
        if waypoints.len() != 2 || alternatives == 0 {
            return Ok(vec![best]);
        }
        let net = self.network();
        let alts = search::with_thread_workspace(|ws| {
            route::alternative_legs(
                net,
                ws,
                &waypoints[0],
                &waypoints[1],
                &best.legs[0].segments,
                alternatives,
            )
        });
        let mut out = vec![best];
        out.extend(
            alts.into_iter()
                .map(|segs| route::assemble_legs(&self.road, vec![segs])),
        );
        Ok(out)
    }

    /// Fastest route through the waypoints by the plain turn-aware Dijkstra (no contraction
    /// hierarchy); same rules and result as [`Graph::route`], kept as the reference search.
    pub fn route_with_restrictions(&self, waypoints: &[Waypoint]) -> Result<Route> {
        self.route_with(waypoints, Algorithm::Dijkstra)
    }

    /// Duration of the fastest path between two positions (`None` if unreachable), without
    /// building the route.
    pub fn duration_between(&self, from: &Waypoint, to: &Waypoint) -> Option<f64> {
        let net = self.network();
        search::with_thread_workspace(|ws| route::turn_leg(net, ws, from, to, Algorithm::Auto))
            .map(|segs| segs.iter().map(|s| s.duration_s).sum())
    }

    /// Node-to-node fastest travel time by plain Dijkstra (used by tests and tools).
    pub fn node_duration(&self, from: NodeId, to: NodeId) -> Option<f64> {
        search::node_duration(&self.road, from, to)
    }

    /// Durations and distances from every source to every destination (snapped positions,
    /// approaches respected).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let o = SnapOptions::default();
    /// let pts = [Point::new(24.9384, 60.1699), Point::new(24.9500, 60.1750)];
    /// let wps: Vec<Waypoint> = pts.iter().map(|&p| Ok(Waypoint::new(g.snap(p, &o)?))).collect::<kerb_core::Result<_>>()?;
    /// let m = g.matrix(&wps, &wps)?;
    /// println!("{} s", m.duration_s(0, 1));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn matrix(&self, sources: &[Waypoint], destinations: &[Waypoint]) -> Result<Matrix> {
        matrix::matrix(self.network(), sources, destinations)
    }

    /// Durations and distances of independent trips `sources[i] -> destinations[i]`
    /// (one-to-one, like pandana's `shortest_path_lengths`), computed in parallel; each equals
    /// the duration and distance of [`Graph::route`] between the two waypoints.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |x, y| -> kerb_core::Result<Waypoint> {
    ///     Ok(Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default())?))
    /// };
    /// let from = [w(24.9384, 60.1699)?, w(24.9500, 60.1750)?];
    /// let to = [w(24.9500, 60.1750)?, w(24.9384, 60.1699)?];
    /// for c in g.pairwise(&from, &to)? {
    ///     println!("{:.0} s, {:.0} m", c.duration_s, c.distance_m);
    /// }
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn pairwise(
        &self,
        sources: &[Waypoint],
        destinations: &[Waypoint],
    ) -> Result<Vec<TripCost>> {
        matrix::pairwise(self.network(), sources, destinations)
    }

    /// Durations and distances between nodes (leaving a node by any edge, arriving by any
    /// edge; no turn penalty at the start or end node).
    pub fn matrix_nodes(&self, sources: &[NodeId], destinations: &[NodeId]) -> Result<Matrix> {
        matrix::matrix_nodes(self.network(), self.in_edges(), sources, destinations)
    }

    /// Every piece of road reachable from `origin` within `max_s` seconds, in the direction of
    /// travel (a two-way street appears once per reached direction). Destination-only roads
    /// are reached as destinations (in their travel time), never driven through to what lies
    /// beyond them, as routes and matrices do.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let depot = Waypoint::new(g.snap(Point::new(24.9384, 60.1699), &SnapOptions::default())?);
    /// let reached = g.reachable(&depot, 600.0)?;
    /// println!("{} road pieces within 10 minutes", reached.len());
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn reachable(&self, origin: &Waypoint, max_s: f64) -> Result<Vec<ReachedEdge>> {
        isochrone::reachable(&self.road, self.turn_graph(), origin, max_s)
    }

    /// Isochrones around `origin`: one polygon per time limit (seconds), from a single search
    /// to the largest limit. Limits are returned in the order given.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let depot = Waypoint::new(g.snap(Point::new(24.9384, 60.1699), &SnapOptions::default())?);
    /// for iso in g.isochrones(&depot, &[300.0, 600.0])? {
    ///     println!("{:.0} s: {:.2} km2, {:.1} km of road", iso.limit_s, iso.area_km2, iso.road_km);
    /// }
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn isochrones(&self, origin: &Waypoint, limits_s: &[f64]) -> Result<Vec<Isochrone>> {
        isochrone::isochrones(&self.road, self.turn_graph(), origin, limits_s)
    }
}

/// Route queries on one [`Graph`] with their own search workspace, as fast_paths'
/// `PathCalculator`: make one per thread with [`Graph::router`] and reuse it.
pub struct Router<'g> {
    graph: &'g Graph,
    workspace: Workspace,
}

impl std::fmt::Debug for Router<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("graph", self.graph)
            .field("workspace", &self.workspace)
            .finish()
    }
}

impl Router<'_> {
    /// Fastest route through the waypoints, as [`Graph::route`].
    pub fn route(&mut self, waypoints: &[Waypoint]) -> Result<Route> {
        self.route_with(waypoints, Algorithm::Auto)
    }

    /// Fastest route with a chosen search, as [`Graph::route_with`].
    pub fn route_with(&mut self, waypoints: &[Waypoint], algorithm: Algorithm) -> Result<Route> {
        route::route_with(
            self.graph.network(),
            &mut self.workspace,
            waypoints,
            algorithm,
            ViaRule::Profile,
        )
    }

    /// Duration of the fastest path between two positions, as [`Graph::duration_between`].
    pub fn duration_between(&mut self, from: &Waypoint, to: &Waypoint) -> Option<f64> {
        let net = self.graph.network();
        route::turn_leg(net, &mut self.workspace, from, to, Algorithm::Auto)
            .map(|segs| segs.iter().map(|s| s.duration_s).sum())
    }
}

/// Builder for imports: `Graph::builder(&profile).progress(|p| ..).build_from_pbf(path)`.
pub struct GraphBuilder {
    profile: Profile,
    progress: Option<Box<dyn Fn(Progress) + Send + Sync>>,
    contract: bool,
    keep_conditional: bool,
}

impl std::fmt::Debug for GraphBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphBuilder")
            .field("profile", &self.profile.name)
            .field("contract", &self.contract)
            .finish()
    }
}

impl GraphBuilder {
    /// A builder for this profile.
    pub fn new(profile: &Profile) -> Self {
        GraphBuilder {
            profile: profile.clone(),
            progress: None,
            contract: false,
            keep_conditional: true,
        }
    }

    /// Whether the graph keeps the `*:conditional` rules for searches with a departure time
    /// (on by default; a profile with a fixed [`Profile::access_at`] keeps none either way).
    /// Off, the import ignores them as kerb did before it kept them: no `CONDITIONAL` section,
    /// no edges only a rule opens.
    pub fn keep_conditional(mut self, yes: bool) -> Self {
        self.keep_conditional = yes;
        self
    }

    /// Calls `cb` as the import advances.
    pub fn progress(mut self, cb: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Box::new(cb));
        self
    }

    /// Also builds the turn-aware contraction hierarchy (see [`Graph::contract`]) so that
    /// routes and matrices are fast; off by default, `kerb build` turns it on. Progress is
    /// reported as stage "contracting".
    pub fn contract(mut self, yes: bool) -> Self {
        self.contract = yes;
        self
    }

    /// Imports the PBF file (and contracts it if asked to). The profile is checked first
    /// ([`Profile::validate`]): an invalid custom profile is an error, not a strange graph.
    pub fn build_from_pbf(self, path: impl AsRef<Path>) -> Result<Graph> {
        self.profile.validate()?;
        let report = |stage, fraction| self.report(stage, fraction);
        let mut g = Graph::from(osm::import(
            path.as_ref(),
            &self.profile,
            self.keep_conditional,
            &report,
        )?);
        if self.contract {
            g.contract_with_progress(|done, total| {
                self.report("contracting", done as f64 / total.max(1) as f64)
            })?;
        }
        Ok(g)
    }

    /// Imports an OSM file of any of the usual formats (and contracts it if asked to): PBF
    /// (`.pbf`), OSM XML (`.osm`, `.xml`) or gzip-compressed OSM XML (`.osm.gz`); a file
    /// with another name is recognised by its first bytes. OSM XML is read into memory
    /// ([`crate::osm_data::read_xml_file`]) and imported through a temporary PBF file, so
    /// both formats give the same graph.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Profile};
    /// let g = Graph::builder(&Profile::car()).build_from_file("data/helsinki.osm.pbf")?;
    /// assert!(g.num_edges() > 1000);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn build_from_file(self, path: impl AsRef<Path>) -> Result<Graph> {
        let path = path.as_ref();
        if !is_osm_xml(path)? {
            return self.build_from_pbf(path);
        }
        self.profile.validate()?;
        self.report("reading OSM XML", 0.0);
        let data = crate::osm_data::read_xml_file(path)?;
        let pbf = TempFile::new("osm.pbf");
        std::fs::write(&pbf.0, crate::osm_data::encode(&data))?;
        drop(data);
        self.build_from_pbf(&pbf.0)
    }

    fn report(&self, stage: &'static str, fraction: f64) {
        if let Some(cb) = &self.progress {
            cb(Progress {
                stage,
                fraction: fraction.clamp(0.0, 1.0),
            });
        }
    }
}

/// Whether `path` holds OSM XML (plain or gzip-compressed) rather than PBF: by its name
/// (`.pbf`; `.osm`, `.xml`, `.gz`), else by its first bytes (gzip magic or `<`).
fn is_osm_xml(path: &Path) -> Result<bool> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".pbf") {
        return Ok(false);
    }
    if [".osm", ".xml", ".osm.gz", ".xml.gz"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return Ok(true);
    }
    let mut head = [0u8; 64];
    let n = std::io::Read::read(&mut std::fs::File::open(path)?, &mut head)?;
    let head = &head[..n];
    Ok(head.starts_with(&[0x1f, 0x8b])
        || head
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'<'))
}

/// A file in the system's temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(suffix: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        TempFile(std::env::temp_dir().join(format!("kerb-{}-{n}.{suffix}", std::process::id())))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
