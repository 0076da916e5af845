"""Shared fixtures: the default Helsinki extract (data/, ODbL) built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import kerb

REPO = Path(__file__).resolve().parents[2]
HELSINKI = REPO / "data" / "helsinki.osm.pbf"


def shared_data() -> Path:
    """`../shared/data` beside the repository, or $KERB_SHARED_DATA."""
    return Path(os.environ.get("KERB_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def graph() -> kerb.Graph:
    return kerb.Graph.from_pbf(HELSINKI, profile="truck")


@pytest.fixture(scope="session")
def graph_file(graph: kerb.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "helsinki-truck.kerb"
    graph.save(path)
    return path


@pytest.fixture(scope="session")
def points(graph: kerb.Graph) -> np.ndarray:
    """60 seeded (lon, lat) points inside the inner part of the extract, all on roads."""
    rng = np.random.default_rng(42)
    min_lon, min_lat, max_lon, max_lat = graph.bbox
    dx, dy = (max_lon - min_lon) * 0.2, (max_lat - min_lat) * 0.2
    pts = np.column_stack(
        [
            rng.uniform(min_lon + dx, max_lon - dx, 200),
            rng.uniform(min_lat + dy, max_lat - dy, 200),
        ]
    )
    snapped = graph.snap(pts, radius_m=300, errors="coerce")
    ok = snapped["edge"].to_numpy() >= 0
    kept: np.ndarray = pts[ok][:60]
    return kept


@pytest.fixture(scope="session")
def kerb_cli() -> Path:
    """$KERB_BIN, else the dev build of kerb-cli (built here if the Rust stage did not)."""
    if os.environ.get("KERB_BIN"):
        return Path(os.environ["KERB_BIN"])
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo not found: cannot build the kerb CLI to compare with")
    subprocess.run(
        [cargo, "build", "--quiet", "--locked", "-p", "kerb-cli"], cwd=REPO, check=True
    )
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    if not target.is_absolute():
        target = REPO / target
    return target / "debug" / "kerb"
