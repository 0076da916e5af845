//! Shared server state: the graphs by profile name (swapped whole on reload), limits,
//! readiness and the permits of routing and planning work.

use crate::config::Limits;
use crate::error::{ApiError, ApiResult, ErrorCode};
use kerb_core::Graph;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::{watch, Semaphore};

/// State shared by all requests. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

/// The served graphs by profile name; replaced as a whole, never edited in place.
type Graphs = Arc<BTreeMap<String, Arc<Graph>>>;

struct Inner {
    graphs: RwLock<Option<Graphs>>,
    draining: AtomicBool,
    limits: Limits,
    compute: Arc<Semaphore>,
    plans: Arc<Semaphore>,
    /// Turns true when the shutdown grace period is over: running plans are cancelled.
    abort: watch::Sender<bool>,
    /// Held while a reload reads its files: two reloads (SIGHUP, the admin endpoint) never
    /// hold two new graph sets in memory at once.
    reloading: std::sync::Mutex<()>,
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
                graphs: RwLock::new(None),
                draining: AtomicBool::new(false),
                limits,
                compute: Arc::new(Semaphore::new(permits)),
                plans: Arc::new(Semaphore::new(plan_permits)),
                abort: watch::Sender::new(false),
                reloading: std::sync::Mutex::new(()),
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
    /// name are refused; so is a second call (use [`AppState::replace_graphs`] to swap).
    pub fn set_graphs(&self, graphs: Vec<Graph>) -> ApiResult<()> {
        let map = graph_map(graphs)?;
        let mut slot = self.inner.graphs.write().unwrap_or_else(|e| e.into_inner());
        if slot.is_some() {
            return Err(ApiError::new(
                ErrorCode::Internal,
                "graphs are already loaded",
            ));
        }
        *slot = Some(map);
        Ok(())
    }

    /// Swaps in `graphs` atomically: requests that already hold a graph finish on it, later
    /// ones see only the new set. On error (two graphs for one profile) the old set is kept.
    pub fn replace_graphs(&self, graphs: Vec<Graph>) -> ApiResult<()> {
        let map = graph_map(graphs)?;
        *self.inner.graphs.write().unwrap_or_else(|e| e.into_inner()) = Some(map);
        Ok(())
    }

    /// Reloads the graph files `paths` (those given at start-up) side by side with the served
    /// ones and swaps them in with [`AppState::replace_graphs`]; returns the profiles now
    /// served. Blocking (it reads whole files): call it off the async executor. If any file
    /// fails to open, nothing changes and the error names the file.
    pub fn reload(&self, paths: &[impl AsRef<Path>]) -> ApiResult<Vec<String>> {
        let paths: Vec<_> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        self.reload_files(&paths.into())
    }

    /// [`AppState::reload`] of graph files with the profiles to serve on them (each profile
    /// not imported into a file is customized again: `kerb serve --profile`). One reload at a
    /// time; if any file fails to open, nothing changes.
    pub fn reload_files(&self, files: &kerb_api::graphs::GraphFiles) -> ApiResult<Vec<String>> {
        let _one_at_a_time = self
            .inner
            .reloading
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let graphs = files.open().map_err(ApiError::from)?;
        self.replace_graphs(graphs)?;
        Ok(self.profiles())
    }

    fn graphs(&self) -> Option<Graphs> {
        self.inner
            .graphs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// True once graphs are loaded and until shutdown starts.
    pub fn is_ready(&self) -> bool {
        self.graphs().is_some() && !self.inner.draining.load(Ordering::Relaxed)
    }

    /// Marks the server as shutting down: readiness turns false, in-flight requests finish.
    pub fn start_draining(&self) {
        self.inner.draining.store(true, Ordering::Relaxed);
    }

    /// Cancels every running plan (their requests answer 503) and refuses new ones: the end
    /// of the shutdown grace period.
    pub fn abort_work(&self) {
        self.inner.abort.send_replace(true);
        self.inner.plans.close();
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Names of the served profiles (empty until ready).
    pub fn profiles(&self) -> Vec<String> {
        self.graphs()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The graph serving `profile`. OSRM clients often say `driving`; it names `car`, or the
    /// only profile when one is served (osrm-routed serves one dataset under any name).
    pub fn graph(&self, profile: &str) -> ApiResult<Arc<Graph>> {
        let map = self
            .graphs()
            .ok_or_else(|| ApiError::new(ErrorCode::NotReady, "graphs are still loading"))?;
        let only = (map.len() == 1).then(|| map.keys().next()).flatten();
        let lookup = match only {
            _ if profile != "driving" || map.contains_key("driving") => profile,
            Some(only) if !map.contains_key("car") => only.as_str(),
            _ => "car",
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

    /// [`AppState::run_blocking`] for work that can stop early: `f` gets a cancel token that
    /// is set as soon as the request is abandoned (deadline passed, client gone), so the
    /// slot is freed within one step of the work instead of at its end.
    pub async fn run_cancellable<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&AtomicBool) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let token = Arc::new(AtomicBool::new(false));
        let _cancel = CancelOnDrop(token.clone());
        self.run_blocking(move || f(&token)).await
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
        let mut abort = self.inner.abort.subscribe();
        let work = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(token)
        });
        tokio::select! {
            r = work => r.map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("computation failed: {e}"))
            })?,
            _ = abort.wait_for(|&aborted| aborted) => Err(ApiError::new(
                ErrorCode::NotReady,
                "server is shutting down: plan cancelled",
            )),
        }
    }
}

/// `graphs` by profile name; two graphs for one profile are refused.
fn graph_map(graphs: Vec<Graph>) -> ApiResult<Graphs> {
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
    Ok(Arc::new(map))
}
