//! Solver-side solution, objective and random numbers.

use crate::inst::{load_le, Inst, EPS};
use crate::route::{schedule, Node, Route, Seg};

/// Lexicographic objective: unserved mandatory weight, vehicles (if minimised), cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Obj {
    pub hard: f64,
    pub veh: usize,
    pub cost: f64,
}

impl Obj {
    /// Strictly better than `o`.
    pub fn better(&self, o: &Obj) -> bool {
        if (self.hard - o.hard).abs() > 1e-9 {
            return self.hard < o.hard;
        }
        if self.veh != o.veh {
            return self.veh < o.veh;
        }
        self.cost < o.cost - 1e-9
    }
}

/// Solution: one route per vehicle (possibly empty) plus unassigned jobs.
///
/// A journal makes a ruin-and-recreate move undoable without copying untouched routes:
/// `begin`, modify (every route change goes through `touch` first), then `commit` or
/// `rollback`.
#[derive(Debug)]
pub(crate) struct Sol {
    pub routes: Vec<Route>,
    pub unassigned: Vec<u32>,
    journaling: bool,
    saved: Vec<(usize, Route)>,
    saved_unassigned: Vec<u32>,
}

impl Clone for Sol {
    fn clone(&self) -> Sol {
        Sol {
            routes: self.routes.clone(),
            unassigned: self.unassigned.clone(),
            journaling: false,
            saved: Vec::new(),
            saved_unassigned: Vec::new(),
        }
    }
}

impl Sol {
    pub fn empty(inst: &Inst) -> Sol {
        Sol {
            routes: (0..inst.nv).map(|v| Route::new(inst, v)).collect(),
            unassigned: Vec::new(),
            journaling: false,
            saved: Vec::new(),
            saved_unassigned: Vec::new(),
        }
    }

    /// Records route `r` before its first change since `begin`.
    #[inline]
    pub fn touch(&mut self, r: usize) {
        if self.journaling && !self.saved.iter().any(|(i, _)| *i == r) {
            self.saved.push((r, self.routes[r].clone()));
        }
    }

    /// Routes changed since `begin`.
    pub fn touched(&self) -> impl Iterator<Item = usize> + '_ {
        self.saved.iter().map(|(i, _)| *i)
    }

    pub fn begin(&mut self) {
        self.journaling = true;
        self.saved.clear();
        self.saved_unassigned.clear();
        self.saved_unassigned.extend_from_slice(&self.unassigned);
    }

    pub fn commit(&mut self) {
        self.journaling = false;
        self.saved.clear();
    }

    pub fn rollback(&mut self) {
        for (i, r) in self.saved.drain(..) {
            self.routes[i] = r;
        }
        std::mem::swap(&mut self.unassigned, &mut self.saved_unassigned);
        self.journaling = false;
    }

    pub fn obj(&self, inst: &Inst) -> Obj {
        let mut o = Obj {
            hard: 0.0,
            veh: 0,
            cost: 0.0,
        };
        for r in &self.routes {
            if r.n_jobs > 0 {
                if inst.minimize_vehicles {
                    o.veh += 1;
                }
                o.cost += r.total_cost(inst);
            }
        }
        for &j in &self.unassigned {
            let job = &inst.jobs[j as usize];
            match job.penalty {
                Some(p) => o.cost += p,
                None => o.hard += job.weight,
            }
        }
        o
    }

    pub fn used(&self) -> usize {
        self.routes.iter().filter(|r| r.n_jobs > 0).count()
    }

    pub fn n_assigned(&self) -> usize {
        self.routes.iter().map(|r| r.n_jobs).sum()
    }

    /// `(route, node index)` of every job; `u32::MAX` when unassigned.
    pub fn positions(&self, n_jobs: usize) -> Vec<(u32, u32)> {
        let mut w = vec![(u32::MAX, u32::MAX); n_jobs];
        for (ri, r) in self.routes.iter().enumerate() {
            for (k, n) in r.nodes.iter().enumerate() {
                if let Node::Job(j) = n {
                    w[*j as usize] = (ri as u32, k as u32);
                }
            }
        }
        w
    }
}

/// xoshiro256** seeded by splitmix64: small, fast and stable across versions (determinism).
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E3779B97F4A7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D049BB133111EB);
            x ^ (x >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }
    pub fn next_u64(&mut self) -> u64 {
        let r = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        r
    }
    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Can vehicle `v` serve job `j` on a route of its own (with a final disposal if required)?
pub(crate) fn alone_feasible(inst: &Inst, v: usize, j: u32) -> bool {
    let veh = &inst.vehs[v];
    let job = &inst.jobs[j as usize];
    if !inst.compat(j as usize, v) || !load_le(&job.demand, &veh.cap) || veh.max_stops == 0 {
        return false;
    }
    let mut r = Route::new(inst, v);
    if veh.end_dump {
        (0..inst.facs.len()).any(|f| {
            r.nodes = vec![Node::Job(j), Node::Dump(f as u32)];
            r.update(inst);
            r.feasible
        })
    } else {
        r.nodes = vec![Node::Job(j)];
        r.update(inst);
        r.feasible
    }
}

/// Reason a job cannot be served by any vehicle alone.
pub(crate) fn impossible_reason(inst: &Inst, j: u32) -> crate::UnassignedReason {
    use crate::UnassignedReason as R;
    let job = &inst.jobs[j as usize];
    let compat: Vec<usize> = (0..inst.nv)
        .filter(|&v| inst.compat(j as usize, v))
        .collect();
    if compat.is_empty() {
        return R::Skills;
    }
    let fits: Vec<usize> = compat
        .into_iter()
        .filter(|&v| load_le(&job.demand, &inst.vehs[v].cap))
        .collect();
    if fits.is_empty() {
        return R::Capacity;
    }
    let reachable = fits.iter().any(|&v| {
        let vt = inst.vt(v);
        let s = inst.start_seg(v);
        let js = inst.node_seg(Node::Job(j));
        let e = inst.end_seg(v);
        let seg: Seg = s.then(&js, vt.t(s.last, js.first));
        let seg = seg.then(&e, vt.t(seg.last, e.first));
        seg.tw <= EPS
            && job
                .windows
                .iter()
                .any(|w| w.1 + EPS >= inst.vehs[v].shift.0 + vt.t(inst.vehs[v].start, job.loc))
    });
    if !reachable {
        return R::TimeWindow;
    }
    if fits.iter().any(|&v| alone_feasible(inst, v, j)) {
        R::NoRoom
    } else {
        R::RouteLimits
    }
}

/// Exact schedule check of a candidate node list for vehicle `v`.
pub(crate) fn exact_ok(inst: &Inst, v: usize, nodes: &[Node]) -> bool {
    schedule(inst, v, nodes).is_some()
}
