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
use crate::ids::{RestrictionKind, ViaWayRestriction};

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
        Self::build(g.num_edges() as u32, g.via_way_restrictions())
    }

    /// The states of restrictions over `originals` edges: the trie of their paths, then
    /// the failure links.
    fn build(originals: u32, restrictions: &[ViaWayRestriction]) -> Self {
        let mut s = States {
            originals,
            ..States::default()
        };
        let mut parent: Vec<(u32, u32)> = Vec::new();
        let mut depth: Vec<u32> = Vec::new();
        let mut own: Vec<Vec<(RestrictionKind, u32)>> = Vec::new();
        // An empty via path is a via-node restriction, which the road graph's turn rules hold.
        for r in restrictions.iter().filter(|r| !r.via.is_empty()) {
            let mut state = r.from.0;
            for (d, e) in (2..).zip(&r.via) {
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
        s.link(parent, depth, own);
        s
    }

    /// Failure links (breadth first, so a suffix's link is known before it is used) and the
    /// rules in force at each copy: its own plus those of its failure chain.
    fn link(
        &mut self,
        parent: Vec<(u32, u32)>,
        depth: Vec<u32>,
        mut own: Vec<Vec<(RestrictionKind, u32)>>,
    ) {
        let originals = self.originals;
        let k = self.edge.len();
        self.fail = vec![0; k];
        self.rules = vec![Vec::new(); k];
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by_key(|&i| depth[i]);
        for i in order {
            let (p, e) = parent[i];
            let f = if p < originals {
                e
            } else {
                self.next(self.fail[(p - originals) as usize], e)
            };
            self.fail[i] = f;
            let mut rules = std::mem::take(&mut own[i]);
            if f >= originals {
                rules.extend_from_slice(&self.rules[(f - originals) as usize]);
            }
            self.rules[i] = rules;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EdgeId;

    fn restriction(path: &[u32], to: u32, kind: RestrictionKind) -> ViaWayRestriction {
        ViaWayRestriction {
            from: EdgeId(path[0]),
            via: path[1..].iter().map(|&e| EdgeId(e)).collect(),
            to: EdgeId(to),
            kind,
        }
    }

    #[test]
    fn overlapping_paths_share_their_suffix_rules() {
        // Edges 0..10. Restriction A: 1 -> 2 -> 3, then not 4. Restriction B: 2 -> 3, then
        // only 5. A vehicle on 1 -> 2 -> 3 is in A's copy of 3, which must apply both.
        let s = States::build(
            10,
            &[
                restriction(&[1, 2, 3], 4, RestrictionKind::No),
                restriction(&[2, 3], 5, RestrictionKind::Only),
            ],
        );
        assert_eq!(s.len(), 3); // copies: A's 2, A's 3, B's 3
        let a2 = s.next(1, 2);
        let a3 = s.next(a2, 3);
        let b3 = s.next(2, 3);
        assert!(a2 >= 10 && a3 >= 10 && b3 >= 10 && a3 != b3);
        assert_eq!(s.edge_of(a3), 3);
        assert!(!s.allows(a3, 4) && !s.allows(a3, 6) && s.allows(a3, 5));
        assert!(s.allows(b3, 5) && !s.allows(b3, 6));
        // A's copy of 3 fails over to B's (its suffix 2 -> 3), so B's rule holds there.
        assert_eq!(s.fail[(a3 - 10) as usize], b3);
        // From an original node off every path the next state is the original edge.
        assert_eq!(s.next(7, 3), 3);
        assert!(s.allows(3, 4));
        // Leaving a path resets to the original edge unless a suffix path starts there.
        assert_eq!(s.next(a3, 9), 9);
    }
}
