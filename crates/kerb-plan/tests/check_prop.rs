//! Property test: every plan returned on random instances (capacities, windows, shifts,
//! breaks, skills, limits, disposal facilities) passes the independent checker, and the
//! checker rejects corrupted plans.

mod common;

use kerb_plan::{check, solve, Facility, Job, Problem, SolveOptions, Vehicle};
use proptest::prelude::*;

/// (demand, service, window (start, width), needs skill, second window)
type JobSpec = (i64, f64, Option<(f64, f64)>, bool, bool);
/// (capacity, shift end, disposal at end, break, max distance)
type VehSpec = (i64, f64, bool, bool, Option<f64>);

#[derive(Debug, Clone)]
struct Spec {
    pts: Vec<(f64, f64)>,
    jobs: Vec<JobSpec>,
    vehicles: Vec<VehSpec>,
    facilities: usize,
    seed: u64,
}

fn spec() -> impl Strategy<Value = Spec> {
    (3usize..14, 1usize..4, 0usize..3, any::<u64>()).prop_flat_map(|(nj, nv, nf, seed)| {
        let n = 1 + nj + nf;
        (
            prop::collection::vec((0.0..100.0f64, 0.0..100.0f64), n),
            prop::collection::vec(
                (
                    1i64..8,
                    0.0..10.0f64,
                    prop::option::of((0.0..300.0f64, 10.0..200.0f64)),
                    prop::bool::weighted(0.1),
                    prop::bool::weighted(0.2),
                ),
                nj,
            ),
            prop::collection::vec(
                (
                    5i64..20,
                    300.0..900.0f64,
                    any::<bool>(),
                    prop::bool::weighted(0.3),
                    prop::option::of(150.0..600.0f64),
                ),
                nv,
            ),
            Just(nf),
            Just(seed),
        )
            .prop_map(|(pts, jobs, vehicles, facilities, seed)| Spec {
                pts,
                jobs,
                vehicles,
                facilities,
                seed,
            })
    })
}

fn build(s: &Spec) -> Problem {
    let m = common::plane(&s.pts);
    let nj = s.jobs.len();
    let mut p = Problem::new(vec![m]);
    p.objective.minimize_vehicles = s.seed % 2 == 0;
    for (i, &(d, service, tw, skill, second_window)) in s.jobs.iter().enumerate() {
        let mut j = Job::new(i as u64, i + 1).demand(vec![d]).service(service);
        if let Some((a, w)) = tw {
            j = j.time_window(a, a + w);
            if second_window {
                j = j.time_window(a + w + 100.0, a + w + 250.0);
            }
        }
        if skill {
            j = j.skills(vec![1]);
        }
        if i % 5 == 4 {
            j = j.optional(30.0);
        }
        p = p.job(j);
    }
    for (k, &(cap, shift_end, dump_end, brk, max_dist)) in s.vehicles.iter().enumerate() {
        let mut v = Vehicle::new(k as u64, Some(0))
            .capacity(vec![cap])
            .shift(0.0, shift_end)
            .disposal_required_at_end(dump_end);
        if k == 0 {
            v = v.skills(vec![1]);
        }
        if brk {
            v = v.with_break(1, 100.0, 250.0, 20.0);
        }
        v.max_distance = max_dist;
        if k == 1 {
            v.end = Some(1 + (s.seed as usize % nj));
            v.max_stops = Some(4);
            v.max_working_time = Some(400.0);
        }
        p = p.vehicle(v);
    }
    for f in 0..s.facilities {
        p = p.facility(Facility {
            id: f as u64,
            location: 1 + nj + f,
            time_windows: if f == 0 {
                vec![]
            } else {
                vec![kerb_plan::TimeWindow::new(50.0, 500.0)]
            },
            unload: 15.0,
        });
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn every_plan_passes_the_checker(s in spec()) {
        let p = build(&s);
        let threads = 1 + (s.seed % 2) as usize;
        let sol = solve(&p, &SolveOptions::iterations(60).with_threads(threads).with_seed(s.seed)).unwrap();
        let v = check(&p, &sol);
        prop_assert!(v.is_empty(), "violations: {:?}", v);
        // Corrupting the plan must be detected.
        if let Some(r) = sol.routes.first() {
            let mut bad = sol.clone();
            let k = 1 + (s.seed as usize % (r.steps.len() - 2).max(1));
            bad.routes[0].steps[k].arrival -= 1000.0;
            bad.routes[0].steps[k].start -= 1000.0;
            prop_assert!(!check(&p, &bad).is_empty());
            let mut dup = sol.clone();
            if let Some(u) = sol.routes[0].steps.iter().find_map(|x| match x.kind { kerb_plan::StepKind::Job { job } => Some(job), _ => None }) {
                dup.unassigned.push(kerb_plan::Unassigned { job: u, reason: kerb_plan::UnassignedReason::NoRoom });
                dup.summary.unassigned += 1;
                prop_assert!(!check(&p, &dup).is_empty());
            }
        }
    }
}
