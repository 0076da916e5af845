//! Via-way turn restrictions at import: an OSM restriction relation whose `via` members are
//! ways becomes a path of directed graph edges `from, via..., to` (see
//! [`ViaWayRestriction`]). The via ways are walked end to end in member order: the first
//! starts at an end lying on the from-way, each next one at the end where the previous one
//! stops, and the to-way leaves the last one's far end. As for via-node restrictions, a from-
//! or to-way running through its junction (two arms there) leaves the restriction ambiguous
//! and it is dropped, as OSRM drops it.

use std::collections::{HashMap, HashSet};

use crate::ids::{EdgeId, RestrictionKind, ViaWayRestriction, GEOM_REVERSED};

/// A restriction relation with via ways, by OSM ids.
pub(super) struct RawViaWay {
    pub from_way: i64,
    pub via_ways: Vec<i64>,
    pub to_way: i64,
    pub kind: RestrictionKind,
}

/// What resolution reads of the built graph and of the ways it came from.
pub(super) struct Roads<'a> {
    /// OSM node ids of each routable way, by way id.
    pub way_nodes: HashMap<i64, &'a [i64]>,
    /// Graph node of an OSM node, when the node is a graph node that is not a barrier.
    pub graph_node: &'a dyn Fn(i64) -> Option<u32>,
    pub first_out: &'a [u32],
    pub head: &'a [u32],
    pub edge_way: &'a [i64],
    pub geom: &'a [u32],
}

impl Roads<'_> {
    /// The edge of way `way` from graph node `a` to graph node `b`.
    fn edge(&self, a: u32, b: u32, way: i64) -> Option<u32> {
        (self.first_out[a as usize]..self.first_out[a as usize + 1])
            .find(|&e| self.head[e as usize] == b && self.edge_way[e as usize] == way)
    }

    /// The directed edges along `nodes` (OSM ids in travel order) on way `way`.
    fn walk(&self, nodes: &[i64], way: i64) -> Option<Vec<u32>> {
        let mut graph_nodes = Vec::new();
        for (i, &n) in nodes.iter().enumerate() {
            match (self.graph_node)(n) {
                Some(v) => graph_nodes.push(v),
                // The ends must be graph nodes (junctions); interior points may be shape only.
                None if i == 0 || i + 1 == nodes.len() => return None,
                None => {}
            }
        }
        graph_nodes
            .windows(2)
            .map(|w| self.edge(w[0], w[1], way))
            .collect()
    }

    /// Edges of `way` leaving node `v`, if they form one road arm.
    fn arm_out(&self, v: u32, way: i64) -> Option<Vec<u32>> {
        let es: Vec<u32> = (self.first_out[v as usize]..self.first_out[v as usize + 1])
            .filter(|&e| self.edge_way[e as usize] == way)
            .collect();
        self.one_arm(es)
    }

    /// The edges, if non-empty and all on one geometry (one road arm at their node).
    fn one_arm(&self, es: Vec<u32>) -> Option<Vec<u32>> {
        let arms: HashSet<u32> = es
            .iter()
            .map(|&e| self.geom[e as usize] & !GEOM_REVERSED)
            .collect();
        (arms.len() == 1).then_some(es)
    }
}

/// Edges into each node, only for the nodes asked (a via-way junction), built once.
struct Into {
    by_node: HashMap<u32, Vec<u32>>,
}

impl Into {
    fn new(roads: &Roads<'_>, nodes: &HashSet<u32>) -> Self {
        let mut by_node: HashMap<u32, Vec<u32>> = HashMap::new();
        for (e, &h) in roads.head.iter().enumerate() {
            if nodes.contains(&h) {
                by_node.entry(h).or_default().push(e as u32);
            }
        }
        Into { by_node }
    }
}

/// The junction nodes (OSM ids) and the travel-ordered node lists of each via way, or `None`
/// when the ways do not chain end to end.
fn chain<'a>(roads: &Roads<'a>, r: &RawViaWay) -> Option<(i64, Vec<Vec<i64>>, i64)> {
    let from = roads.way_nodes.get(&r.from_way)?;
    let mut walks = Vec::with_capacity(r.via_ways.len());
    let mut at: Option<i64> = None;
    let mut start = None;
    for &w in &r.via_ways {
        let nodes = roads.way_nodes.get(&w)?;
        let (first, last) = (*nodes.first()?, *nodes.last()?);
        let forward = match at {
            None => {
                let f = from.contains(&first);
                let b = from.contains(&last);
                if f == b {
                    return None;
                }
                f
            }
            Some(a) if a == first => true,
            Some(a) if a == last => false,
            Some(_) => return None,
        };
        let mut walk = nodes.to_vec();
        if !forward {
            walk.reverse();
        }
        start.get_or_insert(walk[0]);
        at = walk.last().copied();
        walks.push(walk);
    }
    let end = at?;
    roads
        .way_nodes
        .get(&r.to_way)?
        .contains(&end)
        .then_some(())?;
    Some((start?, walks, end))
}

/// Resolves the relations to edge paths; returns them sorted by `from` edge and the number
/// that could not be resolved (via ways not routable, not chained end to end, against a
/// one-way, or ambiguous from/to arms).
pub(super) fn resolve(raw: &[RawViaWay], roads: &Roads<'_>) -> (Vec<ViaWayRestriction>, usize) {
    let chains: Vec<_> = raw.iter().map(|r| chain(roads, r)).collect();
    let starts: HashSet<u32> = chains
        .iter()
        .flatten()
        .filter_map(|c| (roads.graph_node)(c.0))
        .collect();
    let into = Into::new(roads, &starts);
    let mut out = Vec::new();
    let mut unresolved = 0;
    for (r, c) in raw.iter().zip(&chains) {
        let resolved = c.as_ref().and_then(|(start, walks, end)| {
            let mut via = Vec::new();
            for (walk, &w) in walks.iter().zip(&r.via_ways) {
                via.extend(roads.walk(walk, w)?);
            }
            let (s, t) = ((roads.graph_node)(*start)?, (roads.graph_node)(*end)?);
            let froms = roads.one_arm(
                into.by_node
                    .get(&s)?
                    .iter()
                    .copied()
                    .filter(|&e| roads.edge_way[e as usize] == r.from_way)
                    .collect(),
            )?;
            let tos = roads.arm_out(t, r.to_way)?;
            Some((froms, via, tos))
        });
        let Some((froms, via, tos)) = resolved else {
            unresolved += 1;
            continue;
        };
        if via.is_empty() {
            unresolved += 1;
            continue;
        }
        for &f in &froms {
            for &t in &tos {
                out.push(ViaWayRestriction {
                    from: EdgeId(f),
                    via: via.iter().map(|&e| EdgeId(e)).collect(),
                    to: EdgeId(t),
                    kind: r.kind,
                });
            }
        }
    }
    out.sort_unstable_by(|a, b| {
        (a.from, &a.via, a.to, a.kind as u8).cmp(&(b.from, &b.via, b.to, b.kind as u8))
    });
    out.dedup();
    (out, unresolved)
}
