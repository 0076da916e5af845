//! Snapping coordinates to the road network with an R-tree (rstar) over edge segments.
//!
//! The tree holds one entry per segment of each stored geometry (shared by the two directions
//! of a two-way road) in a local planar projection (metres east/north around the graph's
//! centre), so nearest-neighbour order matches ground distance; reported distances are
//! haversine metres. The tree is built on the first query (or by [`Graph::prepare_index`]).

use geo::Point;
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;
use serde::{Deserialize, Serialize};

use crate::error::{check_coordinate, Error, Result};
use crate::geo::{bearing_deg, bearing_within, e7_to_point, haversine_m, side_of_line};
use crate::graph::Graph;
use crate::ids::{EdgeId, GEOM_REVERSED, NO_EDGE};

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

/// Options for [`Graph::snap`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapOptions {
    /// Maximum distance from the input to the road in metres (`f64::INFINITY` = unlimited).
    pub radius_m: f64,
    /// Required direction of travel: `(bearing_deg, range_deg)`, bearing clockwise from north;
    /// only edges whose direction at the snapped point is within `range` of `bearing` match.
    pub bearing: Option<(f64, f64)>,
}

impl SnapOptions {
    /// Sets the search radius in metres.
    ///
    /// ```
    /// use kerb_core::SnapOptions;
    /// let o = SnapOptions::default().with_radius_m(50.0).with_bearing(90.0, 45.0);
    /// assert_eq!((o.radius_m, o.bearing), (50.0, Some((90.0, 45.0))));
    /// ```
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
}

impl Default for SnapOptions {
    /// 1000 m radius, no bearing constraint.
    fn default() -> Self {
        SnapOptions {
            radius_m: 1000.0,
            bearing: None,
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

type Entry = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

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

/// The spatial index of a graph (built lazily).
pub(crate) struct SnapIndex {
    tree: RTree<Entry>,
    kx: f64,
    ky: f64,
    /// One directed edge per geometry, preferring the one in drawing order.
    geom_edge: Vec<u32>,
}

const M_PER_DEG: f64 = 111_319.49;

impl SnapIndex {
    fn build(g: &Graph) -> SnapIndex {
        let bbox = g.bbox();
        let lat0 = (bbox.min().y + bbox.max().y) / 2.0;
        let kx = M_PER_DEG * lat0.to_radians().cos().max(0.01);
        let ky = M_PER_DEG;
        let mut geom_edge = vec![NO_EDGE; g.num_geometries()];
        for (e, &gm) in g.geom.iter().enumerate() {
            let gi = (gm & !GEOM_REVERSED) as usize;
            if geom_edge[gi] == NO_EDGE || gm & GEOM_REVERSED == 0 {
                geom_edge[gi] = e as u32;
            }
        }
        let mut entries = Vec::with_capacity(g.geom_coords.len());
        for gi in 0..g.num_geometries() {
            let (a, b) = (g.geom_first[gi] as usize, g.geom_first[gi + 1] as usize);
            for (s, w) in g.geom_coords[a..b].windows(2).enumerate() {
                let p = |c: [i32; 2]| [c[0] as f64 * 1e-7 * kx, c[1] as f64 * 1e-7 * ky];
                entries.push(GeomWithData::new(
                    Line::new(p(w[0]), p(w[1])),
                    (gi as u32, s as u32),
                ));
            }
        }
        SnapIndex {
            tree: RTree::bulk_load(entries),
            kx,
            ky,
            geom_edge,
        }
    }

    fn project(&self, p: Point<f64>) -> [f64; 2] {
        [p.x() * self.kx, p.y() * self.ky]
    }
}

impl Graph {
    fn snap_index(&self) -> &SnapIndex {
        self.index.get_or_init(|| SnapIndex::build(self))
    }

    /// Builds the spatial index now instead of on the first query (e.g. before serving).
    pub fn prepare_index(&self) {
        self.snap_index();
    }

    /// The cheap part of a snap on R-tree entry `(geometry, segment)`: the directed edge
    /// allowed by `bearing` (`None` if no direction matches), the projection parameter `t`
    /// on the segment, the projected point and its ground distance from `input`.
    fn candidate(
        &self,
        geom: u32,
        seg: u32,
        input: Point<f64>,
        bearing: Option<(f64, f64)>,
    ) -> Option<Candidate> {
        let idx = self.snap_index();
        let a = self.geom_first[geom as usize] as usize + seg as usize;
        let (p0, p1) = (
            e7_to_point(self.geom_coords[a]),
            e7_to_point(self.geom_coords[a + 1]),
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
                let rev = self.geom[e as usize] & GEOM_REVERSED != 0;
                let b = if rev { (along + 180.0) % 360.0 } else { along };
                bearing_within(b, want, range)
            };
            if !ok(edge) {
                edge = self.reverse[edge as usize];
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
            distance_m: haversine_m(input, point),
        })
    }

    /// The full snap of a candidate: side of the road, position along the edge, street name.
    fn make_snap(&self, c: &Candidate, input: Point<f64>) -> Snap {
        let idx = self.snap_index();
        let (a, b) = (
            self.geom_first[c.geom as usize] as usize,
            self.geom_first[c.geom as usize + 1] as usize,
        );
        let pts = &self.geom_coords[a..b];
        let (p0, p1) = (
            e7_to_point(pts[c.seg as usize]),
            e7_to_point(pts[c.seg as usize + 1]),
        );
        let (q, s0, s1) = (idx.project(input), idx.project(p0), idx.project(p1));
        let (dx, dy) = (s1[0] - s0[0], s1[1] - s0[1]);
        let t = c.t;
        let cross = side_of_line(s0, s1, q);
        let dist_planar =
            ((q[0] - s0[0] - t * dx).powi(2) + (q[1] - s0[1] - t * dy).powi(2)).sqrt();
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
            let l = haversine_m(e7_to_point(w[0]), e7_to_point(w[1]));
            if i < c.seg as usize {
                before += l;
            }
            total += l;
        }
        let offset = before + haversine_m(p0, c.point);
        let frac_stored = if total > 0.0 {
            (offset / total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let rev = self.geom[c.edge as usize] & GEOM_REVERSED != 0;
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
            name: self.name_str(self.name[c.edge as usize]).to_string(),
        }
    }

    /// Snaps a coordinate to the nearest road within `opts.radius_m`.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let s = g.snap(Point::new(24.9414, 60.1699), &SnapOptions::default())?;
    /// println!("{} m from {}", s.distance_m, s.name);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn snap(&self, p: Point<f64>, opts: &SnapOptions) -> Result<Snap> {
        check_coordinate(p)?;
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
        let no_segment = || Error::NoSegment {
            lon: p.x(),
            lat: p.y(),
            radius_m: opts.radius_m,
        };
        let idx = self.snap_index();
        let q = idx.project(p);
        // Planar distances are within a few per cent of ground distance at city scale; search a
        // little beyond the radius and check with haversine.
        let planar_limit = opts.radius_m * 1.1 + 1.0;
        // Roads in the main strongly connected component of the turn graph win over nearer
        // ones that are traps or islands (reachable but not left, or the reverse, under the
        // turn rules), as OSRM prefers big components; those are used only when nothing else
        // lies within the radius.
        let main = &self.routing().main;
        let in_main = |e: u32| {
            main[e as usize] || {
                let r = self.reverse[e as usize];
                r != NO_EDGE && main[r as usize]
            }
        };
        // Only the winner gets the full (geometry-walking, name-copying) snap.
        let mut best: Option<Candidate> = None;
        let mut best_other: Option<Candidate> = None;
        for (entry, d2) in idx.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let d = d2.sqrt();
            if d > planar_limit || best.as_ref().is_some_and(|b| d > b.distance_m * 1.1 + 1.0) {
                break;
            }
            let (geom, seg) = entry.data;
            if let Some(c) = self.candidate(geom, seg, p, opts.bearing) {
                if c.distance_m > opts.radius_m {
                    continue;
                }
                let slot = if in_main(c.edge) {
                    &mut best
                } else {
                    &mut best_other
                };
                if slot.as_ref().is_none_or(|b| c.distance_m < b.distance_m) {
                    *slot = Some(c);
                }
            }
        }
        best.or(best_other)
            .map(|c| self.make_snap(&c, p))
            .ok_or_else(no_segment)
    }

    /// The `k` nearest distinct roads (edge geometries) to a coordinate, nearest first, with no
    /// radius limit (like OSRM's `nearest` service).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let near = g.nearest(Point::new(24.9414, 60.1699), 3)?;
    /// assert_eq!(near.len(), 3);
    /// assert!(near[0].distance_m <= near[2].distance_m);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn nearest(&self, p: Point<f64>, k: usize) -> Result<Vec<Snap>> {
        check_coordinate(p)?;
        if k == 0 {
            return Err(Error::InvalidInput("k must be at least 1".into()));
        }
        let idx = self.snap_index();
        let q = idx.project(p);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(k);
        for entry in idx.tree.nearest_neighbor_iter(&q) {
            let (geom, seg) = entry.data;
            if !seen.insert(geom) {
                continue;
            }
            if let Some(c) = self.candidate(geom, seg, p, None) {
                out.push(self.make_snap(&c, p));
                if out.len() == k {
                    break;
                }
            }
        }
        if out.is_empty() {
            return Err(Error::NoSegment {
                lon: p.x(),
                lat: p.y(),
                radius_m: f64::INFINITY,
            });
        }
        out.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        Ok(out)
    }
}
