//! Accessibility queries in the sense of pandana: for each origin, what lies within a travel
//! budget ([`Graph::aggregate`](crate::Graph::aggregate): the sum, mean, ... of values
//! attached to points) and which points of interest are the nearest by travel time
//! ([`Graph::nearest_pois`](crate::Graph::nearest_pois)).
//!
//! Two ways give the same answer (a test holds them to it): on a contracted graph with up to
//! [`MATRIX_MAX_POINTS`] points, rows of the many-to-many matrix (the contraction
//! hierarchy's bucket search, in chunks of origins so memory stays bounded); otherwise one
//! bounded turn-aware Dijkstra per origin (the search behind
//! [`Graph::reachable`](crate::Graph::reachable)), where a point counts when the reached part
//! of its edge covers it, in either direction of a two-way road, at the time the search
//! passes it. Turn rules, restrictions and the kerb approach hold either way. Unlike pandana,
//! which assigns points to the nearest graph node, points keep their position along the edge.

use std::collections::HashMap;
use std::str::FromStr;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::graph::RoadGraph;
use crate::isochrone;
use crate::matrix;
use crate::route::{Network, Waypoint};
use crate::snap::Snap;
use crate::turn::TurnGraph;

/// Up to this many points, a contracted graph answers from matrix rows.
pub const MATRIX_MAX_POINTS: usize = 200_000;
/// Cells of one chunk of matrix rows (origins x points): 4 M cells, ~100 MB while computed.
const CHUNK_CELLS: usize = 4 << 20;

/// Per origin, the points reached within `max` with their times: from matrix rows on a
/// contracted graph, else from bounded searches; `pick` reduces each origin's list.
fn per_origin<T: Send>(
    net: Network<'_>,
    origins: &[Waypoint],
    points: &[Snap],
    max: f64,
    pick: impl Fn(Vec<(u32, f64)>) -> T + Sync,
) -> Result<Vec<T>> {
    if !(max.is_finite() && max > 0.0) {
        return Err(Error::InvalidInput(format!(
            "the travel budget must be positive and finite, got {max}"
        )));
    }
    if net.ch.is_some() && points.len() <= MATRIX_MAX_POINTS {
        let targets: Vec<Waypoint> = points.iter().cloned().map(Waypoint::new).collect();
        let rows = (CHUNK_CELLS / points.len().max(1)).clamp(1, origins.len().max(1));
        let mut out = Vec::with_capacity(origins.len());
        for chunk in origins.chunks(rows) {
            let m = matrix::matrix(net, chunk, &targets)?;
            let picked: Vec<T> = (0..chunk.len())
                .into_par_iter()
                .map(|i| {
                    let row = &m.durations_s[i * targets.len()..(i + 1) * targets.len()];
                    pick(
                        row.iter()
                            .enumerate()
                            .filter(|(_, &t)| t <= max)
                            .map(|(j, &t)| (j as u32, t))
                            .collect(),
                    )
                })
                .collect();
            out.extend(picked);
        }
        return Ok(out);
    }
    let index = PointIndex::new(net.road, points);
    origins
        .par_iter()
        .map(|o| Ok(pick(reached_points(net.road, net.turns, o, max, &index)?)))
        .collect()
}

/// How [`Graph::aggregate`](crate::Graph::aggregate) combines the values within reach
/// (pandana's `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// Sum of the values (0 when none is in reach).
    Sum,
    /// Number of points in reach (values ignored).
    Count,
    /// Arithmetic mean (NaN when none is in reach).
    Mean,
    /// Smallest value (NaN when none).
    Min,
    /// Largest value (NaN when none).
    Max,
    /// Population standard deviation (NaN when none).
    Std,
    /// Median (NaN when none).
    Median,
}

impl FromStr for Aggregation {
    type Err = Error;

    /// `sum`, `count`, `mean` (or pandana's `ave`), `min`, `max`, `std`, `median`.
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "sum" => Aggregation::Sum,
            "count" => Aggregation::Count,
            "mean" | "ave" | "avg" => Aggregation::Mean,
            "min" => Aggregation::Min,
            "max" => Aggregation::Max,
            "std" => Aggregation::Std,
            "median" => Aggregation::Median,
            other => {
                return Err(Error::InvalidInput(format!(
                    "aggregation must be one of sum, count, mean, min, max, std, median; got \
                     {other:?}"
                )))
            }
        })
    }
}

impl Aggregation {
    /// Combines `values` (in any order).
    pub fn apply(self, values: &mut [f64]) -> f64 {
        let n = values.len() as f64;
        if values.is_empty() {
            return match self {
                Aggregation::Sum | Aggregation::Count => 0.0,
                _ => f64::NAN,
            };
        }
        match self {
            Aggregation::Sum => values.iter().sum(),
            Aggregation::Count => n,
            Aggregation::Mean => values.iter().sum::<f64>() / n,
            Aggregation::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
            Aggregation::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Aggregation::Std => {
                let mean = values.iter().sum::<f64>() / n;
                (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
            }
            Aggregation::Median => {
                values.sort_by(f64::total_cmp);
                let m = values.len() / 2;
                if values.len() % 2 == 1 {
                    values[m]
                } else {
                    (values[m - 1] + values[m]) / 2.0
                }
            }
        }
    }
}

/// Points by the directed edges that pass them: a point snapped at fraction `f` of edge `e`
/// is also at `1 - f` of the reverse edge.
pub(crate) struct PointIndex {
    by_edge: HashMap<u32, Vec<(f64, u32)>>,
}

impl PointIndex {
    pub(crate) fn new(road: &RoadGraph, points: &[Snap]) -> Self {
        let mut by_edge: HashMap<u32, Vec<(f64, u32)>> = HashMap::new();
        for (i, s) in points.iter().enumerate() {
            by_edge
                .entry(s.edge.0)
                .or_default()
                .push((s.fraction, i as u32));
            if let Some(r) = road.reverse_edge(s.edge) {
                by_edge
                    .entry(r.0)
                    .or_default()
                    .push((1.0 - s.fraction, i as u32));
            }
        }
        PointIndex { by_edge }
    }
}

/// Every indexed point reached from `origin` within `max` (the turn graph's unit: seconds,
/// or a custom weight), with the earliest time it is passed, in no particular order.
pub(crate) fn reached_points(
    road: &RoadGraph,
    turns: &TurnGraph,
    origin: &Waypoint,
    max: f64,
    index: &PointIndex,
) -> Result<Vec<(u32, f64)>> {
    let mut best: HashMap<u32, f64> = HashMap::new();
    for r in isochrone::reachable(road, turns, origin, max)? {
        let Some(list) = index.by_edge.get(&r.edge.0) else {
            continue;
        };
        let span = r.to_fraction - r.from_fraction;
        for &(f, i) in list {
            // A tolerance for points snapped exactly where the reached piece starts or ends.
            if f < r.from_fraction - 1e-9 || f > r.to_fraction + 1e-9 {
                continue;
            }
            let t = if span > 0.0 {
                r.start_s + (f - r.from_fraction).max(0.0) / span * (r.end_s - r.start_s)
            } else {
                r.start_s
            };
            if t <= max {
                let e = best.entry(i).or_insert(f64::INFINITY);
                *e = e.min(t);
            }
        }
    }
    Ok(best.into_iter().collect())
}

/// Aggregate of `values[i]` over the points reached from each origin within `max`.
pub(crate) fn aggregate(
    net: Network<'_>,
    origins: &[Waypoint],
    points: &[Snap],
    values: &[f64],
    max: f64,
    how: Aggregation,
) -> Result<Vec<f64>> {
    if values.len() != points.len() {
        return Err(Error::InvalidInput(format!(
            "aggregate needs one value per point: {} points, {} values",
            points.len(),
            values.len()
        )));
    }
    per_origin(net, origins, points, max, |reached| {
        let mut v: Vec<f64> = reached.iter().map(|&(i, _)| values[i as usize]).collect();
        how.apply(&mut v)
    })
}

/// The `k` points of interest reached first from each origin within `max`: `(poi index,
/// time)`, nearest first (ties by index).
pub(crate) fn nearest_pois(
    net: Network<'_>,
    origins: &[Waypoint],
    pois: &[Snap],
    k: usize,
    max: f64,
) -> Result<Vec<Vec<(usize, f64)>>> {
    if k == 0 {
        return Err(Error::InvalidInput("k must be at least 1".into()));
    }
    per_origin(net, origins, pois, max, |mut reached| {
        reached.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        reached.truncate(k);
        reached.into_iter().map(|(i, t)| (i as usize, t)).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregations() {
        let v = [3.0, 1.0, 2.0, 6.0];
        let f = |a: Aggregation| a.apply(&mut v.clone());
        assert_eq!(f(Aggregation::Sum), 12.0);
        assert_eq!(f(Aggregation::Count), 4.0);
        assert_eq!(f(Aggregation::Mean), 3.0);
        assert_eq!(f(Aggregation::Min), 1.0);
        assert_eq!(f(Aggregation::Max), 6.0);
        assert_eq!(f(Aggregation::Median), 2.5);
        assert!((f(Aggregation::Std) - 3.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(Aggregation::Sum.apply(&mut []), 0.0);
        assert!(Aggregation::Mean.apply(&mut []).is_nan());
        assert_eq!("ave".parse::<Aggregation>().unwrap(), Aggregation::Mean);
        assert!("avg_".parse::<Aggregation>().is_err());
    }
}
