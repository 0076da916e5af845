//! Strongly connected components (petgraph's Kosaraju) over any arc list: the engine keeps
//! the largest one of the edge-based graph as its main component, and the component of every
//! directed edge for OSRM's small-component snapping.

/// The strongly connected components of a graph: the component of each node and the size of
/// each component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Components {
    /// Component id of each node.
    pub id: Vec<u32>,
    /// Number of nodes of each component.
    pub size: Vec<u32>,
}

impl Components {
    /// Membership of each node in the largest component; all `false` when no component has
    /// more than one node.
    pub(crate) fn largest(&self) -> Vec<bool> {
        let best = (0..self.size.len()).max_by_key(|&c| self.size[c]);
        match best {
            Some(b) if self.size[b] > 1 => self.id.iter().map(|&c| c as usize == b).collect(),
            _ => vec![false; self.id.len()],
        }
    }
}

/// Strongly connected components of the graph with `num_nodes` nodes and these arcs.
pub(crate) fn components(num_nodes: usize, arcs: impl Iterator<Item = (u32, u32)>) -> Components {
    let mut g = petgraph::Graph::<(), (), petgraph::Directed, u32>::with_capacity(num_nodes, 0);
    for _ in 0..num_nodes {
        g.add_node(());
    }
    for (a, b) in arcs {
        g.add_edge(a.into(), b.into(), ());
    }
    let sccs = petgraph::algo::kosaraju_scc(&g);
    let mut id = vec![0u32; num_nodes];
    let mut size = Vec::with_capacity(sccs.len());
    for (c, members) in sccs.iter().enumerate() {
        for n in members {
            id[n.index()] = c as u32;
        }
        size.push(members.len() as u32);
    }
    Components { id, size }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_and_the_largest() {
        // 0 <-> 1 <-> 2 is one component, 3 -> 4 two singletons.
        let c = components(5, [(0, 1), (1, 0), (1, 2), (2, 1), (3, 4)].into_iter());
        assert_eq!(c.id[0], c.id[2]);
        assert_ne!(c.id[3], c.id[4]);
        assert_eq!(c.size[c.id[1] as usize], 3);
        assert_eq!(c.largest(), vec![true, true, true, false, false]);
        assert_eq!(
            components(2, [(0, 1)].into_iter()).largest(),
            vec![false, false]
        );
    }
}
