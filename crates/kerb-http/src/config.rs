//! Request limits of the server. Every limit is enforced before the work it bounds starts.

use std::time::Duration;

/// Limits of one server. [`Limits::default`] holds sane defaults for a city-sized deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Most coordinates in one route request (OSRM's `--max-viaroute-size`, default 500).
    pub max_route_coordinates: usize,
    /// Most coordinates in one table request (OSRM's `--max-table-size`); also bounds the
    /// locations of a `/plan` request whose matrix kerb computes.
    pub max_table_coordinates: usize,
    /// Most results of one nearest request (OSRM's `--max-nearest-size`, default 100).
    pub max_nearest: usize,
    /// Most coordinates in one trace of `/match` (OSRM's `--max-matching-size`, default
    /// 100; kerb's is larger because truck traces are long: use POST beyond a URL's length).
    pub max_match_coordinates: usize,
    /// Largest accepted request body in bytes (POST forms and `/plan`).
    pub max_body_bytes: usize,
    /// Longest request target (path and query) in bytes; longer ones are answered 414 with
    /// OSRM JSON. Must stay below hyper's fixed 65,534-byte ceiling, beyond which hyper itself
    /// answers a bare 414 and closes (POST forms take longer coordinate lists).
    pub max_uri_bytes: usize,
    /// Largest total size of the request headers (names and values) in bytes; larger ones are
    /// answered 431 with OSRM JSON. hyper's read buffer (about 400 KB) and its count of 100
    /// headers are hard ceilings beyond which hyper answers a bare 431 and closes.
    pub max_header_bytes: usize,
    /// Deadline for a whole request, from headers received to response ready.
    pub request_timeout: Duration,
    /// Deadline for a client to send the request headers (slow clients are disconnected).
    pub header_read_timeout: Duration,
    /// Requests computed at the same time; more wait for a slot until their deadline.
    pub max_concurrent_requests: usize,
    /// `/plan` requests solved at the same time, on permits of their own: plans never take the
    /// slots of `max_concurrent_requests`, so routing keeps answering while plans run.
    pub max_concurrent_plans: usize,
    /// On shutdown (SIGTERM), how long in-flight requests may finish before the remaining
    /// work is cancelled and the server returns.
    pub shutdown_grace: Duration,
    /// Open connections; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Longest time the planner may run for one `/plan` request.
    pub plan_time_limit: Duration,
    /// Largest isochrone contour in seconds (`/isochrone`); bounds the search.
    pub max_isochrone_s: f64,
}

impl Default for Limits {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_route_coordinates: 500,
            max_table_coordinates: 1000,
            max_nearest: 100,
            max_match_coordinates: 5000,
            max_body_bytes: 16 << 20,
            max_uri_bytes: 32 << 10,
            max_header_bytes: 64 << 10,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            max_concurrent_requests: 4 * cpus,
            max_concurrent_plans: cpus.div_ceil(2),
            shutdown_grace: Duration::from_secs(10),
            max_connections: 4096,
            plan_time_limit: Duration::from_secs(10),
            max_isochrone_s: 3600.0,
        }
    }
}
