//! The solver's instance: a [`Problem`] flattened into arrays the search indexes directly,
//! with per vehicle-type matrices, merged time windows and job/vehicle compatibility.

use crate::model::{Problem, TimeWindow, HORIZON, MAX_DIMENSIONS};

/// Load vector (unused dimensions are zero).
pub(crate) type Load = [i64; MAX_DIMENSIONS];

/// "No location" (absent start or end).
pub(crate) const NOLOC: u32 = u32::MAX;

/// Feasibility tolerance of the solver (the checker uses a looser one).
pub(crate) const EPS: f64 = 1e-7;

#[inline]
pub(crate) fn load_add(a: &Load, b: &Load) -> Load {
    let mut r = *a;
    for k in 0..MAX_DIMENSIONS {
        r[k] += b[k];
    }
    r
}

#[inline]
pub(crate) fn load_max(a: &Load, b: &Load) -> Load {
    let mut r = *a;
    for k in 0..MAX_DIMENSIONS {
        r[k] = r[k].max(b[k]);
    }
    r
}

#[inline]
pub(crate) fn load_le(a: &Load, b: &Load) -> bool {
    (0..MAX_DIMENSIONS).all(|k| a[k] <= b[k])
}

pub(crate) fn to_load(v: &[i64], missing: i64) -> Load {
    let mut l = [missing; MAX_DIMENSIONS];
    for (k, x) in v.iter().enumerate() {
        l[k] = *x;
    }
    l
}

/// Windows sorted and merged; `(envelope start, envelope end, multi)`.
pub(crate) fn norm_windows(tws: &[TimeWindow]) -> (Vec<(f64, f64)>, f64, f64) {
    if tws.is_empty() {
        return (vec![(0.0, HORIZON)], 0.0, HORIZON);
    }
    let mut w: Vec<(f64, f64)> = tws.iter().map(|t| (t.start, t.end)).collect();
    w.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(w.len());
    for (s, e) in w {
        if let Some(last) = out.last_mut() {
            if s <= last.1 {
                last.1 = last.1.max(e);
                continue;
            }
        }
        out.push((s, e));
    }
    let e = out[0].0;
    let l = out.last().map(|x| x.1).unwrap_or(HORIZON);
    (out, e, l)
}

/// Earliest service start `>= t` inside one of `windows` (sorted, disjoint).
#[inline]
pub(crate) fn service_start(windows: &[(f64, f64)], t: f64) -> Option<f64> {
    windows.iter().find(|w| w.1 + EPS >= t).map(|w| w.0.max(t))
}

/// "No partner" (a job outside any shipment).
pub(crate) const NOPARTNER: u32 = u32::MAX;

pub(crate) struct IJob {
    pub loc: u32,
    /// Picked up here (on board to the end or the next dump).
    pub demand: Load,
    /// Dropped here.
    pub delivery: Load,
    /// On board from the route's start: the delivery unless it belongs to a shipment.
    pub start_load: Load,
    /// The other job of its shipment, or [`NOPARTNER`].
    pub partner: u32,
    /// The pickup end of its shipment.
    pub is_pickup: bool,
    /// Service duration per vehicle task type ([`IVeh::ttype`]).
    pub services: Vec<f64>,
    /// Setup duration per vehicle task type (when reached from another location).
    pub setups: Vec<f64>,
    pub windows: Vec<(f64, f64)>,
    pub e: f64,
    pub l: f64,
    pub multi: bool,
    /// `None` = mandatory.
    pub penalty: Option<f64>,
    /// Weight of the job in the "hard" part of the objective.
    pub weight: f64,
}

pub(crate) struct IFac {
    pub loc: u32,
    pub service: f64,
    pub windows: Vec<(f64, f64)>,
    pub e: f64,
    pub l: f64,
    pub multi: bool,
}

pub(crate) struct IBreak {
    pub windows: Vec<(f64, f64)>,
    pub duration: f64,
    /// Most load on board with which the break may start (unlimited when not given).
    pub max_load: Load,
}

pub(crate) struct IVeh {
    pub start: u32,
    pub end: u32,
    pub cap: Load,
    pub shift: (f64, f64),
    pub max_work: f64,
    pub max_travel: f64,
    pub max_dist: f64,
    pub max_stops: usize,
    pub fixed: f64,
    pub vtype: usize,
    /// Index of its VROOM `type` among the fleet's (jobs' service and setup per type).
    pub ttype: usize,
    /// Vehicles of the same class are interchangeable.
    pub class: usize,
    pub end_dump: bool,
    pub breaks: Vec<IBreak>,
    /// Sum of break durations.
    pub break_total: f64,
    pub limit_dist: bool,
    pub limit_travel: bool,
    /// Cost per duration unit of service at its jobs (VROOM's `per_task_hour / 3600`).
    pub task_rate: f64,
    /// Some break has a `max_load` (its schedule depends on the load on board).
    pub break_loads: bool,
}

/// Matrices as seen by vehicles sharing profile, speed factor and cost rates.
pub(crate) struct VType {
    pub n: usize,
    pub profile: usize,
    pub dur: Vec<f64>,
    pub cost: Vec<f64>,
    /// Cost per duration unit (`per_hour / 3600`): what an unload at a disposal site costs.
    pub per_time: f64,
}

impl VType {
    #[inline]
    pub fn t(&self, a: u32, b: u32) -> f64 {
        if a == NOLOC || b == NOLOC {
            0.0
        } else {
            self.dur[a as usize * self.n + b as usize]
        }
    }
    #[inline]
    pub fn c(&self, a: u32, b: u32) -> f64 {
        if a == NOLOC || b == NOLOC {
            0.0
        } else {
            self.cost[a as usize * self.n + b as usize]
        }
    }
}

pub(crate) struct Instance<'a> {
    pub p: &'a Problem,
    pub jobs: Vec<IJob>,
    pub facs: Vec<IFac>,
    pub vehs: Vec<IVeh>,
    pub vtypes: Vec<VType>,
    pub nv: usize,
    compat: Vec<bool>,
    /// Per job: other jobs sorted by increasing distance.
    pub neighbors: Vec<Vec<u32>>,
    pub minimize_vehicles: bool,
    /// Deliveries or shipments: loads are not monotone along a route, routes keep load peaks
    /// (never together with facilities, see [`Problem::validate`]).
    pub general_loads: bool,
    /// Some jobs are shipment ends (pairing and precedence are checked per route).
    pub shipments: bool,
}

/// The distinct vehicle types of `p` in first-use order, and each vehicle's index in them.
fn task_types(p: &Problem) -> (Vec<Option<&str>>, Vec<usize>) {
    let mut names: Vec<Option<&str>> = Vec::new();
    let of = p
        .vehicles
        .iter()
        .map(|v| {
            let t = v.vehicle_type.as_deref();
            names.iter().position(|x| *x == t).unwrap_or_else(|| {
                names.push(t);
                names.len() - 1
            })
        })
        .collect();
    if names.is_empty() {
        names.push(None);
    }
    (names, of)
}

impl<'a> Instance<'a> {
    /// `p` must be validated.
    pub fn new(p: &'a Problem) -> Self {
        let n = p.matrices[0].size;
        let (type_names, ttypes) = task_types(p);
        let jobs: Vec<IJob> = p
            .jobs
            .iter()
            .map(|j| {
                let (windows, e, l) = norm_windows(&j.time_windows);
                IJob {
                    loc: j.location as u32,
                    demand: to_load(&j.demand, 0),
                    delivery: to_load(&j.delivery, 0),
                    start_load: to_load(&j.delivery, 0),
                    partner: NOPARTNER,
                    is_pickup: false,
                    services: type_names.iter().map(|&t| j.service_for(t)).collect(),
                    setups: type_names.iter().map(|&t| j.setup_for(t)).collect(),
                    multi: windows.len() > 1,
                    windows,
                    e,
                    l,
                    penalty: j.unassigned_penalty,
                    weight: 1.0 + j.priority as f64,
                }
            })
            .collect();
        let mut jobs = jobs;
        for sh in &p.shipments {
            jobs[sh.pickup].partner = sh.delivery as u32;
            jobs[sh.pickup].is_pickup = true;
            jobs[sh.delivery].partner = sh.pickup as u32;
            jobs[sh.delivery].start_load = [0; MAX_DIMENSIONS];
        }
        let general_loads =
            !p.shipments.is_empty() || p.jobs.iter().any(|j| j.delivery.iter().any(|&x| x != 0));
        let facs = p
            .facilities
            .iter()
            .map(|f| {
                let (windows, e, l) = norm_windows(&f.time_windows);
                IFac {
                    loc: f.location as u32,
                    service: f.unload,
                    multi: windows.len() > 1,
                    windows,
                    e,
                    l,
                }
            })
            .collect();
        // Vehicle types: (profile, speed factor, cost rates).
        let mut type_keys: Vec<(usize, u64, u64, u64)> = Vec::new();
        let mut vtypes = Vec::new();
        let mut vehs = Vec::new();
        let mut class_keys: Vec<String> = Vec::new();
        for v in &p.vehicles {
            let key = (
                v.profile,
                v.speed_factor.to_bits(),
                v.costs.per_hour.to_bits(),
                v.costs.per_km.to_bits(),
            );
            let vtype = match type_keys.iter().position(|k| *k == key) {
                Some(i) => i,
                None => {
                    let m = &p.matrices[v.profile];
                    let ch = v.costs.per_hour / 3600.0;
                    let ck = v.costs.per_km / 1000.0;
                    let dur: Vec<f64> = m.durations.iter().map(|d| d / v.speed_factor).collect();
                    // Custom costs replace the rates (VROOM: per_hour must stay the default).
                    let cost = match &m.costs {
                        Some(c) => c.clone(),
                        None => dur
                            .iter()
                            .zip(&m.distances)
                            .map(|(t, d)| ch * t + ck * d)
                            .collect(),
                    };
                    vtypes.push(VType {
                        n,
                        profile: v.profile,
                        dur,
                        cost,
                        per_time: ch,
                    });
                    type_keys.push(key);
                    vtypes.len() - 1
                }
            };
            let mut skills = v.skills.clone();
            skills.sort_unstable();
            let ckey = format!(
                "{vtype}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
                v.start,
                v.end,
                v.capacity,
                (v.shift.start.to_bits(), v.shift.end.to_bits()),
                v.max_working_time.map(f64::to_bits),
                v.max_travel_time.map(f64::to_bits),
                v.max_distance.map(f64::to_bits),
                v.max_stops,
                v.breaks,
                (
                    v.costs.fixed.to_bits(),
                    v.costs.per_task_hour.to_bits(),
                    &v.vehicle_type
                ),
                skills,
                v.disposal_required_at_end
            );
            let class = match class_keys.iter().position(|k| *k == ckey) {
                Some(i) => i,
                None => {
                    class_keys.push(ckey);
                    class_keys.len() - 1
                }
            };
            vehs.push(IVeh {
                start: v.start.map(|x| x as u32).unwrap_or(NOLOC),
                end: v.end.map(|x| x as u32).unwrap_or(NOLOC),
                cap: to_load(&v.capacity, i64::MAX / 4),
                shift: (v.shift.start, v.shift.end),
                max_work: v.max_working_time.unwrap_or(HORIZON),
                max_travel: v.max_travel_time.unwrap_or(HORIZON),
                max_dist: v.max_distance.unwrap_or(HORIZON),
                max_stops: v.max_stops.unwrap_or(usize::MAX),
                fixed: v.costs.fixed,
                vtype,
                ttype: ttypes[vehs.len()],
                class,
                end_dump: v.disposal_required_at_end && !p.facilities.is_empty(),
                limit_dist: v.max_distance.is_some(),
                limit_travel: v.max_travel_time.is_some(),
                break_total: v.breaks.iter().map(|b| b.duration).sum(),
                breaks: v
                    .breaks
                    .iter()
                    .map(|b| IBreak {
                        windows: norm_windows(&b.time_windows).0,
                        duration: b.duration,
                        max_load: b
                            .max_load
                            .as_deref()
                            .map_or([i64::MAX / 4; MAX_DIMENSIONS], |l| to_load(l, 0)),
                    })
                    .collect(),
                task_rate: v.costs.per_task_hour / 3600.0,
                break_loads: v.breaks.iter().any(|b| b.max_load.is_some()),
            });
        }
        let nv = vehs.len();
        let mut compat = vec![false; jobs.len() * nv];
        for (i, j) in p.jobs.iter().enumerate() {
            for (k, v) in p.vehicles.iter().enumerate() {
                compat[i * nv + k] = j.skills.iter().all(|s| v.skills.contains(s));
            }
        }
        let m0 = &p.matrices[0];
        let k = 60.min(jobs.len().saturating_sub(1));
        // Keys computed once per row (not per comparison): the reverse direction reads a
        // matrix column, a cache miss per entry at thousands of jobs.
        let mut keys = vec![0.0f64; jobs.len()];
        let mut neighbors = Vec::with_capacity(jobs.len());
        for i in 0..jobs.len() {
            let li = jobs[i].loc as usize;
            for (x, kx) in keys.iter_mut().enumerate() {
                let lx = jobs[x].loc as usize;
                *kx = m0.distance(li, lx)
                    + m0.distance(lx, li)
                    + 1e-9 * (m0.duration(li, lx) + m0.duration(lx, li));
            }
            let mut others: Vec<u32> = (0..jobs.len() as u32)
                .filter(|&x| x as usize != i)
                .collect();
            let cmp = |a: &u32, b: &u32| keys[*a as usize].total_cmp(&keys[*b as usize]);
            if others.len() > k {
                others.select_nth_unstable_by(k, cmp);
                others.truncate(k);
            }
            others.sort_by(cmp);
            neighbors.push(others);
        }
        Instance {
            p,
            jobs,
            facs,
            vehs,
            vtypes,
            nv,
            compat,
            neighbors,
            minimize_vehicles: p.objective.minimize_vehicles,
            general_loads,
            shipments: !p.shipments.is_empty(),
        }
    }

    /// Is `j` one end of a shipment?
    #[inline]
    pub fn paired(&self, j: u32) -> bool {
        self.jobs[j as usize].partner != NOPARTNER
    }

    /// Service duration of job `j` by vehicle `v`.
    #[inline]
    pub fn service(&self, v: usize, j: u32) -> f64 {
        self.jobs[j as usize].services[self.vehs[v].ttype]
    }

    /// Setup duration of job `j` by vehicle `v` (when reached from another location).
    #[inline]
    pub fn setup(&self, v: usize, j: u32) -> f64 {
        self.jobs[j as usize].setups[self.vehs[v].ttype]
    }

    #[inline]
    pub fn compat(&self, job: usize, v: usize) -> bool {
        self.compat[job * self.nv + v]
    }

    #[inline]
    pub fn vt(&self, v: usize) -> &VType {
        &self.vtypes[self.vehs[v].vtype]
    }

    #[inline]
    pub fn dist(&self, v: usize, a: u32, b: u32) -> f64 {
        if a == NOLOC || b == NOLOC {
            0.0
        } else {
            self.p.matrices[self.vt(v).profile].distance(a as usize, b as usize)
        }
    }
}
