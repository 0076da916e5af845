//! Independent feasibility checker: recomputes every schedule, load and limit of a
//! [`Solution`] from the raw [`Problem`], sharing no code with the solver.

use crate::{Problem, Solution, StepKind};

/// A broken rule found by [`check`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    /// Index into `solution.routes`, if the violation belongs to a route.
    pub route: Option<usize>,
    /// Human-readable description.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.route {
            Some(r) => write!(f, "route {r}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

fn le(a: f64, b: f64) -> bool {
    a <= b + 1e-6 * (1.0 + a.abs().max(b.abs()))
}

fn in_windows(t: f64, tws: &[crate::TimeWindow]) -> bool {
    tws.is_empty() || tws.iter().any(|w| le(w.start, t) && le(t, w.end))
}

/// Checks `solution` against `problem`: every job served exactly once or listed unassigned,
/// shipments served by one route with the pickup first (or not at all), skills, capacity per
/// trip and at every step (deliveries on board from the start, or from a shipment's pickup) (loads reset at disposal facilities), disposal before the end
/// when required, time windows (setup times included, per vehicle type), facility hours,
/// shifts, breaks (and their `max_load`),
/// working/travel time, distance, stop limits, and the reported totals (custom cost matrices
/// and `per_task_hour` included). Returns all violations (empty = feasible).
///
/// ```
/// use kerb_plan::{check, solve, Job, Matrix, Problem, SolveOptions, Vehicle};
/// let m = Matrix::from_fn(3, |i, j| ((i as f64 - j as f64).abs(), (i as f64 - j as f64).abs()));
/// let p = Problem::new(vec![m]).job(Job::new(1, 1)).job(Job::new(2, 2)).vehicle(Vehicle::new(0, Some(0)));
/// let s = solve(&p, &SolveOptions::iterations(100)).unwrap();
/// assert!(check(&p, &s).is_empty());
/// ```
pub fn check(problem: &Problem, solution: &Solution) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut bad = |route: Option<usize>, message: String| out.push(Violation { route, message });
    let nj = problem.jobs.len();
    let dims = problem.dimensions();
    let mut seen = vec![0usize; nj];
    let mut vehicle_used = vec![false; problem.vehicles.len()];
    let mut total_cost = 0.0;
    let mut shipment_delivery = vec![false; nj];
    for sh in &problem.shipments {
        if let Some(x) = shipment_delivery.get_mut(sh.delivery) {
            *x = true;
        }
    }
    // (route, step) of each served job, for the shipments' pairing and precedence.
    let mut served_at: Vec<Option<(usize, usize)>> = vec![None; nj];
    for (ri, r) in solution.routes.iter().enumerate() {
        let rb = Some(ri);
        let Some(v) = problem.vehicles.get(r.vehicle) else {
            bad(rb, format!("unknown vehicle index {}", r.vehicle));
            continue;
        };
        if std::mem::replace(&mut vehicle_used[r.vehicle], true) {
            bad(rb, format!("vehicle {} has more than one route", v.id));
        }
        let m = &problem.matrices[v.profile];
        let steps = &r.steps;
        if steps.len() < 2
            || steps[0].kind != StepKind::Start
            || steps[steps.len() - 1].kind != StepKind::End
        {
            bad(rb, "a route must start with Start and end with End".into());
            continue;
        }
        if steps[0].location != v.start {
            bad(rb, "start location differs from the vehicle's".into());
        }
        if steps[steps.len() - 1].location != v.end {
            bad(rb, "end location differs from the vehicle's".into());
        }
        // Deliveries of plain jobs are on board from the start; a shipment's from its pickup.
        let mut load = vec![0i64; dims];
        for s in steps {
            if let StepKind::Job { job } = s.kind {
                if let Some(j) = problem.jobs.get(job) {
                    if !shipment_delivery[job] {
                        for (d, x) in j.delivery.iter().enumerate() {
                            load[d] += x;
                        }
                    }
                }
            }
        }
        if !v.capacity.is_empty() && load.iter().zip(&v.capacity).any(|(l, c)| l > c) {
            bad(rb, format!("leaves with load {load:?} over capacity"));
        }
        let mut cur_loc: Option<usize> = steps[0].location;
        let mut t = steps[0].departure;
        let (mut dist, mut travel) = (0.0, 0.0);
        // Custom arc costs (VROOM `costs` matrices) and service paid at `per_task_hour`.
        let (mut arc_cost, mut task_time) = (0.0, 0.0);
        let mut n_jobs = 0;
        let mut breaks_taken = vec![0usize; v.breaks.len()];
        if !le(v.shift.start, steps[0].departure) {
            bad(
                rb,
                format!(
                    "leaves at {} before the shift starts at {}",
                    steps[0].departure, v.shift.start
                ),
            );
        }
        let vtype = v.vehicle_type.as_deref();
        for (k, s) in steps.iter().enumerate().skip(1) {
            // A job's setup is due when the vehicle comes from another location.
            let mut setup = 0.0;
            let (loc, tws, service): (Option<usize>, Vec<crate::TimeWindow>, f64) = match s.kind {
                StepKind::Start => {
                    bad(rb, format!("step {k}: Start in the middle of a route"));
                    continue;
                }
                StepKind::End => (v.end, vec![v.shift], 0.0),
                StepKind::Job { job } => {
                    let Some(j) = problem.jobs.get(job) else {
                        bad(rb, format!("step {k}: unknown job {job}"));
                        continue;
                    };
                    seen[job] += 1;
                    n_jobs += 1;
                    if !j.skills.iter().all(|x| v.skills.contains(x)) {
                        bad(rb, format!("job {} needs skills the vehicle lacks", j.id));
                    }
                    for (d, x) in j.demand.iter().enumerate() {
                        load[d] += x;
                    }
                    for (d, x) in j.delivery.iter().enumerate() {
                        load[d] -= x;
                    }
                    served_at[job] = Some((ri, k));
                    if cur_loc != Some(j.location) {
                        setup = j.setup_for(vtype);
                    }
                    let service = j.service_for(vtype);
                    task_time += setup + service;
                    (Some(j.location), j.time_windows.clone(), service)
                }
                StepKind::Disposal { facility } => {
                    let Some(f) = problem.facilities.get(facility) else {
                        bad(rb, format!("step {k}: unknown facility {facility}"));
                        continue;
                    };
                    load.iter_mut().for_each(|x| *x = 0);
                    (Some(f.location), f.time_windows.clone(), f.unload)
                }
                StepKind::Break { index } => {
                    let Some(b) = v.breaks.get(index) else {
                        bad(rb, format!("step {k}: unknown break {index}"));
                        continue;
                    };
                    breaks_taken[index] += 1;
                    if let Some(max) = &b.max_load {
                        if load.iter().zip(max).any(|(l, m)| l > m) {
                            bad(
                                rb,
                                format!(
                                    "step {k}: break {} taken with load {load:?} above its \
                                     max_load {max:?}",
                                    b.id
                                ),
                            );
                        }
                    }
                    (cur_loc, b.time_windows.clone(), b.duration)
                }
            };
            let tt = match (cur_loc, loc) {
                (Some(a), Some(b)) if !matches!(s.kind, StepKind::Break { .. }) => {
                    dist += m.distance(a, b);
                    arc_cost += m.cost(a, b).unwrap_or(0.0);
                    m.duration(a, b) / v.speed_factor
                }
                _ => 0.0,
            };
            travel += tt;
            if s.location != loc && !matches!(s.kind, StepKind::End) {
                bad(
                    rb,
                    format!("step {k}: location {:?} should be {:?}", s.location, loc),
                );
            }
            if !le(t + tt, s.arrival) {
                bad(
                    rb,
                    format!(
                        "step {k}: arrival {} earlier than possible {}",
                        s.arrival,
                        t + tt
                    ),
                );
            }
            if !le(s.arrival, s.start) {
                bad(rb, format!("step {k}: service starts before arrival"));
            }
            if !close(s.setup, setup)
                || !close(s.service, service)
                || !close(s.departure, s.start + setup + service)
            {
                bad(
                    rb,
                    format!("step {k}: service duration or departure inconsistent"),
                );
            }
            let when = if matches!(s.kind, StepKind::End) {
                s.arrival
            } else {
                s.start
            };
            if !in_windows(when, &tws) {
                bad(
                    rb,
                    format!(
                        "step {k} ({:?}): time {when} outside its windows {tws:?}",
                        s.kind
                    ),
                );
            }
            if !v.capacity.is_empty() {
                for (d, (l, c)) in load.iter().zip(&v.capacity).enumerate() {
                    if l > c {
                        bad(
                            rb,
                            format!("step {k}: load {l} exceeds capacity {c} (dimension {d})"),
                        );
                    }
                }
            }
            if s.load.len() != dims || s.load != load {
                bad(
                    rb,
                    format!("step {k}: reported load {:?}, actual {:?}", s.load, load),
                );
            }
            t = s.departure;
            if !matches!(s.kind, StepKind::Break { .. }) {
                cur_loc = loc;
            }
        }
        if v.disposal_required_at_end
            && !problem.facilities.is_empty()
            && load.iter().any(|&x| x > 0)
        {
            bad(
                rb,
                format!("ends with load {load:?} without a final disposal visit"),
            );
        }
        for (b, n) in breaks_taken.iter().enumerate() {
            if *n != 1 {
                bad(rb, format!("break {} taken {n} times", v.breaks[b].id));
            }
        }
        let end = &steps[steps.len() - 1];
        let working = end.arrival - steps[0].departure;
        if let Some(x) = v.max_working_time {
            if !le(working, x) {
                bad(rb, format!("working time {working} > {x}"));
            }
        }
        if let Some(x) = v.max_travel_time {
            if !le(travel, x) {
                bad(rb, format!("travel time {travel} > {x}"));
            }
        }
        if let Some(x) = v.max_distance {
            if !le(dist, x) {
                bad(rb, format!("distance {dist} > {x}"));
            }
        }
        if let Some(x) = v.max_stops {
            if n_jobs > x {
                bad(rb, format!("{n_jobs} stops > {x}"));
            }
        }
        if n_jobs == 0 {
            bad(rb, "route serves no job".into());
        }
        if !close(dist, r.distance)
            || !close(travel, r.travel_time)
            || !close(working, r.working_time)
        {
            bad(rb, format!("reported distance/travel/working {}/{}/{} differ from {dist}/{travel}/{working}", r.distance, r.travel_time, r.working_time));
        }
        // Unloading at a disposal site is paid like travel time.
        let unload: f64 = steps
            .iter()
            .filter_map(|s| match s.kind {
                StepKind::Disposal { facility } => problem.facilities.get(facility),
                _ => None,
            })
            .map(|f| f.unload)
            .sum();
        let travel_cost = if m.costs.is_some() {
            arc_cost
        } else {
            v.costs.per_hour * travel / 3600.0 + v.costs.per_km * dist / 1000.0
        };
        let cost = v.costs.fixed
            + travel_cost
            + v.costs.per_hour * unload / 3600.0
            + v.costs.per_task_hour * task_time / 3600.0;
        if !close(cost, r.cost) {
            bad(rb, format!("reported cost {} differs from {cost}", r.cost));
        }
        total_cost += cost;
    }
    for (k, sh) in problem.shipments.iter().enumerate() {
        let (p, d) = (
            served_at.get(sh.pickup).copied().flatten(),
            served_at.get(sh.delivery).copied().flatten(),
        );
        match (p, d) {
            (None, None) => {}
            (Some((rp, sp)), Some((rd, sd))) if rp == rd && sp < sd => {}
            (Some((rp, _)), Some((rd, _))) if rp == rd => bad(
                Some(rp),
                format!("shipment {k}: delivery before its pickup"),
            ),
            _ => bad(
                p.or(d).map(|x| x.0),
                format!("shipment {k}: pickup and delivery not on the same route"),
            ),
        }
    }
    for u in &solution.unassigned {
        match seen.get_mut(u.job) {
            Some(c) => {
                *c += 1;
                if let Some(p) = problem.jobs[u.job].unassigned_penalty {
                    total_cost += p;
                }
            }
            None => bad(None, format!("unknown unassigned job {}", u.job)),
        }
    }
    for (j, c) in seen.iter().enumerate() {
        if *c != 1 {
            bad(
                None,
                format!(
                    "job {} appears {c} times (routes + unassigned)",
                    problem.jobs[j].id
                ),
            );
        }
    }
    if !close(total_cost, solution.summary.cost) {
        bad(
            None,
            format!(
                "summary cost {} differs from {total_cost}",
                solution.summary.cost
            ),
        );
    }
    if solution.summary.vehicles != solution.routes.len()
        || solution.summary.unassigned != solution.unassigned.len()
    {
        bad(None, "summary counts differ from the routes".into());
    }
    out
}
