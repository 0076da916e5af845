//! Capacitated arc routing on the CARPLIB benchmark sets (gdb, val, egl).

mod common;

use kerb_plan::carp::{check, read_carplib, read_carplib_file, solve, CarpViolation};
use kerb_plan::{Error, SolveOptions};

/// Optimal costs (bks.csv) of the instances solved below.
const OPTIMA: [(&str, u64); 5] = [
    ("gdb1", 316),
    ("gdb2", 339),
    ("gdb3", 275),
    ("gdb11", 395),
    ("val1C", 245),
];

#[test]
fn parses_every_instance() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let dir = dir.join("carp");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "dat") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let inst = read_carplib(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The header counts agree with the lists, and the depot is file vertex 1.
        let header = |key: &str| -> usize {
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(key))
                .unwrap();
            line.split(':').nth(1).unwrap().trim().parse().unwrap()
        };
        assert_eq!(
            inst.required.len(),
            header("ARISTAS_REQ"),
            "{}",
            path.display()
        );
        assert_eq!(inst.non_required.len(), header("ARISTAS_NOREQ"));
        assert_eq!(inst.vertices, header("VERTICES"));
        assert_eq!(inst.depot, 0);
        // COSTE_TOTAL_REQ is not the sum of the listed costs in the val files (and gdb12),
        // so it is only compared where it is known to agree.
        if path
            .file_stem()
            .is_some_and(|s| s == "gdb1" || s == "egl-e1-A")
        {
            assert_eq!(inst.service_cost() as usize, header("COSTE_TOTAL_REQ"));
        }
        n += 1;
    }
    assert_eq!(n, 51, "instances in {}", dir.display());
}

#[test]
fn gdb_reaches_optimum_with_short_budget() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    for (name, opt) in OPTIMA {
        let inst = read_carplib_file(dir.join(format!("carp/{name}.dat"))).unwrap();
        let sol = solve(&inst, &SolveOptions::iterations(300).with_seed(1)).unwrap();
        assert_eq!(check(&inst, &sol), vec![], "{name}");
        assert!(
            sol.cost >= opt,
            "{name}: {} below the proven optimum",
            sol.cost
        );
        assert_eq!(sol.cost, opt, "{name}");
        assert_eq!(sol.service_cost, inst.service_cost());
    }
}

#[test]
fn same_seed_same_plan_and_threads_agree() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let inst = read_carplib_file(dir.join("carp/val1C.dat")).unwrap();
    let o = SolveOptions::iterations(60).with_seed(5).with_threads(2);
    let (a, b) = (solve(&inst, &o).unwrap(), solve(&inst, &o).unwrap());
    assert_eq!(a.routes, b.routes);
    assert!(check(&inst, &a).is_empty());
    // val1C: 39 edges, total demand above 8 trucks' capacity.
    let demand: u64 = inst.required.iter().map(|e| e.demand).sum();
    assert!(a.routes.len() as u64 >= demand.div_ceil(inst.capacity));
    assert!(a.routes.iter().all(|r| r.load <= inst.capacity));
}

#[test]
fn checker_catches_broken_plans() {
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let inst = read_carplib_file(dir.join("carp/gdb1.dat")).unwrap();
    let good = solve(&inst, &SolveOptions::iterations(20)).unwrap();
    assert!(check(&inst, &good).is_empty());

    let mut dropped = good.clone();
    let t = dropped.routes[0].tasks.pop().unwrap();
    let v = check(&inst, &dropped);
    assert!(
        v.contains(&CarpViolation::ServedTimes {
            edge: t.edge,
            times: 0
        }),
        "{v:?}"
    );

    let mut merged = good.clone();
    let second = merged.routes.remove(1);
    merged.routes[0].tasks.extend(second.tasks);
    let v = check(&inst, &merged);
    assert!(
        v.iter()
            .any(|v| matches!(v, CarpViolation::Capacity { route: 0, .. })),
        "{v:?}"
    );

    let mut wrong_way = good.clone();
    let t = &mut wrong_way.routes[0].tasks[0];
    t.to = (t.to + 1) % inst.vertices;
    assert!(check(&inst, &wrong_way)
        .iter()
        .any(|v| matches!(v, CarpViolation::BadTask { .. })));

    let mut flipped = good.clone();
    let t = &mut flipped.routes[0].tasks[0];
    std::mem::swap(&mut t.from, &mut t.to);
    // Same edge, other direction: valid, but the reported deadheading no longer matches
    // unless the flip happens to cost the same.
    let v = check(&inst, &flipped);
    assert!(
        v.iter()
            .all(|v| matches!(v, CarpViolation::Misreported { .. })),
        "{v:?}"
    );

    let mut cheaper = good;
    cheaper.cost -= 1;
    assert!(!check(&inst, &cheaper).is_empty());
}

#[test]
fn malformed_input_is_a_typed_error() {
    let good = "NOMBRE : t\nVERTICES : 2\nARISTAS_REQ : 1\nARISTAS_NOREQ : 0\nVEHICULOS : 1\n\
                CAPACIDAD : 3\nLISTA_ARISTAS_REQ :\n( 1, 2) coste 5 demanda 2\nDEPOSITO : 1\n";
    let inst = read_carplib(good).unwrap();
    let sol = solve(&inst, &SolveOptions::iterations(5)).unwrap();
    assert_eq!((sol.cost, sol.routes.len()), (10, 1));
    for (text, line) in [
        (good.replace("coste 5", "coste five"), 8),
        (good.replace("( 1, 2)", "( 1, 3)"), 8),
        (good.replace("( 1, 2)", "( 1, 2, 3)"), 8),
        (good.replace("DEPOSITO : 1\n", ""), 8),
        (good.replace("VERTICES", "VERTEX"), 2),
        (good.replace("ARISTAS_REQ : 1", "ARISTAS_REQ : 2"), 9),
        ("\u{0}\u{1}garbage".to_string(), 1),
        (String::new(), 1),
    ] {
        match read_carplib(&text) {
            Err(Error::Parse { line: l, .. }) => assert_eq!(l, line, "{text:?}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
    assert!(matches!(
        read_carplib(&good.replace("demanda 2", "demanda 4")),
        Err(Error::Infeasible { .. })
    ));
    assert!(matches!(
        read_carplib_file("/nonexistent/x.dat"),
        Err(Error::Io(_))
    ));
}

/// Exhaustive optimum of a tiny instance, independent of the solver: every order of the
/// required edges, every direction of each, every way to cut the order into trips, costed with
/// Floyd-Warshall distances.
fn brute_force(inst: &kerb_plan::carp::CarpInstance) -> u64 {
    let n = inst.vertices;
    let mut d = vec![vec![u64::MAX / 4; n]; n];
    for (v, row) in d.iter_mut().enumerate() {
        row[v] = 0;
    }
    let edges = inst
        .required
        .iter()
        .map(|e| (e.u, e.v, e.cost))
        .chain(inst.non_required.iter().map(|e| (e.u, e.v, e.cost)));
    for (u, v, c) in edges {
        d[u][v] = d[u][v].min(c);
        d[v][u] = d[v][u].min(c);
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
            }
        }
    }
    let m = inst.required.len();
    let mut perm: Vec<usize> = (0..m).collect();
    let mut best = u64::MAX;
    // Heap's algorithm over the orders.
    let mut c = vec![0usize; m];
    let mut visit = |perm: &[usize]| {
        for dirs in 0..1u32 << m {
            for cuts in 0..1u32 << m.saturating_sub(1) {
                let (mut cost, mut load, mut at) = (0u64, 0u64, inst.depot);
                let mut ok = true;
                for (k, &e) in perm.iter().enumerate() {
                    let r = &inst.required[e];
                    let (from, to) = if dirs >> k & 1 == 0 {
                        (r.u, r.v)
                    } else {
                        (r.v, r.u)
                    };
                    cost += d[at][from] + r.cost;
                    load += r.demand;
                    at = to;
                    ok &= load <= inst.capacity;
                    if k + 1 == m || cuts >> k & 1 == 1 {
                        cost += d[at][inst.depot];
                        at = inst.depot;
                        load = 0;
                    }
                }
                if ok {
                    best = best.min(cost);
                }
            }
        }
    };
    visit(&perm);
    let mut i = 0;
    while i < m {
        if c[i] < i {
            if i % 2 == 0 {
                perm.swap(0, i);
            } else {
                perm.swap(c[i], i);
            }
            visit(&perm);
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    best
}

#[test]
fn tiny_random_instances_reach_the_exhaustive_optimum() {
    // The exhaustive search itself, on a square with the depot at a corner and room for two
    // edges per trip: two trips, each deadheading back across the square (2 + 2).
    let square = kerb_plan::carp::CarpInstance::new(4, 0, 2)
        .required_edge(0, 1, 1, 1)
        .required_edge(1, 2, 1, 1)
        .required_edge(2, 3, 1, 1)
        .required_edge(3, 0, 1, 1);
    assert_eq!(brute_force(&square), 8);
    assert_eq!(brute_force(&square.clone().edge(0, 2, 1)), 6);
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut next = |k: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % k
    };
    for case in 0..25 {
        let n = 4 + next(4) as usize;
        let mut inst = kerb_plan::carp::CarpInstance::new(n, next(n as u64) as usize, 4 + next(6));
        // A spanning path keeps the graph connected; a few random chords on top.
        let mut pairs: Vec<(usize, usize)> = (1..n).map(|v| (v - 1, v)).collect();
        for _ in 0..n {
            let (u, v) = (next(n as u64) as usize, next(n as u64) as usize);
            if u != v && !pairs.contains(&(u, v)) && !pairs.contains(&(v, u)) {
                pairs.push((u, v));
            }
        }
        let required = 3 + next(3) as usize;
        let cap = inst.capacity;
        for (k, &(u, v)) in pairs.iter().enumerate() {
            let cost = 1 + next(9);
            if k < required {
                inst = inst.required_edge(u, v, cost, 1 + next(cap));
            } else {
                inst = inst.edge(u, v, cost);
            }
        }
        let sol = solve(&inst, &SolveOptions::iterations(30).with_seed(case)).unwrap();
        assert_eq!(check(&inst, &sol), vec![], "case {case}");
        assert_eq!(sol.cost, brute_force(&inst), "case {case}: {inst:?}");
    }
}

#[test]
fn large_sparse_street_graph_and_size_limits() {
    // A 200 x 200 grid of streets (40,000 vertices), 60 segments to serve scattered over it:
    // the solver only needs paths between the depot and the segments' ends.
    let side = 200usize;
    let at = |x: usize, y: usize| y * side + x;
    let mut inst = kerb_plan::carp::CarpInstance::new(side * side, at(100, 100), 10);
    for y in 0..side {
        for x in 0..side {
            if x + 1 < side {
                inst = inst.edge(at(x, y), at(x + 1, y), 3);
            }
            if y + 1 < side {
                inst = inst.edge(at(x, y), at(x, y + 1), 3);
            }
        }
    }
    for k in 0..60 {
        let (x, y) = ((k * 37) % (side - 1), (k * 53 + 11) % side);
        inst = inst.required_edge(at(x, y), at(x + 1, y), 3, 1 + (k as u64 % 4));
    }
    let t = std::time::Instant::now();
    let sol = solve(&inst, &SolveOptions::iterations(50)).unwrap();
    assert_eq!(check(&inst, &sol), vec![]);
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    let demand: u64 = inst.required.iter().map(|e| e.demand).sum();
    assert!(sol.routes.len() as u64 >= demand.div_ceil(10));

    // Absurd sizes are refused before anything is allocated for them.
    let huge = "VERTICES : 99999999999\nCAPACIDAD : 5\nLISTA_ARISTAS_REQ :\n\
                ( 1, 2) coste 1 demanda 1\nDEPOSITO : 1\n";
    assert!(matches!(read_carplib(huge), Err(Error::Unsupported(_))));
}

#[test]
fn a_cancelled_solve_stops_at_once_with_a_feasible_plan() {
    // Before: the CARP solver ignored SolveOptions::cancel and ran its whole budget (here
    // millions of iterations) after the caller gave up.
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    let Some(dir) = common::bench_dir() else {
        return;
    };
    let inst = read_carplib_file(dir.join("carp/egl-e4-A.dat")).unwrap();
    let token = Arc::new(AtomicBool::new(false));
    let o = SolveOptions::iterations(10_000_000).with_cancel(token.clone());
    let canceller = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            token.store(true, Ordering::Relaxed);
            Instant::now()
        })
    };
    let sol = solve(&inst, &o).unwrap();
    let stopped = Instant::now();
    let cancelled_at = canceller.join().unwrap();
    // One offspring's local search is the unit of work between checks (debug build).
    let late = stopped.saturating_duration_since(cancelled_at);
    assert!(
        late < Duration::from_secs(1),
        "stopped {late:?} after the cancel"
    );
    assert!(sol.iterations < 10_000_000);
    assert_eq!(check(&inst, &sol), vec![]);
}
