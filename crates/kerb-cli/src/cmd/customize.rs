//! `kerb customize map.kerb --profile FILE`: customize the map's CCH for a profile's weights
//! and store the customization in the graph file (a new vehicle on an existing map costs
//! seconds, not an import). The topology is built on the first run and stored with it.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use kerb_core::Graph;

/// Arguments of `kerb customize`.
#[derive(clap::Args)]
pub struct Args {
    /// Graph file written by `kerb build`.
    pub graph: PathBuf,
    /// Profile whose weights to apply: a preset name or a profile JSON file. Only weights
    /// change (speeds by road class, turn costs, U-turn rule); access rules need a re-import.
    #[arg(long)]
    pub profile: String,
    /// Name to store the customization under (default: the profile's name; at most 13 bytes).
    #[arg(long)]
    pub name: Option<String>,
    /// Output graph file (default: rewrite the input).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let profile = kerb_core::Profile::resolve(&a.profile)?;
    let mut graph =
        Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let t = Instant::now();
    let had_topology = graph.road().section("cch").is_some();
    let topology = graph.cch_topology();
    let topology_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cch = graph
        .customize(&profile)
        .with_context(|| format!("customizing for profile {}", profile.name))?;
    let customize_s = t.elapsed().as_secs_f64();
    let name = a.name.unwrap_or_else(|| profile.name.clone());
    // With its profile, so `kerb route/table/serve --profile` load it instead of customizing.
    let customized = graph.with_customization(&profile, cch)?;
    graph.save_profile_customization(&name, &customized)?;
    let out = a.output.unwrap_or(a.graph);
    graph
        .save(&out)
        .with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "customized {} for '{}' (stored as '{}'): topology {} in {:.2} s ({} arcs), customization {:.3} s",
        out.display(),
        profile.name,
        name,
        if had_topology { "loaded" } else { "built" },
        topology_s,
        topology.num_arcs(),
        customize_s
    );
    Ok(())
}
