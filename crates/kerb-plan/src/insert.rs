//! Insertion: O(1) evaluation of inserting a job (optionally with a disposal stop) into a
//! route gap, cheapest/regret construction and the SISR recreate step.

use crate::inst::{load_add, load_le, Inst, EPS};
use crate::route::{Node, Route};
use crate::sol::{exact_ok, Rng, Sol};

/// An insertion: job before node index `gap` of route `r`, maybe with a disposal stop.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    pub r: usize,
    pub gap: usize,
    /// `(facility, dump_after_job)`.
    pub dump: Option<(u32, bool)>,
    pub delta: f64,
}

/// Checks time, distance, travel and stop limits of inserting `ins` at gap `i` of `r`.
#[inline]
pub(crate) fn feasible_ins(
    inst: &Inst,
    r: &Route,
    i: usize,
    ins: &[Node],
    new_jobs: usize,
) -> bool {
    let v = r.v;
    let veh = &inst.vehs[v];
    if r.n_jobs + new_jobs > veh.max_stops {
        return false;
    }
    let vt = inst.vt(v);
    let mut seg = r.fwd[i];
    let mut last = r.loc[i];
    let (mut dt, mut dd) = (0.0, 0.0);
    let mut multi = false;
    for &n in ins {
        let ns = inst.node_seg(n);
        let t = vt.t(last, ns.first);
        seg = seg.then(&ns, t);
        if seg.tw > EPS {
            return false;
        }
        dt += t;
        if veh.limit_dist {
            dd += inst.dist(v, last, ns.first);
        }
        last = ns.first;
        multi |= inst.node_multi(n);
    }
    let nx = r.loc[i + 1];
    let t = vt.t(last, nx);
    seg = seg.then(&r.bwd[i + 1], t);
    if seg.tw > EPS || seg.d > veh.max_work + EPS {
        return false;
    }
    let m = r.loc.len() - 1;
    if veh.limit_travel {
        dt += t - (r.ctravel[i + 1] - r.ctravel[i]);
        if r.ctravel[m] + dt > veh.max_travel + EPS {
            return false;
        }
    }
    if veh.limit_dist {
        dd += inst.dist(v, last, nx) - (r.cdist[i + 1] - r.cdist[i]);
        if r.cdist[m] + dd > veh.max_dist + EPS {
            return false;
        }
    }
    if r.exact || multi {
        let mut nodes = Vec::with_capacity(r.nodes.len() + ins.len());
        nodes.extend_from_slice(&r.nodes[..i]);
        nodes.extend_from_slice(ins);
        nodes.extend_from_slice(&r.nodes[i..]);
        return exact_ok(inst, v, &nodes);
    }
    true
}

/// Best insertion of job `j` into route `r` (index `ri`), improving on `best` if cheaper.
/// `extra` is added to every delta (fixed cost when opening the route). `blink` skips gaps
/// at random (SISR).
#[allow(clippy::too_many_arguments)]
pub(crate) fn best_in_route(
    inst: &Inst,
    r: &Route,
    ri: usize,
    j: u32,
    extra: f64,
    blink: f64,
    rng: &mut Rng,
    best: &mut Option<Cand>,
) {
    let v = r.v;
    let veh = &inst.vehs[v];
    let job = &inst.jobs[j as usize];
    if !inst.compat(j as usize, v) || !load_le(&job.demand, &veh.cap) {
        return;
    }
    let vt = inst.vt(v);
    let u = job.loc;
    let nf = inst.facs.len();
    let bound = |best: &Option<Cand>| best.map(|c| c.delta).unwrap_or(f64::INFINITY);
    // Without facilities a route is one trip: a job that does not fit skips the route.
    if inst.facs.is_empty() && !load_le(&load_add(&r.tsuf[1], &job.demand), &veh.cap) {
        return;
    }
    for i in 0..=r.len() {
        // Earliest completion at position i only grows along the route: once it is past the
        // job's last window, no later gap can work.
        let f = &r.fwd[i];
        if f.e + f.d - f.tw > job.l + EPS {
            break;
        }
        if blink > 0.0 && rng.f() < blink {
            continue;
        }
        let (a, b) = (r.loc[i], r.loc[i + 1]);
        let base = vt.c(a, b);
        let trailing = veh.end_dump && i >= r.last_dump;
        let left = r.tpre[i];
        let right = r.tsuf[i + 1];
        let plain_cap = load_le(&load_add(&load_add(&left, &right), &job.demand), &veh.cap);
        if !trailing && plain_cap {
            let delta = vt.c(a, u) + vt.c(u, b) - base + extra;
            if delta < bound(best) && feasible_ins(inst, r, i, &[Node::Job(j)], 1) {
                *best = Some(Cand {
                    r: ri,
                    gap: i,
                    dump: None,
                    delta,
                });
            }
            continue;
        }
        if nf == 0 {
            continue;
        }
        // Job then disposal: the job closes the trip on its left.
        if load_le(&load_add(&left, &job.demand), &veh.cap) {
            for f in 0..nf {
                let fl = inst.facs[f].loc;
                let delta = vt.c(a, u) + vt.c(u, fl) + vt.c(fl, b) - base + extra;
                if delta < bound(best)
                    && feasible_ins(inst, r, i, &[Node::Job(j), Node::Dump(f as u32)], 1)
                {
                    *best = Some(Cand {
                        r: ri,
                        gap: i,
                        dump: Some((f as u32, true)),
                        delta,
                    });
                }
            }
        }
        // Disposal then job: the job opens the trip on its right.
        if !trailing && load_le(&load_add(&right, &job.demand), &veh.cap) {
            for f in 0..nf {
                let fl = inst.facs[f].loc;
                let delta = vt.c(a, fl) + vt.c(fl, u) + vt.c(u, b) - base + extra;
                if delta < bound(best)
                    && feasible_ins(inst, r, i, &[Node::Dump(f as u32), Node::Job(j)], 1)
                {
                    *best = Some(Cand {
                        r: ri,
                        gap: i,
                        dump: Some((f as u32, false)),
                        delta,
                    });
                }
            }
        }
    }
}

pub(crate) fn apply(inst: &Inst, sol: &mut Sol, j: u32, c: &Cand) {
    sol.touch(c.r);
    let r = &mut sol.routes[c.r];
    let nodes: &[Node] = &match c.dump {
        None => vec![Node::Job(j)],
        Some((f, true)) => vec![Node::Job(j), Node::Dump(f)],
        Some((f, false)) => vec![Node::Dump(f), Node::Job(j)],
    };
    r.nodes.splice(c.gap..c.gap, nodes.iter().copied());
    r.update(inst);
}

/// Best insertion of `j` over the whole solution. With the hierarchical objective a new
/// vehicle is only opened when no used route can take the job.
pub(crate) fn best_insertion(
    inst: &Inst,
    sol: &Sol,
    j: u32,
    blink: f64,
    allow_new: bool,
    rng: &mut Rng,
) -> Option<Cand> {
    let mut best = None;
    for (ri, r) in sol.routes.iter().enumerate() {
        if r.n_jobs > 0 {
            best_in_route(inst, r, ri, j, 0.0, blink, rng, &mut best);
        }
    }
    let job = &inst.jobs[j as usize];
    let soft = job.penalty.is_some();
    if allow_new && (best.is_none() || !inst.minimize_vehicles) && !(soft && inst.minimize_vehicles)
    {
        let mut seen_class = Vec::new();
        for (ri, r) in sol.routes.iter().enumerate() {
            if r.n_jobs == 0 {
                let class = inst.vehs[r.v].class;
                if seen_class.contains(&class) {
                    continue;
                }
                seen_class.push(class);
                best_in_route(inst, r, ri, j, inst.vehs[r.v].fixed, 0.0, rng, &mut best);
            }
        }
    }
    if let (Some(p), Some(c)) = (job.penalty, best) {
        if c.delta >= p {
            return None;
        }
    }
    best
}

/// SISR recreate: inserts `jobs` one by one in the given order at their cheapest position.
pub(crate) fn recreate(
    inst: &Inst,
    sol: &mut Sol,
    jobs: &[u32],
    blink: f64,
    allow_new: bool,
    rng: &mut Rng,
) {
    for &j in jobs {
        match best_insertion(inst, sol, j, blink, allow_new, rng) {
            Some(c) => apply(inst, sol, j, &c),
            None => sol.unassigned.push(j),
        }
    }
}

/// Regret-2 construction over the used routes; a new route is opened (seeded with the
/// hardest remaining job) only when no remaining job fits anywhere.
pub(crate) fn construct(inst: &Inst, jobs: &[u32], rng: &mut Rng) -> Sol {
    let mut sol = Sol::empty(inst);
    let nr = sol.routes.len();
    let mut left: Vec<u32> = jobs.to_vec();
    // cache[k][r] = best insertion of left[k] into route r
    let mut cache: Vec<Vec<Option<Cand>>> = vec![vec![None; nr]; left.len()];
    let mut dirty: Option<usize> = None;
    let depot = inst
        .vehs
        .first()
        .map(|v| v.start)
        .unwrap_or(crate::inst::NOLOC);
    while !left.is_empty() {
        if let Some(rd) = dirty {
            for (k, &j) in left.iter().enumerate() {
                let mut b = None;
                best_in_route(inst, &sol.routes[rd], rd, j, 0.0, 0.0, rng, &mut b);
                cache[k][rd] = b;
            }
        }
        // Pick by regret.
        let mut pick: Option<(usize, f64, f64)> = None;
        for (k, row) in cache.iter().enumerate() {
            let (mut b1, mut b2) = (f64::INFINITY, f64::INFINITY);
            for c in row.iter().flatten() {
                if c.delta < b1 {
                    b2 = b1;
                    b1 = c.delta;
                } else if c.delta < b2 {
                    b2 = c.delta;
                }
            }
            if b1.is_finite() {
                let regret = if b2.is_finite() { b2 - b1 } else { 1e12 };
                let better = match pick {
                    None => true,
                    Some((_, r, d)) => regret > r + 1e-9 || ((regret - r).abs() <= 1e-9 && b1 < d),
                };
                if better {
                    pick = Some((k, regret, b1));
                }
            }
        }
        if let Some((k, _, _)) = pick {
            let c = cache[k]
                .iter()
                .flatten()
                .min_by(|a, b| a.delta.total_cmp(&b.delta))
                .copied()
                .expect("finite best");
            let j = left.swap_remove(k);
            cache.swap_remove(k);
            apply(inst, &mut sol, j, &c);
            // Soft jobs only stay when cheaper than their penalty.
            if let Some(p) = inst.jobs[j as usize].penalty {
                if c.delta >= p {
                    remove_job(inst, &mut sol, c.r, j);
                    sol.unassigned.push(j);
                }
            }
            dirty = Some(c.r);
            continue;
        }
        // Open a new route: seed = the remaining job with the earliest deadline, ties by
        // distance from the depot (farthest first).
        let vt0 = &inst.vtypes[0];
        let mut order: Vec<usize> = (0..left.len()).collect();
        order.sort_by(|&a, &b| {
            let (ja, jb) = (&inst.jobs[left[a] as usize], &inst.jobs[left[b] as usize]);
            ja.l.total_cmp(&jb.l)
                .then(vt0.c(depot, jb.loc).total_cmp(&vt0.c(depot, ja.loc)))
        });
        let mut opened = false;
        for k in order {
            let j = left[k];
            if let Some(c) = best_insertion(inst, &sol, j, 0.0, true, rng) {
                if sol.routes[c.r].n_jobs > 0 {
                    continue;
                }
                apply(inst, &mut sol, j, &c);
                left.swap_remove(k);
                cache.swap_remove(k);
                dirty = Some(c.r);
                opened = true;
                break;
            }
        }
        if !opened {
            sol.unassigned.append(&mut left);
            break;
        }
    }
    sol
}

/// Removes job `j` from route `ri` (with dump cleanup).
pub(crate) fn remove_job(inst: &Inst, sol: &mut Sol, ri: usize, j: u32) {
    sol.touch(ri);
    let r = &mut sol.routes[ri];
    r.nodes.retain(|n| *n != Node::Job(j));
    r.cleanup(inst);
    r.update(inst);
}
