//! Profiles as data: the preset files in `profiles/` equal the built-in presets, bad files are
//! typed errors, and `*:conditional` tags on the shared Heidelberg extract follow `access_at`.

use std::path::PathBuf;

use kerb_core::{AccessTime, Error, Graph, Profile, RoadClass};
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
