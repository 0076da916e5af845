//! The snap index: an rstar R-tree over the segments of a road graph's geometries in a local
//! planar frame (metres east/north around the graph's centre).

use geo::Point;
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

use crate::graph::RoadGraph;
use crate::ids::{GEOM_REVERSED, NO_EDGE};

/// One R-tree entry: a segment and its `(geometry, segment)` position.
pub(super) type Entry = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// The spatial index of a road graph.
pub(crate) struct SnapIndex {
    pub(super) tree: RTree<Entry>,
    kx: f64,
    ky: f64,
    /// One directed edge per geometry, preferring the one in drawing order.
    pub(super) geom_edge: Vec<u32>,
}

const M_PER_DEG: f64 = 111_319.49;

impl SnapIndex {
    /// Builds the index over every segment of every stored geometry of `g`.
    pub(crate) fn build(g: &RoadGraph) -> SnapIndex {
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

    #[inline]
    pub(super) fn project(&self, p: Point<f64>) -> [f64; 2] {
        [p.x() * self.kx, p.y() * self.ky]
    }
}
