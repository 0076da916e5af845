//! `kerb collect <day.json> --graph <file>`: plan a waste-collection day on a road graph and
//! write JSON, GeoJSON and an offline HTML map. Also `kerb sample-day` to generate a day.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kerb_api::plan::{self, PlanLimits, PlanOptions};
use kerb_collect::{bins, generate::sample_day_with_streets, CollectionDay, CollectionPlan};
use kerb_core::{Graph, GraphSet, Profile};

/// Where the road graphs come from: graph files, or an OSM extract imported on the fly. A
/// mixed fleet gets one graph per profile: each truck (or VROOM vehicle) routes on the graph
/// of the `profile` it names, those naming none on the first.
#[derive(clap::Args, Debug, Default)]
pub struct GraphSource {
    /// Road graph file from `kerb build`; repeat it for a mixed fleet (one file per profile,
    /// the first for trucks naming no profile).
    #[arg(long, conflicts_with = "pbf")]
    pub graph: Vec<PathBuf>,
    /// OSM PBF extract: import it (contracted) for each profile before planning.
    #[arg(long)]
    pub pbf: Option<PathBuf>,
    /// Profile to import the --pbf extract for: a preset name (car, truck, refuse-7.5t,
    /// refuse-32t) or a profile JSON file; repeatable, the first for trucks naming none.
    /// Default: the profiles the fleet names, and `truck` for trucks naming none.
    #[arg(long = "profile", requires = "pbf")]
    pub profiles: Vec<String>,
}

impl GraphSource {
    /// True if graph files or an extract are given.
    pub fn is_given(&self) -> bool {
        !self.graph.is_empty() || self.pbf.is_some()
    }

    /// Opens the graph files, or imports the extract for the `--profile`s (else for
    /// `fleet`: the profiles the input names, see [`plan::fleet_profiles`]).
    pub fn load(&self, quiet: bool, fleet: &[String]) -> anyhow::Result<Vec<Graph>> {
        if !self.graph.is_empty() {
            return self
                .graph
                .iter()
                .map(|g| Graph::open(g).with_context(|| format!("opening {}", g.display())))
                .collect();
        }
        let Some(pbf) = &self.pbf else {
            anyhow::bail!("a collection day needs a road graph: give --graph FILE or --pbf FILE")
        };
        let names = if self.profiles.is_empty() {
            fleet
        } else {
            &self.profiles
        };
        let mut graphs = Vec::with_capacity(names.len());
        for name in names {
            let profile = Profile::resolve(name).with_context(|| format!("--profile {name}"))?;
            let bar = progress_bar(
                quiet,
                &format!(
                    "{{spinner}} importing for {} [{{elapsed_precise}}] {{bar:40}} {{msg}}",
                    profile.name
                ),
            );
            let cb = bar.clone();
            let graph = Graph::builder(&profile)
                .contract(true)
                .progress(move |p| {
                    cb.set_position((p.fraction * 1000.0) as u64);
                    cb.set_message(p.stage);
                })
                .build_from_pbf(pbf)
                .with_context(|| format!("importing {} for {}", pbf.display(), profile.name))?;
            bar.finish_and_clear();
            graphs.push(graph);
        }
        Ok(graphs)
    }
}

/// The graphs as a [`GraphSet`], the first the default.
pub fn graph_set(graphs: &[Graph]) -> GraphSet<'_> {
    graphs.iter().fold(GraphSet::new(), GraphSet::with)
}

/// Solver options of `kerb plan` and `kerb collect`, turned into kerb-api's [`PlanOptions`]
/// (whose documented defaults apply to what is not given).
#[derive(clap::Args, Debug, Default, Clone, Copy)]
pub struct SolverArgs {
    /// Stop after this many seconds (default: 20,000 iterations, or a collection day's own
    /// options).
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// Iterations per thread (fully deterministic for a given seed and thread count).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Solver threads (default 1, or a collection day's own; at most the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Random seed (default 1, or a collection day's own).
    #[arg(long)]
    pub seed: Option<u64>,
}

impl SolverArgs {
    /// The options as kerb-api takes them; a time limit that is not a positive number of
    /// seconds (up to a day) is an error.
    pub fn options(&self) -> anyhow::Result<PlanOptions> {
        let mut o = PlanOptions {
            iterations: self.iterations,
            threads: self.threads,
            seed: self.seed,
            ..PlanOptions::default()
        };
        if let Some(t) = self.time_limit {
            o = o.with_time_limit_s(t).context("--time-limit")?;
        }
        Ok(o)
    }
}

/// A progress bar with `template` (hidden when `quiet`).
pub fn progress_bar(quiet: bool, template: &str) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(1000)
    };
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A planner progress callback that moves `bar` and shows `message` of the progress.
pub fn planner_progress(
    bar: &ProgressBar,
    message: impl Fn(&kerb_plan::Progress) -> String + Send + Sync + 'static,
) -> kerb_plan::ProgressFn {
    let bar = bar.clone();
    Arc::new(move |p: &kerb_plan::Progress| {
        bar.set_position((p.fraction * 1000.0) as u64);
        bar.set_message(message(p));
    })
}

/// Writes `text` to `output`, or to stdout without one.
pub fn emit(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(p) => write(p, &format!("{text}\n")),
        None => {
            println!("{text}");
            Ok(())
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
    #[command(flatten)]
    pub solver: SolverArgs,
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
    let options = a.solver.options()?;
    let day = read_day(&a.day, a.bins.as_deref())?;
    let limits = PlanLimits::cli();
    // Fail before loading (or importing) a graph for a day that is too big to plan.
    limits.check_day(&day)?;
    let fleet = plan::fleet_profiles(&serde_json::to_value(&day)?, "truck");
    let graphs = a.graph.load(a.quiet, &fleet)?;
    let set = graph_set(&graphs);
    let graph = set.get(None)?;
    let bar = progress_bar(
        a.quiet,
        "{spinner} planning [{elapsed_precise}] {bar:40} {msg}",
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let progress = planner_progress(&bar, |p| {
        format!(
            "{} trucks, cost {:.0}, {} unassigned",
            p.vehicles, p.cost, p.unassigned
        )
    });
    let (day, plan) =
        plan::plan_day_cancellable(&set, day, &options, &limits, Some(progress), None)?;
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
        write(p, &plan.to_html(graph, &day))?;
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
