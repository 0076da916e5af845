//! The `kerb` command-line tool. Each subcommand lives in `cmd/<name>.rs`; this file only
//! parses arguments and dispatches.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// kerb: routing engine for service vehicles.
#[derive(Parser)]
#[command(name = "kerb", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import an OSM PBF extract into a graph file for a profile.
    Build(cmd::build::Args),
    /// Customize a graph file's CCH for another profile's weights and store it in the file.
    Customize(cmd::customize::Args),
    /// Fastest route between coordinates, as JSON.
    Route(cmd::route::Args),
    /// Nearest roads to a coordinate, as JSON.
    Nearest(cmd::nearest::Args),
    /// Isochrones: the area reached within time budgets, as GeoJSON polygons.
    Isochrone(cmd::isochrone::Args),
    /// Plan vehicle routes (VROOM JSON, Solomon or VRPLIB input; VROOM JSON output), or a
    /// collection day on a road graph as `collect` does.
    Plan(cmd::plan::PlanArgs),
    /// OSRM-compatible HTTP server (route, table, nearest) plus POST /plan.
    Serve(cmd::serve::Args),
    /// Duration/distance matrix between coordinates, as CSV or JSON.
    Table(cmd::table::Args),
    /// Plan a waste-collection day on a truck graph: JSON, GeoJSON and an HTML map.
    Collect(cmd::collect::Args),
    /// Generate a seeded sample collection day on a graph.
    SampleDay(cmd::collect::SampleArgs),
    /// Match a GPS trace (CSV, GPX, GeoJSON) onto the roads: OSRM's match response as JSON.
    Match(cmd::match_trace::Args),
    /// Proof of service: a planned collection day checked against the trucks' GPS traces.
    Served(cmd::match_trace::ServedArgs),
    /// Generate a seeded sample collection week (fill rates, sensor readings) on a graph.
    SampleWeek(cmd::sample_week::Args),
    /// Plan a collection week: which bins each day (fixed rota or forecast), routes, KPIs.
    PlanWeek(cmd::plan_week::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KERB_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Customize(a) => cmd::customize::run(a),
        Command::Route(a) => cmd::route::run(a),
        Command::Nearest(a) => cmd::nearest::run(a),
        Command::Isochrone(a) => cmd::isochrone::run(a),
        Command::Plan(a) => cmd::plan::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Table(a) => cmd::table::run(a),
        Command::Collect(a) => cmd::collect::run(a),
        Command::SampleDay(a) => cmd::collect::run_sample(a),
        Command::Match(a) => cmd::match_trace::run(a),
        Command::Served(a) => cmd::match_trace::run_served(a),
        Command::SampleWeek(a) => cmd::sample_week::run(a),
        Command::PlanWeek(a) => cmd::plan_week::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
