#!/usr/bin/env python3
"""Scale benchmark: a real extract tiled N x N into one connected network, kerb and OSRM
preprocessing and queries on it, in the same run.

Usage (from the repository root; a venv with `pip install osmium matplotlib`):
    python3 scripts/scale_bench.py [--pbf ../shared/data/osm/r5_porto_portugal.osm.pbf]
                                   [--sizes 1,2,4] [--pairs 1000] [--table 1000]
                                   [--out target/scale-bench]

Tiling (`tile`): the highways of the extract (ways with a `highway` tag, the nodes they use,
turn restriction relations) are copied N x N times, each copy shifted by the extract's
width/height plus a small gap, with node/way/relation ids offset per copy; every pair of
neighbouring copies is joined by `--joins` two-way trunk roads, each between the border
intersection (a node shared by two or more major roads) nearest to the facing edges of the
two copies in one of `--joins` bands along that edge. The output is a sorted PBF any tool reads.

For each size, in this order and one at a time (the machine's cores are shared):
  kerb:  `kerb build <pbf> --profile car` (import + CH), then `kerb customize --profile truck`
         twice (first run builds and stores the CCH topology, the second is the customization
         alone), each under /usr/bin/time -v (wall, user+sys CPU, peak RSS);
  OSRM:  osrm-extract (car.lua) + osrm-contract (CH), osrm-partition + osrm-customize (MLD),
         each under /usr/bin/time -v;
  queries: the same random road points for both; kerb in-process (`ch_bench query`:
         snap + search + unpack + geometry per route; then one table x table matrix) on the CH
         and on a CCH customization of the car profile; OSRM `osrm-routed --algorithm ch`
         over HTTP (keep-alive-free urllib, overview=false) for the p2p pairs and one table.
Results go to <out>/results.json (one record per size, appended as sizes finish), a table
on stdout and a growth plot <out>/scale.png.
"""
import argparse
import glob
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("KERB_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
MAJOR = {"motorway", "trunk", "primary", "secondary", "tertiary", "motorway_link",
         "trunk_link", "primary_link", "secondary_link", "tertiary_link", "unclassified",
         "residential"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- tiling
def read_highways(pbf):
    """Highway ways, their nodes and restriction relations of an extract, as plain tuples."""
    import osmium

    ways, relations = [], []
    used = set()

    class Ways(osmium.SimpleHandler):
        def way(self, w):
            tags = {t.k: t.v for t in w.tags}
            if "highway" not in tags:
                return
            refs = [n.ref for n in w.nodes]
            ways.append((w.id, refs, tags))
            used.update(refs)

        def relation(self, r):
            tags = {t.k: t.v for t in r.tags}
            if tags.get("type") != "restriction" and not tags.get("type", "").startswith("restriction"):
                return
            members = [(m.type, m.ref, m.role) for m in r.members]
            relations.append((r.id, members, tags))

    Ways().apply_file(pbf)
    nodes = {}

    class Nodes(osmium.SimpleHandler):
        def node(self, n):
            if n.id in used and n.location.valid():
                nodes[n.id] = (n.location.lon, n.location.lat, {t.k: t.v for t in n.tags})

    Nodes().apply_file(pbf)
    ways = [(i, [r for r in refs if r in nodes], t) for i, refs, t in ways]
    ways = [w for w in ways if len(w[1]) >= 2]
    return nodes, ways, relations


def border_nodes(nodes, ways):
    """Nodes shared by two or more major roads (intersections of the main network)."""
    count = {}
    for _, refs, tags in ways:
        if tags.get("highway") in MAJOR:
            for r in set(refs):
                count[r] = count.get(r, 0) + 1
    return [n for n, c in count.items() if c >= 2]


def tile(pbf, n, out, joins=4):
    """Writes the N x N tiling of `pbf`'s highways to `out`; returns a summary dict."""
    import osmium

    nodes, ways, relations = read_highways(pbf)
    lons = [v[0] for v in nodes.values()]
    lats = [v[1] for v in nodes.values()]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    gap_x, gap_y = 0.004 / math.cos(math.radians((y0 + y1) / 2)), 0.004
    dx, dy = (x1 - x0) + gap_x, (y1 - y0) + gap_y
    stride_n = max(nodes) + 1
    stride_w = max(w[0] for w in ways) + 1
    stride_r = max([r[0] for r in relations], default=0) + 1
    cands = border_nodes(nodes, ways)
    copies = [(i, j) for j in range(n) for i in range(n)]
    k_of = {c: k for k, c in enumerate(copies)}

    def band_pick(side, count):
        """The candidate nearest to `side` ('e', 'w', 'n', 's') of the extract per band."""
        picks = []
        for b in range(count):
            if side in "ew":
                lo = y0 + (y1 - y0) * (b + 0.25) / count
                hi = y0 + (y1 - y0) * (b + 0.75) / count
                inb = [c for c in cands if lo <= nodes[c][1] <= hi]
                key = (lambda c: -nodes[c][0]) if side == "e" else (lambda c: nodes[c][0])
            else:
                lo = x0 + (x1 - x0) * (b + 0.25) / count
                hi = x0 + (x1 - x0) * (b + 0.75) / count
                inb = [c for c in cands if lo <= nodes[c][0] <= hi]
                key = (lambda c: -nodes[c][1]) if side == "n" else (lambda c: nodes[c][1])
            if inb:
                picks.append(min(inb, key=key))
        return picks

    east, west, north, south = (band_pick(s, joins) for s in "ewns")
    links = []  # (node id in copy a, node id in copy b)
    for (i, j) in copies:
        k = k_of[(i, j)]
        if i + 1 < n:
            kb = k_of[(i + 1, j)]
            links += [(a + k * stride_n, b + kb * stride_n) for a, b in zip(east, west)]
        if j + 1 < n:
            kb = k_of[(i, j + 1)]
            links += [(a + k * stride_n, b + kb * stride_n) for a, b in zip(north, south)]

    if os.path.exists(out):
        os.remove(out)
    w = osmium.SimpleWriter(out)
    n_nodes = 0
    for (i, j) in copies:
        k = k_of[(i, j)]
        for nid in sorted(nodes):
            lon, lat, tags = nodes[nid]
            w.add_node(osmium.osm.mutable.Node(id=nid + k * stride_n,
                                               location=(lon + i * dx, lat + j * dy), tags=tags))
            n_nodes += 1
    n_ways = 0
    for (i, j) in copies:
        k = k_of[(i, j)]
        for wid, refs, tags in ways:
            w.add_way(osmium.osm.mutable.Way(id=wid + k * stride_w,
                                             nodes=[r + k * stride_n for r in refs], tags=tags))
            n_ways += 1
    link_base = len(copies) * stride_w
    for t, (a, b) in enumerate(links):
        w.add_way(osmium.osm.mutable.Way(id=link_base + t, nodes=[a, b],
                                         tags={"highway": "trunk", "name": f"tile link {t}"}))
    type_stride = {"n": stride_n, "w": stride_w, "r": stride_r}
    n_rel = 0
    for (i, j) in copies:
        k = k_of[(i, j)]
        for rid, members, tags in relations:
            ms = [(t, ref + k * type_stride[t], role) for t, ref, role in members]
            w.add_relation(osmium.osm.mutable.Relation(id=rid + k * stride_r, members=ms,
                                                       tags=tags))
            n_rel += 1
    w.close()
    return {"copies": len(copies), "osm_nodes": n_nodes, "osm_ways": n_ways + len(links),
            "relations": n_rel, "links": len(links)}


# ---------------------------------------------------------------------------------- running
def timed(cmd, cwd=None):
    """Runs cmd under /usr/bin/time -v: wall s, CPU s (user + sys), peak RSS MiB, stderr."""
    log("$", " ".join(cmd))
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, cwd=cwd)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (.+)", p.stderr).group(1).strip()
    parts = [float(x) for x in wall.split(":")]
    secs = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", p.stderr).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", p.stderr).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    return {"wall_s": secs, "cpu_s": user + sys_, "rss_mib": rss_kb / 1024.0,
            "stdout": p.stdout, "stderr": p.stderr}


def add(a, b):
    return {"wall_s": a["wall_s"] + b["wall_s"], "cpu_s": a["cpu_s"] + b["cpu_s"],
            "rss_mib": max(a["rss_mib"], b["rss_mib"])}


def strip(t):
    return {k: v for k, v in t.items() if k not in ("stdout", "stderr")}


def get_json(url, timeout=900):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())


def osrm_queries(osrm_bin, base, pts, pairs, table, port):
    server = subprocess.Popen([os.path.join(osrm_bin, "osrm-routed"), "--algorithm", "ch",
                               "--port", str(port), "--max-table-size", str(max(table, 100)),
                               "--threads", "2", base],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(3000):
            try:
                get_json(f"{url}/nearest/v1/driving/{pts[0][0]},{pts[0][1]}", timeout=5)
                break
            except Exception:
                time.sleep(0.2)
        lat = []
        for i in range(pairs):
            (x1, y1), (x2, y2) = pts[2 * i], pts[2 * i + 1]
            t = time.perf_counter()
            get_json(f"{url}/route/v1/driving/{x1},{y1};{x2},{y2}?overview=false")
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        coords = ";".join(f"{x},{y}" for x, y in pts[:table])
        t = time.perf_counter()
        r = get_json(f"{url}/table/v1/driving/{coords}?annotations=duration,distance")
        table_s = time.perf_counter() - t
        assert r.get("code") == "Ok", r.get("message")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    return {"p2p_p50_ms": lat[len(lat) // 2], "p2p_p99_ms": lat[round((len(lat) - 1) * 0.99)],
            "table_s": table_s}


def run_size(n, a, kerb, bench, osrm_bin, profiles):
    work = os.path.join(a.out, f"{n}x{n}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pbf = os.path.join(work, f"tiled-{n}x{n}.osm.pbf")
    t = time.perf_counter()
    summary = tile(a.pbf, n, pbf, a.joins)
    summary["tile_s"] = time.perf_counter() - t
    log(f"{n}x{n}: {summary}")
    rec = {"n": n, "tiling": summary}

    graph = os.path.join(work, "map.kerb")
    build = timed([kerb, "build", pbf, "--profile", "car", "-o", graph, "--quiet"])
    m = re.search(r"(\d+) nodes, (\d+) edges", build["stderr"] + build["stdout"])
    rec["kerb_build"] = strip(build)
    rec["kerb_file_mib"] = os.path.getsize(graph) / 2 ** 20
    first = timed([kerb, "customize", graph, "--profile", "truck"])
    second = timed([kerb, "customize", graph, "--profile", "truck"])
    rec["kerb_topology_and_customize"] = strip(first)
    rec["kerb_customize"] = strip(second)
    mm = re.search(r"customization ([\d.]+) s", second["stderr"])
    rec["kerb_customize_inner_s"] = float(mm.group(1)) if mm else None
    mt = re.search(r"topology built in ([\d.]+) s", first["stderr"])
    rec["kerb_topology_inner_s"] = float(mt.group(1)) if mt else None
    rec["kerb_file_with_cch_mib"] = os.path.getsize(graph) / 2 ** 20

    # The same points for every engine.
    points = os.path.join(work, "points.csv")
    with open(points, "w") as f:
        subprocess.run([bench, "points", graph, str(max(2 * a.pairs, a.table)), "42"],
                       stdout=f, check=True)
    pts = [tuple(map(float, line.split(","))) for line in open(points) if line.strip()]
    for engine in ("ch", "cch"):
        cmd = [bench, "query", graph, points, str(a.pairs), str(a.table)]
        if engine == "cch":
            cmd.append("cch:car")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        q = json.loads(out)
        rec[f"kerb_{engine}"] = {k: q[k] for k in ("p2p_p50_ms", "p2p_p99_ms", "table_s", "load_s")}
        if m is None:
            rec["graph_nodes"], rec["graph_edges"] = q.get("nodes"), q.get("edges")
        if engine == "ch":
            rec["graph_nodes"], rec["graph_edges"] = q.get("nodes"), q.get("edges")

    # OSRM.
    car = os.path.join(profiles, "car.lua")
    extract = timed([os.path.join(osrm_bin, "osrm-extract"), "-p", car, pbf], cwd=work)
    base = pbf.replace(".osm.pbf", ".osrm")
    contract = timed([os.path.join(osrm_bin, "osrm-contract"), base], cwd=work)
    partition = timed([os.path.join(osrm_bin, "osrm-partition"), base], cwd=work)
    customize = timed([os.path.join(osrm_bin, "osrm-customize"), base], cwd=work)
    rec["osrm_extract"] = strip(extract)
    rec["osrm_contract"] = strip(contract)
    rec["osrm_ch"] = add(extract, contract)
    rec["osrm_partition"] = strip(partition)
    rec["osrm_customize"] = strip(customize)
    rec["osrm_files_mib"] = sum(os.path.getsize(f) for f in glob.glob(base + "*")) / 2 ** 20
    rec["osrm_queries"] = osrm_queries(osrm_bin, base, pts, a.pairs, a.table, a.port)
    # Keep disk use bounded: drop the tiled extract and OSRM's files.
    for f in glob.glob(base + "*") + [pbf]:
        os.remove(f)
    return rec


def report(records, out):
    rows = []
    hdr = ("size", "graph nodes", "kerb build s (cpu)", "OSRM ext+contr s (cpu)", "ratio",
           "kerb RSS MiB", "OSRM RSS MiB", "KB/node", "kerb topo s", "kerb cust s",
           "osrm-cust s", "kerb file MiB", "OSRM MiB", "CH p50/p99 ms", "CCH p50/p99 ms",
           "OSRM p50/p99 ms", "table CH/CCH/OSRM s")
    for r in records:
        kb, ob = r["kerb_build"], r["osrm_ch"]
        nodes = r.get("graph_nodes") or 0
        rows.append((
            f"{r['n']}x{r['n']}", f"{nodes:,}",
            f"{kb['wall_s']:.1f} ({kb['cpu_s']:.0f})", f"{ob['wall_s']:.1f} ({ob['cpu_s']:.0f})",
            f"{kb['wall_s'] / ob['wall_s']:.2f}",
            f"{kb['rss_mib']:.0f}", f"{ob['rss_mib']:.0f}",
            f"{kb['rss_mib'] * 1024 / nodes:.2f}" if nodes else "?",
            f"{r['kerb_topology_inner_s'] or float('nan'):.1f}",
            f"{r['kerb_customize_inner_s'] or float('nan'):.2f}",
            f"{r['osrm_customize']['wall_s']:.2f}",
            f"{r['kerb_file_mib']:.0f}", f"{r['osrm_files_mib']:.0f}",
            f"{r['kerb_ch']['p2p_p50_ms']:.3f}/{r['kerb_ch']['p2p_p99_ms']:.3f}",
            f"{r['kerb_cch']['p2p_p50_ms']:.3f}/{r['kerb_cch']['p2p_p99_ms']:.3f}",
            f"{r['osrm_queries']['p2p_p50_ms']:.3f}/{r['osrm_queries']['p2p_p99_ms']:.3f}",
            f"{r['kerb_ch']['table_s']:.2f}/{r['kerb_cch']['table_s']:.2f}/"
            f"{r['osrm_queries']['table_s']:.2f}",
        ))
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing: no plot")
        return
    xs = [r.get("graph_nodes") or 0 for r in records]
    fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
    ax[0].plot(xs, [r["kerb_build"]["wall_s"] for r in records], "o-", label="kerb build (CH)")
    ax[0].plot(xs, [r["osrm_ch"]["wall_s"] for r in records], "s-",
               label="osrm-extract + osrm-contract")
    ax[0].plot(xs, [r["kerb_topology_and_customize"]["wall_s"] for r in records], "^-",
               label="kerb CCH topology + customize")
    ax[0].plot(xs, [r["osrm_partition"]["wall_s"] + r["osrm_customize"]["wall_s"]
                    for r in records], "v-", label="osrm-partition + osrm-customize")
    ax[0].set_xscale("log")
    ax[0].set_yscale("log")
    ax[0].set_xlabel("graph nodes (kerb)")
    ax[0].set_ylabel("wall time (s)")
    ax[0].legend(fontsize=8)
    ax[0].set_title("preprocessing")
    ax[1].plot(xs, [r["kerb_build"]["rss_mib"] for r in records], "o-", label="kerb build")
    ax[1].plot(xs, [r["osrm_ch"]["rss_mib"] for r in records], "s-", label="OSRM extract/contract")
    ax[1].set_xscale("log")
    ax[1].set_yscale("log")
    ax[1].set_xlabel("graph nodes (kerb)")
    ax[1].set_ylabel("peak RSS (MiB)")
    ax[1].legend(fontsize=8)
    ax[1].set_title("memory")
    fig.tight_layout()
    png = os.path.join(out, "scale.png")
    fig.savefig(png, dpi=110)
    log(f"plot: {png}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pbf", default=os.path.join(SHARED, "osm", "r5_porto_portugal.osm.pbf"))
    ap.add_argument("--sizes", default="1,2,4")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--table", type=int, default=1000)
    ap.add_argument("--joins", type=int, default=4)
    ap.add_argument("--port", type=int, default=5991)
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "scale-bench"))
    ap.add_argument("--osrm", default=os.environ.get("OSRM_DIR", "/work/osrm/wheel/osrm"))
    ap.add_argument("--report-only", action="store_true",
                    help="print the table and plot from <out>/results.json")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    results = os.path.join(a.out, "results.json")
    if a.report_only:
        report(json.load(open(results)), a.out)
        return
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    kerb = os.path.join(target, "release", "kerb")
    bench = os.path.join(target, "release", "examples", "ch_bench")
    for exe in (kerb, bench):
        if not os.path.exists(exe):
            raise SystemExit(f"{exe} missing: cargo build --release -p kerb-cli --bin kerb; "
                             "cargo build --release -p kerb --example ch_bench")
    osrm_bin = os.path.join(a.osrm, "bin")
    profiles = os.path.join(a.osrm, "share", "profiles")
    records = json.load(open(results)) if os.path.exists(results) else []
    for n in [int(s) for s in a.sizes.split(",")]:
        records = [r for r in records if r["n"] != n]
        records.append(run_size(n, a, kerb, bench, osrm_bin, profiles))
        records.sort(key=lambda r: r["n"])
        with open(results, "w") as f:
            json.dump(records, f, indent=1)
    log(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()}")
    report(records, a.out)


if __name__ == "__main__":
    main()
