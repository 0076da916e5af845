//! Turn-aware contraction hierarchies on real extracts: CH routes cost exactly what the
//! turn-aware Dijkstra reference costs, matrices equal individual routes, real turn
//! restrictions from the data are obeyed and the truck never turns around mid-road.

use std::path::PathBuf;

use kerb_core::{
    Algorithm, Approach, EdgeId, Graph, NodeId, Point, Profile, RestrictionKind, Route,
    SnapOptions, Waypoint,
};
use rand::{Rng, SeedableRng};

use kerb_testdata::{
    cached, helsinki_graph, helsinki_pbf, random_points_with, shared_osm, temp_dir,
};

fn contracted(path: &PathBuf, profile: &Profile) -> Graph {
    let mut g = Graph::from_pbf(path, profile).unwrap();
    g.contract().unwrap();
    assert!(g.is_contracted());
    g
}

/// The Helsinki graph for a profile, contracted once per test binary.
fn helsinki_contracted(name: &str, profile: fn() -> Profile) -> &'static Graph {
    cached(&format!("helsinki {name} contracted"), || {
        contracted(&helsinki_pbf(), &profile())
    })
}

/// The Helsinki car graph without a contraction hierarchy.
fn helsinki_car() -> &'static Graph {
    helsinki_graph("car", |pbf| Graph::from_pbf(pbf, &Profile::car()))
}

/// Random waypoints snapped inside the graph's bounding box, some with a kerb approach.
fn random_waypoints(g: &Graph, n: usize, rng: &mut impl Rng) -> Vec<Waypoint> {
    let b = g.bbox();
    let opts = SnapOptions::default().with_radius_m(f64::INFINITY);
    random_points_with((b.min().x, b.min().y, b.max().x, b.max().y), n, rng)
        .into_iter()
        .map(|(x, y)| {
            let w = Waypoint::new(g.snap(Point::new(x, y), &opts).unwrap());
            if rng.gen_bool(0.3) {
                w.with_approach(Approach::Curb)
            } else {
                w
            }
        })
        .collect()
}

fn leg(g: &Graph, a: &Waypoint, b: &Waypoint, alg: Algorithm) -> Option<Route> {
    g.route_with(&[a.clone(), b.clone()], alg).ok()
}

fn check_ch_vs_dijkstra(g: &Graph, pairs: usize, seed: u64) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let wps = random_waypoints(g, pairs * 2, &mut rng);
    let mut found = 0;
    for p in wps.chunks(2) {
        let d = leg(g, &p[0], &p[1], Algorithm::Dijkstra);
        let c = leg(g, &p[0], &p[1], Algorithm::Ch);
        match (&d, &c) {
            (Some(d), Some(c)) => {
                found += 1;
                assert!(
                    (d.duration_s - c.duration_s).abs() < 1e-6,
                    "CH {} s vs Dijkstra {} s",
                    c.duration_s,
                    d.duration_s
                );
                assert_no_forbidden_turns(g, c);
            }
            (None, None) => {}
            _ => panic!(
                "reachability differs: dijkstra {:?} ch {:?}",
                d.is_some(),
                c.is_some()
            ),
        }
    }
    assert!(found > pairs / 2, "only {found} of {pairs} pairs routable");
}

/// Every consecutive pair of segments is an allowed turn of the turn graph.
fn assert_no_forbidden_turns(g: &Graph, r: &Route) {
    let tg = g.turn_graph();
    for l in &r.legs {
        for w in l.segments.windows(2) {
            assert!(
                tg.turns_from(w[0].edge).any(|(e, _)| e == w[1].edge),
                "route turns {:?} -> {:?}, which the turn model forbids",
                w[0].edge,
                w[1].edge
            );
        }
    }
}

#[test]
fn ch_equals_dijkstra_helsinki_truck() {
    let g = helsinki_contracted("truck", Profile::truck);
    check_ch_vs_dijkstra(g, 2000, 1);
}

#[test]
fn ch_equals_dijkstra_monaco_car() {
    let Some(p) = shared_osm("graphhopper_monaco.osm.pbf") else {
        return;
    };
    check_ch_vs_dijkstra(&contracted(&p, &Profile::car()), 2000, 2);
}

#[test]
fn ch_equals_dijkstra_krems_truck() {
    let Some(p) = shared_osm("graphhopper_krems.osm.pbf") else {
        return;
    };
    check_ch_vs_dijkstra(&contracted(&p, &Profile::truck()), 2000, 3);
}

#[test]
fn matrix_equals_routes() {
    let plain = helsinki_car();
    let g = helsinki_contracted("car", Profile::car);
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let src = random_waypoints(g, 25, &mut rng);
    let dst = random_waypoints(g, 20, &mut rng);
    let m = g.matrix(&src, &dst).unwrap();
    let m_plain = plain.matrix(&src, &dst).unwrap();
    assert!(!plain.is_contracted());
    assert_eq!((m.num_sources, m.num_destinations), (25, 20));
    let mut close_distances = 0;
    for (i, s) in src.iter().enumerate() {
        for (j, t) in dst.iter().enumerate() {
            let (d, dist) = (m.duration_s(i, j), m.distance_m(i, j));
            assert!((d - m_plain.duration_s(i, j)).abs() < 1e-6 || d == m_plain.duration_s(i, j));
            match leg(g, s, t, Algorithm::Auto) {
                Some(r) => {
                    assert!(
                        (r.duration_s - d).abs() < 1e-6,
                        "matrix {d} s vs route {} s",
                        r.duration_s
                    );
                    if (r.distance_m - dist).abs() <= 1.0 {
                        close_distances += 1;
                    }
                }
                None => assert!(d.is_infinite() && dist.is_infinite()),
            }
        }
    }
    // Equal-duration alternatives may differ in length; nearly all cells must agree.
    assert!(
        close_distances >= 25 * 20 * 95 / 100,
        "{close_distances} of 500 distances agree"
    );
    let n = g.num_nodes() as u32;
    let nodes: Vec<NodeId> = (0..10).map(|i| NodeId(i * 79 % n)).collect();
    let mn = g.matrix_nodes(&nodes, &nodes).unwrap();
    let mp = plain.matrix_nodes(&nodes, &nodes).unwrap();
    for k in 0..100 {
        assert!(
            mn.durations_s[k] == mp.durations_s[k]
                || (mn.durations_s[k] - mp.durations_s[k]).abs() < 1e-6
        );
    }
    assert!((0..10).all(|i| mn.duration_s(i, i) == 0.0));
    assert!(g.matrix_nodes(&[NodeId(u32::MAX)], &nodes).is_err());
}

#[test]
fn contracted_graph_round_trips_through_the_file() {
    let g = helsinki_contracted("truck", Profile::truck);
    let file = temp_dir("ch-rt").join("helsinki-truck.kerb");
    g.save(&file).unwrap();
    let h = Graph::open(&file).unwrap();
    std::fs::remove_file(&file).ok();
    assert!(h.is_contracted());
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let wps = random_waypoints(g, 40, &mut rng);
    let a = g.matrix(&wps, &wps).unwrap();
    let b = h.matrix(&wps, &wps).unwrap();
    assert_eq!(a, b);
}

/// The via node of a restriction of `kind` at the given coordinate.
fn restriction_at(
    g: &Graph,
    lon: f64,
    lat: f64,
    kind: RestrictionKind,
) -> Vec<kerb_core::Restriction> {
    let found: Vec<_> = g
        .restrictions()
        .iter()
        .filter(|r| {
            let p = g.node_point(r.via);
            r.kind == kind && (p.x() - lon).abs() < 1e-6 && (p.y() - lat).abs() < 1e-6
        })
        .copied()
        .collect();
    assert!(!found.is_empty(), "restriction at {lon},{lat} not imported");
    found
}

fn on_edge(g: &Graph, e: EdgeId, fraction: f64) -> Waypoint {
    let pts = g.edge_points(e);
    // Snap a point on the edge's shape; the snap must find this edge or its reverse.
    let mid = g.partial_points(e, fraction, fraction)[0];
    let s = g.snap(mid, &SnapOptions::default()).unwrap();
    assert!(s.edge == e || g.reverse_edge(s.edge) == Some(e) || pts.len() >= 2);
    Waypoint::new(s)
}

fn uses_turn(r: &Route, a: EdgeId, b: EdgeId) -> bool {
    r.legs.iter().any(|l| {
        l.segments
            .windows(2)
            .any(|w| w[0].edge == a && w[1].edge == b)
    })
}

/// OSM relation 54365 (Helsinki): no left turn from Kaivokatu into Keskuskatu.
#[test]
fn real_no_left_turn_is_obeyed() {
    for g in [helsinki_car(), helsinki_contracted("car", Profile::car)] {
        for r in restriction_at(g, 24.9427802, 60.1703463, RestrictionKind::No) {
            assert!(!g.turn_graph().turns_from(r.from).any(|(e, _)| e == r.to));
            let a = on_edge(g, r.from, 0.5);
            let b = on_edge(g, r.to, 0.5);
            let a = Waypoint {
                snap: kerb_core::Snap {
                    edge: r.from,
                    fraction: 0.5,
                    ..a.snap
                },
                ..a
            };
            let b = Waypoint {
                snap: kerb_core::Snap {
                    edge: r.to,
                    fraction: 0.5,
                    ..b.snap
                },
                ..b
            };
            let route = g.route(&[a, b]).unwrap();
            assert!(
                !uses_turn(&route, r.from, r.to),
                "route takes the forbidden left turn"
            );
            let direct = g.edge(r.from).distance_m * 0.5 + g.edge(r.to).distance_m * 0.5;
            assert!(
                route.distance_m > direct + 1.0,
                "the detour must be longer than the turn"
            );
        }
    }
}

/// OSM relation 50616 (Helsinki): only straight on along Pohjoisesplanadi.
#[test]
fn real_only_straight_on_is_obeyed() {
    for g in [helsinki_car(), helsinki_contracted("car", Profile::car)] {
        let rs = restriction_at(g, 24.951062, 60.1678754, RestrictionKind::Only);
        let r = rs[0];
        let allowed: Vec<EdgeId> = g.turn_graph().turns_from(r.from).map(|(e, _)| e).collect();
        assert_eq!(
            allowed,
            vec![r.to],
            "only the straight-on continuation is allowed"
        );
        let others: Vec<EdgeId> = g.out_edges(r.via).filter(|&e| e != r.to).collect();
        assert!(!others.is_empty(), "the via node has other exits");
        for x in others {
            let a = on_edge(g, r.from, 0.5);
            let b = on_edge(g, x, 0.5);
            let a = Waypoint {
                snap: kerb_core::Snap {
                    edge: r.from,
                    fraction: 0.5,
                    ..a.snap
                },
                ..a
            };
            let b = Waypoint {
                snap: kerb_core::Snap {
                    edge: x,
                    fraction: 0.5,
                    ..b.snap
                },
                ..b
            };
            if let Ok(route) = g.route(&[a, b]) {
                assert!(
                    !uses_turn(&route, r.from, x),
                    "route leaves the only_straight_on"
                );
            }
        }
    }
}

/// A truck turns around only at dead ends; a car may (at a penalty).
#[test]
fn truck_never_u_turns_mid_road() {
    let g = helsinki_contracted("truck", Profile::truck);
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let wps = random_waypoints(g, 600, &mut rng);
    let mut checked = 0;
    for p in wps.chunks(2) {
        let Some(r) = leg(g, &p[0], &p[1], Algorithm::Auto) else {
            continue;
        };
        checked += 1;
        for w in r.legs[0].segments.windows(2) {
            if g.reverse_edge(w[0].edge) == Some(w[1].edge) {
                let via = g.edge(w[0].edge).to;
                let exits: Vec<EdgeId> = g.out_edges(via).collect();
                assert_eq!(
                    exits,
                    vec![w[1].edge],
                    "truck U-turn at a node with other exits"
                );
            }
        }
    }
    assert!(checked > 200);
    // At an intermediate stop the truck leaves in the direction it arrived in.
    let mut multi = 0;
    for w in wps.chunks(4) {
        let Ok(r) = g.route(w) else { continue };
        multi += 1;
        for pair in r.legs.windows(2) {
            let (a, b) = (
                pair[0].segments.last().unwrap(),
                pair[1].segments.first().unwrap(),
            );
            if a.edge == b.edge {
                assert!((a.to_fraction - b.from_fraction).abs() < 1e-12);
            } else {
                // A stop on a node: the zero-length piece of the next edge is trimmed from the
                // arriving leg, which ends on the edge before. The truck drives on through the
                // node, or turns around there only if it is a dead end.
                assert!(
                    a.to_fraction == 1.0 && b.from_fraction == 0.0,
                    "{a:?} {b:?}"
                );
                let via = g.edge(a.edge).to;
                assert_eq!(via, g.edge(b.edge).from);
                if g.reverse_edge(a.edge) == Some(b.edge) {
                    let exits: Vec<EdgeId> = g.out_edges(via).collect();
                    assert_eq!(exits, vec![b.edge], "truck turned around at a stop");
                }
            }
        }
    }
    assert!(multi > 20);
    // Every U-turn arc of the truck's turn graph is at a dead end.
    for e in 0..g.num_edges() as u32 {
        let e = EdgeId(e);
        if let Some(rev) = g.reverse_edge(e) {
            if g.turn_graph().turns_from(e).any(|(x, _)| x == rev) {
                assert_eq!(g.out_edges(g.edge(e).to).count(), 1);
            }
        }
    }
    // The car profile allows U-turns at intersections.
    let car = helsinki_car();
    let u_turns = (0..car.num_edges() as u32)
        .filter(|&e| {
            let e = EdgeId(e);
            car.reverse_edge(e)
                .is_some_and(|rev| car.turn_graph().turns_from(e).any(|(x, _)| x == rev))
                && car.out_edges(car.edge(e).to).count() > 1
        })
        .count();
    assert!(u_turns > 0);
}
