//! Shortest (fastest) routes between snapped positions.
//!
//! Positions lie anywhere on an edge: a search starts with the remaining part of the source
//! edge (and of its reverse, for two-way roads) and ends with the first part of the target
//! edge, so one-way streets are respected even for partial edges. Searches run on the
//! turn-aware edge-based graph of [`crate::turn`] (turn restrictions, U-turn policy, turn
//! penalties): the contraction hierarchy of [`crate::ch`] when the graph has one, a plain
//! Dijkstra otherwise. Both use per-thread reusable workspaces (no allocation per query once
//! warm).

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use geo::{LineString, Point};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::geo::{encode_polyline, haversine_m, point_along};
use crate::graph::{EdgeId, Graph, NodeId, Restriction, RestrictionKind, NO_EDGE};
use crate::snap::Snap;

/// How a vehicle must approach a waypoint.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approach {
    /// Either direction.
    #[default]
    Unrestricted,
    /// Arrive and leave with the point on the driving side (the kerb: right in right-hand
    /// traffic), so a refuse truck never crosses the road to a bin. Ignored on one-way roads
    /// where only the other side is reachable.
    Curb,
    /// Arrive and leave in the direction of the snapped edge (`snap.edge`), e.g. to drive
    /// down a street in a chosen direction: snap with
    /// [`SnapOptions::with_bearing`](crate::SnapOptions::with_bearing) to pick the edge.
    Along,
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
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Approach, Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let snap = g.snap(Point::new(24.9500, 60.1750), &SnapOptions::default())?;
    /// let bin = Waypoint::new(snap).with_approach(Approach::Curb);
    /// assert_eq!(bin.approach, Approach::Curb);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
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
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |lon, lat| g.snap(Point::new(lon, lat), &SnapOptions::default()).map(Waypoint::new);
    /// let r = g.route(&[w(24.9384, 60.1699)?, w(24.9500, 60.1750)?])?;
    /// assert!(!r.polyline(5).is_empty());
    /// assert_eq!(r.to_geojson()["type"], "LineString");
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
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

    /// Fastest route through the waypoints, in order, obeying turn restrictions, the profile's
    /// U-turn policy and turn penalties (each segment's duration includes the penalty of the
    /// turn onto it). Uses the contraction hierarchy when present (see [`Graph::contract`]).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let a = g.snap(Point::new(24.9384, 60.1699), &SnapOptions::default())?;
    /// let b = g.snap(Point::new(24.9500, 60.1750), &SnapOptions::default())?;
    /// let r = g.route(&[Waypoint::new(a), Waypoint::new(b)])?;
    /// println!("{:.0} m, {:.0} s, {}", r.distance_m, r.duration_s, r.polyline(5));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn route(&self, waypoints: &[Waypoint]) -> Result<Route> {
        self.route_with(waypoints, crate::turn::Algorithm::Auto)
    }

    /// Duration of the fastest path between two positions (`None` if unreachable), without
    /// building the route.
    pub fn duration_between(&self, from: &Waypoint, to: &Waypoint) -> Option<f64> {
        self.turn_leg(from, to, crate::turn::Algorithm::Auto)
            .map(|segs| segs.iter().map(|s| s.duration_s).sum())
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
                    return (i, point_along(p, q, t));
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

    /// Fastest route through the waypoints by the plain turn-aware Dijkstra (no contraction
    /// hierarchy); same rules and result as [`Graph::route`], kept as the reference search.
    pub fn route_with_restrictions(&self, waypoints: &[Waypoint]) -> Result<Route> {
        self.route_with(waypoints, crate::turn::Algorithm::Dijkstra)
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
