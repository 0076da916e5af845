"""Distributed matrices: graphs pickle by file path, and a Dask cluster of worker processes
computes the same matrix as one process."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

import kerb
from kerb.distributed import dask_matrix


def test_graph_pickles_by_path(graph: kerb.Graph, graph_file: Path) -> None:
    g = kerb.Graph.load(graph_file)
    assert g.path == str(graph_file.resolve())
    clone = pickle.loads(pickle.dumps(g))
    assert clone.path == g.path and clone.num_edges == g.num_edges
    # Unsaved graphs refuse with a message saying what to do.
    fresh = kerb.Graph.from_pbf(Path(__file__).parents[2] / "data/helsinki.osm.pbf", "car")
    with pytest.raises(pickle.PicklingError, match="save"):
        pickle.dumps(fresh)
    with pytest.raises(kerb.InvalidInputError, match="save"):
        dask_matrix(fresh, [(24.94, 60.17)])


def test_dask_cluster_matrix_equals_in_process(graph_file: Path, points: np.ndarray) -> None:
    import distributed
    g = kerb.Graph.load(graph_file)
    origins, destinations = points[:45], points[15:]
    expected = g.matrix(origins, destinations)
    with distributed.LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:  # type: ignore[no-untyped-call]
        m = dask_matrix(g, origins, destinations, block_size=10)
        assert m.shape == expected.shape and m.numblocks == (5, 1)
        got = m.compute()
        # The work ran in the worker processes, not here.
        assert len(client.scheduler_info()["workers"]) == 2
    np.testing.assert_array_equal(got, expected)
    dist = dask_matrix(g, origins, destinations, metric="distance", block_size=20)
    np.testing.assert_array_equal(
        dist.compute(scheduler="sync"), g.matrix(origins, destinations, metric="distance")
    )
