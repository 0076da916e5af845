//! OSRM's per-step `driving_side` follows the country the road lies in: `left` on the shared
//! Leeds extract, `right` in Helsinki, with the stock car profile (`driving_side: auto`);
//! a profile that fixes the side says so everywhere.

use kerb_api::params::{parse_route, query_options};
use kerb_api::service;
use kerb_core::{haversine_m, DrivingSideRule, Graph, Point, Profile};

/// The `driving_side` of every step of a route across `g`'s main network (from a node of it
/// to the node of it farthest away).
fn step_sides(g: &Graph) -> Vec<String> {
    let main: Vec<Point> = g
        .edges()
        .filter(|e| g.component(e.id).is_ok_and(|c| c.main))
        .map(|e| g.node_point(e.from))
        .collect();
    let from = main[0];
    let to = main
        .iter()
        .copied()
        .max_by(|p, q| haversine_m(from, *p).total_cmp(&haversine_m(from, *q)))
        .unwrap();
    let (a, b) = ([from.x(), from.y()], [to.x(), to.y()]);
    let o = parse_route(&query_options([("steps", "true")]), 2).unwrap();
    let resp = service::route(g, &[a, b], &o).unwrap();
    let v = serde_json::to_value(&resp).unwrap();
    let steps = v["routes"][0]["legs"][0]["steps"]
        .as_array()
        .unwrap()
        .clone();
    assert!(steps.len() >= 3, "{} steps", steps.len());
    steps
        .iter()
        .map(|s| s["driving_side"].as_str().unwrap().to_string())
        .collect()
}

fn import(pbf: &std::path::Path, profile: &Profile) -> Graph {
    Graph::builder(profile)
        .contract(false)
        .build_from_pbf(pbf)
        .unwrap()
}

#[test]
fn leeds_steps_drive_on_the_left_and_helsinki_on_the_right() {
    let helsinki = import(&kerb_testdata::helsinki_pbf(), &Profile::car());
    assert!(step_sides(&helsinki).iter().all(|s| s == "right"));
    let Some(pbf) = kerb_testdata::shared_osm("osmextract_its-example_leeds.osm.pbf") else {
        return;
    };
    let leeds = import(&pbf, &Profile::car());
    let sides = step_sides(&leeds);
    assert!(sides.iter().all(|s| s == "left"), "{sides:?}");
    let mut right = Profile::car();
    right.name = "car-right".into();
    right.turn_costs.driving_side = DrivingSideRule::Right;
    let sides = step_sides(&import(&pbf, &right));
    assert!(sides.iter().all(|s| s == "right"), "{sides:?}");
}
