//! Matrix step: turn-aware durations and distances from every location's exit to every
//! location's entry, the either-side fallback for unreachable kerbside stops, and the
//! planner's matrix over the stops the trucks can serve.

use kerb_core::{Approach, Graph, Matrix};

use super::locations::{Location, LocationTable};
use crate::day::CollectionDay;
use crate::plan::{Direction, Service, UnassignedBin};
use crate::Error;

/// Travel time and distance standing in for "no route" in the planner's matrix: more than any
/// shift, so such a pair is never chained.
const UNREACHABLE: f64 = 1e9;

/// The planner's matrix over `table`. A kerbside bin that turn restrictions and the
/// no-U-turn rule make unreachable is served from either side instead (the matrix
/// recomputed); stops still unreachable from a depot, or with no way on to a disposal
/// site, leave the table and join `unassigned`.
pub(super) fn planner_matrix(
    graph: &Graph,
    day: &CollectionDay,
    table: &mut LocationTable,
    unassigned: &mut Vec<UnassignedBin>,
) -> Result<kerb_plan::Matrix, Error> {
    let mut m = graph.matrix(&table.exits(), &table.entries())?;
    let usable = |m: &Matrix, table: &LocationTable, l: usize| {
        let n = m.num_destinations;
        table.depots().any(|d| m.durations_s[d * n + l].is_finite())
            && table.sinks().any(|f| m.durations_s[l * n + f].is_finite())
    };
    let mut changed = Vec::new();
    for l in table.stops() {
        let kerbside = matches!(table.get(l), Location::Bin(b) if b.service == Service::Kerbside);
        if kerbside && !usable(&m, table, l) {
            if let Location::Bin(b) = table.get_mut(l) {
                b.service = Service::EitherSide;
                b.waypoint.approach = Approach::Unrestricted;
            }
            changed.push(l);
        }
    }
    if !changed.is_empty() {
        m = graph.matrix(&table.exits(), &table.entries())?;
    }
    let keep: Vec<usize> = (0..table.len())
        .filter(|&l| l < table.first_stop() || usable(&m, table, l))
        .collect();
    let unreachable =
        "the truck cannot reach it from the depot, or cannot get from it to a disposal site";
    let (bins, passes) = table.retain_stops(|l| keep.binary_search(&l).is_ok());
    unassigned.extend(bins.into_iter().map(|b| UnassignedBin {
        id: day.bins[b.bin].id.clone(),
        reason: unreachable.into(),
    }));
    unassigned.extend(passes.into_iter().map(|p| UnassignedBin {
        id: day.streets[p.street].id.clone(),
        reason: format!("{} pass: {unreachable}", Direction::from_forward(p.forward)),
    }));
    // Pairs with no route at all get a travel time no shift can absorb, so the planner never
    // chains them.
    let (size, n) = (keep.len(), m.num_destinations);
    let mut durations = Vec::with_capacity(size * size);
    let mut distances = Vec::with_capacity(size * size);
    for &i in &keep {
        for &j in &keep {
            let (t, d) = (m.durations_s[i * n + j], m.distances_m[i * n + j]);
            durations.push(if t.is_finite() { t } else { UNREACHABLE });
            distances.push(if d.is_finite() { d } else { UNREACHABLE });
        }
    }
    Ok(kerb_plan::Matrix::new(size, durations, distances)?)
}
