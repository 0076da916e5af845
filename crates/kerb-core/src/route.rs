//! Shortest (fastest) routes between snapped positions.
//!
//! Positions lie anywhere on an edge: a search starts with the remaining part of the source
//! edge (and of its reverse, for two-way roads) and ends with the first part of the target
//! edge, so one-way streets are respected even for partial edges. The search is a bidirectional
//! Dijkstra on travel time with a per-thread reusable workspace (no allocation per query once
//! warm). Engineer "ch" replaces the search with a turn-aware contraction hierarchy behind the
//! same [`Graph::route`] signature.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use geo::{LineString, Point};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::graph::{haversine_m, EdgeId, Graph, NodeId, Restriction, RestrictionKind, NO_EDGE};
use crate::profile::DrivingSide;
use crate::snap::{Side, Snap};

/// How a vehicle must approach a waypoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approach {
    /// Either direction.
    #[default]
    Unrestricted,
    /// Arrive and leave with the point on the driving side (the kerb: right in right-hand
    /// traffic), so a refuse truck never crosses the road to a bin. Ignored on one-way roads
    /// where only the other side is reachable.
    Curb,
}

/// A snapped position to route through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    /// Where on the road network the waypoint lies.
    pub snap: Snap,
    /// Approach constraint.
    pub approach: Approach,
}

impl Waypoint {
    /// A waypoint without approach constraint.
    pub fn new(snap: Snap) -> Self {
        Waypoint {
            snap,
            approach: Approach::Unrestricted,
        }
    }

    /// Sets the approach constraint.
    pub fn with_approach(mut self, approach: Approach) -> Self {
        self.approach = approach;
        self
    }
}

/// A piece of one edge travelled by a route.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteSegment {
    /// The directed edge.
    pub edge: EdgeId,
    /// Start position along the edge (0..1).
    pub from_fraction: f64,
    /// End position along the edge (0..1), `>= from_fraction`.
    pub to_fraction: f64,
    /// Length travelled on this edge in metres.
    pub distance_m: f64,
    /// Time spent on this edge in seconds.
    pub duration_s: f64,
}

/// The route between two consecutive waypoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteLeg {
    /// Length in metres.
    pub distance_m: f64,
    /// Travel time in seconds.
    pub duration_s: f64,
    /// Edges travelled, in order.
    pub segments: Vec<RouteSegment>,
}

/// A route through two or more waypoints.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Total length in metres.
    pub distance_m: f64,
    /// Total travel time in seconds.
    pub duration_s: f64,
    /// Shape from the first to the last snapped waypoint.
    pub geometry: LineString<f64>,
    /// One leg per pair of consecutive waypoints.
    pub legs: Vec<RouteLeg>,
}

impl Route {
    /// The geometry as an encoded polyline (precision 5 like Google/OSRM default, or 6).
    pub fn polyline(&self, precision: u32) -> String {
        let pts: Vec<Point<f64>> = self.geometry.points().collect();
        encode_polyline(&pts, precision)
    }

    /// The geometry as a GeoJSON `LineString` object.
    pub fn to_geojson(&self) -> serde_json::Value {
        let coords: Vec<[f64; 2]> = self.geometry.points().map(|p| [p.x(), p.y()]).collect();
        serde_json::json!({ "type": "LineString", "coordinates": coords })
    }
}

/// Encodes coordinates in Google's polyline format (latitude first), `precision` decimal
/// digits (5 or 6; clamped to 1..=7).
///
/// ```
/// use kerb_core::{encode_polyline, Point};
/// let pts = [Point::new(-120.2, 38.5), Point::new(-120.95, 40.7), Point::new(-126.453, 43.252)];
/// assert_eq!(encode_polyline(&pts, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
/// ```
pub fn encode_polyline(coords: &[Point<f64>], precision: u32) -> String {
    let factor = 10f64.powi(precision.clamp(1, 7) as i32);
    let mut out = String::new();
    let (mut plat, mut plon) = (0i64, 0i64);
    for p in coords {
        let lat = (p.y() * factor).round() as i64;
        let lon = (p.x() * factor).round() as i64;
        for d in [lat - plat, lon - plon] {
            let mut v = if d < 0 { !(d << 1) } else { d << 1 } as u64;
            while v >= 0x20 {
                out.push(char::from((((v & 0x1f) | 0x20) + 63) as u8));
                v >>= 5;
            }
            out.push(char::from((v + 63) as u8));
        }
        plat = lat;
        plon = lon;
    }
    out
}

/// A way to leave (source) or enter (target) a position: the directed edge, the fraction of
/// the position on that edge, and the node reached/left.
#[derive(Clone, Copy, Debug)]
struct Access {
    edge: u32,
    fraction: f64,
}

/// Directed edges through a snapped position that respect the approach (in the direction of
/// travel along each edge, the point must be on the driving side for `Curb`).
fn accesses(g: &Graph, wp: &Waypoint) -> Vec<Access> {
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
        let kerb = match g.profile.turn_costs.driving_side {
            DrivingSide::Right => Side::Right,
            DrivingSide::Left => Side::Left,
        };
        // out[0] runs along s.edge (point on s.side), out[1] against it.
        out.retain(|a| {
            if a.edge == s.edge.0 {
                s.side == kerb
            } else {
                s.side.flipped() == kerb
            }
        });
    }
    out
}

const SEED: u32 = NO_EDGE - 1;

/// Per-thread search state, reused across queries; entries are valid when `stamp == gen`.
#[derive(Default)]
struct Workspace {
    gen: u32,
    stamp: [Vec<u32>; 2],
    dist: [Vec<f64>; 2],
    parent: [Vec<u32>; 2],
    /// Index into the seed list for seeded nodes.
    seed_of: [Vec<u32>; 2],
    heap: [BinaryHeap<Reverse<(u64, u32)>>; 2],
}

impl Workspace {
    fn reset(&mut self, n: usize) {
        for d in 0..2 {
            if self.stamp[d].len() < n {
                self.stamp[d].resize(n, 0);
                self.dist[d].resize(n, 0.0);
                self.parent[d].resize(n, NO_EDGE);
                self.seed_of[d].resize(n, 0);
            }
            self.heap[d].clear();
        }
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            for d in 0..2 {
                self.stamp[d].iter_mut().for_each(|s| *s = 0);
            }
            self.gen = 1;
        }
    }

    fn get(&self, d: usize, n: u32) -> f64 {
        if self.stamp[d][n as usize] == self.gen {
            self.dist[d][n as usize]
        } else {
            f64::INFINITY
        }
    }

    fn set(&mut self, d: usize, n: u32, dist: f64, parent: u32, seed: u32) {
        let i = n as usize;
        self.stamp[d][i] = self.gen;
        self.dist[d][i] = dist;
        self.parent[d][i] = parent;
        self.seed_of[d][i] = seed;
        self.heap[d].push(Reverse((dist.to_bits(), n)));
    }
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl Graph {
    /// In-edges CSR (lazily built): in-edges of node `n` are
    /// `in_edges[in_first[n]..in_first[n+1]]`.
    pub(crate) fn incoming(&self) -> (&[u32], &[u32]) {
        let (f, e) = self.incoming.get_or_init(|| {
            let n = self.num_nodes();
            let mut first = vec![0u32; n + 1];
            for &h in &self.head {
                first[h as usize + 1] += 1;
            }
            for i in 0..n {
                first[i + 1] += first[i];
            }
            let mut pos = first.clone();
            let mut edges = vec![0u32; self.head.len()];
            for (e, &h) in self.head.iter().enumerate() {
                edges[pos[h as usize] as usize] = e as u32;
                pos[h as usize] += 1;
            }
            (first, edges)
        });
        (f, e)
    }

    /// Fastest route through the waypoints, in order. This node-based search does not apply
    /// turn restrictions.
    ///
    /// ```no_run
    /// use kerb_core::{Graph, Point, SnapOptions, Waypoint};
    /// let g = Graph::open("out/helsinki-truck.kerb")?;
    /// let a = g.snap(Point::new(24.9384, 60.1699), &SnapOptions::default())?;
    /// let b = g.snap(Point::new(24.9500, 60.1750), &SnapOptions::default())?;
    /// let r = g.route(&[Waypoint::new(a), Waypoint::new(b)])?;
    /// println!("{:.0} m, {:.0} s, {}", r.distance_m, r.duration_s, r.polyline(5));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn route(&self, waypoints: &[Waypoint]) -> Result<Route> {
        if waypoints.len() < 2 {
            return Err(Error::InvalidInput(format!(
                "a route needs at least 2 waypoints, got {}",
                waypoints.len()
            )));
        }
        for w in waypoints {
            if w.snap.edge.index() >= self.num_edges() || !(0.0..=1.0).contains(&w.snap.fraction) {
                return Err(Error::InvalidInput(
                    "waypoint snap does not belong to this graph".into(),
                ));
            }
        }
        let mut legs = Vec::with_capacity(waypoints.len() - 1);
        for (i, pair) in waypoints.windows(2).enumerate() {
            let segs = self
                .leg_segments(&pair[0], &pair[1])
                .ok_or(Error::NoRoute { from: i, to: i + 1 })?;
            legs.push(self.make_leg(segs));
        }
        Ok(self.assemble(legs))
    }

    /// Duration of the fastest path between two positions (`None` if unreachable), without
    /// building the route.
    pub fn duration_between(&self, from: &Waypoint, to: &Waypoint) -> Option<f64> {
        self.leg_segments(from, to)
            .map(|segs| segs.iter().map(|s| s.duration_s).sum())
    }

    pub(crate) fn segment(&self, edge: u32, a: f64, b: f64) -> RouteSegment {
        let e = edge as usize;
        RouteSegment {
            edge: EdgeId(edge),
            from_fraction: a,
            to_fraction: b,
            distance_m: (b - a) * self.distance_m[e] as f64,
            duration_s: (b - a) * self.duration_s[e] as f64,
        }
    }

    pub(crate) fn make_leg(&self, segments: Vec<RouteSegment>) -> RouteLeg {
        RouteLeg {
            distance_m: segments.iter().map(|s| s.distance_m).sum(),
            duration_s: segments.iter().map(|s| s.duration_s).sum(),
            segments,
        }
    }

    pub(crate) fn assemble(&self, legs: Vec<RouteLeg>) -> Route {
        let mut pts: Vec<Point<f64>> = Vec::new();
        for leg in &legs {
            for s in &leg.segments {
                for p in self.partial_points(s.edge, s.from_fraction, s.to_fraction) {
                    if pts.last() != Some(&p) {
                        pts.push(p);
                    }
                }
            }
        }
        if pts.len() == 1 {
            pts.push(pts[0]);
        }
        Route {
            distance_m: legs.iter().map(|l| l.distance_m).sum(),
            duration_s: legs.iter().map(|l| l.duration_s).sum(),
            geometry: LineString::from(pts),
            legs,
        }
    }

    /// Shape of edge `e` between fractions `a <= b`.
    pub fn partial_points(&self, e: EdgeId, a: f64, b: f64) -> Vec<Point<f64>> {
        let pts = self.edge_points(e);
        let lens: Vec<f64> = pts.windows(2).map(|w| haversine_m(w[0], w[1])).collect();
        let total: f64 = lens.iter().sum();
        if total <= 0.0 {
            return vec![pts[0], pts[pts.len() - 1]];
        }
        let at = |f: f64| -> (usize, Point<f64>) {
            let target = f.clamp(0.0, 1.0) * total;
            let mut acc = 0.0;
            for (i, &l) in lens.iter().enumerate() {
                if acc + l >= target || i + 1 == lens.len() {
                    let t = if l > 0.0 {
                        ((target - acc) / l).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let (p, q) = (pts[i], pts[i + 1]);
                    return (
                        i,
                        Point::new(p.x() + t * (q.x() - p.x()), p.y() + t * (q.y() - p.y())),
                    );
                }
                acc += l;
            }
            (lens.len() - 1, pts[pts.len() - 1])
        };
        let (ia, pa) = at(a);
        let (ib, pb) = at(b);
        let mut out = vec![pa];
        out.extend_from_slice(&pts[ia + 1..=ib.max(ia)]);
        if ib < ia {
            out.truncate(1);
        }
        out.push(pb);
        out.dedup();
        if out.len() == 1 {
            out.push(out[0]);
        }
        out
    }

    /// Segments of the fastest path between two positions.
    fn leg_segments(&self, from: &Waypoint, to: &Waypoint) -> Option<Vec<RouteSegment>> {
        let src = accesses(self, from);
        let dst = accesses(self, to);
        // Direct travel along one edge.
        let mut best = f64::INFINITY;
        let mut best_direct: Option<RouteSegment> = None;
        for s in &src {
            for t in &dst {
                if s.edge == t.edge && t.fraction >= s.fraction {
                    let seg = self.segment(s.edge, s.fraction, t.fraction);
                    if seg.duration_s < best {
                        best = seg.duration_s;
                        best_direct = Some(seg);
                    }
                }
            }
        }
        let (first_out, head) = (&self.first_out, &self.head);
        let (in_first, in_edges) = self.incoming();
        WORKSPACE.with(|ws| {
            let ws = &mut *ws.borrow_mut();
            ws.reset(self.num_nodes());
            for (k, s) in src.iter().enumerate() {
                let d = (1.0 - s.fraction) * self.duration_s[s.edge as usize] as f64;
                let n = head[s.edge as usize];
                if d < ws.get(0, n) {
                    ws.set(0, n, d, SEED, k as u32);
                }
            }
            for (k, t) in dst.iter().enumerate() {
                let d = t.fraction * self.duration_s[t.edge as usize] as f64;
                let n = self.tail[t.edge as usize];
                if d < ws.get(1, n) {
                    ws.set(1, n, d, SEED, k as u32);
                }
            }
            let mut meet = NO_EDGE;
            for d in 0..2 {
                for k in 0..ws.heap[d].len() {
                    let n = ws.heap[d].as_slice()[k].0 .1;
                    let total = ws.get(0, n) + ws.get(1, n);
                    if total < best {
                        best = total;
                        meet = n;
                    }
                }
            }
            loop {
                let top = |ws: &Workspace, d: usize| {
                    ws.heap[d]
                        .peek()
                        .map(|r| f64::from_bits(r.0 .0))
                        .unwrap_or(f64::INFINITY)
                };
                let (tf, tb) = (top(ws, 0), top(ws, 1));
                if tf + tb >= best || (tf.is_infinite() && tb.is_infinite()) {
                    break;
                }
                let d = if tf <= tb { 0 } else { 1 };
                let Reverse((bits, u)) = ws.heap[d].pop().expect("non-empty heap");
                let du = f64::from_bits(bits);
                if du > ws.get(d, u) {
                    continue;
                }
                let range = if d == 0 {
                    first_out[u as usize] as usize..first_out[u as usize + 1] as usize
                } else {
                    in_first[u as usize] as usize..in_first[u as usize + 1] as usize
                };
                for i in range {
                    let (e, v) = if d == 0 {
                        (i as u32, head[i])
                    } else {
                        let e = in_edges[i];
                        (e, self.tail[e as usize])
                    };
                    let nd = du + self.duration_s[e as usize] as f64;
                    if nd < ws.get(d, v) {
                        ws.set(d, v, nd, e, 0);
                        let other = ws.get(1 - d, v);
                        if nd + other < best {
                            best = nd + other;
                            meet = v;
                        }
                    }
                }
            }
            if meet == NO_EDGE {
                return best_direct.map(|s| vec![s]);
            }
            // Walk back to the source, then forward to the target.
            let mut fwd = Vec::new();
            let mut n = meet;
            while ws.parent[0][n as usize] != SEED {
                let e = ws.parent[0][n as usize];
                fwd.push(self.segment(e, 0.0, 1.0));
                n = self.tail[e as usize];
            }
            let s = src[ws.seed_of[0][n as usize] as usize];
            fwd.push(self.segment(s.edge, s.fraction, 1.0));
            fwd.reverse();
            let mut n = meet;
            while ws.parent[1][n as usize] != SEED {
                let e = ws.parent[1][n as usize];
                fwd.push(self.segment(e, 0.0, 1.0));
                n = head[e as usize];
            }
            let t = dst[ws.seed_of[1][n as usize] as usize];
            fwd.push(self.segment(t.edge, 0.0, t.fraction));
            Some(fwd)
        })
    }

    /// Whether the turn from edge `from` into edge `to` (at `from`'s head) is allowed by the
    /// stored turn restrictions (`no_*` forbids it; an `only_*` from `from` forbids every other
    /// continuation). Does not check that the edges are adjacent.
    pub fn turn_allowed(&self, from: EdgeId, to: EdgeId) -> bool {
        let rs = self.restrictions_from(from);
        if rs.is_empty() {
            return true;
        }
        let mut only = false;
        let mut only_match = false;
        for r in rs {
            match r.kind {
                RestrictionKind::No if r.to == to => return false,
                RestrictionKind::No => {}
                RestrictionKind::Only => {
                    only = true;
                    only_match |= r.to == to;
                }
            }
        }
        !only || only_match
    }

    /// Restrictions whose `from` edge is `e` (they are sorted by `from`).
    pub fn restrictions_from(&self, e: EdgeId) -> &[Restriction] {
        let lo = self.restrictions.partition_point(|r| r.from < e);
        let hi = self.restrictions.partition_point(|r| r.from <= e);
        &self.restrictions[lo..hi]
    }

    /// Fastest route through the waypoints that obeys the stored turn restrictions, by an
    /// edge-based Dijkstra (a search state is the edge just travelled). Slower than
    /// [`Graph::route`]; the turn-aware contraction hierarchy is the fast path.
    pub fn route_with_restrictions(&self, waypoints: &[Waypoint]) -> Result<Route> {
        if waypoints.len() < 2 {
            return Err(Error::InvalidInput(format!(
                "a route needs at least 2 waypoints, got {}",
                waypoints.len()
            )));
        }
        for w in waypoints {
            if w.snap.edge.index() >= self.num_edges() || !(0.0..=1.0).contains(&w.snap.fraction) {
                return Err(Error::InvalidInput(
                    "waypoint snap does not belong to this graph".into(),
                ));
            }
        }
        let mut legs = Vec::with_capacity(waypoints.len() - 1);
        for (i, pair) in waypoints.windows(2).enumerate() {
            let segs = self
                .restricted_leg(&pair[0], &pair[1])
                .ok_or(Error::NoRoute { from: i, to: i + 1 })?;
            legs.push(self.make_leg(segs));
        }
        Ok(self.assemble(legs))
    }

    fn restricted_leg(&self, from: &Waypoint, to: &Waypoint) -> Option<Vec<RouteSegment>> {
        let src = accesses(self, from);
        let dst = accesses(self, to);
        let mut best = f64::INFINITY;
        let mut best_direct: Option<RouteSegment> = None;
        for s in &src {
            for t in &dst {
                if s.edge == t.edge && t.fraction >= s.fraction {
                    let seg = self.segment(s.edge, s.fraction, t.fraction);
                    if seg.duration_s < best {
                        best = seg.duration_s;
                        best_direct = Some(seg);
                    }
                }
            }
        }
        WORKSPACE.with(|ws| {
            let ws = &mut *ws.borrow_mut();
            ws.reset(self.num_edges());
            for (k, s) in src.iter().enumerate() {
                let d = (1.0 - s.fraction) * self.duration_s[s.edge as usize] as f64;
                if d < ws.get(0, s.edge) {
                    ws.set(0, s.edge, d, SEED, k as u32);
                }
            }
            // (last edge state, target access index)
            let mut end: Option<(u32, usize)> = None;
            while let Some(Reverse((bits, e))) = ws.heap[0].pop() {
                let de = f64::from_bits(bits);
                if de > ws.get(0, e) {
                    continue;
                }
                if de >= best {
                    break;
                }
                for (k, t) in dst.iter().enumerate() {
                    if self.tail[t.edge as usize] == self.head[e as usize]
                        && self.turn_allowed(EdgeId(e), EdgeId(t.edge))
                    {
                        let total = de + t.fraction * self.duration_s[t.edge as usize] as f64;
                        if total < best {
                            best = total;
                            end = Some((e, k));
                        }
                    }
                }
                let v = self.head[e as usize] as usize;
                for f in self.first_out[v]..self.first_out[v + 1] {
                    if !self.turn_allowed(EdgeId(e), EdgeId(f)) {
                        continue;
                    }
                    let nd = de + self.duration_s[f as usize] as f64;
                    if nd < ws.get(0, f) {
                        ws.set(0, f, nd, e, 0);
                    }
                }
            }
            let Some((last, k)) = end else {
                return best_direct.map(|s| vec![s]);
            };
            let mut segs = Vec::new();
            let t = dst[k];
            segs.push(self.segment(t.edge, 0.0, t.fraction));
            let mut e = last;
            while ws.parent[0][e as usize] != SEED {
                segs.push(self.segment(e, 0.0, 1.0));
                e = ws.parent[0][e as usize];
            }
            let s = src[ws.seed_of[0][e as usize] as usize];
            segs.push(self.segment(s.edge, s.fraction, 1.0));
            segs.reverse();
            Some(segs)
        })
    }

    /// Node-to-node fastest travel time by plain Dijkstra (used by tests and tools).
    pub fn node_duration(&self, from: NodeId, to: NodeId) -> Option<f64> {
        let n = self.num_nodes();
        if from.index() >= n || to.index() >= n {
            return None;
        }
        WORKSPACE.with(|ws| {
            let ws = &mut *ws.borrow_mut();
            ws.reset(n);
            ws.set(0, from.0, 0.0, SEED, 0);
            while let Some(Reverse((bits, u))) = ws.heap[0].pop() {
                let du = f64::from_bits(bits);
                if du > ws.get(0, u) {
                    continue;
                }
                if u == to.0 {
                    return Some(du);
                }
                for e in self.first_out[u as usize]..self.first_out[u as usize + 1] {
                    let v = self.head[e as usize];
                    let nd = du + self.duration_s[e as usize] as f64;
                    if nd < ws.get(0, v) {
                        ws.set(0, v, nd, e, 0);
                    }
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_precision_6() {
        let pts = [Point::new(-120.2, 38.5), Point::new(-120.95, 40.7)];
        let p5 = encode_polyline(&pts, 5);
        let p6 = encode_polyline(&pts, 6);
        assert_eq!(p5, "_p~iF~ps|U_ulLnnqC");
        assert!(p6.len() > p5.len());
        assert_eq!(encode_polyline(&[], 5), "");
    }
}
