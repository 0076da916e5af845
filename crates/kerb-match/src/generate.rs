//! Synthetic traces driven along a [`Route`]: a sample every `interval_s`, seeded Gaussian
//! noise, dropouts and dwells at waypoints, with the true position of every sample kept.

use kerb_core::{EdgeId, Graph, Point, Route};
use rand::{Rng, SeedableRng};

use crate::error::{Error, Result};
use crate::trace::{Trace, TracePoint};

/// How a synthetic trace is sampled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceOptions {
    /// Seconds between fixes.
    pub interval_s: f64,
    /// Standard deviation of the noise in metres, on each of east and north.
    pub noise_m: f64,
    /// Probability that a fix is lost (0 = none).
    pub dropout: f64,
    /// Timestamp of the route's start, seconds.
    pub start_s: f64,
    /// Seed of the noise and dropouts.
    pub seed: u64,
}

impl Default for TraceOptions {
    /// 1 s sampling, 5 m noise, no dropouts, start at 0, seed 1.
    fn default() -> Self {
        TraceOptions {
            interval_s: 1.0,
            noise_m: 5.0,
            dropout: 0.0,
            start_s: 0.0,
            seed: 1,
        }
    }
}

/// Where the vehicle really was when a fix was taken.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TruePosition {
    /// Directed edge driven.
    pub edge: EdgeId,
    /// Position along it (0 at the tail).
    pub fraction: f64,
    /// The point on the road.
    pub point: Point<f64>,
}

/// A synthetic trace and the truth behind each of its fixes.
#[derive(Clone, Debug)]
pub struct GeneratedTrace {
    /// The noisy fixes (with timestamps, and the noise level as accuracy).
    pub trace: Trace,
    /// `truth[i]` is where fix `i` was really taken.
    pub truth: Vec<TruePosition>,
}

/// A stretch of the drive at constant speed on one edge (or a dwell when `f0 == f1`).
struct Piece {
    edge: EdgeId,
    f0: f64,
    f1: f64,
    duration_s: f64,
}

/// The point at `fraction` along directed edge `e`.
pub fn point_at(graph: &Graph, e: EdgeId, fraction: f64) -> Point<f64> {
    let pts = graph.partial_points(e, 0.0, fraction.clamp(0.0, 1.0));
    pts[pts.len() - 1]
}

/// Drives `route` at its segment speeds, dwelling `dwell_s[i]` seconds at waypoint `i`
/// (`dwell_s` may be empty or shorter than the number of waypoints: missing dwells are 0),
/// and samples a fix every `opts.interval_s`.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, Point, Profile, SnapOptions, Waypoint};
/// use kerb_match::{generate_trace, TraceOptions};
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let w = |x, y| g.snap(Point::new(x, y), &SnapOptions::default()).map(Waypoint::new);
/// let route = g.route(&[w(24.9384, 60.1699)?, w(24.9500, 60.1750)?])?;
/// let t = generate_trace(&g, &route, &[30.0], &TraceOptions::default())?;
/// assert!(t.trace.len() as f64 >= route.duration_s + 30.0);
/// # Ok::<(), kerb_match::Error>(())
/// ```
pub fn generate_trace(
    graph: &Graph,
    route: &Route,
    dwell_s: &[f64],
    opts: &TraceOptions,
) -> Result<GeneratedTrace> {
    if !(opts.interval_s.is_finite() && opts.interval_s > 0.0) {
        return Err(Error::InvalidOption {
            name: "interval_s",
            reason: format!("{} is not a positive number of seconds", opts.interval_s),
        });
    }
    if !(opts.noise_m.is_finite() && opts.noise_m >= 0.0 && (0.0..1.0).contains(&opts.dropout)) {
        return Err(Error::InvalidOption {
            name: "noise_m/dropout",
            reason: "noise must be >= 0 m and dropout in [0, 1)".into(),
        });
    }
    let mut pieces = Vec::new();
    let dwell = |i: usize| dwell_s.get(i).copied().unwrap_or(0.0).max(0.0);
    for (i, leg) in route.legs.iter().enumerate() {
        if let Some(first) = leg.segments.first() {
            pieces.push(Piece {
                edge: first.edge,
                f0: first.from_fraction,
                f1: first.from_fraction,
                duration_s: dwell(i),
            });
        }
        for s in &leg.segments {
            pieces.push(Piece {
                edge: s.edge,
                f0: s.from_fraction,
                f1: s.to_fraction,
                duration_s: s.duration_s,
            });
        }
    }
    if let Some(last) = route.legs.iter().rev().find_map(|l| l.segments.last()) {
        pieces.push(Piece {
            edge: last.edge,
            f0: last.to_fraction,
            f1: last.to_fraction,
            duration_s: dwell(route.legs.len()),
        });
    }
    let total_s: f64 = pieces.iter().map(|p| p.duration_s).sum();
    let mut rng = rand::rngs::StdRng::seed_from_u64(opts.seed);
    let mut points = Vec::new();
    let mut truth = Vec::new();
    let (mut piece, mut piece_start) = (0, 0.0);
    let mut k = 0u64;
    loop {
        let t = k as f64 * opts.interval_s;
        if t > total_s + 1e-9 || pieces.is_empty() {
            break;
        }
        k += 1;
        while piece + 1 < pieces.len() && piece_start + pieces[piece].duration_s < t {
            piece_start += pieces[piece].duration_s;
            piece += 1;
        }
        let p = &pieces[piece];
        let along = if p.duration_s > 0.0 {
            ((t - piece_start) / p.duration_s).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let fraction = p.f0 + (p.f1 - p.f0) * along;
        let on_road = point_at(graph, p.edge, fraction);
        // Draw the noise even for dropped fixes, so a trace with dropouts has the same noise
        // at the fixes it keeps as one without.
        let (east, north) = (gaussian(&mut rng), gaussian(&mut rng));
        if opts.dropout > 0.0 && rng.gen::<f64>() < opts.dropout {
            continue;
        }
        let metres_per_deg_lat = 111_195.0;
        let metres_per_deg_lon = metres_per_deg_lat * on_road.y().to_radians().cos();
        let noisy = TracePoint::new(
            on_road.x() + east * opts.noise_m / metres_per_deg_lon,
            on_road.y() + north * opts.noise_m / metres_per_deg_lat,
        )
        .with_time_s(opts.start_s + t)
        .with_accuracy_m(opts.noise_m.max(1.0));
        points.push(noisy);
        truth.push(TruePosition {
            edge: p.edge,
            fraction,
            point: on_road,
        });
    }
    Ok(GeneratedTrace {
        trace: Trace::new(points)?,
        truth,
    })
}

/// A standard normal draw (Box-Muller), so no distribution crate is needed.
fn gaussian(rng: &mut impl Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Share of `truth`'s length driven on directed edges that the matched route also drives:
/// the accuracy measure of the matcher on a generated trace (1.0 = every metre on the right
/// edge in the right direction).
pub fn edge_share(truth: &Route, matched: &crate::matcher::MatchResult) -> f64 {
    let matched_edges: std::collections::HashSet<EdgeId> = matched
        .matchings
        .iter()
        .flat_map(|m| m.legs.iter())
        .flat_map(|l| l.segments.iter().map(|s| s.edge))
        .collect();
    let (mut right, mut total) = (0.0, 0.0);
    for s in truth.legs.iter().flat_map(|l| l.segments.iter()) {
        total += s.distance_m;
        if matched_edges.contains(&s.edge) {
            right += s.distance_m;
        }
    }
    if total > 0.0 {
        right / total
    } else {
        1.0
    }
}
