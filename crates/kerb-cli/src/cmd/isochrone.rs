//! `kerb isochrone --graph <file> --at lon,lat --minutes 5,10 [--curb] [-o out.geojson]`:
//! where a vehicle gets within each time budget, as the GeoJSON FeatureCollection `/isochrone`
//! answers (kerb-api's writer).

use std::path::PathBuf;

use anyhow::Context;
use kerb_api::params::{ApproachOpt, CommonOptions, IsochroneOptions};
use kerb_core::Graph;

/// Arguments of `kerb isochrone`.
#[derive(clap::Args)]
pub struct Args {
    /// Graph file from `kerb build`.
    #[arg(long)]
    pub graph: PathBuf,
    /// Origin as lon,lat.
    #[arg(long, allow_hyphen_values = true)]
    pub at: String,
    /// Time budgets in minutes, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub minutes: Vec<f64>,
    /// Leave with the origin on the kerb side (right in right-hand traffic).
    #[arg(long)]
    pub curb: bool,
    /// Write the GeoJSON here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let p = super::parse_lonlat(&a.at)?;
    let approach = if a.curb {
        ApproachOpt::Curb
    } else {
        ApproachOpt::Unrestricted
    };
    let o = IsochroneOptions {
        common: CommonOptions::uniform(1, None, approach),
        contours_s: a.minutes.iter().map(|m| m * 60.0).collect(),
    };
    let (isos, origin) = kerb_api::service::isochrones(&graph, [p.x(), p.y()], &o)?;
    for iso in &isos {
        eprintln!(
            "{:>6.1} min: {:.2} km2, {:.1} km of road",
            iso.limit_s / 60.0,
            iso.area_km2,
            iso.road_km
        );
    }
    let body = kerb_api::isochrone::feature_collection(&isos, &origin);
    let text = serde_json::to_string_pretty(&body)?;
    match &a.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => println!("{text}"),
    }
    Ok(())
}
