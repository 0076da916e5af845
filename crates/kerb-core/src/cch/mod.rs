//! Customizable contraction hierarchies (Dibbelt, Strasser, Wagner: "Customizable
//! Contraction Hierarchies", JEA 2016), the scheme of RoutingKit: the expensive part depends
//! on the graph only and is built once per map, each metric (a profile's durations, a time
//! slice, a speed update) costs a customization of seconds.
//!
//! * `order`: a metric-independent nested-dissection order by inertial flow.
//! * `topology`: the chordal supergraph of that order (upward neighbours of every node form a
//!   clique), its elimination tree and its levels: [`CchTopology`].
//! * `customize`: basic customization (lower triangles, bottom-up) and perfect customization
//!   (intermediate and upper triangles, top-down), both level by level on rayon; arcs that
//!   perfect customization lowered are dropped from the searches (they lie on no shortest
//!   path), which keeps the elimination-tree walk short. The result is a [`Cch`]: topology +
//!   metric.
//! * `query`: elimination-tree point-to-point queries (walk the ancestors of source and target
//!   in rank order, no priority queue) with unpacking by lower triangles, and a bucket
//!   many-to-many on rayon.
//! * `codec`: byte forms of the topology (stamped with the fingerprint of its input graph) and
//!   of a metric (stamped with the topology's checksum, so a stale one is rejected).
//!
//! A metric is a list of [`ch::Arc`]s whose `(tail, head)` pairs are edges of the graph the
//! topology was built on; pairs missing from a metric are closed (infinite), so one topology
//! built on every possible turn serves profiles with different turn restrictions or U-turn
//! rules.
//!
//! ```
//! use std::sync::Arc;
//! use kerb_core::cch::CchTopology;
//! use kerb_core::ch::{self, Seed};
//! let edges = [(0, 1), (1, 2), (0, 2)];
//! let xy = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]];
//! let topology = Arc::new(CchTopology::build(3, &edges, &xy, 0));
//! let arc = |tail, head, weight| ch::Arc { tail, head, weight, dist: weight * 10 };
//! let cch = topology.customize(&[arc(0, 1, 5), arc(1, 2, 5), arc(0, 2, 20)])?;
//! let mut ws = cch.workspace();
//! let r = cch.query(&mut ws, &[Seed::node(0)], &[Seed::node(2)]).unwrap();
//! assert_eq!((r.weight, r.dist), (10, 100));
//! assert_eq!(cch.unpack(&r), vec![0, 1, 2]);
//! assert!(cch.query(&mut ws, &[Seed::node(2)], &[Seed::node(0)]).is_none());
//! # Ok::<(), kerb_core::cch::CchError>(())
//! ```

mod codec;
mod customize;
mod order;
mod query;
mod topology;

use std::sync::Arc;

use crate::ch;

pub use query::{CchResult, CchWorkspace};
pub(crate) use topology::Fnv;

/// Why a topology or metric cannot be used.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum CchError {
    /// The bytes do not decode to a valid topology or metric.
    #[error("corrupt customizable contraction hierarchy: {0}")]
    Corrupt(String),
    /// A stored topology was built for another graph (its input fingerprint differs).
    #[error("stale CCH topology: built for graph {found:016x}, this graph is {expected:016x}")]
    StaleTopology {
        /// Fingerprint of the graph this topology was built on.
        found: u64,
        /// Fingerprint of the graph at hand.
        expected: u64,
    },
    /// A stored metric was customized on another topology (its checksum differs).
    #[error("stale CCH metric: customized for topology {found:016x}, this one is {expected:016x}")]
    StaleMetric {
        /// Topology checksum stored with the metric.
        found: u64,
        /// Checksum of the topology at hand.
        expected: u64,
    },
    /// A metric arc joins nodes that are not adjacent in the topology's input graph.
    #[error("metric arc {tail} -> {head} is not an edge of the topology's graph")]
    ArcNotInTopology {
        /// Tail node.
        tail: u32,
        /// Head node.
        head: u32,
    },
}

/// Packed `(weight << 32) | dist`: comparing packed values compares weights, then distances.
type Packed = u64;
const INF: Packed = u64::MAX;

fn pack(weight: u32, dist: u32) -> Packed {
    ((weight as u64) << 32) | dist as u64
}

/// Weight and secondary value of a packed entry.
fn unpack_cost(p: Packed) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

/// Sum of two packed costs, infinite if either is or the weight overflows.
fn add(a: Packed, b: Packed) -> Packed {
    if a == INF || b == INF {
        return INF;
    }
    let (wa, da) = unpack_cost(a);
    let (wb, db) = unpack_cost(b);
    match wa.checked_add(wb) {
        Some(w) if w != u32::MAX => pack(w, da.saturating_add(db)),
        _ => INF,
    }
}

/// The metric-independent part of a CCH: a nested-dissection order and its chordal
/// supergraph, in rank space (rank = position in the order, renumbered level by level).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CchTopology {
    /// rank -> node.
    order: Vec<u32>,
    /// node -> rank.
    rank: Vec<u32>,
    /// Upward arcs of rank `r`: `up_first[r]..up_first[r + 1]`, heads sorted; the first head
    /// is the parent in the elimination tree.
    up_first: Vec<u32>,
    up_head: Vec<u32>,
    /// Downward view: lower neighbours of rank `r` (sorted) and the id of their arc.
    down_first: Vec<u32>,
    down_tail: Vec<u32>,
    down_arc: Vec<u32>,
    /// Ranks of level `l`: `level_first[l]..level_first[l + 1]`.
    level_first: Vec<u32>,
    /// Fingerprint of the input graph (e.g. of its possible turns), given by the caller.
    fingerprint: u64,
    /// Checksum of the order and arcs (with the fingerprint), stamped on every metric.
    checksum: u64,
}

impl CchTopology {
    /// Nested-dissection order by inertial flow and the chordal supergraph, for the undirected
    /// graph with these `edges` (either direction; loops and duplicates ignored) and planar node
    /// positions `xy` (used only by the order). `fingerprint` identifies the input graph; it is
    /// stored and checked when a topology is read back (see [`CchTopology::from_bytes`]).
    pub fn build(
        num_nodes: usize,
        edges: &[(u32, u32)],
        xy: &[[f64; 2]],
        fingerprint: u64,
    ) -> Self {
        assert_eq!(xy.len(), num_nodes, "one position per node");
        let order = order::nested_dissection(num_nodes, edges, xy);
        CchTopology::from_order(num_nodes, edges, &order, fingerprint)
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.order.len()
    }

    /// Number of (undirected) arcs of the chordal supergraph.
    pub fn num_arcs(&self) -> usize {
        self.up_head.len()
    }

    /// Number of levels (longest downward chain + 1); customization runs a level at a time.
    pub fn num_levels(&self) -> usize {
        self.level_first.len() - 1
    }

    /// Height of the elimination tree (nodes on its longest leaf-to-root path), what an
    /// elimination-tree query walks at most per side.
    pub fn elimination_tree_height(&self) -> usize {
        let n = self.num_nodes();
        let mut depth = vec![1u32; n];
        for r in (0..n).rev() {
            if let Some(p) = self.parent(r as u32) {
                depth[r] = depth[p as usize] + 1;
            }
        }
        depth.into_iter().max().unwrap_or(0) as usize
    }

    /// The fingerprint of the input graph given to [`CchTopology::build`].
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Checksum of this topology, stamped on every metric customized on it.
    pub fn checksum(&self) -> u64 {
        self.checksum
    }

    /// Rank of node `v`.
    pub fn rank(&self, v: u32) -> u32 {
        self.rank[v as usize]
    }

    fn up_range(&self, r: u32) -> std::ops::Range<usize> {
        self.up_first[r as usize] as usize..self.up_first[r as usize + 1] as usize
    }

    fn down_range(&self, r: u32) -> std::ops::Range<usize> {
        self.down_first[r as usize] as usize..self.down_first[r as usize + 1] as usize
    }

    fn parent(&self, r: u32) -> Option<u32> {
        self.up_head
            .get(self.up_range(r))
            .and_then(|a| a.first().copied())
    }

    /// The arc between ranks `lo < hi`, if any.
    fn arc_between(&self, lo: u32, hi: u32) -> Option<usize> {
        let range = self.up_range(lo);
        let heads = &self.up_head[range.clone()];
        let k = heads.partition_point(|&w| w < hi);
        (heads.get(k) == Some(&hi)).then_some(range.start + k)
    }
}

/// A customized CCH: a shared topology plus one metric (upward and downward cost of each
/// arc). Built by [`CchTopology::customize`] or read by [`Cch::from_metric_bytes`].
#[derive(Clone, Debug)]
pub struct Cch {
    topology: Arc<CchTopology>,
    /// Cost of each arc from its lower to its higher end, [`INF`] if closed or pruned.
    up: Vec<Packed>,
    /// Cost of each arc from its higher to its lower end.
    down: Vec<Packed>,
}

impl Cch {
    /// The topology this metric was customized on.
    pub fn topology(&self) -> &Arc<CchTopology> {
        &self.topology
    }

    /// Number of node pairs.
    pub fn num_nodes(&self) -> usize {
        self.topology.num_nodes()
    }

    /// Number of directed arcs left open after perfect customization (searches use these).
    pub fn num_open_arcs(&self) -> usize {
        self.up
            .iter()
            .chain(&self.down)
            .filter(|&&c| c != INF)
            .count()
    }
}

#[cfg(test)]
mod tests;
