//! One module per subcommand.

pub mod build;
pub mod collect;
pub mod customize;
pub mod isochrone;
pub mod match_trace;
pub mod nearest;
pub mod plan;
pub mod plan_carp;
pub mod plan_week;
pub mod route;
pub mod sample_week;
pub mod serve;
pub mod table;

use kerb_api::params::ApproachOpt;
use kerb_core::Point;

/// Parses `lon,lat` with kerb-api's coordinate parser (the one the HTTP services use).
pub fn parse_lonlat(s: &str) -> anyhow::Result<Point<f64>> {
    let c = kerb_api::coords::parse_coordinates(s.trim(), 1)?;
    Ok(Point::new(c[0][0], c[0][1]))
}

/// Parses `--approach`: `unrestricted` or `curb`.
pub fn parse_approach(s: &str) -> anyhow::Result<ApproachOpt> {
    match s {
        "unrestricted" => Ok(ApproachOpt::Unrestricted),
        "curb" => Ok(ApproachOpt::Curb),
        other => anyhow::bail!("unknown approach '{other}' (unrestricted, curb)"),
    }
}

/// Opens a graph file routing `profile` (a name or a profile JSON file; `None`: the file's
/// own), through kerb-api's [`kerb_api::graphs::for_profiles`].
pub fn open_graph(
    path: &std::path::Path,
    profile: Option<&str>,
) -> anyhow::Result<kerb_core::Graph> {
    let files = kerb_api::graphs::GraphFiles {
        paths: vec![path.to_path_buf()],
        profiles: profile
            .map(kerb_core::Profile::resolve)
            .transpose()?
            .into_iter()
            .collect(),
    };
    let mut graphs = files.open()?;
    Ok(graphs.remove(0))
}

/// Points as kerb-api coordinates.
pub fn lonlats(points: &[Point<f64>]) -> Vec<kerb_api::coords::LonLat> {
    points.iter().map(|p| [p.x(), p.y()]).collect()
}
