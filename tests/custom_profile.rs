//! Custom vehicles from Rust, on the bundled Helsinki extract: a taller truck loses the roads
//! under height limits, a lower top speed, slower yards and dearer turns make the same trips
//! take longer, and a custom profile survives the graph file.

use kerb::{Error, Graph, Point, Profile, RoadClass, SnapOptions, TurnCosts, Waypoint};

use kerb_testdata::{helsinki_graph, helsinki_pbf, temp_dir};

fn truck() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

const PLACES: [(f64, f64); 6] = [
    (24.9413, 60.1713),
    (24.9520, 60.1694),
    (24.9384, 60.1660),
    (24.9480, 60.1675),
    (24.9460, 60.1745),
    (24.9500, 60.1750),
];

fn durations(g: &Graph) -> Vec<f64> {
    let opts = SnapOptions::default();
    let wps: Vec<Waypoint> = PLACES
        .iter()
        .map(|&(lon, lat)| Waypoint::new(g.snap(Point::new(lon, lat), &opts).unwrap()))
        .collect();
    g.matrix(&wps, &wps).unwrap().durations_s
}

#[test]
fn taller_truck_loses_roads_under_height_limits() {
    let tall = Profile::builder("tall-truck")
        .base(Profile::truck())
        .height_m(4.6)
        .build()
        .unwrap();
    let under_bridge = [("highway", "residential"), ("maxheight", "4.2")];
    assert!(Profile::truck().way_directions(&under_bridge).is_some());
    assert!(tall.way_directions(&under_bridge).is_none());

    let truck = truck();
    let tall_g = Graph::from_pbf(helsinki_pbf(), &tall).unwrap();
    assert!(
        tall_g.num_edges() < truck.num_edges(),
        "tall {} vs truck {} edges",
        tall_g.num_edges(),
        truck.num_edges()
    );
    // Some road the standard truck drives has no counterpart in the tall truck's graph.
    let exact = SnapOptions::default().with_radius_m(0.5);
    let missing = truck
        .edges()
        .filter(|e| {
            let pts = e.geometry();
            let mid = pts.0[pts.0.len() / 2];
            tall_g.snap(Point::from(mid), &exact).is_err()
        })
        .count();
    assert!(missing > 0);
}

#[test]
fn slower_streets_and_dearer_turns_take_longer() {
    let truck = truck();
    let base = durations(truck);

    // A slow vehicle: top speed 25 km/h, walking pace in yards (`highway=service`). In
    // central Helsinki every other road class carries a `maxspeed` tag, which overrides the
    // class default, so the class speed shows on service roads.
    let slow_p = Profile::builder("slow-vehicle")
        .base(Profile::truck())
        .max_speed_kmh(25.0)
        .speed(RoadClass::Service, 4.0)
        .build()
        .unwrap();
    let slow_g = Graph::from_pbf(helsinki_pbf(), &slow_p).unwrap();
    assert_eq!(slow_g.num_edges(), truck.num_edges());
    let mut yards = 0;
    for (a, b) in truck.edges().zip(slow_g.edges()) {
        assert_eq!((a.from, a.to), (b.from, b.to));
        if a.road_class == RoadClass::Service {
            yards += 1;
            let kmh = b.distance_m / b.duration_s * 3.6;
            assert!(kmh < 4.5, "service road at {kmh} km/h");
        }
        // At most the top speed, up to OSRM's rounding of each OSM segment's time to whole
        // deciseconds (a 6.5 m piece at 25 km/h takes 0.9 s).
        let segments = b.geometry().0.len() - 1;
        assert!(
            b.duration_s >= b.distance_m / (25.5 / 3.6) - 0.05 * segments as f64,
            "{:?}: {} m in {} s",
            b.road_class,
            b.distance_m,
            b.duration_s
        );
    }
    assert!(yards > 100);
    let slow = durations(&slow_g);

    let careful = Profile::builder("careful-truck")
        .base(Profile::truck())
        .turn_costs(TurnCosts {
            left_s: 90.0,
            right_s: 30.0,
            ..Profile::truck().turn_costs
        })
        .build()
        .unwrap();
    let careful = durations(&Graph::from_pbf(helsinki_pbf(), &careful).unwrap());

    for other in [&slow, &careful] {
        for (a, b) in base.iter().zip(other.iter()) {
            assert!(
                b + 1e-6 >= *a,
                "a custom profile made a trip faster: {a} -> {b}"
            );
        }
        let (sa, sb): (f64, f64) = (base.iter().sum(), other.iter().sum());
        assert!(sb > sa * 1.05, "total {sa} s -> {sb} s");
    }
}

#[test]
fn custom_profile_is_stored_in_the_graph_file() {
    let p = Profile::builder("small-truck")
        .base(Profile::truck())
        .weight_kg(12_000.0)
        .deny_road(RoadClass::LivingStreet)
        .build()
        .unwrap();
    let g = Graph::from_pbf(helsinki_pbf(), &p).unwrap();
    assert!(g.edges().all(|e| e.road_class != RoadClass::LivingStreet));
    let dir = temp_dir("custom-profile");
    let path = dir.join("small-truck.kerb");
    g.save(&path).unwrap();
    let back = Graph::open_for_profile(&path, "small-truck");
    let wrong = Graph::open_for_profile(&path, "truck");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(back.unwrap().profile(), &p);
    assert!(matches!(wrong, Err(Error::ProfileMismatch { .. })));
}

#[test]
fn invalid_custom_profiles_are_typed_errors() {
    let invalid = |r: kerb::Result<Profile>| matches!(r, Err(Error::InvalidProfile(_)));
    assert!(invalid(Profile::builder("").build()));
    assert!(invalid(Profile::builder("x").weight_kg(-1.0).build()));
    assert!(invalid(Profile::builder("x").height_m(f64::NAN).build()));
    assert!(invalid(
        Profile::builder("x").speed(RoadClass::Primary, 0.0).build()
    ));
    let mut everything_denied = Profile::builder("x");
    for c in RoadClass::ALL {
        everything_denied = everything_denied.deny_road(c);
    }
    assert!(invalid(everything_denied.build()));
    // A custom vehicle may not pass for a built-in one...
    assert!(invalid(
        Profile::builder("truck")
            .base(Profile::truck())
            .height_m(2.0)
            .build()
    ));
    assert!(Profile::builder("truck")
        .base(Profile::truck())
        .build()
        .is_ok());
    // ...and a hand-modified profile is checked at import.
    let mut broken = Profile::truck();
    broken.vehicle.height_m = -2.0;
    assert!(matches!(
        Graph::from_pbf(helsinki_pbf(), &broken),
        Err(Error::InvalidProfile(_))
    ));
    assert!(matches!(
        Profile::from_json("{\"name\": 1}"),
        Err(Error::InvalidProfile(_))
    ));
}
