//! `kerb plan`: solve a vehicle-routing instance (VROOM JSON, kerb JSON, Solomon, VRPLIB) and
//! write VROOM-compatible JSON, or plan a collection day (JSON with `bins`, as `POST /plan`
//! takes) on a road graph exactly as `kerb collect` does. CARPLIB arc-routing files go to
//! [`super::plan_carp`].

use std::path::{Path, PathBuf};

use anyhow::Context;
use kerb_api::plan::{self, PlanLimits, Routing};
use kerb_plan::io::vroom::VroomProblem;
use kerb_plan::{check, io, solve as solve_problem};

use super::collect::{self, emit, planner_progress, progress_bar, GraphSource, SolverArgs};
use super::plan_carp;

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
    #[command(flatten)]
    pub solver: SolverArgs,
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

/// How VROOM JSON coordinates are routed: each vehicle on its profile's graph in `graphs`
/// (none: location indices only), on the kerb side with `curb`.
fn routing_on(graphs: &[kerb_core::Graph], curb: bool) -> Routing<'_> {
    let mut routing = Routing::fleet(collect::graph_set(graphs));
    if curb {
        routing.approach = kerb_core::Approach::Curb;
    }
    routing
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
            solver: args.solver,
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
    let options = args.solver.options()?;
    let limits = PlanLimits::cli();
    let bar = progress_bar(args.quiet, "{spinner} [{elapsed_precise}] {wide_bar} {msg}");
    let mut graphs = Vec::new();
    let mut vp = match format {
        // kerb's own problem JSON (an array of matrices) has no coordinates to route.
        io::Format::Json if !is_kerb_problem(&text) => {
            // Fail before loading (or importing) a graph for input too big to plan.
            let input = serde_json::from_str(&text)?;
            limits.check_vroom(&input)?;
            if args.graph.is_given() {
                let fleet = plan::fleet_profiles(&input, "truck");
                graphs = args.graph.load(args.quiet, &fleet)?;
            }
            plan::read_vroom(&text, &routing_on(&graphs, args.curb), &limits)?
        }
        io::Format::Json => io::read_json(&text)?,
        io::Format::Solomon => VroomProblem::from_problem(io::read_solomon(&text)?),
        io::Format::Vrplib => VroomProblem::from_problem(io::read_vrplib(&text)?),
        io::Format::Carplib => {
            if args.minimize_vehicles.is_some() || args.format.is_some() {
                anyhow::bail!(
                    "--minimize-vehicles and --format do not apply to arc routing (CARPLIB)"
                );
            }
            let mut solve = options.solve_options(&limits)?;
            solve.progress = Some(planner_progress(&bar, |p| {
                format!("{} it  {} trips  cost {}", p.iterations, p.vehicles, p.cost)
            }));
            return plan_carp::run(&args.input, &text, &solve, &bar, args.output.as_deref());
        }
    };
    if let Some(m) = args.minimize_vehicles {
        vp.problem.objective.minimize_vehicles = m;
    }
    let mut solve = options.solve_options(&limits)?;
    solve.progress = Some(planner_progress(&bar, |p| {
        format!(
            "{} it  {} vehicles  cost {:.2}  {} unassigned",
            p.iterations, p.vehicles, p.cost, p.unassigned
        )
    }));
    tracing::info!(
        jobs = vp.problem.jobs.len(),
        vehicles = vp.problem.vehicles.len(),
        threads = solve.threads,
        "planning {}",
        args.input.display()
    );
    let sol = solve_problem(&vp.problem, &solve)?;
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
        PlanFormat::Vroom => plan::vroom_output(&vp, &sol, &routing_on(&graphs, args.curb))?,
        PlanFormat::Kerb => serde_json::to_value(&sol)?,
    };
    emit(
        args.output.as_deref(),
        &serde_json::to_string_pretty(&json)?,
    )?;
    Ok(())
}
