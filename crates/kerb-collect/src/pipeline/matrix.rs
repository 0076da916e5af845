//! Matrix step: turn-aware durations and distances from every location's exit to every
//! location's entry, the either-side fallback for unreachable kerbside stops, and the
//! planner's matrix over the stops the trucks can serve.

use kerb_core::{Approach, Graph, Matrix, SearchFilter, Waypoint};

use super::locations::{Location, LocationTable};
use crate::day::CollectionDay;
use crate::plan::{Direction, Service, UnassignedBin};
use crate::Error;

/// Travel time and distance standing in for "no route" in the planner's matrix: more than any
/// shift, so such a pair is never chained.
pub(super) const UNREACHABLE: f64 = 1e9;

/// The planner's matrix over `table`, under `filter` (the departure time of the profile's
/// trucks, when the day has a date; else empty: the hierarchy's matrix). A kerbside bin that turn restrictions and the
/// no-U-turn rule make unreachable is served from either side instead (its row and column
/// recomputed); stops still unreachable from a depot, or with no way on to a disposal
/// site, leave the table and join `unassigned`.
pub(super) fn planner_matrix(
    graph: &Graph,
    day: &CollectionDay,
    table: &mut LocationTable,
    unassigned: &mut Vec<UnassignedBin>,
    filter: &SearchFilter,
) -> Result<kerb_plan::Matrix, Error> {
    let mut m = graph.matrix_filtered(&table.exits(), &table.entries(), filter)?;
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
        recompute(
            graph,
            &mut m,
            &table.exits(),
            &table.entries(),
            &changed,
            filter,
        )?;
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

/// Recomputes the rows and columns of the `changed` locations of the square matrix `m`
/// (from `exits` to `entries`) after their waypoints changed: two thin matrices instead of
/// the whole one.
fn recompute(
    graph: &Graph,
    m: &mut Matrix,
    exits: &[Waypoint],
    entries: &[Waypoint],
    changed: &[usize],
    filter: &SearchFilter,
) -> Result<(), Error> {
    let n = m.num_destinations;
    let pick =
        |all: &[Waypoint]| -> Vec<Waypoint> { changed.iter().map(|&l| all[l].clone()).collect() };
    let rows = graph.matrix_filtered(&pick(exits), entries, filter)?;
    let columns = graph.matrix_filtered(exits, &pick(entries), filter)?;
    let k = changed.len();
    for (r, &l) in changed.iter().enumerate() {
        m.durations_s[l * n..(l + 1) * n].copy_from_slice(&rows.durations_s[r * n..(r + 1) * n]);
        m.distances_m[l * n..(l + 1) * n].copy_from_slice(&rows.distances_m[r * n..(r + 1) * n]);
    }
    for i in 0..m.num_sources {
        for (c, &l) in changed.iter().enumerate() {
            m.durations_s[i * n + l] = columns.durations_s[i * k + c];
            m.distances_m[i * n + l] = columns.distances_m[i * k + c];
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::sample_day_with_streets;
    use crate::pipeline::snap::snap_day;
    use kerb_core::{GraphBuilder, Profile};

    /// What the fallback does to a kerbside bin, done to every third one: the patched matrix
    /// must equal the matrix computed afresh, cell for cell, with the contraction hierarchy
    /// (as `kerb build` writes graphs) and without.
    #[test]
    fn recomputed_rows_and_columns_equal_the_full_matrix() {
        let pbf = kerb_testdata::helsinki_pbf();
        for contract in [false, true] {
            let graph = GraphBuilder::new(&Profile::truck())
                .contract(contract)
                .build_from_pbf(&pbf)
                .unwrap();
            let day = sample_day_with_streets(&graph, 80, 4, 2, 11);
            let mut table = LocationTable::new(snap_day(&graph, &day).unwrap());
            assert!(table.passes().count() > 0, "street passes take part");
            let mut m = graph.matrix(&table.exits(), &table.entries()).unwrap();
            let changed: Vec<usize> = table
                .stops()
                .filter(
                    |&l| matches!(table.get(l), Location::Bin(b) if b.service == Service::Kerbside),
                )
                .step_by(3)
                .collect();
            assert!(
                changed.len() >= 5,
                "{} kerbside bins changed",
                changed.len()
            );
            for &l in &changed {
                if let Location::Bin(b) = table.get_mut(l) {
                    b.service = Service::EitherSide;
                    b.waypoint.approach = Approach::Unrestricted;
                }
            }
            let stale = m.clone();
            recompute(
                &graph,
                &mut m,
                &table.exits(),
                &table.entries(),
                &changed,
                &SearchFilter::default(),
            )
            .unwrap();
            let full = graph.matrix(&table.exits(), &table.entries()).unwrap();
            assert_ne!(
                stale.durations_s, full.durations_s,
                "the approach must matter"
            );
            assert_eq!(m.durations_s, full.durations_s, "contracted: {contract}");
            assert_eq!(m.distances_m, full.distances_m, "contracted: {contract}");
        }
    }
}
