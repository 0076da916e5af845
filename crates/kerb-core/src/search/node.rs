//! Node-to-node Dijkstra on the road graph itself (no turn rules), for tests and tools, in a
//! per-thread reusable workspace.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::RoadGraph;
use crate::ids::{NodeId, NO_EDGE};

const SEED: u32 = NO_EDGE - 1;

/// Per-thread search state, reused across queries; entries are valid when `stamp == gen`.
#[derive(Default)]
struct Workspace {
    gen: u32,
    stamp: [Vec<u32>; 2],
    dist: [Vec<f64>; 2],
    parent: [Vec<u32>; 2],
    /// Index into the seed list for seeded nodes.
    seed_of: [Vec<u32>; 2],
    heap: [BinaryHeap<Reverse<(u64, u32)>>; 2],
}

impl Workspace {
    fn reset(&mut self, n: usize) {
        for d in 0..2 {
            if self.stamp[d].len() < n {
                self.stamp[d].resize(n, 0);
                self.dist[d].resize(n, 0.0);
                self.parent[d].resize(n, NO_EDGE);
                self.seed_of[d].resize(n, 0);
            }
            self.heap[d].clear();
        }
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            for d in 0..2 {
                self.stamp[d].iter_mut().for_each(|s| *s = 0);
            }
            self.gen = 1;
        }
    }

    fn get(&self, d: usize, n: u32) -> f64 {
        if self.stamp[d][n as usize] == self.gen {
            self.dist[d][n as usize]
        } else {
            f64::INFINITY
        }
    }

    fn set(&mut self, d: usize, n: u32, dist: f64, parent: u32, seed: u32) {
        let i = n as usize;
        self.stamp[d][i] = self.gen;
        self.dist[d][i] = dist;
        self.parent[d][i] = parent;
        self.seed_of[d][i] = seed;
        self.heap[d].push(Reverse((dist.to_bits(), n)));
    }
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Node-to-node fastest travel time by plain Dijkstra (used by tests and tools).
pub(crate) fn node_duration(g: &RoadGraph, from: NodeId, to: NodeId) -> Option<f64> {
    let n = g.num_nodes();
    if from.index() >= n || to.index() >= n {
        return None;
    }
    WORKSPACE.with(|ws| {
        let ws = &mut *ws.borrow_mut();
        ws.reset(n);
        ws.set(0, from.0, 0.0, SEED, 0);
        while let Some(Reverse((bits, u))) = ws.heap[0].pop() {
            let du = f64::from_bits(bits);
            if du > ws.get(0, u) {
                continue;
            }
            if u == to.0 {
                return Some(du);
            }
            for e in g.first_out[u as usize]..g.first_out[u as usize + 1] {
                let v = g.head[e as usize];
                let nd = du + g.duration_s[e as usize] as f64;
                if nd < ws.get(0, v) {
                    ws.set(0, v, nd, e, 0);
                }
            }
        }
        None
    })
}
