//! Street stretches served along their length (arc routing on the real road network): each
//! pass is a drive from one end of the stretch to the other in one direction, entered and
//! left on the snapped edges of that direction ([`Approach::Along`]), so the planner can
//! chain passes like stops whose entry and exit differ.

use kerb_core::{
    haversine_m, Approach, Graph, Point, RoadClass, SnapComponents, SnapOptions, Waypoint,
};

use crate::day::{CollectionDay, Street, StreetSides};
use crate::generate;
use crate::plan::UnassignedBin;
use crate::Error;

/// One drive along a [`Street`] in one direction.
#[derive(Debug, Clone)]
pub struct StreetPass {
    /// Index into `CollectionDay::streets`.
    pub street: usize,
    /// `true` in the drawing order of the street's coordinates.
    pub forward: bool,
    /// Where the pass starts (on the edge of its direction).
    pub entry: Waypoint,
    /// Where the pass ends.
    pub exit: Waypoint,
    /// Share of the street's waste and collection time taken by this pass (1 or 1/2).
    pub share: f64,
    /// Driving time from entry to exit, seconds.
    pub drive_s: f64,
    /// Driving distance from entry to exit, metres.
    pub drive_m: f64,
}

/// How far inside the stretch the entry and exit points lie, metres: clear of the junctions
/// at its ends, where the neighbouring stretch has the same bearing.
const INSET_M: f64 = 8.0;
/// How much further from the drawing than its middle the entry and exit may snap, metres.
const END_SLACK_M: f64 = 10.0;
/// Bearing tolerance when snapping the entry and exit, degrees.
const BEARING_RANGE: f64 = 40.0;

fn length(pts: &[[f64; 2]]) -> f64 {
    pts.windows(2)
        .map(|w| haversine_m(Point::new(w[0][0], w[0][1]), Point::new(w[1][0], w[1][1])))
        .sum()
}

/// The point `at` metres along `pts` and the bearing there (degrees clockwise from north).
fn along(pts: &[[f64; 2]], at: f64) -> ([f64; 2], f64) {
    let line: Vec<Point> = pts.iter().map(|c| Point::new(c[0], c[1])).collect();
    let len = length(pts);
    let fraction = if len > 0.0 { at / len } else { 0.0 };
    let (p, (east, north)) = generate::along(&line, fraction);
    let bearing = (east.atan2(north).to_degrees() + 360.0) % 360.0;
    ([p.x(), p.y()], bearing)
}

/// Entry and exit waypoints of a drive along `pts` in drawing order, or `None` when that
/// direction may not be driven near one of the ends.
fn pass_ends(graph: &Graph, pts: &[[f64; 2]], radius_m: f64) -> Option<(Waypoint, Waypoint)> {
    let len = length(pts);
    let inset = INSET_M.min(len * 0.25);
    let snap = |at: f64| {
        let (p, b) = along(pts, at);
        let opts = SnapOptions::default()
            .with_radius_m(radius_m)
            .with_bearing(b, BEARING_RANGE)
            .with_components(SnapComponents::MainNetwork);
        graph
            .snap(Point::new(p[0], p[1]), &opts)
            .ok()
            .map(|s| Waypoint::new(s).with_approach(Approach::Along))
    };
    Some((snap(inset)?, snap(len - inset)?))
}

/// Snaps every street into its passes. Streets that cannot be driven (no road within
/// `options.max_snap_m` in a drivable direction, or a route from end to end much longer
/// than the stretch) are returned as unassigned with the reason.
pub fn snap_streets(
    graph: &Graph,
    day: &CollectionDay,
    zigzag: &[RoadClass],
) -> Result<(Vec<StreetPass>, Vec<UnassignedBin>), Error> {
    let mut passes = Vec::new();
    let mut unassigned = Vec::new();
    let radius = day.options.max_snap_m;
    for (i, s) in day.streets.iter().enumerate() {
        match street_passes(graph, i, s, radius, zigzag) {
            Ok(p) => passes.extend(p),
            Err(reason) => unassigned.push(UnassignedBin {
                id: s.id.clone(),
                reason,
            }),
        }
    }
    Ok((passes, unassigned))
}

fn street_passes(
    graph: &Graph,
    index: usize,
    s: &Street,
    radius_m: f64,
    zigzag: &[RoadClass],
) -> Result<Vec<StreetPass>, String> {
    let fwd_pts = s.coordinates.clone();
    let mut back_pts = fwd_pts.clone();
    back_pts.reverse();
    // The road the stretch is drawn on: where its middle snaps. The ends must lie on roads
    // as close to the drawing (so the opposite carriageway of a divided road, a few metres
    // further, does not pass for the other direction of a one-way carriageway).
    let stretch = length(&s.coordinates);
    let (mid, _) = along(&fwd_pts, stretch / 2.0);
    let offset = graph
        .snap(
            Point::new(mid[0], mid[1]),
            &SnapOptions::default()
                .with_radius_m(radius_m)
                .with_components(SnapComponents::MainNetwork),
        )
        .map_err(|_| format!("no road the truck may use within {radius_m} m of the street"))?
        .distance_m;
    let radius_m = (offset + END_SLACK_M).min(radius_m.max(END_SLACK_M));
    let fwd = pass_ends(graph, &fwd_pts, radius_m);
    let back = pass_ends(graph, &back_pts, radius_m);
    let quiet = |w: &Waypoint| zigzag.contains(&graph.edge(w.snap.edge).road_class);
    let dirs: Vec<(bool, (Waypoint, Waypoint))> = match (fwd, back, s.sides) {
        (None, None, _) => {
            return Err(format!(
                "no road the truck may drive along within {radius_m} m of the street"
            ))
        }
        // One-way (or one direction forbidden to trucks): the only pass possible.
        (Some(f), None, _) => vec![(true, f)],
        (None, Some(b), _) => vec![(false, b)],
        (Some(f), Some(_), StreetSides::Once) => vec![(true, f)],
        (Some(f), Some(_), StreetSides::Auto) if quiet(&f.0) => vec![(true, f)],
        (Some(f), Some(b), _) => vec![(true, f), (false, b)],
    };
    let mut out = Vec::with_capacity(dirs.len());
    let mut why = String::new();
    for (forward, (entry, exit)) in dirs {
        let way = if forward {
            "in its drawing direction"
        } else {
            "against its drawing direction"
        };
        // A drive from end to end much longer than the stretch leaves it: that direction
        // cannot be served (e.g. a turn restriction midway).
        match graph.route(&[entry.clone(), exit.clone()]) {
            Ok(r) if r.distance_m <= 1.5 * stretch + 100.0 => out.push(StreetPass {
                street: index,
                forward,
                entry,
                exit,
                share: 1.0,
                drive_s: r.duration_s,
                drive_m: r.distance_m,
            }),
            Ok(r) => {
                why = format!(
                    "cannot drive along the street {way}: the way from one end to the other is {:.0} m for a {:.0} m stretch",
                    r.distance_m, stretch
                )
            }
            Err(e) => why = format!("cannot drive along the street {way}: {e}"),
        }
    }
    if out.is_empty() {
        return Err(why);
    }
    let share = 1.0 / out.len() as f64;
    for p in &mut out {
        p.share = share;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn along_interpolates_by_length() {
        let pts = [[24.0, 60.0], [24.0, 60.001], [24.002, 60.001]];
        let l0 = length(&pts[..2]);
        let (p, b) = along(&pts, l0 / 2.0);
        // Within a few centimetres (the planar and ground lengths differ slightly).
        assert!((p[1] - 60.0005).abs() < 1e-6 && (p[0] - 24.0).abs() < 1e-9);
        assert!(!(1.0..=359.0).contains(&b), "north: {b}");
        let (p, b) = along(&pts, l0 + 1.0);
        assert!(p[0] > 24.0 && (b - 90.0).abs() < 1.0, "east: {b}");
        let (p, _) = along(&pts, 1e9);
        assert_eq!(p, pts[2]);
    }
}
