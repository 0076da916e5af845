//! `kerb table --graph <file> --sources "lon,lat;lon,lat" [--destinations ...] | --points f.csv`:
//! a duration/distance matrix as CSV or as OSRM table JSON (kerb-api's formatter, as `/table`)
//! on stdout.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use kerb_api::params::{CommonOptions, TableOptions};
use kerb_core::{Point, Waypoint};

use super::{lonlats, parse_lonlat};

/// Arguments of `kerb table`.
#[derive(clap::Args)]
pub struct Args {
    /// Graph file from `kerb build`.
    #[arg(long)]
    pub graph: PathBuf,
    /// Sources as "lon,lat;lon,lat;...".
    #[arg(long, allow_hyphen_values = true, conflicts_with = "points")]
    pub sources: Option<String>,
    /// Destinations as "lon,lat;lon,lat;..." (default: the sources).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "points")]
    pub destinations: Option<String>,
    /// CSV file with one `lon,lat` per line (a header line is skipped): all-to-all matrix.
    #[arg(long)]
    pub points: Option<PathBuf>,
    /// Output format: csv (source,destination,duration_s,distance_m) or json (OSRM table).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Approach at every point: unrestricted or curb.
    #[arg(long, default_value = "unrestricted")]
    pub approach: String,
    /// Maximum snapping distance in metres.
    #[arg(long, default_value_t = 1000.0)]
    pub radius: f64,
    /// Profile to route: a name (`car`, `truck`) or a profile JSON file. The file's own
    /// profile (the default) routes on its contraction hierarchy; another one on a CCH
    /// customization of the same roads (stored by `kerb customize`, else made now).
    #[arg(long)]
    pub profile: Option<String>,
    /// Departure time: a local date and time (`2026-12-07T06:30`) or a weekday and time
    /// (`"Mo 06:30"`). The graph's `*:conditional` rules (`access`, `hgv`, `maxspeed`, ...)
    /// then apply to each road at the time the vehicle reaches it, for every source leaving then (one Dijkstra per source); without it they are ignored as before.
    #[arg(long)]
    pub depart_at: Option<String>,
}

fn parse_list(s: &str) -> anyhow::Result<Vec<Point<f64>>> {
    s.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(parse_lonlat)
        .collect()
}

fn read_points(path: &PathBuf) -> anyhow::Result<Vec<Point<f64>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_lonlat(line) {
            Ok(p) => out.push(p),
            // A header line such as "lon,lat" is not a coordinate.
            Err(_) if i == 0 => continue,
            Err(e) => return Err(e.context(format!("{}:{}", path.display(), i + 1))),
        }
    }
    Ok(out)
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let (src_pts, dst_pts) = match (&a.points, &a.sources) {
        (Some(path), _) => {
            let p = read_points(path)?;
            (p.clone(), p)
        }
        (None, Some(s)) => {
            let s = parse_list(s)?;
            let d = match &a.destinations {
                Some(d) => parse_list(d)?,
                None => s.clone(),
            };
            (s, d)
        }
        (None, None) => bail!("give --sources (and optionally --destinations) or --points"),
    };
    if src_pts.is_empty() || dst_pts.is_empty() {
        bail!("no points given");
    }
    let approach = super::parse_approach(&a.approach)?;
    if a.format != "csv" && a.format != "json" {
        bail!("unknown format '{}' (csv, json)", a.format);
    }
    let graph = super::open_graph(&a.graph, a.profile.as_deref())?;
    let snap_all = |pts: &[Point<f64>]| -> anyhow::Result<Vec<Waypoint>> {
        let common = CommonOptions::uniform(pts.len(), Some(a.radius), approach);
        Ok(kerb_api::waypoint::waypoints(
            &graph,
            &lonlats(pts),
            &common,
        )?)
    };
    let sources = snap_all(&src_pts)?;
    let destinations = snap_all(&dst_pts)?;
    let common = CommonOptions {
        depart_at: a
            .depart_at
            .as_deref()
            .map(kerb_api::params::parse_depart_at)
            .transpose()?,
        ..CommonOptions::default()
    };
    let m = kerb_api::service::matrix_filtered(
        &graph,
        &sources,
        &destinations,
        &common.search_filter(),
    )?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if a.format == "json" {
        let o = TableOptions {
            distances: true,
            ..TableOptions::default()
        };
        let body = kerb_api::format::table_response(&m, &sources, &destinations, &o);
        serde_json::to_writer(&mut out, &body)?;
        writeln!(out)?;
    } else {
        writeln!(out, "source,destination,duration_s,distance_m")?;
        for i in 0..m.num_sources {
            for j in 0..m.num_destinations {
                let (d, s) = (m.duration_s(i, j), m.distance_m(i, j));
                if d.is_finite() {
                    writeln!(out, "{i},{j},{d:.3},{s:.2}")?;
                } else {
                    writeln!(out, "{i},{j},,")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}
