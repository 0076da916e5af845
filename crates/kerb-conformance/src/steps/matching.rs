//! `When I match I should get`: OSRM's map-matching step (`features/step_definitions/
//! matching.js`). Each row's `trace` names nodes of the map; `timestamps` (space separated)
//! and `param:*` columns become query options; the answer's tracepoints, grouped by
//! `matchings_index`, must lie on the row's `matchings` nodes, and `code`, `turns`, `route`,
//! `duration`, `geometry`, `a:*`, `alternatives` and `waypoints` are compared as OSRM does.

use std::collections::HashMap;

use serde_json::Value;

use super::{fail, js_number, json_text, step_list, turn_text, Run, StepResult};
use crate::fuzzy;
use crate::world::hashes;

/// Google polyline of `precision` digits, decoded to `lat,lon,...` as JavaScript prints it.
fn decode_polyline(s: &str, precision: u32) -> String {
    let factor = 10f64.powi(precision as i32);
    let mut values = Vec::new();
    let (mut acc, mut shift) = (0i64, 0u32);
    for b in s.bytes() {
        let chunk = i64::from(b) - 63;
        acc |= (chunk & 0x1f) << shift;
        shift += 5;
        if chunk < 0x20 {
            values.push(if acc & 1 == 1 { !(acc >> 1) } else { acc >> 1 });
            (acc, shift) = (0, 0);
        }
    }
    let mut last = [0i64; 2];
    let mut out = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        last[i % 2] += v;
        out.push(js_number(last[i % 2] as f64 / factor));
    }
    out.join(",")
}

impl Run<'_> {
    pub(super) fn match_table(&mut self, rows: &[Vec<String>]) -> StepResult {
        let header = rows.first().cloned().unwrap_or_default();
        let mut mismatches = Vec::new();
        let mut first = None;
        for row in hashes(rows) {
            let trace = row.get("trace").cloned().unwrap_or_default();
            if trace.is_empty() {
                return Err(fail("runner: match row without trace", format!("{row:?}")));
            }
            let names: Vec<String> = trace.chars().map(String::from).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let coords = self.coordinates(&refs)?;
            let mut user: Vec<(String, Option<String>)> = Vec::new();
            for (k, v) in &row {
                if let Some(p) = k.strip_prefix("param:") {
                    user.push((p.to_string(), (v != "(nil)").then(|| v.clone())));
                }
            }
            if let Some(t) = row.get("timestamps").filter(|t| !t.is_empty()) {
                let t: Vec<&str> = t.split_whitespace().collect();
                user.push(("timestamps".into(), Some(t.join(";"))));
            }
            let query = self.params(&[], &user);
            let resp = self.get("match", &coords, &query)?;
            let got = self.match_columns(&resp.json, resp.status, &row);
            for k in &header {
                if k == "trace" || k == "timestamps" || k.starts_with("param:") {
                    continue;
                }
                let want = row.get(k).map(String::as_str).unwrap_or("");
                let g = got.get(k.as_str()).cloned().unwrap_or_default();
                if !fuzzy::matches(&g, want) {
                    first.get_or_insert_with(|| k.clone());
                    let why = if resp.code() == "Ok" {
                        String::new()
                    } else {
                        format!(
                            " ({}: {})",
                            resp.code(),
                            resp.json.get("message").map(json_text).unwrap_or_default()
                        )
                    };
                    mismatches.push(format!("[{trace}] {k}: want {want:?}, got {g:?}{why}"));
                }
            }
        }
        match first {
            None => Ok(()),
            Some(col) => Err(fail(format!("match: {col} differs"), mismatches.join("; "))),
        }
    }

    /// The cells OSRM's runner derives from a match response.
    fn match_columns(
        &self,
        json: &Value,
        status: u16,
        row: &HashMap<String, String>,
    ) -> HashMap<String, String> {
        let mut got = HashMap::new();
        got.insert("code".to_string(), json_text(&json["code"]));
        if status != 200 {
            return got;
        }
        let tracepoints = json["tracepoints"].as_array().cloned().unwrap_or_default();
        let location = |t: &Value| [t["location"][0].as_f64(), t["location"][1].as_f64()];
        let at = |t: &Value, name: char| match (location(t), self.world.location(&name.to_string()))
        {
            ([Some(x), Some(y)], Some(want)) => fuzzy::matches_location([x, y], want),
            _ => false,
        };
        if let Some(want) = row.get("matchings") {
            let mut subs: Vec<Vec<&Value>> = Vec::new();
            let mut current = None;
            for t in tracepoints.iter().filter(|t| !t.is_null()) {
                let m = t["matchings_index"].as_u64();
                if m != current {
                    subs.push(Vec::new());
                    current = m;
                }
                if let Some(s) = subs.last_mut() {
                    s.push(t);
                }
            }
            let wanted: Vec<&str> = want.split(',').collect();
            let ok = subs.len() == wanted.len()
                && wanted.iter().zip(&subs).all(|(w, sub)| {
                    w.chars()
                        .enumerate()
                        .all(|(i, c)| sub.get(i).is_some_and(|t| at(t, c)))
                });
            let text = if ok {
                want.clone()
            } else {
                subs.iter()
                    .map(|sub| {
                        sub.iter()
                            .map(|t| {
                                self.world.node_near([
                                    t["location"][0].as_f64().unwrap_or(0.0),
                                    t["location"][1].as_f64().unwrap_or(0.0),
                                ])
                            })
                            .collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            };
            got.insert("matchings".into(), text);
        }
        if let Some(want) = row.get("waypoints") {
            let wps: Vec<&Value> = tracepoints
                .iter()
                .filter(|t| !t.is_null() && !t["waypoint_index"].is_null())
                .collect();
            let ok =
                wps.len() == want.chars().count() && want.chars().zip(&wps).all(|(c, t)| at(t, c));
            got.insert(
                "waypoints".into(),
                if ok {
                    want.clone()
                } else {
                    format!("{} waypoints", wps.len())
                },
            );
        }
        got.insert(
            "alternatives".into(),
            tracepoints
                .iter()
                .map(|t| json_text(&t["alternatives_count"]))
                .collect::<Vec<_>>()
                .join(","),
        );
        got.insert(
            "matchings_index".into(),
            tracepoints
                .iter()
                .map(|t| json_text(&t["matchings_index"]))
                .collect::<Vec<_>>()
                .join(","),
        );
        let matchings = json["matchings"].as_array().cloned().unwrap_or_default();
        // The single-matching columns (OSRM's runner refuses them on split traces).
        let Some(m) = matchings.first().filter(|_| matchings.len() == 1) else {
            return got;
        };
        got.insert("turns".into(), step_list(m, turn_text));
        got.insert(
            "route".into(),
            step_list(m, |s| json_text(&s["name"])).trim().to_string(),
        );
        got.insert("duration".into(), json_text(&m["duration"]));
        got.insert("confidence".into(), json_text(&m["confidence"]));
        let geometry = match &m["geometry"] {
            Value::String(s) => {
                let precision = if self
                    .query
                    .iter()
                    .any(|(k, v)| k == "geometries" && v == "polyline6")
                {
                    6
                } else {
                    5
                };
                decode_polyline(s, precision)
            }
            g => g["coordinates"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .flat_map(|p| p.as_array().cloned().unwrap_or_default())
                        .map(|v| json_text(&v))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
        };
        got.insert("geometry".into(), geometry);
        for k in row.keys().filter(|k| k.starts_with("a:")) {
            let kind = &k[2..];
            let legs = m["legs"].as_array().cloned().unwrap_or_default();
            let v = legs
                .iter()
                .filter_map(|l| l["annotation"][kind].as_array().cloned())
                .map(|vals| vals.iter().map(json_text).collect::<Vec<_>>().join(":"))
                .collect::<Vec<_>>()
                .join(",");
            got.insert(k.clone(), v);
        }
        got
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn polylines_decode_like_the_javascript_runner() {
        // Google's example: (38.5, -120.2), (40.7, -120.95), (43.252, -126.453).
        assert_eq!(
            super::decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5),
            "38.5,-120.2,40.7,-120.95,43.252,-126.453"
        );
    }
}
