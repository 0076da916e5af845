//! The kerb follows the country: on the shared left-hand-traffic extracts (Leeds, Melbourne,
//! Singapore's Bayfront) every kerbside bin of a sample day is on the truck's left with the
//! stock truck profile (`driving_side: auto`), on the right-hand ones (Heidelberg, Helsinki)
//! on its right, and a profile that fixes the side overrides the map.

use kerb_collect::{plan_collection, sample_day, CollectionDay, Service, StopKind, TruckSide};
use kerb_core::{
    haversine_m, DrivingSide, DrivingSideRule, EdgeId, Graph, Point, Profile, RoadClass,
};

/// Bins of each sample day: enough kerbside stops on the smallest extracts (the one-way
/// streets of Melbourne's and Singapore's centres serve many bins from either side).
const BINS: usize = 60;

fn graph(pbf: &std::path::Path, profile: &Profile) -> Graph {
    Graph::builder(profile)
        .contract(false)
        .build_from_pbf(pbf)
        .unwrap()
}

/// The generator's day on `graph` with its bins, or (`centre` given) bins 6 m either side of
/// residential streets of the main network within 1.5 km of `centre`: the generator draws
/// round the extract's bounding-box centre, which for the shared Heidelberg extract (ways out
/// to 7.7 and 9.1 deg E) is in the fields west of the city, 20 km from the old town.
fn day_on(graph: &Graph, centre: Option<[f64; 2]>) -> CollectionDay {
    let mut day = sample_day(graph, BINS, 1, 7);
    let Some([lon, lat]) = centre else {
        return day;
    };
    let centre = Point::new(lon, lat);
    let streets = graph
        .edges()
        .filter(|e| e.road_class == RoadClass::Residential && e.distance_m > 30.0)
        .filter(|e| e.reverse().is_some_and(|r| e.id < r))
        .filter(|e| graph.component(e.id).is_ok_and(|c| c.main))
        .filter(|e| haversine_m(graph.node_point(e.from), centre) < 1500.0);
    day.bins = streets
        .take(BINS)
        .enumerate()
        .map(|(i, e)| {
            let pts = graph.edge_points(e.id);
            let (a, b) = (pts[0], pts[1]);
            let k = a.y().to_radians().cos();
            let (dx, dy) = ((b.x() - a.x()) * k, b.y() - a.y());
            let len = (dx * dx + dy * dy).sqrt().max(1e-12);
            // 6 m to the right of travel (dy, -dx), or to the left for odd bins.
            let s = if i % 2 == 0 { 1.0 } else { -1.0 } * 6.0 / 111_195.0 / len;
            let mid = Point::new((a.x() + b.x()) / 2.0, (a.y() + b.y()) / 2.0);
            let bin = serde_json::json!({
                "id": format!("bin-{i}"),
                "lon": mid.x() + dy * s / k,
                "lat": mid.y() - dx * s,
                "weight_kg": 30.0,
                "volume_l": 240.0,
            });
            serde_json::from_value(bin).unwrap()
        })
        .collect();
    assert_eq!(day.bins.len(), BINS);
    day
}

/// Where the Heidelberg days are: Bergheim and the old town.
const HEIDELBERG: Option<[f64; 2]> = Some([8.6935, 49.4093]);

/// Plans the day on `graph` and returns the truck side of every kerbside bin stop.
fn kerbside_sides(graph: &Graph, centre: Option<[f64; 2]>) -> Vec<TruckSide> {
    let mut day = day_on(graph, centre);
    // Every two-way road is served kerbside (no zig-zag classes), so service roads count too.
    day.options.zigzag_road_classes.clear();
    // The generator puts the depot and the tip at the district's edge, which on the shared
    // Heidelberg extract is off the truck network: park them at bins instead.
    let (a, b) = (&day.bins[0], &day.bins[BINS / 2]);
    let ((alon, alat), (blon, blat)) = ((a.lon, a.lat), (b.lon, b.lat));
    (day.depots[0].lon, day.depots[0].lat) = (alon, alat);
    (day.disposal_sites[0].lon, day.disposal_sites[0].lat) = (blon, blat);
    day.options.iterations = Some(50);
    day.options.time_limit_s = 60.0;
    let plan = plan_collection(graph, &day).expect("the day plans");
    plan.routes
        .iter()
        .flat_map(|r| &r.stops)
        .filter(|s| s.kind == StopKind::Bin && s.service == Some(Service::Kerbside))
        .map(|s| s.truck_side.expect("a planned bin has a truck side"))
        .collect()
}

/// Every edge of `graph` was looked up as `side`.
fn all_edges(graph: &Graph, side: DrivingSide) -> bool {
    (0..graph.num_edges() as u32).all(|e| graph.local_driving_side(EdgeId(e)) == Some(side))
}

fn check(name: &str, side: DrivingSide, centre: Option<[f64; 2]>) {
    let Some(pbf) = kerb_testdata::shared_osm(name) else {
        return;
    };
    let g = graph(&pbf, &Profile::truck());
    assert!(
        all_edges(&g, side),
        "{name}: an edge not looked up as {side:?}"
    );
    let expected = match side {
        DrivingSide::Left => TruckSide::Left,
        DrivingSide::Right => TruckSide::Right,
    };
    let sides = kerbside_sides(&g, centre);
    assert!(sides.len() >= 5, "{name}: {} kerbside bins", sides.len());
    assert!(
        sides.iter().all(|&s| s == expected),
        "{name}: {sides:?}, expected every bin on the {expected}"
    );
}

#[test]
fn leeds_bins_are_on_the_left() {
    check(
        "osmextract_its-example_leeds.osm.pbf",
        DrivingSide::Left,
        None,
    );
}

#[test]
fn melbourne_bins_are_on_the_left() {
    check("valhalla_melborne.osm.pbf", DrivingSide::Left, None);
}

#[test]
fn singapore_bayfront_bins_are_on_the_left() {
    // Marina Bay stands on reclaimed land outside the 1:50m coastline: the coast fallback.
    check(
        "valhalla_bayfront_singapore.osm.pbf",
        DrivingSide::Left,
        None,
    );
}

#[test]
fn heidelberg_bins_are_on_the_right() {
    check("ors_heidelberg.osm.pbf", DrivingSide::Right, HEIDELBERG);
}

#[test]
fn helsinki_bins_are_on_the_right() {
    let g = graph(&kerb_testdata::helsinki_pbf(), &Profile::truck());
    assert!(all_edges(&g, DrivingSide::Right));
    let sides = kerbside_sides(&g, None);
    assert!(sides.len() >= 5, "{} kerbside bins", sides.len());
    assert!(sides.iter().all(|&s| s == TruckSide::Right), "{sides:?}");
}

#[test]
fn a_fixed_profile_side_overrides_the_map() {
    let Some(pbf) = kerb_testdata::shared_osm("osmextract_its-example_leeds.osm.pbf") else {
        return;
    };
    let mut right = Profile::truck();
    right.name = "truck-right".into();
    right.turn_costs.driving_side = DrivingSideRule::Right;
    let g = graph(&pbf, &right);
    // The map's answer is still stored; the profile decides.
    assert!(all_edges(&g, DrivingSide::Left));
    assert_eq!(g.driving_side(EdgeId(0)), DrivingSide::Right);
    let sides = kerbside_sides(&g, None);
    assert!(sides.len() >= 5, "{} kerbside bins", sides.len());
    assert!(sides.iter().all(|&s| s == TruckSide::Right), "{sides:?}");

    // And the other way round: Heidelberg driven on the left.
    let Some(pbf) = kerb_testdata::shared_osm("ors_heidelberg.osm.pbf") else {
        return;
    };
    let mut left = Profile::truck();
    left.name = "truck-left".into();
    left.turn_costs.driving_side = DrivingSideRule::Left;
    let g = graph(&pbf, &left);
    let sides = kerbside_sides(&g, HEIDELBERG);
    assert!(sides.len() >= 5, "{} kerbside bins", sides.len());
    assert!(sides.iter().all(|&s| s == TruckSide::Left), "{sides:?}");
}
