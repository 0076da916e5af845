//! Path-scanning construction and the memetic search (giant tours, split, local search,
//! population ranked by cost and diversity).

use std::time::Instant;

use super::local_search::local_search;
use super::split::Ctx;
use super::{CarpInstance, CarpRoute, CarpSolution, ServedTask};
use crate::rng::Rng;
use crate::{Progress, Result, SolveOptions};

/// Iterations of a run without any limit set.
const DEFAULT_ITERATIONS: u64 = 20_000;
/// Population size kept after survivor selection, and offspring between two selections.
const MU: usize = 25;
const LAMBDA: usize = 40;
/// Elite individuals protected by the biased fitness, and neighbours for diversity.
const N_ELITE: usize = 4;
const N_CLOSE: usize = 5;
/// Capacity penalty for a search that must stay feasible.
const HARD_PENALTY: f64 = 1e7;

/// Path-scanning (Golden, DeArmon & Baker 1983): grow a trip by the nearest unserved task that
/// fits, ties broken by `rule` (1: farthest from the depot, 2: nearest to it, 3: largest
/// demand/cost ratio, 4: smallest, 5: rule 1 while the truck is less than half full, else
/// rule 2).
fn path_scanning(ctx: &Ctx, inst: &CarpInstance, rule: u8) -> Vec<Vec<u32>> {
    let mut served = vec![false; ctx.m];
    let mut left = ctx.m;
    let mut routes = Vec::new();
    while left > 0 {
        let (mut route, mut load, mut at) = (Vec::new(), 0i64, ctx.depot);
        loop {
            let mut best: Option<(i64, u32)> = None;
            for (e, &done) in served.iter().enumerate() {
                if done || load + ctx.demand[e] > ctx.cap {
                    continue;
                }
                for a in [2 * e as u32, 2 * e as u32 + 1] {
                    let d = ctx.dist(at, ctx.h(a));
                    let better = match best {
                        None => true,
                        Some((bd, b)) if d == bd => {
                            let far = |x: u32| ctx.dist(ctx.t(x), ctx.depot);
                            let ratio = |x: u32| {
                                let r = &inst.required[(x >> 1) as usize];
                                r.demand as f64 / (r.cost.max(1)) as f64
                            };
                            let rule = match rule {
                                5 if 2 * load < ctx.cap => 1,
                                5 => 2,
                                r => r,
                            };
                            match rule {
                                1 => far(a) > far(b),
                                2 => far(a) < far(b),
                                3 => ratio(a) > ratio(b),
                                _ => ratio(a) < ratio(b),
                            }
                        }
                        Some((bd, _)) => d < bd,
                    };
                    if better {
                        best = Some((d, a));
                    }
                }
            }
            let Some((_, a)) = best else { break };
            served[(a >> 1) as usize] = true;
            left -= 1;
            load += ctx.dem(a);
            at = ctx.t(a);
            route.push(a);
        }
        routes.push(route);
    }
    routes
}

struct Indiv {
    routes: Vec<Vec<u32>>,
    cost: i64,
    /// Per edge, the edges (or `m` for the depot) before and after it.
    nbrs: Vec<[u32; 2]>,
}

impl Indiv {
    fn new(ctx: &Ctx, routes: Vec<Vec<u32>>) -> Indiv {
        let cost = routes.iter().map(|r| ctx.route_cost(r)).sum();
        let depot = ctx.m as u32;
        let mut nbrs = vec![[depot; 2]; ctx.m];
        for r in &routes {
            for k in 0..r.len() {
                let e = (r[k] >> 1) as usize;
                if k > 0 {
                    nbrs[e][0] = r[k - 1] >> 1;
                }
                if k + 1 < r.len() {
                    nbrs[e][1] = r[k + 1] >> 1;
                }
            }
        }
        Indiv { routes, cost, nbrs }
    }

    fn feasible(&self, ctx: &Ctx) -> bool {
        self.routes
            .iter()
            .all(|r| r.iter().map(|&a| ctx.dem(a)).sum::<i64>() <= ctx.cap)
    }

    fn tour(&self) -> Vec<u32> {
        self.routes.iter().flatten().map(|&a| a >> 1).collect()
    }

    /// Broken-pairs distance in [0, 1]: share of edges whose neighbours differ (a trip read
    /// backwards is the same trip).
    fn distance(&self, other: &Indiv) -> f64 {
        let m = self.nbrs.len();
        if m == 0 {
            return 0.0;
        }
        let broken = self
            .nbrs
            .iter()
            .zip(&other.nbrs)
            .filter(|(a, b)| {
                let same = (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0]);
                !same
            })
            .count();
        broken as f64 / m as f64
    }
}

/// Population with cached pairwise distances.
struct Population {
    indivs: Vec<Indiv>,
    dist: Vec<Vec<f64>>,
}

impl Population {
    fn add(&mut self, x: Indiv) {
        let row: Vec<f64> = self.indivs.iter().map(|y| x.distance(y)).collect();
        for (k, d) in row.iter().enumerate() {
            self.dist[k].push(*d);
        }
        let mut row = row;
        row.push(0.0);
        self.dist.push(row);
        self.indivs.push(x);
    }

    fn remove(&mut self, k: usize) {
        self.indivs.swap_remove(k);
        self.dist.swap_remove(k);
        for row in &mut self.dist {
            row.swap_remove(k);
        }
    }

    /// HGS biased fitness: cost rank plus weighted diversity rank (lower is better).
    fn fitness(&self) -> Vec<f64> {
        let n = self.indivs.len();
        if n <= 1 {
            return vec![0.0; n];
        }
        let close = N_CLOSE.min(n - 1);
        let div: Vec<f64> = (0..n)
            .map(|i| {
                let mut d: Vec<f64> = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| self.dist[i][j])
                    .collect();
                d.sort_by(f64::total_cmp);
                d[..close].iter().sum::<f64>() / close as f64
            })
            .collect();
        let mut by_cost: Vec<usize> = (0..n).collect();
        by_cost.sort_by_key(|&i| (self.indivs[i].cost, i));
        let mut by_div: Vec<usize> = (0..n).collect();
        by_div.sort_by(|&a, &b| div[b].total_cmp(&div[a]).then(a.cmp(&b)));
        let mut fit = vec![0.0; n];
        let w = 1.0 - N_ELITE.min(n) as f64 / n as f64;
        for (rank, &i) in by_cost.iter().enumerate() {
            fit[i] += rank as f64 / (n - 1) as f64;
        }
        for (rank, &i) in by_div.iter().enumerate() {
            fit[i] += w * rank as f64 / (n - 1) as f64;
        }
        fit
    }

    /// Removes clones first, then the worst biased fitness, down to `MU`.
    fn select_survivors(&mut self) {
        while self.indivs.len() > MU {
            let n = self.indivs.len();
            let clone = (0..n).find(|&i| {
                (0..n).any(|j| {
                    j != i
                        && self.dist[i][j] == 0.0
                        && (self.indivs[j].cost, j) < (self.indivs[i].cost, i)
                })
            });
            let k = clone.unwrap_or_else(|| {
                let fit = self.fitness();
                (0..n)
                    .max_by(|&a, &b| fit[a].total_cmp(&fit[b]).then(b.cmp(&a)))
                    .unwrap_or(0)
            });
            self.remove(k);
        }
    }

    fn tournament(&self, fit: &[f64], rng: &mut Rng) -> usize {
        let (a, b) = (rng.below(fit.len()), rng.below(fit.len()));
        if fit[b] < fit[a] {
            b
        } else {
            a
        }
    }
}

/// Order crossover (OX) of two giant tours.
fn crossover(p1: &[u32], p2: &[u32], rng: &mut Rng) -> Vec<u32> {
    let m = p1.len();
    if m < 2 {
        return p1.to_vec();
    }
    let (mut i, mut j) = (rng.below(m), rng.below(m));
    if i > j {
        std::mem::swap(&mut i, &mut j);
    }
    let mut taken = vec![false; m];
    let mut child = vec![u32::MAX; m];
    for k in i..=j {
        child[k] = p1[k];
        taken[p1[k] as usize] = true;
    }
    let mut pos = (j + 1) % m;
    for k in 0..m {
        let e = p2[(j + 1 + k) % m];
        if !taken[e as usize] {
            child[pos] = e;
            pos = (pos + 1) % m;
        }
    }
    child
}

/// One memetic run. Returns the best feasible trips, their deadheading and the iterations.
fn run(
    ctx: &Ctx,
    inst: &CarpInstance,
    opts: &SolveOptions,
    seed: u64,
    start: Instant,
    report: bool,
) -> (Vec<Vec<u32>>, i64, u64) {
    let mut rng = Rng::new(seed);
    let budget = match (opts.iterations, opts.time_limit) {
        (Some(n), _) => n,
        (None, Some(_)) => u64::MAX,
        (None, None) => DEFAULT_ITERATIONS,
    };
    // Past the time limit or cancelled by the caller (a server whose client went away).
    let out_of_time = || {
        opts.cancel
            .as_ref()
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
            || opts.time_limit.is_some_and(|t| start.elapsed() >= t)
    };
    // Penalty per unit of excess load, adapted to keep about a third of the children
    // feasible before repair (Vidal et al.'s HGS).
    let max_d = (0..ctx.n)
        .flat_map(|a| (0..ctx.n).map(move |b| (a, b)))
        .map(|(a, b)| ctx.dist(a, b))
        .filter(|&d| d < i64::MAX / 8)
        .max()
        .unwrap_or(1);
    let max_dem = ctx.demand.iter().copied().max().unwrap_or(1).max(1);
    let mut penalty = (max_d as f64 / max_dem as f64).max(0.1);
    let (mut feasible_children, mut children) = (0usize, 0usize);

    let educate = |routes: Vec<Vec<u32>>, penalty: f64, rng: &mut Rng| -> Option<(Indiv, bool)> {
        let mut routes = routes;
        local_search(ctx, &mut routes, penalty, rng);
        let x = Indiv::new(ctx, routes);
        if x.feasible(ctx) {
            return Some((x, true));
        }
        let mut routes = x.routes;
        local_search(ctx, &mut routes, HARD_PENALTY, rng);
        let y = Indiv::new(ctx, routes);
        y.feasible(ctx).then_some((y, false))
    };

    let mut best: Option<Indiv> = None;
    let mut pop = Population {
        indivs: Vec::new(),
        dist: Vec::new(),
    };
    let keep_best = |x: &Indiv, best: &mut Option<Indiv>| -> bool {
        if best.as_ref().is_none_or(|b| x.cost < b.cost) {
            *best = Some(Indiv::new(ctx, x.routes.clone()));
            true
        } else {
            false
        }
    };
    for rule in 1..=5 {
        // The first rule always runs, so a cancelled solve still returns a feasible plan.
        if rule > 1 && out_of_time() {
            break;
        }
        let routes = path_scanning(ctx, inst, rule);
        if let Some((x, _)) = educate(routes, HARD_PENALTY, &mut rng) {
            keep_best(&x, &mut best);
            pop.add(x);
        }
    }
    let fill = |pop: &mut Population, rng: &mut Rng, best: &mut Option<Indiv>| {
        for _ in 0..MU {
            if out_of_time() {
                break;
            }
            let mut tour: Vec<u32> = (0..ctx.m as u32).collect();
            rng.shuffle(&mut tour);
            if let Some((x, _)) = educate(ctx.split(&tour), HARD_PENALTY, rng) {
                keep_best(&x, best);
                pop.add(x);
            }
        }
    };
    fill(&mut pop, &mut rng, &mut best);
    let restart_after = 2_000.max(20 * ctx.m as u64);
    let mut last_improvement = 0u64;
    let mut it = 0u64;
    while it < budget && !out_of_time() && ctx.m > 1 && pop.indivs.len() >= 2 {
        it += 1;
        let fit = pop.fitness();
        let a = pop.tournament(&fit, &mut rng);
        let b = pop.tournament(&fit, &mut rng);
        let child = crossover(&pop.indivs[a].tour(), &pop.indivs[b].tour(), &mut rng);
        children += 1;
        if let Some((x, first_try)) = educate(ctx.split(&child), penalty, &mut rng) {
            feasible_children += first_try as usize;
            if keep_best(&x, &mut best) {
                last_improvement = it;
            }
            pop.add(x);
        }
        if pop.indivs.len() >= MU + LAMBDA {
            pop.select_survivors();
        }
        if children == 100 {
            let share = feasible_children as f64 / children as f64;
            if share < 0.25 {
                penalty = (penalty * 1.2).min(HARD_PENALTY);
            } else if share > 0.45 {
                penalty = (penalty * 0.85).max(0.1);
            }
            (feasible_children, children) = (0, 0);
        }
        if it - last_improvement >= restart_after {
            pop = Population {
                indivs: Vec::new(),
                dist: Vec::new(),
            };
            fill(&mut pop, &mut rng, &mut best);
            last_improvement = it;
        }
        if report && it % 100 == 0 {
            if let (Some(f), Some(b)) = (&opts.progress, &best) {
                let elapsed_s = start.elapsed().as_secs_f64();
                let by_time = opts
                    .time_limit
                    .map_or(0.0, |t| elapsed_s / t.as_secs_f64().max(1e-9));
                let by_it = if budget == u64::MAX {
                    0.0
                } else {
                    it as f64 / budget as f64
                };
                f(&Progress {
                    iterations: it,
                    elapsed_s,
                    fraction: by_time.max(by_it).min(1.0),
                    vehicles: b.routes.len(),
                    cost: (b.cost as u64 + inst.service_cost()) as f64,
                    unassigned: 0,
                });
            }
        }
    }
    match best {
        Some(b) => (b.routes, b.cost, it),
        // Path-scanning is capacity-feasible, so this only happens without required edges.
        None => (Vec::new(), 0, it),
    }
}

/// Solves a CARP instance: routes serving every required edge once within capacity, with
/// minimum total cost (fleet unlimited; see the module docs).
///
/// Deterministic for a given `seed`, `threads` and `iterations`: each thread runs its own
/// search with seed `seed + k` and the cheapest plan wins (ties to the lowest `k`). A
/// `time_limit` only decides when to stop. Without any limit, 20 000 iterations per thread.
/// An iteration is one offspring: crossover of two giant tours, split, local search.
pub fn solve(inst: &CarpInstance, opts: &SolveOptions) -> Result<CarpSolution> {
    inst.validate()?;
    let start = Instant::now();
    let ctx = Ctx::new(inst);
    let threads = opts.threads.max(1);
    let results: Vec<(Vec<Vec<u32>>, i64, u64)> = if threads == 1 {
        vec![run(&ctx, inst, opts, opts.seed, start, true)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let ctx = &ctx;
                    s.spawn(move || {
                        run(
                            ctx,
                            inst,
                            opts,
                            opts.seed.wrapping_add(k as u64),
                            start,
                            k == 0,
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let iterations = results.iter().map(|r| r.2).max().unwrap_or(0);
    let (routes, _, _) = results
        .into_iter()
        .enumerate()
        .min_by_key(|(k, r)| (r.1, *k))
        .map(|(_, r)| r)
        .unwrap_or_default();
    let mut sol = assemble(&ctx, inst, &routes);
    sol.iterations = iterations;
    sol.elapsed_s = start.elapsed().as_secs_f64();
    Ok(sol)
}

/// Public form of the trips, with costs from the solver's distances.
fn assemble(ctx: &Ctx, inst: &CarpInstance, routes: &[Vec<u32>]) -> CarpSolution {
    let routes: Vec<CarpRoute> = routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let tasks: Vec<ServedTask> = r
                .iter()
                .map(|&a| {
                    let edge = (a >> 1) as usize;
                    let e = &inst.required[edge];
                    let (from, to) = if a & 1 == 0 { (e.u, e.v) } else { (e.v, e.u) };
                    ServedTask {
                        edge,
                        from,
                        to,
                        demand: e.demand,
                        cost: e.cost,
                    }
                })
                .collect();
            let service_cost = tasks.iter().map(|t| t.cost).sum();
            let deadhead_cost = ctx.route_cost(r) as u64;
            CarpRoute {
                load: tasks.iter().map(|t| t.demand).sum(),
                tasks,
                service_cost,
                deadhead_cost,
                cost: service_cost + deadhead_cost,
            }
        })
        .collect();
    let service_cost = routes.iter().map(|r| r.service_cost).sum();
    let deadhead_cost = routes.iter().map(|r| r.deadhead_cost).sum();
    CarpSolution {
        routes,
        cost: service_cost + deadhead_cost,
        service_cost,
        deadhead_cost,
        iterations: 0,
        elapsed_s: 0.0,
    }
}
