//! Profiles as data: the preset files in `profiles/` equal the built-in presets, bad files are
//! typed errors, `*:conditional` tags on the shared Heidelberg extract follow `access_at`, and kerbside stops follow `driving_side` in left-hand Leeds.

use std::path::PathBuf;

use kerb_core::{
    AccessTime, Approach, DrivingSideRule, EdgeId, Error, Graph, Point, Profile, RoadClass, Side,
    SnapOptions, Waypoint,
};
use kerb_testdata::shared_osm;

fn profile_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../profiles")
        .join(name)
}

fn load(name: &str) -> Profile {
    let text = std::fs::read_to_string(profile_file(name)).unwrap();
    Profile::from_json(&text).unwrap()
}

#[test]
fn preset_files_equal_presets() {
    assert_eq!(load("car.json"), Profile::car());
    assert_eq!(load("truck.json"), Profile::truck());
}

#[test]
fn old_town_truck_file_loads() {
    let p = load("truck-7.5t.json");
    assert_eq!(p.vehicle.weight_kg, 7500.0);
    assert_eq!(p.access_at, Some("Mo 06:00".parse().unwrap()));
    assert!(p.speeds_kmh.contains_key(&RoadClass::Pedestrian));
}

#[test]
fn invalid_files_are_typed_errors() {
    let mut json = serde_json::to_value(Profile::truck()).unwrap();
    json["name"] = "x".into();
    json["vehicle"]["weight_kg"] = (-1.0).into();
    assert!(matches!(
        Profile::from_json(&json.to_string()),
        Err(Error::InvalidProfile(_))
    ));
    json["vehicle"]["weight_kg"] = 7500.0.into();
    json["access_at"] = "Monday morning".into();
    assert!(matches!(
        Profile::from_json(&json.to_string()),
        Err(Error::InvalidProfile(_))
    ));
    json["access_at"] = "Mo 06:00".into();
    json["turn_costs"]["driving_side"] = "middle".into();
    assert!(matches!(
        Profile::from_json(&json.to_string()),
        Err(Error::InvalidProfile(_))
    ));
    json["turn_costs"]["driving_side"] = "left".into();
    assert!(Profile::from_json(&json.to_string()).is_ok());
    // Graph files written before profiles became data spell the side with a capital.
    json["turn_costs"]["driving_side"] = "Left".into();
    assert!(Profile::from_json(&json.to_string()).is_ok());
    assert!(matches!(
        Profile::from_json("[1, 2"),
        Err(Error::InvalidProfile(_))
    ));
}

fn at(profile: &Profile, when: &str) -> Profile {
    let mut p = profile.clone();
    p.name = format!("{}-at", p.name);
    p.access_at = Some(when.parse::<AccessTime>().unwrap());
    p
}

fn count(g: &Graph, pred: impl Fn(&kerb_core::EdgeRef) -> bool) -> usize {
    g.edges().filter(|e| pred(e)).count()
}

/// The Plöck (way 42440422, `access:conditional=no @ (7:30-19:00 AND weight>7.5)`) is closed to
/// the 26 t truck at noon and open at 06:00; the 7.5 t truck may use it at noon.
#[test]
fn heidelberg_ploeck_weight_and_time() {
    let Some(pbf) = shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let ploeck = |p: &Profile| {
        let g = Graph::builder(p)
            .contract(false)
            .build_from_pbf(&pbf)
            .unwrap();
        count(&g, |e| e.name == "Plöck")
    };
    let truck = Profile::truck();
    let (noon, early) = (
        ploeck(&at(&truck, "Mo 12:00")),
        ploeck(&at(&truck, "Mo 06:00")),
    );
    let plain = ploeck(&truck);
    assert!(
        noon < early,
        "Plöck edges: {noon} at noon, {early} at 06:00"
    );
    // Without access_at the conditional closure is ignored (other conditional tags that open
    // ways at 06:00 can change which Plöck edges are in the main component, so not `==`).
    assert!(plain > noon, "Plöck edges: {plain} without access_at");
    let light = load("truck-7.5t.json");
    assert!(ploeck(&at(&light, "Mo 12:00")) > noon);
}

/// Pedestrian streets of the old town (`maxweight=7.5`,
/// `motor_vehicle:conditional=destination @ (Mo-Sa 06:00-11:00)`) are open to the 7.5 t truck
/// at Mo 06:00 and closed at Mo 12:00 and on Sunday; never open to the 26 t truck.
#[test]
fn heidelberg_pedestrian_zone_delivery_hours() {
    let Some(pbf) = shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let pedestrian = |p: &Profile| {
        let g = Graph::builder(p)
            .contract(false)
            .build_from_pbf(&pbf)
            .unwrap();
        count(&g, |e| {
            e.road_class == RoadClass::Pedestrian && e.name == "Hauptstraße"
        })
    };
    let light = load("truck-7.5t.json");
    assert!(pedestrian(&light) > 0, "Hauptstraße open at Mo 06:00");
    assert_eq!(pedestrian(&at(&light, "Mo 12:00")), 0);
    assert_eq!(pedestrian(&at(&light, "Su 06:00")), 0);
    let mut heavy = at(&Profile::truck(), "Mo 06:00");
    heavy.speeds_kmh.insert(RoadClass::Pedestrian, 6.0);
    assert_eq!(
        pedestrian(&heavy),
        0,
        "maxweight=7.5 keeps the 26 t truck out"
    );
}

/// A car for left-hand traffic, made from the preset's file by setting `"driving_side": "left"`.
fn left_hand_car() -> Profile {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(profile_file("car.json")).unwrap()).unwrap();
    json["name"] = "car-gb".into();
    json["turn_costs"]["driving_side"] = "left".into();
    Profile::from_json(&json.to_string()).unwrap()
}

/// A point about 2 m left of the middle of edge `e`'s first segment, or `None` if that segment
/// is too short to aim at.
fn left_of(g: &Graph, e: EdgeId) -> Option<Point> {
    let pts = g.edge_points(e);
    let (a, b) = (pts[0], pts[1]);
    if kerb_core::haversine_m(a, b) < 20.0 {
        return None;
    }
    let mid = Point::new((a.x() + b.x()) / 2.0, (a.y() + b.y()) / 2.0);
    let k = mid.y().to_radians().cos();
    let (dx, dy) = ((b.x() - a.x()) * k, b.y() - a.y());
    let norm = (dx * dx + dy * dy).sqrt();
    let off = 0.00002;
    Some(Point::new(
        mid.x() - dy / norm * off / k,
        mid.y() + dx / norm * off,
    ))
}

/// In left-hand Leeds a kerbside (`Approach::Curb`) stop is reached driving with the point on
/// the vehicle's left; the same stop with right-hand rules is reached from the other direction.
#[test]
fn leeds_curb_approach_keeps_the_point_on_the_left() {
    let Some(pbf) = shared_osm("osmextract_its-example_leeds.osm.pbf") else {
        return;
    };
    let left = left_hand_car();
    assert_eq!(left.turn_costs.driving_side, DrivingSideRule::Left);
    let g = Graph::builder(&left)
        .contract(false)
        .build_from_pbf(&pbf)
        .unwrap();
    let mut right_profile = left.clone();
    right_profile.name = "car-right".into();
    right_profile.turn_costs.driving_side = DrivingSideRule::Right;
    let g_right = Graph::builder(&right_profile)
        .contract(false)
        .build_from_pbf(&pbf)
        .unwrap();
    assert_eq!(g.num_edges(), g_right.num_edges());
    // The stock car (`driving_side: auto`) finds Leeds left-hand by itself.
    let g_auto = Graph::builder(&Profile::car())
        .contract(false)
        .build_from_pbf(&pbf)
        .unwrap();
    // The right-hand file routed for the stock car: the routed profile's rule decides.
    let g_right_routed_auto = g_right.with_profile(&Profile::car()).unwrap();
    let opts = SnapOptions::default();
    let mut checked = 0;
    for e in g
        .edges()
        .filter(|e| e.reverse().is_some() && e.distance_m > 50.0)
    {
        let Some(stop) = left_of(&g, e.id) else {
            continue;
        };
        let snap = g.snap(stop, &opts).unwrap();
        // The point must be seen on the left of `e` (or the right of its reverse).
        let on_e = snap.edge == e.id && snap.side == Side::Left;
        let on_reverse = Some(snap.edge) == e.reverse() && snap.side == Side::Right;
        if !(on_e || on_reverse) {
            continue; // another road is closer
        }
        let from_edge = EdgeId((e.id.0 + 211) % g.num_edges() as u32);
        let from = Waypoint::new(g.snap(g.edge_points(from_edge)[0], &opts).unwrap());
        let arrive = |g: &Graph, snap| {
            let stop = Waypoint::new(snap).with_approach(Approach::Curb);
            g.route(&[from.clone(), stop])
                .ok()
                .and_then(|r| r.legs[0].segments.last().map(|s| s.edge))
        };
        let (Some(last_left), Some(last_right), Some(last_auto)) = (
            arrive(&g, snap.clone()),
            arrive(&g_right, g_right.snap(stop, &opts).unwrap()),
            arrive(&g_auto, g_auto.snap(stop, &opts).unwrap()),
        ) else {
            continue; // unreachable from this origin
        };
        assert_eq!(last_auto, e.id, "auto: Leeds drives on the left");
        let routed = arrive(&g_right_routed_auto, snap.clone());
        assert_eq!(
            routed,
            Some(e.id),
            "with_profile(auto) on the right-hand file"
        );
        assert_eq!(
            last_left, e.id,
            "left-hand: arrive along {:?} with the stop on the left",
            e.id
        );
        assert_eq!(
            Some(last_right),
            e.reverse(),
            "right-hand: arrive on the reverse"
        );
        checked += 1;
        if checked == 40 {
            break;
        }
    }
    assert!(checked >= 10, "{checked} kerbside stops checked");
}

/// Turn penalties follow the looked-up side: on Leeds the stock car (`driving_side: auto`)
/// costs turns exactly as a car fixed to the left does (the cheap turn is the left one), and
/// differently from one fixed to the right.
#[test]
fn leeds_turn_costs_follow_the_looked_up_side() {
    let Some(pbf) = shared_osm("osmextract_its-example_leeds.osm.pbf") else {
        return;
    };
    let build = |p: &Profile| {
        Graph::builder(p)
            .contract(false)
            .build_from_pbf(&pbf)
            .unwrap()
    };
    let mut right = Profile::car();
    right.name = "car-right".into();
    right.turn_costs.driving_side = DrivingSideRule::Right;
    let (auto, left, right) = (
        build(&Profile::car()),
        build(&left_hand_car()),
        build(&right),
    );
    let opts = SnapOptions::default();
    let points: Vec<Waypoint> = (0..auto.num_edges() as u32)
        .step_by(17)
        .map(|e| Waypoint::new(auto.snap(auto.edge_points(EdgeId(e))[0], &opts).unwrap()))
        .collect();
    let m_auto = auto.matrix(&points, &points).unwrap();
    let m_left = left.matrix(&points, &points).unwrap();
    let m_right = right.matrix(&points, &points).unwrap();
    assert_eq!(m_auto.durations_s, m_left.durations_s);
    let differ = m_auto
        .durations_s
        .iter()
        .zip(&m_right.durations_s)
        .filter(|(a, b)| (*a - *b).abs() > 0.5)
        .count();
    assert!(differ > 0, "no trip costs differently driven on the right");
}
