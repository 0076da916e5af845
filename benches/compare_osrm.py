#!/usr/bin/env python3
"""kerb vs OSRM (contraction hierarchies, car profile) on the same extract, in the same run.

Usage (from the repository root):
    python3 benches/compare_osrm.py [--pbf ../shared/data/osm/r5_porto_portugal.osm.pbf]
                                    [--pairs 10000] [--table 1000]

Steps:
  1. OSRM: `pip download osrm-bindings` (manylinux wheel with osrm-extract/contract/routed and
     the stock Lua profiles), unpacked under target/osrm/.
  2. Preprocessing, each under /usr/bin/time -v (wall time, peak RSS):
     kerb: `kerb build <pbf> --profile car` (import + turn-aware contraction, one process);
     OSRM: `osrm-extract -p car.lua` + `osrm-contract` (times summed, RSS = max of the two).
  3. The same random points for both: `ch_bench points` puts them on random car edges.
  4. p2p: `pairs` routes. kerb in-process (`ch_bench query`: snapping + CH search + unpacking
     + geometry, per route). OSRM via `osrm-routed --algorithm ch` over HTTP from this script
     (keep-alive; includes HTTP and JSON, `overview=false`).
  5. table: one `table x table` matrix. kerb in-process (snapping + many-to-many); OSRM one
     GET /table request with durations and distances (HTTP included).
  6. File sizes: kerb graph file vs the sum of OSRM's .osrm* files.
  7. Agreement: fraction of pairs whose kerb duration and distance are within 5% of OSRM's.
Results are printed side by side with ratios (kerb / OSRM) and saved to target/osrm-compare/.
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("KERB_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
WORK = os.path.join(ROOT, "target", "osrm-compare")
OSRM_DIR = os.path.join(ROOT, "target", "osrm")


def sh(cmd, **kw):
    print("$", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS in MiB)."""
    print("$", " ".join(cmd), file=sys.stderr)
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (.+)", p.stderr).group(1).strip()
    parts = [float(x) for x in wall.split(":")]
    secs = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    return secs, rss_kb / 1024.0


def ensure_osrm():
    exe = os.path.join(OSRM_DIR, "osrm", "bin", "osrm-extract")
    if not os.path.exists(exe):
        os.makedirs(OSRM_DIR, exist_ok=True)
        sh([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
            "--python-version", "3.12", "--platform", "manylinux_2_28_x86_64",
            "osrm-bindings", "-d", OSRM_DIR])
        whl = glob.glob(os.path.join(OSRM_DIR, "osrm_bindings-*.whl"))[0]
        sh(["unzip", "-q", "-o", whl, "-d", OSRM_DIR])
        for f in glob.glob(os.path.join(OSRM_DIR, "osrm", "bin", "*")):
            os.chmod(f, 0o755)
    whl = glob.glob(os.path.join(OSRM_DIR, "osrm_bindings-*.whl"))
    version = os.path.basename(whl[0]).split("-")[1] if whl else "?"
    return os.path.join(OSRM_DIR, "osrm"), version


def get_json(url, timeout=600):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pbf", default=os.path.join(SHARED, "osm", "r5_porto_portugal.osm.pbf"))
    ap.add_argument("--pairs", type=int, default=10000)
    ap.add_argument("--table", type=int, default=1000)
    ap.add_argument("--port", type=int, default=5987)
    a = ap.parse_args()
    if not os.path.exists(a.pbf):
        raise SystemExit(f"extract not found: {a.pbf}")
    osrm, osrm_version = ensure_osrm()
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    sh(["cargo", "build", "--release", "-q", "-p", "kerb-cli", "--bin", "kerb"], cwd=ROOT)
    sh(["cargo", "build", "--release", "-q", "-p", "kerb", "--example", "ch_bench"], cwd=ROOT)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    kerb = os.path.join(target, "release", "kerb")
    bench = os.path.join(target, "release", "examples", "ch_bench")

    # Preprocessing.
    graph = os.path.join(WORK, "porto-car.kerb")
    k_time, k_rss = timed([kerb, "build", a.pbf, "--profile", "car", "-o", graph, "--quiet"])
    pbf = os.path.join(WORK, "extract.osm.pbf")
    shutil.copy(a.pbf, pbf)
    e_time, e_rss = timed([os.path.join(osrm, "bin", "osrm-extract"), "-p",
                           os.path.join(osrm, "share", "profiles", "car.lua"), pbf])
    base = os.path.join(WORK, "extract.osrm")
    c_time, c_rss = timed([os.path.join(osrm, "bin", "osrm-contract"), base])
    o_time, o_rss = e_time + c_time, max(e_rss, c_rss)
    k_size = os.path.getsize(graph) / 2 ** 20
    o_size = sum(os.path.getsize(f) for f in glob.glob(base + "*")) / 2 ** 20

    # Same points for both engines.
    n_points = max(2 * a.pairs, a.table)
    points = os.path.join(WORK, "points.csv")
    with open(points, "w") as f:
        sh([bench, "points", graph, str(n_points), "42"], stdout=f)
    pts = [tuple(map(float, l.split(","))) for l in open(points) if l.strip()]

    # kerb queries (in-process).
    out = subprocess.run([bench, "query", graph, points, str(a.pairs), str(a.table)],
                         check=True, capture_output=True, text=True).stdout
    kq = json.loads(out)

    # OSRM queries over HTTP.
    server = subprocess.Popen([os.path.join(osrm, "bin", "osrm-routed"), "--algorithm", "ch",
                               "--port", str(a.port), "--max-table-size", str(max(a.table, 100)),
                               "--threads", "2", base],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{a.port}"
        for _ in range(600):
            try:
                get_json(f"{url}/nearest/v1/driving/{pts[0][0]},{pts[0][1]}", timeout=5)
                break
            except Exception:
                time.sleep(0.1)
        lat, oroutes = [], []
        for i in range(a.pairs):
            (x1, y1), (x2, y2) = pts[2 * i], pts[2 * i + 1]
            t = time.perf_counter()
            try:
                r = get_json(f"{url}/route/v1/driving/{x1},{y1};{x2},{y2}?overview=false")
            except urllib.error.HTTPError as e:
                r = json.loads(e.read())
            lat.append((time.perf_counter() - t) * 1000)
            oroutes.append([r["routes"][0]["duration"], r["routes"][0]["distance"]]
                           if r.get("code") == "Ok" else None)
        lat.sort()
        coords = ";".join(f"{x},{y}" for x, y in pts[:a.table])
        t = time.perf_counter()
        tbl = get_json(f"{url}/table/v1/driving/{coords}?annotations=duration,distance")
        o_table = time.perf_counter() - t
        assert tbl["code"] == "Ok", tbl.get("message")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)

    # Agreement.
    both = [(k, o) for k, o in zip(kq["routes"], oroutes) if k and o]
    def close(x, y):
        return abs(x - y) <= 0.05 * max(y, 1e-9) or abs(x - y) < 1.0
    agree = sum(1 for k, o in both if close(k[0], o[0]) and close(k[1], o[1]))
    agree_dur = sum(1 for k, o in both if close(k[0], o[0]))
    agree_dist = sum(1 for k, o in both if close(k[1], o[1]))
    ratio_dur = statistics.median(k[0] / o[0] for k, o in both if o[0] > 0)
    ratio_dist = statistics.median(k[1] / o[1] for k, o in both if o[1] > 0)
    o_p50 = lat[len(lat) // 2]
    o_p99 = lat[round((len(lat) - 1) * 0.99)]

    rows = [
        ("preprocessing wall time (s)", k_time, o_time),
        ("preprocessing peak RSS (MiB)", k_rss, o_rss),
        ("p2p latency p50 (ms)", kq["p2p_p50_ms"], o_p50),
        ("p2p latency p99 (ms)", kq["p2p_p99_ms"], o_p99),
        (f"table {a.table}x{a.table} (s)", kq["table_s"], o_table),
        ("files on disk (MiB)", k_size, o_size),
    ]
    print(f"\nextract: {os.path.basename(a.pbf)}; OSRM {osrm_version} (osrm-bindings wheel), car.lua; "
          f"kerb car profile; {os.cpu_count()} CPUs")
    print(f"{'':34}{'kerb':>12}{'OSRM':>12}{'kerb/OSRM':>12}")
    for name, k, o in rows:
        print(f"{name:34}{k:12.3f}{o:12.3f}{k / o if o else float('nan'):12.2f}")
    print(f"OSRM preprocessing split: extract {e_time:.1f} s / {e_rss:.0f} MiB, "
          f"contract {c_time:.1f} s / {c_rss:.0f} MiB")
    print(f"routes found: kerb {sum(1 for r in kq['routes'] if r)}, OSRM {sum(1 for r in oroutes if r)} "
          f"of {a.pairs}; both {len(both)}")
    print(f"agreement within 5%: duration {100 * agree_dur / max(len(both), 1):.1f}%, "
          f"distance {100 * agree_dist / max(len(both), 1):.1f}%, both {100 * agree / max(len(both), 1):.1f}%")
    print(f"median ratio kerb/OSRM: duration {ratio_dur:.3f}, distance {ratio_dist:.3f}")
    with open(os.path.join(WORK, "result.json"), "w") as f:
        json.dump({"rows": rows, "agree": agree / max(len(both), 1),
                   "agree_duration": agree_dur / max(len(both), 1),
                   "agree_distance": agree_dist / max(len(both), 1),
                   "median_ratio_duration": ratio_dur, "median_ratio_distance": ratio_dist}, f, indent=1)


if __name__ == "__main__":
    main()
