//! Plan exports: GeoJSON and the offline HTML map.

use kerb_core::{Graph, RoadClass};
use serde_json::{json, Value};

use std::collections::HashMap;

use crate::day::{Bin, CollectionDay};
use crate::html::{render, MapLayers, MapMarker, MapRoute, SheetRow};
use crate::plan::{CollectionPlan, Service, Stop, StopKind};

/// The road network of `graph` as map lines, one per road (two-way roads once), `true` for
/// the major classes.
pub(crate) fn road_layer(graph: &Graph) -> Vec<(Vec<(f64, f64)>, bool)> {
    graph
        .edges()
        .filter(|e| e.reverse().is_none_or(|r| r >= e.id))
        .map(|e| {
            let major = matches!(
                e.road_class,
                RoadClass::Motorway | RoadClass::Trunk | RoadClass::Primary | RoadClass::Secondary
            );
            (
                e.geometry().points().map(|p| (p.x(), p.y())).collect(),
                major,
            )
        })
        .collect()
}

impl CollectionPlan {
    /// A GeoJSON `FeatureCollection`: one `LineString` per truck route (properties: truck,
    /// distance, duration, disposal trips) and one `Point` per stop (properties: type, id,
    /// truck, sequence, arrival, load, truck side, street name).
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
                                       "truck_side": s.truck_side, "street": s.street}
                    }));
                }
            }
        }
        json!({"type": "FeatureCollection", "features": features})
    }

    /// A self-contained HTML page drawing the road network of `graph`, the day's bins
    /// (coloured by truck, black when unassigned; tooltips with arrival time and load),
    /// depots, disposal sites and each truck's route with direction arrows, plus a legend
    /// with every truck's distance, driving time and shift. Opens offline.
    pub fn to_html(&self, graph: &Graph, day: &CollectionDay) -> String {
        let mut layers = MapLayers {
            roads: road_layer(graph),
            sheets: self.routes.iter().map(route_sheet).collect(),
            language: day.options.language.clone(),
            ..MapLayers::default()
        };
        let bins: HashMap<&str, &Bin> = day.bins.iter().map(|b| (b.id.as_str(), b)).collect();
        // Bin id -> (route, ordinal among the route's bins, stop).
        let mut served: HashMap<&str, (usize, usize, &Stop)> = HashMap::new();
        let mut visits: HashMap<&str, Vec<&str>> = HashMap::new();
        // Street id -> its passes (route, stop).
        let mut passes: HashMap<&str, Vec<(usize, &Stop)>> = HashMap::new();
        let mut bins_on = Vec::with_capacity(self.routes.len());
        for (i, r) in self.routes.iter().enumerate() {
            let mut n = 0;
            let mut kg = 0.0;
            for s in &r.stops {
                match s.kind {
                    StopKind::Bin => {
                        n += 1;
                        served.insert(&s.id, (i, n, s));
                        kg += bins.get(s.id.as_str()).map_or(0.0, |b| b.weight_kg);
                    }
                    StopKind::Street => passes.entry(&s.id).or_default().push((i, s)),
                    _ => visits.entry(&s.id).or_default().push(&r.truck),
                }
            }
            bins_on.push(n);
            let (start, end) = (
                r.stops.first().map_or(0.0, |s| s.departure_s),
                r.stops.last().map_or(0.0, |s| s.arrival_s),
            );
            layers.routes.push(MapRoute {
                name: r.truck.clone(),
                details: vec![
                    format!(
                        "{n} bins, {kg:.0} kg, {} disposal trip{}",
                        r.disposal_trips,
                        if r.disposal_trips == 1 { "" } else { "s" }
                    ),
                    format!(
                        "{:.1} km, {} driving",
                        r.distance_m / 1000.0,
                        duration(r.driving_s)
                    ),
                    format!(
                        "{}\u{2013}{} ({} working)",
                        clock(start),
                        clock(end),
                        duration(r.working_s)
                    ),
                ],
                line: r.geometry.iter().map(|c| (c[0], c[1])).collect(),
            });
        }
        let reasons: HashMap<&str, &str> = self
            .unassigned
            .iter()
            .map(|u| (u.id.as_str(), u.reason.as_str()))
            .collect();
        for b in &day.bins {
            let mut tip = format!("{} ({} kg, {} l)", b.id, b.weight_kg, b.volume_l);
            let route = match served.get(b.id.as_str()) {
                Some(&(i, n, s)) => {
                    let r = &self.routes[i];
                    if let Some(street) = &s.street {
                        tip += &format!("\n{street}");
                    }
                    tip += &format!(
                        "\n{}, bin {n} of {}\narrives {}, leaves {}\nload after: {:.0} kg, {:.0} l",
                        r.truck,
                        bins_on[i],
                        clock(s.arrival_s),
                        clock(s.departure_s),
                        s.load[0],
                        s.load[1]
                    );
                    if let (Some(service), Some(side)) = (&s.service, &s.truck_side) {
                        let how = match service {
                            Service::Kerbside => "kerbside",
                            Service::ZigZag => "zig-zag (either side)",
                            Service::OneWay => "one-way street",
                            Service::EitherSide => "either side (kerbside approach impossible)",
                        };
                        tip += &format!("\n{how}, on the truck's {side}");
                    }
                    Some(i)
                }
                None => {
                    tip += &format!(
                        "\nunassigned: {}",
                        reasons.get(b.id.as_str()).unwrap_or(&"not planned")
                    );
                    None
                }
            };
            layers.bins.push(MapMarker {
                lon: b.lon,
                lat: b.lat,
                label: b.id.clone(),
                tooltip: tip,
                route,
            });
        }
        for st in &day.streets {
            let mut tip = format!("{} ({} kg, {} l)", st.id, st.weight_kg, st.volume_l);
            let list = passes.get(st.id.as_str());
            for &(i, s) in list.into_iter().flatten() {
                tip += &format!(
                    "\n{} drives it {}: {}\u{2013}{}",
                    self.routes[i].truck,
                    s.direction.map_or("", |d| d.as_str()),
                    clock(s.arrival_s),
                    clock(s.departure_s)
                );
            }
            if let Some(why) = reasons.get(st.id.as_str()) {
                tip += &format!("\nunassigned: {why}");
            }
            layers.streets.push(crate::html::MapStreet {
                line: st.coordinates.iter().map(|c| (c[0], c[1])).collect(),
                tooltip: tip,
                route: list.and_then(|l| l.first()).map(|&(i, _)| i),
            });
        }
        let site = |id: &str, lon: f64, lat: f64, what: String| {
            let trucks = visits.get(id).map(|v| {
                let mut v = v.clone();
                v.dedup();
                v.join(", ")
            });
            let n = visits.get(id).map_or(0, Vec::len);
            MapMarker {
                lon,
                lat,
                label: id.to_string(),
                tooltip: format!(
                    "{id}: {what}\n{n} stop(s){}",
                    trucks.map(|t| format!(" by {t}")).unwrap_or_default()
                ),
                route: None,
            }
        };
        layers.depots = day
            .depots
            .iter()
            .map(|d| site(&d.id, d.lon, d.lat, "depot".into()))
            .collect();
        layers.disposal = day
            .disposal_sites
            .iter()
            .map(|d| {
                let open: Vec<String> = d
                    .opening_hours
                    .iter()
                    .map(|w| format!("{}\u{2013}{}", clock(w[0].0), clock(w[1].0)))
                    .collect();
                let what = if open.is_empty() {
                    "disposal site".to_string()
                } else {
                    format!("disposal site, open {}", open.join(", "))
                };
                site(&d.id, d.lon, d.lat, what)
            })
            .collect();
        // One note per reason: the same reason usually covers several bins.
        let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
        for u in &self.unassigned {
            match by_reason.iter_mut().find(|(r, _)| *r == u.reason) {
                Some((_, ids)) => ids.push(&u.id),
                None => by_reason.push((&u.reason, vec![&u.id])),
            }
        }
        for (reason, ids) in by_reason {
            let shown = ids.iter().take(12).copied().collect::<Vec<_>>().join(", ");
            let more = if ids.len() > 12 {
                format!(" and {} more", ids.len() - 12)
            } else {
                String::new()
            };
            layers.notes.push(format!(
                "{} unassigned ({shown}{more}): {reason}",
                ids.len()
            ));
        }
        let t = &self.totals;
        let summary = vec![
            format!(
                "{} trucks, {} bins served, {} unassigned",
                t.trucks_used, t.bins_served, t.bins_unassigned
            ),
            format!(
                "{:.1} km driven, {} driving, {} disposal trips",
                t.distance_m / 1000.0,
                duration(t.driving_s),
                t.disposal_trips
            ),
            format!("{:.0} kg collected", t.collected[0]),
        ];
        let mut summary = summary;
        if !day.streets.is_empty() {
            summary.insert(
                1,
                format!(
                    "{} of {} streets served ({} passes)",
                    day.streets.len() - t.streets_unassigned,
                    day.streets.len(),
                    t.street_passes
                ),
            );
        }
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

/// `HH:MM` of seconds since midnight (hours past 23 for shifts past midnight).
/// A truck's stops as route-sheet rows: arrival, id (or what happens), street, side.
fn route_sheet(route: &crate::plan::TruckRoute) -> Vec<SheetRow> {
    route
        .stops
        .iter()
        .map(|s| SheetRow {
            time: clock(s.arrival_s),
            id: if s.id.is_empty() {
                s.kind.to_string()
            } else {
                s.id.clone()
            },
            street: s.street.clone().unwrap_or_default(),
            note: match (s.kind, s.truck_side, s.direction) {
                (StopKind::Disposal, ..) => "unload".into(),
                (_, Some(side), _) => side.to_string(),
                (_, _, Some(d)) => d.to_string(),
                _ => String::new(),
            },
        })
        .collect()
}

fn clock(s: f64) -> String {
    let m = (s / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `1 h 05 min` or `12 min`.
fn duration(s: f64) -> String {
    let m = (s / 60.0).round() as u64;
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}
