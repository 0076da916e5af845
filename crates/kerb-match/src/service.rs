//! Proof of service: the matched traces of a collection day's trucks checked against its plan,
//! per bin (served, on which kerb, when, how long) and per truck (missed, extra stops, distance).

use std::collections::{BTreeMap, HashMap};

use kerb_collect::{
    is_right_of, snap_bins, CollectionDay, CollectionPlan, Service, StopKind, TruckRoute,
};
use kerb_core::{haversine_m, Approach, DrivingSide, Graph, Point, SnapOptions, Waypoint};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::generate::{generate_trace, GeneratedTrace, TraceOptions};
use crate::matcher::{match_trace, MatchOptions, MatchResult};
use crate::trace::{Trace, TracePoint};

/// Knobs of the proof of service.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServiceOptions {
    /// Matching of each truck's trace.
    pub matching: MatchOptions,
    /// The truck stands while its fixes stay within this distance of their running centre,
    /// metres (should exceed about twice the GPS noise).
    pub standing_radius_m: f64,
    /// A standing period this long or longer is a stop, seconds.
    pub min_dwell_s: f64,
    /// A stop serves the nearest planned bin within this distance, metres.
    pub bin_radius_m: f64,
    /// ...and every other bin within this distance of that bin (bins at the same door).
    pub same_place_m: f64,
    /// A run of fixes whose fitted speed (least squares of position on time) exceeds this is
    /// a truck driving slowly past, not standing, m/s.
    pub max_standing_speed_mps: f64,
}

impl Default for ServiceOptions {
    /// Default matching; 30 m standing radius, 20 s minimum dwell (at 5 s sampling a truck
    /// turning in a dead end leaves four fixes within the radius: 15 s), 35 m bin radius, 5 m
    /// same place, 2 m/s standing speed.
    fn default() -> Self {
        ServiceOptions {
            matching: MatchOptions::default(),
            standing_radius_m: 30.0,
            min_dwell_s: 20.0,
            bin_radius_m: 35.0,
            same_place_m: 5.0,
            max_standing_speed_mps: 2.0,
        }
    }
}

/// What happened to a planned bin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStatus {
    /// A truck stopped at it from the planned kerb (or, where the plan allows either side,
    /// from any side).
    Served,
    /// A truck stopped at it from the other side of the street.
    WrongKerb,
    /// No truck stopped at it.
    Missed,
}

/// The check of one planned bin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BinReport {
    /// Bin id.
    pub id: String,
    /// Truck that was planned to serve it.
    pub planned_truck: String,
    /// Outcome.
    pub status: BinStatus,
    /// Truck whose stop served it, if any.
    pub served_by: Option<String>,
    /// Planned arrival, seconds.
    pub planned_arrival_s: f64,
    /// Start of the serving stop, seconds (trace time).
    pub arrival_s: Option<f64>,
    /// Length of the serving stop, seconds.
    pub dwell_s: Option<f64>,
    /// Whether the stop started within one of the bin's time windows (`None` if not served;
    /// `true` for a bin without windows).
    pub within_time_window: Option<bool>,
    /// Where the bin is.
    pub location: [f64; 2],
}

/// A stop of a truck at no planned bin, depot or disposal site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExtraStop {
    /// Truck.
    pub truck: String,
    /// Centre of the fixes while standing.
    pub location: [f64; 2],
    /// Start, seconds.
    pub arrival_s: f64,
    /// Length, seconds.
    pub dwell_s: f64,
}

/// The check of one truck's day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TruckReport {
    /// Truck id.
    pub truck: String,
    /// Bins planned for it.
    pub bins_planned: usize,
    /// Of those, served (by any truck, on the planned kerb).
    pub bins_served: usize,
    /// Ids of its planned bins that were missed or served from the wrong kerb.
    pub missed: Vec<String>,
    /// Planned road distance, metres.
    pub planned_distance_m: f64,
    /// Distance of the matched trace, metres.
    pub driven_distance_m: f64,
    /// Planned shift (start to end), seconds.
    pub planned_duration_s: f64,
    /// First to last fix, seconds.
    pub driven_duration_s: f64,
    /// Number of matchings the trace fell into (1 when nothing broke it).
    pub matchings: usize,
}

/// The proof of service of a day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceReport {
    /// One per truck with a trace.
    pub trucks: Vec<TruckReport>,
    /// One per planned bin, in plan order.
    pub bins: Vec<BinReport>,
    /// Stops at no planned place.
    pub extra_stops: Vec<ExtraStop>,
    /// Median dwell per served bin, seconds: service times for the next plan.
    pub learned_service_s: BTreeMap<String, f64>,
    /// Driven speed per road class (`highway` value), km/h, from the matched trace between
    /// stops.
    pub driven_speed_kmh: BTreeMap<String, f64>,
}

/// A period in which a truck stood.
struct Standing {
    start: usize,
    end: usize,
    centre: Point<f64>,
}

/// Standing periods of a trace: runs of fixes lasting at least `min_dwell_s` that all lie
/// within `radius` of the run's centre. The centre is that of the whole run, recomputed as the
/// run grows (a running centre of the first few fixes wanders with their noise: with 10 m of
/// noise two fixes of a standing truck are 40 m apart now and then). A single fix beyond the
/// radius whose successor is back within it is noise of the standing truck: it stays in the
/// period but not in the centre.
fn standing_periods(trace: &Trace, opts: &ServiceOptions) -> Vec<Standing> {
    let pts = trace.points();
    let centre_of = |members: &[usize]| {
        let n = members.len() as f64;
        let (sx, sy) = members.iter().fold((0.0, 0.0), |(x, y), &k| {
            (x + pts[k].point.x(), y + pts[k].point.y())
        });
        Point::new(sx / n, sy / n)
    };
    // Whether `members` plus `k` all lie within the radius of their centre and, once they
    // span a dwell, show no steady movement.
    let fits = |members: &mut Vec<usize>, k: usize| {
        members.push(k);
        let centre = centre_of(members);
        let ok = members
            .iter()
            .all(|&m| haversine_m(centre, pts[m].point) <= opts.standing_radius_m)
            && fitted_speed_mps(pts, members, centre, opts.min_dwell_s)
                .is_none_or(|v| v <= opts.max_standing_speed_mps);
        if !ok {
            members.pop();
        }
        ok
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < pts.len() {
        let mut members = vec![i];
        let mut j = i + 1;
        while j < pts.len() {
            if fits(&mut members, j) {
                j += 1;
            } else if j + 1 < pts.len() && fits(&mut members, j + 1) {
                j += 2;
            } else {
                break;
            }
        }
        let last = *members.last().expect("members start with i");
        let dwell = match (pts[i].time_s, pts[last].time_s) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        };
        if dwell >= opts.min_dwell_s {
            out.push(Standing {
                start: i,
                end: last,
                centre: centre_of(&members),
            });
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The speed of the least-squares line through the fixes `members` (position on time), m/s;
/// `None` while they span less than `min_span_s` or have no times (too few to tell a
/// standing truck's noise from movement).
fn fitted_speed_mps(
    pts: &[TracePoint],
    members: &[usize],
    centre: Point<f64>,
    min_span_s: f64,
) -> Option<f64> {
    let times: Vec<f64> = members
        .iter()
        .map(|&m| pts[m].time_s)
        .collect::<Option<_>>()?;
    let (first, last) = (times.first()?, times.last()?);
    if last - first < min_span_s {
        return None;
    }
    let n = times.len() as f64;
    let mean_t = times.iter().sum::<f64>() / n;
    let metres_per_deg_lat = 111_195.0;
    let metres_per_deg_lon = metres_per_deg_lat * centre.y().to_radians().cos();
    let (mut sxt, mut syt, mut stt) = (0.0, 0.0, 0.0);
    for (&m, &t) in members.iter().zip(&times) {
        let dt = t - mean_t;
        sxt += (pts[m].point.x() - centre.x()) * metres_per_deg_lon * dt;
        syt += (pts[m].point.y() - centre.y()) * metres_per_deg_lat * dt;
        stt += dt * dt;
    }
    (stt > 0.0).then(|| (sxt / stt).hypot(syt / stt))
}

/// One truck's trace: its id and fixes.
#[derive(Clone, Debug)]
pub struct TruckTrace {
    /// Truck id as in the plan's routes.
    pub truck: String,
    /// Its GPS trace.
    pub trace: Trace,
}

/// Checks a day's plan against the trucks' traces (see [`ServiceReport`]). `graph` must be the
/// truck graph the plan was made on; `day` is the planned day (bins, time windows).
pub fn proof_of_service(
    graph: &Graph,
    day: &CollectionDay,
    plan: &CollectionPlan,
    traces: &[TruckTrace],
    opts: &ServiceOptions,
) -> Result<ServiceReport> {
    let bin_index: HashMap<&str, usize> = day
        .bins
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    // Planned bins in plan order, with their truck and planned arrival.
    let mut planned: Vec<(usize, String, f64)> = Vec::new();
    let mut service_of: HashMap<usize, Service> = HashMap::new();
    for r in &plan.routes {
        for s in r.stops.iter().filter(|s| s.kind == StopKind::Bin) {
            let &b = bin_index
                .get(s.id.as_str())
                .ok_or_else(|| Error::InvalidPlan(format!("bin {:?} is not in the day", s.id)))?;
            planned.push((b, r.truck.clone(), s.arrival_s));
            if let Some(service) = s.service {
                service_of.insert(b, service);
            }
        }
    }
    let planned_truck: HashMap<usize, &str> =
        planned.iter().map(|(b, t, _)| (*b, t.as_str())).collect();
    let snapped = snap_bins(graph, day)?.0;
    let bin_snaps: HashMap<usize, &kerb_core::Snap> =
        snapped.iter().map(|s| (s.bin, &s.waypoint.snap)).collect();
    for &(b, _, _) in &planned {
        if !bin_snaps.contains_key(&b) {
            return Err(Error::InvalidPlan(format!(
                "planned bin {:?} has no road within the day's snap radius",
                day.bins[b].id
            )));
        }
    }
    let bin_point = |b: usize| Point::new(day.bins[b].lon, day.bins[b].lat);
    let mut served: HashMap<usize, (BinStatus, String, f64, f64)> = HashMap::new();
    let mut extra_stops = Vec::new();
    let mut trucks = Vec::new();
    let mut dwell_samples: HashMap<usize, Vec<f64>> = HashMap::new();
    let (mut class_m, mut class_s): (BTreeMap<String, f64>, BTreeMap<String, f64>) =
        Default::default();
    for tt in traces {
        let route = plan
            .routes
            .iter()
            .find(|r| r.truck == tt.truck)
            .ok_or_else(|| Error::InvalidPlan(format!("no route for truck {:?}", tt.truck)))?;
        let matched = match_trace(graph, &tt.trace, &opts.matching)?;
        let pts = tt.trace.points();
        let standing = standing_periods(&tt.trace, opts);
        let places: Vec<Point<f64>> = route
            .stops
            .iter()
            .filter(|s| s.kind != StopKind::Bin)
            .filter_map(|s| s.location.map(|[x, y]| Point::new(x, y)))
            .collect();
        for st in &standing {
            let arrival = pts[st.start].time_s.unwrap_or(0.0);
            let dwell = pts[st.end].time_s.unwrap_or(0.0) - arrival;
            // Every planned bin within reach of one of the standing fixes is served by this
            // stop (neighbouring bins merge into one standing period); each fix counts for the
            // bin nearest to it, which gives the bins their share of the dwell and the edge
            // the truck stood on for them.
            let fixes = st.start..=st.end;
            let near: Vec<usize> = planned
                .iter()
                .map(|&(b, _, _)| b)
                .filter(|&b| {
                    fixes
                        .clone()
                        .any(|k| haversine_m(bin_point(b), pts[k].point) <= opts.bin_radius_m)
                })
                .collect();
            if near.is_empty() {
                if !places
                    .iter()
                    .any(|&p| haversine_m(p, st.centre) <= opts.bin_radius_m * 2.0)
                {
                    extra_stops.push(ExtraStop {
                        truck: tt.truck.clone(),
                        location: [st.centre.x(), st.centre.y()],
                        arrival_s: arrival,
                        dwell_s: dwell,
                    });
                }
                continue;
            }
            let mut fixes_of: HashMap<usize, Vec<usize>> = HashMap::new();
            for k in fixes.clone() {
                let nearest = near
                    .iter()
                    .copied()
                    .min_by(|&a, &b| {
                        haversine_m(bin_point(a), pts[k].point)
                            .total_cmp(&haversine_m(bin_point(b), pts[k].point))
                    })
                    .expect("near is not empty");
                fixes_of.entry(nearest).or_default().push(k);
            }
            let span = (st.end - st.start + 1) as f64;
            for &b in &near {
                let mine = fixes_of.get(&b).map_or(&[][..], Vec::as_slice);
                let share = mine.len().max(1) as f64 / span;
                let bin_dwell = dwell * share;
                let bin_arrival = mine.first().and_then(|&k| pts[k].time_s).unwrap_or(arrival);
                let any_side = service_of.get(&b).is_none_or(|s| *s != Service::Kerbside);
                let kerb_ok = any_side
                    || on_kerb(
                        graph,
                        &matched,
                        fixes.clone(),
                        mine,
                        bin_snaps[&b],
                        bin_point(b),
                    );
                let status = if kerb_ok {
                    BinStatus::Served
                } else {
                    BinStatus::WrongKerb
                };
                dwell_samples.entry(b).or_default().push(bin_dwell);
                // A served stop beats a wrong-kerb one; between equals, the planned truck's
                // stop decides, not another truck standing nearby for a bin of its own.
                let rank = |status: BinStatus, truck: &str| {
                    (status == BinStatus::Served, truck == planned_truck[&b])
                };
                let better = served
                    .get(&b)
                    .is_none_or(|(s, by, ..)| rank(status, &tt.truck) > rank(*s, by));
                if better {
                    served.insert(b, (status, tt.truck.clone(), bin_arrival, bin_dwell));
                }
            }
        }
        accumulate_speeds(graph, &matched, pts, &mut class_m, &mut class_s);
        let driven_duration_s = match (
            pts.first().and_then(|p| p.time_s),
            pts.last().and_then(|p| p.time_s),
        ) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        };
        let driven_m = driven_distance_m(pts, &matched, &standing);
        trucks.push(truck_report(route, &matched, driven_m, driven_duration_s));
    }
    let bins: Vec<BinReport> = planned
        .iter()
        .map(|(b, truck, planned_arrival)| {
            let bin = &day.bins[*b];
            let s = served.get(b);
            BinReport {
                id: bin.id.clone(),
                planned_truck: truck.clone(),
                status: s.map_or(BinStatus::Missed, |s| s.0),
                served_by: s.map(|s| s.1.clone()),
                planned_arrival_s: *planned_arrival,
                arrival_s: s.map(|s| s.2),
                dwell_s: s.map(|s| s.3),
                within_time_window: s.map(|s| {
                    bin.time_windows.is_empty()
                        || bin
                            .time_windows
                            .iter()
                            .any(|[a, b]| a.0 <= s.2 && s.2 <= b.0)
                }),
                location: [bin.lon, bin.lat],
            }
        })
        .collect();
    for t in &mut trucks {
        let mine: Vec<&BinReport> = bins.iter().filter(|b| b.planned_truck == t.truck).collect();
        t.bins_planned = mine.len();
        t.bins_served = mine
            .iter()
            .filter(|b| b.status == BinStatus::Served)
            .count();
        t.missed = mine
            .iter()
            .filter(|b| b.status != BinStatus::Served)
            .map(|b| b.id.clone())
            .collect();
    }
    let learned_service_s = dwell_samples
        .into_iter()
        .map(|(b, mut v)| {
            v.sort_by(f64::total_cmp);
            (day.bins[b].id.clone(), v[v.len() / 2])
        })
        .collect();
    let driven_speed_kmh = class_m
        .iter()
        .filter_map(|(c, m)| {
            let s = class_s[c];
            (s > 0.0).then(|| (c.clone(), m / s * 3.6))
        })
        .collect();
    Ok(ServiceReport {
        trucks,
        bins,
        extra_stops,
        learned_service_s,
        driven_speed_kmh,
    })
}

/// A bin this close to a node is at the node, metres.
const AT_NODE_M: f64 = 5.0;

/// Whether the truck stood with the bin on its kerb side. First: whether the matched route of
/// the stop (with the leg arriving at it) drives the kerb-side direction past the bin. Else,
/// from the fixes' snaps: on the bin's own road, whether two
/// consecutive fixes of the stop were matched onto the kerb-side direction (a truck may serve
/// two facing bins in one stop, turning in between); on another road (the bin at a junction),
/// by the side of the bin from the edge the truck stood on.
fn on_kerb(
    graph: &Graph,
    matched: &MatchResult,
    period: std::ops::RangeInclusive<usize>,
    nearest_fixes: &[usize],
    bin: &kerb_core::Snap,
    bin_point: Point<f64>,
) -> bool {
    // The kerb is on the side traffic drives on where the bin's road lies.
    let kerb_right = graph.driving_side(bin.edge) == DrivingSide::Right;
    // At the tip of a dead end the truck turns round: either side is the kerb.
    let road = graph.edge(bin.edge);
    let dead_end = |n: kerb_core::NodeId| graph.out_edges(n).count() <= 1;
    if (bin.fraction * road.distance_m <= AT_NODE_M && dead_end(road.from))
        || ((1.0 - bin.fraction) * road.distance_m <= AT_NODE_M && dead_end(road.to))
    {
        return true;
    }
    let kerb_edge = if (bin.side == kerb_core::Side::Right) == kerb_right {
        bin.edge
    } else {
        graph.reverse_edge(bin.edge).unwrap_or(bin.edge)
    };
    // The matched route of the stop (with the leg arriving at it) drives the kerb-side
    // direction past the bin: the truck stood or pulled up on its kerb. A standing truck's
    // fixes alone do not show that: with 10 m of noise on a short road they are matched to
    // the road's end nodes and the edges there (backwards jitter beyond the matcher's
    // tolerance cannot be matched along the edge), while its route is continuous.
    let at = if kerb_edge == bin.edge {
        bin.fraction
    } else {
        1.0 - bin.fraction
    };
    let slack = AT_NODE_M / graph.edge(kerb_edge).distance_m.max(AT_NODE_M);
    let drove_past = matched.matchings.iter().any(|m| {
        m.legs
            .iter()
            .zip(m.trace_indices.windows(2))
            .filter(|(_, w)| period.contains(&w[1]))
            .flat_map(|(leg, _)| leg.segments.iter())
            .any(|s| {
                let (lo, hi) = if s.from_fraction <= s.to_fraction {
                    (s.from_fraction, s.to_fraction)
                } else {
                    (s.to_fraction, s.from_fraction)
                };
                s.edge == kerb_edge && lo - slack <= at && at <= hi + slack
            })
    });
    if drove_past {
        return true;
    }
    let edge_at = |k: usize| matched.tracepoints[k].as_ref().map(|t| t.snap.edge);
    let bin_road = |e: kerb_core::EdgeId| e == bin.edge || Some(e) == graph.reverse_edge(bin.edge);
    let own: Vec<(usize, kerb_core::EdgeId)> = period
        .clone()
        .filter_map(|k| edge_at(k).filter(|&e| bin_road(e)).map(|e| (k, e)))
        .collect();
    if !own.is_empty() {
        return own
            .windows(2)
            .any(|w| w[1].0 == w[0].0 + 1 && w[0].1 == kerb_edge && w[1].1 == kerb_edge)
            || (own.len() == 1 && own[0].1 == kerb_edge);
    }
    let fixes: Vec<usize> = if nearest_fixes.is_empty() {
        period.collect()
    } else {
        nearest_fixes.to_vec()
    };
    standing_edge(matched, fixes.into_iter())
        .is_some_and(|e| is_right_of(graph, e, bin_point) == kerb_right)
}

/// The directed edge the truck stood on: the most common matched edge of these fixes.
fn standing_edge(
    matched: &MatchResult,
    fixes: impl Iterator<Item = usize>,
) -> Option<kerb_core::EdgeId> {
    let mut count: HashMap<kerb_core::EdgeId, usize> = HashMap::new();
    for t in fixes.filter_map(|k| matched.tracepoints[k].as_ref()) {
        *count.entry(t.snap.edge).or_default() += 1;
    }
    count
        .into_iter()
        .max_by_key(|&(e, n)| (n, e.0))
        .map(|(e, _)| e)
}

/// Adds the distance and time of every moving leg (between two timed fixes) to its road class.
fn accumulate_speeds(
    graph: &Graph,
    matched: &MatchResult,
    pts: &[crate::trace::TracePoint],
    class_m: &mut BTreeMap<String, f64>,
    class_s: &mut BTreeMap<String, f64>,
) {
    for m in &matched.matchings {
        for (leg, w) in m.legs.iter().zip(m.trace_indices.windows(2)) {
            let (Some(a), Some(b)) = (pts[w[0]].time_s, pts[w[1]].time_s) else {
                continue;
            };
            let main = leg
                .segments
                .iter()
                .max_by(|x, y| x.distance_m.total_cmp(&y.distance_m));
            if let Some(seg) = main {
                if leg.distance_m > 1.0 && b > a {
                    let class = graph.edge(seg.edge).road_class.as_str().to_string();
                    *class_m.entry(class.clone()).or_default() += leg.distance_m;
                    *class_s.entry(class).or_default() += b - a;
                }
            }
        }
    }
}

/// Length of the matched route as driven: GPS noise of a parked or crawling truck is matched
/// as loops around the block (and as a zig-zag of noise by the straight lines between its
/// fixes), which nobody drove. Legs between moving fixes count their route; a leg the profile
/// needs more than four times the time between its fixes (plus 30 s) to drive counts as the
/// straight line. A standing period counts its route, but at most the straight line from its
/// first to its last matched fix: the truck's arrival, creeping from bin to bin and departure
/// count, its loops and noise do not.
fn driven_distance_m(pts: &[TracePoint], matched: &MatchResult, standing: &[Standing]) -> f64 {
    let period_of = |a: usize, b: usize| standing.iter().position(|s| s.start <= a && b <= s.end);
    let at = |k: usize| {
        matched.tracepoints[k]
            .as_ref()
            .map_or(pts[k].point, |t| t.snap.point)
    };
    let mut moving = 0.0;
    // Per standing period: (route metres, first matched fix, last matched fix).
    let mut stood: HashMap<usize, (f64, usize, usize)> = HashMap::new();
    for m in &matched.matchings {
        for (leg, ends) in m.legs.iter().zip(m.trace_indices.windows(2)) {
            let (a, b) = (ends[0], ends[1]);
            if let Some(p) = period_of(a, b) {
                let e = stood.entry(p).or_insert((0.0, a, b));
                e.0 += leg.distance_m;
                e.2 = b;
                continue;
            }
            let too_long = match (pts[a].time_s, pts[b].time_s) {
                (Some(ta), Some(tb)) => leg.duration_s > 4.0 * (tb - ta) + 30.0,
                _ => false,
            };
            moving += if too_long {
                haversine_m(pts[a].point, pts[b].point)
            } else {
                leg.distance_m
            };
        }
    }
    let standing_m: f64 = stood
        .values()
        .map(|&(route_m, first, last)| route_m.min(haversine_m(at(first), at(last))))
        .sum();
    moving + standing_m
}

fn truck_report(
    route: &TruckRoute,
    matched: &MatchResult,
    driven_distance_m: f64,
    driven_duration_s: f64,
) -> TruckReport {
    TruckReport {
        truck: route.truck.clone(),
        bins_planned: 0,
        bins_served: 0,
        missed: Vec::new(),
        planned_distance_m: route.distance_m,
        driven_distance_m,
        planned_duration_s: route.working_s,
        driven_duration_s,
        matchings: matched.matchings.len(),
    }
}

impl ServiceReport {
    /// Bins as GeoJSON points with their status, extra stops as points of kind `extra_stop`.
    pub fn to_geojson(&self) -> Value {
        let mut features: Vec<Value> = self
            .bins
            .iter()
            .map(|b| {
                json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": b.location},
                    "properties": {
                        "kind": "bin", "id": b.id, "status": b.status,
                        "planned_truck": b.planned_truck, "served_by": b.served_by,
                        "arrival_s": b.arrival_s, "dwell_s": b.dwell_s,
                        "within_time_window": b.within_time_window,
                    },
                })
            })
            .collect();
        features.extend(self.extra_stops.iter().map(|s| {
            json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": s.location},
                "properties": {"kind": "extra_stop", "truck": s.truck,
                    "arrival_s": s.arrival_s, "dwell_s": s.dwell_s},
            })
        }));
        json!({"type": "FeatureCollection", "features": features})
    }
}

/// Drives one truck's planned route as a synthetic trace: through its stops in order at the
/// graph's speeds, dwelling as planned (service, disposal, breaks; waits for a time window
/// are not reproduced: the truck drives on), leaving out the
/// bins in `skip` (the truck drives on without the detour or the stop). For tests and demos
/// of [`proof_of_service`].
pub fn drive_plan(
    graph: &Graph,
    day: &CollectionDay,
    route: &TruckRoute,
    skip: &[&str],
    opts: &TraceOptions,
) -> Result<GeneratedTrace> {
    let (snapped, _) = snap_bins(graph, day)?;
    let by_id: HashMap<&str, &Waypoint> = snapped
        .iter()
        .map(|s| (day.bins[s.bin].id.as_str(), &s.waypoint))
        .collect();
    let site = SnapOptions::default().with_radius_m(1000.0);
    let mut waypoints: Vec<Waypoint> = Vec::new();
    let mut dwell: Vec<f64> = Vec::new();
    for s in &route.stops {
        let stay = (s.departure_s - s.arrival_s).max(0.0);
        if s.kind == StopKind::Bin && skip.contains(&s.id.as_str()) {
            continue;
        }
        let Some([x, y]) = s.location else {
            // A break where the truck is: it stands at the previous stop.
            if let Some(d) = dwell.last_mut() {
                *d += stay;
            }
            continue;
        };
        let wp = if s.kind == StopKind::Bin {
            let snapped = by_id
                .get(s.id.as_str())
                .ok_or_else(|| Error::InvalidPlan(format!("bin {:?} is not in the day", s.id)))?;
            // The plan may have relaxed a kerbside bin to either side (see `Service`).
            let approach = if s.service == Some(Service::Kerbside) {
                Approach::Curb
            } else {
                Approach::Unrestricted
            };
            Waypoint::new(snapped.snap.clone()).with_approach(approach)
        } else {
            Waypoint::new(graph.snap(Point::new(x, y), &site)?)
        };
        waypoints.push(wp);
        dwell.push(stay);
    }
    if waypoints.len() < 2 {
        return Err(Error::InvalidPlan(format!(
            "truck {:?} has fewer than two stops to drive",
            route.truck
        )));
    }
    let driven = graph.route(&waypoints)?;
    let start_s = route.stops.first().map_or(0.0, |s| s.arrival_s);
    let opts = TraceOptions { start_s, ..*opts };
    generate_trace(graph, &driven, &dwell, &opts)
}
