//! Duration/distance matrices on the bundled Helsinki extract: a small table between named
//! places a person can check on a map, then a larger matrix timed with and without the
//! contraction hierarchy (both give the same numbers).
//!
//! ```sh
//! cargo run --release --example matrix
//! cargo run --release --example matrix -- data/helsinki.osm.pbf 300
//! ```
//! Arguments: a PBF file and the size of the timed square matrix (default 200).

use std::time::Instant;

use kerb::{EdgeId, Graph, Point, Profile, SnapOptions, Waypoint};

const PLACES: [(&str, f64, f64); 6] = [
    ("Railway Station", 24.9413, 60.1713),
    ("Senate Square", 24.9520, 60.1694),
    ("Old Church Park", 24.9384, 60.1660),
    ("Esplanadi", 24.9480, 60.1675),
    ("Kaisaniemi Park", 24.9460, 60.1745),
    ("Kruununhaka", 24.9500, 60.1750),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pbf = args
        .first()
        .cloned()
        .unwrap_or_else(|| "data/helsinki.osm.pbf".into());
    let n: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(200);

    let mut graph = Graph::from_pbf(&pbf, &Profile::car())?;
    println!(
        "graph: {} nodes, {} directed edges (car)",
        graph.num_nodes(),
        graph.num_edges()
    );

    let opts = SnapOptions::default();
    let places = PLACES
        .iter()
        .map(|&(_, lon, lat)| graph.snap(Point::new(lon, lat), &opts).map(Waypoint::new))
        .collect::<kerb::Result<Vec<_>>>()?;
    let m = graph.matrix(&places, &places)?;
    println!("\ndriving time in minutes (row = from, column = to):");
    print!("{:>16}", "");
    for (name, ..) in PLACES {
        print!(" {:>8.8}", name);
    }
    println!();
    for (i, (name, ..)) in PLACES.iter().enumerate() {
        print!("{name:>16}");
        for j in 0..PLACES.len() {
            print!(" {:>8.1}", m.duration_s(i, j) / 60.0);
        }
        println!();
    }
    let longest = (0..m.durations_s.len())
        .max_by(|&a, &b| m.distances_m[a].total_cmp(&m.distances_m[b]))
        .unwrap_or(0);
    println!(
        "longest drive: {} -> {}, {:.0} m",
        PLACES[longest / PLACES.len()].0,
        PLACES[longest % PLACES.len()].0,
        m.distances_m[longest]
    );

    // A larger matrix on points spread over the road network (every k-th edge's midpoint).
    let step = (graph.num_edges() / n.max(1)).max(1);
    let points: Vec<Waypoint> = (0..graph.num_edges())
        .step_by(step)
        .take(n)
        .filter_map(|e| {
            let pts = graph.edge_points(EdgeId(e as u32));
            let p = pts[pts.len() / 2];
            graph.snap(p, &opts).ok().map(Waypoint::new)
        })
        .collect();
    let t = Instant::now();
    let plain = graph.matrix(&points, &points)?;
    let plain_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    graph.contract()?;
    let contract_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ch = graph.matrix(&points, &points)?;
    let ch_s = t.elapsed().as_secs_f64();
    let reachable = ch.durations_s.iter().filter(|d| d.is_finite()).count();
    let max_diff = plain
        .durations_s
        .iter()
        .zip(&ch.durations_s)
        .filter(|(a, b)| a.is_finite() || b.is_finite())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    println!(
        "\nmatrix {k} x {k}: {reachable} of {cells} cells reachable",
        k = points.len(),
        cells = ch.durations_s.len()
    );
    println!("  one-to-many Dijkstra per source: {:.3} s", plain_s);
    println!(
        "  contraction hierarchy: {:.3} s (after {:.2} s contraction)",
        ch_s, contract_s
    );
    println!("  largest difference between the two: {max_diff:.6} s");
    Ok(())
}
