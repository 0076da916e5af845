//! Uses kerb the way a downstream crate does: only `kerb::` paths, no workspace crate named
//! directly. If something a user needs stops being reachable through the facade, or its
//! shape changes, this file stops compiling.

use std::sync::Arc;

use kerb::plan::{check, solve, Facility, Job, Problem, SolveOptions, StepKind, Vehicle};
use kerb::{
    Approach, Error, Graph, Matrix, Point, Profile, RoadClass, Route, Side, Snap, SnapOptions,
    Waypoint,
};

use kerb_testdata::{helsinki_graph, helsinki_pbf, temp_dir};

fn truck_graph() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

fn assert_send_sync<T: Send + Sync>() {}
fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn shared_types_are_thread_safe_and_errors_are_std_errors() {
    assert_send_sync::<Graph>();
    assert_send_sync::<Arc<Graph>>();
    assert_send_sync::<Profile>();
    assert_send_sync::<Route>();
    assert_send_sync::<Matrix>();
    assert_send_sync::<kerb::plan::Problem>();
    assert_send_sync::<kerb::plan::Solution>();
    assert_error::<kerb::Error>();
    assert_error::<kerb::plan::Error>();
    assert_error::<kerb::collect::Error>();
}

const A: (f64, f64) = (24.9384, 60.1699);
const B: (f64, f64) = (24.9500, 60.1750);

fn waypoint(g: &Graph, (lon, lat): (f64, f64)) -> Waypoint {
    Waypoint::new(
        g.snap(Point::new(lon, lat), &SnapOptions::default())
            .unwrap(),
    )
}

#[test]
fn snap_route_and_matrix_agree() {
    let g = truck_graph();
    let a = waypoint(g, A);
    let b = waypoint(g, B).with_approach(Approach::Curb);
    let snap: &Snap = &b.snap;
    assert!(snap.distance_m < 100.0);
    assert!(matches!(snap.side, Side::Left | Side::Right | Side::On));
    let road = g.edge(snap.edge);
    assert!(road.distance_m > 0.0);
    assert!(RoadClass::ALL.contains(&road.road_class));

    let route = g.route(&[a.clone(), b.clone()]).unwrap();
    assert!(route.distance_m > 500.0, "{}", route.distance_m);
    assert_eq!(route.legs.len(), 1);
    let leg_sum: f64 = route.legs[0].segments.iter().map(|s| s.distance_m).sum();
    assert!((leg_sum - route.distance_m).abs() < 1e-6 * route.distance_m.max(1.0));
    assert!(!route.polyline(5).is_empty());

    let m = g.matrix(&[a.clone(), b.clone()], &[a, b]).unwrap();
    assert_eq!((m.num_sources, m.num_destinations), (2, 2));
    assert!((m.duration_s(0, 1) - route.duration_s).abs() < 1e-6);
    // Matrix distances are summed in whole centimetres per edge.
    assert!(
        (m.distance_m(0, 1) - route.distance_m).abs() < 0.5,
        "{} vs {}",
        m.distance_m(0, 1),
        route.distance_m
    );
    assert_eq!(m.duration_s(1, 1), 0.0);

    let near = g.nearest(Point::new(A.0, A.1), 3).unwrap();
    assert_eq!(near.len(), 3);
    assert!(near.windows(2).all(|w| w[0].distance_m <= w[1].distance_m));
}

#[test]
fn bad_input_is_a_typed_error() {
    let g = truck_graph();
    match g.snap(Point::new(200.0, 95.0), &SnapOptions::default()) {
        Err(Error::InvalidCoordinate { lon, lat }) => assert_eq!((lon, lat), (200.0, 95.0)),
        other => panic!("expected InvalidCoordinate, got {other:?}"),
    }
    // Far from Helsinki: no road within the radius.
    let far = g.snap(Point::new(0.0, 0.0), &SnapOptions::default());
    assert!(matches!(far, Err(Error::NoSegment { .. })), "{far:?}");
    assert!(matches!(
        Graph::open("/nonexistent/graph.kerb"),
        Err(Error::Io(_))
    ));
    assert!(matches!(
        Profile::by_name("boat"),
        Err(Error::UnknownProfile(_))
    ));
}

#[test]
fn graph_file_round_trips_through_the_facade() {
    let g = truck_graph();
    let dir = temp_dir("public-api");
    let path = dir.join("helsinki-truck.kerb");
    g.save(&path).unwrap();
    let h = Graph::open(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        (h.num_nodes(), h.num_edges()),
        (g.num_nodes(), g.num_edges())
    );
    assert_eq!(h.profile(), g.profile());
    let r1 = g.route(&[waypoint(g, A), waypoint(g, B)]).unwrap();
    let r2 = h.route(&[waypoint(&h, A), waypoint(&h, B)]).unwrap();
    assert_eq!(r1.duration_s, r2.duration_s);
}

#[test]
fn one_graph_serves_many_threads() {
    let g = Arc::new(Graph::from_pbf(helsinki_pbf(), &Profile::car()).unwrap());
    let targets = [(24.9500, 60.1750), (24.9420, 60.1660), (24.9480, 60.1720)];
    let single: Vec<f64> = targets
        .iter()
        .map(|&t| {
            g.route(&[waypoint(&g, A), waypoint(&g, t)])
                .unwrap()
                .duration_s
        })
        .collect();
    let threaded: Vec<f64> = std::thread::scope(|s| {
        let hs: Vec<_> = targets
            .iter()
            .map(|&t| {
                let g = Arc::clone(&g);
                s.spawn(move || {
                    g.route(&[waypoint(&g, A), waypoint(&g, t)])
                        .unwrap()
                        .duration_s
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(single, threaded);
}

#[test]
fn plan_on_road_matrix() {
    let g = truck_graph();
    let places = [
        A,
        B,
        (24.9420, 60.1660),
        (24.9470, 60.1720),
        (24.9510, 60.1680),
    ];
    let wps: Vec<Waypoint> = places.iter().map(|&p| waypoint(g, p)).collect();
    let road = g.matrix(&wps, &wps).unwrap();
    let m = kerb::plan::Matrix::new(places.len(), road.durations_s, road.distances_m).unwrap();
    // Depot 0, bins 1..=3, disposal at 4; 3 x 300 kg on a 500 kg truck.
    let mut p = Problem::new(vec![m])
        .vehicle(
            Vehicle::new(1, Some(0))
                .capacity(vec![500])
                .disposal_required_at_end(true),
        )
        .facility(Facility {
            id: 9,
            location: 4,
            time_windows: vec![],
            unload: 300.0,
        });
    for k in 1..=3u64 {
        p = p.job(Job::new(k, k as usize).demand(vec![300]).service(30.0));
    }
    let s = solve(&p, &SolveOptions::iterations(100)).unwrap();
    assert!(check(&p, &s).is_empty());
    assert!(s.unassigned.is_empty());
    let dumps = s.routes[0]
        .steps
        .iter()
        .filter(|st| matches!(st.kind, StepKind::Disposal { .. }))
        .count();
    assert!(dumps >= 3, "three full loads need three dumps, got {dumps}");
}

#[test]
fn collection_day_through_the_facade() {
    let g = truck_graph();
    let mut day = kerb::collect::sample_day(g, 30, 2, 5);
    day.options.iterations = Some(50);
    let plan = kerb::collect::plan_collection(g, &day).unwrap();
    assert_eq!(plan.totals.bins_served + plan.totals.bins_unassigned, 30);
    assert!(plan.totals.bins_served > 0);
    assert!(plan.routes.iter().all(|r| r.distance_m > 0.0));
    let json = serde_json::to_string(&plan).unwrap();
    assert!(json.contains("\"routes\""));
}
