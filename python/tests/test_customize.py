"""Graph.customize: one graph file routed for another vehicle profile through a CCH
customization (issue #21), equal to the library's own answers, pickled with its profile."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

import kerb

REPO = Path(__file__).resolve().parents[2]


def test_customize_routes_other_profiles_on_the_same_file(
    graph: kerb.Graph, graph_file: Path, points: np.ndarray
) -> None:
    truck = kerb.Graph.load(graph_file)
    assert truck.engine == "ch"
    # The imported profile keeps its hierarchy and its answers.
    same = truck.customize("truck")
    assert (same.engine, same.profile) == ("ch", "truck")
    car = truck.customize("car")
    assert (car.engine, car.profile) == ("cch", "car")
    light = truck.customize(REPO / "profiles" / "refuse-7.5t.json")
    assert (light.engine, light.profile) == ("cch", "refuse-7.5t")

    pts = points[:12]
    m_truck = truck.matrix(pts)
    m_same = same.matrix(pts)
    m_car = car.matrix(pts)
    np.testing.assert_allclose(m_same, m_truck)
    off = ~np.eye(len(pts), dtype=bool)
    # Car weights: faster than the 26 t truck's on every trip, never slower.
    assert np.all(m_car[off] <= m_truck[off] + 1e-6)
    assert np.mean(m_car[off]) < np.mean(m_truck[off])
    # A route and the matrix agree on the customization.
    r = car.route(tuple(pts[0]), tuple(pts[1]))
    assert r.duration_s == pytest.approx(m_car[0, 1], abs=1e-6)

    # Pickled by file path and profile: a worker routes the same customization.
    back = pickle.loads(pickle.dumps(light))
    assert (back.engine, back.profile) == ("cch", "refuse-7.5t")
    np.testing.assert_allclose(back.matrix(pts), light.matrix(pts))

    # A profile as a dict, e.g. edited from a JSON file.
    spec = json.loads((REPO / "profiles" / "car.json").read_text())
    spec["name"] = "slow-car"
    spec["speeds_kmh"] = {k: v * 0.5 for k, v in spec["speeds_kmh"].items()}
    slow = truck.customize(spec)
    assert slow.profile == "slow-car"
    m_slow = slow.matrix(pts)
    assert np.all(m_slow[off] >= m_car[off] - 1e-6)


def test_customize_rejects_bad_profiles(graph_file: Path) -> None:
    g = kerb.Graph.load(graph_file)
    # An unknown name is a ProfileError, as in Graph.from_pbf: kerb-core resolves both.
    with pytest.raises(kerb.ProfileError, match="bike"):
        g.customize("bike")
    with pytest.raises(kerb.InvalidInputError):
        g.customize(42)  # type: ignore[arg-type]
    with pytest.raises(kerb.KerbError):
        g.customize({"name": "broken"})
