//! `kerb isochrone --graph <file> --at lon,lat --minutes 5,10 [--curb] [-o out.geojson]`:
//! where a vehicle gets within each time budget, as a GeoJSON FeatureCollection.

use std::path::PathBuf;

use anyhow::Context;
use kerb_core::{Approach, Graph, SnapOptions, Waypoint};
use serde_json::json;

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
    let snap = graph.snap(p, &SnapOptions::default())?;
    let approach = if a.curb {
        Approach::Curb
    } else {
        Approach::Unrestricted
    };
    let origin = Waypoint::new(snap).with_approach(approach);
    let limits: Vec<f64> = a.minutes.iter().map(|m| m * 60.0).collect();
    let mut isos = graph.isochrones(&origin, &limits)?;
    isos.sort_by(|x, y| y.limit_s.total_cmp(&x.limit_s));
    for iso in &isos {
        eprintln!(
            "{:>6.1} min: {:.2} km2, {:.1} km of road",
            iso.limit_s / 60.0,
            iso.area_km2,
            iso.road_km
        );
    }
    let body = json!({
        "type": "FeatureCollection",
        "features": isos.iter().map(|i| i.to_geojson()).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&body)?;
    match &a.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => println!("{text}"),
    }
    Ok(())
}
