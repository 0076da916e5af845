//! A collection day with a date on the shared Heidelberg extract: the graph's conditional
//! rules apply at the trucks' shift start. A bin on the Plöck (way 83188867,
//! `access:conditional=no @ (7:30-19:00 AND weight>7.5)`) is served by a 26 t truck whose
//! shift starts at 06:00 and left unassigned for one starting at 09:00 (a bin beyond it on the
//! Plöck too; one on Friedrich-Ebert-Platz is served either way); without a date (or on
//! the 7.5 t truck's graph) the rule does not close it.

use kerb_collect::{plan_collection, CollectionDay, CollectionPlan};
use kerb_core::{Graph, Profile};

const PLOECK: u64 = 83_188_867;

fn heavy() -> Option<&'static Graph> {
    let pbf = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf")?;
    Some(kerb_testdata::cached(
        "heidelberg truck, rules kept",
        || Graph::from_pbf(&pbf, &Profile::truck()).unwrap(),
    ))
}

/// The day: a bin in the middle of the Plöck edge of way 83188867, one on the Plöck west of
/// it (way 42440422: no rule of its own, but the one-way Plöck ways leading to it carry the
/// same rule) and one on Friedrich-Ebert-Platz east of it (open at all hours),
/// the depot at Bismarckplatz; one truck with the given shift; `date` if given.
fn day(g: &Graph, shift: [&str; 2], date: Option<&str>) -> CollectionDay {
    let ploeck = g
        .edges()
        .find(|e| g.osm_way_id(e.id) == Some(PLOECK))
        .expect("the Plöck is on the 26 t graph");
    let pts: Vec<_> = ploeck.geometry().points().collect();
    let (a, b) = (pts[0], pts[pts.len() - 1]);
    let mid = ((a.x() + b.x()) / 2.0, (a.y() + b.y()) / 2.0);
    let bin = |id: &str, (lon, lat): (f64, f64)| {
        serde_json::json!({"id": id, "lon": lon, "lat": lat, "weight_kg": 20, "service_s": 30,
                           "side": "either"})
    };
    let mut options = serde_json::json!({"iterations": 100, "time_limit_s": 30, "threads": 1,
                                          "max_snap_m": 15});
    if let Some(d) = date {
        options["date"] = d.into();
    }
    let day = serde_json::json!({
        "bins": [bin("ploeck", mid), bin("ploeck-west", (8.69480, 49.40883)),
                 bin("friedrich-ebert-platz", (8.69812, 49.40907))],
        "depots": [{"id": "depot", "lon": 8.69210, "lat": 49.40960}],
        "disposal_sites": [],
        "trucks": [{"id": "t", "depot": "depot", "capacity_kg": 8000, "shift": shift}],
        "options": options,
    });
    CollectionDay::from_json(&day.to_string()).unwrap()
}

fn unassigned(plan: &CollectionPlan) -> Vec<&str> {
    plan.unassigned.iter().map(|u| u.id.as_str()).collect()
}

#[test]
fn the_shift_start_decides_the_ploeck_bin() {
    let Some(g) = heavy() else {
        return;
    };
    let early = plan_collection(g, &day(g, ["06:00", "14:00"], Some("2026-12-07"))).unwrap();
    assert!(unassigned(&early).is_empty(), "{:?}", early.unassigned);
    let nine = plan_collection(g, &day(g, ["09:00", "17:00"], Some("2026-12-07"))).unwrap();
    assert_eq!(
        unassigned(&nine),
        ["ploeck", "ploeck-west"],
        "{:?}",
        nine.unassigned
    );
    // A weekday works as a date; Sunday 09:00 is inside the rule's hours too (it has no days).
    let sunday = plan_collection(g, &day(g, ["09:00", "17:00"], Some("Su"))).unwrap();
    assert_eq!(unassigned(&sunday), ["ploeck", "ploeck-west"]);
    // Without a date the rules are ignored, as before.
    let undated = plan_collection(g, &day(g, ["09:00", "17:00"], None)).unwrap();
    assert!(unassigned(&undated).is_empty(), "{:?}", undated.unassigned);
    // An unreadable date is a typed error naming the option.
    let mut bad = day(g, ["06:00", "14:00"], None);
    bad.options.date = Some("next Monday".into());
    let e = plan_collection(g, &bad).unwrap_err().to_string();
    assert!(e.contains("options.date"), "{e}");
}

/// The old town's pedestrian Hauptstraße (`motor_vehicle:conditional=destination @ (Mo-Sa
/// 06:00-11:00)`, `maxweight=7.5`) on the 7.5 t truck's graph with the rules kept: with the
/// day's date its bins snap onto it and a shift starting at 06:00 serves them; one starting at
/// 12:00 cannot, and without a date they snap elsewhere or stay unassigned as before.
#[test]
fn pedestrian_street_bins_for_the_morning_shift() {
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let g = kerb_testdata::cached("heidelberg 7.5 t, rules kept", || {
        let text =
            std::fs::read_to_string(kerb_testdata::repo_root().join("profiles/refuse-7.5t.json"))
                .unwrap();
        let mut p = Profile::from_json(&text).unwrap();
        p.access_at = None;
        Graph::from_pbf(&pbf, &p).unwrap()
    });
    let (lon, lat) = (8.7000, 49.4110);
    let day = |shift: [&str; 2], date: Option<&str>| {
        let mut options = serde_json::json!({"iterations": 100, "time_limit_s": 30,
                                              "threads": 1, "max_snap_m": 40});
        if let Some(d) = date {
            options["date"] = d.into();
        }
        let day = serde_json::json!({
            "bins": [{"id": "hauptstrasse", "lon": lon, "lat": lat, "weight_kg": 20,
                      "service_s": 30, "side": "either"}],
            "depots": [{"id": "depot", "lon": 8.69210, "lat": 49.40960}],
            "disposal_sites": [],
            "trucks": [{"id": "t", "depot": "depot", "capacity_kg": 3000, "shift": shift}],
            "options": options,
        });
        CollectionDay::from_json(&day.to_string()).unwrap()
    };
    let morning = plan_collection(g, &day(["06:00", "11:00"], Some("2026-12-07"))).unwrap();
    assert!(unassigned(&morning).is_empty(), "{:?}", morning.unassigned);
    let stop = morning.routes[0]
        .stops
        .iter()
        .find(|s| s.id == "hauptstrasse")
        .expect("the bin is a stop");
    assert!(stop.arrival_s < 11.0 * 3600.0);
    let noon = plan_collection(g, &day(["12:00", "16:00"], Some("2026-12-07"))).unwrap();
    assert_eq!(unassigned(&noon), ["hauptstrasse"], "{:?}", noon.unassigned);
    // Without a date the street is no part of the network: nothing within 40 m to snap to.
    let undated = plan_collection(g, &day(["06:00", "11:00"], None)).unwrap();
    assert_eq!(unassigned(&undated), ["hauptstrasse"]);
}
