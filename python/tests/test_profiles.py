"""Vehicle profiles as data (issue #14): presets by name, profile files and dicts through the
one Rust resolver, bad profiles named by key and file, mixed fleets in plan_collection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

import kerb
from conftest import HELSINKI, REPO

PROFILES = REPO / "profiles"


def test_presets_are_the_shipped_files() -> None:
    assert kerb.profiles() == ["car", "truck", "refuse-7.5t", "refuse-32t"]
    assert sorted(p.stem for p in PROFILES.glob("*.json")) == sorted(kerb.profiles())


@pytest.fixture(scope="module")
def car() -> kerb.Graph:
    return kerb.Graph.from_pbf(HELSINKI, profile="car")


def test_from_pbf_takes_a_name_a_path_or_a_dict(car: kerb.Graph) -> None:
    big = kerb.Graph.from_pbf(HELSINKI, profile="refuse-32t")
    assert big.profile == "refuse-32t"
    by_path = kerb.Graph.from_file(HELSINKI, profile=PROFILES / "refuse-32t.json")
    assert (by_path.profile, by_path.num_edges) == ("refuse-32t", big.num_edges)
    spec: Dict[str, Any] = json.loads((PROFILES / "car.json").read_text())
    spec["name"] = "low-car"
    spec["vehicle"]["height_m"] = 1.2
    low = kerb.Graph.from_pbf(HELSINKI, profile=spec)
    assert low.profile == "low-car"
    assert low.num_edges >= car.num_edges


def test_bad_profiles_name_the_key_and_the_file(tmp_path: Path) -> None:
    spec: Dict[str, Any] = json.loads((PROFILES / "truck.json").read_text())
    spec["vehicle"]["heigth_m"] = 3.0
    with pytest.raises(kerb.InvalidInputError, match=r"vehicle\.heigth_m"):
        kerb.Graph.from_pbf(HELSINKI, profile=spec)
    bad = tmp_path / "tall-truck.json"
    bad.write_text(json.dumps(spec))
    with pytest.raises(kerb.InvalidInputError, match=r"tall-truck\.json.*heigth_m"):
        kerb.Graph.from_pbf(HELSINKI, profile=bad)
    spec["vehicle"].pop("heigth_m")
    spec["turn_costs"]["left_s"] = -1
    with pytest.raises(kerb.InvalidInputError, match=r"turn_costs\.left_s"):
        kerb.Graph.from_pbf(HELSINKI, profile=spec)
    with pytest.raises(kerb.ProfileError, match="hovercraft"):
        kerb.Graph.from_pbf(HELSINKI, profile="hovercraft")


def test_plan_collection_routes_each_truck_on_its_profile_graph(
    graph: kerb.Graph, car: kerb.Graph
) -> None:
    day: Dict[str, Any] = json.loads((REPO / "data" / "helsinki-day.json").read_text())
    day["bins"] = day["bins"][:40]
    day["trucks"] = day["trucks"][:1]
    fast: Dict[str, Any] = dict(iterations=30, time_limit_s=120, threads=1)
    as_truck = kerb.plan_collection(graph, day, **fast)
    day["trucks"][0]["profile"] = "car"
    with pytest.raises(kerb.ProfileError, match="car"):
        kerb.plan_collection(graph, day, **fast)
    with pytest.raises(kerb.InvalidInputError, match="key each graph by its profile"):
        kerb.plan_collection(graph, day, graphs={"van": car}, **fast)
    as_car = kerb.plan_collection(graph, day, graphs={"car": car}, **fast)
    totals = [p.to_dict()["totals"] for p in (as_car, as_truck)]
    assert totals[0]["bins_served"] == totals[1]["bins_served"] == 40
    # The car's speeds are higher on every road class: its own matrix drives the day faster.
    t_car, t_truck = (t["driving_s"] for t in totals)
    assert t_car < 0.95 * t_truck, (t_car, t_truck)
