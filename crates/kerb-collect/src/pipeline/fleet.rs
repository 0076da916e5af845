//! Mixed fleets: the day seen by each routing profile its trucks name (snapped on that
//! profile's graph, its own planner matrix), merged into one location table for the planner
//! with one matrix per profile (VROOM's one routing profile per vehicle). A stop that a
//! profile cannot serve (no road it may use near the bin, or no way there from a depot) is
//! unreachable in that profile's matrix, so only the trucks that can reach it get it.

use std::collections::HashMap;

use kerb_core::{Graph, GraphSet, SearchFilter};

use super::locations::{Location, LocationTable};
use super::matrix::{planner_matrix, UNREACHABLE};
use super::snap::{snap_day, SnappedDay};
use crate::day::CollectionDay;
use crate::plan::{Direction, UnassignedBin};
use crate::Error;

/// The distinct profiles the trucks name, in first-use order (`None`: the default graph),
/// and for each truck of `day.trucks` the index of its profile in that list.
pub(super) fn truck_profiles(day: &CollectionDay) -> (Vec<Option<String>>, Vec<usize>) {
    let mut names: Vec<Option<String>> = Vec::new();
    let of_truck = day
        .trucks
        .iter()
        .map(|t| match names.iter().position(|n| *n == t.profile) {
            Some(k) => k,
            None => {
                names.push(t.profile.clone());
                names.len() - 1
            }
        })
        .collect();
    (names, of_truck)
}

/// The day on one profile's graph.
pub(super) struct ProfileView<'g> {
    /// The graph the profile's trucks drive on.
    pub graph: &'g Graph,
    /// The day's locations on it, after the matrix step dropped what it cannot serve.
    pub table: LocationTable,
    /// Stops this profile cannot serve, with why.
    pub unassigned: Vec<UnassignedBin>,
    /// Per location of the merged table: its index in `table`, if the profile serves it.
    pub local: Vec<Option<usize>>,
    /// The planner matrix over `table`.
    matrix: kerb_plan::Matrix,
}

/// A stop's identity across profiles: the bin, or the street and direction of a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum StopKey {
    Bin(usize),
    Pass { street: usize, forward: bool },
}

fn stop_key(location: &Location) -> Option<StopKey> {
    match location {
        Location::Bin(b) => Some(StopKey::Bin(b.bin)),
        Location::StreetPass(p) => Some(StopKey::Pass {
            street: p.street,
            forward: p.forward,
        }),
        Location::Depot { .. } | Location::DisposalSite { .. } => None,
    }
}

/// The day snapped on every profile's graph: one [`SnappedDay`] per profile, in order.
pub(super) fn snap_fleet<'g>(
    graphs: &GraphSet<'g>,
    profiles: &[Option<String>],
    day: &CollectionDay,
) -> Result<Vec<(&'g Graph, SnappedDay)>, Error> {
    profiles
        .iter()
        .map(|p| {
            let graph = graphs.get(p.as_deref())?;
            Ok((graph, snap_day(graph, day)?))
        })
        .collect()
}

/// The matrix step on each profile's snapped day.
///
/// With the day's date, each profile's matrix is for its trucks leaving at the earliest of
/// their shift starts (one matrix per profile, as the planner takes one per vehicle profile):
/// the graph's conditional rules apply to each road at the time a truck leaving any stop
/// then would reach it.
pub(super) fn profile_views<'g>(
    snapped: Vec<(&'g Graph, SnappedDay)>,
    profiles: &[Option<String>],
    day: &CollectionDay,
) -> Result<Vec<ProfileView<'g>>, Error> {
    snapped
        .into_iter()
        .zip(profiles)
        .map(|((graph, mut snapped), profile)| {
            let mut unassigned = std::mem::take(&mut snapped.unassigned);
            let mut table = LocationTable::new(snapped);
            let shift_start = day
                .trucks
                .iter()
                .filter(|t| &t.profile == profile)
                .map(|t| t.shift[0].0)
                .fold(f64::INFINITY, f64::min);
            let filter = match day.departure(shift_start.min(86_400.0 * 7.0))? {
                Some(t) => SearchFilter::default().departing_at(t),
                None => SearchFilter::default(),
            };
            let matrix = planner_matrix(graph, day, &mut table, &mut unassigned, &filter)?;
            Ok(ProfileView {
                graph,
                table,
                unassigned,
                local: Vec::new(),
                matrix,
            })
        })
        .collect()
}

/// The planner's view of the whole fleet.
pub(super) struct Merged {
    /// Every stop some profile can serve (depots and disposal sites as the first profile
    /// snapped them, each stop as the first profile that serves it has it).
    pub table: LocationTable,
    /// One matrix over `table` per profile, in profile order.
    pub matrices: Vec<kerb_plan::Matrix>,
    /// The stops no profile can serve, with the first profile's reason.
    pub unassigned: Vec<UnassignedBin>,
}

/// Merges the profiles' views (filling in each view's `local` map). With one profile this is
/// that profile's table and matrix as they are.
pub(super) fn merge(views: &mut [ProfileView<'_>], day: &CollectionDay) -> Result<Merged, Error> {
    let Some(first) = views.first() else {
        return Err(Error::InvalidInput("at least one truck is required".into()));
    };
    if views.len() == 1 {
        let view = &mut views[0];
        view.local = (0..view.table.len()).map(Some).collect();
        return Ok(Merged {
            table: view.table.clone(),
            matrices: vec![view.matrix.clone()],
            unassigned: std::mem::take(&mut view.unassigned),
        });
    }
    // Every stop some profile serves, in key order (bins before passes, as the table wants),
    // with the view that has it first.
    let mut owner: std::collections::BTreeMap<StopKey, (usize, usize)> = Default::default();
    for (v, view) in views.iter().enumerate() {
        for l in view.table.stops() {
            if let Some(key) = stop_key(view.table.get(l)) {
                owner.entry(key).or_insert((v, l));
            }
        }
    }
    let first_stop = first.table.first_stop();
    let mut snapped = SnappedDay {
        depots: Vec::new(),
        disposal_sites: Vec::new(),
        bins: Vec::new(),
        passes: Vec::new(),
        unassigned: Vec::new(),
    };
    for l in 0..first_stop {
        match first.table.get(l) {
            Location::Depot { waypoint, .. } => snapped.depots.push(waypoint.clone()),
            Location::DisposalSite { waypoint, .. } => {
                snapped.disposal_sites.push(waypoint.clone())
            }
            Location::Bin(_) | Location::StreetPass(_) => {}
        }
    }
    for &(v, l) in owner.values() {
        match views[v].table.get(l) {
            Location::Bin(b) => snapped.bins.push(b.clone()),
            Location::StreetPass(p) => snapped.passes.push(p.clone()),
            Location::Depot { .. } | Location::DisposalSite { .. } => {}
        }
    }
    let table = LocationTable::new(snapped);
    let keys: Vec<Option<StopKey>> = (0..table.len()).map(|l| stop_key(table.get(l))).collect();
    let n = table.len();
    let mut matrices = Vec::with_capacity(views.len());
    for view in views.iter_mut() {
        let by_key: HashMap<StopKey, usize> = view
            .table
            .stops()
            .filter_map(|l| stop_key(view.table.get(l)).map(|k| (k, l)))
            .collect();
        view.local = keys
            .iter()
            .enumerate()
            .map(|(l, key)| match key {
                None => Some(l),
                Some(k) => by_key.get(k).copied(),
            })
            .collect();
        let mut durations = vec![UNREACHABLE; n * n];
        let mut distances = vec![UNREACHABLE; n * n];
        for (i, li) in view.local.iter().enumerate() {
            let Some(li) = *li else { continue };
            for (j, lj) in view.local.iter().enumerate() {
                let Some(lj) = *lj else { continue };
                durations[i * n + j] = view.matrix.duration(li, lj);
                distances[i * n + j] = view.matrix.distance(li, lj);
            }
        }
        matrices.push(kerb_plan::Matrix::new(n, durations, distances)?);
    }
    // A stop no profile serves is in the first profile's list (it cannot serve it either).
    let kept: Vec<StopKey> = owner.keys().copied().collect();
    let unassigned = std::mem::take(&mut views[0].unassigned)
        .into_iter()
        .filter(|u| !kept.iter().any(|&k| is_entry_of(u, k, day)))
        .collect();
    Ok(Merged {
        table,
        matrices,
        unassigned,
    })
}

/// Whether the unassigned entry `u` is about stop `key`: a bin by its id, a street pass by
/// its street's id and, when the entry names one, its direction.
fn is_entry_of(u: &UnassignedBin, key: StopKey, day: &CollectionDay) -> bool {
    match key {
        StopKey::Bin(b) => day.bins[b].id == u.id,
        StopKey::Pass { street, forward } => {
            day.streets[street].id == u.id
                && !u
                    .reason
                    .starts_with(&format!("{} pass:", Direction::from_forward(!forward)))
        }
    }
}
