//! Solver driver: construction, fleet minimisation (SISR's and the ejection-pool route
//! elimination of [`route_elim`], alternating), SISR annealing, parallel threads with
//! periodic best-sharing, stopping rules, progress and conversion to a [`Solution`].

mod insert;
mod instance;
mod local_search;
mod route;
mod route_elim;
mod ruin_recreate;
mod solution_state;
mod stop;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use crate::model::MAX_DIMENSIONS as MAX_DIMS_LOAD;
use crate::rng::Rng;
use crate::solver::insert::{construct, recreate};
use crate::solver::instance::{IJob, Instance, NOPARTNER};
use crate::solver::local_search::local_search;
use crate::solver::route::{schedule, Node, SimKind};
use crate::solver::route_elim::RouteElim;
use crate::solver::ruin_recreate::{accept, ruin_and_recreate, FleetMin, Params};
use crate::solver::solution_state::{
    alone_feasible, impossible_reason, ObjectiveValue, SolutionState,
};
use crate::solver::stop::Stop;
use crate::{
    Error, PlannedRoute, Problem, Result, Solution, Step, StepKind, Unassigned, UnassignedReason,
};

/// Progress report passed to [`SolveOptions::progress`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Progress {
    /// Iterations done per thread.
    pub iterations: u64,
    /// Seconds since the start.
    pub elapsed_s: f64,
    /// Fraction of the budget used (time or iterations, whichever is further), 0..=1.
    pub fraction: f64,
    /// Vehicles used by the best plan.
    pub vehicles: usize,
    /// Cost of the best plan.
    pub cost: f64,
    /// Unassigned jobs in the best plan.
    pub unassigned: usize,
}

/// Callback receiving progress reports (from one thread, at synchronisation points).
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How long and how the solver runs.
///
/// The search is deterministic for a given `seed`, `threads` and `iterations`: threads only
/// exchange solutions at fixed iteration counts, and the annealing schedule follows iteration
/// counts. The run is a series of epochs of `20 * jobs + 1000` iterations doubling each time,
/// each restarting annealing from the best plan; an iteration budget shortens the last one.
/// When vehicles are minimised and the best plan uses more than a capacity lower bound, an
/// epoch starts with fleet minimisation (at most half of it, less when it stops making
/// progress): SISR's ruin-and-recreate without new routes alternates with an ejection-pool
/// route elimination after Nagata & Bräysy 2009 (off with shipments or disposal facilities),
/// and their partial plans, job absences and failure counters carry over to the next epoch. The time
/// limit only decides *when* to stop, so a time-limited run follows the same trajectory and
/// stops at a machine-dependent point.
///
/// The time limit is hard and `cancel` stops a running solve: both are checked inside
/// construction, local search and every ruin-and-recreate iteration, and the solve returns
/// the best plan found so far (jobs construction had not placed yet are unassigned), or
/// [`Error::Stopped`] when it stopped before any job was placed.
#[derive(Clone)]
#[non_exhaustive]
pub struct SolveOptions {
    /// Wall-clock limit.
    pub time_limit: Option<Duration>,
    /// Iterations per thread (fully deterministic budget). With neither limit set, 20000.
    pub iterations: Option<u64>,
    /// Worker threads (each with its own seed).
    pub threads: usize,
    /// Random seed.
    pub seed: u64,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
    /// Set it to `true` (from any thread) to stop the solve early.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            time_limit: None,
            iterations: None,
            threads: 1,
            seed: 1,
            progress: None,
            cancel: None,
        }
    }
}

impl std::fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveOptions")
            .field("time_limit", &self.time_limit)
            .field("iterations", &self.iterations)
            .field("threads", &self.threads)
            .field("seed", &self.seed)
            .field("cancel", &self.cancel)
            .finish()
    }
}

impl SolveOptions {
    /// Options with an iteration budget (deterministic).
    ///
    /// ```
    /// let o = kerb_plan::SolveOptions::iterations(1000).with_threads(2).with_seed(7);
    /// assert_eq!(o.iterations, Some(1000));
    /// ```
    pub fn iterations(n: u64) -> Self {
        Self {
            iterations: Some(n),
            ..Self::default()
        }
    }
    /// Options with a time limit in seconds, clamped to `0..=`[`MAX_TIME_LIMIT_S`] (NaN is
    /// 0). [`SolveOptions::try_time_limit`] refuses such values instead.
    ///
    /// ```
    /// let o = kerb_plan::SolveOptions::time_limit(f64::INFINITY);
    /// assert_eq!(o.time_limit.unwrap().as_secs_f64(), kerb_plan::MAX_TIME_LIMIT_S);
    /// ```
    pub fn time_limit(seconds: f64) -> Self {
        let seconds = if seconds.is_nan() {
            0.0
        } else {
            seconds.clamp(0.0, MAX_TIME_LIMIT_S)
        };
        Self {
            time_limit: Some(Duration::from_secs_f64(seconds)),
            ..Self::default()
        }
    }
    /// Options with a time limit in seconds, checked by [`time_limit_from_secs`].
    ///
    /// ```
    /// use kerb_plan::{Error, SolveOptions};
    /// assert!(SolveOptions::try_time_limit(2.5).is_ok());
    /// for bad in [f64::NAN, f64::INFINITY, -1.0, 1e308] {
    ///     assert!(matches!(SolveOptions::try_time_limit(bad), Err(Error::InvalidTimeLimit { .. })));
    /// }
    /// ```
    pub fn try_time_limit(seconds: f64) -> Result<Self> {
        Ok(Self {
            time_limit: Some(time_limit_from_secs(seconds)?),
            ..Self::default()
        })
    }
    /// Sets (or, with `None`, removes) the wall-clock limit.
    ///
    /// ```
    /// use std::time::Duration;
    /// let o = kerb_plan::SolveOptions::iterations(5000).with_time_limit(Some(Duration::from_secs(2)));
    /// assert_eq!((o.iterations, o.time_limit), (Some(5000), Some(Duration::from_secs(2))));
    /// ```
    pub fn with_time_limit(mut self, limit: Option<Duration>) -> Self {
        self.time_limit = limit;
        self
    }
    /// Sets (or, with `None`, removes) the iteration budget per thread.
    ///
    /// ```
    /// let o = kerb_plan::SolveOptions::time_limit(10.0).with_iterations(Some(200));
    /// assert_eq!(o.iterations, Some(200));
    /// assert!(o.time_limit.is_some());
    /// ```
    pub fn with_iterations(mut self, iterations: Option<u64>) -> Self {
        self.iterations = iterations;
        self
    }
    /// Sets the thread count (at least 1).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }
    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the progress callback.
    pub fn with_progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Sets the cancel token: storing `true` in it stops the solve within milliseconds.
    ///
    /// ```
    /// use std::sync::{atomic::AtomicBool, Arc};
    /// let token = Arc::new(AtomicBool::new(false));
    /// let o = kerb_plan::SolveOptions::iterations(1_000_000).with_cancel(token.clone());
    /// assert!(o.cancel.is_some());
    /// ```
    pub fn with_cancel(mut self, token: Arc<AtomicBool>) -> Self {
        self.cancel = Some(token);
        self
    }
}

/// Longest time limit a solve accepts, in seconds (one week).
pub const MAX_TIME_LIMIT_S: f64 = 7.0 * 86_400.0;

/// A time limit of `seconds`: finite, at least 0 and at most [`MAX_TIME_LIMIT_S`], otherwise
/// [`Error::InvalidTimeLimit`] (instead of the panic of `Duration::from_secs_f64`).
///
/// ```
/// use kerb_plan::{time_limit_from_secs, Error};
/// assert_eq!(time_limit_from_secs(1.5).unwrap().as_millis(), 1500);
/// assert!(matches!(time_limit_from_secs(f64::NAN), Err(Error::InvalidTimeLimit { .. })));
/// ```
pub fn time_limit_from_secs(seconds: f64) -> Result<Duration> {
    if seconds.is_finite() && (0.0..=MAX_TIME_LIMIT_S).contains(&seconds) {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(Error::InvalidTimeLimit {
            seconds,
            max_s: MAX_TIME_LIMIT_S,
        })
    }
}

struct SyncState {
    slots: Vec<Option<(ObjectiveValue, SolutionState)>>,
    stop: bool,
    best_tid: usize,
}

struct Shared<'o> {
    barrier: Barrier,
    state: Mutex<SyncState>,
    opts: &'o SolveOptions,
    start: Instant,
    budget: Option<u64>,
    /// The hard time limit and the cancel token.
    stop: Stop,
}

impl Shared<'_> {
    /// Posts `best`, waits for every thread, returns (stop, better global best if any).
    fn sync(
        &self,
        tid: usize,
        best: &SolutionState,
        obj: ObjectiveValue,
        iters: u64,
        inst: &Instance,
    ) -> (bool, Option<SolutionState>) {
        self.state.lock().expect("sync lock").slots[tid] = Some((obj, best.clone()));
        self.barrier.wait();
        if tid == 0 {
            let mut st = self.state.lock().expect("sync lock");
            let mut bt = 0;
            for t in 1..st.slots.len() {
                let (a, b) = (&st.slots[t], &st.slots[bt]);
                if let (Some((oa, _)), Some((ob, _))) = (a, b) {
                    if oa.better(ob) {
                        bt = t;
                    }
                }
            }
            st.best_tid = bt;
            let elapsed = self.start.elapsed();
            let by_time = self.opts.time_limit.map(|l| elapsed >= l).unwrap_or(false);
            let by_iter = self.budget.map(|b| iters >= b).unwrap_or(false);
            st.stop = by_time || by_iter || self.stop.cancelled();
            if let (Some(cb), Some((o, s))) = (&self.opts.progress, &st.slots[bt]) {
                let ft = self
                    .opts
                    .time_limit
                    .map(|l| elapsed.as_secs_f64() / l.as_secs_f64().max(1e-9))
                    .unwrap_or(0.0);
                let fi = self
                    .budget
                    .map(|b| iters as f64 / b.max(1) as f64)
                    .unwrap_or(0.0);
                cb(&Progress {
                    iterations: iters,
                    elapsed_s: elapsed.as_secs_f64(),
                    fraction: ft.max(fi).min(1.0),
                    vehicles: s.used(),
                    cost: o.cost,
                    unassigned: s.unassigned.len(),
                });
            }
            let _ = inst;
        }
        self.barrier.wait();
        let st = self.state.lock().expect("sync lock");
        let global = if st.best_tid != tid {
            match (&st.slots[st.best_tid], &st.slots[tid]) {
                (Some((og, sg)), Some((om, _))) if og.better(om) => Some(sg.clone()),
                _ => None,
            }
        } else {
            None
        };
        (st.stop, global)
    }
}

/// The vehicles' given routes ([`crate::Vehicle::initial_route`]) as a starting solution,
/// `None` when no vehicle has one; an error naming the first infeasible one (VROOM refuses
/// such `steps` too).
fn initial_routes(inst: &Instance) -> Result<Option<SolutionState>> {
    if inst.p.vehicles.iter().all(|v| v.initial_route.is_empty()) {
        return Ok(None);
    }
    let mut sol = SolutionState::empty(inst);
    for (v, veh) in inst.p.vehicles.iter().enumerate() {
        if veh.initial_route.is_empty() {
            continue;
        }
        let fail = |reason: &str| Error::InvalidInitialRoute {
            vehicle: veh.id,
            reason: reason.into(),
        };
        if let Some(&j) = veh.initial_route.iter().find(|&&j| !inst.compat(j, v)) {
            return Err(fail(&format!(
                "job {} needs skills the vehicle lacks",
                inst.p.jobs[j].id
            )));
        }
        let nodes: Vec<Node> = veh
            .initial_route
            .iter()
            .map(|&j| Node::Job(j as u32))
            .collect();
        let route = &mut sol.routes[v];
        route.nodes = nodes.clone();
        route.update(inst);
        if !route.feasible && inst.vehs[v].end_dump {
            for f in 0..inst.facs.len() {
                route.nodes = nodes.clone();
                route.nodes.push(Node::Dump(f as u32));
                route.update(inst);
                if route.feasible {
                    break;
                }
            }
        }
        if !route.feasible {
            // Name the first broken rule that is cheap to tell apart.
            let cap = &inst.vehs[v].cap;
            let mut load = [0i64; MAX_DIMS_LOAD];
            for &j in &veh.initial_route {
                load = crate::solver::instance::load_add(&load, &inst.jobs[j].start_load);
            }
            let mut over = !crate::solver::instance::load_le(&load, cap);
            for &j in &veh.initial_route {
                let job = &inst.jobs[j];
                for (k, x) in load.iter_mut().enumerate() {
                    *x += job.demand[k] - job.delivery[k];
                }
                over |= !crate::solver::instance::load_le(&load, cap);
            }
            return Err(fail(if over {
                "over capacity"
            } else {
                "a shipment split or out of order, a time window, the shift or a route limit"
            }));
        }
    }
    Ok(Some(sol))
}

fn vehicle_lower_bound(inst: &Instance, possible: &[bool]) -> usize {
    let mut lb = 0usize;
    for k in 0..MAX_DIMS_LOAD {
        // Pickups stay on board to the end and deliveries from the start; shipments reuse
        // capacity and bound nothing.
        let total = |f: &dyn Fn(&IJob) -> i64| -> i64 {
            inst.jobs
                .iter()
                .zip(possible)
                .filter(|(j, &p)| p && j.partner == NOPARTNER)
                .map(|(j, _)| f(j))
                .sum()
        };
        let total = total(&|j| j.demand[k]).max(total(&|j| j.start_load[k]));
        let cap = inst.vehs.iter().map(|v| v.cap[k]).max().unwrap_or(0);
        if total > 0 && cap > 0 && cap < i64::MAX / 8 {
            lb = lb.max(((total + cap - 1) / cap) as usize);
        }
    }
    lb.max(usize::from(possible.iter().any(|&p| p)))
}

/// Fleet minimisation gives up for the current epoch after this many iterations per job
/// without leaving fewer jobs out (it resumes, with its absences, in the next epoch).
const FM_PATIENCE_PER_JOB: u64 = 20;
/// Route elimination ([`route_elim`]) counts as stalled after this many steps per job
/// without a smaller ejection pool.
const RE_PATIENCE_PER_JOB: u64 = 20;
/// Route elimination runs only while the plan it would leave averages at most this many
/// jobs per route (on R211, 2 routes of 50 jobs, it costs more than it finds).
const RE_MAX_AVG_ROUTE_LEN: usize = 25;
/// Largest share of an epoch given to fleet minimisation.
const FM_MAX_SHARE: f64 = 0.5;

#[allow(clippy::too_many_arguments)]
fn worker(
    tid: usize,
    inst: &Instance,
    init: &SolutionState,
    possible: &[bool],
    shared: &Shared,
    prm: &Params,
    temps: (f64, f64),
    lb: usize,
) -> (SolutionState, u64) {
    let mut rng = Rng::new(shared.opts.seed ^ (tid as u64 + 1).wrapping_mul(0x9E3779B97F4A7C15));
    let mut best = init.clone();
    let mut best_obj = best.obj(inst);
    let mut cur = best.clone();
    let mut cur_obj = best_obj;
    let sync_every = (100_000 / inst.jobs.len().max(1)).clamp(20, 1000) as u64;
    let mut next_len = 20 * inst.jobs.len() as u64 + 1000;
    let mut total: u64 = 0;
    let mut touched: Vec<usize> = Vec::new();
    let (t0, tf) = temps;
    let mut fm = FleetMin::new(inst);
    // The ejection-pool route elimination shares the fleet-minimisation share of an epoch
    // with the SISR one, alternating steps, where it can handle the constraints.
    let mut re = RouteElim::new(inst);
    let use_re = route_elim::applies(inst);
    let patience = FM_PATIENCE_PER_JOB * inst.jobs.len() as u64;
    let re_patience = RE_PATIENCE_PER_JOB * inst.jobs.len() as u64;
    let complete = |s: &SolutionState| s.unassigned.iter().all(|&j| !possible[j as usize]);
    loop {
        // An iteration budget cuts the last epoch short (it still cools down fully).
        let epoch_len = match shared.budget {
            Some(b) => next_len.min(b.saturating_sub(total)).max(1),
            None => next_len,
        };
        let mut fm_end = 0;
        if inst.minimize_vehicles && best.used() > lb && complete(&best) {
            let ready = (fm.is_started() && fm.target < best.used())
                || fm.restart(inst, &best, &mut rng, possible);
            // Few long routes make the ejection neighbourhood quadratic in their length.
            let short_routes =
                inst.jobs.len() <= RE_MAX_AVG_ROUTE_LEN * best.used().saturating_sub(1);
            if !short_routes {
                re.stop();
            } else if use_re && !(re.is_started() && re.target < best.used()) {
                re.restart(inst, &best, &mut rng, possible);
            }
            if ready {
                fm.idle = 0;
                re.idle = 0;
                fm_end = (epoch_len as f64 * FM_MAX_SHARE) as u64;
            }
        }
        let mut e = 0u64;
        while e < epoch_len {
            let chunk = sync_every.min(epoch_len - e);
            for _ in 0..chunk {
                // Never fires on an iteration budget alone, so determinism is unaffected.
                if shared.stop.reached() {
                    break;
                }
                if e < fm_end {
                    let found = if re.is_started() && (e % 2 == 0 || !fm.is_started()) {
                        re.step(inst, &mut rng, possible)
                    } else {
                        fm.step(inst, &mut rng, prm, possible)
                    };
                    if let Some(s) = found {
                        let o = s.obj(inst);
                        if o.better(&best_obj) {
                            best = s;
                            best_obj = o;
                        }
                    }
                    let fm_done = !fm.is_started() || fm.idle >= patience;
                    let re_done = !re.is_started() || re.idle >= re_patience;
                    if best.used() <= lb || (fm_done && re_done) {
                        fm_end = e + 1;
                    }
                    if e + 1 == fm_end {
                        cur = best.clone();
                        cur_obj = best_obj;
                    }
                } else {
                    let frac = (e - fm_end) as f64 / (epoch_len - fm_end).max(1) as f64;
                    let temp = t0 * (tf / t0).powf(frac);
                    let max_used = if inst.minimize_vehicles {
                        best.used()
                    } else {
                        inst.nv
                    };
                    cur.begin();
                    ruin_and_recreate(inst, &mut cur, &mut rng, prm, max_used, possible);
                    let o = cur.obj(inst);
                    if accept(&o, &cur_obj, temp, &mut rng) {
                        // Local search on a new best starts from the routes the move changed:
                        // a pass over every job would cost O(jobs) per improvement.
                        touched.clear();
                        touched.extend(cur.touched());
                        cur.commit();
                        cur_obj = o;
                        if o.better(&best_obj) {
                            if local_search(
                                inst,
                                &mut cur,
                                &mut rng,
                                10_000,
                                &shared.stop,
                                Some(&touched),
                            ) > 0
                            {
                                cur_obj = cur.obj(inst);
                            }
                            best = cur.clone();
                            best_obj = cur_obj;
                        }
                    } else {
                        cur.rollback();
                    }
                }
                e += 1;
                total += 1;
            }
            let (stop, global) = shared.sync(tid, &best, best_obj, total, inst);
            if let Some(g) = global {
                best = g;
                best_obj = best.obj(inst);
                if e >= fm_end {
                    cur = best.clone();
                    cur_obj = best_obj;
                } else {
                    if re.is_started() && re.target >= best.used() {
                        re.restart(inst, &best, &mut rng, possible);
                    }
                    if fm.target >= best.used() && !fm.restart(inst, &best, &mut rng, possible) {
                        fm_end = e;
                        cur = best.clone();
                        cur_obj = best_obj;
                    }
                }
            }
            if stop {
                return (best, total);
            }
        }
        // Next epoch restarts annealing from the best, twice as long.
        cur = best.clone();
        cur_obj = best_obj;
        next_len = next_len.saturating_mul(2);
    }
}

/// Solves `problem`. See [`SolveOptions`] for budget, threads and determinism.
pub fn solve(problem: &Problem, opts: &SolveOptions) -> Result<Solution> {
    problem.validate()?;
    if let Some(limit) = opts.time_limit {
        time_limit_from_secs(limit.as_secs_f64())?;
    }
    let start = Instant::now();
    let stop = Stop::new(opts.time_limit.map(|l| start + l), opts.cancel.clone());
    if problem.vehicles.is_empty() && !problem.jobs.is_empty() {
        return Err(crate::Error::Infeasible {
            reason: "the problem has jobs but no vehicle".into(),
        });
    }
    let inst = Instance::new(problem);
    // Vehicles of one class are interchangeable: test one per class.
    let mut class_rep: Vec<usize> = Vec::new();
    for v in 0..inst.nv {
        if !class_rep
            .iter()
            .any(|&w| inst.vehs[w].class == inst.vehs[v].class)
        {
            class_rep.push(v);
        }
    }
    let possible: Vec<bool> = (0..inst.jobs.len() as u32)
        .map(|j| class_rep.iter().any(|&v| alone_feasible(&inst, v, j)))
        .collect();
    let mut rng = Rng::new(opts.seed);
    let todo: Vec<u32> = (0..inst.jobs.len() as u32)
        .filter(|&j| possible[j as usize])
        .collect();
    // With only a time limit, construction and the first local search get a share of it
    // and then settle for a quicker completion. An iteration budget keeps them unbounded so
    // that the run stays deterministic.
    let phase_deadline = |share: f64| match (opts.iterations, opts.time_limit) {
        (None, Some(l)) => Some(start + l.mul_f64(share)),
        _ => None,
    };
    let given = initial_routes(&inst)?;
    let mut init = match given {
        // Given routes first, then cheapest insertion of the rest (whole shipments).
        Some(mut init) => {
            let placed = init.positions(inst.jobs.len());
            let rest: Vec<u32> = todo
                .iter()
                .copied()
                .filter(|&j| placed[j as usize].0 == u32::MAX)
                .collect();
            recreate(&inst, &mut init, &rest, 0.0, inst.nv, &mut rng);
            init
        }
        None => {
            // Shipments are inserted whole, after the construction of the single jobs.
            let (pairs, singles): (Vec<u32>, Vec<u32>) =
                todo.iter().partition(|&&j| inst.paired(j));
            let mut init = construct(&inst, &singles, &mut rng, phase_deadline(0.3), &stop);
            if !pairs.is_empty() {
                let pickups: Vec<u32> = pairs
                    .into_iter()
                    .filter(|&j| inst.jobs[j as usize].is_pickup)
                    .collect();
                recreate(&inst, &mut init, &pickups, 0.0, inst.nv, &mut rng);
            }
            init
        }
    };
    tracing::debug!(
        elapsed_s = start.elapsed().as_secs_f64(),
        "construction built"
    );
    local_search(
        &inst,
        &mut init,
        &mut rng,
        100_000,
        &stop.until(phase_deadline(0.45)),
        None,
    );
    if stop.reached() && !todo.is_empty() && init.n_assigned() == 0 {
        return Err(Error::Stopped {
            elapsed_s: start.elapsed().as_secs_f64(),
        });
    }
    init.unassigned
        .extend((0..inst.jobs.len() as u32).filter(|&j| !possible[j as usize]));
    let o = init.obj(&inst);
    tracing::debug!(vehicles = init.used(), cost = o.cost, "construction done");
    let assigned = init.n_assigned();
    let avg_arc = if assigned > 0 {
        let travel: f64 = init.routes.iter().map(|r| r.cost).sum();
        travel / (assigned + init.used()) as f64
    } else {
        1.0
    };
    let temps = (avg_arc.max(1e-6) * 1.0, avg_arc.max(1e-6) * 0.01);
    let prm = Params::default();
    let lb = vehicle_lower_bound(&inst, &possible);
    let threads = opts.threads.max(1);
    let budget = match (opts.iterations, opts.time_limit) {
        (Some(n), _) => Some(n),
        (None, None) => Some(20_000),
        (None, Some(_)) => None,
    };
    let out_of_time = stop.reached();
    let (best, iters) = if todo.is_empty() || budget == Some(0) || out_of_time {
        (init, 0)
    } else {
        let shared = Shared {
            barrier: Barrier::new(threads),
            state: Mutex::new(SyncState {
                slots: vec![None; threads],
                stop: false,
                best_tid: 0,
            }),
            opts,
            start,
            budget,
            stop,
        };
        let results: Vec<(SolutionState, u64)> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..threads)
                .map(|t| {
                    let (inst, init, possible, shared, prm) =
                        (&inst, &init, &possible, &shared, &prm);
                    s.spawn(move || worker(t, inst, init, possible, shared, prm, temps, lb))
                })
                .collect();
            hs.into_iter()
                .map(|h| h.join().expect("solver thread panicked"))
                .collect()
        });
        let mut it = results.into_iter();
        let (mut best, iters) = it.next().expect("one thread");
        let mut bo = best.obj(&inst);
        for (s, _) in it {
            let o = s.obj(&inst);
            if o.better(&bo) {
                best = s;
                bo = o;
            }
        }
        (best, iters)
    };
    Ok(to_solution(
        &inst,
        &best,
        &possible,
        iters,
        start.elapsed().as_secs_f64(),
    ))
}

fn to_solution(
    inst: &Instance,
    sol: &SolutionState,
    possible: &[bool],
    iterations: u64,
    elapsed_s: f64,
) -> Solution {
    let dims = inst.p.dimensions();
    let mut out = Solution::default();
    for r in sol.routes.iter().filter(|r| r.n_jobs > 0) {
        let sim = schedule(inst, r.v, &r.nodes).expect("solver routes are feasible");
        let mut load = vec![0i64; dims];
        if inst.general_loads {
            for (k, l) in load.iter_mut().enumerate() {
                *l = r.lat[0][k];
            }
        }
        let mut steps = Vec::with_capacity(sim.steps.len());
        let mut dist = 0.0;
        let mut prev = inst.vehs[r.v].start;
        let (mut setup, mut service, mut waiting) = (0.0, 0.0, 0.0);
        for s in &sim.steps {
            let kind = match s.kind {
                SimKind::Start => StepKind::Start,
                SimKind::End => StepKind::End,
                SimKind::Break(b) => StepKind::Break { index: b },
                SimKind::Node(Node::Job(j)) => {
                    let job = &inst.jobs[j as usize];
                    for (k, l) in load.iter_mut().enumerate() {
                        *l += job.demand[k] - job.delivery[k];
                    }
                    StepKind::Job { job: j as usize }
                }
                SimKind::Node(Node::Dump(f)) => {
                    load.iter_mut().for_each(|l| *l = 0);
                    StepKind::Disposal {
                        facility: f as usize,
                    }
                }
            };
            if !matches!(s.kind, SimKind::Break(_)) {
                dist += inst.dist(r.v, prev, s.loc);
                prev = s.loc;
            }
            setup += s.setup;
            service += s.service;
            waiting += s.start - s.arrival;
            steps.push(Step {
                kind,
                location: (s.loc != crate::solver::instance::NOLOC).then_some(s.loc as usize),
                arrival: s.arrival,
                start: s.start,
                setup: s.setup,
                service: s.service,
                departure: s.departure,
                load: load.clone(),
                distance: dist,
            });
        }
        let route = PlannedRoute {
            vehicle: r.v,
            cost: r.total_cost(inst),
            distance: sim.dist,
            travel_time: sim.travel,
            setup,
            service,
            waiting,
            working_time: sim.working(),
            steps,
        };
        out.summary.cost += route.cost;
        out.summary.distance += route.distance;
        out.summary.travel_time += route.travel_time;
        out.summary.service += route.service;
        out.summary.waiting += route.waiting;
        out.routes.push(route);
    }
    let mut un: Vec<u32> = sol.unassigned.clone();
    un.sort_unstable();
    for j in un {
        if let Some(p) = inst.jobs[j as usize].penalty {
            out.summary.cost += p;
        }
        let reason = if possible[j as usize] {
            UnassignedReason::NoRoom
        } else {
            impossible_reason(inst, j)
        };
        out.unassigned.push(Unassigned {
            job: j as usize,
            reason,
        });
    }
    out.summary.vehicles = out.routes.len();
    out.summary.unassigned = out.unassigned.len();
    out.summary.iterations = iterations;
    out.summary.elapsed_s = elapsed_s;
    out
}
