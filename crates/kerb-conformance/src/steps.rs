//! Runs one scenario: the `Given` steps draw the map, the `When`/`Then` steps query kerb's
//! router and compare the answers column by column with OSRM's runner semantics.

use std::collections::HashMap;

use axum::http::Method;
use kerb_core::Profile;
use serde_json::Value;

use crate::fuzzy;
use crate::gherkin::{Scenario, Step, StepArg};
use crate::report::Outcome;
use crate::server::{Response, Server, ServerError};
use crate::world::{hashes, World, WAY_SPACING};

mod matching;
mod trip;

/// How a step ended when it did not simply succeed.
enum Stop {
    Fail { reason: String, detail: String },
    Skip(String),
}

fn fail(reason: impl Into<String>, detail: impl Into<String>) -> Stop {
    Stop::Fail {
        reason: reason.into(),
        detail: detail.into(),
    }
}

type StepResult = Result<(), Stop>;

/// Profiles whose scenarios are skipped and counted: kerb runs motor vehicles only, and
/// `turnbot` tests OSRM's Lua turn function.
const SKIPPED_PROFILES: [&str; 4] = ["turnbot", "bicycle", "foot", "rasterbot"];

struct Run<'a> {
    rt: &'a tokio::runtime::Runtime,
    world: World,
    profile: Option<Profile>,
    query: Vec<(String, String)>,
    shortcuts: HashMap<String, String>,
    server: Option<Server>,
    last: Option<Response>,
    tags: &'a [String],
    /// `--small-component-size` of `the extract extra arguments`.
    small_component_size: Option<u32>,
    /// When conditional restrictions are evaluated: osrm-contract's
    /// `--parse-conditionals-from-now` in the `--time-zone-file`'s local time.
    conditionals_at: Option<kerb_core::AccessTime>,
    /// UTC offset in hours of the scenario's `--time-zone-file`.
    utc_offset_h: i64,
}

/// Runs `scenario` on `rt` (a runtime with a blocking pool: kerb-http computes there).
pub fn run(scenario: &Scenario, rt: &tokio::runtime::Runtime) -> Outcome {
    let mut run = Run {
        rt,
        world: World::default(),
        profile: None,
        query: Vec::new(),
        shortcuts: HashMap::new(),
        server: None,
        last: None,
        tags: &scenario.tags,
        small_component_size: None,
        conditionals_at: None,
        utc_offset_h: 0,
    };
    for step in &scenario.steps {
        match run.step(step) {
            Ok(()) => {}
            Err(Stop::Skip(reason)) => return Outcome::Skipped { reason },
            Err(Stop::Fail { reason, detail }) => {
                return Outcome::Failed {
                    reason,
                    detail: format!("line {}: {detail}", step.line),
                }
            }
        }
    }
    Outcome::Passed
}

fn table(step: &Step) -> Result<&[Vec<String>], Stop> {
    match &step.arg {
        StepArg::Table(t) => Ok(t),
        _ => Err(fail("runner: step needs a table", step.text.clone())),
    }
}

fn quoted(text: &str) -> Option<&str> {
    let start = text.find('"')? + 1;
    let end = start + text[start..].find('"')?;
    Some(&text[start..end])
}

/// JavaScript's `Number.prototype.toString` for the values OSRM returns.
fn js_number(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e21 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map(js_number).unwrap_or_default(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

impl Run<'_> {
    fn map_changed(&mut self) {
        self.server = None;
    }

    /// The scenario's profile. Without a `the profile` step OSRM's runner uses its default,
    /// `bicycle`, unless the run names one; OSRM runs its `@testbot` features with testbot.
    fn profile(&self) -> Result<Profile, Stop> {
        let mut p = self.named_profile()?;
        if self.conditionals_at.is_some() {
            p.access_at = self.conditionals_at;
        }
        Ok(p)
    }

    fn named_profile(&self) -> Result<Profile, Stop> {
        if let Some(p) = &self.profile {
            return Ok(p.clone());
        }
        if self.tags.iter().any(|t| t == "testbot") {
            return crate::testbot::profile()
                .map_err(|e| fail("runner: testbot profile", e.to_string()));
        }
        Err(Stop::Skip("profile bicycle (OSRM's default)".into()))
    }

    fn server(&mut self) -> Result<&Server, Stop> {
        if self.server.is_none() {
            let profile = self.profile()?;
            let s = Server::start(&self.world.data, &profile, self.small_component_size)
                .map_err(|e| fail(format!("kerb: {e}"), e.to_string()))?;
            self.server = Some(s);
        }
        Ok(self.server.as_ref().expect("just started"))
    }

    fn step(&mut self, step: &Step) -> StepResult {
        let t = step.text.as_str();
        let map_err = |e: crate::world::MapError| fail("runner: bad map table", e.to_string());
        if let Some(rest) = t.strip_prefix("the profile file") {
            let _ = rest;
            return Err(Stop::Skip("custom Lua profile file".into()));
        }
        if t.starts_with("the profile ") {
            let name = quoted(t).unwrap_or("");
            self.map_changed();
            return match name {
                "car" => {
                    self.profile = Some(Profile::car());
                    Ok(())
                }
                "testbot" => {
                    self.profile = Some(
                        crate::testbot::profile()
                            .map_err(|e| fail("runner: testbot profile", e.to_string()))?,
                    );
                    Ok(())
                }
                n if SKIPPED_PROFILES.contains(&n) => Err(Stop::Skip(format!("profile {n}"))),
                n => Err(Stop::Skip(format!("profile {n}"))),
            };
        }
        if let Some(rest) = t.strip_prefix("a grid size of ") {
            let m: f64 = rest
                .trim_end_matches(" meters")
                .trim()
                .parse()
                .map_err(|_| fail("runner: bad grid size", t))?;
            self.world.set_grid_size(m);
            return Ok(());
        }
        if let Some(rest) = t.strip_prefix("the origin ") {
            let (lon, lat) = rest
                .split_once(',')
                .ok_or_else(|| fail("runner: bad origin", t))?;
            let (lon, lat) = (lon.trim().parse(), lat.trim().parse());
            match (lon, lat) {
                (Ok(lon), Ok(lat)) => self.world.set_origin(lon, lat),
                _ => return Err(fail("runner: bad origin", t)),
            }
            return Ok(());
        }
        match t {
            "the node map" => {
                let StepArg::DocString(map) = &step.arg else {
                    return Err(fail("runner: node map needs a doc string", t));
                };
                self.map_changed();
                return self.world.add_node_map(map).map_err(map_err);
            }
            "the node locations" => {
                self.map_changed();
                return self.world.add_node_locations(table(step)?).map_err(map_err);
            }
            "the nodes" => {
                self.map_changed();
                return self.world.add_node_tags(table(step)?).map_err(map_err);
            }
            "the ways" | "the ways with locations" => {
                self.map_changed();
                return self.world.add_ways(table(step)?).map_err(map_err);
            }
            "the relations" => {
                self.map_changed();
                return self.world.add_relations(table(step)?).map_err(map_err);
            }
            "the shortcuts" => {
                for row in hashes(table(step)?) {
                    if let (Some(k), Some(v)) = (row.get("key"), row.get("value")) {
                        self.shortcuts.insert(k.clone(), v.clone());
                    }
                }
                return Ok(());
            }
            "the query options" => {
                for row in table(step)? {
                    if let [k, v, ..] = row.as_slice() {
                        self.query.retain(|(key, _)| key != k);
                        self.query.push((k.clone(), v.clone()));
                    }
                }
                return Ok(());
            }
            "the speed file" | "the turn penalty file" => {
                return Err(fail(
                    "kerb lacks: traffic updates (speed / turn penalty files)",
                    t,
                ))
            }
            "I route I should get" => return self.route_table(table(step)?),
            "I request a travel time matrix I should get" => {
                return self.matrix(table(step)?, "durations")
            }
            "I request a travel distance matrix I should get" => {
                return self.matrix(table(step)?, "distances")
            }
            "I request a travel time matrix I should get estimates for" => {
                return self.matrix_estimates(table(step)?)
            }
            "I request nearest I should get" => return self.nearest(table(step)?),
            "routability should be" => return self.routability(table(step)?),
            "I plan a trip I should get" => return self.trip_table(table(step)?),
            "I match I should get" => return self.match_table(table(step)?),
            "response should be flatbuffers" => {
                return Err(fail("kerb lacks: flatbuffers output", t))
            }
            _ => {}
        }
        if t.contains("with flatbuffers") {
            return Err(fail("kerb lacks: flatbuffers output", t));
        }
        if t.starts_with("I route ") && t.ends_with(" times I should get") {
            return self.route_table(table(step)?);
        }
        if let Some(rest) = t.strip_prefix("I POST to ") {
            let path = rest.trim_end_matches(" with body").trim();
            let StepArg::DocString(body) = &step.arg else {
                return Err(fail("runner: POST needs a doc string", t));
            };
            let body = body.clone();
            let rt = self.rt;
            let resp = self.server()?.request(rt, Method::POST, path, Some(body));
            self.last = Some(resp);
            return Ok(());
        }
        if let Some(want) = t.strip_prefix("status code should be ") {
            let got = self
                .last
                .as_ref()
                .map(|r| r.code().to_string())
                .unwrap_or_default();
            return if got == want.trim() {
                Ok(())
            } else {
                Err(fail(
                    "response: status code differs",
                    format!("want {want}, got {got}"),
                ))
            };
        }
        let tool_step = t.starts_with("the extract extra arguments")
            || t.starts_with("the contract extra arguments")
            || t.starts_with("the customize extra arguments")
            || t.starts_with("the partition extra arguments")
            || t.starts_with("data is loaded");
        if tool_step {
            // Options of OSRM's preprocessing tools and loaders: kerb has one import step, and
            // honours the one that changes answers, osrm-extract's `--small-component-size`.
            let args: Vec<&str> = quoted(t).unwrap_or_default().split_whitespace().collect();
            // Conditional restrictions: the moment of `--parse-conditionals-from-now` in the
            // local time of the `--time-zone-file` (the fixtures' zones by file name, at the
            // May 2017 dates the scenarios use).
            for a in &args {
                if let Some(file) = a.strip_prefix("--time-zone-file=") {
                    self.utc_offset_h = match file.rsplit('/').next().unwrap_or("") {
                        "dc.geojson" => -4,
                        "london.geojson" => 1,
                        _ => 0,
                    };
                }
            }
            for a in &args {
                if let Some(epoch) = a.strip_prefix("--parse-conditionals-from-now=") {
                    let epoch: i64 = epoch
                        .parse()
                        .map_err(|_| fail("runner: bad --parse-conditionals-from-now", t))?;
                    self.conditionals_at = Some(local_time(epoch + self.utc_offset_h * 3600));
                    self.map_changed();
                }
            }
            if let Some(i) = args.iter().position(|a| *a == "--small-component-size") {
                let n = args
                    .get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| fail("runner: bad --small-component-size", t.to_string()))?;
                self.small_component_size = Some(n);
                self.map_changed();
            }
            return Ok(());
        }
        let cli = t.starts_with("I run ")
            || t.starts_with("I try to run ")
            || t.starts_with("it should exit")
            || t.starts_with("stderr ")
            || t.starts_with("stdout ")
            || t.starts_with("the data has been")
            || t.starts_with("I display")
            || t.starts_with("I should see")
            || t.starts_with("I have a hello message");
        if cli {
            return Err(Stop::Skip(
                "OSRM command-line tools or runner self-test".into(),
            ));
        }
        Err(fail("runner: step not supported", t))
    }

    fn params(&self, defaults: &[(&str, &str)], user: &[(String, Option<String>)]) -> String {
        let mut params: Vec<(String, String)> = defaults
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut set = |k: &str, v: Option<&str>| {
            params.retain(|(key, _)| key != k);
            if let Some(v) = v {
                params.push((k.to_string(), v.to_string()));
            }
        };
        for (k, v) in &self.query {
            set(k, Some(v));
        }
        for (k, v) in user {
            set(k, v.as_deref());
        }
        params
            .iter()
            .filter(|(k, _)| k != "output")
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn coordinates(&self, names: &[&str]) -> Result<String, Stop> {
        names
            .iter()
            .map(|n| {
                self.world
                    .location(n)
                    .map(|[lon, lat]| format!("{lon},{lat}"))
                    .ok_or_else(|| fail("runner: unknown node", format!("{n:?}")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|c| c.join(";"))
    }

    fn get(&mut self, service: &str, coords: &str, query: &str) -> Result<Response, Stop> {
        let rt = self.rt;
        let server = self.server()?;
        let uri = format!("/{service}/v1/{}/{coords}?{query}", server.profile());
        Ok(server.request(rt, Method::GET, &uri, None))
    }

    fn route_table(&mut self, rows: &[Vec<String>]) -> StepResult {
        let header = rows.first().cloned().unwrap_or_default();
        let mut mismatches = Vec::new();
        let mut first_column = None;
        let mut first_route_diff: Option<(String, String)> = None;
        let mut all_close = true;
        for row in hashes(rows) {
            let resp = if let Some(req) = row.get("request") {
                let rt = self.rt;
                let server = self.server()?;
                let uri = if req.starts_with('/') {
                    req.clone()
                } else {
                    format!("/{req}")
                };
                server.request(rt, Method::GET, &uri, None)
            } else {
                let mut user: Vec<(String, Option<String>)> = Vec::new();
                for (k, v) in &row {
                    if let Some(p) = k.strip_prefix("param:") {
                        if v == "(nil)" {
                            user.push((p.to_string(), None));
                        } else if !v.is_empty() {
                            user.push((p.to_string(), Some(v.clone())));
                        }
                    }
                }
                if let Some(v) = row.get("bearings").filter(|v| !v.is_empty()) {
                    // OSRM's runner: `*` is no bearing, a bare bearing gets a 10 degree range.
                    let bearings: Vec<String> = v
                        .split_whitespace()
                        .map(|b| match b {
                            "*" => String::new(),
                            b if b.contains(',') => b.to_string(),
                            b => format!("{b},10"),
                        })
                        .collect();
                    user.push(("bearings".into(), Some(bearings.join(";"))));
                }
                if let Some(v) = row.get("approaches").filter(|v| !v.is_empty()) {
                    let approaches: Vec<&str> = v.split_whitespace().collect();
                    user.push(("approaches".into(), Some(approaches.join(";"))));
                }
                let names: Vec<String> =
                    match (row.get("from"), row.get("to"), row.get("waypoints")) {
                        (Some(f), Some(t), _) if !f.is_empty() && !t.is_empty() => {
                            vec![f.clone(), t.clone()]
                        }
                        (_, _, Some(w)) => w.split(',').map(|s| s.trim().to_string()).collect(),
                        _ => {
                            return Err(fail(
                                "runner: route row without waypoints",
                                format!("{row:?}"),
                            ))
                        }
                    };
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                let coords = self.coordinates(&refs)?;
                let query = self.params(&[("steps", "true"), ("alternatives", "false")], &user);
                self.get("route", &coords, &query)?
            };
            let got = route_columns(&resp, &row, &self.world);
            for k in &header {
                let want = row.get(k).map(String::as_str).unwrap_or("");
                if is_route_input(k) {
                    continue;
                }
                let g = got.get(k.as_str()).cloned();
                let ok = match &g {
                    Some(g) => fuzzy::matches(g, want),
                    None => want.is_empty(),
                };
                if !ok {
                    if first_column.is_none() && k == "route" {
                        first_route_diff = Some((want.to_string(), g.clone().unwrap_or_default()));
                    }
                    first_column.get_or_insert_with(|| k.clone());
                    all_close &= fuzzy::close_number(g.as_deref().unwrap_or(""), want);
                    let why = if resp.code() == "Ok" {
                        String::new()
                    } else {
                        format!(
                            " ({}: {})",
                            resp.code(),
                            resp.json.get("message").map(json_text).unwrap_or_default()
                        )
                    };
                    mismatches.push(format!(
                        "[{}] {k}: want {want:?}, got {}{why}",
                        row_label(&row),
                        g.map(|g| format!("{g:?}"))
                            .unwrap_or_else(|| "(column not produced)".into())
                    ));
                }
            }
        }
        match first_column {
            None => Ok(()),
            Some(col) => Err(fail(
                format!(
                    "route: {}{}",
                    route_reason(&col, first_route_diff.as_ref()),
                    close_suffix(all_close)
                ),
                mismatches.join("; "),
            )),
        }
    }

    /// The matrix request of a table step: the coordinates (all of them for a symmetric table,
    /// else the columns then the rows) and the `sources`/`destinations` options.
    #[allow(clippy::type_complexity)]
    fn matrix_request(
        &self,
        header: &[String],
        body: &[Vec<String>],
    ) -> Result<(Vec<String>, String, Vec<(String, Option<String>)>), Stop> {
        let cols: Vec<&str> = header.iter().skip(1).map(String::as_str).collect();
        let row_names: Vec<&str> = body.iter().map(|r| r[0].as_str()).collect();
        if cols == row_names {
            return Ok((
                cols.iter().map(|c| c.to_string()).collect(),
                self.coordinates(&cols)?,
                Vec::new(),
            ));
        }
        let mut all = cols.clone();
        all.extend(row_names.iter());
        let dst: Vec<String> = (0..cols.len()).map(|i| i.to_string()).collect();
        let src: Vec<String> = (cols.len()..all.len()).map(|i| i.to_string()).collect();
        Ok((
            cols.iter().map(|c| c.to_string()).collect(),
            self.coordinates(&all)?,
            vec![
                ("sources".to_string(), Some(src.join(";"))),
                ("destinations".to_string(), Some(dst.join(";"))),
            ],
        ))
    }

    /// `I request a travel time matrix I should get estimates for`: a `Y` cell must be listed
    /// in the answer's `fallback_speed_cells`, an empty one must not.
    fn matrix_estimates(&mut self, rows: &[Vec<String>]) -> StepResult {
        let Some((header, body)) = rows.split_first() else {
            return Err(fail("runner: empty matrix table", ""));
        };
        let (cols, coords, extra) = self.matrix_request(header, body)?;
        let query = self.params(&[("annotations", "duration")], &extra);
        let resp = self.get("table", &coords, &query)?;
        let cells: Vec<[u64; 2]> = resp
            .json
            .get("fallback_speed_cells")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|c| Some([c.get(0)?.as_u64()?, c.get(1)?.as_u64()?]))
                    .collect()
            })
            .unwrap_or_default();
        let mut mismatches = Vec::new();
        for (ri, row) in body.iter().enumerate() {
            for (ci, want) in row.iter().skip(1).enumerate() {
                let estimated = cells.contains(&[ri as u64, ci as u64]);
                if estimated != (want.trim() == "Y") {
                    mismatches.push(format!(
                        "{}->{}: want {want:?}, got {:?}",
                        row[0],
                        cols[ci],
                        if estimated { "Y" } else { "" }
                    ));
                }
            }
        }
        if mismatches.is_empty() {
            Ok(())
        } else {
            Err(fail("table: estimated cells differ", mismatches.join("; ")))
        }
    }

    fn matrix(&mut self, rows: &[Vec<String>], annotation: &str) -> StepResult {
        let Some((header, body)) = rows.split_first() else {
            return Err(fail("runner: empty matrix table", ""));
        };
        let cols: Vec<&str> = header.iter().skip(1).map(String::as_str).collect();
        let row_names: Vec<&str> = body.iter().map(|r| r[0].as_str()).collect();
        let symmetric = cols == row_names;
        let (coords, extra) = if symmetric {
            (self.coordinates(&cols)?, Vec::new())
        } else {
            let mut all = cols.clone();
            all.extend(row_names.iter());
            let dst: Vec<String> = (0..cols.len()).map(|i| i.to_string()).collect();
            let src: Vec<String> = (cols.len()..all.len()).map(|i| i.to_string()).collect();
            (
                self.coordinates(&all)?,
                vec![
                    ("sources".to_string(), Some(src.join(";"))),
                    ("destinations".to_string(), Some(dst.join(";"))),
                ],
            )
        };
        let ann = if annotation == "durations" {
            "duration"
        } else {
            "distance"
        };
        let query = self.params(&[("annotations", ann)], &extra);
        let resp = self.get("table", &coords, &query)?;
        let Some(matrix) = resp.json.get(annotation).and_then(Value::as_array) else {
            return Err(fail(
                format!("table: no {annotation} ({})", resp.code()),
                resp.json.get("message").map(json_text).unwrap_or_default(),
            ));
        };
        let mut mismatches = Vec::new();
        let mut all_close = true;
        for (ri, row) in body.iter().enumerate() {
            for (ci, want) in row.iter().skip(1).enumerate() {
                let got = matrix
                    .get(ri)
                    .and_then(|r| r.get(ci))
                    .map(json_text)
                    .unwrap_or_default();
                if !fuzzy::matches(&got, want) {
                    all_close &= fuzzy::close_number(&got, want);
                    mismatches.push(format!(
                        "{}->{}: want {want:?}, got {got:?}",
                        row[0], cols[ci]
                    ));
                }
            }
        }
        if mismatches.is_empty() {
            Ok(())
        } else {
            Err(fail(
                format!("table: {annotation} differ{}", close_suffix(all_close)),
                mismatches.join("; "),
            ))
        }
    }

    fn nearest(&mut self, rows: &[Vec<String>]) -> StepResult {
        let mut mismatches = Vec::new();
        let mut first = None;
        for row in hashes(rows) {
            let input = row.get("in").cloned().unwrap_or_default();
            let coords = self.coordinates(&[input.as_str()])?;
            let query = self.params(&[], &[]);
            let resp = self.get("nearest", &coords, &query)?;
            let wp = resp.json.get("waypoints").and_then(|w| w.get(0)).cloned();
            for (k, want) in &row {
                let got = match k.as_str() {
                    "in" => continue,
                    "code" => resp.code().to_string(),
                    "out" => {
                        let loc = wp
                            .as_ref()
                            .and_then(|w| w.get("location"))
                            .and_then(|l| Some([l.get(0)?.as_f64()?, l.get(1)?.as_f64()?]));
                        let want_loc = self.world.location(want);
                        match (loc, want_loc) {
                            (Some(g), Some(w)) if fuzzy::matches_location(g, w) => want.clone(),
                            (Some(g), _) => {
                                format!("{},{} ({})", g[0], g[1], self.world.name_at(g))
                            }
                            _ => String::new(),
                        }
                    }
                    "name" => wp
                        .as_ref()
                        .and_then(|w| w.get("name"))
                        .map(json_text)
                        .unwrap_or_default(),
                    "result_count" => resp
                        .json
                        .get("waypoints")
                        .and_then(Value::as_array)
                        .map(|a| a.len().to_string())
                        .unwrap_or_default(),
                    "snapping_distance" => wp
                        .as_ref()
                        .and_then(|w| w.get("distance"))
                        .and_then(Value::as_f64)
                        .map(|d| format!("{d:.1}"))
                        .unwrap_or_default(),
                    "nodes" => {
                        let ids: Vec<i64> = wp
                            .as_ref()
                            .and_then(|w| w.get("nodes"))
                            .and_then(Value::as_array)
                            .map(|a| a.iter().filter_map(Value::as_i64).collect())
                            .unwrap_or_default();
                        let want_ids: Vec<Option<i64>> = want
                            .split(',')
                            .map(|n| self.world.id_of(n.trim()))
                            .collect();
                        if want_ids.len() == 2
                            && ids.len() == 2
                            && want_ids[0] == Some(ids[0])
                            && want_ids[1] == Some(ids[1])
                        {
                            want.clone()
                        } else {
                            ids.iter()
                                .map(|i| self.world.name_of_id(*i))
                                .collect::<Vec<_>>()
                                .join(",")
                        }
                    }
                    _ => String::new(),
                };
                if !fuzzy::matches(&got, want) {
                    first.get_or_insert_with(|| k.clone());
                    mismatches.push(format!("[{input}] {k}: want {want:?}, got {got:?}"));
                }
            }
        }
        match first {
            None => Ok(()),
            Some(col) => Err(fail(
                format!("nearest: {col} differs"),
                mismatches.join("; "),
            )),
        }
    }

    fn routability(&mut self, rows: &[Vec<String>]) -> StepResult {
        let maps = self.world.routability_maps(rows);
        self.map_changed();
        let profile = self.profile()?;
        let header = rows.first().cloned().unwrap_or_default();
        let mut mismatches = Vec::new();
        let mut first = None;
        let mut all_close = true;
        for (i, (row, map)) in hashes(rows).iter().zip(&maps).enumerate() {
            let a = self.world.offset(1.0 + WAY_SPACING * i as f64, 0.0);
            let b = self.world.offset(3.0 + WAY_SPACING * i as f64, 0.0);
            let query = self.params(&[("steps", "true"), ("alternatives", "false")], &[]);
            let server = match Server::start(map, &profile, self.small_component_size) {
                Ok(s) => Some(s),
                // Nothing routable: the row's way is closed in both directions.
                Err(ServerError::Import(kerb_core::Error::EmptyGraph)) => None,
                Err(e) => return Err(fail(format!("kerb: {e}"), e.to_string())),
            };
            let mut result: HashMap<&str, Direction> = HashMap::new();
            for (dir, from, to) in [("forw", a, b), ("backw", b, a)] {
                let d = match &server {
                    Some(s) => {
                        let uri = format!(
                            "/route/v1/{}/{},{};{},{}?{query}",
                            s.profile(),
                            from[0],
                            from[1],
                            to[0],
                            to[1]
                        );
                        Direction::of(&s.request(self.rt, Method::GET, &uri, None), i)
                    }
                    None => Direction::default(),
                };
                result.insert(dir, d);
            }
            let both = Direction::both(&result["forw"], &result["backw"]);
            result.insert("bothw", both);
            for k in &header {
                let Some((dir, kind)) = routability_column(k) else {
                    continue;
                };
                let mut want = row.get(k).cloned().unwrap_or_default();
                let shortcut = self.shortcuts.get(&want).cloned();
                if let Some(s) = &shortcut {
                    want = s.clone();
                }
                let r = &result[dir];
                let got = if kind == "rate" {
                    if want.is_empty() {
                        r.status_text()
                    } else {
                        r.rate.map(js_number).unwrap_or_default()
                    }
                } else {
                    r.cell(&want)
                };
                if !fuzzy::matches(&got, &want) {
                    first.get_or_insert_with(|| k.clone());
                    all_close &= fuzzy::close_number(&got, &want);
                    mismatches.push(format!("[row {}] {k}: want {want:?}, got {got:?}", i + 1));
                }
            }
        }
        match first {
            None => Ok(()),
            Some(col) => Err(fail(
                format!("routability: {col} differs{}", close_suffix(all_close)),
                mismatches.join("; "),
            )),
        }
    }
}

/// One direction of a routability row, as OSRM's `testRoutabilityRow` reports it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Direction {
    routable: bool,
    time: Option<String>,
    speed: Option<String>,
    mode: Option<String>,
    rate: Option<f64>,
    /// Set on `bothw` when forward and backward differ (OSRM's `diff`).
    diff: bool,
}

impl Direction {
    fn of(resp: &Response, i: usize) -> Direction {
        let route = resp.json.get("routes").and_then(|r| r.get(0));
        let Some(route) = route.filter(|_| resp.status == 200) else {
            return Direction::default();
        };
        let names = step_list(route, |s| json_text(&s["name"]));
        if names.split(',').next() != Some(format!("w{i}").as_str()) {
            return Direction::default();
        }
        let t = num(&route["duration"]);
        let d = num(&route["distance"]);
        let w = num(&route["weight"]);
        let speed = (t > 0.0).then(|| ((3.6 * d) / t).trunc());
        let mode = route["legs"][0]["steps"][0].get("mode").map(json_text);
        Direction {
            routable: true,
            time: Some(js_number(t)),
            speed: speed.map(js_number),
            mode,
            rate: Some((d / w * 10.0).round() / 10.0),
            diff: false,
        }
    }

    fn both(f: &Direction, b: &Direction) -> Direction {
        if f == b {
            return f.clone();
        }
        Direction {
            routable: f.routable && b.routable,
            diff: true,
            ..Direction::default()
        }
    }

    fn status_text(&self) -> String {
        if self.diff {
            "diff".into()
        } else if self.routable {
            "x".into()
        } else {
            String::new()
        }
    }

    fn cell(&self, want: &str) -> String {
        if self.diff {
            return "diff".into();
        }
        let starts_number = |unit: &str| {
            let digits = want
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .count();
            digits > 0 && want[digits..].starts_with(unit)
        };
        if want.is_empty() {
            if self.routable {
                self.mode.clone().unwrap_or_default()
            } else {
                String::new()
            }
        } else if want == "x" {
            self.status_text()
        } else if starts_number(" s") {
            match &self.time {
                Some(t) if t != "0" => format!("{t} s"),
                _ => String::new(),
            }
        } else if starts_number(" km/h") {
            match &self.speed {
                Some(s) if s != "0" => format!("{s} km/h"),
                _ => String::new(),
            }
        } else {
            self.mode.clone().unwrap_or_default()
        }
    }
}

/// Weekday and time of day of a Unix time (seconds, already shifted to local time).
fn local_time(t: i64) -> kerb_core::AccessTime {
    use kerb_core::Weekday::*;
    let days = t.div_euclid(86_400);
    let minute = (t.rem_euclid(86_400) / 60) as u16;
    // 1970-01-01 was a Thursday.
    let weekday = [Th, Fr, Sa, Su, Mo, Tu, We][days.rem_euclid(7) as usize];
    kerb_core::AccessTime {
        weekday,
        minute_of_day: minute,
    }
}

fn close_suffix(all_close: bool) -> &'static str {
    if all_close {
        " (numbers within 1 %)"
    } else {
        ""
    }
}

fn routability_column(k: &str) -> Option<(&'static str, &'static str)> {
    for dir in ["forw", "backw", "bothw"] {
        if k == dir {
            return Some((dir, "value"));
        }
        if k.strip_prefix(dir) == Some("_rate") {
            return Some((dir, "rate"));
        }
    }
    None
}

fn is_route_input(k: &str) -> bool {
    matches!(
        k,
        "from" | "to" | "waypoints" | "bearings" | "approaches" | "request" | "#"
    ) || k.starts_with("param:")
}

fn row_label(row: &HashMap<String, String>) -> String {
    match (row.get("from"), row.get("to"), row.get("waypoints")) {
        (Some(f), Some(t), _) => format!("{f}->{t}"),
        (_, _, Some(w)) => w.clone(),
        _ => row.get("request").cloned().unwrap_or_default(),
    }
}

/// The gap-list category of a route table mismatch: the first differing column, and for way
/// names whether kerb's list has extra steps, lacks steps or takes another path.
fn route_reason(column: &str, names: Option<&(String, String)>) -> String {
    if column.starts_with("a:") {
        return "annotation differs".into();
    }
    let Some((want, got)) = names.filter(|_| column == "route") else {
        return format!("{column} differs");
    };
    if got.is_empty() {
        return "no route where OSRM finds one".into();
    }
    if want.is_empty() {
        return "a route where OSRM finds none".into();
    }
    let w: Vec<&str> = want.split(',').collect();
    let g: Vec<&str> = got.split(',').collect();
    let subsequence = |short: &[&str], long: &[&str]| {
        let mut it = long.iter();
        short.iter().all(|s| it.any(|l| l == s))
    };
    let (wf, gf) = (w.first(), g.first());
    let (wl, gl) = (w.last(), g.last());
    if gf != wf && gl == wl && subsequence(&w[1..], &g) {
        "route names: departs on another way (start snapped to a neighbouring edge or the start way was dropped)".into()
    } else if gl != wl && subsequence(&w[..w.len() - 1], &g) {
        "route names: arrives on another way (end snapped to a neighbouring edge)".into()
    } else if subsequence(&w, &g) {
        "route names: extra steps (kerb announces a step OSRM collapses)".into()
    } else if subsequence(&g, &w) {
        "route names: missing steps (OSRM announces a step kerb does not)".into()
    } else {
        "route names: different path".into()
    }
}

fn steps_of(route: &Value) -> Vec<&Value> {
    route["legs"]
        .as_array()
        .map(|legs| {
            legs.iter()
                .flat_map(|l| l["steps"].as_array().into_iter().flatten())
                .collect()
        })
        .unwrap_or_default()
}

fn step_list(route: &Value, f: impl Fn(&Value) -> String) -> String {
    steps_of(route)
        .into_iter()
        .map(f)
        .collect::<Vec<_>>()
        .join(",")
}

fn reverse_bearing(b: f64) -> f64 {
    if b >= 180.0 {
        b - 180.0
    } else {
        b + 180.0
    }
}

fn turn_text(s: &Value) -> String {
    let m = &s["maneuver"];
    let kind = json_text(&m["type"]);
    let modifier = json_text(&m["modifier"]);
    // JavaScript prints a missing exit as `undefined`, as OSRM's runner shows it.
    let exit = m
        .get("exit")
        .map(json_text)
        .unwrap_or_else(|| "undefined".into());
    match kind.as_str() {
        "depart" | "arrive" => kind,
        "roundabout" => format!("roundabout-exit-{exit}"),
        "rotary" => match s.get("rotary_name") {
            Some(n) => format!("{}-exit-{exit}", json_text(n)),
            None => format!("rotary-exit-{exit}"),
        },
        "roundabout turn" => format!("{kind} {modifier} exit-{exit}"),
        _ => format!("{kind} {modifier}"),
    }
}

/// The cells OSRM's runner derives from a route response (`WhenIRouteIShouldGet`).
fn route_columns(
    resp: &Response,
    row: &HashMap<String, String>,
    world: &World,
) -> HashMap<String, String> {
    let json = &resp.json;
    let mut got = HashMap::new();
    got.insert("code".to_string(), resp.code().to_string());
    got.insert("status".to_string(), resp.status.to_string());
    got.insert(
        "message".to_string(),
        json.get("message").map(json_text).unwrap_or_default(),
    );
    got.insert(
        "data_version".to_string(),
        json.get("data_version").map(json_text).unwrap_or_default(),
    );
    got.insert(
        "waypoints_count".to_string(),
        json.get("waypoints")
            .and_then(Value::as_array)
            .map(|w| w.len())
            .unwrap_or(0)
            .to_string(),
    );
    let route = json
        .get("routes")
        .and_then(|r| r.get(0))
        .filter(|_| resp.code() == "Ok");
    let Some(route) = route else {
        for k in [
            "route",
            "summary",
            "alternative",
            "lanes",
            "intersections",
            "locations",
        ] {
            got.insert(k.to_string(), String::new());
        }
        for k in row.keys() {
            if !got.contains_key(k) && !is_route_input(k) && k != "status" && k != "message" {
                got.insert(k.clone(), String::new());
            }
        }
        return got;
    };
    let names = step_list(route, |s| json_text(&s["name"]));
    let has_instructions = !steps_of(route).is_empty();
    let d = num(&route["distance"]);
    let t = num(&route["duration"]);
    let w = num(&route["weight"]);
    let put = |got: &mut HashMap<String, String>, k: &str, v: String| {
        got.insert(
            k.to_string(),
            if has_instructions { v } else { String::new() },
        );
    };
    got.insert("route".into(), names.trim().to_string());
    got.insert(
        "summary".into(),
        route["legs"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|l| json_text(&l["summary"]))
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .unwrap_or_default(),
    );
    got.insert(
        "alternative".into(),
        json.get("routes")
            .and_then(|r| r.get(1))
            .map(|r| step_list(r, |s| json_text(&s["name"])))
            .unwrap_or_default(),
    );
    if let Some(g) = route.get("geometry") {
        got.insert("geometry".into(), json_text(g));
    }
    put(&mut got, "distance", format!("{}m", js_number(d)));
    put(&mut got, "time", format!("{}s", js_number(t)));
    put(&mut got, "weight", js_number(w));
    put(
        &mut got,
        "speed",
        if t > 0.0 {
            format!("{} km/h", js_number((3.6 * d / t).round()))
        } else {
            "null km/h".into()
        },
    );
    let field = |k: &'static str| move |s: &Value| s.get(k).map(json_text).unwrap_or_default();
    put(&mut got, "ref", step_list(route, field("ref")));
    put(
        &mut got,
        "pronunciations",
        step_list(route, field("pronunciation")),
    );
    put(
        &mut got,
        "destinations",
        step_list(route, field("destinations")),
    );
    put(&mut got, "exits", step_list(route, field("exits")));
    put(&mut got, "modes", step_list(route, field("mode")));
    put(
        &mut got,
        "driving_side",
        step_list(route, field("driving_side")),
    );
    put(&mut got, "weights", step_list(route, field("weight")));
    put(&mut got, "approach", step_list(route, field("approaches")));
    put(&mut got, "turns", step_list(route, turn_text));
    put(
        &mut got,
        "times",
        step_list(route, |s| format!("{}s", json_text(&s["duration"]))),
    );
    put(
        &mut got,
        "distances",
        step_list(route, |s| format!("{}m", json_text(&s["distance"]))),
    );
    put(
        &mut got,
        "weight_name",
        route.get("weight_name").map(json_text).unwrap_or_default(),
    );
    put(
        &mut got,
        "bearing",
        step_list(route, |s| {
            let i = &s["intersections"][0];
            let bearing = |key: &str| {
                i.get(key)
                    .and_then(Value::as_u64)
                    .and_then(|ix| i["bearings"].get(ix as usize))
                    .map(num)
            };
            let inb = bearing("in").map(reverse_bearing).unwrap_or(0.0);
            let outb = bearing("out").unwrap_or(0.0);
            format!("{}->{}", js_number(inb), js_number(outb))
        }),
    );
    put(
        &mut got,
        "classes",
        step_list(route, |s| {
            let inner: Vec<String> = s["intersections"]
                .as_array()
                .map(|is| {
                    is.iter()
                        .map(|i| {
                            let c = i["classes"]
                                .as_array()
                                .map(|c| c.iter().map(json_text).collect::<Vec<_>>().join(","))
                                .unwrap_or_default();
                            format!("({c})")
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("[{}]", inner.join(","))
        }),
    );
    got.insert(
        "lanes".into(),
        step_list(route, |s| {
            s["intersections"]
                .as_array()
                .map(|is| {
                    is.iter()
                        .map(|i| {
                            i["lanes"]
                                .as_array()
                                .map(|ls| {
                                    ls.iter()
                                        .map(|l| {
                                            let ind = l["indications"]
                                                .as_array()
                                                .map(|a| {
                                                    a.iter()
                                                        .map(json_text)
                                                        .collect::<Vec<_>>()
                                                        .join(";")
                                                })
                                                .unwrap_or_default();
                                            format!(
                                                "{ind}:{}",
                                                l["valid"].as_bool().unwrap_or(false)
                                            )
                                        })
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                })
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .unwrap_or_default()
        })
        .trim()
        .to_string(),
    );
    got.insert(
        "intersections".into(),
        steps_of(route)
            .into_iter()
            .map(|s| {
                s["intersections"]
                    .as_array()
                    .map(|is| {
                        is.iter()
                            .map(|i| {
                                let entry = i["entry"].as_array().cloned().unwrap_or_default();
                                let bearings =
                                    i["bearings"].as_array().cloned().unwrap_or_default();
                                bearings
                                    .iter()
                                    .enumerate()
                                    .map(|(k, b)| {
                                        format!(
                                            "{}:{}",
                                            entry.get(k).map(json_text).unwrap_or_default(),
                                            json_text(b)
                                        )
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(";"),
    );
    got.insert(
        "locations".into(),
        step_list(route, |s| {
            let l = &s["maneuver"]["location"];
            world.node_near([num(&l[0]), num(&l[1])])
        }),
    );
    // Annotation columns `a:<kind>`: per leg joined by `:`, legs by `,`.
    for k in row.keys().filter(|k| k.starts_with("a:")) {
        let kind = &k[2..];
        let legs = route["legs"].as_array().cloned().unwrap_or_default();
        let v = legs
            .iter()
            .filter_map(|l| l["annotation"][kind].as_array().cloned())
            .map(|vals| {
                if kind == "nodes" {
                    vals.iter()
                        .map(|v| world.name_of_id(v.as_i64().unwrap_or(-1)))
                        .collect::<Vec<_>>()
                        .join("")
                } else {
                    vals.iter().map(json_text).collect::<Vec<_>>().join(":")
                }
            })
            .collect::<Vec<_>>()
            .join(",");
        got.insert(k.clone(), v);
    }
    got
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditional_times_are_local_weekdays() {
        // 1493719200: Tuesday 2 May 2017, 10:00 UTC.
        let t = local_time(1_493_719_200);
        assert_eq!(t.weekday, kerb_core::Weekday::Tu);
        assert_eq!(t.minute_of_day, 600);
        assert_eq!(local_time(1_493_719_200 - 4 * 3600).minute_of_day, 360);
    }

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(js_number(10.0), "10");
        assert_eq!(js_number(10.5), "10.5");
        assert_eq!(js_number(-0.25), "-0.25");
    }

    #[test]
    fn route_name_mismatches_are_classified() {
        let r = |w: &str, g: &str| route_reason("route", Some(&(w.to_string(), g.to_string())));
        assert!(r("ab,ab", "ab,bc,bc").contains("arrives on another way"));
        assert!(r("bj,jc,jc", "jc,jc").contains("departs on another way"));
        assert!(r("ab,cd", "ab,bc,cd").contains("extra steps"));
        assert!(r("ab,bc,cd", "ab,cd").contains("missing steps"));
        assert!(r("ab,cd", "xy,zz").contains("different path"));
        assert!(r("ab,ab", "").contains("no route"));
        assert_eq!(route_reason("turns", None), "turns differs");
    }

    #[test]
    fn routability_cells_follow_the_expectation_kind() {
        let d = Direction {
            routable: true,
            time: Some("20".into()),
            speed: Some("36".into()),
            mode: Some("driving".into()),
            rate: Some(10.0),
            diff: false,
        };
        assert_eq!(d.cell("x"), "x");
        assert_eq!(d.cell("20 s"), "20 s");
        assert_eq!(d.cell("36 km/h +-1"), "36 km/h");
        assert_eq!(d.cell(""), "driving");
        assert_eq!(Direction::default().cell("x"), "");
        let both = Direction::both(&d, &Direction::default());
        assert_eq!(both.cell("x"), "diff");
    }
}
