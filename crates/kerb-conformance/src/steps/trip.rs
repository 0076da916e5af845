//! `When I plan a trip I should get`: OSRM's trip step (`features/step_definitions/trip.js`).
//! Each row names its stops (`waypoints`, or `from`/`to`) and `param:*` options; the answer's
//! waypoints, sorted by `trips_index` and `waypoint_index`, give the visiting order of each
//! trip (the first stop again at the end of a round trip), compared with the row's `trips`;
//! `code`, `status`, `message`, `durations` and `distance` (sums over the trip's legs) as OSRM
//! compares them.

use std::collections::HashMap;

use serde_json::Value;

use super::{fail, js_number, json_text, Run, StepResult};
use crate::fuzzy;
use crate::world::hashes;

impl Run<'_> {
    pub(super) fn trip_table(&mut self, rows: &[Vec<String>]) -> StepResult {
        let header = rows.first().cloned().unwrap_or_default();
        let mut mismatches = Vec::new();
        let mut first = None;
        for row in hashes(rows) {
            let names: Vec<String> = match (row.get("from"), row.get("to"), row.get("waypoints")) {
                (Some(f), Some(t), _) if !f.is_empty() && !t.is_empty() => {
                    vec![f.clone(), t.clone()]
                }
                (_, _, Some(w)) => w.split(',').map(|s| s.trim().to_string()).collect(),
                _ => {
                    return Err(fail(
                        "runner: trip row without waypoints",
                        format!("{row:?}"),
                    ))
                }
            };
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let coords = self.coordinates(&refs)?;
            // OSRM's trip rows name `source`, `destination` and `roundtrip` without `param:`.
            let user: Vec<(String, Option<String>)> = row
                .iter()
                .filter_map(|(k, v)| {
                    let p = k.strip_prefix("param:").or_else(|| {
                        matches!(k.as_str(), "source" | "destination" | "roundtrip")
                            .then_some(k.as_str())
                    })?;
                    if v.is_empty() {
                        return None;
                    }
                    Some((p.to_string(), (v != "(nil)").then(|| v.clone())))
                })
                .collect();
            let from_row = user
                .iter()
                .find(|(k, _)| k == "roundtrip")
                .map(|(_, v)| v.clone());
            let from_query = self.query.iter().find(|(k, _)| k == "roundtrip");
            let roundtrip = from_row
                .unwrap_or_else(|| from_query.map(|(_, v)| v.clone()))
                .is_none_or(|v| v == "true");
            let query = self.params(&[("steps", "true")], &user);
            let resp = self.get("trip", &coords, &query)?;
            let got = self.trip_columns(&resp.json, resp.status, roundtrip);
            for k in &header {
                let input = matches!(
                    k.as_str(),
                    "waypoints" | "from" | "to" | "#" | "source" | "destination" | "roundtrip"
                );
                if input || k.starts_with("param:") {
                    continue;
                }
                let want = row.get(k).map(String::as_str).unwrap_or("");
                let g = got.get(k.as_str()).cloned().unwrap_or_default();
                let ok = if k == "trips" {
                    trips_match(&g, want)
                } else {
                    fuzzy::matches(&g, want)
                };
                if !ok {
                    first.get_or_insert_with(|| k.clone());
                    mismatches.push(format!(
                        "[{}] {k}: want {want:?}, got {g:?}",
                        names.join(",")
                    ));
                }
            }
        }
        match first {
            None => Ok(()),
            Some(col) => Err(fail(format!("trip: {col} differs"), mismatches.join("; "))),
        }
    }

    /// The cells OSRM's runner derives from a trip response.
    fn trip_columns(&self, json: &Value, status: u16, roundtrip: bool) -> HashMap<String, String> {
        let mut got = HashMap::new();
        got.insert("code".to_string(), json_text(&json["code"]));
        got.insert("status".to_string(), json_text(&json["code"]));
        got.insert("message".to_string(), json_text(&json["message"]));
        if status != 200 {
            return got;
        }
        let mut wps: Vec<&Value> = json["waypoints"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let key = |w: &Value| {
            (
                w["trips_index"].as_u64().unwrap_or(0),
                w["waypoint_index"].as_u64().unwrap_or(0),
            )
        };
        wps.sort_by_key(|w| key(w));
        let mut trips: Vec<String> = Vec::new();
        let mut current = None;
        for w in wps {
            let (t, _) = key(w);
            if current != Some(t) {
                trips.push(String::new());
                current = Some(t);
            }
            let loc = [
                w["location"][0].as_f64().unwrap_or(f64::NAN),
                w["location"][1].as_f64().unwrap_or(f64::NAN),
            ];
            if let Some(s) = trips.last_mut() {
                s.push_str(&self.world.name_at(loc));
            }
        }
        if roundtrip {
            for t in &mut trips {
                if let Some(c) = t.chars().next() {
                    t.push(c);
                }
            }
        }
        got.insert("trips".into(), trips.join(","));
        let sums = |field: &str| {
            json["trips"]
                .as_array()
                .map(|ts| {
                    ts.iter()
                        .map(|t| {
                            let s: f64 = t["legs"]
                                .as_array()
                                .map(|l| l.iter().map(|l| l[field].as_f64().unwrap_or(0.0)).sum())
                                .unwrap_or(0.0);
                            js_number(s)
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default()
        };
        got.insert("durations".into(), sums("duration"));
        got.insert("distance".into(), sums("distance"));
        got
    }
}

/// OSRM's runner compares a trip node by node from its first stop (its TODO: "check all
/// rotations of the round trip"); kerb starts round trips at the first input coordinate as
/// OSRM does, so the comparison is the same.
fn trips_match(got: &str, want: &str) -> bool {
    let (g, w): (Vec<&str>, Vec<&str>) = (got.split(',').collect(), want.split(',').collect());
    g.len() >= w.len()
        && w.iter()
            .zip(&g)
            .all(|(w, g)| g.len() >= w.len() && g.starts_with(w))
}
