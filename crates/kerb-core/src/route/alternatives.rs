//! Alternative routes between two waypoints by the penalty method (Bader, Dees, Geisberger and
//! Sanders, "Alternative route graphs in road networks", the scheme GraphHopper and Valhalla
//! follow in spirit): the roads of every route found so far cost `PENALTY` times their travel
//! time, the search runs again, and a new path is kept when it is plausible against the best
//! route: at most `MAX_STRETCH` times its travel time, at most `MAX_SHARING` of its length on
//! roads of routes already kept, and without turning around on the road.
//!
//! OSRM's CH answer (via-node alternatives) applies the same two limits (stretch 25 %, sharing
//! 75 % on the contraction hierarchy); the penalty method finds routes through any corridor,
//! not only through one via node, and needs no preprocessing beyond the turn graph.

use std::collections::HashSet;

use super::seed::{path_segments, source_accesses, source_seeds, target_accesses, target_seeds};
use super::{Network, RouteSegment, Waypoint};
use crate::ids::GEOM_REVERSED;
use crate::search::{self, Workspace};

/// Factor on the travel time of roads used by routes found so far.
const PENALTY: f64 = 1.4;
/// Longest alternative, relative to the travel time of the best route.
pub(crate) const MAX_STRETCH: f64 = 1.25;
/// Largest share of an alternative's length on roads of routes already kept.
pub(crate) const MAX_SHARING: f64 = 0.75;
/// Searches per requested alternative before giving up.
const ROUNDS_PER_ALTERNATIVE: usize = 4;

/// The undirected road of an edge (both directions share one geometry).
fn road_of(net: Network<'_>, edge: u32) -> u32 {
    net.road.geom[edge as usize] & !GEOM_REVERSED
}

/// Up to `wanted` alternatives to `best` (the segments of the fastest path from `from` to
/// `to`), best first; fewer (or none) when no plausible one exists.
pub(crate) fn alternative_legs(
    net: Network<'_>,
    ws: &mut Workspace,
    from: &Waypoint,
    to: &Waypoint,
    best: &[RouteSegment],
    wanted: usize,
) -> Vec<Vec<RouteSegment>> {
    let tg = net.turns;
    let best_s: f64 = best.iter().map(|s| s.duration_s).sum();
    if wanted == 0 || best.len() < 2 || best_s <= 0.0 {
        return Vec::new();
    }
    let src = source_accesses(net, from);
    let dst = target_accesses(net, to);
    let reverse = net.road.reverse_edges();
    // Extra milliseconds for entering each node of the turn graph (a directed road edge).
    let mut extra = vec![0u32; tg.num_nodes()];
    let mut used_roads: HashSet<u32> = HashSet::new();
    let penalize = |extra: &mut Vec<u32>, used: &mut HashSet<u32>, segs: &[RouteSegment]| {
        for s in segs {
            let e = s.edge.0;
            used.insert(road_of(net, e));
            for x in [e, reverse[e as usize]] {
                if x as usize >= tg.num_edges() {
                    continue; // a one-way road has no reverse edge
                }
                let add = (tg.edge_weight_ms(x) as f64 * (PENALTY - 1.0)).round() as u32;
                // The copies of a via edge cost what the edge costs.
                let copies: Vec<u32> = tg.copies_of(x).collect();
                for node in std::iter::once(x).chain(copies) {
                    if let Some(slot) = extra.get_mut(node as usize) {
                        *slot = slot.saturating_add(add);
                    }
                }
            }
        }
    };
    penalize(&mut extra, &mut used_roads, best);
    let mut out: Vec<Vec<RouteSegment>> = Vec::new();
    for _ in 0..wanted * ROUNDS_PER_ALTERNATIVE {
        if out.len() >= wanted {
            break;
        }
        let (mut seeds, origins) = source_seeds(tg, &src);
        for s in &mut seeds {
            s.weight += extra[s.node as usize] as i64;
        }
        let (tseeds, reached) = target_seeds(tg, &dst);
        let Some(path) =
            search::dijkstra_penalized(tg, &mut ws.dijkstra, &seeds, &tseeds, net.filter(), &extra)
        else {
            break;
        };
        let segs = path_segments(net.road, tg, &src, &origins, (&dst, &reached), &path);
        let duration: f64 = segs.iter().map(|s| s.duration_s).sum();
        let length: f64 = segs.iter().map(|s| s.distance_m).sum();
        if duration > best_s * MAX_STRETCH {
            // Penalties only grow: every later path is slower still.
            break;
        }
        let shared: f64 = segs
            .iter()
            .filter(|s| used_roads.contains(&road_of(net, s.edge.0)))
            .map(|s| s.distance_m)
            .sum();
        let turns_around = segs
            .windows(2)
            .any(|w| reverse[w[0].edge.index()] == w[1].edge.0);
        let plausible = length > 0.0 && shared <= MAX_SHARING * length && !turns_around;
        penalize(&mut extra, &mut used_roads, &segs);
        if plausible {
            out.push(segs);
        }
    }
    out
}
