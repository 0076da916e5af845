//! Which graphs a front end serves: graph files plus the profiles asked for. A profile the
//! file was imported (and contracted) for routes on its contraction hierarchy; any other
//! profile routes on the same roads through a CCH customization (stored in the file by
//! `kerb customize`, or customized when the graphs are opened). `kerb serve`, `kerb route`,
//! `kerb table` and Python's `Graph.customize` all go through here.

use std::path::{Path, PathBuf};

use kerb_core::{Graph, Profile};

use crate::error::{Error, ErrorKind, Result};

/// Graph files and the profiles to route on them (none: each file under its own profile).
#[derive(Clone, Debug, Default)]
pub struct GraphFiles {
    /// Graph files written by `kerb build`.
    pub paths: Vec<PathBuf>,
    /// Profiles to serve; empty serves each file's imported profile.
    pub profiles: Vec<Profile>,
}

impl GraphFiles {
    /// Opens the files and prepares every profile (see [`for_profiles`]). Blocking: reads
    /// the files and may customize.
    pub fn open(&self) -> Result<Vec<Graph>> {
        let maps = self
            .paths
            .iter()
            .map(|p| open(p))
            .collect::<Result<Vec<_>>>()?;
        for_profiles(maps, &self.profiles)
    }
}

/// Files served under their own profiles.
impl From<Vec<PathBuf>> for GraphFiles {
    fn from(paths: Vec<PathBuf>) -> Self {
        GraphFiles {
            paths,
            profiles: Vec::new(),
        }
    }
}

fn open(path: &Path) -> Result<Graph> {
    Graph::open(path).map_err(|e| {
        let kind = Error::from_core_ref(&e).kind;
        Error::new(kind, format!("opening graph {}: {e}", path.display()))
    })
}

/// The graphs that route `profiles` on `maps`: for each profile the map imported for it
/// (its own search, the contraction hierarchy when contracted), else the first map routed
/// for it through a CCH customization ([`Graph::with_profile`]). No profiles: the maps as
/// they are. Two profiles of one name are an [`ErrorKind::InvalidOptions`] error.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, Profile, RoutingEngine};
/// let mut car = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
/// car.contract()?;
/// let graphs = kerb_api::graphs::for_profiles(vec![car], &[Profile::car(), Profile::truck()])?;
/// let engines: Vec<_> = graphs.iter().map(|g| (g.profile().name.as_str(), g.engine())).collect();
/// assert_eq!(engines, [("car", RoutingEngine::Ch), ("truck", RoutingEngine::Cch)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn for_profiles(maps: Vec<Graph>, profiles: &[Profile]) -> Result<Vec<Graph>> {
    if profiles.is_empty() {
        return Ok(maps);
    }
    let Some(first) = maps.first() else {
        return Err(Error::new(
            ErrorKind::InvalidOptions,
            "profiles asked for but no graph file given",
        ));
    };
    let mut out: Vec<Graph> = Vec::with_capacity(profiles.len());
    for p in profiles {
        if out.iter().any(|g| g.profile().name == p.name) {
            return Err(Error::new(
                ErrorKind::InvalidOptions,
                format!("profile '{}' asked for twice", p.name),
            ));
        }
        let map = maps
            .iter()
            .find(|m| m.road().profile() == p)
            .unwrap_or(first);
        let g = map.with_profile(p).map_err(|e| {
            let kind = Error::from_core_ref(&e).kind;
            Error::new(kind, format!("profile '{}': {e}", p.name))
        })?;
        out.push(g);
    }
    Ok(out)
}
