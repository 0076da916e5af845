//! `kerb match <trace> --graph <file>` (OSRM's match response on stdout) and `kerb served --day
//! <day.json> --plan <plan.json> --traces <dir> --graph <file>` (proof of service as JSON).

use std::path::PathBuf;

use anyhow::Context;
use kerb_collect::{CollectionDay, CollectionPlan};
use kerb_core::Graph;
use kerb_match::{
    match_trace, osrm_match_response, proof_of_service, read_trace, Geometries, MatchOptions,
    ServiceOptions, TruckTrace,
};

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

/// Arguments of `kerb served`.
#[derive(clap::Args)]
pub struct ServedArgs {
    /// The collection-day JSON the plan was made from (bins, time windows).
    #[arg(long)]
    pub day: PathBuf,
    /// The plan JSON written by `kerb collect`.
    #[arg(long)]
    pub plan: PathBuf,
    /// Folder of traces, one per truck, named `<truck id>.csv|.gpx|.geojson`.
    #[arg(long)]
    pub traces: PathBuf,
    /// Truck graph file from `kerb build` (the one the plan was made on).
    #[arg(long)]
    pub graph: PathBuf,
    /// Also write the bins with their status as GeoJSON here.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
}

pub fn run_served(a: ServedArgs) -> anyhow::Result<()> {
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
    };
    let day: CollectionDay = serde_json::from_str(&read(&a.day)?)
        .with_context(|| format!("parsing {}", a.day.display()))?;
    let plan: CollectionPlan = serde_json::from_str(&read(&a.plan)?)
        .with_context(|| format!("parsing {}", a.plan.display()))?;
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let mut traces = Vec::new();
    for entry in
        std::fs::read_dir(&a.traces).with_context(|| format!("listing {}", a.traces.display()))?
    {
        let path = entry?.path();
        let Some(truck) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if plan.routes.iter().any(|r| r.truck == truck) {
            traces.push(TruckTrace {
                truck: truck.to_string(),
                trace: read_trace(&path)?,
            });
        }
    }
    anyhow::ensure!(
        !traces.is_empty(),
        "no trace in {} is named after a truck of the plan",
        a.traces.display()
    );
    let report = proof_of_service(&graph, &day, &plan, &traces, &ServiceOptions::default())?;
    if let Some(p) = &a.geojson {
        std::fs::write(p, serde_json::to_string(&report.to_geojson())?)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
