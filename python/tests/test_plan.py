"""kerb.plan: VROOM-style problems on real Helsinki travel times, checked independently here."""

from __future__ import annotations

from typing import Any, Dict

import numpy as np
import pytest

import kerb


def _problem(points: np.ndarray, n_jobs: int = 12) -> Dict[str, Any]:
    depot = points[0].tolist()
    return {
        "vehicles": [
            {"id": v, "start": depot, "end": depot, "capacity": [8]} for v in (1, 2)
        ],
        "jobs": [
            {"id": 100 + i, "location": points[1 + i].tolist(), "pickup": [1], "service": 30}
            for i in range(n_jobs)
        ],
    }


def test_plan_on_coordinates_serves_every_job_once(graph: kerb.Graph, points: np.ndarray) -> None:
    out = kerb.plan(_problem(points), graph, iterations=300, seed=3)
    assert out["code"] == 0
    served = [s["id"] for r in out["routes"] for s in r["steps"] if s["type"] == "job"]
    assert sorted(served) == [100 + i for i in range(12)]
    assert not out["unassigned"]
    for r in out["routes"]:
        load = sum(1 for s in r["steps"] if s["type"] == "job")
        assert load <= 8
    # Route durations are the road-graph travel times plus 30 s service per job.
    total_service = sum(s.get("service", 0) for r in out["routes"] for s in r["steps"])
    assert out["summary"]["service"] == pytest.approx(total_service)
    assert out["summary"]["duration"] > 0
    # Deterministic for a seed.
    again = kerb.plan(_problem(points), graph, iterations=300, seed=3)
    assert again["routes"] == out["routes"]
    assert again["summary"]["cost"] == out["summary"]["cost"]


def test_plan_with_matrix_from_graph(graph: kerb.Graph, points: np.ndarray) -> None:
    locs = points[:9]
    dur = graph.matrix(locs)
    assert np.isfinite(dur).all()
    problem = {
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": i, "location_index": i} for i in range(1, 9)],
        "matrices": {"car": {"durations": np.rint(dur).astype(int).tolist()}},
    }
    out = kerb.plan(problem, iterations=200)
    steps = [s for s in out["routes"][0]["steps"]]
    order = [0] + [s["location_index"] for s in steps if s["type"] == "job"] + [0]
    travel = sum(np.rint(dur).astype(int)[a, b] for a, b in zip(order, order[1:]))
    assert out["summary"]["duration"] == travel
    assert sorted(order[1:-1]) == list(range(1, 9))


def test_plan_errors(graph: kerb.Graph, points: np.ndarray) -> None:
    with pytest.raises(kerb.PlanInputError):
        kerb.plan("{not json")
    with pytest.raises(kerb.PlanInputError) as e:
        kerb.plan(_problem(points))  # coordinates but no graph
    assert isinstance(e.value, ValueError) and isinstance(e.value, kerb.KerbError)
    bad = _problem(points)
    bad["jobs"][0]["location"] = [float("nan"), 60.17]
    with pytest.raises((kerb.PlanInputError, kerb.InvalidCoordinateError)):
        kerb.plan(bad, graph)
    far = _problem(points)
    far["jobs"][0]["location"] = [25.5, 60.5]
    with pytest.raises(kerb.NoSegmentError):
        kerb.plan(far, graph, radius_m=500)


def test_plan_time_limits_are_checked() -> None:
    # Before: Duration::from_secs_f64 on inf panicked (a PanicException); NaN was accepted.
    problem = {
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": 1, "location_index": 1}],
        "matrices": {"car": {"durations": [[0, 10], [10, 0]]}},
    }
    for bad in (float("inf"), float("nan"), 1e308, -1.0, 0.0):
        with pytest.raises(kerb.PlanInputError, match="time_limit_s"):
            kerb.plan(problem, time_limit_s=bad)
    assert kerb.plan(problem, time_limit_s=0.5)["code"] == 0


def test_a_job_with_no_road_is_named(graph: kerb.Graph, points: np.ndarray) -> None:
    far = _problem(points)
    far["jobs"][0]["location"] = [25.5, 60.5]
    with pytest.raises(kerb.NoSegmentError, match=f"job {far['jobs'][0]['id']}"):
        kerb.plan(far, graph, radius_m=500)
