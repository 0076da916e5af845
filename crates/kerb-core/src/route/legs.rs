//! Route legs: the fastest turn-aware path between consecutive waypoints (CH or Dijkstra, or
//! straight along one edge), and their assembly into a [`Route`] with its geometry.

use geo::{LineString, Point};

use super::seed::{
    direct, path_segments, source_accesses, source_seeds, target_accesses, target_seeds, Access,
};
use super::{Algorithm, Network, Route, RouteLeg, RouteSegment, ViaRule, Waypoint};
use crate::error::{Error, Result};
use crate::graph::RoadGraph;
use crate::ids::EdgeId;
use crate::profile::UTurnPolicy;
use crate::search::{self, Workspace};

/// Checks that a waypoint's snap belongs to `g`.
pub(crate) fn check_waypoint(g: &RoadGraph, w: &Waypoint) -> Result<()> {
    if w.snap.edge.index() >= g.num_edges() || !(0.0..=1.0).contains(&w.snap.fraction) {
        return Err(Error::InvalidInput(
            "waypoint snap does not belong to this graph".into(),
        ));
    }
    Ok(())
}

/// Fastest route through the waypoints with a chosen search; all searches obey the same turn
/// rules and return equally fast routes.
pub(crate) fn route_with(
    net: Network<'_>,
    ws: &mut Workspace,
    waypoints: &[Waypoint],
    algorithm: Algorithm,
    via: ViaRule,
) -> Result<Route> {
    if waypoints.len() < 2 {
        return Err(Error::InvalidInput(format!(
            "a route needs at least 2 waypoints, got {}",
            waypoints.len()
        )));
    }
    for w in waypoints {
        check_waypoint(net.road, w)?;
    }
    if algorithm == Algorithm::Ch && net.ch.is_none() && net.cch.is_none() {
        return Err(Error::InvalidInput(
            "the graph has no contraction hierarchy".into(),
        ));
    }
    // Unless U-turns are allowed anywhere, a vehicle leaves an intermediate waypoint in the
    // direction it arrived in (no turning around at a stop in the middle of the road).
    let keep_heading = match via {
        ViaRule::Profile => net.profile.turn_costs.u_turn != UTurnPolicy::Allowed,
        ViaRule::ContinueStraight => true,
        ViaRule::TurnAround => false,
    };
    let mut legs = Vec::with_capacity(waypoints.len() - 1);
    let mut arrived: Option<Access> = None;
    for (i, pair) in waypoints.windows(2).enumerate() {
        let src = match arrived {
            Some(a) if keep_heading => vec![a],
            _ => source_accesses(net, &pair[0]),
        };
        let segs = turn_leg_from(net, ws, &src, &pair[1], algorithm)
            .ok_or(Error::NoRoute { from: i, to: i + 1 })?;
        arrived = segs.last().map(|s| Access {
            edge: s.edge.0,
            fraction: s.to_fraction,
        });
        legs.push(make_leg(trim_zero_length_ends(segs)));
    }
    Ok(assemble(net.road, legs))
}

/// Segments of the fastest turn-aware path between two waypoints.
pub(crate) fn turn_leg(
    net: Network<'_>,
    ws: &mut Workspace,
    from: &Waypoint,
    to: &Waypoint,
    algorithm: Algorithm,
) -> Option<Vec<RouteSegment>> {
    turn_leg_from(net, ws, &source_accesses(net, from), to, algorithm)
}

/// Segments of the fastest turn-aware path from any of the accesses to a waypoint.
fn turn_leg_from(
    net: Network<'_>,
    ws: &mut Workspace,
    src: &[Access],
    to: &Waypoint,
    algorithm: Algorithm,
) -> Option<Vec<RouteSegment>> {
    let tg = net.turns;
    let dst = target_accesses(net, to);
    let (seeds, origins) = source_seeds(tg, src);
    let (tseeds, reached) = target_seeds(tg, &dst);
    let path = match (net.ch, net.cch, algorithm) {
        (Some(ch), _, Algorithm::Auto | Algorithm::Ch) => {
            search::ch_path(ch, &mut ws.ch, &seeds, &tseeds)
        }
        (None, Some(cch), Algorithm::Auto | Algorithm::Ch) => {
            search::cch_path(cch, &mut ws.cch, &seeds, &tseeds)
        }
        _ => search::dijkstra(tg, &mut ws.dijkstra, &seeds, &tseeds, net.filter()),
    };
    let direct = direct(tg, src, &dst);
    let take_path = match (&path, &direct) {
        (Some(p), Some(d)) => p.weight < d.0,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if take_path {
        let p = path?;
        return Some(path_segments(
            net.road,
            tg,
            src,
            &origins,
            (&dst, &reached),
            &p,
        ));
    }
    let (w, _, i, j) = direct?;
    let (s, t) = (src[i], dst[j]);
    let e = net.road.edge(EdgeId(s.edge));
    Some(vec![RouteSegment {
        edge: EdgeId(s.edge),
        from_fraction: s.fraction,
        to_fraction: t.fraction,
        distance_m: (t.fraction - s.fraction) * e.distance_m,
        duration_s: w as f64 / 1000.0,
    }])
}

/// The segments without a zero-length first or last piece (a waypoint at the end of the edge
/// it leaves by, or at the start of the edge it arrives by), as OSRM's `trimShortSegments`:
/// the route then departs and arrives on the way it travels. The time of a dropped piece (a
/// turn penalty) moves to its neighbour.
fn trim_zero_length_ends(mut segs: Vec<RouteSegment>) -> Vec<RouteSegment> {
    let empty = |s: &RouteSegment| s.to_fraction - s.from_fraction <= 0.0;
    if segs.len() > 1 && empty(&segs[0]) {
        let first = segs.remove(0);
        segs[0].duration_s += first.duration_s;
    }
    if segs.len() > 1 && segs.last().is_some_and(empty) {
        if let Some(last) = segs.pop() {
            if let Some(prev) = segs.last_mut() {
                prev.duration_s += last.duration_s;
            }
        }
    }
    segs
}

/// The route of legs given as their segments (as a search found them: zero-length ends are
/// trimmed here).
pub(crate) fn assemble_legs(g: &RoadGraph, legs: Vec<Vec<RouteSegment>>) -> Route {
    let legs = legs
        .into_iter()
        .map(|segs| make_leg(trim_zero_length_ends(segs)))
        .collect();
    assemble(g, legs)
}

/// A leg from its segments.
fn make_leg(segments: Vec<RouteSegment>) -> RouteLeg {
    RouteLeg {
        distance_m: segments.iter().map(|s| s.distance_m).sum(),
        duration_s: segments.iter().map(|s| s.duration_s).sum(),
        segments,
    }
}

/// The route of the legs, with the geometry of all segments.
fn assemble(g: &RoadGraph, legs: Vec<RouteLeg>) -> Route {
    let mut pts: Vec<Point<f64>> = Vec::new();
    for leg in &legs {
        for s in &leg.segments {
            for p in g.partial_points(s.edge, s.from_fraction, s.to_fraction) {
                if pts.last() != Some(&p) {
                    pts.push(p);
                }
            }
        }
    }
    if pts.len() == 1 {
        pts.push(pts[0]);
    }
    Route {
        distance_m: legs.iter().map(|l| l.distance_m).sum(),
        duration_s: legs.iter().map(|l| l.duration_s).sum(),
        geometry: LineString::from(pts),
        legs,
    }
}
