//! Pickup-and-delivery pairs (VROOM shipments) and jobs with both pickup and delivery
//! amounts, on Solomon instances turned into pickup-and-delivery problems the way Li & Lim
//! built theirs (customers paired, the pickup's demand carried to the delivery).

mod common;

use kerb_plan::io::vroom::{read_output, read_vroom, write_input, write_output};
use kerb_plan::{check, io, solve, Problem, Shipment, SolveOptions, StepKind};
use serde_json::json;

/// `base` with customer `k` (job index) paired with customer `k + n/2` for `k < pairs`, the
/// one whose window opens first as the pickup (its demand carried to the other), when the
/// delivery can still be reached in its window after the pickup; other customers stay jobs.
fn paired(base: &Problem, pairs: usize) -> Problem {
    let mut p = base.clone();
    let half = p.jobs.len() / 2;
    let m = &p.matrices[0];
    for k in 0..pairs.min(half) {
        let (mut a, mut b) = (k, half + k);
        let open = |j: usize| {
            p.jobs[j]
                .time_windows
                .first()
                .map(|w| w.start)
                .unwrap_or(0.0)
        };
        let close = |j: usize| {
            p.jobs[j]
                .time_windows
                .first()
                .map(|w| w.end)
                .unwrap_or(f64::MAX)
        };
        if open(b) < open(a) {
            std::mem::swap(&mut a, &mut b);
        }
        let reach =
            open(a) + p.jobs[a].service + m.duration(p.jobs[a].location, p.jobs[b].location);
        if reach > close(b) {
            continue;
        }
        let amount = p.jobs[a].demand.clone();
        p.jobs[b].demand = vec![0; amount.len()];
        p.jobs[b].delivery = amount;
        p.shipments.push(Shipment {
            pickup: a,
            delivery: b,
        });
    }
    p
}

fn one_thread(iterations: u64) -> SolveOptions {
    let mut o = SolveOptions::iterations(iterations);
    o.threads = 1;
    o
}

fn served_in_order(p: &Problem, sol: &kerb_plan::Solution) {
    for s in &p.shipments {
        let at = |job: usize| {
            sol.routes.iter().enumerate().find_map(|(r, route)| {
                route
                    .steps
                    .iter()
                    .position(|st| st.kind == StepKind::Job { job })
                    .map(|k| (r, k))
            })
        };
        match (at(s.pickup), at(s.delivery)) {
            (Some((rp, kp)), Some((rd, kd))) => assert!(rp == rd && kp < kd, "{s:?}"),
            (None, None) => {}
            other => panic!("shipment {s:?} split: {other:?}"),
        }
    }
}

#[test]
fn solomon_pairs_are_served_together_pickup_first() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    for name in ["C101", "R202"] {
        let base = io::read_file(dir.join(format!("solomon/{name}.txt"))).unwrap();
        let p = paired(&base, 50);
        p.validate().unwrap();
        assert!(p.shipments.len() >= 20, "{name}: {}", p.shipments.len());
        let sol = solve(&p, &one_thread(300)).unwrap();
        let v = check(&p, &sol);
        assert!(v.is_empty(), "{name}: {v:?}");
        assert_eq!(sol.unassigned.len(), 0, "{name}");
        served_in_order(&p, &sol);
        // The loads really go down at deliveries: some step carries less than the previous.
        let drops = sol
            .routes
            .iter()
            .flat_map(|r| r.steps.windows(2))
            .any(|w| w[1].load[0] < w[0].load[0]);
        assert!(drops, "{name}");
    }
}

#[test]
fn the_checker_rejects_a_delivery_before_its_pickup_and_a_split_pair() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    // C101: many routes, shipments and single jobs.
    let base = io::read_file(dir.join("solomon/C101.txt")).unwrap();
    let p = paired(&base, 40);
    let sol = solve(&p, &one_thread(100)).unwrap();
    assert!(check(&p, &sol).is_empty());
    assert!(sol.routes.len() >= 2);
    // Swap a pickup with its delivery (same schedule): the precedence breaks.
    let s = p.shipments[0];
    let mut swapped = p.clone();
    swapped.shipments[0] = Shipment {
        pickup: s.delivery,
        delivery: s.pickup,
    };
    let (a, b) = (
        swapped.jobs[s.pickup].clone(),
        swapped.jobs[s.delivery].clone(),
    );
    swapped.jobs[s.pickup].demand = b.demand;
    swapped.jobs[s.pickup].delivery = a.demand.clone();
    swapped.jobs[s.delivery].delivery = vec![0; a.demand.len()];
    swapped.jobs[s.delivery].demand = a.demand;
    swapped.validate().unwrap();
    let v = check(&swapped, &sol);
    assert!(
        v.iter()
            .any(|v| v.message.contains("delivery before its pickup")),
        "{v:?}"
    );
    // Pairing two jobs on different routes.
    let r0: Vec<usize> = job_indices(&sol.routes[0]);
    let r1: Vec<usize> = job_indices(&sol.routes[1]);
    let mut split = p.clone();
    let (pj, dj) = (
        r0.iter().copied().find(|&j| !in_pair(&p, j)),
        r1.iter().copied().find(|&j| !in_pair(&p, j)),
    );
    let (Some(pj), Some(dj)) = (pj, dj) else {
        panic!("C101: two routes with single jobs expected");
    };
    {
        let amount = split.jobs[pj].demand.clone();
        split.jobs[dj].demand = vec![0; amount.len()];
        split.jobs[dj].delivery = amount;
        split.shipments.push(Shipment {
            pickup: pj,
            delivery: dj,
        });
        let v = check(&split, &sol);
        assert!(
            v.iter()
                .any(|v| v.message.contains("not on the same route")),
            "{v:?}"
        );
    }
}

fn job_indices(r: &kerb_plan::PlannedRoute) -> Vec<usize> {
    r.steps
        .iter()
        .filter_map(|s| match s.kind {
            StepKind::Job { job } => Some(job),
            _ => None,
        })
        .collect()
}

fn in_pair(p: &Problem, j: usize) -> bool {
    p.shipments.iter().any(|s| s.pickup == j || s.delivery == j)
}

/// VROOM's own documented example (docs/example_1.json: 4 jobs with deliveries and pickups,
/// one shipment, skills, time windows) on a matrix of its coordinates: every task served,
/// the shipment on one route pickup first, output VROOM-shaped and read back by the checker.
#[test]
fn vroom_example_1_with_its_shipment() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/vroom/example_1.json"
    ))
    .unwrap();
    let vp = read_vroom(&text).unwrap();
    assert_eq!(vp.problem.shipments.len(), 1);
    let sol = solve(&vp.problem, &one_thread(200)).unwrap();
    assert!(check(&vp.problem, &sol).is_empty());
    assert_eq!(sol.unassigned.len(), 0);
    served_in_order(&vp.problem, &sol);
    let out = write_output(&vp, &sol);
    let types: Vec<&str> = out["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["steps"].as_array().unwrap())
        .filter_map(|s| s["type"].as_str())
        .collect();
    assert!(types.contains(&"pickup") && types.contains(&"delivery"));
    assert_eq!(out["summary"]["delivery"], json!([4]));
    assert_eq!(out["summary"]["pickup"], json!([2]));
    let back = read_output(&vp, &out).unwrap();
    assert!(check(&vp.problem, &back).is_empty());
    // Written back as VROOM input, the shipment stays a shipment with its ids.
    let again = read_vroom(&write_input(&vp).to_string()).unwrap();
    assert_eq!(again.problem.shipments.len(), 1);
    assert_eq!(again.tasks, vp.tasks);
}

#[test]
fn pickup_and_delivery_ids_may_repeat_job_ids() {
    let text = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [2]}],
        "jobs": [{"id": 1, "location_index": 1, "delivery": [1], "pickup": [1]}],
        "shipments": [{"amount": [1], "pickup": {"id": 1, "location_index": 2},
                       "delivery": {"id": 1, "location_index": 3}}],
        "matrix": [[0, 5, 9, 7], [5, 0, 4, 6], [9, 4, 0, 3], [7, 6, 3, 0]]
    })
    .to_string();
    let vp = read_vroom(&text).unwrap();
    let sol = solve(&vp.problem, &one_thread(50)).unwrap();
    assert!(check(&vp.problem, &sol).is_empty());
    let out = write_output(&vp, &sol);
    let steps: Vec<(String, u64)> = out["routes"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["id"].is_u64())
        .map(|s| {
            (
                s["type"].as_str().unwrap().to_string(),
                s["id"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps.len(), 3);
    assert!(steps.iter().all(|(_, id)| *id == 1));
    let p = steps.iter().position(|s| s.0 == "pickup").unwrap();
    let d = steps.iter().position(|s| s.0 == "delivery").unwrap();
    assert!(p < d);
    // Capacity 2, one delivery on board from the start: the job's pickup and the shipment
    // can only follow each other in a feasible order, which the checker confirms.
    let back = read_output(&vp, &out).unwrap();
    assert!(check(&vp.problem, &back).is_empty());
    // Duplicate pickup ids are an input error.
    let dup = json!({
        "vehicles": [{"id": 1, "start_index": 0}],
        "shipments": [{"pickup": {"id": 4, "location_index": 0}, "delivery": {"id": 1, "location_index": 0}},
                      {"pickup": {"id": 4, "location_index": 0}, "delivery": {"id": 2, "location_index": 0}}],
        "matrix": [[0]]
    });
    assert!(matches!(
        read_vroom(&dup.to_string()),
        Err(kerb_plan::Error::InvalidInstance(m)) if m.contains("duplicate pickup id 4")
    ));
}
