//! Road graphs by profile name, for fleets whose vehicles each route on their own profile
//! (VROOM's one routing profile per vehicle): the 7.5 t old-town truck on its graph, the
//! 32 t rear loader on its own.

use crate::engine::Graph;
use crate::error::{Error, Result};

/// Graphs keyed by the name of the profile each was built with; the first one is the default
/// of vehicles that name no profile.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, GraphSet, Profile};
/// let truck = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let car = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
/// let set = GraphSet::new().with(&truck).with(&car);
/// assert_eq!(set.get(None)?.road().profile().name, "truck");
/// assert_eq!(set.get(Some("car"))?.road().profile().name, "car");
/// assert!(set.get(Some("bicycle")).is_err());
/// # Ok::<(), kerb_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct GraphSet<'g> {
    graphs: Vec<&'g Graph>,
}

impl<'g> GraphSet<'g> {
    /// An empty set: every lookup fails until graphs are added.
    pub fn new() -> Self {
        GraphSet { graphs: Vec::new() }
    }

    /// The set of one graph: the default, and the graph of its own profile's name.
    pub fn single(graph: &'g Graph) -> Self {
        GraphSet::new().with(graph)
    }

    /// Adds `graph` under its profile's name; a graph of the same name already in the set
    /// is replaced (keeping its place, so the default stays the first name added).
    pub fn with(mut self, graph: &'g Graph) -> Self {
        let name = &graph.profile().name;
        match self.graphs.iter().position(|g| &g.profile().name == name) {
            Some(k) => self.graphs[k] = graph,
            None => self.graphs.push(graph),
        }
        self
    }

    /// Makes the graph of profile `name` the default (moved to the front); an error if the
    /// set holds none of that name.
    pub fn with_default(mut self, name: &str) -> Result<Self> {
        let g = self.get(Some(name))?;
        self.graphs.retain(|x| !std::ptr::eq(*x, g));
        self.graphs.insert(0, g);
        Ok(self)
    }

    /// The graph of profile `name`, or the default for `None`.
    ///
    /// Errors: [`Error::NoGraphForProfile`] naming the profile and the ones in the set.
    pub fn get(&self, name: Option<&str>) -> Result<&'g Graph> {
        let found = match name {
            None => self.graphs.first().copied(),
            Some(n) => self.graphs.iter().copied().find(|g| g.profile().name == n),
        };
        found.ok_or_else(|| Error::NoGraphForProfile {
            profile: name.unwrap_or("(default)").to_string(),
            available: self.names().join(", "),
        })
    }

    /// The profile names in the set, the default first.
    pub fn names(&self) -> Vec<String> {
        self.graphs
            .iter()
            .map(|g| g.profile().name.clone())
            .collect()
    }

    /// Number of graphs.
    pub fn len(&self) -> usize {
        self.graphs.len()
    }

    /// True when the set holds no graph.
    pub fn is_empty(&self) -> bool {
        self.graphs.is_empty()
    }
}
