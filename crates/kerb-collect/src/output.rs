//! Plan outputs: GeoJSON and the offline HTML map.

use kerb_core::{Graph, RoadClass};
use serde_json::{json, Value};

use crate::day::CollectionDay;
use crate::html::{render, MapLayers};
use crate::pipeline::CollectionPlan;

impl CollectionPlan {
    /// A GeoJSON `FeatureCollection`: one `LineString` per truck route (properties: truck,
    /// distance, duration, disposal trips) and one `Point` per stop (properties: type, id,
    /// truck, sequence, arrival, load).
    pub fn to_geojson(&self) -> Value {
        let mut features = Vec::new();
        for r in &self.routes {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": r.geometry},
                "properties": {"kind": "route", "truck": r.truck, "distance_m": r.distance_m,
                               "driving_s": r.driving_s, "working_s": r.working_s,
                               "disposal_trips": r.disposal_trips}
            }));
            for (seq, s) in r.stops.iter().enumerate() {
                if let Some(loc) = s.location {
                    features.push(json!({
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": loc},
                        "properties": {"kind": s.kind, "id": s.id, "truck": r.truck, "sequence": seq,
                                       "arrival_s": s.arrival_s, "departure_s": s.departure_s,
                                       "load_kg": s.load[0], "load_l": s.load[1],
                                       "truck_side": s.truck_side}
                    }));
                }
            }
        }
        json!({"type": "FeatureCollection", "features": features})
    }

    /// A self-contained HTML page drawing the road network of `graph`, the day's bins
    /// (coloured by truck, black when unassigned), depots, disposal sites and routes.
    pub fn to_html(&self, graph: &Graph, day: &CollectionDay) -> String {
        let mut layers = MapLayers::default();
        for e in graph.edges() {
            if e.reverse().is_some_and(|r| r < e.id) {
                continue;
            }
            let major = matches!(
                e.road_class,
                RoadClass::Motorway | RoadClass::Trunk | RoadClass::Primary | RoadClass::Secondary
            );
            layers.roads.push((
                e.geometry().points().map(|p| (p.x(), p.y())).collect(),
                major,
            ));
        }
        for r in &self.routes {
            let label = format!(
                "{}: {} bins, {:.1} km, {} disposal trips",
                r.truck,
                r.stops.iter().filter(|s| s.kind == "bin").count(),
                r.distance_m / 1000.0,
                r.disposal_trips
            );
            layers
                .routes
                .push((label, r.geometry.iter().map(|c| (c[0], c[1])).collect()));
        }
        for b in &day.bins {
            let route = self
                .routes
                .iter()
                .position(|r| r.stops.iter().any(|s| s.kind == "bin" && s.id == b.id));
            layers.bins.push((
                b.lon,
                b.lat,
                format!("{} ({} kg)", b.id, b.weight_kg),
                route,
            ));
        }
        layers.depots = day
            .depots
            .iter()
            .map(|d| (d.lon, d.lat, d.id.clone()))
            .collect();
        layers.disposal = day
            .disposal_sites
            .iter()
            .map(|d| (d.lon, d.lat, d.id.clone()))
            .collect();
        let t = &self.totals;
        let summary = vec![
            format!(
                "{} trucks, {} bins served, {} unassigned",
                t.trucks_used, t.bins_served, t.bins_unassigned
            ),
            format!(
                "{:.1} km driven, {:.1} h driving, {} disposal trips",
                t.distance_m / 1000.0,
                t.driving_s / 3600.0,
                t.disposal_trips
            ),
            format!("{:.0} kg collected", t.collected[0]),
        ];
        render(
            if self.name.is_empty() {
                "kerb collection plan"
            } else {
                &self.name
            },
            &summary,
            &layers,
        )
    }
}
