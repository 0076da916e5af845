//! Slack Induction by String Removals (Christiaens & Vanden Berghe 2020): string / split-string
//! ruin, blink recreate, simulated annealing, and the fleet minimisation procedure.

use crate::rng::Rng;
use crate::solver::insert::recreate;
use crate::solver::instance::{Instance, NOLOC};
use crate::solver::route::Node;
use crate::solver::solution_state::{ObjectiveValue, SolutionState};

/// SISR parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// Average number of removed jobs.
    pub c_bar: f64,
    /// Maximum string length.
    pub l_max: f64,
    /// Blink rate of recreate.
    pub blink: f64,
    /// Probability to keep growing the preserved part of a split string.
    pub split: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            c_bar: 10.0,
            l_max: 10.0,
            blink: 0.01,
            split: 0.5,
        }
    }
}

/// Removes strings of jobs from the routes nearest to `seed` (a random assigned job when
/// `None`; an unassigned seed makes room around it). Returns removed jobs.
pub(crate) fn ruin(
    inst: &Instance,
    sol: &mut SolutionState,
    rng: &mut Rng,
    prm: &Params,
    seed: Option<u32>,
) -> Vec<u32> {
    let mut removed = Vec::new();
    let assigned = sol.n_assigned();
    let used = sol.used();
    if assigned == 0 {
        return removed;
    }
    let pos = sol.positions(inst.jobs.len());
    let avg = assigned as f64 / used as f64;
    let ls_max = prm.l_max.min(avg);
    let ks_max = 4.0 * prm.c_bar / (1.0 + ls_max) - 1.0;
    let ks = (rng.f() * ks_max).floor() as usize + 1;
    let seed = seed.unwrap_or_else(|| loop {
        let j = rng.below(inst.jobs.len());
        if pos[j].0 != u32::MAX {
            break j as u32;
        }
    });
    let mut ruined: Vec<usize> = Vec::new();
    let mut remove_flags: Vec<u32> = Vec::new();
    for c in std::iter::once(seed).chain(inst.neighbors[seed as usize].iter().copied()) {
        if ruined.len() >= ks {
            break;
        }
        let (r, _) = pos[c as usize];
        if r == u32::MAX || ruined.contains(&(r as usize)) {
            continue;
        }
        let r = r as usize;
        let route = &sol.routes[r];
        let jp: Vec<u32> = route
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Job(j) => Some(*j),
                _ => None,
            })
            .collect();
        let t = jp.len();
        let k = jp.iter().position(|&x| x == c).expect("job in its route");
        let lmax_t = (t as f64).min(ls_max).max(1.0) as usize;
        let l = 1 + rng.below(lmax_t);
        if l >= t || rng.f() < 0.5 {
            // String of l jobs containing position k.
            let lo = (k + 1).saturating_sub(l);
            let hi = k.min(t - l);
            let s = lo + rng.below(hi - lo + 1);
            remove_flags.extend_from_slice(&jp[s..s + l]);
        } else {
            // Split string: l + m consecutive jobs containing k, keep m of them.
            let mut m = 1;
            while l + m < t && rng.f() < prm.split {
                m += 1;
            }
            let w = l + m;
            let lo = (k + 1).saturating_sub(w);
            let hi = k.min(t - w);
            let s = lo + rng.below(hi - lo + 1);
            let keep_at = rng.below(l + 1);
            for (q, &j) in jp[s..s + w].iter().enumerate() {
                if q < keep_at || q >= keep_at + m {
                    remove_flags.push(j);
                }
            }
        }
        ruined.push(r);
    }
    // A shipment leaves its route whole.
    if inst.shipments {
        let ends: Vec<u32> = remove_flags
            .iter()
            .filter(|&&j| inst.paired(j))
            .map(|&j| inst.jobs[j as usize].partner)
            .collect();
        for j in ends {
            if !remove_flags.contains(&j) {
                remove_flags.push(j);
            }
        }
    }
    for &r in &ruined {
        sol.touch(r);
        let route = &mut sol.routes[r];
        route.nodes.retain(|n| match n {
            Node::Job(j) => !remove_flags.contains(j),
            _ => true,
        });
        route.cleanup(inst);
        route.update(inst);
        if !route.feasible {
            // Only possible with matrices violating the triangle inequality.
            for n in route.nodes.drain(..) {
                if let Node::Job(j) = n {
                    remove_flags.push(j);
                }
            }
            route.update(inst);
        }
    }
    removed.extend(remove_flags);
    removed
}

/// Orders removed jobs for recreate (random, demand, far, close with weights 4:4:2:1).
pub(crate) fn sort_removed(inst: &Instance, jobs: &mut [u32], rng: &mut Rng) {
    rng.shuffle(jobs);
    let depot = inst.vehs.first().map(|v| v.start).unwrap_or(NOLOC);
    let vt = &inst.vtypes[0];
    let x = rng.below(11);
    if x < 4 {
        return;
    }
    if x < 8 {
        jobs.sort_by_key(|&j| std::cmp::Reverse(inst.jobs[j as usize].demand.iter().sum::<i64>()));
    } else if x < 10 {
        jobs.sort_by(|&a, &b| {
            vt.c(depot, inst.jobs[b as usize].loc)
                .total_cmp(&vt.c(depot, inst.jobs[a as usize].loc))
        });
    } else {
        jobs.sort_by(|&a, &b| {
            vt.c(depot, inst.jobs[a as usize].loc)
                .total_cmp(&vt.c(depot, inst.jobs[b as usize].loc))
        });
    }
}

/// One ruin-and-recreate move applied to `s` in place (journal it to undo). At most
/// `max_used` vehicles are in use afterwards; jobs that do not fit stay unassigned, the
/// jobs unassigned before the move are inserted first.
pub(crate) fn ruin_and_recreate(
    inst: &Instance,
    s: &mut SolutionState,
    rng: &mut Rng,
    prm: &Params,
    max_used: usize,
    possible: &[bool],
) {
    let mut removed = ruin(inst, s, rng, prm, None);
    sort_removed(inst, &mut removed, rng);
    let (mut all, keep): (Vec<u32>, Vec<u32>) =
        s.unassigned.iter().partition(|&&j| possible[j as usize]);
    s.unassigned = keep;
    all.append(&mut removed);
    let open = max_used.saturating_sub(s.used());
    recreate(inst, s, &all, prm.blink, open, rng);
}

/// Simulated-annealing acceptance on the lexicographic objective.
pub(crate) fn accept(new: &ObjectiveValue, cur: &ObjectiveValue, temp: f64, rng: &mut Rng) -> bool {
    if (new.hard - cur.hard).abs() > 1e-9 {
        return new.hard < cur.hard;
    }
    if new.veh != cur.veh {
        return new.veh < cur.veh;
    }
    new.cost < cur.cost - temp * rng.f().max(1e-300).ln()
}

/// State of the fleet minimisation (SISR section 6): a route is removed, and ruin-recreate
/// without new routes tries to place its jobs, preferring jobs often left out (absences).
/// The state lives across annealing epochs, so absences keep accumulating.
pub(crate) struct FleetMin {
    /// Partial plan with fewer routes than the best complete one (`None` before a start).
    cur: Option<SolutionState>,
    absences: Vec<u64>,
    /// Routes `cur` may use.
    pub target: usize,
    /// Fewest unassigned jobs since the last route removal.
    min_left: usize,
    /// Iterations since `min_left` last fell.
    pub idle: u64,
}

/// Share of fleet-minimisation ruins seeded at an unassigned job.
const ABSENT_SEED: f64 = 0.5;

impl FleetMin {
    pub fn new(inst: &Instance) -> FleetMin {
        FleetMin {
            cur: None,
            absences: vec![0; inst.jobs.len()],
            target: 0,
            min_left: 0,
            idle: 0,
        }
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
            return false;
        }
        self.target = cur.used();
        self.min_left = left(&cur, possible);
        self.idle = 0;
        self.cur = Some(cur);
        true
    }

    pub fn is_started(&self) -> bool {
        self.cur.is_some()
    }

    /// One iteration. Returns a complete solution with fewer vehicles when found (and then
    /// goes on from it minus one more route).
    pub fn step(
        &mut self,
        inst: &Instance,
        rng: &mut Rng,
        prm: &Params,
        possible: &[bool],
    ) -> Option<SolutionState> {
        let sum_abs = |x: &SolutionState, abs: &[u64]| -> u64 {
            x.unassigned
                .iter()
                .filter(|&&j| possible[j as usize])
                .map(|&j| abs[j as usize])
                .sum()
        };
        let s = self.cur.as_mut()?;
        let (c0, a0) = (left(s, possible), sum_abs(s, &self.absences));
        s.begin();
        let pend_before: Vec<u32> = s
            .unassigned
            .iter()
            .copied()
            .filter(|&j| possible[j as usize])
            .collect();
        let seed = (!pend_before.is_empty() && rng.f() < ABSENT_SEED)
            .then(|| pend_before[rng.below(pend_before.len())]);
        let mut removed = ruin(inst, s, rng, prm, seed);
        sort_removed(inst, &mut removed, rng);
        let (mut pend, keep): (Vec<u32>, Vec<u32>) =
            s.unassigned.iter().partition(|&&j| possible[j as usize]);
        s.unassigned = keep;
        pend.sort_by_key(|&j| std::cmp::Reverse(self.absences[j as usize]));
        // Frequently absent jobs first, then the freshly removed ones.
        pend.extend(removed);
        recreate(inst, s, &pend, prm.blink, 0, rng);
        let c1 = left(s, possible);
        if c1 < c0 || sum_abs(s, &self.absences) < a0 {
            s.commit();
        } else {
            s.rollback();
        }
        for &j in &s.unassigned {
            self.absences[j as usize] += 1;
        }
        let c = left(s, possible);
        if c < self.min_left {
            self.min_left = c;
            self.idle = 0;
        } else {
            self.idle += 1;
        }
        if c == 0 {
            let done = s.clone();
            if !self.restart(inst, &done, rng, possible) {
                self.cur = None;
            }
            return Some(done);
        }
        None
    }
}

/// Unassigned jobs that some vehicle could serve.
fn left(s: &SolutionState, possible: &[bool]) -> usize {
    s.unassigned
        .iter()
        .filter(|&&j| possible[j as usize])
        .count()
}

/// Empties one used route (random among the three smallest); false if none is used.
pub(crate) fn remove_route(inst: &Instance, s: &mut SolutionState, rng: &mut Rng) -> bool {
    let mut used: Vec<(usize, usize)> = s
        .routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.n_jobs > 0)
        .map(|(i, r)| (r.n_jobs, i))
        .collect();
    if used.len() <= 1 {
        return false;
    }
    used.sort();
    let pick = used[rng.below(used.len().min(3))].1;
    let r = &mut s.routes[pick];
    for n in r.nodes.drain(..) {
        if let Node::Job(j) = n {
            s.unassigned.push(j);
        }
    }
    r.update(inst);
    true
}
