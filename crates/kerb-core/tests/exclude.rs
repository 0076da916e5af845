//! `exclude=motorway` on the shared Heidelberg extract (A5, A656 and their links): routes and
//! matrices avoiding motorways never use one, and drive the same roads (same distance) as the
//! plain Dijkstra on a graph imported without motorways.

use std::time::Instant;

use kerb_core::{Exclude, Graph, Point, Profile, RoadClass, SnapOptions, Waypoint};

const MOTORWAY: [RoadClass; 2] = [RoadClass::Motorway, RoadClass::MotorwayLink];

#[test]
fn motorway_free_routes_equal_dijkstra_on_the_graph_without_motorways() {
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let full = Graph::from_pbf(&pbf, &Profile::car()).unwrap();
    let no_motorway = Profile::builder("car-no-motorway")
        .deny_road(RoadClass::Motorway)
        .deny_road(RoadClass::MotorwayLink)
        .build()
        .unwrap();
    let without = Graph::builder(&no_motorway)
        .contract(false)
        .build_from_pbf(&pbf)
        .unwrap();
    assert!(full.edges().any(|e| MOTORWAY.contains(&e.road_class)));
    assert!(!without.edges().any(|e| MOTORWAY.contains(&e.road_class)));

    // Points around the motorways that snap to the same place, off motorways, on both graphs.
    let (mut x0, mut y0, mut x1, mut y1) = (180.0f64, 90.0f64, -180.0f64, -90.0f64);
    for e in full.edges().filter(|e| MOTORWAY.contains(&e.road_class)) {
        for p in e.geometry().points() {
            (x0, y0, x1, y1) = (x0.min(p.x()), y0.min(p.y()), x1.max(p.x()), y1.max(p.y()));
        }
    }
    let opts = SnapOptions::default().with_radius_m(50.0);
    let points: Vec<(Waypoint, Waypoint)> = kerb_testdata::random_points((x0, y0, x1, y1), 1000, 7)
        .into_iter()
        .filter_map(|(x, y)| {
            let p = Point::new(x, y);
            let (a, c) = (full.snap(p, &opts).ok()?, without.snap(p, &opts).ok()?);
            let same = kerb_core::haversine_m(a.point, c.point) < 0.01;
            (same && !MOTORWAY.contains(&full.edge(a.edge).road_class))
                .then(|| (Waypoint::new(a), Waypoint::new(c)))
        })
        .take(40)
        .collect();
    assert!(points.len() >= 20, "{} usable points", points.len());

    let (mut used_motorway, mut compared) = (0, 0);
    let (mut t_plain, mut t_excluding, mut max_diff_s) = (0.0, 0.0, 0.0f64);
    // Each point with the one farthest from it: long trips, the ones a motorway serves.
    let farthest = |k: usize| {
        (0..points.len())
            .max_by(|&i, &j| {
                let d = |m: usize| {
                    kerb_core::haversine_m(points[k].0.snap.point, points[m].0.snap.point)
                };
                d(i).total_cmp(&d(j))
            })
            .unwrap()
    };
    for k in 0..points.len() - 1 {
        let (from, to) = (&points[k], &points[farthest(k)]);
        let t0 = Instant::now();
        let plain = full.route(&[from.0.clone(), to.0.clone()]);
        t_plain += t0.elapsed().as_secs_f64();
        if let Ok(r) = &plain {
            let uses = r.legs[0]
                .segments
                .iter()
                .any(|s| MOTORWAY.contains(&full.edge(s.edge).road_class));
            used_motorway += usize::from(uses);
        }
        let t1 = Instant::now();
        let avoiding = full.route_excluding(&[from.0.clone(), to.0.clone()], &[Exclude::Motorway]);
        t_excluding += t1.elapsed().as_secs_f64();
        let reference = without.route_with_restrictions(&[from.1.clone(), to.1.clone()]);
        match (&avoiding, &reference) {
            (Ok(a), Ok(r)) => {
                for s in &a.legs[0].segments {
                    assert!(!MOTORWAY.contains(&full.edge(s.edge).road_class));
                }
                // The same roads: the same distance. Durations may differ by turn costs at
                // junctions where a motorway link joins (a junction on the full graph, a plain
                // bend on the graph without motorways), a fraction of a second per junction.
                assert!(
                    (a.distance_m - r.distance_m).abs() < 1.0,
                    "excluding {} m, without motorways {} m",
                    a.distance_m,
                    r.distance_m
                );
                assert!(
                    (a.duration_s - r.duration_s).abs() <= 0.005 * r.duration_s,
                    "excluding {} s, without motorways {} s",
                    a.duration_s,
                    r.duration_s
                );
                max_diff_s = max_diff_s.max((a.duration_s - r.duration_s).abs());
                compared += 1;
            }
            (Err(_), Err(_)) => {}
            (a, r) => panic!("excluding {a:?} vs without motorways {r:?}"),
        }
    }
    assert!(compared >= 15, "{compared} routes compared");
    eprintln!("{compared} routes compared, largest duration difference {max_diff_s:.3} s");
    assert!(
        used_motorway >= 3,
        "only {used_motorway} fastest routes use a motorway: the exclusion would not be tested"
    );
    eprintln!(
        "{} routes: {:.2} ms each without exclude (CH), {:.2} ms with exclude=motorway (Dijkstra)",
        points.len() - 1,
        1e3 * t_plain / (points.len() - 1) as f64,
        1e3 * t_excluding / (points.len() - 1) as f64
    );

    // The matrix: every cell as the Dijkstra matrix on the graph without motorways.
    let (a, r): (Vec<Waypoint>, Vec<Waypoint>) = points.iter().take(20).cloned().unzip();
    let t2 = Instant::now();
    let m = full.matrix_excluding(&a, &a, &[Exclude::Motorway]).unwrap();
    let t_matrix = t2.elapsed().as_secs_f64();
    let reference = without.matrix(&r, &r).unwrap();
    for (x, y) in m.distances_m.iter().zip(&reference.distances_m) {
        assert!(x == y || (x - y).abs() < 1.0, "{x} m vs {y} m");
    }
    for (x, y) in m.durations_s.iter().zip(&reference.durations_s) {
        assert!(x == y || (x - y).abs() <= 0.005 * y, "{x} s vs {y} s");
    }
    let t3 = Instant::now();
    let _ = full.matrix(&a, &a).unwrap();
    eprintln!(
        "20x20 matrix: {:.1} ms without exclude (CH), {:.1} ms with exclude=motorway",
        1e3 * t3.elapsed().as_secs_f64(),
        1e3 * t_matrix
    );
}
