//! The admin endpoint: `POST /reload` loads the graph files again and swaps them in, as
//! SIGHUP does, but answers whether it worked. Off unless the operator binds it, and only
//! ever on a loopback address: reloading is an operator's action, not a client's.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use kerb_api::graphs::GraphFiles;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The answer of a successful reload.
#[derive(Debug, Serialize)]
struct Reloaded {
    /// Always `"Ok"`, as OSRM's responses.
    code: &'static str,
    /// The profiles served from now on.
    profiles: Vec<String>,
}

#[derive(Clone)]
struct Admin {
    state: AppState,
    files: Arc<GraphFiles>,
}

/// `POST /reload`: [`AppState::reload`] of the start-up graph files on the blocking pool.
/// In-flight requests finish on the old graphs; a file that fails to open leaves them served
/// and is answered with its error (500 `InternalError` naming the file).
async fn reload(State(admin): State<Admin>) -> ApiResult<Json<Reloaded>> {
    let Admin { state, files } = admin;
    let profiles = tokio::task::spawn_blocking(move || state.reload_files(&files))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("reload failed: {e}")))?
        .map_err(|e| {
            tracing::error!(error = %e.message, "reload failed: old graphs kept");
            ApiError::new(
                ErrorCode::Internal,
                format!("{}; the old graphs are still served", e.message),
            )
        })?;
    tracing::info!(?profiles, "graphs reloaded (admin endpoint)");
    Ok(Json(Reloaded {
        code: "Ok",
        profiles,
    }))
}

/// The admin application: `POST /reload` reloading `files` (graph files, with the profiles
/// served on them) into `state`; anything else is answered with OSRM-style JSON 404/405.
pub fn admin_router(state: AppState, files: impl Into<GraphFiles>) -> Router {
    Router::new()
        .route("/reload", post(reload))
        .fallback(|| async {
            ApiError::new(
                ErrorCode::InvalidUrl,
                "the admin endpoint serves POST /reload only",
            )
            .with_status(axum::http::StatusCode::NOT_FOUND)
        })
        .method_not_allowed_fallback(crate::handlers::method_not_allowed)
        .with_state(Admin {
            state,
            files: Arc::new(files.into()),
        })
}

/// Serves [`admin_router`] on `listener` until `shutdown` resolves. Refuses a listener that
/// is not bound to a loopback address (`InvalidInput`): the endpoint has no authentication.
pub async fn serve_admin(
    listener: TcpListener,
    state: AppState,
    files: impl Into<GraphFiles>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the admin endpoint binds loopback addresses only, not {addr}"),
        ));
    }
    axum::serve(listener, admin_router(state, files))
        .with_graceful_shutdown(shutdown)
        .await
}
