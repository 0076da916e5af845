//! One-run measurement of the customizable contraction hierarchy against kerb's CH on one
//! extract (BENCHMARKS.md, "CCH"): import, CH contraction, nested-dissection order +
//! topology, customization on 1 and 2 threads (car and truck weights), point-to-point
//! queries and a 1000 x 1000 table on both hierarchies.
//!
//! `cargo run --release -p kerb-core --example cch_scale -- [PBF]` (default: the shared Porto
//! extract). Distances of both hierarchies are compared on every measured pair.

use std::time::Instant;

use kerb_core::cch::CchTopology;
use kerb_core::ch::{ContractionHierarchy, QueryWorkspace, Seed};
use kerb_core::{Graph, Profile, TurnGraph};
use rand::{Rng, SeedableRng};

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let pbf = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .or_else(kerb_testdata::porto_pbf)
        .expect("a PBF extract (argument or the shared Porto extract)");
    let t = Instant::now();
    let mut g = Graph::from_pbf(&pbf, &Profile::car()).expect("import");
    println!(
        "import {:.2} s: {} nodes, {} edges (= edge-based nodes), {} possible turns, {} allowed",
        t.elapsed().as_secs_f64(),
        g.num_nodes(),
        g.num_edges(),
        TurnGraph::possible_turns(g.road()).len(),
        g.turn_graph().num_turns()
    );
    let t = Instant::now();
    g.contract().expect("contract");
    println!("CH contraction (car) {:.2} s", t.elapsed().as_secs_f64());
    let arcs = g.turn_graph().arcs();
    let n = g.num_edges();
    let ch = ContractionHierarchy::build(n, &arcs);

    let t = Instant::now();
    let topology = std::sync::Arc::new(CchTopology::build(
        n,
        &TurnGraph::possible_turns(g.road()),
        &TurnGraph::positions(g.road()),
        TurnGraph::possible_turns_fingerprint(g.road()),
    ));
    println!(
        "CCH order + topology {:.2} s: {} arcs, {} levels, elimination tree height {}",
        t.elapsed().as_secs_f64(),
        topology.num_arcs(),
        topology.num_levels(),
        topology.elimination_tree_height()
    );
    let truck_arcs = g.turn_graph_for(&Profile::truck()).arcs();
    let mut cch = None;
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        for (name, a) in [("car", &arcs), ("truck", &truck_arcs)] {
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let t = Instant::now();
                let c = pool.install(|| topology.customize(a)).expect("customize");
                best = best.min(t.elapsed().as_secs_f64());
                if name == "car" {
                    cch = Some(c);
                }
            }
            println!("customization {name}, {threads} thread(s): {best:.3} s (best of 3)");
        }
    }
    let cch = cch.expect("customized");
    println!(
        "open arcs after perfect customization: {} of {}",
        cch.num_open_arcs(),
        2 * topology.num_arcs()
    );

    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let pairs: Vec<(u32, u32)> = (0..5000)
        .map(|_| (rng.gen_range(0..n as u32), rng.gen_range(0..n as u32)))
        .collect();
    let mut ws = QueryWorkspace::new(&ch);
    let mut cws = cch.workspace();
    let (mut ch_us, mut cch_us) = (Vec::new(), Vec::new());
    for &(s, d) in &pairs {
        let t = Instant::now();
        let a = ch
            .query(&mut ws, &[Seed::node(s)], &[Seed::node(d)])
            .map(|r| r.weight);
        ch_us.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        let b = cch
            .query(&mut cws, &[Seed::node(s)], &[Seed::node(d)])
            .map(|r| r.weight);
        cch_us.push(t.elapsed().as_secs_f64() * 1e6);
        assert_eq!(a, b, "{s} -> {d}");
    }
    println!(
        "p2p distance query, 5000 random pairs: CH p50 {:.1} us p99 {:.1} us; CCH p50 {:.1} us p99 {:.1} us",
        percentile(&mut ch_us, 0.5),
        percentile(&mut ch_us, 0.99),
        percentile(&mut cch_us, 0.5),
        percentile(&mut cch_us, 0.99)
    );
    let pick = |rng: &mut rand::rngs::StdRng| -> Vec<Vec<Seed>> {
        (0..1000)
            .map(|_| vec![Seed::node(rng.gen_range(0..n as u32))])
            .collect()
    };
    let (sources, targets) = (pick(&mut rng), pick(&mut rng));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let t = Instant::now();
        let a = pool.install(|| ch.many_to_many(&sources, &targets));
        let ch_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let b = pool.install(|| cch.many_to_many(&sources, &targets));
        let cch_s = t.elapsed().as_secs_f64();
        let same = a
            .cells
            .iter()
            .zip(&b.cells)
            .all(|(x, y)| x.map(|c| c.0) == y.map(|c| c.0));
        assert!(same, "tables differ");
        println!("1000 x 1000 table, {threads} thread(s): CH {ch_s:.3} s, CCH {cch_s:.3} s");
    }
}
