//! Customizable contraction hierarchies on real extracts: a metric customized on the
//! metric-independent topology answers exactly what a Dijkstra on the same turn-aware weights
//! answers (turn restrictions and U-turn rules included), one topology serves car and truck
//! weights like two separately built hierarchies, and a stored customization round-trips
//! while a stale or damaged one is rejected with a typed error.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use kerb_core::cch::{Cch, CchError};
use kerb_core::ch::{self, ContractionHierarchy, QueryWorkspace, Seed};
use kerb_core::{Error, Graph, Profile};
use kerb_testdata::{cached, helsinki_graph, shared_osm, temp_dir};
use rand::{Rng, SeedableRng};

/// Dijkstra from `s` over the arcs (adjacency built by the caller): weight to every node.
fn dijkstra(adj: &[Vec<(u32, u32)>], s: u32) -> Vec<Option<i64>> {
    let mut dist = vec![i64::MAX; adj.len()];
    let mut heap = BinaryHeap::new();
    dist[s as usize] = 0;
    heap.push(Reverse((0i64, s)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for &(h, w) in &adj[v as usize] {
            let nd = d + w as i64;
            if nd < dist[h as usize] {
                dist[h as usize] = nd;
                heap.push(Reverse((nd, h)));
            }
        }
    }
    dist.into_iter()
        .map(|d| (d != i64::MAX).then_some(d))
        .collect()
}

fn adjacency(n: usize, arcs: &[ch::Arc]) -> Vec<Vec<(u32, u32)>> {
    let mut adj = vec![Vec::new(); n];
    for a in arcs {
        adj[a.tail as usize].push((a.head, a.weight));
    }
    adj
}

/// Checks `cch` against Dijkstra on `arcs` for random sources (every target of a source's
/// row through the many-to-many, a sample through point-to-point queries with unpacking).
fn assert_exact(cch: &Cch, arcs: &[ch::Arc], seed: u64) -> usize {
    let n = cch.num_nodes();
    let adj = adjacency(n, arcs);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut ws = cch.workspace();
    let sources: Vec<u32> = (0..12).map(|_| rng.gen_range(0..n as u32)).collect();
    let targets: Vec<u32> = (0..40).map(|_| rng.gen_range(0..n as u32)).collect();
    let seeds = |v: &[u32]| v.iter().map(|&x| vec![Seed::node(x)]).collect::<Vec<_>>();
    let table = cch.many_to_many(&seeds(&sources), &seeds(&targets));
    let mut reached = 0;
    for (i, &s) in sources.iter().enumerate() {
        let expect = dijkstra(&adj, s);
        for (j, &t) in targets.iter().enumerate() {
            let want = expect[t as usize];
            assert_eq!(
                table.cells[i * targets.len() + j].map(|c| c.0),
                want,
                "{s} -> {t}"
            );
            if j % 4 == 0 {
                let got = cch.query(&mut ws, &[Seed::node(s)], &[Seed::node(t)]);
                assert_eq!(got.as_ref().map(|r| r.weight), want, "{s} -> {t}");
                if let Some(r) = got {
                    let nodes = cch.unpack(&r);
                    assert_eq!((nodes[0], *nodes.last().unwrap()), (s, t));
                    let w: i64 = nodes
                        .windows(2)
                        .map(|p| {
                            adj[p[0] as usize]
                                .iter()
                                .filter(|a| a.0 == p[1])
                                .map(|a| a.1 as i64)
                                .min()
                                .expect("unpacked path uses turns of the metric")
                        })
                        .sum();
                    assert_eq!(w, r.weight);
                }
            }
            reached += want.is_some() as usize;
        }
    }
    reached
}

fn helsinki_car() -> &'static Graph {
    helsinki_graph("car", |pbf| Graph::from_pbf(pbf, &Profile::car()))
}

#[test]
fn customized_car_weights_equal_dijkstra_with_restrictions() {
    let g = helsinki_car();
    assert!(
        !g.restrictions().is_empty(),
        "the extract has turn restrictions"
    );
    let possible = kerb_core::TurnGraph::possible_turns(g.road()).len();
    // Restrictions and U-turn rules remove turns: the topology holds them, the metric not.
    assert!(g.turn_graph().num_turns() < possible);
    // The graph's own profile reproduces its turn graph exactly.
    assert_eq!(
        g.turn_graph_for(&Profile::car()).arcs(),
        g.turn_graph().arcs()
    );
    let cch = g.customize(&Profile::car()).unwrap();
    let reached = assert_exact(&cch, &g.turn_graph().arcs(), 1);
    assert!(reached > 300, "most random pairs are connected ({reached})");
}

#[test]
fn one_topology_answers_for_car_and_truck_like_separate_hierarchies() {
    let g = helsinki_car();
    let truck = g.turn_graph_for(&Profile::truck());
    let car = g.turn_graph().arcs();
    let truck_arcs = truck.arcs();
    assert_ne!(car, truck_arcs, "truck weights differ");
    let cch_car = g.customize(&Profile::car()).unwrap();
    let cch_truck = g.customize(&Profile::truck()).unwrap();
    assert!(std::sync::Arc::ptr_eq(
        cch_car.topology(),
        cch_truck.topology()
    ));
    assert_exact(&cch_truck, &truck_arcs, 2);
    // Against two hierarchies contracted separately for each weight set.
    let n = truck.num_nodes();
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for (cch, arcs) in [(&cch_car, &car), (&cch_truck, &truck_arcs)] {
        let ch = ContractionHierarchy::build(n, arcs);
        let mut ws = QueryWorkspace::new(&ch);
        let mut cws = cch.workspace();
        for _ in 0..200 {
            let (s, t) = (rng.gen_range(0..n as u32), rng.gen_range(0..n as u32));
            let a = ch.query(&mut ws, &[Seed::node(s)], &[Seed::node(t)]);
            let b = cch.query(&mut cws, &[Seed::node(s)], &[Seed::node(t)]);
            assert_eq!(a.map(|r| r.weight), b.map(|r| r.weight), "{s} -> {t}");
        }
    }
}

#[test]
fn customization_matches_dijkstra_on_other_extracts() {
    for name in [
        "graphhopper_andorra.osm.pbf",
        "osm2pgsql_liechtenstein-2013-08-03.osm.pbf",
    ] {
        let Some(pbf) = shared_osm(name) else {
            continue;
        };
        let g = cached(name, || Graph::from_pbf(&pbf, &Profile::truck()).unwrap());
        let cch = g.customize(&Profile::truck()).unwrap();
        assert_exact(&cch, &g.turn_graph().arcs(), 4);
        // A custom, slower vehicle on the same topology.
        let slow = Profile::builder("slow")
            .base(Profile::truck())
            .max_speed_kmh(40.0)
            .speed(kerb_core::RoadClass::Residential, 15.0)
            .build()
            .unwrap();
        let cch = g.customize(&slow).unwrap();
        assert_exact(&cch, &g.turn_graph_for(&slow).arcs(), 5);
    }
}

#[test]
fn porto_car_and_truck_customizations_equal_dijkstra() {
    let Some(pbf) = kerb_testdata::porto_pbf() else {
        return;
    };
    let g = cached("porto car", || {
        Graph::from_pbf(&pbf, &Profile::car()).unwrap()
    });
    assert!(g.num_edges() > 100_000, "{} edges", g.num_edges());
    let car = g.customize(&Profile::car()).unwrap();
    assert!(assert_exact(&car, &g.turn_graph().arcs(), 6) > 300);
    let truck = g.customize(&Profile::truck()).unwrap();
    assert_exact(&truck, &g.turn_graph_for(&Profile::truck()).arcs(), 7);
}

#[test]
fn stored_customizations_round_trip_and_stale_or_corrupt_ones_are_rejected() {
    let mut g = Graph::from_pbf(kerb_testdata::helsinki_pbf(), &Profile::car()).unwrap();
    let truck = g.customize(&Profile::truck()).unwrap();
    g.save_customization("truck", &truck).unwrap();
    let dir = temp_dir("cch");
    let path = dir.join("helsinki.kerb");
    g.save(&path).unwrap();
    let back = Graph::open(&path).unwrap();
    assert_eq!(back.customization_names(), vec!["truck".to_string()]);
    let loaded = back.customization("truck").unwrap();
    assert_eq!(loaded.metric_bytes(), truck.metric_bytes());
    assert_eq!(back.cch_topology().checksum(), g.cch_topology().checksum());
    assert!(matches!(
        back.customization("bus"),
        Err(Error::InvalidInput(_))
    ));

    // Damaged costs.
    let mut bytes = truck.metric_bytes();
    let k = bytes.len() / 2;
    bytes[k] ^= 0x40;
    let mut damaged = Graph::open(&path).unwrap();
    damaged.set_section("cm.truck", bytes).unwrap();
    assert!(matches!(
        damaged.customization("truck"),
        Err(Error::Cch(CchError::Corrupt(_)))
    ));

    // A metric of another map (another topology) is stale here.
    let Some(pbf) = shared_osm("graphhopper_andorra.osm.pbf") else {
        return;
    };
    let mut other = Graph::from_pbf(pbf, &Profile::car()).unwrap();
    other.set_section("cm.truck", truck.metric_bytes()).unwrap();
    assert!(matches!(
        other.customization("truck"),
        Err(Error::Cch(CchError::StaleMetric { .. }))
    ));
    // So is a topology section copied from another map: it is rebuilt, not trusted.
    other
        .set_section("cch", g.cch_topology().to_bytes())
        .unwrap();
    assert_ne!(other.cch_topology().checksum(), g.cch_topology().checksum());
    assert_eq!(other.cch_topology().num_nodes(), other.num_edges());
}
