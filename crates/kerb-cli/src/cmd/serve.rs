//! `kerb serve --graph a.kerb[,b.kerb] --bind 127.0.0.1:5000`: the OSRM-compatible HTTP server.
//!
//! The socket is bound first so `/health` answers (and `/ready` says 503) while the graphs
//! load; each graph is served under its profile's name. SIGINT/SIGTERM shut down within the
//! grace period; SIGHUP reloads the graph files without downtime.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use kerb_http::{reload_on_hangup, serve, serve_admin, shutdown_signal, AppState, Limits};

/// Arguments of `kerb serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Graph files from `kerb build`, comma-separated; one per profile.
    #[arg(long, value_delimiter = ',', required = true)]
    pub graph: Vec<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:5000")]
    pub bind: SocketAddr,
    /// Most coordinates in one route request.
    #[arg(long, default_value_t = Limits::default().max_route_coordinates)]
    pub max_route_coordinates: usize,
    /// Most coordinates in one table request (and locations in a /plan request).
    #[arg(long, default_value_t = Limits::default().max_table_coordinates)]
    pub max_table_coordinates: usize,
    /// Most results of one nearest request.
    #[arg(long, default_value_t = Limits::default().max_nearest)]
    pub max_nearest: usize,
    /// Most coordinates in one /match trace.
    #[arg(long, default_value_t = Limits::default().max_match_coordinates)]
    pub max_match_coordinates: usize,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Longest request target (path and query) in bytes, answered 414 JSON beyond (< 65534).
    #[arg(long, default_value_t = Limits::default().max_uri_bytes)]
    pub max_uri_bytes: usize,
    /// Largest total of request header names and values in bytes, answered 431 JSON beyond.
    #[arg(long, default_value_t = Limits::default().max_header_bytes)]
    pub max_header_bytes: usize,
    /// Deadline of a whole request in milliseconds.
    #[arg(long, default_value_t = Limits::default().request_timeout.as_millis() as u64)]
    pub request_timeout_ms: u64,
    /// Deadline for a client to send its request headers, in milliseconds.
    #[arg(long, default_value_t = Limits::default().header_read_timeout.as_millis() as u64)]
    pub header_read_timeout_ms: u64,
    /// Requests computed at the same time (default: 4 per CPU).
    #[arg(long, default_value_t = Limits::default().max_concurrent_requests)]
    pub max_concurrent_requests: usize,
    /// POST /plan requests solved at the same time, on slots of their own (default: half the CPUs).
    #[arg(long, default_value_t = Limits::default().max_concurrent_plans)]
    pub max_concurrent_plans: usize,
    /// On SIGTERM, how long in-flight requests may finish before they are cancelled, in ms.
    #[arg(long, default_value_t = Limits::default().shutdown_grace.as_millis() as u64)]
    pub shutdown_grace_ms: u64,
    /// Open connections at most.
    #[arg(long, default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,
    /// Longest planner run of one POST /plan request, in seconds.
    #[arg(long, default_value_t = Limits::default().plan_time_limit.as_secs_f64())]
    pub plan_time_limit_s: f64,
    /// Largest isochrone contour in seconds (GET /isochrone).
    #[arg(long, default_value_t = Limits::default().max_isochrone_s)]
    pub max_isochrone_s: f64,
    /// Worker threads of the async runtime (default: one per CPU).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Profiles to serve (repeatable): presets (`car`, `truck`, `refuse-7.5t`, `refuse-32t`) or profile JSON files, e.g.
    /// `--graph map.kerb --profile car --profile refuse-7.5t.json`. A profile a graph file
    /// was imported for routes on its contraction hierarchy; any other is customized on the
    /// first file's roads at start and on reload (or loaded, if `kerb customize` stored it).
    /// Default: each file under its own profile.
    #[arg(long)]
    pub profile: Vec<String>,
    /// Address of the admin endpoint (`POST /reload` reloads the graph files, as SIGHUP does,
    /// and answers whether it worked). Off unless given; loopback addresses only.
    #[arg(long)]
    pub admin_bind: Option<SocketAddr>,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let limits = Limits {
        max_route_coordinates: a.max_route_coordinates,
        max_table_coordinates: a.max_table_coordinates,
        max_nearest: a.max_nearest,
        max_match_coordinates: a.max_match_coordinates,
        max_body_bytes: a.max_body_bytes,
        max_uri_bytes: a.max_uri_bytes,
        max_header_bytes: a.max_header_bytes,
        request_timeout: Duration::from_millis(a.request_timeout_ms),
        header_read_timeout: Duration::from_millis(a.header_read_timeout_ms),
        max_concurrent_requests: a.max_concurrent_requests,
        max_concurrent_plans: a.max_concurrent_plans,
        shutdown_grace: Duration::from_millis(a.shutdown_grace_ms),
        max_connections: a.max_connections,
        plan_time_limit: Duration::try_from_secs_f64(a.plan_time_limit_s)
            .context("--plan-time-limit-s")?,
        max_isochrone_s: a.max_isochrone_s,
    };
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(t) = a.threads {
        rt.worker_threads(t.max(1));
    }
    // Heavy work runs on the blocking pool, gated by `max_concurrent_requests` routing permits
    // and `max_concurrent_plans` plan permits: more blocking threads than permits (plus one
    // for loading) would only add idle stacks and allocator arenas.
    rt.max_blocking_threads(
        limits.max_concurrent_requests.max(1) + limits.max_concurrent_plans.max(1) + 1,
    );
    let files = kerb_api::graphs::GraphFiles {
        paths: a.graph.clone(),
        profiles: a
            .profile
            .iter()
            .map(|p| Ok(kerb_core::Profile::resolve(p)?))
            .collect::<anyhow::Result<_>>()?,
    };
    let rt = rt
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let result = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.bind)
            .await
            .with_context(|| format!("binding {}", a.bind))?;
        let addr = listener.local_addr()?;
        let state = AppState::new(limits);
        tokio::spawn(reload_on_hangup(state.clone(), files.clone()));
        if let Some(admin) = a.admin_bind {
            anyhow::ensure!(
                admin.ip().is_loopback(),
                "--admin-bind {admin}: the admin endpoint binds loopback addresses only"
            );
            let admin_listener = tokio::net::TcpListener::bind(admin)
                .await
                .with_context(|| format!("binding the admin endpoint {admin}"))?;
            eprintln!("kerb serve: admin endpoint on http://{admin} (POST /reload)");
            let (st, admin_files) = (state.clone(), files.clone());
            // Ends with the process: the main server's shutdown returns from run().
            tokio::spawn(async move {
                if let Err(e) = serve_admin(admin_listener, st, admin_files, std::future::pending()).await {
                    tracing::error!(error = %e, "admin endpoint stopped");
                }
            });
        }
        let (failed_tx, failed_rx) = tokio::sync::oneshot::channel::<anyhow::Error>();
        let loader_state = state.clone();
        tokio::task::spawn_blocking(move || {
            let start = Instant::now();
            let loaded = files
                .open()
                .map_err(|e| anyhow::anyhow!("{}", e.message))
                .and_then(|graphs| {
                    let names: Vec<String> = graphs
                        .iter()
                        .map(|g| format!("{} ({})", g.profile().name, g.engine().name()))
                        .collect();
                    loader_state.replace_graphs(graphs).map_err(|e| anyhow::anyhow!("{}", e.message))?;
                    Ok(names)
                });
            match loaded {
                Ok(names) => {
                    tracing::info!(profiles = ?names, ms = start.elapsed().as_millis() as u64, "graphs loaded, ready");
                    eprintln!("kerb serve: ready, profiles {}", names.join(", "));
                }
                Err(e) => {
                    let _ = failed_tx.send(e);
                }
            }
        });
        eprintln!("kerb serve: listening on http://{addr} (loading graphs)");
        tracing::info!(%addr, "listening");
        let mut failure = None;
        let stop = async {
            let signal = shutdown_signal();
            tokio::pin!(signal);
            let mut failed_rx = failed_rx;
            let mut loader_done = false;
            loop {
                tokio::select! {
                    _ = &mut signal => return,
                    r = &mut failed_rx, if !loader_done => match r {
                        Ok(e) => {
                            failure = Some(e);
                            return;
                        }
                        // The loader succeeded and dropped its sender: keep serving.
                        Err(_) => loader_done = true,
                    },
                }
            }
        };
        serve(listener, state, stop).await?;
        match failure {
            Some(e) => Err(e),
            None => {
                eprintln!("kerb serve: stopped");
                Ok(())
            }
        }
    });
    // Plans were cancelled at the end of the grace period; a routing computation still
    // running must not keep the process alive (dropping the runtime would wait for it).
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}
