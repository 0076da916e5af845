"""Matrices larger than one machine, on Dask.

kerb does not run its own cluster: a national origin-destination matrix is split into blocks of
origin rows and computed by an existing distributed engine. Every worker opens the same graph
file memory-mapped (a :class:`kerb.Graph` pickles as its file path and is opened once per worker
process), computes its blocks with the contraction hierarchy on all of its cores, and Dask
assembles the result as a lazy ``dask.array`` (persist it, write it to Zarr, or reduce it).

The graph file must be readable at the same path on every worker (shared or replicated disk).
Any engine that ships work with pickle (Ray, ``multiprocessing``, ``concurrent.futures``) can use
:func:`matrix_block` the same way.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ._coords import as_lonlat
from ._graph import ApproachName, Graph, Metric
from .exceptions import InvalidInputError


def matrix_block(
    graph: Graph,
    src_lons: np.ndarray,
    src_lats: np.ndarray,
    dst_lons: np.ndarray,
    dst_lats: np.ndarray,
    metric: Metric = "duration",
    approach: ApproachName = "unrestricted",
    radius_m: Optional[float] = None,
) -> np.ndarray:
    """One block of a matrix: ``graph.matrix`` from the given sources to all destinations."""
    return graph.matrix(
        np.column_stack([src_lons, src_lats]),
        np.column_stack([dst_lons, dst_lats]),
        metric=metric,
        approach=approach,
        radius_m=radius_m,
    )


def dask_matrix(
    graph: Graph,
    origins: Any,
    destinations: Optional[Any] = None,
    *,
    block_size: int = 1000,
    metric: Metric = "duration",
    approach: ApproachName = "unrestricted",
    radius_m: Optional[float] = None,
) -> Any:
    """A travel-time (s) or distance (m) matrix as a lazy ``dask.array``, one task per block of
    ``block_size`` origin rows. ``graph`` must have a file (:meth:`Graph.save` or
    :meth:`Graph.load`); run the result on whatever Dask scheduler or cluster is active.

    >>> m = dask_matrix(graph, origins, destinations, block_size=2000)  # doctest: +SKIP
    >>> durations = m.compute()                                          # doctest: +SKIP
    """
    import dask
    import dask.array as da

    if graph.path is None:
        raise InvalidInputError(
            "dask_matrix needs a graph file that workers can open: call graph.save(path) first"
        )
    if metric not in ("duration", "distance"):
        raise InvalidInputError(f"metric must be 'duration' or 'distance', got {metric!r}")
    if int(block_size) < 1:
        raise InvalidInputError(f"block_size must be >= 1, got {block_size!r}")
    ox, oy = as_lonlat(origins)
    dx, dy = (ox, oy) if destinations is None else as_lonlat(destinations)
    if len(ox) == 0 or len(dx) == 0:
        raise InvalidInputError("origins and destinations must not be empty")
    g = dask.delayed(graph, pure=True)
    dest_x = dask.delayed(np.ascontiguousarray(dx), pure=True)
    dest_y = dask.delayed(np.ascontiguousarray(dy), pure=True)
    block = dask.delayed(matrix_block, pure=True)
    rows = []
    for i in range(0, len(ox), int(block_size)):
        j = min(i + int(block_size), len(ox))
        task = block(
            g,
            np.ascontiguousarray(ox[i:j]),
            np.ascontiguousarray(oy[i:j]),
            dest_x,
            dest_y,
            metric,
            approach,
            radius_m,
        )
        rows.append(da.from_delayed(task, shape=(j - i, len(dx)), dtype=np.float64))
    return da.concatenate(rows, axis=0)
