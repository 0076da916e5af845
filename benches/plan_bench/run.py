#!/usr/bin/env python3
"""Planning benchmark: kerb vs VROOM (pyvroom) vs PyVRP on the shared Solomon and X instances.

Usage (from the repository root):
    cargo build --release -p kerb-plan --example plan_bench
    python3 -m venv /tmp/planvenv && /tmp/planvenv/bin/pip install pyvroom pyvrp vrplib numpy
    /tmp/planvenv/bin/python benches/plan_bench/run.py --time-limit 10 --threads 2 [--subset] [INSTANCE ...]

Conventions: Solomon = Euclidean distances in double precision, travel time = distance (VROOM
and PyVRP need integers: their matrices are scaled by 1000 and rounded, and their routes are
re-measured here in double precision); X = Euclidean rounded to the nearest integer per edge.
Gaps: kerb (hierarchical, vehicles then distance) against the classic Solomon BKS; kerb with
--distance-only, VROOM and PyVRP against the distance-only BKS (none of them minimises
vehicles first). VROOM runs at exploration level 5 with the same time as a timeout (it stops
earlier when its search is done): its own time is reported.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("KERB_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
BENCH = os.path.join(SHARED, "bench")
SUBSET = ["C101", "C104", "C205", "R101", "R107", "R205", "R211", "RC102", "RC108", "RC204",
          "X-n101-k25", "X-n153-k22", "X-n200-k36"]


def load_bks():
    with open(os.path.join(BENCH, "bks.csv")) as f:
        return {r["instance"]: r for r in csv.DictReader(f)}


def read(path, fmt):
    import vrplib
    inst = vrplib.read_instance(path, instance_format=fmt)
    xy = inst["node_coord"]
    n = len(xy)
    d = [[math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]) for j in range(n)] for i in range(n)]
    if fmt == "vrplib":
        d = [[float(math.floor(x + 0.5)) for x in row] for row in d]
    return inst, d


def route_dist(d, routes, depot=0):
    tot = 0.0
    for r in routes:
        prev = depot
        for c in r:
            tot += d[prev][c]
            prev = c
        tot += d[prev][depot]
    return tot


def run_kerb(binary, path, t, threads, distance_only):
    cmd = [binary, "--time-limit", str(t), "--threads", str(threads), path]
    if distance_only:
        cmd.insert(1, "--distance-only")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_vroom(path, fmt, threads, t):
    import vroom
    inst, d = read(path, fmt)
    scale = 1000 if fmt == "solomon" else 1
    n = len(d)
    depot = 0 if fmt == "solomon" else int(inst["depot"][0])
    mat = [[int(round(x * scale)) for x in row] for row in d]
    p = vroom.Input()
    p.set_durations_matrix(profile="car", matrix_input=mat)
    cap = int(inst["capacity"])
    nveh = int(inst.get("vehicles", n - 1)) if fmt == "solomon" else n - 1
    horizon = None
    if fmt == "solomon":
        tw = inst["time_window"]
        horizon = vroom.TimeWindow(int(tw[0][0] * scale), int(tw[0][1] * scale))
    for k in range(nveh):
        kw = dict(start=depot, end=depot, capacity=[cap])
        if horizon is not None:
            kw["time_window"] = horizon
        p.add_vehicle(vroom.Vehicle(k + 1, **kw))
    jobs = []
    for i in range(n):
        if i == depot:
            continue
        kw = dict(location=i, delivery=[int(inst["demand"][i])])
        if fmt == "solomon":
            kw["default_service"] = int(round(inst["service_time"][i] * scale))
            kw["time_windows"] = [vroom.TimeWindow(int(inst["time_window"][i][0] * scale), int(inst["time_window"][i][1] * scale))]
        jobs.append(vroom.Job(i, **kw))
    p.add_job(jobs)
    t0 = time.time()
    sol = p.solve(exploration_level=5, nb_threads=threads, timeout=timedelta(seconds=t))
    secs = time.time() - t0
    df = sol.routes
    routes = []
    for vid, g in df.groupby("vehicle_id"):
        ids = [int(x) for x, ty in zip(g["id"], g["type"]) if ty == "job"]
        if ids:
            routes.append(ids)
    unassigned = n - 1 - sum(len(r) for r in routes)
    return dict(vehicles=len(routes), cost=route_dist(d, routes, depot), time_s=secs, unassigned=unassigned)


def run_pyvrp(path, fmt, t):
    import pyvrp
    from pyvrp.stop import MaxRuntime
    inst, d = read(path, fmt)
    if fmt == "solomon":
        scale = 1000
        m = pyvrp.Model()
        tw, xy = inst["time_window"], inst["node_coord"]
        locs = [m.add_location(x=int(xy[i][0]), y=int(xy[i][1])) for i in range(len(d))]
        depot = m.add_depot(locs[0], tw_early=int(tw[0][0] * scale), tw_late=int(tw[0][1] * scale))
        m.add_vehicle_type(num_available=int(inst["vehicles"]), capacity=int(inst["capacity"]),
                           start_depot=depot, end_depot=depot,
                           tw_early=int(tw[0][0] * scale), tw_late=int(tw[0][1] * scale))
        for i in range(1, len(d)):
            m.add_client(locs[i], delivery=int(inst["demand"][i]),
                         service_duration=int(round(inst["service_time"][i] * scale)),
                         tw_early=int(tw[i][0] * scale), tw_late=int(tw[i][1] * scale))
        for i, a in enumerate(locs):
            for j, b in enumerate(locs):
                if i != j:
                    w = int(round(d[i][j] * scale))
                    m.add_edge(a, b, distance=w, duration=w)
        data = m.data()
    else:
        data = pyvrp.read(path, round_func="round")
    t0 = time.time()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=1, display=False)
    secs = time.time() - t0
    routes = [[a.idx + data.num_depots for a in r if a.is_client()] for r in res.best.routes()]
    native = sum(r.distance() for r in res.best.routes()) / (1000 if fmt == "solomon" else 1)
    return dict(vehicles=len(routes), cost=route_dist(d, routes, 0), native=native, time_s=secs,
                feasible=res.best.is_feasible())


def gap(cost, bks):
    return 100.0 * (cost - bks) / bks if bks else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instances", nargs="*")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--subset", action="store_true", help="13 representative instances")
    ap.add_argument("--kerb-bin", default=os.path.join(ROOT, "target", "release", "examples", "plan_bench"))
    ap.add_argument("--no-vroom", action="store_true")
    ap.add_argument("--no-pyvrp", action="store_true")
    ap.add_argument("--no-distance-only", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(BENCH):
        print(f"benchmark instances not found at {BENCH}")
        return 0
    bks = load_bks()
    names = a.instances or (SUBSET if a.subset else [k for k, r in bks.items() if r["problem"] in ("VRPTW", "CVRP")])
    hdr = ("| instance | BKS veh/cost | kerb veh | kerb cost | gap % | kerb dist-only | gap % | "
           "VROOM veh | VROOM cost | gap % | VROOM s | PyVRP veh | PyVRP cost | gap % |")
    print(hdr)
    print("|" + "---|" * (hdr.count("|") - 1))
    gaps = {"kerb": [], "kerb_d": [], "vroom": [], "pyvrp": []}
    for name in names:
        r = bks[name]
        path = os.path.join(BENCH, r["file"])
        fmt = "solomon" if r["format"] == "solomon" else "vrplib"
        bcost = float(r["bks_cost"])
        dcost = float(r["bks_distonly_cost"] or r["bks_cost"])
        k = run_kerb(a.kerb_bin, path, a.time_limit, a.threads, distance_only=(fmt != "solomon"))
        g = gap(k["cost"], bcost)
        gaps["kerb"].append(g)
        cells = [name, f"{r['bks_vehicles'] or '-'}/{bcost}", str(k["vehicles"]), f"{k['cost']:.2f}", f"{g:.2f}"]
        if fmt == "solomon" and not a.no_distance_only:
            kd = run_kerb(a.kerb_bin, path, a.time_limit, a.threads, distance_only=True)
            gd = gap(kd["cost"], dcost)
            gaps["kerb_d"].append(gd)
            cells += [f"{kd['vehicles']}/{kd['cost']:.2f}", f"{gd:.2f}"]
        elif fmt != "solomon":
            cells += ["(same)", f"{g:.2f}"]
            gaps["kerb_d"].append(g)
        else:
            cells += ["-", "-"]
        if not a.no_vroom:
            try:
                v = run_vroom(path, fmt, a.threads, a.time_limit)
                gv = gap(v["cost"], dcost)
                gaps["vroom"].append(gv)
                cells += [str(v["vehicles"]) + ("" if v["unassigned"] == 0 else f" ({v['unassigned']} unassigned)"),
                          f"{v['cost']:.2f}", f"{gv:.2f}", f"{v['time_s']:.1f}"]
            except Exception as e:  # report, keep going
                cells += [f"error: {e}", "", "", ""]
        else:
            cells += ["-"] * 4
        if not a.no_pyvrp:
            try:
                pv = run_pyvrp(path, fmt, a.time_limit)
                gp = gap(pv["cost"], dcost)
                gaps["pyvrp"].append(gp)
                cells += [str(pv["vehicles"]), f"{pv['cost']:.2f}" + ("" if pv["feasible"] else " (infeasible)"), f"{gp:.2f}"]
            except Exception as e:
                cells += [f"error: {e}", "", ""]
        else:
            cells += ["-"] * 3
        print("| " + " | ".join(cells) + " |", flush=True)
    for k, v in gaps.items():
        if v:
            print(f"mean gap {k}: {sum(v) / len(v):.2f} % over {len(v)} instances")
    return 0


if __name__ == "__main__":
    sys.exit(main())
