//! Solver routes: a node sequence with cached prefix/suffix data for O(1) move evaluation,
//! and the exact schedule simulation (breaks, multiple windows) used when O(1) is not enough.

use crate::model::HORIZON;
use crate::solver::instance::{
    load_add, load_le, load_max, service_start, Instance, Load, EPS, NOLOC,
};

/// A visit in a route: a job or a disposal (facility) stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Job(u32),
    Dump(u32),
}

/// Time segment summary (Vidal et al. 2013): duration incl. waiting, time warp, earliest and
/// latest start, first and last location. With setup times (VROOM's `setup`: done only when
/// the first stop is reached from another location) it also keeps the same summary with
/// its first stop's setup, and concatenation picks the one the previous location calls for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Segment {
    pub first: u32,
    pub last: u32,
    pub d: f64,
    pub tw: f64,
    pub e: f64,
    pub l: f64,
    /// `(d, tw, e, l)` when the first stop does its setup (`None`: it has none).
    setup: Option<(f64, f64, f64, f64)>,
}

/// Vidal's concatenation of `(d, tw, e, l)` summaries with travel time `t` in between.
#[inline]
fn join(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64), t: f64) -> (f64, f64, f64, f64) {
    let (ad, atw, ae, al) = a;
    let (bd, btw, be, bl) = b;
    let delta = ad - atw + t;
    let dwt = (be - delta - al).max(0.0);
    let dtw = (ae + delta - bl).max(0.0);
    (
        ad + bd + t + dwt,
        atw + btw + dtw,
        (be - delta).max(ae) - dwt,
        (bl - delta).min(al) + dtw,
    )
}

impl Segment {
    #[inline]
    pub fn node(loc: u32, e: f64, l: f64, service: f64) -> Segment {
        Segment {
            first: loc,
            last: loc,
            d: service,
            tw: 0.0,
            e,
            l,
            setup: None,
        }
    }
    /// A stop whose `setup` precedes its service when it is reached from another location.
    #[inline]
    pub fn node_with_setup(loc: u32, e: f64, l: f64, service: f64, setup: f64) -> Segment {
        let mut s = Segment::node(loc, e, l, service);
        if setup > 0.0 {
            s.setup = Some((service + setup, 0.0, e, l));
        }
        s
    }
    #[inline]
    fn times(&self) -> (f64, f64, f64, f64) {
        (self.d, self.tw, self.e, self.l)
    }
    /// `self` followed by `b`, with travel time `t` in between.
    #[inline]
    pub fn then(&self, b: &Segment, t: f64) -> Segment {
        let bt = match b.setup {
            Some(with) if self.last != b.first => with,
            _ => b.times(),
        };
        let (d, tw, e, l) = join(self.times(), bt, t);
        Segment {
            first: self.first,
            last: b.last,
            d,
            tw,
            e,
            l,
            setup: self.setup.map(|a| join(a, bt, t)),
        }
    }
}

impl<'a> Instance<'a> {
    #[inline]
    pub fn node_loc(&self, n: Node) -> u32 {
        match n {
            Node::Job(j) => self.jobs[j as usize].loc,
            Node::Dump(f) => self.facs[f as usize].loc,
        }
    }
    /// The segment of stop `n` served by vehicle `v`.
    #[inline]
    pub fn node_seg(&self, v: usize, n: Node) -> Segment {
        match n {
            Node::Job(j) => {
                let (service, setup) = (self.service(v, j), self.setup(v, j));
                let j = &self.jobs[j as usize];
                Segment::node_with_setup(j.loc, j.e, j.l, service, setup)
            }
            Node::Dump(f) => {
                let f = &self.facs[f as usize];
                Segment::node(f.loc, f.e, f.l, f.service)
            }
        }
    }
    #[inline]
    pub fn node_multi(&self, n: Node) -> bool {
        match n {
            Node::Job(j) => self.jobs[j as usize].multi,
            Node::Dump(f) => self.facs[f as usize].multi,
        }
    }
    #[inline]
    pub fn demand(&self, n: Node) -> Load {
        match n {
            Node::Job(j) => self.jobs[j as usize].demand,
            Node::Dump(_) => [0; crate::model::MAX_DIMENSIONS],
        }
    }
    pub fn start_seg(&self, v: usize) -> Segment {
        let veh = &self.vehs[v];
        Segment::node(veh.start, veh.shift.0, veh.shift.1, 0.0)
    }
    pub fn end_seg(&self, v: usize) -> Segment {
        let veh = &self.vehs[v];
        Segment::node(veh.end, veh.shift.0, veh.shift.1, 0.0)
    }
}

/// A route with caches. Positions: 0 = start, 1..=len = nodes, len+1 = end.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub v: usize,
    pub nodes: Vec<Node>,
    pub loc: Vec<u32>,
    pub fwd: Vec<Segment>,
    pub bwd: Vec<Segment>,
    pub cdist: Vec<f64>,
    pub ctravel: Vec<f64>,
    pub ccost: Vec<f64>,
    /// Load of the current trip up to and including the position (0 at dumps).
    pub tpre: Vec<Load>,
    /// Load of the current trip from the position to the trip's end (0 at dumps).
    pub tsuf: Vec<Load>,
    /// Position of the last dump (0 if none).
    pub last_dump: usize,
    pub n_jobs: usize,
    /// Needs exact simulation (breaks or multi-window nodes).
    pub exact: bool,
    /// Some node has several time windows.
    pub multi: bool,
    /// Departure time at each position in the earliest schedule (exact routes whose
    /// insertions can be checked by resuming it, see [`Route::resumable`]).
    pub st_t: Vec<f64>,
    /// Breaks taken before reaching each position in that schedule.
    pub st_nb: Vec<u32>,
    /// `st_t`/`st_nb` are valid: breaks, single windows only, no working-time limit (so the
    /// earliest schedule decides feasibility and later departures only shorten the day).
    pub resumable: bool,
    /// With general loads (deliveries, shipments): the load on board after each position
    /// (position 0: what the vehicle leaves with), empty otherwise.
    pub lat: Vec<Load>,
    /// Peak of `lat` up to and including each position.
    pub lpre: Vec<Load>,
    /// Peak of `lat` from each position to the end.
    pub lsuf: Vec<Load>,
    /// Travel cost (no fixed cost).
    pub cost: f64,
    /// Travel time plus service time (no waiting, no breaks).
    pub busy: f64,
    pub feasible: bool,
}

impl Route {
    pub fn new(inst: &Instance, v: usize) -> Route {
        let mut r = Route {
            v,
            nodes: Vec::new(),
            loc: Vec::new(),
            fwd: Vec::new(),
            bwd: Vec::new(),
            cdist: Vec::new(),
            ctravel: Vec::new(),
            ccost: Vec::new(),
            tpre: Vec::new(),
            tsuf: Vec::new(),
            last_dump: 0,
            n_jobs: 0,
            exact: false,
            multi: false,
            st_t: Vec::new(),
            st_nb: Vec::new(),
            resumable: false,
            lat: Vec::new(),
            lpre: Vec::new(),
            lsuf: Vec::new(),
            cost: 0.0,
            busy: 0.0,
            feasible: true,
        };
        r.update(inst);
        r
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Cost including the fixed cost when used.
    pub fn total_cost(&self, inst: &Instance) -> f64 {
        if self.n_jobs == 0 {
            0.0
        } else {
            self.cost + inst.vehs[self.v].fixed
        }
    }

    /// Recomputes every cache, O(len).
    pub fn update(&mut self, inst: &Instance) {
        let v = self.v;
        let veh = &inst.vehs[v];
        let vt = inst.vt(v);
        let m = self.nodes.len() + 2;
        self.loc.clear();
        self.loc.push(veh.start);
        self.loc
            .extend(self.nodes.iter().map(|&n| inst.node_loc(n)));
        self.loc.push(veh.end);
        let seg_at = |p: usize| -> Segment {
            if p == 0 {
                inst.start_seg(v)
            } else if p == m - 1 {
                inst.end_seg(v)
            } else {
                inst.node_seg(v, self.nodes[p - 1])
            }
        };
        self.fwd.clear();
        self.fwd.push(seg_at(0));
        self.cdist.clear();
        self.ctravel.clear();
        self.ccost.clear();
        self.cdist.push(0.0);
        self.ctravel.push(0.0);
        self.ccost.push(0.0);
        for p in 1..m {
            let (a, b) = (self.loc[p - 1], self.loc[p]);
            let t = vt.t(a, b);
            let s = self.fwd[p - 1].then(&seg_at(p), t);
            self.fwd.push(s);
            self.cdist.push(self.cdist[p - 1] + inst.dist(v, a, b));
            self.ctravel.push(self.ctravel[p - 1] + t);
            self.ccost.push(self.ccost[p - 1] + vt.c(a, b));
        }
        self.bwd.clear();
        self.bwd.resize(m, seg_at(m - 1));
        for p in (0..m - 1).rev() {
            let t = vt.t(self.loc[p], self.loc[p + 1]);
            self.bwd[p] = seg_at(p).then(&self.bwd[p + 1], t);
        }
        let zero = [0; crate::model::MAX_DIMENSIONS];
        self.tpre.clear();
        self.tpre.resize(m, zero);
        self.tsuf.clear();
        self.tsuf.resize(m, zero);
        self.last_dump = 0;
        self.n_jobs = 0;
        self.multi = false;
        let mut cap_ok = true;
        for p in 1..m - 1 {
            let n = self.nodes[p - 1];
            self.multi |= inst.node_multi(n);
            match n {
                Node::Job(_) => {
                    self.n_jobs += 1;
                    self.tpre[p] = load_add(&self.tpre[p - 1], &inst.demand(n));
                    cap_ok &= load_le(&self.tpre[p], &veh.cap);
                }
                Node::Dump(_) => self.last_dump = p,
            }
        }
        for p in (1..m - 1).rev() {
            let n = self.nodes[p - 1];
            if let Node::Job(_) = n {
                self.tsuf[p] = load_add(&self.tsuf[p + 1], &inst.demand(n));
            }
        }
        if inst.general_loads {
            cap_ok = self.general_loads(inst);
        }
        if inst.shipments && cap_ok {
            cap_ok = self.pairs_ok(inst);
        }
        self.exact = !veh.breaks.is_empty() || self.multi;
        // Unloading takes the truck's time like driving does: a needless dump costs. Task
        // time costs at the vehicle's `per_task_hour` rate.
        let (mut unload, mut task) = (0.0, 0.0);
        for (p, n) in self.nodes.iter().enumerate() {
            match *n {
                Node::Dump(f) => unload += inst.facs[f as usize].service,
                Node::Job(j) => {
                    task += inst.service(v, j);
                    if self.loc[p] != self.loc[p + 1] {
                        task += inst.setup(v, j);
                    }
                }
            }
        }
        self.cost = self.ccost[m - 1] + vt.per_time * unload + veh.task_rate * task;
        self.busy = self.ctravel[m - 1]
            + self
                .nodes
                .iter()
                .map(|&n| inst.node_seg(v, n).d)
                .sum::<f64>();
        let whole = &self.fwd[m - 1];
        let end_dump_ok =
            !veh.end_dump || self.n_jobs == 0 || self.tsuf[self.last_dump + 1] == zero;
        self.feasible = cap_ok
            && end_dump_ok
            && whole.tw <= EPS
            && whole.d <= veh.max_work + EPS
            && self.cdist[m - 1] <= veh.max_dist + EPS
            && self.ctravel[m - 1] <= veh.max_travel + EPS
            && self.n_jobs <= veh.max_stops;
        self.st_t.clear();
        self.st_nb.clear();
        self.resumable = false;
        if self.feasible && self.exact {
            if !self.multi && veh.max_work >= HORIZON && !veh.break_loads {
                // Without a working-time limit the earliest schedule decides feasibility
                // (distance, travel and stop limits are checked above).
                match simulate(inst, v, &self.nodes, veh.shift.0) {
                    Some(sim) => {
                        let mut nb = 0u32;
                        for s in &sim.steps {
                            match s.kind {
                                SimKind::Break(_) => nb += 1,
                                SimKind::Start | SimKind::Node(_) => {
                                    self.st_t.push(s.departure);
                                    self.st_nb.push(nb);
                                }
                                SimKind::End => {}
                            }
                        }
                        self.resumable = true;
                    }
                    None => self.feasible = self.n_jobs == 0,
                }
            } else if self.n_jobs > 0 {
                self.feasible = schedule(inst, v, &self.nodes).is_some();
            }
        }
    }

    /// Fills `lat`/`lpre`/`lsuf` (no dumps: facilities and deliveries never mix); true when
    /// the peak load fits the capacity.
    fn general_loads(&mut self, inst: &Instance) -> bool {
        let m = self.nodes.len() + 2;
        let mut l = [0; crate::model::MAX_DIMENSIONS];
        for n in &self.nodes {
            if let Node::Job(j) = n {
                l = load_add(&l, &inst.jobs[*j as usize].start_load);
            }
        }
        self.lat.clear();
        self.lat.push(l);
        for n in &self.nodes {
            if let Node::Job(j) = n {
                let job = &inst.jobs[*j as usize];
                for (k, x) in l.iter_mut().enumerate() {
                    *x += job.demand[k] - job.delivery[k];
                }
            }
            self.lat.push(l);
        }
        self.lat.push(l);
        self.lpre.clear();
        self.lpre.extend_from_slice(&self.lat);
        self.lsuf.clear();
        self.lsuf.extend_from_slice(&self.lat);
        for p in 1..m {
            self.lpre[p] = load_max(&self.lpre[p - 1], &self.lat[p]);
        }
        for p in (0..m - 1).rev() {
            self.lsuf[p] = load_max(&self.lsuf[p + 1], &self.lat[p]);
        }
        load_le(&self.lpre[m - 1], &inst.vehs[self.v].cap)
    }

    /// Every shipment end in the route has its partner in the route, the pickup first.
    fn pairs_ok(&self, inst: &Instance) -> bool {
        let mut ends: Vec<(u32, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(p, n)| match n {
                Node::Job(j) if inst.paired(*j) => Some((*j, p)),
                _ => None,
            })
            .collect();
        if ends.is_empty() {
            return true;
        }
        ends.sort_unstable();
        ends.iter().all(|&(j, p)| {
            let job = &inst.jobs[j as usize];
            match ends.binary_search_by_key(&job.partner, |e| e.0) {
                Ok(k) => (ends[k].1 > p) == job.is_pickup,
                Err(_) => false,
            }
        })
    }

    /// Removes dumps that serve no purpose (nothing loaded since the previous one, or a
    /// trailing one that is not required) and, for vehicles that must end with a disposal,
    /// keeps that final dump. Does not call `update`.
    pub fn cleanup(&mut self, inst: &Instance) {
        let veh = &inst.vehs[self.v];
        if !self.nodes.iter().any(|n| matches!(n, Node::Job(_))) {
            self.nodes.clear();
            return;
        }
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut loaded = false;
        for &n in &self.nodes {
            match n {
                Node::Job(_) => {
                    loaded = true;
                    out.push(n);
                }
                Node::Dump(_) => {
                    if loaded {
                        out.push(n);
                        loaded = false;
                    }
                }
            }
        }
        if !veh.end_dump {
            while matches!(out.last(), Some(Node::Dump(_))) {
                out.pop();
            }
        }
        self.nodes = out;
    }
}

/// One step of a simulated schedule.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SimKind {
    Start,
    Node(Node),
    Break(usize),
    End,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct SimStep {
    pub kind: SimKind,
    pub loc: u32,
    pub arrival: f64,
    pub start: f64,
    /// Setup done before the service (a job reached from another location).
    pub setup: f64,
    pub service: f64,
    pub departure: f64,
}

#[derive(Clone, Debug)]
pub(crate) struct Sim {
    pub steps: Vec<SimStep>,
    pub travel: f64,
    pub dist: f64,
}

impl Sim {
    pub fn working(&self) -> f64 {
        self.steps.last().map(|s| s.arrival).unwrap_or(0.0) - self.steps[0].departure
    }
}

/// The windows of stop `n` served by vehicle `v` coming from location `from`, its time there
/// (setup + service) and the setup part of it.
fn node_windows<'b>(
    inst: &'b Instance,
    v: usize,
    n: Node,
    from: u32,
) -> (&'b [(f64, f64)], f64, f64) {
    match n {
        Node::Job(j) => {
            let setup = if from != inst.jobs[j as usize].loc {
                inst.setup(v, j)
            } else {
                0.0
            };
            (
                &inst.jobs[j as usize].windows,
                setup + inst.service(v, j),
                setup,
            )
        }
        Node::Dump(f) => {
            let f = &inst.facs[f as usize];
            (&f.windows, f.service, 0.0)
        }
    }
}

/// Places breaks before travelling (time `tt`) from the current stop, left at time `*t`, to
/// a stop with `windows` and `service` (`None` = the route's end, where every remaining break
/// is taken). A break is taken when it costs nothing (absorbed by waiting) or when it could
/// not be taken after the next stop. A break with a `max_load` waits while `loads.0` (on
/// board now) is above it, and is taken now when `loads.1` (on board after the next stop)
/// would be. Calls `on_break(index, arrival, start)` per break. `None` when a break window
/// is missed.
#[inline]
pub(crate) fn take_breaks(
    breaks: &[crate::solver::instance::IBreak],
    t: &mut f64,
    next_break: &mut usize,
    tt: f64,
    next: Option<(&[(f64, f64)], f64)>,
    loads: (&Load, &Load),
    mut on_break: impl FnMut(usize, f64, f64),
) -> Option<()> {
    while *next_break < breaks.len() {
        let b = &breaks[*next_break];
        if !load_le(loads.0, &b.max_load) {
            break;
        }
        let bs = service_start(&b.windows, *t)?;
        let take = match next {
            None => true,
            Some((windows, service)) => match service_start(windows, *t + tt) {
                None => true,
                Some(ns) => {
                    let free = bs + b.duration + tt <= ns + EPS;
                    let later_impossible = service_start(&b.windows, ns + service).is_none()
                        || !load_le(loads.1, &b.max_load);
                    free || later_impossible
                }
            },
        };
        if !take {
            break;
        }
        on_break(*next_break, *t, bs);
        *t = bs + b.duration;
        *next_break += 1;
    }
    Some(())
}

/// Exact feasibility of inserting `ins` before node index `i` of a [`Route::resumable`] route:
/// resumes the cached earliest schedule at position `i` and simulates only until the result
/// is known: once every break is placed, the rest is plain time-window propagation (the
/// backward segment); once the schedule meets the original one again, the rest is unchanged.
pub(crate) fn resume_ok(inst: &Instance, r: &Route, i: usize, ins: &[Node]) -> bool {
    debug_assert!(r.resumable);
    let veh = &inst.vehs[r.v];
    let vt = inst.vt(r.v);
    let nbk = veh.breaks.len();
    let n = r.nodes.len();
    let shift_windows = [veh.shift];
    let mut t = r.st_t[i];
    let mut nb = r.st_nb[i] as usize;
    let mut cur = r.loc[i];
    let total = ins.len() + (n - i) + 1;
    for k in 0..total {
        // Original position of the next stop (n + 1 = end), if in the suffix.
        let q = (k >= ins.len()).then(|| i + 1 + (k - ins.len()));
        if let Some(q) = q {
            if nb == nbk {
                let here = Segment::node(cur, t, t, 0.0);
                return here.then(&r.bwd[q], vt.t(cur, r.loc[q])).tw <= EPS;
            }
        }
        let (loc, next) = match q {
            None => {
                let (w, s, _) = node_windows(inst, r.v, ins[k], cur);
                (inst.node_loc(ins[k]), Some((w, s)))
            }
            Some(q) if q <= n => {
                let (w, s, _) = node_windows(inst, r.v, r.nodes[q - 1], cur);
                (r.loc[q], Some((w, s)))
            }
            Some(_) => (veh.end, None),
        };
        let tt = vt.t(cur, loc);
        // Resumable routes have no break `max_load` (see `Route::update`): the load is moot.
        let any_load = [0; crate::model::MAX_DIMENSIONS];
        let loads = (&any_load, &any_load);
        if take_breaks(&veh.breaks, &mut t, &mut nb, tt, next, loads, |_, _, _| {}).is_none() {
            return false;
        }
        let (windows, service) = next.unwrap_or((&shift_windows, 0.0));
        let Some(start) = service_start(windows, t + tt) else {
            return false;
        };
        t = start + service;
        cur = loc;
        match q {
            Some(q) if q > n => return true,
            Some(q) if nb == r.st_nb[q] as usize && (t - r.st_t[q]).abs() <= 1e-9 => {
                return true;
            }
            _ => {}
        }
    }
    true
}

/// Simulates the route leaving the start at `depart`, placing breaks greedily: a break is taken
/// before travelling on when it costs nothing (absorbed by waiting) or when it could not be
/// taken after the next stop. Returns `None` when a window, the shift or a break is missed.
pub(crate) fn simulate(inst: &Instance, v: usize, nodes: &[Node], depart: f64) -> Option<Sim> {
    let veh = &inst.vehs[v];
    let vt = inst.vt(v);
    let shift_windows = [veh.shift];
    let mut steps = Vec::with_capacity(nodes.len() + 2 + veh.breaks.len());
    let mut t = depart;
    let mut cur = veh.start;
    steps.push(SimStep {
        kind: SimKind::Start,
        loc: cur,
        arrival: t,
        start: t,
        setup: 0.0,
        service: 0.0,
        departure: t,
    });
    let mut next_break = 0;
    let (mut travel, mut dist) = (0.0, 0.0);
    // The load on board, for breaks with a `max_load`: deliveries from the start, then each
    // stop's change (a dump empties the truck).
    let mut load = [0; crate::model::MAX_DIMENSIONS];
    if veh.break_loads {
        for n in nodes {
            if let Node::Job(j) = n {
                load = load_add(&load, &inst.jobs[*j as usize].start_load);
            }
        }
    }
    for k in 0..=nodes.len() {
        let (loc, windows, service, setup, kind): (u32, &[(f64, f64)], f64, f64, SimKind) =
            if k < nodes.len() {
                let (w, s, su) = node_windows(inst, v, nodes[k], cur);
                (inst.node_loc(nodes[k]), w, s, su, SimKind::Node(nodes[k]))
            } else {
                (veh.end, &shift_windows, 0.0, 0.0, SimKind::End)
            };
        let tt = vt.t(cur, loc);
        let next = (k < nodes.len()).then_some((windows, service));
        let after = match nodes.get(k) {
            Some(Node::Job(j)) if veh.break_loads => {
                let job = &inst.jobs[*j as usize];
                let mut a = load;
                for (x, (d, p)) in a.iter_mut().zip(job.demand.iter().zip(&job.delivery)) {
                    *x += d - p;
                }
                a
            }
            Some(Node::Dump(_)) => [0; crate::model::MAX_DIMENSIONS],
            _ => load,
        };
        take_breaks(
            &veh.breaks,
            &mut t,
            &mut next_break,
            tt,
            next,
            (&load, &after),
            |b, arrival, bs| {
                steps.push(SimStep {
                    kind: SimKind::Break(b),
                    loc: cur,
                    arrival,
                    start: bs,
                    setup: 0.0,
                    service: veh.breaks[b].duration,
                    departure: bs + veh.breaks[b].duration,
                })
            },
        )?;
        let arrival = t + tt;
        let start = service_start(windows, arrival)?;
        travel += tt;
        dist += inst.dist(v, cur, loc);
        steps.push(SimStep {
            kind,
            loc,
            arrival,
            start,
            setup,
            service: service - setup,
            departure: start + service,
        });
        t = start + service;
        cur = loc;
        load = after;
    }
    if next_break < veh.breaks.len() {
        return None;
    }
    let last = steps.last()?;
    if last.arrival > veh.shift.1 + EPS {
        return None;
    }
    Some(Sim {
        steps,
        travel,
        dist,
    })
}

/// The exact schedule of a route: earliest departure, then the departure delayed as far as
/// it shortens working time; checks every vehicle limit. `None` if infeasible.
pub(crate) fn schedule(inst: &Instance, v: usize, nodes: &[Node]) -> Option<Sim> {
    let veh = &inst.vehs[v];
    let mut best = simulate(inst, v, nodes, veh.shift.0)?;
    // Forward time slack of the start (Savelsbergh): how far departure can move without
    // pushing any step past its window end; waiting absorbs it.
    let mut wait_sum = 0.0;
    let mut slack = HORIZON;
    for s in best.steps.iter().skip(1) {
        wait_sum += s.start - s.arrival;
        let latest = match s.kind {
            SimKind::Node(n) => {
                let (w, _, _) = node_windows(inst, v, n, NOLOC);
                w.iter()
                    .find(|w| w.0 <= s.start + EPS && s.start <= w.1 + EPS)
                    .map(|w| w.1)
                    .unwrap_or(s.start)
            }
            SimKind::Break(b) => {
                let w = &veh.breaks[b].windows;
                w.iter()
                    .find(|w| w.0 <= s.start + EPS && s.start <= w.1 + EPS)
                    .map(|w| w.1)
                    .unwrap_or(s.start)
            }
            SimKind::End => veh.shift.1,
            SimKind::Start => HORIZON,
        };
        slack = slack.min(wait_sum + (latest - s.start));
    }
    let total_wait: f64 = best.steps.iter().map(|s| s.start - s.arrival).sum();
    let delay = slack
        .min(total_wait)
        .min(veh.shift.1 - veh.shift.0)
        .max(0.0);
    if delay > EPS {
        if let Some(s2) = simulate(inst, v, nodes, veh.shift.0 + delay) {
            if s2.working() < best.working() - EPS {
                best = s2;
            }
        }
    }
    let n_jobs = nodes.iter().filter(|n| matches!(n, Node::Job(_))).count();
    if best.working() > veh.max_work + EPS
        || best.travel > veh.max_travel + EPS
        || best.dist > veh.max_dist + EPS
        || n_jobs > veh.max_stops
    {
        return None;
    }
    Some(best)
}
