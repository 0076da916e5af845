//! Plain data at the bottom of the crate: node and edge ids and turn restrictions.
//! Everything else refers to roads through these; this module imports nothing of the crate.

use serde::{Deserialize, Serialize};

/// Id of a node (intersection, dead end or barrier) of a [`Graph`](crate::Graph).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeId(pub u32);

/// Id of a directed edge of a [`Graph`](crate::Graph).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeId(pub u32);

impl NodeId {
    /// The id as an index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl EdgeId {
    /// The id as an index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Marker for "no edge" in raw `u32` arrays (e.g. [`RoadGraph::reverse_edges`](crate::RoadGraph::reverse_edges)).
pub const NO_EDGE: u32 = u32::MAX;

/// Top bit of an edge's geometry index: the edge runs against the stored drawing order.
pub(crate) const GEOM_REVERSED: u32 = 1 << 31;

/// Kind of a turn restriction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum RestrictionKind {
    /// `no_*`: the turn `from -> to` is forbidden.
    No = 0,
    /// `only_*`: coming from `from`, `to` is the only allowed continuation at `via`.
    Only = 1,
}

/// A turn restriction between two edges at a node (OSM `type=restriction` with a via node).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Restriction {
    /// Edge arriving at `via`.
    pub from: EdgeId,
    /// The node where the turn happens.
    pub via: NodeId,
    /// Edge leaving `via`.
    pub to: EdgeId,
    /// Forbidden turn or mandatory turn.
    pub kind: RestrictionKind,
}

/// A turn restriction along one or more via edges (OSM `type=restriction` with `via` ways):
/// the path `from`, `via[0]`, ..., `via[k-1]`, `to` of consecutive directed edges. `no_*`
/// forbids driving exactly that path; `only_*` makes `to` the only continuation after a
/// vehicle came from `from` along the whole via path. Turns at the same nodes by any other
/// path stay as they are.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ViaWayRestriction {
    /// Edge entering the first via edge.
    pub from: EdgeId,
    /// The via path: consecutive directed edges along the via ways (at least one).
    pub via: Vec<EdgeId>,
    /// Edge leaving the last via edge.
    pub to: EdgeId,
    /// Forbidden path or mandatory continuation.
    pub kind: RestrictionKind,
}
