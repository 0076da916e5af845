//! Capacitated arc routing (CARP): serve **street segments** rather than points.
//!
//! A refuse truck that empties every bin along a street, a gritter or a street sweeper does not
//! visit stops: it traverses required edges of a road network. The capacitated arc routing
//! problem asks for vehicle routes from a depot that serve every required edge exactly once
//! (in either direction), never carry more than the vehicle capacity, and minimise the total
//! cost of service plus deadheading (driving without serving) on shortest paths.
//!
//! - [`CarpInstance`]: undirected graph (vertices `0..vertices`), required edges with cost and
//!   demand, non-required edges with cost, depot, capacity. [`read_carplib`] reads the CARPLIB
//!   `.dat` format of the gdb, val (bccm) and egl benchmark sets (file vertex `k` becomes
//!   index `k - 1`).
//! - [`solve`]: returns routes as sequences of [`ServedTask`]s (a required edge and the
//!   direction it is served in).
//! - [`check`]: independent validation (every required edge served once, capacity, costs
//!   recomputed from its own shortest paths).
//!
//! **Fleet convention.** As in the literature the benchmark results are compared with
//! (Golden et al., Belenguer & Benavent, Tang et al.'s MAENS, Vidal's HGS-CARP), the number of
//! vehicles is unlimited: a route is one vehicle trip, and `VEHICULOS` in a CARPLIB file is
//! read into [`CarpInstance::vehicles`] as the known lower bound, not enforced.
//!
//! ```
//! use kerb_plan::carp::{check, read_carplib, solve};
//! use kerb_plan::SolveOptions;
//! // A square 1-2-3-4 with the depot at 1; capacity 2 forces two trips.
//! let text = "NOMBRE : square\nVERTICES : 4\nARISTAS_REQ : 4\nARISTAS_NOREQ : 0\n\
//!             VEHICULOS : 2\nCAPACIDAD : 2\nLISTA_ARISTAS_REQ :\n\
//!             ( 1, 2) coste 1 demanda 1\n( 2, 3) coste 1 demanda 1\n\
//!             ( 3, 4) coste 1 demanda 1\n( 4, 1) coste 1 demanda 1\nDEPOSITO : 1\n";
//! let inst = read_carplib(text).unwrap();
//! let sol = solve(&inst, &SolveOptions::iterations(50)).unwrap();
//! assert!(check(&inst, &sol).is_empty());
//! assert_eq!(sol.routes.len(), 2);
//! // Service 4 plus deadheading back from vertex 3 twice (1-2-3 and 1-4-3 trips).
//! assert_eq!(sol.cost, 8);
//! ```
//!
//! The solver is a memetic algorithm in the style of Vidal's HGS-CARP: giant tours of required
//! edges are cut into trips by Ulusoy's split with optimal service directions, improved by a
//! local search whose moves also flip directions (relocate, swap, 2-opt within a route, 2-opt*
//! between routes), and kept in a population ranked by cost and diversity. Path-scanning
//! (Golden et al.'s five rules) seeds the population.

mod check;
mod io;
mod local_search;
mod solve;
mod split;

pub use check::{check, CarpViolation};
pub use io::{read_carplib, read_carplib_file};
pub use solve::solve;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An edge that must be served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredEdge {
    /// One end (vertex index).
    pub u: usize,
    /// The other end.
    pub v: usize,
    /// Cost of traversing it (serving or deadheading).
    pub cost: u64,
    /// Quantity collected when it is served.
    pub demand: u64,
}

/// An edge that may only be deadheaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// One end (vertex index).
    pub u: usize,
    /// The other end.
    pub v: usize,
    /// Cost of traversing it.
    pub cost: u64,
}

/// An undirected capacitated arc routing instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarpInstance {
    /// Name (CARPLIB `NOMBRE`).
    pub name: String,
    /// Number of vertices; vertices are `0..vertices`.
    pub vertices: usize,
    /// The depot vertex every route starts and ends at.
    pub depot: usize,
    /// Vehicle capacity.
    pub capacity: u64,
    /// Known lower bound on the number of vehicles (CARPLIB `VEHICULOS`); not enforced.
    pub vehicles: Option<usize>,
    /// Edges to serve; [`ServedTask::edge`] indexes this list.
    pub required: Vec<RequiredEdge>,
    /// Edges that can only be deadheaded.
    pub non_required: Vec<Edge>,
}

impl CarpInstance {
    /// An instance without edges.
    ///
    /// ```
    /// use kerb_plan::carp::CarpInstance;
    /// let inst = CarpInstance::new(3, 0, 10)
    ///     .required_edge(0, 1, 4, 6)
    ///     .required_edge(1, 2, 3, 5)
    ///     .edge(2, 0, 2);
    /// assert!(inst.validate().is_ok());
    /// assert_eq!(inst.distances().get(0, 2), Some(2));
    /// ```
    pub fn new(vertices: usize, depot: usize, capacity: u64) -> Self {
        Self {
            name: String::new(),
            vertices,
            depot,
            capacity,
            vehicles: None,
            required: Vec::new(),
            non_required: Vec::new(),
        }
    }

    /// Adds a required edge `u`-`v`.
    pub fn required_edge(mut self, u: usize, v: usize, cost: u64, demand: u64) -> Self {
        self.required.push(RequiredEdge { u, v, cost, demand });
        self
    }

    /// Adds a non-required edge `u`-`v`.
    pub fn edge(mut self, u: usize, v: usize, cost: u64) -> Self {
        self.non_required.push(Edge { u, v, cost });
        self
    }

    /// Checks indices, size ([`MAX_VERTICES`], [`MAX_REQUIRED_EDGES`]), demands against the
    /// capacity and that every required edge can be reached from the depot.
    pub fn validate(&self) -> Result<()> {
        if self.depot >= self.vertices {
            return Err(Error::InvalidInstance(format!(
                "depot {} is not a vertex (there are {})",
                self.depot, self.vertices
            )));
        }
        if self.vertices > MAX_VERTICES || self.required.len() > MAX_REQUIRED_EDGES {
            return Err(Error::Unsupported(format!(
                "CARP instance with {} vertices and {} required edges (limits {MAX_VERTICES} and \
                 {MAX_REQUIRED_EDGES})",
                self.vertices,
                self.required.len()
            )));
        }
        let ends = self
            .required
            .iter()
            .map(|e| (e.u, e.v))
            .chain(self.non_required.iter().map(|e| (e.u, e.v)));
        for (u, v) in ends {
            if u >= self.vertices || v >= self.vertices {
                return Err(Error::InvalidInstance(format!(
                    "edge ({u}, {v}) has an end outside 0..{}",
                    self.vertices
                )));
            }
        }
        let total: u128 = self.required.iter().map(|e| e.cost as u128).sum::<u128>()
            + self
                .non_required
                .iter()
                .map(|e| e.cost as u128)
                .sum::<u128>();
        if total > (i64::MAX / 4) as u128 {
            return Err(Error::InvalidInstance("edge costs overflow".into()));
        }
        let from_depot = shortest_from(&self.adjacency(), self.depot);
        for (k, e) in self.required.iter().enumerate() {
            if e.demand > self.capacity {
                return Err(Error::Infeasible {
                    reason: format!(
                        "required edge {k} ({}, {}) has demand {} above the capacity {}",
                        e.u, e.v, e.demand, self.capacity
                    ),
                });
            }
            if from_depot[e.u] == u64::MAX {
                return Err(Error::Infeasible {
                    reason: format!(
                        "required edge {k} ({}, {}) cannot be reached from the depot {}",
                        e.u, e.v, self.depot
                    ),
                });
            }
        }
        Ok(())
    }

    /// All-pairs shortest path costs over required and non-required edges (Dijkstra from
    /// every vertex): `vertices`² entries, meant for small graphs. The solver itself only
    /// computes paths between the depot and the ends of required edges.
    pub fn distances(&self) -> Distances {
        let n = self.vertices;
        let adj = self.adjacency();
        let mut d = Vec::with_capacity(n * n);
        for s in 0..n {
            d.extend(shortest_from(&adj, s));
        }
        Distances { n, d }
    }

    /// Neighbours and edge costs per vertex (ends outside `0..vertices` are skipped).
    pub(crate) fn adjacency(&self) -> Vec<Vec<(usize, u64)>> {
        let n = self.vertices;
        let mut adj: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
        let ends = self
            .required
            .iter()
            .map(|e| (e.u, e.v, e.cost))
            .chain(self.non_required.iter().map(|e| (e.u, e.v, e.cost)));
        for (u, v, c) in ends {
            if u < n && v < n {
                adj[u].push((v, c));
                adj[v].push((u, c));
            }
        }
        adj
    }

    /// Total cost of serving every required edge once (a constant part of every solution).
    pub fn service_cost(&self) -> u64 {
        self.required.iter().map(|e| e.cost).sum()
    }
}

/// Dijkstra from `s`: the cost to every vertex (`u64::MAX` = unreachable).
pub(crate) fn shortest_from(adj: &[Vec<(usize, u64)>], s: usize) -> Vec<u64> {
    let mut row = vec![u64::MAX; adj.len()];
    let mut heap = std::collections::BinaryHeap::new();
    row[s] = 0;
    heap.push(std::cmp::Reverse((0u64, s)));
    while let Some(std::cmp::Reverse((du, u))) = heap.pop() {
        if du > row[u] {
            continue;
        }
        for &(v, c) in &adj[u] {
            let dv = du.saturating_add(c);
            if dv < row[v] {
                row[v] = dv;
                heap.push(std::cmp::Reverse((dv, v)));
            }
        }
    }
    row
}

/// Largest instance [`CarpInstance::validate`] accepts: the solver keeps a dense matrix over
/// the depot and the ends of required edges.
pub const MAX_VERTICES: usize = 1 << 22;
/// See [`MAX_VERTICES`].
pub const MAX_REQUIRED_EDGES: usize = 4000;

/// Shortest path costs between all pairs of vertices.
#[derive(Clone, Debug)]
pub struct Distances {
    n: usize,
    d: Vec<u64>,
}

impl Distances {
    /// Cost of a shortest path from `u` to `v`; `None` when `v` cannot be reached (or a
    /// vertex is out of range).
    pub fn get(&self, u: usize, v: usize) -> Option<u64> {
        if u >= self.n || v >= self.n {
            return None;
        }
        let x = self.d[u * self.n + v];
        (x != u64::MAX).then_some(x)
    }
}

/// One required edge served in a given direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedTask {
    /// Index into [`CarpInstance::required`].
    pub edge: usize,
    /// Vertex the service starts at.
    pub from: usize,
    /// Vertex the service ends at.
    pub to: usize,
    /// Demand collected.
    pub demand: u64,
    /// Service cost (the edge cost).
    pub cost: u64,
}

/// One vehicle trip from the depot back to the depot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarpRoute {
    /// Served edges in order.
    pub tasks: Vec<ServedTask>,
    /// Total demand served.
    pub load: u64,
    /// Cost of the served edges.
    pub service_cost: u64,
    /// Cost of the shortest paths between them (depot -> first, ..., last -> depot).
    pub deadhead_cost: u64,
    /// `service_cost + deadhead_cost`.
    pub cost: u64,
}

/// A CARP plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarpSolution {
    /// The trips.
    pub routes: Vec<CarpRoute>,
    /// Total cost (service plus deadheading): the objective of the benchmarks.
    pub cost: u64,
    /// Total service cost.
    pub service_cost: u64,
    /// Total deadheading cost.
    pub deadhead_cost: u64,
    /// Solver iterations (offspring generated) per thread.
    pub iterations: u64,
    /// Wall-clock seconds spent.
    pub elapsed_s: f64,
}
