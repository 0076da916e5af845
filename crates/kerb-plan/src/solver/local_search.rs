//! Local search on neighbour lists: relocate, or-opt (strings of 2-3), swap, 2-opt* and
//! intra-route relocation, first improvement. Each candidate is screened by its O(1) arc-cost
//! delta; only improving ones are checked for feasibility (full route re-evaluation with the
//! same caches the solver uses, so disposal trips, breaks and limits stay enforced).

use crate::rng::Rng;
use crate::solver::instance::Instance;
use crate::solver::route::{Node, Route};
use crate::solver::solution_state::SolutionState;
use crate::solver::stop::Stop;

/// Neighbours examined per job.
const K: usize = 12;

fn job_at(r: &Route, k: usize) -> Option<u32> {
    match r.nodes.get(k) {
        Some(Node::Job(j)) => Some(*j),
        _ => None,
    }
}

/// Evaluates `nodes` for vehicle of route `r` (after dump cleanup). Returns the new route if
/// feasible.
fn build(inst: &Instance, v: usize, nodes: Vec<Node>) -> Option<Route> {
    let mut r = Route::new(inst, v);
    r.nodes = nodes;
    r.cleanup(inst);
    r.update(inst);
    r.feasible.then_some(r)
}

/// `(cost, vehicles)` contribution of a route.
fn value(inst: &Instance, r: &Route) -> (f64, usize) {
    (r.total_cost(inst), usize::from(r.n_jobs > 0))
}

fn improves(inst: &Instance, dc: f64, dv: isize) -> bool {
    if inst.minimize_vehicles && dv != 0 {
        return dv < 0;
    }
    dc < -1e-7
}

/// Runs first-improvement local search from the jobs of `routes` (every job when `None`)
/// until no move improves, `max_moves` are applied or `stop` fires (checked every few
/// jobs). Returns the number of applied moves.
pub(crate) fn local_search(
    inst: &Instance,
    sol: &mut SolutionState,
    rng: &mut Rng,
    max_moves: usize,
    stop: &Stop,
    routes: Option<&[usize]>,
) -> usize {
    let nj = inst.jobs.len();
    let mut order: Vec<u32> = match routes {
        None => (0..nj as u32).collect(),
        Some(rs) => rs
            .iter()
            .flat_map(|&r| sol.routes[r].nodes.iter())
            .filter_map(|n| match n {
                Node::Job(j) => Some(*j),
                Node::Dump(_) => None,
            })
            .collect(),
    };
    let mut pos = sol.positions(nj);
    let mut applied = 0;
    loop {
        rng.shuffle(&mut order);
        let mut improved = false;
        for (k, &u) in order.iter().enumerate() {
            if applied >= max_moves {
                return applied;
            }
            if k % 64 == 63 && stop.reached() {
                return applied;
            }
            if let Some((ra, rb)) = try_job(inst, sol, &pos, u) {
                for ri in [ra, rb] {
                    for (p, n) in sol.routes[ri].nodes.iter().enumerate() {
                        if let Node::Job(j) = n {
                            pos[*j as usize] = (ri as u32, p as u32);
                        }
                    }
                }
                applied += 1;
                improved = true;
            }
        }
        if !improved {
            return applied;
        }
    }
}

/// `(route, node index)` of job `j` from the positions cache.
#[inline]
fn find(pos: &[(u32, u32)], j: u32) -> Option<(usize, usize)> {
    let (r, k) = pos[j as usize];
    (r != u32::MAX).then_some((r as usize, k as usize))
}

/// Tries every move of job `u` with its neighbours; applies the first improving one and
/// returns the routes it changed.
fn try_job(
    inst: &Instance,
    sol: &mut SolutionState,
    pos: &[(u32, u32)],
    u: u32,
) -> Option<(usize, usize)> {
    let (r1, p1) = find(pos, u)?;
    for &w in inst.neighbors[u as usize].iter().take(K) {
        let Some((r2, p2)) = find(pos, w) else {
            continue;
        };
        if r1 == r2 {
            if try_intra(inst, sol, r1, p1, p2) {
                return Some((r1, r1));
            }
            continue;
        }
        if !inst.compat(u as usize, sol.routes[r2].v) {
            continue;
        }
        // Relocate / or-opt: string starting at u (length 1..=3) before or after w.
        for len in 1..=3usize {
            let s = &sol.routes[r1].nodes;
            if p1 + len > s.len() || (p1..p1 + len).any(|k| !matches!(s[k], Node::Job(_))) {
                break;
            }
            for after in [false, true] {
                let gap = if after { p2 + 1 } else { p2 };
                if try_relocate(inst, sol, r1, p1, len, r2, gap) {
                    return Some((r1, r2));
                }
            }
        }
        if try_swap(inst, sol, r1, p1, r2, p2) {
            return Some((r1, r2));
        }
        // 2-opt*: u then w's tail, or w then u's tail.
        if try_two_opt_star(inst, sol, r1, p1, r2, p2)
            || try_two_opt_star(inst, sol, r2, p2, r1, p1)
        {
            return Some((r1, r2));
        }
    }
    None
}

/// Location at node index `k` of route `r`, where `-1` is the start and `len` the end.
#[inline]
fn loc(_inst: &Instance, r: &Route, k: isize) -> u32 {
    r.loc[(k + 1) as usize]
}

fn commit(sol: &mut SolutionState, a: (usize, Route), b: Option<(usize, Route)>) {
    sol.routes[a.0] = a.1;
    if let Some((i, r)) = b {
        sol.routes[i] = r;
    }
}

fn try_relocate(
    inst: &Instance,
    sol: &mut SolutionState,
    r1: usize,
    p1: usize,
    len: usize,
    r2: usize,
    gap: usize,
) -> bool {
    let (a, b) = (&sol.routes[r1], &sol.routes[r2]);
    let (vt1, vt2) = (inst.vt(a.v), inst.vt(b.v));
    let first = loc(inst, a, p1 as isize);
    let last = loc(inst, a, (p1 + len - 1) as isize);
    let (pa, na) = (
        loc(inst, a, p1 as isize - 1),
        loc(inst, a, (p1 + len) as isize),
    );
    let (pb, nb) = (loc(inst, b, gap as isize - 1), loc(inst, b, gap as isize));
    let inner1: f64 = (p1..p1 + len - 1)
        .map(|k| vt1.c(loc(inst, a, k as isize), loc(inst, a, k as isize + 1)))
        .sum();
    let inner2: f64 = (p1..p1 + len - 1)
        .map(|k| vt2.c(loc(inst, a, k as isize), loc(inst, a, k as isize + 1)))
        .sum();
    let emptied = a.n_jobs == len;
    let mut dc = vt1.c(pa, na) - vt1.c(pa, first) - vt1.c(last, na) - inner1
        + vt2.c(pb, first)
        + inner2
        + vt2.c(last, nb)
        - vt2.c(pb, nb);
    if emptied {
        dc -= inst.vehs[a.v].fixed;
    }
    let dv = -(emptied as isize);
    if !improves(inst, dc, dv) {
        return false;
    }
    let moved: Vec<Node> = a.nodes[p1..p1 + len].to_vec();
    if moved
        .iter()
        .any(|n| matches!(n, Node::Job(j) if !inst.compat(*j as usize, b.v)))
    {
        return false;
    }
    let mut n1 = a.nodes.clone();
    n1.drain(p1..p1 + len);
    let mut n2 = b.nodes.clone();
    n2.splice(gap..gap, moved);
    let (Some(ra), Some(rb)) = (build(inst, a.v, n1), build(inst, b.v, n2)) else {
        return false;
    };
    let (old_c, old_v) = (
        value(inst, a).0 + value(inst, b).0,
        value(inst, a).1 + value(inst, b).1,
    );
    let (new_c, new_v) = (
        value(inst, &ra).0 + value(inst, &rb).0,
        value(inst, &ra).1 + value(inst, &rb).1,
    );
    if !improves(inst, new_c - old_c, new_v as isize - old_v as isize) {
        return false;
    }
    commit(sol, (r1, ra), Some((r2, rb)));
    true
}

fn try_swap(
    inst: &Instance,
    sol: &mut SolutionState,
    r1: usize,
    p1: usize,
    r2: usize,
    p2: usize,
) -> bool {
    let (a, b) = (&sol.routes[r1], &sol.routes[r2]);
    let (Some(u), Some(w)) = (job_at(a, p1), job_at(b, p2)) else {
        return false;
    };
    if !inst.compat(w as usize, a.v) || !inst.compat(u as usize, b.v) {
        return false;
    }
    let (vt1, vt2) = (inst.vt(a.v), inst.vt(b.v));
    let (lu, lw) = (inst.jobs[u as usize].loc, inst.jobs[w as usize].loc);
    let (pa, na) = (loc(inst, a, p1 as isize - 1), loc(inst, a, p1 as isize + 1));
    let (pb, nb) = (loc(inst, b, p2 as isize - 1), loc(inst, b, p2 as isize + 1));
    let dc = vt1.c(pa, lw) + vt1.c(lw, na) - vt1.c(pa, lu) - vt1.c(lu, na)
        + vt2.c(pb, lu)
        + vt2.c(lu, nb)
        - vt2.c(pb, lw)
        - vt2.c(lw, nb);
    if !improves(inst, dc, 0) {
        return false;
    }
    let mut n1 = a.nodes.clone();
    let mut n2 = b.nodes.clone();
    n1[p1] = Node::Job(w);
    n2[p2] = Node::Job(u);
    let (Some(ra), Some(rb)) = (build(inst, a.v, n1), build(inst, b.v, n2)) else {
        return false;
    };
    let old = value(inst, a).0 + value(inst, b).0;
    let new = value(inst, &ra).0 + value(inst, &rb).0;
    if !improves(inst, new - old, 0) {
        return false;
    }
    commit(sol, (r1, ra), Some((r2, rb)));
    true
}

/// Route `r1` keeps its head up to `p1` and continues with `r2`'s tail from `p2`;
/// `r2` keeps its head before `p2` and continues with `r1`'s tail after `p1`.
fn try_two_opt_star(
    inst: &Instance,
    sol: &mut SolutionState,
    r1: usize,
    p1: usize,
    r2: usize,
    p2: usize,
) -> bool {
    let (a, b) = (&sol.routes[r1], &sol.routes[r2]);
    let same_type = inst.vehs[a.v].vtype == inst.vehs[b.v].vtype;
    let (x, xn) = (loc(inst, a, p1 as isize), loc(inst, a, p1 as isize + 1));
    let (yp, y) = (loc(inst, b, p2 as isize - 1), loc(inst, b, p2 as isize));
    if same_type {
        let vt = inst.vt(a.v);
        let dc = vt.c(x, y) + vt.c(yp, xn) - vt.c(x, xn) - vt.c(yp, y);
        let empties = (a.nodes[..=p1].iter().all(|n| matches!(n, Node::Dump(_)))
            && b.nodes[p2..].iter().all(|n| matches!(n, Node::Dump(_))))
            || (b.nodes[..p2].iter().all(|n| matches!(n, Node::Dump(_)))
                && a.nodes[p1 + 1..].iter().all(|n| matches!(n, Node::Dump(_))));
        if !empties && !improves(inst, dc, 0) {
            return false;
        }
    }
    let mut n1: Vec<Node> = a.nodes[..=p1].to_vec();
    n1.extend_from_slice(&b.nodes[p2..]);
    let mut n2: Vec<Node> = b.nodes[..p2].to_vec();
    n2.extend_from_slice(&a.nodes[p1 + 1..]);
    let compat_ok = |nodes: &[Node], v: usize| {
        nodes
            .iter()
            .all(|n| !matches!(n, Node::Job(j) if !inst.compat(*j as usize, v)))
    };
    if !compat_ok(&n1, a.v) || !compat_ok(&n2, b.v) {
        return false;
    }
    let (Some(ra), Some(rb)) = (build(inst, a.v, n1), build(inst, b.v, n2)) else {
        return false;
    };
    let (old_c, old_v) = (
        value(inst, a).0 + value(inst, b).0,
        value(inst, a).1 + value(inst, b).1,
    );
    let (new_c, new_v) = (
        value(inst, &ra).0 + value(inst, &rb).0,
        value(inst, &ra).1 + value(inst, &rb).1,
    );
    if !improves(inst, new_c - old_c, new_v as isize - old_v as isize) {
        return false;
    }
    commit(sol, (r1, ra), Some((r2, rb)));
    true
}

/// Intra-route: move job at `p1` next to the job at `p2` (before or after), or-opt style.
fn try_intra(inst: &Instance, sol: &mut SolutionState, r: usize, p1: usize, p2: usize) -> bool {
    let a = &sol.routes[r];
    let vt = inst.vt(a.v);
    for after in [false, true] {
        let gap = if after { p2 + 1 } else { p2 };
        if gap == p1 || gap == p1 + 1 {
            continue;
        }
        let lu = loc(inst, a, p1 as isize);
        let (pa, na) = (loc(inst, a, p1 as isize - 1), loc(inst, a, p1 as isize + 1));
        let (pb, nb) = (loc(inst, a, gap as isize - 1), loc(inst, a, gap as isize));
        let dc =
            vt.c(pa, na) - vt.c(pa, lu) - vt.c(lu, na) + vt.c(pb, lu) + vt.c(lu, nb) - vt.c(pb, nb);
        if !improves(inst, dc, 0) {
            continue;
        }
        let mut n = a.nodes.clone();
        let node = n.remove(p1);
        let g = if gap > p1 { gap - 1 } else { gap };
        n.insert(g, node);
        if let Some(ra) = build(inst, a.v, n) {
            if improves(inst, ra.total_cost(inst) - a.total_cost(inst), 0) {
                sol.routes[r] = ra;
                return true;
            }
        }
    }
    false
}
