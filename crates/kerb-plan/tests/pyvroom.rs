//! VROOM's own documented examples (docs/example_*.json, given a matrix of their coordinates
//! by `scripts/pyvroom_compare.py fetch`) side by side with pyvroom's recorded answers
//! (`scripts/pyvroom_compare.py record`): the same feasibility (an input VROOM refuses is an
//! input error here too; the same number of unassigned tasks otherwise) and a cost at most
//! 1 % above pyvroom's.

use kerb_plan::io::vroom::read_vroom;
use kerb_plan::{check, solve, Error, SolveOptions};

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
