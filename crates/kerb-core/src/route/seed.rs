//! Seeding turn-aware searches from snapped positions: the directed edges a waypoint can be
//! left or reached by (approach rules), the seeds they give and the segments of a found path.

use super::{Approach, Network, RouteSegment, Waypoint};
use crate::ch::Seed;
use crate::graph::RoadGraph;
use crate::ids::{EdgeId, NodeId};
use crate::profile::{DrivingSide, DrivingSideRule};
use crate::search::TurnPath;
use crate::snap::Side;
use crate::turn::TurnGraph;

/// A directed edge and a position on it, one way to leave or reach a waypoint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Access {
    pub edge: u32,
    pub fraction: f64,
}

/// Directed edges through a snapped position that respect the approach: for `Curb`, the point
/// must be on the driving side in the direction of travel (the side `rule`, the routed
/// profile's, gives the snapped road), for `Opposite` on the other side (unless only one
/// direction exists).
pub(crate) fn accesses(g: &RoadGraph, rule: DrivingSideRule, wp: &Waypoint) -> Vec<Access> {
    let s = &wp.snap;
    let mut out = vec![Access {
        edge: s.edge.0,
        fraction: s.fraction,
    }];
    if let Some(r) = g.reverse_edge(s.edge) {
        out.push(Access {
            edge: r.0,
            fraction: 1.0 - s.fraction,
        });
    }
    let sided = matches!(wp.approach, Approach::Curb | Approach::Opposite);
    if sided && out.len() == 2 && s.side != Side::On {
        let driving = match rule.resolve(g.local_driving_side(s.edge)) {
            DrivingSide::Right => Side::Right,
            DrivingSide::Left => Side::Left,
        };
        let kerb = if wp.approach == Approach::Opposite {
            driving.flipped()
        } else {
            driving
        };
        out.retain(|a| {
            if a.edge == s.edge.0 {
                s.side == kerb
            } else {
                s.side.flipped() == kerb
            }
        });
    }
    if wp.approach == Approach::Along {
        out.truncate(1);
    }
    out
}

/// A snapped position closer than this to an end of its edge lies on that end's node.
const AT_NODE_M: f64 = 0.01;

/// The node a waypoint lies on, if its snap is at an end of its edge (within [`AT_NODE_M`]).
fn at_node(g: &RoadGraph, wp: &Waypoint) -> Option<NodeId> {
    let e = g.edge(wp.snap.edge);
    if wp.snap.fraction * e.distance_m <= AT_NODE_M {
        Some(e.from)
    } else if (1.0 - wp.snap.fraction) * e.distance_m <= AT_NODE_M {
        Some(e.to)
    } else {
        None
    }
}

fn push_new(out: &mut Vec<Access>, a: Access) {
    if !out.contains(&a) {
        out.push(a);
    }
}

/// The accesses a route can leave a waypoint by. An unrestricted waypoint on a node (where
/// several ways meet, or at the end of a way) may be left by every edge out of that node,
/// not only by the edge it snapped to, as OSRM's phantom nodes keep the waypoint on the way
/// the route uses: no zero-length step on a neighbouring way, no turn at the start. Edges the
/// network's exclusion mask closes are not added (OSRM places no phantom on them); the
/// snapped edge itself stays. Sides follow the network's profile.
pub(crate) fn source_accesses(net: Network<'_>, wp: &Waypoint) -> Vec<Access> {
    let (g, excluded) = (net.road, net.excluded);
    let mut out = accesses(g, net.profile.turn_costs.driving_side, wp);
    if wp.approach == Approach::Unrestricted {
        if let Some(n) = at_node(g, wp) {
            for e in g.out_edges(n) {
                if excluded.is_some_and(|ex| ex[e.index()]) {
                    continue;
                }
                push_new(
                    &mut out,
                    Access {
                        edge: e.0,
                        fraction: 0.0,
                    },
                );
            }
        }
    }
    out
}

/// The accesses a route can reach a waypoint by: as [`source_accesses`], an unrestricted
/// waypoint on a node may be reached by every edge into that node.
pub(crate) fn target_accesses(net: Network<'_>, wp: &Waypoint) -> Vec<Access> {
    let (g, in_edges, excluded) = (net.road, net.in_edges, net.excluded);
    let mut out = accesses(g, net.profile.turn_costs.driving_side, wp);
    if wp.approach == Approach::Unrestricted {
        if let Some(n) = at_node(g, wp) {
            for &e in in_edges.of(n) {
                if excluded.is_some_and(|ex| ex[e as usize]) {
                    continue;
                }
                push_new(
                    &mut out,
                    Access {
                        edge: e,
                        fraction: 1.0,
                    },
                );
            }
        }
    }
    out
}

/// Where a forward seed comes from: the access it leaves and the turn out of it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SeedOrigin {
    pub access: usize,
    pub turn_ms: u32,
}

/// Forward seeds for leaving the accesses: the edges entered by the first turn.
pub(crate) fn source_seeds(tg: &TurnGraph, acc: &[Access]) -> (Vec<Seed>, Vec<SeedOrigin>) {
    let mut seeds = Vec::new();
    let mut origins = Vec::new();
    for (i, a) in acc.iter().enumerate() {
        let rem_ms = tg.edge_ms[a.edge as usize] - tg.part_ms(a.edge, a.fraction);
        let rem_cm = tg.edge_cm[a.edge as usize] - tg.part_cm(a.edge, a.fraction);
        for k in tg.range(a.edge) {
            seeds.push(Seed {
                node: tg.to[k],
                weight: rem_ms as i64 + tg.arc_weight(k) as i64,
                dist: rem_cm as i64 + tg.edge_cm[tg.to[k] as usize] as i64,
            });
            origins.push(SeedOrigin {
                access: i,
                turn_ms: tg.turn_duration_ms(k),
            });
        }
    }
    (seeds, origins)
}

/// Backward seeds for reaching the accesses: the edge itself, minus the part after the point,
/// and the same for each copy of the edge a via-way restriction's path drives (a route may
/// arrive along such a path); with the access each seed reaches.
pub(crate) fn target_seeds(tg: &TurnGraph, acc: &[Access]) -> (Vec<Seed>, Vec<usize>) {
    let mut seeds = Vec::with_capacity(acc.len());
    let mut reached = Vec::with_capacity(acc.len());
    for (i, a) in acc.iter().enumerate() {
        let weight = tg.part_ms(a.edge, a.fraction) as i64 - tg.edge_ms[a.edge as usize] as i64;
        let dist = tg.part_cm(a.edge, a.fraction) as i64 - tg.edge_cm[a.edge as usize] as i64;
        for node in std::iter::once(a.edge).chain(tg.copies_of(a.edge)) {
            seeds.push(Seed { node, weight, dist });
            reached.push(i);
        }
    }
    (seeds, reached)
}

/// Cheapest travel along a single edge from a source access to a target access, if both lie
/// on the same directed edge in the right order: `(weight ms, dist cm, source idx, target idx)`.
pub(crate) fn direct(
    tg: &TurnGraph,
    src: &[Access],
    dst: &[Access],
) -> Option<(i64, i64, usize, usize)> {
    let mut best: Option<(i64, i64, usize, usize)> = None;
    for (i, s) in src.iter().enumerate() {
        for (j, t) in dst.iter().enumerate() {
            if s.edge == t.edge && t.fraction >= s.fraction {
                let w =
                    tg.part_ms(t.edge, t.fraction) as i64 - tg.part_ms(s.edge, s.fraction) as i64;
                let d =
                    tg.part_cm(t.edge, t.fraction) as i64 - tg.part_cm(s.edge, s.fraction) as i64;
                if best.is_none_or(|b| w < b.0) {
                    best = Some((w, d, i, j));
                }
            }
        }
    }
    best
}

/// Route segments of a turn path between two sets of accesses (`reached`: the access of each
/// target seed, from [`target_seeds`]); the duration of each segment includes the penalty of
/// the turn onto it, and copies of via edges become their road edges.
pub(crate) fn path_segments(
    g: &RoadGraph,
    tg: &TurnGraph,
    src: &[Access],
    origins: &[SeedOrigin],
    (dst, reached): (&[Access], &[usize]),
    path: &TurnPath,
) -> Vec<RouteSegment> {
    let origin = origins[path.source_seed];
    let s = src[origin.access];
    let t = dst[reached[path.target_seed]];
    let seg = |edge: u32, a: f64, b: f64, ms: i64| {
        let e = g.edge(EdgeId(edge));
        RouteSegment {
            edge: EdgeId(edge),
            from_fraction: a,
            to_fraction: b,
            distance_m: (b - a) * e.distance_m,
            duration_s: ms as f64 / 1000.0,
        }
    };
    let mut out = Vec::with_capacity(path.edges.len() + 1);
    let rem = tg.edge_ms[s.edge as usize] as i64 - tg.part_ms(s.edge, s.fraction) as i64;
    out.push(seg(s.edge, s.fraction, 1.0, rem));
    let last = path.edges.len() - 1;
    for (i, &node) in path.edges.iter().enumerate() {
        let turn = if i == 0 {
            origin.turn_ms
        } else {
            tg.turn_between(path.edges[i - 1], node)
        } as i64;
        let e = tg.edge_of(node).0;
        if i == last {
            out.push(seg(
                e,
                0.0,
                t.fraction,
                turn + tg.part_ms(e, t.fraction) as i64,
            ));
        } else {
            out.push(seg(e, 0.0, 1.0, turn + tg.edge_ms[e as usize] as i64));
        }
    }
    out
}
