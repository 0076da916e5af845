//! Point-to-point queries (fast_paths' `path_calculator.rs`): bidirectional upward Dijkstra
//! with stall-on-demand in a caller-owned workspace, and path unpacking.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::*;

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
    pub(super) fn init(&mut self, ch: &ContractionHierarchy, seeds: &[Seed]) -> (i64, i64) {
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
    pub(super) fn settle_next(
        &mut self,
        ch: &ContractionHierarchy,
        forward: bool,
    ) -> Option<(u32, u32)> {
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
