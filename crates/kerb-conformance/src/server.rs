//! One scenario's kerb server: the map written as PBF, imported with the scenario's profile and
//! served by kerb's real HTTP router, queried in-process with `tower::ServiceExt::oneshot`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::http::{Method, Request};
use kerb_core::{Graph, Profile};
use kerb_http::{router, AppState, Limits};
use serde_json::Value;
use tower::ServiceExt;

use crate::pbf::{encode, OsmData};

static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

/// An HTTP response: status code and the body parsed as JSON (`Null` if it is not JSON).
#[derive(Clone, Debug)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Parsed body.
    pub json: Value,
}

impl Response {
    /// The OSRM `code` field (`Ok`, `NoRoute`, ...), or an empty string.
    pub fn code(&self) -> &str {
        self.json.get("code").and_then(Value::as_str).unwrap_or("")
    }
}

/// A loaded scenario map behind kerb's router.
pub struct Server {
    router: axum::Router,
    profile: String,
}

/// Why a scenario's map could not be served.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Writing the temporary PBF file failed.
    #[error("writing the scenario map: {0}")]
    Io(#[from] std::io::Error),
    /// kerb refused to import the map.
    #[error("import: {0}")]
    Import(#[from] kerb_core::Error),
    /// kerb-http refused the graph.
    #[error("server: {0}")]
    Http(String),
}

/// Removes the temporary file when the import is done (or failed).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl Server {
    /// Imports `data` with `profile` and starts a router over the graph, with osrm-extract's
    /// `--small-component-size` when given.
    pub fn start(
        data: &OsmData,
        profile: &Profile,
        small_component_size: Option<u32>,
    ) -> Result<Server, ServerError> {
        let n = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
        let file = TempFile(std::env::temp_dir().join(format!(
            "kerb-conformance-{}-{n}.osm.pbf",
            std::process::id()
        )));
        std::fs::write(&file.0, encode(data))?;
        let mut graph = Graph::from_pbf(&file.0, profile)?;
        if let Some(n) = small_component_size {
            graph.set_small_component_size(n);
        }
        let state = AppState::with_graphs(Limits::default(), vec![graph])
            .map_err(|e| ServerError::Http(format!("{e:?}")))?;
        Ok(Server {
            router: router(state),
            profile: profile.name.clone(),
        })
    }

    /// The profile name to put in request paths.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Sends one request (`uri` is a path with query) and waits for the answer.
    pub fn request(
        &self,
        rt: &tokio::runtime::Runtime,
        method: Method,
        uri: &str,
        body: Option<String>,
    ) -> Response {
        let mut req = Request::builder().method(method).uri(uri);
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = match req.body(body.map(Body::from).unwrap_or_else(Body::empty)) {
            Ok(r) => r,
            Err(e) => {
                return Response {
                    status: 400,
                    json: serde_json::json!({"code": "InvalidUrl", "message": e.to_string()}),
                }
            }
        };
        let router = self.router.clone();
        rt.block_on(async move {
            let resp = match router.oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            let status = resp.status().as_u16();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            Response {
                status,
                json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            }
        })
    }
}
