//! `kerb route --graph <file> --from lon,lat --to lon,lat`: OSRM-style JSON on stdout.

use std::path::PathBuf;

use anyhow::Context;
use kerb_core::{Approach, Graph, Route, SnapOptions, Waypoint};
use serde_json::json;

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
}

/// The JSON body for a route (OSRM v1 `route` response shape).
pub fn route_json(
    graph: &Graph,
    route: &Route,
    waypoints: &[Waypoint],
    geometries: &str,
) -> anyhow::Result<serde_json::Value> {
    let geometry = match geometries {
        "geojson" => route.to_geojson(),
        "polyline" => json!(route.polyline(5)),
        "polyline6" => json!(route.polyline(6)),
        other => anyhow::bail!("unknown geometries '{other}' (geojson, polyline, polyline6)"),
    };
    let legs: Vec<_> = route
        .legs
        .iter()
        .map(|l| {
            let names: Vec<&str> = l.segments.iter().map(|s| graph.edge(s.edge).name).collect();
            let mut summary: Vec<&str> = Vec::new();
            for n in names.into_iter().filter(|n| !n.is_empty()) {
                if !summary.contains(&n) {
                    summary.push(n);
                }
            }
            json!({
                "distance": l.distance_m,
                "duration": l.duration_s,
                "summary": summary.into_iter().take(2).collect::<Vec<_>>().join(", "),
                "steps": [],
            })
        })
        .collect();
    Ok(json!({
        "code": "Ok",
        "routes": [{
            "distance": route.distance_m,
            "duration": route.duration_s,
            "weight": route.duration_s,
            "weight_name": "duration",
            "geometry": geometry,
            "legs": legs,
        }],
        "waypoints": waypoints.iter().map(|w| json!({
            "location": [w.snap.point.x(), w.snap.point.y()],
            "name": w.snap.name,
            "distance": w.snap.distance_m,
        })).collect::<Vec<_>>(),
    }))
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let approach = match a.approach.as_str() {
        "unrestricted" => Approach::Unrestricted,
        "curb" => Approach::Curb,
        other => anyhow::bail!("unknown approach '{other}' (unrestricted, curb)"),
    };
    let opts = SnapOptions::default().with_radius_m(a.radius);
    let mut coords = vec![a.from.as_str()];
    coords.extend(a.via.iter().map(String::as_str));
    coords.push(a.to.as_str());
    let mut waypoints = Vec::new();
    for c in coords {
        let p = super::parse_lonlat(c)?;
        let snap = graph.snap(p, &opts)?;
        waypoints.push(Waypoint::new(snap).with_approach(approach));
    }
    let route = if a.dijkstra {
        graph.route_with_restrictions(&waypoints)?
    } else {
        graph.route(&waypoints)?
    };
    let body = route_json(&graph, &route, &waypoints, &a.geometries)?;
    println!("{}", serde_json::to_string_pretty(&body)?);
    Ok(())
}
