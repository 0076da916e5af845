//! OSM provenance of a graph: the OSM node id of every graph node and of every geometry point,
//! the OSM way of every geometry, and the way's posted `maxspeed` and `lanes`. Kept by the
//! importer; graph files written before it have none, so every accessor returns `Option`.

use super::RoadGraph;
use crate::ids::{EdgeId, NodeId, GEOM_REVERSED};

/// `maxspeed` code for an explicit "no limit" (`none`, `unlimited`).
pub(crate) const MAXSPEED_NONE: u8 = 255;

/// The OSM ids and tags stored beside the road arrays (all indexed like them).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct OsmData {
    /// OSM node id of each graph node (both sides of a split barrier share one).
    pub(crate) node_ids: Vec<u64>,
    /// OSM node id of each `geom_coords` entry.
    pub(crate) geom_node_ids: Vec<u64>,
    /// OSM way id of each geometry.
    pub(crate) way_ids: Vec<u64>,
    /// Posted `maxspeed` of each geometry's way in km/h (rounded, at most 254), 0 when untagged
    /// or unreadable, [`MAXSPEED_NONE`] for no limit.
    pub(crate) maxspeed: Vec<u8>,
    /// `lanes` of each geometry's way, 0 when untagged.
    pub(crate) lanes: Vec<u8>,
}

/// The main OSM tags of an edge's way, as [`RoadGraph::edge_tags`] returns them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EdgeTags {
    /// Posted `maxspeed` in km/h (mph converted, rounded); `f64::INFINITY` for `none`.
    pub maxspeed_kmh: Option<f64>,
    /// Number of lanes (`lanes=*`, both directions together as OSM counts them).
    pub lanes: Option<u8>,
}

impl RoadGraph {
    /// Whether this graph carries OSM ids and tags (graphs imported by this version do; older
    /// graph files do not).
    pub fn has_osm_ids(&self) -> bool {
        self.osm.is_some()
    }

    /// The OSM node id of graph node `n`.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{EdgeId, Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let e = g.edge(EdgeId(0));
    /// let ids = g.edge_osm_nodes(e.id).unwrap();
    /// assert_eq!(ids.first().copied(), g.osm_node_id(e.from));
    /// assert_eq!(ids.len(), e.geometry().0.len());
    /// assert!(g.osm_way_id(e.id).unwrap() > 0);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn osm_node_id(&self, n: NodeId) -> Option<u64> {
        self.osm.as_ref()?.node_ids.get(n.index()).copied()
    }

    /// The OSM way edge `e` was cut from.
    pub fn osm_way_id(&self, e: EdgeId) -> Option<u64> {
        let g = self.geom.get(e.index())? & !GEOM_REVERSED;
        self.osm.as_ref()?.way_ids.get(g as usize).copied()
    }

    /// The OSM node ids along edge `e` in its travel direction, one per point of
    /// [`RoadGraph::edge_points`].
    pub fn edge_osm_nodes(&self, e: EdgeId) -> Option<Vec<u64>> {
        let ids = self.geometry_osm_nodes(e)?;
        let mut v = ids.to_vec();
        if self.geom[e.index()] & GEOM_REVERSED != 0 {
            v.reverse();
        }
        Some(v)
    }

    /// The OSM nodes of the part of edge `e` between fractions `a <= b`, as OSRM's
    /// `annotations=nodes` lists them: the node at or before `a`, the nodes strictly inside,
    /// and the node at or after `b`.
    pub fn partial_osm_nodes(&self, e: EdgeId, a: f64, b: f64) -> Option<Vec<u64>> {
        let ids = self.edge_osm_nodes(e)?;
        let pts = self.edge_points(e);
        let lens: Vec<f64> = pts
            .windows(2)
            .map(|w| crate::geo::haversine_m(w[0], w[1]))
            .collect();
        let total: f64 = lens.iter().sum();
        if total <= 0.0 || ids.len() < 2 {
            return Some(vec![ids[0], ids[ids.len() - 1]]);
        }
        // Index of the geometry segment holding fraction `f` (the last one at f = 1).
        let segment = |f: f64| -> usize {
            let target = f.clamp(0.0, 1.0) * total;
            let mut acc = 0.0;
            for (i, &l) in lens.iter().enumerate() {
                if acc + l >= target {
                    return i;
                }
                acc += l;
            }
            lens.len() - 1
        };
        let (ia, ib) = (segment(a), segment(b));
        Some(ids[ia..=ib.max(ia) + 1].to_vec())
    }

    /// The main OSM tags of edge `e`'s way (`None` without OSM data).
    pub fn edge_tags(&self, e: EdgeId) -> Option<EdgeTags> {
        let osm = self.osm.as_ref()?;
        let g = (self.geom.get(e.index())? & !GEOM_REVERSED) as usize;
        let maxspeed_kmh = match *osm.maxspeed.get(g)? {
            0 => None,
            MAXSPEED_NONE => Some(f64::INFINITY),
            k => Some(k as f64),
        };
        let lanes = Some(*osm.lanes.get(g)?).filter(|&l| l > 0);
        Some(EdgeTags {
            maxspeed_kmh,
            lanes,
        })
    }

    /// The OSM ids of an edge's stored geometry (in stored order).
    fn geometry_osm_nodes(&self, e: EdgeId) -> Option<&[u64]> {
        let osm = self.osm.as_ref()?;
        let g = (self.geom.get(e.index())? & !GEOM_REVERSED) as usize;
        let (a, b) = (self.geom_first[g] as usize, self.geom_first[g + 1] as usize);
        osm.geom_node_ids.get(a..b)
    }
}

/// Checks that the OSM arrays match the graph's sizes.
pub(crate) fn valid(osm: &OsmData, g: &RoadGraph) -> bool {
    let ng = g.num_geometries();
    osm.node_ids.len() == g.coords.len()
        && osm.geom_node_ids.len() == g.geom_coords.len()
        && osm.way_ids.len() == ng
        && osm.maxspeed.len() == ng
        && osm.lanes.len() == ng
}
