"""The Helsinki collection day through Python and the `kerb collect` CLI: the same plan.

With an iteration limit (the time limit only as a guard) and one solver thread the planner is
deterministic, so both front ends must return identical routes, stop order, times, loads,
distances and geometry on the same graph file. Only wall-clock ``timings`` differ. The Rust
library and the HTTP server are compared with the CLI in
crates/kerb-cli/tests/collect_front_ends.rs.
"""

from __future__ import annotations

from typing import Any, Dict

import json
import subprocess
from pathlib import Path

import pytest

import kerb
from conftest import HELSINKI, REPO

DAY = REPO / "data" / "helsinki-day.json"
ITERATIONS = 50


def comparable(plan: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in plan.items() if k != "timings"}


@pytest.fixture(scope="module")
def cli_graph(kerb_cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("front-ends") / "helsinki-truck.kerb"
    subprocess.run(
        [str(kerb_cli), "build", str(HELSINKI), "--profile", "truck", "-o", str(out), "--quiet"],
        check=True, capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def cli_plan(kerb_cli: Path, cli_graph: Path, tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    out = tmp_path_factory.mktemp("front-ends") / "plan.json"
    subprocess.run(
        [
            str(kerb_cli), "collect", str(DAY), "--graph", str(cli_graph),
            "--iterations", str(ITERATIONS), "--threads", "1", "--time-limit", "300",
            "-o", str(out), "--quiet",
        ],
        check=True, capture_output=True,
    )
    plan: Dict[str, Any] = json.loads(out.read_text())
    return plan


def test_python_plan_equals_the_cli(cli_plan: Dict[str, Any], cli_graph: Path) -> None:
    graph = kerb.Graph.load(cli_graph)
    mine = kerb.plan_collection(
        graph, DAY, iterations=ITERATIONS, threads=1, time_limit_s=300
    )
    theirs = comparable(cli_plan)
    assert theirs["totals"]["bins_served"] >= 280
    # Readable failures first: truck -> bins in order, then distances, then everything.
    assert mine.bin_order() == {
        r["truck"]: [s["id"] for s in r["stops"] if s["type"] == "bin"] for r in theirs["routes"]
    }
    assert mine.routes["distance_m"].tolist() == [r["distance_m"] for r in theirs["routes"]]
    assert mine.routes["working_s"].tolist() == [r["working_s"] for r in theirs["routes"]]
    arrivals = [s["arrival_s"] for r in theirs["routes"] for s in r["stops"]]
    assert mine.stops["arrival_s"].tolist() == arrivals
    assert comparable(mine.to_dict()) == theirs


def test_graph_from_pbf_plans_like_kerb_build(cli_plan: Dict[str, Any], graph: kerb.Graph) -> None:
    """``Graph.from_pbf`` builds the same contracted graph as ``kerb build``, so same plan."""
    mine = kerb.plan_collection(graph, DAY, iterations=ITERATIONS, threads=1, time_limit_s=300)
    assert comparable(mine.to_dict()) == comparable(cli_plan)
