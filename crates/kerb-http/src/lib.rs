//! kerb's HTTP front end: an OSRM v1 compatible routing service (`route`, `table`, `nearest`),
//! JSON POST forms of route and table for long coordinate lists, and `POST /plan`.
//!
//! The crate is a thin layer: it parses and validates requests, calls `kerb_core` on a
//! blocking thread pool and formats OSRM's JSON. Graphs are loaded once, read-only.
//!
//! ```no_run
//! use kerb_http::{serve, shutdown_signal, AppState, Limits};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let graph = kerb_core::Graph::open("helsinki-car.kerb")?;
//! let state = AppState::with_graphs(Limits::default(), vec![graph])?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:5000").await?;
//! serve(listener, state, shutdown_signal()).await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod config;
pub mod coords;
pub mod error;
pub mod format;
pub mod handlers;
pub mod isochrone;
pub mod openapi;
pub mod osrm;
pub mod params;
pub mod plan;
pub mod server;
pub mod state;

pub use config::Limits;
pub use error::{ApiError, ApiResult, ErrorCode};
pub use server::{router, serve, shutdown_signal};
pub use state::AppState;
