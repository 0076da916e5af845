//! The hidden Markov map matcher (Newson & Krumm 2009): candidates per fix from the R-tree,
//! Gaussian emissions, exponential transitions on route vs great-circle distance from the
//! turn-aware many-to-many, Viterbi in log space with breaks into several matchings.

use std::sync::atomic::{AtomicBool, Ordering};

use kerb_core::{
    haversine_m, road_distance_m, Approach, Graph, LineString, Point, RouteLeg, Side, Snap,
    Waypoint,
};

use crate::error::{Error, Result};
use crate::trace::Trace;

/// Knobs of the matcher.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatchOptions {
    /// Candidate roads are searched within this distance of each fix, metres.
    pub radius_m: f64,
    /// At most this many distinct roads per fix (each two-way road gives two directed
    /// candidates).
    pub max_candidates: usize,
    /// GPS standard deviation for fixes without an accuracy, metres.
    pub sigma_m: f64,
    /// Scale of the transition probability: how much the route between two candidates may
    /// differ from the straight distance between the fixes, metres.
    pub beta_m: f64,
    /// A time gap longer than this between fixes starts a new matching, seconds.
    pub max_gap_s: f64,
    /// A transition whose route is longer than the straight distance by more than this is
    /// impossible, metres.
    pub max_detour_m: f64,
    /// Between timestamped fixes `dt` seconds apart, a route longer than the straight
    /// distance by more than `dt * max_speed_mps` is impossible (OSRM's map-matching speed
    /// bound, 180 km/h there); infinite = no bound beyond `max_detour_m`.
    pub max_speed_mps: f64,
}

impl Default for MatchOptions {
    /// 50 m radius, 6 roads per fix, sigma 10 m, beta 10 m, 10 min gaps, 2 km detours, no
    /// speed bound.
    fn default() -> Self {
        MatchOptions {
            radius_m: 50.0,
            max_candidates: 6,
            sigma_m: 10.0,
            beta_m: 10.0,
            max_gap_s: 600.0,
            max_detour_m: 2000.0,
            max_speed_mps: f64::INFINITY,
        }
    }
}

impl MatchOptions {
    fn validate(&self) -> Result<()> {
        let positive = |name: &'static str, v: f64| {
            if v.is_nan() || v <= 0.0 {
                Err(Error::InvalidOption {
                    name,
                    reason: format!("{v} is not positive"),
                })
            } else {
                Ok(())
            }
        };
        positive("radius_m", self.radius_m)?;
        positive("sigma_m", self.sigma_m)?;
        positive("beta_m", self.beta_m)?;
        positive("max_gap_s", self.max_gap_s)?;
        positive("max_detour_m", self.max_detour_m)?;
        positive("max_speed_mps", self.max_speed_mps)?;
        if self.max_candidates == 0 {
            return Err(Error::InvalidOption {
                name: "max_candidates",
                reason: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// A fix matched onto the road.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchedPoint {
    /// Index of the fix in the trace.
    pub trace_index: usize,
    /// Where it lies on the road: `snap.edge` is the directed edge driven.
    pub snap: Snap,
    /// The fix's timestamp, if any.
    pub time_s: Option<f64>,
    /// Index of its matching in [`MatchResult::matchings`].
    pub matching: usize,
    /// Index among the matched fixes of that matching.
    pub waypoint_index: usize,
    /// Number of other candidates of the fix that lie on the best path to some candidate of
    /// the matching's last fix (OSRM's `alternatives_count`: 0 = the match is unambiguous).
    pub alternatives_count: usize,
}

/// One continuous stretch of the trace matched to a route.
#[derive(Clone, Debug, PartialEq)]
pub struct Matching {
    /// How much to trust it, 0..1: the ratio of the shorter to the longer of the matched
    /// route and the polyline through the fixes.
    pub confidence: f64,
    /// Route length, metres.
    pub distance_m: f64,
    /// Route travel time for the profile, seconds.
    pub duration_s: f64,
    /// Shape of the route.
    pub geometry: LineString<f64>,
    /// One leg between each two consecutive matched fixes.
    pub legs: Vec<RouteLeg>,
    /// Trace indices of its matched fixes, in order.
    pub trace_indices: Vec<usize>,
}

/// The result of matching a trace.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchResult {
    /// Continuous matchings in trace order.
    pub matchings: Vec<Matching>,
    /// `tracepoints[i]` is fix `i` on the road, `None` when it could not be matched (no road
    /// within the radius, or an isolated fix between breaks).
    pub tracepoints: Vec<Option<MatchedPoint>>,
}

/// A candidate position of one fix.
#[derive(Clone, Debug)]
struct Candidate {
    snap: Snap,
    log_emission: f64,
}

/// One fix with its candidates in the Viterbi lattice.
struct Layer {
    trace_index: usize,
    candidates: Vec<Candidate>,
    score: Vec<f64>,
    back: Vec<usize>,
}

/// Directed candidates of a fix: both directions of every road within `radius_m`.
fn candidates(
    graph: &Graph,
    p: Point<f64>,
    sigma_m: f64,
    radius_m: f64,
    opts: &MatchOptions,
) -> Result<Vec<Candidate>> {
    let mut out = Vec::new();
    for snap in graph.nearest(p, opts.max_candidates)? {
        if snap.distance_m > radius_m {
            continue;
        }
        let log_emission = -0.5 * (snap.distance_m / sigma_m).powi(2);
        if let Some(reverse) = graph.reverse_edge(snap.edge) {
            let flipped = Snap {
                edge: reverse,
                fraction: 1.0 - snap.fraction,
                side: match snap.side {
                    Side::On => Side::On,
                    s => s.flipped(),
                },
                ..snap.clone()
            };
            out.push(Candidate {
                snap: flipped,
                log_emission,
            });
        }
        out.push(Candidate { snap, log_emission });
    }
    Ok(out)
}

fn waypoint(snap: &Snap) -> Waypoint {
    Waypoint::new(snap.clone()).with_approach(Approach::Along)
}

/// Log transition probabilities `[from][to]` between two layers (`-inf` where impossible),
/// and whether the vehicle holds its place on that transition.
///
/// A candidate behind its predecessor on the same directed edge is not a loop round the
/// block but a standing (or crawling) vehicle whose fix jittered backwards: the vehicle stays
/// where it was (no route, so the transition costs the straight distance between the fixes)
/// and the fix's emission is taken at that held position, so a far backward jump is as
/// unlikely as the GPS noise makes it and a real loop still wins when the fix is far behind.
fn transitions(
    graph: &Graph,
    from: &Layer,
    to: &[Candidate],
    fix: &Fix,
    max_excess_m: f64,
    opts: &MatchOptions,
) -> Result<Transitions> {
    let sources: Vec<Waypoint> = from.candidates.iter().map(|c| waypoint(&c.snap)).collect();
    let targets: Vec<Waypoint> = to.iter().map(|c| waypoint(&c.snap)).collect();
    let matrix = graph.matrix(&sources, &targets)?;
    let mut log_p = vec![vec![f64::NEG_INFINITY; to.len()]; from.candidates.len()];
    let mut held = vec![vec![false; to.len()]; from.candidates.len()];
    for (i, a) in from.candidates.iter().enumerate() {
        if from.score[i] == f64::NEG_INFINITY {
            continue;
        }
        for (j, b) in to.iter().enumerate() {
            if a.snap.edge == b.snap.edge && b.snap.fraction < a.snap.fraction {
                let at_held = road_distance_m(fix.point, a.snap.point);
                // The held position carries the previous fix's noise too: beyond twice the
                // fix's search radius the vehicle did not stand (OSRM splits such traces).
                if at_held > 2.0 * fix.radius_m {
                    continue;
                }
                let held_emission = -0.5 * (at_held / fix.sigma_m).powi(2);
                log_p[i][j] = -fix.straight_m / opts.beta_m + held_emission - b.log_emission;
                held[i][j] = true;
                continue;
            }
            let route_m = matrix.distance_m(i, j);
            if route_m.is_finite() && route_m - fix.straight_m <= max_excess_m {
                log_p[i][j] = -(route_m - fix.straight_m).abs() / opts.beta_m;
            }
        }
    }
    Ok(Transitions { log_p, held })
}

/// The fix a layer is built for, as the transitions into it see it.
struct Fix {
    point: Point<f64>,
    sigma_m: f64,
    /// Candidates of the fix lie within this distance of it, metres.
    radius_m: f64,
    /// Great-circle distance from the previous fix, metres.
    straight_m: f64,
}

/// See [`transitions`].
struct Transitions {
    log_p: Vec<Vec<f64>>,
    held: Vec<Vec<bool>>,
}

/// Matches a trace onto the graph's roads (which respect the graph's profile: one-ways, turn
/// restrictions, access).
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
/// use kerb_match::{edge_share, generate_trace, match_trace, MatchOptions, TraceOptions};
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let w = |x, y| g.snap(Point::new(x, y), &SnapOptions::default()).map(Waypoint::new);
/// let route = g.route(&[w(24.9384, 60.1699)?, w(24.9500, 60.1750)?])?;
/// let opts = TraceOptions { interval_s: 5.0, ..TraceOptions::default() };
/// let trace = generate_trace(&g, &route, &[], &opts)?.trace;
/// let matched = match_trace(&g, &trace, &MatchOptions::default())?;
/// assert!(edge_share(&route, &matched) > 0.9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn match_trace(graph: &Graph, trace: &Trace, opts: &MatchOptions) -> Result<MatchResult> {
    match_trace_cancellable(graph, trace, opts, &AtomicBool::new(false))
}

/// [`match_trace`] that gives up with [`Error::Cancelled`] soon after `cancel` turns true
/// (it is checked before each fix), so a server can stop work whose client went away.
pub fn match_trace_cancellable(
    graph: &Graph,
    trace: &Trace,
    opts: &MatchOptions,
    cancel: &AtomicBool,
) -> Result<MatchResult> {
    opts.validate()?;
    let points = trace.points();
    let mut tracepoints: Vec<Option<MatchedPoint>> = vec![None; points.len()];
    let mut matchings = Vec::new();
    let mut lattice: Vec<Layer> = Vec::new();
    for (index, fix) in points.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let sigma = fix.accuracy_m.unwrap_or(opts.sigma_m).max(1.0);
        // Three standard deviations hold 99 % of the fixes (OSRM searches the same).
        let radius = fix
            .accuracy_m
            .map_or(opts.radius_m, |a| opts.radius_m.max(3.0 * a));
        let mut cands = candidates(graph, fix.point, sigma, radius, opts)?;
        if cands.is_empty() {
            continue;
        }
        let layer = match lattice.last() {
            None => None,
            Some(prev) => {
                let prev_fix = &points[prev.trace_index];
                let gap = match (prev_fix.time_s, fix.time_s) {
                    (Some(a), Some(b)) => Some(b - a),
                    _ => None,
                };
                if gap.is_some_and(|g| g > opts.max_gap_s) {
                    None
                } else {
                    let to_fix = Fix {
                        point: fix.point,
                        sigma_m: sigma,
                        radius_m: radius,
                        straight_m: haversine_m(prev_fix.point, fix.point),
                    };
                    let max_excess = gap.map_or(opts.max_detour_m, |g| {
                        opts.max_detour_m.min(g.max(1.0) * opts.max_speed_mps)
                    });
                    let trans = transitions(graph, prev, &cands, &to_fix, max_excess, opts)?;
                    let mut score = vec![f64::NEG_INFINITY; cands.len()];
                    let mut back = vec![0; cands.len()];
                    for (j, c) in cands.iter().enumerate() {
                        for (i, row) in trans.log_p.iter().enumerate() {
                            let s = prev.score[i] + row[j] + c.log_emission;
                            if s > score[j] {
                                score[j] = s;
                                back[j] = i;
                            }
                        }
                    }
                    // A held candidate is where its predecessor was: the next transitions
                    // start from there.
                    for (j, c) in cands.iter_mut().enumerate() {
                        if score[j].is_finite() && trans.held[back[j]][j] {
                            let held = &prev.candidates[back[j]].snap;
                            c.snap = Snap {
                                distance_m: road_distance_m(fix.point, held.point),
                                ..held.clone()
                            };
                        }
                    }
                    score.iter().any(|s| s.is_finite()).then_some((score, back))
                }
            }
        };
        let (score, back) = match layer {
            Some(sb) => sb,
            None => {
                finish(
                    graph,
                    points,
                    &mut lattice,
                    &mut matchings,
                    &mut tracepoints,
                )?;
                (
                    cands.iter().map(|c| c.log_emission).collect(),
                    vec![0; cands.len()],
                )
            }
        };
        // Normalise so long traces do not run the scores towards -inf.
        let best = score.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        lattice.push(Layer {
            trace_index: index,
            candidates: cands,
            score: score.iter().map(|s| s - best).collect(),
            back,
        });
    }
    finish(
        graph,
        points,
        &mut lattice,
        &mut matchings,
        &mut tracepoints,
    )?;
    if matchings.is_empty() {
        return Err(Error::NoMatch {
            reason: format!(
                "no two consecutive fixes have plausibly connected roads within {} m",
                opts.radius_m
            ),
        });
    }
    Ok(MatchResult {
        matchings,
        tracepoints,
    })
}

/// Backtracks the lattice into a matching (if it has two fixes or more) and clears it.
fn finish(
    graph: &Graph,
    points: &[crate::trace::TracePoint],
    lattice: &mut Vec<Layer>,
    matchings: &mut Vec<Matching>,
    tracepoints: &mut [Option<MatchedPoint>],
) -> Result<()> {
    let layers = std::mem::take(lattice);
    if layers.len() < 2 {
        return Ok(());
    }
    let last = layers.last().expect("two layers");
    let mut k = (0..last.score.len())
        .max_by(|&a, &b| last.score[a].total_cmp(&last.score[b]))
        .unwrap_or(0);
    let mut chosen = vec![0; layers.len()];
    for (li, layer) in layers.iter().enumerate().rev() {
        chosen[li] = k;
        k = layer.back[k];
    }
    // Candidates on the best path to some viable candidate of the last fix, as OSRM counts
    // alternatives: the chosen path first, then every other back-path until it joins one.
    let mut reachable: Vec<Vec<bool>> = layers
        .iter()
        .map(|l| vec![false; l.candidates.len()])
        .collect();
    for (li, &c) in chosen.iter().enumerate() {
        reachable[li][c] = true;
    }
    let last_li = layers.len() - 1;
    for (start, score) in last.score.iter().enumerate() {
        if !score.is_finite() {
            continue;
        }
        let (mut li, mut c) = (last_li, start);
        while !reachable[li][c] {
            reachable[li][c] = true;
            if li == 0 {
                break;
            }
            c = layers[li].back[c];
            li -= 1;
        }
    }
    let snaps: Vec<Snap> = layers
        .iter()
        .zip(&chosen)
        .map(|(l, &c)| l.candidates[c].snap.clone())
        .collect();
    let waypoints: Vec<Waypoint> = snaps.iter().map(waypoint).collect();
    let route = graph.route(&waypoints)?;
    // A fix matched onto the node at the start of an edge its leg never enters (the route
    // trims zero-length end pieces) lies at the end of the edge the leg arrives on, and one at
    // the end of an edge its next leg never drives at the start of the edge that leg leaves by.
    let mut snaps = snaps;
    for (wi, snap) in snaps.iter_mut().enumerate() {
        let arriving = wi
            .checked_sub(1)
            .and_then(|l| route.legs.get(l)?.segments.last());
        let leaving = route.legs.get(wi).and_then(|l| l.segments.first());
        if snap.fraction <= 1e-9 {
            if let Some(last) =
                arriving.filter(|s| s.edge != snap.edge && s.to_fraction >= 1.0 - 1e-9)
            {
                (snap.edge, snap.fraction) = (last.edge, 1.0);
            }
        } else if snap.fraction >= 1.0 - 1e-9 {
            if let Some(first) = leaving.filter(|s| s.edge != snap.edge && s.from_fraction <= 1e-9)
            {
                (snap.edge, snap.fraction) = (first.edge, 0.0);
            }
        }
    }
    let index = matchings.len();
    let trace_indices: Vec<usize> = layers.iter().map(|l| l.trace_index).collect();
    let polyline_m: f64 = trace_indices
        .windows(2)
        .map(|w| haversine_m(points[w[0]].point, points[w[1]].point))
        .sum();
    let longer = route.distance_m.max(polyline_m);
    let confidence = if longer > 0.0 {
        route.distance_m.min(polyline_m) / longer
    } else {
        1.0
    };
    for (wi, (layer, snap)) in layers.iter().zip(snaps).enumerate() {
        tracepoints[layer.trace_index] = Some(MatchedPoint {
            trace_index: layer.trace_index,
            snap,
            time_s: points[layer.trace_index].time_s,
            matching: index,
            waypoint_index: wi,
            alternatives_count: reachable[wi].iter().filter(|&&r| r).count() - 1,
        });
    }
    matchings.push(Matching {
        confidence,
        distance_m: route.distance_m,
        duration_s: route.duration_s,
        geometry: route.geometry,
        legs: route.legs,
        trace_indices,
    });
    Ok(())
}
