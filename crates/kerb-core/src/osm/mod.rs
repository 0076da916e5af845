//! OpenStreetMap input: tag interpretation for a profile, PBF framing and the import that
//! turns an extract into a road graph. Nothing below this module knows of any OSM reader.

mod conditional;
pub mod data;
mod guidance;
mod import;
mod pbf;
mod tags;
mod via_way;
pub mod xml;

pub(crate) use import::import;

/// Progress of a long-running import.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Current stage, e.g. "reading ways", "reading nodes", "building graph".
    pub stage: &'static str,
    /// Overall fraction done, 0..=1.
    pub fraction: f64,
}
