"""kerb vs pandana (and networkx, OSMnx's engine) on the same OSM extract, in one run.

    .venv/bin/pip install -r python/benchmarks/requirements.txt
    .venv/bin/python python/benchmarks/compare.py            # Porto, 1000x1000, 10,000 pairs

Prints times and ratios for
  1. network build from the PBF: kerb's import vs pyrosm parsing + pandana's CH preprocessing;
  2. a 1,000 x 1,000 duration matrix: kerb `Graph.matrix` vs pandana `shortest_path_lengths`
     over the 1,000,000 pairs, both on the SAME graph and edge weights (pandana is built from
     kerb's own edges and `duration_s`), with the agreement of the two results;
  3. 10,000 single origin-destination shortest-path lengths: kerb `Graph.route` per pair and
     `Graph.pairwise` vectorised, pandana vectorised, networkx (what OSMnx routes with) bidirectional Dijkstra on a sample,
     extrapolated to 10,000;
  4. snapping 10,000 points: kerb `Graph.snap` (to the road) vs pandana `get_node_ids` (to the
     nearest node) and OSMnx `nearest_nodes`;
  5. accessibility for 2,000 "bins": the number of bins within 10 minutes of each bin, kerb
     `Graph.aggregate` vs pandana `set` + `aggregate` (which answers for every node), and the
     3 nearest of 20 "depots" per bin, kerb `Graph.nearest_pois` vs pandana `set_pois` +
     `nearest_pois`, with the agreement of the counts and times;
  6. peak memory (RSS high-water mark) after the kerb steps and after the peers' steps.
Origins and destinations are seeded random graph nodes, so both engines start from the same
points (kerb snaps a node's coordinate onto the node itself).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import kerb

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KERB_SHARED_DATA", REPO.parent / "shared" / "data"))


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    dt = time.perf_counter() - t0
    print(f"  {label:<52} {dt:10.3f} s", flush=True)
    return out, dt


def ratio(a: float, b: float) -> str:
    return f"{a / b:8.1f}x" if b > 0 else "     n/a"


def quiet(fn, *args, **kwargs):
    """Run pandana/pyrosm calls without their progress chatter on stdout."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1)
    sys.stdout.flush()
    os.dup2(devnull, 1)
    try:
        return fn(*args, **kwargs)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def peak_rss_mb() -> float:
    """High-water mark of this process's resident memory (Linux ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pbf", type=Path, default=SHARED / "osm" / "r5_porto_portugal.osm.pbf")
    ap.add_argument("--profile", default="car")
    ap.add_argument("--n", type=int, default=1000, help="matrix side (default 1000)")
    ap.add_argument("--pairs", type=int, default=10_000, help="single queries (default 10000)")
    ap.add_argument("--nx-pairs", type=int, default=100, help="networkx sample size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bins", type=int, default=2000, help="accessibility points (default 2000)")
    ap.add_argument("--depots", type=int, default=20, help="points of interest (default 20)")
    ap.add_argument("--skip-pyrosm", action="store_true", help="skip the pyrosm+pandana build")
    args = ap.parse_args()
    if not args.pbf.exists():
        sys.exit(f"extract not found: {args.pbf} (set KERB_SHARED_DATA)")

    import networkx as nx
    import pandana

    # pandana lists every unconnected pair in a warning (megabytes for a 1000 x 1000 matrix).
    warnings.filterwarnings("ignore", module="pandana")

    print(f"extract: {args.pbf.name} ({args.pbf.stat().st_size / 1e6:.1f} MB), profile {args.profile}")
    print(f"cores: {os.cpu_count()}, kerb {kerb.__version__}, pandana {pandana.__version__}, "
          f"networkx {nx.__version__}")

    print("\n1. network build from the PBF")
    g, t_kerb_build = timed("kerb Graph.from_pbf", kerb.Graph.from_pbf, args.pbf, args.profile)
    print(f"     {g.num_nodes} nodes, {g.num_edges} directed edges")
    t_pyrosm = None
    if not args.skip_pyrosm:
        from pyrosm import OSM

        def pyrosm_pandana():
            osm = OSM(str(args.pbf))
            nodes, edges = osm.get_network(network_type="driving", nodes=True)
            return osm.to_graph(nodes, edges, graph_type="pandana", pandana_weights=["length"])

        _, t_pyrosm = timed("pyrosm parse + pandana Network (CH)", quiet, pyrosm_pandana)

    # Same graph, same weights: pandana and networkx get kerb's own directed edges.
    nodes = g.nodes_gdf()
    edges = g.edges_gdf()
    e = pd.DataFrame({"from": edges["from"], "to": edges["to"], "w": edges["duration_s"]})
    e = e.groupby(["from", "to"], as_index=False)["w"].min()  # parallel edges: keep the fastest
    net, t_pdna_ch = timed(
        "pandana Network on kerb's edges (CH)",
        quiet,
        pandana.Network,
        nodes["lon"],
        nodes["lat"],
        e["from"],
        e["to"],
        e[["w"]],
        twoway=False,
    )
    print(f"  ratio build (pyrosm+pandana / kerb): "
          f"{ratio(t_pyrosm, t_kerb_build) if t_pyrosm else 'skipped'}")

    rng = np.random.default_rng(args.seed)
    # Nodes with outgoing and incoming edges (not dead ends of clipped ways).
    candidates = np.intersect1d(e["from"].unique(), e["to"].unique())
    orig = rng.choice(candidates, args.n, replace=False)
    dest = rng.choice(candidates, args.n, replace=False)
    opts = np.column_stack([nodes["lon"].to_numpy()[orig], nodes["lat"].to_numpy()[orig]])
    dpts = np.column_stack([nodes["lon"].to_numpy()[dest], nodes["lat"].to_numpy()[dest]])

    print(f"\n2. {args.n} x {args.n} duration matrix")
    g.matrix(opts[:10], dpts[:10])  # warm-up: thread pool, lazily built index
    km, t_kerb_m = timed("kerb Graph.matrix", g.matrix, opts, dpts)
    src = np.repeat(orig, args.n)
    dst = np.tile(dest, args.n)
    pm, t_pdna_m = timed("pandana shortest_path_lengths (n*n pairs)", net.shortest_path_lengths, src, dst)
    pm = np.asarray(pm, dtype=np.float64).reshape(args.n, args.n)
    print(f"  ratio matrix (pandana / kerb): {ratio(t_pdna_m, t_kerb_m)}")
    # pandana reports unreachable pairs as a huge sentinel.
    both = np.isfinite(km) & (pm < 1e6) & (pm > 0)
    rel = np.abs(km[both] - pm[both]) / pm[both]
    print(f"  agreement on {both.sum()} pairs reachable in both "
          f"(kerb unreachable {int((~np.isfinite(km)).sum())}, pandana {int((pm >= 1e6).sum())}):")
    print(f"    median rel diff {np.median(rel):.2e}, p99 {np.quantile(rel, 0.99):.2e}, "
          f"max {rel.max():.2e}, within 1%: {100 * (rel <= 0.01).mean():.2f}%, "
          f"mean kerb/pandana {km[both].sum() / pm[both].sum():.5f}")

    print(f"\n3. {args.pairs} single shortest-path lengths")
    po = rng.choice(candidates, args.pairs)
    pd_ = rng.choice(candidates, args.pairs)
    lon, lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()

    def kerb_pairs():
        out = np.empty(args.pairs)
        for i, (a, b) in enumerate(zip(po, pd_)):
            try:
                out[i] = g.route((lon[a], lat[a]), (lon[b], lat[b])).duration_s
            except kerb.NoRouteError:
                out[i] = np.inf
        return out

    kp, t_kerb_p = timed("kerb Graph.route, one call per pair", kerb_pairs)
    po_pts = np.column_stack([lon[po], lat[po]])
    pd_pts = np.column_stack([lon[pd_], lat[pd_]])
    kv, t_kerb_v = timed("kerb Graph.pairwise (vectorised)", g.pairwise, po_pts, pd_pts)
    same = np.isclose(kv, kp, rtol=1e-9) | (np.isinf(kv) & np.isinf(kp))
    print(f"  pairwise == route per pair: {100 * same.mean():.2f}% of pairs")
    pp, t_pdna_p = timed("pandana shortest_path_lengths", net.shortest_path_lengths, po, pd_)
    pp = np.asarray(pp)
    G = nx.DiGraph()
    G.add_weighted_edges_from(e[["from", "to", "w"]].itertuples(index=False, name=None))
    k = min(args.nx_pairs, args.pairs)

    def nx_pairs():
        out = np.empty(k)
        for i in range(k):
            try:
                out[i] = nx.bidirectional_dijkstra(G, int(po[i]), int(pd_[i]), weight="weight")[0]
            except nx.NetworkXNoPath:
                out[i] = np.inf
        return out

    xp, t_nx = timed(f"networkx bidirectional_dijkstra ({k} pairs)", nx_pairs)
    t_nx_all = t_nx * args.pairs / k
    print(f"  {'networkx extrapolated to ' + str(args.pairs) + ' pairs':<52} {t_nx_all:10.3f} s")
    print(f"  ratio singles (pandana / kerb route): {ratio(t_pdna_p, t_kerb_p)}, "
          f"(pandana / kerb pairwise): {ratio(t_pdna_p, t_kerb_v)}, "
          f"(networkx / kerb pairwise): {ratio(t_nx_all, t_kerb_v)}")
    ok = np.isfinite(kp) & (pp < 1e6) & (pp > 0)
    relp = np.abs(kp[ok] - pp[ok]) / pp[ok]
    okx = np.isfinite(xp) & np.isfinite(kp[:k]) & (xp > 0)
    relx = np.abs(kp[:k][okx] - xp[okx]) / xp[okx]
    print(f"  agreement: vs pandana median {np.median(relp):.2e} within 1% "
          f"{100 * (relp <= 0.01).mean():.2f}%; vs networkx median {np.median(relx):.2e} "
          f"within 1% {100 * (relx <= 0.01).mean():.2f}%")

    print(f"\n4. snapping {args.pairs} points")
    bb = g.bbox
    pts = np.column_stack([rng.uniform(bb[0], bb[2], args.pairs), rng.uniform(bb[1], bb[3], args.pairs)])
    snapped, t_kerb_snap = timed("kerb Graph.snap (to the road)", g.snap, pts, errors="coerce")
    _, t_pdna_snap = timed("pandana get_node_ids (nearest node)", net.get_node_ids,
                           pd.Series(pts[:, 0]), pd.Series(pts[:, 1]))
    G_ox = g.to_networkx()
    import osmnx as ox

    _, t_ox_snap = timed("osmnx nearest_nodes (nearest node)", ox.distance.nearest_nodes,
                         G_ox, pts[:, 0], pts[:, 1])
    print(f"  snapped {int((snapped['edge'] >= 0).sum())} of {args.pairs} within 1 km; ratio "
          f"(pandana / kerb) {ratio(t_pdna_snap, t_kerb_snap)}, (osmnx / kerb) {ratio(t_ox_snap, t_kerb_snap)}")
    rss_kerb_1 = peak_rss_mb()

    print(f"\n5. accessibility: {args.bins} bins, {args.depots} depots, 10 minutes")
    bins_nodes = rng.choice(candidates, args.bins, replace=False)
    depot_nodes = rng.choice(candidates, args.depots, replace=False)
    bins_xy = np.column_stack([lon[bins_nodes], lat[bins_nodes]])
    depots_xy = np.column_stack([lon[depot_nodes], lat[depot_nodes]])
    kc, t_kerb_agg = timed("kerb Graph.aggregate (count within 600 s)", g.aggregate,
                           bins_xy, None, 600.0, "count")
    kn, t_kerb_near = timed("kerb Graph.nearest_pois (3 of the depots)", g.nearest_pois,
                            bins_xy, depots_xy, 3, max_s=1800.0)
    rss_kerb = peak_rss_mb()

    def pandana_agg():
        net.set(pd.Series(bins_nodes), variable=pd.Series(np.ones(args.bins)), name="bins")
        net.precompute(600)
        return net.aggregate(600, type="sum", decay="flat", name="bins")

    pc, t_pdna_agg = timed("pandana set + precompute + aggregate (all nodes)", quiet, pandana_agg)

    def pandana_near():
        net.set_pois("depots", 1800, 3, pd.Series(depots_xy[:, 0]), pd.Series(depots_xy[:, 1]))
        return net.nearest_pois(1800, "depots", num_pois=3, include_poi_ids=True)

    pn, t_pdna_near = timed("pandana set_pois + nearest_pois (all nodes)", quiet, pandana_near)
    pcb = pc.reindex(bins_nodes).to_numpy()
    same_count = np.abs(kc - pcb) <= np.maximum(2, 0.05 * pcb)
    print(f"  counts: kerb == pandana for {100 * np.mean(kc == pcb):.1f}% of bins, within 5% "
          f"(or 2) for {100 * same_count.mean():.1f}%; mean kerb {kc.mean():.1f}, pandana {pcb.mean():.1f}")
    p1 = pn.reindex(bins_nodes)[1].to_numpy()
    k1 = kn[1].to_numpy()
    okn = np.isfinite(k1) & (p1 < 1800)
    reln = np.abs(k1[okn] - p1[okn]) / np.maximum(p1[okn], 1)
    print(f"  nearest depot time: within 1% for {100 * (reln <= 0.01).mean():.1f}% of {okn.sum()} bins")
    print(f"  ratio aggregate (pandana / kerb) {ratio(t_pdna_agg, t_kerb_agg)}, "
          f"nearest_pois (pandana / kerb) {ratio(t_pdna_near, t_kerb_near)}")
    rss_all = peak_rss_mb()
    print(f"\n6. peak RSS: {rss_kerb_1:.0f} MB after kerb build/matrix/singles/snap "
          f"(with pandana's network loaded), {rss_kerb:.0f} MB after kerb accessibility, "
          f"{rss_all:.0f} MB after pandana accessibility")

    print("\nsummary")
    print(f"  build      kerb {t_kerb_build:8.3f} s   pyrosm+pandana "
          f"{t_pyrosm if t_pyrosm else float('nan'):8.3f} s   pandana CH on same edges {t_pdna_ch:8.3f} s")
    print(f"  matrix     kerb {t_kerb_m:8.3f} s   pandana {t_pdna_m:8.3f} s   "
          f"speed-up {t_pdna_m / t_kerb_m:6.1f}x   within 1%: {100 * (rel <= 0.01).mean():.2f}%")
    print(f"  singles    kerb {t_kerb_v:8.3f} s (pairwise; {t_kerb_p:.3f} s route per call)   "
          f"pandana {t_pdna_p:8.3f} s   networkx~{t_nx_all:8.1f} s")
    print(f"  snap       kerb {t_kerb_snap:8.3f} s   pandana {t_pdna_snap:8.3f} s   osmnx {t_ox_snap:8.3f} s")
    print(f"  aggregate  kerb {t_kerb_agg:8.3f} s   pandana {t_pdna_agg:8.3f} s   "
          f"speed-up {t_pdna_agg / t_kerb_agg:6.1f}x")
    print(f"  nearest    kerb {t_kerb_near:8.3f} s   pandana {t_pdna_near:8.3f} s   "
          f"speed-up {t_pdna_near / t_kerb_near:6.1f}x")


if __name__ == "__main__":
    main()
