//! OSRM services on the shared Heidelberg extract: alternative routes (OSRM gives two for
//! 8.66,49.42 -> 8.70,49.385), `overview=by_legs` and the trip service. Skipped when the
//! shared data is absent.

use std::collections::HashSet;

use kerb_api::params::{parse_route, query_options};
use kerb_api::service;
use kerb_api::trip::{parse_trip, trip};
use kerb_api::ErrorKind;
use kerb_core::{Graph, Profile, Route};

fn heidelberg() -> Option<&'static Graph> {
    let pbf = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf")?;
    Some(kerb_testdata::cached("heidelberg car", || {
        Graph::from_pbf(&pbf, &Profile::car()).expect("Heidelberg imports")
    }))
}

/// The undirected roads (edge geometries) of a route, as the smaller id of each edge pair.
fn roads(g: &Graph, r: &Route) -> HashSet<u32> {
    r.legs
        .iter()
        .flat_map(|l| &l.segments)
        .map(|s| {
            let rev = g.reverse_edge(s.edge).map_or(u32::MAX, |e| e.0);
            s.edge.0.min(rev)
        })
        .collect()
}

/// Metres of `r` on roads of `other`.
fn shared_m(g: &Graph, r: &Route, other: &HashSet<u32>) -> f64 {
    r.legs
        .iter()
        .flat_map(|l| &l.segments)
        .filter(|s| {
            let rev = g.reverse_edge(s.edge).map_or(u32::MAX, |e| e.0);
            other.contains(&s.edge.0.min(rev))
        })
        .map(|s| s.distance_m)
        .sum()
}

const FROM: [f64; 2] = [8.66, 49.42];
const TO: [f64; 2] = [8.70, 49.385];

#[test]
fn two_distinct_plausible_routes_across_heidelberg() {
    let Some(g) = heidelberg() else {
        eprintln!("skipped: shared Heidelberg extract absent");
        return;
    };
    let o = parse_route(&query_options([("alternatives", "2")]), 2).unwrap();
    let w = kerb_api::waypoint::waypoints(g, &[FROM, TO], &o.common).unwrap();
    let routes = g.route_alternatives(&w, 2).unwrap();
    assert!(
        routes.len() >= 2,
        "expected an alternative, got {} route(s)",
        routes.len()
    );
    let best = &routes[0];
    // Printed for BENCHMARKS.md (side by side with osrm-routed's answer to the same request).
    for r in &routes {
        eprintln!("kerb route: {:.1} s, {:.1} m", r.duration_s, r.distance_m);
    }
    // The best route is the plain fastest route.
    let plain = g.route(&w).unwrap();
    assert!((plain.duration_s - best.duration_s).abs() < 1e-6);
    let best_roads = roads(g, best);
    for alt in &routes[1..] {
        assert!(alt.duration_s >= best.duration_s - 1e-6);
        assert!(
            alt.duration_s <= best.duration_s * 1.25 + 1e-6,
            "alternative {} s vs best {} s",
            alt.duration_s,
            best.duration_s
        );
        let shared = shared_m(g, alt, &best_roads) / alt.distance_m;
        assert!(
            shared <= 0.75,
            "alternative shares {shared:.2} of its length"
        );
        // Plausible: no turning around on the road, not a huge detour.
        let segs: Vec<_> = alt.legs.iter().flat_map(|l| &l.segments).collect();
        assert!(segs
            .windows(2)
            .all(|p| g.reverse_edge(p[0].edge) != Some(p[1].edge)));
        assert!(alt.distance_m < best.distance_m * 1.6);
        // Consecutive segments are connected: the alternative is one drivable path.
        for p in segs.windows(2) {
            assert_eq!(g.edge(p[0].edge).to, g.edge(p[1].edge).from);
        }
    }
    // Through the service: the OSRM response lists them best first.
    let resp = service::route(g, &[FROM, TO], &o).unwrap();
    assert_eq!(resp.routes.len(), routes.len());
    assert!(resp
        .routes
        .windows(2)
        .all(|r| r[0].duration <= r[1].duration));
    // Without alternatives, one route.
    let one = parse_route(&query_options([("alternatives", "false")]), 2).unwrap();
    assert_eq!(
        service::route(g, &[FROM, TO], &one).unwrap().routes.len(),
        1
    );
}

#[test]
fn overview_by_legs_puts_the_geometry_on_each_leg() {
    let Some(g) = heidelberg() else {
        return;
    };
    let coords = [FROM, [8.68, 49.40], TO];
    let o = parse_route(
        &query_options([("overview", "by_legs"), ("geometries", "geojson")]),
        3,
    )
    .unwrap();
    let resp = service::route(g, &coords, &o).unwrap();
    let v = serde_json::to_value(&resp).unwrap();
    let route = &v["routes"][0];
    assert!(route.get("geometry").is_none());
    let legs = route["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    // Each leg's line starts where the previous one ended, at the snapped waypoints.
    let ends: Vec<(Vec<f64>, Vec<f64>)> = legs
        .iter()
        .map(|l| {
            let c = l["geometry"]["coordinates"].as_array().unwrap();
            let p = |v: &serde_json::Value| -> Vec<f64> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            };
            (p(&c[0]), p(c.last().unwrap()))
        })
        .collect();
    assert_eq!(ends[0].1, ends[1].0);
    let wp = |i: usize| -> Vec<f64> {
        v["waypoints"][i]["location"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    assert_eq!(ends[0].0, wp(0));
    assert_eq!(ends[1].1, wp(2));
}

#[test]
fn trips_visit_every_stop_no_slower_than_the_input_order() {
    let Some(g) = heidelberg() else {
        return;
    };
    let stops = [
        [8.6724, 49.4094],
        [8.6950, 49.3960],
        [8.6600, 49.4200],
        [8.7000, 49.3850],
        [8.6800, 49.4000],
        [8.6900, 49.4120],
    ];
    let o = parse_trip(&query_options([("source", "first")]), stops.len()).unwrap();
    let t = trip(g, &stops, &o).unwrap();
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(v["code"], "Ok");
    assert_eq!(t.trips.len(), 1);
    // A round trip: one leg per stop, back to the first.
    assert_eq!(t.trips[0].legs.len(), stops.len());
    assert_eq!(t.waypoints.len(), stops.len());
    assert_eq!(t.waypoints[0].waypoint_index, 0);
    let mut places: Vec<usize> = t.waypoints.iter().map(|w| w.waypoint_index).collect();
    places.sort_unstable();
    assert_eq!(places, (0..stops.len()).collect::<Vec<_>>());
    // No slower than visiting the stops in the order given.
    let w = kerb_api::waypoint::waypoints(g, &stops, &o.route.common).unwrap();
    let mut in_order = w.clone();
    in_order.push(w[0].clone());
    let given = g.route(&in_order).unwrap();
    let order: Vec<usize> = t.waypoints.iter().map(|w| w.waypoint_index).collect();
    eprintln!(
        "kerb round trip: {:.1} s, {:.1} m, waypoint_index {order:?}",
        t.trips[0].duration, t.trips[0].distance
    );
    assert!(
        t.trips[0].duration <= given.duration_s + 0.5,
        "trip {} s vs input order {} s",
        t.trips[0].duration,
        given.duration_s
    );

    // An open trip from the first to the last stop.
    let open = parse_trip(
        &query_options([
            ("roundtrip", "false"),
            ("source", "first"),
            ("destination", "last"),
        ]),
        stops.len(),
    )
    .unwrap();
    let t = trip(g, &stops, &open).unwrap();
    let order: Vec<usize> = t.waypoints.iter().map(|w| w.waypoint_index).collect();
    eprintln!(
        "kerb open trip: {:.1} s, {:.1} m, waypoint_index {order:?}",
        t.trips[0].duration, t.trips[0].distance
    );
    assert_eq!(t.trips[0].legs.len(), stops.len() - 1);
    assert_eq!(t.waypoints[0].waypoint_index, 0);
    assert_eq!(t.waypoints[stops.len() - 1].waypoint_index, stops.len() - 1);

    // OSRM's unsupported combination and too few stops are typed errors.
    let e = parse_trip(&query_options([("roundtrip", "false")]), 3).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotImplemented);
    let e = parse_trip(&query_options([("source", "first")]), 1).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidOptions);
    let e = parse_trip(&query_options([("source", "middle")]), 3).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidQuery);
}

/// `depart_at=` reaches the kerb-core search: on the 26 t truck's graph the Plöck (way
/// 83188867, closed 7:30-19:00 above 7.5 t) is the short way west to east at 06:30 and 20:00,
/// and at 09:00 the route and the table take the detour. An unreadable time is InvalidValue.
#[test]
fn depart_at_applies_conditional_access() {
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let g = kerb_testdata::cached("heidelberg truck", || {
        Graph::from_pbf(&pbf, &Profile::truck()).expect("Heidelberg imports")
    });
    let coords = [[8.69540, 49.40886], [8.69812, 49.40907]];
    let route_s = |t: Option<&str>| {
        let pairs: Vec<(&str, &str)> = t.map(|t| ("depart_at", t)).into_iter().collect();
        let o = parse_route(&query_options(pairs), 2).unwrap();
        service::route(g, &coords, &o).unwrap().routes[0].duration
    };
    let table_s = |t: &str| {
        let o = kerb_api::params::parse_table(&query_options([("depart_at", t)]), 2).unwrap();
        service::table(g, &coords, &o).unwrap().durations.unwrap()[0][1].unwrap()
    };
    let plain = route_s(None);
    assert_eq!(route_s(Some("2026-12-07T06:30")), plain);
    assert_eq!(route_s(Some("Mo 20:00")), plain);
    let nine = route_s(Some("2026-12-07T09:00"));
    assert!(nine > plain + 60.0, "{nine} vs {plain}");
    assert!(table_s("2026-12-07T09:00") > table_s("2026-12-07T06:30") + 60.0);
    let bad = parse_route(&query_options([("depart_at", "9 o'clock")]), 2).unwrap_err();
    assert_eq!(bad.kind, ErrorKind::InvalidValue);
}
