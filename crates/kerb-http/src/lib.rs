//! kerb's HTTP front end: an OSRM v1 compatible routing service (`route`, `table`, `nearest`),
//! JSON POST forms of route and table for long coordinate lists, and `POST /plan`.
//!
//! The crate is the transport only: axum extractors turn the matched path, query string and
//! JSON body into kerb-api's typed parameters, kerb-api's service functions run on a blocking
//! thread pool and their OSRM responses are serialised here; errors map to statuses through
//! `From` impls. Graphs are read-only; [`AppState::reload`] swaps in a new set whole.
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

mod admin;
mod config;
mod error;
mod extract;
mod handlers;
mod isochrone;
mod openapi;
mod plan;
mod server;
mod state;
mod transport;

pub use admin::{admin_router, serve_admin};
pub use config::Limits;
pub use error::{status, ApiError, ApiResult, ErrorBody, ErrorCode};
pub use server::{reload_on_hangup, router, serve, shutdown_signal};
pub use state::AppState;
