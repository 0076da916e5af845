//! The collection pipeline end to end on the bundled Helsinki extract.

use std::sync::OnceLock;

use kerb_collect::{
    is_right_of, plan_collection, sample_day, CollectionDay, CollectionPlan, Service, StopKind,
    TruckSide,
};
use kerb_core::{Graph, Point, Profile};

fn graph() -> &'static Graph {
    static G: OnceLock<Graph> = OnceLock::new();
    G.get_or_init(|| {
        let pbf = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/helsinki.osm.pbf");
        Graph::builder(&Profile::truck())
            .build_from_pbf(pbf)
            .expect("Helsinki imports")
    })
}

fn day(bins: usize) -> CollectionDay {
    let mut day = sample_day(graph(), bins, 3, 42);
    // Deterministic and quick: an iteration limit, the time limit only as a guard.
    day.options.iterations = Some(100);
    day.options.time_limit_s = 60.0;
    day
}

fn plan(day: &CollectionDay) -> CollectionPlan {
    plan_collection(graph(), day).expect("the day plans")
}

#[test]
fn sample_day_in_data_is_what_the_generator_makes() {
    let committed = include_str!("../../../data/helsinki-day.json");
    let committed: serde_json::Value = serde_json::from_str(committed).unwrap();
    // Through text both ways, so both sides see the same float parsing.
    let fresh = kerb_collect::generate::sample_day_with_streets(graph(), 300, 12, 3, 42);
    let fresh = serde_json::to_string(&fresh).unwrap();
    let fresh: serde_json::Value = serde_json::from_str(&fresh).unwrap();
    assert_eq!(committed, fresh);
}

#[test]
fn sample_day_is_planned_with_disposal_trips_and_kerbside_service() {
    let day = day(150);
    let p = plan(&day);
    assert_eq!(p.totals.bins_served + p.totals.bins_unassigned, 150);
    assert!(
        p.totals.bins_served >= 140,
        "served only {}: {:?}",
        p.totals.bins_served,
        p.unassigned
    );
    let collected: f64 = day.bins.iter().map(|b| b.weight_kg).sum::<f64>();
    assert!(collected > 5000.0, "the day needs more than one truckload");
    assert!(
        p.totals.disposal_trips >= 2,
        "trucks must empty at the disposal site"
    );
    let mut kerbside = 0;
    for r in &p.routes {
        assert!(r.geometry.len() >= 2 && r.distance_m > 0.0);
        assert_eq!(r.stops.first().unwrap().kind, StopKind::Start);
        assert_eq!(r.stops.last().unwrap().kind, StopKind::End);
        // The truck is empty when it returns: its last trip ends at the disposal site.
        let last_dump = r
            .stops
            .iter()
            .rposition(|s| s.kind == StopKind::Disposal)
            .expect("a disposal visit");
        assert!(r.stops[last_dump..].iter().all(|s| s.kind != StopKind::Bin));
        for w in r.stops.windows(2) {
            assert!(
                w[1].arrival_s + 1e-6 >= w[0].departure_s,
                "time runs forward"
            );
        }
        for s in r.stops.iter().filter(|s| s.kind == StopKind::Bin) {
            if s.service == Some(Service::Kerbside) {
                kerbside += 1;
                assert_eq!(
                    s.truck_side,
                    Some(TruckSide::Right),
                    "bin {} must be on the truck's right",
                    s.id
                );
            }
            assert!(s.load[0] <= 5000.0);
        }
    }
    assert!(
        kerbside > 50,
        "most sample bins stand on two-way streets ({kerbside})"
    );
    let html = p.to_html(graph(), &day);
    assert_eq!(html.matches("class=\"route\"").count(), p.routes.len());
    let gj = p.to_geojson();
    assert!(gj["features"].as_array().unwrap().len() > 140);
}

#[test]
fn is_right_of_agrees_with_geometry() {
    let g = graph();
    let e = g
        .edges()
        .find(|e| e.reverse().is_some() && e.distance_m > 50.0)
        .unwrap();
    let pts = g.edge_points(e.id);
    let (a, b) = (pts[0], pts[1]);
    let mid = Point::new((a.x() + b.x()) / 2.0, (a.y() + b.y()) / 2.0);
    // A point to the right of a->b: rotate the direction clockwise.
    let (dx, dy) = ((b.x() - a.x()) * a.y().to_radians().cos(), b.y() - a.y());
    let n = (dx * dx + dy * dy).sqrt();
    let right = Point::new(
        mid.x() + dy / n * 1e-4 / a.y().to_radians().cos(),
        mid.y() - dx / n * 1e-4,
    );
    assert!(is_right_of(g, e.id, right));
    assert!(!is_right_of(g, e.reverse().unwrap(), right));
}

#[test]
fn bad_inputs_give_reasons() {
    let mut day = day(20);
    // A bin in the Gulf of Finland, and a bin heavier than any truck.
    day.bins[0].lon = 24.95;
    day.bins[0].lat = 60.10;
    day.bins[1].weight_kg = 9000.0;
    let p = plan(&day);
    let reason = |id: &str| {
        p.unassigned
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.reason.clone())
    };
    assert!(reason(&day.bins[0].id).unwrap().contains("no road"));
    assert!(reason(&day.bins[1].id).unwrap().contains("capacity"));
    assert_eq!(p.totals.bins_served, 18);

    // A disposal site closed all day: trucks must end empty, so nothing can be collected.
    let mut closed = self::day(5);
    closed.disposal_sites[0].opening_hours =
        vec![[kerb_collect::TimeOfDay(0.0), kerb_collect::TimeOfDay(60.0)]];
    let p = plan(&closed);
    assert_eq!(p.totals.bins_served, 0);
    assert_eq!(p.unassigned.len(), 5);

    // A depot in the sea is an error, not a plan.
    let mut sea = self::day(5);
    sea.depots[0].lat = 60.10;
    let e = plan_collection(graph(), &sea).unwrap_err();
    assert!(e.to_string().contains("depot"), "{e}");
}

/// `trucks[].count: 1000000000` once expanded into a billion planner vehicles (9 GB): the
/// pipeline now refuses the day before snapping or allocating anything.
#[test]
fn an_absurd_truck_count_is_a_typed_error() {
    let mut d = day(20);
    d.trucks[0].count = 1_000_000_000;
    assert!(d.size().trucks > kerb_collect::MAX_TRUCKS);
    let e = plan_collection(graph(), &d).unwrap_err();
    assert!(
        matches!(e, kerb_collect::Error::TooManyTrucks { fleet, .. } if fleet >= 1_000_000_000),
        "{e}"
    );
}
