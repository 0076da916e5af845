//! Preprocessing (fast_paths' `preparation_graph.rs`): node ordering with lazy updates,
//! bounded witness searches and shortcuts that remember their middle node.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::*;

#[derive(Clone, Copy, Debug)]
struct Adj {
    node: u32,
    weight: u32,
    dist: u32,
    middle: u32,
    hops: u32,
}

/// Settled-node limits of witness searches when estimating priorities and when contracting:
/// a missed witness only costs a superfluous shortcut.
const SIMULATE_SETTLE_LIMIT: u32 = 60;
const CONTRACT_SETTLE_LIMIT: u32 = 500;

struct WitnessSearch {
    dist: Vec<u32>,
    stamp: Vec<u32>,
    /// `target[v] == now` marks the nodes the current search must reach.
    target: Vec<u32>,
    now: u32,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl WitnessSearch {
    fn new(n: usize) -> Self {
        WitnessSearch {
            dist: vec![INF; n],
            stamp: vec![0; n],
            target: vec![0; n],
            now: 0,
            heap: BinaryHeap::new(),
        }
    }

    fn get(&self, v: u32) -> u32 {
        if self.stamp[v as usize] == self.now {
            self.dist[v as usize]
        } else {
            INF
        }
    }

    /// Dijkstra from `s` ignoring `avoid`, until every target is settled, `max_weight` is
    /// exceeded or `limit` nodes are settled.
    fn run(
        &mut self,
        out: &[Vec<Adj>],
        s: u32,
        avoid: u32,
        targets: &[Adj],
        max_weight: u32,
        limit: u32,
    ) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.fill(0);
            self.target.fill(0);
            self.now = 1;
        }
        let mut open = 0;
        for t in targets {
            if t.node != s && self.target[t.node as usize] != self.now {
                self.target[t.node as usize] = self.now;
                open += 1;
            }
        }
        self.heap.clear();
        self.stamp[s as usize] = self.now;
        self.dist[s as usize] = 0;
        self.heap.push(Reverse((0, s)));
        let mut settled = 0;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            if d > self.get(v) {
                continue;
            }
            if d > max_weight || settled >= limit {
                break;
            }
            settled += 1;
            if self.target[v as usize] == self.now {
                open -= 1;
                if open == 0 {
                    break;
                }
            }
            for a in &out[v as usize] {
                if a.node == avoid {
                    continue;
                }
                let nd = d.saturating_add(a.weight);
                if nd < self.get(a.node) {
                    self.stamp[a.node as usize] = self.now;
                    self.dist[a.node as usize] = nd;
                    self.heap.push(Reverse((nd, a.node)));
                }
            }
        }
    }
}

struct Shortcut {
    tail: u32,
    head: u32,
    weight: u32,
    dist: u32,
    hops: u32,
}

/// The shortcuts needed when contracting `v` now.
fn shortcuts_for(
    v: u32,
    out: &[Vec<Adj>],
    inn: &[Vec<Adj>],
    ws: &mut WitnessSearch,
    limit: u32,
    result: &mut Vec<Shortcut>,
) {
    result.clear();
    let outs = &out[v as usize];
    if outs.is_empty() {
        return;
    }
    for a in &inn[v as usize] {
        let u = a.node;
        let max_out = outs.iter().filter(|b| b.node != u).map(|b| b.weight).max();
        let Some(max_out) = max_out else { continue };
        ws.run(out, u, v, outs, a.weight.saturating_add(max_out), limit);
        for b in outs {
            if b.node == u {
                continue;
            }
            let w = a.weight.saturating_add(b.weight);
            if ws.get(b.node) > w {
                result.push(Shortcut {
                    tail: u,
                    head: b.node,
                    weight: w,
                    dist: a.dist.saturating_add(b.dist),
                    hops: a.hops + b.hops,
                });
            }
        }
    }
}

fn priority(
    v: u32,
    out: &[Vec<Adj>],
    inn: &[Vec<Adj>],
    level: &[u32],
    ws: &mut WitnessSearch,
    limit: u32,
    buf: &mut Vec<Shortcut>,
) -> u32 {
    shortcuts_for(v, out, inn, ws, limit, buf);
    let removed = (out[v as usize].len() + inn[v as usize].len()).max(1) as f32;
    let removed_hops: u32 = out[v as usize]
        .iter()
        .chain(inn[v as usize].iter())
        .map(|a| a.hops)
        .sum();
    let added = buf.len() as f32;
    let added_hops: u32 = buf.iter().map(|s| s.hops).sum();
    let p =
        level[v as usize] as f32 + added / removed + added_hops as f32 / removed_hops.max(1) as f32;
    // Non-negative floats order like their bit patterns.
    p.to_bits()
}

fn insert_or_improve(list: &mut Vec<Adj>, adj: Adj) {
    if let Some(e) = list.iter_mut().find(|e| e.node == adj.node) {
        if adj.weight < e.weight {
            *e = adj;
        }
    } else {
        list.push(adj);
    }
}

impl ContractionHierarchy {
    /// Contracts the graph with `num_nodes` nodes and the given arcs (self loops are ignored,
    /// parallel arcs keep the cheapest).
    ///
    /// # Panics
    /// Panics if an arc refers to a node `>= num_nodes` (a programming error of the caller).
    pub fn build(num_nodes: usize, arcs: &[Arc]) -> Self {
        Self::build_with_progress(num_nodes, arcs, |_, _| {})
    }

    /// Like [`ContractionHierarchy::build`], calling `progress(contracted, num_nodes)` now and
    /// then.
    pub fn build_with_progress(
        num_nodes: usize,
        arcs: &[Arc],
        mut progress: impl FnMut(usize, usize),
    ) -> Self {
        let n = num_nodes;
        let mut out: Vec<Vec<Adj>> = vec![Vec::new(); n];
        let mut inn: Vec<Vec<Adj>> = vec![Vec::new(); n];
        for a in arcs {
            assert!(
                (a.tail as usize) < n && (a.head as usize) < n,
                "arc node out of range"
            );
            if a.tail == a.head {
                continue;
            }
            let fwd = Adj {
                node: a.head,
                weight: a.weight,
                dist: a.dist,
                middle: NO_MIDDLE,
                hops: 1,
            };
            let bwd = Adj {
                node: a.tail,
                ..fwd
            };
            insert_or_improve(&mut out[a.tail as usize], fwd);
            insert_or_improve(&mut inn[a.head as usize], bwd);
        }
        let mut level = vec![0u32; n];
        let prio: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .map_init(
                || (WitnessSearch::new(n), Vec::new()),
                |(ws, buf), v| priority(v, &out, &inn, &level, ws, SIMULATE_SETTLE_LIMIT, buf),
            )
            .collect();
        let mut prio = prio;
        let mut heap: BinaryHeap<Reverse<(u32, u32)>> = (0..n as u32)
            .map(|v| Reverse((prio[v as usize], v)))
            .collect();
        let mut contracted = vec![false; n];
        let mut ws = WitnessSearch::new(n);
        let mut buf = Vec::new();
        let mut order = Vec::with_capacity(n);
        // Arcs recorded at contraction time, in node ids: (v, other, weight, dist, middle).
        let mut up_rec: Vec<Vec<Adj>> = vec![Vec::new(); n];
        let mut down_rec: Vec<Vec<Adj>> = vec![Vec::new(); n];
        let mut neighbours = Vec::new();
        while let Some(Reverse((p, v))) = heap.pop() {
            if contracted[v as usize] || p != prio[v as usize] {
                continue;
            }
            // Lazy update: the priority may have grown since it was computed.
            let np = priority(
                v,
                &out,
                &inn,
                &level,
                &mut ws,
                SIMULATE_SETTLE_LIMIT,
                &mut buf,
            );
            if np > p {
                if let Some(Reverse((top, _))) = heap.peek() {
                    if np > *top {
                        prio[v as usize] = np;
                        heap.push(Reverse((np, v)));
                        continue;
                    }
                }
            }
            shortcuts_for(v, &out, &inn, &mut ws, CONTRACT_SETTLE_LIMIT, &mut buf);
            contracted[v as usize] = true;
            order.push(v);
            let outs = std::mem::take(&mut out[v as usize]);
            let ins = std::mem::take(&mut inn[v as usize]);
            neighbours.clear();
            for a in &outs {
                inn[a.node as usize].retain(|b| b.node != v);
                neighbours.push(a.node);
            }
            for a in &ins {
                out[a.node as usize].retain(|b| b.node != v);
                neighbours.push(a.node);
            }
            for s in buf.drain(..) {
                let f = Adj {
                    node: s.head,
                    weight: s.weight,
                    dist: s.dist,
                    middle: v,
                    hops: s.hops,
                };
                insert_or_improve(&mut out[s.tail as usize], f);
                insert_or_improve(&mut inn[s.head as usize], Adj { node: s.tail, ..f });
            }
            up_rec[v as usize] = outs;
            down_rec[v as usize] = ins;
            neighbours.sort_unstable();
            neighbours.dedup();
            for &u in &neighbours {
                level[u as usize] = level[u as usize].max(level[v as usize] + 1);
            }
            for &u in &neighbours {
                let np = priority(
                    u,
                    &out,
                    &inn,
                    &level,
                    &mut ws,
                    SIMULATE_SETTLE_LIMIT,
                    &mut buf,
                );
                if np != prio[u as usize] {
                    prio[u as usize] = np;
                    heap.push(Reverse((np, u)));
                }
            }
            buf.clear();
            if order.len() % 4096 == 0 {
                progress(order.len(), n);
            }
        }
        progress(n, n);
        Self::from_records(order, up_rec, down_rec)
    }

    fn from_records(order: Vec<u32>, up_rec: Vec<Vec<Adj>>, down_rec: Vec<Vec<Adj>>) -> Self {
        let n = order.len();
        let mut rank = vec![0u32; n];
        for (r, &v) in order.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        let to_ch = |a: &Adj| ChArc {
            other: rank[a.node as usize],
            weight: a.weight,
            dist: a.dist,
            middle: if a.middle == NO_MIDDLE {
                NO_MIDDLE
            } else {
                rank[a.middle as usize]
            },
        };
        let csr = |rec: &[Vec<Adj>]| {
            let mut first = Vec::with_capacity(n + 1);
            let mut arcs = Vec::new();
            first.push(0u32);
            for &v in &order {
                let mut list: Vec<ChArc> = rec[v as usize].iter().map(to_ch).collect();
                list.sort_unstable_by_key(|a| a.other);
                arcs.extend(list);
                first.push(arcs.len() as u32);
            }
            (first, arcs)
        };
        let (up_first, up) = csr(&up_rec);
        let (down_first, down) = csr(&down_rec);
        ContractionHierarchy {
            order,
            rank,
            up_first,
            up,
            down_first,
            down,
        }
    }
}
