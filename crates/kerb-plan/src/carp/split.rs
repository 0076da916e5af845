//! The solver's view of an instance, and Ulusoy's split of a giant tour into trips.
//!
//! A task is a required edge in one direction: arc `2e` serves edge `e` from `u` to `v`, arc
//! `2e + 1` from `v` to `u`. Costs are deadheading only: the service cost is the same for
//! every solution.

use super::CarpInstance;

/// Distances and task data in flat arrays.
pub(super) struct Ctx {
    pub n: usize,
    pub m: usize,
    pub depot: usize,
    pub cap: i64,
    d: Vec<i64>,
    head: Vec<usize>,
    tail: Vec<usize>,
    pub demand: Vec<i64>,
    /// Per edge, the closest other edges (granular neighbourhoods of the local search).
    pub neighbours: Vec<Vec<u32>>,
}

/// Neighbours per edge in the local search.
const GRANULARITY: usize = 10;

impl Ctx {
    /// Expects a validated instance (every required edge reachable from the depot). Only the
    /// depot and the ends of required edges get ids: a large street graph with a few hundred
    /// segments to serve costs a few hundred Dijkstra runs, not all pairs.
    pub fn new(inst: &CarpInstance) -> Ctx {
        let adj = inst.adjacency();
        let mut id = vec![usize::MAX; inst.vertices];
        let mut verts = Vec::new();
        let ends = inst.required.iter().flat_map(|e| [e.u, e.v]);
        for v in std::iter::once(inst.depot).chain(ends) {
            if id[v] == usize::MAX {
                id[v] = verts.len();
                verts.push(v);
            }
        }
        let n = verts.len();
        let mut d = vec![0i64; n * n];
        for (a, &s) in verts.iter().enumerate() {
            let row = super::shortest_from(&adj, s);
            for (b, &t) in verts.iter().enumerate() {
                // Unreachable pairs never occur between vertices of required edges and the
                // depot of a validated instance; a huge finite value keeps sums overflow-free.
                d[a * n + b] = if row[t] == u64::MAX {
                    i64::MAX / 8
                } else {
                    row[t] as i64
                };
            }
        }
        let (mut head, mut tail) = (Vec::new(), Vec::new());
        for e in &inst.required {
            head.extend([id[e.u], id[e.v]]);
            tail.extend([id[e.v], id[e.u]]);
        }
        let m = inst.required.len();
        let near = |e: usize, f: usize| {
            let (a, b) = (2 * e, 2 * f);
            [(a, b), (a, b + 1), (a + 1, b), (a + 1, b + 1)]
                .iter()
                .map(|&(x, y)| d[head[x] * n + head[y]])
                .min()
                .unwrap_or(0)
        };
        let neighbours = (0..m)
            .map(|e| {
                let mut others: Vec<u32> = (0..m as u32).filter(|&f| f as usize != e).collect();
                others.sort_by_key(|&f| (near(e, f as usize), f));
                others.truncate(GRANULARITY);
                others
            })
            .collect();
        Ctx {
            n,
            m,
            depot: 0,
            cap: inst.capacity as i64,
            d,
            head,
            tail,
            demand: inst.required.iter().map(|e| e.demand as i64).collect(),
            neighbours,
        }
    }

    #[inline]
    pub fn dist(&self, a: usize, b: usize) -> i64 {
        self.d[a * self.n + b]
    }

    /// Start vertex of arc `a`.
    #[inline]
    pub fn h(&self, a: u32) -> usize {
        self.head[a as usize]
    }

    /// End vertex of arc `a`.
    #[inline]
    pub fn t(&self, a: u32) -> usize {
        self.tail[a as usize]
    }

    #[inline]
    pub fn dem(&self, a: u32) -> i64 {
        self.demand[(a >> 1) as usize]
    }

    /// Deadheading cost of a trip.
    pub fn route_cost(&self, r: &[u32]) -> i64 {
        let mut at = self.depot;
        let mut c = 0;
        for &a in r {
            c += self.dist(at, self.h(a));
            at = self.t(a);
        }
        c + self.dist(at, self.depot)
    }

    /// Best directions for a fixed sequence of edges (dynamic programming over the two
    /// directions of each edge): the arcs and their deadheading cost.
    pub fn orient(&self, edges: &[u32]) -> (Vec<u32>, i64) {
        if edges.is_empty() {
            return (Vec::new(), 0);
        }
        // f[k][o]: best cost of serving edges[..=k] ending with edges[k] in direction o.
        let mut f = vec![[0i64; 2]; edges.len()];
        let mut from = vec![[0u8; 2]; edges.len()];
        f[0] = [
            self.dist(self.depot, self.h(2 * edges[0])),
            self.dist(self.depot, self.h(2 * edges[0] + 1)),
        ];
        for k in 1..edges.len() {
            for o in 0..2 {
                let a = 2 * edges[k] + o as u32;
                let (c0, c1) = (
                    f[k - 1][0] + self.dist(self.t(2 * edges[k - 1]), self.h(a)),
                    f[k - 1][1] + self.dist(self.t(2 * edges[k - 1] + 1), self.h(a)),
                );
                (f[k][o], from[k][o]) = if c1 < c0 { (c1, 1) } else { (c0, 0) };
            }
        }
        let last = edges.len() - 1;
        let end = |o: usize| f[last][o] + self.dist(self.t(2 * edges[last] + o as u32), self.depot);
        let mut o = if end(1) < end(0) { 1 } else { 0 };
        let cost = end(o);
        let mut arcs = vec![0u32; edges.len()];
        for k in (0..edges.len()).rev() {
            arcs[k] = 2 * edges[k] + o as u32;
            o = from[k][o] as usize;
        }
        (arcs, cost)
    }

    /// Ulusoy's split: cuts the giant tour of edges into capacity-feasible trips minimising
    /// the total deadheading, directions chosen optimally inside each trip. Unlimited fleet.
    pub fn split(&self, tour: &[u32]) -> Vec<Vec<u32>> {
        let m = tour.len();
        let mut best = vec![i64::MAX; m + 1];
        let mut pred = vec![0usize; m + 1];
        best[0] = 0;
        for i in 0..m {
            if best[i] == i64::MAX {
                continue;
            }
            let mut load = 0;
            let mut f = [0i64; 2];
            for j in i..m {
                let e = tour[j];
                load += self.demand[e as usize];
                if load > self.cap {
                    break;
                }
                if j == i {
                    f = [
                        self.dist(self.depot, self.h(2 * e)),
                        self.dist(self.depot, self.h(2 * e + 1)),
                    ];
                } else {
                    let p = tour[j - 1];
                    let mut g = [0i64; 2];
                    for (o, go) in g.iter_mut().enumerate() {
                        let hv = self.h(2 * e + o as u32);
                        *go = (f[0] + self.dist(self.t(2 * p), hv))
                            .min(f[1] + self.dist(self.t(2 * p + 1), hv));
                    }
                    f = g;
                }
                let close = (f[0] + self.dist(self.t(2 * e), self.depot))
                    .min(f[1] + self.dist(self.t(2 * e + 1), self.depot));
                if best[i] + close < best[j + 1] {
                    best[j + 1] = best[i] + close;
                    pred[j + 1] = i;
                }
            }
        }
        let mut routes = Vec::new();
        let mut j = m;
        while j > 0 {
            let i = pred[j];
            routes.push(self.orient(&tour[i..j]).0);
            j = i;
        }
        routes.reverse();
        routes
    }
}
