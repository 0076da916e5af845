//! Vehicle profiles: which roads a vehicle may use, in which direction, and how fast.
//! Types, presets, the builder and validation; how OSM tags are read is the importer's job.
//!
//! A [`Profile`] is a plain struct with public fields, so custom profiles can be made from Rust;
//! [`Profile::car`] and [`Profile::truck`] are the presets. The tag interpretation follows the
//! conventions of OSRM's and GraphHopper's car/truck profiles (see the docs on each field).

mod builder;
mod presets;
pub(crate) mod time;
mod types;
mod validate;

pub use builder::ProfileBuilder;
pub use time::DepartureTime;
pub use types::{
    AccessTime, DrivingSide, DrivingSideRule, Exclude, NodeDelays, Profile, RoadClass, TurnCosts,
    TurnShape, UTurnPolicy, VehicleDims, Weekday,
};
