//! OSRM compatibility: kerb answers the requests recorded from a real `osrm-routed` (v26.10,
//! car.lua, data/helsinki.osm.pbf; see fixtures/record.sh) with the same JSON structure and
//! field names, the same error codes, and values within the tolerances documented below.
//!
//! Tolerances (kerb's car profile, speeds and snapping are its own, so numbers are compared as
//! distributions, not per request):
//! - structure: every field OSRM returns is present in kerb's answer with the same JSON type,
//!   except the guidance details kerb does not model (`lanes`, `classes` of intersections, the
//!   `modifier` of depart/arrive) — see `OPTIONAL`;
//! - errors: identical HTTP status and `code` for every recorded bad request;
//! - waypoints: at least 90 % of snapped locations within 25 m of OSRM's;
//! - routes and table cells that both engines find: at least 80 % have a distance within
//!   max(20 %, 150 m) of OSRM's; the median duration ratio kerb/OSRM is within 0.5..2;
//! - reachability: both engines agree on route-or-NoRoute for at least 75 % of requests (the
//!   extract is clipped, so both see small disconnected pieces, but decide about them by their
//!   own access rules).

mod common;

use common::*;
use serde_json::Value;

/// Fields kerb may omit: lane and road-class guidance, and modifiers on depart/arrive.
const OPTIONAL: &[&str] = &["lanes", "classes", "modifier", "message"];

fn fixtures(name: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v.as_array().unwrap().clone()
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Collects differences of structure: fields of `osrm` missing or typed differently in `kerb`.
fn shape_diff(osrm: &Value, kerb: &Value, path: &str, out: &mut Vec<String>) {
    match (osrm, kerb) {
        (Value::Object(o), Value::Object(k)) => {
            for (key, ov) in o {
                match k.get(key) {
                    Some(kv) => shape_diff(ov, kv, &format!("{path}.{key}"), out),
                    None if OPTIONAL.contains(&key.as_str()) => {}
                    None => out.push(format!("{path}.{key} missing")),
                }
            }
        }
        (Value::Array(o), Value::Array(k)) => {
            if let (Some(of), Some(kf)) = (o.first(), k.first()) {
                shape_diff(of, kf, &format!("{path}[0]"), out);
            }
            if let (Some(ol), Some(kl)) = (o.last(), k.last()) {
                shape_diff(ol, kl, &format!("{path}[-1]"), out);
            }
        }
        // Unreachable table cells are null in both; a cell one engine reaches and the other does
        // not is a value difference, counted by the reachability tolerance.
        (Value::Null, Value::Number(_)) | (Value::Number(_), Value::Null) => {}
        (o, k) if type_name(o) == type_name(k) => {}
        (o, k) => out.push(format!("{path}: OSRM {} vs kerb {}", type_name(o), type_name(k))),
    }
}

fn haversine(a: &Value, b: &Value) -> f64 {
    let p = |v: &Value| kerb_core::Point::new(v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
    kerb_core::haversine_m(p(a), p(b))
}

fn close(kerb: f64, osrm: f64) -> bool {
    (kerb - osrm).abs() <= (0.2 * osrm).max(150.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[derive(Default)]
struct Stats {
    waypoints: usize,
    waypoints_close: usize,
    values: usize,
    values_close: usize,
    duration_ratios: Vec<f64>,
    requests: usize,
    agree: usize,
}

impl Stats {
    fn waypoints(&mut self, o: &Value, k: &Value) {
        for (ow, kw) in o.as_array().unwrap().iter().zip(k.as_array().unwrap()) {
            self.waypoints += 1;
            if haversine(&ow["location"], &kw["location"]) <= 25.0 {
                self.waypoints_close += 1;
            }
        }
    }

    fn value(&mut self, kd: f64, od: f64, kt: f64, ot: f64) {
        self.values += 1;
        if close(kd, od) {
            self.values_close += 1;
        }
        if ot > 0.0 && kt > 0.0 {
            self.duration_ratios.push(kt / ot);
        }
    }

    fn check(&self, what: &str) {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        let ratio = if self.duration_ratios.is_empty() { 1.0 } else { median(self.duration_ratios.clone()) };
        println!(
            "{what}: {} requests, reachability agrees {:.1} %, waypoints within 25 m {:.1} % of {}, distances within tolerance {:.1} % of {}, median duration ratio kerb/OSRM {:.2}",
            self.requests,
            pct(self.agree, self.requests),
            pct(self.waypoints_close, self.waypoints),
            self.waypoints,
            pct(self.values_close, self.values),
            self.values,
            ratio
        );
        assert!(pct(self.agree, self.requests) >= 75.0, "{what}: reachability agreement too low");
        assert!(pct(self.waypoints_close, self.waypoints) >= 90.0, "{what}: snapping differs too much");
        if self.values > 0 {
            assert!(pct(self.values_close, self.values) >= 80.0, "{what}: distances differ too much");
            assert!((0.5..=2.0).contains(&ratio), "{what}: durations differ too much");
        }
    }
}

#[test]
fn error_codes_match_osrm() {
    for case in fixtures("errors.json") {
        let path = case["path"].as_str().unwrap();
        let r = get(path);
        let k = r.json();
        assert_eq!(
            (r.status as u64, k["code"].as_str().unwrap()),
            (case["status"].as_u64().unwrap(), case["response"]["code"].as_str().unwrap()),
            "{path}: kerb {k}"
        );
    }
}

fn compare_routes(file: &str) {
    let mut s = Stats::default();
    let mut diffs = Vec::new();
    for case in fixtures(file) {
        let path = case["path"].as_str().unwrap();
        let o = &case["response"];
        let r = get(path);
        let k = r.json();
        s.requests += 1;
        if o["code"] == k["code"] {
            s.agree += 1;
        }
        assert!(k["code"] == "Ok" || k["code"] == "NoRoute", "{path}: {k}");
        if o["code"] != "Ok" || k["code"] != "Ok" {
            continue;
        }
        shape_diff(o, &k, path, &mut diffs);
        s.waypoints(&o["waypoints"], &k["waypoints"]);
        let (or, kr) = (&o["routes"][0], &k["routes"][0]);
        assert_eq!(or["legs"].as_array().unwrap().len(), kr["legs"].as_array().unwrap().len());
        s.value(
            kr["distance"].as_f64().unwrap(),
            or["distance"].as_f64().unwrap(),
            kr["duration"].as_f64().unwrap(),
            or["duration"].as_f64().unwrap(),
        );
    }
    assert!(diffs.is_empty(), "structure differs from OSRM:\n{}", diffs.join("\n"));
    s.check(file);
}

#[test]
fn routes_match_osrm() {
    compare_routes("route.json");
}

#[test]
fn routes_with_steps_and_annotations_match_osrm() {
    compare_routes("route_full.json");
}

#[test]
fn tables_match_osrm() {
    let mut s = Stats::default();
    let mut diffs = Vec::new();
    for case in fixtures("table.json") {
        let path = case["path"].as_str().unwrap();
        let o = &case["response"];
        let k = get(path).json();
        assert_eq!(k["code"], "Ok", "{path}: {k}");
        shape_diff(o, &k, path, &mut diffs);
        s.waypoints(&o["sources"], &k["sources"]);
        let n = o["durations"].as_array().unwrap().len();
        for i in 0..n {
            for j in 0..n {
                let (od, kd) = (&o["distances"][i][j], &k["distances"][i][j]);
                s.requests += 1;
                if od.is_null() == kd.is_null() {
                    s.agree += 1;
                }
                if let (Some(od), Some(kd)) = (od.as_f64(), kd.as_f64()) {
                    if i != j {
                        let (ot, kt) = (o["durations"][i][j].as_f64().unwrap(), k["durations"][i][j].as_f64().unwrap());
                        s.value(kd, od, kt, ot);
                    }
                }
            }
        }
    }
    assert!(diffs.is_empty(), "structure differs from OSRM:\n{}", diffs.join("\n"));
    s.check("table.json cells");
}

#[test]
fn nearest_matches_osrm() {
    let mut s = Stats::default();
    let mut diffs = Vec::new();
    for case in fixtures("nearest.json") {
        let path = case["path"].as_str().unwrap();
        let o = &case["response"];
        let k = get(path).json();
        s.requests += 1;
        if o["code"] == k["code"] {
            s.agree += 1;
        }
        shape_diff(o, &k, path, &mut diffs);
        assert_eq!(k["waypoints"].as_array().unwrap().len(), o["waypoints"].as_array().unwrap().len());
        // Compare the nearest result only: further results depend on how roads are split.
        s.waypoints(&Value::Array(vec![o["waypoints"][0].clone()]), &Value::Array(vec![k["waypoints"][0].clone()]));
    }
    assert!(diffs.is_empty(), "structure differs from OSRM:\n{}", diffs.join("\n"));
    s.check("nearest.json");
}
