//! Contraction hierarchies (Geisberger et al. 2008) over a compact directed graph: the query
//! graph and its types here; `build`, `query`, `many_to_many` and `codec` beside it.
//!
//! The graph is given as a list of [`Arc`]s between dense `u32` node ids, each with a primary
//! `weight` (what is minimised, e.g. milliseconds) and a secondary `dist` carried along the
//! chosen path (e.g. centimetres). The turn-aware layer (`turn/`) feeds the edge-based graph
//! in here, but nothing in this module knows about roads.
//!
//! * Preprocessing: node ordering by edge quotient, hop quotient and level with lazy updates
//!   (the scheme of RoutingKit), bounded witness searches, shortcuts remembering their middle
//!   node so that paths unpack to original arcs. Initial priorities are computed with rayon.
//! * Queries: bidirectional upward Dijkstra with stall-on-demand in a reusable
//!   [`QueryWorkspace`] (no allocation per query: timestamps instead of clearing).
//! * Many-to-many: bucket-based (Knopp et al. 2007), parallel over sources with rayon.
//!
//! Sources and targets are sets of [`Seed`]s with start offsets so that callers can start in the
//! middle of a road; offsets may be negative (a target part-way along an edge).
//!
//! ```
//! use kerb_core::ch::{Arc, ContractionHierarchy, QueryWorkspace, Seed};
//! let arcs = [
//!     Arc { tail: 0, head: 1, weight: 5, dist: 50 },
//!     Arc { tail: 1, head: 2, weight: 5, dist: 50 },
//!     Arc { tail: 0, head: 2, weight: 20, dist: 90 },
//! ];
//! let ch = ContractionHierarchy::build(3, &arcs);
//! let mut ws = QueryWorkspace::new(&ch);
//! let r = ch.query(&mut ws, &[Seed::node(0)], &[Seed::node(2)]).unwrap();
//! assert_eq!((r.weight, r.dist), (10, 100));
//! assert_eq!(ch.unpack(&r), vec![0, 1, 2]);
//! ```

mod build;
mod codec;
mod many_to_many;
mod query;

pub(crate) use codec::{from_section, to_section};
pub use many_to_many::ManyToMany;
pub use query::QueryWorkspace;
pub(crate) use query::SearchSide;

/// Marks a CH arc that is an original arc (no middle node).
const NO_MIDDLE: u32 = u32::MAX;
const INF: u32 = u32::MAX;

/// An input arc of the graph to contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arc {
    /// Tail node id (`< num_nodes`).
    pub tail: u32,
    /// Head node id (`< num_nodes`).
    pub head: u32,
    /// Primary cost minimised by every search.
    pub weight: u32,
    /// Secondary value summed along the chosen path.
    pub dist: u32,
}

/// One arc of the hierarchy, stored at its lower-ranked endpoint (rank space).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct ChArc {
    /// The higher-ranked endpoint (rank).
    pub other: u32,
    /// Primary cost.
    pub weight: u32,
    /// Secondary value.
    pub dist: u32,
    /// Middle node (rank) of a shortcut, `u32::MAX` for original arcs.
    pub middle: u32,
}

/// A start (or end) point of a search: a node and the cost already spent to reach it (or still
/// to be spent after it, for targets; may be negative when the target lies before the node's
/// end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seed {
    /// Node id (original numbering).
    pub node: u32,
    /// Weight offset.
    pub weight: i64,
    /// Secondary offset.
    pub dist: i64,
}

impl Seed {
    /// A seed with zero offsets.
    pub fn node(node: u32) -> Self {
        Seed {
            node,
            weight: 0,
            dist: 0,
        }
    }
}

/// Result of a point-to-point query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryResult {
    /// Total weight including seed offsets.
    pub weight: i64,
    /// Total secondary value including seed offsets.
    pub dist: i64,
    /// Index into the source seeds where the path starts.
    pub source_seed: usize,
    /// Index into the target seeds where the path ends.
    pub target_seed: usize,
    /// Path in the hierarchy (rank space, may contain shortcuts); see [`ContractionHierarchy::unpack`].
    ch_path: Vec<u32>,
}

/// An immutable contraction hierarchy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractionHierarchy {
    /// rank -> node id.
    order: Vec<u32>,
    /// node id -> rank.
    rank: Vec<u32>,
    up_first: Vec<u32>,
    up: Vec<ChArc>,
    down_first: Vec<u32>,
    down: Vec<ChArc>,
}

impl ContractionHierarchy {
    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.order.len()
    }

    /// Number of arcs in the hierarchy (original arcs kept plus shortcuts).
    pub fn num_arcs(&self) -> usize {
        self.up.len() + self.down.len()
    }

    /// Rank (contraction position) of node `v`.
    pub fn rank(&self, v: u32) -> u32 {
        self.rank[v as usize]
    }

    fn up_arcs(&self, r: u32) -> &[ChArc] {
        &self.up[self.up_first[r as usize] as usize..self.up_first[r as usize + 1] as usize]
    }

    fn down_arcs(&self, r: u32) -> &[ChArc] {
        &self.down[self.down_first[r as usize] as usize..self.down_first[r as usize + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use super::*;
    use proptest::prelude::*;

    /// Plain Dijkstra over the input arcs with seeds, the reference.
    fn dijkstra(n: usize, arcs: &[Arc], sources: &[Seed], targets: &[Seed]) -> Option<(i64, i64)> {
        let mut adj = vec![Vec::new(); n];
        for a in arcs {
            adj[a.tail as usize].push(*a);
        }
        let wmin = sources.iter().map(|s| s.weight).min()?;
        let mut dist = vec![i64::MAX; n];
        let mut sec = vec![0i64; n];
        let mut heap = BinaryHeap::new();
        for s in sources {
            let d = s.weight - wmin;
            if d < dist[s.node as usize] {
                dist[s.node as usize] = d;
                sec[s.node as usize] = s.dist;
                heap.push(Reverse((d, s.node)));
            }
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for a in &adj[v as usize] {
                let nd = d + a.weight as i64;
                if nd < dist[a.head as usize] {
                    dist[a.head as usize] = nd;
                    sec[a.head as usize] = sec[v as usize] + a.dist as i64;
                    heap.push(Reverse((nd, a.head)));
                }
            }
        }
        targets
            .iter()
            .filter(|t| dist[t.node as usize] != i64::MAX)
            .map(|t| {
                (
                    dist[t.node as usize] + wmin + t.weight,
                    sec[t.node as usize] + t.dist,
                )
            })
            .min_by_key(|x| x.0)
    }

    fn path_weight(arcs: &[Arc], nodes: &[u32]) -> i64 {
        nodes
            .windows(2)
            .map(|w| {
                arcs.iter()
                    .filter(|a| a.tail == w[0] && a.head == w[1])
                    .map(|a| a.weight as i64)
                    .min()
                    .expect("unpacked path uses an existing arc")
            })
            .sum()
    }

    fn graph() -> impl Strategy<Value = (usize, Vec<Arc>)> {
        (2usize..40).prop_flat_map(|n| {
            let arc = (0..n as u32, 0..n as u32, 0u32..100, 0u32..1000).prop_map(
                |(tail, head, weight, dist)| Arc {
                    tail,
                    head,
                    weight,
                    dist,
                },
            );
            (Just(n), proptest::collection::vec(arc, 0..n * 4))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn ch_equals_dijkstra((n, arcs) in graph(), pairs in proptest::collection::vec((0u32..1000, 0u32..1000, -50i64..50), 1..20)) {
            let ch = ContractionHierarchy::build(n, &arcs);
            let mut ws = QueryWorkspace::new(&ch);
            for &(s, t, off) in &pairs {
                let s = Seed { node: s % n as u32, weight: off.abs(), dist: 3 };
                let t2 = Seed { node: (t / 7) % n as u32, weight: off, dist: -1 };
                let t = Seed { node: t % n as u32, weight: 0, dist: 0 };
                let expect = dijkstra(n, &arcs, &[s], &[t, t2]);
                let got = ch.query(&mut ws, &[s], &[t, t2]);
                prop_assert_eq!(expect.map(|e| e.0), got.as_ref().map(|g| g.weight));
                if let Some(g) = got {
                    let nodes = ch.unpack(&g);
                    prop_assert_eq!(nodes[0], s.node);
                    let end = [t, t2][g.target_seed];
                    prop_assert_eq!(*nodes.last().unwrap(), end.node);
                    prop_assert_eq!(path_weight(&arcs, &nodes) + s.weight + end.weight, g.weight);
                }
            }
        }

        #[test]
        fn many_to_many_equals_queries((n, arcs) in graph(), picks in proptest::collection::vec(0u32..1000, 1..12)) {
            let ch = ContractionHierarchy::build(n, &arcs);
            let seeds: Vec<Vec<Seed>> = picks.iter().map(|&p| vec![Seed { node: p % n as u32, weight: (p % 5) as i64 - 2, dist: 0 }]).collect();
            let m = ch.many_to_many(&seeds, &seeds);
            let mut ws = QueryWorkspace::new(&ch);
            for (i, s) in seeds.iter().enumerate() {
                for (j, t) in seeds.iter().enumerate() {
                    let q = ch.query(&mut ws, s, t).map(|r| r.weight);
                    prop_assert_eq!(q, m.cells[i * seeds.len() + j].map(|c| c.0));
                    prop_assert_eq!(q, dijkstra(n, &arcs, s, t).map(|c| c.0));
                }
            }
        }

        #[test]
        fn bytes_round_trip((n, arcs) in graph()) {
            let ch = ContractionHierarchy::build(n, &arcs);
            let back = ContractionHierarchy::from_bytes(&ch.to_bytes());
            prop_assert_eq!(Some(&ch), back.as_ref());
        }
    }

    #[test]
    fn corrupt_bytes_are_rejected() {
        let arcs = [Arc {
            tail: 0,
            head: 1,
            weight: 1,
            dist: 1,
        }];
        let bytes = ContractionHierarchy::build(2, &arcs).to_bytes();
        assert!(ContractionHierarchy::from_bytes(&bytes[..bytes.len() - 4]).is_none());
        let mut bad = bytes.clone();
        bad[12] = 7; // order[0] out of range
        assert!(ContractionHierarchy::from_bytes(&bad).is_none());
    }
}
