//! Custom edge weights: routes and matrices that minimise a cost of the caller's choosing
//! (length, a risk or noise score, a generalised cost) instead of travel time, on the same
//! edge-based graph, so turn restrictions and the profile's U-turn rule still hold.
//!
//! Weights are one number per directed edge, in any unit (OSMnx users pass `length`); a
//! part of an edge costs its fraction of the weight. Turn penalties are seconds, which do
//! not add to another unit, so they are left out; `f64::INFINITY` closes an edge. The
//! searches are integer, like every search here: weights are kept in thousandths of their
//! unit. These queries run on the plain turn-aware Dijkstra (the hierarchy was built for
//! travel times).

use crate::error::{Error, Result};
use crate::turn::TurnGraph;

/// Weights are stored in thousandths of their unit.
const SCALE: f64 = 1000.0;
/// Largest finite weight of one edge: paths must stay below the searches' 32-bit range.
pub const MAX_EDGE_WEIGHT: f64 = 1.0e6;

/// A validated set of custom edge weights over one graph, ready for
/// [`crate::Graph::matrix_weighted`] and [`crate::Graph::route_weighted`] (build once,
/// query many).
#[derive(Clone, Debug)]
pub struct EdgeWeights {
    pub(crate) turns: TurnGraph,
}

impl EdgeWeights {
    /// The turn graph `base` (the graph's allowed turns) with edge costs `weights` (one per
    /// directed edge) and no turn penalties. NaN, negative or too large weights, or a
    /// length other than the number of edges, are [`Error::InvalidInput`] naming the edge.
    pub(crate) fn new(base: &TurnGraph, weights: &[f64]) -> Result<Self> {
        let n = base.num_edges();
        if weights.len() != n {
            return Err(Error::InvalidInput(format!(
                "weights must have one value per directed edge: the graph has {n} edges, got {}",
                weights.len()
            )));
        }
        let mut edge_ms = Vec::with_capacity(n);
        for (e, &w) in weights.iter().enumerate() {
            if w == f64::INFINITY || base.edge_ms[e] == u32::MAX {
                edge_ms.push(u32::MAX);
            } else if (0.0..=MAX_EDGE_WEIGHT).contains(&w) {
                edge_ms.push((w * SCALE).round() as u32);
            } else {
                return Err(Error::InvalidInput(format!(
                    "weight of edge {e} is {w}: weights must be in 0..={MAX_EDGE_WEIGHT} or \
                     inf (closed)"
                )));
            }
        }
        // Copies of via edges (after the edges) cost what their edge costs.
        for node in n..base.num_nodes() {
            edge_ms.push(edge_ms[base.edge_of(node as u32).index()]);
        }
        let mut turns = base.clone();
        turns.edge_ms = edge_ms;
        turns.turn_ms.iter_mut().for_each(|t| *t = 0);
        Ok(EdgeWeights { turns })
    }

    /// Number of directed edges weighted.
    pub fn len(&self) -> usize {
        self.turns.num_edges()
    }

    /// Whether the graph has no edges.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
