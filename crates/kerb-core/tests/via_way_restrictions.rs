//! Via-way turn restrictions on hand-made OSM XML maps: the restricted path is never driven,
//! the detour is, and every other path through the same junctions stays open, whichever
//! search answers (plain Dijkstra, contraction hierarchy, CCH customization), in matrices and
//! after a save and reopen. Each map is also imported without its restriction relation, so
//! each test first shows the forbidden path is the fastest one otherwise.

use kerb_core::{Algorithm, Graph, Point, Profile, RestrictionKind, SnapOptions, Waypoint};

/// Map units: 0.001 degrees (about 111 m north-south, 65 m east-west at 54 degrees).
const UNIT: f64 = 0.001;
const LAT0: f64 = 54.0;
const LON0: f64 = 10.0;

struct Map {
    /// (OSM id, x, y) in map units.
    nodes: &'static [(i64, f64, f64)],
    /// (OSM id, node ids).
    ways: &'static [(i64, &'static [i64])],
    /// (restriction tag, from way, via ways, to way).
    relations: &'static [(&'static str, i64, &'static [i64], i64)],
    /// Ways tagged `oneway=yes`.
    oneway: &'static [i64],
}

impl Map {
    fn xml(&self, with_relations: bool) -> String {
        let mut s = String::from("<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n");
        for &(id, x, y) in self.nodes {
            s += &format!(
                "<node id='{id}' lat='{}' lon='{}' version='1'/>\n",
                LAT0 + y * UNIT,
                LON0 + x * UNIT
            );
        }
        for &(id, nodes) in self.ways {
            s += &format!("<way id='{id}' version='1'>\n");
            for n in nodes {
                s += &format!("<nd ref='{n}'/>\n");
            }
            if self.oneway.contains(&id) {
                s += "<tag k='oneway' v='yes'/>";
            }
            s += &format!("<tag k='highway' v='residential'/><tag k='name' v='w{id}'/></way>\n");
        }
        if with_relations {
            for (i, &(tag, from, via, to)) in self.relations.iter().enumerate() {
                s += &format!("<relation id='{}' version='1'>\n", 900 + i);
                s += &format!("<member type='way' ref='{from}' role='from'/>\n");
                for v in via {
                    s += &format!("<member type='way' ref='{v}' role='via'/>\n");
                }
                s += &format!("<member type='way' ref='{to}' role='to'/>\n");
                s += &format!("<tag k='type' v='restriction'/><tag k='restriction' v='{tag}'/>\n");
                s += "</relation>\n";
            }
        }
        s + "</osm>\n"
    }

    fn graph(&self, name: &str, with_relations: bool) -> Graph {
        let dir = kerb_testdata::temp_dir("via-way");
        let path = dir.join(format!("{name}-{with_relations}.osm"));
        std::fs::write(&path, self.xml(with_relations)).unwrap();
        Graph::from_file(&path, &Profile::car()).unwrap()
    }

    fn at(&self, node: i64) -> Point<f64> {
        let &(_, x, y) = self.nodes.iter().find(|n| n.0 == node).unwrap();
        Point::new(LON0 + x * UNIT, LAT0 + y * UNIT)
    }

    /// A point between two nodes (`t` of the way from `a` to `b`).
    fn between(&self, a: i64, b: i64, t: f64) -> Point<f64> {
        let (p, q) = (self.at(a), self.at(b));
        Point::new(p.x() + (q.x() - p.x()) * t, p.y() + (q.y() - p.y()) * t)
    }
}

fn waypoint(g: &Graph, p: Point<f64>) -> Waypoint {
    Waypoint::new(g.snap(p, &SnapOptions::default()).unwrap())
}

/// The OSM ways a route drives, in order (consecutive repeats merged).
fn ways_of(g: &Graph, from: Point<f64>, to: Point<f64>, algorithm: Algorithm) -> Vec<u64> {
    let wps = [waypoint(g, from), waypoint(g, to)];
    let r = g.route_with(&wps, algorithm).unwrap();
    let mut ways: Vec<u64> = r
        .legs
        .iter()
        .flat_map(|l| &l.segments)
        .filter(|s| s.to_fraction > s.from_fraction)
        .map(|s| g.osm_way_id(s.edge).unwrap())
        .collect();
    ways.dedup();
    // The matrix agrees with the route.
    let m = g.matrix(&wps[..1], &wps[1..]).unwrap();
    assert!(
        (m.durations_s[0] - r.duration_s).abs() < 1e-6,
        "matrix {} s, route {} s",
        m.durations_s[0],
        r.duration_s
    );
    ways
}

/// Every search of the map: Dijkstra, the CH, a CCH customization, and the CH graph saved
/// and reopened.
fn engines(map: &Map, name: &str) -> Vec<(&'static str, Graph, Algorithm)> {
    let plain = map.graph(name, true);
    let mut ch = map.graph(name, true);
    ch.contract().unwrap();
    let cch = plain.customized(&Profile::car()).unwrap();
    let file = kerb_testdata::temp_dir("via-way").join(format!("{name}.kerb"));
    ch.save(&file).unwrap();
    let reopened = Graph::open(&file).unwrap();
    vec![
        ("dijkstra", plain, Algorithm::Dijkstra),
        ("ch", ch, Algorithm::Auto),
        ("cch", cch, Algorithm::Auto),
        ("reopened", reopened, Algorithm::Auto),
    ]
}

/// A route to check: from, to, the OSM ways driven without the restriction, and with it.
type Expected<'a> = (Point<f64>, Point<f64>, &'a [u64], &'a [u64]);

/// Checks each expected route on every engine.
fn check(map: &Map, name: &str, expect: &[Expected<'_>]) {
    let free = map.graph(name, false);
    assert!(free.road().via_way_restrictions().is_empty());
    for &(a, b, without, _) in expect {
        assert_eq!(
            ways_of(&free, a, b, Algorithm::Dijkstra),
            without,
            "{name} without restriction"
        );
    }
    for (engine, g, algorithm) in engines(map, name) {
        assert_eq!(
            g.road().via_way_restrictions().len(),
            map.relations.len(),
            "{name}/{engine}: restrictions resolved"
        );
        assert!(
            g.turn_graph().num_nodes() > g.num_edges(),
            "{name}/{engine}"
        );
        for (i, &(a, b, _, with)) in expect.iter().enumerate() {
            assert_eq!(
                ways_of(&g, a, b, algorithm),
                with,
                "{name}/{engine}: route {i}"
            );
        }
    }
}

//        d(20)------------k(21)
//        |                |
//        |                e(13)
//        |                |
// a(10)--b(11)-----------c(12)
//        |                |
//        g(22, 4 south)   |
//                         h(23)
const LEFT: Map = Map {
    nodes: &[
        (10, 0.0, 0.0),
        (11, 1.0, 0.0),
        (12, 3.0, 0.0),
        (13, 3.0, 1.0),
        (20, 1.0, 2.0),
        (21, 3.0, 2.0),
        (22, 1.0, -4.0),
        (23, 3.0, -2.0),
    ],
    ways: &[
        (1, &[10, 11]),     // from
        (2, &[11, 12]),     // via
        (3, &[12, 13, 21]), // to (north from c)
        (4, &[22, 11, 20]), // through b, north-south
        (5, &[20, 21]),     // top
        (6, &[12, 23]),     // south from c
    ],
    relations: &[("no_left_turn", 1, &[2], 3)],
    oneway: &[],
};

#[test]
fn no_left_turn_via_a_way() {
    let m = &LEFT;
    let (a, e, g, h) = (m.at(10), m.at(13), m.at(22), m.at(23));
    check(
        m,
        "left",
        &[
            // The forbidden path, then the detour over the top road.
            (a, e, &[1, 2, 3], &[1, 4, 5, 3]),
            // The same turns at b and c from another road stay allowed.
            (g, e, &[4, 2, 3], &[4, 2, 3]),
            // Other continuations of the from/via path stay allowed.
            (a, h, &[1, 2, 6], &[1, 2, 6]),
            // A target on the via way is reached along the restriction's path.
            (a, m.between(11, 12, 0.5), &[1, 2], &[1, 2]),
            // Starting on the via way, the turn at its end is free.
            (m.between(11, 12, 0.5), e, &[2, 3], &[2, 3]),
        ],
    );
}

/// The reachable edges (isochrones, accessibility) follow the restriction: the to-edge is
/// entered much later than without it (after the detour, not after the forbidden turn).
#[test]
fn reachable_edges_obey_via_way_restrictions() {
    let m = &LEFT;
    let entered = |g: &Graph| {
        let c = (0..g.num_nodes() as u32)
            .map(kerb_core::NodeId)
            .find(|&n| g.osm_node_id(n) == Some(12))
            .unwrap();
        let to = g
            .out_edges(c)
            .find(|&e| g.osm_way_id(e) == Some(3))
            .unwrap();
        g.reachable(&waypoint(g, m.at(10)), 600.0)
            .unwrap()
            .iter()
            .filter(|r| r.edge == to)
            .map(|r| r.start_s)
            .fold(f64::INFINITY, f64::min)
    };
    let free = entered(&m.graph("reach", false));
    let restricted = entered(&m.graph("reach", true));
    assert!(free.is_finite() && restricted.is_finite());
    assert!(
        restricted > free + 10.0,
        "entered at {restricted} s, {free} s without"
    );
}

//        d(20)--p(24)
//        |       |
//        |      q(25)--e(13)
//        |              |
// a(10)--b(11)---------c(12)---f(14)
//        |              |
//        g(22, 4 south) h(23)
const STRAIGHT: Map = Map {
    nodes: &[
        (10, 0.0, 0.0),
        (11, 1.0, 0.0),
        (12, 2.0, 0.0),
        (14, 6.0, 0.0),
        (13, 2.0, 1.0),
        (20, 1.0, 2.0),
        (24, 1.5, 2.0),
        (25, 1.5, 1.0),
        (22, 1.0, -4.0),
        (23, 2.0, -1.0),
    ],
    ways: &[
        (1, &[10, 11]),         // from
        (2, &[11, 12]),         // via
        (3, &[12, 14]),         // to (straight on)
        (4, &[22, 11, 20]),     // through b
        (5, &[20, 24, 25, 13]), // back road to e
        (6, &[23, 12, 13]),     // through c, north-south
    ],
    relations: &[("only_straight_on", 1, &[2], 3)],
    oneway: &[],
};

#[test]
fn only_straight_on_via_a_way() {
    let m = &STRAIGHT;
    let (a, e, f, g, h) = (m.at(10), m.at(13), m.at(14), m.at(22), m.at(23));
    check(
        m,
        "straight",
        &[
            // Left and right at c are closed after a -> b -> c: detours.
            (a, e, &[1, 2, 6], &[1, 4, 5]),
            (a, h, &[1, 2, 6], &[1, 4, 5, 6]),
            // Straight on is the mandatory way and stays open.
            (a, f, &[1, 2, 3], &[1, 2, 3]),
            // From another road the turns at c are free.
            (g, e, &[4, 2, 6], &[4, 2, 6]),
        ],
    );
}

//        p(20)----------------r(21)
//        |                     |
//        |                    e(13)
//        |                     |
// a(10)--b(11)-----c(12)------d(14)---f(15)
//                   |
//                   s(22, 2 south)
const TWO_VIAS: Map = Map {
    nodes: &[
        (10, 0.0, 0.0),
        (11, 1.0, 0.0),
        (12, 2.0, 0.0),
        (14, 3.0, 0.0),
        (15, 6.0, 0.0),
        (13, 3.0, 1.0),
        (20, 1.0, 2.0),
        (21, 3.0, 2.0),
        (22, 2.0, -2.0),
    ],
    ways: &[
        (1, &[10, 11]),     // from
        (2, &[11, 12]),     // via 1
        (3, &[12, 14]),     // via 2
        (4, &[14, 13, 21]), // to (north from d)
        (5, &[11, 20, 21]), // top road, one-way eastwards
        (6, &[14, 15]),     // straight on past d
        (7, &[22, 12]),     // side road into c
    ],
    relations: &[("no_left_turn", 1, &[2, 3], 4)],
    oneway: &[5],
};

#[test]
fn no_left_turn_via_two_ways() {
    let m = &TWO_VIAS;
    let (a, e, f, s) = (m.at(10), m.at(13), m.at(15), m.at(22));
    check(
        m,
        "two-vias",
        &[
            (a, e, &[1, 2, 3, 4], &[1, 5, 4]),
            // Entering the second via way from the side road, the turn at d is open.
            (s, e, &[7, 3, 4], &[7, 3, 4]),
            // The restriction's path minus its last turn stays open.
            (a, f, &[1, 2, 3, 6], &[1, 2, 3, 6]),
            (a, s, &[1, 2, 7], &[1, 2, 7]),
            // Targets on either via way are reached along the path.
            (a, m.between(12, 14, 0.5), &[1, 2, 3], &[1, 2, 3]),
        ],
    );
}

/// Alternative routes (the penalty method penalizes copies of via edges with their edge, and
/// one-way roads have no reverse to penalize) keep to the restriction too.
#[test]
fn alternatives_obey_via_way_restrictions() {
    let m = &TWO_VIAS;
    let g = m.graph("alternatives", true);
    let wps = [waypoint(&g, m.at(10)), waypoint(&g, m.at(13))];
    let routes = g.route_alternatives(&wps, 2).unwrap();
    assert!(!routes.is_empty());
    for r in &routes {
        let edges: Vec<_> = r.legs[0].segments.iter().map(|s| s.edge).collect();
        let mut ways = ways_along(&g, &edges);
        ways.dedup();
        assert_ne!(
            ways,
            [1, 2, 3, 4],
            "an alternative drives the forbidden path"
        );
    }
}

#[test]
fn resolved_paths_follow_the_via_ways() {
    let g = TWO_VIAS.graph("paths", true);
    let r = &g.road().via_way_restrictions()[0];
    assert_eq!(r.kind, RestrictionKind::No);
    assert_eq!(g.osm_way_id(r.from), Some(1));
    let via: Vec<u64> = r.via.iter().map(|&e| g.osm_way_id(e).unwrap()).collect();
    assert_eq!(via, [2, 3]);
    assert_eq!(g.osm_way_id(r.to), Some(4));
    // Chained edge to edge.
    let path: Vec<_> = std::iter::once(r.from)
        .chain(r.via.iter().copied())
        .chain([r.to])
        .collect();
    for w in path.windows(2) {
        assert_eq!(g.edge(w[0]).to, g.edge(w[1]).from);
    }
}

/// Via ways that do not chain end to end (the second via way does not start where the first
/// ends) are not guessed at: the restriction is dropped, as OSRM drops it.
#[test]
fn unchained_via_ways_are_dropped() {
    const BROKEN: Map = Map {
        relations: &[("no_left_turn", 1, &[3, 2], 4)],
        ..TWO_VIAS
    };
    let g = BROKEN.graph("broken", true);
    assert!(g.road().via_way_restrictions().is_empty());
    assert_eq!(g.turn_graph().num_nodes(), g.num_edges());
}

/// The OSM ways along road edges (consecutive repeats merged).
fn ways_along(g: &Graph, edges: &[kerb_core::EdgeId]) -> Vec<u64> {
    let mut ways: Vec<u64> = edges.iter().map(|&e| g.osm_way_id(e).unwrap()).collect();
    ways.dedup();
    ways
}

/// Whether `path` (road edges in driving order) contains `pattern` contiguously.
fn contains_run(path: &[kerb_core::EdgeId], pattern: &[kerb_core::EdgeId]) -> bool {
    path.windows(pattern.len()).any(|w| w == pattern)
}

/// Oslo east (shared extract, the one with the most via-way relations): they are resolved,
/// and for each
/// one a route from the middle of its from-edge to the middle of its to-edge obeys it on the
/// Dijkstra and on the contraction hierarchy: a `no_*` path is never driven, and after an
/// `only_*` path's via edges the route continues on its to-edge.
#[test]
fn oslo_routes_obey_every_via_way_restriction() {
    let Some(pbf) = kerb_testdata::shared_osm("otp_oslo-east-filtered.osm.pbf") else {
        return;
    };
    let plain = Graph::from_pbf(&pbf, &Profile::car()).unwrap();
    let rs = plain.road().via_way_restrictions().to_vec();
    eprintln!(
        "Oslo east car: {} via-way restrictions, {} copied states",
        rs.len(),
        plain.turn_graph().num_nodes() - plain.num_edges()
    );
    assert!(rs.len() >= 5, "{} via-way restrictions", rs.len());
    let mut ch = Graph::from_pbf(&pbf, &Profile::car()).unwrap();
    ch.contract().unwrap();
    let mut detours = 0;
    for r in &rs {
        let mid = |e: kerb_core::EdgeId| {
            let edge = plain.edge(e);
            let pts = plain.partial_points(e, 0.5, 0.5);
            (edge, pts[0])
        };
        let (_, from) = mid(r.from);
        let (_, to) = mid(r.to);
        let wps = |g: &Graph| {
            [from, to].map(|p| {
                Waypoint::new(
                    g.snap(p, &SnapOptions::default().with_radius_m(1.0))
                        .unwrap(),
                )
            })
        };
        let path: Vec<kerb_core::EdgeId> = std::iter::once(r.from)
            .chain(r.via.iter().copied())
            .collect();
        for (engine, g, algorithm) in [
            ("dijkstra", &plain, Algorithm::Dijkstra),
            ("ch", &ch, Algorithm::Auto),
        ] {
            let w = wps(g);
            // Snapped to the restriction's own edges (or their reverse), else skip the check.
            if ![r.from, r.to]
                .iter()
                .zip(&w)
                .all(|(e, wp)| wp.snap.edge == *e || g.reverse_edge(*e) == Some(wp.snap.edge))
            {
                continue;
            }
            let Ok(route) = g.route_with(&w, algorithm) else {
                continue;
            };
            let edges: Vec<kerb_core::EdgeId> = route
                .legs
                .iter()
                .flat_map(|l| &l.segments)
                .map(|s| s.edge)
                .collect();
            match r.kind {
                RestrictionKind::No => {
                    let mut forbidden = path.clone();
                    forbidden.push(r.to);
                    assert!(
                        !contains_run(&edges, &forbidden),
                        "{engine}: route drives the forbidden path {r:?}"
                    );
                    // Leaving along the from-edge and arriving along the to-edge, the route
                    // went around.
                    if engine == "ch"
                        && edges.first() == Some(&r.from)
                        && edges.last() == Some(&r.to)
                    {
                        detours += 1;
                        eprintln!(
                            "detour {from:?} -> {to:?}: ways {:?}",
                            ways_along(g, &edges)
                        );
                    }
                }
                RestrictionKind::Only => {
                    for (i, win) in edges.windows(path.len() + 1).enumerate() {
                        if win[..path.len()] == path[..] {
                            assert_eq!(
                                win[path.len()],
                                r.to,
                                "{engine}: route leaves the mandatory path at {i}: {r:?}"
                            );
                        }
                    }
                }
            }
        }
    }
    eprintln!("{detours} routes detour around a forbidden via-way path");
    assert!(detours > 0);
}

/// Three of the Oslo east detours above against osrm-routed (OSRM 26, car.lua, same
/// extract; `osrm-extract -p car.lua`, `osrm-contract`, `/route/v1/driving/A;B?annotations=
/// nodes`): the OSM nodes driven are OSRM's, node for node, and so are the distances. OSRM's
/// extract log counts 9 duplicated nodes, as many copies as kerb's turn graph has.
#[test]
fn oslo_detours_match_osrm() {
    let Some(pbf) = kerb_testdata::shared_osm("otp_oslo-east-filtered.osm.pbf") else {
        return;
    };
    // (from, to, OSRM's distance in metres, OSRM's `annotations=nodes`).
    type Case = ((f64, f64), (f64, f64), f64, &'static [u64]);
    let cases: [Case; 3] = [
        (
            (10.754063164674015, 59.908865014753815),
            (10.753465148841729, 59.90891058627211),
            85.8,
            &[
                3362376349, 6216994842, 3165471327, 3165471329, 2849288272, 2845571228, 2849288271,
                3165471330, 3165471328, 6814765931, 6814765929,
            ],
        ),
        (
            (10.76158390796214, 59.90684991720426),
            (10.762140116874411, 59.90680470515182),
            760.8,
            &[
                2849288249, 4003116123, 2531325075, 4003116112, 6839506288, 5659463395, 2531324953,
                4003116081, 2531324947, 2531324946, 4003116079, 2531324951, 5659463396, 4003116109,
                2531325070, 6308842103, 6308842101,
            ],
        ),
        (
            (10.81413675391965, 59.912597887008424),
            (10.814091047474422, 59.912673731165526),
            208.1,
            &[
                3522489909, 3522489902, 1702495991, 3522489893, 2496550029, 1702495989, 1024756,
                2496550007, 2496550005, 2496549999, 2496549991, 31418110, 2496549994, 2496549997,
                2496550001, 3523704886, 2496550010, 2496550015, 2496550020, 2496550032, 2496550037,
                2496550038, 3523704888, 3523704887, 2496550034, 2496550040, 2496550044, 1702495995,
                1702495996, 1702495997, 3522489919, 2305535999,
            ],
        ),
    ];
    let plain = Graph::from_pbf(&pbf, &Profile::car()).unwrap();
    assert_eq!(plain.turn_graph().num_nodes() - plain.num_edges(), 9);
    let mut ch = Graph::from_pbf(&pbf, &Profile::car()).unwrap();
    ch.contract().unwrap();
    for g in [&plain, &ch] {
        for &(a, b, osrm_m, osrm_nodes) in &cases {
            let wps = [a, b].map(|(x, y)| waypoint(g, Point::new(x, y)));
            let r = g.route(&wps).unwrap();
            let mut nodes: Vec<u64> = Vec::new();
            for s in r.legs.iter().flat_map(|l| &l.segments) {
                for n in g
                    .partial_osm_nodes(s.edge, s.from_fraction, s.to_fraction)
                    .unwrap()
                {
                    if nodes.last() != Some(&n) {
                        nodes.push(n);
                    }
                }
            }
            assert_eq!(nodes, osrm_nodes, "{a:?} -> {b:?}");
            assert!(
                (r.distance_m - osrm_m).abs() < 1.0,
                "{} m, OSRM {osrm_m} m",
                r.distance_m
            );
        }
    }
}
