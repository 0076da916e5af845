//! Local search on CARP trips. Every move chooses the service directions it creates: relocate
//! (with the same position and the other direction, a flip), swap, 2-opt inside a trip
//! (reversing a segment serves each of its edges the other way) and 2-opt* between trips in
//! both variants (tails exchanged, or heads joined with the reversed other head).
//!
//! Capacity excess is allowed at `penalty` per unit, so the search can cross infeasible
//! space; with a large penalty it stays feasible. The graph is undirected, so the distances
//! are symmetric, which makes a reversed segment cost what it did.

use super::split::Ctx;
use crate::sol::Rng;

const EPS: f64 = 1e-9;

struct Search<'a> {
    ctx: &'a Ctx,
    routes: Vec<Vec<u32>>,
    loads: Vec<i64>,
    penalty: f64,
}

impl Search<'_> {
    fn pen(&self, load: i64) -> f64 {
        (load - self.ctx.cap).max(0) as f64 * self.penalty
    }

    /// Vertex before position `i` of route `r`.
    fn before(&self, r: usize, i: usize) -> usize {
        if i == 0 {
            self.ctx.depot
        } else {
            self.ctx.t(self.routes[r][i - 1])
        }
    }

    /// Vertex after position `i` of route `r`.
    fn after(&self, r: usize, i: usize) -> usize {
        match self.routes[r].get(i + 1) {
            Some(&a) => self.ctx.h(a),
            None => self.ctx.depot,
        }
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

    /// Best relocate or swap of the task at (r, i); applies it when it improves.
    fn move_task(&mut self, r: usize, i: usize) -> bool {
        let c = self.ctx;
        let a = self.routes[r][i];
        let e = a >> 1;
        let dem = c.dem(a);
        let (p, q) = (self.before(r, i), self.after(r, i));
        let out_gain = c.dist(p, c.h(a)) + c.dist(c.t(a), q) - c.dist(p, q);
        let lr = self.loads[r];
        // (delta, kind: 0 relocate / 1 swap, route, position, arc, other arc)
        let mut best: Option<(f64, u8, usize, usize, u32, u32)> = None;
        let mut consider = |delta: f64, cand: (u8, usize, usize, u32, u32)| {
            if delta < -EPS && best.is_none_or(|b| delta < b.0) {
                best = Some((delta, cand.0, cand.1, cand.2, cand.3, cand.4));
            }
        };
        // Relocate inside the same trip (positions of the trip without the task).
        let len = self.routes[r].len();
        for j in 0..len {
            let at = |k: usize| self.routes[r][if k < i { k } else { k + 1 }];
            let pp = if j == 0 { c.depot } else { c.t(at(j - 1)) };
            let qq = if j + 1 >= len { c.depot } else { c.h(at(j)) };
            let (ins, arc) = self.insert_cost(e, pp, qq);
            if j == i && arc == a {
                continue;
            }
            consider((ins - out_gain) as f64, (0, r, j, arc, 0));
        }
        let pen_out = self.pen(lr - dem) - self.pen(lr);
        for r2 in 0..=self.routes.len() {
            if r2 == r {
                continue;
            }
            if r2 == self.routes.len() {
                let (ins, arc) = self.insert_cost(e, c.depot, c.depot);
                if len > 1 {
                    let delta = (ins - out_gain) as f64 + pen_out + self.pen(dem);
                    consider(delta, (0, r2, 0, arc, 0));
                }
                continue;
            }
            let l2 = self.loads[r2];
            let pen_in = self.pen(l2 + dem) - self.pen(l2);
            for j in 0..=self.routes[r2].len() {
                let pp = self.before(r2, j);
                let qq = match self.routes[r2].get(j) {
                    Some(&b) => c.h(b),
                    None => c.depot,
                };
                let (ins, arc) = self.insert_cost(e, pp, qq);
                consider(
                    (ins - out_gain) as f64 + pen_out + pen_in,
                    (0, r2, j, arc, 0),
                );
            }
            // Swap with each task of r2.
            for j in 0..self.routes[r2].len() {
                let b = self.routes[r2][j];
                let db = c.dem(b);
                let (p2, q2) = (self.before(r2, j), self.after(r2, j));
                let out2 = c.dist(p2, c.h(b)) + c.dist(c.t(b), q2);
                let (in1, arc_b) = self.insert_cost(b >> 1, p, q);
                let (in2, arc_a) = self.insert_cost(e, p2, q2);
                let delta = (in1 + c.dist(p, q) - (out_gain + c.dist(p, q))) as f64
                    + (in2 + c.dist(p2, q2) - out2) as f64
                    + self.pen(lr - dem + db)
                    - self.pen(lr)
                    + self.pen(l2 - db + dem)
                    - self.pen(l2);
                consider(delta, (1, r2, j, arc_a, arc_b));
            }
        }
        let Some((_, kind, r2, j, arc, other)) = best else {
            return false;
        };
        if kind == 1 {
            let b = self.routes[r2][j];
            self.routes[r][i] = other;
            self.routes[r2][j] = arc;
            self.loads[r] += c.dem(b) - dem;
            self.loads[r2] += dem - c.dem(b);
        } else {
            self.routes[r].remove(i);
            self.loads[r] -= dem;
            if r2 == self.routes.len() {
                self.routes.push(Vec::new());
                self.loads.push(0);
            }
            self.routes[r2].insert(j, arc);
            self.loads[r2] += dem;
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
                let q = self.after(r, j);
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
        true
    }

    /// Best 2-opt* between trips `r1` and `r2`; applies it when it improves.
    fn two_opt_star(&mut self, r1: usize, r2: usize) -> bool {
        let c = self.ctx;
        let (x, y) = (&self.routes[r1], &self.routes[r2]);
        let (l1, l2) = (self.loads[r1], self.loads[r2]);
        let old_pen = self.pen(l1) + self.pen(l2);
        let mut best = (-EPS, 0, 0, false);
        let mut la = 0;
        for i in 0..=x.len() {
            let ta = if i == 0 { c.depot } else { c.t(x[i - 1]) };
            let ha = x.get(i).map_or(c.depot, |&a| c.h(a));
            if i > 0 {
                la += c.dem(x[i - 1]);
            }
            let mut lb = 0;
            for j in 0..=y.len() {
                let tb = if j == 0 { c.depot } else { c.t(y[j - 1]) };
                let hb = y.get(j).map_or(c.depot, |&b| c.h(b));
                if j > 0 {
                    lb += c.dem(y[j - 1]);
                }
                let old = c.dist(ta, ha) + c.dist(tb, hb);
                // A1 B2 | B1 A2
                let d1 = (c.dist(ta, hb) + c.dist(tb, ha) - old) as f64
                    + self.pen(la + l2 - lb)
                    + self.pen(lb + l1 - la)
                    - old_pen;
                if d1 < best.0 {
                    best = (d1, i, j, false);
                }
                // A1 rev(B1) | rev(A2) B2
                let d2 = (c.dist(ta, tb) + c.dist(ha, hb) - old) as f64
                    + self.pen(la + lb)
                    + self.pen(l1 - la + l2 - lb)
                    - old_pen;
                if d2 < best.0 {
                    best = (d2, i, j, true);
                }
            }
        }
        if best.0 >= -EPS {
            return false;
        }
        let (_, i, j, reversed) = best;
        let a2 = self.routes[r1].split_off(i);
        let b2 = self.routes[r2].split_off(j);
        let b1 = std::mem::take(&mut self.routes[r2]);
        let flip = |v: Vec<u32>| v.into_iter().rev().map(|a| a ^ 1).collect::<Vec<u32>>();
        if reversed {
            self.routes[r1].extend(flip(b1));
            self.routes[r2] = flip(a2);
            self.routes[r2].extend(b2);
        } else {
            self.routes[r1].extend(b2);
            self.routes[r2] = b1;
            self.routes[r2].extend(a2);
        }
        for r in [r1, r2] {
            self.loads[r] = self.routes[r].iter().map(|&a| c.dem(a)).sum();
        }
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
        penalty,
    };
    s.routes.retain(|r| !r.is_empty());
    s.loads = s
        .routes
        .iter()
        .map(|r| r.iter().map(|&a| ctx.dem(a)).sum())
        .collect();
    let mut order: Vec<u32> = (0..ctx.m as u32).collect();
    let mut where_: Vec<(usize, usize)> = vec![(0, 0); ctx.m];
    loop {
        let mut improved = false;
        rng.shuffle(&mut order);
        for &e in &order {
            for (r, route) in s.routes.iter().enumerate() {
                for (i, &a) in route.iter().enumerate() {
                    where_[(a >> 1) as usize] = (r, i);
                }
            }
            let (r, i) = where_[e as usize];
            if s.move_task(r, i) {
                improved = true;
                if s.routes[r].is_empty() {
                    s.routes.remove(r);
                    s.loads.remove(r);
                }
            }
        }
        for r in 0..s.routes.len() {
            while s.two_opt(r) {
                improved = true;
            }
        }
        let mut r1 = 0;
        while r1 < s.routes.len() {
            let mut r2 = r1 + 1;
            while r2 < s.routes.len() {
                if s.two_opt_star(r1, r2) {
                    improved = true;
                }
                r2 += 1;
            }
            r1 += 1;
        }
        let before = s.routes.len();
        let keep: Vec<bool> = s.routes.iter().map(|r| !r.is_empty()).collect();
        let mut k = 0;
        s.loads.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        s.routes.retain(|r| !r.is_empty());
        improved |= s.routes.len() != before;
        if !improved {
            break;
        }
    }
    *routes = s.routes;
}
