//! VROOM's own documented examples (docs/example_*.json, given a matrix of their coordinates
//! by `scripts/pyvroom_compare.py fetch`) side by side with pyvroom's recorded answers
//! (`scripts/pyvroom_compare.py record`): the same feasibility (an input VROOM refuses is an
//! input error here too; the same number of unassigned tasks otherwise) and a cost at most
//! 1 % above pyvroom's.

use kerb_plan::io::vroom::{read_vroom, write_output};
use kerb_plan::{check, solve, Error, SolveOptions};
use serde_json::Value;

fn data(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/vroom/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn vroom_documented_examples_match_pyvroom() {
    for name in ["example_1", "example_2", "example_3"] {
        let input = data(&format!("{name}.json"));
        let answer: serde_json::Value =
            serde_json::from_str(&data(&format!("{name}.pyvroom.json"))).unwrap();
        let mut opts = SolveOptions::iterations(2000);
        opts.threads = 1;
        let solved = read_vroom(&input).and_then(|vp| Ok((solve(&vp.problem, &opts)?, vp)));
        if answer["code"] == 2 {
            // VROOM: an input error (example_3: its `steps` route is over capacity).
            match solved {
                Err(Error::InvalidInitialRoute { reason, .. }) => {
                    let vroom_error = answer["error"].as_str().unwrap();
                    assert!(
                        vroom_error.contains("over capacity") == reason.contains("over capacity"),
                        "{name}: kerb {reason:?}, VROOM {vroom_error:?}"
                    );
                }
                other => panic!("{name}: VROOM refuses the input, kerb gave {other:?}"),
            }
            continue;
        }
        let (sol, vp) = solved.unwrap_or_else(|e| panic!("{name}: {e}"));
        let v = check(&vp.problem, &sol);
        assert!(v.is_empty(), "{name}: {v:?}");
        assert_eq!(
            sol.unassigned.len() as u64,
            answer["summary"]["unassigned"].as_u64().unwrap(),
            "{name}"
        );
        let theirs = answer["summary"]["cost"].as_f64().unwrap();
        let ours = sol.summary.cost;
        eprintln!("{name}: kerb {ours}, pyvroom {theirs}");
        assert!(
            ours <= theirs * 1.01,
            "{name}: kerb {ours} > pyvroom {theirs} + 1 %"
        );
    }
}

/// `scripts/pyvroom_cases.py`: small inputs that break one of VROOM's input rules, or use one
/// of its less common keys, each with pyvroom 1.15.2's answer. An input VROOM refuses (code
/// 2) is refused by kerb too, as an input error; the others give the same number of
/// unassigned tasks, a plan the checker accepts and a cost within 1 % of pyvroom's.
#[test]
fn vroom_input_rules_and_keys_match_pyvroom() {
    let cases: serde_json::Value = serde_json::from_str(&data("cases.json")).unwrap();
    let (mut refused, mut same_schedules) = (0, 0);
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].to_string();
        let answer = &case["pyvroom"];
        let mut opts = SolveOptions::iterations(2000);
        opts.threads = 1;
        let solved = read_vroom(&input).and_then(|vp| Ok((solve(&vp.problem, &opts)?, vp)));
        if answer["code"] == 2 {
            match solved {
                Err(Error::Io(_) | Error::Stopped { .. }) | Ok(_) => panic!(
                    "{name}: VROOM refuses the input ({}), kerb gave {:?}",
                    answer["error"],
                    solved.map(|(s, _)| s.summary.cost)
                ),
                Err(e) => eprintln!("{name}: kerb `{e}`, VROOM `{}`", answer["error"]),
            }
            refused += 1;
            continue;
        }
        assert_eq!(answer["code"], 0, "{name}");
        let (sol, vp) = solved.unwrap_or_else(|e| panic!("{name}: {e}"));
        let v = check(&vp.problem, &sol);
        assert!(v.is_empty(), "{name}: {v:?}");
        assert_eq!(
            sol.unassigned.len() as u64,
            answer["unassigned"].as_u64().unwrap(),
            "{name}"
        );
        let theirs = answer["cost"].as_f64().unwrap();
        let ours = sol.summary.cost;
        eprintln!("{name}: kerb {ours}, pyvroom {theirs}");
        assert!(
            ours <= theirs * 1.01 + 1e-9,
            "{name}: kerb {ours} > pyvroom {theirs} + 1 %"
        );
        // Where both planned a vehicle's stops in the same order, the schedules agree to
        // the second (setup, service per type, breaks).
        let out = write_output(&vp, &sol);
        for theirs in answer["routes"].as_array().unwrap() {
            let Some(ours) = out["routes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["vehicle"] == theirs["vehicle"])
            else {
                continue;
            };
            let their_steps: Vec<&Value> = theirs["steps"].as_array().unwrap().iter().collect();
            let our_steps = ours["steps"].as_array().unwrap();
            let same_order = their_steps.len() == our_steps.len()
                && their_steps
                    .iter()
                    .zip(our_steps)
                    .all(|(t, o)| t[0] == o["type"] && (t[1].is_null() || t[1] == o["id"]));
            if !same_order {
                continue;
            }
            for (t, o) in their_steps.iter().zip(our_steps) {
                assert_eq!(t[2], o["arrival"], "{name}: {t} vs {o}");
            }
            same_schedules += 1;
        }
    }
    assert!(refused >= 30, "{refused} refused inputs");
    assert!(
        same_schedules >= 5,
        "{same_schedules} routes compared step by step"
    );
}
