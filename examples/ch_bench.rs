//! In-process query benchmark used by `benches/compare_osrm.py` (run it in release mode).
//!
//! ```text
//! cargo run --release --example ch_bench -- points <graph.kerb> <n> <seed>   # random road points, CSV
//! cargo run --release --example ch_bench -- query <graph.kerb> <points.csv> <pairs> <table> [profile]
//! ```
//! `points` prints `n` points on random edges of the graph (`lon,lat` per line). `query` routes
//! `pairs` consecutive point pairs one at a time (snapping + search + unpacking + geometry,
//! timed per route), then times one `table x table` matrix (snapping included), and prints JSON
//! with p50/p99 latencies, the matrix time and every route's duration and distance. With
//! `profile` (`car`, `truck`) the graph routes that profile ([`Graph::with_profile`]: its own
//! hierarchy for the imported profile, else a CCH customization); `cch:<profile>` always
//! routes on a customization ([`Graph::customized`]), to compare CCH with CH.

use std::time::Instant;

use kerb::{EdgeId, Graph, Point, Profile, SnapOptions, Waypoint};
use rand::{Rng, SeedableRng};

fn usage() -> ! {
    eprintln!(
        "usage: ch_bench points <graph> <n> <seed> | query <graph> <points.csv> <pairs> <table> [[cch:]profile]"
    );
    std::process::exit(2)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("points") if args.len() == 4 => points(&args[1], args[2].parse()?, args[3].parse()?),
        Some("query") if args.len() == 5 || args.len() == 6 => query(
            &args[1],
            &args[2],
            args[3].parse()?,
            args[4].parse()?,
            args.get(5).map(String::as_str),
        ),
        _ => usage(),
    }
}

fn points(graph: &str, n: usize, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    let g = Graph::open(graph)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for _ in 0..n {
        let e = EdgeId(rng.gen_range(0..g.num_edges() as u32));
        let f = rng.gen_range(0.05..0.95);
        let p = g.partial_points(e, f, f)[0];
        println!("{:.7},{:.7}", p.x(), p.y());
    }
    Ok(())
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn query(
    graph: &str,
    points: &str,
    pairs: usize,
    table: usize,
    profile: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let file = Graph::open(graph)?;
    let g = match profile {
        None => file,
        Some(p) => match p.strip_prefix("cch:") {
            Some(name) => file.customized(&Profile::by_name(name)?)?,
            None => file.with_profile(&Profile::by_name(p)?)?,
        },
    };
    let load_s = t.elapsed().as_secs_f64();
    let pts: Vec<Point<f64>> = std::fs::read_to_string(points)?
        .lines()
        .filter_map(|l| {
            let (a, b) = l.split_once(',')?;
            Some(Point::new(a.trim().parse().ok()?, b.trim().parse().ok()?))
        })
        .collect();
    if pts.len() < 2 * pairs || pts.len() < table {
        return Err(format!("need {} points, have {}", (2 * pairs).max(table), pts.len()).into());
    }
    let opts = SnapOptions::default();
    // Warm up lazily built structures (spatial index, turn graph, hierarchy).
    let _ = g.route(&[
        Waypoint::new(g.snap(pts[0], &opts)?),
        Waypoint::new(g.snap(pts[1], &opts)?),
    ]);
    let mut lat_ms = Vec::with_capacity(pairs);
    let mut routes = Vec::with_capacity(pairs);
    for i in 0..pairs {
        let t = Instant::now();
        let r = (|| {
            let a = Waypoint::new(g.snap(pts[2 * i], &opts).ok()?);
            let b = Waypoint::new(g.snap(pts[2 * i + 1], &opts).ok()?);
            g.route(&[a, b]).ok()
        })();
        lat_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        routes.push(r.map(|r| [r.duration_s, r.distance_m]));
    }
    lat_ms.sort_by(f64::total_cmp);
    let t = Instant::now();
    let wps: Vec<Waypoint> = pts[..table]
        .iter()
        .map(|&p| g.snap(p, &opts).map(Waypoint::new))
        .collect::<Result<_, _>>()?;
    let m = g.matrix(&wps, &wps)?;
    let table_s = t.elapsed().as_secs_f64();
    let reachable = m.durations_s.iter().filter(|d| d.is_finite()).count();
    let out = serde_json::json!({
        "contracted": g.is_contracted(),
        "engine": g.engine().name(),
        "nodes": g.num_nodes(),
        "edges": g.num_edges(),
        "load_s": load_s,
        "p2p_p50_ms": percentile(&lat_ms, 0.5),
        "p2p_p99_ms": percentile(&lat_ms, 0.99),
        "p2p_mean_ms": lat_ms.iter().sum::<f64>() / lat_ms.len().max(1) as f64,
        "table_s": table_s,
        "table_reachable": reachable,
        "table_durations": m.durations_s.iter().take(table * 10).map(|d| d.is_finite().then_some(*d)).collect::<Vec<_>>(),
        "routes": routes,
    });
    println!("{out}");
    Ok(())
}
