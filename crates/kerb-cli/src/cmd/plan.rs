//! `kerb plan`: solve a vehicle-routing instance (VROOM JSON, kerb JSON, Solomon, VRPLIB) and
//! write VROOM-compatible JSON, or plan a collection day (JSON with `bins`, as `POST /plan`
//! takes) on a road graph exactly as `kerb collect` does. CARPLIB arc-routing files go to
//! [`super::plan_carp`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kerb_plan::io::vroom::{write_output, VroomProblem};
use kerb_plan::{check, io, solve, SolveOptions};

use kerb_collect::vrp::read_vroom_on_graph;

use super::collect::{self, GraphSource};

/// Output format of `kerb plan`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PlanFormat {
    /// VROOM output JSON (`code`, `summary`, `unassigned`, `routes[].steps`), plus kerb's
    /// `disposal` steps.
    Vroom,
    /// kerb's own `Solution` JSON (indices instead of ids).
    Kerb,
}

/// Arguments of `kerb plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Instance file: VROOM JSON (`.json`), Solomon (`.txt`), VRPLIB CVRP (`.vrp`), CARPLIB
    /// arc routing (`.dat`), or a collection day (JSON with `bins`; needs --graph or --pbf).
    pub input: PathBuf,
    /// The road graph: required for a collection day (see `kerb collect`); for VROOM JSON,
    /// routes locations given as `[lon, lat]` coordinates (as VROOM does with OSRM).
    #[command(flatten)]
    pub graph: GraphSource,
    /// VROOM JSON on a graph: approach every coordinate with it on the vehicle's kerb side
    /// (OSRM's `approaches=curb`).
    #[arg(long)]
    pub curb: bool,
    /// Collection day only: write the routes and stops as GeoJSON here.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
    /// Collection day only: write a self-contained HTML map here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Stop after this many seconds (ignored when --iterations is given without it).
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// Iterations per thread (fully deterministic for a given seed and thread count).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Solver threads (default: available cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Random seed (default 1, or the collection day's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Minimise vehicles first, then cost (default: as the input says).
    #[arg(long)]
    pub minimize_vehicles: Option<bool>,
    /// Output file (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format of a routing instance's plan (default vroom).
    #[arg(long, value_enum)]
    pub format: Option<PlanFormat>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// True for a collection day: a JSON object with `bins` or `streets` (the test `POST /plan`
/// applies).
fn is_collection_day(path: &Path, text: &str) -> bool {
    matches!(io::detect(path, text), io::Format::Json)
        && serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.get("bins").is_some() || v.get("streets").is_some())
}

/// True for kerb's own problem JSON (`matrices` is an array): nothing to route on a graph.
fn is_kerb_problem(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("matrices").is_some_and(|m| m.is_array()))
}

/// Runs `kerb plan`.
pub fn run(args: PlanArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("reading {}", args.input.display()))?;
    if is_collection_day(&args.input, &text) {
        if args.minimize_vehicles.is_some() || args.format.is_some() || args.curb {
            anyhow::bail!(
                "--minimize-vehicles, --format and --curb apply to routing instances, not to a collection day"
            );
        }
        return collect::run(collect::Args {
            day: args.input,
            graph: args.graph,
            bins: None,
            time_limit: args.time_limit,
            iterations: args.iterations,
            threads: args.threads,
            seed: args.seed,
            output: args.output,
            geojson: args.geojson,
            html: args.html,
            quiet: args.quiet,
        });
    }
    if args.geojson.is_some() || args.html.is_some() {
        anyhow::bail!(
            "--geojson and --html apply to a collection day (JSON with \"bins\"); {} is a routing instance",
            args.input.display()
        );
    }
    let format = io::detect(&args.input, &text);
    if !matches!(format, io::Format::Json) && (args.graph.is_given() || args.curb) {
        anyhow::bail!(
            "--graph, --pbf and --curb route coordinates of VROOM JSON; {} has its own distances",
            args.input.display()
        );
    }
    let mut vp = match format {
        // kerb's own problem JSON (an array of matrices) has no coordinates to route.
        io::Format::Json if args.graph.is_given() && !is_kerb_problem(&text) => {
            let graph = args.graph.load(args.quiet)?;
            let approach = if args.curb {
                kerb_core::Approach::Curb
            } else {
                kerb_core::Approach::Unrestricted
            };
            read_vroom_on_graph(&text, Some(&graph), &Default::default(), approach)?
        }
        io::Format::Json => io::read_json(&text)?,
        io::Format::Solomon => VroomProblem::from_problem(io::read_solomon(&text)?),
        io::Format::Vrplib => VroomProblem::from_problem(io::read_vrplib(&text)?),
        io::Format::Carplib => return super::plan_carp::run(&args, &text),
    };
    if let Some(m) = args.minimize_vehicles {
        vp.problem.objective.minimize_vehicles = m;
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let mut opts = SolveOptions::default()
        .with_threads(threads)
        .with_seed(args.seed.unwrap_or(1));
    opts.iterations = args.iterations;
    opts.time_limit = match (args.time_limit, args.iterations) {
        (Some(t), _) => Some(std::time::Duration::from_secs_f64(t.max(0.0))),
        (None, None) => Some(std::time::Duration::from_secs(10)),
        (None, Some(_)) => None,
    };
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(1000);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let pb = bar.clone();
    opts.progress = Some(Arc::new(move |p: &kerb_plan::Progress| {
        pb.set_position((p.fraction * 1000.0) as u64);
        pb.set_message(format!(
            "{} it  {} vehicles  cost {:.2}  {} unassigned",
            p.iterations, p.vehicles, p.cost, p.unassigned
        ));
    }));
    tracing::info!(
        jobs = vp.problem.jobs.len(),
        vehicles = vp.problem.vehicles.len(),
        threads,
        "planning {}",
        args.input.display()
    );
    let sol = solve(&vp.problem, &opts)?;
    bar.finish_and_clear();
    let violations = check(&vp.problem, &sol);
    if !violations.is_empty() {
        anyhow::bail!(
            "internal error: the plan fails the feasibility check: {}",
            violations[0]
        );
    }
    tracing::info!(
        vehicles = sol.summary.vehicles,
        cost = sol.summary.cost,
        distance = sol.summary.distance,
        unassigned = sol.summary.unassigned,
        iterations = sol.summary.iterations,
        "plan ready in {:.1} s",
        sol.summary.elapsed_s
    );
    let json = match args.format.unwrap_or(PlanFormat::Vroom) {
        PlanFormat::Vroom => write_output(&vp, &sol),
        PlanFormat::Kerb => serde_json::to_value(&sol)?,
    };
    let text = serde_json::to_string_pretty(&json)?;
    match &args.output {
        Some(p) => {
            std::fs::write(p, text + "\n").with_context(|| format!("writing {}", p.display()))?
        }
        None => println!("{text}"),
    }
    Ok(())
}
