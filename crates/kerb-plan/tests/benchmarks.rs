//! Solves real benchmark instances with small deterministic budgets.

mod common;

use kerb_plan::{check, io, solve, SolveOptions};

#[test]
fn solomon_c101_reaches_optimum() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let p = io::read_file(dir.join("solomon/C101.txt")).unwrap();
    assert_eq!((p.jobs.len(), p.vehicles.len()), (100, 25));
    let s = solve(&p, &SolveOptions::iterations(400).with_seed(3)).unwrap();
    assert!(check(&p, &s).is_empty(), "{:?}", check(&p, &s));
    assert_eq!(s.summary.vehicles, 10);
    assert!(
        (s.summary.distance - 828.94).abs() < 0.01,
        "C101 distance {}",
        s.summary.distance
    );
}

#[test]
fn vrplib_x101_is_feasible_and_close() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let p = io::read_file(dir.join("cvrp/X-n101-k25.vrp")).unwrap();
    assert_eq!(p.jobs.len(), 100);
    let s = solve(&p, &SolveOptions::iterations(300).with_threads(2)).unwrap();
    assert!(check(&p, &s).is_empty());
    assert!(s.unassigned.is_empty());
    // Optimum 27591 (rounded EUC_2D); a short run stays within 5 %.
    assert!(
        s.summary.distance >= 27591.0 && s.summary.distance < 27591.0 * 1.05,
        "{}",
        s.summary.distance
    );
}

#[test]
fn same_seed_same_plan() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let p = io::read_file(dir.join("solomon/R101.txt")).unwrap();
    let o = SolveOptions::iterations(30).with_threads(2).with_seed(11);
    let (a, b) = (solve(&p, &o).unwrap(), solve(&p, &o).unwrap());
    assert_eq!(a.routes, b.routes);
    assert!(check(&p, &a).is_empty());
}

/// Fleet minimisation reaches the best-known fleet of RC105 (13 vehicles; the code before
/// persistent fleet minimisation stayed at 14 with this budget and any of seeds 1-3).
#[test]
fn solomon_rc105_reaches_best_known_fleet() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let p = io::read_file(dir.join("solomon/RC105.txt")).unwrap();
    let s = solve(
        &p,
        &SolveOptions::iterations(10_000)
            .with_threads(2)
            .with_seed(3),
    )
    .unwrap();
    assert!(check(&p, &s).is_empty(), "{:?}", check(&p, &s));
    assert!(s.unassigned.is_empty());
    assert_eq!(s.summary.vehicles, 13, "RC105 fleet");
    // Best known with 13 vehicles: 1629.44.
    assert!(
        s.summary.distance > 1629.0 && s.summary.distance < 1629.44 * 1.05,
        "RC105 distance {}",
        s.summary.distance
    );
}

/// The ejection-pool route elimination (`solver/route_elim.rs`) reaches RC105's best-known
/// fleet of 13 on one thread where the SISR fleet minimisation alone stays at 14 (same
/// budget and seed, measured with the phase switched off: 14 vehicles, 1549.50).
#[test]
fn route_elimination_reaches_rc105_fleet_on_one_thread() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let p = io::read_file(dir.join("solomon/RC105.txt")).unwrap();
    let s = solve(&p, &SolveOptions::iterations(20_000).with_seed(1)).unwrap();
    assert!(check(&p, &s).is_empty(), "{:?}", check(&p, &s));
    assert!(s.unassigned.is_empty());
    assert_eq!(s.summary.vehicles, 13, "RC105 fleet");
    assert!(
        s.summary.distance > 1629.0 && s.summary.distance < 1629.44 * 1.05,
        "RC105 distance {}",
        s.summary.distance
    );
}
