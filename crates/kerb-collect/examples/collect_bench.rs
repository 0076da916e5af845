//! Times the whole collection pipeline (snap, matrix, plan, geometry) for growing numbers of
//! bins on a real extract.
//!
//! ```sh
//! cargo run --release -p kerb-collect --example collect_bench -- \
//!     ../shared/data/osm/r5_porto_portugal.osm.pbf 300,1000,3000 10 [STREETS_PER_100_BINS]
//! ```
//! Arguments: PBF (default: the Porto extract), bin counts, planner time limit in seconds,
//! and street stretches served along their length per 100 bins (default 0).

use std::time::Instant;

use kerb_collect::generate::sample_day_with_streets;
use kerb_collect::plan_collection;
use kerb_core::{Graph, Profile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let pbf = match args.get(1) {
        Some(pbf) => std::path::PathBuf::from(pbf),
        // Absent: kerb_testdata said why on stderr.
        None => match kerb_testdata::porto_pbf() {
            Some(pbf) => pbf,
            None => return Ok(()),
        },
    };
    if !pbf.exists() {
        eprintln!("skipping: {} not found", pbf.display());
        return Ok(());
    }
    let sizes: Vec<usize> = args
        .get(2)
        .map(|s| {
            s.split(',')
                .map(|x| x.parse().expect("bin count"))
                .collect()
        })
        .unwrap_or(vec![300, 1000, 3000]);
    let limit: f64 = args
        .get(3)
        .map(|s| s.parse().expect("seconds"))
        .unwrap_or(10.0);
    let streets_per_100: usize = args
        .get(4)
        .map(|s| s.parse().expect("streets per 100 bins"))
        .unwrap_or(0);
    let t = Instant::now();
    let graph = Graph::builder(&Profile::truck())
        .contract(true)
        .build_from_pbf(&pbf)?;
    println!(
        "graph: {} nodes, {} edges, built in {:.1} s",
        graph.num_nodes(),
        graph.num_edges(),
        t.elapsed().as_secs_f64()
    );
    println!("| bins | streets | trucks | served | street passes | unassigned | disposal trips | km | snap s | matrix s | plan s | geometry s | total s |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        // About 100 bins per truck-shift of 5 t with a few dumps.
        let trucks = (n / 60).max(2) as u32;
        let streets = n * streets_per_100 / 100;
        let mut day = sample_day_with_streets(&graph, n, streets, trucks, 7);
        day.options.time_limit_s = limit;
        day.options.threads = 2;
        let t = Instant::now();
        let plan = plan_collection(&graph, &day)?;
        let total = t.elapsed().as_secs_f64();
        let ti = &plan.timings;
        println!(
            "| {n} | {streets} | {} | {} | {} | {} | {} | {:.1} | {:.3} | {:.3} | {:.2} | {:.3} | {:.2} |",
            plan.totals.trucks_used,
            plan.totals.bins_served,
            plan.totals.street_passes,
            plan.unassigned.len(),
            plan.totals.disposal_trips,
            plan.totals.distance_m / 1000.0,
            ti.snap_s,
            ti.matrix_s,
            ti.plan_s,
            ti.geometry_s,
            total
        );
    }
    Ok(())
}
