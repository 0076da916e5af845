#!/usr/bin/env python3
"""kerb's /match vs OSRM's /match (car profile, CH) on the same generated traces, same run.

Usage (from the repository root):
    python3 scripts/match_compare.py [--pbf ../shared/data/osm/r5_porto_portugal.osm.pbf]
                                     [--routes 12] [--seed 1] [--osrm DIR]

Steps:
  1. kerb: `kerb build <pbf> --profile car` (release build); OSRM 26 (the osrm-bindings wheel's
     binaries and stock car.lua, from --osrm or $OSRM_DIR, else downloaded as in
     benches/compare_osrm.py): osrm-extract + osrm-contract on the same extract.
  2. Traces: `examples/match_traces` (kerb-match) draws shortest car routes of 1-3 km between
     random points and drives each at 5/15/30 m Gaussian noise (on east and north) and 1/5/15/30 s
     sampling with 5 % of the fixes dropped; the truth of each route is the list of directed
     OSM node pairs it drives, with metres.
  3. Both servers get the same GET request per trace: coordinates, `timestamps`,
     `radiuses` = the noise (the GPS precision a tracker reports), `annotations=nodes`,
     `overview=false`. kerb: `kerb serve`; OSRM: `osrm-routed --algorithm ch` (2 threads),
     `--max-matching-size` raised so every trace fits.
  4. Accuracy, computed the same way for both: the share of the true route length whose
     directed OSM node pair (consecutive nodes of `annotation.nodes` in some leg of some
     matching) the answer drives. "Precision": the share of the answer's node pairs (by the
     true length where known, else counted once) that are on the true route is printed too,
     so a matcher cannot win by driving everything.
  5. Throughput: trace points / wall seconds of the sequential requests (one keep-alive
     connection each, HTTP and JSON included for both).
Prints a table per setting with both engines and the ratios; saves JSON to target/match-compare/.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("KERB_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
WORK = os.path.join(ROOT, "target", "match-compare")
sys.path.insert(0, os.path.join(ROOT, "benches"))


def sh(cmd, **kw):
    print("$", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def find_osrm(explicit):
    for d in [explicit, os.environ.get("OSRM_DIR"), "/work/osrm/wheel"]:
        if d and os.path.exists(os.path.join(d, "osrm", "bin", "osrm-extract")):
            return os.path.join(d, "osrm")
    from compare_osrm import ensure_osrm  # downloads the wheel into target/osrm
    return ensure_osrm()[0]


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def get(self, path):
        for attempt in range(2):
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, json.loads(r.read() or b"null")
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)


def wait_ready(port, lon, lat):
    for _ in range(1200):
        try:
            status, _ = Client(port).get(f"/nearest/v1/driving/{lon},{lat}")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not come up")


def request(trace):
    pts = trace["points"]
    coords = ";".join(f"{p[0]:.6f},{p[1]:.6f}" for p in pts)
    times = ";".join(str(int(round(p[2]))) for p in pts)
    radius = f"{trace['noise_m']:g}"
    radiuses = ";".join([radius] * len(pts))
    return (f"/match/v1/driving/{coords}?timestamps={times}&radiuses={radiuses}"
            "&annotations=nodes&overview=false&geometries=polyline")


def matched_pairs(answer):
    """Directed OSM node pairs an OSRM-shaped match answer drives."""
    pairs = set()
    for m in (answer or {}).get("matchings", []) or []:
        for leg in m.get("legs", []):
            nodes = (leg.get("annotation") or {}).get("nodes", [])
            pairs.update(zip(nodes, nodes[1:]))
    return pairs


def score(truth, pairs):
    """(recall by true length, precision of the answer's pairs)."""
    length = {(a, b): m for a, b, m in truth}
    total = sum(length.values())
    right = sum(m for p, m in length.items() if p in pairs)
    on_truth = sum(1 for p in pairs if p in length)
    precision = on_truth / len(pairs) if pairs else 0.0
    return (right / total if total else 1.0), precision


def run_engine(client, routes, setting):
    """Matches every route's trace of one setting; returns totals."""
    right = total = 0.0
    precisions, points, secs, failures = [], 0, 0.0, 0
    for r in routes:
        trace = next(t for t in r["traces"]
                     if (t["noise_m"], t["interval_s"]) == setting)
        path = request(trace)
        start = time.perf_counter()
        status, answer = client.get(path)
        secs += time.perf_counter() - start
        points += len(trace["points"])
        pairs = matched_pairs(answer) if status == 200 else set()
        if status != 200:
            failures += 1
        recall, precision = score(r["truth"], pairs)
        true_m = sum(m for _, _, m in r["truth"])
        right += recall * true_m
        total += true_m
        precisions.append(precision)
    return {
        "accuracy": right / total,
        "precision": sum(precisions) / len(precisions),
        "points": points,
        "seconds": secs,
        "points_per_s": points / secs if secs else float("inf"),
        "failures": failures,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pbf", default=os.path.join(SHARED, "osm", "r5_porto_portugal.osm.pbf"))
    ap.add_argument("--routes", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--osrm", help="folder holding osrm/bin and osrm/share (the unpacked wheel)")
    ap.add_argument("--kerb-port", type=int, default=5991)
    ap.add_argument("--osrm-port", type=int, default=5992)
    ap.add_argument("--cargo-profile", default="release", choices=["release", "dev"],
                    help="kerb's build (dev only to check accuracy quickly: its throughput is no benchmark)")
    ap.add_argument("--noises", default="5,15,30", help="noise levels to run, metres")
    ap.add_argument("--intervals", default="1,5,15,30", help="sampling intervals to run, seconds")
    ap.add_argument("--reuse-graph", action="store_true",
                    help="keep kerb's graph file from the last run (when only matching changed)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="match every trace this many times for throughput (accuracy from the first)")
    a = ap.parse_args()
    if not os.path.exists(a.pbf):
        raise SystemExit(f"extract not found: {a.pbf}")
    osrm = find_osrm(a.osrm)
    os.makedirs(WORK, exist_ok=True)
    profile = ["--profile", a.cargo_profile]
    sh(["cargo", "build", "-q", "-p", "kerb-cli", "--bin", "kerb"] + profile, cwd=ROOT)
    sh(["cargo", "build", "-q", "-p", "kerb-match", "--example", "match_traces"] + profile,
       cwd=ROOT)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    out_dir = os.path.join(target, "release" if a.cargo_profile == "release" else "debug")
    kerb = os.path.join(out_dir, "kerb")
    gen = os.path.join(out_dir, "examples", "match_traces")

    graph = os.path.join(WORK, "car.kerb")
    if not (a.reuse_graph and os.path.exists(graph)):
        sh([kerb, "build", a.pbf, "--profile", "car", "-o", graph, "--quiet"])
    pbf = os.path.join(WORK, "extract.osm.pbf")
    base = os.path.join(WORK, "extract.osrm")
    stamp = os.path.join(WORK, "osrm-source.txt")
    source = f"{os.path.abspath(a.pbf)} {os.path.getsize(a.pbf)} {osrm}"
    # OSRM's files depend on the extract and OSRM only: reuse them when neither changed.
    if not (os.path.exists(stamp) and open(stamp).read() == source
            and os.path.exists(base + ".hsgr")):
        shutil.copy(a.pbf, pbf)
        sh([os.path.join(osrm, "bin", "osrm-extract"), "-p",
            os.path.join(osrm, "share", "profiles", "car.lua"), pbf],
           stdout=subprocess.DEVNULL)
        sh([os.path.join(osrm, "bin", "osrm-contract"), base], stdout=subprocess.DEVNULL)
        with open(stamp, "w") as f:
            f.write(source)

    out = subprocess.run([gen, graph, str(a.routes), str(a.seed)], check=True,
                         capture_output=True, text=True).stdout
    routes = json.loads(out)["routes"]
    with open(os.path.join(WORK, "traces.json"), "w") as f:
        f.write(out)
    longest = max(len(t["points"]) for r in routes for t in r["traces"])
    lon, lat = routes[0]["traces"][0]["points"][0][:2]

    servers = [
        subprocess.Popen([kerb, "serve", "--graph", graph, "--bind",
                          f"127.0.0.1:{a.kerb_port}", "--max-match-coordinates",
                          str(longest + 1)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([os.path.join(osrm, "bin", "osrm-routed"), "--algorithm", "ch",
                          "--port", str(a.osrm_port), "--threads", "2",
                          "--max-matching-size", str(longest + 1), base],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        wait_ready(a.kerb_port, lon, lat)
        wait_ready(a.osrm_port, lon, lat)
        clients = {"kerb": Client(a.kerb_port), "osrm": Client(a.osrm_port)}
        settings = [(float(n), float(i)) for n in a.noises.split(",")
                    for i in a.intervals.split(",")]
        results = []
        print(f"{len(routes)} routes ({sum(r['distance_m'] for r in routes) / 1000:.1f} km), "
              f"{os.path.basename(a.pbf)}, car profile, 5 % dropouts, radiuses = noise, "
              f"kerb {a.cargo_profile} build")
        print("| noise | interval | kerb accuracy | OSRM accuracy | kerb precision | "
              "OSRM precision | kerb pt/s | OSRM pt/s | throughput ratio |")
        print("|---|---|---|---|---|---|---|---|---|")
        for setting in settings:
            row = {"noise_m": setting[0], "interval_s": setting[1]}
            # Alternate the engines' order per setting so neither always runs first.
            order = ["kerb", "osrm"] if len(results) % 2 == 0 else ["osrm", "kerb"]
            for name in order:
                first = run_engine(clients[name], routes, setting)
                for _ in range(a.repeat - 1):
                    again = run_engine(clients[name], routes, setting)
                    first["points"] += again["points"]
                    first["seconds"] += again["seconds"]
                first["points_per_s"] = first["points"] / first["seconds"]
                row[name] = first
            k, o = row["kerb"], row["osrm"]
            print(f"| {setting[0]:g} m | {setting[1]:g} s | {k['accuracy'] * 100:.1f} % | "
                  f"{o['accuracy'] * 100:.1f} % | {k['precision'] * 100:.1f} % | "
                  f"{o['precision'] * 100:.1f} % | {k['points_per_s']:.0f} | "
                  f"{o['points_per_s']:.0f} | {k['points_per_s'] / o['points_per_s']:.2f}x |",
                  flush=True)
            if k["failures"] or o["failures"]:
                print(f"  (failed requests: kerb {k['failures']}, OSRM {o['failures']})")
            results.append(row)
        wins = sum(r["kerb"]["accuracy"] >= r["osrm"]["accuracy"] for r in results)
        kp = sum(r["kerb"]["points"] for r in results) / sum(r["kerb"]["seconds"] for r in results)
        op = sum(r["osrm"]["points"] for r in results) / sum(r["osrm"]["seconds"] for r in results)
        print(f"kerb accuracy >= OSRM's at {wins} of {len(results)} settings; "
              f"throughput over all traces kerb {kp:.0f} pt/s, OSRM {op:.0f} pt/s "
              f"({kp / op:.2f}x)")
        with open(os.path.join(WORK, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
        for s in servers:
            try:
                s.wait(timeout=15)
            except subprocess.TimeoutExpired:
                s.kill()


if __name__ == "__main__":
    main()
