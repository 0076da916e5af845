//! Roundabouts and rotaries, after OSRM's `RoundaboutHandler` (`src/guidance/roundabout_handler.cpp`):
//! the kind of ring (a small roundabout announced as a turn, a normal roundabout, or a named
//! rotary), and the instructions for entering, staying on and leaving it.

use std::collections::HashSet;

use kerb_core::{EdgeId, Graph, NodeId};

use super::instruction::{turn_direction, Instruction, TurnType};
use super::intersection::{angular_deviation, Intersection, STRAIGHT_ANGLE};
use super::names::requires_name_announced;
use super::road::road;
use super::turn::{FUZZY_ANGLE_DIFFERENCE, NARROW_TURN_ANGLE};

/// Named roundabouts with a larger radius are rotaries (metres).
const MAX_ROUNDABOUT_RADIUS: f64 = 15.0;
/// Unnamed small roundabouts that look like intersections are announced as turns up to this
/// radius (metres).
const MAX_ROUNDABOUT_INTERSECTION_RADIUS: f64 = 15.0;

/// OSRM's `RoundaboutType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RingKind {
    None,
    Roundabout,
    Rotary,
    Intersection,
}

fn on_ring(g: &Graph, e: EdgeId) -> (bool, bool) {
    let r = road(g, e);
    (r.roundabout, r.circular)
}

/// Every road at a node: outgoing edges, and incoming one-way edges as `(edge, false)`.
fn roads_at(g: &Graph, n: NodeId) -> Vec<(EdgeId, bool)> {
    let mut v: Vec<(EdgeId, bool)> = g.out_edges(n).map(|e| (e, true)).collect();
    for &i in g.in_edges_of(n) {
        let i = EdgeId(i);
        if g.reverse_edge(i).is_none() {
            v.push((i, false));
        }
    }
    v
}

/// Bearing of the first piece of a road leaving `n` (`outgoing`) or of a one-way road into it.
fn bearing_from(g: &Graph, e: EdgeId, outgoing: bool) -> f64 {
    let pts = g.edge_points(e);
    if outgoing {
        super::intersection::first_bearing(&pts)
    } else {
        (super::intersection::last_bearing(&pts) + 180.0) % 360.0
    }
}

/// OSRM's `qualifiesAsRoundaboutIntersection`.
fn qualifies_as_intersection(g: &Graph, nodes: &HashSet<NodeId>) -> bool {
    if nodes.len() > 4 {
        return false;
    }
    if nodes.iter().any(|&n| roads_at(g, n).len() > 3) {
        return false;
    }
    let mut bearings: Vec<f64> = Vec::new();
    for &n in nodes {
        if let Some(&(e, out)) = roads_at(g, n).iter().find(|&&(e, _)| {
            let (r, c) = on_ring(g, e);
            !r && !c
        }) {
            bearings.push(bearing_from(g, e, out));
        }
    }
    bearings.sort_by(f64::total_cmp);
    (0..bearings.len()).all(|i| {
        let d = (bearings[(i + 1) % bearings.len()] - bearings[i]).abs();
        d > NARROW_TURN_ANGLE
    })
}

/// OSRM's `getRoundaboutType` of the ring through node `n`.
pub(crate) fn ring_kind(g: &Graph, n: NodeId) -> RingKind {
    let roads = roads_at(g, n);
    let (mut roundabout, mut circular) = (false, false);
    for &(e, _) in &roads {
        let (r, c) = on_ring(g, e);
        roundabout |= r;
        circular |= c;
    }
    if roundabout == circular {
        return RingKind::None;
    }
    let mut ring_names: Vec<EdgeId> = Vec::new();
    let mut connected_names: HashSet<String> = HashSet::new();
    let mut nodes: HashSet<NodeId> = HashSet::new();
    let mut visited: HashSet<NodeId> = HashSet::new();
    let mut length = 0.0;
    let mut at = n;
    while visited.insert(at) {
        let roads = roads_at(g, at);
        if roads.len() > 2 {
            nodes.insert(at);
        }
        let ring_roads = roads
            .iter()
            .filter(|&&(e, _)| {
                let (r, c) = on_ring(g, e);
                r || c
            })
            .count();
        if ring_roads != 2 {
            return RingKind::None;
        }
        let mut next: Option<EdgeId> = None;
        for &(e, out) in &roads {
            let rd = road(g, e);
            if out && rd.roundabout == roundabout && rd.circular == circular {
                if next.is_some() {
                    return RingKind::None; // a fork in the ring
                }
                if !rd.name.is_empty()
                    && ring_names
                        .iter()
                        .all(|&k| requires_name_announced(&road(g, k), &rd, true))
                {
                    ring_names.push(e);
                }
                next = Some(e);
            } else if !rd.roundabout && !rd.circular {
                connected_names.insert(rd.name.to_string());
            }
        }
        let Some(e) = next else {
            return RingKind::None;
        };
        length += g.edge(e).distance_m;
        at = g.edge(e).to;
        if at == n {
            break;
        }
    }
    if nodes.is_empty() {
        return RingKind::None;
    }
    if nodes.len() == 1 && roundabout {
        return RingKind::Intersection;
    }
    let radius = length * 0.5 / std::f64::consts::PI;
    let is_rotary = ring_names.len() == 1
        && (circular
            || (!connected_names.contains(road(g, ring_names[0]).name)
                && radius > MAX_ROUNDABOUT_RADIUS));
    if is_rotary {
        return RingKind::Rotary;
    }
    if circular {
        return RingKind::None;
    }
    if qualifies_as_intersection(g, &nodes) && radius < MAX_ROUNDABOUT_INTERSECTION_RADIUS {
        return RingKind::Intersection;
    }
    RingKind::Roundabout
}

fn enter(kind: RingKind, at_exit: bool, exit_too: bool) -> TurnType {
    use TurnType::*;
    match (kind, at_exit, exit_too) {
        (RingKind::Rotary, _, true) => EnterAndExitRotary,
        (RingKind::Intersection, _, true) => EnterAndExitRoundaboutIntersection,
        (_, _, true) => EnterAndExitRoundabout,
        (RingKind::Rotary, true, _) => EnterRotaryAtExit,
        (RingKind::Rotary, false, _) => EnterRotary,
        (RingKind::Intersection, true, _) => EnterRoundaboutIntersectionAtExit,
        (RingKind::Intersection, false, _) => EnterRoundaboutIntersection,
        (_, true, _) => EnterRoundaboutAtExit,
        _ => EnterRoundabout,
    }
}

fn exit(kind: RingKind) -> TurnType {
    match kind {
        RingKind::Rotary => TurnType::ExitRotary,
        RingKind::Intersection => TurnType::ExitRoundaboutIntersection,
        _ => TurnType::ExitRoundabout,
    }
}

/// The instructions of every road of `ix` when the node lies on a ring (`None` when it does
/// not, and the ordinary turn handler applies).
pub(crate) fn instructions(g: &Graph, ix: &Intersection) -> Option<Vec<Option<Instruction>>> {
    let in_road = ix.in_road();
    let touches_ring = in_road.on_ring() || ix.roads.iter().any(|r| r.entry && r.road.on_ring());
    if !touches_ring {
        return None;
    }
    let kind = ring_kind(g, ix.node);
    if kind == RingKind::None {
        return None;
    }
    let from_node = g.edge(ix.in_edge).from;
    let n = ix.roads.len();
    let mut out = vec![None; n];
    if in_road.on_ring() {
        let directed_out = g.out_edges(ix.node).count();
        for (i, r) in ix.roads.iter().enumerate() {
            let dir = turn_direction(r.angle);
            if r.road.on_ring() {
                if r.out_edge.is_none() {
                    continue;
                }
                out[i] = Some(if directed_out == 1 {
                    if n == 2 {
                        Instruction::no_turn()
                    } else {
                        Instruction::new(TurnType::Suppressed, dir)
                    }
                } else {
                    let non_ignorable_exit = g.out_edges(ix.node).any(|e| {
                        let rd = road(g, e);
                        !rd.on_ring() && !rd.class.low_priority
                    });
                    if r.road.class.low_priority || non_ignorable_exit {
                        Instruction::new(TurnType::StayOnRoundabout, dir)
                    } else {
                        Instruction::new(TurnType::Suppressed, dir)
                    }
                });
            } else {
                out[i] = Some(Instruction::new(exit(kind), dir));
            }
        }
        return Some(out);
    }
    // Entering: can the ring be left right here before entering it (an exit to the right of
    // the entry, in right-hand traffic)?
    let mut can_enter = false;
    let mut can_exit_separately = false;
    for r in &ix.roads {
        let Some(e) = r.out_edge.filter(|_| r.entry) else {
            continue;
        };
        if r.road.on_ring() {
            can_enter = true;
        } else if g.edge(e).to != from_node && !can_enter {
            can_exit_separately = true;
        }
    }
    let mut crossing = false;
    for (i, r) in ix.roads.iter().enumerate() {
        if r.road.on_ring() {
            crossing = !crossing;
        }
        if !r.entry {
            continue;
        }
        let dir = turn_direction(r.angle);
        out[i] = Some(if r.road.on_ring() {
            Instruction::new(enter(kind, can_exit_separately, false), dir)
        } else if angular_deviation(r.angle, STRAIGHT_ANGLE) < FUZZY_ANGLE_DIFFERENCE && crossing {
            // A throughabout: the road crosses the ring.
            let mut turns = super::turn::TurnHandler::run(ix);
            turns[i]
                .take()
                .unwrap_or(Instruction::new(TurnType::Suppressed, dir))
        } else {
            Instruction::new(enter(kind, false, true), dir)
        });
    }
    Some(out)
}
