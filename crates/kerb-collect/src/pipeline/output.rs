//! Output step: the [`CollectionPlan`] from the unpacked routes, with totals over them and
//! the bins and streets left out.

use std::collections::HashSet;

use super::locations::{Location, LocationTable};
use super::unpack::Unpacked;
use crate::day::CollectionDay;
use crate::plan::{CollectionPlan, StopKind, Timings, Totals, UnassignedBin};

/// The plan of `day`: `unpacked` routes over `table`, `unassigned` bins and streets.
pub(super) fn collection_plan(
    day: &CollectionDay,
    table: &LocationTable,
    unpacked: Unpacked,
    unassigned: Vec<UnassignedBin>,
    timings: Timings,
) -> CollectionPlan {
    let Unpacked { routes, served } = unpacked;
    let mut totals = Totals::default();
    for r in &routes {
        for s in &r.stops {
            match s.kind {
                StopKind::Bin => totals.bins_served += 1,
                StopKind::Street => totals.street_passes += 1,
                _ => {}
            }
        }
        totals.trucks_used += 1;
        totals.distance_m += r.distance_m;
        totals.driving_s += r.driving_s;
        totals.disposal_trips += r.disposal_trips;
    }
    // Bins first, then passes, as the sums always ran.
    let stops = || {
        table
            .stops()
            .zip(&served)
            .filter(|&(_, &s)| s)
            .map(|(l, _)| table.get(l))
    };
    for location in stops() {
        if let Location::Bin(b) = location {
            let bin = &day.bins[b.bin];
            totals.collected[0] += bin.weight_kg;
            totals.collected[1] += bin.volume_l;
        }
    }
    for location in stops() {
        if let Location::StreetPass(p) = location {
            let street = &day.streets[p.street];
            totals.collected[0] += street.weight_kg * p.share;
            totals.collected[1] += street.volume_l * p.share;
        }
    }
    let street_ids: HashSet<&str> = day.streets.iter().map(|s| s.id.as_str()).collect();
    let mut streets_out: Vec<&str> = unassigned
        .iter()
        .map(|u| u.id.as_str())
        .filter(|id| street_ids.contains(id))
        .collect();
    streets_out.sort_unstable();
    streets_out.dedup();
    totals.streets_unassigned = streets_out.len();
    totals.bins_unassigned = unassigned.len()
        - unassigned
            .iter()
            .filter(|u| street_ids.contains(u.id.as_str()))
            .count();
    CollectionPlan {
        name: day.name.clone(),
        totals,
        routes,
        unassigned,
        timings,
    }
}
