//! Local search on CARP trips. Every move chooses the service directions it creates: relocate
//! (and, in place, a flip), swap, 2-opt inside a trip (reversing a segment serves each of its
//! edges the other way) and 2-opt* between trips in both variants (tails exchanged, or heads
//! joined with the reversed other head).
//!
//! Moves between edges are granular (Toth & Vigo; Vidal's HGS-CARP): an edge is only moved
//! next to, swapped with or reconnected to one of its closest edges ([`Ctx::neighbours`]).
//! Capacity excess is allowed at `penalty` per unit, so the search can cross infeasible
//! space; with a large penalty it stays feasible. The graph is undirected, so the distances
//! are symmetric, which makes a reversed segment cost what it did.

use super::split::Ctx;
use crate::rng::Rng;

/// Smallest improvement taken. Deadheading changes by whole units and the penalty is at least
/// 0.1 per unit, so this only rules out float noise (which could otherwise let a move and its
/// reverse both look improving).
const EPS: f64 = 1e-4;
/// Safety net on the passes of one local search (convergence takes a few dozen).
const MAX_PASSES: usize = 10_000;

#[derive(Clone, Copy)]
enum Move {
    /// Edge at (route, position) reinserted as `arc` at `gap` of `route` (the gap index of
    /// the route without the edge when it is the same route).
    Relocate { route: usize, gap: usize, arc: u32 },
    /// Exchange with the task at (route, position), each taking the given arc.
    Swap {
        route: usize,
        pos: usize,
        mine: u32,
        theirs: u32,
    },
    /// 2-opt* between the edge's route cut at `c1` and `route` cut at `c2`.
    Cross {
        route: usize,
        c1: usize,
        c2: usize,
        reversed: bool,
    },
}

struct Search<'a> {
    ctx: &'a Ctx,
    routes: Vec<Vec<u32>>,
    loads: Vec<i64>,
    /// Prefix loads: `prefix[r][k]` = demand of the first `k` tasks of route `r`.
    prefix: Vec<Vec<i64>>,
    /// (route, position) of each edge.
    pos: Vec<(usize, usize)>,
    penalty: f64,
}

impl Search<'_> {
    fn pen(&self, load: i64) -> f64 {
        (load - self.ctx.cap).max(0) as f64 * self.penalty
    }

    fn refresh(&mut self, r: usize) {
        let c = self.ctx;
        let mut acc = 0;
        let prefix = &mut self.prefix[r];
        prefix.clear();
        prefix.push(0);
        for (i, &a) in self.routes[r].iter().enumerate() {
            acc += c.dem(a);
            prefix.push(acc);
            self.pos[(a >> 1) as usize] = (r, i);
        }
        self.loads[r] = acc;
    }

    /// Vertex before position `i` of route `r` (end of the previous task, or the depot).
    fn before(&self, r: usize, i: usize) -> usize {
        if i == 0 {
            self.ctx.depot
        } else {
            self.ctx.t(self.routes[r][i - 1])
        }
    }

    /// Start of the task at position `i` of route `r`, or the depot past the end.
    fn start(&self, r: usize, i: usize) -> usize {
        self.routes[r]
            .get(i)
            .map_or(self.ctx.depot, |&a| self.ctx.h(a))
    }

    /// Cheapest way to put edge `e` between vertices `p` and `q`: (extra cost, arc).
    fn insert_cost(&self, e: u32, p: usize, q: usize) -> (i64, u32) {
        let c = self.ctx;
        let base = c.dist(p, q);
        let f = c.dist(p, c.h(2 * e)) + c.dist(c.t(2 * e), q) - base;
        let b = c.dist(p, c.h(2 * e + 1)) + c.dist(c.t(2 * e + 1), q) - base;
        if b < f {
            (b, 2 * e + 1)
        } else {
            (f, 2 * e)
        }
    }

    /// Cost change of 2-opt* cutting route `r1` after `c1` tasks and `r2` after `c2`.
    fn cross_delta(&self, r1: usize, c1: usize, r2: usize, c2: usize, reversed: bool) -> f64 {
        let c = self.ctx;
        let (ta, ha) = (self.before(r1, c1), self.start(r1, c1));
        let (tb, hb) = (self.before(r2, c2), self.start(r2, c2));
        let (la, lb) = (self.prefix[r1][c1], self.prefix[r2][c2]);
        let (l1, l2) = (self.loads[r1], self.loads[r2]);
        let old = c.dist(ta, ha) + c.dist(tb, hb);
        let old_pen = self.pen(l1) + self.pen(l2);
        if reversed {
            // A1 rev(B1) | rev(A2) B2
            (c.dist(ta, tb) + c.dist(ha, hb) - old) as f64 + self.pen(la + lb) - old_pen
                + self.pen(l1 - la + l2 - lb)
        } else {
            // A1 B2 | B1 A2
            (c.dist(ta, hb) + c.dist(tb, ha) - old) as f64 + self.pen(la + l2 - lb) - old_pen
                + self.pen(lb + l1 - la)
        }
    }

    /// Best granular move of edge `e`; applies it when it improves.
    fn move_edge(&mut self, e: u32) -> bool {
        let c = self.ctx;
        let (r, i) = self.pos[e as usize];
        let a = self.routes[r][i];
        let dem = c.dem(a);
        let len = self.routes[r].len();
        let (p, q) = (self.before(r, i), self.start(r, i + 1));
        let out_gain = c.dist(p, c.h(a)) + c.dist(c.t(a), q) - c.dist(p, q);
        let lr = self.loads[r];
        let pen_out = self.pen(lr - dem) - self.pen(lr);
        let mut best: (f64, Option<Move>) = (-EPS, None);
        let mut consider = |delta: f64, mv: Move| {
            if delta < best.0 {
                best = (delta, Some(mv));
            }
        };
        // Flip in place.
        let (ins, arc) = self.insert_cost(e, p, q);
        if arc != a {
            consider(
                (ins - out_gain) as f64,
                Move::Relocate {
                    route: r,
                    gap: i,
                    arc,
                },
            );
        }
        // Alone in a new trip.
        if len > 1 {
            if let Some(empty) = self.routes.iter().position(|x| x.is_empty()) {
                let (ins, arc) = self.insert_cost(e, c.depot, c.depot);
                consider(
                    (ins - out_gain) as f64 + pen_out + self.pen(dem),
                    Move::Relocate {
                        route: empty,
                        gap: 0,
                        arc,
                    },
                );
            }
        }
        for &f in &c.neighbours[e as usize] {
            let (r2, j) = self.pos[f as usize];
            let b = self.routes[r2][j];
            if r2 == r {
                // Reinsert before or after f in the trip without e.
                let red = |k: usize| self.routes[r][if k < i { k } else { k + 1 }];
                for gap in [j, j + 1] {
                    if gap == i || gap == i + 1 {
                        continue;
                    }
                    let g = if gap > i { gap - 1 } else { gap };
                    let pp = if g == 0 { c.depot } else { c.t(red(g - 1)) };
                    let qq = if g == len - 1 { c.depot } else { c.h(red(g)) };
                    let (ins, arc) = self.insert_cost(e, pp, qq);
                    consider(
                        (ins - out_gain) as f64,
                        Move::Relocate {
                            route: r,
                            gap: g,
                            arc,
                        },
                    );
                }
            } else {
                let l2 = self.loads[r2];
                let pen_in = self.pen(l2 + dem) - self.pen(l2);
                for gap in [j, j + 1] {
                    let (pp, qq) = (self.before(r2, gap), self.start(r2, gap));
                    let (ins, arc) = self.insert_cost(e, pp, qq);
                    consider(
                        (ins - out_gain) as f64 + pen_out + pen_in,
                        Move::Relocate {
                            route: r2,
                            gap,
                            arc,
                        },
                    );
                }
                // 2-opt*: connect e and f directly in the four ways a cut allows.
                for (c1, c2, reversed) in [
                    (i + 1, j, false),
                    (i + 1, j + 1, true),
                    (i, j, true),
                    (i, j + 1, false),
                ] {
                    let delta = self.cross_delta(r, c1, r2, c2, reversed);
                    consider(
                        delta,
                        Move::Cross {
                            route: r2,
                            c1,
                            c2,
                            reversed,
                        },
                    );
                }
            }
            if r2 != r || i.abs_diff(j) >= 2 {
                let db = c.dem(b);
                let (p2, q2) = (self.before(r2, j), self.start(r2, j + 1));
                let out2 = c.dist(p2, c.h(b)) + c.dist(c.t(b), q2) - c.dist(p2, q2);
                let (in1, theirs) = self.insert_cost(f, p, q);
                let (in2, mine) = self.insert_cost(e, p2, q2);
                let mut delta = (in1 - out_gain + in2 - out2) as f64;
                if r2 != r {
                    let l2 = self.loads[r2];
                    delta += self.pen(lr - dem + db) - self.pen(lr) + self.pen(l2 - db + dem)
                        - self.pen(l2);
                }
                consider(
                    delta,
                    Move::Swap {
                        route: r2,
                        pos: j,
                        mine,
                        theirs,
                    },
                );
            }
        }
        let Some(mv) = best.1 else {
            return false;
        };
        match mv {
            Move::Relocate { route, gap, arc } => {
                self.routes[r].remove(i);
                self.routes[route].insert(gap, arc);
                self.refresh(r);
                self.refresh(route);
            }
            Move::Swap {
                route,
                pos,
                mine,
                theirs,
            } => {
                self.routes[r][i] = theirs;
                self.routes[route][pos] = mine;
                self.refresh(r);
                self.refresh(route);
            }
            Move::Cross {
                route,
                c1,
                c2,
                reversed,
            } => {
                let a2 = self.routes[r].split_off(c1);
                let b2 = self.routes[route].split_off(c2);
                let b1 = std::mem::take(&mut self.routes[route]);
                let flip = |v: Vec<u32>| v.into_iter().rev().map(|a| a ^ 1).collect::<Vec<u32>>();
                if reversed {
                    self.routes[r].extend(flip(b1));
                    self.routes[route] = flip(a2);
                    self.routes[route].extend(b2);
                } else {
                    self.routes[r].extend(b2);
                    self.routes[route] = b1;
                    self.routes[route].extend(a2);
                }
                self.refresh(r);
                self.refresh(route);
            }
        }
        if self.routes.iter().all(|x| !x.is_empty()) {
            self.routes.push(Vec::new());
            self.loads.push(0);
            self.prefix.push(vec![0]);
        }
        true
    }

    /// Best segment reversal inside trip `r`; applies it when it improves.
    fn two_opt(&mut self, r: usize) -> bool {
        let c = self.ctx;
        let route = &self.routes[r];
        let mut best = (-EPS, 0, 0);
        for i in 0..route.len() {
            let p = self.before(r, i);
            let hi = c.h(route[i]);
            for (j, &aj) in route.iter().enumerate().skip(i + 1) {
                let q = self.start(r, j + 1);
                let tj = c.t(aj);
                let delta = (c.dist(p, tj) + c.dist(hi, q) - c.dist(p, hi) - c.dist(tj, q)) as f64;
                if delta < best.0 {
                    best = (delta, i, j);
                }
            }
        }
        if best.0 >= -EPS {
            return false;
        }
        let seg = &mut self.routes[r][best.1..=best.2];
        seg.reverse();
        for a in seg {
            *a ^= 1;
        }
        self.refresh(r);
        true
    }
}

/// Improves `routes` until no move improves (deadheading + `penalty` x capacity excess).
/// Empty trips are removed.
pub(super) fn local_search(ctx: &Ctx, routes: &mut Vec<Vec<u32>>, penalty: f64, rng: &mut Rng) {
    let mut s = Search {
        ctx,
        routes: std::mem::take(routes),
        loads: Vec::new(),
        prefix: Vec::new(),
        pos: vec![(0, 0); ctx.m],
        penalty,
    };
    s.routes.retain(|r| !r.is_empty());
    s.routes.push(Vec::new());
    s.loads = vec![0; s.routes.len()];
    s.prefix = vec![Vec::new(); s.routes.len()];
    for r in 0..s.routes.len() {
        s.refresh(r);
    }
    let mut order: Vec<u32> = (0..ctx.m as u32).collect();
    for _ in 0..MAX_PASSES {
        let mut improved = false;
        rng.shuffle(&mut order);
        for &e in &order {
            improved |= s.move_edge(e);
        }
        for r in 0..s.routes.len() {
            while s.two_opt(r) {
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    s.routes.retain(|r| !r.is_empty());
    *routes = s.routes;
}
