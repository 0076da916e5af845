//! One map, several profiles: a graph file imported (and contracted) once for the car and
//! routed for other profiles through CCH customizations answers routes and matrices like
//! graphs imported separately for those profiles, and a stored customization is loaded
//! again while a stale or damaged one is not trusted.

use kerb_core::{
    Error, Graph, Point, Profile, RoutingEngine, SnapOptions, TurnShape, UTurnPolicy, Waypoint,
};
use kerb_testdata::{cached, random_points, shared_osm, temp_dir};

/// The car with other weights only: U-turns forbidden, turn penalties linear in the angle.
fn cautious_car() -> Profile {
    let mut p = Profile::car();
    p.name = "cautious-car".into();
    p.turn_costs.u_turn = UTurnPolicy::Forbidden;
    p.turn_costs.shape = TurnShape::Linear;
    p.turn_costs.left_s += 6.0;
    p.turn_costs.right_s += 2.0;
    p.turn_costs.straight_s += 1.0;
    p
}

fn andorra() -> Option<std::path::PathBuf> {
    shared_osm("graphhopper_andorra.osm.pbf")
}

/// Built once per test binary: the map imported and contracted for the car.
fn car_map() -> Option<&'static Graph> {
    let pbf = andorra()?;
    Some(cached("andorra car contracted", move || {
        Graph::builder(&Profile::car())
            .contract(true)
            .build_from_pbf(pbf)
            .unwrap()
    }))
}

fn built_for(profile: &Profile) -> Graph {
    Graph::builder(profile)
        .contract(true)
        .build_from_pbf(andorra().unwrap())
        .unwrap()
}

/// Snapped waypoints of random points on `g` (main network).
fn waypoints(g: &Graph, n: usize, seed: u64) -> Vec<Waypoint> {
    let b = g.bbox();
    random_points((b.min().x, b.min().y, b.max().x, b.max().y), n * 3, seed)
        .into_iter()
        .filter_map(|(x, y)| g.snap(Point::new(x, y), &SnapOptions::default()).ok())
        .map(Waypoint::new)
        .take(n)
        .collect()
}

/// Routes between consecutive random waypoints and a matrix: `a` and `b` must agree to the
/// millisecond (both searches work in integer ms on the same turn-aware weights).
fn assert_same_answers(a: &Graph, b: &Graph, seed: u64) -> usize {
    let wa = waypoints(a, 60, seed);
    let wb = waypoints(b, 60, seed);
    assert_eq!(wa.len(), wb.len());
    let mut routed = 0;
    for (pa, pb) in wa.chunks_exact(2).zip(wb.chunks_exact(2)) {
        assert_eq!(pa[0].snap.edge, pb[0].snap.edge, "same roads, same snaps");
        match (a.route(pa), b.route(pb)) {
            (Ok(ra), Ok(rb)) => {
                assert!(
                    (ra.duration_s - rb.duration_s).abs() < 1e-6,
                    "{}: {} s, {}: {} s",
                    a.profile().name,
                    ra.duration_s,
                    b.profile().name,
                    rb.duration_s
                );
                // Equally fast routes may differ in length; they rarely do.
                assert!((ra.distance_m - rb.distance_m).abs() < 0.05 * rb.distance_m + 50.0);
                routed += 1;
            }
            (Err(Error::NoRoute { .. }), Err(Error::NoRoute { .. })) => {}
            (x, y) => panic!(
                "{:?} vs {:?}",
                x.map(|r| r.duration_s),
                y.map(|r| r.duration_s)
            ),
        }
    }
    let ma = a.matrix(&wa[..20], &wa[20..50]).unwrap();
    let mb = b.matrix(&wb[..20], &wb[20..50]).unwrap();
    for (x, y) in ma.durations_s.iter().zip(&mb.durations_s) {
        assert!(x == y || (x - y).abs() < 1e-6, "{x} vs {y}");
    }
    routed
}

#[test]
fn one_map_customized_for_three_profiles_answers_like_three_imports() {
    let Some(car) = car_map() else {
        return;
    };
    assert_eq!(car.engine(), RoutingEngine::Ch);
    // The imported profile keeps its hierarchy; forcing a customization gives the same answers.
    assert_eq!(
        car.with_profile(&Profile::car()).unwrap().engine(),
        RoutingEngine::Ch
    );
    let car_cch = car.customized(&Profile::car()).unwrap();
    assert_eq!(car_cch.engine(), RoutingEngine::Cch);
    assert!(assert_same_answers(&car_cch, car, 1) > 15);

    // A custom profile with other weights, against its own import.
    let custom = cautious_car();
    let on_map = car.with_profile(&custom).unwrap();
    assert_eq!(
        (on_map.engine(), on_map.profile()),
        (RoutingEngine::Cch, &custom)
    );
    assert!(assert_same_answers(&on_map, &built_for(&custom), 2) > 15);

    // The built-in truck, weights only: what the car's roads can tell (the truck's own access
    // rules need its own import; see `Graph::with_profile`). Against the truck's turn graph on
    // these roads by Dijkstra, the reference search.
    let truck = car.with_profile(&Profile::truck()).unwrap();
    assert_eq!(truck.engine(), RoutingEngine::Cch);
    let wps = waypoints(&truck, 40, 3);
    let mut routed = 0;
    for pair in wps.chunks_exact(2) {
        match (truck.route(pair), truck.route_with_restrictions(pair)) {
            (Ok(a), Ok(b)) => {
                assert!((a.duration_s - b.duration_s).abs() < 1e-6);
                routed += 1;
            }
            (Err(Error::NoRoute { .. }), Err(Error::NoRoute { .. })) => {}
            (x, y) => panic!(
                "{:?} vs {:?}",
                x.map(|r| r.duration_s),
                y.map(|r| r.duration_s)
            ),
        }
    }
    assert!(routed > 10, "{routed}");
    // Truck weights, not car ones: slower and without U-turns on the road.
    let (a, b) = (&wps[0..2], &waypoints(car, 40, 3)[0..2]);
    if let (Ok(t), Ok(c)) = (truck.route(a), car.route(b)) {
        assert!(
            t.duration_s > c.duration_s,
            "{} vs {}",
            t.duration_s,
            c.duration_s
        );
    }
}

#[test]
fn stored_customizations_are_loaded_and_bad_ones_not_trusted() {
    let Some(car) = car_map() else {
        return;
    };
    let custom = cautious_car();
    let made = car.with_profile(&custom).unwrap();
    let dir = temp_dir("profiles-on-one-map");
    let path = dir.join("andorra.kerb");
    let mut file = Graph::open_for_profile(
        {
            car.save(&path).unwrap();
            &path
        },
        "car",
    )
    .unwrap();
    file.save_profile_customization(&custom.name, &made)
        .unwrap();
    file.save(&path).unwrap();

    let back = Graph::open(&path).unwrap();
    assert_eq!(back.customization_profile(&custom.name).unwrap(), custom);
    let loaded = back.with_profile(&custom).unwrap();
    assert_eq!(loaded.engine(), RoutingEngine::Cch);
    assert_same_answers(&loaded, &made, 4);
    // The stored metric is what a fresh customization computes.
    assert_eq!(
        back.customization(&custom.name).unwrap().metric_bytes(),
        back.customize(&custom).unwrap().metric_bytes()
    );

    // A damaged metric is an error when asked for by name, and never routed on: the profile
    // is customized afresh and answers the same.
    let mut damaged = Graph::open(&path).unwrap();
    let mut bytes = damaged.road().section("cm.cautious-car").unwrap().to_vec();
    let k = bytes.len() - 9;
    bytes[k] ^= 0x10;
    damaged.set_section("cm.cautious-car", bytes).unwrap();
    assert!(matches!(
        damaged.customization(&custom.name),
        Err(Error::Cch(kerb_core::cch::CchError::Corrupt(_)))
    ));
    assert_same_answers(&damaged.with_profile(&custom).unwrap(), &made, 5);

    // A stored customization whose profile weights no longer match (stale fingerprint) is
    // ignored; a damaged profile record is an error by name.
    let mut stale = Graph::open(&path).unwrap();
    let mut record = stale.road().section("cp.cautious-car").unwrap().to_vec();
    record[0] ^= 1;
    stale
        .set_section("cp.cautious-car", record.clone())
        .unwrap();
    assert_same_answers(&stale.with_profile(&custom).unwrap(), &made, 6);
    record.truncate(20);
    stale.set_section("cp.cautious-car", record).unwrap();
    assert!(matches!(
        stale.customization_profile(&custom.name),
        Err(Error::InvalidInput(_))
    ));

    // A customization of another map is refused.
    let other = Graph::from_pbf(kerb_testdata::helsinki_pbf(), &Profile::car()).unwrap();
    let foreign = other.customize(&custom).unwrap();
    assert!(matches!(
        back.with_customization(&custom, foreign),
        Err(Error::Cch(kerb_core::cch::CchError::StaleMetric { .. }))
    ));
    // Contraction is for the imported profile only.
    let mut truck = back.with_profile(&Profile::truck()).unwrap();
    assert!(matches!(truck.contract(), Err(Error::InvalidInput(_))));
}
