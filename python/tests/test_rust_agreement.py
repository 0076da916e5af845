"""Python results equal the Rust library's, as printed by the `kerb` CLI for the same inputs."""

from __future__ import annotations

from typing import Any, Dict

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

import kerb
from conftest import HELSINKI


def cli_route(cli: Path, graph_file: Path, a: Any, b: Any, approach: str) -> Dict[str, Any]:
    out = subprocess.run(
        [
            str(cli), "route", "--graph", str(graph_file),
            "--from", f"{float(a[0])!r},{float(a[1])!r}",
            "--to", f"{float(b[0])!r},{float(b[1])!r}",
            "--approach", approach,
        ],
        check=True, capture_output=True, text=True,
    )
    route: Dict[str, Any] = json.loads(out.stdout)
    return route


@pytest.mark.parametrize("approach", ["unrestricted", "curb"])
def test_routes_equal_the_cli(
    kerb_cli: Path, graph: kerb.Graph, graph_file: Path, points: np.ndarray, approach: kerb.ApproachName
) -> None:
    for i in range(0, 12, 3):
        a, b = points[i], points[i + 1]
        mine = graph.route(a, b, approach=approach)
        theirs = cli_route(kerb_cli, graph_file, a, b, approach)["routes"][0]
        assert mine.distance_m == pytest.approx(theirs["distance"], rel=1e-12, abs=1e-9)
        assert mine.duration_s == pytest.approx(theirs["duration"], rel=1e-12, abs=1e-9)
        np.testing.assert_allclose(mine.coords, np.array(theirs["geometry"]["coordinates"]))


def test_cli_built_graph_file_equals_python_built(
    kerb_cli: Path, graph: kerb.Graph, points: np.ndarray, tmp_path: Path
) -> None:
    out = tmp_path / "cli.kerb"
    subprocess.run(
        [str(kerb_cli), "build", str(HELSINKI), "--profile", "truck", "-o", str(out), "--quiet"],
        check=True, capture_output=True,
    )
    cli_graph = kerb.Graph.load(out)
    assert cli_graph.info() == graph.info()
    np.testing.assert_array_equal(cli_graph.matrix(points[:8]), graph.matrix(points[:8]))
