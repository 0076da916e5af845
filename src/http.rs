//! The OSRM-compatible HTTP server (the `kerb-http` crate; feature `http`, off by default
//! because it brings tokio, axum and hyper).
//!
//! ```no_run
//! use kerb::http::{serve, shutdown_signal, AppState, Limits};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let graph = kerb::Graph::open("helsinki-truck.kerb")?;
//! let state = AppState::with_graphs(Limits::default(), vec![graph])?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:5000").await?;
//! serve(listener, state, shutdown_signal()).await?;
//! # Ok(()) }
//! ```

pub use kerb_http::{
    router, serve, shutdown_signal, ApiError, ApiResult, AppState, ErrorCode, Limits,
};
