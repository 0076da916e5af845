//! Route elimination with an ejection pool, after Nagata & Bräysy 2009 ("A powerful route
//! minimization heuristic for the VRPTW").
//!
//! Starting from a complete plan, one route is removed and its jobs go into the ejection
//! pool (EP). Each step takes the last job `v` of the EP and
//!
//! 1. inserts it at its cheapest feasible position in a used route, if there is one;
//! 2. otherwise raises its failure counter `p[v]` and inserts it by ejecting up to
//!    [`K_MAX`] jobs from one route: among every route, insertion gap and ejected set that
//!    leave the route feasible, the one with the smallest `(sum of p over the ejected, number
//!    ejected, added cost)` wins; the ejected jobs join the EP and the plan is perturbed by a
//!    few random feasible relocations ([`PERTURB_MOVES`]) so the search does not cycle;
//! 3. when even that fails the job goes to the bottom of the EP.
//!
//! An empty EP is a complete plan with one route fewer, and the procedure goes on from it
//! minus another route. After [`ROUTE_BUDGET_PER_JOB`] steps per job on one removal it
//! restores the complete plan and removes another route.
//!
//! The solver driver runs it inside the fleet-minimisation share of an epoch, alternating
//! steps with the SISR fleet minimisation (each step is one solver iteration, so iteration
//! budgets stay deterministic and the hard deadline and cancel token are checked between
//! steps), only while the plan it would leave averages at most 25 jobs per route: on few
//! long routes (R211, two of 50 jobs) the ejection neighbourhood is large and the SISR
//! procedure alone did better.
//!
//! Feasibility is always the route's own check ([`crate::solver::route::Route::update`]):
//! capacities, time windows, shifts, breaks, `max_tasks` and travel/distance limits, and
//! skills through [`Instance::compat`]. The paper's "squeeze" (insertion into an infeasible
//! position repaired by local search on a penalty function) is not implemented: the route
//! caches only describe feasible routes. Shipments and disposal facilities are not handled
//! (a job pair or a dump would have to move with its partner), so the phase is off for
//! instances with either ([`applies`]) and the SISR fleet minimisation does the work alone.

use crate::rng::Rng;
use crate::solver::insert::{apply, best_in_route, best_insertion};
use crate::solver::instance::{load_le, Instance, EPS};
use crate::solver::route::{Node, Route};
use crate::solver::ruin_recreate::remove_route;
use crate::solver::solution_state::SolutionState;

/// Most jobs ejected to insert one.
pub(crate) const K_MAX: usize = 2;
/// Random relocations after each ejection.
pub(crate) const PERTURB_MOVES: usize = 5;
/// Steps per job spent on one removed route before restoring the plan.
pub(crate) const ROUTE_BUDGET_PER_JOB: u64 = 10;
/// Pairs are ejected only when their first job lies this close to the insertion gap.
const PAIR_REACH: usize = 4;

/// Can the phase handle the instance's constraints? (No shipments, no disposal facilities.)
pub(crate) fn applies(inst: &Instance) -> bool {
    !inst.shipments && inst.facs.is_empty()
}

/// State of the route elimination; it lives across annealing epochs like
/// [`crate::solver::ruin_recreate::FleetMin`], and so do the failure counters.
pub(crate) struct RouteElim {
    /// Partial plan (all its routes feasible) whose missing jobs are `ep`.
    cur: Option<SolutionState>,
    /// The complete plan `cur` came from, restored when the budget of a removal runs out.
    base: Option<SolutionState>,
    ep: Vec<u32>,
    /// Failure counter per job (how often its insertion needed ejections).
    p: Vec<u64>,
    /// Routes `cur` may use.
    pub target: usize,
    /// Steps on the current removal.
    spent: u64,
    /// Smallest EP since the last successful elimination.
    min_ep: usize,
    /// Steps since `min_ep` last fell.
    pub idle: u64,
}

impl RouteElim {
    pub fn new(inst: &Instance) -> RouteElim {
        RouteElim {
            cur: None,
            base: None,
            ep: Vec::new(),
            p: vec![0; inst.jobs.len()],
            target: 0,
            spent: 0,
            min_ep: usize::MAX,
            idle: 0,
        }
    }

    /// Drops the partial plan (the failure counters stay).
    pub fn stop(&mut self) {
        self.cur = None;
        self.base = None;
    }

    pub fn is_started(&self) -> bool {
        self.cur.is_some()
    }

    /// Restarts from the complete plan `best` minus one route; false if it has one route.
    pub fn restart(
        &mut self,
        inst: &Instance,
        best: &SolutionState,
        rng: &mut Rng,
        possible: &[bool],
    ) -> bool {
        let mut cur = best.clone();
        if !remove_route(inst, &mut cur, rng) {
            self.cur = None;
            self.base = None;
            return false;
        }
        let (ep, keep): (Vec<u32>, Vec<u32>) =
            cur.unassigned.iter().partition(|&&j| possible[j as usize]);
        cur.unassigned = keep;
        self.ep = ep;
        rng.shuffle(&mut self.ep);
        self.target = cur.used();
        self.spent = 0;
        self.min_ep = self.min_ep.min(self.ep.len());
        self.cur = Some(cur);
        self.base = Some(best.clone());
        true
    }

    /// One step (one job taken from the EP). Returns the complete plan with one route fewer
    /// when the EP empties (and goes on from it minus one more route).
    pub fn step(
        &mut self,
        inst: &Instance,
        rng: &mut Rng,
        possible: &[bool],
    ) -> Option<SolutionState> {
        let s = self.cur.as_mut()?;
        self.spent += 1;
        if let Some(v) = self.ep.pop() {
            if let Some(c) = best_insertion(inst, s, v, 0.0, false, rng) {
                apply(inst, s, v, &c);
            } else {
                self.p[v as usize] += 1;
                match best_ejection(inst, s, v, &self.p) {
                    Some((r, nodes, ejected)) => {
                        let route = &mut s.routes[r];
                        route.nodes = nodes;
                        route.update(inst);
                        self.ep.extend(ejected);
                        perturb(inst, s, rng, PERTURB_MOVES);
                    }
                    None => self.ep.insert(0, v),
                }
            }
        }
        if self.ep.len() < self.min_ep {
            self.min_ep = self.ep.len();
            self.idle = 0;
        } else {
            self.idle += 1;
        }
        if self.ep.is_empty() {
            let done = s.clone();
            self.min_ep = usize::MAX;
            if !self.restart(inst, &done, rng, possible) {
                self.cur = None;
            }
            return Some(done);
        }
        if self.spent >= ROUTE_BUDGET_PER_JOB * inst.jobs.len() as u64 {
            if let Some(base) = self.base.take() {
                if !self.restart(inst, &base, rng, possible) {
                    self.cur = None;
                }
            }
        }
        None
    }
}

/// The best way to insert `v` into one used route by ejecting 1..=[`K_MAX`] of its jobs:
/// `(route, new nodes, ejected jobs)` minimising `(sum p, count, added travel cost)`.
///
/// Each candidate is screened in time proportional to the changed stretch: the route's
/// cached forward and backward segments cover the untouched prefix and suffix (time windows,
/// working time), plus total load and stop count; only a candidate that would beat the best
/// so far is confirmed by the route's full feasibility check.
fn best_ejection(
    inst: &Instance,
    s: &SolutionState,
    v: u32,
    p: &[u64],
) -> Option<(usize, Vec<Node>, Vec<u32>)> {
    type Key = (u64, usize, f64);
    let beats = |a: &Key, b: &Option<Key>| match b {
        None => true,
        Some(b) => (a.0, a.1) < (b.0, b.1) || ((a.0, a.1) == (b.0, b.1) && a.2 < b.2 - 1e-9),
    };
    let bound_ok = |psum: u64, k: usize, b: &Option<Key>| match b {
        None => true,
        Some(b) => (psum, k) <= (b.0, b.1),
    };
    let vjob = &inst.jobs[v as usize];
    let mut best: Option<Key> = None;
    let mut best_move: Option<(usize, Vec<Node>, Vec<u32>)> = None;
    let mut nodes: Vec<Node> = Vec::new();
    let mut mid: Vec<Node> = Vec::new();
    for (ri, r) in s.routes.iter().enumerate() {
        if r.n_jobs == 0 || !inst.compat(v as usize, r.v) {
            continue;
        }
        // Without facilities every node is a job.
        let jobs: Vec<u32> = r
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Job(j) => Some(*j),
                Node::Dump(_) => None,
            })
            .collect();
        let n = jobs.len();
        if n != r.nodes.len() {
            continue;
        }
        let veh = &inst.vehs[r.v];
        let vt = inst.vt(r.v);
        let (mut dem, mut del) = (vjob.demand, vjob.delivery);
        for &j in &jobs {
            for k in 0..dem.len() {
                dem[k] += inst.jobs[j as usize].demand[k];
                del[k] += inst.jobs[j as usize].delivery[k];
            }
        }
        let mut scratch: Route = r.clone();
        let mut try_set = |ej: &[usize], g: usize, best: &mut Option<Key>, psum: u64| {
            if n + 1 - ej.len() > veh.max_stops {
                return;
            }
            if !inst.general_loads {
                let (mut d, mut l) = (dem, del);
                for &q in ej {
                    for k in 0..d.len() {
                        d[k] -= inst.jobs[jobs[q] as usize].demand[k];
                        l[k] -= inst.jobs[jobs[q] as usize].delivery[k];
                    }
                }
                if !load_le(&d, &veh.cap) || !load_le(&l, &veh.cap) {
                    return;
                }
            }
            // Changed stretch: jobs lo..=hi (route positions lo+1..=hi+1).
            let lo = g.min(ej[0]);
            let hi = (g.max(1) - 1).max(ej[ej.len() - 1]).max(lo);
            mid.clear();
            for (q, &j) in jobs.iter().enumerate().take(hi.min(n - 1) + 1).skip(lo) {
                if q == g {
                    mid.push(Node::Job(v));
                }
                if !ej.contains(&q) {
                    mid.push(Node::Job(j));
                }
            }
            if g > hi.min(n - 1) {
                mid.push(Node::Job(v));
            }
            let after = hi.min(n - 1) + 2;
            let mut seg = r.fwd[lo];
            let mut last = r.loc[lo];
            let mut dc = 0.0;
            for &nd in &mid {
                let ns = inst.node_seg(r.v, nd);
                seg = seg.then(&ns, vt.t(last, ns.first));
                if seg.tw > EPS {
                    return;
                }
                dc += vt.c(last, ns.first);
                last = ns.first;
            }
            seg = seg.then(&r.bwd[after], vt.t(last, r.loc[after]));
            if seg.tw > EPS || seg.d > veh.max_work + EPS {
                return;
            }
            dc += vt.c(last, r.loc[after]) - (r.ccost[after] - r.ccost[lo]);
            let key = (psum, ej.len(), dc);
            if !beats(&key, best) {
                return;
            }
            nodes.clear();
            nodes.extend(r.nodes[..lo].iter().copied());
            nodes.extend(mid.iter().copied());
            nodes.extend(r.nodes[after - 1..].iter().copied());
            scratch.nodes.clear();
            scratch.nodes.extend_from_slice(&nodes);
            scratch.update(inst);
            if scratch.feasible {
                *best = Some(key);
                best_move = Some((ri, nodes.clone(), ej.iter().map(|&q| jobs[q]).collect()));
            }
        };
        for g in 0..=n {
            for a in 0..n {
                let pa = p[jobs[a] as usize];
                if bound_ok(pa, 1, &best) {
                    try_set(&[a], g, &mut best, pa);
                }
                if K_MAX < 2 || a + PAIR_REACH < g || a > g + PAIR_REACH {
                    continue;
                }
                for b in a + 1..n {
                    let pab = pa + p[jobs[b] as usize];
                    if bound_ok(pab, 2, &best) {
                        try_set(&[a, b], g, &mut best, pab);
                    }
                }
            }
        }
    }
    best_move
}

/// `moves` random feasible relocations: a random assigned job goes to its cheapest feasible
/// position in a random other used route (the plan is left as is when there is none).
fn perturb(inst: &Instance, s: &mut SolutionState, rng: &mut Rng, moves: usize) {
    let used: Vec<usize> = (0..s.routes.len())
        .filter(|&r| s.routes[r].n_jobs > 0)
        .collect();
    if used.len() < 2 {
        return;
    }
    for _ in 0..moves {
        let from = used[rng.below(used.len())];
        let to = used[rng.below(used.len())];
        let r = &s.routes[from];
        if from == to || r.n_jobs < 2 {
            continue;
        }
        let k = rng.below(r.nodes.len());
        let Node::Job(u) = r.nodes[k] else { continue };
        let mut cand = None;
        best_in_route(inst, &s.routes[to], to, u, 0.0, 0.0, rng, &mut cand);
        let Some(c) = cand else { continue };
        let saved = s.routes[from].clone();
        let r = &mut s.routes[from];
        r.nodes.remove(k);
        r.update(inst);
        if !r.feasible {
            s.routes[from] = saved;
            continue;
        }
        apply(inst, s, u, &c);
    }
}
