//! kerb-match: GPS traces matched onto kerb's turn-aware road graph with a hidden Markov
//! model, and proof of service of a collection day from the matched traces of its trucks.
#![deny(missing_docs)]

mod error;
mod read;
mod trace;

pub use error::{Error, Result};
pub use read::{parse_csv, parse_geojson, parse_gpx, parse_time, read_trace};
pub use trace::{Trace, TracePoint};
