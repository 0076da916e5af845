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
fn every_profile_file_is_a_preset() {
    let dir = profile_file("");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            let p = Profile::from_file(&path).unwrap();
            assert_eq!(p.name, stem, "{} is named for its profile", path.display());
            assert_eq!(Profile::by_name(&stem).unwrap(), p, "{stem} is a preset");
            names.push(stem);
        }
    }
    names.sort();
    let mut presets = Profile::PRESETS.map(String::from).to_vec();
    presets.sort();
    assert_eq!(
        names, presets,
        "every preset has its file and every file is a preset"
    );
}

#[test]
fn old_town_truck_file_loads() {
    let p = load("refuse-7.5t.json");
    assert_eq!(p.vehicle.weight_kg, 7500.0);
    assert_eq!(p.access_at, Some("Mo 06:00".parse().unwrap()));
    assert!(p.speeds_kmh.contains_key(&RoadClass::Pedestrian));
    // The file's old name stays an alias.
    assert_eq!(Profile::by_name("truck-7.5t").unwrap(), p);
}

/// The message of an `InvalidProfile` error from `json`.
fn invalid(json: &serde_json::Value) -> String {
    match Profile::from_json(&json.to_string()) {
        Err(Error::InvalidProfile(m)) => m,
        other => panic!("expected InvalidProfile for {json}, got {other:?}"),
    }
}

/// Sets the value at a JSON pointer, adding the last key to its object if absent.
fn set(json: &mut serde_json::Value, pointer: &str, value: serde_json::Value) {
    if let Some(slot) = json.pointer_mut(pointer) {
        *slot = value;
    } else {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        json.pointer_mut(parent)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert(key.into(), value);
    }
}

#[test]
fn unknown_keys_are_errors_naming_the_key() {
    let base = serde_json::to_value(Profile::by_name("refuse-32t").unwrap()).unwrap();
    for (pointer, key, expected) in [
        ("", "max_speed", "max_speed"),
        ("/vehicle", "weigth_kg", "vehicle.weigth_kg"),
        ("/turn_costs", "left", "turn_costs.left"),
        (
            "/turn_costs/node_delays",
            "signals_s",
            "turn_costs.node_delays.signals_s",
        ),
        ("/turn_costs/shape", "max_s", "turn_costs.shape"),
        ("/turn_costs/shape", "sharpness", "turn_costs.shape"),
    ] {
        let mut json = base.clone();
        json.pointer_mut(pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert(key.into(), 1.into());
        let m = invalid(&json);
        assert!(m.contains(expected), "{pointer}/{key}: {m}");
        assert!(
            m.contains(key) || m.contains("takes no max_s"),
            "{pointer}/{key}: {m}"
        );
    }
    // A misspelt road class, U-turn policy or side is an unknown variant, named with its key.
    for (pointer, value, expected) in [
        ("/speeds_kmh", "residental", "speeds_kmh"),
        ("/turn_costs/u_turn", "Sometimes", "turn_costs.u_turn"),
        (
            "/turn_costs/driving_side",
            "middle",
            "turn_costs.driving_side",
        ),
        ("/access_at", "Monday morning", "access_at"),
    ] {
        let mut json = base.clone();
        match json.pointer_mut(pointer) {
            Some(serde_json::Value::Object(m)) => {
                m.insert(value.into(), 10.into());
            }
            _ => set(&mut json, pointer, value.into()),
        }
        let m = invalid(&json);
        assert!(m.contains(expected), "{pointer}={value}: {m}");
    }
}

#[test]
fn invalid_values_are_errors_naming_the_key() {
    let base = serde_json::to_value(Profile::by_name("refuse-32t").unwrap()).unwrap();
    for (pointer, value, expected) in [
        (
            "/vehicle/weight_kg",
            serde_json::json!(-1.0),
            "vehicle.weight_kg",
        ),
        (
            "/vehicle/height_m",
            serde_json::json!(0.0),
            "vehicle.height_m",
        ),
        (
            "/vehicle/axle_load_kg",
            serde_json::json!(40_000.0),
            "vehicle.axle_load_kg",
        ),
        (
            "/vehicle/trailer",
            serde_json::json!("yes"),
            "vehicle.trailer",
        ),
        ("/max_speed_kmh", serde_json::json!(0), "max_speed_kmh"),
        (
            "/maxspeed_factor",
            serde_json::json!(3.0),
            "maxspeed_factor",
        ),
        (
            "/speeds_kmh/residential",
            serde_json::json!(-5.0),
            "speeds_kmh.residential",
        ),
        (
            "/surface_speeds_kmh/sett",
            serde_json::json!(-1.0),
            "surface_speeds_kmh.sett",
        ),
        (
            "/turn_costs/left_s",
            serde_json::json!(-2.0),
            "turn_costs.left_s",
        ),
        (
            "/turn_costs/node_delays/stop_s",
            serde_json::json!(-1.0),
            "turn_costs.node_delays.stop_s",
        ),
        ("/name", serde_json::json!(" padded "), "name"),
        ("/access_tags", serde_json::json!([]), "access_tags"),
    ] {
        let mut json = base.clone();
        set(&mut json, pointer, value.clone());
        let m = invalid(&json);
        assert!(m.contains(expected), "{pointer}={value}: {m}");
    }
    // Without the optional keys the file is still valid; without a required one it is not.
    let mut json = base.clone();
    json["vehicle"]
        .as_object_mut()
        .unwrap()
        .remove("axle_load_kg");
    json.as_object_mut().unwrap().remove("surface_speeds_kmh");
    assert!(Profile::from_json(&json.to_string()).is_ok());
    json["vehicle"].as_object_mut().unwrap().remove("height_m");
    let m = invalid(&json);
    assert!(m.contains("vehicle") && m.contains("height_m"), "{m}");
    // Graph files written before profiles became data spell the side with a capital.
    json = base.clone();
    json["turn_costs"]["driving_side"] = "Left".into();
    assert!(Profile::from_json(&json.to_string()).is_ok());
    assert!(matches!(
        Profile::from_json("[1, 2"),
        Err(Error::InvalidProfile(_))
    ));
}

#[test]
fn bad_profile_files_name_the_file_and_the_key() {
    let dir = kerb_testdata::temp_dir("core-profile-files");
    let bad = dir.join("bad-truck.json");
    let mut json = serde_json::to_value(Profile::truck()).unwrap();
    json["name"] = "bad-truck".into();
    json["vehicle"]["heigth_m"] = 3.0.into();
    std::fs::write(&bad, json.to_string()).unwrap();
    for e in [
        Profile::from_file(&bad).unwrap_err(),
        Profile::resolve(bad.to_str().unwrap()).unwrap_err(),
    ] {
        let Error::ProfileFile { path, reason } = &e else {
            panic!("expected ProfileFile, got {e:?}");
        };
        assert_eq!(path, bad.to_str().unwrap());
        assert!(reason.contains("vehicle.heigth_m"), "{reason}");
        let m = e.to_string();
        assert!(
            m.contains("bad-truck.json") && m.contains("heigth_m"),
            "{m}"
        );
    }
    let missing = dir.join("missing.json");
    assert!(matches!(
        Profile::resolve(missing.to_str().unwrap()),
        Err(Error::ProfileFile { .. })
    ));
    // A bare word that is neither a preset nor a file is an unknown profile, listing presets.
    let e = Profile::resolve("rear-loader").unwrap_err();
    assert!(matches!(e, Error::UnknownProfile(_)), "{e:?}");
    assert!(e.to_string().contains("refuse-32t"), "{e}");
}

/// A hand-made map: four parallel residential streets between two north-south main roads,
/// one each with `maxaxleload=8`, `hazmat=no`, `trailer=no` and `surface=sett`.
const LOAD_MAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="49.4000" lon="8.6900"/><node id="2" lat="49.4000" lon="8.7000"/>
  <node id="3" lat="49.4010" lon="8.6900"/><node id="4" lat="49.4010" lon="8.7000"/>
  <node id="5" lat="49.4020" lon="8.6900"/><node id="6" lat="49.4020" lon="8.7000"/>
  <node id="7" lat="49.4030" lon="8.6900"/><node id="8" lat="49.4030" lon="8.7000"/>
  <way id="10"><nd ref="1"/><nd ref="3"/><nd ref="5"/><nd ref="7"/>
    <tag k="highway" v="secondary"/><tag k="name" v="West"/></way>
  <way id="11"><nd ref="2"/><nd ref="4"/><nd ref="6"/><nd ref="8"/>
    <tag k="highway" v="secondary"/><tag k="name" v="East"/></way>
  <way id="20"><nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="residential"/><tag k="name" v="Axle"/><tag k="maxaxleload" v="8"/></way>
  <way id="21"><nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="residential"/><tag k="name" v="Hazmat"/><tag k="hazmat" v="no"/></way>
  <way id="22"><nd ref="5"/><nd ref="6"/>
    <tag k="highway" v="residential"/><tag k="name" v="Trailer"/><tag k="trailer" v="no"/></way>
  <way id="23"><nd ref="7"/><nd ref="8"/>
    <tag k="highway" v="residential"/><tag k="name" v="Sett"/><tag k="surface" v="sett"/>
    <tag k="maxspeed" v="50"/></way>
</osm>
"#;

#[test]
fn hand_made_map_axle_load_hazmat_trailer_and_surface() {
    let file = kerb_testdata::temp_dir("core-profile-map").join("loads.osm");
    std::fs::write(&file, LOAD_MAP).unwrap();
    let streets = |p: &Profile| -> Vec<String> {
        let g = Graph::from_file(&file, p).unwrap();
        let mut names: Vec<String> = g
            .edges()
            .filter(|e| e.road_class == RoadClass::Residential)
            .map(|e| e.name.to_string())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let big = Profile::by_name("refuse-32t").unwrap();
    assert_eq!(streets(&big), ["Hazmat", "Sett", "Trailer"]);
    assert_eq!(
        streets(&Profile::truck()),
        ["Axle", "Hazmat", "Sett", "Trailer"]
    );
    let tanker_with_trailer = Profile::builder("tanker")
        .base(Profile::truck())
        .hazmat(true)
        .trailer(true)
        .build()
        .unwrap();
    assert_eq!(streets(&tanker_with_trailer), ["Axle", "Sett"]);
    // Sett caps the posted 50 (40 km/h after the 0.8 factor) at car.lua's 40; a profile
    // with a lower cap drives slower.
    let sett_s = |p: &Profile| {
        let g = Graph::from_file(&file, p).unwrap();
        let e = g.edges().find(|e| e.name == "Sett").unwrap();
        e.duration_s / e.distance_m
    };
    let slow = Profile::builder("slow-on-sett")
        .surface_speed("sett", 20.0)
        .build()
        .unwrap();
    let ratio = sett_s(&slow) / sett_s(&Profile::car());
    assert!(
        (ratio - 2.0).abs() < 0.05,
        "20 km/h against 40 km/h on sett: {ratio}"
    );
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
    let light = load("refuse-7.5t.json");
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
    let light = load("refuse-7.5t.json");
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

/// The keys an object of the JSON Schema allows.
fn schema_keys(schema: &serde_json::Value) -> Vec<String> {
    assert_eq!(schema["additionalProperties"], false, "{schema}");
    let mut keys: Vec<String> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// The keys of a serialized object.
fn object_keys(v: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn json_schema_allows_exactly_the_keys_of_the_format() {
    let text = std::fs::read_to_string(profile_file("schema/profile.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Every optional key set, so the serialized form holds them all.
    let mut p = Profile::by_name("refuse-32t").unwrap();
    p.vehicle.trailer = true;
    p.vehicle.hazmat = true;
    p.access_at = Some("Mo 06:00".parse().unwrap());
    p.exclude = vec![kerb_core::Exclude::Toll];
    let full = serde_json::to_value(&p).unwrap();
    assert_eq!(schema_keys(&schema), object_keys(&full));
    let props = &schema["properties"];
    assert_eq!(
        schema_keys(&props["vehicle"]),
        object_keys(&full["vehicle"])
    );
    assert_eq!(
        schema_keys(&props["turn_costs"]),
        object_keys(&full["turn_costs"])
    );
    let delays = &props["turn_costs"]["properties"]["node_delays"];
    assert_eq!(
        schema_keys(delays),
        object_keys(&full["turn_costs"]["node_delays"])
    );
    // Required keys: removing one is an error, removing an optional one is not.
    for (object, required, value) in [
        (&schema, &schema["required"], &full),
        (
            &props["vehicle"],
            &props["vehicle"]["required"],
            &full["vehicle"],
        ),
    ] {
        let required: Vec<&str> = required
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        for key in schema_keys(object) {
            let mut json = full.clone();
            let target = if std::ptr::eq(value, &full) {
                &mut json
            } else {
                &mut json["vehicle"]
            };
            target.as_object_mut().unwrap().remove(&key);
            assert_eq!(
                Profile::from_json(&json.to_string()).is_err(),
                required.contains(&key.as_str()),
                "{key}: required in the schema iff the loader needs it"
            );
        }
    }
    let classes: Vec<&str> = props["speeds_kmh"]["propertyNames"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let all: Vec<&str> = RoadClass::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(classes, all);
}
