//! `kerb build <pbf> --profile truck -o <file>`: import an extract for a built-in profile or a
//! profile JSON file (`--profile profiles/refuse-7.5t.json`) and save the graph.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kerb_core::{Graph, Profile};

/// Arguments of `kerb build`.
#[derive(clap::Args)]
pub struct Args {
    /// OSM PBF extract to import.
    pub pbf: PathBuf,
    /// Vehicle profile: a preset (`car`, `truck`, `refuse-7.5t`, `refuse-32t`) or a profile
    /// JSON file (e.g. profiles/refuse-7.5t.json; format in profiles/README.md).
    #[arg(long, default_value = "truck")]
    pub profile: String,
    /// Output graph file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Skip the contraction hierarchy (smaller file, slower routes and matrices).
    #[arg(long)]
    pub no_contract: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let profile = Profile::resolve(&a.profile)?;
    let start = Instant::now();
    let bar = if a.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(1000)
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {percent:>3}% {msg}")
            .expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let cb_bar = bar.clone();
    let graph = Graph::builder(&profile)
        .contract(!a.no_contract)
        .progress(move |p| {
            cb_bar.set_position((p.fraction * 1000.0) as u64);
            cb_bar.set_message(p.stage);
        })
        .build_from_pbf(&a.pbf)
        .with_context(|| format!("importing {}", a.pbf.display()))?;
    bar.set_message("writing");
    if let Some(dir) = a.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    graph
        .save(&a.output)
        .with_context(|| format!("writing {}", a.output.display()))?;
    bar.finish_and_clear();
    let size = std::fs::metadata(&a.output)?.len();
    eprintln!(
        "built {} ({} profile): {} nodes, {} edges, {} turn restrictions, {} in {:.2} s, file {:.1} MiB",
        a.output.display(),
        profile.name,
        graph.num_nodes(),
        graph.num_edges(),
        graph.restrictions().len(),
        if graph.is_contracted() { "contracted" } else { "not contracted" },
        start.elapsed().as_secs_f64(),
        size as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}
