//! Independent validation of a CARP plan.
//!
//! Shares no code with the solver: shortest paths are recomputed here with its own Dijkstra
//! from each vertex the plan leaves from.

use std::collections::HashMap;

use super::{CarpInstance, CarpSolution};

/// A way a [`CarpSolution`] breaks the rules or misreports itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CarpViolation {
    /// A required edge is served `times` times instead of once.
    #[error("required edge {edge} is served {times} times")]
    ServedTimes {
        /// Index into [`CarpInstance::required`].
        edge: usize,
        /// How often it is served.
        times: usize,
    },
    /// A task names an edge that does not exist or ends that are not the edge's.
    #[error("route {route} task {position}: {reason}")]
    BadTask {
        /// Route index.
        route: usize,
        /// Position in the route.
        position: usize,
        /// What is wrong.
        reason: String,
    },
    /// A route carries more than the capacity.
    #[error("route {route} carries {load} > capacity {capacity}")]
    Capacity {
        /// Route index.
        route: usize,
        /// Demand served.
        load: u64,
        /// Vehicle capacity.
        capacity: u64,
    },
    /// A route has no task (a vehicle sent out for nothing).
    #[error("route {route} is empty")]
    EmptyRoute {
        /// Route index.
        route: usize,
    },
    /// A reported figure differs from the recomputed one.
    #[error("{what}: reported {reported}, recomputed {actual}")]
    Misreported {
        /// Which figure (e.g. `route 2 deadhead_cost`, `cost`).
        what: String,
        /// Value in the solution.
        reported: u64,
        /// Value recomputed from the instance.
        actual: u64,
    },
    /// Two consecutive vertices of a route are not connected.
    #[error("route {route}: vertex {to} cannot be reached from {from}")]
    Unreachable {
        /// Route index.
        route: usize,
        /// Leaving vertex.
        from: usize,
        /// Target vertex.
        to: usize,
    },
}

/// Shortest path costs from `s` to every vertex (u64::MAX = unreachable): label-setting with
/// a sorted frontier, written apart from the solver's Dijkstra.
fn dijkstra(adj: &[Vec<(usize, u64)>], s: usize) -> Vec<u64> {
    let mut d = vec![u64::MAX; adj.len()];
    let mut frontier = std::collections::BTreeSet::new();
    d[s] = 0;
    frontier.insert((0u64, s));
    while let Some((du, u)) = frontier.pop_first() {
        for &(v, c) in &adj[u] {
            let dv = du.saturating_add(c);
            if dv < d[v] {
                if d[v] != u64::MAX {
                    frontier.remove(&(d[v], v));
                }
                d[v] = dv;
                frontier.insert((dv, v));
            }
        }
    }
    d
}

/// Every violation of the plan: each required edge served exactly once along its own ends,
/// loads within capacity, no empty route, and every reported load and cost equal to the one
/// recomputed from the instance. Empty means valid.
pub fn check(inst: &CarpInstance, sol: &CarpSolution) -> Vec<CarpViolation> {
    let mut out = Vec::new();
    let n = inst.vertices;
    let mut adj: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
    let ends = inst
        .required
        .iter()
        .map(|e| (e.u, e.v, e.cost))
        .chain(inst.non_required.iter().map(|e| (e.u, e.v, e.cost)));
    for (u, v, c) in ends {
        if u < n && v < n {
            adj[u].push((v, c));
            adj[v].push((u, c));
        }
    }
    let mut rows: HashMap<usize, Vec<u64>> = HashMap::new();
    let mut dist = |a: usize, b: usize| -> Option<u64> {
        if a >= n || b >= n {
            return None;
        }
        let row = rows.entry(a).or_insert_with(|| dijkstra(&adj, a));
        (row[b] != u64::MAX).then_some(row[b])
    };
    let mut served = vec![0usize; inst.required.len()];
    let (mut total_service, mut total_deadhead) = (0u64, 0u64);
    for (r, route) in sol.routes.iter().enumerate() {
        if route.tasks.is_empty() {
            out.push(CarpViolation::EmptyRoute { route: r });
        }
        let (mut load, mut service, mut deadhead) = (0u64, 0u64, 0u64);
        let mut at = inst.depot;
        for (k, t) in route.tasks.iter().enumerate() {
            let Some(e) = inst.required.get(t.edge) else {
                out.push(CarpViolation::BadTask {
                    route: r,
                    position: k,
                    reason: format!("no required edge {}", t.edge),
                });
                continue;
            };
            served[t.edge] += 1;
            if (t.from, t.to) != (e.u, e.v) && (t.from, t.to) != (e.v, e.u) {
                out.push(CarpViolation::BadTask {
                    route: r,
                    position: k,
                    reason: format!(
                        "served as {} -> {} but edge {} joins {} and {}",
                        t.from, t.to, t.edge, e.u, e.v
                    ),
                });
                continue;
            }
            if (t.demand, t.cost) != (e.demand, e.cost) {
                out.push(CarpViolation::BadTask {
                    route: r,
                    position: k,
                    reason: format!(
                        "reports demand {} cost {}, edge has {} and {}",
                        t.demand, t.cost, e.demand, e.cost
                    ),
                });
            }
            match dist(at, t.from) {
                Some(d) => deadhead += d,
                None => out.push(CarpViolation::Unreachable {
                    route: r,
                    from: at,
                    to: t.from,
                }),
            }
            load += e.demand;
            service += e.cost;
            at = t.to;
        }
        match dist(at, inst.depot) {
            Some(d) => deadhead += d,
            None => out.push(CarpViolation::Unreachable {
                route: r,
                from: at,
                to: inst.depot,
            }),
        }
        if load > inst.capacity {
            out.push(CarpViolation::Capacity {
                route: r,
                load,
                capacity: inst.capacity,
            });
        }
        let figures = [
            ("load", route.load, load),
            ("service_cost", route.service_cost, service),
            ("deadhead_cost", route.deadhead_cost, deadhead),
            ("cost", route.cost, service + deadhead),
        ];
        for (what, reported, actual) in figures {
            if reported != actual {
                out.push(CarpViolation::Misreported {
                    what: format!("route {r} {what}"),
                    reported,
                    actual,
                });
            }
        }
        total_service += service;
        total_deadhead += deadhead;
    }
    for (edge, &times) in served.iter().enumerate() {
        if times != 1 {
            out.push(CarpViolation::ServedTimes { edge, times });
        }
    }
    let totals = [
        ("service_cost", sol.service_cost, total_service),
        ("deadhead_cost", sol.deadhead_cost, total_deadhead),
        ("cost", sol.cost, total_service + total_deadhead),
    ];
    for (what, reported, actual) in totals {
        if reported != actual {
            out.push(CarpViolation::Misreported {
                what: what.into(),
                reported,
                actual,
            });
        }
    }
    out
}
