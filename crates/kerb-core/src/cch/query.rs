//! Elimination-tree queries on a customized CCH: every upward arc leads to an ancestor in the
//! elimination tree, so the search space of a seed set is the union of the seeds' ancestor
//! paths, relaxed in rank order without a priority queue. Paths unpack through lower
//! triangles; many-to-many keeps buckets of the targets' backward searches.

use rayon::prelude::*;

use super::*;

const UNREACHED: i64 = i64::MAX;
const NO_PRED: u32 = u32::MAX;

/// One side of a query: tentative costs by rank, the seed and predecessor they came from.
#[derive(Clone, Debug)]
struct Side {
    weight: Vec<i64>,
    dist: Vec<i64>,
    pred: Vec<u32>,
    seed: Vec<u32>,
    in_space: Vec<bool>,
    /// Ranks of the search space, ascending after [`Side::run`].
    space: Vec<u32>,
}

impl Side {
    fn new(n: usize) -> Self {
        Side {
            weight: vec![UNREACHED; n],
            dist: vec![0; n],
            pred: vec![NO_PRED; n],
            seed: vec![0; n],
            in_space: vec![false; n],
            space: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for &r in &self.space {
            self.weight[r as usize] = UNREACHED;
            self.pred[r as usize] = NO_PRED;
            self.in_space[r as usize] = false;
        }
        self.space.clear();
    }

    /// Seeds the side, collects the union of the seeds' ancestor paths and relaxes it in
    /// rank order along `cost` (the metric of the side's direction).
    ///
    /// With `other`, the finished search of the opposite direction: returns the best meeting
    /// `(weight, dist, rank)` and prunes as it goes (a node whose weight already exceeds the
    /// best meeting found below it relaxes nothing: every path through it is longer).
    fn run(
        &mut self,
        t: &CchTopology,
        cost: &[Packed],
        seeds: &[Seed],
        shift: i64,
        other: Option<&Side>,
    ) -> Option<(i64, i64, u32)> {
        self.clear();
        for (i, s) in seeds.iter().enumerate() {
            let Some(&r) = t.rank.get(s.node as usize) else {
                continue;
            };
            let w = s.weight - shift;
            if w < self.weight[r as usize] {
                self.weight[r as usize] = w;
                self.dist[r as usize] = s.dist;
                self.seed[r as usize] = i as u32;
            }
            let mut a = r;
            while !self.in_space[a as usize] {
                self.in_space[a as usize] = true;
                self.space.push(a);
                match t.parent(a) {
                    Some(p) => a = p,
                    None => break,
                }
            }
        }
        // One seed's ancestor path is ascending already; a union of several is not.
        if seeds.len() > 1 {
            self.space.sort_unstable();
        }
        let mut best: Option<(i64, i64, u32)> = None;
        for &r in &self.space {
            let w = self.weight[r as usize];
            if w == UNREACHED {
                continue;
            }
            let d = self.dist[r as usize];
            if let Some(o) = other {
                let ow = o.weight[r as usize];
                if ow != UNREACHED {
                    let c = (w + ow, d + o.dist[r as usize]);
                    if best.is_none_or(|(bw, bd, _)| c < (bw, bd)) {
                        best = Some((c.0, c.1, r));
                    }
                }
                if best.is_some_and(|(bw, _, _)| w > bw) {
                    continue;
                }
            }
            let seed = self.seed[r as usize];
            for k in t.up_range(r) {
                if cost[k] == INF {
                    continue;
                }
                let (cw, cd) = unpack_cost(cost[k]);
                let h = t.up_head[k] as usize;
                let nw = w + cw as i64;
                if nw < self.weight[h] {
                    self.weight[h] = nw;
                    self.dist[h] = d + cd as i64;
                    self.pred[h] = r;
                    self.seed[h] = seed;
                }
            }
        }
        best
    }
}

use crate::ch::Seed;

/// Reusable search state of one thread for queries on a [`Cch`] (no allocation per query).
#[derive(Clone, Debug)]
pub struct CchWorkspace {
    forward: Side,
    backward: Side,
}

/// Result of a point-to-point query on a [`Cch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CchResult {
    /// Total weight including seed offsets.
    pub weight: i64,
    /// Total secondary value including seed offsets.
    pub dist: i64,
    /// Index into the source seeds where the path starts.
    pub source_seed: usize,
    /// Index into the target seeds where the path ends.
    pub target_seed: usize,
    /// The path over CCH arcs in rank space; see [`Cch::unpack`].
    path: Vec<u32>,
}

impl Cch {
    /// A workspace for [`Cch::query`], sized for this graph.
    pub fn workspace(&self) -> CchWorkspace {
        let n = self.num_nodes();
        CchWorkspace {
            forward: Side::new(n),
            backward: Side::new(n),
        }
    }

    /// Shortest path from any source seed to any target seed (`None` if unreachable); seed
    /// offsets count as in [`ch::ContractionHierarchy::query`]. Seeds naming nodes out of range
    /// are ignored.
    pub fn query(
        &self,
        ws: &mut CchWorkspace,
        sources: &[Seed],
        targets: &[Seed],
    ) -> Option<CchResult> {
        if ws.forward.weight.len() != self.num_nodes() {
            *ws = self.workspace();
        }
        let t = &*self.topology;
        let shift_s = sources.iter().map(|s| s.weight).min()?;
        let shift_t = targets.iter().map(|s| s.weight).min()?;
        ws.backward.run(t, &self.down, targets, shift_t, None);
        let best = ws
            .forward
            .run(t, &self.up, sources, shift_s, Some(&ws.backward));
        let (f, b) = (&ws.forward, &ws.backward);
        let (w, d, meet) = best?;
        let mut path = Vec::new();
        let mut r = meet;
        while f.pred[r as usize] != NO_PRED {
            path.push(r);
            r = f.pred[r as usize];
        }
        path.push(r);
        path.reverse();
        let mut r = meet;
        while b.pred[r as usize] != NO_PRED {
            r = b.pred[r as usize];
            path.push(r);
        }
        Some(CchResult {
            weight: w + shift_s + shift_t,
            dist: d,
            source_seed: f.seed[meet as usize] as usize,
            target_seed: b.seed[meet as usize] as usize,
            path,
        })
    }

    /// Cost of the directed arc between ranks `a` and `b` (which are adjacent).
    fn arc_cost(&self, a: u32, b: u32) -> Packed {
        let t = &self.topology;
        match t.arc_between(a.min(b), a.max(b)) {
            Some(k) if a < b => self.up[k],
            Some(k) => self.down[k],
            None => INF,
        }
    }

    /// The nodes (original ids) of a query's path, the CCH arcs unpacked into arcs of the
    /// input graph.
    pub fn unpack(&self, r: &CchResult) -> Vec<u32> {
        let t = &self.topology;
        let mut out = Vec::with_capacity(r.path.len() * 4);
        let Some(&first) = r.path.first() else {
            return out;
        };
        out.push(t.order[first as usize]);
        // Explicit stack of arcs still to unpack, in path order (last = next).
        let mut stack: Vec<(u32, u32)> = r.path.windows(2).rev().map(|w| (w[0], w[1])).collect();
        while let Some((a, b)) = stack.pop() {
            let cost = unpack_cost(self.arc_cost(a, b)).0;
            let (lo, hi) = (a.min(b), a.max(b));
            // A lower triangle a -> v -> b of the same weight, or an input arc. The arc v-lo
            // comes with the downward view; only v-hi is searched for.
            let middle = t.down_range(lo).find_map(|d| {
                let v = t.down_tail[d];
                let k_lo = t.down_arc[d] as usize;
                let k_hi = t.arc_between(v, hi)?;
                // v is below both ends: a -> v runs down, v -> b runs up.
                let (x, y) = if a == lo {
                    (self.down[k_lo], self.up[k_hi])
                } else {
                    (self.down[k_hi], self.up[k_lo])
                };
                (x != INF
                    && y != INF
                    && unpack_cost(x).0 as u64 + unpack_cost(y).0 as u64 == cost as u64)
                    .then_some(v)
            });
            match middle {
                Some(v) => {
                    stack.push((v, b));
                    stack.push((a, v));
                }
                None => out.push(t.order[b as usize]),
            }
        }
        out
    }

    /// Shortest-path costs from each seed set in `sources` to each in `targets` (row-major;
    /// bucket-based: the targets' backward searches fill buckets by rank, each source's
    /// forward search scans them), parallel over sources and targets with rayon.
    pub fn many_to_many(&self, sources: &[Vec<Seed>], targets: &[Vec<Seed>]) -> ch::ManyToMany {
        let t = &*self.topology;
        let n = self.num_nodes();
        // (rank, target, weight, dist), weights relative to the target's shift.
        let mut buckets: Vec<(u32, u32, i64, i64)> = targets
            .par_iter()
            .enumerate()
            .map_init(
                || Side::new(n),
                |side, (j, seeds)| {
                    let Some(shift) = seeds.iter().map(|s| s.weight).min() else {
                        return Vec::new();
                    };
                    side.run(t, &self.down, seeds, shift, None);
                    side.space
                        .iter()
                        .filter(|&&r| side.weight[r as usize] != UNREACHED)
                        .map(|&r| {
                            let r = r as usize;
                            (r as u32, j as u32, side.weight[r] + shift, side.dist[r])
                        })
                        .collect::<Vec<_>>()
                },
            )
            .flatten()
            .collect();
        buckets.par_sort_unstable_by_key(|e| (e.0, e.1));
        let nt = targets.len();
        let cells: Vec<Option<(i64, i64)>> = sources
            .par_iter()
            .map_init(
                || Side::new(n),
                |side, seeds| {
                    let mut row: Vec<Option<(i64, i64)>> = vec![None; nt];
                    let Some(shift) = seeds.iter().map(|s| s.weight).min() else {
                        return row;
                    };
                    side.run(t, &self.up, seeds, shift, None);
                    for &r in &side.space {
                        let w = side.weight[r as usize];
                        if w == UNREACHED {
                            continue;
                        }
                        let d = side.dist[r as usize];
                        let lo = buckets.partition_point(|e| e.0 < r);
                        for e in buckets[lo..].iter().take_while(|e| e.0 == r) {
                            let c = (w + shift + e.2, d + e.3);
                            let cell = &mut row[e.1 as usize];
                            if cell.is_none_or(|old| c < old) {
                                *cell = Some(c);
                            }
                        }
                    }
                    row
                },
            )
            .flatten()
            .collect();
        ch::ManyToMany {
            num_sources: sources.len(),
            num_targets: nt,
            cells,
        }
    }
}
