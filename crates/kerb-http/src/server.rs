//! The router (services, limits, logging, panic catching) and the accept loop (header-read
//! timeout, connection limit, graceful shutdown).

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use crate::{handlers, openapi};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// After the grace period, how long cancelled requests get to write their 503.
const ABORT_FLUSH: Duration = Duration::from_millis(500);

/// Builds the application: OSRM services, `/plan`, `/health`, `/ready`, `/openapi.json`, with
/// the request timeout, tracing and panic catching applied.
pub fn router(state: AppState) -> Router {
    let timeout = state.limits().request_timeout;
    Router::new()
        .route("/route/v1/{profile}/{coordinates}", get(handlers::route_get))
        .route("/route/v1/{profile}", post(handlers::route_post))
        .route("/table/v1/{profile}/{coordinates}", get(handlers::table_get))
        .route("/table/v1/{profile}", post(handlers::table_post))
        .route("/nearest/v1/{profile}/{coordinates}", get(handlers::nearest_get))
        .route("/trip/v1/{profile}/{coordinates}", get(handlers::trip_get))
        .route("/match/v1/{profile}/{coordinates}", get(handlers::match_get))
        .route("/match/v1/{profile}", post(handlers::match_post))
        .route(
            "/isochrone/v1/{profile}/{coordinates}",
            get(crate::isochrone::isochrone_get),
        )
        .route("/plan", post(crate::plan::plan))
        .route("/plan/week", post(crate::plan::plan_week))
        .route("/health", get(handlers::health))
        .route("/ready", get(handlers::ready))
        .route("/openapi.json", get(openapi::serve))
        .fallback(handlers::fallback)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state.clone())
        .layer(middleware::from_fn_with_state(timeout, deadline))
        .layer(middleware::from_fn_with_state(state, transport_limits))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            ApiError::new(ErrorCode::Internal, "internal error while handling the request").into_response()
        }))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    tracing::info_span!("http", method = %req.method(), uri = %req.uri())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Request targets and headers beyond the limits, answered as OSRM JSON (414, 431) rather
/// than hyper's bare status: the limits sit below hyper's own ceilings so that this runs.
async fn transport_limits(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limits = state.limits();
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > limits.max_uri_bytes {
        return ApiError::new(
            ErrorCode::TooBig,
            format!(
                "request target of {target} bytes exceeds the limit of {} bytes; use the POST form",
                limits.max_uri_bytes
            ),
        )
        .with_status(StatusCode::URI_TOO_LONG)
        .into_response();
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if headers > limits.max_header_bytes {
        return ApiError::new(
            ErrorCode::TooBig,
            format!(
                "request headers of {headers} bytes exceed the limit of {} bytes",
                limits.max_header_bytes
            ),
        )
        .with_status(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        .into_response();
    }
    next.run(req).await
}

async fn deadline(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            format!("request not completed within {} ms", timeout.as_millis()),
        )
        .into_response(),
    }
}

/// Every answer is OSRM JSON, including the transport errors hyper answers itself before
/// any handler runs (a request target over 65,534 bytes: 414; a request head over hyper's
/// read buffer or with more than 100 headers: 431; a malformed request line, header or
/// `Content-Length`: 400), whose bare heads are rewritten on the way out. Targets and headers
/// over [`Limits::max_uri_bytes`](crate::Limits::max_uri_bytes) and
/// [`Limits::max_header_bytes`](crate::Limits::max_header_bytes), which sit below those
/// ceilings, are answered by the router with a message naming the limit.
///
/// Serves `state` on `listener` until `shutdown` resolves, then stops accepting, marks the
/// server not ready and lets in-flight requests finish for at most
/// [`Limits::shutdown_grace`](crate::Limits::shutdown_grace); then running plans are
/// cancelled and the function returns.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = state.limits().clone();
    let app = router(state.clone());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => p.expect("connection semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and similar: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let svc = TowerToHyperService::new(app.clone());
        let stream = crate::transport::JsonErrors::new(stream);
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), svc);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection closed with error");
            }
            drop(permit);
        });
    }
    state.start_draining();
    tracing::info!("shutting down: no new connections, finishing in-flight requests");
    drop(listener);
    let drained = graceful.shutdown();
    tokio::pin!(drained);
    if tokio::time::timeout(limits.shutdown_grace, &mut drained)
        .await
        .is_err()
    {
        tracing::warn!(
            grace_ms = limits.shutdown_grace.as_millis() as u64,
            "some requests did not finish within the shutdown grace period: cancelled"
        );
        // Cancelled plans answer 503 at once; give their connections a moment to send it.
        state.abort_work();
        let _ = tokio::time::timeout(ABORT_FLUSH, drained).await;
    }
    state.abort_work();
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("SIGINT received"),
        _ = term => tracing::info!("SIGTERM received"),
    }
}

/// Reloads the graphs from `files` (paths, and the profiles to customize on them) on every
/// SIGHUP (Unix; never resolves elsewhere), with [`AppState::reload_files`] on the blocking pool: in-flight requests finish on the old graphs,
/// and a file that fails to open is logged while the old graphs stay served. Installing the
/// handler also keeps SIGHUP from killing the process.
pub async fn reload_on_hangup(state: AppState, files: impl Into<kerb_api::graphs::GraphFiles>) {
    let files = files.into();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangup = match signal(SignalKind::hangup()) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGHUP: no graph reload");
                return std::future::pending().await;
            }
        };
        let files = Arc::new(files);
        while hangup.recv().await.is_some() {
            tracing::info!("SIGHUP received: reloading graphs");
            let (st, fs) = (state.clone(), files.clone());
            match tokio::task::spawn_blocking(move || st.reload_files(&fs)).await {
                Ok(Ok(profiles)) => tracing::info!(?profiles, "graphs reloaded"),
                Ok(Err(e)) => tracing::error!(error = %e.message, "reload failed: old graphs kept"),
                Err(e) => tracing::error!(error = %e, "reload failed: old graphs kept"),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (state, files);
        std::future::pending::<()>().await
    }
}
