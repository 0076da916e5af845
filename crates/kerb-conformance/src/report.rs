//! Scenario results and their reports: one line per scenario, the summary line with reasons
//! counted, and the machine-readable JSON lines file.

use std::collections::BTreeMap;

use serde::Serialize;

/// What happened to one scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// Every step ran and every cell matched.
    Passed,
    /// A step failed: `reason` is the category counted in the gap list, `detail` the evidence.
    Failed {
        /// Short, countable cause (e.g. `route: turns differ`).
        reason: String,
        /// The mismatching cells or the error.
        detail: String,
    },
    /// Not run: other profile, OSRM tooling, or a reviewed intentional difference.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// One scenario's result.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioResult {
    /// Feature file, relative to the `features` directory when inside one.
    pub file: String,
    /// Folder (`car`, `testbot`, `guidance`, `nearest`, ...).
    pub folder: String,
    /// 1-based line of the scenario.
    pub line: usize,
    /// Scenario name.
    pub scenario: String,
    /// The outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl ScenarioResult {
    /// The human-readable line for this scenario.
    pub fn line_text(&self) -> String {
        let head = format!("{}:{} {}", self.file, self.line, self.scenario);
        match &self.outcome {
            Outcome::Passed => format!("PASS {head}"),
            Outcome::Failed { reason, detail } => format!("FAIL {head} -- {reason}: {detail}"),
            Outcome::Skipped { reason } => format!("SKIP {head} -- {reason}"),
        }
    }
}

/// Counts over a run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Passed scenarios.
    pub passed: usize,
    /// Failed scenarios.
    pub failed: usize,
    /// Skipped scenarios.
    pub skipped: usize,
    /// Failure reasons with their counts.
    pub failure_reasons: BTreeMap<String, usize>,
    /// Skip reasons with their counts.
    pub skip_reasons: BTreeMap<String, usize>,
    /// Per folder: (passed, failed, skipped).
    pub per_folder: BTreeMap<String, (usize, usize, usize)>,
}

impl Summary {
    /// Counts `results`.
    pub fn of(results: &[ScenarioResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            let f = s.per_folder.entry(r.folder.clone()).or_default();
            match &r.outcome {
                Outcome::Passed => {
                    s.passed += 1;
                    f.0 += 1;
                }
                Outcome::Failed { reason, .. } => {
                    s.failed += 1;
                    f.1 += 1;
                    *s.failure_reasons.entry(reason.clone()).or_default() += 1;
                }
                Outcome::Skipped { reason } => {
                    s.skipped += 1;
                    f.2 += 1;
                    *s.skip_reasons.entry(reason.clone()).or_default() += 1;
                }
            }
        }
        s
    }

    /// The summary text: `passed N, failed M, skipped K`, per-folder pass rates, then the
    /// reasons, most frequent first.
    pub fn text(&self) -> String {
        let mut out = format!(
            "passed {}, failed {}, skipped {}\n",
            self.passed, self.failed, self.skipped
        );
        for (folder, (p, f, k)) in &self.per_folder {
            let rate = if p + f > 0 {
                100.0 * *p as f64 / (p + f) as f64
            } else {
                0.0
            };
            out +=
                &format!("  {folder}: passed {p}, failed {f}, skipped {k} ({rate:.1} % of run)\n");
        }
        for (title, reasons) in [
            ("failure reasons", &self.failure_reasons),
            ("skip reasons", &self.skip_reasons),
        ] {
            if reasons.is_empty() {
                continue;
            }
            out += &format!("{title}:\n");
            let mut sorted: Vec<_> = reasons.iter().collect();
            sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (reason, n) in sorted {
                out += &format!("  {n:4}  {reason}\n");
            }
        }
        out
    }
}

/// The JSON lines report: one object per scenario, then one `{"summary": ...}` line.
pub fn json_lines(results: &[ScenarioResult]) -> String {
    let mut out = String::new();
    for r in results {
        out += &serde_json::to_string(r).unwrap_or_default();
        out.push('\n');
    }
    out += &serde_json::json!({ "summary": Summary::of(results) }).to_string();
    out.push('\n');
    out
}
