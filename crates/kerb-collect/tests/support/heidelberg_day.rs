//! The Heidelberg mixed-fleet day, shared by kerb-collect's test and the CLI's
//! (`#[path]`-included): bins in the old town's pedestrian Hauptstraße only a 7.5 t truck can
//! reach, bins on residential streets both trucks use.

use kerb_collect::CollectionDay;
use kerb_core::{haversine_m, Graph, Point, RoadClass, SnapOptions};

/// Snapping radius of the day: bins stand at the kerb, a few metres off the centre line.
pub const MAX_SNAP_M: f64 = 12.0;

/// The middle point of edge `e`'s geometry.
fn middle(e: &kerb_core::EdgeRef<'_>) -> Point {
    let pts: Vec<_> = e.geometry().points().collect();
    let m = pts[pts.len() / 2];
    Point::new(m.x(), m.y())
}

/// A day around the old town: bins in the middle of pedestrian Hauptstraße edges that the
/// 26 t truck has no road within the snapping radius of, bins on residential streets within
/// 1 km that both trucks use, a depot on a main road nearby; its trucks `small` (7.5 t
/// profile) and `big` (26 t), 300 kg each, so the day needs both.
pub fn mixed_day(small: &Graph, big: &Graph) -> (CollectionDay, Vec<String>) {
    let radius = SnapOptions::default().with_radius_m(MAX_SNAP_M);
    let mut zone: Vec<Point> = Vec::new();
    for e in small
        .edges()
        .filter(|e| e.road_class == RoadClass::Pedestrian && e.name == "Hauptstraße")
        .filter(|e| e.distance_m > 30.0)
    {
        let p = middle(&e);
        if big.snap(p, &radius).is_ok() || zone.iter().any(|&q| haversine_m(p, q) < 20.0) {
            continue;
        }
        zone.push(p);
        if zone.len() == 6 {
            break;
        }
    }
    assert!(
        zone.len() >= 3,
        "{} pedestrian Hauptstraße bins",
        zone.len()
    );
    let centre = zone[0];
    let streets: Vec<Point> = big
        .edges()
        .filter(|e| e.road_class == RoadClass::Residential && e.distance_m > 40.0)
        .filter(|e| e.reverse().is_none_or(|r| e.id < r))
        .map(|e| middle(&e))
        .filter(|&p| haversine_m(p, centre) < 1000.0)
        .collect();
    assert!(streets.len() >= 20, "{} residential streets", streets.len());
    let depot = big
        .edges()
        .filter(|e| matches!(e.road_class, RoadClass::Secondary | RoadClass::Tertiary))
        .map(|e| middle(&e))
        .find(|&p| (800.0..1500.0).contains(&haversine_m(p, centre)))
        .expect("a main road near the old town");
    let bin = |id: String, p: Point| {
        serde_json::json!({"id": id, "lon": p.x(), "lat": p.y(), "weight_kg": 20,
                           "volume_l": 240, "service_s": 30, "side": "either"})
    };
    let zone_ids: Vec<String> = (0..zone.len())
        .map(|k| format!("hauptstrasse-{k}"))
        .collect();
    let bins: Vec<_> = (zone_ids.iter().cloned().zip(zone.iter().copied()))
        .chain(
            streets
                .iter()
                .step_by((streets.len() / 20).max(1))
                .take(20)
                .enumerate()
                .map(|(k, &p)| (format!("street-{k}"), p)),
        )
        .map(|(id, p)| bin(id, p))
        .collect();
    let truck = |id: &str, profile: &str| {
        serde_json::json!({"id": id, "depot": "depot", "capacity_kg": 300,
                           "shift": ["06:00", "11:00"], "profile": profile})
    };
    let day = serde_json::json!({
        "name": "Heidelberg old town, mixed fleet",
        "bins": bins,
        "depots": [{"id": "depot", "lon": depot.x(), "lat": depot.y()}],
        "disposal_sites": [],
        "trucks": [truck("big", "truck"), truck("small", "refuse-7.5t")],
        "options": {"iterations": 200, "time_limit_s": 60, "threads": 1,
                    "max_snap_m": MAX_SNAP_M}
    });
    let day = CollectionDay::from_json(&day.to_string()).unwrap();
    (day, zone_ids)
}
