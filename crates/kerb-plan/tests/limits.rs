//! Production limits of a solve: hard time limits, cancellation, checked time-limit values,
//! duplicate ids and VROOM's own input limits, size estimates before allocating.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kerb_plan::{check, solve, Error, Job, Problem, SolveOptions, Vehicle};

/// `n` jobs on a pseudo-random grid around a depot, capacity for 20 jobs per vehicle.
fn many_jobs(n: usize) -> Problem {
    let mut x = 12345u64;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as f64 / (1u64 << 31) as f64 * 1000.0
    };
    let pts: Vec<(f64, f64)> = (0..=n).map(|_| (next(), next())).collect();
    let mut p = Problem::new(vec![common::plane(&pts)]);
    for k in 0..n / 20 + 1 {
        p = p.vehicle(Vehicle::new(k as u64 + 1, Some(0)).capacity(vec![20]));
    }
    for j in 1..=n {
        p = p.job(Job::new(j as u64, j).demand(vec![1]).service(1.0));
    }
    p
}

#[test]
fn an_unrepresentable_time_limit_is_a_typed_error_not_a_panic() {
    let p = many_jobs(10);
    let opts = SolveOptions::default().with_time_limit(Some(Duration::MAX));
    assert!(matches!(
        solve(&p, &opts),
        Err(Error::InvalidTimeLimit { .. })
    ));
    for bad in [f64::NAN, f64::INFINITY, -0.5, 1e308] {
        assert!(matches!(
            SolveOptions::try_time_limit(bad),
            Err(Error::InvalidTimeLimit { .. })
        ));
        // The unchecked constructor clamps instead of panicking.
        let _ = SolveOptions::time_limit(bad);
    }
}

#[test]
fn the_time_limit_is_hard_even_with_an_iteration_budget() {
    // An iteration budget used to leave construction and the first local search without a
    // deadline: a large instance overran the limit by the whole construction.
    let p = many_jobs(2000);
    let limit = Duration::from_millis(1500);
    let t = Instant::now();
    let result = solve(
        &p,
        &SolveOptions::iterations(1_000_000_000).with_time_limit(Some(limit)),
    );
    let elapsed = t.elapsed();
    match result {
        Ok(plan) => assert!(check(&p, &plan).is_empty()),
        // A loaded machine may not even finish building the solver's instance in time.
        Err(e) => assert!(matches!(e, Error::Stopped { .. }), "{e}"),
    }
    // Building the solver's instance (neighbour lists) is not interruptible; everything
    // after it stops at the limit.
    // Generous for a debug build sharing the machine with other test binaries.
    assert!(elapsed < limit + Duration::from_millis(3000), "{elapsed:?}");
}

#[test]
fn a_cancelled_solve_stops_promptly_with_the_best_plan_so_far() {
    let p = many_jobs(400);
    let token = Arc::new(AtomicBool::new(false));
    let opts = SolveOptions::iterations(u64::MAX / 4).with_cancel(token.clone());
    let (plan, stop_latency) = std::thread::scope(|s| {
        let h = s.spawn(|| {
            let plan = solve(&p, &opts);
            (plan, Instant::now())
        });
        std::thread::sleep(Duration::from_millis(1500));
        let cancelled_at = Instant::now();
        token.store(true, Ordering::Relaxed);
        let (plan, done) = h.join().unwrap();
        (plan, done.duration_since(cancelled_at))
    });
    let plan = plan.expect("a plan");
    assert!(check(&p, &plan).is_empty());
    // Generous for a debug build sharing the machine with other test binaries.
    assert!(
        stop_latency < Duration::from_millis(1000),
        "{stop_latency:?}"
    );
}

#[test]
fn a_solve_cancelled_before_it_placed_a_job_is_a_typed_error() {
    let p = many_jobs(50);
    let token = Arc::new(AtomicBool::new(true));
    let r = solve(&p, &SolveOptions::iterations(100).with_cancel(token));
    assert!(matches!(r, Err(Error::Stopped { .. })), "{r:?}");
}

#[test]
fn duplicate_job_and_vehicle_ids_are_refused_by_name() {
    let p = many_jobs(3).job(Job::new(1, 2));
    assert!(matches!(p.validate(), Err(Error::DuplicateJobId { id: 1 })));
    assert!(matches!(
        solve(&p, &SolveOptions::iterations(10)),
        Err(Error::DuplicateJobId { id: 1 })
    ));
    let p = many_jobs(3).vehicle(Vehicle::new(1, Some(0)));
    assert!(matches!(
        p.validate(),
        Err(Error::DuplicateVehicleId { id: 1 })
    ));
}

fn vroom(jobs: &str, vehicles: &str) -> kerb_plan::Result<kerb_plan::io::vroom::VroomProblem> {
    kerb_plan::io::vroom::read_vroom(&format!(
        r#"{{"jobs": {jobs}, "vehicles": {vehicles},
            "matrices": {{"car": {{"durations": [[0, 5, 6], [5, 0, 4], [6, 4, 0]]}}}}}}"#
    ))
}

#[test]
fn the_vroom_reader_refuses_what_vroom_refuses() {
    let jobs = r#"[{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2}]"#;
    let car = r#"[{"id": 7, "start_index": 0}]"#;
    assert!(vroom(jobs, car).is_ok());
    let twice = r#"[{"id": 1, "location_index": 1}, {"id": 1, "location_index": 2}]"#;
    assert!(matches!(
        vroom(twice, car),
        Err(Error::DuplicateJobId { id: 1 })
    ));
    let two_cars = r#"[{"id": 7, "start_index": 0}, {"id": 7, "start_index": 1}]"#;
    assert!(matches!(
        vroom(jobs, two_cars),
        Err(Error::DuplicateVehicleId { id: 7 })
    ));
    let urgent = r#"[{"id": 1, "location_index": 1, "priority": 101}]"#;
    assert!(matches!(
        vroom(urgent, car),
        Err(Error::InvalidPriority {
            job: 1,
            priority: 101
        })
    ));
    for f in ["0", "-1", "5.5"] {
        let v = format!(r#"[{{"id": 7, "start_index": 0, "speed_factor": {f}}}]"#);
        assert!(
            matches!(
                vroom(jobs, &v),
                Err(Error::InvalidSpeedFactor { vehicle: 7, .. })
            ),
            "{f}"
        );
    }
    let fast = r#"[{"id": 7, "start_index": 0, "speed_factor": 5}]"#;
    assert!(vroom(jobs, fast).is_ok());
    let steps =
        r#"[{"id": 7, "start_index": 0, "steps": [{"type": "start"}, {"type": "job", "id": 3}]}]"#;
    assert!(matches!(
        vroom(jobs, steps),
        Err(Error::UnknownStepJob { vehicle: 7, job: 3 })
    ));
    let known = r#"[{"id": 7, "start_index": 0, "steps": [{"type": "job", "id": 2}]}]"#;
    assert!(vroom(jobs, known).is_ok());
}
