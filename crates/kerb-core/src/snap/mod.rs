//! Snapping coordinates to the road network with an R-tree (rstar) over edge segments.
//! Types and the snap functions here, the index in `index`.
//!
//! The tree holds one entry per segment of each stored geometry (shared by the two directions
//! of a two-way road) in a local planar projection (metres east/north around the graph's
//! centre), so nearest-neighbour order matches ground distance; reported distances are
//! OSRM's cheap-ruler metres ([`crate::geo::road_distance_m`]). The engine builds the tree on
//! the first query (or in [`Graph::prepare_index`](crate::Graph::prepare_index)) and passes it
//! in, with the
//! components of the turn graph ([`EdgeComponents`]): which edges are in the main component
//! and which in tiny ones, so that a snap can follow [`SnapComponents`].

use geo::Point;
use serde::{Deserialize, Serialize};

use crate::error::{check_coordinate, Error, Result};
use crate::geo::{bearing_deg, bearing_within, e7_to_point, road_distance_m, side_of_line};
use crate::graph::RoadGraph;
use crate::ids::{EdgeId, GEOM_REVERSED, NO_EDGE};
use crate::profile::{Exclude, RoadClass};

mod index;

pub(crate) use index::SnapIndex;

/// Which side of the edge (in its travel direction) the input point lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    /// Left of the direction of travel.
    Left,
    /// Right of the direction of travel.
    Right,
    /// On the road centre line (within a few centimetres).
    On,
}

impl Side {
    /// The side seen from the opposite direction of travel.
    pub fn flipped(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
            Side::On => Side::On,
        }
    }
}

/// Options for [`Graph::snap`](crate::Graph::snap).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapOptions {
    /// Maximum distance from the input to the road in metres (`f64::INFINITY` = unlimited).
    pub radius_m: f64,
    /// Required direction of travel: `(bearing_deg, range_deg)`, bearing clockwise from north;
    /// only edges whose direction at the snapped point is within `range` of `bearing` match.
    pub bearing: Option<(f64, f64)>,
    /// Which connected components of the network the snap may land on.
    #[serde(default)]
    pub components: SnapComponents,
    /// Whether the snap may land on a ferry or a car train. OSRM's profiles make those no
    /// start points (a trip neither starts nor ends on a ferry); its `snapping=any` allows
    /// them. Default false.
    #[serde(default)]
    pub carried_ways: bool,
    /// Kinds of road the snap may not land on (bits of [`Exclude`], set by
    /// [`SnapOptions::excluding`]): OSRM snaps an `exclude=` request only onto the roads its
    /// search may use, so a point beside a toll road snaps to the nearest other road.
    #[serde(default)]
    pub(crate) exclude: u8,
}

/// Which connected components a snap may land on. Every component of the imported network is
/// kept (a lone one-way street, a car park cut off by a barrier); the *main* component is the
/// largest strongly connected one of the turn graph, in which every edge reaches every other
/// under the turn rules.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapComponents {
    /// The nearest edge of the main component within the radius, else the nearest edge of
    /// any component (kerb's default: a trap or an island is used only when nothing else is
    /// near).
    #[default]
    PreferMain,
    /// The main network only, never an island: the nearest edge of the main component within
    /// the radius, else the nearest edge between two nodes of the largest strongly connected
    /// component of the road graph (ignoring turn rules: e.g. a street a truck may enter but
    /// not leave without a U-turn, which a matrix then reports as unreachable). For planning
    /// and collection days: no job lands on an island the fleet cannot reach.
    MainNetwork,
    /// The nearest edge whatever its component (OSRM's nearest segment).
    Any,
    /// Only edges of components that are not tiny (fewer than [`TINY_COMPONENT_EDGES`]
    /// directed edges), OSRM's "nearest segment in a big component".
    NotTiny,
}

/// Components with fewer directed edges than this are tiny by default, as OSRM's default
/// `--small-component-size` (1000 edge-based nodes); see
/// [`Graph::set_small_component_size`](crate::Graph::set_small_component_size).
pub const TINY_COMPONENT_EDGES: u32 = 1000;

/// The connected component of a directed edge (OSRM's `component`: an id, and whether it is
/// tiny). The two directions of a two-way road are always in the same component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Component id (equal ids: connected both ways under the turn rules, or the two
    /// directions of one road).
    pub id: u32,
    /// Fewer directed edges than the graph's small component size (by default
    /// [`TINY_COMPONENT_EDGES`]).
    pub tiny: bool,
    /// Whether the edge is in the main component (the largest strongly connected component
    /// of the turn graph).
    pub main: bool,
}

/// The component data snapping reads, per directed edge; the engine computes it from the
/// turn graph.
#[derive(Clone, Debug, Default)]
pub(crate) struct EdgeComponents {
    /// In the largest strongly connected component of the turn graph.
    pub main: Vec<bool>,
    /// Component id (strongly connected components of the turn graph with the two directions
    /// of each road joined, as OSRM's `FindComponents`).
    pub id: Vec<u32>,
    /// Number of directed edges of each component.
    pub size: Vec<u32>,
    /// Components with fewer directed edges are tiny.
    pub tiny_below: u32,
    /// Both ends in the largest strongly connected component of the road (node) graph.
    pub main_road: Vec<bool>,
}

impl EdgeComponents {
    /// The component of directed edge `e`.
    pub(crate) fn of(&self, g: &RoadGraph, e: u32) -> Component {
        let id = self.id[e as usize];
        let r = g.reverse[e as usize];
        Component {
            id,
            tiny: self.size[id as usize] < self.tiny_below,
            main: self.main[e as usize] || (r != NO_EDGE && self.main[r as usize]),
        }
    }
}

impl SnapOptions {
    /// Sets the search radius in metres.
    pub fn with_radius_m(mut self, radius_m: f64) -> Self {
        self.radius_m = radius_m;
        self
    }

    /// Only match roads whose direction of travel is within `range_deg` of `bearing_deg`
    /// (clockwise from north).
    pub fn with_bearing(mut self, bearing_deg: f64, range_deg: f64) -> Self {
        self.bearing = Some((bearing_deg, range_deg));
        self
    }

    /// Sets which components the snap may land on.
    pub fn with_components(mut self, components: SnapComponents) -> Self {
        self.components = components;
        self
    }

    /// Lets the snap land on ferries and car trains too (OSRM's `snapping=any`).
    pub fn with_carried_ways(mut self, yes: bool) -> Self {
        self.carried_ways = yes;
        self
    }

    /// Keeps the snap off the kinds of road in `kinds` (a request's `exclude=`), as OSRM does.
    pub fn excluding(mut self, kinds: &[Exclude]) -> Self {
        for k in kinds {
            self.exclude |= k.bit();
        }
        self
    }
}

impl Default for SnapOptions {
    /// 1000 m radius, no bearing constraint, [`SnapComponents::PreferMain`].
    fn default() -> Self {
        SnapOptions {
            radius_m: 1000.0,
            bearing: None,
            components: SnapComponents::PreferMain,
            carried_ways: false,
            exclude: 0,
        }
    }
}

/// A coordinate snapped onto a directed edge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snap {
    /// Directed edge whose geometry holds the point (for a two-way road the direction that
    /// follows the way's drawing order; the opposite direction is `graph.reverse_edge(edge)`).
    pub edge: EdgeId,
    /// Position along `edge`, 0 at its tail, 1 at its head (by length).
    pub fraction: f64,
    /// The projected point on the road.
    pub point: Point<f64>,
    /// The input coordinate.
    pub input: Point<f64>,
    /// Distance from `input` to `point` in metres.
    pub distance_m: f64,
    /// Side of `edge` (in its travel direction) on which `input` lies.
    pub side: Side,
    /// Street name of the edge (may be empty).
    pub name: String,
}

/// A road segment near the query: what choosing among candidates needs.
struct Candidate {
    geom: u32,
    seg: u32,
    /// Directed edge (the one matching the bearing, else the drawing-order one).
    edge: u32,
    /// Projection parameter on the segment (planar frame).
    t: f64,
    /// Projected point.
    point: Point<f64>,
    /// Ground distance from the input to `point`.
    distance_m: f64,
}

/// The cheap part of a snap on R-tree entry `(geometry, segment)`: the directed edge
/// allowed by `bearing` (`None` if no direction matches), the projection parameter `t`
/// on the segment, the projected point and its ground distance from `input`.
fn candidate(
    g: &RoadGraph,
    idx: &SnapIndex,
    geom: u32,
    seg: u32,
    input: Point<f64>,
    bearing: Option<(f64, f64)>,
) -> Option<Candidate> {
    let a = g.geom_first[geom as usize] as usize + seg as usize;
    let (p0, p1) = (
        e7_to_point(g.geom_coords[a]),
        e7_to_point(g.geom_coords[a + 1]),
    );
    // Projection in the planar frame.
    let (q, s0, s1) = (idx.project(input), idx.project(p0), idx.project(p1));
    let (dx, dy) = (s1[0] - s0[0], s1[1] - s0[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((q[0] - s0[0]) * dx + (q[1] - s0[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let point = Point::new(
        p0.x() + t * (p1.x() - p0.x()),
        p0.y() + t * (p1.y() - p0.y()),
    );
    let mut edge = idx.geom_edge[geom as usize];
    if let Some((want, range)) = bearing {
        let along = bearing_deg(p0, p1);
        let ok = |e: u32| {
            let rev = g.geom[e as usize] & GEOM_REVERSED != 0;
            let b = if rev { (along + 180.0) % 360.0 } else { along };
            bearing_within(b, want, range)
        };
        if !ok(edge) {
            edge = g.reverse[edge as usize];
            if edge == NO_EDGE || !ok(edge) {
                return None;
            }
        }
    }
    Some(Candidate {
        geom,
        seg,
        edge,
        t,
        point,
        distance_m: road_distance_m(input, point),
    })
}

/// The full snap of a candidate: side of the road, position along the edge, street name.
fn make_snap(g: &RoadGraph, idx: &SnapIndex, c: &Candidate, input: Point<f64>) -> Snap {
    let (a, b) = (
        g.geom_first[c.geom as usize] as usize,
        g.geom_first[c.geom as usize + 1] as usize,
    );
    let pts = &g.geom_coords[a..b];
    let (p0, p1) = (
        e7_to_point(pts[c.seg as usize]),
        e7_to_point(pts[c.seg as usize + 1]),
    );
    let (q, s0, s1) = (idx.project(input), idx.project(p0), idx.project(p1));
    let (dx, dy) = (s1[0] - s0[0], s1[1] - s0[1]);
    let t = c.t;
    let cross = side_of_line(s0, s1, q);
    let dist_planar = ((q[0] - s0[0] - t * dx).powi(2) + (q[1] - s0[1] - t * dy).powi(2)).sqrt();
    // Side relative to the drawing order.
    let side_stored = if dist_planar < 0.05 {
        Side::On
    } else if cross > 0.0 {
        Side::Left
    } else {
        Side::Right
    };
    // Offset along the geometry in drawing order.
    let mut before = 0.0;
    let mut total = 0.0;
    for (i, w) in pts.windows(2).enumerate() {
        let l = road_distance_m(e7_to_point(w[0]), e7_to_point(w[1]));
        if i < c.seg as usize {
            before += l;
        }
        total += l;
    }
    let offset = before + road_distance_m(p0, c.point);
    let frac_stored = if total > 0.0 {
        (offset / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let rev = g.geom[c.edge as usize] & GEOM_REVERSED != 0;
    let (fraction, side) = if rev {
        (1.0 - frac_stored, side_stored.flipped())
    } else {
        (frac_stored, side_stored)
    };
    Snap {
        edge: EdgeId(c.edge),
        fraction,
        point: c.point,
        input,
        distance_m: c.distance_m,
        side,
        name: g.name_str(g.name[c.edge as usize]).to_string(),
    }
}

/// Checks a radius (`>= 0`) and bearing filter (bearing 0..360, range 0..180).
fn check_options(opts: &SnapOptions) -> Result<()> {
    if opts.radius_m.is_nan() || opts.radius_m < 0.0 {
        return Err(Error::InvalidInput(format!(
            "snap radius must be >= 0, got {}",
            opts.radius_m
        )));
    }
    if let Some((b, r)) = opts.bearing {
        if !(b.is_finite()
            && r.is_finite()
            && (0.0..=360.0).contains(&b)
            && (0.0..=180.0).contains(&r))
        {
            return Err(Error::InvalidInput(format!(
                "bearing must be 0..360 with range 0..180, got {b},{r}"
            )));
        }
    }
    Ok(())
}

/// Whether a snap may land on `edge`: ferries and car trains only with
/// [`SnapOptions::carried_ways`], never a kind [`SnapOptions::excluding`] names.
fn start_point(g: &RoadGraph, edge: u32, opts: &SnapOptions) -> bool {
    let class = RoadClass::from_u8(g.class[edge as usize]);
    if !opts.carried_ways && matches!(class, RoadClass::Ferry | RoadClass::ShuttleTrain) {
        return false;
    }
    opts.exclude == 0 || {
        let toll = g.edge_access(EdgeId(edge)).toll;
        !Exclude::ALL
            .iter()
            .any(|x| opts.exclude & x.bit() != 0 && x.covers(class, toll))
    }
}

/// Snaps a coordinate to the nearest road within `opts.radius_m` on the components
/// `opts.components` allows.
pub(crate) fn snap(
    g: &RoadGraph,
    idx: &SnapIndex,
    comps: &EdgeComponents,
    p: Point<f64>,
    opts: &SnapOptions,
) -> Result<Snap> {
    check_coordinate(p)?;
    check_options(opts)?;
    let no_segment = || Error::NoSegment {
        lon: p.x(),
        lat: p.y(),
        radius_m: opts.radius_m,
    };
    let q = idx.project(p);
    // Planar distances are within a few per cent of ground distance at city scale; search a
    // little beyond the radius and check with the ground distance.
    let planar_limit = opts.radius_m * 1.1 + 1.0;
    // With `PreferMain`, roads in the main strongly connected component of the turn graph win
    // over nearer ones that are traps or islands (reachable but not left, or the reverse,
    // under the turn rules); those are used only when nothing else lies within the radius.
    // Only the winner gets the full (geometry-walking, name-copying) snap.
    let mut best: Option<Candidate> = None;
    let mut best_other: Option<Candidate> = None;
    for (entry, d2) in idx.tree.nearest_neighbor_iter_with_distance_2(&q) {
        let d = d2.sqrt();
        if d > planar_limit || best.as_ref().is_some_and(|b| d > b.distance_m * 1.1 + 1.0) {
            break;
        }
        let (geom, seg) = entry.data;
        if let Some(c) = candidate(g, idx, geom, seg, p, opts.bearing) {
            if c.distance_m > opts.radius_m || !start_point(g, c.edge, opts) {
                continue;
            }
            let comp = comps.of(g, c.edge);
            let slot = match opts.components {
                SnapComponents::PreferMain if comp.main => &mut best,
                SnapComponents::PreferMain => &mut best_other,
                SnapComponents::MainNetwork if comp.main => &mut best,
                SnapComponents::MainNetwork if comps.main_road[c.edge as usize] => &mut best_other,
                SnapComponents::NotTiny if !comp.tiny => &mut best,
                SnapComponents::Any => &mut best,
                SnapComponents::MainNetwork | SnapComponents::NotTiny => continue,
            };
            if slot.as_ref().is_none_or(|b| c.distance_m < b.distance_m) {
                *slot = Some(c);
            }
        }
    }
    best.or(best_other)
        .map(|c| make_snap(g, idx, &c, p))
        .ok_or_else(no_segment)
}

/// The `k` nearest distinct roads (edge geometries) to a coordinate, nearest first, within
/// `opts.radius_m` and matching `opts.bearing` (like OSRM's `nearest` service). `Any` and
/// `PreferMain` keep every component; `NotTiny` and `MainNetwork` only those they allow.
pub(crate) fn nearest(
    g: &RoadGraph,
    idx: &SnapIndex,
    comps: &EdgeComponents,
    p: Point<f64>,
    k: usize,
    opts: &SnapOptions,
) -> Result<Vec<Snap>> {
    check_coordinate(p)?;
    if k == 0 {
        return Err(Error::InvalidInput("k must be at least 1".into()));
    }
    check_options(opts)?;
    let q = idx.project(p);
    let planar_limit = opts.radius_m * 1.1 + 1.0;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(k);
    for (entry, d2) in idx.tree.nearest_neighbor_iter_with_distance_2(&q) {
        if d2.sqrt() > planar_limit {
            break;
        }
        let (geom, seg) = entry.data;
        if seen.contains(&geom) {
            continue;
        }
        if let Some(c) = candidate(g, idx, geom, seg, p, opts.bearing) {
            if c.distance_m > opts.radius_m || !start_point(g, c.edge, opts) {
                continue;
            }
            let comp = comps.of(g, c.edge);
            let allowed = match opts.components {
                SnapComponents::Any | SnapComponents::PreferMain => true,
                SnapComponents::NotTiny => !comp.tiny,
                SnapComponents::MainNetwork => comp.main || comps.main_road[c.edge as usize],
            };
            if !allowed {
                continue;
            }
            seen.insert(geom);
            out.push(make_snap(g, idx, &c, p));
            if out.len() == k {
                break;
            }
        }
    }
    if out.is_empty() {
        return Err(Error::NoSegment {
            lon: p.x(),
            lat: p.y(),
            radius_m: opts.radius_m,
        });
    }
    out.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    Ok(out)
}
