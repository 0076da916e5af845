//! Generates GPS traces from shortest routes between random points of a graph, with the truth
//! behind each route as directed OSM node pairs, for comparing matchers on the same traces
//! (`scripts/match_compare.py` feeds them to kerb's and OSRM's `/match`):
//!
//! ```sh
//! kerb build ../shared/data/osm/r5_porto_portugal.osm.pbf --profile car -o /tmp/porto.kerb
//! cargo run -p kerb-match --example match_traces -- /tmp/porto.kerb 20 1 > /tmp/traces.json
//! ```
//!
//! Arguments: graph file (built by `kerb build`, which keeps the OSM ids), number of routes,
//! seed, and optionally the minimum and maximum route length in metres (default 1000, 3000).
//! Output (stdout, JSON): `{"routes": [{"distance_m", "truth": [[osm_from, osm_to, metres],
//! ...], "traces": [{"noise_m", "interval_s", "dropout", "points": [[lon, lat, t], ...]}]}]}`
//! for every noise in 5, 15, 30 m and interval in 1, 5, 15, 30 s, with 5 % of the fixes dropped.

use kerb_core::{road_distance_m, Graph, Point, Route, SnapComponents, SnapOptions, Waypoint};
use kerb_match::{generate_trace, TraceOptions};
use serde_json::{json, Value};

const NOISES_M: [f64; 3] = [5.0, 15.0, 30.0];
const INTERVALS_S: [f64; 4] = [1.0, 5.0, 15.0, 30.0];
const DROPOUT: f64 = 0.05;

/// The directed OSM node pairs `route` drives, each with the metres driven on it (partial at
/// the route's ends), consecutive repeats joined.
fn truth(graph: &Graph, route: &Route) -> Result<Vec<(u64, u64, f64)>, String> {
    let mut out: Vec<(u64, u64, f64)> = Vec::new();
    for s in route.legs.iter().flat_map(|l| &l.segments) {
        let ids = graph
            .road()
            .edge_osm_nodes(s.edge)
            .ok_or("the graph file has no OSM node ids: rebuild it with `kerb build`")?;
        let pts = graph.road().edge_points(s.edge);
        let lens: Vec<f64> = pts
            .windows(2)
            .map(|w| road_distance_m(w[0], w[1]))
            .collect();
        let total: f64 = lens.iter().sum();
        let (a, b) = (s.from_fraction * total, s.to_fraction * total);
        let mut at = 0.0;
        for (k, len) in lens.iter().enumerate() {
            let covered = (b.min(at + len) - a.max(at)).max(0.0);
            at += len;
            if covered <= 0.0 || ids[k] == ids[k + 1] {
                continue;
            }
            match out.last_mut() {
                Some(last) if (last.0, last.1) == (ids[k], ids[k + 1]) => last.2 += covered,
                _ => out.push((ids[k], ids[k + 1], covered)),
            }
        }
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: match_traces GRAPH ROUTES SEED [MIN_M MAX_M]".into());
    }
    let graph = Graph::open(&args[0])?;
    let wanted: usize = args[1].parse()?;
    let seed: u64 = args[2].parse()?;
    let min_m: f64 = args.get(3).map_or(Ok(1000.0), |s| s.parse())?;
    let max_m: f64 = args.get(4).map_or(Ok(3000.0), |s| s.parse())?;
    let b = graph.bbox();
    let bbox = (b.min().x, b.min().y, b.max().x, b.max().y);
    let snap = SnapOptions::default()
        .with_radius_m(200.0)
        .with_components(SnapComponents::MainNetwork);
    let mut routes: Vec<Value> = Vec::new();
    // Each route from a random point to a random point of the box about 2 km around it.
    for (attempt, start) in kerb_testdata::random_points(bbox, 200 * wanted, seed)
        .into_iter()
        .enumerate()
    {
        if routes.len() == wanted {
            break;
        }
        let (x, y) = start;
        let around = (x - 0.02, y - 0.012, x + 0.02, y + 0.012);
        let end = kerb_testdata::random_points(around, 1, seed ^ (attempt as u64 + 1))[0];
        let w = |(x, y): (f64, f64)| graph.snap(Point::new(x, y), &snap).map(Waypoint::new);
        let (Ok(a), Ok(b)) = (w(start), w(end)) else {
            continue;
        };
        let Ok(route) = graph.route(&[a, b]) else {
            continue;
        };
        if !(min_m..=max_m).contains(&route.distance_m) {
            continue;
        }
        let mut traces = Vec::new();
        for noise_m in NOISES_M {
            for interval_s in INTERVALS_S {
                let opts = TraceOptions {
                    interval_s,
                    noise_m,
                    dropout: DROPOUT,
                    seed: seed * 1_000_003 + attempt as u64,
                    ..TraceOptions::default()
                };
                let generated = generate_trace(&graph, &route, &[], &opts)?;
                let points: Vec<[f64; 3]> = generated
                    .trace
                    .points()
                    .iter()
                    .map(|p| [p.point.x(), p.point.y(), p.time_s.unwrap_or(0.0)])
                    .collect();
                traces.push(json!({
                    "noise_m": noise_m, "interval_s": interval_s, "dropout": DROPOUT,
                    "points": points,
                }));
            }
        }
        let truth: Vec<Value> = truth(&graph, &route)?
            .into_iter()
            .map(|(a, b, m)| json!([a, b, m]))
            .collect();
        routes.push(json!({"distance_m": route.distance_m, "truth": truth, "traces": traces}));
    }
    if routes.len() < wanted {
        return Err(format!("found only {} routes of {min_m}-{max_m} m", routes.len()).into());
    }
    println!("{}", json!({ "routes": routes }));
    Ok(())
}
