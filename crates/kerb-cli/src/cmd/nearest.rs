//! `kerb nearest --graph <file> --at lon,lat [--number k]`: OSRM-style JSON on stdout.

use std::path::PathBuf;

use anyhow::Context;
use kerb_core::{Graph, Side};
use serde_json::json;

/// Arguments of `kerb nearest`.
#[derive(clap::Args)]
pub struct Args {
    /// Graph file from `kerb build`.
    #[arg(long)]
    pub graph: PathBuf,
    /// Query coordinate as lon,lat.
    #[arg(long, allow_hyphen_values = true)]
    pub at: String,
    /// Number of distinct roads to return.
    #[arg(long, short, default_value_t = 1)]
    pub number: usize,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let p = super::parse_lonlat(&a.at)?;
    let snaps = graph.nearest(p, a.number)?;
    let body = json!({
        "code": "Ok",
        "waypoints": snaps.iter().map(|s| json!({
            "location": [s.point.x(), s.point.y()],
            "name": s.name,
            "distance": s.distance_m,
            "edge": s.edge.0,
            "fraction": s.fraction,
            "side": match s.side { Side::Left => "left", Side::Right => "right", Side::On => "on" },
        })).collect::<Vec<_>>(),
    });
    println!("{}", serde_json::to_string_pretty(&body)?);
    Ok(())
}
