//! One module per subcommand.

pub mod build;
pub mod collect;
pub mod isochrone;
pub mod nearest;
pub mod plan;
pub mod plan_carp;
pub mod plan_week;
pub mod route;
pub mod sample_week;
pub mod serve;
pub mod table;

use anyhow::{bail, Context};
use kerb_core::Point;

/// Parses `lon,lat`.
pub fn parse_lonlat(s: &str) -> anyhow::Result<Point<f64>> {
    let Some((lon, lat)) = s.split_once(',') else {
        bail!("expected lon,lat but got '{s}'");
    };
    let lon: f64 = lon
        .trim()
        .parse()
        .with_context(|| format!("bad longitude in '{s}'"))?;
    let lat: f64 = lat
        .trim()
        .parse()
        .with_context(|| format!("bad latitude in '{s}'"))?;
    Ok(Point::new(lon, lat))
}
