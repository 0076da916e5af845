//! Routes a refuse truck through waypoints on the bundled Helsinki extract and prints the
//! route leg by leg with the streets it drives along.
//!
//! ```sh
//! cargo run --release --example route
//! cargo run --release --example route -- data/helsinki.osm.pbf 24.9384,60.1699 24.9500,60.1750
//! ```
//! Arguments: a PBF file, then two or more `lon,lat` waypoints. Each waypoint after the first
//! is approached with the kerb on the truck's right (`Approach::Curb`), as for a bin.

use std::time::Instant;

use kerb::{Approach, Graph, Point, Profile, Route, SnapOptions, Waypoint};

fn parse_point(s: &str) -> Result<Point, String> {
    let (lon, lat) = s
        .split_once(',')
        .ok_or_else(|| format!("expected lon,lat, got {s:?}"))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .map_err(|_| format!("bad lon in {s:?}"))?;
    let lat: f64 = lat
        .trim()
        .parse()
        .map_err(|_| format!("bad lat in {s:?}"))?;
    Ok(Point::new(lon, lat))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pbf = args
        .first()
        .cloned()
        .unwrap_or_else(|| "data/helsinki.osm.pbf".into());
    let points = if args.len() > 2 {
        args[1..]
            .iter()
            .map(|s| parse_point(s))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        // Depot near the Old Church Park, a bin in Kruununhaka, a bin near the railway station.
        vec![
            Point::new(24.9384, 60.1699),
            Point::new(24.9500, 60.1750),
            Point::new(24.9420, 60.1720),
        ]
    };

    let t = Instant::now();
    let graph = Graph::from_pbf(&pbf, &Profile::truck())?;
    println!(
        "graph: {} nodes, {} directed edges, profile {}, imported in {:.2} s",
        graph.num_nodes(),
        graph.num_edges(),
        graph.profile().name,
        t.elapsed().as_secs_f64()
    );

    let opts = SnapOptions::default();
    let mut waypoints = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let snap = graph.snap(*p, &opts)?;
        println!(
            "waypoint {i}: ({:.5}, {:.5}) -> {:?} {:.1} m away, {:?} of the road",
            p.x(),
            p.y(),
            if snap.name.is_empty() {
                "(unnamed road)"
            } else {
                &snap.name
            },
            snap.distance_m,
            snap.side,
        );
        let approach = if i == 0 {
            Approach::Unrestricted
        } else {
            Approach::Curb
        };
        waypoints.push(Waypoint::new(snap).with_approach(approach));
    }

    let t = Instant::now();
    let route = graph.route(&waypoints)?;
    let query_ms = t.elapsed().as_secs_f64() * 1e3;
    for (i, leg) in route.legs.iter().enumerate() {
        println!(
            "leg {i} -> {}: {:.0} m, {:.0} s",
            i + 1,
            leg.distance_m,
            leg.duration_s
        );
        for (street, m) in streets(&graph, &route, i) {
            println!("    {m:>6.0} m  {street}");
        }
    }
    println!(
        "route: {:.0} m, {:.1} min, {} points (query {:.1} ms)",
        route.distance_m,
        route.duration_s / 60.0,
        route.geometry.0.len(),
        query_ms
    );
    println!("polyline: {}", route.polyline(5));
    Ok(())
}

/// Consecutive segments on the same street merged: `(street name, metres)`.
fn streets(graph: &Graph, route: &Route, leg: usize) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for s in &route.legs[leg].segments {
        let name = graph.edge(s.edge).name;
        let name = if name.is_empty() {
            "(unnamed road)"
        } else {
            name
        };
        match out.last_mut() {
            Some((last, m)) if last == name => *m += s.distance_m,
            _ => out.push((name.to_string(), s.distance_m)),
        }
    }
    out
}
