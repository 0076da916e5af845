//! Duration and distance matrices between snapped positions or nodes.
//!
//! With a contraction hierarchy (see [`Graph::contract`]) matrices use the bucket-based
//! many-to-many algorithm of Knopp et al., parallel with rayon; without one, a turn-aware
//! one-to-many Dijkstra per source (also parallel). Both obey the same turn rules as
//! [`Graph::route`], so every cell equals the duration of the corresponding route.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ch::Seed;
use crate::error::{Error, Result};
use crate::graph::{Graph, NodeId};
use crate::route::Waypoint;
use crate::turn::{self, Access, TurnGraph};

/// A duration and distance matrix, row-major (`sources x destinations`); `f64::INFINITY`
/// marks unreachable pairs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    /// Number of rows.
    pub num_sources: usize,
    /// Number of columns.
    pub num_destinations: usize,
    /// Travel times in seconds (turn penalties included).
    pub durations_s: Vec<f64>,
    /// Travel distances in metres along the fastest path.
    pub distances_m: Vec<f64>,
}

impl Matrix {
    /// Duration from source `i` to destination `j`.
    pub fn duration_s(&self, i: usize, j: usize) -> f64 {
        self.durations_s[i * self.num_destinations + j]
    }

    /// Distance from source `i` to destination `j`.
    pub fn distance_m(&self, i: usize, j: usize) -> f64 {
        self.distances_m[i * self.num_destinations + j]
    }
}

/// Duration and distance of one trip; `f64::INFINITY` for both when unreachable.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripCost {
    /// Travel time in seconds (turn penalties included).
    pub duration_s: f64,
    /// Travel distance in metres along the fastest path.
    pub distance_m: f64,
}

/// One end of a matrix cell as seen by the searches.
struct End {
    accesses: Vec<Access>,
    seeds: Vec<Seed>,
}

impl Graph {
    /// Durations and distances from every source to every destination (snapped positions,
    /// approaches respected).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let o = SnapOptions::default();
    /// let pts = [Point::new(24.9384, 60.1699), Point::new(24.9500, 60.1750)];
    /// let wps: Vec<Waypoint> = pts.iter().map(|&p| Ok(Waypoint::new(g.snap(p, &o)?))).collect::<kerb_core::Result<_>>()?;
    /// let m = g.matrix(&wps, &wps)?;
    /// println!("{} s", m.duration_s(0, 1));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn matrix(&self, sources: &[Waypoint], destinations: &[Waypoint]) -> Result<Matrix> {
        for w in sources.iter().chain(destinations) {
            self.check_waypoint(w)?;
        }
        let tg = &self.routing().turns;
        let src: Vec<End> = sources
            .iter()
            .map(|w| {
                let accesses = turn::accesses(self, w);
                let seeds = turn::source_seeds(tg, &accesses).0;
                End { accesses, seeds }
            })
            .collect();
        let dst: Vec<End> = destinations
            .iter()
            .map(|w| {
                let accesses = turn::accesses(self, w);
                let seeds = turn::target_seeds(tg, &accesses);
                End { accesses, seeds }
            })
            .collect();
        Ok(self.matrix_of(tg, &src, &dst))
    }

    /// Durations and distances of independent trips `sources[i] -> destinations[i]`
    /// (one-to-one, like pandana's `shortest_path_lengths`), computed in parallel; each equals
    /// the duration and distance of [`Graph::route`] between the two waypoints.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let w = |x, y| -> kerb_core::Result<Waypoint> {
    ///     Ok(Waypoint::new(g.snap(Point::new(x, y), &SnapOptions::default())?))
    /// };
    /// let from = [w(24.9384, 60.1699)?, w(24.9500, 60.1750)?];
    /// let to = [w(24.9500, 60.1750)?, w(24.9384, 60.1699)?];
    /// for c in g.pairwise(&from, &to)? {
    ///     println!("{:.0} s, {:.0} m", c.duration_s, c.distance_m);
    /// }
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn pairwise(
        &self,
        sources: &[Waypoint],
        destinations: &[Waypoint],
    ) -> Result<Vec<TripCost>> {
        if sources.len() != destinations.len() {
            return Err(Error::InvalidInput(format!(
                "pairwise needs as many sources as destinations, got {} and {}",
                sources.len(),
                destinations.len()
            )));
        }
        for w in sources.iter().chain(destinations) {
            self.check_waypoint(w)?;
        }
        Ok(sources
            .par_iter()
            .zip(destinations.par_iter())
            .map(|(a, b)| match self.turn_leg(a, b, turn::Algorithm::Auto) {
                Some(segs) => TripCost {
                    duration_s: segs.iter().map(|s| s.duration_s).sum(),
                    distance_m: segs.iter().map(|s| s.distance_m).sum(),
                },
                None => TripCost {
                    duration_s: f64::INFINITY,
                    distance_m: f64::INFINITY,
                },
            })
            .collect())
    }

    /// Durations and distances between nodes (leaving a node by any edge, arriving by any
    /// edge; no turn penalty at the start or end node).
    pub fn matrix_nodes(&self, sources: &[NodeId], destinations: &[NodeId]) -> Result<Matrix> {
        let n = self.num_nodes();
        if let Some(bad) = sources.iter().chain(destinations).find(|v| v.index() >= n) {
            return Err(Error::InvalidInput(format!(
                "node {} out of range (graph has {n})",
                bad.0
            )));
        }
        let tg = &self.routing().turns;
        let (in_first, in_edges) = self.incoming();
        let src: Vec<End> = sources
            .iter()
            .map(|v| {
                let accesses = self
                    .out_edges(*v)
                    .map(|e| Access {
                        edge: e.0,
                        fraction: 0.0,
                    })
                    .collect();
                let seeds = self
                    .out_edges(*v)
                    .map(|e| Seed {
                        node: e.0,
                        weight: tg.edge_weight_ms(e.0),
                        dist: tg.edge_dist_cm(e.0),
                    })
                    .collect();
                End { accesses, seeds }
            })
            .collect();
        let dst: Vec<End> = destinations
            .iter()
            .map(|v| {
                let range = in_first[v.index()] as usize..in_first[v.index() + 1] as usize;
                let accesses: Vec<Access> = in_edges[range]
                    .iter()
                    .map(|&e| Access {
                        edge: e,
                        fraction: 1.0,
                    })
                    .collect();
                let seeds = turn::target_seeds(tg, &accesses);
                End { accesses, seeds }
            })
            .collect();
        let mut m = self.matrix_of(tg, &src, &dst);
        // A node reaches itself at no cost.
        for (i, s) in sources.iter().enumerate() {
            for (j, t) in destinations.iter().enumerate() {
                if s == t {
                    m.durations_s[i * destinations.len() + j] = 0.0;
                    m.distances_m[i * destinations.len() + j] = 0.0;
                }
            }
        }
        Ok(m)
    }

    fn matrix_of(&self, tg: &TurnGraph, src: &[End], dst: &[End]) -> Matrix {
        let (ns, nd) = (src.len(), dst.len());
        let target_seeds: Vec<Vec<Seed>> = dst.iter().map(|d| d.seeds.clone()).collect();
        let cells: Vec<Option<(i64, i64)>> = match &self.routing().ch {
            Some(ch) => {
                let source_seeds: Vec<Vec<Seed>> = src.iter().map(|s| s.seeds.clone()).collect();
                ch.many_to_many(&source_seeds, &target_seeds).cells
            }
            None => src
                .par_iter()
                .flat_map_iter(|s| tg.dijkstra_one_to_many(&s.seeds, &target_seeds))
                .collect(),
        };
        let mut durations_s = Vec::with_capacity(ns * nd);
        let mut distances_m = Vec::with_capacity(ns * nd);
        for (i, s) in src.iter().enumerate() {
            for (j, d) in dst.iter().enumerate() {
                let mut best = cells[i * nd + j];
                if let Some((w, dd, _, _)) = turn::direct(tg, &s.accesses, &d.accesses) {
                    if best.is_none_or(|b| w < b.0) {
                        best = Some((w, dd));
                    }
                }
                match best {
                    Some((w, dd)) => {
                        durations_s.push(w as f64 / 1000.0);
                        distances_m.push(dd as f64 / 100.0);
                    }
                    None => {
                        durations_s.push(f64::INFINITY);
                        distances_m.push(f64::INFINITY);
                    }
                }
            }
        }
        Matrix {
            num_sources: ns,
            num_destinations: nd,
            durations_s,
            distances_m,
        }
    }
}
