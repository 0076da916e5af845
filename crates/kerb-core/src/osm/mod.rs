//! OpenStreetMap input: tag interpretation for a profile, PBF framing and the import that
//! turns an extract into a road graph. Nothing below this module knows of any OSM reader.

mod import;
mod pbf;
mod tags;

pub(crate) use import::import;
