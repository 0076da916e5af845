//! The turn model and the edge-based graph every search runs on: [`TurnGraph`] here, turn
//! angles and penalties in `model`.
//!
//! Nodes of the edge-based graph are the directed road edges of a [`RoadGraph`]; an arc `e -> f`
//! is an allowed turn at the node between them and costs the turn penalty plus the travel time
//! of `f` (so a node's distance is "at the end of that edge"). The rules:
//!
//! * turn restrictions from the import: `no_*` forbids `from -> to`, `only_*` forbids every
//!   other continuation of `from` at the via node;
//! * via-way restrictions: the nodes after the original ones (`num_edges()..num_nodes()`) are
//!   copies of via edges, entered only along a restriction's path (module `states`, OSRM's
//!   duplicated edge-based nodes); the forbidden or mandatory turn is decided at the copy of
//!   the last via edge, so the same junctions stay open to every other path.
//!   [`TurnGraph::edge_of`] maps any node back to its road edge;
//! * U-turns (`f` is the reverse of `e`) follow [`UTurnPolicy`]: `Allowed` anywhere at
//!   `u_turn_s`, `DeadEndOnly` where the road ends (the truck default), `Forbidden` never;
//! * at intersections (three or more road arms) a turn costs by its angle: within 30 degrees of
//!   straight `straight_s`; a turn across traffic (left in right-hand traffic, right in
//!   left-hand traffic) `left_s` and a turn with traffic `right_s`, both scaled by
//!   `angle / 90` so that a sharp turn costs more than a slight one. Bends of a road at a node
//!   that joins only two road arms are free.
//!
//! * entering a destination-only road (`access=destination`, `hgv=delivery`: see
//!   [`Profile::access_restricted`]) from a road that is not costs [`RESTRICTED_ENTRY_MS`]
//!   on top of the turn, as OSRM car.lua's `process_turn` sets `max_turn_weight` when
//!   `not source_restricted and target_restricted`: such a road can start or end a route but
//!   is never a way through; leaving it is free;
//! * edges of the profile's [`Profile::exclude`] kinds (toll, motorway, ferry) are closed.
//!
//! Weights are integer milliseconds and distances integer centimetres, so that the
//! contraction hierarchy, the reference Dijkstra and the matrix agree exactly. A weight is a
//! duration plus a whole number of restricted entries: `weight = entries *
//! RESTRICTED_ENTRY_MS + duration`, and [`duration_ms`] takes the duration back out (exact for
//! paths under 74 hours), so every search minimises entries first, then time, while reported
//! durations, time budgets and cutoffs see travel time only.

mod model;
mod states;

pub use model::turn_penalty_s;
use model::{ms, turn_angle};
use states::States;

use crate::ch;
use crate::geo::planar_bearing_e7 as bearing;
use crate::graph::guidance::EdgeAccess;
use crate::graph::{InEdges, RoadGraph};
use crate::ids::{EdgeId, NodeId, NO_EDGE};
use crate::profile::{Profile, RoadClass, TurnCosts, UTurnPolicy};

/// Travel time of an edge a profile does not drive (no turn enters it).
const CLOSED: u32 = u32::MAX;

/// Weight in milliseconds of entering a destination-only road from an unrestricted one
/// (2^28 ms, about 74.6 hours: more than any real route, so weights keep the count of such
/// entries above the travel time, see [`duration_ms`]).
pub const RESTRICTED_ENTRY_MS: u32 = 1 << 28;

/// The travel time in a path weight (milliseconds): the weight without its restricted
/// entries. Exact while the path's travel time is below [`RESTRICTED_ENTRY_MS`].
pub fn duration_ms(weight: i64) -> i64 {
    weight.rem_euclid(RESTRICTED_ENTRY_MS as i64)
}

/// The edge-based graph of a road graph: allowed turns with their costs.
#[derive(Clone, Debug)]
pub struct TurnGraph {
    /// Turns out of edge `e` are `first[e]..first[e + 1]`.
    pub(crate) first: Vec<u32>,
    /// Edge entered by each turn.
    pub(crate) to: Vec<u32>,
    /// Turn penalty of each turn in milliseconds.
    pub(crate) turn_ms: Vec<u32>,
    /// Travel time of each edge in milliseconds.
    pub(crate) edge_ms: Vec<u32>,
    /// Length of each edge in centimetres.
    pub(crate) edge_cm: Vec<u32>,
    /// Number of road edges (the original nodes; duplicates follow).
    num_edges: u32,
    /// Road edge of each duplicated node `num_edges + i`.
    dup_edge: Vec<u32>,
    /// Duplicated nodes sorted by their road edge: `(edge, node)`.
    dup_by_edge: Vec<(u32, u32)>,
    /// Whether each node (a road edge, or a copy of one) is destination-only (entering it weighs [`RESTRICTED_ENTRY_MS`]).
    pub(crate) restricted: Vec<bool>,
}

/// The shape shared by an edge and its reverse: one road arm.
fn geometry_of(g: &RoadGraph, e: u32) -> u32 {
    g.geom[e as usize] & !crate::ids::GEOM_REVERSED
}

impl TurnGraph {
    /// Builds the edge-based graph of `g` (with its in-edges) under the turn rules of its
    /// profile. Edges only a conditional rule opens ([`RoadGraph::open_without_time`]) are
    /// closed: no turn enters them.
    pub fn new(g: &RoadGraph, in_edges: &InEdges) -> Self {
        let edge_ms = (0..g.num_edges() as u32)
            .map(|e| {
                if g.open_without_time(EdgeId(e)) {
                    ms(g.duration_s[e as usize] as f64)
                } else {
                    CLOSED
                }
            })
            .collect();
        Self::with_costs(g, in_edges, g.profile(), edge_ms)
    }

    /// The edge-based graph searches with a departure time run on: [`TurnGraph::new`] with
    /// the edges only conditional rules open entered too (the search closes each edge at the
    /// times its rule says, see `search::Filter`). Same nodes as [`TurnGraph::new`].
    pub(crate) fn timed(g: &RoadGraph, in_edges: &InEdges) -> Self {
        let edge_ms = g.durations_s().iter().map(|&d| ms(d as f64)).collect();
        Self::with_costs(g, in_edges, g.profile(), edge_ms)
    }

    /// The edge-based graph of `g` with the weights of another profile on the same roads: each
    /// edge's stored travel time scaled by the ratio of the two profiles' speeds for its road
    /// class (then capped at the new top speed), the new profile's turn costs and U-turn rule,
    /// and no turn into an edge of a class the new profile does not route. What cannot be
    /// re-derived from a graph file needs a re-import: access (vehicle dimensions, access keys,
    /// weight limits, which values are destination-only, which `toll:*` key applies), which
    /// `maxspeed` keys apply, node delays and restriction exceptions. The new profile's
    /// [`Profile::exclude`] applies.
    pub fn for_profile(g: &RoadGraph, in_edges: &InEdges, profile: &Profile) -> Self {
        let built = g.profile();
        let edge_ms = (0..g.num_edges())
            .map(|e| {
                let class = RoadClass::from_u8(g.class[e]);
                let (Some(&old), Some(&new)) =
                    (built.speeds_kmh.get(&class), profile.speeds_kmh.get(&class))
                else {
                    return CLOSED;
                };
                if new <= 0.0 || !g.open_without_time(EdgeId(e as u32)) {
                    return CLOSED;
                }
                let scaled = g.duration_s[e] as f64 * old.max(1e-3) / new;
                // A lower top speed caps the edge (a higher one cannot be told from the file).
                let fastest = if profile.max_speed_kmh < built.max_speed_kmh {
                    g.distance_m[e] as f64 / (profile.max_speed_kmh.max(1e-3) / 3.6)
                } else {
                    0.0
                };
                ms(scaled.max(fastest))
            })
            .collect();
        Self::with_costs(g, in_edges, profile, edge_ms)
    }

    /// Every turn a profile could take: `(e, f)` for each edge `f` leaving the head of `e`,
    /// whatever restrictions and U-turn rules say. The topology of a customizable hierarchy
    /// is built on these, so it fits every profile's turn graph of the same roads.
    /// Nodes `num_edges..` are the copies via-way restrictions add (see
    /// [`TurnGraph::possible_nodes`]).
    pub fn possible_turns(g: &RoadGraph) -> Vec<(u32, u32)> {
        let first_out = g.first_out();
        let heads = g.heads();
        let states = States::new(g);
        (0..(g.num_edges() + states.len()) as u32)
            .flat_map(|s| {
                let v = heads[states.edge_of(s) as usize] as usize;
                let states = &states;
                (first_out[v]..first_out[v + 1]).map(move |f| (s, states.next(s, f)))
            })
            .collect()
    }

    /// Number of nodes of the edge-based graph of `g`: its directed edges plus the copies of
    /// via edges its via-way restrictions need.
    pub fn possible_nodes(g: &RoadGraph) -> usize {
        g.num_edges() + States::new(g).len()
    }

    /// A fingerprint of [`TurnGraph::possible_turns`] (the road graph's edges and nodes).
    pub fn possible_turns_fingerprint(g: &RoadGraph) -> u64 {
        let mut h = crate::cch::Fnv::new();
        h.eat(g.num_edges() as u32);
        for (&t, &hd) in g.tails().iter().zip(g.heads()) {
            h.eat(t);
            h.eat(hd);
        }
        // The duplicated states (none without via-way restrictions: older fingerprints hold).
        for r in g.via_way_restrictions() {
            h.eat(r.from.0);
            r.via.iter().for_each(|e| h.eat(e.0));
            h.eat(r.to.0);
        }
        h.0
    }

    /// A planar position per node of the edge-based graph (the middle of the directed edge:
    /// longitude scaled by the cosine of the mean latitude, latitude), for a
    /// nested-dissection order.
    /// A copy of a via edge sits where its edge does.
    pub fn positions(g: &RoadGraph) -> Vec<[f64; 2]> {
        let c = g.node_coords_e7();
        let mean_lat = c.iter().map(|p| p[1] as f64).sum::<f64>() / c.len().max(1) as f64 * 1e-7;
        let k = mean_lat.to_radians().cos();
        let states = States::new(g);
        let (tails, heads) = (g.tails(), g.heads());
        (0..g.num_edges() as u32)
            .chain(states.edges().iter().copied())
            .map(|e| {
                let (a, b) = (c[tails[e as usize] as usize], c[heads[e as usize] as usize]);
                [
                    (a[0] as f64 + b[0] as f64) * 0.5e-7 * k,
                    (a[1] as f64 + b[1] as f64) * 0.5e-7,
                ]
            })
            .collect()
    }

    fn with_costs(
        g: &RoadGraph,
        in_edges: &InEdges,
        profile: &Profile,
        mut edge_ms: Vec<u32>,
    ) -> Self {
        let costs: TurnCosts = profile.turn_costs;
        let m = g.num_edges();
        let access: Vec<EdgeAccess> = (0..m as u32).map(|e| g.edge_access(EdgeId(e))).collect();
        if !profile.exclude.is_empty() {
            for (e, a) in access.iter().enumerate() {
                let class = RoadClass::from_u8(g.class[e]);
                if profile.exclude.iter().any(|x| x.covers(class, a.toll)) {
                    edge_ms[e] = CLOSED;
                }
            }
        }
        let first_out = g.first_out();
        let heads = g.heads();
        let reverse = g.reverse_edges();
        let states = States::new(g);
        let mut edge_cm: Vec<u32> = g
            .distances_m()
            .iter()
            .map(|&d| (d as f64 * 100.0).round().max(0.0) as u32)
            .collect();
        // Bearing at the start and at the end of each edge.
        let ends: Vec<(f64, f64)> = (0..m as u32)
            .map(|e| {
                let (c, rev) = g.edge_coords(EdgeId(e));
                let k = c.len();
                if k < 2 {
                    return (0.0, 0.0);
                }
                if rev {
                    (bearing(c[k - 1], c[k - 2]), bearing(c[1], c[0]))
                } else {
                    (bearing(c[0], c[1]), bearing(c[k - 2], c[k - 1]))
                }
            })
            .collect();
        let n = m + states.len();
        let mut first = Vec::with_capacity(n + 1);
        let mut to = Vec::with_capacity(n * 3);
        let mut turn_ms = Vec::with_capacity(n * 3);
        let mut arms: Vec<u32> = Vec::new();
        first.push(0);
        for s in 0..n as u32 {
            let e = states.edge_of(s) as usize;
            let v = heads[e] as usize;
            let outs = first_out[v]..first_out[v + 1];
            // Road arms at v: distinct geometries of the edges touching it.
            arms.clear();
            arms.extend(outs.clone().map(|f| geometry_of(g, f)));
            arms.extend(
                in_edges
                    .of(NodeId(v as u32))
                    .iter()
                    .map(|&f| geometry_of(g, f)),
            );
            arms.sort_unstable();
            arms.dedup();
            let intersection = arms.len() > 2;
            let dead_end = outs.clone().all(|f| f == reverse[e]);
            for f in outs {
                if edge_ms[f as usize] == CLOSED
                    || !g.turn_allowed(EdgeId(e as u32), EdgeId(f))
                    || !states.allows(s, f)
                {
                    continue;
                }
                let penalty = if reverse[e] == f && f != NO_EDGE {
                    match costs.u_turn {
                        UTurnPolicy::Allowed => costs.u_turn_s,
                        UTurnPolicy::DeadEndOnly if dead_end => costs.u_turn_s,
                        _ => continue,
                    }
                } else if intersection {
                    turn_penalty_s(
                        &costs,
                        costs
                            .driving_side
                            .resolve(g.local_driving_side(EdgeId(e as u32))),
                        turn_angle(ends[e].1, ends[f as usize].0),
                    )
                } else {
                    0.0
                };
                let entry = if access[f as usize].restricted && !access[e].restricted {
                    RESTRICTED_ENTRY_MS
                } else {
                    0
                };
                to.push(states.next(s, f));
                turn_ms.push(ms(penalty) + entry);
            }
            first.push(to.len() as u32);
        }
        for &e in states.edges() {
            edge_ms.push(edge_ms[e as usize]);
            edge_cm.push(edge_cm[e as usize]);
        }
        let dup_edge = states.edges().to_vec();
        let mut dup_by_edge: Vec<(u32, u32)> = dup_edge
            .iter()
            .enumerate()
            .map(|(i, &e)| (e, (m + i) as u32))
            .collect();
        dup_by_edge.sort_unstable();
        TurnGraph {
            first,
            to,
            turn_ms,
            edge_ms,
            edge_cm,
            num_edges: m as u32,
            restricted: (0..(m + dup_edge.len()) as u32)
                .map(|s| {
                    let e = if (s as usize) < m {
                        s
                    } else {
                        dup_edge[s as usize - m]
                    };
                    access[e as usize].restricted
                })
                .collect(),
            dup_edge,
            dup_by_edge,
        }
    }

    /// Number of road edges (the original nodes `0..num_edges()`; copies of via edges follow).
    pub fn num_edges(&self) -> usize {
        self.num_edges as usize
    }

    /// The road edge node `node` drives: itself for an original node, the copied via edge
    /// for a duplicate.
    pub fn edge_of(&self, node: u32) -> EdgeId {
        EdgeId(if node < self.num_edges {
            node
        } else {
            self.dup_edge[(node - self.num_edges) as usize]
        })
    }

    /// The duplicated nodes of road edge `e` (empty unless `e` lies on a via-way
    /// restriction's path).
    pub(crate) fn copies_of(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        let lo = self.dup_by_edge.partition_point(|&(x, _)| x < e);
        self.dup_by_edge[lo..]
            .iter()
            .take_while(move |&&(x, _)| x == e)
            .map(|&(_, n)| n)
    }

    /// A per-node mask from a per-road-edge one (copies take their edge's flag).
    pub(crate) fn node_mask(&self, per_edge: &[bool]) -> Vec<bool> {
        let mut mask = per_edge.to_vec();
        mask.extend(
            self.dup_edge
                .iter()
                .map(|&e| per_edge.get(e as usize).copied().unwrap_or(false)),
        );
        mask
    }

    /// Every allowed turn as `(from edge, to edge)`, e.g. for a component analysis.
    pub(crate) fn turn_pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.num_nodes() as u32).flat_map(move |e| self.range(e).map(move |k| (e, self.to[k])))
    }

    /// Number of nodes: the directed road edges, then the copies of via edges.
    pub fn num_nodes(&self) -> usize {
        self.edge_ms.len()
    }

    /// Number of allowed turns.
    pub fn num_turns(&self) -> usize {
        self.to.len()
    }

    /// Allowed turns out of node `e` (for an original node: driving road edge `e` with no
    /// via-way path begun): `(entered road edge, penalty in seconds)` (the time of the turn,
    /// without a restricted entry's weight).
    pub fn turns_from(&self, e: EdgeId) -> impl Iterator<Item = (EdgeId, f64)> + '_ {
        self.range(e.0).map(|k| {
            (
                self.edge_of(self.to[k]),
                self.turn_duration_ms(k) as f64 / 1000.0,
            )
        })
    }

    /// Time of turn `k` in milliseconds: its weight without a restricted entry.
    pub(crate) fn turn_duration_ms(&self, k: usize) -> u32 {
        self.turn_ms[k] % RESTRICTED_ENTRY_MS
    }

    pub(crate) fn range(&self, e: u32) -> std::ops::Range<usize> {
        self.first[e as usize] as usize..self.first[e as usize + 1] as usize
    }

    pub(crate) fn arc_weight(&self, k: usize) -> u32 {
        self.turn_ms[k].saturating_add(self.edge_ms[self.to[k] as usize])
    }

    /// The arcs of the edge-based graph, for contraction.
    pub fn arcs(&self) -> Vec<ch::Arc> {
        (0..self.num_nodes() as u32)
            .flat_map(|e| {
                self.range(e).map(move |k| ch::Arc {
                    tail: e,
                    head: self.to[k],
                    weight: self.arc_weight(k),
                    dist: self.edge_cm[self.to[k] as usize],
                })
            })
            .collect()
    }

    /// A fingerprint of the arcs, stored with a hierarchy to detect a stale one.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: u32| {
            for b in v.to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        eat(self.num_nodes() as u32);
        for e in 0..self.num_nodes() as u32 {
            for k in self.range(e) {
                eat(e);
                eat(self.to[k]);
                eat(self.arc_weight(k));
            }
        }
        h
    }

    /// Time in milliseconds of the cheapest turn `a -> b` (without a restricted entry's
    /// weight: segment durations are travel times).
    pub(crate) fn turn_between(&self, a: u32, b: u32) -> u32 {
        self.range(a)
            .filter(|&k| self.to[k] == b)
            .map(|k| self.turn_ms[k])
            .min()
            .map_or(0, |t| t % RESTRICTED_ENTRY_MS)
    }

    pub(crate) fn part_ms(&self, e: u32, fraction: f64) -> u32 {
        (fraction.clamp(0.0, 1.0) * self.edge_ms[e as usize] as f64).round() as u32
    }

    pub(crate) fn part_cm(&self, e: u32, fraction: f64) -> u32 {
        (fraction.clamp(0.0, 1.0) * self.edge_cm[e as usize] as f64).round() as u32
    }
}

impl TurnGraph {
    pub(crate) fn edge_weight_ms(&self, e: u32) -> i64 {
        self.edge_ms[e as usize] as i64
    }

    pub(crate) fn edge_dist_cm(&self, e: u32) -> i64 {
        self.edge_cm[e as usize] as i64
    }
}
