//! Mixed fleets on the shared Heidelberg extract: a 7.5 t truck (`profiles/refuse-7.5t.json`,
//! Monday 06:00) and a 26 t truck (`truck`) in one collection day. The old town's pedestrian
//! Hauptstraße (`maxweight=7.5`, `motor_vehicle:conditional=destination @ (Mo-Sa
//! 06:00-11:00)`) is on the small truck's graph only, so its bins go to the small truck.

use kerb_collect::{plan_collection, plan_collection_cancellable};
use kerb_core::{Graph, GraphSet, Profile};

#[path = "support/heidelberg_day.rs"]
mod heidelberg_day;
use heidelberg_day::mixed_day;

fn graphs() -> Option<&'static (Graph, Graph)> {
    let pbf = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf")?;
    Some(kerb_testdata::cached("heidelberg small+big truck", || {
        let text =
            std::fs::read_to_string(kerb_testdata::repo_root().join("profiles/refuse-7.5t.json"))
                .unwrap();
        let small = Graph::from_pbf(&pbf, &Profile::from_json(&text).unwrap()).unwrap();
        let big = Graph::from_pbf(&pbf, &Profile::truck()).unwrap();
        (small, big)
    }))
}

#[test]
fn bins_in_the_weight_restricted_pedestrian_zone_go_to_the_small_truck() {
    let Some((small, big)) = graphs() else {
        return;
    };
    let (day, zone) = mixed_day(small, big);
    let set = GraphSet::new().with(big).with(small);
    let plan = plan_collection_cancellable(&set, &day, None, None).unwrap();
    let served_by = |truck: &str| -> Vec<String> {
        plan.routes
            .iter()
            .filter(|r| r.truck == truck)
            .flat_map(|r| r.stops.iter().map(|s| s.id.clone()))
            .collect()
    };
    let (by_small, by_big) = (served_by("small"), served_by("big"));
    for id in &zone {
        assert!(
            by_small.contains(id),
            "{id} served by the small truck: {plan:?}"
        );
        assert!(!by_big.contains(id), "{id} not by the big truck");
    }
    assert!(
        !by_big.is_empty(),
        "the big truck serves the rest of the day too"
    );
    // With the 26 t graph alone (every truck on it), the zone's bins cannot be served.
    let mut one_profile = day.clone();
    for t in &mut one_profile.trucks {
        t.profile = None;
    }
    let alone = plan_collection(big, &one_profile).unwrap();
    for id in &zone {
        assert!(
            alone.unassigned.iter().any(|u| &u.id == id),
            "{id} unassigned on the 26 t graph"
        );
    }
}

#[test]
fn a_truck_profile_without_a_graph_is_a_typed_error() {
    let Some((small, big)) = graphs() else {
        return;
    };
    let (mut day, _) = mixed_day(small, big);
    day.trucks[1].profile = Some("refuse-32t".into());
    let e = plan_collection(big, &day).unwrap_err();
    assert!(
        matches!(
            &e,
            kerb_collect::Error::Graph(kerb_core::Error::NoGraphForProfile { profile, .. })
                if profile == "refuse-32t"
        ),
        "{e}"
    );
}
