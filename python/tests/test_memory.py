"""Matrices are freed: the process does not grow over 1,000 matrix calls."""

from __future__ import annotations

import gc

import numpy as np
import psutil

import kerb


def test_rss_stable_over_1000_matrix_calls(graph: kerb.Graph, points: np.ndarray) -> None:
    proc = psutil.Process()
    pts = points[:40]
    for _ in range(50):  # warm up allocator pools and per-thread workspaces
        graph.matrix(pts, metric="both")
    gc.collect()
    objects = len(gc.get_objects())
    before = proc.memory_info().rss
    for _ in range(1000):
        dur, dist = graph.matrix(pts, metric="both")
    del dur, dist
    gc.collect()
    grown = proc.memory_info().rss - before
    # 1,000 calls allocate 1000 * 2 * 40 * 40 * 8 B = 25.6 MB of results (plus the snapping and
    # search state in Rust); keeping a tenth of them, or any Python object per call, would show.
    assert grown < 2.5 * 1024 * 1024, f"RSS grew by {grown / 1e6:.2f} MB"
    assert len(gc.get_objects()) - objects < 100
