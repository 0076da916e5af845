//! Import and routing tests on real OSM extracts: data/helsinki.osm.pbf (always present) and
//! the shared extracts in ../shared/data/osm (skipped with a message when absent).

use std::collections::HashMap;
use std::path::PathBuf;

use kerb_core::{EdgeId, Error, Graph, NodeId, Point, Profile, Side, Snap, SnapOptions, Waypoint};
use osmpbfreader::{OsmObj, OsmPbfReader};
use petgraph::graph::DiGraph;
use rand::{Rng, SeedableRng};

use kerb_testdata::{cached, helsinki_graph, helsinki_pbf as helsinki, shared_osm};

fn truck() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

fn car() -> &'static Graph {
    helsinki_graph("car", |pbf| Graph::from_pbf(pbf, &Profile::car()))
}

/// The edges of the main component (every one reaches every other under the turn rules).
fn main_edges(g: &Graph) -> Vec<u32> {
    (0..g.num_edges() as u32)
        .filter(|&e| g.component(EdgeId(e)).unwrap().main)
        .collect()
}

/// A waypoint at `fraction` along edge `e`.
fn at(g: &Graph, e: EdgeId, fraction: f64) -> Waypoint {
    let pts = g.partial_points(e, 0.0, fraction);
    let p = *pts.last().unwrap();
    Waypoint::new(Snap {
        edge: e,
        fraction,
        point: p,
        input: p,
        distance_m: 0.0,
        side: Side::On,
        name: g.edge(e).name.to_string(),
    })
}

type Tags = Vec<(String, String)>;

/// OSM ways and nodes of an extract, for finding test subjects independently of the importer.
struct Osm {
    nodes: HashMap<i64, (Point<f64>, Tags)>,
    ways: Vec<(i64, Vec<i64>, Tags)>,
}

fn read_osm(path: &PathBuf) -> Osm {
    let mut r = OsmPbfReader::new(std::fs::File::open(path).unwrap());
    let mut osm = Osm {
        nodes: HashMap::new(),
        ways: Vec::new(),
    };
    for obj in r.iter() {
        match obj.unwrap() {
            OsmObj::Node(n) => {
                let tags = n
                    .tags
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                osm.nodes
                    .insert(n.id.0, (Point::new(n.lon(), n.lat()), tags));
            }
            OsmObj::Way(w) => {
                if w.tags.contains_key("highway") {
                    let tags = w
                        .tags
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect();
                    osm.ways
                        .push((w.id.0, w.nodes.iter().map(|n| n.0).collect(), tags));
                }
            }
            OsmObj::Relation(_) => {}
        }
    }
    osm
}

fn helsinki_osm() -> &'static Osm {
    cached("helsinki osm", || read_osm(&helsinki()))
}

fn tag<'a>(tags: &'a [(String, String)], k: &str) -> Option<&'a str> {
    tags.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
}

/// Edges whose geometry contains the consecutive coordinates `a -> b` (either direction).
fn edges_with_segment(g: &Graph, a: Point<f64>, b: Point<f64>) -> Vec<EdgeId> {
    let close =
        |p: Point<f64>, q: Point<f64>| (p.x() - q.x()).abs() < 1e-7 && (p.y() - q.y()).abs() < 1e-7;
    g.edges()
        .filter(|e| {
            let pts = g.edge_points(e.id);
            pts.windows(2)
                .any(|w| (close(w[0], a) && close(w[1], b)) || (close(w[0], b) && close(w[1], a)))
        })
        .map(|e| e.id)
        .collect()
}

#[test]
fn helsinki_counts_are_plausible() {
    for g in [truck(), car()] {
        // Central Helsinki: a few thousand intersections, within the extract's bbox.
        assert!(
            g.num_nodes() > 500 && g.num_nodes() < 50_000,
            "{} nodes",
            g.num_nodes()
        );
        assert!(
            g.num_edges() > g.num_nodes() && g.num_edges() < 4 * g.num_nodes(),
            "{} edges",
            g.num_edges()
        );
        let b = g.bbox();
        assert!(
            b.min().x > 24.93 && b.max().x < 24.96 && b.min().y > 60.16 && b.max().y < 60.18,
            "{b:?}"
        );
        let total_km: f64 = g.edges().map(|e| e.distance_m).sum::<f64>() / 1000.0;
        assert!(total_km > 20.0 && total_km < 1000.0, "{total_km} km");
        for e in g.edges() {
            assert!(e.distance_m >= 0.0 && e.duration_s >= 0.0);
            let speed = if e.duration_s > 0.0 {
                e.distance_m / e.duration_s * 3.6
            } else {
                0.0
            };
            assert!(speed <= g.profile().max_speed_kmh + 1e-3, "speed {speed}");
        }
        assert!(g.edges().any(|e| e.name == "Mannerheimintie"));
    }
    // Delivery-only streets are open to the refuse truck but not to the car.
    let delivery = |g: &Graph| g.edges().filter(|e| e.name == "Aleksanterinkatu").count();
    assert!(delivery(truck()) >= delivery(car()));
    // Helsinki has turn restrictions in the data.
    assert!(!car().restrictions().is_empty());
}

#[test]
fn oneway_cannot_be_driven_backwards() {
    let g = car();
    let osm = helsinki_osm();
    // Real oneway=yes streets from the OSM data, found independently of the importer.
    let mut checked = 0;
    for (_, nodes, tags) in &osm.ways {
        if tag(tags, "oneway") != Some("yes")
            || tag(tags, "highway") != Some("residential")
            || nodes.len() < 2
        {
            continue;
        }
        let (Some(a), Some(b)) = (osm.nodes.get(&nodes[0]), osm.nodes.get(&nodes[1])) else {
            continue;
        };
        let edges = edges_with_segment(g, a.0, b.0);
        if edges.is_empty() {
            continue;
        }
        // Only the forward direction exists in the graph...
        assert_eq!(edges.len(), 1, "oneway street has edges in both directions");
        let e = edges[0];
        assert!(g.reverse_edge(e).is_none());
        let pts = g.edge_points(e);
        assert!(
            (pts[0].x() - a.0.x()).abs() < 1e-7,
            "edge runs against the way"
        );
        // ...and a route from 0.8 to 0.2 along it must go around the block.
        let len = g.edge(e).distance_m;
        if len < 20.0 {
            continue;
        }
        let fwd = g.route(&[at(g, e, 0.2), at(g, e, 0.8)]).unwrap();
        assert!((fwd.distance_m - 0.6 * len).abs() < 0.01);
        if let Ok(back) = g.route(&[at(g, e, 0.8), at(g, e, 0.2)]) {
            assert!(
                back.distance_m > 0.6 * len + 1.0,
                "drove {} m backwards on a oneway",
                back.distance_m
            );
            let first = back.legs[0].segments[0];
            assert_eq!(first.edge, e);
            assert!((first.to_fraction - 1.0).abs() < 1e-9);
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} oneway streets checked");
}

/// Ways tagged `maxheight` below the truck's height, passable by car.
#[test]
fn low_underpass_closed_to_truck_open_to_car() {
    let osm = helsinki_osm();
    let limit = Profile::truck().vehicle.height_m;
    let mut car_open = 0;
    let mut found = 0;
    for (id, nodes, tags) in &osm.ways {
        let Some(h) = tag(tags, "maxheight").and_then(|v| v.parse::<f64>().ok()) else {
            continue;
        };
        if h >= limit || nodes.len() < 2 {
            continue;
        }
        found += 1;
        for w in nodes.windows(2) {
            let (Some(a), Some(b)) = (osm.nodes.get(&w[0]), osm.nodes.get(&w[1])) else {
                continue;
            };
            assert!(
                edges_with_segment(truck(), a.0, b.0).is_empty(),
                "way {id} (maxheight={h}) open to the truck"
            );
        }
        let (a, b) = (osm.nodes.get(&nodes[0]), osm.nodes.get(&nodes[1]));
        if let (Some(a), Some(b)) = (a, b) {
            if !edges_with_segment(car(), a.0, b.0).is_empty() {
                car_open += 1;
            }
        }
    }
    assert!(found > 0, "no way with maxheight < {limit} in the extract");
    assert!(car_open > 0, "no low way open to the car");
}

/// The Helsinki extract has bollards only on footways, so this uses Heidelberg (bollards on
/// residential and service roads).
#[test]
fn bollard_blocks_cars() {
    let Some(path) = shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let osm = &read_osm(&path);
    let mut permissive = Profile::car();
    permissive.name = "car-through-bollards".into();
    permissive.barriers_passable.push("bollard".into());
    let open = Graph::from_pbf(&path, &permissive).unwrap();
    let g = &Graph::from_pbf(&path, &Profile::car()).unwrap();
    let opts = SnapOptions::default().with_radius_m(2.0);
    let mut blocked = 0;
    for (_, nodes, tags) in &osm.ways {
        let t: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if g.profile().way_directions(&t).is_none() {
            continue;
        }
        for i in 1..nodes.len().saturating_sub(1) {
            let Some((c, ntags)) = osm.nodes.get(&nodes[i]) else {
                continue;
            };
            if tag(ntags, "barrier") != Some("bollard") || ntags.len() != 1 {
                continue;
            }
            let (Some(p), Some(q)) = (osm.nodes.get(&nodes[i - 1]), osm.nodes.get(&nodes[i + 1]))
            else {
                continue;
            };
            // Points a third of the way from the neighbours towards the bollard.
            let lerp = |a: Point<f64>, t: f64| {
                Point::new(a.x() + t * (c.x() - a.x()), a.y() + t * (c.y() - a.y()))
            };
            let (a, b) = (lerp(p.0, 0.5), lerp(q.0, 0.5));
            if kerb_core::haversine_m(a, *c) < 3.0 || kerb_core::haversine_m(b, *c) < 3.0 {
                continue;
            }
            let (Ok(sa), Ok(sb)) = (open.snap(a, &opts), open.snap(b, &opts)) else {
                continue;
            };
            let through = open.route(&[Waypoint::new(sa), Waypoint::new(sb)]).unwrap();
            let direct = kerb_core::haversine_m(a, *c) + kerb_core::haversine_m(*c, b);
            if through.distance_m > direct + 1.0 {
                continue; // the permissive graph does not go through this bollard either
            }
            // Both sides must be in the car graph (one side may be cut off entirely).
            let (Ok(ca), Ok(cb)) = (g.snap(a, &opts), g.snap(b, &opts)) else {
                continue;
            };
            if ca.distance_m > 0.5 || cb.distance_m > 0.5 {
                continue;
            }
            match g.route(&[Waypoint::new(ca), Waypoint::new(cb)]) {
                Ok(r) => {
                    // The car route must not pass the bollard's position.
                    let through_bollard = r
                        .geometry
                        .points()
                        .any(|p| kerb_core::haversine_m(p, *c) < 0.01);
                    assert!(
                        !through_bollard,
                        "car went through the bollard at {c:?}: {} m (direct {direct} m)",
                        r.distance_m
                    );
                    assert!(r.distance_m > through.distance_m);
                }
                Err(Error::NoRoute { .. }) => {}
                Err(e) => panic!("{e}"),
            }
            blocked += 1;
        }
    }
    assert!(blocked > 0, "no bollard found on a car road");
}

/// Independent check: durations from petgraph's Dijkstra over the line graph of the
/// same edges (one petgraph node per directed edge, arcs for the turns the OSM restrictions
/// allow, entries into destination-only roads weighing as in kerb). Use on a graph without
/// turn penalties (see [`turn_free`]). The random edges are
/// drawn from the main component (the import keeps islands too, which nothing reaches).
fn check_against_petgraph(g: &Graph, pairs: usize, seed: u64) {
    use kerb_core::RestrictionKind;
    let m = g.num_edges() as u32;
    let mut pg = DiGraph::<(), f64, u32>::with_capacity(g.num_edges(), 3 * g.num_edges());
    for _ in 0..m {
        pg.add_node(());
    }
    let restricted = |e: EdgeId| g.edge_guidance(e).is_some_and(|x| x.restricted);
    let entry_s = f64::from(kerb_core::RESTRICTED_ENTRY_MS) / 1000.0;
    for e in g.edges() {
        let rs: Vec<_> = g
            .restrictions()
            .iter()
            .filter(|r| r.from == e.id && r.via == e.to)
            .collect();
        let only: Vec<EdgeId> = rs
            .iter()
            .filter(|r| r.kind == RestrictionKind::Only)
            .map(|r| r.to)
            .collect();
        for f in g.out_edges(e.to) {
            let banned = rs
                .iter()
                .any(|r| r.kind == RestrictionKind::No && r.to == f);
            if !banned && (only.is_empty() || only.contains(&f)) {
                // Entering a destination-only road from one that is not weighs
                // RESTRICTED_ENTRY_MS (OSRM's max_turn_weight): such roads are no way through.
                let entry = if restricted(f) && !restricted(e.id) {
                    entry_s
                } else {
                    0.0
                };
                pg.add_edge(e.id.0.into(), f.0.into(), g.edge(f).duration_s + entry);
            }
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut cache: HashMap<u32, std::rc::Rc<Vec<f64>>> = HashMap::new();
    // Cost from the end of edge `n` to the end of every edge.
    let mut sp = |n: u32| -> std::rc::Rc<Vec<f64>> {
        cache
            .entry(n)
            .or_insert_with(|| {
                let mut v = vec![f64::INFINITY; pg.node_count()];
                for (k, d) in petgraph::algo::dijkstra(&pg, n.into(), None, |e| *e.weight()) {
                    v[k.index()] = d;
                }
                std::rc::Rc::new(v)
            })
            .clone()
    };
    let main = main_edges(g);
    let mut reachable = 0;
    let mut checked = 0;
    while checked < pairs {
        let (es, et) = (
            EdgeId(main[rng.gen_range(0..main.len())]),
            EdgeId(main[rng.gen_range(0..main.len())]),
        );
        let (fs, ft) = (rng.gen_range(0.0..1.0), rng.gen_range(0.0..1.0));
        // Leave the source along its edge or its reverse, arrive along the target edge or its
        // reverse, or travel along one edge directly.
        let mut src = vec![(es, fs)];
        if let Some(r) = g.reverse_edge(es) {
            src.push((r, 1.0 - fs));
        }
        let mut dst = vec![(et, ft)];
        if let Some(r) = g.reverse_edge(et) {
            dst.push((r, 1.0 - ft));
        }
        if src.iter().any(|s| dst.iter().any(|t| s.0 == t.0)) {
            continue; // same road: going around the block needs a cycle search
        }
        checked += 1;
        let (ws, wt) = (at(g, es, fs), at(g, et, ft));
        let mut expected = f64::INFINITY;
        for &(s, f) in &src {
            let d = sp(s.0);
            for &(t, h) in &dst {
                if d[t.index()].is_finite() {
                    let tail = (1.0 - h) * g.edge(t).duration_s;
                    expected = expected.min((1.0 - f) * g.edge(s).duration_s + d[t.index()] - tail);
                }
            }
        }
        // The least weight minimises destination-only entries first; its travel time is what
        // is left after taking them out.
        let expected = expected - (expected / entry_s).floor() * entry_s;
        match g.route(&[ws, wt]) {
            Ok(r) => {
                reachable += 1;
                // Edge times are rounded to milliseconds inside the turn-aware searches.
                let tol = 1e-3 * r.legs[0].segments.len() as f64 + 1e-6;
                assert!(
                    (r.duration_s - expected).abs() <= tol,
                    "route {} s vs petgraph {} s ({es:?}@{fs} -> {et:?}@{ft})",
                    r.duration_s,
                    expected
                );
                let sum: f64 = r.legs[0].segments.iter().map(|s| s.distance_m).sum();
                assert!((sum - r.distance_m).abs() < 1e-6);
            }
            Err(Error::NoRoute { .. }) => assert!(
                expected.is_infinite(),
                "NoRoute but petgraph found {expected}"
            ),
            Err(e) => panic!("{e}"),
        }
    }
    assert!(
        reachable >= pairs * 95 / 100,
        "{reachable} of {pairs} reachable"
    );
}

/// The graph of `path` for `profile` without turn penalties and with free U-turns, so that
/// turn-aware routes can be checked against a node-based Dijkstra.
fn turn_free(path: &std::path::Path, profile: &Profile) -> Graph {
    let mut p = profile.clone();
    p.name = format!("{}-turn-free", profile.name);
    p.turn_costs.left_s = 0.0;
    p.turn_costs.right_s = 0.0;
    p.turn_costs.straight_s = 0.0;
    p.turn_costs.shape = kerb_core::TurnShape::Linear;
    p.turn_costs.u_turn_s = 0.0;
    p.turn_costs.u_turn = kerb_core::UTurnPolicy::Allowed;
    Graph::from_pbf(path, &p).unwrap()
}

#[test]
fn routes_match_petgraph_dijkstra_helsinki() {
    check_against_petgraph(&turn_free(&helsinki(), &Profile::truck()), 1000, 7);
}

#[test]
fn routes_match_petgraph_dijkstra_porto() {
    let Some(path) = shared_osm("r5_porto_portugal.osm.pbf") else {
        return;
    };
    let t = std::time::Instant::now();
    let g = turn_free(&path, &Profile::truck());
    eprintln!(
        "porto truck import: {:?}, {} nodes, {} edges",
        t.elapsed(),
        g.num_nodes(),
        g.num_edges()
    );
    assert!(g.num_nodes() > 20_000, "{} nodes", g.num_nodes());
    check_against_petgraph(&g, 30, 11);
}

#[test]
fn clipped_extract_with_missing_nodes_imports() {
    // pyrosm's test extract references 471 missing nodes from highway ways.
    let Some(path) = shared_osm("pyrosm_test.osm.pbf") else {
        return;
    };
    let g = turn_free(&path, &Profile::car());
    assert!(g.num_nodes() > 10);
    check_against_petgraph(&g, 50, 3);
}

#[test]
fn snapping_and_nearest() {
    let g = truck();
    let p = Point::new(24.9414, 60.1699);
    let s = g.snap(p, &SnapOptions::default()).unwrap();
    assert!(s.distance_m < 100.0);
    assert!((0.0..=1.0).contains(&s.fraction));
    // The projected point lies on the edge at the reported fraction.
    let q = *g.partial_points(s.edge, 0.0, s.fraction).last().unwrap();
    assert!(
        kerb_core::haversine_m(q, s.point) < 0.5,
        "{:?} vs {:?}",
        q,
        s.point
    );
    let near = g.nearest(p, 5).unwrap();
    assert_eq!(near.len(), 5);
    assert!(near.windows(2).all(|w| w[0].distance_m <= w[1].distance_m));
    assert!((near[0].distance_m - s.distance_m).abs() < 1e-6);
    // Far from any road (in the sea south of Helsinki).
    let sea = Point::new(24.95, 60.10);
    assert!(matches!(
        g.snap(sea, &SnapOptions::default()),
        Err(Error::NoSegment { .. })
    ));
    assert!(g
        .snap(sea, &SnapOptions::default().with_radius_m(f64::INFINITY))
        .is_ok());
    // Bearing: the snapped direction points the requested way.
    let north = g.snap(
        p,
        &SnapOptions::default()
            .with_radius_m(200.0)
            .with_bearing(0.0, 60.0),
    );
    let south = g.snap(
        p,
        &SnapOptions::default()
            .with_radius_m(200.0)
            .with_bearing(180.0, 60.0),
    );
    if let (Ok(n), Ok(s)) = (north, south) {
        if n.point == s.point {
            assert_ne!(n.edge, s.edge);
        }
    }
    // Side: a point left of an edge is on its left; the reverse edge sees it on the right.
    let mut checked = 0;
    for e in g
        .edges()
        .filter(|e| e.reverse().is_some() && e.distance_m > 50.0)
    {
        let pts = g.edge_points(e.id);
        let (a, b) = (pts[0], pts[1]);
        if kerb_core::haversine_m(a, b) < 20.0 {
            continue;
        }
        let mid = Point::new((a.x() + b.x()) / 2.0, (a.y() + b.y()) / 2.0);
        // Left normal in a local metric frame (x scaled by cos(lat)).
        let k = mid.y().to_radians().cos();
        let (dx, dy) = ((b.x() - a.x()) * k, b.y() - a.y());
        let norm = (dx * dx + dy * dy).sqrt();
        let off = 0.00002; // about 2 m
        let left = Point::new(mid.x() - dy / norm * off / k, mid.y() + dx / norm * off);
        let s = g.snap(left, &SnapOptions::default()).unwrap();
        if s.edge == e.id {
            assert_eq!(s.side, Side::Left, "edge {:?}", e.id);
        } else if Some(s.edge) == e.reverse() {
            assert_eq!(s.side, Side::Right, "edge {:?}", e.id);
        } else {
            continue; // another road is closer
        }
        checked += 1;
        if checked == 50 {
            break;
        }
    }
    assert!(checked >= 20, "{checked}");
}

/// Up to 30 two-way main-component edges `e` over 60 m, each with a waypoint in the middle of
/// `e` marked as lying on its left and a start waypoint elsewhere in the main component.
fn left_side_cases(g: &Graph) -> Vec<(EdgeId, Waypoint, Waypoint)> {
    let main = main_edges(g);
    g.edges()
        .filter(|e| e.reverse().is_some() && e.distance_m > 60.0 && g.component(e.id).unwrap().main)
        .take(30)
        .map(|e| {
            let mut wp = at(g, e.id, 0.5);
            wp.snap.side = Side::Left;
            let from = at(g, EdgeId(main[(e.id.0 as usize + 97) % main.len()]), 0.5);
            (e.id, wp, from)
        })
        .collect()
}

#[test]
fn opposite_approach_arrives_with_the_point_on_the_left() {
    let g = truck();
    let cases = left_side_cases(g);
    for (e, wp, from) in &cases {
        let to = wp.clone().with_approach(kerb_core::Approach::Opposite);
        let r = g.route(&[from.clone(), to]).unwrap();
        // Point on the left of `e`: keeping it on the left (right-hand traffic) means `e`.
        assert_eq!(r.legs[0].segments.last().unwrap().edge, *e);
    }
    assert!(cases.len() > 10);
}

#[test]
fn curb_approach_arrives_on_the_right() {
    let g = truck();
    let mut checked = 0;
    for (e, wp, from) in left_side_cases(g) {
        let e = g.edge(e);
        let r = g
            .route(&[
                from.clone(),
                wp.clone().with_approach(kerb_core::Approach::Curb),
            ])
            .unwrap();
        // Point on the left of `e`: arriving with it on the right means travelling the reverse.
        let last = r.legs[0].segments.last().unwrap();
        assert_eq!(Some(last.edge), e.reverse());
        let free = g.route(&[from, wp]).unwrap();
        assert!(free.duration_s <= r.duration_s + 1e-9);
        checked += 1;
    }
    assert!(checked > 10);
}

#[test]
fn along_approach_travels_the_snapped_direction() {
    let g = truck();
    let mut checked = 0;
    for e in g
        .edges()
        .filter(|e| e.reverse().is_some() && e.distance_m > 60.0)
        .take(30)
    {
        let from = at(g, EdgeId((e.id.0 + 97) % g.num_edges() as u32), 0.5);
        for target in [e.id, e.reverse().unwrap()] {
            let wp = at(g, target, 0.5).with_approach(kerb_core::Approach::Along);
            // Some directions are dead ends of the turn graph (no U-turn for trucks).
            let (Ok(to), Ok(back)) = (
                g.route(&[from.clone(), wp.clone()]),
                g.route(&[wp, from.clone()]),
            ) else {
                continue;
            };
            assert_eq!(to.legs[0].segments.last().unwrap().edge, target);
            // Leaving along it too: the next leg starts on the same directed edge.
            assert_eq!(back.legs[0].segments.first().unwrap().edge, target);
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn multi_waypoint_route_has_one_leg_per_pair() {
    let g = truck();
    let opts = SnapOptions::default();
    let pts = [
        Point::new(24.9384, 60.1699),
        Point::new(24.9500, 60.1750),
        Point::new(24.9450, 60.1660),
    ];
    let wps: Vec<Waypoint> = pts
        .iter()
        .map(|p| Waypoint::new(g.snap(*p, &opts).unwrap()))
        .collect();
    let r = g.route(&wps).unwrap();
    assert_eq!(r.legs.len(), 2);
    let sum: f64 = r.legs.iter().map(|l| l.duration_s).sum();
    assert!((sum - r.duration_s).abs() < 1e-9);
    // Geometry starts and ends at the snapped points.
    let first = r.geometry.points().next().unwrap();
    let last = r.geometry.points().next_back().unwrap();
    assert!(kerb_core::haversine_m(first, wps[0].snap.point) < 0.5);
    assert!(kerb_core::haversine_m(last, wps[2].snap.point) < 0.5);
    // Geometry length matches the route distance.
    let len: f64 = r
        .geometry
        .0
        .windows(2)
        .map(|w| kerb_core::haversine_m(w[0].into(), w[1].into()))
        .sum();
    assert!(
        (len - r.distance_m).abs() < 0.01 * r.distance_m + 1.0,
        "{len} vs {}",
        r.distance_m
    );
    let gj = r.to_geojson();
    assert_eq!(gj["type"], "LineString");
    assert!(!r.polyline(5).is_empty() && r.polyline(6).len() >= r.polyline(5).len());
    assert!(matches!(g.route(&wps[..1]), Err(Error::InvalidInput(_))));
    let _ = NodeId(0);
}

#[test]
fn turn_restrictions_are_obeyed() {
    let g = car();
    let turned = |r: &kerb_core::Route, a: EdgeId, b: EdgeId| {
        r.legs[0]
            .segments
            .windows(2)
            .any(|w| w[0].edge == a && w[1].edge == b)
    };
    let (mut no_checked, mut plain_violates, mut only_checked) = (0, 0, 0);
    for r in g.restrictions() {
        let from = at(g, r.from, 0.5);
        match r.kind {
            kerb_core::RestrictionKind::No => {
                let to = at(g, r.to, 0.5);
                let plain = match g.route(&[from.clone(), to.clone()]) {
                    Ok(p) => p,
                    Err(Error::NoRoute { .. }) => {
                        // Both searches obey the restriction and agree on reachability.
                        assert!(matches!(
                            g.route_with_restrictions(&[from, to]),
                            Err(Error::NoRoute { .. })
                        ));
                        continue;
                    }
                    Err(e) => panic!("{e}"),
                };
                // In a clipped extract a restriction can make its `to` edge unreachable from
                // `from` (the other approaches lie outside the extract): only if every other
                // edge into the via node is missing.
                let obeyed = match g.route_with_restrictions(&[from, to]) {
                    Ok(o) => o,
                    Err(Error::NoRoute { .. }) => {
                        let into_via = g
                            .edges()
                            .filter(|e| e.to == r.via && e.id != r.from)
                            .count();
                        assert!(
                            into_via <= 1,
                            "{r:?}: no route although {into_via} other edges enter the via node"
                        );
                        continue;
                    }
                    Err(e) => panic!("{e}"),
                };
                assert!(!turned(&obeyed, r.from, r.to), "forbidden turn {r:?} taken");
                assert!(obeyed.duration_s >= plain.duration_s - 1e-6);
                plain_violates += turned(&plain, r.from, r.to) as usize;
                no_checked += 1;
            }
            kerb_core::RestrictionKind::Only => {
                // Towards any other edge leaving the via node.
                for other in g.out_edges(r.via).filter(|&e| e != r.to) {
                    if let Ok(route) = g.route_with_restrictions(&[from.clone(), at(g, other, 0.5)])
                    {
                        // Wherever the route leaves `from`, it continues on `to`.
                        let segs = &route.legs[0].segments;
                        for w in segs.windows(2) {
                            assert!(
                                w[0].edge != r.from || w[1].edge == r.to,
                                "only-turn {r:?} ignored"
                            );
                        }
                        only_checked += 1;
                    }
                }
            }
        }
    }
    assert!(no_checked > 5, "{no_checked} no_* restrictions checked");
    assert_eq!(plain_violates, 0, "Graph::route took a forbidden turn");
    eprintln!("no_* checked {no_checked} (plain search violated {plain_violates}), only_* routes {only_checked}");
    // Without restricted turns on the plain route, both searches agree.
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let m = g.num_edges() as u32;
    for _ in 0..200 {
        let (a, b) = (
            at(g, EdgeId(rng.gen_range(0..m)), 0.3),
            at(g, EdgeId(rng.gen_range(0..m)), 0.6),
        );
        let obeyed = g.route_with_restrictions(&[a.clone(), b.clone()]);
        let Ok(plain) = g.route(&[a, b]) else {
            assert!(
                obeyed.is_err(),
                "route and route_with_restrictions disagree on reachability"
            );
            continue;
        };
        let ok = plain.legs[0]
            .segments
            .windows(2)
            .all(|w| g.turn_allowed(w[0].edge, w[1].edge));
        match obeyed {
            Ok(o) if ok => assert!((plain.duration_s - o.duration_s).abs() < 1e-6),
            Ok(o) => assert!(o.duration_s >= plain.duration_s - 1e-6),
            Err(e) => assert!(!ok, "{e} although the plain route obeys every restriction"),
        }
    }
}
