//! `kerb collect <day.json> --graph <file>`: plan a waste-collection day on a road graph and
//! write JSON, GeoJSON and an offline HTML map. Also `kerb sample-day` to generate a day.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kerb_collect::{
    bins, generate::sample_day_with_streets, plan_collection_with_progress, CollectionDay,
    CollectionPlan,
};
use kerb_core::{Graph, Profile};

/// Where the truck graph comes from: a graph file, or an OSM extract imported on the fly.
#[derive(clap::Args, Debug, Default)]
pub struct GraphSource {
    /// Truck graph file from `kerb build --profile truck`.
    #[arg(long, conflicts_with = "pbf")]
    pub graph: Option<PathBuf>,
    /// OSM PBF extract: import it with the truck profile (and contract it) before planning.
    #[arg(long)]
    pub pbf: Option<PathBuf>,
}

impl GraphSource {
    /// True if either option is given.
    pub fn is_given(&self) -> bool {
        self.graph.is_some() || self.pbf.is_some()
    }

    /// Opens the graph file or imports the extract (truck profile, contracted).
    pub fn load(&self, quiet: bool) -> anyhow::Result<Graph> {
        match (&self.graph, &self.pbf) {
            (Some(g), _) => Graph::open(g).with_context(|| format!("opening {}", g.display())),
            (None, Some(pbf)) => {
                let bar = if quiet {
                    ProgressBar::hidden()
                } else {
                    ProgressBar::new(1000)
                };
                bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} importing [{elapsed_precise}] {bar:40} {msg}",
                    )
                    .expect("valid template"),
                );
                let cb = bar.clone();
                let graph = Graph::builder(&Profile::truck())
                    .contract(true)
                    .progress(move |p| {
                        cb.set_position((p.fraction * 1000.0) as u64);
                        cb.set_message(p.stage);
                    })
                    .build_from_pbf(pbf)
                    .with_context(|| format!("importing {}", pbf.display()))?;
                bar.finish_and_clear();
                Ok(graph)
            }
            (None, None) => {
                anyhow::bail!(
                    "a collection day needs a road graph: give --graph FILE or --pbf FILE"
                )
            }
        }
    }
}

/// Arguments of `kerb collect` (and of `kerb plan` given a collection day).
#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Collection-day JSON (bins, depots, disposal_sites, trucks, options).
    pub day: PathBuf,
    #[command(flatten)]
    pub graph: GraphSource,
    /// Replace the day's bins with this CSV (.csv) or GeoJSON (.geojson/.json) file.
    #[arg(long)]
    pub bins: Option<PathBuf>,
    /// Planner time limit in seconds (overrides the day's options).
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// Planner iteration limit (deterministic; overrides the day's options).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Planner threads (overrides the day's options).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Random seed (overrides the day's options).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write the plan JSON here (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write the routes and stops as GeoJSON here.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
    /// Write a self-contained HTML map here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Reads a collection day, optionally replacing its bins from a CSV/GeoJSON file.
pub fn read_day(day: &Path, bins_file: Option<&Path>) -> anyhow::Result<CollectionDay> {
    let text =
        std::fs::read_to_string(day).with_context(|| format!("reading {}", day.display()))?;
    let mut day =
        CollectionDay::from_json(&text).with_context(|| format!("in {}", day.display()))?;
    if let Some(path) = bins_file {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        day.bins = match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => bins::read_bins_csv(&text),
            _ => bins::read_bins_geojson(&text),
        }
        .with_context(|| format!("in {}", path.display()))?;
        day.validate()?;
    }
    Ok(day)
}

/// One-paragraph human summary of a plan.
pub fn summary(plan: &CollectionPlan) -> String {
    let t = &plan.totals;
    let mut s = format!(
        "{}: {} trucks, {} bins served, {} unassigned, {:.1} km, {:.2} h driving, {} disposal trips, {:.0} kg collected\n",
        if plan.name.is_empty() { "plan" } else { &plan.name },
        t.trucks_used,
        t.bins_served,
        t.bins_unassigned,
        t.distance_m / 1000.0,
        t.driving_s / 3600.0,
        t.disposal_trips,
        t.collected[0]
    );
    if t.street_passes + t.streets_unassigned > 0 {
        s += &format!(
            "  streets: {} passes driven, {} streets not (fully) served\n",
            t.street_passes, t.streets_unassigned
        );
    }
    for r in &plan.routes {
        let end = r.stops.last().map(|s| s.arrival_s).unwrap_or(0.0);
        let passes = r
            .stops
            .iter()
            .filter(|s| s.kind == kerb_collect::StopKind::Street)
            .count();
        s += &format!(
            "  {:<10} {:>3} bins{} {:>6.1} km  {} dump(s)  back at {:02}:{:02}\n",
            r.truck,
            r.stops
                .iter()
                .filter(|s| s.kind == kerb_collect::StopKind::Bin)
                .count(),
            if passes > 0 {
                format!(" {passes:>2} street passes")
            } else {
                String::new()
            },
            r.distance_m / 1000.0,
            r.disposal_trips,
            (end / 3600.0) as u32,
            ((end % 3600.0) / 60.0) as u32
        );
    }
    for u in plan.unassigned.iter().take(10) {
        s += &format!("  unassigned {}: {}\n", u.id, u.reason);
    }
    let ti = &plan.timings;
    s += &format!(
        "  time: snap {:.3} s, matrix {:.3} s, plan {:.2} s, geometry {:.3} s",
        ti.snap_s, ti.matrix_s, ti.plan_s, ti.geometry_s
    );
    s
}

/// Plans the day and writes the outputs: `kerb collect`, and `kerb plan` on a collection day.
pub fn run(a: Args) -> anyhow::Result<()> {
    let mut day = read_day(&a.day, a.bins.as_deref())?;
    let graph = a.graph.load(a.quiet)?;
    if let Some(t) = a.time_limit {
        day.options.time_limit_s = t;
    }
    if a.iterations.is_some() {
        day.options.iterations = a.iterations;
    }
    if let Some(t) = a.threads {
        day.options.threads = t;
    }
    if let Some(seed) = a.seed {
        day.options.seed = seed;
    }
    let bar = if a.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(1000)
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} planning [{elapsed_precise}] {bar:40} {msg}")
            .expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let cb = bar.clone();
    let progress: kerb_plan::ProgressFn = Arc::new(move |p: &kerb_plan::Progress| {
        cb.set_position((p.fraction * 1000.0) as u64);
        cb.set_message(format!(
            "{} trucks, cost {:.0}, {} unassigned",
            p.vehicles, p.cost, p.unassigned
        ));
    });
    let plan = plan_collection_with_progress(&graph, &day, Some(progress))?;
    bar.finish_and_clear();
    let json = serde_json::to_string_pretty(&plan)?;
    match &a.output {
        Some(p) => write(p, &json)?,
        None => println!("{json}"),
    }
    if let Some(p) = &a.geojson {
        write(p, &serde_json::to_string(&plan.to_geojson())?)?;
    }
    if let Some(p) = &a.html {
        write(p, &plan.to_html(&graph, &day))?;
    }
    eprintln!("{}", summary(&plan));
    Ok(())
}

/// Arguments of `kerb sample-day`.
#[derive(clap::Args)]
pub struct SampleArgs {
    /// Truck graph file the bins are placed on.
    #[arg(long)]
    pub graph: PathBuf,
    /// Number of bins.
    #[arg(long, default_value_t = 300)]
    pub bins: usize,
    /// Number of street stretches to serve along their length.
    #[arg(long, default_value_t = 0)]
    pub streets: usize,
    /// Number of trucks.
    #[arg(long, default_value_t = 3)]
    pub trucks: u32,
    /// Random seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output JSON.
    #[arg(short, long)]
    pub output: PathBuf,
}

pub fn run_sample(a: SampleArgs) -> anyhow::Result<()> {
    let graph = Graph::open(&a.graph).with_context(|| format!("opening {}", a.graph.display()))?;
    let day = sample_day_with_streets(&graph, a.bins, a.streets, a.trucks, a.seed);
    write(&a.output, &serde_json::to_string_pretty(&day)?)?;
    eprintln!(
        "wrote {} with {} bins and {} streets",
        a.output.display(),
        day.bins.len(),
        day.streets.len()
    );
    Ok(())
}
