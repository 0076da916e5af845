//! `kerb route --graph <file> --from lon,lat --to lon,lat [--steps] [--depart-at T]`: OSRM route JSON on stdout,
//! written by kerb-api's formatter (the one `/route` uses; full overview geometry).

use std::path::PathBuf;

use kerb_api::params::{CommonOptions, Geometries, Overview, RouteOptions};
use kerb_core::ViaRule;

/// Arguments of `kerb route`.
#[derive(clap::Args)]
pub struct Args {
    /// Graph file from `kerb build`.
    #[arg(long)]
    pub graph: PathBuf,
    /// Start as lon,lat.
    #[arg(long, allow_hyphen_values = true)]
    pub from: String,
    /// Intermediate stops as lon,lat (repeatable).
    #[arg(long, allow_hyphen_values = true)]
    pub via: Vec<String>,
    /// Destination as lon,lat.
    #[arg(long, allow_hyphen_values = true)]
    pub to: String,
    /// Geometry format: geojson, polyline or polyline6.
    #[arg(long, default_value = "geojson")]
    pub geometries: String,
    /// Approach at every waypoint: unrestricted or curb.
    #[arg(long, default_value = "unrestricted")]
    pub approach: String,
    /// Maximum snapping distance in metres.
    #[arg(long, default_value_t = 1000.0)]
    pub radius: f64,
    /// Use the plain turn-aware Dijkstra instead of the graph's contraction hierarchy (same
    /// rules and result, slower; for checking).
    #[arg(long)]
    pub dijkstra: bool,
    /// Include turn-by-turn steps in every leg (OSRM's `steps=true`).
    #[arg(long)]
    pub steps: bool,
    /// Profile to route: a name (`car`, `truck`) or a profile JSON file. The file's own
    /// profile (the default) routes on its contraction hierarchy; another one on a CCH
    /// customization of the same roads (stored by `kerb customize`, else made now).
    #[arg(long)]
    pub profile: Option<String>,
    /// Departure time: a local date and time (`2026-12-07T06:30`) or a weekday and time
    /// (`"Mo 06:30"`). The graph's `*:conditional` rules (`access`, `hgv`, `maxspeed`, ...)
    /// then apply to each road at the time the vehicle reaches it (plain Dijkstra, slower
    /// than the hierarchy); without it they are ignored as before.
    #[arg(long)]
    pub depart_at: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let graph = super::open_graph(&a.graph, a.profile.as_deref())?;
    let approach = super::parse_approach(&a.approach)?;
    let geometries = match a.geometries.as_str() {
        "geojson" => Geometries::GeoJson,
        "polyline" => Geometries::Polyline,
        "polyline6" => Geometries::Polyline6,
        other => anyhow::bail!("unknown geometries '{other}' (geojson, polyline, polyline6)"),
    };
    let mut points = vec![super::parse_lonlat(&a.from)?];
    for v in &a.via {
        points.push(super::parse_lonlat(v)?);
    }
    points.push(super::parse_lonlat(&a.to)?);
    let coords = super::lonlats(&points);
    let mut common = CommonOptions::uniform(coords.len(), Some(a.radius), approach);
    common.depart_at = a
        .depart_at
        .as_deref()
        .map(kerb_api::params::parse_depart_at)
        .transpose()?;
    let o = RouteOptions {
        common,
        steps: a.steps,
        geometries,
        overview: Overview::Full,
        ..RouteOptions::default()
    };
    let waypoints = kerb_api::waypoint::waypoints(&graph, &coords, &o.common)?;
    let filter = o.common.search_filter();
    let route = if a.dijkstra && filter.is_empty() {
        graph.route_with_restrictions(&waypoints)?
    } else {
        kerb_api::service::route_waypoints(&graph, &waypoints, ViaRule::Profile, &filter)?
    };
    let mut body = kerb_api::format::route_response(&graph, &route, &waypoints, &o);
    // Totals unrounded, as the library computes them (scripts compare them with Python's).
    for r in &mut body.routes {
        (r.distance, r.duration, r.weight) = (route.distance_m, route.duration_s, route.duration_s);
        for (leg, exact) in r.legs.iter_mut().zip(&route.legs) {
            (leg.distance, leg.duration, leg.weight) =
                (exact.distance_m, exact.duration_s, exact.duration_s);
        }
    }
    println!("{}", serde_json::to_string_pretty(&body)?);
    Ok(())
}
