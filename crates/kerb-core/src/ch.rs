//! Contraction hierarchies (Geisberger et al. 2008) over a compact directed graph.
//!
//! The graph is given as a list of [`Arc`]s between dense `u32` node ids, each with a primary
//! `weight` (what is minimised, e.g. milliseconds) and a secondary `dist` carried along the
//! chosen path (e.g. centimetres). The turn-aware layer (`turn.rs`) feeds the edge-based graph
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

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

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

// ---------------------------------------------------------------------------------------------
// Preprocessing
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Adj {
    node: u32,
    weight: u32,
    dist: u32,
    middle: u32,
    hops: u32,
}

/// Settled-node limits of witness searches when estimating priorities and when contracting:
/// a missed witness only costs a superfluous shortcut.
const SIMULATE_SETTLE_LIMIT: u32 = 60;
const CONTRACT_SETTLE_LIMIT: u32 = 500;

struct WitnessSearch {
    dist: Vec<u32>,
    stamp: Vec<u32>,
    /// `target[v] == now` marks the nodes the current search must reach.
    target: Vec<u32>,
    now: u32,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl WitnessSearch {
    fn new(n: usize) -> Self {
        WitnessSearch {
            dist: vec![INF; n],
            stamp: vec![0; n],
            target: vec![0; n],
            now: 0,
            heap: BinaryHeap::new(),
        }
    }

    fn get(&self, v: u32) -> u32 {
        if self.stamp[v as usize] == self.now {
            self.dist[v as usize]
        } else {
            INF
        }
    }

    /// Dijkstra from `s` ignoring `avoid`, until every target is settled, `max_weight` is
    /// exceeded or `limit` nodes are settled.
    fn run(
        &mut self,
        out: &[Vec<Adj>],
        s: u32,
        avoid: u32,
        targets: &[Adj],
        max_weight: u32,
        limit: u32,
    ) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.fill(0);
            self.target.fill(0);
            self.now = 1;
        }
        let mut open = 0;
        for t in targets {
            if t.node != s && self.target[t.node as usize] != self.now {
                self.target[t.node as usize] = self.now;
                open += 1;
            }
        }
        self.heap.clear();
        self.stamp[s as usize] = self.now;
        self.dist[s as usize] = 0;
        self.heap.push(Reverse((0, s)));
        let mut settled = 0;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            if d > self.get(v) {
                continue;
            }
            if d > max_weight || settled >= limit {
                break;
            }
            settled += 1;
            if self.target[v as usize] == self.now {
                open -= 1;
                if open == 0 {
                    break;
                }
            }
            for a in &out[v as usize] {
                if a.node == avoid {
                    continue;
                }
                let nd = d.saturating_add(a.weight);
                if nd < self.get(a.node) {
                    self.stamp[a.node as usize] = self.now;
                    self.dist[a.node as usize] = nd;
                    self.heap.push(Reverse((nd, a.node)));
                }
            }
        }
    }
}

struct Shortcut {
    tail: u32,
    head: u32,
    weight: u32,
    dist: u32,
    hops: u32,
}

/// The shortcuts needed when contracting `v` now.
fn shortcuts_for(
    v: u32,
    out: &[Vec<Adj>],
    inn: &[Vec<Adj>],
    ws: &mut WitnessSearch,
    limit: u32,
    result: &mut Vec<Shortcut>,
) {
    result.clear();
    let outs = &out[v as usize];
    if outs.is_empty() {
        return;
    }
    for a in &inn[v as usize] {
        let u = a.node;
        let max_out = outs.iter().filter(|b| b.node != u).map(|b| b.weight).max();
        let Some(max_out) = max_out else { continue };
        ws.run(out, u, v, outs, a.weight.saturating_add(max_out), limit);
        for b in outs {
            if b.node == u {
                continue;
            }
            let w = a.weight.saturating_add(b.weight);
            if ws.get(b.node) > w {
                result.push(Shortcut {
                    tail: u,
                    head: b.node,
                    weight: w,
                    dist: a.dist.saturating_add(b.dist),
                    hops: a.hops + b.hops,
                });
            }
        }
    }
}

fn priority(
    v: u32,
    out: &[Vec<Adj>],
    inn: &[Vec<Adj>],
    level: &[u32],
    ws: &mut WitnessSearch,
    limit: u32,
    buf: &mut Vec<Shortcut>,
) -> u32 {
    shortcuts_for(v, out, inn, ws, limit, buf);
    let removed = (out[v as usize].len() + inn[v as usize].len()).max(1) as f32;
    let removed_hops: u32 = out[v as usize]
        .iter()
        .chain(inn[v as usize].iter())
        .map(|a| a.hops)
        .sum();
    let added = buf.len() as f32;
    let added_hops: u32 = buf.iter().map(|s| s.hops).sum();
    let p =
        level[v as usize] as f32 + added / removed + added_hops as f32 / removed_hops.max(1) as f32;
    // Non-negative floats order like their bit patterns.
    p.to_bits()
}

fn insert_or_improve(list: &mut Vec<Adj>, adj: Adj) {
    if let Some(e) = list.iter_mut().find(|e| e.node == adj.node) {
        if adj.weight < e.weight {
            *e = adj;
        }
    } else {
        list.push(adj);
    }
}

impl ContractionHierarchy {
    /// Contracts the graph with `num_nodes` nodes and the given arcs (self loops are ignored,
    /// parallel arcs keep the cheapest).
    ///
    /// # Panics
    /// Panics if an arc refers to a node `>= num_nodes` (a programming error of the caller).
    pub fn build(num_nodes: usize, arcs: &[Arc]) -> Self {
        Self::build_with_progress(num_nodes, arcs, |_, _| {})
    }

    /// Like [`ContractionHierarchy::build`], calling `progress(contracted, num_nodes)` now and
    /// then.
    pub fn build_with_progress(
        num_nodes: usize,
        arcs: &[Arc],
        mut progress: impl FnMut(usize, usize),
    ) -> Self {
        let n = num_nodes;
        let mut out: Vec<Vec<Adj>> = vec![Vec::new(); n];
        let mut inn: Vec<Vec<Adj>> = vec![Vec::new(); n];
        for a in arcs {
            assert!(
                (a.tail as usize) < n && (a.head as usize) < n,
                "arc node out of range"
            );
            if a.tail == a.head {
                continue;
            }
            let fwd = Adj {
                node: a.head,
                weight: a.weight,
                dist: a.dist,
                middle: NO_MIDDLE,
                hops: 1,
            };
            let bwd = Adj {
                node: a.tail,
                ..fwd
            };
            insert_or_improve(&mut out[a.tail as usize], fwd);
            insert_or_improve(&mut inn[a.head as usize], bwd);
        }
        let mut level = vec![0u32; n];
        let prio: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .map_init(
                || (WitnessSearch::new(n), Vec::new()),
                |(ws, buf), v| priority(v, &out, &inn, &level, ws, SIMULATE_SETTLE_LIMIT, buf),
            )
            .collect();
        let mut prio = prio;
        let mut heap: BinaryHeap<Reverse<(u32, u32)>> = (0..n as u32)
            .map(|v| Reverse((prio[v as usize], v)))
            .collect();
        let mut contracted = vec![false; n];
        let mut ws = WitnessSearch::new(n);
        let mut buf = Vec::new();
        let mut order = Vec::with_capacity(n);
        // Arcs recorded at contraction time, in node ids: (v, other, weight, dist, middle).
        let mut up_rec: Vec<Vec<Adj>> = vec![Vec::new(); n];
        let mut down_rec: Vec<Vec<Adj>> = vec![Vec::new(); n];
        let mut neighbours = Vec::new();
        while let Some(Reverse((p, v))) = heap.pop() {
            if contracted[v as usize] || p != prio[v as usize] {
                continue;
            }
            // Lazy update: the priority may have grown since it was computed.
            let np = priority(
                v,
                &out,
                &inn,
                &level,
                &mut ws,
                SIMULATE_SETTLE_LIMIT,
                &mut buf,
            );
            if np > p {
                if let Some(Reverse((top, _))) = heap.peek() {
                    if np > *top {
                        prio[v as usize] = np;
                        heap.push(Reverse((np, v)));
                        continue;
                    }
                }
            }
            shortcuts_for(v, &out, &inn, &mut ws, CONTRACT_SETTLE_LIMIT, &mut buf);
            contracted[v as usize] = true;
            order.push(v);
            let outs = std::mem::take(&mut out[v as usize]);
            let ins = std::mem::take(&mut inn[v as usize]);
            neighbours.clear();
            for a in &outs {
                inn[a.node as usize].retain(|b| b.node != v);
                neighbours.push(a.node);
            }
            for a in &ins {
                out[a.node as usize].retain(|b| b.node != v);
                neighbours.push(a.node);
            }
            for s in buf.drain(..) {
                let f = Adj {
                    node: s.head,
                    weight: s.weight,
                    dist: s.dist,
                    middle: v,
                    hops: s.hops,
                };
                insert_or_improve(&mut out[s.tail as usize], f);
                insert_or_improve(&mut inn[s.head as usize], Adj { node: s.tail, ..f });
            }
            up_rec[v as usize] = outs;
            down_rec[v as usize] = ins;
            neighbours.sort_unstable();
            neighbours.dedup();
            for &u in &neighbours {
                level[u as usize] = level[u as usize].max(level[v as usize] + 1);
            }
            for &u in &neighbours {
                let np = priority(
                    u,
                    &out,
                    &inn,
                    &level,
                    &mut ws,
                    SIMULATE_SETTLE_LIMIT,
                    &mut buf,
                );
                if np != prio[u as usize] {
                    prio[u as usize] = np;
                    heap.push(Reverse((np, u)));
                }
            }
            buf.clear();
            if order.len() % 4096 == 0 {
                progress(order.len(), n);
            }
        }
        progress(n, n);
        Self::from_records(order, up_rec, down_rec)
    }

    fn from_records(order: Vec<u32>, up_rec: Vec<Vec<Adj>>, down_rec: Vec<Vec<Adj>>) -> Self {
        let n = order.len();
        let mut rank = vec![0u32; n];
        for (r, &v) in order.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        let to_ch = |a: &Adj| ChArc {
            other: rank[a.node as usize],
            weight: a.weight,
            dist: a.dist,
            middle: if a.middle == NO_MIDDLE {
                NO_MIDDLE
            } else {
                rank[a.middle as usize]
            },
        };
        let csr = |rec: &[Vec<Adj>]| {
            let mut first = Vec::with_capacity(n + 1);
            let mut arcs = Vec::new();
            first.push(0u32);
            for &v in &order {
                let mut list: Vec<ChArc> = rec[v as usize].iter().map(to_ch).collect();
                list.sort_unstable_by_key(|a| a.other);
                arcs.extend(list);
                first.push(arcs.len() as u32);
            }
            (first, arcs)
        };
        let (up_first, up) = csr(&up_rec);
        let (down_first, down) = csr(&down_rec);
        ContractionHierarchy {
            order,
            rank,
            up_first,
            up,
            down_first,
            down,
        }
    }

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

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/// One side of a search with timestamped arrays (no clearing between queries): tentative
/// weight, secondary distance, predecessor and originating seed per node. Shared by the CH
/// queries (indexed by rank) and the plain turn-aware Dijkstra (indexed by edge).
#[derive(Clone, Debug, Default)]
pub(crate) struct SearchSide {
    pub(crate) dist: Vec<u32>,
    pub(crate) sec: Vec<u32>,
    pub(crate) pred: Vec<u32>,
    pub(crate) seed: Vec<u32>,
    stamp: Vec<u32>,
    now: u32,
    pub(crate) heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl SearchSide {
    pub(crate) fn len(&self) -> usize {
        self.dist.len()
    }

    pub(crate) fn new(n: usize) -> Self {
        SearchSide {
            dist: vec![INF; n],
            sec: vec![0; n],
            pred: vec![u32::MAX; n],
            seed: vec![0; n],
            stamp: vec![0; n],
            now: 0,
            heap: BinaryHeap::new(),
        }
    }

    pub(crate) fn reset(&mut self) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.fill(0);
            self.now = 1;
        }
        self.heap.clear();
    }

    #[inline]
    pub(crate) fn get(&self, r: u32) -> u32 {
        if self.stamp[r as usize] == self.now {
            self.dist[r as usize]
        } else {
            INF
        }
    }

    #[inline]
    pub(crate) fn set(&mut self, r: u32, d: u32, sec: u32, pred: u32, seed: u32) {
        let i = r as usize;
        self.stamp[i] = self.now;
        self.dist[i] = d;
        self.sec[i] = sec;
        self.pred[i] = pred;
        self.seed[i] = seed;
        self.heap.push(Reverse((d, r)));
    }

    /// Seeds the search; offsets are shifted so that the smallest is 0. Returns the shifts.
    fn init(&mut self, ch: &ContractionHierarchy, seeds: &[Seed]) -> (i64, i64) {
        self.init_mapped(seeds, |v| ch.rank[v as usize])
    }

    /// [`Self::init`] with seeds' node ids mapped through `index` (identity for a search on
    /// the original numbering).
    pub(crate) fn init_mapped(&mut self, seeds: &[Seed], index: impl Fn(u32) -> u32) -> (i64, i64) {
        self.reset();
        let wmin = seeds.iter().map(|s| s.weight).min().unwrap_or(0);
        let dmin = seeds.iter().map(|s| s.dist).min().unwrap_or(0);
        for (i, s) in seeds.iter().enumerate() {
            let r = index(s.node);
            let w = u32::try_from(s.weight - wmin).unwrap_or(INF - 1);
            let d = u32::try_from(s.dist - dmin).unwrap_or(u32::MAX);
            if w < self.get(r) {
                self.set(r, w, d, u32::MAX, i as u32);
            }
        }
        (wmin, dmin)
    }

    /// Settles the next node of an upward search with stall-on-demand. `up` are the arcs to
    /// follow, `stall` the arcs from higher nodes into the settled one.
    #[inline]
    fn settle_next(&mut self, ch: &ContractionHierarchy, forward: bool) -> Option<(u32, u32)> {
        while let Some(Reverse((d, r))) = self.heap.pop() {
            if d != self.get(r) {
                continue;
            }
            let (relax, stall) = if forward {
                (ch.up_arcs(r), ch.down_arcs(r))
            } else {
                (ch.down_arcs(r), ch.up_arcs(r))
            };
            if stall
                .iter()
                .any(|a| self.get(a.other).saturating_add(a.weight) < d)
            {
                continue;
            }
            let sec = self.sec[r as usize];
            let seed = self.seed[r as usize];
            for a in relax {
                let nd = d.saturating_add(a.weight);
                if nd < self.get(a.other) {
                    self.set(a.other, nd, sec.wrapping_add(a.dist), r, seed);
                }
            }
            return Some((r, d));
        }
        None
    }

    fn min_key(&self) -> Option<u32> {
        self.heap.peek().map(|Reverse((d, _))| *d)
    }
}

/// Reusable per-thread state for CH queries: allocate once per thread, query many times.
#[derive(Clone, Debug)]
pub struct QueryWorkspace {
    fwd: SearchSide,
    bwd: SearchSide,
}

impl QueryWorkspace {
    /// A workspace sized for `ch`.
    pub fn new(ch: &ContractionHierarchy) -> Self {
        QueryWorkspace {
            fwd: SearchSide::new(ch.num_nodes()),
            bwd: SearchSide::new(ch.num_nodes()),
        }
    }

    pub(crate) fn fits(&self, ch: &ContractionHierarchy) -> bool {
        self.fwd.dist.len() == ch.num_nodes()
    }
}

impl ContractionHierarchy {
    /// Shortest path from any source seed to any target seed; `None` when unreachable.
    ///
    /// # Panics
    /// Panics if `ws` was made for a hierarchy of another size or a seed node is out of range.
    pub fn query(
        &self,
        ws: &mut QueryWorkspace,
        sources: &[Seed],
        targets: &[Seed],
    ) -> Option<QueryResult> {
        assert!(ws.fits(self), "workspace belongs to another hierarchy");
        if sources.is_empty() || targets.is_empty() {
            return None;
        }
        let (sw, sd) = ws.fwd.init(self, sources);
        let (tw, td) = ws.bwd.init(self, targets);
        let mut best = u64::MAX;
        let mut meet = u32::MAX;
        let mut forward = true;
        loop {
            let f_done = ws.fwd.min_key().is_none_or(|k| k as u64 >= best);
            let b_done = ws.bwd.min_key().is_none_or(|k| k as u64 >= best);
            if f_done && b_done {
                break;
            }
            if f_done {
                forward = false;
            } else if b_done {
                forward = true;
            }
            let (side, other) = if forward {
                (&mut ws.fwd, &ws.bwd)
            } else {
                (&mut ws.bwd, &ws.fwd)
            };
            if let Some((r, d)) = side.settle_next(self, forward) {
                let od = other.get(r);
                if od != INF && (d as u64 + od as u64) < best {
                    best = d as u64 + od as u64;
                    meet = r;
                }
            }
            forward = !forward;
        }
        if meet == u32::MAX {
            return None;
        }
        // Reconstruct the rank-space path through `meet`.
        let mut path = Vec::new();
        let mut r = meet;
        while r != u32::MAX {
            path.push(r);
            r = ws.fwd.pred[r as usize];
        }
        path.reverse();
        let mut r = ws.bwd.pred[meet as usize];
        while r != u32::MAX {
            path.push(r);
            r = ws.bwd.pred[r as usize];
        }
        let m = meet as usize;
        let dist = ws.fwd.sec[m] as i64 + ws.bwd.sec[m] as i64 + sd + td;
        Some(QueryResult {
            weight: best as i64 + sw + tw,
            dist,
            source_seed: ws.fwd.seed[m] as usize,
            target_seed: ws.bwd.seed[m] as usize,
            ch_path: path,
        })
    }

    /// The node ids (original numbering) of the path found by [`ContractionHierarchy::query`],
    /// shortcuts expanded.
    pub fn unpack(&self, result: &QueryResult) -> Vec<u32> {
        let mut nodes = Vec::with_capacity(result.ch_path.len() * 4);
        let Some(&first) = result.ch_path.first() else {
            return nodes;
        };
        nodes.push(self.order[first as usize]);
        // Explicit stack of arcs (from, to, middle) still to expand, processed left to right.
        let mut stack: Vec<(u32, u32, u32)> = Vec::new();
        for w in result.ch_path.windows(2) {
            stack.push((w[0], w[1], self.middle_of(w[0], w[1])));
            while let Some((a, b, m)) = stack.pop() {
                if m == NO_MIDDLE {
                    nodes.push(self.order[b as usize]);
                } else {
                    stack.push((m, b, self.middle_of(m, b)));
                    stack.push((a, m, self.middle_of(a, m)));
                }
            }
        }
        nodes
    }

    /// Middle node of the cheapest hierarchy arc `a -> b` (ranks).
    fn middle_of(&self, a: u32, b: u32) -> u32 {
        let arc = if a < b {
            self.up_arcs(a)
                .iter()
                .filter(|x| x.other == b)
                .min_by_key(|x| x.weight)
        } else {
            self.down_arcs(b)
                .iter()
                .filter(|x| x.other == a)
                .min_by_key(|x| x.weight)
        };
        arc.map_or(NO_MIDDLE, |x| x.middle)
    }
}

// ---------------------------------------------------------------------------------------------
// Many-to-many
// ---------------------------------------------------------------------------------------------

/// Weights and secondary values of a many-to-many query, row-major (`sources x targets`);
/// `None` where unreachable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManyToMany {
    /// Number of rows.
    pub num_sources: usize,
    /// Number of columns.
    pub num_targets: usize,
    /// Row-major cells: `(weight, dist)`.
    pub cells: Vec<Option<(i64, i64)>>,
}

/// Offsets subtracted from seeds: `(weight, dist)`.
type Shift = (i64, i64);

#[derive(Clone, Copy, Debug)]
struct BucketEntry {
    target: u32,
    weight: u32,
    dist: u32,
}

impl ContractionHierarchy {
    /// All shortest-path weights from each seed set in `sources` to each in `targets`
    /// (bucket-based, parallel over sources and targets with rayon).
    pub fn many_to_many(&self, sources: &[Vec<Seed>], targets: &[Vec<Seed>]) -> ManyToMany {
        let n = self.num_nodes();
        // Backward searches: fill buckets.
        let per_target: Vec<(Vec<(u32, BucketEntry)>, Shift)> = targets
            .par_iter()
            .enumerate()
            .map_init(
                || SearchSide::new(n),
                |side, (t, seeds)| {
                    let shift = side.init(self, seeds);
                    let mut entries = Vec::new();
                    while let Some((r, d)) = side.settle_next(self, false) {
                        entries.push((
                            r,
                            BucketEntry {
                                target: t as u32,
                                weight: d,
                                dist: side.sec[r as usize],
                            },
                        ));
                    }
                    (entries, shift)
                },
            )
            .collect();
        let mut bucket_first = vec![0u32; n + 1];
        for (entries, _) in &per_target {
            for (r, _) in entries {
                bucket_first[*r as usize + 1] += 1;
            }
        }
        for i in 0..n {
            bucket_first[i + 1] += bucket_first[i];
        }
        let mut fill = bucket_first.clone();
        let total = bucket_first[n] as usize;
        let mut buckets = vec![
            BucketEntry {
                target: 0,
                weight: 0,
                dist: 0
            };
            total
        ];
        for (entries, _) in &per_target {
            for (r, e) in entries {
                let slot = &mut fill[*r as usize];
                buckets[*slot as usize] = *e;
                *slot += 1;
            }
        }
        let shifts: Vec<(i64, i64)> = per_target.iter().map(|(_, s)| *s).collect();
        drop(per_target);
        let nt = targets.len();
        let rows: Vec<Vec<Option<(i64, i64)>>> = sources
            .par_iter()
            .map_init(
                || (SearchSide::new(n), Vec::new()),
                |(side, row): &mut (SearchSide, Vec<(u64, u32)>), seeds| {
                    row.clear();
                    row.resize(nt, (u64::MAX, 0));
                    let (sw, sd) = side.init(self, seeds);
                    while let Some((r, d)) = side.settle_next(self, true) {
                        let sec = side.sec[r as usize];
                        let b = &buckets[bucket_first[r as usize] as usize
                            ..bucket_first[r as usize + 1] as usize];
                        for e in b {
                            let w = d as u64 + e.weight as u64;
                            let cell = &mut row[e.target as usize];
                            if w < cell.0 {
                                *cell = (w, sec.wrapping_add(e.dist));
                            }
                        }
                    }
                    row.iter()
                        .zip(&shifts)
                        .map(|(&(w, d), &(tw, td))| {
                            (w != u64::MAX).then(|| (w as i64 + sw + tw, d as i64 + sd + td))
                        })
                        .collect()
                },
            )
            .collect();
        ManyToMany {
            num_sources: sources.len(),
            num_targets: nt,
            cells: rows.concat(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

impl ContractionHierarchy {
    /// Serialises the hierarchy (little-endian `u32` arrays with length prefixes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(
            16 + 4 * (self.order.len() * 3 + 2) + 16 * (self.up.len() + self.down.len()),
        );
        let put = |b: &mut Vec<u8>, v: u32| b.extend_from_slice(&v.to_le_bytes());
        put(&mut b, self.order.len() as u32);
        put(&mut b, self.up.len() as u32);
        put(&mut b, self.down.len() as u32);
        for &v in self
            .order
            .iter()
            .chain(&self.up_first)
            .chain(&self.down_first)
        {
            put(&mut b, v);
        }
        for a in self.up.iter().chain(&self.down) {
            for v in [a.other, a.weight, a.dist, a.middle] {
                put(&mut b, v);
            }
        }
        b
    }

    /// Reads what [`ContractionHierarchy::to_bytes`] wrote; `None` if the bytes are truncated
    /// or inconsistent.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        if bytes.len() % 4 != 0 {
            return None;
        }
        let n = words.next()? as usize;
        let nu = words.next()? as usize;
        let nd = words.next()? as usize;
        if bytes.len() != 4 * (3 + n + 2 * (n + 1) + 4 * (nu + nd)) {
            return None;
        }
        let order: Vec<u32> = words.by_ref().take(n).collect();
        let up_first: Vec<u32> = words.by_ref().take(n + 1).collect();
        let down_first: Vec<u32> = words.by_ref().take(n + 1).collect();
        let mut arcs = |k: usize| -> Vec<ChArc> {
            (0..k)
                .map(|_| ChArc {
                    other: words.next().unwrap_or(0),
                    weight: words.next().unwrap_or(0),
                    dist: words.next().unwrap_or(0),
                    middle: words.next().unwrap_or(0),
                })
                .collect()
        };
        let up = arcs(nu);
        let down = arcs(nd);
        let mut rank = vec![u32::MAX; n];
        for (r, &v) in order.iter().enumerate() {
            let slot = rank.get_mut(v as usize)?;
            if *slot != u32::MAX {
                return None;
            }
            *slot = r as u32;
        }
        let csr_ok = |first: &[u32], arcs: &[ChArc]| {
            first.first() == Some(&0)
                && first.last().map(|&l| l as usize) == Some(arcs.len())
                && first.windows(2).all(|w| w[0] <= w[1])
                && first.windows(2).enumerate().all(|(r, w)| {
                    arcs[w[0] as usize..w[1] as usize].iter().all(|a| {
                        a.other as usize > r
                            && (a.other as usize) < n
                            && (a.middle == NO_MIDDLE || (a.middle as usize) < r)
                    })
                })
        };
        if !csr_ok(&up_first, &up) || !csr_ok(&down_first, &down) {
            return None;
        }
        Some(ContractionHierarchy {
            order,
            rank,
            up_first,
            up,
            down_first,
            down,
        })
    }
}

#[cfg(test)]
mod tests {
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
