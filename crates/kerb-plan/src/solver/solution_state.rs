//! The solver's working solution (routes plus unassigned jobs, with an undo journal) and the
//! lexicographic objective value the search compares plans by.

use crate::solver::instance::{load_le, Instance, EPS};
use crate::solver::route::{schedule, Node, Route, Segment};

/// Lexicographic objective: unserved mandatory weight, vehicles (if minimised), cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ObjectiveValue {
    pub hard: f64,
    pub veh: usize,
    pub cost: f64,
}

impl ObjectiveValue {
    /// Strictly better than `o`.
    pub fn better(&self, o: &ObjectiveValue) -> bool {
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
pub(crate) struct SolutionState {
    pub routes: Vec<Route>,
    pub unassigned: Vec<u32>,
    journaling: bool,
    saved: Vec<(usize, Route)>,
    saved_unassigned: Vec<u32>,
}

impl Clone for SolutionState {
    fn clone(&self) -> SolutionState {
        SolutionState {
            routes: self.routes.clone(),
            unassigned: self.unassigned.clone(),
            journaling: false,
            saved: Vec::new(),
            saved_unassigned: Vec::new(),
        }
    }
}

impl SolutionState {
    pub fn empty(inst: &Instance) -> SolutionState {
        SolutionState {
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

    pub fn obj(&self, inst: &Instance) -> ObjectiveValue {
        let mut o = ObjectiveValue {
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

/// Can vehicle `v` serve job `j` on a route of its own (with a final disposal if required)?
pub(crate) fn alone_feasible(inst: &Instance, v: usize, j: u32) -> bool {
    let veh = &inst.vehs[v];
    let job = &inst.jobs[j as usize];
    if !inst.compat(j as usize, v)
        || !load_le(&job.demand, &veh.cap)
        || !load_le(&job.delivery, &veh.cap)
        || veh.max_stops == 0
    {
        return false;
    }
    let mut r = Route::new(inst, v);
    if inst.paired(j) {
        let (p, d) = if job.is_pickup {
            (j, job.partner)
        } else {
            (job.partner, j)
        };
        if !inst.compat(job.partner as usize, v) || veh.max_stops < 2 {
            return false;
        }
        r.nodes = vec![Node::Job(p), Node::Job(d)];
        r.update(inst);
        return r.feasible;
    }
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
pub(crate) fn impossible_reason(inst: &Instance, j: u32) -> crate::UnassignedReason {
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
        let js = inst.node_seg(v, Node::Job(j));
        let e = inst.end_seg(v);
        let seg: Segment = s.then(&js, vt.t(s.last, js.first));
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
pub(crate) fn exact_ok(inst: &Instance, v: usize, nodes: &[Node]) -> bool {
    schedule(inst, v, nodes).is_some()
}
