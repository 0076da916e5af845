//! The plain turn-aware Dijkstras on the edge-based graph, in a caller-owned [`SearchSide`]:
//! point-to-point (the reference every faster search is tested against), one-to-many, bounded.

use std::cmp::Reverse;

use super::TurnPath;
use crate::ch::{SearchSide, Seed};
use crate::graph::conditional::ConditionalRules;
use crate::profile::time::DepartureTime;
use crate::turn::{duration_ms, TurnGraph, RESTRICTED_ENTRY_MS};

/// What a filtered search may not enter: the nodes of `exclude=` and, with a departure time,
/// the edges their conditional rules close at the moment the vehicle reaches them (the
/// travel time of an open one scaled by its rule's factor, `maxspeed:conditional`).
///
/// Labels are earliest arrival times and the vehicle never waits: an edge is entered at the
/// time the search reaches its start and judged by its rule then. Arrival times stay FIFO
/// (leaving later never arrives earlier) along every open path, since an edge's travel time
/// is fixed while its state is; a road that opens after the vehicle passes its start is not
/// waited for, so the answer is the fastest route without waiting.
#[derive(Clone, Copy, Default)]
pub(crate) struct Filter<'a> {
    /// Per node: never entered after the start.
    pub excluded: Option<&'a [bool]>,
    /// The rules of a timed search (on the turn graph of `TurnGraph::timed`).
    pub timed: Option<Timed<'a>>,
}

/// The rules and the departure time of a timed search.
#[derive(Clone, Copy)]
pub(crate) struct Timed<'a> {
    pub rules: &'a ConditionalRules,
    pub depart: DepartureTime,
}

impl Filter<'_> {
    /// The weight of arc `k` taken when the path so far weighs `weight` (after the
    /// departure), `None` if it enters a node the search may not enter then. The clock is
    /// the path's travel time: destination-only entries weigh but take no time.
    #[inline]
    fn arc(&self, tg: &TurnGraph, k: usize, weight: i64) -> Option<u32> {
        let x = tg.to[k];
        if self.excluded.is_some_and(|ex| ex[x as usize]) {
            return None;
        }
        let Some(timed) = self.timed else {
            return Some(tg.arc_weight(k));
        };
        // Rules are per road edge; a copy of a via edge (via-way restrictions) has its edge's.
        let Some(rule) = timed.rules.rule(tg.edge_of(x).0) else {
            return Some(tg.arc_weight(k));
        };
        let turn_time = i64::from(tg.turn_duration_ms(k));
        let state = rule.state_at(
            timed
                .depart
                .after_ms(duration_ms(weight.max(0)) + turn_time),
        );
        if !state.open {
            return None;
        }
        let travel = (f64::from(tg.edge_ms[x as usize]) * f64::from(state.factor)).round();
        Some(tg.turn_ms[k].saturating_add(travel.min(f64::from(u32::MAX - 1)) as u32))
    }

    /// Whether a search may start on node `x` of `tg` (at the departure).
    fn starts_on(&self, tg: &TurnGraph, x: u32) -> bool {
        !self.excluded.is_some_and(|ex| ex[x as usize])
            && self.timed.is_none_or(|t| {
                t.rules
                    .rule(tg.edge_of(x).0)
                    .is_none_or(|r| r.state_at(t.depart).open)
            })
    }

    fn is_active(&self) -> bool {
        self.excluded.is_some() || self.timed.is_some()
    }
}

/// Sizes the workspace for `n` nodes (reallocating only for a graph of another size) and seeds
/// it with offsets shifted to be non-negative; returns the shifts.
fn init(ws: &mut SearchSide, n: usize, seeds: &[Seed]) -> (i64, i64) {
    if ws.len() != n {
        *ws = SearchSide::new(n);
    }
    ws.init_mapped(seeds, |v| v)
}

/// Plain turn-aware Dijkstra from the source seeds to the cheapest target seed; the
/// reference every faster search is tested against.
///
/// With a [`Filter`], the nodes it excludes are never entered after the start: no seed and
/// no arc leads into one (targets on them stay reachable only as the start's), and a timed
/// filter closes and reweighs edges at the time they are reached.
pub(crate) fn dijkstra(
    tg: &TurnGraph,
    ws: &mut SearchSide,
    sources: &[Seed],
    targets: &[Seed],
    filter: Filter<'_>,
) -> Option<TurnPath> {
    dijkstra_with(tg, ws, sources, targets, filter, |_| 0)
}

/// [`dijkstra`] with `extra[x]` milliseconds added to every arc into node `x` (the penalty
/// method of alternative routes); the path's weight includes them. Seeds are taken as given.
pub(crate) fn dijkstra_penalized(
    tg: &TurnGraph,
    ws: &mut SearchSide,
    sources: &[Seed],
    targets: &[Seed],
    filter: Filter<'_>,
    extra: &[u32],
) -> Option<TurnPath> {
    dijkstra_with(tg, ws, sources, targets, filter, |x| {
        extra.get(x as usize).copied().unwrap_or(0)
    })
}

fn dijkstra_with(
    tg: &TurnGraph,
    ws: &mut SearchSide,
    sources: &[Seed],
    targets: &[Seed],
    filter: Filter<'_>,
    extra: impl Fn(u32) -> u32,
) -> Option<TurnPath> {
    // The path names its source seed by its index in `sources` as given, not in the kept
    // ones (the caller's seed origins are indexed so).
    let original: Option<Vec<usize>> = filter.is_active().then(|| {
        (0..sources.len())
            .filter(|&i| filter.starts_on(tg, sources[i].node))
            .collect()
    });
    let kept = allowed_seeds(tg, sources, filter);
    let sources = kept.as_deref().unwrap_or(sources);
    if sources.is_empty() || targets.is_empty() {
        return None;
    }
    let n = tg.num_nodes();
    {
        let (sw, sd) = init(ws, n, sources);
        let tmin = targets.iter().map(|t| t.weight).min().unwrap_or(0);
        let mut best: Option<(i64, usize, u32)> = None; // (shifted weight, target idx, node)
        while let Some(Reverse((d, v))) = ws.heap.pop() {
            if d != ws.get(v) {
                continue;
            }
            if best.is_some_and(|b| d as i64 + tmin >= b.0) {
                break;
            }
            for (j, t) in targets.iter().enumerate() {
                if t.node == v && best.is_none_or(|b| d as i64 + t.weight < b.0) {
                    best = Some((d as i64 + t.weight, j, v));
                }
            }
            let sec = ws.sec[v as usize];
            let seed = ws.seed[v as usize];
            for k in tg.range(v) {
                let x = tg.to[k];
                let Some(w) = filter.arc(tg, k, d as i64 + sw) else {
                    continue;
                };
                let nd = d.saturating_add(w).saturating_add(extra(x));
                if nd < ws.get(x) {
                    ws.set(x, nd, sec.wrapping_add(tg.edge_cm[x as usize]), v, seed);
                }
            }
        }
        let (w, j, node) = best?;
        let mut edges = Vec::new();
        let mut v = node;
        while v != u32::MAX {
            edges.push(v);
            v = ws.pred[v as usize];
        }
        edges.reverse();
        Some(TurnPath {
            weight: w + sw,
            dist: ws.sec[node as usize] as i64 + sd + targets[j].dist,
            source_seed: {
                let s = ws.seed[node as usize] as usize;
                original.as_ref().map_or(s, |ix| ix[s])
            },
            target_seed: j,
            edges,
        })
    }
}

/// The seeds a filtered search may start on, or `None` when nothing is filtered.
fn allowed_seeds(tg: &TurnGraph, seeds: &[Seed], filter: Filter<'_>) -> Option<Vec<Seed>> {
    filter.is_active().then(|| {
        seeds
            .iter()
            .filter(|s| filter.starts_on(tg, s.node))
            .copied()
            .collect()
    })
}

/// One-to-many turn-aware Dijkstra: `(weight ms, dist cm)` to each target seed set, under a
/// [`Filter`] as in [`dijkstra`].
pub(crate) fn dijkstra_one_to_many(
    tg: &TurnGraph,
    ws: &mut SearchSide,
    sources: &[Seed],
    targets: &[Vec<Seed>],
    filter: Filter<'_>,
) -> Vec<Option<(i64, i64)>> {
    let kept = allowed_seeds(tg, sources, filter);
    let sources = kept.as_deref().unwrap_or(sources);
    let n = tg.num_nodes();
    let mut out = vec![None; targets.len()];
    if sources.is_empty() {
        return out;
    }
    {
        let (sw, sd) = init(ws, n, sources);
        let mut open: Vec<usize> = (0..targets.len())
            .filter(|&j| !targets[j].is_empty())
            .collect();
        let mut by_node: std::collections::HashMap<u32, Vec<(usize, Seed)>> =
            std::collections::HashMap::new();
        for &j in &open {
            for t in &targets[j] {
                by_node.entry(t.node).or_default().push((j, *t));
            }
        }
        let mut best: Vec<Option<(i64, i64)>> = vec![None; targets.len()];
        let tmin: Vec<i64> = targets
            .iter()
            .map(|t| t.iter().map(|s| s.weight).min().unwrap_or(0))
            .collect();
        while let Some(Reverse((d, v))) = ws.heap.pop() {
            if d != ws.get(v) {
                continue;
            }
            open.retain(|&j| best[j].is_none_or(|b| d as i64 + tmin[j] < b.0));
            if open.is_empty() {
                break;
            }
            if let Some(list) = by_node.get(&v) {
                for &(j, t) in list {
                    let w = d as i64 + t.weight;
                    if best[j].is_none_or(|b| w < b.0) {
                        best[j] = Some((w, ws.sec[v as usize] as i64 + t.dist));
                    }
                }
            }
            let sec = ws.sec[v as usize];
            for k in tg.range(v) {
                let x = tg.to[k];
                let Some(w) = filter.arc(tg, k, d as i64 + sw) else {
                    continue;
                };
                let nd = d.saturating_add(w);
                if nd < ws.get(x) {
                    ws.set(x, nd, sec.wrapping_add(tg.edge_cm[x as usize]), v, 0);
                }
            }
        }
        for (o, b) in out.iter_mut().zip(best) {
            *o = b.map(|(w, d)| (w + sw, d + sd));
        }
    }
    out
}

/// Turn-aware Dijkstra bounded by `max_ms` of travel time (restricted entries weigh, but
/// take no time: see [`crate::turn::duration_ms`]): every edge whose *start* is reached within
/// the bound, with the time (ms, after the source shift) at its *end*. Edges settled
/// within the bound and edges only entered (their end lies beyond the bound) are both
/// returned; an edge's start time is its end time minus its travel time.
pub(crate) fn dijkstra_bounded(
    tg: &TurnGraph,
    ws: &mut SearchSide,
    sources: &[Seed],
    max_ms: u32,
) -> Vec<(u32, i64)> {
    let n = tg.num_nodes();
    let mut out = Vec::new();
    if sources.is_empty() {
        return out;
    }
    {
        let (sw, _) = init(ws, n, sources);
        let mut touched: Vec<u32> = sources.iter().map(|s| s.node).collect();
        while let Some(Reverse((d, v))) = ws.heap.pop() {
            if d != ws.get(v) {
                continue;
            }
            // The bound is on travel time, not weight: beyond a restricted entry (a weight
            // step of RESTRICTED_ENTRY_MS) the heap holds nodes reached in time again, so the
            // search goes on and only nodes reached too late are not expanded.
            let total = d as i64 + sw;
            if duration_ms(total) > max_ms as i64 {
                continue;
            }
            // A path that entered a destination-only area does not leave it: the road beyond
            // is reached without driving through (a route would go round, or, where every way
            // to it passes such an area, it lies outside every time budget here).
            let entered = total >= RESTRICTED_ENTRY_MS as i64 && tg.restricted[v as usize];
            for k in tg.range(v) {
                let x = tg.to[k];
                if entered && !tg.restricted[x as usize] {
                    continue;
                }
                let nd = d.saturating_add(tg.arc_weight(k));
                if nd < ws.get(x) {
                    if ws.get(x) == u32::MAX {
                        touched.push(x);
                    }
                    ws.set(x, nd, 0, v, 0);
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for v in touched {
            let end = duration_ms(ws.get(v) as i64 + sw);
            let start = end - tg.edge_ms[v as usize] as i64;
            if start <= max_ms as i64 {
                out.push((v, end));
            }
        }
    }
    out
}
