//! Plans the sample waste-collection day in `data/helsinki-day.json` (300 bins, 12 streets
//! served along their length, one depot,
//! a transfer station, three 5 t refuse trucks) on the bundled Helsinki extract and prints
//! each truck's day.
//!
//! ```sh
//! cargo run --release --example waste_collection
//! cargo run --release --example waste_collection -- data/helsinki-day.json 2000 out/day.geojson
//! ```
//! Arguments: the day's JSON, a planner iteration budget (deterministic; default: the day's
//! own time limit) and an optional path to write the plan as GeoJSON.

use kerb::collect::{plan_collection, CollectionDay, Service};
use kerb::{Graph, Profile};

fn hm(seconds: f64) -> String {
    let m = (seconds / 60.0).round() as i64;
    format!("{}:{:02}", m / 60, m % 60)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let day_path = args
        .first()
        .cloned()
        .unwrap_or_else(|| "data/helsinki-day.json".into());
    let mut day = CollectionDay::from_json(&std::fs::read_to_string(&day_path)?)?;
    if let Some(n) = args.get(1) {
        day.options.iterations = Some(n.parse()?);
    }
    let graph = Graph::builder(&Profile::truck())
        .contract(true)
        .build_from_pbf("data/helsinki.osm.pbf")?;
    println!(
        "{}: {} bins, {} streets, {} kg, {} truck(s), disposal at {}",
        day.name,
        day.bins.len(),
        day.streets.len(),
        day.bins.iter().map(|b| b.weight_kg).sum::<f64>()
            + day.streets.iter().map(|s| s.weight_kg).sum::<f64>(),
        day.trucks.iter().map(|t| t.count).sum::<u32>(),
        day.disposal_sites
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let plan = plan_collection(&graph, &day)?;
    println!(
        "{:<10} {:>5} {:>8} {:>7} {:>9} {:>6} {:>8} {:>8}",
        "truck", "bins", "kerbside", "streets", "disposals", "km", "driving", "shift"
    );
    for r in &plan.routes {
        let bins = r
            .stops
            .iter()
            .filter(|s| s.kind == kerb::collect::StopKind::Bin)
            .count();
        let kerbside = r
            .stops
            .iter()
            .filter(|s| s.service == Some(Service::Kerbside))
            .count();
        let passes = r
            .stops
            .iter()
            .filter(|s| s.kind == kerb::collect::StopKind::Street)
            .count();
        println!(
            "{:<10} {:>5} {:>8} {:>7} {:>9} {:>6.1} {:>8} {:>8}",
            r.truck,
            bins,
            kerbside,
            passes,
            r.disposal_trips,
            r.distance_m / 1e3,
            hm(r.driving_s),
            hm(r.working_s)
        );
    }
    let t = &plan.totals;
    println!(
        "total: {} trucks, {} of {} bins collected, {:.0} kg, {:.1} km, {} disposal trips",
        t.trucks_used,
        t.bins_served,
        day.bins.len(),
        t.collected[0],
        t.distance_m / 1e3,
        t.disposal_trips
    );
    println!(
        "streets: {} passes driven along {} streets, {} not (fully) served",
        t.street_passes,
        day.streets.len(),
        t.streets_unassigned
    );
    if plan.unassigned.is_empty() {
        println!("all bins and streets assigned");
    } else {
        println!("{} bins or streets unassigned:", plan.unassigned.len());
        for u in &plan.unassigned {
            println!("  {}: {}", u.id, u.reason);
        }
    }
    let ti = &plan.timings;
    println!(
        "timings: snap {:.2} s, matrix {:.2} s, plan {:.2} s, geometry {:.2} s",
        ti.snap_s, ti.matrix_s, ti.plan_s, ti.geometry_s
    );
    if let Some(out) = args.get(2) {
        std::fs::write(out, serde_json::to_string_pretty(&plan.to_geojson())?)?;
        println!("wrote {out}");
    }
    Ok(())
}
