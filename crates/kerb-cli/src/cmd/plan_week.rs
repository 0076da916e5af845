//! `kerb plan-week week.json --graph G [--policy forecast|fixed] -o plan.json`: choose each
//! working day's bins, plan every day and write the week's routes and KPIs as JSON.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use kerb_collect::fill::{read_readings_csv, read_readings_json};
use kerb_collect::week::{true_overflows, TrueFill};
use kerb_collect::{plan_week, replan_week, CollectionWeek, Policy, WeekPlan};

use super::collect::GraphSource;

/// Arguments of `kerb plan-week`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Collection-week JSON (day template, bins, readings, working days, options).
    pub week: PathBuf,
    #[command(flatten)]
    pub graph: GraphSource,
    /// `forecast` (by fill level) or `fixed` (a rota); with `--previous`, that plan's policy.
    #[arg(long, default_value = "forecast")]
    pub policy: Policy,
    /// More sensor readings, CSV (`bin_id,timestamp,fill_pct`) or JSON.
    #[arg(long)]
    pub readings: Option<PathBuf>,
    /// A plan of this week written before: re-plan from working day `--from-day` on (with
    /// `--readings`), keeping its earlier days as driven.
    #[arg(long, requires = "from_day")]
    pub previous: Option<PathBuf>,
    /// First working day (0 = the week's first) to re-plan with `--previous`.
    #[arg(long, requires = "previous")]
    pub from_day: Option<usize>,
    /// Planner iterations per day (overrides the week's day options).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// True start fills and rates (from `sample-week --truth`): also count the overflows on
    /// the truth rather than on the planner's forecasts.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    /// Output JSON.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write an offline HTML page: the territories and each day's map, with a selector.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `kerb plan-week`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&a.week)
        .with_context(|| format!("reading {}", a.week.display()))?;
    let mut week = CollectionWeek::from_json(&text)?;
    if let Some(path) = &a.readings {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let more = if path.extension().is_some_and(|e| e == "csv") {
            read_readings_csv(&text)?
        } else {
            read_readings_json(&text)?
        };
        week.readings.extend(more);
    }
    if a.iterations.is_some() {
        week.day.options.iterations = a.iterations;
    }
    // A week plans on one graph: its trucks share it (mixed fleets are per day).
    let mut graphs = a.graph.load(a.quiet, &["truck".to_string()])?;
    anyhow::ensure!(
        graphs.len() == 1,
        "a collection week plans on one road graph; give one --graph or one --profile"
    );
    let graph = graphs.remove(0);
    let plan = match (&a.previous, a.from_day) {
        (Some(path), Some(from)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let previous: WeekPlan = serde_json::from_str(&text)
                .with_context(|| format!("week plan JSON {}", path.display()))?;
            replan_week(&graph, &week, &previous, from)?
        }
        _ => plan_week(&graph, &week, a.policy)?,
    };
    std::fs::write(&a.output, serde_json::to_string_pretty(&plan)?)
        .with_context(|| format!("writing {}", a.output.display()))?;
    if let Some(p) = &a.html {
        std::fs::write(p, plan.to_html(&graph, &week))
            .with_context(|| format!("writing {}", p.display()))?;
    }
    if let Some(path) = &a.truth {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let truth: BTreeMap<String, TrueFill> = serde_json::from_str(&text)
            .with_context(|| format!("truth JSON {}", path.display()))?;
        eprintln!(
            "{} overflows on the truth",
            true_overflows(&week, &plan, &truth)
        );
    }
    let t = &plan.totals;
    eprintln!(
        "{:?}: {} days, {:.1} km, {:.1} working h (day max {:.1} / min {:.1}), {} disposal trips, {:.0} l fuel / {:.0} kg CO2, {} bins collected at {:.0} % mean fill, {} overflows ({} of on-demand/weekly bins, +{} carried), territory stability {:.0} %, {:.1} s -> {}",
        plan.policy,
        plan.days.len(),
        t.distance_km,
        t.working_h,
        t.working_h_max,
        t.working_h_min,
        t.disposal_trips,
        t.fuel_l,
        t.co2_kg,
        t.bins_collected,
        t.mean_fill_collected_pct,
        t.overflows,
        t.overflows_flexible,
        t.overflows_carried,
        100.0 * t.territory_stability,
        t.run_s,
        a.output.display()
    );
    Ok(())
}
