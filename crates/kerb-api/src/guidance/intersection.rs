//! An intersection seen from the road a route arrives by: every road at the node with its
//! bearing, its turn angle and whether it may be entered, sorted as OSRM sorts them (by turn
//! angle, the U-turn road first; `extractor/intersection/intersection_view.hpp`).

use kerb_core::{EdgeId, Graph, NodeId, Point};

use super::road::{road, Road};
use crate::geometry::bearing;
use crate::osrm;

/// Angle of going straight on (OSRM's angle convention: 0 = U-turn, 90 = right, 180 =
/// straight, 270 = left).
pub(crate) const STRAIGHT_ANGLE: f64 = 180.0;

/// One road at an intersection.
#[derive(Clone, Debug)]
pub(crate) struct ConnectedRoad<'a> {
    /// The edge leaving the node along this road (`None` for a one-way road into the node).
    pub out_edge: Option<EdgeId>,
    /// Bearing of the road away from the node, degrees clockwise from north.
    pub bearing: f64,
    /// Turn angle from the arriving road (see [`STRAIGHT_ANGLE`]).
    pub angle: f64,
    /// Whether the route may turn onto it.
    pub entry: bool,
    /// Length of the road's edge from the node (metres).
    pub length_m: f64,
    /// The road arrived by.
    pub is_in: bool,
    /// What guidance knows of the road (in its direction away from the node; for a one-way
    /// road into the node, of that edge).
    pub road: Road<'a>,
}

/// The roads at a node as seen from an arriving edge; `roads[0]` is the road arrived by.
#[derive(Clone, Debug)]
pub(crate) struct Intersection<'a> {
    pub node: NodeId,
    /// The edge the route arrives by.
    pub in_edge: EdgeId,
    /// Heading when arriving, degrees clockwise from north.
    pub in_heading: f64,
    pub roads: Vec<ConnectedRoad<'a>>,
}

/// OSRM's `angularDeviation`.
pub(crate) fn angular_deviation(a: f64, b: f64) -> f64 {
    let d = (a - b).abs() % 360.0;
    d.min(360.0 - d)
}

/// The first bearing of a shape (0 for a degenerate one).
pub(crate) fn first_bearing(pts: &[Point<f64>]) -> f64 {
    pts.windows(2)
        .find(|w| w[0] != w[1])
        .map_or(0.0, |w| bearing(w[0], w[1]))
}

/// The last bearing of a shape (0 for a degenerate one).
pub(crate) fn last_bearing(pts: &[Point<f64>]) -> f64 {
    pts.windows(2)
        .rev()
        .find(|w| w[0] != w[1])
        .map_or(0.0, |w| bearing(w[0], w[1]))
}

/// Turn angle of leaving by `out_bearing` after arriving with `in_heading`.
pub(crate) fn turn_angle(in_heading: f64, out_bearing: f64) -> f64 {
    let turn = (out_bearing - in_heading + 540.0) % 360.0 - 180.0; // -180..180, right positive
    (180.0 - turn).rem_euclid(360.0)
}

/// Two one-way carriageways of one road seen as a single road: OSRM's `mergeSegregatedRoads`
/// (`MergableRoadDetector`), simplified to its name, class and angle tests. The merged road
/// keeps the outgoing carriageway and the mean bearing.
fn merge_segregated(g: &Graph, roads: &mut Vec<ConnectedRoad<'_>>, in_heading: f64) {
    const MERGABLE_ANGLE_DIFFERENCE: f64 = 60.0;
    let oneway_out = |r: &ConnectedRoad| r.out_edge.is_some_and(|o| g.reverse_edge(o).is_none());
    let oneway_in = |r: &ConnectedRoad| r.out_edge.is_none();
    if roads.iter().any(|r| r.road.on_ring()) {
        return;
    }
    let mut i = 0;
    while i < roads.len() {
        let partner = (0..roads.len()).find(|&j| {
            let (a, b) = (&roads[i], &roads[j]);
            j != i
                && oneway_out(a)
                && oneway_in(b)
                && !a.road.name.is_empty()
                && a.road.name == b.road.name
                && super::turn::same_class(a.road.class, b.road.class)
                && angular_deviation(a.bearing, b.bearing) < MERGABLE_ANGLE_DIFFERENCE
        });
        if let Some(j) = partner {
            let (a, b) = (roads[i].bearing, roads[j].bearing);
            let d = ((b - a + 540.0) % 360.0) - 180.0;
            let mean = (a + d / 2.0).rem_euclid(360.0);
            roads[i].bearing = mean;
            if roads[j].is_in {
                // The road arrived by is the merged one: it is the U-turn road.
                roads[i].is_in = true;
                roads[i].angle = 0.0;
            } else if !roads[i].is_in {
                roads[i].angle = turn_angle(in_heading, mean);
            }
            roads.remove(j);
            if j < i {
                i -= 1;
            }
        }
        i += 1;
    }
}

impl<'a> Intersection<'a> {
    /// The intersection at the head of `in_edge`.
    pub(crate) fn at(g: &'a Graph, in_edge: EdgeId) -> Intersection<'a> {
        let e = g.edge(in_edge);
        let node = e.to;
        let in_heading = last_bearing(&g.edge_points(in_edge));
        let reverse_in = g.reverse_edge(in_edge);
        let mut roads: Vec<ConnectedRoad<'a>> = Vec::new();
        let mut enterable_other = false;
        for o in g.out_edges(node) {
            let b = first_bearing(&g.edge_points(o));
            let is_u_turn = Some(o) == reverse_in;
            let entry = !is_u_turn && g.turn_allowed(in_edge, o);
            enterable_other |= entry;
            roads.push(ConnectedRoad {
                out_edge: Some(o),
                bearing: b,
                angle: if is_u_turn {
                    0.0
                } else {
                    turn_angle(in_heading, b)
                },
                entry,
                length_m: g.edge(o).distance_m,
                is_in: is_u_turn,
                road: road(g, o),
            });
        }
        // One-way roads into the node are roads of the intersection too, never entered.
        for &i in g.in_edges_of(node) {
            let i = EdgeId(i);
            if g.reverse_edge(i).is_some() {
                continue;
            }
            let pts = g.edge_points(i);
            let b = (last_bearing(&pts) + 180.0) % 360.0;
            roads.push(ConnectedRoad {
                out_edge: None,
                bearing: b,
                angle: if i == in_edge {
                    0.0
                } else {
                    turn_angle(in_heading, b)
                },
                entry: false,
                length_m: g.edge(i).distance_m,
                is_in: i == in_edge,
                road: road(g, i),
            });
        }
        merge_segregated(g, &mut roads, in_heading);
        // A U-turn is only possible where nothing else is (a dead end).
        if !enterable_other {
            for r in roads.iter_mut() {
                if r.out_edge.is_some() && r.out_edge == reverse_in {
                    r.entry = g.turn_allowed(in_edge, r.out_edge.unwrap_or(in_edge));
                }
            }
        }
        // The road arrived by first, then by angle.
        let is_in = |r: &ConnectedRoad| r.is_in;
        roads.sort_by(|a, b| is_in(b).cmp(&is_in(a)).then(a.angle.total_cmp(&b.angle)));
        if !roads.first().is_some_and(is_in) {
            // The arriving edge has no reverse and is not listed (cannot happen for a path).
            roads.insert(
                0,
                ConnectedRoad {
                    out_edge: None,
                    bearing: (in_heading + 180.0) % 360.0,
                    angle: 0.0,
                    entry: false,
                    length_m: e.distance_m,
                    is_in: true,
                    road: road(g, in_edge),
                },
            );
        }
        // The road arrived by is described in the direction travelled (its lanes, signs).
        roads[0].road = road(g, in_edge);
        Intersection {
            node,
            in_edge,
            in_heading,
            roads,
        }
    }

    /// Index of the road leaving by `out`.
    pub(crate) fn index_of(&self, out: EdgeId) -> Option<usize> {
        self.roads.iter().position(|r| r.out_edge == Some(out))
    }

    /// The road arrived by.
    pub(crate) fn in_road(&self) -> &Road<'a> {
        &self.roads[0].road
    }

    /// Number of roads that may be entered.
    pub(crate) fn count_enterable(&self) -> usize {
        self.roads.iter().filter(|r| r.entry).count()
    }

    /// OSRM's `findClosestTurn(angle, filter)`: the road (not the U-turn one) closest to
    /// `angle` among those the filter does not exclude.
    pub(crate) fn closest_turn(
        &self,
        angle: f64,
        exclude: impl Fn(&ConnectedRoad) -> bool,
    ) -> Option<usize> {
        (1..self.roads.len())
            .filter(|&i| !exclude(&self.roads[i]))
            .min_by(|&a, &b| {
                angular_deviation(self.roads[a].angle, angle)
                    .total_cmp(&angular_deviation(self.roads[b].angle, angle))
            })
    }

    /// The road whose bearing is closest to `bearing`.
    pub(crate) fn closest_bearing(&self, bearing: f64) -> usize {
        (0..self.roads.len())
            .min_by(|&a, &b| {
                angular_deviation(self.roads[a].bearing, bearing)
                    .total_cmp(&angular_deviation(self.roads[b].bearing, bearing))
            })
            .unwrap_or(0)
    }

    /// The OSRM JSON intersection when leaving by road `out` at `location` with `ins`.
    pub(crate) fn json(
        &self,
        location: Point<f64>,
        out: usize,
        ins: super::instruction::Instruction,
    ) -> osrm::Intersection {
        let mut order: Vec<usize> = (0..self.roads.len()).collect();
        let key = |i: usize| (self.roads[i].bearing.round() as u16) % 360;
        order.sort_by_key(|&i| key(i));
        let out_road = &self.roads[out];
        osrm::Intersection {
            location: crate::osrm::round_coord([location.x(), location.y()]),
            bearings: order.iter().map(|&i| key(i)).collect(),
            entry: order.iter().map(|&i| self.roads[i].entry).collect(),
            in_: order.iter().position(|&i| i == 0),
            out: order.iter().position(|&i| i == out),
            classes: (!out_road.road.classes.is_empty()).then(|| {
                out_road
                    .road
                    .classes
                    .iter()
                    .map(|c| c.to_string())
                    .collect()
            }),
            // No lanes around rings (OSRM issue #2626).
            lanes: if ins.kind.is_roundabout()
                || self.in_road().on_ring()
                || out_road.road.on_ring()
            {
                None
            } else {
                super::lanes::lanes(self.in_road().turn_lanes, ins)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osrm_turn_angles() {
        assert_eq!(turn_angle(0.0, 0.0), 180.0);
        assert_eq!(turn_angle(0.0, 90.0), 90.0);
        assert_eq!(turn_angle(0.0, 270.0), 270.0);
        assert_eq!(turn_angle(90.0, 270.0), 0.0);
        assert_eq!(angular_deviation(350.0, 10.0), 20.0);
    }
}
