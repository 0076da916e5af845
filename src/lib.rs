//! kerb: a routing engine for service vehicles.
//!
//! This facade re-exports the public API of the workspace crates; see [`kerb_core`] for the
//! road graph, snapping and routing.
pub use kerb_core::*;
