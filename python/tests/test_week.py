"""kerb.plan_week on the Helsinki extract: a sample week with sensor readings, both policies,
tables and errors."""

from __future__ import annotations

from typing import Any, Dict

import json

import pandas as pd
import pytest

import kerb


@pytest.fixture(scope="module")
def week(graph: kerb.Graph) -> Dict[str, Any]:
    return kerb.sample_week(graph, 40, trucks=2, seed=5)


def test_week_tables_and_totals(graph: kerb.Graph, week: Dict[str, Any]) -> None:
    plan = kerb.plan_week(graph, week, policy="fixed", iterations=30)
    assert plan.policy == "fixed"
    days = plan.days
    assert list(days.index) == [d["weekday"] for d in week["working_days"]]
    assert (days["bins_collected"] >= 0).all()
    assert days["distance_km"].sum() == pytest.approx(plan.totals["distance_km"], rel=1e-6)
    stops = plan.stops
    bins = stops[stops["kind"] == "bin"]
    assert len(bins) == plan.totals["bins_collected"] == days["bins_collected"].sum()
    # Day-pattern bins are collected on their days only.
    pattern = {b["id"]: b["frequency"]["days"] for b in week["bins"]
               if isinstance(b["frequency"], dict)}
    for _, s in bins[bins["id"].isin(list(pattern))].iterrows():
        assert s["weekday"] in pattern[s["id"]], s
    # Territories: each bin is pinned to one truck, and collected by it on the days that truck
    # works (the sample week has one truck fewer on Friday; its bins go to the others then).
    terr = plan.territories
    assert set(terr.index) == {b["id"] for b in week["bins"]}
    full_days = bins[bins["weekday"] != "fri"]
    assert len(full_days) > 0
    assert (full_days["truck"].to_numpy() == terr[full_days["id"]].to_numpy()).all()
    assert "WeekPlan fixed" in repr(plan)


def test_forecast_collects_fuller_bins_and_new_readings_count(graph: kerb.Graph, week: Dict[str, Any]) -> None:
    fixed = kerb.plan_week(graph, week, policy="fixed", iterations=30)
    forecast = kerb.plan_week(graph, json.dumps(week), iterations=30)
    assert forecast.policy == "forecast"
    assert forecast.totals["mean_fill_collected_pct"] > fixed.totals["mean_fill_collected_pct"]
    # A reading on Monday morning saying an on-demand bin is full makes it due on Monday.
    full = next(b["id"] for b in week["bins"] if b["frequency"] == "on_demand"
                and b["id"] not in set(forecast.stops.query("weekday == 'mon'")["id"]))
    start = pd.Timestamp(week["start"], unit="s")
    readings = pd.DataFrame({"bin_id": [full], "timestamp": [start + pd.Timedelta(hours=7)],
                             "fill_pct": [99.0]})
    again = kerb.plan_week(graph, week, readings=readings, iterations=30)
    monday = again.stops.query("weekday == 'mon'")
    assert full in set(monday["id"])


def test_bad_weeks_raise(graph: kerb.Graph, week: Dict[str, Any]) -> None:
    with pytest.raises(kerb.PlanInputError, match="sometimes"):
        kerb.plan_week(graph, week, policy="sometimes")
    with pytest.raises(kerb.PlanInputError, match="working day"):
        kerb.plan_week(graph, {**week, "working_days": []})
    with pytest.raises(kerb.PlanInputError, match="bin_id"):
        kerb.plan_week(graph, week, readings=pd.DataFrame({"timestamp": [0], "fill_pct": [1]}))
    with pytest.raises(kerb.PlanInputError, match="time limit|time_limit"):
        kerb.plan_week(graph, week, time_limit_s=float("inf"))
