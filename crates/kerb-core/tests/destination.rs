//! Destination-only roads (`access=destination`, `motor_vehicle=destination`, a truck's
//! `hgv=destination`/`delivery`) and tolls, on hand-made maps and on the shared extracts:
//! a destination-only road starts or ends a route but is never a way through (OSRM car.lua's
//! `max_turn_weight` on entering it), in every search (Dijkstra, CH, CCH, matrices,
//! isochrones), and the reported durations are travel times without the entry weight;
//! `exclude=toll` and a profile's `exclude` avoid toll roads.

use std::path::PathBuf;

use kerb_core::{Exclude, Graph, Point, Profile, Route, SnapOptions, Waypoint};

/// A street `a-b-c` (way 11, tagged `extra`) between `s-a` and `c-t`, and a detour
/// `a-p-q-c` five times as long: without `extra` the fastest way from `s` to `t` is
/// through `b`.
fn map(label: &str, extra: &[(&str, &str)]) -> PathBuf {
    let nodes = [
        (1, 8.000, 49.000),
        (2, 8.001, 49.000),
        (3, 8.002, 49.000),
        (4, 8.003, 49.000),
        (5, 8.004, 49.000),
        (6, 8.001, 49.003),
        (7, 8.003, 49.003),
    ];
    let way = |id: u32, refs: &[u32], tags: &[(&str, &str)]| {
        let nd: String = refs.iter().map(|r| format!("<nd ref=\"{r}\"/>")).collect();
        let tg: String = tags
            .iter()
            .map(|(k, v)| format!("<tag k=\"{k}\" v=\"{v}\"/>"))
            .collect();
        format!(
            "<way id=\"{id}\" version=\"1\">{nd}<tag k=\"highway\" v=\"residential\"/>{tg}</way>\n"
        )
    };
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n");
    for (id, lon, lat) in nodes {
        xml += &format!("<node id=\"{id}\" version=\"1\" lon=\"{lon}\" lat=\"{lat}\"/>\n");
    }
    xml += &way(10, &[1, 2], &[("name", "West")]);
    let mut street = vec![("name", "Street")];
    street.extend_from_slice(extra);
    xml += &way(11, &[2, 3, 4], &street);
    xml += &way(12, &[2, 6, 7, 4], &[("name", "Detour")]);
    xml += &way(13, &[4, 5], &[("name", "East")]);
    xml += "</osm>\n";
    let path = kerb_testdata::temp_dir("destination").join(format!("{label}.osm"));
    std::fs::write(&path, xml).unwrap();
    path
}

fn build(path: &PathBuf, profile: &Profile, contract: bool) -> Graph {
    Graph::builder(profile)
        .contract(contract)
        .build_from_file(path)
        .unwrap()
}

fn at(g: &Graph, lon: f64, lat: f64) -> Waypoint {
    Waypoint::new(
        g.snap(Point::new(lon, lat), &SnapOptions::default())
            .unwrap(),
    )
}

/// Names of the roads a route drives, in order, without repeats.
fn roads(g: &Graph, r: &Route) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in r.legs.iter().flat_map(|l| &l.segments) {
        let name = g.edge(s.edge).name.to_string();
        if out.last() != Some(&name) {
            out.push(name);
        }
    }
    out
}

// Waypoints: s (west end), t (east end), b1 (on the street near b), c1 (on the street near c).
const S: (f64, f64) = (8.0002, 49.0);
const T: (f64, f64) = (8.0038, 49.0);
const B1: (f64, f64) = (8.0018, 49.0);
const C1: (f64, f64) = (8.0026, 49.0);

#[test]
fn a_destination_street_ends_routes_but_carries_no_through_traffic() {
    let car = Profile::car();
    let dest = map("dest", &[("motor_vehicle", "destination")]);
    let open = map("open", &[]);
    let open_g = build(&open, &car, false);
    let w = |g: &Graph, p: (f64, f64)| at(g, p.0, p.1);
    let through = open_g.route(&[w(&open_g, S), w(&open_g, T)]).unwrap();
    assert_eq!(roads(&open_g, &through), ["West", "Street", "East"]);

    let plain = build(&dest, &car, false);
    let contracted = build(&dest, &car, true);
    let customized = plain.customized(&car).unwrap();
    assert!(plain
        .edges()
        .any(|e| plain.edge_guidance(e.id).unwrap().restricted));
    for g in [&plain, &contracted, &customized] {
        let (s, t, b1, c1) = (w(g, S), w(g, T), w(g, B1), w(g, C1));
        // Between two points outside, the detour (which is 5x longer).
        let r = g.route(&[s.clone(), t.clone()]).unwrap();
        assert_eq!(roads(g, &r), ["West", "Detour", "East"], "{:?}", g.engine());
        assert!(r.duration_s > through.duration_s * 2.0 && r.duration_s < 600.0);
        // To a point on the street: the route ends there, timed as on the open map.
        let to_b = g.route(&[s.clone(), b1.clone()]).unwrap();
        assert_eq!(roads(g, &to_b), ["West", "Street"]);
        let open_to_b = open_g.route(&[w(&open_g, S), w(&open_g, B1)]).unwrap();
        assert!((to_b.duration_s - open_to_b.duration_s).abs() < 1e-3);
        // From it: leaving is free; inside it: no entry at all.
        let from_b = g.route(&[b1.clone(), t.clone()]).unwrap();
        assert_eq!(roads(g, &from_b), ["Street", "East"]);
        let inside = g.route(&[b1.clone(), c1.clone()]).unwrap();
        assert_eq!(roads(g, &inside), ["Street"]);
        // The matrix agrees with the routes, in time (no entry weight) and distance.
        let pts = [s.clone(), t.clone(), b1.clone()];
        let m = g.matrix(&pts, &pts).unwrap();
        for (i, j, route) in [(0, 1, &r), (0, 2, &to_b), (2, 1, &from_b)] {
            assert!(
                (m.duration_s(i, j) - route.duration_s).abs() < 1e-3,
                "{i}->{j}"
            );
            assert!(
                (m.distance_m(i, j) - route.distance_m).abs() < 0.05,
                "{i}->{j}"
            );
        }
    }

    // Isochrones: the street is reached (as a destination) in its travel time, what lies
    // behind it only by the detour.
    let reached = plain.reachable(&w(&plain, S), 60.0).unwrap();
    let open_reached = open_g.reachable(&w(&open_g, S), 60.0).unwrap();
    let end_on = |g: &Graph, reached: &[kerb_core::ReachedEdge], name: &str| {
        reached
            .iter()
            .filter(|r| g.edge(r.edge).name == name && r.to_fraction >= 1.0)
            .map(|r| r.end_s)
            .fold(f64::INFINITY, f64::min)
    };
    let street = end_on(&plain, &reached, "Street");
    assert!(street < 60.0);
    assert!((street - end_on(&open_g, &open_reached, "Street")).abs() < 1e-3);
    assert!(open_reached
        .iter()
        .any(|r| open_g.edge(r.edge).name == "East"));
    assert!(!reached.iter().any(|r| plain.edge(r.edge).name == "East"));
}

#[test]
fn hgv_destination_and_delivery_restrict_the_truck_only() {
    let (car, truck) = (Profile::car(), Profile::truck());
    for tag in [("hgv", "destination"), ("access", "delivery")] {
        let path = map(&format!("truck-{}", tag.1), &[tag]);
        let t = build(&path, &truck, false);
        let r = t.route(&[at(&t, S.0, S.1), at(&t, T.0, T.1)]).unwrap();
        assert_eq!(roads(&t, &r), ["West", "Detour", "East"], "{tag:?}");
        let to_b = t.route(&[at(&t, S.0, S.1), at(&t, B1.0, B1.1)]).unwrap();
        assert_eq!(roads(&t, &to_b), ["West", "Street"], "{tag:?}");
    }
    // A car may drive through an hgv=destination street.
    let c = build(&map("car-hgv", &[("hgv", "destination")]), &car, false);
    let r = c.route(&[at(&c, S.0, S.1), at(&c, T.0, T.1)]).unwrap();
    assert_eq!(roads(&c, &r), ["West", "Street", "East"]);
}

#[test]
fn exclude_toll_avoids_toll_roads_on_request_and_by_profile() {
    let path = map("toll", &[("toll", "yes")]);
    let car = Profile::car();
    let g = build(&path, &car, true);
    let (s, t) = (at(&g, S.0, S.1), at(&g, T.0, T.1));
    let plain = g.route(&[s.clone(), t.clone()]).unwrap();
    assert_eq!(roads(&g, &plain), ["West", "Street", "East"]);
    let avoiding = g
        .route_excluding(&[s.clone(), t.clone()], &[Exclude::Toll])
        .unwrap();
    assert_eq!(roads(&g, &avoiding), ["West", "Detour", "East"]);
    let m = g
        .matrix_excluding(
            std::slice::from_ref(&s),
            std::slice::from_ref(&t),
            &[Exclude::Toll],
        )
        .unwrap();
    assert!(
        (m.duration_s(0, 0) - avoiding.duration_s).abs() < 1e-3,
        "{} vs {}",
        m.duration_s(0, 0),
        avoiding.duration_s
    );
    // Excluding motorways changes nothing here.
    let motorway = g
        .route_excluding(&[s.clone(), t.clone()], &[Exclude::Motorway])
        .unwrap();
    assert_eq!(roads(&g, &motorway), roads(&g, &plain));

    // A profile that never pays tolls, from JSON: its hierarchy avoids the street.
    let mut json = serde_json::to_value(&car).unwrap();
    json["name"] = "car-no-toll".into();
    json["exclude"] = serde_json::json!(["toll"]);
    let no_toll = Profile::from_json(&json.to_string()).unwrap();
    assert_eq!(no_toll.exclude, [Exclude::Toll]);
    let mut bad = json.clone();
    bad["exclude"] = serde_json::json!(["tolls"]);
    assert!(Profile::from_json(&bad.to_string()).is_err());
    let ng = build(&path, &no_toll, true);
    let r = ng.route(&[at(&ng, S.0, S.1), at(&ng, T.0, T.1)]).unwrap();
    assert_eq!(roads(&ng, &r), ["West", "Detour", "East"]);
    assert!((r.duration_s - avoiding.duration_s).abs() < 1e-3);
    // The same roads customized for it (CCH) avoid it too.
    let cch = g.with_profile(&no_toll).unwrap();
    let r = cch.route(&[s, t]).unwrap();
    assert_eq!(roads(&cch, &r), ["West", "Detour", "East"]);
}

/// Whether a route drives (more than a metre of) a destination-only edge.
fn uses_restricted(g: &Graph, r: &Route) -> bool {
    r.legs
        .iter()
        .flat_map(|l| &l.segments)
        .any(|s| s.distance_m > 1.0 && g.edge_guidance(s.edge).unwrap().restricted)
}

#[test]
fn heidelberg_destination_streets_are_no_through_routes() {
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let g = Graph::builder(&Profile::car())
        .contract(true)
        .build_from_pbf(&pbf)
        .unwrap();
    // Schriesheimer Straße (way 4114319) is tagged motor_vehicle=destination.
    let schriesheimer: Vec<_> = g
        .edges()
        .filter(|e| g.osm_way_id(e.id) == Some(4114319))
        .map(|e| e.id)
        .collect();
    assert!(!schriesheimer.is_empty());
    assert!(schriesheimer
        .iter()
        .all(|&e| g.edge_guidance(e).unwrap().restricted));
    let restricted = g
        .edges()
        .filter(|e| g.edge_guidance(e.id).unwrap().restricted)
        .count();
    assert!(restricted > 500, "{restricted} destination-only edges");

    // Trips between points outside destination-only streets: none drives through one,
    // although the fastest way by travel time alone (custom weights = the roads' times,
    // which know no entry weight) often does.
    let bbox = (8.64, 49.38, 8.72, 49.43);
    let opts = SnapOptions::default().with_radius_m(30.0);
    let outside: Vec<Waypoint> = kerb_testdata::random_points(bbox, 400, 11)
        .into_iter()
        .filter_map(|(x, y)| g.snap(Point::new(x, y), &opts).ok())
        .filter(|s| !g.edge_guidance(s.edge).unwrap().restricted)
        .map(Waypoint::new)
        .take(60)
        .collect();
    assert!(outside.len() >= 40);
    let times: Vec<f64> = g.edges().map(|e| e.duration_s).collect();
    let by_time = g.weights(&times).unwrap();
    let (mut shortcut, mut trips) = (0, 0);
    for pair in outside.chunks(2) {
        let Ok(r) = g.route(pair) else { continue };
        trips += 1;
        assert!(
            !uses_restricted(&g, &r),
            "a through route uses a destination street"
        );
        assert!(r.duration_s < 3600.0, "{} s", r.duration_s);
        let (fast, _) = g.route_weighted(pair, &by_time).unwrap();
        shortcut += usize::from(uses_restricted(&g, &fast));
    }
    assert!(
        trips >= 20 && shortcut >= 1,
        "{shortcut} of {trips} would cut through"
    );

    // Trips to a point on a destination street end there, entering it once, with the
    // matrix's time.
    let inside: Vec<Waypoint> = kerb_testdata::random_points(bbox, 4000, 5)
        .into_iter()
        .filter_map(|(x, y)| g.snap(Point::new(x, y), &opts).ok())
        .filter(|s| g.edge_guidance(s.edge).unwrap().restricted)
        .map(Waypoint::new)
        .take(10)
        .collect();
    assert!(inside.len() >= 5);
    let m = g.matrix(&outside[..10], &inside).unwrap();
    let mut checked = 0;
    for (i, from) in outside[..10].iter().enumerate() {
        for (j, to) in inside.iter().enumerate() {
            let Ok(r) = g.route(&[from.clone(), to.clone()]) else {
                continue;
            };
            checked += 1;
            let segs: Vec<_> = r.legs.iter().flat_map(|l| &l.segments).collect();
            let flags: Vec<bool> = segs
                .iter()
                .map(|s| g.edge_guidance(s.edge).unwrap().restricted)
                .collect();
            assert!(
                *flags.last().unwrap(),
                "the route ends on the destination street"
            );
            let entries = flags.windows(2).filter(|w| !w[0] && w[1]).count();
            assert_eq!(entries, 1, "one entry into destination-only roads");
            assert!((m.duration_s(i, j) - r.duration_s).abs() < 1e-2);
            assert!(r.duration_s < 3600.0);
        }
    }
    assert!(checked >= 30, "{checked} routes checked");
}

#[test]
fn porto_exclude_toll_equals_the_graph_without_toll_roads() {
    let Some(pbf) = kerb_testdata::shared_osm("r5_porto_portugal.osm.pbf") else {
        return;
    };
    let car = Profile::car();
    let full = Graph::builder(&car)
        .contract(false)
        .build_from_pbf(&pbf)
        .unwrap();
    let mut no_toll = car.clone();
    no_toll.name = "car-no-toll".into();
    no_toll.exclude = vec![Exclude::Toll];
    let without = Graph::builder(&no_toll)
        .contract(true)
        .build_from_pbf(&pbf)
        .unwrap();
    let toll = |g: &Graph, e| g.edge_guidance(e).unwrap().toll;
    // Way 22569323 is a motorway tagged toll=yes.
    let tolled: Vec<_> = full
        .edges()
        .filter(|e| full.osm_way_id(e.id) == Some(22569323))
        .map(|e| e.id)
        .collect();
    assert!(!tolled.is_empty() && tolled.iter().all(|&e| toll(&full, e)));
    let toll_edges: Vec<_> = full.edges().filter(|e| toll(&full, e.id)).collect();
    assert!(toll_edges.len() > 100);
    let (mut x0, mut y0, mut x1, mut y1) = (180.0f64, 90.0f64, -180.0f64, -90.0f64);
    for e in &toll_edges {
        for p in e.geometry().points() {
            (x0, y0, x1, y1) = (x0.min(p.x()), y0.min(p.y()), x1.max(p.x()), y1.max(p.y()));
        }
    }
    let opts = SnapOptions::default().with_radius_m(50.0);
    let points: Vec<Waypoint> = kerb_testdata::random_points((x0, y0, x1, y1), 2000, 3)
        .into_iter()
        .filter_map(|(x, y)| full.snap(Point::new(x, y), &opts).ok())
        .filter(|s| {
            !toll(&full, s.edge) && full.edge(s.edge).road_class != kerb_core::RoadClass::Ferry
        })
        .map(Waypoint::new)
        .take(40)
        .collect();
    assert!(points.len() >= 20);
    let uses_toll = |g: &Graph, r: &Route| {
        r.legs
            .iter()
            .flat_map(|l| &l.segments)
            .any(|s| s.distance_m > 1.0 && toll(g, s.edge))
    };
    let (mut compared, mut tolled_plain) = (0, 0);
    for i in 0..points.len() / 2 {
        let pair = [points[i].clone(), points[points.len() - 1 - i].clone()];
        let avoiding = full.route_excluding(&pair, &[Exclude::Toll]);
        let reference = without.route(&pair);
        let (Ok(a), Ok(b)) = (avoiding, reference) else {
            continue;
        };
        compared += 1;
        assert!(!uses_toll(&full, &a));
        assert!(
            (a.duration_s - b.duration_s).abs() < 1e-2,
            "{} vs {}",
            a.duration_s,
            b.duration_s
        );
        assert!((a.distance_m - b.distance_m).abs() < 0.5);
        tolled_plain += usize::from(full.route(&pair).is_ok_and(|r| uses_toll(&full, &r)));
    }
    assert!(
        compared >= 10 && tolled_plain >= 1,
        "{tolled_plain} of {compared} use tolls"
    );
    // The matrix excluding tolls is the reference graph's matrix.
    let m = full
        .matrix_excluding(&points[..8], &points[..8], &[Exclude::Toll])
        .unwrap();
    let r = without.matrix(&points[..8], &points[..8]).unwrap();
    for (a, b) in m.durations_s.iter().zip(&r.durations_s) {
        assert!(
            (a - b).abs() < 1e-2 || (a.is_infinite() && b.is_infinite()),
            "{a} vs {b}"
        );
    }
}
