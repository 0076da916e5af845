"""Distributed matrix overhead: the same N x N matrix on Porto computed in one process
(``Graph.matrix``) and by a Dask LocalCluster of worker processes (``kerb.distributed``), in the
same run. On one machine Dask cannot be faster than the in-process matrix (which already uses
every core); the ratio measures what splitting into blocks and shipping them costs, i.e. what a
multi-machine run pays per block.

    .venv/bin/python python/benchmarks/dask_matrix.py [--n 3000] [--block 500] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import kerb
from kerb.distributed import dask_matrix

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KERB_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _warm(path: str, pts: np.ndarray) -> None:
    from kerb._graph import _open_cached

    _open_cached(path).matrix(pts, pts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pbf", default=str(SHARED / "osm" / "r5_porto_portugal.osm.pbf"))
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--block", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    if not Path(a.pbf).exists():
        raise SystemExit(f"skipping: {a.pbf} not found (set KERB_SHARED_DATA)")
    import distributed

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "porto-car.kerb"
        t = time.perf_counter()
        kerb.Graph.from_pbf(a.pbf, "car").save(path)
        print(f"graph built and saved in {time.perf_counter() - t:.1f} s")
        g = kerb.Graph.load(path)
        nodes = g.nodes_gdf()
        rng = np.random.default_rng(1)
        idx = rng.choice(len(nodes), size=a.n, replace=False)
        pts = nodes[["lon", "lat"]].to_numpy()[idx]

        t = time.perf_counter()
        local = g.matrix(pts, pts)
        t_local = time.perf_counter() - t
        print(f"in-process {a.n}x{a.n}: {t_local:.2f} s")

        with distributed.LocalCluster(
            n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster, distributed.Client(cluster) as client:
            # Warm every worker as a long-running cluster would be: graph file opened
            # (memory-mapped pages touched) and search workspaces allocated.
            client.run(_warm, str(path), pts[:50])
            t = time.perf_counter()
            got = dask_matrix(g, pts, block_size=a.block).compute()
            t_dask = time.perf_counter() - t
        same = np.array_equal(got, local)
        print(
            f"dask {a.workers} workers x 1 thread, blocks of {a.block} rows: {t_dask:.2f} s "
            f"(identical: {same}); dask/in-process = {t_dask / t_local:.2f}"
        )


if __name__ == "__main__":
    main()
