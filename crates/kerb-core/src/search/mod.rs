//! Graph searches on prepared data: the plain turn-aware Dijkstras, route queries on the
//! contraction hierarchy, a node-to-node Dijkstra and strongly connected components.
//!
//! Searches run in a caller-owned [`Workspace`] (as fast_paths' `PathCalculator` owns its
//! arrays), so that a query allocates no search arrays once warm; [`with_thread_workspace`]
//! lends the calling thread's own one to the convenience methods.

use std::cell::RefCell;

use crate::cch::CchWorkspace;
use crate::ch::{QueryWorkspace, SearchSide};

mod ch_path;
mod dijkstra;
mod node;
mod scc;

pub(crate) use ch_path::{cch_path, ch_path};
pub(crate) use dijkstra::{
    dijkstra, dijkstra_bounded, dijkstra_one_to_many, dijkstra_penalized, Filter, Timed,
};
pub(crate) use node::node_duration;
pub(crate) use scc::components;

/// A path found by a turn-aware search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TurnPath {
    pub weight: i64,
    pub dist: i64,
    pub source_seed: usize,
    pub target_seed: usize,
    /// Edges entered, in order (the first is a seed node, the last the target edge).
    pub edges: Vec<u32>,
}

/// Reusable search state: the Dijkstra side (indexed by edge-based node) and the CH
/// workspace, each sized on first use for the graph it searches.
#[derive(Default)]
pub(crate) struct Workspace {
    pub(crate) dijkstra: SearchSide,
    pub(crate) ch: Option<QueryWorkspace>,
    pub(crate) cch: Option<CchWorkspace>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("dijkstra_nodes", &self.dijkstra.len())
            .field("ch", &self.ch.is_some())
            .field("cch", &self.cch.is_some())
            .finish()
    }
}

thread_local! {
    static THREAD_WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Runs `f` with this thread's workspace. `f` must not call back into a function that
/// borrows it again (searches never nest).
pub(crate) fn with_thread_workspace<R>(f: impl FnOnce(&mut Workspace) -> R) -> R {
    THREAD_WORKSPACE.with(|ws| f(&mut ws.borrow_mut()))
}
