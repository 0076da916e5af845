//! Small hand-made instances: exact optimum, unassigned reasons, disposal trips, limits.

mod common;

use kerb_plan::{
    check, solve, Facility, Job, Matrix, Problem, SolveOptions, StepKind, UnassignedReason,
    Vehicle, VehicleCosts,
};

fn dist_costs() -> VehicleCosts {
    VehicleCosts {
        fixed: 0.0,
        per_hour: 0.0,
        per_km: 1000.0,
        ..VehicleCosts::default()
    }
}

/// All assignments of 6 jobs to 2 vehicles in all orders: the optimum by enumeration.
fn brute_force(m: &Matrix, cap: i64, demand: &[i64]) -> f64 {
    let n = demand.len();
    let route_cost = |seq: &[usize]| -> f64 {
        let mut c = 0.0;
        let mut prev = 0;
        for &j in seq {
            c += m.distance(prev, j + 1);
            prev = j + 1;
        }
        c + m.distance(prev, 0)
    };
    let best_tsp = |set: &[usize]| -> f64 {
        if set.iter().map(|&j| demand[j]).sum::<i64>() > cap {
            return f64::INFINITY;
        }
        let mut perm = set.to_vec();
        let mut best = f64::INFINITY;
        permute(&mut perm, 0, &mut |p| best = best.min(route_cost(p)));
        best
    };
    let mut best = f64::INFINITY;
    for mask in 0..(1u32 << n) {
        let a: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let b: Vec<usize> = (0..n).filter(|i| mask & (1 << i) == 0).collect();
        best = best.min(best_tsp(&a) + best_tsp(&b));
    }
    best
}

fn permute(v: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
    if k == v.len() {
        f(v);
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permute(v, k + 1, f);
        v.swap(k, i);
    }
}

#[test]
fn tiny_cvrp_reaches_brute_force_optimum() {
    let pts = [
        (0.0, 0.0),
        (10.0, 1.0),
        (9.0, -4.0),
        (-3.0, 8.0),
        (-7.0, 2.0),
        (4.0, 9.0),
        (-5.0, -6.0),
    ];
    let demand = [3, 4, 2, 5, 3, 4];
    let m = common::plane(&pts);
    let opt = brute_force(&m, 11, &demand);
    let mut p = Problem::new(vec![m]);
    p.objective.minimize_vehicles = false;
    for (i, d) in demand.iter().enumerate() {
        p = p.job(Job::new(i as u64, i + 1).demand(vec![*d]));
    }
    for v in 0..2 {
        p = p.vehicle(
            Vehicle::new(v, Some(0))
                .capacity(vec![11])
                .costs(dist_costs()),
        );
    }
    let s = solve(&p, &SolveOptions::iterations(500)).unwrap();
    assert!(check(&p, &s).is_empty());
    assert!(
        (s.summary.cost - opt).abs() < 1e-6,
        "got {} optimum {opt}",
        s.summary.cost
    );
}

#[test]
fn impossible_jobs_are_unassigned_with_reasons() {
    let pts = [
        (0.0, 0.0),
        (10.0, 0.0),
        (0.0, 10.0),
        (500.0, 0.0),
        (3.0, 3.0),
    ];
    let m = common::plane(&pts);
    let p = Problem::new(vec![m])
        .job(Job::new(1, 1).demand(vec![5]))
        .job(Job::new(2, 2).demand(vec![50])) // heavier than any truck
        .job(Job::new(3, 3).demand(vec![1]).time_window(0.0, 100.0)) // 500 away, window closes at 100
        .job(Job::new(4, 4).demand(vec![1]).skills(vec![7])) // nobody has skill 7
        .vehicle(
            Vehicle::new(1, Some(0))
                .capacity(vec![10])
                .shift(0.0, 2000.0),
        );
    let s = solve(&p, &SolveOptions::iterations(50)).unwrap();
    assert!(check(&p, &s).is_empty());
    let reasons: Vec<(u64, UnassignedReason)> = s
        .unassigned
        .iter()
        .map(|u| (p.jobs[u.job].id, u.reason.clone()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (2, UnassignedReason::Capacity),
            (3, UnassignedReason::TimeWindow),
            (4, UnassignedReason::Skills)
        ]
    );
    assert_eq!(s.routes.len(), 1);
}

#[test]
fn route_limits_and_fleet_too_small() {
    let pts = [(0.0, 0.0), (100.0, 0.0), (0.0, 5.0), (0.0, 6.0)];
    let m = common::plane(&pts);
    let mut v = Vehicle::new(1, Some(0)).capacity(vec![1]);
    v.max_distance = Some(50.0);
    let p = Problem::new(vec![m])
        .job(Job::new(1, 1).demand(vec![1])) // 200 round trip > 50
        .job(Job::new(2, 2).demand(vec![1]))
        .job(Job::new(3, 3).demand(vec![1])) // capacity 1: only one of 2 and 3 fits
        .vehicle(v);
    let s = solve(&p, &SolveOptions::iterations(50)).unwrap();
    assert!(check(&p, &s).is_empty());
    let reasons: Vec<UnassignedReason> = s.unassigned.iter().map(|u| u.reason.clone()).collect();
    assert_eq!(
        reasons,
        vec![UnassignedReason::RouteLimits, UnassignedReason::NoRoom]
    );
}

#[test]
fn disposal_trips_when_demand_exceeds_capacity() {
    // Depot 0, bins at 1..=6, two landfills (7 far, 8 near the bins).
    let pts = [
        (0.0, 0.0),
        (10.0, 0.0),
        (11.0, 1.0),
        (12.0, 0.0),
        (10.0, 3.0),
        (12.0, 3.0),
        (11.0, 4.0),
        (-50.0, 0.0),
        (14.0, 2.0),
    ];
    let m = common::plane(&pts);
    let mut p = Problem::new(vec![m])
        .vehicle(
            Vehicle::new(1, Some(0))
                .capacity(vec![10])
                .shift(0.0, 1000.0)
                .disposal_required_at_end(true),
        )
        .facility(Facility {
            id: 70,
            location: 7,
            time_windows: vec![],
            unload: 5.0,
        })
        .facility(Facility {
            id: 80,
            location: 8,
            time_windows: vec![kerb_plan::TimeWindow::new(0.0, 900.0)],
            unload: 5.0,
        });
    for k in 1..=6 {
        p = p.job(Job::new(k, k as usize).demand(vec![4]).service(2.0));
    }
    let s = solve(&p, &SolveOptions::iterations(300)).unwrap();
    assert!(check(&p, &s).is_empty(), "{:?}", check(&p, &s));
    assert!(s.unassigned.is_empty());
    assert_eq!(s.routes.len(), 1);
    let steps = &s.routes[0].steps;
    let dumps: Vec<usize> = steps
        .iter()
        .filter_map(|x| match x.kind {
            StepKind::Disposal { facility } => Some(facility),
            _ => None,
        })
        .collect();
    // 24 units, capacity 10: three trips, each ending at the near landfill.
    assert_eq!(dumps, vec![1, 1, 1]);
    assert!(matches!(
        steps[steps.len() - 2].kind,
        StepKind::Disposal { .. }
    ));
    assert!(steps.iter().all(|x| x.load[0] <= 10));
}

/// Issue 19: 4 bins of 1, capacity 2, a landfill at the second bin. A third dump there
/// (bin 1, dump, bin 2, dump, ...) drives no farther than the two needed, so only the unload
/// time in the objective tells them apart: no plan may keep the needless one.
#[test]
fn no_needless_disposal_stop_when_unloading_costs_nothing_to_reach() {
    let pts = [
        (0.0, 0.0),
        (10.0, 0.0),
        (20.0, 0.0),
        (30.0, 0.0),
        (40.0, 0.0),
    ];
    let m = common::plane(&pts);
    let mut p = Problem::new(vec![m])
        .vehicle(
            Vehicle::new(1, Some(0))
                .capacity(vec![2])
                .disposal_required_at_end(true),
        )
        .facility(Facility {
            id: 9,
            location: 2,
            time_windows: vec![],
            unload: 600.0,
        });
    for k in 1..=4 {
        p = p.job(Job::new(k, k as usize).demand(vec![1]));
    }
    for iterations in [3_000, 30_000] {
        for seed in 1..=3 {
            let mut o = SolveOptions::iterations(iterations);
            o.seed = seed;
            let s = solve(&p, &o).unwrap();
            assert!(check(&p, &s).is_empty(), "{:?}", check(&p, &s));
            let dumps = s.routes[0]
                .steps
                .iter()
                .filter(|x| matches!(x.kind, StepKind::Disposal { .. }))
                .count();
            assert_eq!(dumps, 2, "{iterations} iterations, seed {seed}");
            // Travel 80 plus two unloads of 600 (cost = duration).
            assert!((s.summary.cost - 1280.0).abs() < 1e-6, "{}", s.summary.cost);
        }
    }
}

#[test]
fn breaks_and_multiple_windows() {
    let pts = [(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)];
    let m = common::plane(&pts);
    let p = Problem::new(vec![m])
        .job(
            Job::new(1, 1)
                .service(10.0)
                .time_window(0.0, 5.0)
                .time_window(50.0, 60.0),
        )
        .job(Job::new(2, 2).service(10.0).time_window(30.0, 200.0))
        .job(Job::new(3, 3).service(10.0))
        .vehicle(
            Vehicle::new(1, Some(0))
                .shift(0.0, 400.0)
                .with_break(1, 40.0, 80.0, 30.0),
        );
    let s = solve(&p, &SolveOptions::iterations(100)).unwrap();
    assert!(check(&p, &s).is_empty(), "{:?}", check(&p, &s));
    assert!(s.unassigned.is_empty());
    let kinds: Vec<StepKind> = s.routes[0].steps.iter().map(|x| x.kind).collect();
    assert!(kinds.contains(&StepKind::Break { index: 0 }));
}

#[test]
fn invalid_input_is_an_error() {
    let m = Matrix::from_fn(2, |_, _| (1.0, 1.0));
    let p = Problem::new(vec![m.clone()])
        .job(Job::new(1, 5))
        .vehicle(Vehicle::new(1, Some(0)));
    assert!(matches!(
        solve(&p, &SolveOptions::iterations(1)),
        Err(kerb_plan::Error::InvalidInstance(_))
    ));
    let p = Problem::new(vec![m]).job(Job::new(1, 1));
    assert!(matches!(
        solve(&p, &SolveOptions::iterations(1)),
        Err(kerb_plan::Error::Infeasible { .. })
    ));
}
