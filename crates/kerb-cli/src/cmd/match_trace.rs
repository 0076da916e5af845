//! `kerb match <trace> --graph <file>` (OSRM's match response on stdout, written by kerb-api's
//! match service, the one `/match` uses) and `kerb served --day <day.json> --plan <plan.json>
//! --traces <dir> --graph <file>` (proof of service as JSON).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use kerb_api::matching::{parse_match, DEFAULT_GPS_PRECISION_M};
use kerb_api::params::query_options;
use kerb_collect::{CollectionDay, CollectionPlan};
use kerb_core::Graph;
use kerb_match::{proof_of_service, read_trace, ServiceOptions, TruckTrace};

/// Arguments of `kerb match` (OSRM's match options).
#[derive(clap::Args)]
pub struct Args {
    /// GPS trace: CSV (`lon,lat[,timestamp][,accuracy]`), GPX or GeoJSON. Timestamps are used
    /// when every fix has one; a fix's accuracy is its GPS precision (OSRM's `radiuses`).
    pub trace: PathBuf,
    /// Graph file from `kerb build`.
    #[arg(long)]
    pub graph: PathBuf,
    /// GPS precision (one standard deviation) of fixes without an accuracy, metres.
    #[arg(long, default_value_t = DEFAULT_GPS_PRECISION_M)]
    pub precision: f64,
    /// Time gaps: split (a step over ten median sample intervals starts a new matching) or
    /// ignore.
    #[arg(long, default_value = "split")]
    pub gaps: String,
    /// Drop fixes closer than 15 m / 5 s to the last kept one before matching.
    #[arg(long)]
    pub tidy: bool,
    /// Geometry encoding: polyline, polyline6 or geojson.
    #[arg(long, default_value = "polyline")]
    pub geometries: String,
    /// Overview geometry: simplified, full or false.
    #[arg(long, default_value = "simplified")]
    pub overview: String,
    /// Include turn-by-turn steps in every leg.
    #[arg(long)]
    pub steps: bool,
    /// Annotations: true, false or a comma-separated list (nodes, distance, duration, ...).
    #[arg(long, default_value = "false")]
    pub annotations: String,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let trace = read_trace(&a.trace)?;
    let points = trace.points();
    let pairs = query_options([
        ("gaps", a.gaps.clone()),
        ("tidy", a.tidy.to_string()),
        ("geometries", a.geometries.clone()),
        ("overview", a.overview.clone()),
        ("steps", a.steps.to_string()),
        ("annotations", a.annotations.clone()),
    ]);
    let mut o = parse_match(&pairs, points.len(), usize::MAX)?;
    anyhow::ensure!(
        a.precision.is_finite() && a.precision > 0.0,
        "--precision {} is not a positive number of metres",
        a.precision
    );
    o.common.radiuses = points
        .iter()
        .map(|p| Some(p.accuracy_m.unwrap_or(a.precision)))
        .collect();
    o.timestamps = points
        .iter()
        .map(|p| p.time_s)
        .collect::<Option<_>>()
        .unwrap_or_default();
    let coords: Vec<_> = points.iter().map(|p| [p.point.x(), p.point.y()]).collect();
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let body = kerb_api::matching::match_trace(&graph, &coords, &o, &AtomicBool::new(false))?;
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
