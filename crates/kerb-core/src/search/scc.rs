//! Strongly connected components (petgraph's Kosaraju) over any arc list: the import keeps
//! the largest one of the road graph, the turn model the largest one of the edge-based graph.

/// Membership of each node in the largest strongly connected component (petgraph Kosaraju);
/// all `false` when no component has more than one node.
pub(crate) fn largest_scc(num_nodes: usize, arcs: impl Iterator<Item = (u32, u32)>) -> Vec<bool> {
    let mut g = petgraph::Graph::<(), (), petgraph::Directed, u32>::with_capacity(num_nodes, 0);
    for _ in 0..num_nodes {
        g.add_node(());
    }
    for (a, b) in arcs {
        g.add_edge(a.into(), b.into(), ());
    }
    let sccs = petgraph::algo::kosaraju_scc(&g);
    let mut keep = vec![false; num_nodes];
    if let Some(best) = sccs.iter().max_by_key(|c| c.len()) {
        if best.len() > 1 {
            for n in best {
                keep[n.index()] = true;
            }
        }
    }
    keep
}
