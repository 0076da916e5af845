//! Duration and distance matrices between snapped positions or nodes, and one-to-one trip
//! costs; free functions over a routing [`Network`], called by the engine.
//!
//! With a contraction hierarchy (see [`Graph::contract`](crate::Graph::contract)) matrices use the bucket-based
//! many-to-many algorithm of Knopp et al., parallel with rayon; without one, a turn-aware
//! one-to-many Dijkstra per source (also parallel). Both obey the same turn rules as
//! [`Graph::route`](crate::Graph::route), so every cell equals the duration of the corresponding route.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ch::Seed;
use crate::error::{Error, Result};
use crate::graph::InEdges;
use crate::ids::NodeId;
use crate::route::{self, check_waypoint, direct, Access, Algorithm, Network, Waypoint};
use crate::search;
use crate::turn::duration_ms;

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

/// Durations and distances from every source to every destination (snapped positions,
/// approaches respected).
pub(crate) fn matrix(
    net: Network<'_>,
    sources: &[Waypoint],
    destinations: &[Waypoint],
) -> Result<Matrix> {
    for w in sources.iter().chain(destinations) {
        check_waypoint(net.road, w)?;
    }
    let tg = net.turns;
    let src: Vec<End> = sources
        .iter()
        .map(|w| {
            let accesses = route::source_accesses(net, w);
            let seeds = route::source_seeds(tg, &accesses).0;
            End { accesses, seeds }
        })
        .collect();
    let dst: Vec<End> = destinations
        .iter()
        .map(|w| {
            let accesses = route::target_accesses(net, w);
            let seeds = route::target_seeds(tg, &accesses).0;
            End { accesses, seeds }
        })
        .collect();
    Ok(matrix_of(net, &src, &dst))
}

/// Durations and distances of independent trips `sources[i] -> destinations[i]`
/// (one-to-one, like pandana's `shortest_path_lengths`), computed in parallel; each equals
/// the duration and distance of a route between the two waypoints.
pub(crate) fn pairwise(
    net: Network<'_>,
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
        check_waypoint(net.road, w)?;
    }
    Ok(sources
        .par_iter()
        .zip(destinations.par_iter())
        .map(|(a, b)| {
            search::with_thread_workspace(|ws| route::turn_leg(net, ws, a, b, Algorithm::Auto))
        })
        .map(|leg| match leg {
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
pub(crate) fn matrix_nodes(
    net: Network<'_>,
    in_edges: &InEdges,
    sources: &[NodeId],
    destinations: &[NodeId],
) -> Result<Matrix> {
    let n = net.road.num_nodes();
    if let Some(bad) = sources.iter().chain(destinations).find(|v| v.index() >= n) {
        return Err(Error::InvalidInput(format!(
            "node {} out of range (graph has {n})",
            bad.0
        )));
    }
    let tg = net.turns;
    let src: Vec<End> = sources
        .iter()
        .map(|v| {
            let accesses = net
                .road
                .out_edges(*v)
                .map(|e| Access {
                    edge: e.0,
                    fraction: 0.0,
                })
                .collect();
            let seeds = net
                .road
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
            let accesses: Vec<Access> = in_edges
                .of(*v)
                .iter()
                .map(|&e| Access {
                    edge: e,
                    fraction: 1.0,
                })
                .collect();
            let seeds = route::target_seeds(tg, &accesses).0;
            End { accesses, seeds }
        })
        .collect();
    let mut m = matrix_of(net, &src, &dst);
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

/// The cells between prepared ends: many-to-many on the hierarchy or one Dijkstra per source,
/// and the direct way along a shared edge where that is faster.
fn matrix_of(net: Network<'_>, src: &[End], dst: &[End]) -> Matrix {
    let tg = net.turns;
    let (ns, nd) = (src.len(), dst.len());
    let target_seeds: Vec<Vec<Seed>> = dst.iter().map(|d| d.seeds.clone()).collect();
    let source_seeds = || -> Vec<Vec<Seed>> { src.iter().map(|s| s.seeds.clone()).collect() };
    let cells: Vec<Option<(i64, i64)>> = match (net.ch, net.cch) {
        (Some(ch), _) => ch.many_to_many(&source_seeds(), &target_seeds).cells,
        (None, Some(cch)) => cch.many_to_many(&source_seeds(), &target_seeds).cells,
        (None, None) => src
            .par_iter()
            .flat_map_iter(|s| {
                search::with_thread_workspace(|ws| {
                    search::dijkstra_one_to_many(
                        tg,
                        &mut ws.dijkstra,
                        &s.seeds,
                        &target_seeds,
                        net.filter(),
                    )
                })
            })
            .collect(),
    };
    let mut durations_s = Vec::with_capacity(ns * nd);
    let mut distances_m = Vec::with_capacity(ns * nd);
    for (i, s) in src.iter().enumerate() {
        for (j, d) in dst.iter().enumerate() {
            let mut best = cells[i * nd + j];
            if let Some((w, dd, _, _)) = direct(tg, &s.accesses, &d.accesses) {
                if best.is_none_or(|b| w < b.0) {
                    best = Some((w, dd));
                }
            }
            match best {
                Some((w, dd)) => {
                    durations_s.push(duration_ms(w) as f64 / 1000.0);
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
