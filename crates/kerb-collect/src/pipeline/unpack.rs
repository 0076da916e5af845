//! Unpack step: the planner's solution back onto the roads: each truck's stops with their
//! kinds, road geometry through every stop (a street pass from its entry to its exit) and
//! the side of the truck each bin is on.

use kerb_core::{EdgeId, Graph, LocalNames, Point, SearchFilter, ViaRule, Waypoint};
use kerb_plan::{Solution, StepKind};

use super::fleet::ProfileView;
use super::locations::{End, Location, LocationTable};
use super::problem::PlannerProblem;
use super::snap::is_right_of;
use crate::day::CollectionDay;
use crate::plan::{Direction, Stop, StopKind, TruckRoute, TruckSide, UnassignedBin};
use crate::Error;

/// The routes of a solution and which stops they serve.
pub(super) struct Unpacked {
    /// One route per truck used, in the planner's order.
    pub routes: Vec<TruckRoute>,
    /// Per stop of the table (bins, then passes): served by some route.
    pub served: Vec<bool>,
}

/// The name of the street of edge `e`, in `language` where it is tagged (`name:xx`), else its
/// `name` (or `ref`); `None` for an unnamed road.
fn street_name(
    graph: &Graph,
    names: &LocalNames,
    e: EdgeId,
    language: Option<&str>,
) -> Option<String> {
    let name = match language {
        Some(lang) => names.edge_name(graph.road(), e, lang),
        None => graph.road().edge(e).name,
    };
    (!name.is_empty()).then(|| name.to_string())
}

/// Unpacks `solution` of `planned` (built over the merged `table`), each truck's route on
/// the graph of its profile (`views[planned.vehicle_profiles[vehicle]]`); the jobs the
/// planner left out are appended to `unassigned`.
pub(super) fn unpack(
    views: &[ProfileView<'_>],
    day: &CollectionDay,
    table: &LocationTable,
    planned: &PlannerProblem,
    solution: &Solution,
    unassigned: &mut Vec<UnassignedBin>,
) -> Result<Unpacked, Error> {
    let first_stop = table.first_stop();
    let stop_id = |location: &Location| match location {
        Location::Bin(b) => day.bins[b.bin].id.clone(),
        Location::StreetPass(p) => day.streets[p.street].id.clone(),
        Location::Depot { depot, .. } => day.depots[*depot].id.clone(),
        Location::DisposalSite { site, .. } => day.disposal_sites[*site].id.clone(),
    };
    for u in &solution.unassigned {
        unassigned.push(UnassignedBin {
            id: stop_id(table.get(first_stop + u.job)),
            reason: u.reason.to_string(),
        });
    }
    let mut routes = Vec::new();
    let mut served = vec![false; table.stops().len()];
    let language = day.options.language.as_deref();
    // Street-name translations per profile graph, read only when a language is asked for.
    let local_names = views
        .iter()
        .map(|v| match language {
            Some(_) => v.graph.road().local_names(),
            None => Ok(LocalNames::default()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    for r in &solution.routes {
        let view = &views[planned.vehicle_profiles[r.vehicle]];
        let graph = view.graph;
        let names = &local_names[planned.vehicle_profiles[r.vehicle]];
        // A location of the merged table as this truck's profile has it.
        let local = |l: usize| -> Result<&Location, Error> {
            view.local[l].map(|k| view.table.get(k)).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "truck {}: planned at a stop its profile cannot reach",
                    planned.truck_names[r.vehicle]
                ))
            })
        };
        let mut stops = Vec::new();
        // The waypoints the truck drives through, each with the stop it reaches there
        // (entries of passes and every other located stop; a pass's exit reaches none).
        let mut path: Vec<(usize, End, Option<usize>)> = Vec::new();
        let mut disposal_trips = 0;
        for step in &r.steps {
            let load = [
                step.load.first().copied().unwrap_or(0) as f64,
                if planned.use_volume {
                    step.load.get(1).copied().unwrap_or(0) as f64
                } else {
                    0.0
                },
            ];
            let (kind, id, service, direction) = match step.kind {
                StepKind::Start | StepKind::End => (
                    if step.kind == StepKind::Start {
                        StopKind::Start
                    } else {
                        StopKind::End
                    },
                    step.location
                        .map(|l| table.get(l))
                        .filter(|l| matches!(l, Location::Depot { .. }))
                        .map(stop_id)
                        .unwrap_or_default(),
                    None,
                    None,
                ),
                StepKind::Job { job } => {
                    served[job] = true;
                    let location = local(first_stop + job)?;
                    match location {
                        Location::Bin(b) => {
                            (StopKind::Bin, stop_id(location), Some(b.service), None)
                        }
                        Location::StreetPass(p) => (
                            StopKind::Street,
                            stop_id(location),
                            None,
                            Some(Direction::from_forward(p.forward)),
                        ),
                        Location::Depot { .. } | Location::DisposalSite { .. } => {
                            (StopKind::Other, String::new(), None, None)
                        }
                    }
                }
                StepKind::Disposal { facility } => {
                    disposal_trips += 1;
                    (
                        StopKind::Disposal,
                        day.disposal_sites[facility].id.clone(),
                        None,
                        None,
                    )
                }
                StepKind::Break { .. } => (StopKind::Break, String::new(), None, None),
                _ => (StopKind::Other, String::new(), None, None),
            };
            let (location, street) = match step.location {
                Some(l) => {
                    let snap = &local(l)?.waypoint(End::Entry).snap;
                    let p = snap.point;
                    (
                        Some([p.x(), p.y()]),
                        street_name(graph, names, snap.edge, language),
                    )
                }
                None => (None, None),
            };
            if let Some(l) = step.location {
                if path
                    .last()
                    .is_none_or(|&(w, end, _)| (w, end) != (l, End::Entry))
                {
                    path.push((l, End::Entry, Some(stops.len())));
                }
                if matches!(table.get(l), Location::StreetPass(_)) {
                    path.push((l, End::Exit, None));
                }
            }
            stops.push(Stop {
                kind,
                id,
                location,
                arrival_s: step.arrival,
                departure_s: step.departure,
                load,
                service,
                truck_side: None,
                direction,
                street,
            });
        }
        let (mut geometry, mut distance_m, mut driving_s) = (Vec::new(), 0.0, 0.0);
        if path.len() >= 2 {
            let waypoints: Vec<Waypoint> = path
                .iter()
                .map(|&(l, end, _)| Ok(local(l)?.waypoint(end).clone()))
                .collect::<Result<_, Error>>()?;
            // With the day's date, the roads' conditional rules as the truck drives them, from
            // the time it leaves its first location.
            let leaves_s = r.steps.first().map_or(0.0, |s| s.departure);
            let filter = match day.departure(leaves_s)? {
                Some(t) => SearchFilter::default().departing_at(t),
                None => SearchFilter::default(),
            };
            let route = graph.route_filtered(&waypoints, ViaRule::Profile, &filter)?;
            geometry = route.geometry.points().map(|p| [p.x(), p.y()]).collect();
            distance_m = route.distance_m;
            driving_s = route.duration_s;
            // Which side of the truck each bin is on, from the last road piece before it.
            for (leg, &(l, _, stop)) in route.legs.iter().zip(&path[1..]) {
                let Some(stop) = stop else { continue };
                if let (StopKind::Bin, Location::Bin(b)) = (stops[stop].kind, local(l)?) {
                    let bin = &day.bins[b.bin];
                    if let Some(seg) = leg.segments.last() {
                        let right = is_right_of(graph, seg.edge, Point::new(bin.lon, bin.lat));
                        stops[stop].truck_side = Some(TruckSide::from_right(right));
                    }
                }
            }
        }
        routes.push(TruckRoute {
            truck: planned.truck_names[r.vehicle].clone(),
            stops,
            distance_m,
            driving_s,
            working_s: r.working_time,
            disposal_trips,
            geometry,
        });
    }
    Ok(Unpacked { routes, served })
}
