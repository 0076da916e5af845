//! Drives every truck of a planned collection day as a noisy GPS trace, one CSV per truck, for
//! trying `kerb served`:
//!
//! ```sh
//! kerb build data/helsinki.osm.pbf --profile truck -o /tmp/h.kerb
//! kerb collect data/helsinki-day.json --graph /tmp/h.kerb --iterations 30 --threads 1 -o /tmp/plan.json
//! cargo run -p kerb-match --example drive_day -- /tmp/h.kerb data/helsinki-day.json /tmp/plan.json /tmp/traces bin-0154
//! kerb served --day data/helsinki-day.json --plan /tmp/plan.json --traces /tmp/traces --graph /tmp/h.kerb
//! ```
//!
//! Arguments: graph, day, plan, output folder, then ids of bins to skip.

use std::fmt::Write as _;

use kerb_collect::{CollectionDay, CollectionPlan};
use kerb_core::Graph;
use kerb_match::{drive_plan, TraceOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        return Err("usage: drive_day GRAPH DAY PLAN OUT_DIR [SKIPPED_BIN...]".into());
    }
    let graph = Graph::open(&args[0])?;
    let day: CollectionDay = serde_json::from_str(&std::fs::read_to_string(&args[1])?)?;
    let plan: CollectionPlan = serde_json::from_str(&std::fs::read_to_string(&args[2])?)?;
    let skip: Vec<&str> = args[4..].iter().map(String::as_str).collect();
    std::fs::create_dir_all(&args[3])?;
    for (i, route) in plan.routes.iter().enumerate() {
        let opts = TraceOptions {
            interval_s: 5.0,
            noise_m: 10.0,
            seed: 100 + i as u64,
            ..TraceOptions::default()
        };
        let driven = drive_plan(&graph, &day, route, &skip, &opts)?;
        let mut csv = String::from("lon,lat,time,accuracy\n");
        for p in driven.trace.points() {
            writeln!(
                csv,
                "{:.7},{:.7},{},{}",
                p.point.x(),
                p.point.y(),
                p.time_s.unwrap_or(0.0),
                p.accuracy_m.unwrap_or(10.0)
            )?;
        }
        let path = std::path::Path::new(&args[3]).join(format!("{}.csv", route.truck));
        std::fs::write(&path, csv)?;
        println!("{}: {} fixes", path.display(), driven.trace.len());
    }
    Ok(())
}
