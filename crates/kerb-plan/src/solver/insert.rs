//! Insertion: O(1) evaluation of inserting a job (optionally with a disposal stop) into a
//! route gap, cheapest/regret construction and the SISR recreate step.

use crate::rng::Rng;
use crate::solver::instance::{load_add, load_le, Instance, EPS};
use crate::solver::route::{resume_ok, Node, Route};
use crate::solver::solution_state::{exact_ok, SolutionState};
use crate::solver::stop::Stop;

/// An insertion: job before node index `gap` of route `r`, maybe with a disposal stop.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    pub r: usize,
    pub gap: usize,
    /// `(facility, dump_after_job)`.
    pub dump: Option<(u32, bool)>,
    /// A shipment: the job is its pickup, its delivery goes before node index `gap2`
    /// (`gap2 >= gap`; equal = right after the pickup).
    pub gap2: Option<usize>,
    pub delta: f64,
}

/// With general loads: does a job (not a shipment end) fit at gap `i`? Everything before
/// it carries its delivery longer, everything from it on its pickup.
#[inline]
fn general_fit(inst: &Instance, r: &Route, i: usize, j: u32) -> bool {
    let job = &inst.jobs[j as usize];
    let cap = &inst.vehs[r.v].cap;
    load_le(&load_add(&r.lpre[i], &job.start_load), cap)
        && load_le(&load_add(&r.lsuf[i], &job.demand), cap)
}

/// Exact schedule check of an insertion that passed [`cheap_ok`]: resumes the route's cached
/// schedule when possible, else simulates the whole new route.
fn exact_ins(inst: &Instance, r: &Route, i: usize, ins: &[Node]) -> bool {
    if r.resumable && !ins.iter().any(|&n| inst.node_multi(n)) {
        return resume_ok(inst, r, i, ins);
    }
    let mut nodes = Vec::with_capacity(r.nodes.len() + ins.len());
    nodes.extend_from_slice(&r.nodes[..i]);
    nodes.extend_from_slice(ins);
    nodes.extend_from_slice(&r.nodes[i..]);
    exact_ok(inst, r.v, &nodes)
}

/// The O(1) part of [`feasible_ins`]: time windows by segment concatenation (ignoring breaks
/// and extra windows, so a relaxation), working time, distance, travel and stop limits.
#[inline]
fn cheap_ok(inst: &Instance, r: &Route, i: usize, ins: &[Node], new_jobs: usize) -> bool {
    let v = r.v;
    let veh = &inst.vehs[v];
    if r.n_jobs + new_jobs > veh.max_stops {
        return false;
    }
    let vt = inst.vt(v);
    let mut seg = r.fwd[i];
    let mut last = r.loc[i];
    let (mut dt, mut dd) = (0.0, 0.0);
    for &n in ins {
        let ns = inst.node_seg(v, n);
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
    }
    let nx = r.loc[i + 1];
    let t = vt.t(last, nx);
    seg = seg.then(&r.bwd[i + 1], t);
    if seg.tw > EPS || seg.d > veh.max_work + EPS {
        return false;
    }
    let m = r.loc.len() - 1;
    dt += t - (r.ctravel[i + 1] - r.ctravel[i]);
    if veh.limit_travel && r.ctravel[m] + dt > veh.max_travel + EPS {
        return false;
    }
    if veh.break_total > 0.0 {
        // Breaks never overlap travel or service: a lower bound the segments cannot see,
        // which spares exact checks of insertions that overrun the shift.
        let service: f64 = ins.iter().map(|&n| inst.node_seg(v, n).d).sum();
        let busy = r.busy + dt + service + veh.break_total;
        if veh.shift.0 + busy > veh.shift.1 + EPS || busy > veh.max_work + EPS {
            return false;
        }
    }
    if veh.limit_dist {
        dd += inst.dist(v, last, nx) - (r.cdist[i + 1] - r.cdist[i]);
        if r.cdist[m] + dd > veh.max_dist + EPS {
            return false;
        }
    }
    true
}

/// Best insertion of job `j` into route `r` (index `ri`), improving on `best` if cheaper;
/// when `j` is a shipment's pickup, of the whole shipment ([`best_pair_in_route`]).
/// `extra` is added to every delta (fixed cost when opening the route). `blink` skips gaps
/// at random (SISR).
///
/// Every gap is screened in O(1); on routes that need an exact schedule check (breaks,
/// several windows) the survivors are checked exactly in order of cost, stopping at the
/// first feasible one, so a route costs one or two exact checks instead of one per gap.
#[allow(clippy::too_many_arguments)]
pub(crate) fn best_in_route(
    inst: &Instance,
    r: &Route,
    ri: usize,
    j: u32,
    extra: f64,
    blink: f64,
    rng: &mut Rng,
    best: &mut Option<Cand>,
) {
    if inst.paired(j) {
        best_pair_in_route(inst, r, ri, j, extra, blink, rng, best);
    } else {
        best_in_gaps(inst, r, ri, j, extra, blink, rng, best, 0, r.len());
    }
}

/// The insertion of a single job `j` (not a shipment end) of [`best_in_route`], restricted
/// to gaps `lo..=hi`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn best_in_gaps(
    inst: &Instance,
    r: &Route,
    ri: usize,
    j: u32,
    extra: f64,
    blink: f64,
    rng: &mut Rng,
    best: &mut Option<Cand>,
    lo: usize,
    hi: usize,
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
    if inst.facs.is_empty()
        && !inst.general_loads
        && !load_le(&load_add(&r.tsuf[1], &job.demand), &veh.cap)
    {
        return;
    }
    let lazy = r.exact || job.multi || inst.facs.iter().any(|f| f.multi);
    let mut pending: Vec<Cand> = Vec::new();
    let mut offer = |c: Cand, ins: &[Node], best: &mut Option<Cand>| {
        if c.delta < bound(best) && cheap_ok(inst, r, c.gap, ins, 1) {
            if lazy {
                pending.push(c);
            } else {
                *best = Some(c);
            }
        }
    };
    for i in lo..=hi.min(r.len()) {
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
        let plain_cap = if inst.general_loads {
            general_fit(inst, r, i, j)
        } else {
            load_le(&load_add(&load_add(&left, &right), &job.demand), &veh.cap)
        };
        let cand = |dump, delta| Cand {
            r: ri,
            gap: i,
            dump,
            gap2: None,
            delta,
        };
        if !trailing && plain_cap {
            let delta = vt.c(a, u) + vt.c(u, b) - base + extra;
            offer(cand(None, delta), &[Node::Job(j)], best);
            continue;
        }
        if nf == 0 {
            continue;
        }
        // Job then disposal: the job closes the trip on its left.
        if load_le(&load_add(&left, &job.demand), &veh.cap) {
            for f in 0..nf {
                let fl = inst.facs[f].loc;
                let delta = vt.c(a, u) + vt.c(u, fl) + vt.c(fl, b) - base
                    + extra
                    + vt.per_time * inst.facs[f].service;
                let ins = [Node::Job(j), Node::Dump(f as u32)];
                offer(cand(Some((f as u32, true)), delta), &ins, best);
            }
        }
        // Disposal then job: the job opens the trip on its right.
        if !trailing && load_le(&load_add(&right, &job.demand), &veh.cap) {
            for f in 0..nf {
                let fl = inst.facs[f].loc;
                let delta = vt.c(a, fl) + vt.c(fl, u) + vt.c(u, b) - base
                    + extra
                    + vt.per_time * inst.facs[f].service;
                let ins = [Node::Dump(f as u32), Node::Job(j)];
                offer(cand(Some((f as u32, false)), delta), &ins, best);
            }
        }
    }
    if pending.is_empty() {
        return;
    }
    // Stable sort: equal deltas keep gap order (determinism).
    pending.sort_by(|a, b| a.delta.total_cmp(&b.delta));
    for c in pending {
        if c.delta >= bound(best) {
            break;
        }
        if exact_ins(inst, r, c.gap, &cand_nodes(j, c.dump)) {
            *best = Some(c);
            break;
        }
    }
}

/// The nodes a candidate inserts.
fn cand_nodes(j: u32, dump: Option<(u32, bool)>) -> Vec<Node> {
    match dump {
        None => vec![Node::Job(j)],
        Some((f, true)) => vec![Node::Job(j), Node::Dump(f)],
        Some((f, false)) => vec![Node::Dump(f), Node::Job(j)],
    }
}

pub(crate) fn apply(inst: &Instance, sol: &mut SolutionState, j: u32, c: &Cand) {
    sol.touch(c.r);
    let r = &mut sol.routes[c.r];
    if let Some(g2) = c.gap2 {
        r.nodes.insert(g2, Node::Job(inst.jobs[j as usize].partner));
        r.nodes.insert(c.gap, Node::Job(j));
    } else {
        r.nodes.splice(c.gap..c.gap, cand_nodes(j, c.dump));
    }
    r.update(inst);
}

/// Best insertion of shipment `p` (its pickup; the delivery follows) into route `r`: every
/// pickup gap, then every delivery gap after it, screened in O(1) per pair (segments for the
/// windows, load peaks for the capacity), the cheapest screened pairs then confirmed in
/// order by re-evaluating the whole new route.
#[allow(clippy::too_many_arguments)]
pub(crate) fn best_pair_in_route(
    inst: &Instance,
    r: &Route,
    ri: usize,
    p: u32,
    extra: f64,
    blink: f64,
    rng: &mut Rng,
    best: &mut Option<Cand>,
) {
    let v = r.v;
    let veh = &inst.vehs[v];
    let pj = &inst.jobs[p as usize];
    let d = pj.partner;
    if !inst.compat(p as usize, v)
        || !inst.compat(d as usize, v)
        || !load_le(&pj.demand, &veh.cap)
        || r.n_jobs + 2 > veh.max_stops
    {
        return;
    }
    let vt = inst.vt(v);
    let (ps, ds) = (
        inst.node_seg(v, Node::Job(p)),
        inst.node_seg(v, Node::Job(d)),
    );
    let (pl, dl) = (ps.first, ds.first);
    let amount = pj.demand;
    let n = r.len();
    let bound = |best: &Option<Cand>| best.map(|c| c.delta).unwrap_or(f64::INFINITY);
    let mut pending: Vec<Cand> = Vec::new();
    let closes = |seg: &crate::solver::route::Segment| seg.tw <= EPS && seg.d <= veh.max_work + EPS;
    for i in 0..=n {
        let f = &r.fwd[i];
        if f.e + f.d - f.tw > pj.l + EPS {
            break;
        }
        if blink > 0.0 && rng.f() < blink {
            continue;
        }
        if !load_le(&load_add(&r.lat[i], &amount), &veh.cap) {
            continue;
        }
        let (a, b) = (r.loc[i], r.loc[i + 1]);
        let with_p = f.then(&ps, vt.t(a, pl));
        if with_p.tw > EPS {
            continue;
        }
        let cand = |gap2: usize, delta: f64| Cand {
            r: ri,
            gap: i,
            dump: None,
            gap2: Some(gap2),
            delta,
        };
        // Delivery right after the pickup.
        let both = with_p.then(&ds, vt.t(pl, dl));
        if closes(&both.then(&r.bwd[i + 1], vt.t(dl, b))) {
            let delta = vt.c(a, pl) + vt.c(pl, dl) + vt.c(dl, b) - vt.c(a, b) + extra;
            if delta < bound(best) {
                pending.push(cand(i, delta));
            }
        }
        // Delivery before node index k (after route position k).
        let dp = vt.c(a, pl) + vt.c(pl, b) - vt.c(a, b) + extra;
        let (mut mid, mut last) = (with_p, pl);
        let mut peak = [0; crate::model::MAX_DIMENSIONS];
        for k in i + 1..=n {
            mid = mid.then(&inst.node_seg(v, r.nodes[k - 1]), vt.t(last, r.loc[k]));
            last = r.loc[k];
            peak = crate::solver::instance::load_max(&peak, &r.lat[k]);
            if mid.tw > EPS || !load_le(&load_add(&peak, &amount), &veh.cap) {
                break;
            }
            let nx = r.loc[k + 1];
            let delta = dp + vt.c(last, dl) + vt.c(dl, nx) - vt.c(last, nx);
            if delta >= bound(best) {
                continue;
            }
            let full = mid
                .then(&ds, vt.t(last, dl))
                .then(&r.bwd[k + 1], vt.t(dl, nx));
            if closes(&full) {
                pending.push(cand(k, delta));
            }
        }
    }
    pending.sort_by(|a, b| a.delta.total_cmp(&b.delta));
    for c in pending {
        if c.delta >= bound(best) {
            break;
        }
        let mut nodes = r.nodes.clone();
        nodes.insert(c.gap2.unwrap_or(c.gap), Node::Job(d));
        nodes.insert(c.gap, Node::Job(p));
        let mut t = Route::new(inst, v);
        t.nodes = nodes;
        t.update(inst);
        if t.feasible {
            *best = Some(c);
            break;
        }
    }
}

/// Best insertion of `j` (a job, or a shipment given by its pickup) over the whole solution.
/// With the hierarchical objective a new vehicle is only opened when no used route can take
/// the job.
pub(crate) fn best_insertion(
    inst: &Instance,
    sol: &SolutionState,
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

/// SISR recreate: inserts `jobs` one by one in the given order at their cheapest position,
/// opening at most `new_routes` unused vehicles. A shipment is inserted whole when the first
/// of its ends comes up in `jobs`.
pub(crate) fn recreate(
    inst: &Instance,
    sol: &mut SolutionState,
    jobs: &[u32],
    blink: f64,
    mut new_routes: usize,
    rng: &mut Rng,
) {
    let mut pairs_done: Vec<u32> = Vec::new();
    for &j in jobs {
        let mut u = j;
        if inst.paired(j) {
            if !inst.jobs[j as usize].is_pickup {
                u = inst.jobs[j as usize].partner;
            }
            if pairs_done.contains(&u) {
                continue;
            }
            pairs_done.push(u);
        }
        match best_insertion(inst, sol, u, blink, new_routes > 0, rng) {
            Some(c) => {
                if sol.routes[c.r].n_jobs == 0 {
                    new_routes -= 1;
                }
                apply(inst, sol, u, &c)
            }
            None => {
                sol.unassigned.push(u);
                if inst.paired(u) {
                    sol.unassigned.push(inst.jobs[u as usize].partner);
                }
            }
        }
    }
}

/// Is candidate `c` for job `j`, computed on an earlier version of route `r` and with its
/// gap index shifted to the current one, still feasible?
fn still_ok(inst: &Instance, r: &Route, j: u32, c: &Cand) -> bool {
    let veh = &inst.vehs[r.v];
    let demand = &inst.jobs[j as usize].demand;
    let i = c.gap;
    let (left, right) = (r.tpre[i], r.tsuf[i + 1]);
    let trailing = veh.end_dump && i >= r.last_dump;
    let cap = match c.dump {
        None if inst.general_loads => general_fit(inst, r, i, j),
        None => !trailing && load_le(&load_add(&load_add(&left, &right), demand), &veh.cap),
        Some((_, true)) => load_le(&load_add(&left, demand), &veh.cap),
        Some((_, false)) => !trailing && load_le(&load_add(&right, demand), &veh.cap),
    };
    let ins = cand_nodes(j, c.dump);
    cap && cheap_ok(inst, r, i, &ins, 1)
        && (!needs_exact(inst, r, &ins) || exact_ins(inst, r, i, &ins))
}

/// Breaks or several windows: the O(1) checks are only necessary conditions.
#[inline]
fn needs_exact(inst: &Instance, r: &Route, ins: &[Node]) -> bool {
    r.exact || ins.iter().any(|&n| inst.node_multi(n))
}

/// How the route changed since the cached candidates were computed.
#[derive(Clone, Copy)]
enum Change {
    /// Anything: re-evaluate every gap.
    Full,
    /// `len` nodes without a disposal were inserted at gap `gap`.
    Insert { gap: usize, len: usize },
}

/// Regret-2 construction over the used routes; a new route is opened (seeded with the
/// hardest remaining job) only when no remaining job fits anywhere.
///
/// After an insertion of a job alone, the cached best position of every other job in that
/// route stays the best among the old gaps if it is still feasible (arc costs did not
/// change and an insertion only tightens the others), so only it and the two new gaps are
/// evaluated. Past `deadline` the remaining jobs are inserted at their cheapest position one
/// by one (no regret), which is linear in the solution size per job. Once `stop` fires the
/// jobs not placed yet stay unassigned.
pub(crate) fn construct(
    inst: &Instance,
    jobs: &[u32],
    rng: &mut Rng,
    deadline: Option<std::time::Instant>,
    stop: &Stop,
) -> SolutionState {
    let mut sol = SolutionState::empty(inst);
    let nr = sol.routes.len();
    let mut left: Vec<u32> = jobs.to_vec();
    // cache[k][r] = best insertion of left[k] into route r
    let mut cache: Vec<Vec<Option<Cand>>> = vec![vec![None; nr]; left.len()];
    let mut dirty: Option<(usize, Change)> = None;
    let depot = inst
        .vehs
        .first()
        .map(|v| v.start)
        .unwrap_or(crate::solver::instance::NOLOC);
    let t0 = std::time::Instant::now();
    let mut done = 0usize;
    while !left.is_empty() {
        if stop.reached() {
            sol.unassigned.append(&mut left);
            break;
        }
        // Give up on regret as soon as the pace so far says it would miss the deadline.
        let late = deadline.is_some_and(|d| {
            let now = std::time::Instant::now();
            now >= d
                || (done >= 20
                    && now
                        .duration_since(t0)
                        .mul_f64(left.len() as f64 / done as f64)
                        > d.duration_since(now))
        });
        done += 1;
        if late {
            tracing::debug!(
                left = left.len(),
                "construction deadline: cheapest insertion"
            );
            complete_granular(inst, &mut sol, &chain_order(inst, &left, depot), rng, stop);
            left.clear();
            break;
        }
        if let Some((rd, change)) = dirty {
            let r = &sol.routes[rd];
            for (k, &j) in left.iter().enumerate() {
                let mut b = None;
                match change {
                    Change::Full => best_in_route(inst, r, rd, j, 0.0, 0.0, rng, &mut b),
                    Change::Insert { gap, len } => match cache[k][rd] {
                        Some(mut c) if c.gap != gap => {
                            if c.gap > gap {
                                c.gap += len;
                            }
                            if still_ok(inst, r, j, &c) {
                                b = Some(c);
                                best_in_gaps(inst, r, rd, j, 0.0, 0.0, rng, &mut b, gap, gap + len);
                            } else {
                                best_in_route(inst, r, rd, j, 0.0, 0.0, rng, &mut b);
                            }
                        }
                        Some(_) => best_in_route(inst, r, rd, j, 0.0, 0.0, rng, &mut b),
                        None => best_in_gaps(inst, r, rd, j, 0.0, 0.0, rng, &mut b, gap, gap + len),
                    },
                }
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
            let mut change = match c.dump {
                None => Change::Insert { gap: c.gap, len: 1 },
                Some(_) => Change::Full,
            };
            // Soft jobs only stay when cheaper than their penalty.
            if let Some(p) = inst.jobs[j as usize].penalty {
                if c.delta >= p {
                    remove_job(inst, &mut sol, c.r, j);
                    sol.unassigned.push(j);
                    change = Change::Full;
                }
            }
            dirty = Some((c.r, change));
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
                dirty = Some((c.r, Change::Full));
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

/// Inserts `jobs` in order at their cheapest position among the routes that hold one of the
/// job's nearest neighbours, over all routes only when none of those can take it: a quick
/// completion whose cost per job does not grow with the number of routes.
fn complete_granular(
    inst: &Instance,
    sol: &mut SolutionState,
    jobs: &[u32],
    rng: &mut Rng,
    stop: &Stop,
) {
    const NEAR: usize = 30;
    let mut route_of = vec![u32::MAX; inst.jobs.len()];
    for (ri, r) in sol.routes.iter().enumerate() {
        for n in &r.nodes {
            if let Node::Job(j) = n {
                route_of[*j as usize] = ri as u32;
            }
        }
    }
    let mut near: Vec<usize> = Vec::new();
    for (k, &j) in jobs.iter().enumerate() {
        if k % 16 == 15 && stop.reached() {
            sol.unassigned.extend_from_slice(&jobs[k..]);
            return;
        }
        near.clear();
        for &w in inst.neighbors[j as usize].iter().take(NEAR) {
            let r = route_of[w as usize];
            if r != u32::MAX && !near.contains(&(r as usize)) {
                near.push(r as usize);
            }
        }
        let mut best = None;
        for &ri in &near {
            best_in_route(inst, &sol.routes[ri], ri, j, 0.0, 0.0, rng, &mut best);
        }
        if let (Some(p), Some(c)) = (inst.jobs[j as usize].penalty, best) {
            if c.delta >= p {
                best = None;
            }
        }
        if best.is_none() {
            best = best_insertion(inst, sol, j, 0.0, true, rng);
        }
        match best {
            Some(c) => {
                apply(inst, sol, j, &c);
                route_of[j as usize] = c.r as u32;
            }
            None => sol.unassigned.push(j),
        }
    }
}

/// Orders `jobs` as a greedy nearest-neighbour chain starting from the job farthest from
/// the depot, so that cheapest insertion in this order fills routes with nearby jobs.
/// Uses the neighbour lists; a scan of the remaining jobs only when they are exhausted.
fn chain_order(inst: &Instance, jobs: &[u32], depot: u32) -> Vec<u32> {
    let vt = &inst.vtypes[0];
    let mut left = vec![false; inst.jobs.len()];
    for &j in jobs {
        left[j as usize] = true;
    }
    let far = |cands: &mut dyn Iterator<Item = u32>, from: u32| {
        cands.max_by(|&a, &b| {
            vt.c(from, inst.jobs[a as usize].loc)
                .total_cmp(&vt.c(from, inst.jobs[b as usize].loc))
                .then(b.cmp(&a))
        })
    };
    let mut out = Vec::with_capacity(jobs.len());
    let mut cur = far(&mut jobs.iter().copied(), depot);
    while let Some(c) = cur {
        left[c as usize] = false;
        out.push(c);
        cur = inst.neighbors[c as usize]
            .iter()
            .copied()
            .find(|&w| left[w as usize]);
        if cur.is_none() && out.len() < jobs.len() {
            // Nearest remaining job (the neighbour list is exhausted).
            let here = inst.jobs[c as usize].loc;
            cur = jobs
                .iter()
                .copied()
                .filter(|&w| left[w as usize])
                .min_by(|&a, &b| {
                    vt.c(here, inst.jobs[a as usize].loc)
                        .total_cmp(&vt.c(here, inst.jobs[b as usize].loc))
                        .then(a.cmp(&b))
                });
        }
    }
    out
}

/// Removes job `j` from route `ri` (with dump cleanup).
pub(crate) fn remove_job(inst: &Instance, sol: &mut SolutionState, ri: usize, j: u32) {
    sol.touch(ri);
    let r = &mut sol.routes[ri];
    r.nodes.retain(|n| *n != Node::Job(j));
    r.cleanup(inst);
    r.update(inst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::solution_state::exact_ok;
    use crate::{Facility, Job, Matrix, Problem, Vehicle};
    use proptest::prelude::*;

    /// Points on a plane, jobs with optional windows, one truck with one or two breaks.
    fn problem(pts: &[(f64, f64)], windows: &[Option<(f64, f64)>], two_breaks: bool) -> Problem {
        let m = Matrix::from_fn(pts.len(), |i, j| {
            let d = ((pts[i].0 - pts[j].0).powi(2) + (pts[i].1 - pts[j].1).powi(2)).sqrt();
            (d, d)
        });
        let mut p = Problem::new(vec![m]);
        let mut v = Vehicle::new(0, Some(0))
            .capacity(vec![1000])
            .shift(0.0, 2000.0)
            .with_break(0, 150.0, 300.0, 40.0);
        if two_breaks {
            v = v.with_break(1, 500.0, 560.0, 25.0);
        }
        p = p.vehicle(v).facility(Facility {
            id: 0,
            location: pts.len() - 1,
            time_windows: vec![],
            unload: 30.0,
        });
        for (k, w) in windows.iter().enumerate() {
            let mut j = Job::new(k as u64, k + 1).demand(vec![1]).service(10.0);
            if let Some((a, len)) = w {
                j = j.time_window(*a, a + len);
            }
            p = p.job(j);
        }
        p
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Resuming the cached schedule decides exactly like simulating the whole new route.
        #[test]
        fn resumed_check_matches_full_simulation(
            pts in prop::collection::vec((0.0..100.0f64, 0.0..100.0f64), 12),
            windows in prop::collection::vec(prop::option::of((0.0..900.0f64, 20.0..400.0f64)), 10),
            in_route in 2usize..9,
            two_breaks in any::<bool>(),
        ) {
            let p = problem(&pts, &windows, two_breaks);
            let inst = Instance::new(&p);
            let mut r = Route::new(&inst, 0);
            // Greedily build a feasible route from the first jobs, with a dump in the middle.
            for j in 0..in_route as u32 {
                let mut nodes = r.nodes.clone();
                nodes.push(Node::Job(j));
                if j == 3 {
                    nodes.push(Node::Dump(0));
                }
                if exact_ok(&inst, 0, &nodes) {
                    r.nodes = nodes;
                    r.update(&inst);
                }
            }
            prop_assume!(r.feasible && r.resumable);
            for j in in_route as u32..10 {
                for ins in [vec![Node::Job(j)], vec![Node::Job(j), Node::Dump(0)]] {
                    for i in 0..=r.len() {
                        let mut nodes = r.nodes.clone();
                        nodes.splice(i..i, ins.iter().copied());
                        let full = exact_ok(&inst, 0, &nodes);
                        prop_assert_eq!(resume_ok(&inst, &r, i, &ins), full, "gap {} ins {:?}", i, ins);
                    }
                }
            }
        }
    }
}
