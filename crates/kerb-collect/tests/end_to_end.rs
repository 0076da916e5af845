//! The collection pipeline end to end on the bundled Helsinki extract.

use kerb_collect::{
    is_right_of, plan_collection, sample_day, CollectionDay, CollectionPlan, Service, StopKind,
    TruckSide,
};
use kerb_core::{Graph, Point, Profile};

fn graph() -> &'static Graph {
    kerb_testdata::helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
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
    let committed = std::fs::read_to_string(kerb_testdata::helsinki_day()).unwrap();
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap();
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

#[test]
fn territories_balance_a_day_and_keep_trucks_apart() {
    let mut day = day(300);
    day.options.territories = false;
    let free = plan(&day);
    day.options.territories = true;
    let balanced = plan(&day);
    let spread = |p: &CollectionPlan| {
        let w: Vec<f64> = p.routes.iter().map(|r| r.working_s).collect();
        let max = w.iter().cloned().fold(0.0, f64::max);
        let min = w.iter().cloned().fold(f64::MAX, f64::min);
        (w.len(), max / min.max(1.0))
    };
    let km = |p: &CollectionPlan| p.routes.iter().map(|r| r.distance_m).sum::<f64>() / 1000.0;
    eprintln!(
        "free: {:?} {:.1} km, {} unassigned; territories: {:?} {:.1} km, {} unassigned",
        spread(&free),
        km(&free),
        free.totals.bins_unassigned,
        spread(&balanced),
        km(&balanced),
        balanced.totals.bins_unassigned
    );
    // Every truck works, none more than 1.5 times another, and nothing is left out for it.
    let (trucks, ratio) = spread(&balanced);
    assert_eq!(trucks, 3, "{:?}", balanced.totals);
    assert!(ratio <= 1.5, "working-time ratio {ratio:.2}");
    assert!(balanced.totals.bins_unassigned <= free.totals.bins_unassigned);
    // Each bin is collected by one truck's sector: sectors are contiguous by bearing from the
    // depot, so sorting the served bins by bearing changes truck at most once per truck.
    let depot = &day.depots[0];
    let mut by_bearing: Vec<(f64, String)> = balanced
        .routes
        .iter()
        .flat_map(|r| {
            r.stops
                .iter()
                .filter(|s| s.kind == StopKind::Bin)
                .map(move |s| (s, r.truck.clone()))
        })
        .map(|(s, truck)| {
            let b = day.bins.iter().find(|b| b.id == s.id).unwrap();
            let bearing =
                (b.lat - depot.lat).atan2((b.lon - depot.lon) * depot.lat.to_radians().cos());
            (bearing, truck)
        })
        .collect();
    by_bearing.sort_by(|a, b| a.0.total_cmp(&b.0));
    let changes = by_bearing.windows(2).filter(|w| w[0].1 != w[1].1).count();
    assert!(
        changes <= trucks,
        "{changes} truck changes around the depot"
    );
}

/// Street names on the stops, in the day's language: Helsinki's streets carry Finnish `name`
/// and Swedish `name:sv`, so the same plan reads in either language.
#[test]
fn stops_name_their_street_in_the_days_language() {
    let finnish = plan(&day(60));
    let mut swedish_day = day(60);
    swedish_day.options.language = Some("sv".into());
    let swedish = plan(&swedish_day);
    let names = graph().road().local_names().unwrap();
    let (mut named, mut translated) = (0, 0);
    for (f, s) in finnish.routes.iter().zip(&swedish.routes) {
        // The language changes the names only, never the plan.
        let ids =
            |r: &kerb_collect::TruckRoute| r.stops.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(f), ids(s));
        for (a, b) in f.stops.iter().zip(&s.stops) {
            if a.kind != StopKind::Bin {
                continue;
            }
            let (Some(fi), Some(sv)) = (&a.street, &b.street) else {
                assert_eq!(a.street, b.street);
                continue;
            };
            named += 1;
            if fi != sv {
                translated += 1;
                // A Swedish name is one of the extract's translations, not made up.
                assert!(names.languages().contains(&"sv"));
            }
        }
    }
    assert!(named >= 30, "{named} of 60 bins on named streets");
    assert!(
        translated * 2 >= named,
        "{translated} of {named} street names in Swedish"
    );
    let html = swedish.to_html(graph(), &swedish_day);
    assert!(html.contains(r#"<html lang="sv" dir="ltr">"#));
    assert!(html.contains("route sheet ("));
    // A language that is not a language code is a clear error.
    let mut bad = day(10);
    bad.options.language = Some("Swedish".into());
    let err = plan_collection(graph(), &bad).unwrap_err().to_string();
    assert!(err.contains("options.language"), "{err}");
}
