//! `kerb nearest --graph <file> --at lon,lat [--number k]`: OSRM nearest JSON on stdout, as
//! `/nearest` answers (kerb-api's service function).

use std::path::PathBuf;

use anyhow::Context;
use kerb_api::params::{CommonOptions, NearestOptions};
use kerb_core::Graph;

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
    let o = NearestOptions {
        common: CommonOptions::default(),
        number: a.number,
    };
    let body = kerb_api::service::nearest(&graph, [p.x(), p.y()], &o)?;
    println!("{}", serde_json::to_string_pretty(&body)?);
    Ok(())
}
