//! The turn model and the edge-based graph every search runs on.
//!
//! Nodes of the edge-based graph are the directed road edges of a [`Graph`]; an arc `e -> f`
//! is an allowed turn at the node between them and costs the turn penalty plus the travel time
//! of `f` (so a node's distance is "at the end of that edge"). The rules:
//!
//! * turn restrictions from the import: `no_*` forbids `from -> to`, `only_*` forbids every
//!   other continuation of `from` at the via node;
//! * U-turns (`f` is the reverse of `e`) follow [`UTurnPolicy`]: `Allowed` anywhere at
//!   `u_turn_s`, `DeadEndOnly` where the road ends (the truck default), `Forbidden` never;
//! * at intersections (three or more road arms) a turn costs by its angle: within 30 degrees of
//!   straight `straight_s`; a turn across traffic (left in right-hand traffic, right in
//!   left-hand traffic) `left_s` and a turn with traffic `right_s`, both scaled by
//!   `angle / 90` so that a sharp turn costs more than a slight one. Bends of a road at a node
//!   that joins only two road arms are free.
//!
//! Weights are integer milliseconds and distances integer centimetres, so that the
//! contraction hierarchy, the reference Dijkstra and the matrix agree exactly.

use std::cell::RefCell;
use std::cmp::Reverse;

use crate::ch::{self, ContractionHierarchy, QueryWorkspace, SearchSide, Seed};
use crate::error::{Error, Result};
use crate::geo::planar_bearing_e7 as bearing;
use crate::graph::{EdgeId, Graph, NO_EDGE};
use crate::profile::{DrivingSide, TurnCosts, TurnShape, UTurnPolicy};
use crate::route::{Approach, Route, RouteSegment, Waypoint};
use crate::snap::Side;

/// Turns whose direction changes by at most this many degrees count as straight on.
const STRAIGHT_DEG: f64 = 30.0;

/// The edge-based graph of a road graph: allowed turns with their costs.
#[derive(Clone, Debug)]
pub struct TurnGraph {
    /// Turns out of edge `e` are `first[e]..first[e + 1]`.
    first: Vec<u32>,
    /// Edge entered by each turn.
    to: Vec<u32>,
    /// Turn penalty of each turn in milliseconds.
    turn_ms: Vec<u32>,
    /// Travel time of each edge in milliseconds.
    edge_ms: Vec<u32>,
    /// Length of each edge in centimetres.
    edge_cm: Vec<u32>,
}

/// Signed change of direction in degrees, in (-180, 180]; positive turns right.
fn turn_angle(bearing_in: f64, bearing_out: f64) -> f64 {
    let mut d = bearing_out - bearing_in;
    while d > 180.0 {
        d -= 360.0;
    }
    while d <= -180.0 {
        d += 360.0;
    }
    d
}

/// Penalty in seconds of a turn by `angle` degrees (positive = right) at an intersection.
pub fn turn_penalty_s(costs: &TurnCosts, angle: f64) -> f64 {
    if let TurnShape::Sigmoid {
        max_s,
        bias,
        oncoming_s,
    } = costs.shape
    {
        // OSRM car.lua's process_turn, angle in degrees, positive to the right.
        let (bias, across) = match costs.driving_side {
            DrivingSide::Right => (bias, angle < 0.0),
            DrivingSide::Left => (1.0 / bias, angle > 0.0),
        };
        let a = angle.abs() / 180.0;
        let turn = if angle >= 0.0 {
            max_s / (1.0 + (-((13.0 / bias) * a - 6.5 * bias)).exp())
        } else {
            max_s / (1.0 + (-((13.0 * bias) * a - 6.5 / bias)).exp())
        };
        let oncoming = if across {
            oncoming_s / (1.0 + (-(13.0 * a - 3.25)).exp())
        } else {
            0.0
        };
        return turn + oncoming;
    }
    if angle.abs() <= STRAIGHT_DEG {
        return costs.straight_s;
    }
    let right = angle > 0.0;
    let with_traffic = match costs.driving_side {
        DrivingSide::Right => right,
        DrivingSide::Left => !right,
    };
    let base = if with_traffic {
        costs.right_s
    } else {
        costs.left_s
    };
    base * angle.abs() / 90.0
}

/// The shape shared by an edge and its reverse: one road arm.
fn geometry_of(g: &Graph, e: u32) -> u32 {
    g.geom[e as usize] & !crate::ids::GEOM_REVERSED
}

fn ms(seconds: f64) -> u32 {
    (seconds * 1000.0).round().clamp(0.0, u32::MAX as f64 / 4.0) as u32
}

impl TurnGraph {
    /// Builds the edge-based graph of `g` under the turn rules of its profile.
    pub fn new(g: &Graph) -> Self {
        let costs = g.profile().turn_costs;
        let m = g.num_edges();
        let (in_first, in_edges) = g.incoming();
        let first_out = g.first_out();
        let heads = g.heads();
        let reverse = g.reverse_edges();
        let edge_ms: Vec<u32> = g.durations_s().iter().map(|&d| ms(d as f64)).collect();
        let edge_cm: Vec<u32> = g
            .distances_m()
            .iter()
            .map(|&d| (d as f64 * 100.0).round().max(0.0) as u32)
            .collect();
        // Bearing at the start and at the end of each edge.
        let ends: Vec<(f64, f64)> = (0..m as u32)
            .map(|e| {
                let (c, rev) = g.edge_coords(EdgeId(e));
                let k = c.len();
                if k < 2 {
                    return (0.0, 0.0);
                }
                if rev {
                    (bearing(c[k - 1], c[k - 2]), bearing(c[1], c[0]))
                } else {
                    (bearing(c[0], c[1]), bearing(c[k - 2], c[k - 1]))
                }
            })
            .collect();
        let mut first = Vec::with_capacity(m + 1);
        let mut to = Vec::with_capacity(m * 3);
        let mut turn_ms = Vec::with_capacity(m * 3);
        let mut arms: Vec<u32> = Vec::new();
        first.push(0);
        for e in 0..m {
            let v = heads[e] as usize;
            let outs = first_out[v]..first_out[v + 1];
            // Road arms at v: distinct geometries of the edges touching it.
            arms.clear();
            arms.extend(outs.clone().map(|f| geometry_of(g, f)));
            arms.extend(
                in_edges[in_first[v] as usize..in_first[v + 1] as usize]
                    .iter()
                    .map(|&f| geometry_of(g, f)),
            );
            arms.sort_unstable();
            arms.dedup();
            let intersection = arms.len() > 2;
            let dead_end = outs.clone().all(|f| f == reverse[e]);
            for f in outs {
                if !g.turn_allowed(EdgeId(e as u32), EdgeId(f)) {
                    continue;
                }
                let penalty = if reverse[e] == f && f != NO_EDGE {
                    match costs.u_turn {
                        UTurnPolicy::Allowed => costs.u_turn_s,
                        UTurnPolicy::DeadEndOnly if dead_end => costs.u_turn_s,
                        _ => continue,
                    }
                } else if intersection {
                    turn_penalty_s(&costs, turn_angle(ends[e].1, ends[f as usize].0))
                } else {
                    0.0
                };
                to.push(f);
                turn_ms.push(ms(penalty));
            }
            first.push(to.len() as u32);
        }
        TurnGraph {
            first,
            to,
            turn_ms,
            edge_ms,
            edge_cm,
        }
    }

    /// Membership of each directed edge in the largest strongly connected component of the
    /// edge-based graph.
    pub(crate) fn main_component(&self) -> Vec<bool> {
        crate::search::largest_scc(
            self.num_nodes(),
            (0..self.num_nodes() as u32).flat_map(|e| self.range(e).map(move |k| (e, self.to[k]))),
        )
    }

    /// Number of nodes (= directed road edges).
    pub fn num_nodes(&self) -> usize {
        self.edge_ms.len()
    }

    /// Number of allowed turns.
    pub fn num_turns(&self) -> usize {
        self.to.len()
    }

    /// Allowed turns out of edge `e`: `(entered edge, penalty in seconds)`.
    pub fn turns_from(&self, e: EdgeId) -> impl Iterator<Item = (EdgeId, f64)> + '_ {
        self.range(e.0)
            .map(|k| (EdgeId(self.to[k]), self.turn_ms[k] as f64 / 1000.0))
    }

    fn range(&self, e: u32) -> std::ops::Range<usize> {
        self.first[e as usize] as usize..self.first[e as usize + 1] as usize
    }

    fn arc_weight(&self, k: usize) -> u32 {
        self.turn_ms[k].saturating_add(self.edge_ms[self.to[k] as usize])
    }

    /// The arcs of the edge-based graph, for contraction.
    pub fn arcs(&self) -> Vec<ch::Arc> {
        (0..self.num_nodes() as u32)
            .flat_map(|e| {
                self.range(e).map(move |k| ch::Arc {
                    tail: e,
                    head: self.to[k],
                    weight: self.arc_weight(k),
                    dist: self.edge_cm[self.to[k] as usize],
                })
            })
            .collect()
    }

    /// A fingerprint of the arcs, stored with a hierarchy to detect a stale one.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: u32| {
            for b in v.to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        eat(self.num_nodes() as u32);
        for e in 0..self.num_nodes() as u32 {
            for k in self.range(e) {
                eat(e);
                eat(self.to[k]);
                eat(self.arc_weight(k));
            }
        }
        h
    }

    /// Penalty in milliseconds of the cheapest turn `a -> b`.
    fn turn_between(&self, a: u32, b: u32) -> u32 {
        self.range(a)
            .filter(|&k| self.to[k] == b)
            .map(|k| self.turn_ms[k])
            .min()
            .unwrap_or(0)
    }

    fn part_ms(&self, e: u32, fraction: f64) -> u32 {
        (fraction.clamp(0.0, 1.0) * self.edge_ms[e as usize] as f64).round() as u32
    }

    fn part_cm(&self, e: u32, fraction: f64) -> u32 {
        (fraction.clamp(0.0, 1.0) * self.edge_cm[e as usize] as f64).round() as u32
    }
}

/// A directed edge and a position on it, one way to leave or reach a waypoint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Access {
    pub edge: u32,
    pub fraction: f64,
}

/// Directed edges through a snapped position that respect the approach: for `Curb`, the point
/// must be on the driving side in the direction of travel (unless only one direction exists).
pub(crate) fn accesses(g: &Graph, wp: &Waypoint) -> Vec<Access> {
    let s = &wp.snap;
    let mut out = vec![Access {
        edge: s.edge.0,
        fraction: s.fraction,
    }];
    if let Some(r) = g.reverse_edge(s.edge) {
        out.push(Access {
            edge: r.0,
            fraction: 1.0 - s.fraction,
        });
    }
    if wp.approach == Approach::Curb && out.len() == 2 && s.side != Side::On {
        let kerb = match g.profile().turn_costs.driving_side {
            DrivingSide::Right => Side::Right,
            DrivingSide::Left => Side::Left,
        };
        out.retain(|a| {
            if a.edge == s.edge.0 {
                s.side == kerb
            } else {
                s.side.flipped() == kerb
            }
        });
    }
    if wp.approach == Approach::Along {
        out.truncate(1);
    }
    out
}

/// Where a forward seed comes from: the access it leaves and the turn out of it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SeedOrigin {
    pub access: usize,
    pub turn_ms: u32,
}

/// Forward seeds for leaving the accesses: the edges entered by the first turn.
pub(crate) fn source_seeds(tg: &TurnGraph, acc: &[Access]) -> (Vec<Seed>, Vec<SeedOrigin>) {
    let mut seeds = Vec::new();
    let mut origins = Vec::new();
    for (i, a) in acc.iter().enumerate() {
        let rem_ms = tg.edge_ms[a.edge as usize] - tg.part_ms(a.edge, a.fraction);
        let rem_cm = tg.edge_cm[a.edge as usize] - tg.part_cm(a.edge, a.fraction);
        for k in tg.range(a.edge) {
            seeds.push(Seed {
                node: tg.to[k],
                weight: rem_ms as i64 + tg.arc_weight(k) as i64,
                dist: rem_cm as i64 + tg.edge_cm[tg.to[k] as usize] as i64,
            });
            origins.push(SeedOrigin {
                access: i,
                turn_ms: tg.turn_ms[k],
            });
        }
    }
    (seeds, origins)
}

/// Backward seeds for reaching the accesses: the edge itself, minus the part after the point.
pub(crate) fn target_seeds(tg: &TurnGraph, acc: &[Access]) -> Vec<Seed> {
    acc.iter()
        .map(|a| Seed {
            node: a.edge,
            weight: tg.part_ms(a.edge, a.fraction) as i64 - tg.edge_ms[a.edge as usize] as i64,
            dist: tg.part_cm(a.edge, a.fraction) as i64 - tg.edge_cm[a.edge as usize] as i64,
        })
        .collect()
}

/// Cheapest travel along a single edge from a source access to a target access, if both lie
/// on the same directed edge in the right order: `(weight ms, dist cm, source idx, target idx)`.
pub(crate) fn direct(
    tg: &TurnGraph,
    src: &[Access],
    dst: &[Access],
) -> Option<(i64, i64, usize, usize)> {
    let mut best: Option<(i64, i64, usize, usize)> = None;
    for (i, s) in src.iter().enumerate() {
        for (j, t) in dst.iter().enumerate() {
            if s.edge == t.edge && t.fraction >= s.fraction {
                let w =
                    tg.part_ms(t.edge, t.fraction) as i64 - tg.part_ms(s.edge, s.fraction) as i64;
                let d =
                    tg.part_cm(t.edge, t.fraction) as i64 - tg.part_cm(s.edge, s.fraction) as i64;
                if best.is_none_or(|b| w < b.0) {
                    best = Some((w, d, i, j));
                }
            }
        }
    }
    best
}

/// A path found by a turn-aware search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TurnPath {
    pub weight: i64,
    pub dist: i64,
    pub source_seed: usize,
    pub target_seed: usize,
    /// Edges entered, in order (the first is a seed node, the last the target edge).
    pub edges: Vec<u32>,
}

/// Reusable state of the plain turn-aware Dijkstra: the CH's search side over the original
/// node numbering, resized when a graph of another size is searched on this thread.
#[derive(Default)]
struct DijkstraWs(SearchSide);

impl DijkstraWs {
    /// Seeds with offsets shifted to be non-negative; returns the shifts.
    fn init(&mut self, n: usize, seeds: &[Seed]) -> (i64, i64) {
        if self.0.len() != n {
            self.0 = SearchSide::new(n);
        }
        self.0.init_mapped(seeds, |v| v)
    }
}

impl std::ops::Deref for DijkstraWs {
    type Target = SearchSide;
    fn deref(&self) -> &SearchSide {
        &self.0
    }
}

impl std::ops::DerefMut for DijkstraWs {
    fn deref_mut(&mut self) -> &mut SearchSide {
        &mut self.0
    }
}

thread_local! {
    static DIJKSTRA_WS: RefCell<DijkstraWs> = RefCell::new(DijkstraWs::default());
    static CH_WS: RefCell<Option<QueryWorkspace>> = const { RefCell::new(None) };
}

impl TurnGraph {
    /// Plain turn-aware Dijkstra from the source seeds to the cheapest target seed; the
    /// reference every faster search is tested against.
    pub(crate) fn dijkstra(&self, sources: &[Seed], targets: &[Seed]) -> Option<TurnPath> {
        if sources.is_empty() || targets.is_empty() {
            return None;
        }
        let n = self.num_nodes();
        DIJKSTRA_WS.with(|ws| {
            let ws = &mut *ws.borrow_mut();
            let (sw, sd) = ws.init(n, sources);
            let tmin = targets.iter().map(|t| t.weight).min().unwrap_or(0);
            let mut best: Option<(i64, usize, u32)> = None; // (shifted weight, target idx, node)
            while let Some(Reverse((d, v))) = ws.heap.pop() {
                if d != ws.get(v) {
                    continue;
                }
                if best.is_some_and(|b| d as i64 + tmin >= b.0) {
                    break;
                }
                for (j, t) in targets.iter().enumerate() {
                    if t.node == v && best.is_none_or(|b| d as i64 + t.weight < b.0) {
                        best = Some((d as i64 + t.weight, j, v));
                    }
                }
                let sec = ws.sec[v as usize];
                let seed = ws.seed[v as usize];
                for k in self.range(v) {
                    let x = self.to[k];
                    let nd = d.saturating_add(self.arc_weight(k));
                    if nd < ws.get(x) {
                        ws.set(x, nd, sec.wrapping_add(self.edge_cm[x as usize]), v, seed);
                    }
                }
            }
            let (w, j, node) = best?;
            let mut edges = Vec::new();
            let mut v = node;
            while v != u32::MAX {
                edges.push(v);
                v = ws.pred[v as usize];
            }
            edges.reverse();
            Some(TurnPath {
                weight: w + sw,
                dist: ws.sec[node as usize] as i64 + sd + targets[j].dist,
                source_seed: ws.seed[node as usize] as usize,
                target_seed: j,
                edges,
            })
        })
    }

    /// One-to-many turn-aware Dijkstra: `(weight ms, dist cm)` to each target seed set.
    pub(crate) fn dijkstra_one_to_many(
        &self,
        sources: &[Seed],
        targets: &[Vec<Seed>],
    ) -> Vec<Option<(i64, i64)>> {
        let n = self.num_nodes();
        let mut out = vec![None; targets.len()];
        if sources.is_empty() {
            return out;
        }
        DIJKSTRA_WS.with(|ws| {
            let ws = &mut *ws.borrow_mut();
            let (sw, sd) = ws.init(n, sources);
            let mut open: Vec<usize> = (0..targets.len())
                .filter(|&j| !targets[j].is_empty())
                .collect();
            let mut by_node: std::collections::HashMap<u32, Vec<(usize, Seed)>> =
                std::collections::HashMap::new();
            for &j in &open {
                for t in &targets[j] {
                    by_node.entry(t.node).or_default().push((j, *t));
                }
            }
            let mut best: Vec<Option<(i64, i64)>> = vec![None; targets.len()];
            let tmin: Vec<i64> = targets
                .iter()
                .map(|t| t.iter().map(|s| s.weight).min().unwrap_or(0))
                .collect();
            while let Some(Reverse((d, v))) = ws.heap.pop() {
                if d != ws.get(v) {
                    continue;
                }
                open.retain(|&j| best[j].is_none_or(|b| d as i64 + tmin[j] < b.0));
                if open.is_empty() {
                    break;
                }
                if let Some(list) = by_node.get(&v) {
                    for &(j, t) in list {
                        let w = d as i64 + t.weight;
                        if best[j].is_none_or(|b| w < b.0) {
                            best[j] = Some((w, ws.sec[v as usize] as i64 + t.dist));
                        }
                    }
                }
                let sec = ws.sec[v as usize];
                for k in self.range(v) {
                    let x = self.to[k];
                    let nd = d.saturating_add(self.arc_weight(k));
                    if nd < ws.get(x) {
                        ws.set(x, nd, sec.wrapping_add(self.edge_cm[x as usize]), v, 0);
                    }
                }
            }
            for (o, b) in out.iter_mut().zip(best) {
                *o = b.map(|(w, d)| (w + sw, d + sd));
            }
        });
        out
    }
}

impl TurnGraph {
    /// Turn-aware Dijkstra bounded by `max_ms`: every edge whose *start* is reached within
    /// the bound, with the time (ms, after the source shift) at its *end*. Edges settled
    /// within the bound and edges only entered (their end lies beyond the bound) are both
    /// returned; an edge's start time is its end time minus its travel time.
    pub(crate) fn dijkstra_bounded(&self, sources: &[Seed], max_ms: u32) -> Vec<(u32, i64)> {
        let n = self.num_nodes();
        let mut out = Vec::new();
        if sources.is_empty() {
            return out;
        }
        DIJKSTRA_WS.with(|ws| {
            let ws = &mut *ws.borrow_mut();
            let (sw, _) = ws.init(n, sources);
            let bound = (max_ms as i64 - sw).max(0) as u32;
            let mut touched: Vec<u32> = sources.iter().map(|s| s.node).collect();
            while let Some(Reverse((d, v))) = ws.heap.pop() {
                if d != ws.get(v) {
                    continue;
                }
                if d > bound {
                    break;
                }
                for k in self.range(v) {
                    let x = self.to[k];
                    let nd = d.saturating_add(self.arc_weight(k));
                    if nd < ws.get(x) {
                        if ws.get(x) == u32::MAX {
                            touched.push(x);
                        }
                        ws.set(x, nd, 0, v, 0);
                    }
                }
            }
            touched.sort_unstable();
            touched.dedup();
            for v in touched {
                let d = ws.get(v);
                let start = d as i64 - self.edge_ms[v as usize] as i64 + sw;
                if start <= max_ms as i64 {
                    out.push((v, d as i64 + sw));
                }
            }
        });
        out
    }
}

/// Runs a CH query in this thread's reusable workspace.
pub(crate) fn ch_query(
    ch: &ContractionHierarchy,
    sources: &[Seed],
    targets: &[Seed],
) -> Option<TurnPath> {
    CH_WS.with(|ws| {
        let mut ws = ws.borrow_mut();
        if ws.as_ref().is_none_or(|w| !w.fits(ch)) {
            *ws = Some(QueryWorkspace::new(ch));
        }
        let ws = ws.as_mut().expect("workspace just created");
        let r = ch.query(ws, sources, targets)?;
        let edges = ch.unpack(&r);
        Some(TurnPath {
            weight: r.weight,
            dist: r.dist,
            source_seed: r.source_seed,
            target_seed: r.target_seed,
            edges,
        })
    })
}

/// Route segments of a turn path between two sets of accesses; the duration of each segment
/// includes the penalty of the turn onto it.
pub(crate) fn path_segments(
    g: &Graph,
    tg: &TurnGraph,
    src: &[Access],
    origins: &[SeedOrigin],
    dst: &[Access],
    path: &TurnPath,
) -> Vec<RouteSegment> {
    let origin = origins[path.source_seed];
    let s = src[origin.access];
    let t = dst[path.target_seed];
    let seg = |edge: u32, a: f64, b: f64, ms: i64| {
        let e = g.edge(EdgeId(edge));
        RouteSegment {
            edge: EdgeId(edge),
            from_fraction: a,
            to_fraction: b,
            distance_m: (b - a) * e.distance_m,
            duration_s: ms as f64 / 1000.0,
        }
    };
    let mut out = Vec::with_capacity(path.edges.len() + 1);
    let rem = tg.edge_ms[s.edge as usize] as i64 - tg.part_ms(s.edge, s.fraction) as i64;
    out.push(seg(s.edge, s.fraction, 1.0, rem));
    let last = path.edges.len() - 1;
    for (i, &e) in path.edges.iter().enumerate() {
        let turn = if i == 0 {
            origin.turn_ms
        } else {
            tg.turn_between(path.edges[i - 1], e)
        } as i64;
        if i == last {
            out.push(seg(
                e,
                0.0,
                t.fraction,
                turn + tg.part_ms(e, t.fraction) as i64,
            ));
        } else {
            out.push(seg(e, 0.0, 1.0, turn + tg.edge_ms[e as usize] as i64));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Graph integration
// ---------------------------------------------------------------------------------------------

/// Name of the graph file section holding the hierarchy.
const CH_SECTION: &str = "ch";
const CH_MAGIC: &[u8; 4] = b"KCH1";

/// The searches of a graph: its turn graph and, when contracted, its hierarchy.
#[derive(Debug)]
pub(crate) struct Routing {
    pub turns: TurnGraph,
    pub ch: Option<ContractionHierarchy>,
    /// Directed edges in the largest strongly connected component of the turn graph: from
    /// each of them every other one is reachable under the turn rules (no traps behind a
    /// forbidden turn or U-turn). Snapping prefers them, as OSRM prefers big components.
    pub main: Vec<bool>,
}

/// Which search answers a route query.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Algorithm {
    /// The contraction hierarchy when the graph has one, else Dijkstra.
    #[default]
    Auto,
    /// Plain turn-aware Dijkstra (the reference).
    Dijkstra,
    /// The contraction hierarchy; [`crate::Error::InvalidInput`] if the graph has none.
    Ch,
}

impl TurnGraph {
    pub(crate) fn edge_weight_ms(&self, e: u32) -> i64 {
        self.edge_ms[e as usize] as i64
    }

    pub(crate) fn edge_dist_cm(&self, e: u32) -> i64 {
        self.edge_cm[e as usize] as i64
    }
}

impl Graph {
    pub(crate) fn routing(&self) -> &Routing {
        self.routing.get_or_init(|| {
            let turns = TurnGraph::new(self);
            let ch = self.section(CH_SECTION).and_then(|b| {
                let ok = b.len() >= 12
                    && &b[..4] == CH_MAGIC
                    && b[4..12] == turns.fingerprint().to_le_bytes();
                let ch = ok
                    .then(|| ContractionHierarchy::from_bytes(&b[12..]))
                    .flatten();
                match &ch {
                    Some(c) if c.num_nodes() == turns.num_nodes() => {}
                    _ => {
                        tracing::warn!("ignoring a stale or corrupt contraction hierarchy section");
                        return None;
                    }
                }
                ch
            });
            let main = turns.main_component();
            Routing { turns, ch, main }
        })
    }

    /// The turn-aware edge-based graph all searches run on.
    pub fn turn_graph(&self) -> &TurnGraph {
        &self.routing().turns
    }

    /// Whether routes and matrices use a contraction hierarchy.
    pub fn is_contracted(&self) -> bool {
        self.routing().ch.is_some()
    }

    /// Builds the contraction hierarchy of the turn-aware graph; it is stored by
    /// [`Graph::save`] and used by [`Graph::route`] and [`Graph::matrix`] from then on.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let mut g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |g: &Graph, lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let trip = [w(&g, 24.9384, 60.1699)?, w(&g, 24.9500, 60.1750)?];
    /// let before = g.route(&trip)?.duration_s;
    /// g.contract()?;
    /// assert!(g.is_contracted());
    /// assert_eq!(g.route(&trip)?.duration_s, before); // same answer, faster
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn contract(&mut self) -> Result<()> {
        self.contract_with_progress(|_, _| {})
    }

    /// Like [`Graph::contract`], calling `progress(done, total)` as nodes are contracted.
    pub fn contract_with_progress(&mut self, progress: impl FnMut(usize, usize)) -> Result<()> {
        let turns = TurnGraph::new(self);
        let t = std::time::Instant::now();
        let ch =
            ContractionHierarchy::build_with_progress(turns.num_nodes(), &turns.arcs(), progress);
        tracing::info!(
            nodes = turns.num_nodes(),
            turns = turns.num_turns(),
            ch_arcs = ch.num_arcs(),
            seconds = t.elapsed().as_secs_f64(),
            "contracted"
        );
        let mut bytes = CH_MAGIC.to_vec();
        bytes.extend_from_slice(&turns.fingerprint().to_le_bytes());
        bytes.extend_from_slice(&ch.to_bytes());
        self.set_section(CH_SECTION, bytes)?;
        self.routing = std::sync::OnceLock::new();
        let main = turns.main_component();
        let _ = self.routing.set(Routing {
            turns,
            ch: Some(ch),
            main,
        });
        Ok(())
    }

    pub(crate) fn check_waypoint(&self, w: &Waypoint) -> Result<()> {
        if w.snap.edge.index() >= self.num_edges() || !(0.0..=1.0).contains(&w.snap.fraction) {
            return Err(Error::InvalidInput(
                "waypoint snap does not belong to this graph".into(),
            ));
        }
        Ok(())
    }

    /// Fastest route through the waypoints with a chosen search (see [`Algorithm`]); all
    /// searches obey the same turn rules and return equally fast routes.
    pub fn route_with(&self, waypoints: &[Waypoint], algorithm: Algorithm) -> Result<Route> {
        if waypoints.len() < 2 {
            return Err(Error::InvalidInput(format!(
                "a route needs at least 2 waypoints, got {}",
                waypoints.len()
            )));
        }
        for w in waypoints {
            self.check_waypoint(w)?;
        }
        if algorithm == Algorithm::Ch && !self.is_contracted() {
            return Err(Error::InvalidInput(
                "the graph has no contraction hierarchy".into(),
            ));
        }
        // Unless U-turns are allowed anywhere, a vehicle leaves an intermediate waypoint in the
        // direction it arrived in (no turning around at a stop in the middle of the road).
        let keep_heading = self.profile().turn_costs.u_turn != UTurnPolicy::Allowed;
        let mut legs = Vec::with_capacity(waypoints.len() - 1);
        let mut arrived: Option<Access> = None;
        for (i, pair) in waypoints.windows(2).enumerate() {
            let src = match arrived {
                Some(a) if keep_heading => vec![a],
                _ => accesses(self, &pair[0]),
            };
            let segs = self
                .turn_leg_from(&src, &pair[1], algorithm)
                .ok_or(Error::NoRoute { from: i, to: i + 1 })?;
            arrived = segs.last().map(|s| Access {
                edge: s.edge.0,
                fraction: s.to_fraction,
            });
            legs.push(self.make_leg(segs));
        }
        Ok(self.assemble(legs))
    }

    /// Segments of the fastest turn-aware path between two waypoints.
    pub(crate) fn turn_leg(
        &self,
        from: &Waypoint,
        to: &Waypoint,
        algorithm: Algorithm,
    ) -> Option<Vec<RouteSegment>> {
        self.turn_leg_from(&accesses(self, from), to, algorithm)
    }

    /// Segments of the fastest turn-aware path from any of the accesses to a waypoint.
    fn turn_leg_from(
        &self,
        src: &[Access],
        to: &Waypoint,
        algorithm: Algorithm,
    ) -> Option<Vec<RouteSegment>> {
        let r = self.routing();
        let tg = &r.turns;
        let dst = accesses(self, to);
        let (seeds, origins) = source_seeds(tg, src);
        let tseeds = target_seeds(tg, &dst);
        let path = match (&r.ch, algorithm) {
            (Some(ch), Algorithm::Auto | Algorithm::Ch) => ch_query(ch, &seeds, &tseeds),
            _ => tg.dijkstra(&seeds, &tseeds),
        };
        let direct = direct(tg, src, &dst);
        let take_path = match (&path, &direct) {
            (Some(p), Some(d)) => p.weight < d.0,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if take_path {
            let p = path?;
            return Some(path_segments(self, tg, src, &origins, &dst, &p));
        }
        let (w, _, i, j) = direct?;
        let (s, t) = (src[i], dst[j]);
        let e = self.edge(EdgeId(s.edge));
        Some(vec![RouteSegment {
            edge: EdgeId(s.edge),
            from_fraction: s.fraction,
            to_fraction: t.fraction,
            distance_m: (t.fraction - s.fraction) * e.distance_m,
            duration_s: w as f64 / 1000.0,
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_and_penalties() {
        assert_eq!(turn_angle(350.0, 10.0), 20.0);
        assert_eq!(turn_angle(10.0, 350.0), -20.0);
        assert_eq!(turn_angle(0.0, 180.0), 180.0);
        let mut c = crate::Profile::car().turn_costs;
        c.shape = TurnShape::Linear;
        c.left_s = 4.0;
        c.right_s = 1.0;
        c.straight_s = 0.5;
        c.driving_side = DrivingSide::Right;
        assert_eq!(turn_penalty_s(&c, 10.0), 0.5);
        assert_eq!(turn_penalty_s(&c, 90.0), 1.0);
        assert_eq!(turn_penalty_s(&c, -90.0), 4.0);
        c.driving_side = DrivingSide::Left;
        assert_eq!(turn_penalty_s(&c, 90.0), 4.0);
        assert_eq!(turn_penalty_s(&c, -45.0), 0.5);
        // OSRM car.lua values: right 90 deg 2.10 s, left 90 deg 5.40 s + 1.93 s oncoming,
        // nearly nothing straight on, saturating at 7.5 s (+ 2 s oncoming) for sharp turns.
        let car = crate::Profile::car().turn_costs;
        let near = |a: f64, b: f64| (a - b).abs() < 0.01;
        assert!(
            near(turn_penalty_s(&car, 90.0), 2.10),
            "{}",
            turn_penalty_s(&car, 90.0)
        );
        assert!(near(turn_penalty_s(&car, -90.0), 5.395 + 1.925));
        assert!(turn_penalty_s(&car, 0.0) < 0.01);
        assert!(near(turn_penalty_s(&car, 179.0), 7.46));
        let mut lh = car;
        lh.driving_side = DrivingSide::Left;
        assert!(near(turn_penalty_s(&lh, -90.0), turn_penalty_s(&car, 90.0)));
    }
}
