//! Road storage: compact CSR arrays over directed edges with `u32` ids, and their accessors.
//! No caches and no algorithms; `codec` reads and writes it, everything else reads it.
//!
//! Layout (all `Vec`s indexed by id):
//! - nodes: `coords[n]` = (lon, lat) in 1e-7 degrees;
//! - outgoing edges of node `n` are `first_out[n]..first_out[n + 1]` (edges are sorted by tail);
//!   `head[e]`/`tail[e]` are the end nodes;
//! - per edge: `distance_m`, `duration_s` (f32), `class` (a [`RoadClass`] code), `name` (index
//!   into a string table), `reverse` (the opposite edge of a two-way road or `NO_EDGE`), and
//!   `geom` (a geometry index; the top bit set means the edge runs against the stored order);
//! - geometries: `geom_coords[geom_first[g]..geom_first[g + 1]]`, end points included;
//! - turn restrictions as `(from edge, via node, to edge, kind)`, and via-way restrictions as
//!   `(from edge, via edges, to edge, kind)`;
//! - optionally (`osm`), the OSM node id of every node and geometry point, the OSM way id,
//!   `maxspeed` and `lanes` of every geometry;
//! - optionally (`conditional`), the `*:conditional` rules of edges, applied by searches with
//!   a departure time (see `conditional.rs`).
//!
//! Engineer-facing hook: [`RoadGraph::section`] / [`RoadGraph::set_section`] carry extra named
//! binary sections (e.g. a contraction hierarchy) through the graph file.

use std::collections::BTreeMap;

use std::path::Path;

use geo::{LineString, Point};

use crate::error::Result;
use crate::geo::{e7_to_point, point_along, road_distance_m};
use crate::ids::GEOM_REVERSED;
pub use crate::ids::{EdgeId, NodeId, Restriction, RestrictionKind, ViaWayRestriction, NO_EDGE};
use crate::profile::{DrivingSide, Profile, RoadClass};

mod codec;
pub(crate) mod conditional;
pub(crate) mod guidance;
mod local_names;
mod osm;
pub use codec::{FORMAT_VERSION, MAGIC};
pub use guidance::EdgeGuidance;
pub(crate) use guidance::GuidanceData;
pub(crate) use local_names::SECTION as LOCAL_NAMES_SECTION;
pub use local_names::{is_language, LocalNames};
pub use osm::EdgeTags;
pub(crate) use osm::{OsmData, MAXSPEED_NONE};

/// One directed edge with its attributes, as returned by [`RoadGraph::edge`].
#[derive(Clone, Copy, Debug)]
pub struct EdgeRef<'a> {
    graph: &'a RoadGraph,
    /// Edge id.
    pub id: EdgeId,
    /// Tail node.
    pub from: NodeId,
    /// Head node.
    pub to: NodeId,
    /// Length in metres.
    pub distance_m: f64,
    /// Travel time in seconds for the graph's profile.
    pub duration_s: f64,
    /// Street name (or `ref`), empty if none.
    pub name: &'a str,
    /// Road class from `highway=*`.
    pub road_class: RoadClass,
}

impl<'a> EdgeRef<'a> {
    /// The edge's shape from `from` to `to` (at least two points).
    pub fn geometry(&self) -> LineString<f64> {
        LineString::from(self.graph.edge_points(self.id))
    }

    /// The opposite edge of a two-way road, if any.
    pub fn reverse(&self) -> Option<EdgeId> {
        self.graph.reverse_edge(self.id)
    }
}

/// The road network of one [`Profile`] as plain arrays: what a graph file stores. Owned by the
/// engine [`Graph`](crate::Graph), which adds the snap index and routing data.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, Profile};
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let road = g.road();
/// println!("{} nodes, {} edges", road.num_nodes(), road.num_edges());
/// # Ok::<(), kerb_core::Error>(())
/// ```
#[derive(Clone)]
pub struct RoadGraph {
    pub(crate) profile: Profile,
    pub(crate) coords: Vec<[i32; 2]>,
    pub(crate) first_out: Vec<u32>,
    pub(crate) head: Vec<u32>,
    pub(crate) tail: Vec<u32>,
    pub(crate) distance_m: Vec<f32>,
    pub(crate) duration_s: Vec<f32>,
    pub(crate) class: Vec<u8>,
    pub(crate) name: Vec<u32>,
    pub(crate) reverse: Vec<u32>,
    pub(crate) geom: Vec<u32>,
    pub(crate) geom_first: Vec<u32>,
    pub(crate) geom_coords: Vec<[i32; 2]>,
    pub(crate) name_first: Vec<u32>,
    pub(crate) name_bytes: Vec<u8>,
    pub(crate) restrictions: Vec<Restriction>,
    /// Restrictions along via ways (empty for graph files written before they were kept).
    pub(crate) via_way_restrictions: Vec<ViaWayRestriction>,
    /// OSM ids and main tags (`None` for graph files written before they were kept).
    pub(crate) osm: Option<OsmData>,
    /// Guidance tags of every geometry (`None` for graph files written before they were kept).
    pub(crate) guidance: Option<GuidanceData>,
    /// The side looked up for each edge's location at import, one bit per edge (set = left);
    /// `None` for graph files written before the lookup.
    pub(crate) left_hand: Option<Vec<u64>>,
    /// Conditional rules of edges (`None`: none kept, or a file written before they were).
    pub(crate) conditional: Option<conditional::ConditionalRules>,
    pub(crate) sections: BTreeMap<String, Vec<u8>>,
}

impl std::fmt::Debug for RoadGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoadGraph")
            .field("profile", &self.profile.name)
            .field("nodes", &self.num_nodes())
            .field("edges", &self.num_edges())
            .field("restrictions", &self.restrictions.len())
            .field("via_way_restrictions", &self.via_way_restrictions.len())
            .finish()
    }
}

impl RoadGraph {
    /// The profile this graph was built for.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The side traffic drives on along edge `e` where it lies, as looked up in the country
    /// map at import (`None` for graph files imported before the lookup, or a bad id).
    pub fn local_driving_side(&self, e: EdgeId) -> Option<DrivingSide> {
        let words = self.left_hand.as_ref()?;
        if e.index() >= self.head.len() {
            return None;
        }
        let left = words.get(e.index() / 64)? >> (e.index() % 64) & 1 == 1;
        Some(if left {
            DrivingSide::Left
        } else {
            DrivingSide::Right
        })
    }

    /// The side the graph's profile drives on along edge `e`: its fixed side, or with
    /// `driving_side: auto` the edge's [`RoadGraph::local_driving_side`] (right when unknown).
    pub fn driving_side(&self, e: EdgeId) -> DrivingSide {
        self.profile
            .turn_costs
            .driving_side
            .resolve(self.local_driving_side(e))
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.coords.len()
    }

    /// Number of directed edges.
    pub fn num_edges(&self) -> usize {
        self.head.len()
    }

    /// Bounding box of all nodes and edge shapes.
    pub fn bbox(&self) -> geo::Rect<f64> {
        let mut min = [i32::MAX; 2];
        let mut max = [i32::MIN; 2];
        for c in self.coords.iter().chain(self.geom_coords.iter()) {
            for i in 0..2 {
                min[i] = min[i].min(c[i]);
                max[i] = max[i].max(c[i]);
            }
        }
        if self.coords.is_empty() {
            return geo::Rect::new((0.0, 0.0), (0.0, 0.0));
        }
        geo::Rect::new(e7_to_point(min).0, e7_to_point(max).0)
    }

    /// Position of a node.
    pub fn node_point(&self, n: NodeId) -> Point<f64> {
        e7_to_point(self.coords[n.index()])
    }

    /// One edge with its attributes. Panics if `e` is not an edge of this graph.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{EdgeId, Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let e = g.edge(EdgeId(0));
    /// assert!(e.distance_m > 0.0 && e.duration_s > 0.0);
    /// assert!(e.geometry().0.len() >= 2);
    /// println!("{} ({}) {:.0} m", e.name, e.road_class.as_str(), e.distance_m);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn edge(&self, e: EdgeId) -> EdgeRef<'_> {
        let i = e.index();
        EdgeRef {
            graph: self,
            id: e,
            from: NodeId(self.tail[i]),
            to: NodeId(self.head[i]),
            distance_m: self.distance_m[i] as f64,
            duration_s: self.duration_s[i] as f64,
            name: self.name_str(self.name[i]),
            road_class: RoadClass::from_u8(self.class[i]),
        }
    }

    /// All edges in id order.
    pub fn edges(&self) -> impl Iterator<Item = EdgeRef<'_>> {
        (0..self.num_edges() as u32).map(move |e| self.edge(EdgeId(e)))
    }

    /// Edges leaving a node.
    pub fn out_edges(&self, n: NodeId) -> impl Iterator<Item = EdgeId> {
        (self.first_out[n.index()]..self.first_out[n.index() + 1]).map(EdgeId)
    }

    /// The opposite edge of a two-way road.
    pub fn reverse_edge(&self, e: EdgeId) -> Option<EdgeId> {
        let r = self.reverse[e.index()];
        (r != NO_EDGE).then_some(EdgeId(r))
    }

    /// Turn restrictions, sorted by `from` edge.
    pub fn restrictions(&self) -> &[Restriction] {
        &self.restrictions
    }

    /// Turn restrictions along via ways, sorted by `from` edge; the turn graph duplicates the
    /// states along their via paths (see [`crate::TurnGraph`]).
    pub fn via_way_restrictions(&self) -> &[ViaWayRestriction] {
        &self.via_way_restrictions
    }

    /// Raw CSR offsets: out-edges of node `n` are `first_out[n]..first_out[n+1]` (len = nodes + 1).
    pub fn first_out(&self) -> &[u32] {
        &self.first_out
    }

    /// Raw head node of each edge.
    pub fn heads(&self) -> &[u32] {
        &self.head
    }

    /// Raw tail node of each edge.
    pub fn tails(&self) -> &[u32] {
        &self.tail
    }

    /// Raw travel time of each edge in seconds.
    pub fn durations_s(&self) -> &[f32] {
        &self.duration_s
    }

    /// Raw length of each edge in metres.
    pub fn distances_m(&self) -> &[f32] {
        &self.distance_m
    }

    /// Raw reverse-edge links ([`NO_EDGE`] for one-way edges).
    pub fn reverse_edges(&self) -> &[u32] {
        &self.reverse
    }

    /// Raw node coordinates as (lon, lat) in 1e-7 degrees.
    pub fn node_coords_e7(&self) -> &[[i32; 2]] {
        &self.coords
    }

    /// An extra named binary section stored in the graph file (e.g. a contraction hierarchy).
    pub fn section(&self, name: &str) -> Option<&[u8]> {
        self.sections.get(name).map(|v| v.as_slice())
    }

    /// Number of directed edges with a kept `*:conditional` rule (applied by searches with a
    /// departure time, [`crate::SearchFilter::departing_at`]).
    pub fn num_conditional_edges(&self) -> usize {
        self.conditional
            .as_ref()
            .map_or(0, conditional::ConditionalRules::num_ruled_edges)
    }

    /// Whether edge `e` may be driven without a departure time: false for an edge only a
    /// conditional rule opens (e.g. a pedestrian street open for deliveries 06:00-11:00), which
    /// is in the graph for timed searches and closed to every other search.
    pub fn open_without_time(&self, e: EdgeId) -> bool {
        self.conditional.as_ref().is_none_or(|c| c.base_open(e.0))
    }

    /// Names of the extra sections, in order.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.keys().map(String::as_str)
    }

    /// Adds or replaces an extra named section; it is written by [`RoadGraph::save`] and read back
    /// by [`RoadGraph::open`]. Names are at most 16 bytes and must not clash with core sections
    /// (which are upper case; use lower case names).
    pub fn set_section(&mut self, name: &str, bytes: Vec<u8>) -> Result<()> {
        if name.is_empty() || name.len() > 16 || codec::is_core_section(name) {
            return Err(crate::Error::InvalidInput(format!(
                "invalid section name '{name}'"
            )));
        }
        self.sections.insert(name.to_string(), bytes);
        Ok(())
    }

    pub(crate) fn name_str(&self, i: u32) -> &str {
        let i = i as usize;
        let (a, b) = (self.name_first[i] as usize, self.name_first[i + 1] as usize);
        std::str::from_utf8(&self.name_bytes[a..b]).unwrap_or("")
    }

    /// Raw shape of an edge in its travel direction, end points included.
    pub(crate) fn edge_coords(&self, e: EdgeId) -> (&[[i32; 2]], bool) {
        let g = self.geom[e.index()];
        let reversed = g & GEOM_REVERSED != 0;
        let g = (g & !GEOM_REVERSED) as usize;
        (
            &self.geom_coords[self.geom_first[g] as usize..self.geom_first[g + 1] as usize],
            reversed,
        )
    }

    /// Shape of an edge in its travel direction, end points included.
    pub fn edge_points(&self, e: EdgeId) -> Vec<Point<f64>> {
        let (c, rev) = self.edge_coords(e);
        let mut v: Vec<Point<f64>> = c.iter().map(|&c| e7_to_point(c)).collect();
        if rev {
            v.reverse();
        }
        v
    }

    /// Number of stored geometries.
    pub(crate) fn num_geometries(&self) -> usize {
        self.geom_first.len().saturating_sub(1)
    }
    /// Shape of edge `e` between fractions `a <= b`.
    pub fn partial_points(&self, e: EdgeId, a: f64, b: f64) -> Vec<Point<f64>> {
        let pts = self.edge_points(e);
        let lens: Vec<f64> = pts
            .windows(2)
            .map(|w| road_distance_m(w[0], w[1]))
            .collect();
        let total: f64 = lens.iter().sum();
        if total <= 0.0 {
            return vec![pts[0], pts[pts.len() - 1]];
        }
        let at = |f: f64| -> (usize, Point<f64>) {
            let target = f.clamp(0.0, 1.0) * total;
            let mut acc = 0.0;
            for (i, &l) in lens.iter().enumerate() {
                if acc + l >= target || i + 1 == lens.len() {
                    let t = if l > 0.0 {
                        ((target - acc) / l).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let (p, q) = (pts[i], pts[i + 1]);
                    return (i, point_along(p, q, t));
                }
                acc += l;
            }
            (lens.len() - 1, pts[pts.len() - 1])
        };
        let (ia, pa) = at(a);
        let (ib, pb) = at(b);
        let mut out = vec![pa];
        out.extend_from_slice(&pts[ia + 1..=ib.max(ia)]);
        if ib < ia {
            out.truncate(1);
        }
        out.push(pb);
        out.dedup();
        if out.len() == 1 {
            out.push(out[0]);
        }
        out
    }

    /// Whether the turn from edge `from` into edge `to` (at `from`'s head) is allowed by the
    /// stored turn restrictions (`no_*` forbids it; an `only_*` from `from` forbids every other
    /// continuation). Does not check that the edges are adjacent.
    pub fn turn_allowed(&self, from: EdgeId, to: EdgeId) -> bool {
        let rs = self.restrictions_from(from);
        if rs.is_empty() {
            return true;
        }
        let mut only = false;
        let mut only_match = false;
        for r in rs {
            match r.kind {
                RestrictionKind::No if r.to == to => return false,
                RestrictionKind::No => {}
                RestrictionKind::Only => {
                    only = true;
                    only_match |= r.to == to;
                }
            }
        }
        !only || only_match
    }

    /// Restrictions whose `from` edge is `e` (they are sorted by `from`).
    pub fn restrictions_from(&self, e: EdgeId) -> &[Restriction] {
        let lo = self.restrictions.partition_point(|r| r.from < e);
        let hi = self.restrictions.partition_point(|r| r.from <= e);
        &self.restrictions[lo..hi]
    }

    /// Opens a graph file written by [`RoadGraph::save`] (see [`Graph::open`](crate::Graph::open)).
    pub fn open(path: impl AsRef<Path>) -> Result<RoadGraph> {
        codec::read_graph(path.as_ref())
    }

    /// Writes the graph to a versioned binary file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        codec::write_graph(self, path.as_ref())
    }
}

/// The in-edges of every node as a CSR: in-edges of node `n` are
/// `edges[first[n]..first[n + 1]]`. Derived from a [`RoadGraph`]; the engine keeps one.
#[derive(Clone, Debug)]
pub struct InEdges {
    first: Vec<u32>,
    edges: Vec<u32>,
}

impl InEdges {
    /// Builds the in-edge lists of `g`.
    pub fn new(g: &RoadGraph) -> Self {
        let n = g.num_nodes();
        let mut first = vec![0u32; n + 1];
        for &h in &g.head {
            first[h as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut pos = first.clone();
        let mut edges = vec![0u32; g.head.len()];
        for (e, &h) in g.head.iter().enumerate() {
            edges[pos[h as usize] as usize] = e as u32;
            pos[h as usize] += 1;
        }
        InEdges { first, edges }
    }

    /// Raw edge ids arriving at node `n`.
    pub fn of(&self, n: NodeId) -> &[u32] {
        &self.edges[self.first[n.index()] as usize..self.first[n.index() + 1] as usize]
    }
}
