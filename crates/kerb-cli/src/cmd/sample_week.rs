//! `kerb sample-week --graph G --bins N --seed S -o week.json`: a seeded sample collection
//! week (fill rates, frequencies, noisy sensor history with a few failed sensors).

use std::path::PathBuf;

use anyhow::Context;
use kerb_collect::week::sample::sample_week_with_truth;
use kerb_core::Graph;

/// Arguments of `kerb sample-week`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Truck graph file the bins are placed on.
    #[arg(long)]
    pub graph: PathBuf,
    /// Number of bins.
    #[arg(long, default_value_t = 300)]
    pub bins: usize,
    /// Number of trucks.
    #[arg(long, default_value_t = 3)]
    pub trucks: u32,
    /// Random seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output JSON.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write each bin's true start fill and rate here (JSON), for `plan-week --truth`.
    #[arg(long)]
    pub truth: Option<PathBuf>,
}

/// Runs `kerb sample-week`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let (week, truth) = sample_week_with_truth(&graph, a.bins, a.trucks, a.seed);
    if let Some(path) = &a.truth {
        std::fs::write(path, serde_json::to_string_pretty(&truth)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    std::fs::write(&a.output, serde_json::to_string_pretty(&week)?)
        .with_context(|| format!("writing {}", a.output.display()))?;
    eprintln!(
        "wrote {} with {} bins and {} sensor readings",
        a.output.display(),
        week.bins.len(),
        week.readings.len()
    );
    Ok(())
}
