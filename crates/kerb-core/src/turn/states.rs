//! The extra states via-way restrictions add to the edge-based graph, as OSRM's restriction
//! graph (`restriction_graph.cpp`) duplicates edge-based nodes: a vehicle that entered a via
//! path from its from-edge is in a copy of each via edge, and only those copies lose the
//! forbidden (or gain the mandatory) turn at the end of the path; the original nodes keep
//! every other path through the same junctions.
//!
//! The states are an Aho-Corasick automaton over directed edges: the restriction paths
//! `from, via...` form a trie whose root children are the original nodes (node `e` = "just
//! drove edge `e`") and whose deeper nodes are the duplicates; the failure link of a duplicate
//! is the longest suffix of its path that is also a trie path, so overlapping restrictions
//! (one path starting inside another, OSRM's "transfers") and via-node restrictions at the
//! duplicated edge still apply. Duplicates are numbered after the original nodes.

use std::collections::HashMap;

use crate::graph::RoadGraph;
use crate::ids::RestrictionKind;

/// The restriction states of a road graph: the duplicated nodes of the edge-based graph.
#[derive(Clone, Debug, Default)]
pub(crate) struct States {
    /// Number of original nodes (directed road edges).
    originals: u32,
    /// Road edge of duplicate `originals + i`.
    edge: Vec<u32>,
    /// Failure link of each duplicate: the state of its longest proper suffix.
    fail: Vec<u32>,
    /// Trie children: (state, next edge) -> duplicate.
    children: HashMap<(u32, u32), u32>,
    /// Restrictions in force at the end of each duplicate (its own and its suffixes'):
    /// `(kind, to edge)`.
    rules: Vec<Vec<(RestrictionKind, u32)>>,
}

impl States {
    /// The states of `g`'s via-way restrictions.
    pub(crate) fn new(g: &RoadGraph) -> Self {
        let originals = g.num_edges() as u32;
        let mut s = States {
            originals,
            ..States::default()
        };
        let mut parent: Vec<(u32, u32)> = Vec::new();
        let mut depth: Vec<u32> = Vec::new();
        let mut own: Vec<Vec<(RestrictionKind, u32)>> = Vec::new();
        for r in g.via_way_restrictions() {
            let mut state = r.from.0;
            let mut d = 1;
            for e in &r.via {
                d += 1;
                state = *s.children.entry((state, e.0)).or_insert_with(|| {
                    s.edge.push(e.0);
                    parent.push((state, e.0));
                    depth.push(d);
                    own.push(Vec::new());
                    originals + s.edge.len() as u32 - 1
                });
            }
            own[(state - originals) as usize].push((r.kind, r.to.0));
        }
        let k = s.edge.len();
        s.fail = vec![0; k];
        s.rules = vec![Vec::new(); k];
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by_key(|&i| depth[i]);
        for i in order {
            let (p, e) = parent[i];
            let f = if p < originals {
                e
            } else {
                s.next(s.fail[(p - originals) as usize], e)
            };
            s.fail[i] = f;
            let mut rules = std::mem::take(&mut own[i]);
            if f >= originals {
                rules.extend_from_slice(&s.rules[(f - originals) as usize]);
            }
            s.rules[i] = rules;
        }
        s
    }

    /// Number of duplicated nodes.
    pub(crate) fn len(&self) -> usize {
        self.edge.len()
    }

    /// Road edges of the duplicates, in node order (node `originals + i` drives `edges()[i]`).
    pub(crate) fn edges(&self) -> &[u32] {
        &self.edge
    }

    /// The road edge a node drives.
    pub(crate) fn edge_of(&self, node: u32) -> u32 {
        if node < self.originals {
            node
        } else {
            self.edge[(node - self.originals) as usize]
        }
    }

    /// The state after turning from `state` onto edge `f`.
    pub(crate) fn next(&self, mut state: u32, f: u32) -> u32 {
        loop {
            if let Some(&c) = self.children.get(&(state, f)) {
                return c;
            }
            if state < self.originals {
                return f;
            }
            state = self.fail[(state - self.originals) as usize];
        }
    }

    /// Whether the via-way restrictions in force at `state` allow the turn onto edge `f`.
    pub(crate) fn allows(&self, state: u32, f: u32) -> bool {
        if state < self.originals {
            return true;
        }
        self.rules[(state - self.originals) as usize]
            .iter()
            .all(|&(kind, to)| match kind {
                RestrictionKind::No => to != f,
                RestrictionKind::Only => to == f,
            })
    }
}
