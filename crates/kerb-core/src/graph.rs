//! The road graph: compact CSR arrays over directed edges with `u32` ids.
//!
//! Layout (all `Vec`s indexed by id):
//! - nodes: `coords[n]` = (lon, lat) in 1e-7 degrees;
//! - outgoing edges of node `n` are `first_out[n]..first_out[n + 1]` (edges are sorted by tail);
//!   `head[e]`/`tail[e]` are the end nodes;
//! - per edge: `distance_m`, `duration_s` (f32), `class` (a [`RoadClass`] code), `name` (index
//!   into a string table), `reverse` (the opposite edge of a two-way road or `NO_EDGE`), and
//!   `geom` (a geometry index; the top bit set means the edge runs against the stored order);
//! - geometries: `geom_coords[geom_first[g]..geom_first[g + 1]]`, end points included;
//! - turn restrictions as `(from edge, via node, to edge, kind)`.
//!
//! Engineer-facing hook: [`Graph::section`] / [`Graph::set_section`] carry extra named binary
//! sections (e.g. a contraction hierarchy) through [`Graph::save`] / [`Graph::open`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use geo::{LineString, Point};

use crate::error::Result;
use crate::geo::e7_to_point;
use crate::ids::GEOM_REVERSED;
pub use crate::ids::{EdgeId, NodeId, Restriction, RestrictionKind, NO_EDGE};
use crate::profile::{Profile, RoadClass};

/// One directed edge with its attributes, as returned by [`Graph::edge`].
#[derive(Clone, Copy, Debug)]
pub struct EdgeRef<'a> {
    graph: &'a Graph,
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
    pub(crate) sections: BTreeMap<String, Vec<u8>>,
    pub(crate) index: OnceLock<crate::snap::SnapIndex>,
    pub(crate) incoming: OnceLock<(Vec<u32>, Vec<u32>)>,
    /// Turn graph and contraction hierarchy, built or loaded on first use.
    pub(crate) routing: OnceLock<crate::turn::Routing>,
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("profile", &self.profile.name)
            .field("nodes", &self.num_nodes())
            .field("edges", &self.num_edges())
            .field("restrictions", &self.restrictions.len())
            .finish()
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

    /// The profile this graph was built for.
    pub fn profile(&self) -> &Profile {
        &self.profile
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

    /// Adds or replaces an extra named section; it is written by [`Graph::save`] and read back
    /// by [`Graph::open`]. Names are at most 16 bytes and must not clash with core sections
    /// (which are upper case; use lower case names).
    pub fn set_section(&mut self, name: &str, bytes: Vec<u8>) -> Result<()> {
        if name.is_empty() || name.len() > 16 || crate::file::is_core_section(name) {
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
        crate::file::read_graph(path.as_ref())
    }

    /// Writes the graph to a versioned binary file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        crate::file::write_graph(self, path.as_ref())
    }
}

/// Progress of a long-running import.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Current stage, e.g. "reading ways", "reading nodes", "building graph".
    pub stage: &'static str,
    /// Overall fraction done, 0..=1.
    pub fraction: f64,
}

/// Builder for imports: `Graph::builder(&profile).progress(|p| ..).build_from_pbf(path)`.
pub struct GraphBuilder {
    pub(crate) profile: Profile,
    pub(crate) progress: Option<Box<dyn Fn(Progress) + Send + Sync>>,
    pub(crate) contract: bool,
}

impl GraphBuilder {
    /// A builder for this profile.
    pub fn new(profile: &Profile) -> Self {
        GraphBuilder {
            profile: profile.clone(),
            progress: None,
            contract: false,
        }
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
        let mut g = crate::osm::import(path.as_ref(), &self)?;
        if self.contract {
            g.contract_with_progress(|done, total| {
                self.report("contracting", done as f64 / total.max(1) as f64)
            })?;
        }
        Ok(g)
    }

    pub(crate) fn report(&self, stage: &'static str, fraction: f64) {
        if let Some(cb) = &self.progress {
            cb(Progress {
                stage,
                fraction: fraction.clamp(0.0, 1.0),
            });
        }
    }
}
