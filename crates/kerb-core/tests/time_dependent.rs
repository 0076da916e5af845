//! Time-conditional access on the shared Heidelberg extract: the graph keeps the
//! `*:conditional` rules and a search with a departure time applies them as the truck reaches
//! each road. The Plöck (way 83188867, `access:conditional=no @ (7:30-19:00 AND weight>7.5)`)
//! is closed to the 26 t truck at 09:00 only and never to the 7.5 t one; the old town's
//! pedestrian streets (`motor_vehicle:conditional=destination @ (Mo-Sa 06:00-11:00)`) can be
//! reached by the 7.5 t truck on Monday at 06:30 and 09:00, not at 20:00, and never by the 26 t
//! truck (no pedestrian class in its profile). Without a departure time nothing changes.

use std::path::PathBuf;

use kerb_core::{
    DepartureTime, Error, Graph, Point, Profile, RoadClass, Route, SearchFilter, SnapComponents,
    SnapOptions, ViaRule, Waypoint,
};
use kerb_testdata::{cached, shared_osm, temp_dir};

/// The Plöck way of the issue.
const PLOECK: u64 = 83_188_867;
const TIMES: [&str; 3] = ["2026-12-07T06:30", "2026-12-07T09:00", "2026-12-07T20:00"];

/// The 7.5 t truck of `profiles/refuse-7.5t.json`, its fixed `access_at` removed so that the
/// graph keeps the rules instead of evaluating them once at Monday 06:00.
fn light_truck() -> Profile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../profiles/refuse-7.5t.json");
    let mut p = Profile::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    p.access_at = None;
    p
}

/// The contracted Heidelberg graph of `p`, imported once per test process.
fn heidelberg(p: &Profile) -> Option<&'static Graph> {
    let pbf = shared_osm("ors_heidelberg.osm.pbf")?;
    let key = format!("heidelberg-{}-{:?}", p.name, p.access_at);
    Some(cached(&key, || {
        Graph::builder(p)
            .contract(true)
            .build_from_pbf(&pbf)
            .unwrap()
    }))
}

fn at(s: &str) -> SearchFilter {
    SearchFilter::default().departing_at(s.parse::<DepartureTime>().unwrap())
}

fn waypoint(g: &Graph, lon: f64, lat: f64, opts: &SnapOptions) -> Waypoint {
    Waypoint::new(g.snap(Point::new(lon, lat), opts).unwrap())
}

fn uses_way(g: &Graph, r: &Route, way: u64) -> bool {
    r.legs
        .iter()
        .flat_map(|l| &l.segments)
        .any(|s| g.osm_way_id(s.edge) == Some(way))
}

/// On the Plöck, west of way 83188867, to Friedrich-Ebert-Platz east of it: the one-way
/// Plöck is the short way (about 2 minutes), the detour round the old town about 3.5.
fn ploeck_trip(g: &Graph) -> [Waypoint; 2] {
    let o = SnapOptions::default();
    [
        waypoint(g, 8.69540, 49.40886, &o),
        waypoint(g, 8.69812, 49.40907, &o),
    ]
}

#[test]
fn ploeck_closes_to_the_heavy_truck_by_day_only() {
    let (Some(heavy), Some(light)) = (heidelberg(&Profile::truck()), heidelberg(&light_truck()))
    else {
        return;
    };
    assert!(heavy.num_conditional_edges() > 0);
    for g in [heavy, light] {
        let trip = ploeck_trip(g);
        let plain = g.route(&trip).unwrap();
        assert!(uses_way(g, &plain, PLOECK), "{}", g.profile().name);
        for t in TIMES {
            let r = g.route_filtered(&trip, ViaRule::Profile, &at(t)).unwrap();
            let heavy_by_day = g.profile().name == "truck" && t.ends_with("09:00");
            assert_eq!(
                uses_way(g, &r, PLOECK),
                !heavy_by_day,
                "{} at {t}: {:.0} s",
                g.profile().name,
                r.duration_s
            );
            if heavy_by_day {
                assert!(r.duration_s > plain.duration_s + 60.0, "{}", r.duration_s);
            } else {
                assert!((r.duration_s - plain.duration_s).abs() < 0.01);
            }
        }
    }
}

#[test]
fn pedestrian_old_town_opens_for_morning_deliveries() {
    let (Some(heavy), Some(light)) = (heidelberg(&Profile::truck()), heidelberg(&light_truck()))
    else {
        return;
    };
    // Snapped onto the pedestrian Hauptstraße itself (any component: without a departure
    // time it is closed, so it is no part of the main network).
    let any = SnapOptions::default().with_components(SnapComponents::Any);
    let from = waypoint(light, 8.6930, 49.4096, &SnapOptions::default());
    let to = waypoint(light, 8.7000, 49.4110, &any);
    let street = light.edge(to.snap.edge);
    assert_eq!(
        (street.name, street.road_class),
        ("Hauptstraße", RoadClass::Pedestrian)
    );
    assert!(!light.open_without_time(to.snap.edge));
    let trip = [from, to];
    assert!(matches!(light.route(&trip), Err(Error::NoRoute { .. })));
    for t in TIMES {
        let r = light.route_filtered(&trip, ViaRule::Profile, &at(t));
        if t.ends_with("20:00") {
            assert!(matches!(r, Err(Error::NoRoute { .. })), "{t}: {r:?}");
        } else {
            assert!(r.unwrap().duration_s > 0.0, "{t}");
        }
    }
    // Sunday morning is outside Mo-Sa.
    let sunday = light.route_filtered(&trip, ViaRule::Profile, &at("2026-12-06T09:00"));
    assert!(matches!(sunday, Err(Error::NoRoute { .. })));
    // The 26 t truck has no pedestrian streets at all: the same point snaps to another road.
    let heavy_to = waypoint(heavy, 8.7000, 49.4110, &any);
    assert_ne!(
        heavy.edge(heavy_to.snap.edge).road_class,
        RoadClass::Pedestrian
    );
    assert!(!heavy
        .edges()
        .any(|e| e.road_class == RoadClass::Pedestrian && e.name == "Hauptstraße"));
}

#[test]
fn matrix_at_a_departure_time_matches_its_routes() {
    let Some(g) = heidelberg(&Profile::truck()) else {
        return;
    };
    let o = SnapOptions::default();
    let mut pts = ploeck_trip(g).to_vec();
    pts.push(waypoint(g, 8.6930, 49.4096, &o));
    pts.push(waypoint(g, 8.7010, 49.4115, &o));
    let plain = g.matrix(&pts, &pts).unwrap();
    let unfiltered = g
        .matrix_filtered(&pts, &pts, &SearchFilter::default())
        .unwrap();
    assert_eq!(plain, unfiltered, "no filter: the hierarchy's matrix");
    for t in TIMES {
        let m = g.matrix_filtered(&pts, &pts, &at(t)).unwrap();
        for i in 0..pts.len() {
            for j in 0..pts.len() {
                if i == j {
                    continue;
                }
                let r =
                    g.route_filtered(&[pts[i].clone(), pts[j].clone()], ViaRule::Profile, &at(t));
                let r = match r {
                    Err(Error::NoRoute { .. }) => {
                        assert!(m.duration_s(i, j).is_infinite(), "{t} {i}->{j}");
                        continue;
                    }
                    r => r.unwrap(),
                };
                assert!(
                    (m.duration_s(i, j) - r.duration_s).abs() < 0.01,
                    "{t} {i}->{j}: matrix {} route {}",
                    m.duration_s(i, j),
                    r.duration_s
                );
            }
        }
        let slower = m.duration_s(0, 1) > plain.duration_s(0, 1) + 60.0;
        assert_eq!(slower, t.ends_with("09:00"), "{t}");
    }
}

#[test]
fn rules_survive_the_graph_file_and_other_profiles_refuse_them() {
    let Some(g) = heidelberg(&Profile::truck()) else {
        return;
    };
    let path = temp_dir("time_dependent").join("heidelberg-truck.kerb");
    g.save(&path).unwrap();
    let reopened = Graph::open(&path).unwrap();
    assert_eq!(reopened.num_conditional_edges(), g.num_conditional_edges());
    let trip = ploeck_trip(&reopened);
    let nine = reopened
        .route_filtered(&trip, ViaRule::Profile, &at(TIMES[1]))
        .unwrap();
    assert!(!uses_way(&reopened, &nine, PLOECK));
    // A customization for another vehicle cannot use the rules evaluated for this one.
    let other = reopened.with_profile(&light_truck()).unwrap();
    let trip = ploeck_trip(&other);
    assert!(matches!(
        other.route_filtered(&trip, ViaRule::Profile, &at(TIMES[1])),
        Err(Error::InvalidInput(_))
    ));
    assert!(other.route(&trip).is_ok());
}

/// A profile with a fixed `access_at` evaluates the rules once at import and keeps none.
#[test]
fn a_fixed_access_time_keeps_no_rules() {
    let mut p = Profile::truck();
    p.access_at = Some("Mo 12:00".parse().unwrap());
    let Some(g) = heidelberg(&p) else {
        return;
    };
    assert_eq!(g.num_conditional_edges(), 0);
    assert!(g.edges().all(|e| g.open_without_time(e.id)));
}

/// A graph without kept rules (as every file written before them) opens, and a departure
/// time then changes nothing: the same route as without one.
#[test]
fn graphs_without_rules_ignore_departure_times() {
    let Some(pbf) = shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let g = Graph::builder(&Profile::truck())
        .keep_conditional(false)
        .build_from_pbf(&pbf)
        .unwrap();
    let path = temp_dir("time_dependent").join("heidelberg-no-rules.kerb");
    g.save(&path).unwrap();
    let g = Graph::open(&path).unwrap();
    assert_eq!(g.num_conditional_edges(), 0);
    let trip = ploeck_trip(&g);
    let plain = g.route(&trip).unwrap();
    let nine = g
        .route_filtered(&trip, ViaRule::Profile, &at(TIMES[1]))
        .unwrap();
    assert_eq!(plain, nine);
    assert!(uses_way(&g, &nine, PLOECK));
}
