//! The collection pipeline: snap -> matrix -> plan -> geometry.

use std::time::Instant;

use crate::day::{CollectionDay, StreetSide};
use crate::plan::{
    CollectionPlan, Direction, Service, Stop, StopKind, Timings, Totals, TruckRoute, TruckSide,
    UnassignedBin,
};
use crate::streets::{snap_streets, StreetPass};
use crate::Error;
use kerb_core::{Approach, EdgeId, Graph, Point, RoadClass, Snap, SnapOptions, Waypoint};
use kerb_plan::{Facility, Job, Problem, SolveOptions, StepKind, Vehicle, VehicleCosts};

/// Travel time and distance standing in for "no route" in the planner's matrix: more than any
/// shift, so such a pair is never chained.
const UNREACHABLE: f64 = 1e9;

/// A bin after snapping.
#[derive(Debug, Clone)]
pub struct SnappedBin {
    /// Index into `CollectionDay::bins`.
    pub bin: usize,
    /// The waypoint the truck stops at.
    pub waypoint: Waypoint,
    /// How it is served.
    pub service: Service,
}

/// Side of `p` relative to the directed edge `edge`'s geometry near its closest point:
/// `true` when on the right.
pub fn is_right_of(graph: &Graph, edge: EdgeId, p: Point) -> bool {
    let line = graph.edge_points(edge);
    let coslat = p.y().to_radians().cos();
    let mut best = (f64::MAX, 0.0);
    for w in line.windows(2) {
        let (ax, ay) = ((w[0].x() - p.x()) * coslat, w[0].y() - p.y());
        let (bx, by) = ((w[1].x() - p.x()) * coslat, w[1].y() - p.y());
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (cx, cy) = (ax + t * dx, ay + t * dy);
        let d2 = cx * cx + cy * cy;
        if d2 < best.0 {
            // Cross product of segment direction and (p - a): negative = p on the right.
            best = (d2, dx * (-ay) - dy * (-ax));
        }
    }
    best.1 < 0.0
}

fn classify(graph: &Graph, snap: &Snap, side: StreetSide, zigzag: &[RoadClass]) -> Service {
    let e = graph.edge(snap.edge);
    if e.reverse().is_none() {
        Service::OneWay
    } else if side == StreetSide::Either || zigzag.contains(&e.road_class) {
        Service::ZigZag
    } else {
        Service::Kerbside
    }
}

/// Snaps every bin; bins without a road within `options.max_snap_m` are returned as
/// unassigned instead of failing the day.
pub fn snap_bins(
    graph: &Graph,
    day: &CollectionDay,
) -> Result<(Vec<SnappedBin>, Vec<UnassignedBin>), Error> {
    let zigzag = zigzag_classes(day)?;
    let opts = SnapOptions::default().with_radius_m(day.options.max_snap_m);
    let mut snapped = Vec::with_capacity(day.bins.len());
    let mut unassigned = Vec::new();
    for (i, b) in day.bins.iter().enumerate() {
        match graph.snap(Point::new(b.lon, b.lat), &opts) {
            Ok(snap) => {
                let service = classify(graph, &snap, b.side, &zigzag);
                let approach = if service == Service::Kerbside {
                    Approach::Curb
                } else {
                    Approach::Unrestricted
                };
                snapped.push(SnappedBin {
                    bin: i,
                    waypoint: Waypoint::new(snap).with_approach(approach),
                    service,
                });
            }
            Err(kerb_core::Error::NoSegment { radius_m, .. }) => unassigned.push(UnassignedBin {
                id: b.id.clone(),
                reason: format!("no road the truck may use within {radius_m} m of the bin"),
            }),
            Err(e) => return Err(Error::InvalidInput(format!("bin {:?}: {e}", b.id))),
        }
    }
    Ok((snapped, unassigned))
}

fn zigzag_classes(day: &CollectionDay) -> Result<Vec<RoadClass>, Error> {
    day.options
        .zigzag_road_classes
        .iter()
        .map(|name| {
            RoadClass::from_highway(name).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown road class {name:?} in zigzag_road_classes"
                ))
            })
        })
        .collect()
}

fn snap_site(graph: &Graph, what: &str, id: &str, lon: f64, lat: f64) -> Result<Waypoint, Error> {
    let opts = SnapOptions::default().with_radius_m(1000.0);
    graph
        .snap(Point::new(lon, lat), &opts)
        .map(Waypoint::new)
        .map_err(|e| Error::InvalidInput(format!("{what} {id:?}: {e}")))
}

/// Plans a collection day on `graph` (which should be built with the truck profile):
/// snaps bins with their side of the street, computes the turn-aware matrix respecting
/// kerbside approaches, plans with disposal trips, and unpacks each route onto the roads.
pub fn plan_collection(graph: &Graph, day: &CollectionDay) -> Result<CollectionPlan, Error> {
    plan_collection_with_progress(graph, day, None)
}

/// [`plan_collection`] reporting the planner's progress to `progress` (for a progress bar).
pub fn plan_collection_with_progress(
    graph: &Graph,
    day: &CollectionDay,
    progress: Option<kerb_plan::ProgressFn>,
) -> Result<CollectionPlan, Error> {
    day.validate()?;
    let t0 = Instant::now();
    // Locations: depots, then disposal sites, then snapped bins.
    let mut waypoints = Vec::new();
    for d in &day.depots {
        waypoints.push(snap_site(graph, "depot", &d.id, d.lon, d.lat)?);
    }
    for s in &day.disposal_sites {
        waypoints.push(snap_site(graph, "disposal site", &s.id, s.lon, s.lat)?);
    }
    let (mut bins, mut unassigned) = snap_bins(graph, day)?;
    let (mut passes, street_unassigned) = snap_streets(graph, day, &zigzag_classes(day)?)?;
    unassigned.extend(street_unassigned);
    let first_bin = waypoints.len();
    let snap_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    // Locations: sites, bins, street passes. A pass is entered at one end and left at the
    // other: the matrix runs from every location's exit to every location's entry.
    let entries = |bins: &[SnappedBin], passes: &[StreetPass]| -> Vec<Waypoint> {
        waypoints
            .iter()
            .cloned()
            .chain(bins.iter().map(|b| b.waypoint.clone()))
            .chain(passes.iter().map(|p| p.entry.clone()))
            .collect()
    };
    let exits = |bins: &[SnappedBin], passes: &[StreetPass]| -> Vec<Waypoint> {
        waypoints
            .iter()
            .cloned()
            .chain(bins.iter().map(|b| b.waypoint.clone()))
            .chain(passes.iter().map(|p| p.exit.clone()))
            .collect()
    };
    let matrix_of = |bins: &[SnappedBin], passes: &[StreetPass]| {
        graph.matrix(&exits(bins, passes), &entries(bins, passes))
    };
    let mut m = matrix_of(&bins, &passes)?;
    let depots = 0..day.depots.len();
    let sinks = if day.disposal_sites.is_empty() {
        depots.clone()
    } else {
        day.depots.len()..first_bin
    };
    let n = |m: &kerb_core::Matrix| m.num_destinations;
    let usable = |m: &kerb_core::Matrix, loc: usize| {
        depots
            .clone()
            .any(|d| m.durations_s[d * n(m) + loc].is_finite())
            && sinks
                .clone()
                .any(|f| m.durations_s[loc * n(m) + f].is_finite())
    };
    // A kerbside stop that turn restrictions and the no-U-turn rule make unreachable is
    // served from either side rather than not at all.
    let mut retried = false;
    for (k, b) in bins.iter_mut().enumerate() {
        if b.service == Service::Kerbside && !usable(&m, first_bin + k) {
            b.service = Service::EitherSide;
            b.waypoint.approach = Approach::Unrestricted;
            retried = true;
        }
    }
    if retried {
        m = matrix_of(&bins, &passes)?;
    }
    let n_stops = bins.len() + passes.len();
    let keep: Vec<usize> = (0..first_bin)
        .chain((first_bin..first_bin + n_stops).filter(|&l| usable(&m, l)))
        .collect();
    if keep.len() < first_bin + n_stops {
        let unreachable =
            "the truck cannot reach it from the depot, or cannot get from it to a disposal site";
        let kept = |l: usize| keep.binary_search(&l).is_ok();
        let nb = bins.len();
        let mut kept_bins = Vec::with_capacity(nb);
        for (k, b) in bins.into_iter().enumerate() {
            if kept(first_bin + k) {
                kept_bins.push(b);
            } else {
                unassigned.push(UnassignedBin {
                    id: day.bins[b.bin].id.clone(),
                    reason: unreachable.into(),
                });
            }
        }
        let mut kept_passes = Vec::with_capacity(passes.len());
        for (k, p) in passes.into_iter().enumerate() {
            if kept(first_bin + nb + k) {
                kept_passes.push(p);
            } else {
                unassigned.push(UnassignedBin {
                    id: day.streets[p.street].id.clone(),
                    reason: format!("{} pass: {unreachable}", Direction::from_forward(p.forward)),
                });
            }
        }
        bins = kept_bins;
        passes = kept_passes;
    }
    let (entries, exits) = (entries(&bins, &passes), exits(&bins, &passes));
    // Pairs with no route at all get a travel time no shift can absorb, so the planner never
    // chains them.
    let size = keep.len();
    let mut durations = Vec::with_capacity(size * size);
    let mut distances = Vec::with_capacity(size * size);
    for &i in &keep {
        for &j in &keep {
            let (t, d) = (m.durations_s[i * n(&m) + j], m.distances_m[i * n(&m) + j]);
            durations.push(if t.is_finite() { t } else { UNREACHABLE });
            distances.push(if d.is_finite() { d } else { UNREACHABLE });
        }
    }
    let matrix = kerb_plan::Matrix::new(size, durations, distances)?;
    let matrix_s = t1.elapsed().as_secs_f64();

    // Volume is a second capacity dimension only if some truck limits it.
    let use_volume = day.trucks.iter().any(|t| t.capacity_l > 0.0);
    let dims = |kg: f64, l: f64| {
        if use_volume {
            vec![kg.round() as i64, l.round() as i64]
        } else {
            vec![kg.round() as i64]
        }
    };
    let mut problem = Problem::new(vec![matrix]);
    for (k, b) in bins.iter().enumerate() {
        let bin = &day.bins[b.bin];
        let mut job = Job::new(k as u64, first_bin + k)
            .demand(dims(bin.weight_kg, bin.volume_l))
            .service(bin.service_s);
        for w in &bin.time_windows {
            job = job.time_window(w[0].0, w[1].0);
        }
        problem = problem.job(job);
    }
    let first_pass = first_bin + bins.len();
    for (k, p) in passes.iter().enumerate() {
        let street = &day.streets[p.street];
        // Driving the stretch is part of serving it: its time is service time, its
        // distance is counted when the route is unpacked onto the roads.
        let mut job = Job::new((bins.len() + k) as u64, first_pass + k)
            .demand(dims(street.weight_kg * p.share, street.volume_l * p.share))
            .service(p.drive_s + street.service_s * p.share);
        for w in &street.time_windows {
            job = job.time_window(w[0].0, w[1].0);
        }
        problem = problem.job(job);
    }
    for (k, s) in day.disposal_sites.iter().enumerate() {
        problem = problem.facility(Facility {
            id: k as u64,
            location: day.depots.len() + k,
            time_windows: s
                .opening_hours
                .iter()
                .map(|w| kerb_plan::TimeWindow::new(w[0].0, w[1].0))
                .collect(),
            unload: s.unload_s,
        });
    }
    let depot_index = |id: &str| {
        day.depots
            .iter()
            .position(|d| d.id == id)
            .expect("validated depot")
    };
    let mut truck_names = Vec::new();
    for t in &day.trucks {
        for c in 0..t.count {
            let name = if t.count == 1 {
                t.id.clone()
            } else {
                format!("{}-{}", t.id, c + 1)
            };
            let start = depot_index(&t.depot);
            let end = t.end_depot.as_deref().map(depot_index).unwrap_or(start);
            let volume = if t.capacity_l > 0.0 {
                t.capacity_l
            } else {
                1e12
            };
            let mut v = Vehicle::new(truck_names.len() as u64, Some(start))
                .end(Some(end))
                .capacity(dims(t.capacity_kg, volume))
                .shift(t.shift[0].0, t.shift[1].0)
                .costs(VehicleCosts {
                    fixed: t.fixed_cost,
                    per_hour: 3600.0,
                    per_km: 0.0,
                })
                .disposal_required_at_end(!day.disposal_sites.is_empty());
            if let Some(b) = &t.break_ {
                v = v.with_break(0, b.window[0].0, b.window[1].0, b.duration_s);
            }
            problem = problem.vehicle(v);
            truck_names.push(name);
        }
    }
    let t2 = Instant::now();
    let mut opts = SolveOptions::time_limit(day.options.time_limit_s)
        .with_iterations(day.options.iterations)
        .with_threads(day.options.threads)
        .with_seed(day.options.seed);
    opts.progress = progress;
    let solution = kerb_plan::solve(&problem, &opts)?;
    let violations = kerb_plan::check(&problem, &solution);
    if !violations.is_empty() {
        return Err(Error::InvalidInput(format!(
            "planner returned an infeasible plan: {violations:?}"
        )));
    }
    let plan_s = t2.elapsed().as_secs_f64();

    let t3 = Instant::now();
    let nb = bins.len();
    for u in &solution.unassigned {
        let id = if u.job < nb {
            day.bins[bins[u.job].bin].id.clone()
        } else {
            day.streets[passes[u.job - nb].street].id.clone()
        };
        unassigned.push(UnassignedBin {
            id,
            reason: u.reason.to_string(),
        });
    }
    let mut routes = Vec::new();
    let mut totals = Totals::default();
    let mut served = vec![false; nb + passes.len()];
    for r in &solution.routes {
        let mut stops = Vec::new();
        // The waypoints the truck drives through, each with the stop it reaches there
        // (entries of passes and every other located stop; a pass's exit reaches none).
        let mut path: Vec<(usize, Option<usize>)> = Vec::new();
        let mut disposal_trips = 0;
        for step in &r.steps {
            let load = [
                step.load.first().copied().unwrap_or(0) as f64,
                if use_volume {
                    step.load.get(1).copied().unwrap_or(0) as f64
                } else {
                    0.0
                },
            ];
            let (kind, id, service, dir) = match step.kind {
                StepKind::Start | StepKind::End => (
                    if step.kind == StepKind::Start {
                        StopKind::Start
                    } else {
                        StopKind::End
                    },
                    step.location
                        .and_then(|l| day.depots.get(l))
                        .map(|d| d.id.clone())
                        .unwrap_or_default(),
                    None,
                    None,
                ),
                StepKind::Job { job } if job < nb => {
                    served[job] = true;
                    (
                        StopKind::Bin,
                        day.bins[bins[job].bin].id.clone(),
                        Some(bins[job].service),
                        None,
                    )
                }
                StepKind::Job { job } => {
                    served[job] = true;
                    let p = &passes[job - nb];
                    (
                        StopKind::Street,
                        day.streets[p.street].id.clone(),
                        None,
                        Some(Direction::from_forward(p.forward)),
                    )
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
            let location = step.location.map(|l| {
                let p = entries[l].snap.point;
                [p.x(), p.y()]
            });
            if let Some(l) = step.location {
                // Encoded as 2 * location (+1 for a pass's exit).
                if path.last().is_none_or(|&(w, _)| w != 2 * l) {
                    path.push((2 * l, Some(stops.len())));
                }
                if l >= first_pass {
                    path.push((2 * l + 1, None));
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
                direction: dir,
            });
            match kind {
                StopKind::Bin => totals.bins_served += 1,
                StopKind::Street => totals.street_passes += 1,
                _ => {}
            }
        }
        let (mut geometry, mut distance_m, mut driving_s) = (Vec::new(), 0.0, 0.0);
        if path.len() >= 2 {
            let wps: Vec<Waypoint> = path
                .iter()
                .map(|&(w, _)| {
                    if w % 2 == 0 {
                        entries[w / 2].clone()
                    } else {
                        exits[w / 2].clone()
                    }
                })
                .collect();
            let route = graph.route(&wps)?;
            geometry = route.geometry.points().map(|p| [p.x(), p.y()]).collect();
            distance_m = route.distance_m;
            driving_s = route.duration_s;
            // Which side of the truck each bin is on, from the last road piece before it.
            for (leg, &(w, stop)) in route.legs.iter().zip(&path[1..]) {
                let Some(stop) = stop else { continue };
                let loc = w / 2;
                if stops[stop].kind == StopKind::Bin {
                    // Bin locations follow the sites in the matrix, in `bins` order.
                    let bin = &day.bins[bins[loc - first_bin].bin];
                    if let Some(seg) = leg.segments.last() {
                        let right = is_right_of(graph, seg.edge, Point::new(bin.lon, bin.lat));
                        stops[stop].truck_side = Some(TruckSide::from_right(right));
                    }
                }
            }
        }
        totals.trucks_used += 1;
        totals.distance_m += distance_m;
        totals.driving_s += driving_s;
        totals.disposal_trips += disposal_trips;
        routes.push(TruckRoute {
            truck: truck_names[r.vehicle].clone(),
            stops,
            distance_m,
            driving_s,
            working_s: r.working_time,
            disposal_trips,
            geometry,
        });
    }
    for (k, b) in bins.iter().enumerate() {
        if served[k] {
            let bin = &day.bins[b.bin];
            totals.collected[0] += bin.weight_kg;
            totals.collected[1] += bin.volume_l;
        }
    }
    for (k, p) in passes.iter().enumerate() {
        if served[nb + k] {
            let street = &day.streets[p.street];
            totals.collected[0] += street.weight_kg * p.share;
            totals.collected[1] += street.volume_l * p.share;
        }
    }
    let street_ids: std::collections::HashSet<&str> =
        day.streets.iter().map(|s| s.id.as_str()).collect();
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
    let geometry_s = t3.elapsed().as_secs_f64();
    Ok(CollectionPlan {
        name: day.name.clone(),
        totals,
        routes,
        unassigned,
        timings: Timings {
            snap_s,
            matrix_s,
            plan_s,
            geometry_s,
        },
    })
}
