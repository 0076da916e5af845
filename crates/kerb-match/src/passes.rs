//! The matched route as a table of edge passes: which directed edge was driven, which part of
//! it, and when (entry and exit times interpolated by distance between the matched fixes).
//! Front ends (Python's `Graph.match`) show these rows; the times feed driven speeds.

use kerb_core::EdgeId;

use crate::matcher::MatchResult;

/// One pass over (part of) a directed edge.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgePass {
    /// Index of the matching in [`MatchResult::matchings`].
    pub matching: usize,
    /// The directed edge.
    pub edge: EdgeId,
    /// Part driven, as fractions of the edge (`from <= to`).
    pub from_fraction: f64,
    /// See `from_fraction`.
    pub to_fraction: f64,
    /// Length driven on it, metres.
    pub distance_m: f64,
    /// Travel time of that length for the profile, seconds.
    pub duration_s: f64,
    /// When the vehicle entered the piece, seconds (the trace's clock); `None` without
    /// timestamps.
    pub enter_s: Option<f64>,
    /// When it left the piece; `None` without timestamps.
    pub exit_s: Option<f64>,
}

/// The edge passes of every matching in order. Within a leg (between two matched fixes) the
/// time between the fixes is shared out in proportion to distance; a leg of zero length
/// (the vehicle stood) yields no pass. Consecutive pieces of one edge are joined.
pub fn edge_passes(result: &MatchResult) -> Vec<EdgePass> {
    let time_of = |trace_index: usize| result.tracepoints[trace_index].as_ref()?.time_s;
    let mut out: Vec<EdgePass> = Vec::new();
    for (mi, m) in result.matchings.iter().enumerate() {
        for (leg, ends) in m.legs.iter().zip(m.trace_indices.windows(2)) {
            let (t0, t1) = (time_of(ends[0]), time_of(ends[1]));
            let mut done = 0.0;
            for s in &leg.segments {
                let at = |d: f64| match (t0, t1) {
                    (Some(a), Some(b)) if leg.distance_m > 0.0 => {
                        Some(a + (b - a) * (d / leg.distance_m).clamp(0.0, 1.0))
                    }
                    (Some(a), Some(_)) => Some(a),
                    _ => None,
                };
                let (enter_s, exit_s) = (at(done), at(done + s.distance_m));
                done += s.distance_m;
                if s.distance_m <= 0.0 {
                    continue;
                }
                match out.last_mut() {
                    Some(p)
                        if p.matching == mi
                            && p.edge == s.edge
                            && (p.to_fraction - s.from_fraction).abs() < 1e-9 =>
                    {
                        p.to_fraction = s.to_fraction;
                        p.distance_m += s.distance_m;
                        p.duration_s += s.duration_s;
                        p.exit_s = exit_s;
                    }
                    _ => out.push(EdgePass {
                        matching: mi,
                        edge: s.edge,
                        from_fraction: s.from_fraction,
                        to_fraction: s.to_fraction,
                        distance_m: s.distance_m,
                        duration_s: s.duration_s,
                        enter_s,
                        exit_s,
                    }),
                }
            }
        }
    }
    out
}
