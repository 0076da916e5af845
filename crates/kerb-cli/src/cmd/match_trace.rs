//! `kerb match <trace.gpx|trace.csv|trace.geojson> --graph <file>`: the trace matched onto the
//! roads, as OSRM's match response on stdout.

use std::path::PathBuf;

use anyhow::Context;
use kerb_core::Graph;
use kerb_match::{match_trace, osrm_match_response, read_trace, Geometries, MatchOptions};

/// Arguments of `kerb match`.
#[derive(clap::Args)]
pub struct Args {
    /// GPS trace: CSV (`lon,lat[,timestamp][,accuracy]`), GPX or GeoJSON.
    pub trace: PathBuf,
    /// Graph file from `kerb build`.
    #[arg(long)]
    pub graph: PathBuf,
    /// Search radius for candidate roads per fix, metres.
    #[arg(long, default_value_t = MatchOptions::default().radius_m)]
    pub radius: f64,
    /// GPS standard deviation for fixes without an accuracy, metres.
    #[arg(long, default_value_t = MatchOptions::default().sigma_m)]
    pub sigma: f64,
    /// Transition scale (route vs straight distance), metres.
    #[arg(long, default_value_t = MatchOptions::default().beta_m)]
    pub beta: f64,
    /// Time gap that splits the trace into separate matchings, seconds.
    #[arg(long, default_value_t = MatchOptions::default().max_gap_s)]
    pub max_gap: f64,
    /// Geometry encoding: polyline, polyline6 or geojson.
    #[arg(long, default_value = "polyline")]
    pub geometries: String,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let geometries: Geometries = a.geometries.parse()?;
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let trace = read_trace(&a.trace)?;
    let opts = MatchOptions {
        radius_m: a.radius,
        sigma_m: a.sigma,
        beta_m: a.beta,
        max_gap_s: a.max_gap,
        ..MatchOptions::default()
    };
    let result = match_trace(&graph, &trace, &opts)?;
    let body = osrm_match_response(&result, geometries);
    println!("{}", serde_json::to_string_pretty(&body)?);
    Ok(())
}
