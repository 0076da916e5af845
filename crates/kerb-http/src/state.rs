//! Shared, read-only server state: the graphs by profile name, limits and readiness.

use crate::config::Limits;
use crate::error::{ApiError, ApiResult, ErrorCode};
use kerb_core::Graph;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// State shared by all requests. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    graphs: OnceLock<BTreeMap<String, Arc<Graph>>>,
    draining: AtomicBool,
    limits: Limits,
    compute: Arc<Semaphore>,
    plans: Arc<Semaphore>,
}

/// Sets a solve's cancel token when dropped: the request future holding it was dropped
/// (deadline passed, client went away) or finished, and the solver stops within milliseconds.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl AppState {
    /// A state with no graphs yet: the server answers `/health` but is not ready until
    /// [`AppState::set_graphs`] is called.
    pub fn new(limits: Limits) -> Self {
        let permits = limits.max_concurrent_requests.max(1);
        let plan_permits = limits.max_concurrent_plans.max(1);
        AppState {
            inner: Arc::new(Inner {
                graphs: OnceLock::new(),
                draining: AtomicBool::new(false),
                limits,
                compute: Arc::new(Semaphore::new(permits)),
                plans: Arc::new(Semaphore::new(plan_permits)),
            }),
        }
    }

    /// A ready state serving `graphs`, each under its profile's name.
    pub fn with_graphs(limits: Limits, graphs: Vec<Graph>) -> ApiResult<Self> {
        let s = Self::new(limits);
        s.set_graphs(graphs)?;
        Ok(s)
    }

    /// Installs the graphs (once) and marks the server ready. Two graphs with the same profile
    /// name are refused.
    pub fn set_graphs(&self, graphs: Vec<Graph>) -> ApiResult<()> {
        let mut map = BTreeMap::new();
        for g in graphs {
            let name = g.profile().name.clone();
            if map.insert(name.clone(), Arc::new(g)).is_some() {
                return Err(ApiError::new(
                    ErrorCode::InvalidOptions,
                    format!("two graphs serve the profile {name:?}"),
                ));
            }
        }
        self.inner
            .graphs
            .set(map)
            .map_err(|_| ApiError::new(ErrorCode::Internal, "graphs are already loaded"))
    }

    /// True once graphs are loaded and until shutdown starts.
    pub fn is_ready(&self) -> bool {
        self.inner.graphs.get().is_some() && !self.inner.draining.load(Ordering::Relaxed)
    }

    /// Marks the server as shutting down: readiness turns false, in-flight requests finish.
    pub fn start_draining(&self) {
        self.inner.draining.store(true, Ordering::Relaxed);
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Names of the served profiles (empty until ready).
    pub fn profiles(&self) -> Vec<String> {
        self.inner
            .graphs
            .get()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The graph serving `profile`. OSRM clients often say `driving`; it names `car`.
    pub fn graph(&self, profile: &str) -> ApiResult<Arc<Graph>> {
        let map = self
            .inner
            .graphs
            .get()
            .ok_or_else(|| ApiError::new(ErrorCode::NotReady, "graphs are still loading"))?;
        let lookup = if profile == "driving" && !map.contains_key("driving") {
            "car"
        } else {
            profile
        };
        map.get(lookup).cloned().ok_or_else(|| {
            ApiError::new(
                ErrorCode::ProfileNotFound,
                format!(
                    "profile {profile:?} is not served; available: {}",
                    map.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }

    /// Runs `f` on the blocking thread pool, holding one of the `max_concurrent_requests`
    /// slots for as long as `f` runs (even if the client goes away), so heavy work never blocks
    /// the async executor and never piles up beyond the limit.
    pub async fn run_blocking<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce() -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let permit = self
            .inner
            .compute
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::new(ErrorCode::NotReady, "server is shutting down"))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f()
        })
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("computation failed: {e}")))?
    }

    /// Runs a plan `f` on the blocking thread pool under one of the `max_concurrent_plans`
    /// slots (not the routing ones), passing it a cancel token that is set as soon as the
    /// request is abandoned: its deadline passed or its client disconnected. `f` hands the
    /// token to the solver, so abandoned work stops and frees its slot within milliseconds.
    pub async fn run_plan<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(Arc<AtomicBool>) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let permit = self
            .inner
            .plans
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::new(ErrorCode::NotReady, "server is shutting down"))?;
        let token = Arc::new(AtomicBool::new(false));
        let _cancel = CancelOnDrop(token.clone());
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(token)
        })
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("computation failed: {e}")))?
    }
}
