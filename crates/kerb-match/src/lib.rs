//! kerb-match: GPS traces matched onto kerb's turn-aware road graph with a hidden Markov
//! model, and proof of service of a collection day from the matched traces of its trucks.
#![deny(missing_docs)]

mod error;
mod generate;
mod matcher;
mod passes;
mod read;
mod service;
mod trace;

pub use error::{Error, Result};
pub use generate::{
    edge_share, generate_trace, point_at, GeneratedTrace, TraceOptions, TruePosition,
};
pub use matcher::{
    match_trace, match_trace_cancellable, MatchOptions, MatchResult, MatchedPoint, Matching,
};
pub use passes::{edge_passes, EdgePass};
pub use read::{parse_csv, parse_geojson, parse_gpx, parse_time, read_trace};
pub use service::{
    drive_plan, proof_of_service, BinReport, BinStatus, ExtraStop, ServiceOptions, ServiceReport,
    TruckReport, TruckTrace,
};
pub use trace::{Trace, TracePoint};
